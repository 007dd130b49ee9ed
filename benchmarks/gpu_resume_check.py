"""Benchmark 8 (GPU): a fine-tuning run killed with SIGKILL after a checkpoint resumes to the uninterrupted result.

The GPU counterpart of ``tests/test_resume.py`` (which does this on CPU through ``dvc repro`` of the mini
pipeline). For each ``--precisions`` entry, with ``model``/``train`` built from params.yaml and only these
overrides: ``train.device`` (``--device``), ``train.precision``, ``train.max_steps`` (``--max-steps``),
``train.checkpoint_every`` (``--checkpoint-every``) and, if given, ``train.threads`` (``--threads``); seed 13
(params.yaml ``seeds[0]``); data ``data/prepared/en/xnli/train.jsonl``; base model ``models/base``:

1. ``A``: :func:`xlrobust.finetune.finetune` uninterrupted, in this process, with its own checkpoint root.
2. ``A2``: the same again (``--repeats-a``, default 1 extra run), to see whether an uninterrupted run is itself
   bit-reproducible on this device; without that, a resumed run that differs could not be blamed on resuming.
3. The same ``finetune()`` in a child process (this script with ``--child``, its own process group) with a fresh
   checkpoint root. Once a *complete* checkpoint (one with ``trainer_state.json``, which the Trainer writes last,
   as ``tests/test_resume.py`` checks) at step >= ``--kill-step`` exists, the parent SIGKILLs the child's whole
   process group. To make the kill point certain even when steps take milliseconds, the child pauses (sleeps)
   right after it has saved a checkpoint at step >= ``--kill-step``; the pause comes after the save has
   finished and touches no training state. The default kill step (40) lies in the second epoch (600 examples,
   batch 16: 38 steps per epoch), so the resumed run must also redraw the epoch's ``group_by_length`` batch order.
4. ``B``: ``finetune()`` again in this process with the child's checkpoint root, so it resumes from the newest
   complete checkpoint (recorded, with ``finetune``'s own ``resumed`` flag).

Compared for each pair (B vs A, A2 vs A, B vs A2): byte identity of ``model.safetensors`` (sha256), for every
tensor the max abs difference and ``torch.allclose(rtol=1e-5, atol=1e-7)`` (strict: the saved weights are fp32 in
every precision), and the ``train_stats.json`` of both models (steps, mean and last logged train loss, ...).
Wall times of every run. Results go to ``benchmarks/results/<--name>.json`` after each precision (so a run cut
off by a time limit leaves what it finished); a precision is skipped once ``--budget-s`` seconds have passed.
Everything else lives in a temporary folder. The script exits with status 1 if a run failed, not if weights
differ (that is a finding, recorded in ``checks``).

Usage: PYTHONPATH=src python benchmarks/gpu_resume_check.py [--device cuda] [--precisions bf16,fp32]
       [--max-steps 60] [--checkpoint-every 10] [--kill-step 40] [--name gpu_resume_check]
CPU run of the code path: ... --device cpu --precisions fp32 --max-steps 8 --checkpoint-every 2 --kill-step 4
       --threads 1 --name gpu_resume_check_cpu
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import logging
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import torch
import yaml
from common import REPO, write_result
from safetensors.torch import load_file

import xlrobust.finetune as finetune_module
from xlrobust.config import load_params
from xlrobust.finetune import finetune
from xlrobust.io import read_jsonl
from xlrobust.paths import Paths
from xlrobust.tasks import get_task

TASK, SOURCE = "xnli", "en"
RTOL, ATOL = 1e-5, 1e-7
log = logging.getLogger("gpu_resume_check")


def train_config(args: argparse.Namespace, precision: str) -> tuple[Any, Any, int]:
    params = load_params(yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8")))
    overrides: dict[str, Any] = {
        "precision": precision,
        "device": args.device,
        "max_steps": args.max_steps,
        "checkpoint_every": args.checkpoint_every,
    }
    if args.threads:
        overrides["threads"] = args.threads
    cfg = dataclasses.replace(params.train, **overrides)
    cfg.validate()
    seed = params.seeds[0]
    return params, cfg, seed


def run_finetune(args: argparse.Namespace, precision: str, out_dir: Path, ckpt_root: Path) -> dict[str, Any]:
    params, cfg, seed = train_config(args, precision)
    paths = Paths(REPO)
    examples = read_jsonl(paths.prepared(SOURCE, TASK, "train"))
    t0 = time.perf_counter()
    stats = finetune(
        get_task(TASK),
        examples,
        base_model=str(paths.base_model),
        out_dir=out_dir,
        checkpoint_root=ckpt_root,
        model_cfg=params.model,
        cfg=cfg,
        seed=seed,
    )
    return {**stats, "wall_s": round(time.perf_counter() - t0, 2), "seed": seed}


def child(args: argparse.Namespace) -> None:
    """Train into ``--ckpt-root``; after a checkpoint at step >= ``--kill-step`` is saved, wait to be killed."""
    cls = finetune_module._FiniteLossTrainer
    original = cls._save_checkpoint

    def save_then_wait(self, model, trial):  # type: ignore[no-untyped-def]
        original(self, model, trial)
        if self.state.global_step >= args.kill_step:
            print(f"CHILD saved checkpoint-{self.state.global_step}; waiting for SIGKILL", flush=True)
            time.sleep(3600)

    cls._save_checkpoint = save_then_wait  # type: ignore[method-assign]
    run_finetune(args, args.precision, Path(args.out), Path(args.ckpt_root))
    print("CHILD finished without being killed", flush=True)


def complete_checkpoints(ckpt_root: Path) -> list[tuple[int, Path]]:
    found = [
        (int(c.name.split("-")[1]), c)
        for c in ckpt_root.glob("*/checkpoint-*")
        if c.name.split("-")[1].isdigit() and (c / "trainer_state.json").is_file()
    ]
    return sorted(found)


def kill_after_checkpoint(
    args: argparse.Namespace, precision: str, tmp: Path, ckpt_root: Path, timeout: float
) -> dict[str, Any]:
    """Run the child until a complete checkpoint at step >= kill_step exists, then SIGKILL its process group."""
    log_path = tmp / f"child-{precision}.log"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--precision",
        precision,
        "--device",
        args.device,
        "--max-steps",
        str(args.max_steps),
        "--checkpoint-every",
        str(args.checkpoint_every),
        "--kill-step",
        str(args.kill_step),
        "--ckpt-root",
        str(ckpt_root),
        "--out",
        str(tmp / f"child-out-{precision}"),
    ]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    t0 = time.perf_counter()
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            start_new_session=True,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        killed_at: list[int] = []
        try:
            while proc.poll() is None and time.perf_counter() - t0 < timeout:
                done = [s for s, _ in complete_checkpoints(ckpt_root) if s >= args.kill_step]
                if done:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    killed_at = done
                    break
                time.sleep(0.02)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    wall = round(time.perf_counter() - t0, 2)
    tail = log_path.read_text(errors="replace").splitlines()[-15:]
    if not killed_at:
        raise RuntimeError(
            f"child made no checkpoint at step >= {args.kill_step} (exit {proc.returncode}, "
            f"{wall} s); log tail: {tail}"
        )
    return {
        "child_wall_until_kill_s": wall,
        "child_returncode": proc.returncode,
        "complete_checkpoints_at_kill": [s for s, _ in complete_checkpoints(ckpt_root)],
        "child_log_tail": tail[-3:],
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare_models(a: Path, b: Path) -> dict[str, Any]:
    ta, tb = load_file(str(a / "model.safetensors")), load_file(str(b / "model.safetensors"))
    per_tensor: dict[str, float] = {}
    close = True
    for name in sorted(set(ta) | set(tb)):
        if name not in ta or name not in tb or ta[name].shape != tb[name].shape:
            per_tensor[name] = math.inf
            close = False
            continue
        x, y = ta[name].double(), tb[name].double()
        per_tensor[name] = float((x - y).abs().max()) if x.numel() else 0.0
        close &= torch.allclose(ta[name], tb[name], rtol=RTOL, atol=ATOL)
    differing = {k: v for k, v in per_tensor.items() if v != 0}
    sa = json.loads((a / "train_stats.json").read_text())
    sb = json.loads((b / "train_stats.json").read_text())
    return {
        "weights_byte_identical": sha256(a / "model.safetensors") == sha256(b / "model.safetensors"),
        "tensors": len(per_tensor),
        "tensors_differing": len(differing),
        "max_abs_diff": max(per_tensor.values(), default=0.0),
        "max_abs_weight": max(float(t.abs().max()) for t in ta.values() if t.numel()),
        "allclose": close,
        "largest_diffs": dict(sorted(differing.items(), key=lambda kv: -kv[1])[:5]),
        "train_stats_identical": sa == sb,
        "train_loss": [sa["train_loss"], sb["train_loss"]],
        "final_loss": [sa["final_loss"], sb["final_loss"]],
        "steps": [sa["steps"], sb["steps"]],
    }


def run_precision(args: argparse.Namespace, precision: str, tmp: Path, record: dict[str, Any]) -> None:
    """Fill ``record`` as the runs go (so a failure still reports what finished)."""
    record["train_config"] = dataclasses.asdict(train_config(args, precision)[1])
    runs: dict[str, dict[str, Any]] = {}
    record["runs"] = runs
    models: dict[str, Path] = {}
    for i in range(1 + args.repeats_a):
        label = "A" if i == 0 else f"A{i + 1}"
        models[label] = tmp / f"{precision}-{label}"
        runs[label] = run_finetune(args, precision, models[label], tmp / f"ckpt-{precision}-{label}")
        log.info("%s %s: %s", precision, label, runs[label])
    ckpt_root = tmp / f"ckpt-{precision}-B"
    record["kill"] = kill_after_checkpoint(args, precision, tmp, ckpt_root, args.child_timeout)
    newest = complete_checkpoints(ckpt_root)[-1]
    record["resumed_from_step"] = newest[0]
    models["B"] = tmp / f"{precision}-B"
    runs["B"] = run_finetune(args, precision, models["B"], ckpt_root)
    log.info("%s B: %s", precision, runs["B"])
    pairs = (
        [("B", "A")]
        + [(f"A{i + 2}", "A") for i in range(args.repeats_a)]
        + [("B", f"A{i + 2}") for i in range(args.repeats_a)]
    )
    record["compare"] = {f"{x}_vs_{y}": compare_models(models[y], models[x]) for x, y in pairs}
    steps_per_epoch = math.ceil(runs["A"]["pairs"] / record["train_config"]["batch_size"])
    record.update(
        steps_per_epoch=steps_per_epoch,
        resumed_in_epoch=newest[0] // steps_per_epoch + 1,
        b_reported_resumed=runs["B"]["resumed"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--precisions", default="bf16,fp32")
    parser.add_argument("--max-steps", type=int, default=60)
    parser.add_argument("--checkpoint-every", type=int, default=10)
    parser.add_argument(
        "--kill-step", type=int, default=40, help="kill once a checkpoint at this step or later exists"
    )
    parser.add_argument(
        "--repeats-a", type=int, default=1, help="extra uninterrupted runs (determinism check)"
    )
    parser.add_argument("--threads", type=int, default=None, help="override train.threads")
    parser.add_argument("--budget-s", type=float, default=120, help="start no further precision after this")
    parser.add_argument("--child-timeout", type=float, default=150)
    parser.add_argument("--name", default="gpu_resume_check")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--precision", help=argparse.SUPPRESS)
    parser.add_argument("--ckpt-root", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.child:
        child(args)
        return
    if args.checkpoint_every > args.kill_step or args.kill_step >= args.max_steps:
        raise SystemExit("need checkpoint_every <= kill_step < max_steps")
    start = time.perf_counter()
    device = torch.device(args.device)
    result: dict[str, Any] = {
        "device": args.device,
        "task": TASK,
        "source": SOURCE,
        "base_model": "models/base",
    }
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("no CUDA GPU visible (use --device cpu for a run of the code path)")
        result.update(gpu=torch.cuda.get_device_name(0), cuda_runtime=torch.version.cuda)
    result.update(tolerance={"rtol": RTOL, "atol": ATOL}, precisions={})
    failed = False
    with tempfile.TemporaryDirectory(prefix="xlrobust-resume-check-") as tmp:
        for precision in args.precisions.split(","):
            if time.perf_counter() - start > args.budget_s:
                result["precisions"][precision] = {"skipped": f"--budget-s {args.budget_s} s passed"}
                continue
            record: dict[str, Any] = {}
            result["precisions"][precision] = record
            t0 = time.perf_counter()
            try:
                run_precision(args, precision, Path(tmp), record)
            except Exception as exc:  # recorded; the other precision still runs
                log.exception("precision %s failed", precision)
                failed = True
                record.update(
                    error=f"{type(exc).__name__}: {exc}",
                    traceback_tail=traceback.format_exc().splitlines()[-6:],
                )
            record["total_wall_s"] = round(time.perf_counter() - t0, 2)
            result["script_wall_s"] = round(time.perf_counter() - start, 2)
            write_result(args.name, result)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
