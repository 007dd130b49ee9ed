"""Span corruption (T5 semantics), tiny-mT5 pretraining, and LMEM."""

from __future__ import annotations

import numpy as np
import pytest
import sample_corpus
import torch
from transformers import AutoTokenizer

from xlrobust.errors import ConfigError, DataError
from xlrobust.lmem import count_masked_hits, measure_lmem
from xlrobust.modeling import build_model, load_model_and_tokenizer, tiny_config
from xlrobust.pretrain import bucketed_batches, pretrain
from xlrobust.span_corruption import (
    collate,
    encode_texts,
    random_spans_noise_mask,
    sentinel_ids,
    span_corrupt,
)
from xlrobust.tokenizer import SPIECE_NAME, train_tokenizer

TINY = {"d_model": 32, "d_ff": 64, "num_heads": 2, "num_layers": 1}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny matrices: one thread is fastest and keeps timings stable on a busy 2-core machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def make_corpus(n_per_lang: int, seed: int = 0) -> dict[str, list[str]]:
    return sample_corpus.make_corpus(n_per_lang, seed, langs=("ar", "en", "hi", "ru"))


def merge(inputs: list[int], targets: list[int], sentinels: list[int], eos: int) -> list[int]:
    """Undo span corruption: put each target span back where its sentinel stands in the inputs."""
    spans: dict[int, list[int]] = {}
    current = None
    for t in targets[:-1]:
        if t in sentinels:
            current = t
            spans[current] = []
        else:
            spans[current].append(t)
    out: list[int] = []
    for t in inputs[:-1]:
        out.extend(spans[t] if t in sentinels else [t])
    return out


# ------------------------------------------------------------------------------------------- span corruption


@pytest.mark.parametrize("length", [2, 3, 5, 10, 17, 40, 100, 127, 511])
def test_noise_mask_matches_t5_counts(length):
    rng = np.random.default_rng(0)
    for _ in range(20):
        mask = random_spans_noise_mask(length, rng)
        n_noise = min(max(int(np.round(length * 0.15)), 1), length - 1)
        n_spans = max(int(np.round(n_noise / 3)), 1)
        starts = np.flatnonzero(mask & ~np.concatenate([[False], mask[:-1]]))
        assert mask.dtype == bool and mask.shape == (length,)
        assert mask.sum() == n_noise and len(starts) == n_spans
        assert not mask[0] and mask[-1]  # T5: begins with kept tokens, ends with a noise span


def test_noise_share_and_mean_span_length():
    rng = np.random.default_rng(1)
    masks = [random_spans_noise_mask(200, rng) for _ in range(200)]
    share = np.mean([m.mean() for m in masks])
    n_spans = sum(int((m & ~np.concatenate([[False], m[:-1]])).sum()) for m in masks)
    assert share == pytest.approx(0.15, abs=1e-9)
    assert sum(int(m.sum()) for m in masks) / n_spans == pytest.approx(3.0, abs=0.1)


def test_span_corrupt_reconstructs_and_orders_sentinels():
    sentinels = list(range(1099, 999, -1))  # <extra_id_0> on top, descending like mT5
    rng = np.random.default_rng(2)
    for length in (2, 7, 30, 120):
        ids = rng.integers(3, 900, size=length).tolist()
        inputs, targets = span_corrupt(ids, sentinels, 1, rng)
        assert inputs[-1] == 1 and targets[-1] == 1
        used_in = [t for t in inputs if t in sentinels]
        used_out = [t for t in targets if t in sentinels]
        assert used_in == used_out == sentinels[: len(used_in)]  # <extra_id_0>, <extra_id_1>, ...
        assert targets[0] == sentinels[0]
        assert merge(inputs, targets, sentinels, 1) == ids
        assert len(targets) - 1 - len(used_out) == int(
            random_spans_noise_mask(length, np.random.default_rng(0)).sum()
        )


def test_span_corrupt_is_seeded():
    ids = list(range(10, 90))
    sent = list(range(299, 199, -1))
    a = span_corrupt(ids, sent, 1, np.random.default_rng(5))
    b = span_corrupt(ids, sent, 1, np.random.default_rng(5))
    c = span_corrupt(ids, sent, 1, np.random.default_rng(6))
    assert a == b and a != c


def test_bucketed_batches_cover_epoch_once():
    lengths = [5, 1, 9, 3, 3, 8, 2, 7, 6, 4, 10]
    batches = bucketed_batches(lengths, batch_size=3, rng=np.random.default_rng(0), bucket_factor=2)
    epoch = [next(batches) for _ in range(4)]
    assert sorted(i for b in epoch for i in b) == list(range(len(lengths)))
    assert all(len(b) <= 3 for b in epoch)
    assert all([lengths[i] for i in b] == sorted(lengths[i] for i in b) for b in epoch)


