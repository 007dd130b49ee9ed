"""JSONL source: <path>/<task>/<split>-<lang>.jsonl in exactly the internal formats (tests/fixtures/sources/jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlrobust.errors import DataError
from xlrobust.io import write_jsonl
from xlrobust.sources import load_split

JSONL = Path(__file__).parent / "fixtures" / "sources" / "jsonl"


def test_xnli_jsonl() -> None:
    data = load_split("jsonl", "xnli", "es", "dev", path=str(JSONL))
    assert data is not None and data.labelled and data.read == 3
    assert [ex["label"] for ex in data.examples] == ["entailment", "neutral", "contradiction"]
    assert data.origin == str(JSONL / "xnli" / "dev-es.jsonl")


def test_unlabelled_jsonl_leaves_labels_out() -> None:
    data = load_split("jsonl", "xnli", "es", "test", path=str(JSONL))
    assert data is not None and not data.labelled and all(ex["label"] is None for ex in data.examples)


def test_panx_and_tydiqa_jsonl() -> None:
    ner = load_split("jsonl", "panx", "es", "dev", path=str(JSONL))
    assert ner is not None and ner.examples[0]["tags"][:3] == ["B-PER", "I-PER", "I-PER"]
    qa = load_split("jsonl", "tydiqa", "fi", "dev", path=str(JSONL))
    assert qa is not None and qa.labelled
    for ex in qa.examples:
        for ans in ex["answers"]:
            assert ex["context"][ans["answer_start"] : ans["answer_start"] + len(ans["text"])] == ans["text"]


def test_missing_file_is_none_missing_task_folder_is_error(tmp_path: Path) -> None:
    assert load_split("jsonl", "xnli", "sw", "dev", path=str(JSONL)) is None
    with pytest.raises(DataError, match=r"xnli: folder not found; the jsonl source expects"):
        load_split("jsonl", "xnli", "sw", "dev", path=str(tmp_path))


def test_round_trip_through_write_jsonl(tmp_path: Path) -> None:
    """What a stage writes with xlrobust.io.write_jsonl reads back unchanged."""
    rows = [
        json.loads(line)
        for line in (JSONL / "panx" / "dev-es.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    write_jsonl(tmp_path / "panx" / "dev-es.jsonl", rows)
    data = load_split("jsonl", "panx", "es", "dev", path=str(tmp_path))
    assert data is not None and data.examples == rows


def test_mixed_labelled_and_unlabelled_lines_is_error(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "xnli" / "dev-es.jsonl",
        [
            {"id": "a", "premise": "p", "hypothesis": "h", "label": "neutral"},
            {"id": "b", "premise": "p", "hypothesis": "h"},
        ],
    )
    with pytest.raises(
        DataError,
        match=r"dev-es.jsonl: line 2: field 'label' is missing or empty while line 1 "
        r"has one",
    ):
        load_split("jsonl", "xnli", "es", "dev", path=str(tmp_path))
