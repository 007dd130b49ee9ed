"""Read the project's own JSONL layout: exactly the internal example formats, one JSON object per line.

Layout: ``<path>/<task>/<split>-<lang>.jsonl`` with task ``xnli``, ``panx`` or ``tydiqa``, split ``train``,
``dev`` or ``test`` and an ISO 639-1 language code, e.g. ``data/real/panx/dev-sw.jsonl``. A missing file means
the source has no such split (``load_split`` returns None); a missing ``<path>/<task>/`` folder is an error.
Files are UTF-8; blank lines are ignored; every other line is one record with exactly these fields:

* ``xnli``: ``{"id": str, "premise": str, "hypothesis": str, "label": "entailment"|"neutral"|"contradiction"}``
* ``panx``: ``{"id": str, "tokens": [str, ...], "tags": [str, ...]}`` with one tag per token, BIO over PER,
  ORG, LOC (``O``, ``B-PER``, ``I-PER``, ``B-ORG``, ``I-ORG``, ``B-LOC``, ``I-LOC``); an ``I-X`` tag follows
  ``B-X`` or ``I-X``.
* ``tydiqa``: ``{"id": str, "question": str, "context": str, "answers": [{"text": str, "answer_start": int},
  ...]}`` with at least one answer and ``context[answer_start:answer_start + len(text)] == text`` (offsets in
  Unicode code points, as Python indexes strings).

Ids are unique within a file; for parallel data the same item has the same id in every language. An unlabelled
file (to predict on, never to score) leaves out ``label`` / ``tags`` / ``answers`` (or sets them to null) on
every line. Example lines::

    {"id": "dev-000000", "premise": "He said hi.", "hypothesis": "He spoke.", "label": "entailment"}
    {"id": "sw-dev-000000", "tokens": ["Khartoum", ",", "Sudan"], "tags": ["B-LOC", "O", "B-LOC"]}
    {"id": "q1", "question": "Who?", "context": "Ana came.", "answers": [{"text": "Ana", "answer_start": 0}]}
"""

from __future__ import annotations

import json
from pathlib import Path

from xlrobust.errors import DataError
from xlrobust.sources.validate import RecordFormat, SplitData, decode_utf8, finish_split


def split_path(root: str | Path, task: str, lang: str, split: str) -> Path:
    """Where the JSONL source keeps one (task, language, split)."""
    return Path(root) / task / f"{split}-{lang}.jsonl"


def _records(path: Path, fmt: RecordFormat) -> tuple[list[dict], list[str]]:
    text = decode_utf8(path.read_bytes(), str(path))
    examples: list[dict] = []
    locations: list[str] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(f"{path}: line {lineno}: malformed JSON at column {e.colno} ({e.msg})") from None
        except (RecursionError, ValueError) as e:  # nested too deeply, integers over Python's digit limit
            reason = "nested too deeply" if isinstance(e, RecursionError) else str(e)
            raise DataError(f"{path}: line {lineno}: unreadable JSON ({reason})") from None
        if not isinstance(row, dict):
            raise DataError(f"{path}: line {lineno}: expected a JSON object, got {type(row).__name__}")
        if row.get(fmt.label_field) is None:
            row[fmt.label_field] = fmt.absent_label()
        examples.append(row)
        locations.append(f"line {lineno}")
    return examples, locations


def load(fmt: RecordFormat, task: str, lang: str, split: str, path: str | None) -> SplitData | None:
    """Load ``<path>/<task>/<split>-<lang>.jsonl`` (records in format ``fmt``); None when the file does not exist."""
    if path is None:
        raise DataError(
            "data.source jsonl needs data.path: the folder holding <task>/<split>-<lang>.jsonl files"
        )
    task_dir = Path(path) / task
    if not task_dir.is_dir():
        raise DataError(
            f"{task_dir}: folder not found; the jsonl source expects <path>/{task}/<split>-<lang>.jsonl"
        )
    file = split_path(path, task, lang, split)
    if not file.is_file():
        return None
    examples, locations = _records(file, fmt)
    return finish_split(fmt, split, examples, locations, str(file))
