"""Several fine-tuning seeds: correlate averages the per-seed estimates and reports their spread.

Expected values are computed here from the fixture's eval JSONs (one per task, source and seed), independently
of xlrobust.stats; the fixture's seeds 1 and 2 differ, so the spread is not zero.
"""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

import pandas as pd
import pytest
from correlate_helpers import FIXTURE, LANGS, SOURCES, TASKS, correlate_fixture

from xlrobust.errors import DataError

OUTCOMES = ("clean", "adv", "drop")
FAMILIES = ("typos", "numbers")


def correlate(root: Path, out: Path, seeds: tuple[int, ...], **kwargs) -> dict:
    return correlate_fixture(root, out, seeds=seeds, n_boot=200, **kwargs)


def eval_json(root: Path, task: str, source: str, seed: int) -> dict:
    return json.loads(
        (root / "metrics" / "eval" / f"{task}-{source}-seed{seed}.json").read_text(encoding="utf-8")
    )


def json_outcome(task: str, source: str, seed: int, target: str, outcome: str) -> float:
    """clean/adv/drop of one run on one target from its eval JSON (the fixture's family scores are over the
    changed examples, as correlate defines adv and drop)."""
    conds = eval_json(FIXTURE, task, source, seed)["targets"][target]
    if outcome == "clean":
        return conds["clean"]["score"]
    return statistics.mean(conds[f]["score" if outcome == "adv" else "drop"] for f in FAMILIES)


def json_group_diff(task: str, seed: int, targets: list[str], outcome: str) -> float:
    return statistics.mean(
        json_outcome(task, "es", seed, t, outcome) - json_outcome(task, "en", seed, t, outcome)
        for t in targets
    )


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("two-seeds")
    return {"out": out, "res": correlate(FIXTURE, out, (1, 2))}


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_group_difference_is_the_mean_of_per_seed_differences_with_their_spread(two_seeds, task, outcome):
    summary = two_seeds["res"]["summary"]
    for group, targets in (("low_resource", ["sw", "hi"]), ("all", ["de", "sw", "hi"])):
        iv = summary[task]["es_minus_en"][{"adv": "perturbed"}.get(outcome, outcome)][group]
        per_seed = [json_group_diff(task, seed, targets, outcome) for seed in (1, 2)]
        assert iv["diff"] == pytest.approx(statistics.mean(per_seed), abs=1e-4)
        assert iv["seed_sd"] == pytest.approx(statistics.stdev(per_seed), abs=1e-4)
        assert iv["seed_min"] == pytest.approx(min(per_seed), abs=1e-4)
        assert iv["seed_max"] == pytest.approx(max(per_seed), abs=1e-4)
        assert iv["ci_low"] <= iv["diff"] <= iv["ci_high"]
    assert summary[task]["n_seeds"] == 2


def test_tables_hold_every_seed(two_seeds):
    metrics = two_seeds["out"] / "metrics"
    seed_scores = pd.read_csv(metrics / "seed_scores.csv")
    assert len(seed_scores) == len(TASKS) * len(SOURCES) * 2 * len(LANGS)
    row = seed_scores[
        (seed_scores.task == "panx")
        & (seed_scores.source == "es")
        & (seed_scores.seed == 2)
        & (seed_scores.target == "sw")
    ].iloc[0]
    assert row.clean == pytest.approx(json_outcome("panx", "es", 2, "sw", "clean"), abs=1e-4)
    scores = pd.read_csv(metrics / "scores.csv")
    sw = scores[(scores.task == "xnli") & (scores.source == "es") & (scores.target == "sw")].iloc[0]
    per_seed = [json_outcome("xnli", "es", seed, "sw", "clean") for seed in (1, 2)]
    assert sw.clean == pytest.approx(statistics.mean(per_seed), abs=1e-4)
    assert sw.clean_seed_sd == pytest.approx(statistics.stdev(per_seed), abs=1e-4) and sw.n_seeds == 2
    seed_diffs = pd.read_csv(metrics / "seed_diffs.csv")
    diffs = pd.read_csv(metrics / "source_diffs.csv")
    assert len(seed_diffs) == 2 * len(diffs) and set(seed_diffs.seed) == {1, 2}
    plot_csv = pd.read_csv(metrics / "plots" / "xnli-seed-diffs.csv")
    assert (
        set(plot_csv.columns) == {"seed", "label", "diff"}
        and len(plot_csv) == 2 * (diffs.task == "xnli").sum()
    )


