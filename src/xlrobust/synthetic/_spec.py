"""What a language module must provide, and the language-independent inventory every module indexes into.

The offline sample is parallel: an item is a *frame* of language-independent choices (person 3, city 7, the
object "apple", quantity 5, ...) rendered by each language's own lexicon and templates. So every language lists
the same number of people, cities and organisations (index i is "the same" person/place in every language:
native names, same gender) and the same keys for objects, vehicles and professions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Sizes of the index-aligned lists every language provides.
N_FEMALE = 12
N_MALE = 12
N_PEOPLE = N_FEMALE + N_MALE  # person index < N_FEMALE is female
N_SURNAMES = 12
N_CITIES = 20
N_ORGS = 16
# Organisations 0-2 are the same international companies in every language: written exactly as in English
# wherever real text of the language writes them so (the Latin-script languages, and Russian, which keeps brand
# names in Latin script), transliterated in Arabic, Bengali and Hindi. Odd-numbered people are international in the
# Latin-script languages (same name in all of them, ``_render.person_spec``). Every other name is native to its
# language. Entity strings shared across languages are the offline sample's one route for zero-shot NER and QA
# transfer, as shared entity strings are in real PAN-X; their absence in the other scripts is a real difference
# between targets (tests/test_synthetic.py::test_shared_organisations, ::test_international_people).
SHARED_ORGS: tuple[str, ...] = ("Microsoft", "Google", "Amazon")

OBJECT_KEYS: tuple[str, ...] = ("apple", "orange", "banana", "mango", "tomato", "onion", "book", "shirt")
HYPERNYM: dict[str, str | None] = {
    "apple": "fruit",
    "orange": "fruit",
    "banana": "fruit",
    "mango": "fruit",
    "tomato": "vegetable",
    "onion": "vegetable",
    "book": None,
    "shirt": "clothes",
}
HYPERNYM_KEYS: tuple[str, ...] = ("fruit", "vegetable", "clothes")
VEHICLE_KEYS: tuple[str, ...] = ("train", "bus", "plane", "car")
PROFESSION_KEYS: tuple[str, ...] = ("doctor", "teacher", "engineer", "journalist", "lawyer", "cook")
N_DAYS = 7

# A form is a string in which "[...]" marks the head: the part that is the named entity (for person, city and
# organisation slots) or the answer span (for QA), e.g. Russian "в [Казани]", English count "[5] books".
Gendered = str | tuple[str, str]  # (masculine, feminine) where the language inflects for gender
Entry = str | Mapping[str, str]  # a bare name, or {form name: form}; the first form is the default
Frame = Mapping[str, object]


def default_count(n: int, entry: Mapping[str, str]) -> str:
    """Render "n objects" from the entry's ``count`` pattern (languages with number agreement override this)."""
    return entry["count"].format(n=n)


@dataclass(frozen=True)
class LanguageSpec:
    """Lexicon and templates of one language (see ``languages/en.py`` for an annotated example)."""

    code: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[Gendered, ...]
    cities: tuple[Entry, ...]
    orgs: tuple[Entry, ...]
    objects: Mapping[str, Mapping[str, str]]
    hypernyms: Mapping[str, Mapping[str, str]]
    vehicles: Mapping[str, Mapping[str, str]]
    professions: Mapping[str, Mapping[str, Gendered]]
    days: tuple[str, ...]
    year: str  # e.g. "in [{y}]"
    templates: Mapping[str, str | Mapping[str, str]]  # a str, or {"m": ..., "f": ...} by the subject's gender
    city_forms: Mapping[str, str] = field(default_factory=dict)  # form -> pattern for cities given as a str
    org_forms: Mapping[str, str] = field(default_factory=dict)  # form -> pattern for orgs given as a str
    org_gender: tuple[str, ...] = ()  # "m"/"f" per org, only where verbs agree with an organisation
    count: Callable[[int, Mapping[str, str]], str] = default_count
    extra_slots: Callable[[LanguageSpec, Frame], dict[str, str]] | None = None

    def person(self, index: int) -> str:
        return self.female[index] if index < N_FEMALE else self.male[index - N_FEMALE]

    def surname(self, index: int, gender: str) -> str:
        s = self.surnames[index]
        return s if isinstance(s, str) else s[0 if gender == "m" else 1]


def gender_of(person_index: int) -> str:
    """'f' or 'm': the first N_FEMALE people of every language are women."""
    return "f" if person_index < N_FEMALE else "m"


def entry_form(entry: Entry, form: str, patterns: Mapping[str, str], what: str) -> str:
    """The ``form`` of a city/organisation entry: its own form, a pattern applied to a bare name, or the name."""
    if isinstance(entry, str):
        if form in ("", "nom"):
            return entry
        if form in patterns:
            return patterns[form].format(entry)
        raise KeyError(f"{what} {entry!r} has no form {form!r}")
    if form == "":
        return next(iter(entry.values()))
    return entry[form]


def validate_spec(spec: LanguageSpec) -> list[str]:
    """Every way ``spec`` breaks the parallel inventory, as messages (empty when it is complete)."""
    problems: list[str] = []
    sizes = {
        "female": (spec.female, N_FEMALE),
        "male": (spec.male, N_MALE),
        "surnames": (spec.surnames, N_SURNAMES),
        "cities": (spec.cities, N_CITIES),
        "orgs": (spec.orgs, N_ORGS),
        "days": (spec.days, N_DAYS),
    }
    for name, (items, size) in sizes.items():
        if len(items) != size:
            problems.append(f"{spec.code}: {name} has {len(items)} entries, expected {size}")
        if len(set(map(str, items))) != len(items):
            problems.append(f"{spec.code}: {name} has duplicates")
    if spec.org_gender and len(spec.org_gender) != N_ORGS:
        problems.append(f"{spec.code}: org_gender has {len(spec.org_gender)} entries, expected {N_ORGS}")
    for name, table, keys in (
        ("objects", spec.objects, OBJECT_KEYS),
        ("hypernyms", spec.hypernyms, HYPERNYM_KEYS),
        ("vehicles", spec.vehicles, VEHICLE_KEYS),
        ("professions", spec.professions, PROFESSION_KEYS),
    ):
        if set(table) != set(keys):
            problems.append(f"{spec.code}: {name} keys {sorted(table)} != {sorted(keys)}")
        form_sets = {tuple(v) for v in table.values()}
        if len(form_sets) > 1:
            problems.append(
                f"{spec.code}: {name} entries do not all have the same forms: {sorted(form_sets)}"
            )
    return problems
