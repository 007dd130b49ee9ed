"""XTREME-R's MultiCheckList for QA: read ``checklist_templates.tsv``, fill its templates, score failure rates.

The file (google-research/xtreme ``multichecklist/checklist_templates.tsv``) holds six CheckList QA tests as
blocks of rows separated by blank rows: ``Name``, ``Capability``, ``Context`` rows, ``Question`` rows each
followed by its ``Answer`` row, then fill-in rows named after their slot (``adj``, ``state``, ``obj`` ...).
Column 1 is the row kind, then one column per language. A language whose translation varies with a fill-in
(gender, case, agreement) has several ``<lang>`` columns, each followed by ``<lang>-placeholders``: a comma list
of the *English* values (of some other slot, or English context templates) that this variant applies to.

Upstream (``generate_tests.py`` / ``generate_test_utils.py``) resolves those variants with per-language code
branches. Here the rule is generic, so it works for any column the file has: a placeholder tag belongs to the
slot whose English values contain it, and a variant is usable for a fill when, for every slot its tags mention,
the fill's English value of that slot is among them. Fill-ins are sampled as upstream does (names from
CheckList's own per-language lexicon, male names in the three tests whose templates are only in the masculine,
``p`` = two different properties of one object with a value each), and every (context, question) pair of a fill
becomes one QA example, like upstream's ``crossproduct``. Answers are located by tracking where each fill-in is
written into the context, never by searching for the string.
"""

from __future__ import annotations

import functools
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlrobust.errors import DataError
from xlrobust.languages import LANGUAGES, get_language
from xlrobust.metrics import QA_NORMALIZATIONS, qa_example_scores

# Upstream test names (generate_test_utils.py) and the short names its test_models.py reports them under.
COMPARISON = "A is COMP than B. Who is more / less COMP?"
INTENSIFIERS = "Intensifiers (very, super, extremely) and reducers (somewhat, kinda, etc)?"
PROPERTIES = "size, shape, age, color"
PROFESSION = "Profession vs nationality"
ANIMAL = "Animal vs Vehicle"
ANIMAL2 = "Animal vs Vehicle v2"
TEST_SHORT_NAMES: dict[str, str] = {
    COMPARISON: "comp",
    INTENSIFIERS: "intense",
    PROPERTIES: "props",
    PROFESSION: "profession_nationality",
    ANIMAL: "animal_vehicle",
    ANIMAL2: "animal_vehicle_v2",
}
# Tests whose translations only exist in the masculine: upstream fills {first_name} with male names there.
GENDER_MARKING_TESTS = frozenset({COMPARISON, INTENSIFIERS, PROFESSION})

_STRUCTURAL = ("Name", "Capability", "Context", "Question", "Answer")
_COLUMN_RE = re.compile(r"^([a-z]{2,3})(-placeholders)?$")
_SLOT_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FIELD_RE = re.compile(r"\{([^{}]*)\}")
_FIELD_EXPR_RE = re.compile(r"^(?:[a-z]+:)?([A-Za-z_][A-Za-z0-9_]*?)(\d*)(?:\[(\d+)\]|\.([A-Za-z_][A-Za-z0-9_]*))?$")
_LIST_SEP_RE = re.compile(r"\s*[,،，]\s*")  # upstream splits on ', ' (and '،' for ar/fa/ur, '，' for zh)
_NAME_SLOTS = frozenset({"first_name", "male", "female"})
_SLOT_ALIASES = {"s": "state"}  # generate_test_utils.py passes the 'state' rows as s=
_CONTEXT_GROUP = "@context"
_PROPERTY_GROUP = "@property"


# ------------------------------------------------------------------------------------------------ data model


@dataclass(frozen=True)
class Variant:
    """One translation of a row; ``tags`` are the English keys it is restricted to (None: valid for all)."""

    text: str
    tags: frozenset[str] | None
    column: int  # 1-based column of the text, for error messages


@dataclass(frozen=True)
class Row:
    kind: str  # Context, Question, Answer, or the slot name of a fill-in row
    english: str  # the 'en' cell: the key other languages' placeholders refer to
    line: int
    variants: Mapping[str, tuple[Variant, ...]]  # file language column -> its non-empty variants


