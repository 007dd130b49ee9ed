"""The learning-curve benchmark's bases (tokenizer + pre-training settings) and trials (fine-tuning runs on them).

A trial's name is ``<base>-<task>-<variant>``; ``python benchmarks/learning_curves.py list`` prints them all.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from common import CACHE

LANGS = ["ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw"]
TARGETS = ["en", "es", "sw", "hi"]
N_TEST = 128

# Base models. "old" is the committed default (params.yaml before issue 14); the others change one lever each
# or combine them.
OLD_BASE = {
    "vocab_size": 8000,
    "d_model": 128,
    "d_ff": 512,
    "num_heads": 4,
    "num_layers": 2,
    "symbols": False,
    "copy_fraction": 0.0,
    "steps": 500,
    "batch_size": 32,
    "lr": 3e-3,
    "warmup_steps": 50,
    "corpus_sentences": 3000,
    "max_len": 128,
}
BASES: dict[str, dict[str, Any]] = {
    "old": OLD_BASE,
    "sym": {**OLD_BASE, "symbols": True},
    "sym_copy": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5},
    "sym_copy_1k": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "steps": 1000},
    "sym_copy_w192": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "d_model": 192, "d_ff": 768},
    # Session 5: the default's base rebuilt on the current offline sample (shared organisations), and the same
    # with a larger share of copy examples in pre-training.
    "s5": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy80": {**OLD_BASE, "symbols": True, "copy_fraction": 0.8, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy90": {**OLD_BASE, "symbols": True, "copy_fraction": 0.9, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy90_700": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 700,
        "sample": "shared_orgs",
    },
    "s5_copy90_b64": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 500,
        "batch_size": 64,
        "sample": "shared_orgs",
    },
    "s5_copy90_b64_650": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 650,
        "batch_size": 64,
        "sample": "shared_orgs",
    },
    # Session 6: cross-lingual pre-training examples from parallel lines (zero-shot transfer)
    "s6_tlm10k": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 1000,
        "sample": "shared_orgs",
        "parallel": 10000,
        "parallel_mode": "tlm",
    },
    "s6_tr10k": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 1000,
        "sample": "shared_orgs",
        "parallel": 10000,
        "parallel_mode": "translate",
    },
    # the committed default's base after the international people (the offline sample changed, so a new cache key)
    "s6_intl": {**OLD_BASE, "symbols": True, "copy_fraction": 0.9, "steps": 1000, "sample": "intl_people"},
    "s5_copy95": {**OLD_BASE, "symbols": True, "copy_fraction": 0.95, "steps": 1000, "sample": "shared_orgs"},
}
# Session 8: the committed base (s6_intl) made wider or deeper: is XNLI's in-language plateau at 0.60 capacity?
BASES["s8_w192"] = {**BASES["s6_intl"], "d_model": 192, "d_ff": 768}
BASES["s8_l4"] = {**BASES["s6_intl"], "num_layers": 4}
# Session 11: a comparison objective in pre-training (xlrobust.pretrain_mixture.compare_pair): does the XNLI
# model learn to read the premise when aligning two sentences was learned in every language first?
BASES["s11_cmp30"] = {**BASES["s6_intl"], "compare_fraction": 0.3}
BASES["s11_cmp50"] = {**BASES["s6_intl"], "compare_fraction": 0.5}
# Fine-tuning runs: base, task, number of fresh training examples (one epoch unless epochs says more), batch, lr,
# and the points (examples seen) at which to evaluate.
FT_DEFAULT = {"batch_size": 32, "lr": 1e-3, "warmup_ratio": 0.05, "epochs": 1}


def _trial(base: str, task: str, n: int, evals: list[int], **kw: Any) -> dict[str, Any]:
    return {"base": base, "task": task, "n_train": n, "evals": evals, **FT_DEFAULT, **kw}


TRIALS: dict[str, dict[str, Any]] = {}
for _b in BASES:
    for _t in ("xnli", "panx", "tydiqa"):
        TRIALS[f"{_b}-{_t}-8k"] = _trial(_b, _t, 8000, [2000, 4000, 8000])
        TRIALS[f"{_b}-{_t}-16k"] = _trial(_b, _t, 16000, [2000, 4000, 8000, 16000])
        TRIALS[f"{_b}-{_t}-600x5"] = _trial(_b, _t, 600, [3000], epochs=5, batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-lr3e-3"] = _trial(_b, _t, 8000, [2000, 4000, 8000], lr=3e-3)
        TRIALS[f"{_b}-{_t}-8k-bs16"] = _trial(_b, _t, 8000, [2000, 4000, 8000], batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-bs16-dpt20"] = _trial(_b, _t, 8000, [10**9], batch_size=16, dpt=0.2)
        TRIALS[f"{_b}-{_t}-8k-bs16-foreign50"] = _trial(
            _b, _t, 8000, [2000, 4000, 8000], batch_size=16, foreign_entities=0.5
        )
        TRIALS[f"{_b}-{_t}-8k-bs16-foreign50-nottargets"] = _trial(
            _b, _t, 8000, [4000, 8000], batch_size=16, foreign_entities=0.5, foreign_langs=["de", "fi", "id"]
        )
        TRIALS[f"{_b}-{_t}-16k-bs16-balanced"] = _trial(
            _b, _t, 16000, [4000, 8000, 16000], batch_size=16, nli_sample="balanced"
        )
        TRIALS[f"{_b}-{_t}-16k-bs16-minpairs"] = _trial(
            _b, _t, 16000, [4000, 8000, 12000, 16000], batch_size=16, nli_sample="minimal_pairs"
        )
        TRIALS[f"{_b}-{_t}-16k-bs16-halfmp"] = _trial(
            _b, _t, 16000, [4000, 8000, 12000, 16000], batch_size=16, nli_sample="half_minimal_pairs"
        )
        # session 9: the XNLI sample made of contrast pairs (learning_curves_data.contrast_nli), for training and test
        TRIALS[f"{_b}-{_t}-8k-bs16-contrast"] = _trial(
            _b, _t, 8000, [2000, 4000, 8000], batch_size=16, nli_sample="contrast_pairs"
        )
        TRIALS[f"{_b}-{_t}-16k-bs16-contrast"] = _trial(
            _b, _t, 16000, [4000, 8000, 12000, 16000], batch_size=16, nli_sample="contrast_pairs"
        )
        TRIALS[f"{_b}-{_t}-8k-bs16-dpt50"] = _trial(_b, _t, 8000, [10**9], batch_size=16, dpt=0.5)
        TRIALS[f"{_b}-{_t}-8k-bs16-lr2e-3"] = _trial(_b, _t, 8000, [2000, 4000, 8000], batch_size=16, lr=2e-3)
        TRIALS[f"{_b}-{_t}-16k-bs16"] = _trial(_b, _t, 16000, [4000, 8000, 12000, 16000], batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-lr3e-3-nodrop"] = _trial(_b, _t, 8000, [2000, 4000, 8000], lr=3e-3, dropout=0.0)
        TRIALS[f"{_b}-{_t}-16k-lr3e-3-nodrop"] = _trial(
            _b, _t, 16000, [4000, 8000, 16000], lr=3e-3, dropout=0.0
        )


def base_key(spec: dict[str, Any]) -> str:
    """The cache key of a base's settings."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]


def base_root(name: str) -> Path:
    """Where base ``name`` (tokenizer/, model/, stats.json) is cached."""
    return CACHE / f"lc-base-{base_key(BASES[name])}"
