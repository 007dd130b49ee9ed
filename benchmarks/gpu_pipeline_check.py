"""Benchmark 6 (GPU): smoke check of the project's own fine-tuning and evaluation code on a CUDA device.

Runs :func:`xlrobust.finetune.finetune` (the HF Trainer path the finetune stage uses) on the pipeline's prepared
English XNLI training set (``data/prepared/en/xnli/train.jsonl``) from the pre-trained tiny base model
(``models/base``), with ``model``/``train``/``eval`` built from params.yaml and only these overrides:
``train.device`` and ``eval.device`` (``--device``), ``train.precision`` (one run per ``--precisions`` entry),
``train.max_steps`` (``--max-steps``, default: params.yaml's, i.e. the full ``train.epochs``). Each fine-tuned
model is then scored with :func:`xlrobust.evaluate.evaluate_targets` (the evaluate stage's function; it calls
``predict``) on ``data/prepared/<lang>/xnli/test.jsonl`` for every ``--langs`` language, clean only.

Recorded per precision: steps, mean and last train loss (and that both are finite), wall time of the two phases
(training including model load and save; evaluation including model load), peak CUDA memory of each phase
(> 0 shows the cuda path was really taken), the device the evaluated weights sat on, accuracy per language.
Across precisions: the accuracy difference per language and the share of test predictions on which the models
agree. Checkpoints, models and predictions go to a temporary folder; nothing in the repository is touched except
the result file ``benchmarks/results/<--name>.json``.

Usage: PYTHONPATH=src python benchmarks/gpu_pipeline_check.py [--device cuda] [--precisions bf16,fp32]
       [--langs en,de,...] [--max-steps N] [--name gpu_pipeline_check]
CPU smoke run of the code path: ... --device cpu --precisions fp32 --max-steps 4 --name gpu_pipeline_check_cpu
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
import yaml
from common import REPO, write_result

from xlrobust.config import load_params
from xlrobust.evaluate import TargetData, evaluate_targets
from xlrobust.finetune import finetune
from xlrobust.io import read_jsonl
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.paths import Paths
from xlrobust.tasks import get_task

TASK = "xnli"
SOURCE = "en"


def gpu_info(device: torch.device) -> dict[str, Any]:
    if device.type != "cuda":
        return {"device": "cpu"}
    props = torch.cuda.get_device_properties(device)
    return {"device": torch.cuda.get_device_name(device), "cuda_runtime": torch.version.cuda,
            "total_memory_gb": round(props.total_memory / 2**30, 1), "multiprocessors": props.multi_processor_count,
            "bf16_supported": torch.cuda.is_bf16_supported()}


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)


def peak_mb(device: torch.device) -> float | None:
    if device.type != "cuda":
        return None
    torch.cuda.synchronize(device)
    return round(torch.cuda.max_memory_allocated(device) / 2**20, 1)


def run_one(precision: str, args: argparse.Namespace, params: Any, device: torch.device, tmp: Path,
            langs: list[str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Fine-tune with ``precision`` on ``args.device``, then evaluate on every language; numbers and predictions."""
    paths = Paths(REPO)
    task = get_task(TASK)
    train_cfg = dataclasses.replace(params.train, precision=precision, device=args.device,
                                    max_steps=args.max_steps or params.train.max_steps)
    train_cfg.validate()
    eval_cfg = dataclasses.replace(params.eval, device=args.device)
    eval_cfg.validate()
    seed = (getattr(params, "seeds", None) or [params.seed])[0]
    train = read_jsonl(paths.prepared(SOURCE, TASK, "train"))
    out_dir = tmp / f"model-{precision}"

    reset_peak(device)
    t0 = time.perf_counter()
    stats = finetune(task, train, base_model=str(paths.base_model), out_dir=out_dir,
                     checkpoint_root=tmp / f"ckpt-{precision}", model_cfg=params.model, cfg=train_cfg, seed=seed)
    train_s = time.perf_counter() - t0
    train_peak = peak_mb(device)

    targets = [TargetData(lang, read_jsonl(paths.prepared(lang, TASK, params.data.eval_split)), {}) for lang in langs]
    reset_peak(device)
    t0 = time.perf_counter()
    model, tokenizer = load_model_and_tokenizer(out_dir)
    pred_dir = tmp / f"pred-{precision}"
    table = evaluate_targets(task, model, tokenizer, targets, model_cfg=params.model, cfg=eval_cfg,
                             predictions_dir=pred_dir)
    eval_s = time.perf_counter() - t0
    eval_peak = peak_mb(device)
    preds = {lang: [r["prediction"] for r in read_jsonl(pred_dir / lang / "clean.jsonl")] for lang in langs}
    losses_finite = all(v is not None and math.isfinite(v) for v in (stats["train_loss"], stats["final_loss"]))
    return {
        "train_config": dataclasses.asdict(train_cfg), "eval_device": eval_cfg.device, "seed": seed,
        "steps": stats["steps"], "examples": stats["examples"], "pairs": stats["pairs"],
        "train_loss_mean": round(stats["train_loss"], 4), "train_loss_last_log": round(stats["final_loss"], 4),
        "losses_finite": losses_finite, "train_wall_s": round(train_s, 2),
        "train_steps_per_s": round(stats["steps"] / train_s, 2), "train_peak_cuda_mb": train_peak,
        "eval_wall_s": round(eval_s, 2), "eval_examples": sum(len(t.clean) for t in targets),
        "eval_peak_cuda_mb": eval_peak, "eval_weights_device": str(next(model.parameters()).device),
        "accuracy": {lang: table[lang]["clean"]["score"] for lang in langs},
        "mean_accuracy": round(sum(table[lang]["clean"]["score"] for lang in langs) / len(langs), 4),
    }, preds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--precisions", default="bf16,fp32", help="comma-separated train.precision values")
    parser.add_argument("--langs", default=None, help="comma-separated targets (default: params.yaml languages)")
    parser.add_argument("--max-steps", type=int, default=None, help="override train.max_steps (default: params)")
    parser.add_argument("--name", default="gpu_pipeline_check", help="result file benchmarks/results/<name>.json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("no CUDA GPU visible (use --device cpu for a smoke run of the code path)")
        torch.zeros(1, device=device)  # CUDA context creation is not charged to the first phase
    params = load_params(yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8")))
    langs = args.langs.split(",") if args.langs else list(params.languages)
    precisions = args.precisions.split(",")
    runs: dict[str, dict[str, Any]] = {}
    preds: dict[str, dict[str, list[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="xlrobust-gpu-check-") as tmp:
        for precision in precisions:
            runs[precision], preds[precision] = run_one(precision, args, params, device, Path(tmp), langs)
    checks: dict[str, Any] = {
        "all_losses_finite": all(r["losses_finite"] for r in runs.values()),
        "cuda_used_in_training": all((r["train_peak_cuda_mb"] or 0) > 0 for r in runs.values()),
        "cuda_used_in_eval": all((r["eval_peak_cuda_mb"] or 0) > 0 and r["eval_weights_device"].startswith("cuda")
                                 for r in runs.values()),
    }
    if len(precisions) == 2:
        a, b = precisions
        diff = {lang: round(runs[a]["accuracy"][lang] - runs[b]["accuracy"][lang], 4) for lang in langs}
        same = sum(x == y for lang in langs for x, y in zip(preds[a][lang], preds[b][lang], strict=True))
        total = sum(len(preds[a][lang]) for lang in langs)
        checks.update({f"accuracy_diff_{a}_minus_{b}": diff,
                       "max_abs_accuracy_diff": max(abs(v) for v in diff.values()),
                       "mean_accuracy_diff": round(runs[a]["mean_accuracy"] - runs[b]["mean_accuracy"], 4),
                       "prediction_agreement": round(same / total, 4), "predictions_compared": total})
    write_result(args.name, {"gpu": gpu_info(device), "task": TASK, "source": SOURCE, "langs": langs,
                             "base_model": "models/base", "runs": runs, "checks": checks})


if __name__ == "__main__":
    main()
