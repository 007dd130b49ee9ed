"""Learning-curve benchmark, session 11: did a base pre-trained with the comparison objective learn it?

``xlrobust.pretrain_mixture.compare_pair`` turns a sentence into ``A <sep> B`` (B = A, or A with one word
replaced, deleted or two words swapped) and asks for the difference. This probe greedily decodes 100 such
examples per language, built from the 100 generated sentences that follow the pre-training corpus's 3,000, with
the learning-curve bases named on the command line (built by ``learning_curves.py``), and prints the share of
exact answers and of answers whose first token (the kind of difference; chance 1/4) is right.

Usage: PYTHONPATH=src python benchmarks/compare_probe.py s11_cmp30 s11_cmp50      Results: RESULTS section 20.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import torch
from learning_curves_trials import LANGS, base_root
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from xlrobust.pretrain_mixture import compare_pair, word_starts
from xlrobust.span_corruption import encode_texts, sentinel_ids
from xlrobust.tiny_base import pretrain_corpus

SEED = 13
N = 100


def probe(name: str, held: dict[str, list[str]]) -> dict[str, list[float]]:
    model_dir = base_root(name) / "model"
    if not model_dir.is_dir():
        sys.exit(f"{model_dir} does not exist: run a learning_curves.py trial on base {name} first")
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
    starts, sent, pad = word_starts(tok), sentinel_ids(tok), tok.pad_token_id
    out = {}
    for lang, sents in held.items():
        ids = encode_texts(tok, sents, 128)
        rng = np.random.default_rng(SEED)
        examples = [
            compare_pair(ids[i], ids[(i + 1) % len(ids)], starts, sent, tok.eos_token_id, rng, 128)
            for i in range(len(ids))
        ]
        exact = kind = 0
        for k in range(0, len(examples), 25):
            batch = examples[k : k + 25]
            n = max(len(i) for i, _ in batch)
            inputs = torch.tensor([i + [pad] * (n - len(i)) for i, _ in batch])
            with torch.no_grad():
                generated = model.generate(
                    input_ids=inputs,
                    attention_mask=(inputs != pad).long(),
                    max_new_tokens=24,
                    do_sample=False,
                )
            for row, (_, target) in zip(generated.tolist(), batch, strict=True):
                row = [x for x in row[1:] if x != pad]
                exact += row == target
                kind += bool(row) and row[0] == target[0]
        out[lang] = [round(exact / len(examples), 2), round(kind / len(examples), 2)]
    return out


def main() -> None:
    torch.set_num_threads(1)
    corpus = pretrain_corpus(LANGS, 3000 + N, SEED)
    held = {lang: lines[3000:] for lang, lines in corpus.items()}
    for name in sys.argv[1:]:
        print(name, "per language [exact, kind right]:", json.dumps(probe(name, held)), flush=True)


if __name__ == "__main__":
    main()
