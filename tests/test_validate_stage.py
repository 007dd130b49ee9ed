"""A bad params.yaml costs nothing: `dvc repro` stops at the validate stage with the one-line error, and no
output is removed or modified; a valid edit reruns only the validate stage (its output does not change)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_helpers import run


@pytest.mark.slow
def test_typo_in_params_stops_before_any_output_is_touched(mini_repo_copy: Path) -> None:
    repo = mini_repo_copy  # the finished, committed mini pipeline
    params = (repo / "params.yaml").read_text()
    (repo / "params.yaml").write_text(params.replace("  corpus_sentences: 40", "  corpus_sentence: 40", 1))
    proc = run(["dvc", "repro", "prepare"], repo, check=False)
    assert proc.returncode != 0
    assert (
        "error: params.yaml: unknown key 'data.corpus_sentence' (did you mean 'corpus_sentences'?)"
        in proc.stderr
    )
    assert run(["git", "status", "--porcelain"], repo).stdout.splitlines() == [" M params.yaml"]

    (repo / "params.yaml").write_text(params.replace("  batch_size: 16\n", "  batch_size: 12\n", 1))
    proc = run(["dvc", "repro", "prepare"], repo)
    out = proc.stdout + proc.stderr
    assert "Running stage 'validate'" in out and "Running stage 'prepare" not in out
    assert set(run(["git", "status", "--porcelain"], repo).stdout.splitlines()) == {
        " M params.yaml",
        " M dvc.lock",
    }
