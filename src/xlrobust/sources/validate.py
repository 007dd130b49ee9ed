"""Validation of loaded examples, shared by every source: bad data fails here, before any compute.

Policy (errors are errors): every problem in a record raises :class:`DataError` naming the file (or hub
split), the line / row / JSON path, and the field. The only records ever dropped are those of a *train* split
whose text is empty (empty premise or hypothesis, no tokens, empty question or context): machine-translated or
crowd-sourced training sets of hundreds of thousands of rows can hold a few degenerate records, and one of them
must not make a whole training language unusable. Drops are counted in ``SplitData.dropped`` and logged with
their locations. Evaluation splits (dev, test) never drop anything: an empty text there is an error, because
scores must be computed on the complete, published split.

Unlabelled splits (XTREME ships its test files without labels) keep their texts and carry ``label: None``
(NLI), ``tags: None`` (NER) or ``answers: []`` (QA); ``SplitData.labelled`` is then False, and a split must be
wholly labelled or wholly unlabelled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlrobust.errors import DataError
from xlrobust.examples import NER_TAGS, NLI_LABELS

log = logging.getLogger("xlrobust.sources")

SPLITS: tuple[str, ...] = ("train", "dev", "test")


@dataclass(frozen=True)
class RecordFormat:
    """What every source needs to know about one task's records; each task spec (``xlrobust.tasks``) names its
    format (:data:`NLI_RECORD`, :data:`NER_RECORD`, :data:`QA_RECORD` below, or a new one)."""

    name: str  # the task name, for messages ("a xnli record has ...")
    fields: tuple[str, ...]  # exactly these fields, id first
    text_fields: tuple[str, ...]  # an empty one drops a train record (see the module docstring)
    label_field: str
    list_label: bool  # an unlabelled record's label is [] (QA answers) rather than None
    check: Callable[[dict, str, str, bool], None]  # (example, origin, location, labelled) -> raises DataError

    def has_label(self, ex: dict) -> bool:
        value = ex.get(self.label_field)
        return bool(value) if self.list_label else value is not None

    def absent_label(self) -> Any:
        """The value an unlabelled record carries in its label field."""
        return [] if self.list_label else None


@dataclass
class SplitData:
    """One loaded, validated (task, language, split)."""

    examples: list[dict]  # internal format, validated
    labelled: bool  # False for XTREME test files that ship without labels
    origin: str  # file path or hub id@revision/config/split, for messages and the coverage table
    read: int  # records read
    dropped: int  # records dropped (train splits with empty text only; see the module docstring)
    note: str = ""  # provenance caveat for the coverage table, e.g. "machine-translated MNLI"
    repaired: int = (
        0  # answer offsets moved onto their text (the hub TyDiQA strip shift; xlrobust.sources.hub)
    )
    dataset: str = ""  # set where a loader reads another dataset than the task's own (SQuAD, XQuAD, MLQA)
    provenance: str = ""  # with it: native | human-translated | machine-translated | mixed (see prepare)


def check_task_split(task: str, split: str) -> None:
    """Reject an unknown task or split name with the accepted values."""
    record_format(task)
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r} for task {task}; expected one of {', '.join(SPLITS)}")


def decode_utf8(data: bytes, origin: str) -> str:
    """Decode ``data`` as UTF-8 (a leading BOM is dropped); name the line and byte of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        line_start = data.rfind(b"\n", 0, e.start) + 1
        raise DataError(
            f"{origin}: line {line}: not valid UTF-8 (byte 0x{data[e.start]:02x} at byte {e.start - line_start + 1}"
            f" of the line, offset {e.start} in the file); re-save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def read_utf8(path: str | Path) -> str:
    """Read a whole file as UTF-8 text, as :class:`DataError` when missing or mis-encoded."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    return decode_utf8(path.read_bytes(), str(path))


def labelled_state(
    fmt: RecordFormat, examples: Sequence[dict], locations: Sequence[str], origin: str
) -> bool:
    """True when every example carries its label, False when none does; a mix is an error."""
    flags = [fmt.has_label(ex) for ex in examples]
    if all(flags):
        return True
    if not any(flags):
        return False
    field = fmt.label_field
    first_missing = flags.index(False)
    first_present = flags.index(True)
    raise DataError(
        f"{origin}: {locations[first_missing]}: field '{field}' is missing or empty while "
        f"{locations[first_present]} has one; a split must be wholly labelled or wholly unlabelled"
    )


def _is_empty_text(fmt: RecordFormat, ex: dict) -> str | None:
    """The name of the first text field of ``ex`` that is empty, or None."""
    for field in fmt.text_fields:
        value = ex.get(field)
        if isinstance(value, str) and not value.strip():
            return field
        if isinstance(value, list) and not value:
            return field
    return None


def drop_empty_train(
    fmt: RecordFormat, examples: list[dict], locations: list[str], origin: str
) -> tuple[list[dict], list[str], int]:
    """Drop train records with an empty text field (the one documented drop); log how many and where."""
    kept: list[dict] = []
    kept_locations: list[str] = []
    dropped: list[str] = []
    for ex, loc in zip(examples, locations, strict=True):
        field = _is_empty_text(fmt, ex)
        if field is None:
            kept.append(ex)
            kept_locations.append(loc)
        else:
            dropped.append(f"{loc} ({field})")
    if dropped:
        shown = ", ".join(dropped[:5]) + (" ..." if len(dropped) > 5 else "")
        log.warning("%s: dropped %d train record(s) with empty text: %s", origin, len(dropped), shown)
    return kept, kept_locations, len(dropped)


def _fail(origin: str, loc: str, field: str, problem: str) -> DataError:
    return DataError(f"{origin}: {loc}: field '{field}': {problem}")


def _check_str(ex: dict, field: str, origin: str, loc: str) -> None:
    value = ex.get(field)
    if not isinstance(value, str):
        raise _fail(origin, loc, field, f"expected a string, got {type(value).__name__}")
    if not value.strip():
        raise _fail(origin, loc, field, "empty text; fill it in or remove the record")
    _check_unicode(value, field, origin, loc)


def _check_unicode(value: str, field: str, origin: str, loc: str) -> None:
    """Unpaired surrogates (from an escaped ``\\ud800`` in JSON) are not text: catch them at the input line."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _fail(
            origin, loc, field, f"invalid Unicode (unpaired surrogate at character {e.start})"
        ) from None


