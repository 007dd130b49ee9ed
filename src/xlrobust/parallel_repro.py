"""``dvc repro`` with independent stages side by side (``make run``; ``python -m xlrobust.parallel_repro``).

DVC runs one stage at a time, and documents the way to use more cores: launch ``dvc repro`` for independent
branches of the pipeline at the same time, then the stage where they merge (dvc.org/doc/command-reference/repro,
"Parallel stage execution"; DVC releases its repository lock while a stage's command runs and guards each
stage's dependencies and outputs with read/write locks, iterative/dvc#5815). This module does exactly that,
from DVC's own stage graph: it asks DVC which stages are out of date, adds everything downstream of them, and
runs ``dvc repro --single-item <stage>`` for each as soon as every stage it depends on has finished, at most
``jobs`` at a time. Each stage is still DVC's to run or skip, hash and record in ``dvc.lock``, and each stage
process is the same as under a plain ``dvc repro`` (same command, environment and thread count), so the
outputs are byte-identical; only the wall time changes. On the 2-core machine the two sources' fine-tunings
(one thread each) run together, and ``prepare`` / ``adversarial`` run beside pre-training.

A stage that fails stops new launches; stages already running finish (so no output is left half-written), and
the exit status is the failed stage's. A plain ``dvc repro`` does the same work one stage at a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

PROGRESS_EVERY_S = 30.0  # a stage's progress bar (carriage-return updates) is echoed at most this often
# DVC's after-run hints, which each stage's ``dvc repro`` would repeat: dropped from the echoed output
DVC_HINTS = (
    "To track the changes with git",
    "git add ",
    "To enable auto staging",
    "dvc config core.autostage",
    "Use `dvc push`",
)


@dataclass(frozen=True)
class Plan:
    """The stages to run, in ``dvc.yaml`` order, and for each the stages (among them) it must wait for."""

    order: tuple[str, ...]
    upstream: Mapping[str, frozenset[str]]


def make_plan(order: Sequence[str], depends_on: Mapping[str, Iterable[str]], changed: Iterable[str]) -> Plan:
    """The stages ``changed`` and everything downstream of them (a stage whose inputs another stage rewrites
    may be out of date only after that stage runs), each waiting for its upstream stages in the plan.

    ``order`` lists every stage (``dvc.yaml`` order), ``depends_on`` maps a stage to the stages it reads from.
    """
    downstream: dict[str, set[str]] = {name: set() for name in order}
    for name in order:
        for up in depends_on.get(name, ()):
            downstream[up].add(name)
    selected: set[str] = set()
    todo = [name for name in changed if name in downstream]
    while todo:
        name = todo.pop()
        if name not in selected:
            selected.add(name)
            todo.extend(downstream[name])
    ancestors: dict[str, set[str]] = {}

    def upstream_of(name: str) -> set[str]:
        if name not in ancestors:
            ancestors[name] = set()
            for up in depends_on.get(name, ()):
                ancestors[name] |= {up} | upstream_of(up)
        return ancestors[name]

    run = tuple(name for name in order if name in selected)
    return Plan(run, {name: frozenset(upstream_of(name) & selected) for name in run})


def dvc_plan(root: str = ".") -> Plan:
    """The plan for the DVC project at ``root``: its pipeline stages and what ``dvc status`` finds changed."""
    from dvc.repo import Repo

    with Repo(root) as repo:
        stages = [s for s in repo.index.stages if getattr(s, "cmd", None)]
        names = {id(s): s.addressing for s in stages}
        graph = repo.index.graph  # an edge goes from a stage to a stage whose outputs it depends on
        depends_on = {
            names[id(s)]: [names[id(up)] for up in graph.successors(s) if id(up) in names] for s in stages
        }
        changed = repo.status()
    return make_plan([s.addressing for s in stages], depends_on, changed)


def _echo(name: str, stream: IO[bytes], out: IO[str], lock: threading.Lock) -> None:
    """Copy a stage's output to ``out``, each line prefixed with the stage's name; carriage-return updates
    (progress bars) are echoed at most every ``PROGRESS_EVERY_S`` seconds."""
    last_progress = 0.0
    buf = b""
    while chunk := stream.read1(65536):  # type: ignore[attr-defined]
        buf += chunk
        while True:
            cut = min((i for i in (buf.find(b"\n"), buf.find(b"\r")) if i >= 0), default=-1)
            if cut < 0:
                break
            line, end, buf = buf[:cut], buf[cut : cut + 1], buf[cut + 1 :]
            text = line.decode("utf-8", "replace").strip()
            if not text or text.startswith(DVC_HINTS):
                continue
            if end == b"\r":
                now = time.monotonic()
                if now - last_progress < PROGRESS_EVERY_S:
                    continue
                last_progress = now
            with lock:
                print(f"[{name}] {text}", file=out, flush=True)
    if buf.strip():
        with lock:
            print(f"[{name}] {buf.decode('utf-8', 'replace').strip()}", file=out, flush=True)


def run_plan(
    plan: Plan,
    jobs: int,
    command: Sequence[str] = ("dvc", "--wait-for-lock", "repro", "--single-item"),
    out: IO[str] = sys.stdout,
) -> int:
    """Run ``command + [stage]`` for every stage of ``plan``, a stage only after all its upstream stages
    succeeded, at most ``jobs`` at once, earliest ``dvc.yaml`` position first. Returns 0, or the exit status
    of the first stage that failed (the stages then running are left to finish; no new one starts)."""
    lock = threading.Lock()
    pending = list(plan.order)
    running: dict[str, tuple[subprocess.Popen[bytes], threading.Thread, float]] = {}
    done: set[str] = set()
    failed: tuple[str, int] | None = None
    start = time.monotonic()
    try:
        while pending or running:
            while failed is None and len(running) < jobs:
                ready = next((n for n in pending if plan.upstream[n] <= done), None)
                if ready is None:
                    break
                pending.remove(ready)
                with lock:
                    print(
                        f"[parallel_repro] start {ready} ({len(running) + 1} running)", file=out, flush=True
                    )
                proc = subprocess.Popen(  # unbuffered: log lines as they come (no effect on numerics)
                    [*command, ready],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
                assert proc.stdout is not None
                echo = threading.Thread(target=_echo, args=(ready, proc.stdout, out, lock), daemon=True)
                echo.start()
                running[ready] = (proc, echo, time.monotonic())
            if not running:
                if failed is None:  # cannot happen with DVC's acyclic graph; never wait forever
                    raise RuntimeError(f"parallel_repro: no stage of {pending} can start")
                break
            time.sleep(0.2)
            for name, (proc, echo, began) in list(running.items()):
                code = proc.poll()
                if code is None:
                    continue
                echo.join()
                del running[name]
                with lock:
                    print(
                        f"[parallel_repro] {'done' if code == 0 else f'FAILED (exit {code})'} {name} "
                        f"in {time.monotonic() - began:.1f} s",
                        file=out,
                        flush=True,
                    )
                if code == 0:
                    done.add(name)
                elif failed is None:
                    failed = (name, code)
    except KeyboardInterrupt:  # the stages got the terminal's SIGINT too; wait for them to stop cleanly
        for proc, echo, _ in running.values():
            proc.wait()
            echo.join()
        print("error: interrupted; run again to resume (finished stages are kept)", file=sys.stderr)
        return 130
    if failed is not None:
        not_run = [n for n in plan.order if n not in done and n != failed[0]]
        print(
            f"error: stage {failed[0]} failed (exit {failed[1]}, its output is above, prefixed [{failed[0]}]); "
            f"{len(not_run)} stage(s) not run. Fix it and run again: finished stages are kept",
            file=sys.stderr,
        )
        return failed[1]
    with lock:
        print(
            f"[parallel_repro] {len(done)} stage(s) in {time.monotonic() - start:.1f} s, up to {jobs} at a time",
            file=out,
            flush=True,
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: plan from DVC, run, then check with ``dvc status`` that nothing is left out of date."""
    parser = argparse.ArgumentParser(
        prog="python -m xlrobust.parallel_repro", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=2,
        help="stages run at once (default 2: the machines the default is "
        "measured on have 2 cores; each stage's own thread count is fixed by params)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    from dvc.exceptions import DvcException

    try:
        plan = dvc_plan()
        if not plan.order:
            print("Data and pipelines are up to date.")
            return 0
        print(f"[parallel_repro] {len(plan.order)} stage(s) to check or run, up to {args.jobs} at a time")
        code = run_plan(plan, args.jobs)
        if code != 0:
            return code
        left = dvc_plan().order
    except DvcException as e:  # e.g. a dvc.yaml DVC cannot parse: DVC's own one-line message
        print(f"error: dvc: {e}", file=sys.stderr)
        return 2
    if left:
        print(
            f"error: still out of date after the run: {', '.join(left)} (run `dvc status`)", file=sys.stderr
        )
        return 1
    print("Data and pipelines are up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
