"""End to end: the real pipeline with `dvc repro` on a miniature params file in a temporary git+DVC repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import MINI_PARAMS as MINI
from pipeline_helpers import run


@pytest.mark.slow
def test_repro_writes_every_metric_and_plot(mini_repo: Path):
    summary = json.loads((mini_repo / "metrics" / "summary.json").read_text())
    for task in MINI["tasks"]:
        assert task in summary
    for task in MINI["tasks"]:
        for source in MINI["sources"]:
            ev = json.loads((mini_repo / "metrics" / "eval" / f"{task}-{source}-seed13.json").read_text())
            assert set(ev["targets"]) == set(MINI["languages"])
            for lang, conds in ev["targets"].items():
                assert 0.0 <= conds["clean"]["score"] <= 1.0, (task, source, lang)
                assert set(conds) - {"clean"} <= set(MINI["perturbations"]["families"])
    mcl = json.loads((mini_repo / "metrics" / "eval" / "tydiqa-en-seed13.json").read_text())["multichecklist"]
    assert set(mcl) == {"en", "es"}  # the fixture's template file has no Swahili column
    assert all(0.0 <= t["failure_rate"] <= 1.0 for tests in mcl.values() for t in tests.values())
    lmem = json.loads((mini_repo / "metrics" / "lmem" / "sw.json").read_text())
    assert 0.0 <= lmem["lmem"] <= 1.0
    # The miniature models learn nothing, so each task's figures collapse into one sentence (issue #16): the
    # report says so for every task without PNGs; a task with signal gets its PNGs.
    report = (mini_repo / "metrics" / "report.md").read_text(encoding="utf-8")
    for task in MINI["tasks"]:
        pngs = list((mini_repo / "metrics" / "plots").glob(f"{task}-*.png"))
        assert pngs or f"{task}: no figures: every run is degenerate" in report, task
    assert (mini_repo / "metrics" / "report.html").is_file()


@pytest.mark.slow
def test_every_dvc_plots_definition_renders_with_data(mini_repo_copy: Path):
    """`dvc plots show` fills every definition of dvc.yaml (custom templates in .dvc/plots included) with rows
    from each of its files, and every row has the fields the definition names."""
    shown = json.loads(run(["dvc", "plots", "show", "--json"], mini_repo_copy).stdout)["data"]
    definitions = {
        name: d
        for p in yaml.safe_load((mini_repo_copy / "dvc.yaml").read_text())["plots"]
        for name, d in p.items()
    }
    assert set(shown) == set(definitions)
    for name, d in definitions.items():
        spec = shown[name][0]["content"]
        rows = spec["data"]["values"]
        assert "<DVC_METRIC" not in json.dumps(spec), name  # every anchor filled
        for file, y_field in d["y"].items():
            mine = [r for r in rows if r["filename"] == Path(file).name]
            assert mine and all(d["x"] in r and y_field in r for r in mine), (name, file)
    assert "regression" in json.dumps(shown["zero-shot clean score against each feature"])


@pytest.mark.slow
def test_repro_again_does_nothing(mini_repo: Path):
    status = run(["dvc", "status"], mini_repo)
    assert "up to date" in status.stdout, status.stdout
    again = run(["dvc", "repro"], mini_repo)
    assert "Running stage" not in again.stdout, again.stdout


@pytest.mark.slow
def test_experiment_with_one_source_shows_beside_baseline(mini_repo_copy: Path):
    run(["dvc", "exp", "run", "-n", "en-only", "-S", "sources=[en]"], mini_repo_copy)
    shown = json.loads(run(["dvc", "exp", "show", "--json"], mini_repo_copy).stdout)
    names = json.dumps(shown)
    assert "en-only" in names
