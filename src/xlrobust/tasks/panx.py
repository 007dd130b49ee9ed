"""PAN-X (WikiANN) NER as text-to-text, as mT5 did it: ``tag: <tokens>`` -> ``PER: Ada Lovelace $$ LOC: London``.

Scored twice: mT5's span F1 over (type, surface) pairs, and, after mapping predicted spans back onto the
tokens, seqeval entity F1 as XTREME reports it. Malformed generations count as wrong; their rate is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlrobust import metrics, stats, synthetic
from xlrobust.examples import NER_TYPES
from xlrobust.ner_text import SEPARATOR, decode_entities, encode_entities, spans_to_tags
from xlrobust.sources import hub, xtreme
from xlrobust.sources.validate import NER_RECORD
from xlrobust.tasks.base import Scored, Task, TextPair


class PANXTask(Task):
    name = "panx"
    primary_metric = "span_f1"
    decoding = "generate"
    record = NER_RECORD
    hub_loader = staticmethod(hub.load_panx)
    xtreme_loader = staticmethod(xtreme.load_panx)
    perturb_kind = "ner"
    dataset = "PAN-X (WikiANN)"
    offline_train_size = 4000  # learns as much from 4,000 generated examples as from 8,000
    offline_max_new_tokens = 48  # longest generated target: 42 tokens
    corpus_aggregate = stats.corpus_span_f1
    keywords = ("tag:", SEPARATOR.strip(), *(f"{t}:" for t in NER_TYPES))

    def pairs(self, example: dict[str, Any], *, fit: Any = None, training: bool = False) -> list[TextPair]:
        source = "tag: " + " ".join(example["tokens"])
        truncated = fit is not None and fit(source) is False
        target = encode_entities(example["tokens"], example["tags"]) if example.get("tags") else ""
        return [TextPair(source, target, truncated)]

    def score(
        self,
        examples: Sequence[dict[str, Any]],
        predictions: Sequence[str],
        *,
        lang: str,
        options: dict[str, Any],
    ) -> Scored:
        targets = [encode_entities(ex["tokens"], ex["tags"]) for ex in examples]
        span = metrics.span_f1(targets, list(predictions))
        gold_tags, pred_tags, rows = [], [], []
        for ex, target, pred in zip(examples, targets, predictions, strict=True):
            spans = decode_entities(pred)
            gold_tags.append(list(ex["tags"]))
            pred_tags.append(spans_to_tags(ex["tokens"], spans or [], gold_tags=ex["tags"]))
            tp, fp, fn = metrics.span_counts(target, pred)
            rows.append(
                {
                    "id": ex["id"],
                    "tp": tp,
                    "fp": fp,
                    "fn": fn,
                    "malformed": spans is None,
                    "score": metrics.f1_from_counts(tp, fp, fn) if (tp + fp + fn) else 1.0,
                }
            )
        seq = metrics.seqeval_scores(gold_tags, pred_tags)
        out = {
            "span_f1": span["f1"],
            "span_precision": span["precision"],
            "span_recall": span["recall"],
            "malformed_rate": span["malformed_rate"],
            "seqeval_f1": seq["f1"],
            "seqeval_precision": seq["precision"],
            "seqeval_recall": seq["recall"],
        }
        return Scored({k: float(v) for k, v in out.items()}, rows)

    def aggregate(self, rows: Sequence[dict[str, Any]]) -> float:
        tp = sum(r["tp"] for r in rows)
        fp = sum(r["fp"] for r in rows)
        fn = sum(r["fn"] for r in rows)
        return float(metrics.f1_from_counts(tp, fp, fn))

    def texts(self, example: dict[str, Any]) -> list[str]:
        return [" ".join(example["tokens"])]

    def generate(self, lang: str, split: str, n: int, seed: int) -> list[dict[str, Any]]:
        return synthetic.generate_ner(lang, split, n, seed)

    def is_labelled(self, example: dict[str, Any]) -> bool:
        return bool(example.get("tags"))
