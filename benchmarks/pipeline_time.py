"""Benchmark 4: wall time and peak memory of the pipeline, and the time of a no-op run.

The pipeline is copied into a fresh temporary git+DVC repository (``tests/pipeline_helpers.make_repo``) and run
there under ``/usr/bin/time -v``, by ``--runner parallel`` (what ``make run`` runs: ``python -m
xlrobust.parallel_repro``, independent stages two at a time) or ``--runner dvc`` (a plain ``dvc repro``, one
stage at a time). Memory is measured two ways:

- ``/usr/bin/time -v``'s "Maximum resident set size": on Linux the rusage that wait4 returns covers the dvc
  process and its waited-for descendants, and ``ru_maxrss`` is the maximum over those processes, i.e. the peak
  RSS of the largest single process (stage) in the tree;
- psutil polling of the dvc process tree every 0.2 s: peak RSS per stage command, and peak RSS summed over the
  whole tree (dvc itself + the running stage), which is what the machine must hold. Polling can miss spikes
  shorter than the interval.

Then the no-op `dvc repro` (nothing changed) is timed ``--noop-repeats`` times.

``--scale default`` runs the default params.yaml (the real measurement, ~10+ min on 2 cores); ``--scale mini``
the test suite's miniature params (same stages, tiny sizes, ~2 min). ``--repo DIR`` skips the full run and only
times the no-op `dvc repro` in an existing, already reproduced repository.

With two stages at a time the tree's summed peak, not the largest single process, is what the machine must hold.

Usage: python benchmarks/pipeline_time.py [--scale default|mini] [--runner parallel|dvc] [--repo DIR]
[--noop-repeats 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from common import REPO, write_result

sys.path.insert(0, str(REPO / "tests"))
from pipeline_helpers import MAKE_RUN, MINI_PARAMS, make_repo  # noqa: E402

VENV_BIN = Path(sys.executable).parent
RUNNERS = {  # the command that runs (or checks) the whole pipeline
    "parallel": MAKE_RUN,
    "dvc": ["dvc", "repro"],
}


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "HF_HUB_OFFLINE": "1",
        "XLROBUST_LOG": "WARNING",
        "PYTHONPATH": "src",  # the runner imports the copied repository's src/, as dvc.yaml's commands do
    }


class TreePoller:
    """Polls a process tree's RSS: peak per stage command line and peak of the whole tree."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.per_stage: dict[str, dict[str, float]] = {}
        self.tree_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TreePoller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            now = time.perf_counter()
            for p in procs:
                try:
                    rss, cmd = p.memory_info().rss, p.cmdline()
                except psutil.Error:
                    continue
                total += rss
                stage = next((c for c in cmd if c.startswith("stages/")), None)
                if stage:
                    key = " ".join(cmd[cmd.index(stage) :])
                    entry = self.per_stage.setdefault(key, {"peak_rss_mb": 0.0, "first": now, "last": now})
                    entry["peak_rss_mb"] = max(entry["peak_rss_mb"], rss / 2**20)
                    entry["last"] = now
            self.tree_peak = max(self.tree_peak, total)
            self._stop.wait(self.interval)


def timed_repro(repo: Path, runner: str) -> dict[str, Any]:
    """`/usr/bin/time -v <runner>` with the tree poller attached."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", *RUNNERS[runner]],
        cwd=repo,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    poller = TreePoller(proc.pid).start()
    out, _ = proc.communicate()
    poller.stop()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(RUNNERS[runner])} failed ({proc.returncode}):\n{out[-4000:]}")
    maxrss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", out)
    stages = {
        k: {"peak_rss_mb": round(v["peak_rss_mb"], 1), "seen_s": round(v["last"] - v["first"], 1)}
        for k, v in poller.per_stage.items()
    }
    largest = max(stages.items(), key=lambda kv: kv[1]["peak_rss_mb"]) if stages else None
    return {
        "wall_s": round(wall, 1),
        "time_v_elapsed": elapsed.group(1) if elapsed else None,
        "time_v_max_rss_mb": round(int(maxrss.group(1)) / 1024, 1) if maxrss else None,
        "psutil_tree_peak_rss_mb": round(poller.tree_peak / 2**20, 1),
        "psutil_largest_stage": largest[0] if largest else None,
        "psutil_stages": stages,
    }


def noop_times(repo: Path, repeats: int, runner: str) -> list[float]:
    """Wall times of the runner when every stage is up to date (it must report nothing to reproduce)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run(
            RUNNERS[runner], cwd=repo, env=env(), capture_output=True, text=True, check=False
        )
        times.append(round(time.perf_counter() - t0, 2))
        if proc.returncode != 0 or "Running stage" in proc.stdout:
            raise SystemExit(
                f"no-op {runner} run was not a no-op ({proc.returncode}):\n{proc.stdout[-3000:]}"
            )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["default", "mini"], default="default")
    parser.add_argument(
        "--repo", type=Path, default=None, help="only time the no-op repro in this repository"
    )
    parser.add_argument("--runner", choices=sorted(RUNNERS), default="parallel", help="parallel: make run")
    parser.add_argument("--noop-repeats", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    if args.repo:
        repo = args.repo.resolve()
        result["repo"] = str(repo)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="xlrobust-pipeline-"))
        repo = make_repo(tmp, MINI_PARAMS if args.scale == "mini" else {})
        result.update(repo=str(repo), scale=args.scale, full_run=timed_repro(repo, args.runner))
        result["targets"] = {
            "full_run_le_600s": result["full_run"]["wall_s"] <= 600,
            "full_run_le_900s": result["full_run"]["wall_s"] <= 900,  # issue #14's 15 minutes
            "peak_lt_4gb": (result["full_run"]["time_v_max_rss_mb"] or 0) < 4096,
            "tree_peak_lt_4gb": result["full_run"]["psutil_tree_peak_rss_mb"] < 4096,
        }
    result["runner"] = args.runner
    times = noop_times(repo, args.noop_repeats, args.runner)
    result["noop"] = {
        "runs_s": times,
        "median_s": statistics.median(times),
        "target_lt_5s": statistics.median(times) < 5,
    }
    # plain names for `dvc repro`: its results were written before the runner existed
    suffix = "" if args.runner == "dvc" else f"_{args.runner}"
    name = f"pipeline_noop{suffix}" if args.repo else f"pipeline_time_{args.scale}{suffix}"
    write_result(name, result)


if __name__ == "__main__":
    main()
