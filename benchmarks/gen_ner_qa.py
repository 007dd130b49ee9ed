"""Benchmark 2: NER/QA generation throughput: length-sorted batches + dynamic padding vs fixed padding.

``dynamic``: :func:`xlrobust.inference.generate` (inputs sorted by length, each batch padded to its own longest
input). ``fixed``: the common baseline written here: inputs in their given order, every batch padded to
``max_input_length`` (128), same greedy decoding. Same fine-tuned model and inputs (the offline PAN-X and
TyDiQA test samples in several languages), measured interleaved; predictions are compared (padding is masked,
so they should agree up to float rounding).

Usage: python benchmarks/gen_ner_qa.py [--models-root DIR] [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

import torch
from common import finetuned_model, set_threads, summary, test_examples, timed, write_result
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from xlrobust import inference
from xlrobust.inference import token_fitter
from xlrobust.tasks import get_task

LANGS = ["en", "es", "sw", "hi"]


@torch.inference_mode()
def fixed_padding_generate(
    model: Any, tokenizer: Any, texts: list[str], *, batch_size: int, max_length: int, max_new_tokens: int
) -> list[str]:
    """Baseline: input order, every batch padded to ``max_length``."""
    model.eval()
    out: list[str] = []
    for i in range(0, len(texts), batch_size):
        enc = tokenizer(
            texts[i : i + batch_size],
            max_length=max_length,
            truncation=True,
            padding="max_length",
            return_tensors="pt",
        )
        ids = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1)
        out.extend(t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True))
    return out


def bench_task(name: str, args: argparse.Namespace) -> dict[str, Any]:
    model_dir, origin = finetuned_model(name, args.models_root)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    task = get_task(name)
    max_len = 128
    fits = token_fitter(tokenizer, max_len)
    data = [ex for _, ex in test_examples(name, LANGS, args.per_lang)]
    texts = [task.pairs(ex, fit=fits)[0].source for ex in data]
    lengths = [len(x) for x in inference.encode_inputs(tokenizer, texts, max_len)]

    def dynamic() -> list[str]:
        ids = inference.encode_inputs(tokenizer, texts, max_len)
        return inference.generate(
            model,
            tokenizer,
            ids,
            batch_size=args.batch_size,
            max_new_tokens=args.max_new_tokens,
            device=torch.device("cpu"),
        )

    def fixed() -> list[str]:
        return fixed_padding_generate(
            model,
            tokenizer,
            texts,
            batch_size=args.batch_size,
            max_length=max_len,
            max_new_tokens=args.max_new_tokens,
        )

    methods = {"dynamic": dynamic, "fixed": fixed}
    times: dict[str, list[float]] = {m: [] for m in methods}
    preds = {m: fn() for m, fn in methods.items()}  # warm-up
    for _ in range(args.repeats):
        for m, fn in methods.items():
            t, preds[m] = timed(fn, repeats=1, warmup=0)
            times[m] += t
    n = len(texts)
    res = {}
    for m in methods:
        score = task.score(data, preds[m], lang="en", options={"qa_normalization": "squad"})
        res[m] = {**summary(times[m], n), task.primary_metric: round(score.metrics[task.primary_metric], 4)}
    return {
        "model": origin,
        "n_examples": n,
        "input_tokens": {
            "median": statistics.median(lengths),
            "max": max(lengths),
            "mean": round(statistics.mean(lengths), 1),
        },
        "methods": res,
        "speedup_dynamic_vs_fixed": round(res["fixed"]["median_s"] / res["dynamic"]["median_s"], 2),
        "agreement": round(sum(a == b for a, b in zip(preds["dynamic"], preds["fixed"], strict=True)) / n, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-root", type=Path, default=None)
    parser.add_argument("--per-lang", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    args = parser.parse_args()
    set_threads(args.threads)
    tasks = {name: bench_task(name, args) for name in ("panx", "tydiqa")}
    write_result(
        "gen_ner_qa",
        {
            "languages": LANGS,
            "batch_size": args.batch_size,
            "max_new_tokens": args.max_new_tokens,
            "repeats": args.repeats,
            "tasks": tasks,
        },
    )


if __name__ == "__main__":
    main()
