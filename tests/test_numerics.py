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
