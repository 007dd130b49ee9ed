"""XTREME download/ folder reader on fixtures written in the exact XTREME formats (tests/fixtures/sources/xtreme)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlrobust.errors import DataError
from xlrobust.sources import coverage_markdown, coverage_rows, load_split

XTREME = Path(__file__).parent / "fixtures" / "sources" / "xtreme"


def load(task: str, lang: str, split: str, root: Path = XTREME):
    return load_split("xtreme", task, lang, split, path=str(root))


def test_xnli_train_reads_csv_quoting_and_crlf() -> None:
    data = load("xnli", "en", "train")
    assert data is not None and data.labelled and data.read == 4
    assert data.examples[1] == {
        "id": "train-000001",
        "premise": 'She called it "the best day of the year".',
        "hypothesis": "She liked the day.",
        "label": "entailment",
    }
    assert data.examples[3]["label"] == "contradiction"


def test_xnli_dev_ids_align_across_languages() -> None:
    en, sw = load("xnli", "en", "dev"), load("xnli", "sw", "dev")
    assert en is not None and sw is not None
    assert (
        [e["id"] for e in en.examples]
        == [e["id"] for e in sw.examples]
        == ["dev-000000", "dev-000001", "dev-000002"]
    )
    assert [e["label"] for e in en.examples] == [e["label"] for e in sw.examples]


def test_xnli_test_without_labels_is_unlabelled() -> None:
    data = load("xnli", "sw", "test")
    assert data is not None and not data.labelled and len(data.examples) == 2
    assert all(ex["label"] is None for ex in data.examples)


def test_xnli_absent_splits() -> None:
    assert load("xnli", "sw", "train") is None  # XTREME ships English MNLI train only
    assert load("xnli", "bn", "dev") is None  # XNLI has no Bengali
    assert load("xnli", "en", "test") is None  # file not in the folder: absent, shown in the coverage table


def test_wrong_folder_is_an_error_naming_the_path(tmp_path) -> None:
    with pytest.raises(DataError, match=r"xnli/dev-en.tsv: file not found .*download_data.sh"):
        load_split("xtreme", "xnli", "en", "dev", path=str(tmp_path))


def test_panx_sentences_and_colon_tokens() -> None:
    data = load("panx", "sw", "dev")
    assert data is not None and data.labelled and data.read == 3
    assert data.examples[1] == {
        "id": "sw-dev-000001",
        "tokens": ["Benki", "Kuu", "ya", "Tanzania"],
        "tags": ["B-ORG", "I-ORG", "I-ORG", "I-ORG"],
    }
    assert data.examples[2]["tokens"] == ["217:", "Juma"]  # a ':' inside a token is not a language prefix


def test_panx_test_without_tags_is_unlabelled() -> None:
    data = load("panx", "sw", "test")
    assert data is not None and not data.labelled
    assert data.examples[0] == {"id": "sw-test-000000", "tokens": ["Mombasa", "ni", "mji"], "tags": None}


def test_panx_raw_wikiann_prefix_removed() -> None:
    data = load("panx", "sw", "train")
    assert data is not None and data.examples[0]["tokens"] == ["Dodoma", "ni", "mji", "mkuu"]
    assert "prefix" in data.note


def test_tydiqa_train_prefers_full_ids_from_the_original_file() -> None:
    data = load("tydiqa", "sw", "train")
    assert data is not None and data.labelled
    assert [ex["id"] for ex in data.examples] == ["swahili-1234567890-0", "swahili--987654321-1"]
    assert data.origin.endswith("tydiqa-goldp-v1.1-train.json")


def test_tydiqa_train_per_language_fallback_renumbers_cut_ids(tmp_path: Path) -> None:
    root = tmp_path / "download"
    shutil.copytree(XTREME, root)
    (root / "tydiqa" / "tydiqa-goldp-v1.1-train" / "tydiqa-goldp-v1.1-train.json").unlink()
    data = load("tydiqa", "sw", "train", root)
    assert data is not None and [ex["id"] for ex in data.examples] == ["sw-train-000000", "sw-train-000001"]
    assert data.examples[1]["answers"] == [{"text": "Tanzania", "answer_start": 22}]


def test_tydiqa_dev_with_answers_removed_by_xtreme_is_unlabelled() -> None:
    data = load("tydiqa", "sw", "dev")
    assert data is not None and not data.labelled and len(data.examples) == 2
    assert all(ex["answers"] == [] for ex in data.examples)
    assert "removed by XTREME" in data.note


def test_tydiqa_official_dev_file_is_preferred() -> None:
    data = load("tydiqa", "en", "dev")
    assert data is not None and data.labelled
    assert data.origin.endswith("tydiqa-goldp-dev-english.json")
    assert data.examples[0]["answers"][1] == {"text": "8,849", "answer_start": 18}


def test_tydiqa_no_test_split() -> None:
    assert load("tydiqa", "sw", "test") is None
    assert load("tydiqa", "es", "dev") is None


def test_missing_download_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="XTREME download folder not found"):
        load("xnli", "en", "dev", tmp_path / "nope")
    with pytest.raises(DataError, match="needs data.path"):
        load_split("xtreme", "xnli", "en", "dev")


def test_unknown_kind_task_split() -> None:
    with pytest.raises(DataError, match="unknown data source 'tfds'"):
        load_split("tfds", "xnli", "en", "dev")
    with pytest.raises(DataError, match="unknown task 'ner'"):
        load_split("xtreme", "ner", "en", "dev", path=str(XTREME))
    with pytest.raises(DataError, match="unknown split 'validation'"):
        load_split("xtreme", "xnli", "en", "validation", path=str(XTREME))


def test_coverage_table_marks_unlabelled_and_absent() -> None:
    keys = [("xnli", "sw", "dev"), ("xnli", "sw", "test"), ("xnli", "bn", "dev"), ("tydiqa", "sw", "test")]
    rows = coverage_rows({k: load(*k) for k in keys})
    by_key = {(r["task"], r["language"], r["split"]): r for r in rows}
    assert by_key[("xnli", "sw", "test")]["labelled"] is False
    assert by_key[("xnli", "bn", "dev")]["origin"] == "not in source"
    table = coverage_markdown(rows)
    assert "| xnli | sw | test | 2 | NO | 0 |" in table
    assert "| tydiqa | sw | test | 0 | - | 0 | 0 | not in source |" in table
