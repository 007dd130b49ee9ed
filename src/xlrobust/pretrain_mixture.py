"""A copy-friendly pre-training mixture: some span-corruption examples reconstruct the whole input instead.

Span corruption (T5) only ever asks the decoder for the few masked spans, never for a long stretch of the input,
yet the NER and QA formats are mostly copying (entity surfaces, answer spans). A tiny model fine-tuned on a few
thousand examples then spends its budget learning to copy, separately for every (task, source) model. Mixing in a
sentinel-free denoising objective learns copying once, in pre-training: for a share ``copy_fraction`` of the
examples the input stays the span-corrupted one (sentinels in place of the masked spans) but the target is the
whole original sequence, as in BART's text infilling (Lewis et al. 2020, "BART", section 2.2: the decoder
reconstructs the full document from an input whose spans are each replaced by one mask token) and MASS-style
objectives. Which examples get the full target is drawn from the pre-training generator, so the mixture is a pure
function of the seed; with ``copy_fraction == 0`` no draw is made and pre-training is exactly T5's.

Two more kinds of example exist for the learning-curve benchmarks only, both measured and not adopted: parallel
lines (:func:`parallel_examples`, RESULTS section 15) and sentence comparison (:func:`compare_pair`, section 20).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from xlrobust.errors import ConfigError
from xlrobust.tokenizer import WORD_START


def _check_share(name: str, value: float, *, one_allowed: bool) -> None:
    """A share of the pre-training examples: a number in [0, 1] (or [0, 1) without ``one_allowed``)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not (0 <= value <= 1 if one_allowed else 0 <= value < 1)
    ):
        bounds = "[0, 1]" if one_allowed else "[0, 1)"
        raise ConfigError(f"pretrain {name} must be a number in {bounds}, got {value!r}")


def check_copy_fraction(copy_fraction: float) -> None:
    """A share in [0, 1]."""
    _check_share("copy_fraction", copy_fraction, one_allowed=True)


def reconstruct_some(
    pairs: Sequence[tuple[list[int], list[int]]],
    originals: Sequence[Sequence[int]],
    eos_id: int,
    rng: np.random.Generator,
    copy_fraction: float,
) -> list[tuple[list[int], list[int]]]:
    """Replace the target of a random ``copy_fraction`` share of span-corruption ``pairs`` by the full original
    sequence (``originals[i]`` + EOS); inputs are unchanged. One uniform draw per pair, none when the share is 0."""
    if len(pairs) != len(originals):
        raise ValueError(f"{len(pairs)} corrupted pairs but {len(originals)} original sequences")
    if copy_fraction <= 0:
        return [(list(i), list(t)) for i, t in pairs]
    full = rng.random(len(pairs)) < copy_fraction
    return [
        (list(inputs), [*map(int, orig), eos_id] if whole else list(targets))
        for (inputs, targets), orig, whole in zip(pairs, originals, full.tolist(), strict=True)
    ]


PARALLEL_MODES = ("tlm", "translate")


def parallel_examples(
    tokenizer: Any, parallel: Mapping[str, Sequence[str]], max_len: int, seed: int, mode: str
) -> list[Any]:
    """Cross-lingual pre-training examples from parallel lines (line i has the same content in every language),
    for benchmarks that test whether translation pairs give the tiny model zero-shot transfer (RESULTS section 15:
    they did not, so the default pipeline never passes any; mT5 saw none either).

    For each line a random ordered pair of distinct languages (A, B), drawn from its own generator so the rest of
    pre-training is unchanged. ``tlm``: the ids of A_i followed by B_i, span-corrupted like any monolingual
    example (XLM's translation language modelling, Conneau & Lample 2019, section 3.3); ``translate``: the fixed
    (input, target) pair (``<B>`` + A_i, B_i), machine translation as in mT6 (Chi et al. 2021, section 3.1).
    """
    if mode not in PARALLEL_MODES:
        raise ConfigError(f"parallel mode must be one of {', '.join(PARALLEL_MODES)}, got {mode!r}")
    langs = sorted(parallel)
    if len(langs) < 2:
        raise ConfigError(f"parallel examples need at least 2 languages, got {langs}")
    n = min(len(v) for v in parallel.values())
    rng = np.random.default_rng([seed, 7919])
    eos = tokenizer.eos_token_id
    enc = {lang: tokenizer(list(parallel[lang][:n]), add_special_tokens=False)["input_ids"] for lang in langs}
    out: list[Any] = []
    for i in range(n):
        a, b = (langs[k] for k in rng.choice(len(langs), 2, replace=False))
        if mode == "tlm":
            out.append(list((enc[a][i] + enc[b][i])[: max_len - 1]))
        else:
            tag = tokenizer(f"<{b}>", add_special_tokens=False)["input_ids"]
            out.append(((tag + enc[a][i])[: max_len - 1] + [eos], enc[b][i][: max_len - 1] + [eos]))
    return out


