"""prepare: the offline sample and real folders through one code path, coverage, and what a hole becomes."""

from pathlib import Path

import pytest

from xlrobust.config import DataConfig, SplitSizes
from xlrobust.errors import DataError
from xlrobust.prepare import prepare_language

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "sources" / "xtreme"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata-sample"


def test_synthetic_language_has_every_split_and_a_corpus():
    cfg = DataConfig(sizes=SplitSizes(train=12, dev=4, test=6), corpus_sentences=20)
    out = prepare_language(
        "sw", ["xnli", "panx", "tydiqa"], cfg, sources=["en", "sw"], eval_split="test", seed=1
    )
    assert set(out.splits) == {"xnli", "panx", "tydiqa"}
    assert [len(out.splits["panx"][s]) for s in ("train", "dev", "test")] == [12, 4, 6]
    assert len(out.corpus) == 20 and not out.skipped
    assert {(r["task"], r["split"]) for r in out.coverage if r["count"]} == {
        (t, s) for t in ("xnli", "panx", "tydiqa") for s in ("train", "dev", "test")
    }


def test_xtreme_unlabelled_test_split_is_refused_with_the_reason():
    cfg = DataConfig(source="xtreme", path=str(FIXTURE), sizes=SplitSizes(None, None, None))
    with pytest.raises(DataError) as err:
        prepare_language("sw", ["xnli"], cfg, sources=["en"], eval_split="test", seed=1)
    msg = str(err.value)
    assert "xnli/sw" in msg and "no labelled 'test' split" in msg and "data.eval_split: dev" in msg


def test_xtreme_missing_source_training_set_is_an_error_or_a_recorded_skip():
    cfg = DataConfig(source="xtreme", path=str(FIXTURE), sizes=SplitSizes(None, None, None), eval_split="dev")
    with pytest.raises(DataError, match="no labelled training set, but sw is a source language"):
        prepare_language("sw", ["xnli"], cfg, sources=["sw"], eval_split="dev", seed=1)
    cfg.on_missing = "skip"
    out = prepare_language("sw", ["xnli"], cfg, sources=["sw"], eval_split="dev", seed=1)
    assert "xnli" in out.skipped and "training set" in out.skipped["xnli"]
    assert "dev" in out.splits["xnli"]  # still a target


def test_coverage_rows_match_the_xtreme_files():
    cfg = DataConfig(
        source="xtreme",
        path=str(FIXTURE),
        sizes=SplitSizes(None, None, None),
        eval_split="dev",
        on_missing="skip",
    )
    out = prepare_language("en", ["xnli", "panx", "tydiqa"], cfg, sources=["en"], eval_split="dev", seed=1)
    cov = {(r["task"], r["split"]): r for r in out.coverage}
    assert cov[("xnli", "train")]["count"] > 0 and cov[("xnli", "train")]["labelled"]
    assert cov[("panx", "dev")]["count"] == 0  # no panx/dev-en.tsv in the folder
    assert "dev used as test" in cov[("tydiqa", "test")]["note"] or cov[("tydiqa", "test")]["count"] == 0


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/realdata-sample not present")
def test_shared_real_sample_prepares_with_dev_as_eval_split():
    cfg = DataConfig(
        source="xtreme",
        path=str(SHARED),
        sizes=SplitSizes(None, None, None),
        eval_split="dev",
        on_missing="skip",
    )
    out = prepare_language("sw", ["xnli", "panx", "tydiqa"], cfg, sources=["en"], eval_split="dev", seed=1)
    assert len(out.splits["xnli"]["dev"]) == 30 and len(out.splits["panx"]["dev"]) == 30
    assert "dev" not in out.splits["tydiqa"]  # XTREME removed the answers: unlabelled, not scored
    tydiqa_dev = next(r for r in out.coverage if r["task"] == "tydiqa" and r["split"] == "dev")
    assert tydiqa_dev["count"] == 15 and not tydiqa_dev["labelled"]
