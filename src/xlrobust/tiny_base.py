"""The tiny base model's recipe from params: its pre-training text, its tokenizer and its ``pretrain`` arguments.

Defined once here so the ``pretrain`` stage, the numerics check (``tools/check_numerics.py``) and the benchmarks
build exactly the same base from the same params.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlrobust.config import Params
from xlrobust.synthetic import generate_corpus
from xlrobust.tasks import get_task

# Each language's pre-training text comes from its own seed stream, so the corpora are not parallel (mT5 saw no
# translation pairs either).
LANGUAGE_SEED_STRIDE = 104729


def pretrain_corpus(languages: list[str], sentences: int, seed: int) -> dict[str, list[str]]:
    """``sentences`` generated lines per language; language i draws from seed ``seed + stride * (i + 1)``."""
    return {
        lang: generate_corpus(lang, sentences, seed + LANGUAGE_SEED_STRIDE * (i + 1))
        for i, lang in enumerate(languages)
    }


def params_corpus(params: Params) -> dict[str, list[str]]:
    """The pre-training corpus params ask for."""
    return pretrain_corpus(params.pretrain.languages, params.pretrain.corpus_sentences, params.seed)


def train_base_tokenizer(params: Params, corpus: dict[str, list[str]], tok_dir: Path) -> None:
    """The SentencePiece tokenizer of the tiny base; every task keyword is one piece in every language."""
    from xlrobust.tokenizer import train_tokenizer

    keywords = [k for name in params.tasks for k in get_task(name).keywords]
    train_tokenizer(
        corpus, tok_dir, vocab_size=params.model.vocab_size, seed=params.seed, user_defined_symbols=keywords
    )


def pretrain_kwargs(params: Params) -> dict[str, Any]:
    """Keyword arguments of :func:`xlrobust.pretrain.pretrain` (after corpus, tokenizer and output folder)."""
    cfg, model_cfg = params.pretrain, params.model
    return {
        "config": {
            "d_model": model_cfg.d_model,
            "d_ff": model_cfg.d_ff,
            "num_heads": model_cfg.num_heads,
            "num_layers": model_cfg.num_layers,
        },
        "steps": cfg.steps,
        "batch_size": cfg.batch_size,
        "lr": cfg.lr,
        "seed": params.seed,
        "max_len": model_cfg.max_input_length,
        "warmup_steps": cfg.warmup_steps,
        "noise_density": cfg.noise_density,
        "mean_noise_span_length": cfg.mean_span_length,
        "weight_decay": cfg.weight_decay,
        "device": cfg.device,
        "copy_fraction": cfg.copy_fraction,
    }
