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
    ex = {
        "id": "1",
        "tokens": ["Ada", "Lovelace", "lived", "in", "London", "."],
        "tags": ["B-PER", "I-PER", "O", "O", "B-LOC", "O"],
    }
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
    ex = {
        "id": "1",
        "question": "q?",
        "context": ctx,
        "answers": [{"text": "w33 w34", "answer_start": start}],
    }
    task = get_task("tydiqa")
    (train_pair,) = task.pairs(ex, fit=word_budget(14), training=True)
    assert "w33 w34" in train_pair.source and train_pair.target == "w33 w34" and train_pair.truncated
    (eval_pair,) = task.pairs(ex, fit=word_budget(14), training=False)
    assert eval_pair.source.startswith("question: q? context: w0 ") and "w33" not in eval_pair.source


def test_qa_training_drops_example_whose_answer_fits_no_window():
    ctx = " ".join(f"w{i}" for i in range(30))
    ex = {"id": "1", "question": "q?", "context": ctx, "answers": [{"text": ctx, "answer_start": 0}]}
    assert get_task("tydiqa").pairs(ex, fit=word_budget(14), training=True) == []


def test_no_module_outside_tasks_branches_on_a_task_name():
    """Adding a task is its module plus one registry line: no other module compares with a task name or keys a
    table by one (the offline-sample generators and data loaders that task specs register may name their data)."""
    import ast
    from pathlib import Path

    from xlrobust.tasks import REGISTRY

    src = Path(__file__).resolve().parents[1] / "src" / "xlrobust"
    names = set(REGISTRY)
    found = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        if rel.startswith(("tasks/", "synthetic/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            consts = []
            if isinstance(node, ast.Compare):
                consts = [node.left, *node.comparators]
            elif isinstance(node, ast.Dict):
                consts = [k for k in node.keys if k is not None]
            elif isinstance(node, (ast.Set, ast.Tuple, ast.List)) and isinstance(
                getattr(node, "ctx", None), (ast.Load, type(None))
            ):
                consts = (
                    list(node.elts)
                    if sum(isinstance(e, ast.Constant) and e.value in names for e in node.elts) > 1
                    else []
                )
            found += [
                f"{rel}:{node.lineno}" for c in consts if isinstance(c, ast.Constant) and c.value in names
            ]
    assert not found, f"task names outside src/xlrobust/tasks/: {found}"


def test_corpus_aggregate_equals_the_scalar_aggregate():
    """Each task's vectorised bootstrap aggregate (Task.corpus_aggregate) computes its primary metric exactly as
    Task.aggregate does (the evaluate stage writes the latter), so the two cannot drift apart."""
    import random

    from xlrobust.tasks import REGISTRY

    rng = random.Random(0)
    for task in REGISTRY.values():
        for n in (1, 7, 50):
            rows = [
                {
                    "id": str(i),
                    "score": rng.random(),
                    "tp": rng.randint(0, 3),
                    "fp": rng.randint(0, 2),
                    "fn": rng.randint(0, 2),
                }
                for i in range(n)
            ]
            assert task.corpus_aggregate(rows) == pytest.approx(task.aggregate(rows), abs=1e-12), task.name
