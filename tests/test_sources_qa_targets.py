"""XQuAD and MLQA as QA targets where TyDiQA-GoldP lacks the language (data.qa_targets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xlrobust.config import DataConfig, SplitSizes
from xlrobust.errors import ConfigError
from xlrobust.prepare import prepare_language
from xlrobust.sources.qa_targets import load_qa_target

FIXTURE = Path(__file__).parent / "fixtures" / "xtreme_qa"  # xquad/xquad.de.json, XQuAD's exact layout
REAL_MLQA = Path(__file__).resolve().parents[2] / "shared" / "realdata-dev" / "mlqa"


def _aligned(examples: list[dict]) -> bool:
    return all(
        ex["context"][a["answer_start"] : a["answer_start"] + len(a["text"])] == a["text"]
        for ex in examples
        for a in ex["answers"]
    )


@pytest.mark.skipif(not REAL_MLQA.is_dir(), reason="../shared/realdata-dev is absent")
@pytest.mark.parametrize("lang", ["es", "hi"])
def test_real_mlqa_dev_loads_from_the_xtreme_layout(tmp_path, lang):
    dev = tmp_path / "mlqa" / "MLQA_V1" / "dev"
    dev.mkdir(parents=True)
    name = f"dev-context-{lang}-question-{lang}.json"
    shutil.copy(REAL_MLQA / name, dev / name)
    data = load_qa_target(tmp_path, lang, "dev")
    assert data is not None and data.labelled and len(data.examples) == 150
    assert _aligned(data.examples) and data.origin.endswith(name) and "MLQA" in data.note
    assert load_qa_target(tmp_path, lang, "test") is None  # no MLQA test file, no XQuAD file


def test_xquad_fixture_loads_for_either_split_and_unknown_languages_are_none():
    for split in ("dev", "test"):
        data = load_qa_target(FIXTURE, "de", split)
        assert data is not None and len(data.examples) == 2 and _aligned(data.examples)
        assert "XQuAD" in data.note and data.examples[0]["id"].startswith("xquad-de-")
    assert load_qa_target(FIXTURE, "sw", "test") is None and load_qa_target(FIXTURE, "de", "train") is None


def qa_data_config(path: Path, qa_targets: str | None, source: str = "xtreme") -> DataConfig:
    """A validated data section reading everything from ``path`` with ``qa_targets`` filling QA targets."""
    cfg = DataConfig(
        source=source,
        path=str(path),
        on_missing="skip",
        eval_split="test",
        sizes=SplitSizes(train=None, dev=None, test=None),
        qa_targets=qa_targets,
    )
    cfg.validate()
    return cfg


def test_prepare_fills_the_missing_tydiqa_target_and_records_its_dataset(tmp_path):
    prepared = prepare_language(
        "de", ["tydiqa"], qa_data_config(tmp_path, str(FIXTURE)), sources=["en"], eval_split="test", seed=0
    )
    assert len(prepared.splits["tydiqa"]["test"]) == 2
    (row,) = [r for r in prepared.coverage if r["split"] == "test"]
    assert row["count"] == 2 and row["labelled"] and row["origin"].endswith("xquad.de.json")
    assert "TyDiQA-GoldP has no de" in row["note"] and "translated" in row["note"]


def test_without_qa_targets_the_target_stays_missing(tmp_path):
    prepared = prepare_language(
        "de", ["tydiqa"], qa_data_config(tmp_path, None), sources=["en"], eval_split="test", seed=0
    )
    assert "test" not in prepared.splits["tydiqa"]


def test_qa_targets_must_be_a_folder(tmp_path):
    with pytest.raises(ConfigError, match="'data.qa_targets' .* is not an existing folder"):
        qa_data_config(tmp_path, str(tmp_path / "nope"))
