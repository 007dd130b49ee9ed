"""Benchmark 6 (GPU): smoke check of the project's own fine-tuning and evaluation code on a CUDA device.

Runs :func:`xlrobust.finetune.finetune` (the HF Trainer path the finetune stage uses) on the pipeline's prepared
English training set of ``--task`` (``data/prepared/en/<task>/train.jsonl``; xnli by default, or panx / tydiqa,
whose evaluation decodes by generation instead of rank classification) from the pre-trained tiny base model
(``models/base``), with ``model``/``train``/``eval`` built from params.yaml and only these overrides:
``train.device`` and ``eval.device`` (``--device``), ``train.precision`` (one run per ``--precisions`` entry),
``train.max_steps`` (``--max-steps``, default: params.yaml's, i.e. the full ``train.epochs``). Each fine-tuned
model is then scored with :func:`xlrobust.evaluate.evaluate_targets` (the evaluate stage's function; it calls
``predict``) on ``data/prepared/<lang>/<task>/<eval_split>.jsonl`` for every ``--langs`` language whose file
exists (the others are listed as ``langs_missing``), clean only.

Recorded per precision: steps, mean and last train loss (and that both are finite), wall time of the two phases
(training including model load and save; evaluation including model load), peak CUDA memory of each phase
(> 0 shows the cuda path was really taken), the device the evaluated weights sat on, the task's primary metric
per language (the result keys are named after it: ``accuracy``/``mean_accuracy`` for xnli, ``span_f1`` for
panx, ``f1`` for tydiqa; generation tasks also keep every clean metric and the truncation count), and for fp16 the
number of optimizer steps whose gradient norm was not finite (the grad scaler skips those). A precision whose run
raises (e.g. the finite-loss guard's ModelError) is recorded with its error and the other precisions still run;
the script then exits with status 1 after writing the result. Across precisions: with two, the metric difference
per language and the share of test predictions on which the models agree; with more, each precision against
fp32 (or the last one). Checkpoints, models and predictions go to a temporary folder; nothing in the repository
is touched except the result file ``benchmarks/results/<--name>.json``.

Usage: PYTHONPATH=src python benchmarks/gpu_pipeline_check.py [--task xnli|panx|tydiqa] [--device cuda]
       [--precisions bf16,fp32] [--langs en,de,...] [--max-steps N] [--name gpu_pipeline_check]
CPU smoke run of the code path: ... --device cpu --precisions fp32 --max-steps 4 --name gpu_pipeline_check_cpu
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import torch
import yaml
from common import REPO, write_result

import xlrobust.finetune as finetune_module
from xlrobust.config import load_params
from xlrobust.evaluate import TargetData, evaluate_targets
from xlrobust.finetune import finetune
from xlrobust.io import read_jsonl
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.paths import Paths
from xlrobust.tasks import get_task

SOURCE = "en"
GRAD_NORMS: list[
    float
] = []  # every gradient norm the Trainer computed in the current run (see _record_grad_norms)


def _record_grad_norms() -> None:
    """Wrap the project's Trainer subclass so each run's gradient norms are kept (read only; behaviour unchanged)."""
    cls = finetune_module._FiniteLossTrainer
    original = cls._get_grad_norm
    if getattr(original, "_recorded", False):
        return

    def wrapped(self, model, grad_norm=None):  # type: ignore[no-untyped-def]
        norm = original(self, model, grad_norm=grad_norm)
        GRAD_NORMS.append(float(norm))
        return norm

    wrapped._recorded = True  # type: ignore[attr-defined]
    cls._get_grad_norm = wrapped  # type: ignore[method-assign]


def gpu_info(device: torch.device) -> dict[str, Any]:
    if device.type != "cuda":
        return {"device": "cpu"}
    props = torch.cuda.get_device_properties(device)
    return {
        "device": torch.cuda.get_device_name(device),
        "cuda_runtime": torch.version.cuda,
        "total_memory_gb": round(props.total_memory / 2**30, 1),
        "multiprocessors": props.multi_processor_count,
        "bf16_supported": torch.cuda.is_bf16_supported(),
    }


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)


def peak_mb(device: torch.device) -> float | None:
    if device.type != "cuda":
        return None
    torch.cuda.synchronize(device)
    return round(torch.cuda.max_memory_allocated(device) / 2**20, 1)


def run_one(
    precision: str,
    args: argparse.Namespace,
    params: Any,
    device: torch.device,
    tmp: Path,
    langs: list[str],
    phase: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Fine-tune with ``precision`` on ``args.device``, then evaluate on every language; numbers and predictions.

    ``phase`` is filled as the run goes (which phase it is in, and the finished phases' numbers), so a run that
    raises can still be reported up to where it failed."""
    paths = Paths(REPO)
    task = get_task(args.task)
    metric = task.primary_metric
    train_cfg = dataclasses.replace(
        params.train,
        precision=precision,
        device=args.device,
        max_steps=args.max_steps or params.train.max_steps,
    )
    train_cfg.validate()
    eval_cfg = dataclasses.replace(params.eval, device=args.device)
    eval_cfg.validate()
    seed = params.seeds[0]
    train = read_jsonl(paths.prepared(SOURCE, args.task, "train"))
    out_dir = tmp / f"model-{precision}"

    GRAD_NORMS.clear()
    phase.update(phase="train", train_config=dataclasses.asdict(train_cfg), seed=seed)
    reset_peak(device)
    t0 = time.perf_counter()
    try:
        stats = finetune(
            task,
            train,
            base_model=str(paths.base_model),
            out_dir=out_dir,
            checkpoint_root=tmp / f"ckpt-{precision}",
            model_cfg=params.model,
            cfg=train_cfg,
            seed=seed,
        )
    finally:
        try:
            failed_peak = peak_mb(device)
        except Exception:  # a broken CUDA context must not hide the training error
            failed_peak = None
        phase.update(
            train_wall_s=round(time.perf_counter() - t0, 2),
            train_peak_cuda_mb=failed_peak,
            grad_norms_recorded=len(GRAD_NORMS),
            nonfinite_grad_norm_steps=sum(not math.isfinite(g) for g in GRAD_NORMS),
        )
    train_s = time.perf_counter() - t0
    train_peak = peak_mb(device)

    phase.update(phase="eval")
    targets = [
        TargetData(lang, read_jsonl(paths.prepared(lang, args.task, params.data.eval_split)), {})
        for lang in langs
    ]
    reset_peak(device)
    t0 = time.perf_counter()
    model, tokenizer = load_model_and_tokenizer(out_dir)
    pred_dir = tmp / f"pred-{precision}"
    table = evaluate_targets(
        task, model, tokenizer, targets, model_cfg=params.model, cfg=eval_cfg, predictions_dir=pred_dir
    )
    eval_s = time.perf_counter() - t0
    eval_peak = peak_mb(device)
    preds = {lang: [r["prediction"] for r in read_jsonl(pred_dir / lang / "clean.jsonl")] for lang in langs}
    losses_finite = all(
        v is not None and math.isfinite(v) for v in (stats["train_loss"], stats["final_loss"])
    )
    run = {
        "train_config": dataclasses.asdict(train_cfg),
        "eval_device": eval_cfg.device,
        "seed": seed,
        "steps": stats["steps"],
        "examples": stats["examples"],
        "pairs": stats["pairs"],
        "train_loss_mean": round(stats["train_loss"], 4),
        "train_loss_last_log": round(stats["final_loss"], 4),
        "losses_finite": losses_finite,
        "train_wall_s": round(train_s, 2),
        "train_steps_per_s": round(stats["steps"] / train_s, 2),
        "train_peak_cuda_mb": train_peak,
        "eval_wall_s": round(eval_s, 2),
        "eval_examples": sum(len(t.clean) for t in targets),
        "eval_peak_cuda_mb": eval_peak,
        "eval_weights_device": str(next(model.parameters()).device),
        metric: {lang: table[lang]["clean"]["score"] for lang in langs},
        f"mean_{metric}": round(sum(table[lang]["clean"]["score"] for lang in langs) / len(langs), 4),
    }
    if precision == "fp16":
        run.update(
            grad_norms_recorded=len(GRAD_NORMS),
            nonfinite_grad_norm_steps=sum(not math.isfinite(g) for g in GRAD_NORMS),
        )
    if task.decoding == "generate":
        run.update(
            clean_metrics={lang: table[lang]["clean"]["metrics"] for lang in langs},
            truncated_inputs={lang: table[lang]["clean"]["truncated"] for lang in langs},
            empty_predictions={lang: sum(not str(p).strip() for p in preds[lang]) for lang in langs},
        )
    return run, preds