# A comparison objective: two versions of a sentence, and the target names how they differ.
COMPARE_KINDS = ("same", "replace", "delete", "swap")


def check_compare_fraction(compare_fraction: float) -> None:
    """A share in [0, 1): some sentences must stay for span corruption."""
    _check_share("compare_fraction", compare_fraction, one_allowed=False)


def word_starts(tokenizer: Any) -> np.ndarray:
    """For every id, whether its piece begins a word (SentencePiece's ``▁`` prefix)."""
    pieces = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    return np.array([p.startswith(WORD_START) for p in pieces], dtype=bool)


def _words(ids: Sequence[int], starts: np.ndarray) -> list[list[int]]:
    words: list[list[int]] = []
    for i in ids:
        if not words or starts[i]:
            words.append([])
        words[-1].append(int(i))
    return words


def compare_pair(
    ids: Sequence[int],
    donor: Sequence[int],
    starts: np.ndarray,
    sentinels: Sequence[int],
    eos_id: int,
    rng: np.random.Generator,
    max_len: int,
) -> tuple[list[int], list[int]]:
    """One comparison example from a sentence ``ids`` and another sentence of its language, ``donor``.

    The second version B of the sentence A is A itself, or A with one word replaced by a word of ``donor``, one
    word deleted, or two words swapped (one kind drawn uniformly; "same" when A has too few words). The input is
    ``A <sep> B`` (``<sep>`` the last sentinel); the target names the difference with its own sentinels: same
    ``s0``; replace ``s1 old s2 new``; delete ``s3 old``; swap ``s4 first s5 second``. A model that learns this
    aligns two sentences word by word and reports where they differ, in every pre-training language: the skill
    the NLI task needs between premise and hypothesis, learned without any NLI label (the sentence-pair analogue
    of ELECTRA's replaced-token detection, Clark et al. 2020, with the original in the input).
    """
    half = (max_len - 2) // 2
    words = _words(ids, starts)
    while words and sum(map(len, words)) > half:
        words.pop()
    kind = COMPARE_KINDS[int(rng.integers(len(COMPARE_KINDS)))]
    if len(words) < 3:
        kind = "same"
    b = [list(w) for w in words]
    if kind == "same":
        target = [sentinels[0]]
    elif kind == "replace":
        # the filter is needless (an equal word gives "same" below) but kept: RESULTS section 20 drew with it
        pool = [w for w in _words(donor, starts) if w != words[0]]
        k = int(rng.integers(len(words)))
        new = pool[int(rng.integers(len(pool)))] if pool else []
        if not new or new == words[k] or len(new) + sum(map(len, words)) - len(words[k]) > half:
            target = [sentinels[0]]
        else:
            b[k] = list(new)
            target = [sentinels[1], *words[k], sentinels[2], *new]
    elif kind == "delete":
        k = int(rng.integers(len(words)))
        target = [sentinels[3], *b.pop(k)]
    else:
        k, m = sorted(int(x) for x in rng.choice(len(words), 2, replace=False))
        if words[k] == words[m]:
            target = [sentinels[0]]
        else:
            b[k], b[m] = b[m], b[k]
            target = [sentinels[4], *words[k], sentinels[5], *words[m]]
    a_ids = [t for w in words for t in w]
    b_ids = [t for w in b for t in w]
    return [*a_ids, sentinels[-1], *b_ids, eos_id], [*target, eos_id]
