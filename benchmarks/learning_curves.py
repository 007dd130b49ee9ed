"""Benchmark 7: learning curves of the tiny mT5 on the offline sample (issue 14): what makes it learn.

A trial = a base model (tokenizer + pre-training, cached by its settings) and one fine-tuning run on generated
English training examples, evaluated at several points of the run, in-language (en) and zero-shot on other
targets (generated test sets, parallel across languages). Everything calls the library directly (no DVC):
``xlrobust.tokenizer.train_tokenizer``, ``xlrobust.pretrain.pretrain``, ``xlrobust.finetune.encode_pairs`` and
``xlrobust.evaluate.predict`` + ``Task.score``, so the numbers are the pipeline's. Fine-tuning is a plain AdamW
loop with the Trainer's schedule (linear warm-up over ``warmup_ratio``, then linear decay to 0 at the last step)
and length-grouped batches, so the score can be read off at intermediate steps of one run: a mid-run point is
pessimistic for that budget (its learning rate has not decayed yet), the last point is the budget's own score.
One torch thread per process (benchmark 3).

Usage:
  python benchmarks/learning_curves.py trial NAME [NAME ...]   # run trials; results/learning_curves.json
  python benchmarks/learning_curves.py list                    # the trial names
  python benchmarks/learning_curves.py report                  # RESULTS.md section 11 + learning_curves.png

The trials and bases are defined in ``learning_curves_trials.py``, the trials' training-data variants in
``learning_curves_data.py``, the report (table and plot) in ``learning_curves_report.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import RESULTS, SEED, machine_info
from learning_curves_data import (
    FOREIGN_LANGS,
    balanced_nli,
    contrast_frames,
    contrast_nli,
    foreign_entities,
    minimal_pairs_nli,
)
from learning_curves_report import write_report
from learning_curves_trials import BASES, LANGS, N_TEST, TARGETS, TRIALS, base_root

RESULT_FILE = RESULTS / "learning_curves.json"


# ------------------------------------------------------------------------------------------------ base models


def build_base(name: str) -> tuple[Path, dict[str, Any]]:
    """Tokenizer + pre-training for base ``name`` as the pretrain stage builds them (cached by settings)."""
    from xlrobust.pretrain import pretrain
    from xlrobust.synthetic import generate_corpus
    from xlrobust.tasks import REGISTRY
    from xlrobust.tiny_base import pretrain_corpus
    from xlrobust.tokenizer import train_tokenizer

    spec = BASES[name]
    root = base_root(name)
    stats_file = root / "stats.json"
    if stats_file.is_file():
        return root / "model", json.loads(stats_file.read_text())
    t0, c0 = time.perf_counter(), time.process_time()
    corpus = pretrain_corpus(LANGS, spec["corpus_sentences"], SEED)  # as the pretrain stage builds it
    symbols = [k for t in REGISTRY.values() for k in t.keywords] if spec["symbols"] else []
    train_tokenizer(
        corpus, root / "tokenizer", vocab_size=spec["vocab_size"], seed=SEED, user_defined_symbols=symbols
    )
    t1, c1 = time.perf_counter(), time.process_time()
    stats = pretrain(
        corpus,
        root / "tokenizer",
        root / "model",
        {k: spec[k] for k in ("d_model", "d_ff", "num_heads", "num_layers")},
        steps=spec["steps"],
        batch_size=spec["batch_size"],
        lr=spec["lr"],
        seed=SEED,
        max_len=spec["max_len"],
        warmup_steps=spec["warmup_steps"],
        copy_fraction=spec["copy_fraction"],
        parallel={lang: generate_corpus(lang, spec["parallel"], SEED + 1) for lang in LANGS}
        if spec.get("parallel")
        else None,
        progress=False,
        # optional levers: pretrain's own defaults unless a base sets them
        **{k: spec[k] for k in ("compare_fraction", "parallel_mode") if k in spec},
    )
    out = {
        "corpus_tokenizer_s": round(t1 - t0, 1),
        "corpus_tokenizer_cpu_s": round(c1 - c0, 1),
        "pretrain_s": stats["seconds"],
        "pretrain_cpu_s": round(time.process_time() - c1, 1),
        "loss_first": stats["loss_first"],
        "loss_last": stats["loss_last"],
        "n_params": stats["n_params"],
        "vocab": stats["vocab_size"],
        "loadavg": os.getloadavg()[0],
    }
    stats_file.write_text(json.dumps(out))
    return root / "model", out


# ------------------------------------------------------------------------------------------------- fine-tuning


def evaluate(
    task, model, tok, model_cfg, test: dict[str, list[dict]], hard: list[int] | None = None
) -> dict[str, dict[str, float]]:
    """Primary score per target, plus the largest single-label share (XNLI) or malformed rate (PAN-X); with
    ``hard`` (XNLI: the test items the hypothesis-only baseline gets wrong) also the accuracy on those."""
    from xlrobust.config import EvalConfig
    from xlrobust.evaluate import predict

    cfg = EvalConfig(batch_size=64, device="cpu", max_new_tokens=48)
    out = {}
    for lang, examples in test.items():
        preds, _ = predict(
            task, model, tok, examples, model_cfg=model_cfg, cfg=cfg, device=model.device, desc=lang
        )
        scored = task.score(examples, preds, lang=lang.split("-")[0], options={"qa_normalization": "squad"})
        row = {
            "score": round(scored.metrics[task.primary_metric], 4),
            "examples": [[task.pairs(ex)[0].target, p] for ex, p in zip(examples[:3], preds, strict=False)],
        }
        if task.name == "xnli":
            row["top_label_share"] = round(Counter(preds).most_common(1)[0][1] / len(preds), 3)
            if hard and lang == "en":
                hits = sum(preds[i] == examples[i]["label"] for i in hard)
                row["beyond_hypothesis"] = round(hits / len(hard), 3)
        if task.name == "panx":
            row["malformed"] = round(scored.metrics["malformed_rate"], 3)
        out[lang] = row
    model.train()
    return out


def run_trial(name: str) -> dict[str, Any]:
    import numpy as np
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, get_linear_schedule_with_warmup

    from xlrobust.config import ModelConfig
    from xlrobust.finetune import encode_pairs
    from xlrobust.pretrain import bucketed_batches
    from xlrobust.tasks import get_task

    torch.set_num_threads(1)
    spec = TRIALS[name]
    base_dir, base_stats = build_base(spec["base"])
    task = get_task(spec["task"])
    model_cfg = ModelConfig(max_input_length=BASES[spec["base"]]["max_len"], max_target_length=48)
    tok = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(base_dir)
    if spec.get("dropout") is not None:  # fresh examples every step: nothing to regularise against
        for module in model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = spec["dropout"]
    # the XNLI sample variants (learning_curves_data): training sample, test sample
    variants = {
        "balanced": (balanced_nli, balanced_nli),
        "minimal_pairs": (minimal_pairs_nli, task.generate),
        "contrast_pairs": (contrast_nli, contrast_nli),
        # session 11: half the committed sample (its template prior), half counterfactual groups (the premise)
        "half_minimal_pairs": (
            lambda lang, split, n, seed: (
                task.generate(lang, split, n // 2, seed) + minimal_pairs_nli(lang, split, n - n // 2, seed)
            ),
            task.generate,
        ),
    }
    sample = spec.get("nli_sample")
    train_generate, generate = variants[sample] if sample else (task.generate, task.generate)
    train = train_generate("en", "train", spec["n_train"], SEED)
    if spec.get("foreign_entities"):  # a share of English entities replaced by other languages' native ones
        train = foreign_entities(train, spec["foreign_entities"], spec.get("foreign_langs", FOREIGN_LANGS))
    test = {lang: generate(lang, "test", N_TEST, SEED) for lang in TARGETS}
    hard = None
    if task.name == "xnli" and sample != "balanced":
        # the test items a hypothesis-only model gets wrong: each template's majority label among the sample's
        # first 8,000 training items (the default's training size) is not the item's label
        from xlrobust.synthetic.nli import nli_frames

        frames = contrast_frames if sample == "contrast_pairs" else nli_frames
        prior: dict[str, Counter] = {}
        for label, _p, template, _f, _h in frames("train", 8000, SEED):
            prior.setdefault(template, Counter())[label] += 1
        hard = [
            i
            for i, (gold, _p, t, _f, _h) in enumerate(frames("test", N_TEST, SEED))
            if prior[t].most_common(1)[0][0] != gold
        ]
    # held-out groups: only a model that reads the premise scores above ~1/2
    if sample in ("minimal_pairs", "half_minimal_pairs"):
        test["en-minpairs"] = minimal_pairs_nli("en", "test", N_TEST, SEED)
    feats, counts = encode_pairs(task, train, tok, model_cfg, training=True)
    # mT5's remedy for accidental translation: unlabelled multilingual denoising mixed in, with the whole sentence
    # as target (the copy examples that make up 90% of pre-training)
    if spec.get("dpt"):
        from xlrobust.span_corruption import encode_texts, sentinel_ids, span_corrupt
        from xlrobust.tiny_base import pretrain_corpus

        n_mix = int(round(len(feats) * spec["dpt"] / (1 - spec["dpt"])))
        per_lang = -(-n_mix // len(LANGS))
        drng = np.random.default_rng([SEED, 99])
        sent = sentinel_ids(tok)
        mix = []
        for corpus in pretrain_corpus(LANGS, per_lang, SEED).values():
            for ids in encode_texts(tok, corpus, 128):
                inp, _ = span_corrupt(ids, sent, tok.eos_token_id, drng)
                mix.append(
                    {"input_ids": inp, "attention_mask": [1] * len(inp), "labels": [*ids, tok.eos_token_id]}
                )
        feats = feats + mix[:n_mix]
    mean_tokens = float(np.mean([len(f["input_ids"]) + len(f["labels"]) for f in feats]))
    bs = spec["batch_size"]
    total_steps = -(-len(feats) * spec["epochs"] // bs)
    opt = torch.optim.AdamW(model.parameters(), lr=spec["lr"], weight_decay=0.0)
    sched = get_linear_schedule_with_warmup(opt, int(round(spec["warmup_ratio"] * total_steps)), total_steps)
    rng = np.random.default_rng(SEED)
    batches = bucketed_batches([len(f["input_ids"]) for f in feats], bs, rng)
    eval_steps = {min(total_steps, -(-e // bs)): e for e in spec["evals"]}
    torch.manual_seed(SEED)
    model.train()
    curve, train_s, train_cpu, losses = [], 0.0, 0.0, []
    for step in range(1, total_steps + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        rows = [feats[i] for i in next(batches)]
        n_in, n_out = max(len(r["input_ids"]) for r in rows), max(len(r["labels"]) for r in rows)
        ids = torch.tensor([r["input_ids"] + [0] * (n_in - len(r["input_ids"])) for r in rows])
        mask = torch.tensor([[1] * len(r["input_ids"]) + [0] * (n_in - len(r["input_ids"])) for r in rows])
        labels = torch.tensor([r["labels"] + [-100] * (n_out - len(r["labels"])) for r in rows])
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        train_s += time.perf_counter() - t0
        train_cpu += time.process_time() - c0
        if step in eval_steps:
            t1 = time.perf_counter()
            scores = evaluate(task, model, tok, model_cfg, test, hard)
            point = {
                "step": step,
                "examples_seen": step * bs,
                "train_s": round(train_s, 1),
                "train_cpu_s": round(train_cpu, 1),
                "eval_s": round(time.perf_counter() - t1, 1),
                "loss": round(float(np.mean(losses[-50:])), 4),
                "scores": scores,
                "loadavg": round(os.getloadavg()[0], 2),
            }
            curve.append(point)
            print(name, json.dumps(point), flush=True)
    return {
        "trial": name,
        **spec,
        "base_spec": BASES[spec["base"]],
        "base_stats": base_stats,
        "pairs": counts["pairs"],
        "mean_tokens_per_pair": round(mean_tokens, 1),
        "total_steps": total_steps,
        "examples_per_s": round(total_steps * bs / train_s, 1),
        "examples_per_cpu_s": round(total_steps * bs / train_cpu, 1),
        "curve": curve,
    }


def save(result: dict[str, Any]) -> None:
    from xlrobust.io import write_json

    data = json.loads(RESULT_FILE.read_text()) if RESULT_FILE.is_file() else {"trials": {}}
    data["machine"] = machine_info()
    data["trials"][result["trial"]] = result
    write_json(RESULT_FILE, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["trial", "list", "report"])
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    if args.command == "list":
        print("\n".join(TRIALS))
    elif args.command == "trial":
        for name in args.names:
            if name not in TRIALS:
                sys.exit(f"unknown trial {name!r}; see `list`")
            save(run_trial(name))
    else:
        write_report(json.loads(RESULT_FILE.read_text()))


if __name__ == "__main__":
    main()