def compare(
    a: str,
    b: str,
    runs: dict[str, dict[str, Any]],
    preds: dict[str, dict[str, list[Any]]],
    langs: list[str],
    metric: str,
    suffix: str = "",
) -> dict[str, Any]:
    """``a`` minus ``b``: the metric per language and on average, and the share of identical test predictions."""
    diff = {lang: round(runs[a][metric][lang] - runs[b][metric][lang], 4) for lang in langs}
    same = sum(x == y for lang in langs for x, y in zip(preds[a][lang], preds[b][lang], strict=True))
    total = sum(len(preds[a][lang]) for lang in langs)
    return {
        f"{metric}_diff_{a}_minus_{b}": diff,
        f"max_abs_{metric}_diff{suffix}": max(abs(v) for v in diff.values()),
        f"mean_{metric}_diff{suffix}": round(runs[a][f"mean_{metric}"] - runs[b][f"mean_{metric}"], 4),
        f"prediction_agreement{suffix}": round(same / total, 4),
        f"predictions_compared{suffix}": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--task",
        default="xnli",
        choices=["xnli", "panx", "tydiqa"],
        help="task to fine-tune on (source en) and evaluate (default: xnli)",
    )
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--precisions", default="bf16,fp32", help="comma-separated train.precision values")
    parser.add_argument(
        "--langs", default=None, help="comma-separated targets (default: params.yaml languages)"
    )
    parser.add_argument(
        "--max-steps", type=int, default=None, help="override train.max_steps (default: params)"
    )
    parser.add_argument(
        "--name", default="gpu_pipeline_check", help="result file benchmarks/results/<name>.json"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("no CUDA GPU visible (use --device cpu for a smoke run of the code path)")
        torch.zeros(1, device=device)  # CUDA context creation is not charged to the first phase
    params = load_params(yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8")))
    metric = get_task(args.task).primary_metric
    paths = Paths(REPO)
    wanted = args.langs.split(",") if args.langs else list(params.languages)
    langs = [lang for lang in wanted if paths.prepared(lang, args.task, params.data.eval_split).is_file()]
    missing = [lang for lang in wanted if lang not in langs]
    if not langs:
        raise SystemExit(f"no {args.task} {params.data.eval_split} file under data/prepared for {wanted}")
    precisions = args.precisions.split(",")
    _record_grad_norms()
    runs: dict[str, dict[str, Any]] = {}
    preds: dict[str, dict[str, list[Any]]] = {}
    failed: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xlrobust-gpu-check-") as tmp:
        for precision in precisions:
            phase: dict[str, Any] = {}
            try:
                runs[precision], preds[precision] = run_one(
                    precision, args, params, device, Path(tmp), langs, phase
                )
            except Exception as exc:  # recorded in the result, and the exit status says so
                logging.getLogger("gpu_pipeline_check").exception("precision %s failed", precision)
                failed[precision] = {
                    **phase,
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback_tail": traceback.format_exc().splitlines()[-6:],
                }
    ok = [p for p in precisions if p in runs]
    checks: dict[str, Any] = {
        "all_losses_finite": all(r["losses_finite"] for r in runs.values()),
        "cuda_used_in_training": all((r["train_peak_cuda_mb"] or 0) > 0 for r in runs.values()),
        "cuda_used_in_eval": all(
            (r["eval_peak_cuda_mb"] or 0) > 0 and r["eval_weights_device"].startswith("cuda")
            for r in runs.values()
        ),
    }
    if failed:
        checks.update(failed_precisions=list(failed), succeeded_precisions=ok)
    if len(precisions) == 2 and len(ok) == 2:
        checks.update(compare(*ok, runs, preds, langs, metric))
    elif len(ok) >= 2:
        ref = "fp32" if "fp32" in ok else ok[-1]
        for other in ok:
            if other != ref:
                checks.update(compare(other, ref, runs, preds, langs, metric, suffix=f"_{other}_vs_{ref}"))
    result: dict[str, Any] = {"gpu": gpu_info(device), "task": args.task, "source": SOURCE, "langs": langs}
    if missing:
        result["langs_missing"] = missing
    result.update({"base_model": "models/base", "runs": runs})
    if failed:
        result["failed_runs"] = failed
    result["checks"] = checks
    write_result(args.name, result)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
