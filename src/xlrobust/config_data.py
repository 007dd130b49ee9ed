"""The ``data`` section of params.yaml: where examples come from (synthetic sample, hub, XTREME folder, JSONL),
split sizes, dataset revisions and the QA training/target corpora. Part of :mod:`xlrobust.config`, which
re-exports these classes; see its docstring for how params are loaded and validated."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from xlrobust.errors import ConfigError
from xlrobust.schema import check_per_task, check_revisions, choice, for_task, positive
from xlrobust.sources import hub_targets, qa_train
from xlrobust.tasks import REGISTRY

TASK_NAMES: tuple[str, ...] = tuple(REGISTRY)
DATA_SOURCES = ("synthetic", "hub", "xtreme", "jsonl")
QA_TRAIN_CORPORA = ("tydiqa", "squad")  # data.qa_train: TyDiQA-GoldP train, or SQuAD v1.1 + translate-train
EXTRA_REVISION_KEYS = (*qa_train.REVISION_KEYS, *hub_targets.REVISION_KEYS)  # hub datasets beside tasks


@dataclass
class SplitSizes:
    """Examples per split: generated sizes for the offline sample, caps (null = all) for real data.

    Each split takes one number for every task, or a mapping task -> number (e.g. ``test: {xnli: 128, panx: 64,
    tydiqa: 64}``) naming every task of params ``tasks``: XNLI is scored by ranking three label words, so its
    test set is cheap to enlarge, while NER and QA are scored by generation."""

    train: int | dict[str, int | None] | None = field(
        default_factory=lambda: {name: task.offline_train_size for name, task in REGISTRY.items()}
    )
    dev: int | dict[str, int | None] | None = 32
    test: int | dict[str, int | None] | None = field(
        default_factory=lambda: {name: task.offline_test_size for name, task in REGISTRY.items()}
    )

    def validate(self, key: str, tasks: list[str] | None = None) -> None:
        for name in ("train", "dev", "test"):
            check_per_task(getattr(self, name), f"{key}.{name}", TASK_NAMES, tasks, nullable=True)

    def of(self, split: str, task: str) -> int | None:
        """The size (or cap, None = all) of ``split`` for ``task``."""
        return for_task(getattr(self, split), task)


@dataclass
class DataConfig:
    """Where examples come from (params section ``data``)."""

    source: str = "synthetic"
    path: str | None = None
    cache_dir: str | None = None
    on_missing: str = "error"
    eval_split: str = "test"
    sizes: SplitSizes = field(default_factory=SplitSizes)
    corpus_sentences: int = 300
    revisions: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TASK_NAMES, "main"))
    qa_targets: str | None = (
        None  # folder with XTREME's xquad/ and mlqa/: QA targets TyDiQA lacks; null = off
    )
    qa_train: str = "tydiqa"  # QA training corpus of every source: tydiqa | squad (SQuAD + translate-train)
    equal_train_size: int | str | None = (
        None  # null | min | N: train every source of a task on as many examples
    )

    def validate(self, key: str = "data", tasks: list[str] | None = None) -> None:
        self.path = expand_home(self.path)
        self.qa_targets = expand_home(self.qa_targets)
        if self.qa_targets is not None and not Path(self.qa_targets).is_dir():
            raise ConfigError(
                f"params: '{key}.qa_targets' {self.qa_targets!r} is not an existing folder; put "
                "XTREME's xquad/ and mlqa/ there or set it to null"
            )
        self.cache_dir = expand_home(self.cache_dir)
        choice(self.source, DATA_SOURCES, f"{key}.source")
        choice(self.on_missing, ("error", "skip"), f"{key}.on_missing")
        choice(self.eval_split, ("dev", "test"), f"{key}.eval_split")
        self.sizes.validate(f"{key}.sizes", tasks)
        positive(self.corpus_sentences, f"{key}.corpus_sentences")
        if self.source in ("xtreme", "jsonl"):
            if not self.path:
                raise ConfigError(f"params: '{key}.path' is required when {key}.source is {self.source!r}")
            if not Path(self.path).is_dir():
                raise ConfigError(f"params: '{key}.path' {self.path!r} is not an existing folder")
        check_revisions(self.revisions, (*TASK_NAMES, *EXTRA_REVISION_KEYS), f"{key}.revisions")
        choice(self.qa_train, QA_TRAIN_CORPORA, f"{key}.qa_train")
        size = self.equal_train_size
        if isinstance(size, str) and size != "min" or isinstance(size, bool):
            raise ConfigError(
                f"params: '{key}.equal_train_size' is {size!r}; allowed: null, min (the smallest training set "
                "among the sources) or a positive number of examples"
            )
        if isinstance(size, int):
            positive(size, f"{key}.equal_train_size")


def expand_home(path: str | None) -> str | None:
    """``~`` or ``~user`` at the start of a path is the home folder (YAML and DVC do not expand it)."""
    return None if path is None else os.path.expanduser(path)
