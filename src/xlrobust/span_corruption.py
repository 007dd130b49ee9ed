"""T5/mT5 span corruption, implemented with numpy so that it is exactly reproducible from a seed.

``random_spans_noise_mask`` picks 15% of tokens in spans of mean length 3 (T5's
``t5.data.preprocessors.random_spans_noise_mask``); :func:`span_corrupt` replaces each span by a sentinel in the
inputs, and the target lists the sentinels, in order, each followed by its span. The objective of
:mod:`xlrobust.pretrain` and the definition of LMEM (:mod:`xlrobust.lmem`) both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from xlrobust.errors import ConfigError, ModelError
from xlrobust.tokenizer import NUM_SENTINELS, sentinel_token

NOISE_DENSITY = 0.15
MEAN_NOISE_SPAN_LENGTH = 3.0
LABEL_PAD = -100  # ignored by the loss


def _random_segmentation(num_items: int, num_segments: int, rng: np.random.Generator) -> np.ndarray:
    """Split ``num_items`` into ``num_segments`` non-empty segments uniformly at random; return their lengths."""
    mask_indices = np.arange(num_items - 1) < (num_segments - 1)
    rng.shuffle(mask_indices)
    first_in_segment = np.pad(mask_indices, [[1, 0]])
    segment_id = np.cumsum(first_in_segment)
    return np.bincount(segment_id, minlength=num_segments)


def random_spans_noise_mask(
    length: int,
    rng: np.random.Generator,
    noise_density: float = NOISE_DENSITY,
    mean_noise_span_length: float = MEAN_NOISE_SPAN_LENGTH,
) -> np.ndarray:
    """T5's ``random_spans_noise_mask``: a boolean mask with round(length * density) noise tokens in
    round(noise / mean_span) spans; the sequence starts with a non-noise span and ends with a noise span."""
    orig_length = length
    length = max(length, 2)  # as in T5: avoid degeneracy
    num_noise_tokens = int(np.round(length * noise_density))
    num_noise_tokens = min(max(num_noise_tokens, 1), length - 1)
    num_noise_spans = max(int(np.round(num_noise_tokens / mean_noise_span_length)), 1)
    num_nonnoise_tokens = length - num_noise_tokens
    num_noise_spans = min(num_noise_spans, num_nonnoise_tokens)
    noise_span_lengths = _random_segmentation(num_noise_tokens, num_noise_spans, rng)
    nonnoise_span_lengths = _random_segmentation(num_nonnoise_tokens, num_noise_spans, rng)
    interleaved = np.stack([nonnoise_span_lengths, noise_span_lengths], axis=1).reshape(-1)
    span_starts = np.cumsum(interleaved)[:-1]
    span_start_indicator = np.zeros(length, dtype=np.int64)
    span_start_indicator[span_starts] = 1
    is_noise = np.cumsum(span_start_indicator) % 2 == 1
    return is_noise[:orig_length]


def span_corrupt(
    ids: Sequence[int],
    sentinel_ids: Sequence[int],
    eos_id: int,
    rng: np.random.Generator,
    noise_density: float = NOISE_DENSITY,
    mean_noise_span_length: float = MEAN_NOISE_SPAN_LENGTH,
) -> tuple[list[int], list[int]]:
    """Corrupt token ids (no EOS) into T5 ``(inputs, targets)``, both ending in EOS.

    inputs:  kept tokens with the k-th noise span replaced by ``sentinel_ids[k]``;
    targets: ``sentinel_ids[0] span_0 sentinel_ids[1] span_1 ...``.
    """
    mask = random_spans_noise_mask(len(ids), rng, noise_density, mean_noise_span_length)
    inputs: list[int] = []
    targets: list[int] = []
    span = -1
    for i, (tok, noise) in enumerate(zip(ids, mask.tolist(), strict=True)):
        if noise:
            if i == 0 or not mask[i - 1]:
                span += 1
                if span >= len(sentinel_ids):
                    raise ModelError(
                        f"span corruption needs more than {len(sentinel_ids)} sentinels for a sequence of "
                        f"{len(ids)} tokens; lower max_len"
                    )
                inputs.append(sentinel_ids[span])
                targets.append(sentinel_ids[span])
            targets.append(int(tok))
        else:
            inputs.append(int(tok))
    return inputs + [eos_id], targets + [eos_id]


def sentinel_ids(tokenizer: Any, n: int = NUM_SENTINELS) -> list[int]:
    """Ids of the sentinels 0..n-1 exactly as mT5 was pre-trained with them: sentinel ``i`` is id
    ``vocab_size - 1 - i`` (t5.data ``preprocessors.span_corruption`` / ``noise_span_to_unique_sentinel``, whose
    ``vocab_size`` counts the SentencePiece pieces plus any extra ids).

    ``google/mt5-base`` ships ``extra_ids: 0``: its 100 sentinels are the *last* pieces of ``spiece.model`` itself,
    spelled ``▁<extra_id_i>`` (so the string ``<extra_id_0>`` is not a token there and maps to ``<unk>``); T5 and
    the tokenizers of :mod:`xlrobust.tokenizer` append ``<extra_id_i>`` tokens instead, with ``<extra_id_0>`` last.
    Both are the same ids by this rule; the token at each id is checked to be sentinel ``i`` in either spelling,
    so a tokenizer laid out otherwise is refused rather than silently corrupting text with ordinary pieces.
    """
    size = len(tokenizer)
    ids = [size - 1 - i for i in range(n)]
    tokens = tokenizer.convert_ids_to_tokens(ids) if size >= n else []
    for i, tok in enumerate(tokens):
        if tok not in (sentinel_token(i), "\u2581" + sentinel_token(i)):
            tokens = []
            break
    if not tokens:
        raise ModelError(
            f"tokenizer {getattr(tokenizer, 'name_or_path', '')!r} lacks the mT5 sentinel tokens <extra_id_0>.."
            f"<extra_id_{n - 1}> as its last {n} ids (mT5: the last pieces of spiece.model; T5: added above it); "
            "use an mT5/T5 tokenizer or one trained by xlrobust.tokenizer.train_tokenizer"
        )
    return ids


def check_corruption(max_len: int, noise_density: float, mean_noise_span_length: float) -> None:
    """Reject settings span corruption cannot honour: bad rates, or more spans than the 100 sentinels."""
    if not isinstance(max_len, int) or max_len < 8:
        raise ConfigError(f"max_len must be an integer of at least 8 tokens, got {max_len!r}")
    if not 0 < noise_density < 1:
        raise ConfigError(f"span corruption noise_density must be in (0, 1), got {noise_density!r}")
    if not mean_noise_span_length >= 1:
        raise ConfigError(f"span corruption mean_span_length must be >= 1, got {mean_noise_span_length!r}")
    length = max_len - 1
    noise = min(max(int(np.round(length * noise_density)), 1), length - 1)
    spans = max(int(np.round(noise / mean_noise_span_length)), 1)
    if spans > NUM_SENTINELS:
        raise ConfigError(
            f"span corruption of {length} tokens (max_len {max_len}, noise_density {noise_density}, "
            f"mean_span_length {mean_noise_span_length}) needs {spans} sentinels but only {NUM_SENTINELS} "
            "exist; lower max_len or raise mean_span_length"
        )


def encode_texts(tokenizer: Any, texts: Sequence[str], max_len: int) -> list[list[int]]:
    """Token ids of each text (no EOS), truncated to ``max_len - 1`` so that corrupted inputs and targets plus EOS
    fit ``max_len``; texts of fewer than 2 tokens are dropped (nothing to corrupt)."""
    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if not texts:
        return []
    encoded = tokenizer(texts, add_special_tokens=False)["input_ids"]
    return [list(ids[: max_len - 1]) for ids in encoded if len(ids) >= 2]


def collate(pairs: Sequence[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    """Dynamic padding to the longest inputs/targets of the batch; padded labels are ignored by the loss."""
    n_in = max(len(i) for i, _ in pairs)
    n_out = max(len(t) for _, t in pairs)
    input_ids = torch.full((len(pairs), n_in), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(pairs), n_in), dtype=torch.long)
    labels = torch.full((len(pairs), n_out), LABEL_PAD, dtype=torch.long)
    for row, (inp, tgt) in enumerate(pairs):
        input_ids[row, : len(inp)] = torch.tensor(inp)
        attention_mask[row, : len(inp)] = 1
        labels[row, : len(tgt)] = torch.tensor(tgt)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
