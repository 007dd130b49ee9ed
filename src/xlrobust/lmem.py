"""LMEM: how well the model reconstructs masked tokens of a language, its proxy for language competence.

Definition (per language): take the held-out sentences of that language, apply mT5 span corruption with a seed
(:func:`xlrobust.span_corruption.span_corrupt`: 15% of tokens in spans of mean length 3), run the model with
teacher forcing on the gold target sequence ``<extra_id_0> span_0 <extra_id_1> span_1 ... </s>``, and take the
argmax at every target position. Each real token of a span counts once, as correct when the argmax at its
position equals it; sentinels, EOS and padding are not counted. LMEM is the mean of ``1(x_i == x̂_i)`` over all
masked tokens of the language, pooled over its sentences (not averaged per sentence). Teacher forcing makes the
score independent of decoding choices, and the sentinel convention is mT5's, so the same number is defined for
the tiny model and for ``google/mt5-base``. The corruption of each sentence depends only on (seed, language,
sentence order), not on the batch size or on which other languages are measured.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import torch

from xlrobust.errors import ConfigError, DataError
from xlrobust.span_corruption import (
    LABEL_PAD,
    MEAN_NOISE_SPAN_LENGTH,
    NOISE_DENSITY,
    check_corruption,
    collate,
    encode_texts,
    sentinel_ids,
    span_corrupt,
)


def count_masked_hits(
    logits: torch.Tensor, labels: torch.Tensor, not_counted: Collection[int]
) -> tuple[int, int]:
    """Return ``(correct, counted)`` over label positions holding a real token.

    ``logits`` is ``[batch, target_len, vocab]`` (or already argmax ids ``[batch, target_len]``); ``labels`` holds
    the gold target ids with ``-100`` at padding. Positions whose label is in ``not_counted`` (sentinels, EOS, pad)
    are skipped.
    """
    pred = logits.argmax(dim=-1) if logits.dim() == labels.dim() + 1 else logits
    if pred.shape != labels.shape:
        raise ValueError(f"predictions {tuple(pred.shape)} and labels {tuple(labels.shape)} differ in shape")
    counted = labels != LABEL_PAD
    if not_counted:
        counted &= ~torch.isin(labels, torch.tensor(sorted(not_counted), device=labels.device))
    return int((pred == labels)[counted].sum()), int(counted.sum())


def _lang_rng(seed: int, lang: str) -> np.random.Generator:
    """A generator per (seed, language), so one language's masks do not depend on the others."""
    return np.random.default_rng([seed, zlib.crc32(lang.encode("utf-8"))])


@torch.no_grad()
def _score_pairs(
    model: Any, pairs: list[tuple[list[int], list[int]]], not_counted: set[int], pad_id: int, batch_size: int
) -> tuple[int, int]:
    """Teacher-forced argmax hits over all pairs, in length-sorted batches (order does not change the counts)."""
    device = next(model.parameters()).device
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), len(pairs[i][1])))
    correct = total = 0
    for start in range(0, len(order), batch_size):
        batch = collate([pairs[i] for i in order[start : start + batch_size]], pad_id)
        batch = {k: v.to(device) for k, v in batch.items()}
        c, n = count_masked_hits(model(**batch).logits, batch["labels"], not_counted)
        correct += c
        total += n
    return correct, total


def measure_lmem(
    model: Any,
    tokenizer: Any,
    texts_by_lang: Mapping[str, Sequence[str]],
    seed: int = 0,
    batch_size: int = 32,
    max_len: int = 128,
    noise_density: float = NOISE_DENSITY,
    mean_noise_span_length: float = MEAN_NOISE_SPAN_LENGTH,
) -> dict[str, dict[str, float | int]]:
    """LMEM per language: ``{lang: {"lmem": accuracy, "n_masked": tokens scored, "n_sentences": used}}``.

    Runs on the model's current device; the model is put in eval mode and restored to its previous mode.
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ConfigError(f"lmem batch_size must be a positive integer, got {batch_size!r}")
    check_corruption(max_len, noise_density, mean_noise_span_length)
    if not texts_by_lang:
        raise DataError("LMEM: no held-out text given (texts_by_lang is empty)")
    sentinels = sentinel_ids(tokenizer)
    eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
    not_counted = {*sentinels, eos, pad}
    was_training = model.training
    model.eval()
    results: dict[str, dict[str, float | int]] = {}
    try:
        for lang in sorted(texts_by_lang):
            examples = encode_texts(tokenizer, texts_by_lang[lang], max_len)
            if not examples:
                raise DataError(f"LMEM: language {lang!r} has no held-out sentence of at least 2 tokens")
            rng = _lang_rng(seed, lang)
            pairs = [
                span_corrupt(ids, sentinels, eos, rng, noise_density, mean_noise_span_length)
                for ids in examples
            ]
            correct, total = _score_pairs(model, pairs, not_counted, pad, batch_size)
            results[lang] = {"lmem": correct / total, "n_masked": total, "n_sentences": len(examples)}
    finally:
        model.train(was_training)
    return results
