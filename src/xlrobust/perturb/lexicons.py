"""Per-language person-name and place-name lexicons (Faker, Babel CLDR) and how they are found in raw text.

Replacement names come from the language's Faker locale (``xlrobust.languages``), so a Hindi sentence gets
Devanagari names and a Swahili one Swahili names; a locale whose person provider is not native falls back to
``en_US`` (flagged ``native=False``). Places are CLDR territory names localized by Babel, plus Faker's city (and
province/state) lists where the locale's address provider is native.

Finding names in NLI/QA text (no entity tags) is lexicon matching, kept conservative so labels stay right:
* cased scripts: a lexicon first name, optionally followed by a lexicon last name or (not in German, which
  capitalises nouns) a capitalised word, the pair then being a full name; a lone first name, or one with a
  non-lexicon capitalised word, at the start of a sentence is ambiguous ("Will", "May God") and is only replaced
  when the same first name was found unambiguously elsewhere in the example;
* caseless scripts (Arabic, Bengali, Devanagari): only first+last pairs both in the lexicon (many given names
  there are common words: "आकाश" sky, "أمل" hope); lone first names are replaced only with their pair;
* month and weekday names (Babel) and names that are also places anywhere (``evidence.world_places``) are
  removed from the name lexicon (CLDR country names win: "भारत" is a place, not Bharat), and Faker cities that are also first names are removed
  from the place lexicon;
* places: CLDR country names and native Faker cities (for Hindi only Faker's states: its city list holds text
  fragments, see ``UNRELIABLE_FAKER_CITIES``), matched whole-word and case-sensitively; German skips
  Faker cities for matching (nouns are capitalised there, so "Essen" the city cannot be told from "Essen" meal).
Inflected forms (Russian "России", Finnish "Suomessa") are not matched, so those examples stay unchanged.
On top of the lexicons, ``evidence`` refuses doubtful matches (issue #15: common words such as sw "Dunia",
places taken for people such as id "di Paris", parts of longer names such as "San Francisco Ballet"):
see :func:`find_names`, :func:`find_places` and ``benchmarks/RESULTS.md`` section 9 for the measured precision.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache

import babel
import pycountry
import regex
from faker import Faker

from xlrobust.languages import get_language
from xlrobust.perturb import evidence as ev
from xlrobust.perturb import script as sc

# Every word starts with a letter: Faker's hi_IN lists a few names with the vowel sign typed before its consonant
# ("िनशा" for "निशा"), which would put an orphaned combining mark into perturbed text.
NAME_ENTRY_RE = regex.compile(r"^\p{L}[\p{L}\p{M}]*(?: \p{L}[\p{L}\p{M}]*)?$")
PLACE_ENTRY_RE = regex.compile(r"^\p{L}[\p{L}\p{M}]*(?:[ -]\p{L}[\p{L}\p{M}]*){0,2}$")
# Whole words only; not the tail of "N'Goma"/"Jean-Pierre" (but "John's" matches "John").
_LEFT = r"(?<![\p{L}\p{M}\p{N}\u200c\u200d'’-])"
_RIGHT = r"(?![\p{L}\p{M}\p{N}\u200c\u200d-])"
# Locales whose Faker city list is not a list of places; only their (curated) states/provinces are used.
UNRELIABLE_FAKER_CITIES: dict[str, str] = {
    "hi": "Faker hi_IN's cities include Wikipedia text fragments such as करना ('to do') and सभापतिने",
}
CASELESS = sc.CASELESS_SCRIPTS
CASELESS_SURNAME_ZIPF = 5.0  # caseless scripts: a lexicon surname this frequent is a word (ar "حرب" war, 5.2)
SENTENCE_START_RE = regex.compile(r"(?:^|[.!?।؟\n][\"'”’)\]]*\s+)[\"'“‘(\[]*$")


@dataclass(frozen=True)
class NameLexicon:
    first_male: tuple[str, ...]
    first_female: tuple[str, ...]
    last: tuple[str, ...]
    last_male: tuple[str, ...]
    last_female: tuple[str, ...]
    native: bool
    cased: bool
    pattern: regex.Pattern = field(repr=False)
    lang: str = ""

    def gender(self, first: str) -> str | None:
        if first in self.first_female and first not in self.first_male:
            return "female"
        if first in self.first_male and first not in self.first_female:
            return "male"
        return None

    def new_first(self, old: str, rng: random.Random, avoid: str = "") -> str:
        gender = self.gender(old) or rng.choice(("male", "female"))
        pool = self.first_female if gender == "female" else self.first_male
        return _choose_other(pool or self.first_male + self.first_female, old, rng, avoid)

    def new_last(self, old: str, first: str, rng: random.Random, avoid: str = "") -> str:
        gender = self.gender(first)
        pool = {"male": self.last_male, "female": self.last_female}.get(gender or "", ()) or self.last
        return _choose_other(pool, old, rng, avoid)

    def new_full(
        self, old_first: str, old_last: str | None, rng: random.Random, avoid: str = ""
    ) -> tuple[str, str | None]:
        first = self.new_first(old_first, rng, avoid)
        return first, (self.new_last(old_last, old_first, rng, avoid) if old_last is not None else None)


@dataclass(frozen=True)
class PlaceLexicon:
    countries: tuple[str, ...]
    cities: tuple[str, ...]
    pattern: regex.Pattern = field(repr=False)
    lang: str = ""
    cased: bool = True

    def kind(self, place: str) -> str:
        return "country" if place in self.countries else "city"

    def new_place(self, old: str, rng: random.Random, kind: str | None = None, avoid: str = "") -> str:
        pool = {"country": self.countries, "city": self.cities}.get(
            kind or "", ()
        ) or self.countries + self.cities
        return _choose_other(pool, old, rng, avoid)


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    first: str
    last: str | None
    last_start: int | None
    ambiguous: bool


def _choose_other(pool: tuple[str, ...], old: str, rng: random.Random, avoid: str = "") -> str:
    """A random entry other than ``old`` and not already in the example's text ``avoid`` (a replacement equal
    to another name in the example would merge two people or places and could change the label)."""
    choices = [p for p in pool if p != old and p not in avoid] or [p for p in pool if p != old]
    return rng.choice(choices)


def _clean(values, entry_re: regex.Pattern) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for v in values if entry_re.match(v.strip())}))


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _provider(fake: Faker, kind: str):
    return next(p for p in fake.get_providers() if p.__module__.split(".")[2] == kind)


def _native(provider, lang: str) -> bool:
    return provider.__module__.rsplit(".", 1)[-1].split("_")[0] == lang


def calendar_words(lang: str) -> set[str]:
    """Month and weekday names (both forms, all widths), which are often also given names ("May", "June")."""
    loc = babel.Locale.parse(lang)
    words: set[str] = set()
    for table in (loc.months, loc.days):
        for context in table.values():
            for width in context.values():
                words.update(str(v) for v in width.values())
    return words | {w.capitalize() for w in words}


@cache
def place_lexicon(lang: str) -> PlaceLexicon:
    language = get_language(lang)
    iso = {c.alpha_2 for c in pycountry.countries}
    countries = _clean(
        (v for k, v in babel.Locale.parse(lang).territories.items() if k in iso), PLACE_ENTRY_RE
    )
    addr = _provider(Faker(language.faker_locale), "address")
    cities: tuple[str, ...] = ()
    if _native(addr, lang):
        lists = ("states",) if lang in UNRELIABLE_FAKER_CITIES else ("cities", "city_names", "states")
        raw = [c for attr in lists for c in getattr(addr, attr, ())]
        cities = _clean((c for c in raw if isinstance(c, str)), PLACE_ENTRY_RE)
    firsts = set(_raw_first_names(lang))
    cities = tuple(c for c in cities if c not in firsts and c not in countries)
    detect = countries + (() if lang == "de" else cities)
    pattern = regex.compile(f"{_LEFT}(?:{_alternation(detect)}){_RIGHT}")
    return PlaceLexicon(countries, cities, pattern, lang, language.script not in CASELESS)


@cache
def _raw_first_names(lang: str) -> tuple[str, ...]:
    person = _person_provider(lang)
    return tuple(person.first_names_male) + tuple(person.first_names_female)


@cache
def _person_provider(lang: str):
    person = _provider(Faker(get_language(lang).faker_locale), "person")
    return person if _native(person, lang) else _provider(Faker("en_US"), "person")


@cache
def name_lexicon(lang: str) -> NameLexicon:
    language = get_language(lang)
    person = _person_provider(lang)
    stop = calendar_words(lang)
    places = ev.world_places()

    def names(attr: str) -> tuple[str, ...]:
        values = getattr(person, attr, ()) or ()
        return tuple(n for n in _clean(values, NAME_ENTRY_RE) if n not in stop and n not in places)

    first_male, first_female = names("first_names_male"), names("first_names_female")
    last, last_male, last_female = names("last_names"), names("last_names_male"), names("last_names_female")
    cased = language.script not in CASELESS
    firsts = _alternation(first_male + first_female)
    lasts = _alternation(last + last_male + last_female)
    if cased and lang != "de":  # German capitalises every noun: only lexicon surnames there
        surname = rf"(?:{lasts}|\p{{Lu}}[\p{{Ll}}\p{{M}}]+)"
        pattern = regex.compile(rf"{_LEFT}(?P<first>{firsts})(?: (?P<last>{surname}))?{_RIGHT}")
    else:
        pattern = regex.compile(rf"{_LEFT}(?P<first>{firsts})(?: (?P<last>{lasts}))?{_RIGHT}")
    native = _native(_provider(Faker(language.faker_locale), "person"), lang)
    return NameLexicon(first_male, first_female, last, last_male, last_female, native, cased, pattern, lang)


def at_sentence_start(text: str, pos: int) -> bool:
    return SENTENCE_START_RE.search(text[:pos]) is not None


def find_names(text: str, lex: NameLexicon) -> list[NameMatch]:
    """Person-name occurrences; ``ambiguous`` ones are only replaced along with an unambiguous one.

    Refused outright (see ``evidence``): a match overlapping a lexicon place; a match glued to a longer name (cased scripts: "San Francisco Ballet",
    "Puerto Rico"); a first name followed by a capitalised non-lexicon word that is a common word ("Christian
    Democratic") or, without a frequency list (Swahili), any non-lexicon word; in caseless scripts a pair
    containing a function word or a frequent surname ("حرب", war). Ambiguous: a lone first name that is a
    common word ("a Christian apostle"), in a language without a frequency list, at a sentence start, or
    doubtful by ``evidence.doubtful_lone_name`` (a title such as "Alice in Chains", an item of a list of
    places).
    """
    out = []
    lasts = set(lex.last) | set(lex.last_male) | set(lex.last_female)
    lang = lex.lang
    firsts = set(lex.first_male) | set(lex.first_female)

    def is_name(word: str) -> bool:
        return word in firsts or word in lasts

    places = [m.span() for m in place_lexicon(lang).pattern.finditer(text)] if lang else []
    for m in lex.pattern.finditer(text):
        first, last = m.group("first"), m.group("last")
        if any(s < m.end() and m.start() < e for s, e in places):  # "Sierra Leone", "Puerto Rico"
            continue
        if ev.glued(text, m.start(), m.end(), lang, lex.cased, check_neighbours=lex.cased):
            continue
        start_of_sentence = lex.cased and at_sentence_start(text, m.start())
        if last is None:
            end = m.start() + len(first)
            common = ev.is_common(first, lang) or not ev.has_frequencies(lang)
            if lex.cased and ev.doubtful_lone_name(text, m.start(), end, lang, is_name):
                common = True
            out.append(
                NameMatch(m.start(), end, first, None, None, (not lex.cased) or start_of_sentence or common)
            )
            continue
        if last not in lasts and (ev.is_common(last, lang) or not ev.has_frequencies(lang)):
            continue
        if not lex.cased and (
            ev.is_function_word(first, lang)
            or ev.is_function_word(last, lang)
            or ev.is_common(last, lang, CASELESS_SURNAME_ZIPF)
        ):
            continue
        ambiguous = start_of_sentence and last not in lasts
        out.append(NameMatch(m.start(), m.end(), first, last, m.start("last"), ambiguous))
    return out


def find_places(text: str, lex: PlaceLexicon) -> list[tuple[int, int, str]]:
    """Whole-word lexicon places not glued to a longer name (``evidence.glued``: "Bank of India", "منتخب
    هولندا لكرة القدم" stay)."""
    return [
        (m.start(), m.end(), m.group())
        for m in lex.pattern.finditer(text)
        if not ev.glued(text, m.start(), m.end(), lex.lang, lex.cased)
    ]


def find_word(text: str, word: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``word`` (for the surname of a replaced full name appearing alone)."""
    return [(m.start(), m.end()) for m in regex.finditer(f"{_LEFT}{regex.escape(word)}{_RIGHT}", text)]
