"""XNLI as text-to-text, the way mT5 did it: ``xnli: premise: <p> hypothesis: <h>`` -> the English label word.

Evaluation is rank classification: the three label strings are scored by the model and the most likely wins,
so a tiny model's malformed generations cannot be mistaken for low accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlrobust import metrics, stats, synthetic
from xlrobust.examples import NLI_LABELS
from xlrobust.sources import hub, hub_targets, xtreme
from xlrobust.sources.validate import NLI_RECORD
from xlrobust.tasks.base import RunRows, Scored, Task, TextPair, mean_score


class XNLITask(Task):
    name = "xnli"
    primary_metric = "accuracy"
    decoding = "rank"
    choices = NLI_LABELS
    record = NLI_RECORD
    hub_loader = staticmethod(hub.load_xnli)
    xtreme_loader = staticmethod(xtreme.load_xnli)
    hub_fallback = staticmethod(hub_targets.load_indicxnli)  # bn and other Indic languages XNLI lacks
    perturb_kind = "nli"
    corpus_aggregate = stats.mean_score
    keywords = ("xnli:", "premise:", "hypothesis:", *NLI_LABELS)
    dataset = "XNLI"
    # ranking three label words is cheap: 256 test examples per target for a 0.10-wide source interval
    offline_test_size = 256

    def data_origin(self, lang: str, split: str) -> str:
        """English is original (train: MultiNLI); other languages' dev/test were translated by professionals,
        their train is machine-translated MultiNLI (XNLI-MT)."""
        if lang == "en":
            return "native"
        return "machine-translated" if split == "train" else "human-translated"

    def pairs(self, example: dict[str, Any], *, fit: Any = None, training: bool = False) -> list[TextPair]:
        source = f"xnli: premise: {example['premise']} hypothesis: {example['hypothesis']}"
        truncated = fit is not None and fit(source) is False
        return [TextPair(source, example.get("label", ""), truncated)]

    def score(
        self,
        examples: Sequence[dict[str, Any]],
        predictions: Sequence[str],
        *,
        lang: str,
        options: dict[str, Any],
    ) -> Scored:
        golds = [ex["label"] for ex in examples]
        rows = [
            {"id": ex["id"], "score": float(p == g)}
            for ex, p, g in zip(examples, predictions, golds, strict=True)
        ]
        return Scored({"accuracy": metrics.accuracy(list(predictions), golds)}, rows)

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> float:
        return mean_score(rows)

    def texts(self, example: dict[str, Any]) -> list[str]:
        return [example["premise"], example["hypothesis"]]

    def generate(self, lang: str, split: str, n: int, seed: int) -> list[dict[str, Any]]:
        return synthetic.generate_nli(lang, split, n, seed)

    def is_labelled(self, example: dict[str, Any]) -> bool:
        return example.get("label") in NLI_LABELS

    def offline_sample_note(
        self, n_train: int, n_test: int, seed: int, in_language: RunRows | None = None
    ) -> str | None:
        from xlrobust.synthetic.nli import hypothesis_only_accuracy, hypothesis_only_misses

        baseline = hypothesis_only_accuracy(n_train, n_test, seed)
        note = (
            f"On the generated XNLI a model that never reads the premise scores accuracy {baseline:.2f} (each "
            "hypothesis template's most frequent training label), so in-language XNLI accuracy up to that level "
            "does not show inference"
        )
        misses = set(hypothesis_only_misses(n_train, n_test, seed))
        scores = {}
        for run, rows in (in_language or {}).items():
            hits = [r["score"] for r in rows if r.get("id") in misses]
            if misses and len(hits) == len(misses):  # the run was scored on the sample's test split
                scores[run] = sum(hits) / len(hits)
        if scores:
            parts = [f"{score:.2f} ({run})" for run, score in scores.items()]
            runs = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            note += (
                f". On the {len(misses)} test items that baseline gets wrong, which only the premise decides, the "
                f"models score {runs} in their own language, against {1 / len(self.choices):.2f} for guessing"
            )
        return note + " (docs/limitations.md)."
