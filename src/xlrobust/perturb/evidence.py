"""Evidence that a lexicon match in raw text is a person or a place rather than a common word or part of a
longer name; used by ``lexicons.find_names`` / ``find_places`` to refuse doubtful matches (precision over
recall: an unchanged example is harmless, a changed meaning is not).

Issue #15 found, on real XNLI/TyDiQA text, Faker first names that are common words (sw "Dunia" world, "Umoja"
unity, "Bahari" sea; ar "حرب" war), places taken for people (id "di Paris", es "vino a América"), and parts of
longer names swapped (es "Puerto Rico", en "San Francisco Ballet", "Bank of India"). The rules here:

* **frequency** (``wordfreq``, offline lists shipped in its wheel; Swahili has none): a word whose Zipf
  frequency in the language is >= :data:`COMMON_ZIPF` is common, one >= :data:`FUNCTION_ZIPF` is a function word
  ("of", "في", "का");
* **known places** (:func:`world_places`): CLDR territory and region names in every project language and
  English (Babel), ISO 3166-2 subdivision names (pycountry, "Paris", "Florida") and the native Faker place lists;
  such a word is never a person name;
* **boundaries** (:func:`glued`): a match is part of a longer name when a neighbouring word (separated by
  spaces only) continues it. Cased scripts: a capitalised neighbour ("San Francisco", "Puerto Rico",
  "Minnesota Timberwolves"; a frequent sentence opener such as "The" or "Later" does not count) or "<match>
  <genitive> <Capitalised>" ("Earl of Aylesford"). Scripts without case: a neighbour that is not a function
  word ("منتخب هولندا لكرة القدم", Netherlands national football team). Any script: a match next to "&" ("Ike
  & Tina Turner"), before an opening or before a closing parenthesis ("Harry Graham ( disambiguation )",
  "Club ( Country )": a title and its disambiguator), after a genitive preposition (:data:`GENITIVES`:
  "Selección de fútbol de Zambia", "Bahari ya Hindi") or, in Indonesian, right after a content word
  (:data:`JUXTAPOSED_GENITIVE`);
* **organisation heads** (``heads.in_named_phrase``): a match inside the name of an organisation, facility or
  title ("Lakshmi Narayan Temple", "Misi ... di Bosnia", "Elisa Oyj", "List of ... in India");
* **lone first names** (:func:`doubtful_lone_name`, cased scripts): one followed by "<function word>
  <Capitalised>" (a title: "Alice in Chains") or listed among single-word non-names ("Bergamasco, Bruno,
  Incisa": places) is ambiguous (only replaced with an unambiguous occurrence of the same name).

The thresholds and rules were set by measuring precision on real PAN-X dev text (``benchmarks/
perturb_precision.py``); no word list is built from that data.
"""

from __future__ import annotations

import itertools
from functools import cache

import babel
import pycountry
import regex
import wordfreq

from xlrobust.languages import STUDY_LANGUAGES
from xlrobust.perturb import heads

COMMON_ZIPF = (
    4.5  # Zipf >= 4.5: about 1 in 30,000 words or more frequent (en "christian" 4.88, "apostle" 3.4)
)
SENTENCE_START_ZIPF = (
    5.3  # a capitalised sentence opener this frequent is a word ("Later" 5.6; "Sir" 4.6 is not)
)
FUNCTION_ZIPF = 6.3  # Zipf >= 6.3 (1 in 500 words): function words (en "of" 7.4, "from" 6.5; bn "ও" 6.95)
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\u200c\u200d]+(?:-[\p{L}\p{M}\u200c\u200d]+)*|\S")
# "<noun> of <place>" names an organisation or a title ("Selección de fútbol de Zambia", "King of Spain",
# sw "Bahari ya Hindi"): a place after one of these words (or after it and an article) is not replaced.
GENITIVES: dict[str, frozenset[str]] = {
    "en": frozenset({"of"}),
    "es": frozenset({"de", "del"}),
    "de": frozenset({"von"}),
    "sw": frozenset({"ya", "wa", "la", "za", "cha", "vya", "kwa"}),
    "id": frozenset({"dari"}),  # "Joachim dari Belgia" (of Belgium); also "from", a recall cost
    "ar": frozenset(
        {"من"}
    ),  # "الأميرة ماريا من إسبانيا" (Princess Maria of Spain); also "from", a recall cost
}
# Languages whose noun phrases put a modifier after its head without any preposition (id "sepak bola
# Finlandia", Finland's football): a place right after a content word modifies an entity name there.
JUXTAPOSED_GENITIVE = frozenset({"id"})


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


def is_function_word(word: str, lang: str) -> bool:
    """Zipf >= :data:`FUNCTION_ZIPF` ("of", "في", "का", not bn "জাতীয়" national, 6.06)."""
    return is_common(word, lang, FUNCTION_ZIPF)


@cache
def world_places() -> frozenset[str]:
    """Place names that must never be taken for person names (see module docstring). Words of multi-word
    places are not included ("Juan" of "San Juan" is a name): :func:`glued` keeps those places whole."""
    from xlrobust.perturb.lexicons import place_lexicon  # lexicons imports this module

    names: set[str] = set()
    # The study languages' places, whose name-detection precision was measured on real data
    # (tests/test_perturb_realdata.py): Faker's 15,000 Italian comuni would refuse common first names.
    for code in (*STUDY_LANGUAGES, "en"):
        names.update(str(v) for v in babel.Locale.parse(code).territories.values())
    names.update(s.name for s in pycountry.subdivisions)
    for code in STUDY_LANGUAGES:
        lex = place_lexicon(code)
        names.update(lex.countries + lex.cities)
    return frozenset(names)


