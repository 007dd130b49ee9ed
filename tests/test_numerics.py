"""Pinned CPU numerics: importing xlrobust before torch caps torch's kernels at AVX2 (issue: the committed run
must reproduce on any x86-64 CPU with AVX2, including ones with AVX-512)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PROBE = "import xlrobust, torch; print(torch.backends.cpu.get_cpu_capability())"


def _capability(**env: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA")
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _has_avx2() -> bool:
    try:
        return " avx2 " in Path("/proc/cpuinfo").read_text() or "avx2\n" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not _has_avx2(), reason="the pin targets x86-64 CPUs with AVX2")
def test_importing_xlrobust_pins_torch_to_avx2():
    assert _capability() == "AVX2"


def test_the_pin_is_read_by_torch_and_can_be_overridden():
    # The variable really reaches torch's dispatcher (set before torch loads): forcing the baseline takes effect.
    assert _capability(ATEN_CPU_CAPABILITY="default") == "DEFAULT"


def test_stages_log_the_numerics_in_force():
    from xlrobust.cli import cpu_numerics

    text = cpu_numerics()
    assert "MKL_CBWR=AVX2" in text and "ONEDNN_MAX_CPU_ISA=AVX2" in text and "threads" in text


CHECK = Path(__file__).resolve().parents[1] / "tools" / "check_numerics.py"


def _check(repo: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "OMP_NUM_THREADS")}
    return subprocess.run(
        [sys.executable, str(CHECK), *args],
        cwd=repo,
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
    )


def test_check_numerics_recomputes_the_runs_first_loss(mini_repo: Path):
    # The miniature run's pretrain stage ran on this machine with the pinned numerics: the check's first step,
    # rebuilt from params alone, gives its loss_first bit for bit.
    same = _check(mini_repo)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "same: this machine reproduces" in same.stdout


@pytest.mark.skipif(not _has_avx2(), reason="without AVX2 the pinned kernels are the baseline ones")
def test_check_numerics_sees_a_kernel_change(tmp_path: Path):
    # Ten steps of the default-sized model on a small corpus. Other float kernels (torch's baseline instead of
    # AVX2, or one thread instead of two) move the first loss, and the check says so.
    import yaml

    params = yaml.safe_load((Path(__file__).resolve().parents[1] / "params.yaml").read_text())
    params["pretrain"].update(languages=["en", "es", "sw"], corpus_sentences=60, steps=100)
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    (tmp_path / "committed.json").write_text('{"loss_first": 0.0}')
    losses = {}
    for name, env in {
        "pinned": {},
        "baseline": {"ATEN_CPU_CAPABILITY": "default"},
        "1 thread": {"OMP_NUM_THREADS": "1"},
    }.items():
        proc = _check(tmp_path, "--committed", "committed.json", **env)
        assert proc.returncode == 1 and "DIFFERENT by" in proc.stdout, proc.stdout + proc.stderr
        losses[name] = proc.stdout.split(" here ")[1].split(",")[0]
    assert losses["baseline"] != losses["pinned"] != losses["1 thread"], losses


def test_check_numerics_without_a_committed_run_is_a_one_line_error(tmp_path: Path):
    proc = _check(tmp_path, "--params", str(tmp_path / "params.yaml"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "metrics/pretrain.json" in proc.stderr
