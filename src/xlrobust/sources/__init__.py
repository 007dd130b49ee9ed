"""Real datasets (XNLI, PAN-X, TyDiQA-GoldP) from the hub, an XTREME download folder or JSONL files.

``load_split`` returns the examples of one (task, language, split) in the internal formats of
:mod:`xlrobust.examples`, already validated (see :mod:`xlrobust.sources.validate` for the error policy), or None
when the source does not have that split (e.g. XNLI has no Bengali, TyDiQA-GoldP has no test split: dev serves
as test). Splits are named ``train``, ``dev``, ``test``. A split with ``labelled=False`` (XTREME's test files,
XTREME's TyDiQA dev files) can be predicted on but never scored.
"""

from __future__ import annotations

from xlrobust.sources import hub_targets, jsonl, qa_targets, xtreme
from xlrobust.sources.coverage import coverage_markdown, coverage_rows
from xlrobust.sources.validate import (
    NER_RECORD,
    NLI_RECORD,
    QA_RECORD,
    SPLITS,
    RecordFormat,
    SplitData,
    check_task_split,
    validate_examples,
)

KINDS: tuple[str, ...] = ("hub", "xtreme", "jsonl")

__all__ = [
    "KINDS",
    "NER_RECORD",
    "NLI_RECORD",
    "QA_RECORD",
    "SPLITS",
    "RecordFormat",
    "SplitData",
    "coverage_markdown",
    "coverage_rows",
    "hub_targets",
    "load_split",
    "qa_targets",
    "validate_examples",
]


def load_split(
    kind: str,
    task: str,
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revision: str | None = None,
    cache_dir: str | None = None,
    revisions: dict[str, str] | None = None,
) -> SplitData | None:
    """Load and validate one (task, language, split) from source ``kind``; None when the source lacks it.

    ``path``: the XTREME download/ folder (xtreme), the JSONL root (jsonl), or a local directory replacing the
    hub id (hub). ``revision`` (the task's dataset), ``revisions`` (all of ``data.revisions``, for a fallback
    dataset) and ``cache_dir`` apply to the hub only. The task spec (``xlrobust.tasks``) names its hub and XTREME
    loaders, a hub fallback for languages its dataset lacks (IndicXNLI for XNLI) and its record format; the JSONL
    reader is the same for every task.
    """
    from xlrobust.errors import DataError
    from xlrobust.tasks import REGISTRY  # at call time: the task specs import this package's loaders

    check_task_split(task, split)
    spec = REGISTRY[task]
    if kind == "hub":
        data = spec.hub_loader(lang, split, path=path, revision=revision, cache_dir=cache_dir)
        if data is None and spec.hub_fallback is not None:
            data = spec.hub_fallback(lang, split, path=path, revisions=revisions, cache_dir=cache_dir)
        return data
    if kind == "xtreme":
        return xtreme.load(spec.xtreme_loader, lang, split, path)
    if kind == "jsonl":
        return jsonl.load(spec.record, task, lang, split, path)
    raise DataError(f"unknown data source {kind!r}; expected one of {', '.join(KINDS)}")
