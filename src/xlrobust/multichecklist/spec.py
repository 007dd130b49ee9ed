"""What a MultiCheckList test needs for one language: its file column, name lexicons, fill-in fields and
slots."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from xlrobust.errors import DataError
from xlrobust.languages import LANGUAGES, get_language
from xlrobust.multichecklist.templates import (
    GENDER_MARKING_TESTS,
    Row,
    Templates,
    TestBlock,
    Variant,
    english_keys,
)

FIELD_RE = re.compile(r"\{([^{}]*)\}")
_FIELD_EXPR_RE = re.compile(
    r"^(?:[a-z]+:)?([A-Za-z_][A-Za-z0-9_]*?)(\d*)(?:\[(\d+)\]|\.([A-Za-z_][A-Za-z0-9_]*))?$"
)
NAME_SLOTS = frozenset({"first_name", "male", "female"})
_SLOT_ALIASES = {"s": "state"}  # generate_test_utils.py passes the 'state' rows as s=
CONTEXT_GROUP = "@context"
PROPERTY_GROUP = "@property"


# ------------------------------------------------------------------------------------------------- languages


def file_column(lang: str) -> str:
    """The file's column for one of our language codes: both use ISO 639-1, so the code itself."""
    return get_language(lang).code


def available_languages(templates: Templates) -> list[str]:
    """Our languages (xlrobust.languages.LANGUAGES) that have a column in the file, sorted."""
    return sorted(code for code in LANGUAGES if file_column(code) in templates.columns)


@functools.cache
def name_lexicons(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(male, first_name) lexicons of CheckList's Editor for ``lang`` (Wikidata names; en fallback).

    The Editor is given the ISO 639-2 code ('eng'): current pycountry resolves 'en' itself to another language
    (without an alpha-2 code) and 'Swahili' to nothing, so ``Editor('en')`` as upstream calls it now fails.
    """
    import pycountry
    from checklist.editor import Editor

    record = pycountry.languages.get(alpha_2=get_language(lang).code)
    if record is None:
        raise DataError(
            f"language {lang!r} has no ISO 639-1 record in pycountry; CheckList has no names for it"
        )
    lexicons = Editor(record.alpha_3).lexicons
    return tuple(lexicons["male"]), tuple(lexicons["first_name"])


# ------------------------------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Field:
    expr: str  # as written, e.g. 'adj[0]', 'p.v1', 'first_name1'
    slot: str  # 'adj', 'p', 'first_name1'
    base: str  # 'adj', 'p', 'first_name'
    index: int | None
    attr: str | None

    @property
    def norm(self) -> str:
        """The field without a CheckList option prefix ('c:obj[1]' -> 'obj[1]')."""
        return self.expr.split(":")[-1]

    @property
    def slot_id(self) -> str:
        """Which sampled value the field shows: 'adj[0]' and 'adj[1]' share 'adj'; p.v1 and p.v2 differ."""
        return f"{self.slot}.{self.attr}" if self.attr else self.slot


def _parse_field(expr: str) -> Field | None:
    match = _FIELD_EXPR_RE.match(expr)
    if not match:
        return None
    base, number, index, attr = match.groups()
    return Field(expr, base + number, base, int(index) if index is not None else None, attr)


def template_fields(text: str) -> list[tuple[Field | None, str, int, int]]:
    return [(_parse_field(m.group(1)), m.group(1), m.start(), m.end()) for m in FIELD_RE.finditer(text)]


def _slot_rows(tests: Sequence[TestBlock], index: int, slot: str) -> tuple[Row, ...] | None:
    """Rows of a fill-in slot: the test's own, else the nearest earlier test's (v2 reuses Animal's lists)."""
    for block in reversed(tests[: index + 1]):
        if slot in block.args:
            return block.args[slot]
    return None


@dataclass
class Spec:
    """What one test needs for one language: the slots, their rows, and the tag universe of each group."""

    block: TestBlock
    lang: str
    slots: dict[str, tuple[Row, ...]]  # every non-name slot referenced (p's parts included)
    list_slots: set[str]
    universes: dict[str, frozenset[str]]  # tag group -> English keys it recognises
    name_pool: tuple[str, ...]
    name_slots: list[str]


def build_spec(templates: Templates, index: int, lang: str) -> Spec:
    block = templates.tests[index]
    col = file_column(lang)
    path = templates.path
    slots: dict[str, tuple[Row, ...]] = {}
    list_slots: set[str] = set()
    name_slots: set[str] = set()
    rows = [*block.contexts, *(q for q, _ in block.qas), *(a for _, a in block.qas)]
    for row in rows:
        for variant in row.variants.get(col, ()):
            _collect_fields(templates, index, row, variant, slots, list_slots, name_slots)
    if "p" in slots:
        for prop in slots["property"]:
            rows_p = _slot_rows(templates.tests, index, prop.english)
            if rows_p is None:
                raise DataError(
                    f"{path}: line {prop.line}: property {prop.english!r} has no fill-in rows named "
                    f"{prop.english!r} in test {block.name!r}"
                )
            slots[prop.english] = rows_p
    universes = {slot: frozenset().union(*(english_keys(r) for r in rows_)) for slot, rows_ in slots.items()}
    universes[CONTEXT_GROUP] = frozenset(r.english.lower() for t in templates.tests for r in t.contexts)
    if "property" in slots:
        universes[PROPERTY_GROUP] = universes.pop("property")
    universes.pop("p", None)
    male, first = name_lexicons(lang)
    pool = male if block.name in GENDER_MARKING_TESTS else first
    return Spec(block, col, slots, list_slots, universes, pool, sorted(name_slots))


def _collect_fields(
    templates: Templates,
    index: int,
    row: Row,
    variant: Variant,
    slots: dict[str, tuple[Row, ...]],
    list_slots: set[str],
    name_slots: set[str],
) -> None:
    """Record the slots a template uses; an unknown slot or bad field is a DataError at its cell."""
    where = f"{templates.path}: line {row.line}, column {variant.column}"
    for parsed, expr, _, _ in template_fields(variant.text):
        if parsed is None:
            raise DataError(
                f"{where}: cannot parse the fill-in {{{expr}}}; use {{slot}}, {{slot[i]}} or {{p.v1}}"
            )
        if parsed.base in NAME_SLOTS:
            name_slots.add(parsed.slot)
            continue
        if parsed.base == "p":
            prop_rows = _slot_rows(templates.tests, index, "property")
            if prop_rows is None or parsed.attr not in ("p1", "p2", "v1", "v2"):
                raise DataError(f"{where}: {{{expr}}} needs 'property' rows and one of p.p1 p.p2 p.v1 p.v2")
            slots["p"], slots["property"] = (), prop_rows
            continue
        rows_ = _slot_rows(templates.tests, index, _SLOT_ALIASES.get(parsed.base, parsed.base))
        if rows_ is None:
            raise DataError(
                f"{where}: fill-in {{{expr}}} has no rows named {parsed.base!r}; add them or fix the name"
            )
        slots[parsed.base] = rows_
        if parsed.index is not None:
            list_slots.add(parsed.base)