def _check_nli(ex: dict, origin: str, loc: str, labelled: bool) -> None:
    _check_str(ex, "premise", origin, loc)
    _check_str(ex, "hypothesis", origin, loc)
    label = ex.get("label")
    if not labelled:
        if label is not None:
            raise _fail(origin, loc, "label", f"{label!r} in a split read as unlabelled")
        return
    if label not in NLI_LABELS:
        raise _fail(origin, loc, "label", f"unknown label {label!r}; expected one of {', '.join(NLI_LABELS)}")


def _check_bio(tags: list[str], tokens: list[str], origin: str, loc: str) -> None:
    prev = "O"
    for k, tag in enumerate(tags):
        if tag not in NER_TAGS:
            raise _fail(
                origin,
                loc,
                "tags",
                f"token {k} ({tokens[k]!r}): unknown tag {tag!r}; expected one of {', '.join(NER_TAGS)}",
            )
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            raise _fail(
                origin,
                loc,
                "tags",
                f"token {k} ({tokens[k]!r}): BIO inconsistency, {tag!r} follows "
                f"{prev!r} (an I-X tag must follow B-X or I-X)",
            )
        prev = tag


def _check_ner(ex: dict, origin: str, loc: str, labelled: bool) -> None:
    tokens = ex.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        raise _fail(origin, loc, "tokens", "expected a non-empty list of strings")
    for k, tok in enumerate(tokens):
        if not isinstance(tok, str) or not tok.strip():
            raise _fail(origin, loc, "tokens", f"token {k} is {tok!r}; every token must be non-empty text")
        _check_unicode(tok, "tokens", origin, loc)
    tags = ex.get("tags")
    if not labelled:
        if tags is not None:
            raise _fail(origin, loc, "tags", "tags present in a split read as unlabelled")
        return
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _fail(origin, loc, "tags", "expected a list of tag strings")
    if len(tags) != len(tokens):
        raise _fail(
            origin, loc, "tags", f"{len(tags)} tags for {len(tokens)} tokens; they must be the same length"
        )
    _check_bio(tags, tokens, origin, loc)


def _check_answer(ans: Any, context: str, origin: str, loc: str, j: int) -> None:
    field = f"answers[{j}]"
    if not isinstance(ans, dict) or set(ans) != {"text", "answer_start"}:
        raise _fail(origin, loc, field, "expected an object with exactly 'text' and 'answer_start'")
    text, start = ans["text"], ans["answer_start"]
    if not isinstance(text, str) or not text:
        raise _fail(origin, loc, f"{field}.text", "empty answer text in a labelled split")
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise _fail(origin, loc, f"{field}.answer_start", f"expected a character offset >= 0, got {start!r}")
    found = context[start : start + len(text)]
    if found != text:
        hint = f"; the text occurs at offset {context.find(text)}" if text in context else ""
        raise _fail(
            origin,
            loc,
            f"{field}.answer_start",
            f"context[{start}:{start + len(text)}] is {found!r}, not the answer text {text!r}{hint}",
        )


