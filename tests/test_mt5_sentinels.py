"""LMEM on a hub mT5 uses exactly mT5's sentinels: sentinel i is id ``vocab_size - 1 - i`` (t5.data), which in
``google/mt5-base`` is the SentencePiece piece ``▁<extra_id_i>`` (its tokenizer_config has ``"extra_ids": 0``).

The folder below has mt5-base's file set (config.json, special_tokens_map.json, tokenizer_config.json,
spiece.model, pytorch_model.bin) with a tiny SentencePiece model trained here whose last 100 pieces are
``▁<extra_id_99>`` .. ``▁<extra_id_0>``, as in mT5's ``mc4.250000.100extra`` vocabulary.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import sentencepiece as spm
import torch
from sentencepiece import sentencepiece_model_pb2 as pb
from transformers import AutoTokenizer, MT5Config, MT5ForConditionalGeneration

from xlrobust.errors import ModelError
from xlrobust.lmem import measure_lmem
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.span_corruption import encode_texts, sentinel_ids, span_corrupt

TEXTS = [
    "the cat sat on the mat by the door",
    "Nairobi ni mji mkuu wa Kenya na ni mji mkubwa",
    "el gato está en la casa de la playa",
    "मुंबई भारत का सबसे बड़ा शहर है",
]


def _spiece(with_sentinels: bool) -> bytes:
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TEXTS * 40),
        model_writer=out,
        model_type="unigram",
        vocab_size=120,
        hard_vocab_limit=False,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    proto = pb.ModelProto()
    proto.ParseFromString(out.getvalue())
    if with_sentinels:
        for i in range(99, -1, -1):  # mT5: id vocab_size - 1 - i is "▁<extra_id_i>"
            piece = proto.pieces.add()
            piece.piece, piece.score, piece.type = (
                f"\u2581<extra_id_{i}>",
                0.0,
                pb.ModelProto.SentencePiece.NORMAL,
            )
    return proto.SerializeToString()


def mt5_folder(root: Path, with_sentinels: bool = True) -> Path:
    root.mkdir(parents=True)
    model_bytes = _spiece(with_sentinels)
    (root / "spiece.model").write_bytes(model_bytes)
    pieces = spm.SentencePieceProcessor(model_proto=model_bytes).get_piece_size()
    special = {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
    (root / "special_tokens_map.json").write_text(json.dumps(special), encoding="utf-8")
    (root / "tokenizer_config.json").write_text(
        json.dumps(
            {
                **special,
                "extra_ids": 0,
                "additional_special_tokens": None,
                "tokenizer_file": None,
                "name_or_path": "google/mt5-base",
            }
        ),
        encoding="utf-8",
    )
    # mt5-base's embedding is padded past the vocabulary (250112 rows for 250100 pieces): do the same
    config = MT5Config(
        vocab_size=pieces + 12,
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        decoder_start_token_id=0,
        eos_token_id=1,
        pad_token_id=0,
        tokenizer_class="T5Tokenizer",
    )
    config.save_pretrained(root)
    torch.manual_seed(0)
    torch.save(
        MT5ForConditionalGeneration(config).state_dict(), root / "pytorch_model.bin"
    )  # mt5-base's format
    return root


@pytest.fixture(scope="module")
def mt5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mt5_folder(tmp_path_factory.mktemp("mt5") / "mt5-base")


def test_folder_has_mt5_base_file_set_and_sentinel_string_is_not_a_token(mt5_dir: Path) -> None:
    names = {p.name for p in mt5_dir.iterdir()}
    assert {
        "config.json",
        "special_tokens_map.json",
        "tokenizer_config.json",
        "spiece.model",
        "pytorch_model.bin",
    } <= names
    tok = AutoTokenizer.from_pretrained(str(mt5_dir))
    assert tok.convert_tokens_to_ids("<extra_id_0>") == tok.unk_token_id  # why a lookup by name cannot work


def test_sentinels_are_mt5s_last_pieces(mt5_dir: Path) -> None:
    model, tok = load_model_and_tokenizer(mt5_dir)
    size = spm.SentencePieceProcessor(model_file=str(mt5_dir / "spiece.model")).get_piece_size()
    ids = sentinel_ids(tok)
    assert ids == [size - 1 - i for i in range(100)]
    assert tok.convert_ids_to_tokens(ids[:2]) == ["\u2581<extra_id_0>", "\u2581<extra_id_1>"]
    assert max(ids) < model.config.vocab_size


def test_lmem_on_mt5_layout_corrupts_with_those_ids(mt5_dir: Path) -> None:
    model, tok = load_model_and_tokenizer(mt5_dir)
    ids = sentinel_ids(tok)
    encoded = encode_texts(tok, TEXTS, 32)
    inputs, targets = span_corrupt(encoded[0], ids, tok.eos_token_id, np.random.default_rng(0))
    used = [t for t in targets if t in set(ids)]
    assert used == ids[: len(used)] and used and not set(used) & set(encoded[0])
    res = measure_lmem(model, tok, {"en": TEXTS[:1] * 3, "sw": TEXTS[1:2] * 3}, seed=0, max_len=32)
    assert set(res) == {"en", "sw"} and all(
        0.0 <= r["lmem"] <= 1.0 and r["n_masked"] > 0 for r in res.values()
    )


def test_tokenizer_without_sentinels_is_refused(tmp_path: Path) -> None:
    tok = AutoTokenizer.from_pretrained(str(mt5_folder(tmp_path / "plain", with_sentinels=False)))
    with pytest.raises(ModelError, match=r"lacks the mT5 sentinel tokens .* as its last 100 ids"):
        sentinel_ids(tok)
