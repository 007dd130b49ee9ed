"""Task formats: text-to-text pairs as mT5 wrote them, QA windowing, the registry."""

import pytest

from xlrobust.errors import ConfigError
from xlrobust.tasks import REGISTRY, get_task
from xlrobust.tasks.tydiqa import context_windows


def word_budget(n_words: int):
    """A fits() that allows at most n_words whitespace words in the whole formatted input."""
    return lambda text: len(text.split()) <= n_words


def test_registry_and_unknown_task():
    assert set(REGISTRY) == {"xnli", "panx", "tydiqa"}
    with pytest.raises(ConfigError, match="unknown task 'ner'"):
        get_task("ner")


def test_xnli_pair_is_mt5_format():
    (pair,) = get_task("xnli").pairs({"id": "1", "premise": "P.", "hypothesis": "H.", "label": "neutral"})
    assert pair.source == "xnli: premise: P. hypothesis: H."
    assert pair.target == "neutral"


def test_panx_pair_is_mt5_format():
    ex = {"id": "1", "tokens": ["Ada", "Lovelace", "lived", "in", "London", "."],
          "tags": ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]}
    (pair,) = get_task("panx").pairs(ex)
    assert pair.source == "tag: Ada Lovelace lived in London ."
    assert pair.target == "PER: Ada Lovelace $$ LOC: London"


def test_qa_fitting_context_is_one_window():
    ctx = "one two three"
    assert context_windows("q?", ctx, word_budget(100)) == [(0, len(ctx))]


def test_qa_windows_cover_every_word_and_fit():
    words = [f"w{i}" for i in range(40)]
    ctx = " ".join(words)
    fits = word_budget(14)  # "question: q? context:" uses 3 words -> 11 context words per window
    windows = context_windows("q?", ctx, fits)
    assert len(windows) > 1
    covered = set()
    for lo, hi in windows:
        assert fits(f"question: q? context: {ctx[lo:hi]}")
        covered.update(ctx[lo:hi].split())
    assert covered == set(words)


def test_qa_training_keeps_answer_window_and_eval_truncates():
    words = [f"w{i}" for i in range(40)]
    ctx = " ".join(words)
    start = ctx.index("w33")
    ex = {"id": "1", "question": "q?", "context": ctx, "answers": [{"text": "w33 w34", "answer_start": start}]}
    task = get_task("tydiqa")
    (train_pair,) = task.pairs(ex, fit=word_budget(14), training=True)
    assert "w33 w34" in train_pair.source and train_pair.target == "w33 w34" and train_pair.truncated
    (eval_pair,) = task.pairs(ex, fit=word_budget(14), training=False)
    assert eval_pair.source.startswith("question: q? context: w0 ") and "w33" not in eval_pair.source


def test_qa_training_drops_example_whose_answer_fits_no_window():
    ctx = " ".join(f"w{i}" for i in range(30))
    ex = {"id": "1", "question": "q?", "context": ctx, "answers": [{"text": ctx, "answer_start": 0}]}
    assert get_task("tydiqa").pairs(ex, fit=word_budget(14), training=True) == []
