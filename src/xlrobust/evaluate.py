"""Evaluating one fine-tuned model on every target language, clean and perturbed.

The model is loaded once per (task, source). Perturbed examples that a family could not change have the same
input as their clean example, so they are not run again: their clean prediction is reused. Robustness is
measured on the changed examples only: their perturbed score, the clean score of the same examples, the drop
between the two, and CheckList's invariance failure rate (share whose prediction changed). For tasks whose
spec asks for it (``Task.multichecklist``), XTREME-R's MultiCheckList QA tests are scored too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from xlrobust import inference
from xlrobust.config import EvalConfig, ModelConfig, Params
from xlrobust.io import read_jsonl, write_jsonl
from xlrobust.modeling import pick_device
from xlrobust.multichecklist import failure_rates
from xlrobust.paths import Paths
from xlrobust.tasks import Task

log = logging.getLogger(__name__)


@dataclass
class TargetData:
    """The clean test examples of one target language and its perturbed sets (family -> examples)."""

    lang: str
    clean: list[dict[str, Any]]
    perturbed: dict[str, list[dict[str, Any]]]


def load_targets(task: Task, params: Params, paths: Paths) -> list[TargetData]:
    """The clean eval split and the perturbed sets of every target language that has one (a language skipped
    at prepare, with ``data.on_missing: skip``, has no file and is left out; prepare logged why)."""
    targets = []
    for lang in params.languages:
        clean_path = paths.prepared(lang, task.name, params.data.eval_split)
        if not clean_path.exists():
            continue
        perturbed = {}
        for family in params.perturbations.families:
            path = paths.adversarial(lang, task.name, family)
            if path.exists():
                perturbed[family] = read_jsonl(path)
        targets.append(TargetData(lang, read_jsonl(clean_path), perturbed))
    return targets


def multichecklist_failures(task: Task, model: Any, tokenizer: Any, params: Params, paths: Paths) -> dict:
    """XTREME-R's MultiCheckList QA tests: failure rate per test and target language (languages whose cases the
    adversarial stage wrote)."""
    out = {}
    for lang in params.languages:
        path = paths.multichecklist(lang)
        if path.exists():
            cases = read_jsonl(path)
            preds, _ = predict(
                task,
                model,
                tokenizer,
                cases,
                model_cfg=params.model,
                cfg=params.eval,
                device=pick_device(params.eval.device),
                desc=f"multichecklist {lang}",
            )
            out[lang] = failure_rates(cases, preds, lang)
    return out


def _encode(
    task: Task, tokenizer: Any, examples: Sequence[dict[str, Any]], model_cfg: ModelConfig
) -> tuple[list[list[int]], int]:
    """Input ids of ``examples`` and how many inputs had to be truncated or windowed."""
    fits = inference.token_fitter(tokenizer, model_cfg.max_input_length)
    sources, truncated = [], 0
    for ex in examples:
        (pair,) = task.pairs(ex, fit=fits, training=False)
        sources.append(pair.source)
        truncated += pair.truncated
    return inference.encode_inputs(tokenizer, sources, model_cfg.max_input_length), truncated


def _decode(
    task: Task,
    model: Any,
    tokenizer: Any,
    ids: list[list[int]],
    cfg: EvalConfig,
    device: torch.device,
    desc: str,
) -> list[str]:
    if task.decoding == "rank":
        return inference.rank_classify(
            model, tokenizer, ids, task.choices, batch_size=cfg.batch_size, device=device, desc=desc
        )
    return inference.generate(
        model,
        tokenizer,
        ids,
        batch_size=cfg.batch_size,
        max_new_tokens=cfg.new_tokens(task.name),
        device=device,
        desc=desc,
    )


def predict(
    task: Task,
    model: Any,
    tokenizer: Any,
    examples: Sequence[dict[str, Any]],
    *,
    model_cfg: ModelConfig,
    cfg: EvalConfig,
    device: torch.device,
    desc: str,
) -> tuple[list[str], int]:
    """Predictions for ``examples`` (in order) and how many inputs had to be truncated or windowed."""
    ((preds, truncated),) = predict_groups(
        task, model, tokenizer, [examples], model_cfg=model_cfg, cfg=cfg, device=device, desc=desc
    )
    return preds, truncated


def predict_groups(
    task: Task,
    model: Any,
    tokenizer: Any,
    groups: Sequence[Sequence[dict[str, Any]]],
    *,
    model_cfg: ModelConfig,
    cfg: EvalConfig,
    device: torch.device,
    desc: str,
) -> list[tuple[list[str], int]]:
    """:func:`predict` for several example lists at once: their inputs share length-sorted batches of
    ``eval.batch_size``, so the many small perturbed subsets of an evaluation do not each cost a batch of their own
    (a generation batch runs to its longest output; benchmarks/RESULTS.md section 14). Each input's prediction is
    the same greedy decoding as alone; only the batch it is padded in differs."""
    encoded = [_encode(task, tokenizer, group, model_cfg) for group in groups]
    preds = _decode(task, model, tokenizer, [i for ids, _ in encoded for i in ids], cfg, device, desc)
    out, start = [], 0
    for ids, truncated in encoded:
        out.append((preds[start : start + len(ids)], truncated))
        start += len(ids)
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def evaluate_targets(
    task: Task,
    model: Any,
    tokenizer: Any,
    targets: Sequence[TargetData],
    *,
    model_cfg: ModelConfig,
    cfg: EvalConfig,
    predictions_dir: Path,
) -> dict[str, Any]:
    """Score the model on every target and condition; write per-example rows; return the metrics table."""
    device = pick_device(cfg.device)
    model.to(device)
    options = {"qa_normalization": cfg.qa_normalization}
    table: dict[str, Any] = {}
    # Every prediction first, in one pass: each target's clean set and each family's changed examples.
    groups: list[list[dict[str, Any]]] = []
    for target in targets:
        groups.append(list(target.clean))
        groups.extend([ex for ex in examples if ex.get("changed")] for examples in target.perturbed.values())
    t0 = time.time()
    predicted = iter(
        predict_groups(
            task, model, tokenizer, groups, model_cfg=model_cfg, cfg=cfg, device=device, desc=f"{task.name}"
        )
    )
    log.info("%s: %d predictions in %.1fs", task.name, sum(len(g) for g in groups), time.time() - t0)
    for target in targets:
        clean_preds, truncated = next(predicted)
        clean = task.score(target.clean, clean_preds, lang=target.lang, options=options)
        by_id = {ex["id"]: i for i, ex in enumerate(target.clean)}
        rows = [
            {**r, "orig_id": r["id"], "changed": False, "prediction": p}
            for r, p in zip(clean.rows, clean_preds, strict=True)
        ]
        write_jsonl(predictions_dir / target.lang / "clean.jsonl", rows)
        result: dict[str, Any] = {
            "clean": {
                "score": _round(clean.metrics[task.primary_metric]),
                "n": len(target.clean),
                "truncated": truncated,
                "metrics": {k: _round(v) for k, v in clean.metrics.items()},
            }
        }
        for family, examples in target.perturbed.items():
            changed_idx = [i for i, ex in enumerate(examples) if ex.get("changed")]
            preds = [clean_preds[by_id[ex["orig_id"]]] for ex in examples]
            new, _ = next(predicted)
            for i, p in zip(changed_idx, new, strict=True):
                preds[i] = p
            scored = task.score(examples, preds, lang=target.lang, options=options)
            rows = [
                {**r, "orig_id": ex["orig_id"], "changed": bool(ex.get("changed")), "prediction": p}
                for r, ex, p in zip(scored.rows, examples, preds, strict=True)
            ]
            write_jsonl(predictions_dir / target.lang / f"{family}.jsonl", rows)
            entry: dict[str, Any] = {
                "n": len(examples),
                "n_changed": len(changed_idx),
                "metrics": {k: _round(v) for k, v in scored.metrics.items()},
            }
            if changed_idx:
                adv_rows = [rows[i] for i in changed_idx]
                clean_rows = [clean.rows[by_id[examples[i]["orig_id"]]] for i in changed_idx]
                adv = task.aggregate(adv_rows)
                base = task.aggregate(clean_rows)
                flipped = sum(preds[i] != clean_preds[by_id[examples[i]["orig_id"]]] for i in changed_idx)
                entry.update(
                    score=_round(adv),
                    clean_score_changed=_round(base),
                    drop=_round(base - adv),
                    invariance_failure_rate=_round(flipped / len(changed_idx)),
                )
            else:
                entry.update(score=None, clean_score_changed=None, drop=None, invariance_failure_rate=None)
            result[family] = entry
        table[target.lang] = result
        log.info(
            "%s on %s: %s=%.3f",
            task.name,
            target.lang,
            task.primary_metric,
            clean.metrics[task.primary_metric],
        )
    return table
