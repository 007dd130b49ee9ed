"""Real datasets (XNLI, PAN-X, TyDiQA-GoldP) from the hub, an XTREME download folder or JSONL files.

``load_split`` returns the examples of one (task, language, split) in the internal formats of
:mod:`xlrobust.examples`, already validated (see :mod:`xlrobust.sources.validate` for the error policy), or None
when the source does not have that split (e.g. XNLI has no Bengali, TyDiQA-GoldP has no test split: dev serves
as test). Splits are named ``train``, ``dev``, ``test``. A split with ``labelled=False`` (XTREME's test files,
XTREME's TyDiQA dev files) can be predicted on but never scored.
"""

from __future__ import annotations

from xlrobust.sources import hub, jsonl, xtreme
from xlrobust.sources.coverage import coverage_markdown, coverage_rows
from xlrobust.sources.validate import SPLITS, TASKS, SplitData, check_task_split, validate_examples

KINDS: tuple[str, ...] = ("hub", "xtreme", "jsonl")
NO_TEST_SPLIT: frozenset[str] = frozenset({"tydiqa"})  # dev serves as test

__all__ = ["KINDS", "NO_TEST_SPLIT", "SPLITS", "TASKS", "SplitData", "coverage_markdown", "coverage_rows",
           "load_split", "validate_examples"]


def load_split(kind: str, task: str, lang: str, split: str, *, path: str | None = None,
               revision: str | None = None, cache_dir: str | None = None) -> SplitData | None:
    """Load and validate one (task, language, split) from source ``kind``; None when the source lacks it.

    ``path``: the XTREME download/ folder (xtreme), the JSONL root (jsonl), or a local directory replacing the
    hub id (hub). ``revision`` and ``cache_dir`` apply to the hub only.
    """
    from xlrobust.errors import DataError

    check_task_split(task, split)
    if kind == "hub":
        return hub.load(task, lang, split, path=path, revision=revision, cache_dir=cache_dir)
    if kind == "xtreme":
        return xtreme.load(task, lang, split, path)
    if kind == "jsonl":
        return jsonl.load(task, lang, split, path)
    raise DataError(f"unknown data source {kind!r}; expected one of {', '.join(KINDS)}")
