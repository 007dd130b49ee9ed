"""Helpers for tests that run the real pipeline in a temporary git+DVC repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# What `make run` runs (the Makefile, without JOBS): every stage through DVC, independent ones side by side.
MAKE_RUN = [sys.executable, "-m", "xlrobust.parallel_repro"]
MULTICHECKLIST_FIXTURE = REPO / "tests" / "fixtures" / "multichecklist" / "checklist_templates.tsv"

# Small enough to run every stage in about two minutes on 2 cores; same structure as the default.
MINI_PARAMS = {
    "languages": ["en", "es", "sw"],
    "sources": ["en", "es"],
    "low_resource": ["sw"],
    "tasks": ["xnli", "panx", "tydiqa"],
    "data": {"sizes": {"train": 48, "dev": 8, "test": 16}, "corpus_sentences": 40},
    "model": {"vocab_size": 1200, "d_model": 32, "d_ff": 64, "num_heads": 2, "num_layers": 1},
    "pretrain": {
        "languages": ["en", "es", "sw"],
        "corpus_sentences": 200,
        "steps": 6,
        "batch_size": 8,
        "warmup_steps": 1,
    },
    "perturbations": {
        "families": ["typos", "punctuation", "names"],
        "multichecklist_fills": 1,
        "min_changed": 4,
        "multichecklist": "data/external/multichecklist/checklist_templates.tsv",
    },
    "train": {"epochs": 1, "batch_size": 8, "checkpoint_every": 4},
    "eval": {"batch_size": 16, "max_new_tokens": 8},
    "correlate": {"n_boot": 200},
}


def deep_update(base: dict, new: dict) -> dict:
    """Recursively override ``base`` with ``new`` (as `dvc exp run -S` would, key by key)."""
    for k, v in new.items():
        base[k] = deep_update(dict(base.get(k) or {}), v) if isinstance(v, dict) else v
    return base


def run(cmd: list[str], cwd: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a command with the project's virtualenv first on PATH; on failure show its output."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": "src",  # a stage run by hand imports the repository's src/, as dvc.yaml's commands do
        "HF_HUB_OFFLINE": "1",
        "XLROBUST_LOG": "WARNING",
        **kwargs.pop("env", {}),
    }
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


def make_repo(root: Path, params_override: dict) -> Path:
    """A fresh git+DVC repository holding the pipeline code and a params file derived from the default."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    for name in ("dvc.yaml", "stages", "src", ".dvcignore", "data/external"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, repo / name)
    # The MultiCheckList fixture where params expect template files (git-tracked here; `dvc add` in real use).
    shutil.copy2(
        MULTICHECKLIST_FIXTURE, repo / "data" / "external" / "multichecklist" / "checklist_templates.tsv"
    )
    params = deep_update(yaml.safe_load((REPO / "params.yaml").read_text()), params_override)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "ci@example.org"], repo)
    run(["git", "config", "user.name", "ci"], repo)
    run(["dvc", "init", "-q"], repo)
    shutil.copytree(REPO / ".dvc" / "plots", repo / ".dvc" / "plots")  # custom `dvc plots` templates
    shutil.copy2(REPO / ".dvc" / "plots-offline.html", repo / ".dvc" / "plots-offline.html")  # vendored vega
    run(["dvc", "config", "core.analytics", "false"], repo)
    run(["dvc", "config", "plots.html_template", "plots-offline.html"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "pipeline"], repo)
    return repo