def test_report_gives_the_seed_spread(two_seeds):
    md = (two_seeds["out"] / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "## Seed spread" in md and "2 fine-tuning seeds per (task, source) (1, 2)" in md
    iv = two_seeds["res"]["summary"]["xnli"]["es_minus_en"]["clean"]["low_resource"]
    assert f"[{iv['seed_min']:+.3f}, {iv['seed_max']:+.3f}]" in md
    assert f"| xnli | es - en clean: low_resource | mean {iv['diff']:+.3f} | {iv['seed_sd']:.3f} |" in md
    assert "which the seed spread over 2 fine-tuning seeds shows separately" in md
    assert "grey marks: each of the 2 fine-tuning seeds alone" in md


def test_one_seed_has_no_spread_and_says_so(tmp_path):
    res = correlate(FIXTURE, tmp_path, (2,))
    xnli = res["summary"]["xnli"]
    assert xnli["n_seeds"] == 1 and "clean_seed_sd" not in xnli
    iv = xnli["es_minus_en"]["clean"]["low_resource"]
    assert set(iv) == {"diff", "ci_low", "ci_high"}
    assert iv["diff"] == pytest.approx(json_group_diff("xnli", 2, ["sw", "hi"], "clean"), abs=1e-4)
    md = (tmp_path / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "One fine-tuning seed per (task, source) (seed 2)" in md and "seeds: [13, 14, 15]" in md
    assert "one fine-tuning run per source" in md
    assert pd.read_csv(tmp_path / "metrics" / "scores.csv").clean_seed_sd.isna().all()


def test_a_source_missing_one_seed_is_left_out_with_the_file_named(tmp_path):
    root = tmp_path / "fx"
    shutil.copytree(FIXTURE, root)
    (root / "metrics" / "eval" / "panx-es-seed2.json").unlink()
    res = correlate(root, tmp_path / "out", (1, 2))
    panx = res["summary"]["panx"]
    assert set(panx["clean"]) == {"src_en"} and "es_minus_en" not in panx
    reasons = {r["reason"] for r in res["left_out"] if r["task"] == "panx"}
    assert len(reasons) == 1 and "panx-es-seed2.json not found" in reasons.pop()
    assert "es_minus_en" in res["summary"]["xnli"]


def test_seeds_scored_on_different_examples_are_a_data_error(tmp_path):
    root = tmp_path / "fx"
    shutil.copytree(FIXTURE, root)
    path = root / "data" / "predictions" / "xnli" / "es" / "seed2" / "sw" / "clean.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[1], lines[0], *lines[2:]]), encoding="utf-8")
    with pytest.raises(DataError, match=r"xnli/es/seed2/sw/clean\.jsonl: line 1: id .* does not match"):
        correlate(root, tmp_path / "out", (1, 2), tasks=["xnli"])


def test_an_eval_json_of_another_seed_is_a_data_error(tmp_path):
    root = tmp_path / "fx"
    shutil.copytree(FIXTURE, root)
    shutil.copy(
        root / "metrics" / "eval" / "xnli-en-seed1.json", root / "metrics" / "eval" / "xnli-en-seed2.json"
    )
    with pytest.raises(DataError, match=r"xnli-en-seed2\.json: key 'seed' is 1, expected 2; re-run evaluate"):
        correlate(root, tmp_path / "out", (1, 2), tasks=["xnli"])
