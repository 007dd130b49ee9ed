"""Benchmark 3: fine-tuning throughput of the default tiny model through ``xlrobust.finetune`` (HF Trainer).

Each configuration runs :func:`xlrobust.finetune.finetune` for ``--steps`` optimizer steps in its own process
(OpenMP settings are fixed at process start), repeated and interleaved. The time is the Trainer's own
``train_runtime`` (the training loop only: no model loading, tokenization or saving), parsed from its log line.
Throughput: examples/s = steps * batch_size / runtime; tokens/s counts real (non-padding) input + target tokens
of the examples seen (mean tokens per pair * examples/s).

Configurations (all on the machine's 2 cores): ``threads2`` is the pipeline default (train.threads: null, torch
uses one thread per core); ``threads1``; ``threads2_passive`` adds OMP_WAIT_POLICY=PASSIVE so idle OpenMP
threads sleep instead of spinning (matters when other processes share the cores).

Usage: python benchmarks/train_tiny.py [--models-root DIR] [--steps 20] [--repeats 2] [--task xnli]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import REPO, SEED, _build_base, default_model_config, write_result

CONFIGS: dict[str, tuple[int, dict[str, str]]] = {
    "threads2": (2, {}),
    "threads1": (1, {}),
    "threads2_passive": (2, {"OMP_WAIT_POLICY": "PASSIVE"}),
}
RUNTIME = re.compile(r"'train_runtime': '?([0-9.]+)'?")


def base_model(models_root: Path | None) -> tuple[Path, str]:
    """The repository's pre-trained base model when present, else one pre-trained here (cached)."""
    existing = (models_root or REPO) / "models" / "base"
    if (existing / "config.json").is_file():
        return existing, f"existing {existing}"
    built = _build_base(default_model_config(), steps=300, sentences=1000)
    return built, f"built here: {built}"


def worker(args: argparse.Namespace) -> None:
    """Run one short fine-tuning (in a fresh process) and print the mean real tokens per training pair."""
    from transformers import AutoTokenizer

    from xlrobust.config import TrainConfig
    from xlrobust.finetune import encode_pairs, finetune
    from xlrobust.tasks import get_task

    task = get_task(args.task)
    model_cfg = default_model_config()
    train = task.generate("en", "train", 600, SEED)
    tok = AutoTokenizer.from_pretrained(args.base)
    feats, _ = encode_pairs(task, train, tok, model_cfg, training=True)
    mean_tokens = statistics.mean(len(f["input_ids"]) + len(f["labels"]) for f in feats)
    with tempfile.TemporaryDirectory() as d:
        finetune(
            task,
            train,
            base_model=args.base,
            out_dir=Path(d) / "out",
            checkpoint_root=Path(d) / "ckpt",
            model_cfg=model_cfg,
            cfg=TrainConfig(max_steps=args.steps, threads=args.threads, checkpoint_every=10_000),
            seed=SEED,
        )
    print(f"MEAN_TOKENS {mean_tokens}")


def run_config(name: str, base: Path, args: argparse.Namespace) -> tuple[float, float]:
    threads, env = CONFIGS[name]
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--base",
        str(base),
        "--threads",
        str(threads),
        "--steps",
        str(args.steps),
        "--task",
        args.task,
    ]
    proc = subprocess.run(
        cmd, env={**os.environ, **env, "XLROBUST_LOG": "WARNING"}, capture_output=True, text=True, check=False
    )
    out = proc.stdout + proc.stderr
    runtime, tokens = RUNTIME.search(out), re.search(r"MEAN_TOKENS ([0-9.]+)", out)
    if proc.returncode != 0 or not runtime or not tokens:
        raise SystemExit(f"{name} failed ({proc.returncode}):\n{out[-3000:]}")
    return float(runtime.group(1)), float(tokens.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-root", type=Path, default=None)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--task", default="xnli")
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    base, origin = base_model(args.models_root)
    batch = 16  # params.yaml train.batch_size
    runs: dict[str, list[float]] = {c: [] for c in args.configs}
    mean_tokens = 0.0
    for _ in range(args.repeats):
        for c in args.configs:
            runtime, mean_tokens = run_config(c, base, args)
            runs[c].append(runtime)
    res: dict[str, Any] = {}
    for c, times in runs.items():
        med = statistics.median(times)
        ex_s = args.steps * batch / med
        res[c] = {
            "median_train_runtime_s": round(med, 3),
            "runs_s": times,
            "s_per_step": round(med / args.steps, 4),
            "examples_per_s": round(ex_s, 1),
            "tokens_per_s": round(ex_s * mean_tokens, 0),
        }
    write_result(
        f"train_tiny_{args.task}",
        {
            "base_model": origin,
            "task": args.task,
            "steps": args.steps,
            "batch_size": batch,
            "mean_real_tokens_per_pair": round(mean_tokens, 1),
            "repeats": args.repeats,
            "configs": res,
        },
    )


if __name__ == "__main__":
    main()
