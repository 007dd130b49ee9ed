"""TyDiQA-GoldP as text-to-text: ``question: <q> context: <c>`` -> the answer text.

Scored with the SQuAD v1.1 evaluation exactly as XTREME scores TyDiQA-GoldP (comparable with published numbers),
and also with Unicode-aware punctuation removal (XTREME's MLQA normalisation), since SQuAD's leaves ``।`` or
``،`` in place.

Long contexts: when ``question + context`` does not fit the model's input length, the context is cut into
overlapping word windows. Training keeps the window that holds the (first) answer and drops the example if no
window does; evaluation uses the first window, i.e. plain truncation. The shares of truncated examples and of
answers cut off are reported by the evaluate stage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xlrobust import metrics, stats, synthetic
from xlrobust.sources import hub, xtreme
from xlrobust.sources.validate import QA_RECORD
from xlrobust.tasks.base import Scored, Task, TextPair, mean_score

WINDOW_STRIDE = 0.5  # share of a window that the next one moves on


def _format(question: str, context: str) -> str:
    return f"question: {question} context: {context}"


def context_windows(question: str, context: str, fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Character ranges of ``context`` (on word boundaries) such that each formatted input fits.

    A single range covering the whole context when it fits; otherwise the largest word windows that fit, moving
    by about half a window, so every word is in some window.
    """
    if fits(_format(question, context)):
        return [(0, len(context))]
    starts, ends, pos = [], [], 0
    for word in context.split(" "):
        starts.append(pos)
        ends.append(pos + len(word))
        pos += len(word) + 1
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(starts):
        lo, hi = i + 1, len(starts)  # largest j with words[i:j] fitting, by binary search
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(_format(question, context[starts[i] : ends[mid - 1]])):
                lo = mid
            else:
                hi = mid - 1
        j = lo
        windows.append((starts[i], ends[j - 1]))
        if j >= len(starts):
            break
        i = max(i + 1, i + int((j - i) * WINDOW_STRIDE))
    return windows


class TyDiQATask(Task):
    name = "tydiqa"
    primary_metric = "f1"
    decoding = "generate"
    record = QA_RECORD
    hub_loader = staticmethod(hub.load_tydiqa)
    xtreme_loader = staticmethod(xtreme.load_tydiqa)
    perturb_kind = "qa"
    corpus_aggregate = stats.mean_score
    no_test_split = True
    multichecklist = True
    extractive_qa = True
    dataset = "TyDiQA-GoldP"
    offline_max_new_tokens = 24  # longest generated answer: 18 tokens
    offline_train_size = 12000  # en F1 0.52 after 8,000, 0.66 after 12,000 (RESULTS.md section 16)
    keywords = ("question:", "context:")

    def pairs(self, example: dict[str, Any], *, fit: Any = None, training: bool = False) -> list[TextPair]:
        question, context = example["question"], example["context"]
        answers = example.get("answers") or []
        target = answers[0]["text"] if answers else ""
        if fit is None:
            return [TextPair(_format(question, context), target)]
        windows = context_windows(question, context, fit)
        truncated = len(windows) > 1
        if not training:
            lo, hi = windows[0]
            return [TextPair(_format(question, context[lo:hi]), target, truncated)]
        if not answers:
            return []
        start = answers[0]["answer_start"]
        end = start + len(target)
        for lo, hi in windows:
            if lo <= start and end <= hi:
                return [TextPair(_format(question, context[lo:hi]), target, truncated)]
        return []

    def score(
        self,
        examples: Sequence[dict[str, Any]],
        predictions: Sequence[str],
        *,
        lang: str,
        options: dict[str, Any],
    ) -> Scored:
        golds = [[a["text"] for a in ex["answers"]] for ex in examples]
        primary = options.get("qa_normalization", "squad")
        rows = []
        for ex, pred, gold in zip(examples, predictions, golds, strict=True):
            f1, em = metrics.qa_example_scores(pred, gold, normalization=primary, lang=lang)
            rows.append({"id": ex["id"], "score": float(f1), "em": float(em)})
        out: dict[str, float] = {}
        for norm in ("squad", "unicode"):
            scores = metrics.qa_scores(list(predictions), golds, normalization=norm, lang=lang)
            suffix = "" if norm == primary else f"_{norm}"
            out[f"f1{suffix}"] = float(scores["f1"])
            out[f"exact_match{suffix}"] = float(scores["exact_match"])
        return Scored(out, rows)

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> float:
        return mean_score(rows)

    def texts(self, example: dict[str, Any]) -> list[str]:
        return [example["question"], example["context"]]

    def generate(self, lang: str, split: str, n: int, seed: int) -> list[dict[str, Any]]:
        return synthetic.generate_qa(lang, split, n, seed)

    def is_labelled(self, example: dict[str, Any]) -> bool:
        return bool(example.get("answers"))
