"""data.equal_train_size: every source of a task trains on the same number of examples, recorded in the coverage
table, and the report and summary.json state each source's training data beside its differences."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from xlrobust import train_size
from xlrobust.analysis.answer import compact_table, per_target_table, verdicts
from xlrobust.analysis.provenance import load_provenance
from xlrobust.config import DataConfig, SplitSizes
from xlrobust.errors import ConfigError, DataError
from xlrobust.prepare import prepare_language

FIXTURE = Path(__file__).parent / "fixtures" / "xtreme_qa"  # squad/: en 3 questions, de 1, es 3


@pytest.fixture
def download(tmp_path: Path) -> Path:
    """An XTREME download/ folder with SQuAD and translate-train, and a TyDiQA folder without files."""
    shutil.copytree(FIXTURE / "squad", tmp_path / "squad")
    (tmp_path / "tydiqa").mkdir()
    return tmp_path


def _cfg(root: Path, equal: int | str | None) -> DataConfig:
    cfg = DataConfig(
        source="xtreme",
        path=str(root),
        on_missing="skip",
        eval_split="test",
        sizes=SplitSizes(train=None, dev=None, test=None),
        qa_targets=str(FIXTURE),
        qa_train="squad",
        equal_train_size=equal,
    )
    cfg.validate()
    return cfg


def test_min_cuts_every_source_to_the_smallest_and_records_it(download):
    prepared = prepare_language(
        "en", ["tydiqa"], _cfg(download, "min"), sources=["en", "de"], eval_split="test", seed=5
    )
    assert len(prepared.splits["tydiqa"]["train"]) == 1
    (row,) = [r for r in prepared.coverage if r["split"] == "train"]
    assert (row["count"], row["available"]) == (1, 3)
    assert "equal_train_size min: 1 of 3 kept (sources: de 1, en 3)" in row["note"]
    assert row["dataset"] == "SQuAD v1.1" and row["provenance"] == "native"
    again = prepare_language(
        "en", ["tydiqa"], _cfg(download, "min"), sources=["en", "de"], eval_split="test", seed=5
    )
    assert again.splits["tydiqa"]["train"] == prepared.splits["tydiqa"]["train"]  # deterministic


def test_null_keeps_everything_and_a_number_larger_than_a_source_is_an_error(download):
    prepared = prepare_language(
        "en", ["tydiqa"], _cfg(download, None), sources=["en", "de"], eval_split="test", seed=5
    )
    assert len(prepared.splits["tydiqa"]["train"]) == 3
    with pytest.raises(DataError, match="equal_train_size is 2 but tydiqa/de has only 1 labelled training"):
        prepare_language("en", ["tydiqa"], _cfg(download, 2), sources=["en", "de"], eval_split="test", seed=5)


def test_subsample_is_seeded_ordered_and_the_same_for_equal_sizes():
    items = [{"id": str(i)} for i in range(50)]
    a = train_size.subsample(items, 10, 13, "xnli")
    assert a == train_size.subsample(list(items), 10, 13, "xnli")
    assert [int(x["id"]) for x in a] == sorted(int(x["id"]) for x in a)
    assert a != train_size.subsample(items, 10, 14, "xnli")
    assert train_size.target_size("min", {"en": 50, "es": 20, "sw": 0}, "xnli") == 20


@pytest.mark.parametrize("value", ["max", True, 0, -3])
def test_bad_equal_train_size_is_a_config_error(value):
    with pytest.raises(ConfigError, match="'data.equal_train_size'"):
        DataConfig(equal_train_size=value).validate()


def _coverage_file(root: Path, lang: str, rows: list[dict]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{lang}.json").write_text(json.dumps({"language": lang, "rows": rows}), encoding="utf-8")


def test_report_tables_and_summary_state_training_data_and_target_datasets(tmp_path: Path):
    def row(lang, split, count, available, dataset, provenance):
        return {
            "task": "tydiqa",
            "language": lang,
            "split": split,
            "count": count,
            "available": available,
            "labelled": True,
            "dataset": dataset,
            "provenance": provenance,
        }

    cov = tmp_path / "coverage"
    _coverage_file(cov, "en", [row("en", "train", 2, 9, "SQuAD v1.1", "native")])
    _coverage_file(
        cov,
        "es",
        [row("es", "train", 2, 5, "SQuAD v1.1 translate-train", "machine-translated")],
    )
    _coverage_file(cov, "sw", [row("sw", "test", 40, 40, "TyDiQA-GoldP", "native")])
    _coverage_file(cov, "hi", [row("hi", "test", 30, 30, "XQuAD", "human-translated")])
    prov = load_provenance(cov, ["en", "es", "sw", "hi"], "test")
    diffs = pd.DataFrame(
        [
            {
                "task": "tydiqa",
                "source": "es",
                "outcome": o,
                "unit": u,
                "kind": k,
                "targets": t,
                "diff": 0.1,
                "ci_low": 0.05,
                "ci_high": 0.15,
                "reason": "",
            }
            for o in ("clean", "adv", "drop")
            for u, k, t in (
                ("low_resource", "group", "sw hi"),
                ("sw", "target", "sw"),
                ("hi", "target", "hi"),
            )
        ]
    )
    table = compact_table(diffs, "en", prov)
    assert table.headers[-2:] == ["training data", "target data"]
    assert table.rows[0][-2] == (
        "es: 2 of 5 examples, SQuAD v1.1 translate-train (machine-translated); "
        "en: 2 of 9 examples, SQuAD v1.1 (native)"
    )
    # Targets are grouped by dataset, so the default's ten generated targets read as one entry.
    assert table.rows[0][-1] == "TyDiQA-GoldP (native): sw; XQuAD (human-translated): hi"
    per = per_target_table(diffs, "en", prov)
    assert [r[-1] for r in per.rows] == ["sw: TyDiQA-GoldP (native)", "hi: XQuAD (human-translated)"]

    class TD:
        metric, sources = "f1", ["en", "es"]

    (line,) = verdicts({"tydiqa": TD()}, diffs, "en", prov)
    assert "Trained on es: 2 of 5 examples" in line and "targets from TyDiQA-GoldP (native): sw" in line
    # Sources trained on alike data are named once.
    same = load_provenance(cov, ["en", "es"], "test")
    same.train[("tydiqa", "es")] = {**same.train[("tydiqa", "en")]}
    assert same.comparison_text("tydiqa", "es", "en") == "es, en: 2 of 9 examples each, SQuAD v1.1 (native)"
    block = prov.summary_block("tydiqa", ["en", "es"], ["sw", "hi"])
    assert block["training_data"]["src_es"] == {
        "examples": 2,
        "available": 5,
        "dataset": "SQuAD v1.1 translate-train",
        "provenance": "machine-translated",
    }
    assert block["target_data"] == {"tgt_sw": "TyDiQA-GoldP (native)", "tgt_hi": "XQuAD (human-translated)"}
