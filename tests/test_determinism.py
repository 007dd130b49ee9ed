"""Same params, same seed, same bytes: re-running stages of the finished mini pipeline (``dvc repro -f``) rewrites
exactly the metrics, data and model files of the baseline run.

No difference is tolerated: outputs record no wall-clock time (stage timings go to the log only).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pipeline_helpers import run

STAGES = ["prepare", "adversarial", "finetune@xnli-en-13", "evaluate@xnli-en-13"]
OUTPUTS = [
    "metrics/coverage/sw.json",
    "metrics/perturbation",
    "metrics/train/xnli-en-seed13.json",
    "metrics/eval/xnli-en-seed13.json",
    "data/prepared/sw",
    "data/adversarial",
    "models/finetuned/xnli-en-seed13",
    "data/predictions/xnli/en/seed13",
]


def file_hashes(root: Path, rel: str) -> dict[str, str]:
    path = root / rel
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.slow
def test_rerun_with_same_seed_writes_identical_outputs(mini_repo: Path, mini_repo_copy: Path) -> None:
    before = {rel: file_hashes(mini_repo, rel) for rel in OUTPUTS}
    assert all(before.values()), "the baseline has every output"
    run(["dvc", "repro", "-f", "-s", *STAGES], mini_repo_copy)
    for rel in OUTPUTS:
        after = file_hashes(mini_repo_copy, rel)
        assert after == before[rel], f"{rel}: files differ between two runs with the same seed"