def _neighbours(text: str, start: int, end: int) -> tuple[list[str | None], list[str | None], int]:
    """The two words before ``start`` (nearest first) and the two after ``end``, each only while the gap to
    the match is whitespace (``None`` from the first punctuation mark or gap on), and the start offset of the
    token before the match."""
    before = list(_TOKEN_RE.finditer(text, 0, start))[-2:][::-1]
    after = list(itertools.islice(_TOKEN_RE.finditer(text, end), 2))

    def walk(matches, edge: int, forward: bool) -> list[str | None]:
        out: list[str | None] = []
        for m in matches:
            gap = text[edge : m.start()] if forward else text[m.end() : edge]
            if gap.strip() or not regex.match(r"\p{L}", m.group()) or (out and out[-1] is None):
                out.append(None)
            else:
                out.append(m.group())
            edge = m.end() if forward else m.start()
        return out + [None] * (2 - len(out))

    return walk(before, start, False), walk(after, end, True), before[0].start() if before else 0


def _capitalised(word: str | None) -> bool:
    return word is not None and word[0].isupper()


def glued(text: str, start: int, end: int, lang: str, cased: bool, *, check_neighbours: bool = True) -> bool:
    """Whether ``text[start:end]`` is part of a longer name (see the module docstring).
    ``check_neighbours=False`` (person names in caseless scripts, which stand next to verbs and nouns: "قال
    محمد علي", "राम कुमार दिल्ली गए") skips the caseless-script test of the neighbouring words."""
    from xlrobust.perturb.lexicons import at_sentence_start

    before, after = text[:start].rstrip(), text[end:].lstrip()
    if after.startswith(("(", ")")) or before.endswith("&") or after.startswith("&"):
        return True
    if heads.in_named_phrase(text, start, end, lang, cased, is_function_word):
        return True
    (prev, prev2), (nxt, nxt2), prev_start = _neighbours(text, start, end)
    genitives = GENITIVES.get(lang, frozenset())
    if prev is not None and (
        prev.casefold() in genitives
        or (prev2 is not None and prev2.casefold() in genitives and is_function_word(prev, lang))
    ):
        return True
    if (
        lang in JUXTAPOSED_GENITIVE
        and prev is not None
        and prev.islower()
        and not is_function_word(prev, lang)
    ):
        return True
    if cased:
        if _capitalised(prev) and not (
            at_sentence_start(text, prev_start) and is_common(prev or "", lang, SENTENCE_START_ZIPF)
        ):
            return True
        if _capitalised(nxt):
            return True
        if nxt is not None and nxt.casefold() in genitives and _capitalised(nxt2):
            return True
        return False
    if not check_neighbours:
        return False
    if prev is not None and not is_function_word(prev, lang):
        return True
    return nxt is not None and not is_function_word(nxt, lang)


_ENUM_SEPARATORS = frozenset({",", "،", "、", ";"})
# Coordinating conjunctions ("and", "or") that join the last items of an enumeration.
COORDINATORS: dict[str, frozenset[str]] = {
    "en": frozenset({"and", "or"}),
    "es": frozenset({"y", "e", "o", "u"}),
    "de": frozenset({"und", "oder"}),
    "fi": frozenset({"ja", "tai", "sekä"}),
    "id": frozenset({"dan", "atau"}),
    "ru": frozenset({"и", "или"}),
    "sw": frozenset({"na", "au"}),
    "ar": frozenset({"و", "أو"}),
    "hi": frozenset({"और", "या", "तथा"}),
    "bn": frozenset({"ও", "এবং", "বা"}),
}


def _separator(token: str | None, lang: str) -> bool:
    return token is not None and (token in _ENUM_SEPARATORS or token in COORDINATORS.get(lang, ()))


def _lone_item(tokens: list[str], lang: str) -> str | None:
    """The item next in an enumeration (``tokens`` walk away from the match, nearest first, the first being
    a separator) when it is one capitalised word (", Bergamasco ,"); ``None`` for a multi-word item
    ("Édouard Lalo", "Incisa Scapaccino": may well be a person) or anything else."""
    if len(tokens) < 2 or not _capitalised(tokens[1]) or not regex.match(r"\p{L}", tokens[1]):
        return None
    rest = tokens[2:]
    if rest and regex.match(r"\p{L}", rest[0]) and rest[0][0].isupper():
        return None
    return tokens[1]


def doubtful_lone_name(text: str, start: int, end: int, lang: str, is_name) -> bool:
    """Cased scripts, a lone first name (no surname) that is more likely part of a title or an item of a list
    of non-persons (``is_name(word)``: a lexicon first or last name):

    * followed by a function word and a capitalised word: a title ("Alice in Chains", "Romeo and Juliet",
      "Hannu ja Kerttu") or a "<name> of <place>" style name;
    * an inner item of an enumeration (a separator or :data:`COORDINATORS` word on both sides) whose
      neighbouring item is a single capitalised word that is not a name ("Die Nachbargemeinden sind
      Bergamasco , Bruno , Incisa Scapaccino": a list of places). "Станку , Богдан" (surname, first name)
      is not an enumeration.
    """
    before, after = heads.tokens_before(text, start), heads.tokens_after(text, end)
    if (
        len(after) >= 2
        and regex.match(r"\p{L}", after[0])
        and after[0].islower()
        and is_function_word(after[0], lang)
        and _capitalised(after[1])
    ):
        return True
    if not (before and after and _separator(before[0], lang) and _separator(after[0], lang)):
        return False  # an inner item only: "Станку , Богдан" is "surname, first name", not a list
    return any(
        item is not None and not is_name(item) for item in (_lone_item(before, lang), _lone_item(after, lang))
    )