@dataclass(frozen=True)
class TestBlock:
    name: str
    capability: str
    line: int
    contexts: tuple[Row, ...]
    qas: tuple[tuple[Row, Row], ...]  # (Question row, Answer row)
    args: Mapping[str, tuple[Row, ...]]  # slot name -> fill-in rows

    @property
    def short_name(self) -> str:
        return TEST_SHORT_NAMES.get(self.name) or re.sub(r"[^a-z0-9]+", "_", self.name.lower()).strip("_")


@dataclass(frozen=True)
class Templates:
    path: Path
    columns: tuple[str, ...]  # language columns of the file, in order of first appearance
    tests: tuple[TestBlock, ...]
    issues: tuple[str, ...] = field(default=())  # oddities found while loading (not fatal)


# ---------------------------------------------------------------------------------------------------- loading


def _decode(path: Path) -> str:
    """Read UTF-8; an invalid byte is reported with its line and column rather than as a codec traceback."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read the MultiCheckList template file ({err.strerror})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        column = raw.count(b"\t", line_start, err.start) + 1
        raise DataError(
            f"{path}: line {line}, column {column}: byte 0x{raw[err.start]:02x} is not valid UTF-8; "
            "re-save the file as UTF-8"
        ) from None


def _parse_header(path: Path, header: list[str]) -> list[tuple[str, bool]]:
    """(language, is_placeholders) per data column; a placeholders column must follow its language column."""
    if not header or header[0].strip() != "Field":
        raise DataError(f"{path}: line 1, column 1: expected the header 'Field', found {header[:1]!r}")
    columns: list[tuple[str, bool]] = []
    for col, name in enumerate(header[1:], start=2):
        match = _COLUMN_RE.match(name.strip())
        if not match:
            raise DataError(
                f"{path}: line 1, column {col}: bad column name {name!r}; "
                "use an ISO 639-1 code ('de') or '<code>-placeholders'"
            )
        lang, is_ph = match.group(1), bool(match.group(2))
        if is_ph and (not columns or columns[-1] != (lang, False)):
            raise DataError(
                f"{path}: line 1, column {col}: {name!r} must directly follow a {lang!r} column"
            )
        columns.append((lang, is_ph))
    if ("en", False) not in columns:
        raise DataError(f"{path}: line 1: no 'en' column; the English column is the key of every row")
    return columns


def _split_tags(cell: str) -> frozenset[str] | None:
    """Placeholder tags, compared case-insensitively (some columns write 'A wall' or 'a chair,the chair')."""
    tags = frozenset(t.strip().lower() for t in cell.split(",") if t.strip())
    return tags or None


def _row_variants(cells: list[str], columns: list[tuple[str, bool]]) -> dict[str, tuple[Variant, ...]]:
    """Group a row's cells by language: each value cell with the placeholders cell right after it."""
    out: dict[str, list[Variant]] = defaultdict(list)
    for i, (lang, is_ph) in enumerate(columns):
        text = cells[i].strip()
        if is_ph or not text:
            continue
        has_ph = i + 1 < len(columns) and columns[i + 1] == (lang, True)
        out[lang].append(Variant(text, _split_tags(cells[i + 1]) if has_ph else None, i + 2))
    return {lang: tuple(v) for lang, v in out.items()}


class _BlockBuilder:
    def __init__(self, name: str, line: int) -> None:
        self.name, self.line, self.capability = name, line, ""
        self.contexts: list[Row] = []
        self.qas: list[tuple[Row, Row]] = []
        self.pending_question: Row | None = None
        self.args: dict[str, list[Row]] = defaultdict(list)

    def build(self, path: Path) -> TestBlock:
        if self.pending_question is not None:
            raise DataError(
                f"{path}: line {self.pending_question.line}: Question has no Answer row after it; "
                "add the Answer row directly below"
            )
        if not self.contexts or not self.qas:
            raise DataError(
                f"{path}: line {self.line}: test {self.name!r} needs at least one Context row and one "
                "Question/Answer pair"
            )
        return TestBlock(
            self.name, self.capability, self.line, tuple(self.contexts), tuple(self.qas),
            {k: tuple(v) for k, v in self.args.items()},
        )


