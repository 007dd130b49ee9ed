"""What a task module provides: text-to-text formatting, decoding mode, scoring and its offline sample.

Adding a task means one new module with a :class:`Task` subclass and one entry in ``xlrobust.tasks.REGISTRY``;
every stage works through this interface only.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from xlrobust.errors import DataError


@dataclass
class TextPair:
    """One model input and its target; ``truncated`` records that the input had to be cut to fit."""

    source: str
    target: str
    truncated: bool = False


@dataclass
class Scored:
    """Corpus-level metrics plus one row per example (``id``, ``score`` and task-specific counts)."""

    metrics: dict[str, float]
    rows: list[dict[str, Any]]


class Task(ABC):
    """A task in the study. Subclasses are stateless; one instance lives in the registry."""

    name: str
    primary_metric: str
    decoding: Literal["rank", "generate"]
    choices: tuple[str, ...] = ()  # target strings scored by rank classification
    # Fixed words of the input/target format (task prefix, field names, separators, label words); a tokenizer
    # trained here makes each one token (``xlrobust.tokenizer.train_tokenizer(user_defined_symbols=...)``).
    keywords: tuple[str, ...] = ()

    @abstractmethod
    def pairs(self, example: dict[str, Any], *, fit: Any = None, training: bool = False) -> list[TextPair]:
        """Text-to-text pairs for one example. ``fit`` (a callable str -> token count) lets long inputs be
        windowed; at training time an example may yield zero pairs (e.g. its answer lies outside every window)."""

    @abstractmethod
    def score(self, examples: Sequence[dict[str, Any]], predictions: Sequence[str], *, lang: str,
              options: dict[str, Any]) -> Scored:
        """Score decoded predictions against gold examples (same order)."""

    @abstractmethod
    def aggregate(self, rows: Sequence[dict[str, Any]]) -> float:
        """The primary metric recomputed from per-example rows (used by bootstraps and subsets)."""

    @abstractmethod
    def texts(self, example: dict[str, Any]) -> list[str]:
        """The natural-language texts of an example (for corpora and lexical overlap)."""

    @abstractmethod
    def generate(self, lang: str, split: str, n: int, seed: int) -> list[dict[str, Any]]:
        """The built-in offline sample for this task."""

    def is_labelled(self, example: dict[str, Any]) -> bool:
        """Whether the example carries a gold label that can be scored."""
        return True


def mean_score(rows: Sequence[dict[str, Any]]) -> float:
    """Mean of per-example ``score`` (accuracy, QA F1)."""
    if not rows:
        raise DataError("cannot score an empty set of examples")
    return float(sum(r["score"] for r in rows) / len(rows))
