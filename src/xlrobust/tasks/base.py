"""What a task module provides: text-to-text formatting, decoding mode, scoring, its offline sample, and every
other fact specific to the task (record format, data loaders, perturbation kind, bootstrap aggregate, ...).

Adding a task means one new module with a :class:`Task` subclass and one entry in ``xlrobust.tasks.REGISTRY``;
every stage and library module works through this interface only (no module outside ``xlrobust.tasks`` names a
task).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from xlrobust.errors import DataError
from xlrobust.sources.validate import RecordFormat, SplitData
from xlrobust.stats import Aggregate

RunRows = Mapping[str, Sequence[dict[str, Any]]]  # run name -> its per-example prediction rows


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
    record: RecordFormat  # fields, text fields, label field and record checks (xlrobust.sources.validate)
    # Loaders per data source (the JSONL reader is generic): (lang, split, *, path, revision, cache_dir) for the
    # hub and (download folder, lang, split) for XTREME; wrap them in staticmethod() in the class body.
    hub_loader: ClassVar[Callable[..., SplitData | None]]
    xtreme_loader: ClassVar[Callable[[Path, str, str], SplitData | None]]
    # With data.source hub, a loader of another dataset for the languages the task's own lacks (IndicXNLI for
    # XNLI's bn): (lang, split, *, path, revisions, cache_dir); its SplitData names its dataset and provenance.
    hub_fallback: ClassVar[Callable[..., SplitData | None] | None] = None
    no_test_split: bool = False  # the dataset has no test split: its dev split serves as test (as in XTREME)
    perturb_kind: str  # which example-level applier of xlrobust.perturb.tasks.APPLY keeps its label right
    multichecklist: bool = False  # XTREME-R's MultiCheckList QA tests apply (adversarial and evaluate stages)
    # Primary metric from per-example column sums, vectorised for bootstraps (xlrobust.stats); equal to
    # :meth:`aggregate` (tests/test_tasks.py checks that they agree).
    corpus_aggregate: Aggregate
    # Fixed words of the input/target format (task prefix, field names, separators, label words); a tokenizer
    # trained here makes each one token (``xlrobust.tokenizer.train_tokenizer(user_defined_symbols=...)``).
    keywords: tuple[str, ...] = ()
    # Extractive QA: ``data.qa_train`` may replace its training corpus (SQuAD / translate-train) and
    # ``data.qa_targets`` fill its missing evaluation languages (MLQA / XQuAD).
    extractive_qa: bool = False
    dataset: str  # the benchmark's name, for the coverage table and the report
    # The offline default's budget for the task (params.yaml ``data.sizes.train`` and ``eval.max_new_tokens``;
    # the config dataclasses' defaults read these, tests/test_config.py keeps them equal to params.yaml):
    # generated training and test examples (benchmarks/RESULTS.md sections 14, 15) and the tokens its longest
    # generated target needs.
    offline_train_size: int = 8000
    offline_max_new_tokens: int = 0  # 0 for a rank-classification task (nothing generated)
    # Generated test examples per target (``data.sizes.test``): XNLI's 256 make the low-resource source difference's
    # interval about 0.10 wide (benchmarks/ci_width.py); NER and QA are scored by generation, so they stay at 64.
    offline_test_size: int = 64

    def data_origin(self, lang: str, split: str) -> str:
        """How the task's own data of ``lang`` came about: ``native`` (written in the language),
        ``human-translated`` or ``machine-translated`` (coverage table, report, summary.json)."""
        return "native"

    @abstractmethod
    def pairs(self, example: dict[str, Any], *, fit: Any = None, training: bool = False) -> list[TextPair]:
        """Text-to-text pairs for one example. ``fit`` (a callable str -> token count) lets long inputs be
        windowed; at training time an example may yield zero pairs (e.g. its answer lies outside every window)."""

    @abstractmethod
    def score(
        self,
        examples: Sequence[dict[str, Any]],
        predictions: Sequence[str],
        *,
        lang: str,
        options: dict[str, Any],
    ) -> Scored:
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

    def offline_sample_note(
        self, n_train: int, n_test: int, seed: int, in_language: RunRows | None = None
    ) -> str | None:
        """What a model can score on the offline sample without doing the task, and where the runs stand
        against it (``in_language``: run name -> its clean prediction rows on its own language), for the
        report's smoke-scale notice; or None."""
        return None


def mean_score(rows: Sequence[dict[str, Any]]) -> float:
    """Mean of per-example ``score`` (accuracy, QA F1)."""
    if not rows:
        raise DataError("cannot score an empty set of examples")
    return float(sum(r["score"] for r in rows) / len(rows))
