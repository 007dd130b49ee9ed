"""End to end: the real pipeline with `dvc repro` on a miniature params file in a temporary git+DVC repo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

MINI = {
    "languages": ["en", "es", "sw"],
    "sources": ["en", "es"],
    "low_resource": ["sw"],
    "tasks": ["xnli", "panx", "tydiqa"],
    "data": {"sizes": {"train": 48, "dev": 8, "test": 16}, "corpus_sentences": 40},
    "model": {"vocab_size": 1200, "d_model": 32, "d_ff": 64, "num_heads": 2, "num_layers": 1},
    "pretrain": {"languages": ["en", "es", "sw"], "corpus_sentences": 200, "steps": 6, "batch_size": 8,
                 "warmup_steps": 1},
    "perturbations": {"families": ["typos", "punctuation", "names"]},
    "train": {"epochs": 1, "batch_size": 8, "checkpoint_every": 4},
    "eval": {"batch_size": 16, "max_new_tokens": 8},
    "correlate": {"n_boot": 200},
}


def deep_update(base: dict, new: dict) -> dict:
    for k, v in new.items():
        base[k] = deep_update(base.get(k, {}), v) if isinstance(v, dict) else v
    return base


def run(cmd: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HF_HUB_OFFLINE": "1",
           "XLROBUST_LOG": "WARNING"}
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="module")
def mini_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("mini") / "repo"
    repo.mkdir()
    for name in ("dvc.yaml", "stages", "src", ".dvcignore"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, repo / name)
    params = deep_update(yaml.safe_load((REPO / "params.yaml").read_text()), MINI)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "ci@example.org"], repo)
    run(["git", "config", "user.name", "ci"], repo)
    run(["dvc", "init", "-q"], repo)
    run(["dvc", "config", "core.analytics", "false"], repo)
    run(["dvc", "repro"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "baseline"], repo)
    return repo


@pytest.mark.slow
def test_repro_writes_every_metric_and_plot(mini_repo: Path):
    summary = json.loads((mini_repo / "metrics" / "summary.json").read_text())
    for task in MINI["tasks"]:
        assert task in summary
    for task in MINI["tasks"]:
        for source in MINI["sources"]:
            ev = json.loads((mini_repo / "metrics" / "eval" / f"{task}-{source}.json").read_text())
            assert set(ev["targets"]) == set(MINI["languages"])
            for lang, conds in ev["targets"].items():
                assert 0.0 <= conds["clean"]["score"] <= 1.0, (task, source, lang)
                assert set(conds) - {"clean"} <= set(MINI["perturbations"]["families"])
    lmem = json.loads((mini_repo / "metrics" / "lmem" / "sw.json").read_text())
    assert 0.0 <= lmem["lmem"] <= 1.0
    assert list((mini_repo / "metrics" / "plots").glob("*.png"))
    assert (mini_repo / "metrics" / "report.html").is_file()


@pytest.mark.slow
def test_repro_again_does_nothing(mini_repo: Path):
    status = run(["dvc", "status"], mini_repo)
    assert "up to date" in status.stdout, status.stdout
    again = run(["dvc", "repro"], mini_repo)
    assert "Running stage" not in again.stdout, again.stdout


@pytest.mark.slow
def test_experiment_with_one_source_shows_beside_baseline(mini_repo: Path):
    run(["dvc", "exp", "run", "-n", "en-only", "-S", "sources=[en]"], mini_repo)
    shown = json.loads(run(["dvc", "exp", "show", "--json"], mini_repo).stdout)
    names = json.dumps(shown)
    assert "en-only" in names