def _add_row(path: Path, block: _BlockBuilder, kind: str, row: Row, english_cell: str) -> None:
    if kind == "Capability":
        block.capability = english_cell
        return
    if not english_cell:
        raise DataError(
            f"{path}: line {row.line}, column 2 (en): empty English cell in a {kind!r} row; every row "
            "needs its English text, which other languages' placeholders refer to"
        )
    if kind == "Context":
        block.contexts.append(row)
    elif kind == "Question":
        if block.pending_question is not None:
            raise DataError(f"{path}: line {row.line}: two Question rows in a row; add the first one's Answer")
        block.pending_question = row
    elif kind == "Answer":
        if block.pending_question is None:
            raise DataError(f"{path}: line {row.line}: Answer row without a Question row directly above it")
        block.qas.append((block.pending_question, row))
        block.pending_question = None
    else:
        if not _SLOT_NAME_RE.match(kind):
            raise DataError(
                f"{path}: line {row.line}, column 1: {kind!r} is neither Name/Capability/Context/Question/"
                "Answer nor a fill-in slot name (letters, digits, underscore)"
            )
        block.args[kind].append(row)


def load_templates(path: str | Path) -> Templates:
    """Parse the template TSV strictly: a ragged row, unknown row kind or bad header is a DataError."""
    path = Path(path)
    lines = re.split(r"\r\n|\n|\r", _decode(path))
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise DataError(f"{path}: empty file; expected the MultiCheckList template TSV")
    header = lines[0].split("\t")
    columns = _parse_header(path, header)
    tests: list[TestBlock] = []
    block: _BlockBuilder | None = None
    for lineno, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise DataError(
                f"{path}: line {lineno}: {len(cells)} tab-separated fields but the header has {len(header)}; "
                "every row needs one cell per column (use empty cells, not missing ones)"
            )
        kind = cells[0].strip()
        if not kind:
            if any(c.strip() for c in cells[1:]):
                raise DataError(f"{path}: line {lineno}, column 1: row has cells but no row kind")
            if block is not None:
                tests.append(block.build(path))
                block = None
            continue
        if kind == "Name":
            if block is not None:
                tests.append(block.build(path))
            block = _BlockBuilder(cells[1].strip(), lineno)
            continue
        if block is None:
            raise DataError(f"{path}: line {lineno}: {kind!r} row before any 'Name' row starts a test")
        row = Row(kind, cells[1].strip(), lineno, _row_variants(cells[1:], columns))
        _add_row(path, block, kind, row, cells[1].strip())
    if block is not None:
        tests.append(block.build(path))
    names = [t.name for t in tests]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DataError(f"{path}: test name(s) {duplicates} occur more than once; test names must be unique")
    langs = tuple(dict.fromkeys(lang for lang, is_ph in columns if not is_ph))
    templates = Templates(path, langs, tuple(tests))
    return Templates(path, langs, tuple(tests), tuple(_find_issues(templates)))


# ------------------------------------------------------------------------------------------------- languages


def file_column(lang: str) -> str:
    """The file's column for one of our language codes: both use ISO 639-1, so the code itself."""
    return get_language(lang).code


def available_languages(templates: Templates) -> list[str]:
    """Our languages (xlrobust.languages.LANGUAGES) that have a column in the file, sorted."""
    return sorted(code for code in LANGUAGES if file_column(code) in templates.columns)


