"""The per-example prediction rows of the pairs a task's :class:`~xlrobust.analysis.coverage.Coverage` uses,
checked to line up across sources, seeds and conditions, and held as the task aggregate's column matrices."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from xlrobust.analysis.common import fmt
from xlrobust.analysis.coverage import Coverage
from xlrobust.analysis.health import RowStats, row_stats
from xlrobust.errors import DataError
from xlrobust.io import read_jsonl
from xlrobust.paired_bootstrap import Term, contrast_value
from xlrobust.paths import run_predictions_dir
from xlrobust.stats import Aggregate, aggregate_for


@dataclass
class TaskData:
    """One task's evaluation: metrics JSON per source and, per (source, target, condition), the aggregate's
    column matrix of the per-example rows (rows themselves are dropped after checking: thousands per file).

    ``families`` are the perturbation families scored on at least one target, ``target_families[t]`` those
    scored on target t by every run (``casing`` does not apply to scripts without case, so it is absent
    there). A family counts for a robustness number on t only if it changed at least ``min_changed`` of t's
    examples (see :meth:`reportable`); ``clean_stats`` keeps what the degeneracy checks need from each run's
    clean rows (:func:`xlrobust.analysis.health.row_stats`)."""

    task: str
    metric: str
    aggregate: Aggregate
    sources: list[str]
    targets: list[str]
    families: list[str]
    eval_files: dict[tuple[str, int], Path]
    metrics: dict[tuple[str, int], dict[str, Any]]
    seeds: list[int] = field(default_factory=list)
    arrays: dict[tuple[str, int, str, str], np.ndarray] = field(
        default_factory=dict
    )  # (source, seed, target, cond)
    masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (target, family) -> changed
    target_families: dict[str, list[str]] = field(default_factory=dict)
    min_changed: int = 1
    clean_stats: dict[tuple[str, int, str], RowStats] = field(default_factory=dict)  # (source, seed, target)

    def runs(self) -> list[tuple[str, int]]:
        return [(s, seed) for s in self.sources for seed in self.seeds]

    def n_changed(self, target: str, family: str) -> int:
        """How many of ``target``'s examples ``family`` changed (0 where it was not scored)."""
        mask = self.masks.get((target, family))
        return 0 if mask is None else int(mask.sum())

    def reportable(self, target: str) -> list[str]:
        """The families whose changed examples on ``target`` are enough (``min_changed``) for a drop."""
        return [
            f for f in self.target_families.get(target, []) if self.n_changed(target, f) >= self.min_changed
        ]

    def matrix(self, source: str, seed: int, target: str, cond: str) -> np.ndarray:
        """One run's per-example aggregate matrix for (target, condition)."""
        return self.arrays[(source, seed, target, cond)]


def _target_families(metrics: Mapping[Any, dict[str, Any]], targets: Sequence[str]) -> dict[str, list[str]]:
    """Per target, the perturbation conditions every run scored (a comparison needs all runs)."""
    out = {}
    for t in targets:
        common: set[str] | None = None
        for data in metrics.values():
            conds = set(data["targets"][t]) - {"clean"}
            common = conds if common is None else common & conds
        out[t] = sorted(common or set())
    return out


def load_task(predictions_dir: Path, cov: Coverage, min_changed: int = 1) -> TaskData:
    """Read the prediction rows of the pairs ``cov`` uses, checking they line up across sources and
    conditions; a missing file of a used pair is a DataError. ``min_changed`` is the fewest changed examples
    a (target, family) needs for its drop to be reported (params ``perturbations.min_changed``)."""
    if cov.skipped:
        raise ValueError(f"{cov.task}: nothing to load ({cov.skipped})")
    per_target = _target_families(cov.metrics, cov.targets)
    td = TaskData(
        cov.task,
        next(iter(cov.metrics.values()))["metric"],
        aggregate_for(cov.task),
        list(cov.sources),
        list(cov.targets),
        sorted({f for fams in per_target.values() for f in fams}),
        dict(cov.files),
        dict(cov.metrics),
        seeds=list(cov.seeds),
        target_families=per_target,
        min_changed=min_changed,
    )
    for t in td.targets:
        rows: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
        for cond in ["clean", *td.target_families[t]]:
            for s, seed in td.runs():
                path = predictions_path(predictions_dir, td.task, s, seed, t, cond)
                rows[(s, seed, cond)] = read_jsonl(path)
                td.arrays[(s, seed, t, cond)] = td.aggregate.matrix(rows[(s, seed, cond)], where=str(path))
                if cond == "clean":
                    td.clean_stats[(s, seed, t)] = row_stats(rows[(s, seed, cond)])
            _check_alignment(td, rows, predictions_dir, t, cond)
        _check_clean_scores(td, predictions_dir, t)
    return td


def predictions_path(
    predictions_dir: Path, task: str, source: str, seed: int, target: str, cond: str
) -> Path:
    """Where the evaluate stage writes one run's per-example rows for (target, condition)."""
    return run_predictions_dir(predictions_dir, task, source, seed) / target / f"{cond}.jsonl"


def _check_alignment(
    td: TaskData,
    rows_by: Mapping[tuple[str, int, str], list[dict[str, Any]]],
    predictions_dir: Path,
    target: str,
    cond: str,
) -> None:
    """Every run's (source and seed) rows for (target, cond) are the same examples in the same order, with the
    same changed flags, and a perturbed row i is a perturbation of clean row i."""
    first_run = td.runs()[0]
    first = f"{first_run[0]} seed {first_run[1]}"
    ref_rows = rows_by[(*first_run, cond)]
    clean_rows = rows_by[(*first_run, "clean")]
    for s, seed in td.runs():
        where = predictions_path(predictions_dir, td.task, s, seed, target, cond)
        rows = rows_by[(s, seed, cond)]
        if len(rows) != len(ref_rows) or len(rows) != len(clean_rows):
            raise DataError(
                f"{where}: {len(rows)} rows, {first} has {len(ref_rows)} ({cond}) and "
                f"{len(clean_rows)} (clean); every source and seed must be scored on the same test examples"
            )
        for i, (a, b, c) in enumerate(zip(rows, ref_rows, clean_rows, strict=True)):
            if a.get("id") != b.get("id") or a.get("orig_id", a.get("id")) != c.get("orig_id", c.get("id")):
                raise DataError(
                    f"{where}: line {i + 1}: id {a.get('id')!r} does not match "
                    f"{b.get('id')!r} ({first}) / clean orig_id {c.get('orig_id')!r}; re-run evaluate"
                )
            if cond != "clean" and bool(a.get("changed")) != bool(b.get("changed")):
                raise DataError(
                    f"{where}: line {i + 1}: 'changed' differs from {first}; the "
                    "perturbed test set must be the same for every source and seed"
                )
    if cond != "clean":
        td.masks[(target, cond)] = np.array([bool(r.get("changed")) for r in ref_rows])


def _check_clean_scores(td: TaskData, predictions_dir: Path, target: str) -> None:
    for s, seed in td.runs():
        ours = contrast_value([[[Term(1.0, td.matrix(s, seed, target, "clean"))]]], td.aggregate)
        theirs = float(td.metrics[(s, seed)]["targets"][target]["clean"]["score"])
        if ours is None or abs(ours - theirs) > 1e-3:
            raise DataError(
                f"{td.eval_files[(s, seed)]}: targets.{target}.clean.score is {theirs:.4f} but "
                f"{td.aggregate.name} of {predictions_path(predictions_dir, td.task, s, seed, target, 'clean')} is "
                f"{fmt(ours)}; the metrics and per-example rows disagree (same scale? same rows?); re-run evaluate"
            )
