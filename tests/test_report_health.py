"""Degenerate models are named instead of compared, every family that ran appears per target (casing only where
the script has case), and robustness numbers need a minimum of changed examples (issues #16 and #15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from correlate_helpers import FIXTURE, correlate_fixture

from xlrobust.analysis.health import RowStats, check_run

LABELS = ("entailment", "neutral", "contradiction")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8")


def _set_predictions(root: Path, task: str, source: str, predict) -> None:
    """Give every clean row of (task, source) a ``prediction`` (and PAN-X a ``malformed`` flag), as evaluate
    writes them; scores are left alone, so the eval JSONs still agree with the rows."""
    for path in sorted((root / "data" / "predictions" / task / source).glob("seed*/*/clean.jsonl")):
        rows = _rows(path)
        _write_rows(path, [{**r, **predict(i, r)} for i, r in enumerate(rows)])


@pytest.fixture(scope="module")
def degenerate(tmp_path_factory):
    root = tmp_path_factory.mktemp("degenerate") / "fx"
    shutil.copytree(FIXTURE, root)
    _set_predictions(root, "xnli", "es", lambda i, r: {"prediction": "neutral"})  # collapsed to one label
    _set_predictions(root, "xnli", "en", lambda i, r: {"prediction": LABELS[i % 3]})
    for src in ("en", "es"):  # every PAN-X run writes unparseable output
        _set_predictions(root, "panx", src, lambda i, r: {"prediction": f"junk {i}", "malformed": True})
    out = root.parent / "out"
    return {"res": correlate_fixture(root, out, n_boot=100), "out": out / "metrics"}


def test_a_collapsed_model_is_named_and_not_compared(degenerate):
    diffs = pd.read_csv(degenerate["out"] / "source_diffs.csv", keep_default_na=False)
    xnli = diffs[diffs.task == "xnli"]
    assert (xnli["diff"] == "").all()
    assert xnli.reason.str.startswith(
        "no comparison possible: the es model (seed 1) is collapsed to one output ('neutral' for 100% of examples); "
        "the es model (seed 2) is collapsed"
    ).all()
    summary = degenerate["res"]["summary"]
    assert summary["headline"]["xnli"]["es"] == {
        "clean": "n/a: degenerate model",
        "drop": "n/a: degenerate model",
    }
    assert summary["xnli"]["es_minus_en"]["clean"]["low_resource"]["diff"] is None
    # ...with a reason beside it: `dvc exp show` drops a block whose values are all null (the key would vanish).
    assert summary["xnli"]["es_minus_en"]["clean"]["low_resource"]["why_na"] == "degenerate model"
    assert summary["xnli"]["degenerate_runs"] == 2  # es, seeds 1 and 2
    md = (degenerate["out"] / "report.md").read_text(encoding="utf-8")
    answer = md.split("## Run configuration")[0]
    assert "- xnli: no comparison possible: the es model (seed 1) is collapsed to one output" in answer
    assert "+0.000 [+0.000, +0.000]" not in md
    assert "| xnli | es | 1 | collapsed to one output ('neutral' for 100% of examples) |" in md


def test_a_task_without_signal_has_one_sentence_instead_of_figures(degenerate):
    md = (degenerate["out"] / "report.md").read_text(encoding="utf-8")
    assert "panx: no figures: every run is degenerate (malformed" in md
    pngs = {p.name for p in (degenerate["out"] / "plots").glob("*.png")}
    assert not any(n.startswith("panx-") for n in pngs) and "xnli-heatmaps.png" in pngs
    assert (degenerate["out"] / "plots" / "panx-scores.csv").is_file()  # dvc plots still has its data


def test_checks_on_one_run():
    chance = RowStats(300, 105, {"a": 100, "b": 100, "c": 100}, None)
    assert check_run(chance, 0.35, LABELS)[0].startswith("at chance (accuracy 0.350 vs 0.333, n=300")
    assert check_run(RowStats(300, 150, {"a": 100, "b": 100, "c": 100}, None), 0.5, LABELS) == []
    assert check_run(RowStats(100, None, {"": 90, "x": 10}, 70), 0.3, ()) == [
        "collapsed to one output ('' for 90% of examples)",
        "malformed in 70% of its outputs",
    ]
    assert check_run(RowStats(100, None, None, None), 0.01, ()) == [
        "without signal (mean score 0.010 < 0.05)"
    ]


@pytest.fixture(scope="module")
def casing(tmp_path_factory):
    """The fixture with a casing family scored on en, es and de only (as on caseless scripts it is not)."""
    root = tmp_path_factory.mktemp("casing") / "fx"
    shutil.copytree(FIXTURE, root)
    for path in sorted((root / "metrics" / "eval").glob("xnli-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for t in ("en", "es", "de"):
            data["targets"][t]["casing"] = data["targets"][t]["typos"]
        path.write_text(json.dumps(data), encoding="utf-8")
    for path in sorted((root / "data" / "predictions" / "xnli").glob("*/seed*/*/typos.jsonl")):
        if path.parent.name in ("en", "es", "de"):
            shutil.copy2(path, path.with_name("casing.jsonl"))
    out = root.parent / "out"
    res = correlate_fixture(root, out, tasks=["xnli"], n_boot=100)
    return {"res": res, "out": out / "metrics"}


def test_a_family_scored_on_some_targets_appears_where_it_applies(casing):
    assert casing["res"]["summary"]["xnli"]["families"] == "casing,numbers,typos"
    robust = pd.read_csv(casing["out"] / "plots" / "xnli-robustness.csv", keep_default_na=False)
    cas = robust[robust.family == "casing"]
    assert set(cas[cas.reported == True].target) == {"en", "es", "de"}  # noqa: E712
    assert set(cas[cas.reason.str.startswith("not applicable")].target) == {"sw", "hi"}
    # The casing rows are the typos rows, so casing's drop on de equals typos' drop there.
    de = robust[(robust.target == "de") & (robust.source == "en")].set_index("family")
    assert de.loc["casing", "drop"] == de.loc["typos", "drop"] != ""
    fam = pd.read_csv(casing["out"] / "plots" / "xnli-drop-by-family.csv")
    assert set(fam[fam.family == "casing"].n_targets) == {2}  # zero-shot targets among en, es, de
    md = (casing["out"] / "report.md").read_text(encoding="utf-8")
    assert "| sw | casing | 24 | 0 | not applicable" in md


def test_too_few_changed_examples_report_no_drop(tmp_path):
    res = correlate_fixture(FIXTURE, tmp_path, tasks=["xnli"], n_boot=100, min_changed=1000)
    robust = pd.read_csv(tmp_path / "metrics" / "plots" / "xnli-robustness.csv", keep_default_na=False)
    assert (robust.reported == False).all() and (robust["drop"] == "").all()  # noqa: E712
    assert robust.reason.str.match(r"too few changed examples \(\d+ < 1000\)").all()
    summary = res["summary"]
    assert summary["headline"]["xnli"]["es"]["drop"] == "n/a: too few changed examples"
    assert (
        summary["xnli"]["drop"] == {"src_en": None, "src_es": None} and summary["xnli"]["min_changed"] == 1000
    )
    assert summary["headline"]["xnli"]["es"]["clean"].startswith(("+", "-"))  # clean needs no changed example


def test_learned_but_no_transfer_is_told_apart_from_learned_nothing():
    """In-language signal is checked on the source's own target, transfer on the zero-shot targets pooled."""
    from types import SimpleNamespace

    from xlrobust.analysis.health import run_flags

    def runs(own: float, other: float) -> SimpleNamespace:
        scores = {"en": own, "es": other, "sw": other}
        return SimpleNamespace(
            task="panx",
            sources=["en"],
            targets=list(scores),
            seeds=[1],
            metrics={("en", 1): {"targets": {t: {"clean": {"score": v}} for t, v in scores.items()}}},
            clean_stats={("en", 1, t): RowStats(64, None, None, 0) for t in scores},
        )

    assert run_flags(runs(0.4, 0.2)) == {}
    assert run_flags(runs(0.4, 0.0)) == {
        ("en", 1): ["without signal (mean score 0.000 < 0.05) on the zero-shot targets (no transfer)"]
    }
    assert (
        run_flags(runs(0.01, 0.0))[("en", 1)][0]
        == "without signal (mean score 0.010 < 0.05) in its own language"
    )


def test_runs_that_learned_but_do_not_transfer_keep_their_figures():
    """Figures are withheld only when every run learned nothing (at chance in its own language, collapsed,
    malformed); 'no transfer' alone is the finding the heatmap shows."""
    from types import SimpleNamespace

    from xlrobust.analysis.health import NO_TRANSFER, task_blocked

    td = SimpleNamespace(sources=["en", "es"], seeds=[13])
    no_transfer = f"without signal (mean score 0.048 < 0.05){NO_TRANSFER}"
    own = "without signal (mean score 0.010 < 0.05) in its own language"
    assert not task_blocked(td, {("en", 13): [no_transfer], ("es", 13): [no_transfer]})
    assert not task_blocked(td, {("en", 13): [own], ("es", 13): [no_transfer]})
    assert task_blocked(td, {("en", 13): [own, no_transfer], ("es", 13): ["malformed in 90% of its outputs"]})
    assert not task_blocked(td, {("en", 13): [own]})  # the es run is not flagged at all
