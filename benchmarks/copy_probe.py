"""Benchmark 8 (issue 14): how fast does the tiny mT5 learn to *copy*?

NER and QA targets are copies of input spans, yet the committed base model does not copy (given a sentence it
emits a few tokens, not the sentence). This probe trains the default tiny architecture from scratch on the
default pre-training corpus with one objective and, every 100 steps, reports the teacher-forced token accuracy
of reproducing 400 held-out sentences (40 per language):

  ident   input = the sentence, target = the sentence (identity copy)
  infill  input = span-corrupted sentence, target = the whole sentence (BART-style; pretrain.copy_fraction 1)
  t5      input = span-corrupted sentence, target = the masked spans (T5; pretrain.copy_fraction 0)

Usage (after the pipeline's pretrain stage, whose tokenizer it reads from models/base):
  PYTHONPATH=src python benchmarks/copy_probe.py MODE STEPS LR      (env DM: width, NL: depth)
Results: benchmarks/RESULTS.md section 11.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import torch
from transformers import AutoTokenizer, get_linear_schedule_with_warmup

from xlrobust.modeling import build_model
from xlrobust.pretrain import _build_config, _encode_corpus, bucketed_batches
from xlrobust.span_corruption import collate, sentinel_ids, span_corrupt
from xlrobust.synthetic import generate_corpus

LANGS = ["ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw"]
SEED_STRIDE = 104729  # as stages/pretrain.py


def main() -> None:
    mode, steps, lr = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    width, depth = int(os.environ.get("DM", "128")), int(os.environ.get("NL", "2"))
    torch.set_num_threads(1)
    tok = AutoTokenizer.from_pretrained("models/base")
    corpus = {lang: generate_corpus(lang, 3000, 13 + SEED_STRIDE * (i + 1)) for i, lang in enumerate(LANGS)}
    held = {lang: generate_corpus(lang, 40, 999 + i) for i, lang in enumerate(LANGS)}
    train, heldout = _encode_corpus(tok, corpus, 128)[0], _encode_corpus(tok, held, 128)[0]
    cfg = _build_config({"d_model": width, "d_ff": 4 * width, "num_heads": 4, "num_layers": depth}, len(tok))
    model = build_model(cfg, 13)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, 50, steps)
    rng = np.random.default_rng(13)
    sentinels, eos = sentinel_ids(tok), tok.eos_token_id
    batches = bucketed_batches([len(e) for e in train], 32, rng)

    def pair(ids: list[int]) -> tuple[list[int], list[int]]:
        whole = [*ids, eos]
        if mode == "ident":
            return whole, whole
        inputs, targets = span_corrupt(ids, sentinels, eos, rng, 0.15, 3.0)
        return (inputs, whole) if mode == "infill" else (inputs, targets)

    def copy_accuracy() -> float:
        model.eval()
        right = total = 0
        with torch.no_grad():
            for k in range(0, len(heldout), 64):
                batch = collate([([*e, eos], [*e, eos]) for e in heldout[k : k + 64]], tok.pad_token_id)
                labels = batch["labels"]
                mask = labels != -100
                right += int(((model(**batch).logits.argmax(-1) == labels) & mask).sum())
                total += int(mask.sum())
        model.train()
        return right / total

    start = time.perf_counter()
    for step in range(1, steps + 1):
        loss = model(**collate([pair(train[i]) for i in next(batches)], tok.pad_token_id)).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 100 == 0:
            acc, secs = copy_accuracy(), time.perf_counter() - start
            print(f"{mode} step {step} loss {loss.item():.3f} copy_acc {acc:.3f} {secs:.0f}s", flush=True)


if __name__ == "__main__":
    main()
