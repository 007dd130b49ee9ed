"""Tiny mT5 config and init, loading from local dirs and (offline) hub ids, device and thread selection."""

from __future__ import annotations

import math
import time

import pytest
import torch
from huggingface_hub import constants as hf_constants
from transformers import AutoTokenizer

from xlrobust.errors import ConfigError, ModelError
from xlrobust.modeling import (
    build_model,
    load_model_and_tokenizer,
    pick_device,
    set_torch_threads,
    tiny_config,
)
from xlrobust.pretrain import save_model_dir
from xlrobust.tokenizer import SPIECE_NAME, train_tokenizer

TEXTS = {
    "en": ["the cat sleeps on the warm mat", "a dog runs in the green park", "we read two old books"],
    "ru": ["кошка спит на тёплом коврике", "собака бежит в зелёном парке", "мы читаем две старые книги"],
    "hi": ["बिल्ली गर्म चटाई पर सोती है", "कुत्ता हरे पार्क में दौड़ता है", "हम दो पुरानी किताबें पढ़ते हैं"],
}


def expected_params(vocab: int, d: int, d_ff: int, heads: int, layers: int, buckets: int = 32) -> int:
    """mT5 parameter count written out from the architecture (tied embedding, gated FFN, RMS norms)."""
    attn, ffn = 4 * d * d, 3 * d * d_ff
    encoder = layers * (attn + ffn + 2 * d) + heads * buckets + d
    decoder = layers * (2 * attn + ffn + 3 * d) + heads * buckets + d
    return vocab * d + encoder + decoder


def test_tiny_config_matches_mt5_architecture():
    cfg = tiny_config(8100, d_model=128, d_ff=512, num_heads=4, num_layers=2)
    assert (cfg.d_kv, cfg.num_decoder_layers, cfg.feed_forward_proj) == (32, 2, "gated-gelu")
    assert (cfg.pad_token_id, cfg.eos_token_id, cfg.decoder_start_token_id) == (0, 1, 0)
    n = sum(p.numel() for p in build_model(cfg, seed=0).parameters())
    assert n == expected_params(8100, 128, 512, 4, 2)
    assert 2.0e6 < n < 2.5e6


@pytest.mark.parametrize(
    "kwargs", [{"d_model": 130, "num_heads": 4}, {"num_layers": 0}, {"dropout_rate": 1.5}]
)
def test_tiny_config_rejects_bad_sizes(kwargs):
    with pytest.raises(ConfigError):
        tiny_config(1000, **kwargs)


def test_build_model_is_seeded_and_starts_near_uniform():
    cfg = tiny_config(500, d_model=32, d_ff=64, num_heads=2, num_layers=1)
    a, b, c = build_model(cfg, 3), build_model(cfg, 3), build_model(cfg, 4)
    assert all(
        torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True)
    )
    assert not torch.equal(a.shared.weight, c.shared.weight)
    a.eval()
    ids = torch.randint(3, 400, (4, 12), generator=torch.Generator().manual_seed(0))
    loss = a(input_ids=ids, labels=ids).loss.item()
    assert loss < 1.5 * math.log(500)  # sane initial logits (an N(0,1) tied embedding gives ~5x this)


def test_save_load_round_trip(tmp_path):
    tok_dir = train_tokenizer(TEXTS, tmp_path / "tok", vocab_size=400, seed=0)
    tok = AutoTokenizer.from_pretrained(str(tok_dir))
    model = build_model(tiny_config(len(tok), d_model=32, d_ff=64, num_heads=2, num_layers=1), seed=0)
    out = save_model_dir(model, tok, tmp_path / "model", tok_dir / SPIECE_NAME)
    assert (out / SPIECE_NAME).is_file() and (out / "config.json").is_file()
    loaded, loaded_tok = load_model_and_tokenizer(str(out))
    sd, lsd = model.state_dict(), loaded.state_dict()
    assert sd.keys() == lsd.keys() and all(torch.equal(sd[k], lsd[k]) for k in sd)
    assert loaded_tok(TEXTS["hi"][0]).input_ids == tok(TEXTS["hi"][0]).input_ids
    assert loaded.lm_head.weight.data_ptr() == loaded.shared.weight.data_ptr()


def test_offline_hub_id_fails_fast(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    start = time.perf_counter()
    with pytest.raises(ModelError) as err:
        load_model_and_tokenizer("google/mt5-base")
    assert time.perf_counter() - start < 10
    msg = str(err.value)
    assert "google/mt5-base" in msg and "--local-dir" in msg and "model.name" in msg and "\n" not in msg


def test_unreachable_hub_fails_fast(monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(hf_constants, "ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    start = time.perf_counter()
    with pytest.raises(ModelError, match="could not be reached"):
        load_model_and_tokenizer("google/mt5-small")
    assert time.perf_counter() - start < 10


def test_missing_local_path_is_named(tmp_path):
    missing = tmp_path / "no" / "such-model"
    with pytest.raises(ModelError, match=str(missing)):
        load_model_and_tokenizer(str(missing))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="config.json"):
        load_model_and_tokenizer(str(tmp_path / "empty"))


def test_pick_device():
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ConfigError, match="auto, cpu"):
        pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="CUDA is not available"):
            pick_device("cuda")


def test_set_torch_threads():
    before = torch.get_num_threads()
    try:
        assert set_torch_threads(1) == 1 == torch.get_num_threads()
        assert set_torch_threads(None) == 1
        with pytest.raises(ConfigError):
            set_torch_threads(0)
    finally:
        torch.set_num_threads(before)
