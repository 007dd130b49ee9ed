"""Pretrain the tiny mT5 with mT5's span-corruption objective on monolingual text of all languages.

The offline default needs a multilingual model whose cross-lingual ability comes, as mT5's does, only from shared
parameters and vocabulary: every training example is one monolingual sentence, never a translation pair. The
objective is T5's span corruption (``random_spans_noise_mask``: 15% of tokens in spans of mean length 3, each span
replaced by a sentinel; the target lists the sentinels, in order, each followed by its span), implemented with
numpy so that it is exactly reproducible from a seed (:mod:`xlrobust.span_corruption`, which also defines LMEM's
masking in :mod:`xlrobust.lmem`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm
from transformers import (
    AutoTokenizer,
    MT5Config,
    get_linear_schedule_with_warmup,
)

from xlrobust.errors import ConfigError, DataError, ModelError
from xlrobust.io import replace_dir
from xlrobust.modeling import build_model, pick_device, tiny_config
from xlrobust.pretrain_mixture import (
    check_compare_fraction,
    check_copy_fraction,
    compare_pair,
    parallel_examples,
    reconstruct_some,
    word_starts,
)
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
from xlrobust.tokenizer import SPIECE_NAME

log = logging.getLogger(__name__)


def bucketed_batches(
    lengths: Sequence[int], batch_size: int, rng: np.random.Generator, bucket_factor: int = 50
) -> Iterator[list[int]]:
    """Endless epochs of batches of similar length: shuffle, sort within buckets of ``bucket_factor`` batches,
    then shuffle the batch order, so padding is small but batches stay random."""
    lengths = np.asarray(lengths)
    while True:
        perm = rng.permutation(len(lengths))
        batches: list[list[int]] = []
        chunk = batch_size * bucket_factor
        for start in range(0, len(perm), chunk):
            bucket = perm[start : start + chunk]
            bucket = bucket[np.argsort(lengths[bucket], kind="stable")]
            batches.extend(bucket[i : i + batch_size].tolist() for i in range(0, len(bucket), batch_size))
        for k in rng.permutation(len(batches)):
            yield batches[k]


def _build_config(config: MT5Config | Mapping[str, Any], vocab_size: int) -> MT5Config:
    if isinstance(config, MT5Config):
        if config.vocab_size < vocab_size:
            raise ConfigError(
                f"model vocab_size {config.vocab_size} is smaller than the tokenizer's {vocab_size} ids; "
                "build the config with tiny_config(vocab_size=len(tokenizer), ...)"
            )
        return config
    if "vocab_size" in config:
        raise ConfigError("model config: leave vocab_size out, it is taken from the tokenizer")
    try:
        return tiny_config(vocab_size=vocab_size, **dict(config))
    except TypeError as e:
        raise ConfigError(
            f"model config: {e} (allowed keys: d_model, d_ff, num_heads, num_layers, "
            "num_decoder_layers, dropout_rate)"
        ) from None


def _check_args(steps: int, batch_size: int, lr: float, warmup_steps: int | None) -> None:
    for name, value in (("steps", steps), ("batch_size", batch_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"pretrain {name} must be a positive integer, got {value!r}")
    if not (isinstance(lr, (int, float)) and 0 < lr < 1):
        raise ConfigError(f"pretrain lr must be a number in (0, 1), got {lr!r}")
    if warmup_steps is not None and (not isinstance(warmup_steps, int) or not 0 <= warmup_steps <= steps):
        raise ConfigError(
            f"pretrain warmup_steps must be an integer in [0, steps={steps}], got {warmup_steps!r}"
        )


def _encode_corpus(
    tokenizer: Any, corpus_by_lang: Mapping[str, Sequence[str]], max_len: int
) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """One example per monolingual sentence, languages in sorted order (the batcher shuffles); and for each
    example the [start, end) range of its language's examples."""
    if not corpus_by_lang:
        raise DataError("pretraining corpus is empty: no languages given")
    examples: list[list[int]] = []
    ranges: list[tuple[int, int]] = []
    for lang in sorted(corpus_by_lang):
        encoded = encode_texts(tokenizer, corpus_by_lang[lang], max_len)
        if not encoded:
            raise DataError(f"pretraining corpus: language {lang!r} has no sentence of at least 2 tokens")
        ranges.extend([(len(examples), len(examples) + len(encoded))] * len(encoded))
        examples.extend(encoded)
    return examples, ranges


