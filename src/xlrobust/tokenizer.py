"""Train the offline default's multilingual SentencePiece tokenizer with mT5's conventions.

The tiny mT5 of the offline setting needs its own vocabulary, trained on the unlabelled text of every study
language at once (as mT5's was on mC4), so that no language is disadvantaged by segmentation alone. Conventions
follow mT5 exactly so that the same pretraining, fine-tuning and LMEM code runs on ``google/mt5-base``:

* SentencePiece unigram model with ids ``<pad>=0``, ``</s>=1``, ``<unk>=2`` and no BOS;
* 100 sentinels ``<extra_id_0>``..``<extra_id_99>`` appended *above* the SentencePiece vocabulary in descending
  order, so ``<extra_id_0>`` has the highest id (``len(tokenizer) - 1``), exactly as ``T5Tokenizer(extra_ids=100)``
  lays them out;
* ``vocab_size`` counts SentencePiece pieces only (pad/eos/unk and 256 byte pieces included), so the tokenizer has
  ``vocab_size + 100`` ids in all (mT5: 250000 + 100).

Unlike mT5 the model uses ``byte_fallback``: a character outside the learned alphabet becomes its UTF-8 bytes, not
``<unk>``. Transformers' ``T5Tokenizer`` class always rebuilds its backend without byte fallback, so the saved
directory names the generic ``TokenizersBackend`` class: ``AutoTokenizer.from_pretrained(dir)`` then loads the exact
``tokenizer.json`` (byte fallback included). ``T5Tokenizer.from_pretrained(dir)`` also loads it with identical ids,
but maps characters unseen in training to ``<unk>`` instead of bytes.

Too large a ``vocab_size`` for the amount of text is capped automatically (SentencePiece's soft limit) with a
warning; the actual size is ``len(tokenizer) - 100``. Too small a one (fewer pieces than the alphabet needs) is a
:class:`ConfigError`, since no cap can fix it.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import sentencepiece as spm

from xlrobust.errors import ConfigError, DataError, ModelError
from xlrobust.io import replace_dir

log = logging.getLogger(__name__)

NUM_SENTINELS = 100
PAD_ID, EOS_ID, UNK_ID = 0, 1, 2
SPIECE_NAME = "spiece.model"
WORD_START = "\u2581"  # SentencePiece's word-boundary marker


def sentinel_token(i: int) -> str:
    """The i-th mT5 sentinel, ``<extra_id_i>``."""
    return f"<extra_id_{i}>"


def _balanced_sentences(
    texts_by_lang: Mapping[str, Sequence[str]], rng: np.random.Generator, max_per_lang: int | None
) -> list[str]:
    """Give every language the same number of sentences: subsample large ones, repeat small ones.

    Repetition is the cheapest way to weight a language in SentencePiece's counts, so a low-resource language's
    script gets as many pieces as English's does.
    """
    cleaned: dict[str, list[str]] = {}
    for lang in sorted(texts_by_lang):
        texts = [t.strip() for t in texts_by_lang[lang] if isinstance(t, str) and t.strip()]
        if not texts:
            raise DataError(f"tokenizer training: language {lang!r} has no non-empty unlabelled text")
        cleaned[lang] = texts
    if not cleaned:
        raise DataError("tokenizer training: no unlabelled text given (texts_by_lang is empty)")
    target = max(len(t) for t in cleaned.values())
    if max_per_lang is not None:
        target = min(target, max_per_lang)
    out: list[str] = []
    for texts in cleaned.values():
        if len(texts) >= target:
            idx = rng.choice(len(texts), size=target, replace=False)
        else:
            reps = -(-target // len(texts))
            idx = np.concatenate([rng.permutation(len(texts)) for _ in range(reps)])[:target]
        out.extend(texts[i] for i in sorted(idx.tolist()))
    return out


def _train_spm(
    sentences: list[str],
    vocab_size: int,
    character_coverage: float,
    seed: int,
    user_defined_symbols: Sequence[str] = (),
) -> bytes:
    """Train the unigram model in memory; single-threaded so the result is byte-identical across runs."""
    spm.set_random_generator_seed(seed)
    model = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sentences),
            model_writer=model,
            model_type="unigram",
            vocab_size=vocab_size,
            hard_vocab_limit=False,  # too large a vocab for the text is capped, not an error
            character_coverage=character_coverage,
            byte_fallback=True,
            user_defined_symbols=list(user_defined_symbols),
            pad_id=PAD_ID,
            eos_id=EOS_ID,
            unk_id=UNK_ID,
            bos_id=-1,
            pad_piece="<pad>",
            eos_piece="</s>",
            unk_piece="<unk>",
            max_sentence_length=1 << 16,
            input_sentence_size=0,
            shuffle_input_sentence=False,
            num_threads=1,
            minloglevel=2,
        )
    except RuntimeError as e:
        msg = str(e)
        m = re.search(r"smaller than required_chars\. (\d+) vs (\d+)", msg)
        if m:
            raise ConfigError(
                f"tokenizer vocab_size {vocab_size} is too small: the alphabet of the training text alone needs "
                f"{m.group(2)} pieces (pad/eos/unk and 256 byte-fallback pieces included); set the tokenizer "
                f"vocab_size to at least {int(m.group(2)) + 100}"
            ) from None
        last = (msg.strip().splitlines() or ["no message"])[-1]
        raise ModelError(f"sentencepiece training failed: {last}") from None
    return model.getvalue()


def _check_symbols(symbols: Sequence[str]) -> list[str]:
    """The word-initial pieces of distinct, non-empty symbols without whitespace, in the given order; sentinels
    and special tokens are reserved."""
    out: list[str] = []
    reserved = {"<pad>", "</s>", "<unk>"}
    for sym in symbols:
        if not isinstance(sym, str) or not sym or any(c.isspace() for c in sym):
            raise ConfigError(
                f"tokenizer user-defined symbol {sym!r} must be a non-empty string without spaces"
            )
        if sym in reserved or re.fullmatch(r"<extra_id_\d+>", sym):
            raise ConfigError(
                f"tokenizer user-defined symbol {sym!r} is reserved (special token or sentinel)"
            )
        piece = WORD_START + sym
        if piece not in out:
            out.append(piece)
    return out


def build_hf_tokenizer(spiece_model: str | Path):
    """Wrap a SentencePiece model as a transformers tokenizer with mT5 ids, sentinels and byte fallback.

    The vocabulary, normalizer and pre-tokenizer come from transformers' own T5 conversion (so segmentation is what
    ``T5Tokenizer`` does); only the unigram model is rebuilt with byte fallback and the decoder taught to fuse
    bytes back into characters.
    """
    from tokenizers import decoders, models
    from transformers import T5Tokenizer
    from transformers.tokenization_utils_tokenizers import TokenizersBackend

    spiece_model = Path(spiece_model)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(spiece_model, Path(tmp) / SPIECE_NAME)
        t5 = T5Tokenizer.from_pretrained(tmp, extra_ids=NUM_SENTINELS)
    sp = spm.SentencePieceProcessor(model_file=str(spiece_model))
    vocab = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    vocab += [(sentinel_token(i), 0.0) for i in range(NUM_SENTINELS - 1, -1, -1)]
    backend = t5.backend_tokenizer
    backend.model = models.Unigram(vocab, unk_id=UNK_ID, byte_fallback=True)
    backend.decoder = decoders.Sequence(
        [decoders.ByteFallback(), decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)]
    )
    return TokenizersBackend(
        tokenizer_object=backend,
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        extra_special_tokens=[sentinel_token(i) for i in range(NUM_SENTINELS)],
    )


def train_tokenizer(
    texts_by_lang: Mapping[str, Sequence[str]],
    out_dir: str | Path,
    vocab_size: int = 8000,
    seed: int = 0,
    character_coverage: float = 0.9995,
    max_sentences_per_lang: int | None = None,
    user_defined_symbols: Sequence[str] = (),
) -> Path:
    """Train the shared tokenizer on unlabelled text of all languages (balanced) and save it to ``out_dir``.

    ``user_defined_symbols`` (e.g. the task keywords ``xnli:``, ``$$``, ``PER:`` and the label words) become
    SentencePiece user-defined pieces (its ``user_defined_symbols`` option, score 0 so segmentation always picks
    them): each symbol written as a word of its own (at the start of the text or after a space, as the task
    formats write them) is one token in every language, instead of the byte or sub-word sequence a vocabulary
    learned from unlabelled text would give it. The piece is the word-initial form ``"\u2581" + symbol``, so
    decoding restores the spaces around it; inside a word the symbol is segmented as ordinary text.

    ``out_dir`` receives ``spiece.model``, ``tokenizer.json`` and ``tokenizer_config.json`` atomically (written to a
    temporary directory, then swapped in). Returns ``out_dir``.
    """
    if not isinstance(vocab_size, int) or vocab_size < 300:
        raise ConfigError(
            f"tokenizer vocab_size must be an integer >= 300 (256 byte pieces + alphabet), got {vocab_size!r}"
        )
    if not 0.9 <= character_coverage <= 1.0:
        raise ConfigError(f"tokenizer character_coverage must be in [0.9, 1.0], got {character_coverage!r}")
    if max_sentences_per_lang is not None and max_sentences_per_lang < 1:
        raise ConfigError(
            f"tokenizer max_sentences_per_lang must be >= 1 or null, got {max_sentences_per_lang!r}"
        )
    symbols = _check_symbols(user_defined_symbols)
    out_dir = Path(out_dir)
    rng = np.random.default_rng(seed)
    sentences = _balanced_sentences(texts_by_lang, rng, max_sentences_per_lang)
    model_bytes = _train_spm(sentences, vocab_size, character_coverage, seed, symbols)
    actual = spm.SentencePieceProcessor(model_proto=model_bytes).get_piece_size()
    if actual < vocab_size:
        log.warning(
            "tokenizer vocab_size %d is more than %d sentences support; capped at %d pieces",
            vocab_size,
            len(sentences),
            actual,
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (tmp / SPIECE_NAME).write_bytes(model_bytes)
        build_hf_tokenizer(tmp / SPIECE_NAME).save_pretrained(tmp)
        replace_dir(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    log.info(
        "tokenizer: %d pieces + %d sentinels from %d sentences -> %s",
        actual,
        NUM_SENTINELS,
        len(sentences),
        out_dir,
    )
    return out_dir