@functools.cache
def _names(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(male, first_name) lexicons of CheckList's Editor for ``lang`` (Wikidata names; en fallback).

    The Editor is given the ISO 639-2 code ('eng'): current pycountry resolves 'en' itself to another language
    (without an alpha-2 code) and 'Swahili' to nothing, so ``Editor('en')`` as upstream calls it now fails.
    """
    import pycountry
    from checklist.editor import Editor

    record = pycountry.languages.get(alpha_2=get_language(lang).code)
    if record is None:
        raise DataError(f"language {lang!r} has no ISO 639-1 record in pycountry; CheckList has no names for it")
    lexicons = Editor(record.alpha_3).lexicons
    return tuple(lexicons["male"]), tuple(lexicons["first_name"])


# ------------------------------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class _Field:
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


def _parse_field(expr: str) -> _Field | None:
    match = _FIELD_EXPR_RE.match(expr)
    if not match:
        return None
    base, number, index, attr = match.groups()
    return _Field(expr, base + number, base, int(index) if index is not None else None, attr)


def _fields(text: str) -> list[tuple[_Field | None, str, int, int]]:
    return [(_parse_field(m.group(1)), m.group(1), m.start(), m.end()) for m in _FIELD_RE.finditer(text)]


def _slot_rows(tests: Sequence[TestBlock], index: int, slot: str) -> tuple[Row, ...] | None:
    """Rows of a fill-in slot: the test's own, else the nearest earlier test's (v2 reuses Animal's lists)."""
    for block in reversed(tests[: index + 1]):
        if slot in block.args:
            return block.args[slot]
    return None


def _english_keys(row: Row) -> frozenset[str]:
    """What a placeholder tag may use to name this row: its English text, each list element, and each
    element's last word ('sofa' for 'a sofa', as several columns write it and upstream also accepts)."""
    parts = [p for p in _LIST_SEP_RE.split(row.english) if p]
    return frozenset(k.lower() for k in [row.english, *parts, *(p.split()[-1] for p in parts)])


@dataclass
class _Spec:
    """What one test needs for one language: the slots, their rows, and the tag universe of each group."""

    block: TestBlock
    lang: str
    slots: dict[str, tuple[Row, ...]]  # every non-name slot referenced (p's parts included)
    list_slots: set[str]
    universes: dict[str, frozenset[str]]  # tag group -> English keys it recognises
    name_pool: tuple[str, ...]
    name_slots: list[str]


def _build_spec(templates: Templates, index: int, lang: str) -> _Spec:
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
    universes = {slot: frozenset().union(*(_english_keys(r) for r in rows_)) for slot, rows_ in slots.items()}
    universes[_CONTEXT_GROUP] = frozenset(r.english.lower() for t in templates.tests for r in t.contexts)
    if "property" in slots:
        universes[_PROPERTY_GROUP] = universes.pop("property")
    universes.pop("p", None)
    male, first = _names(lang)
    pool = male if block.name in GENDER_MARKING_TESTS else first
    return _Spec(block, col, slots, list_slots, universes, pool, sorted(name_slots))


def _collect_fields(
    templates: Templates, index: int, row: Row, variant: Variant,
    slots: dict[str, tuple[Row, ...]], list_slots: set[str], name_slots: set[str],
) -> None:
    """Record the slots a template uses; an unknown slot or bad field is a DataError at its cell."""
    where = f"{templates.path}: line {row.line}, column {variant.column}"
    for parsed, expr, _, _ in _fields(variant.text):
        if parsed is None:
            raise DataError(f"{where}: cannot parse the fill-in {{{expr}}}; use {{slot}}, {{slot[i]}} or {{p.v1}}")
        if parsed.base in _NAME_SLOTS:
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
            raise DataError(f"{where}: fill-in {{{expr}}} has no rows named {parsed.base!r}; add them or fix the name")
        slots[parsed.base] = rows_
        if parsed.index is not None:
            list_slots.add(parsed.base)


# ------------------------------------------------------------------------------------------------ generation


@dataclass
class _Fill:
    """One upstream 'test case': a value row per slot, names, and (properties test) the two properties."""

    rows: dict[str, Row]
    names: dict[str, str]
    props: tuple[str, str] | None = None

    def key(self) -> tuple:
        return (tuple(sorted((k, r.line) for k, r in self.rows.items())), tuple(sorted(self.names.items())),
                self.props)


def _sample_fill(spec: _Spec, rng: random.Random) -> _Fill:
    names = rng.sample(spec.name_pool, len(spec.name_slots)) if spec.name_slots else []
    rows: dict[str, Row] = {}
    props = None
    property_slots = {r.english for r in spec.slots.get("property", ())}
    for slot in sorted(spec.slots):
        if slot in ("p", "property") or slot in property_slots:
            continue
        rows[slot] = rng.choice(spec.slots[slot])
    if "p" in spec.slots:
        order = [r.english for r in spec.slots["property"]]
        i, j = sorted(rng.sample(range(len(order)), 2))  # upstream pairs properties i < j
        props = (order[i], order[j])
        rows["p.p1"], rows["p.p2"] = spec.slots["property"][i], spec.slots["property"][j]
        rows["p.v1"], rows["p.v2"] = rng.choice(spec.slots[props[0]]), rng.choice(spec.slots[props[1]])
    return _Fill(rows, dict(zip(spec.name_slots, names, strict=True)), props)


def _keys(fill: _Fill, spec: _Spec, context: Row, question_prop: str | None) -> dict[str, frozenset[str]]:
    """English keys of the fill per tag group, which placeholder tags are matched against."""
    keys = {slot: _english_keys(row) for slot, row in fill.rows.items() if "." not in slot}
    keys[_CONTEXT_GROUP] = frozenset({context.english.lower()})
    if fill.props is not None:
        keys[_PROPERTY_GROUP] = frozenset(p.lower() for p in ([question_prop] if question_prop else fill.props))
        keys[fill.props[0]] = _english_keys(fill.rows["p.v1"])
        keys[fill.props[1]] = _english_keys(fill.rows["p.v2"])
    return keys


def _compatible(variant: Variant, keys: Mapping[str, frozenset[str]], spec: _Spec, own: str | None) -> bool:
    """Every group the variant's tags mention (other than its own slot) must contain the fill's value."""
    if variant.tags is None:
        return True
    for group, universe in spec.universes.items():
        mentioned = variant.tags & universe
        if group != own and mentioned and group in keys and not (mentioned & keys[group]):
            return False
    return True


def _choose(row: Row, keys: Mapping[str, frozenset[str]], spec: _Spec, own: str | None) -> str | None:
    """The first of the row's variants in this language that fits the fill."""
    for variant in row.variants.get(spec.lang, ()):
        if _compatible(variant, keys, spec, own):
            return variant.text
    return None


def _value(field: _Field, fill: _Fill, keys: Mapping[str, frozenset[str]], spec: _Spec) -> str | None:
    if field.base in _NAME_SLOTS:
        return fill.names[field.slot]
    if field.base == "p":
        slot = f"p.{field.attr}"
        own = _PROPERTY_GROUP if field.attr in ("p1", "p2") else fill.props[int(field.attr[-1]) - 1]
    else:
        slot = own = field.base
    text = _choose(fill.rows[slot], keys, spec, own)
    if text is None or field.index is None:
        return text
    parts = [p for p in _LIST_SEP_RE.split(text) if p]
    return parts[field.index] if field.index < len(parts) else None


_Span = tuple[str, str, int, int]  # (field without option, slot id, start, end)


def _render(template: str, fill: _Fill, keys: Mapping[str, frozenset[str]], spec: _Spec):
    """Fill a template, recording where each fill-in went; None when a fill-in has no form for this fill."""
    out: list[str] = []
    spans: list[_Span] = []
    pos = length = 0
    for parsed, _, start, end in _fields(template):
        value = _value(parsed, fill, keys, spec) if parsed else None
        if value is None:
            return None
        out.append(template[pos:start])
        length += start - pos
        spans.append((parsed.norm, parsed.slot_id, length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = end
    out.append(template[pos:])
    return "".join(out), spans


def _answer_start(answer_tpl: str, answer: str, context: str, spans: list[_Span]) -> int | None:
    """Where the answer is in the context: where its fill-in was written, else an occurrence that covers
    such a position, else its only occurrence."""
    fields = [p.norm for p, _, _, _ in _fields(answer_tpl) if p]
    if len(fields) == 1 and _FIELD_RE.fullmatch(answer_tpl.strip()):
        for expr, _, start, end in spans:
            if expr == fields[0] and context[start:end] == answer:
                return start
    hits = [m.start() for m in re.finditer(re.escape(answer), context)] if answer else []
    anchored = [h for h in hits if any(e in fields and h <= s < h + len(answer) for e, _, s, _ in spans)]
    if anchored:
        return anchored[0]
    return hits[0] if len(hits) == 1 else None


def _question_prop(answer_tpl: str, fill: _Fill) -> str | None:
    """The property a properties-test question asks about: that of the p.vK its answer names."""
    if fill.props is None:
        return None
    for parsed, _, _, _ in _fields(answer_tpl):
        if parsed and parsed.base == "p" and parsed.attr in ("v1", "v2"):
            return fill.props[int(parsed.attr[-1]) - 1]
    return None


def _asks_wrong_property(question: str, answer_tpl: str) -> bool:
    """A question naming p.p1 whose answer is p.v2 (or vice versa) would have the wrong gold answer."""
    def numbers(text: str, attrs: tuple[str, str]) -> set[str]:
        return {p.attr[-1] for p, _, _, _ in _fields(text) if p and p.base == "p" and p.attr in attrs}

    asked, answered = numbers(question, ("p1", "p2")), numbers(answer_tpl, ("v1", "v2"))
    return bool(asked and answered and asked != answered)


def _question(row: Row, keys: Mapping[str, frozenset[str]], spec: _Spec, answer_tpl: str) -> str | None:
    for variant in row.variants.get(spec.lang, ()):
        if _compatible(variant, keys, spec, None) and not _asks_wrong_property(variant.text, answer_tpl):
            return variant.text
    return None


def _distinct_slots(context: str, spans: list[_Span]) -> bool:
    """Upstream's remove_duplicates: two different fill-ins written the same way make the test ambiguous."""
    surface: dict[str, set[str]] = defaultdict(set)
    for _, slot, start, end in spans:
        surface[context[start:end]].add(slot)
    return all(len(slots) == 1 for slots in surface.values())


def _fill_examples(spec: _Spec, fill: _Fill) -> list[tuple[str, str, str, int]]:
    """(context, question, answer, start) for every usable context x question of a fill; [] if the fill is
    unusable (a question without a fitting form, an ambiguous or unlocatable answer)."""
    out = []
    questions = [(q, a.variants[spec.lang][0].text) for q, a in spec.block.qas
                 if q.variants.get(spec.lang) and a.variants.get(spec.lang)]
    for context_row in spec.block.contexts:
        base_keys = _keys(fill, spec, context_row, None)
        context_tpl = _choose(context_row, base_keys, spec, _CONTEXT_GROUP)
        if context_tpl is None:
            continue  # this context's translations are for other fill-ins (upstream selects contexts likewise)
        rendered = _render(context_tpl, fill, base_keys, spec)
        if rendered is None or not _distinct_slots(*rendered):
            return []
        context, spans = rendered
        for question_row, answer_tpl in questions:
            keys = _keys(fill, spec, context_row, _question_prop(answer_tpl, fill))
            question_tpl = _question(question_row, keys, spec, answer_tpl)
            question = _render(question_tpl, fill, keys, spec) if question_tpl else None
            answer = _render(answer_tpl, fill, base_keys, spec)
            start = _answer_start(answer_tpl, answer[0], context, spans) if question and answer else None
            if start is None:
                return []
            out.append((context, question[0], answer[0], start))
    return out


def generate_cases(templates: Templates, lang: str, *, n_per_test: int, seed: int) -> list[dict]:
    """QA examples of every test for ``lang``: ``n_per_test`` distinct fills per test (upstream's
    ``num_test_samples`` test cases), each expanded into all its context x question pairs.

    Each example is the internal QA format plus ``test`` (the test's short name from upstream's
    ``test_models.py``, see :data:`TEST_SHORT_NAMES`) and ``group`` (its fill, i.e. the upstream test case it
    belongs to). Deterministic in (file, lang, n_per_test, seed). A test for which fewer
    distinct valid fills exist yields all there are; one with none is a DataError.
    """
    if n_per_test < 1:
        raise DataError(f"generate_cases: n_per_test must be at least 1, got {n_per_test}")
    col = file_column(lang)
    if col not in templates.columns:
        raise DataError(
            f"{templates.path}: no column {col!r} for language {lang!r}; available: "
            f"{', '.join(available_languages(templates)) or 'none of ours'}"
        )
    cases: list[dict] = []
    for index, block in enumerate(templates.tests):
        spec = _build_spec(templates, index, lang)
        rng = random.Random(f"multichecklist:{seed}:{lang}:{block.name}")
        seen: set[tuple] = set()
        groups = 0
        for _ in range(40 * n_per_test + 200):
            if groups == n_per_test:
                break
            fill = _sample_fill(spec, rng)
            if fill.key() in seen:
                continue
            seen.add(fill.key())
            examples = _fill_examples(spec, fill)
            if not examples:
                continue
            for k, (context, question, answer, start) in enumerate(examples):
                cases.append({
                    "id": f"mcl-{lang}-{block.short_name}-{groups:04d}-{k:02d}",
                    "question": question,
                    "context": context,
                    "answers": [{"text": answer, "answer_start": start}],
                    "test": block.short_name,
                    "group": groups,
                })
            groups += 1
        if groups == 0:
            raise DataError(
                f"{templates.path}: line {block.line}: test {block.name!r} yields no valid test case for "
                f"{lang!r} (its translations or placeholders do not fit together); fix the {col!r} column"
            )
    return cases


# ---------------------------------------------------------------------------------------------------- scoring


def failure_rates(
    cases: Sequence[dict], predictions: Sequence[str], lang: str, *, normalization: str = "squad"
) -> dict[str, dict[str, float | int]]:
    """Per test: ``n``, ``failures``, ``failure_rate`` over QA examples (a prediction fails when its exact
    match against every gold answer is 0 after ``normalization``), plus upstream's per-test-case view:
    ``n_groups``, ``group_failures``, ``group_failure_rate`` (a fill fails when any of its examples fails, as
    CheckList's MFT aggregates in XTREME-R's ``test_models.py``)."""
    get_language(lang)
    if normalization not in QA_NORMALIZATIONS:
        raise DataError(f"failure_rates: unknown normalization {normalization!r}; use one of {QA_NORMALIZATIONS}")
    if len(cases) != len(predictions):
        raise DataError(
            f"failure_rates: {len(predictions)} predictions for {len(cases)} cases; they must align one to one"
        )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    group_failed: dict[str, dict[object, bool]] = defaultdict(dict)
    for i, (case, prediction) in enumerate(zip(cases, predictions, strict=True)):
        if not isinstance(prediction, str):
            raise DataError(f"failure_rates: prediction {i} is {type(prediction).__name__}, expected a string")
        try:
            test, golds = case["test"], [a["text"] for a in case["answers"]]
        except (KeyError, TypeError):
            raise DataError(
                f"failure_rates: case {i} (id {case.get('id') if isinstance(case, dict) else None!r}) lacks "
                "'test' or 'answers'; pass the cases generate_cases returned"
            ) from None
        failed = qa_example_scores(prediction, golds, normalization, lang)[1] == 0.0
        totals[test][0] += 1
        totals[test][1] += failed
        group = case.get("group", case.get("id", i))
        group_failed[test][group] = group_failed[test].get(group, False) or failed
    out: dict[str, dict[str, float | int]] = {}
    for test in sorted(totals):
        n, failures = totals[test]
        groups = group_failed[test]
        n_groups, group_failures = len(groups), sum(groups.values())
        out[test] = {
            "n": n, "failures": failures, "failure_rate": failures / n,
            "n_groups": n_groups, "group_failures": group_failures, "group_failure_rate": group_failures / n_groups,
        }
    return out


# ----------------------------------------------------------------------------------------------------- issues


def _find_issues(templates: Templates) -> Iterable[str]:
    """Oddities that do not stop loading: placeholder tags that name no English value, which are ignored."""
    known = {r.english.lower() for t in templates.tests for r in t.contexts}
    for test in templates.tests:
        for rows in test.args.values():
            for row in rows:
                known |= _english_keys(row)
    for test in templates.tests:
        rows = [*test.contexts, *(r for qa in test.qas for r in qa), *(r for v in test.args.values() for r in v)]
        for row in rows:
            for lang, variants in row.variants.items():
                for variant in variants:
                    unknown = sorted((variant.tags or frozenset()) - known)
                    if unknown:
                        yield (f"line {row.line}, column {variant.column} ({lang}): placeholder tag(s) {unknown} "
                               "name no English value in the file; ignored")