def test_collate_pads_dynamically():
    batch = collate([([5, 6, 1], [9, 5, 1]), ([7, 1], [9, 7, 8, 6, 1])], pad_id=0)
    assert batch["input_ids"].tolist() == [[5, 6, 1], [7, 1, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]
    assert batch["labels"].tolist() == [[9, 5, 1, -100, -100], [9, 7, 8, 6, 1]]


# ---------------------------------------------------------------------------------------------- pretraining


@pytest.fixture(scope="module")
def tok_dir(tmp_path_factory):
    return train_tokenizer(make_corpus(150), tmp_path_factory.mktemp("tok") / "tok", vocab_size=700, seed=0)


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory, tok_dir):
    out = tmp_path_factory.mktemp("pre")
    kwargs = dict(config=TINY, steps=60, batch_size=16, lr=3e-3, seed=0, max_len=48, progress=False)
    stats_a = pretrain(make_corpus(150), tok_dir, out / "a", **kwargs)
    stats_b = pretrain(make_corpus(150), tok_dir, out / "b", **kwargs)
    return out / "a", out / "b", stats_a, stats_b


def test_pretrain_saves_loadable_model(pretrained, tok_dir):
    model_dir, _, stats, _ = pretrained
    names = {p.name for p in model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", SPIECE_NAME} <= names
    assert (model_dir / SPIECE_NAME).read_bytes() == (tok_dir / SPIECE_NAME).read_bytes()
    assert not [p for p in model_dir.parent.iterdir() if p.name.startswith(".")]
    model, tok = load_model_and_tokenizer(str(model_dir))
    assert model.config.vocab_size == len(tok) == stats["vocab_size"]
    assert stats["steps"] == 60 and stats["n_examples"] == 600 and stats["n_params"] > 0


def test_pretrain_lowers_loss(pretrained):
    stats = pretrained[2]
    assert stats["loss_last"] < 0.6 * stats["loss_first"]
    assert [s for s, _ in stats["loss_curve"]] == [50, 60]


def test_pretrain_is_deterministic(pretrained):
    a, b, stats_a, stats_b = pretrained
    ma, _ = load_model_and_tokenizer(str(a))
    mb, _ = load_model_and_tokenizer(str(b))
    sa, sb = ma.state_dict(), mb.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert stats_a["loss_curve"] == stats_b["loss_curve"]


def test_copy_mixture_changes_the_objective_deterministically(tmp_path, tok_dir):
    """With copy_fraction the same seed still gives the same run, and a different one than plain T5."""
    kwargs = dict(
        config=TINY, steps=6, batch_size=16, lr=3e-3, seed=0, max_len=48, progress=False, log_every=1
    )
    plain = pretrain(make_corpus(40), tok_dir, tmp_path / "p", **kwargs)
    mixed = [
        pretrain(make_corpus(40), tok_dir, tmp_path / f"m{i}", copy_fraction=0.5, **kwargs) for i in (0, 1)
    ]
    assert mixed[0]["loss_curve"] == mixed[1]["loss_curve"] != plain["loss_curve"]
    assert mixed[0]["copy_fraction"] == 0.5 and plain["copy_fraction"] == 0.0
    assert mixed[0]["target_tokens_seen"] > plain["target_tokens_seen"]  # whole inputs are longer targets
    with pytest.raises(ConfigError, match="copy_fraction"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "x", TINY, steps=1, copy_fraction=2.0)


def test_compare_mixture_changes_the_objective_deterministically(tmp_path, tok_dir):
    """With compare_fraction the same seed gives the same run, and another one than the copy mixture alone."""
    kwargs = dict(
        config=TINY, steps=6, batch_size=16, lr=3e-3, seed=0, max_len=48, progress=False, copy_fraction=0.5
    )
    base = pretrain(make_corpus(40), tok_dir, tmp_path / "p", log_every=1, **kwargs)
    runs = [
        pretrain(make_corpus(40), tok_dir, tmp_path / f"c{i}", compare_fraction=0.3, log_every=1, **kwargs)
        for i in (0, 1)
    ]
    assert runs[0]["loss_curve"] == runs[1]["loss_curve"] != base["loss_curve"]
    with pytest.raises(ConfigError, match="compare_fraction"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "x", TINY, steps=1, compare_fraction=1.0)
    with pytest.raises(ConfigError, match="cannot be combined"):
        pretrain(
            make_corpus(5),
            tok_dir,
            tmp_path / "x",
            TINY,
            steps=1,
            compare_fraction=0.3,
            parallel={"en": ["a"]},
        )


@pytest.mark.parametrize("mode", ["tlm", "translate"])
def test_parallel_examples_join_the_same_line_in_two_languages(tmp_path, tok_dir, mode):
    """Benchmark-only cross-lingual examples (RESULTS section 15): line i of language A with line i of another
    language B, deterministic from the seed; pre-training with them runs and differs from without."""
    from transformers import AutoTokenizer

    from xlrobust.pretrain_mixture import parallel_examples

    tok = AutoTokenizer.from_pretrained(str(tok_dir))
    parallel = {"en": ["one two three", "four five"], "es": ["uno dos tres", "cuatro cinco"]}
    got = parallel_examples(tok, parallel, 48, seed=0, mode=mode)
    assert got == parallel_examples(tok, parallel, 48, seed=0, mode=mode) and len(got) == 2
    ids = {lang: tok(v, add_special_tokens=False)["input_ids"] for lang, v in parallel.items()}
    for i, ex in enumerate(got):
        if mode == "tlm":
            assert ex in (ids["en"][i] + ids["es"][i], ids["es"][i] + ids["en"][i])
        else:
            inp, tgt = ex
            src = "es" if tgt[:-1] == ids["en"][i] else "en"
            assert tgt[:-1] == ids["en" if src == "es" else "es"][i] and tgt[-1] == tok.eos_token_id
            assert inp[-1 - len(ids[src][i]) : -1] == ids[src][i]
    kwargs = dict(config=TINY, steps=4, batch_size=8, seed=0, max_len=48, progress=False, log_every=1)
    corpus = make_corpus(20)
    with_parallel = pretrain(corpus, tok_dir, tmp_path / "a", parallel=corpus, parallel_mode=mode, **kwargs)
    assert with_parallel["n_examples"] == sum(len(v) for v in corpus.values()) + 20  # one per parallel line
    with pytest.raises(ConfigError, match="parallel mode"):
        parallel_examples(tok, parallel, 48, seed=0, mode="mlm")


def test_pretrain_rejects_bad_arguments(tmp_path, tok_dir):
    with pytest.raises(ConfigError, match="steps"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "m", TINY, steps=0)
    with pytest.raises(ConfigError, match="vocab_size"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "m", {**TINY, "vocab_size": 10}, steps=1)
    with pytest.raises(DataError, match="'sw'"):
        pretrain({**make_corpus(5), "sw": [""]}, tok_dir, tmp_path / "m", TINY, steps=1)
    with pytest.raises(ConfigError, match="warmup_steps"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "m", TINY, steps=5, warmup_steps=6)
    with pytest.raises(ConfigError, match="sentinels"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "m", TINY, steps=5, max_len=4096)
    with pytest.raises(ConfigError, match="noise_density"):
        pretrain(make_corpus(5), tok_dir, tmp_path / "m", TINY, steps=5, noise_density=0.0)
    assert not (tmp_path / "m").exists()


# ----------------------------------------------------------------------------------------------------- LMEM


def test_count_masked_hits_by_hand():
    s0, s1, eos = 99, 98, 1
    labels = torch.tensor([[s0, 5, 6, s1, 7, eos], [s0, 8, eos, -100, -100, -100]])
    pred = torch.tensor([[s0, 5, 4, s1, 7, 3], [2, 9, eos, 8, 0, 0]])  # real tokens: 5 ok, 6 no, 7 ok, 8 no
    assert count_masked_hits(pred, labels, {s0, s1, eos, 0}) == (2, 4)
    logits = torch.nn.functional.one_hot(pred, num_classes=100).float()
    assert count_masked_hits(logits, labels, {s0, s1, eos, 0}) == (2, 4)
    assert count_masked_hits(logits, labels, set()) == (5, 9)  # sentinels/eos counted only when asked


def test_measure_lmem_end_to_end(pretrained):
    model, tok = load_model_and_tokenizer(str(pretrained[0]))
    held_out = make_corpus(40, seed=9)
    res = measure_lmem(model, tok, held_out, seed=0, batch_size=8, max_len=48)
    assert sorted(res) == sorted(held_out)
    for lang, r in res.items():
        assert 0.0 <= r["lmem"] <= 1.0 and r["n_sentences"] == 40
        lengths = [len(ids) for ids in encode_texts(tok, held_out[lang], 48)]
        assert r["n_masked"] == sum(min(max(int(np.round(n * 0.15)), 1), n - 1) for n in lengths)
    again = measure_lmem(model, tok, {"hi": held_out["hi"]}, seed=0, batch_size=64, max_len=48)
    assert again["hi"]["n_masked"] == res["hi"]["n_masked"]
    assert again["hi"]["lmem"] == pytest.approx(res["hi"]["lmem"], abs=0.02)
    denser = measure_lmem(model, tok, {"en": held_out["en"]}, seed=0, max_len=48, noise_density=0.3)
    lengths = [len(ids) for ids in encode_texts(tok, held_out["en"], 48)]
    assert denser["en"]["n_masked"] == sum(min(max(int(np.round(n * 0.3)), 1), n - 1) for n in lengths)
    untrained = build_model(tiny_config(len(tok), **TINY), seed=0)
    base = measure_lmem(untrained, tok, held_out, seed=0, max_len=48)
    assert np.mean([r["lmem"] for r in res.values()]) > np.mean([r["lmem"] for r in base.values()]) + 0.1


def test_measure_lmem_restores_mode_and_rejects_empty(pretrained):
    model, tok = load_model_and_tokenizer(str(pretrained[0]))
    model.train()
    measure_lmem(model, tok, {"en": make_corpus(3)["en"]}, seed=0)
    assert model.training
    with pytest.raises(DataError, match="'en'"):
        measure_lmem(model, tok, {"en": ["", "  "]}, seed=0)


def test_sentinel_ids_follow_mt5_layout(tok_dir):
    tok = AutoTokenizer.from_pretrained(str(tok_dir))
    ids = sentinel_ids(tok)
    assert ids[0] == len(tok) - 1 and ids == sorted(ids, reverse=True) and len(ids) == 100
