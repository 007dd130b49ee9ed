"""Benchmark 1: NLI evaluation throughput: rank classification vs free generation vs a pipeline-style loop.

Same fine-tuned model, same inputs (the offline XNLI test sample in several languages), measured side by side
and interleaved in one process. Methods:

- ``rank``: :func:`xlrobust.inference.rank_classify` (one encoder pass per batch, three label sequences scored).
- ``generate``: :func:`xlrobust.inference.generate` (greedy, length-sorted, dynamic padding), then exact string
  match against the label words (an output that is no label counts as wrong).
- ``pipeline_bs1``: what ``transformers.pipeline("text2text-generation")`` did, written out: it was removed in
  transformers 5 (huggingface/transformers PR #43256; ``pipeline("text2text-generation")`` now raises KeyError
  and ``text-generation`` does not support encoder-decoder models), so this is its per-example loop (the
  pipeline's default ``batch_size=1``): tokenize, ``model.generate``, decode.
- ``pipeline_bs64``: the same loop batched in input order with padding to the batch's longest input (what the
  pipeline did with ``batch_size=64``), for a fair batched comparison.
- ``rank_first_token`` (candidate optimisation, not in src): rank the choices by the log-probability of their
  first target token only, i.e. one decoder step per example instead of every token of all three labels. Valid
  only while the choices' first tokens differ (checked); agreement with ``rank`` is reported.

Usage: python benchmarks/eval_nli.py [--models-root DIR] [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch
from common import finetuned_model, set_threads, summary, test_examples, timed, write_result
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from xlrobust import inference
from xlrobust.tasks import get_task

LANGS = ["en", "es", "de", "sw", "hi", "ar"]


@torch.inference_mode()
def rank_first_token(
    model: Any, tokenizer: Any, input_ids: list[list[int]], choices: tuple[str, ...], *, batch_size: int
) -> list[str]:
    """Rank by the first target token's log-probability: encoder + one decoder step, sorted dynamic batches."""
    first = [ids[0] for ids in tokenizer(text_target=list(choices))["input_ids"]]
    if len(set(first)) != len(first):
        raise SystemExit(f"choices {choices} share a first token: first-token ranking cannot tell them apart")
    model.eval()
    preds = [""] * len(input_ids)
    order = sorted(range(len(input_ids)), key=lambda i: len(input_ids[i]))
    for k in range(0, len(order), batch_size):
        batch = order[k : k + batch_size]
        width = max(len(input_ids[i]) for i in batch)
        ids = torch.full((len(batch), width), tokenizer.pad_token_id, dtype=torch.long)
        for row, i in enumerate(batch):
            ids[row, : len(input_ids[i])] = torch.tensor(input_ids[i])
        start = torch.full((len(batch), 1), model.config.decoder_start_token_id, dtype=torch.long)
        logits = model(
            input_ids=ids, attention_mask=(ids != tokenizer.pad_token_id).long(), decoder_input_ids=start
        ).logits[:, 0, first]
        for row, i in enumerate(batch):
            preds[i] = choices[int(logits[row].argmax())]
    return preds


@torch.inference_mode()
def pipeline_loop(
    model: Any, tokenizer: Any, texts: list[str], *, batch_size: int, max_length: int, max_new_tokens: int
) -> list[str]:
    """The removed Text2TextGenerationPipeline's work, in input order: tokenize, generate greedily, decode."""
    model.eval()
    out: list[str] = []
    for i in range(0, len(texts), batch_size):
        enc = tokenizer(
            texts[i : i + batch_size],
            max_length=max_length,
            truncation=True,
            padding="longest",
            return_tensors="pt",
        )
        ids = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1)
        out.extend(t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-root", type=Path, default=None)
    parser.add_argument("--per-lang", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    args = parser.parse_args()
    set_threads(args.threads)
    model_dir, origin = finetuned_model("xnli", args.models_root)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    task = get_task("xnli")
    data = test_examples("xnli", LANGS, args.per_lang)
    texts = [task.pairs(ex)[0].source for _, ex in data]
    golds = [ex["label"] for _, ex in data]
    max_len = 128

    def rank() -> list[str]:
        ids = inference.encode_inputs(tokenizer, texts, max_len)
        return inference.rank_classify(
            model, tokenizer, ids, task.choices, batch_size=args.batch_size, device=torch.device("cpu")
        )

    def generate() -> list[str]:
        ids = inference.encode_inputs(tokenizer, texts, max_len)
        return inference.generate(
            model,
            tokenizer,
            ids,
            batch_size=args.batch_size,
            max_new_tokens=args.max_new_tokens,
            device=torch.device("cpu"),
        )

    methods = {
        "rank": rank,
        "generate": generate,
        "pipeline_bs1": lambda: pipeline_loop(
            model, tokenizer, texts, batch_size=1, max_length=max_len, max_new_tokens=args.max_new_tokens
        ),
        "pipeline_bs64": lambda: pipeline_loop(
            model,
            tokenizer,
            texts,
            batch_size=args.batch_size,
            max_length=max_len,
            max_new_tokens=args.max_new_tokens,
        ),
        "rank_first_token": lambda: rank_first_token(
            model,
            tokenizer,
            inference.encode_inputs(tokenizer, texts, max_len),
            task.choices,
            batch_size=args.batch_size,
        ),
    }
    times: dict[str, list[float]] = {m: [] for m in methods}
    preds: dict[str, list[str]] = {}
    for m, fn in methods.items():  # warm-up
        preds[m] = fn()
    for _ in range(args.repeats):  # interleaved, so load changes hit every method alike
        for m, fn in methods.items():
            t, preds[m] = timed(fn, repeats=1, warmup=0)
            times[m] += t
    n = len(texts)
    res: dict[str, Any] = {}
    for m in methods:
        acc = sum(p == g for p, g in zip(preds[m], golds, strict=True)) / n
        valid = sum(p in task.choices for p in preds[m]) / n
        by_lang = {
            lang: round(
                sum(p == g for p, g, (lg, _) in zip(preds[m], golds, data, strict=True) if lg == lang)
                / sum(lg == lang for lg, _ in data),
                4,
            )
            for lang in LANGS
        }
        res[m] = {
            **summary(times[m], n),
            "accuracy": round(acc, 4),
            "accuracy_by_lang": by_lang,
            "valid_label_rate": round(valid, 4),
        }

    def agree(a: str, b: str) -> float:
        return round(sum(x == y for x, y in zip(preds[a], preds[b], strict=True)) / n, 4)

    speed = {
        f"rank_vs_{m}": round(res[m]["median_s"] / res["rank"]["median_s"], 2) for m in methods if m != "rank"
    }
    write_result(
        "eval_nli",
        {
            "model": origin,
            "n_examples": n,
            "languages": LANGS,
            "batch_size": args.batch_size,
            "max_new_tokens": args.max_new_tokens,
            "repeats": args.repeats,
            "methods": res,
            "speedup": speed,
            "agreement": {
                "generate_vs_pipeline_bs1": agree("generate", "pipeline_bs1"),
                "generate_vs_pipeline_bs64": agree("generate", "pipeline_bs64"),
                "rank_vs_generate": agree("rank", "generate"),
                "rank_first_token_vs_rank": agree("rank_first_token", "rank"),
            },
            "target_rank_5x_pipeline": speed["rank_vs_pipeline_bs1"] >= 5
            and res["rank"]["accuracy"] >= res["pipeline_bs1"]["accuracy"],
        },
    )


if __name__ == "__main__":
    main()
