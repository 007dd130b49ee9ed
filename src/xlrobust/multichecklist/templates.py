"""MultiCheckList template file: its data model and a strict parser of ``checklist_templates.tsv``.

See :mod:`xlrobust.multichecklist` for the file's layout and how its placeholders are resolved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xlrobust.errors import DataError

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
LIST_SEP_RE = re.compile(r"\s*[,،，]\s*")  # upstream splits on ', ' (and '،' for ar/fa/ur, '，' for zh)


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
            raise DataError(f"{path}: line 1, column {col}: {name!r} must directly follow a {lang!r} column")
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
            self.name,
            self.capability,
            self.line,
            tuple(self.contexts),
            tuple(self.qas),
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
            raise DataError(
                f"{path}: line {row.line}: two Question rows in a row; add the first one's Answer"
            )
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


# -------------------------------------------------------------------------------------------------- english keys


def english_keys(row: Row) -> frozenset[str]:
    """What a placeholder tag may use to name this row: its English text, each list element, and each
    element's last word ('sofa' for 'a sofa', as several columns write it and upstream also accepts)."""
    parts = [p for p in LIST_SEP_RE.split(row.english) if p]
    return frozenset(k.lower() for k in [row.english, *parts, *(p.split()[-1] for p in parts)])


# ----------------------------------------------------------------------------------------------------- issues


def _find_issues(templates: Templates) -> Iterable[str]:
    """Oddities that do not stop loading: placeholder tags that name no English value, which are ignored."""
    known = {r.english.lower() for t in templates.tests for r in t.contexts}
    for test in templates.tests:
        for rows in test.args.values():
            for row in rows:
                known |= english_keys(row)
    for test in templates.tests:
        rows = [
            *test.contexts,
            *(r for qa in test.qas for r in qa),
            *(r for v in test.args.values() for r in v),
        ]
        for row in rows:
            for lang, variants in row.variants.items():
                for variant in variants:
                    unknown = sorted((variant.tags or frozenset()) - known)
                    if unknown:
                        yield (
                            f"line {row.line}, column {variant.column} ({lang}): placeholder tag(s) {unknown} "
                            "name no English value in the file; ignored"
                        )
