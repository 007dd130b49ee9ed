"""Task keywords as single tokenizer pieces in every language, and the copy-friendly pre-training mixture."""

from __future__ import annotations

import numpy as np
import pytest
from sample_corpus import make_corpus
from transformers import AutoTokenizer

from xlrobust.errors import ConfigError
from xlrobust.pretrain_mixture import (
    check_compare_fraction,
    check_copy_fraction,
    compare_pair,
    reconstruct_some,
    word_starts,
)
from xlrobust.span_corruption import encode_texts, sentinel_ids
from xlrobust.synthetic import SUPPORTED_LANGUAGES
from xlrobust.tasks import REGISTRY
from xlrobust.tokenizer import WORD_START, train_tokenizer

KEYWORDS = [k for task in REGISTRY.values() for k in task.keywords]


@pytest.fixture(scope="module")
def tok(tmp_path_factory):
    out = tmp_path_factory.mktemp("tok") / "tokenizer"
    train_tokenizer(make_corpus(120), out, vocab_size=700, seed=0, user_defined_symbols=KEYWORDS)
    return AutoTokenizer.from_pretrained(str(out))


def test_every_task_declares_its_format_words():
    assert {
        "xnli:",
        "premise:",
        "hypothesis:",
        "entailment",
        "neutral",
        "contradiction",
        "tag:",
        "$$",
        "PER:",
        "LOC:",
        "ORG:",
        "question:",
        "context:",
    } == set(KEYWORDS)


def test_keywords_are_single_pieces_in_every_language(tok):
    """Every format word is one token wherever a task writes it, in each language's formatted inputs and
    targets, and decoding gives back the exact text (spaces around the keywords included)."""
    piece_ids = {k: tok.convert_tokens_to_ids(WORD_START + k) for k in KEYWORDS}
    assert len(set(piece_ids.values())) == len(KEYWORDS) and tok.unk_token_id not in piece_ids.values()
    for lang in sorted(SUPPORTED_LANGUAGES):
        for task in REGISTRY.values():
            for ex in task.generate(lang, "test", 4, 13):
                for pair in task.pairs(ex):
                    for text in (pair.source, pair.target):
                        ids = tok(text).input_ids
                        assert tok.decode(ids, skip_special_tokens=True) == text, (lang, text)
                        pieces = tok.convert_ids_to_tokens(ids)
                        for word in text.split(" "):
                            if word in piece_ids:
                                assert WORD_START + word in pieces, (lang, word, pieces)
    assert tok("entailment").input_ids == [piece_ids["entailment"], tok.eos_token_id]


def test_keyword_inside_a_word_is_ordinary_text(tok):
    text = "a$$b xPER:"
    assert tok.decode(tok(text).input_ids, skip_special_tokens=True) == text


@pytest.mark.parametrize("bad", ["", "two words", "<extra_id_3>", "</s>", None])
def test_bad_symbol_is_config_error(tmp_path, bad):
    with pytest.raises(ConfigError, match="symbol"):
        train_tokenizer(make_corpus(10), tmp_path / "t", vocab_size=700, user_defined_symbols=[bad])


PAIRS = [([5, 99, 7, 1], [99, 6, 1]), ([8, 98, 1], [98, 9, 10, 1]), ([11, 97, 1], [97, 12, 1])] * 20
ORIGINALS = [[5, 6, 7], [8, 9, 10], [11, 12]] * 20


def test_mixture_is_deterministic_from_the_seed():
    a = reconstruct_some(PAIRS, ORIGINALS, 1, np.random.default_rng(3), 0.5)
    b = reconstruct_some(PAIRS, ORIGINALS, 1, np.random.default_rng(3), 0.5)
    c = reconstruct_some(PAIRS, ORIGINALS, 1, np.random.default_rng(4), 0.5)
    assert a == b and a != c
    full = [t == [*o, 1] for (_, t), o in zip(a, ORIGINALS, strict=True)]
    assert 10 < sum(full) < 50  # about half of 60
    assert [i for i, _ in a] == [i for i, _ in PAIRS]  # inputs untouched
    assert all(t == p[1] for (_, t), p, f in zip(a, PAIRS, full, strict=True) if not f)


def test_zero_share_is_plain_span_corruption_and_draws_nothing():
    rng = np.random.default_rng(0)
    assert reconstruct_some(PAIRS, ORIGINALS, 1, rng, 0.0) == [(list(i), list(t)) for i, t in PAIRS]
    assert rng.random() == np.random.default_rng(0).random()
    assert all(
        t == [*o, 1]
        for (_, t), o in zip(
            reconstruct_some(PAIRS, ORIGINALS, 1, np.random.default_rng(0), 1.0), ORIGINALS, strict=True
        )
    )


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", True])
def test_bad_copy_fraction(bad):
    with pytest.raises(ConfigError, match="copy_fraction"):
        check_copy_fraction(bad)


def _split_words(ids, starts):
    words = []
    for i in ids:
        if not words or starts[i]:
            words.append([])
        words[-1].append(i)
    return words


def test_compare_pair_names_the_one_difference(tok):
    """Input ``A <sep> B``, target the change that turns A into B: checked by applying it, for every kind, in
    sentences of every script."""
    starts, sent, eos = word_starts(tok), sentinel_ids(tok), tok.eos_token_id
    corpus = make_corpus(60)
    ids = [x for lang in sorted(corpus) for x in encode_texts(tok, corpus[lang], 128)]
    rng = np.random.default_rng(0)
    kinds = set()
    for k in range(400):
        inputs, target = compare_pair(
            ids[k % len(ids)], ids[(k * 7 + 3) % len(ids)], starts, sent, eos, rng, 64
        )
        assert inputs[-1] == eos and target[-1] == eos and len(inputs) <= 64
        sep = inputs.index(sent[-1])
        a, b = _split_words(inputs[:sep], starts), _split_words(inputs[sep + 1 : -1], starts)
        head, body = target[0], target[1:-1]
        if head == sent[0]:
            kinds.add("same")
            assert body == [] and a == b
        elif head == sent[1]:
            kinds.add("replace")
            cut = body.index(sent[2])
            old, new = body[:cut], body[cut + 1 :]
            diff = [j for j in range(len(a)) if a[j] != b[j]]
            assert len(a) == len(b) and len(diff) == 1 and (a[diff[0]], b[diff[0]]) == (old, new)
        elif head == sent[3]:
            kinds.add("delete")
            assert any(a[:j] + a[j + 1 :] == b and a[j] == body for j in range(len(a)))
        else:
            assert head == sent[4]
            kinds.add("swap")
            cut = body.index(sent[5])
            first, second = body[:cut], body[cut + 1 :]
            diff = [j for j in range(len(a)) if a[j] != b[j]]
            assert len(a) == len(b) and len(diff) == 2
            j, m = diff
            assert (a[j], a[m]) == (first, second) and (b[j], b[m]) == (second, first)
    assert kinds == {"same", "replace", "delete", "swap"}
    assert compare_pair(ids[0], ids[3], starts, sent, eos, np.random.default_rng(0), 64) == compare_pair(
        ids[0], ids[3], starts, sent, eos, np.random.default_rng(0), 64
    )


@pytest.mark.parametrize("bad", [-0.1, 1.0, "0.3", True])
def test_bad_compare_fraction(bad):
    with pytest.raises(ConfigError, match="compare_fraction"):
        check_compare_fraction(bad)