def save_model_dir(model: Any, tokenizer: Any, out_dir: str | Path, spiece_from: str | Path | None) -> Path:
    """Save model + tokenizer (+ ``spiece.model``) into a temporary sibling directory, then swap it in."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        if spiece_from is not None and Path(spiece_from).is_file():
            shutil.copyfile(spiece_from, tmp / SPIECE_NAME)
        replace_dir(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out_dir


def loss_window(steps: int) -> int:
    """How many first (last) steps ``loss_first`` (``loss_last``) average over in a run of ``steps`` steps."""
    return max(1, min(10, steps // 10))


def pretrain(
    corpus_by_lang: Mapping[str, Sequence[str]],
    tokenizer_dir: str | Path,
    out_dir: str | Path,
    config: MT5Config | Mapping[str, Any],
    steps: int,
    batch_size: int = 16,
    lr: float = 1e-3,
    seed: int = 0,
    max_len: int = 128,
    warmup_steps: int | None = None,
    weight_decay: float = 0.01,
    noise_density: float = NOISE_DENSITY,
    mean_noise_span_length: float = MEAN_NOISE_SPAN_LENGTH,
    device: str = "cpu",
    log_every: int = 50,
    progress: bool = True,
    copy_fraction: float = 0.0,
    compare_fraction: float = 0.0,
    parallel: Mapping[str, Sequence[str]] | None = None,
    parallel_mode: str = "tlm",
    stop_after: int | None = None,
) -> dict[str, Any]:
    """Train a fresh mT5 (``config``: an MT5Config, or tiny_config keyword arguments without vocab_size) by span
    corruption for ``steps`` AdamW steps and save it with its tokenizer to ``out_dir``; return training stats.

    The learning rate warms up linearly over ``warmup_steps`` (default: 10% of ``steps``), then decays linearly
    to 0. Same seed, machine and thread count give identical weights (CPU; CUDA kernels may differ run to run).
    A share ``copy_fraction`` of the examples reconstructs the whole input (:mod:`xlrobust.pretrain_mixture`).
    ``compare_fraction`` (benchmarks only; RESULTS section 20: not adopted) first makes that share of the
    sentences comparison examples (:func:`xlrobust.pretrain_mixture.compare_pair`); the copy share applies to
    the rest. At 0 no draw is made, so the run is the same as without it.
    ``parallel`` (benchmarks only; line i the same content in every language) adds one cross-lingual example per
    line, ``parallel_mode`` ``tlm`` or ``translate`` (:func:`xlrobust.pretrain_mixture.parallel_examples`).
    ``stop_after`` runs only the first that many of the ``steps`` steps (same data order and learning-rate
    schedule, so their losses are those of the full run; ``tools/check_numerics.py``).
    """
    _check_args(steps, batch_size, lr, warmup_steps)
    if stop_after is not None and not (isinstance(stop_after, int) and 1 <= stop_after <= steps):
        raise ConfigError(f"pretrain stop_after must be an integer in [1, steps={steps}], got {stop_after!r}")
    run_steps = steps if stop_after is None else stop_after
    check_copy_fraction(copy_fraction)
    check_compare_fraction(compare_fraction)
    if compare_fraction > 0 and parallel:
        raise ConfigError(
            "pretrain: compare_fraction and parallel examples cannot be combined (benchmark levers)"
        )
    check_corruption(max_len, noise_density, mean_noise_span_length)
    tokenizer_dir = Path(tokenizer_dir)
    if not tokenizer_dir.is_dir():
        raise ModelError(f"tokenizer directory {tokenizer_dir} does not exist; train the tokenizer first")
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir), local_files_only=True)
    except (OSError, ValueError) as e:
        raise ModelError(
            f"tokenizer directory {tokenizer_dir} could not be loaded ({type(e).__name__}); retrain it with "
            "xlrobust.tokenizer.train_tokenizer"
        ) from None
    sentinels = sentinel_ids(tokenizer)
    mono_examples, lang_range = _encode_corpus(tokenizer, corpus_by_lang, max_len)
    examples: list[Any] = list(mono_examples)
    starts = word_starts(tokenizer) if compare_fraction > 0 else None
    if parallel:
        examples.extend(parallel_examples(tokenizer, parallel, max_len, seed, parallel_mode))
    cfg = _build_config(config, len(tokenizer))
    dev = pick_device(device)

    model = build_model(cfg, seed).to(dev)
    rng = np.random.default_rng(seed)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = warmup_steps if warmup_steps is not None else int(round(0.1 * steps))
    scheduler = get_linear_schedule_with_warmup(optimizer, warmup, steps)
    batches = bucketed_batches(
        [len(e[0]) if isinstance(e, tuple) else len(e) for e in examples], batch_size, rng
    )

    losses: list[float] = []
    curve: list[list[float]] = []
    n_target_tokens = 0
    start = time.perf_counter()
    bar = tqdm(total=run_steps, desc="pretrain", unit="step", disable=not progress)
    for step in range(1, run_steps + 1):
        batch_ids = next(batches)
        mono = [i for i in batch_ids if not isinstance(examples[i], tuple)]
        compared: list[tuple[list[int], list[int]]] = []
        if starts is not None:
            chosen = (rng.random(len(mono)) < compare_fraction).tolist()
            for i in (i for i, c in zip(mono, chosen, strict=True) if c):
                donor = int(rng.integers(*lang_range[i]))
                compared.append(
                    compare_pair(
                        examples[i], examples[donor], starts, sentinels, tokenizer.eos_token_id, rng, max_len
                    )
                )
            mono = [i for i, c in zip(mono, chosen, strict=True) if not c]
        pairs = [
            span_corrupt(
                examples[i], sentinels, tokenizer.eos_token_id, rng, noise_density, mean_noise_span_length
            )
            for i in mono
        ]
        pairs = reconstruct_some(
            pairs, [examples[i] for i in mono], tokenizer.eos_token_id, rng, copy_fraction
        )
        pairs += compared + [examples[i] for i in batch_ids if isinstance(examples[i], tuple)]
        batch = {k: v.to(dev) for k, v in collate(pairs, tokenizer.pad_token_id).items()}
        loss = model(**batch).loss
        if not torch.isfinite(loss):
            raise ModelError(
                f"pretraining diverged: loss is {loss.item()} at step {step}; lower pretrain lr ({lr})"
            )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        n_target_tokens += int((batch["labels"] != LABEL_PAD).sum())
        bar.update(1)
        bar.set_postfix(loss=f"{losses[-1]:.3f}")
        if step % log_every == 0 or step == run_steps:
            window = losses[-log_every:]
            curve.append([step, float(np.mean(window))])
            log.info(
                "pretrain step %d/%d loss %.4f lr %.2e %.1fs",
                step,
                steps,
                curve[-1][1],
                scheduler.get_last_lr()[0],
                time.perf_counter() - start,
            )
    bar.close()
    seconds = time.perf_counter() - start

    model = model.to("cpu")
    save_model_dir(model, tokenizer, out_dir, tokenizer_dir / SPIECE_NAME)
    k = loss_window(steps)
    return {
        "steps": steps,
        "steps_run": run_steps,
        "batch_size": batch_size,
        "lr": lr,
        "seed": seed,
        "max_len": max_len,
        "warmup_steps": warmup,
        "noise_density": noise_density,
        "mean_noise_span_length": mean_noise_span_length,
        "copy_fraction": copy_fraction,
        "n_examples": len(examples),
        "n_languages": len(corpus_by_lang),
        "n_params": sum(p.numel() for p in model.parameters()),
        "vocab_size": cfg.vocab_size,
        "target_tokens_seen": n_target_tokens,
        "loss_first": float(np.mean(losses[:k])),
        "loss_last": float(np.mean(losses[-k:])),
        "loss_curve": curve,
        "seconds": round(seconds, 3),
        "device": str(dev),
    }
