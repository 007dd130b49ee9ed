"""Which (source, target) pairs of a task have evaluation results: read and check the evaluate stage's JSONs,
and give the reason for every pair left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlrobust.errors import DataError
from xlrobust.io import read_json
from xlrobust.paths import run_name


@dataclass
class Coverage:
    """Which (source, target) pairs of one task have evaluation results, and why the others are left out.

    Real benchmarks never cover every pair (XNLI has no Bengali; TyDiQA-GoldP has no Spanish, so no model is
    fine-tuned on it), and the upstream stages record such holes rather than fail: an eval JSON marked
    ``skipped`` for a (task, source) without training data, a target absent from ``targets`` when it has no
    labelled eval split. The analysis uses the sources with results and the targets every one of them has.
    """

    task: str
    sources: list[str]
    targets: list[str]
    metrics: dict[tuple[str, int], dict[str, Any]]  # (usable source, seed) -> its eval JSON
    files: dict[tuple[str, int], Path]  # (usable source, seed) -> eval JSON path
    seeds: list[int] = field(default_factory=list)
    source_reasons: dict[str, str] = field(default_factory=dict)  # left-out source -> why
    target_reasons: dict[str, str] = field(default_factory=dict)  # left-out target -> why
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (source, target, reason)

    @property
    def skipped(self) -> str | None:
        """Why the task cannot be analysed at all, or None."""
        if not self.sources:
            return "no usable source: " + "; ".join(f"{s}: {r}" for s, r in self.source_reasons.items())
        if not self.targets:
            return (
                "no target has evaluation results for every usable source (" + ", ".join(self.sources) + ")"
            )
        return None


def _check_number(path: Path, key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"{path}: {key} must be a number, got {value!r}; re-run evaluate")


def eval_path(eval_dir: Path, task: str, source: str, seed: int) -> Path:
    """Where the evaluate stage writes (task, source, seed)'s JSON (the same name as ``Paths.eval_metrics``)."""
    return eval_dir / f"{run_name(task, source, seed)}.json"


def _load_eval(path: Path, task: str, source: str, seed: int) -> dict[str, Any]:
    """An evaluate-stage JSON, checked for the keys every later step relies on (a skipped one needs a
    reason only)."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object with keys task, source, seed, metric, targets")
    for key, want in (("task", task), ("source", source), ("seed", seed)):
        if data.get(key) != want:
            raise DataError(f"{path}: key {key!r} is {data.get(key)!r}, expected {want!r}; re-run evaluate")
    if "skipped" in data:
        if not isinstance(data["skipped"], str) or not data["skipped"].strip():
            raise DataError(f"{path}: 'skipped' must be a non-empty string (the reason); re-run evaluate")
        return data
    if not isinstance(data.get("metric"), str) or not isinstance(data.get("targets"), dict):
        raise DataError(f"{path}: needs 'metric' (string) and 'targets' (object); re-run evaluate")
    return data


def _check_targets(path: Path, data: Mapping[str, Any], targets: Sequence[str]) -> None:
    """Each target the analysis uses has a clean score (a target the JSON lists is never silently dropped)."""
    for t in targets:
        cond = data["targets"][t]
        if not isinstance(cond, dict) or not isinstance(cond.get("clean"), dict):
            raise DataError(f"{path}: targets.{t}.clean missing or not an object; re-run evaluate")
        _check_number(path, f"targets.{t}.clean.score", cond["clean"].get("score"))


def _target_reason(cov: Coverage, target: str, prepared_dir: Path | None, eval_split: str) -> str:
    lacking = [run for run in cov.metrics if target not in cov.metrics[run]["targets"]]
    if len(lacking) < len(cov.metrics):
        names = ", ".join(cov.files[run].name for run in lacking)
        return f"{names} has no results for {target} while other runs do (re-run evaluate to score all)"
    reason = f"no source has {eval_split} results for {target}"
    split_file = prepared_dir / target / cov.task / f"{eval_split}.jsonl" if prepared_dir else None
    if split_file is not None and not split_file.exists():
        reason += f" ({split_file} absent: no labelled {eval_split} split)"
    return reason


def _source_runs(
    eval_dir: Path, task: str, source: str, seeds: Sequence[int]
) -> tuple[dict[int, tuple[dict[str, Any], Path]], str | None]:
    """A source's eval JSON per seed, or why the source is left out (a seed not evaluated, no model)."""
    runs: dict[int, tuple[dict[str, Any], Path]] = {}
    missing = [eval_path(eval_dir, task, source, seed) for seed in seeds]
    missing = [p for p in missing if not p.exists()]
    if missing:
        names = ", ".join(str(p) for p in missing)
        return {}, f"{names} not found (evaluate has not run for {task}-{source} with every seed)"
    for seed in seeds:
        path = eval_path(eval_dir, task, source, seed)
        data = _load_eval(path, task, source, seed)
        if "skipped" in data:
            return {}, f"no {task} model for {source}: {data['skipped'].strip()}"
        runs[seed] = (data, path)
    return runs, None


def task_coverage(
    eval_dir: Path,
    task: str,
    sources: Sequence[str],
    targets: Sequence[str],
    *,
    seeds: Sequence[int] = (13,),
    prepared_dir: Path | None = None,
    eval_split: str = "test",
) -> Coverage:
    """Read a task's eval JSONs (one per source and fine-tuning seed) and decide which pairs the analysis uses
    (``prepared_dir`` only refines the reasons given for missing targets). A source is used only with every
    seed, so each source's estimates average the same seeds."""
    cov = Coverage(task, [], [], {}, {}, seeds=list(seeds))
    for s in sources:
        runs, reason = _source_runs(eval_dir, task, s, seeds)
        if reason:
            cov.source_reasons[s] = reason
            continue
        cov.sources.append(s)
        for seed, (data, path) in runs.items():
            cov.metrics[(s, seed)], cov.files[(s, seed)] = data, path
    names = {m["metric"] for m in cov.metrics.values()}
    if len(names) > 1:
        raise DataError(f"{eval_dir}/{task}-*.json: runs disagree on the primary metric: {sorted(names)}")
    if cov.sources:
        for t in targets:
            if all(t in data["targets"] for data in cov.metrics.values()):
                cov.targets.append(t)
            else:
                cov.target_reasons[t] = _target_reason(cov, t, prepared_dir, eval_split)
    for run, data in cov.metrics.items():
        _check_targets(cov.files[run], data, cov.targets)
    for s in sources:
        for t in targets:
            reason = cov.source_reasons.get(s) or cov.target_reasons.get(t)
            if reason:
                cov.left_out.append((s, t, reason))
    return cov