def _check_qa(ex: dict, origin: str, loc: str, labelled: bool) -> None:
    _check_str(ex, "question", origin, loc)
    _check_str(ex, "context", origin, loc)
    answers = ex.get("answers")
    if not isinstance(answers, list):
        raise _fail(origin, loc, "answers", f"expected a list, got {type(answers).__name__}")
    if not labelled:
        if answers:
            raise _fail(origin, loc, "answers", "answers present in a split read as unlabelled")
        return
    if not answers:
        raise _fail(origin, loc, "answers", "no answer in a labelled split")
    for j, ans in enumerate(answers):
        _check_answer(ans, ex["context"], origin, loc, j)


NLI_RECORD = RecordFormat(
    "xnli", ("id", "premise", "hypothesis", "label"), ("premise", "hypothesis"), "label", False, _check_nli
)
NER_RECORD = RecordFormat("panx", ("id", "tokens", "tags"), ("tokens",), "tags", False, _check_ner)
QA_RECORD = RecordFormat(
    "tydiqa", ("id", "question", "context", "answers"), ("question", "context"), "answers", True, _check_qa
)


def record_format(task: str) -> RecordFormat:
    """The record format the task spec ``task`` declares; an unknown task is a DataError."""
    from xlrobust.tasks import REGISTRY  # at call time: the task specs import this package's loaders

    if task not in REGISTRY:
        raise DataError(f"unknown task {task!r}; expected one of {', '.join(REGISTRY)}")
    return REGISTRY[task].record


def validate_examples(
    task: str | RecordFormat,
    examples: list[dict],
    origin: str,
    *,
    labelled: bool = True,
    locations: Sequence[str] | None = None,
) -> None:
    """Check ``examples`` against the internal format of ``task``; the first problem raises a DataError.

    ``locations`` names each record for messages ("line 12", "row 3", "data[0].paragraphs[0].qas[2]");
    by default records are named "record N" (1-based).
    """
    fmt = task if isinstance(task, RecordFormat) else record_format(task)
    locs = list(locations) if locations is not None else [f"record {i + 1}" for i in range(len(examples))]
    if len(locs) != len(examples):
        raise ValueError("locations must name every example")
    expected = fmt.fields
    seen: dict[str, str] = {}
    for ex, loc in zip(examples, locs, strict=True):
        if not isinstance(ex, dict):
            raise DataError(f"{origin}: {loc}: expected an object, got {type(ex).__name__}")
        missing = [f for f in expected if f not in ex]
        if missing:
            raise _fail(origin, loc, missing[0], f"missing (a {fmt.name} record has {', '.join(expected)})")
        extra = sorted(set(ex) - set(expected))
        if extra:
            raise _fail(
                origin, loc, extra[0], f"unknown field (a {fmt.name} record has {', '.join(expected)})"
            )
        ex_id = ex["id"]
        if not isinstance(ex_id, str) or not ex_id:
            raise _fail(origin, loc, "id", f"expected a non-empty string, got {ex_id!r}")
        if ex_id in seen:
            raise _fail(
                origin,
                loc,
                "id",
                f"duplicate id {ex_id!r} (first at {seen[ex_id]}); ids must be unique within a split",
            )
        seen[ex_id] = loc
        fmt.check(ex, origin, loc, labelled)


def finish_split(
    fmt: RecordFormat,
    split: str,
    examples: list[dict],
    locations: list[str],
    origin: str,
    *,
    note: str = "",
    repaired: int = 0,
    dataset: str = "",
    provenance: str = "",
) -> SplitData:
    """Apply the drop policy, decide labelled-ness, validate, log counts: the last step of every loader."""
    read = len(examples)
    dropped = 0
    if split == "train":
        examples, locations, dropped = drop_empty_train(fmt, examples, locations, origin)
    if not examples:
        raise DataError(f"{origin}: no records ({read} read, {dropped} dropped); the file or split is empty")
    labelled = labelled_state(fmt, examples, locations, origin)
    validate_examples(fmt, examples, origin, labelled=labelled, locations=locations)
    log.info(
        "%s: %d read, %d dropped, %d kept (%s)",
        origin,
        read,
        dropped,
        len(examples),
        "labelled" if labelled else "UNLABELLED",
    )
    return SplitData(
        examples=examples,
        labelled=labelled,
        origin=origin,
        read=read,
        dropped=dropped,
        note=note,
        repaired=repaired,
        dataset=dataset,
        provenance=provenance,
    )
