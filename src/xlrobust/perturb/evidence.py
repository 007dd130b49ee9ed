"""Evidence that a lexicon match in raw text is a person or a place rather than a common word or part of a
longer name; used by ``lexicons.find_names`` / ``find_places`` to refuse doubtful matches (precision over
recall: an unchanged example is harmless, a changed meaning is not).

Issue #15 found, on real XNLI/TyDiQA text, Faker first names that are common words (sw "Dunia" world, "Umoja"
unity, "Bahari" sea; ar "حرب" war), places taken for people (id "di Paris", es "vino a América"), and parts of
longer names swapped (es "Puerto Rico", en "San Francisco Ballet", "Bank of India"). The rules here:

* **frequency** (``wordfreq``, offline lists shipped in its wheel; Swahili has none): a word whose Zipf
  frequency in the language is >= :data:`COMMON_ZIPF` is common; a word among the language's
  :data:`FUNCTION_WORDS_N` most frequent is a function word ("of", "في", "का");
* **known places** (:func:`world_places`): CLDR territory and region names in every project language and
  English (Babel), ISO 3166-2 subdivision names (pycountry, "Paris", "Florida") and the native Faker place lists;
  such a word is never a person name;
* **boundaries** (:func:`glued`): a match is part of a longer name when a neighbouring word (separated by
  spaces only) continues it: in cased scripts a capitalised neighbour ("San Francisco", "Puerto Rico",
  "Minnesota Timberwolves"; a sentence-initial function word such as "The" does not count) or "Capitalised
  of/de/dari <match>" ("Bank of India", "Victoria of Spain"); in scripts without case a neighbour that is not a
  function word ("منتخب هولندا لكرة القدم", Netherlands national football team).
"""

from __future__ import annotations

from functools import cache

import babel
import pycountry
import regex
import wordfreq

from xlrobust.languages import LANGUAGES

COMMON_ZIPF = 4.5  # Zipf >= 4.5: about 1 in 30,000 words or more frequent (en "christian" 4.88, "apostle" 3.4)
FUNCTION_WORDS_N = 150
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+|\S")


@cache
def has_frequencies(lang: str) -> bool:
    return lang in wordfreq.available_languages("best")


def zipf(word: str, lang: str) -> float | None:
    """``wordfreq``'s Zipf frequency of ``word`` (case-folded by wordfreq); ``None`` without a list."""
    return wordfreq.zipf_frequency(word, lang) if has_frequencies(lang) else None


def is_common(word: str, lang: str, threshold: float = COMMON_ZIPF) -> bool:
    """Whether ``word`` is a frequent word of ``lang``; ``False`` where wordfreq has no list (Swahili)."""
    value = zipf(word, lang)
    return value is not None and value >= threshold


@cache
def function_words(lang: str) -> frozenset[str]:
    """The :data:`FUNCTION_WORDS_N` most frequent words (empty where wordfreq has no list)."""
    return frozenset(wordfreq.top_n_list(lang, FUNCTION_WORDS_N)) if has_frequencies(lang) else frozenset()


def is_function_word(word: str, lang: str) -> bool:
    return word.casefold() in function_words(lang)


@cache
def world_places() -> frozenset[str]:
    """Place names that must never be taken for person names (see module docstring). Words of multi-word
    places are not included ("Juan" of "San Juan" is a name): :func:`glued` keeps those places whole."""
    from xlrobust.perturb.lexicons import place_lexicon  # lexicons imports this module

    names: set[str] = set()
    for code in (*LANGUAGES, "en"):
        names.update(str(v) for v in babel.Locale.parse(code).territories.values())
    names.update(s.name for s in pycountry.subdivisions)
    for code in LANGUAGES:
        lex = place_lexicon(code)
        names.update(lex.countries + lex.cities)
    return frozenset(names)


def _neighbours(text: str, start: int, end: int) -> tuple[str | None, str | None, str | None, int]:
    """The word before ``start``, the one before that, the word after ``end`` (each only when separated by
    whitespace alone, else ``None``) and the start offset of the word before."""
    before = list(_TOKEN_RE.finditer(text, 0, start))
    after = _TOKEN_RE.search(text, end)

    def word(m) -> str | None:
        return m.group() if m is not None and regex.match(r"\p{L}", m.group()) else None

    prev = word(before[-1]) if before and not text[before[-1].end() : start].strip() else None
    prev2 = (
        word(before[-2])
        if prev is not None and len(before) > 1 and not text[before[-2].end() : before[-1].start()].strip()
        else None
    )
    nxt = word(after) if after is not None and not text[end : after.start()].strip() else None
    return prev, prev2, nxt, before[-1].start() if before else 0


def _capitalised(word: str | None) -> bool:
    return word is not None and word[0].isupper()


def glued(text: str, start: int, end: int, lang: str, cased: bool, *, check_next: bool = True) -> bool:
    """Whether ``text[start:end]`` is part of a longer name (see the module docstring)."""
    from xlrobust.perturb.lexicons import at_sentence_start

    prev, prev2, nxt, prev_start = _neighbours(text, start, end)
    if cased:
        if _capitalised(prev) and not (
            at_sentence_start(text, prev_start) and is_function_word(prev or "", lang)
        ):
            return True
        if _capitalised(nxt):
            return True
        if prev is None or not prev.islower() or not _capitalised(prev2):
            return False
        return is_function_word(prev, lang) if has_frequencies(lang) else len(prev) <= 3
    if prev is not None and not is_function_word(prev, lang):
        return True
    return check_next and nxt is not None and not is_function_word(nxt, lang)
