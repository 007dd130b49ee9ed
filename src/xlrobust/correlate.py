"""The ``correlate`` stage: answer the research question from the evaluate stage's outputs.

Does the fine-tuning (source) language change zero-shot transfer to low-resource targets and its robustness to
perturbations, and which language-pair features go with transfer? Every score is recomputed from the per-example
prediction rows with the task's :class:`~xlrobust.stats.Aggregate`, so point estimates and bootstrap intervals
come from the same numbers (the clean scores are checked against the evaluate stage's JSON).

Definitions (per source s, target t; "families" are the perturbation conditions, e.g. typos, numbers):
- clean(s, t): aggregate over all clean test rows.
- adv(s, t): mean over families of the aggregate over the perturbed rows that the family changed.
- drop(s, t): mean over families of aggregate(clean rows, changed ones) - aggregate(perturbed rows, changed ones).
Families that change no example of a target are left out of that target's means.

Fine-tuning seeds: with several models per (task, source), one per seed, every estimate is the mean over seeds
of the estimate computed from each seed's rows alone (differences pair the source's and the reference's runs
of the same seed), and its interval is a paired bootstrap over test examples in which each replicate resamples
the examples once and applies the resample to every seed. The seed spread (SD, min and max of the per-seed
estimates) is reported beside it: the interval is about test-set sampling, the spread about training.
"""

from __future__ import annotations

import itertools
import os
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlrobust import plots, report
from xlrobust.errors import ConfigError, DataError
from xlrobust.features import URIEL_DISTANCES, build_features, load_lmem
from xlrobust.io import read_json, read_jsonl, write_bytes, write_json, write_text
from xlrobust.languages import get_language
from xlrobust.paths import run_name, run_predictions_dir
from xlrobust.stats import (
    Aggregate,
    Interval,
    Term,
    aggregate_for,
    benjamini_hochberg,
    bootstrap_contrast,
    bootstrap_correlation,
    contrast_value,
    correlation,
    cross_validated_r2,
    holm,
)

DEFAULT_FEATURES: tuple[str, ...] = (
    *URIEL_DISTANCES,
    "lexical_overlap",
    "subword_overlap",
    "target_lmem",
    "source_train_size",
)
OUTCOMES: tuple[str, ...] = ("clean", "adv", "drop")
CORR_OUTCOMES: tuple[str, ...] = ("clean", "drop")
# A few features for the cross-validated regression: with ~2 sources x 9 targets there are too few pairs for all.
CV_FEATURES: tuple[str, ...] = ("syntactic", "geographic", "subword_overlap", "target_lmem")
ALPHA = 0.05
# Column orders, so a table without rows (e.g. no task has a source to compare) is still a CSV with a header.
DIFF_COLUMNS: tuple[str, ...] = (
    "task", "source", "reference", "outcome", "unit", "kind", "targets", "label", "diff", "ci_low", "ci_high",
    "reason", "n_seeds", "seed_sd", "seed_min", "seed_max",
)
SEED_DIFF_COLUMNS: tuple[str, ...] = ("task", "source", "reference", "outcome", "unit", "seed", "label", "diff")
CORR_COLUMNS: tuple[str, ...] = (
    "task", "outcome", "feature", "n", "pearson_r", "p", "ci_low", "ci_high", "spearman_rho", "spearman_p",
    "reason", "p_holm", "p_bh",
)


def _r4(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4) + 0.0  # no -0.0


def _fmt(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:+.3f}" if signed else f"{x:.3f}"


# ----------------------------------------------------------------------------------------------- coverage


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
            return "no target has evaluation results for every usable source (" + ", ".join(self.sources) + ")"
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


def _target_reason(
    cov: Coverage, target: str, prepared_dir: Path | None, eval_split: str
) -> str:
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


# ----------------------------------------------------------------------------------------------- loading


@dataclass
class TaskData:
    """One task's evaluation: metrics JSON per source and, per (source, target, condition), the aggregate's
    column matrix of the per-example rows (rows themselves are dropped after checking: thousands per file)."""

    task: str
    metric: str
    aggregate: Aggregate
    sources: list[str]
    targets: list[str]
    families: list[str]
    eval_files: dict[tuple[str, int], Path]
    metrics: dict[tuple[str, int], dict[str, Any]]
    seeds: list[int] = field(default_factory=list)
    arrays: dict[tuple[str, int, str, str], np.ndarray] = field(default_factory=dict)  # (source, seed, target, cond)
    masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (target, family) -> changed

    def runs(self) -> list[tuple[str, int]]:
        return [(s, seed) for s in self.sources for seed in self.seeds]

    def matrix(self, source: str, seed: int, target: str, cond: str) -> np.ndarray:
        """One run's per-example aggregate matrix for (target, condition)."""
        return self.arrays[(source, seed, target, cond)]


def _families(metrics: Mapping[str, dict[str, Any]], targets: Sequence[str]) -> list[str]:
    """Perturbation conditions present for every source and target (a comparison needs all of them)."""
    common: set[str] | None = None
    for data in metrics.values():
        for t in targets:
            conds = set(data["targets"][t]) - {"clean"}
            common = conds if common is None else common & conds
    return sorted(common or set())


def load_task(predictions_dir: Path, cov: Coverage) -> TaskData:
    """Read the prediction rows of the pairs ``cov`` uses, checking they line up across sources and
    conditions; a missing file of a used pair is a DataError."""
    if cov.skipped:
        raise ValueError(f"{cov.task}: nothing to load ({cov.skipped})")
    td = TaskData(
        cov.task,
        next(iter(cov.metrics.values()))["metric"],
        aggregate_for(cov.task),
        list(cov.sources),
        list(cov.targets),
        _families(cov.metrics, cov.targets),
        dict(cov.files),
        dict(cov.metrics),
        seeds=list(cov.seeds),
    )
    for t in td.targets:
        rows: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
        for cond in ["clean", *td.families]:
            for s, seed in td.runs():
                path = predictions_path(predictions_dir, td.task, s, seed, t, cond)
                rows[(s, seed, cond)] = read_jsonl(path)
                td.arrays[(s, seed, t, cond)] = td.aggregate.matrix(rows[(s, seed, cond)], where=str(path))
            _check_alignment(td, rows, predictions_dir, t, cond)
        _check_clean_scores(td, predictions_dir, t)
    return td


def predictions_path(predictions_dir: Path, task: str, source: str, seed: int, target: str, cond: str) -> Path:
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
                f"{_fmt(ours)}; the metrics and per-example rows disagree (same scale? same rows?); re-run evaluate"
            )


# ----------------------------------------------------------------------------------------------- scores


def _active_families(td: TaskData, target: str) -> list[str]:
    return [f for f in td.families if td.masks[(target, f)].any()]


def outcome_terms(
    td: TaskData,
    source: str,
    target: str,
    outcome: str,
    sign: float = 1.0,
    seed: int | None = None,
    families: Sequence[str] = (),
) -> list[list[Term]]:
    """The outcome at (source, target) as components of :class:`Term` (one per family for adv and drop): the
    mean over seeds of each seed's value (each term weighted 1/seeds), or with ``seed`` that seed's alone."""
    seeds = td.seeds if seed is None else [seed]
    w = sign / len(seeds)
    if outcome == "clean":
        return [[Term(w, td.matrix(source, k, target, "clean")) for k in seeds]]
    comps = []
    for fam in families or _active_families(td, target):
        mask = td.masks[(target, fam)]
        comp = []
        for k in seeds:
            pert = Term(-w if outcome == "drop" else w, td.matrix(source, k, target, fam), mask)
            comp += [Term(w, td.matrix(source, k, target, "clean"), mask), pert] if outcome == "drop" else [pert]
        comps.append(comp)
    return comps


def _outcome_value(
    td: TaskData, source: str, target: str, outcome: str, seed: int | None = None, families: Sequence[str] = ()
) -> float | None:
    comps = outcome_terms(td, source, target, outcome, seed=seed, families=families)
    return contrast_value([comps], td.aggregate) if comps else None


def _spread(values: Sequence[float | None]) -> dict[str, float | None]:
    """SD (ddof=1), min and max across seeds; SD is None with fewer than two seeds."""
    vals = [v for v in values if v is not None and np.isfinite(v)]
    if not vals:
        return {"seed_sd": None, "seed_min": None, "seed_max": None}
    return {
        "seed_sd": float(np.std(vals, ddof=1)) if len(vals) > 1 else None,
        "seed_min": float(min(vals)),
        "seed_max": float(max(vals)),
    }


def score_table(td: TaskData, seed_scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (source, target): clean, adv, drop (see module docstring), their SD across seeds (from
    ``seed_scores``, :func:`seed_score_table`), n and the mean invariance failure rate the evaluate stage
    reported."""
    if seed_scores is None:
        seed_scores = seed_score_table(td)
    sds = seed_scores.groupby(["source", "target"])[list(OUTCOMES)].std(ddof=1)  # NaN with one seed
    rows = []
    for s in td.sources:
        for t in td.targets:
            rec: dict[str, Any] = {
                "task": td.task,
                "source": s,
                "target": t,
                "pair": f"{s}->{t}",
                "n": len(td.matrix(s, td.seeds[0], t, "clean")),
            }
            for outcome in OUTCOMES:
                rec[outcome] = _outcome_value(td, s, t, outcome)
            rec["n_seeds"] = len(td.seeds)
            for outcome in OUTCOMES:
                rec[f"{outcome}_seed_sd"] = sds.loc[(s, t), outcome]
            ifr = [
                td.metrics[(s, seed)]["targets"][t][f].get("invariance_failure_rate")
                for f in _active_families(td, t)
                for seed in td.seeds
            ]
            ifr = [float(v) for v in ifr if isinstance(v, int | float) and not isinstance(v, bool)]
            rec["invariance_failure_rate"] = float(np.mean(ifr)) if ifr else None
            rows.append(rec)
    return pd.DataFrame(rows)


def seed_score_table(td: TaskData) -> pd.DataFrame:
    """One row per (source, seed, target): clean, adv, drop from that seed's rows alone."""
    rows = []
    for s, seed in td.runs():
        for t in td.targets:
            rec: dict[str, Any] = {"task": td.task, "source": s, "seed": seed, "target": t}
            rec.update({outcome: _outcome_value(td, s, t, outcome, seed) for outcome in OUTCOMES})
            rows.append(rec)
    frame = pd.DataFrame(rows, columns=["task", "source", "seed", "target", *OUTCOMES])
    return frame.astype(dict.fromkeys(OUTCOMES, float))  # an undefined outcome (None) is NaN


def family_drop_table(td: TaskData) -> pd.DataFrame:
    """Mean drop over zero-shot targets per (source, family), for the drop-per-perturbation figure."""
    rows = []
    for s in td.sources:
        for fam in td.families:
            drops = []
            for t in td.targets:
                mask = td.masks[(t, fam)]
                if t == s or not mask.any():
                    continue
                drops.append(_outcome_value(td, s, t, "drop", families=[fam]))
            if drops:
                rows.append(
                    {
                        "task": td.task,
                        "family": fam,
                        "source": s,
                        "label": f"{fam}/{s}",
                        "drop": float(np.mean(drops)),
                        "n_targets": len(drops),
                    }
                )
    return pd.DataFrame(rows, columns=["task", "family", "source", "label", "drop", "n_targets"])


# ----------------------------------------------------------------------------------------------- differences


def _seed_for(seed: int, *labels: str) -> np.random.Generator:
    """A generator per comparison, stable whatever order comparisons run in."""
    return np.random.default_rng([seed, zlib.crc32("/".join(labels).encode())])


def _difference_strata(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str, seed: int | None = None
) -> list[list[list[Term]]]:
    strata = []
    for t in targets:
        comps = [
            a + b
            for a, b in zip(
                outcome_terms(td, source, t, outcome, 1.0, seed),
                outcome_terms(td, reference, t, outcome, -1.0, seed),
                strict=True,
            )
        ]
        if comps:
            strata.append(comps)
    return strata


def seed_differences(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str
) -> dict[int, float | None]:
    """The point estimate of :func:`source_difference` from each seed's rows alone (seed k of the source against
    seed k of the reference)."""
    out: dict[int, float | None] = {}
    for seed in td.seeds:
        strata = _difference_strata(td, source, reference, targets, outcome, seed)
        out[seed] = contrast_value(strata, td.aggregate) if strata else None
    return out


def source_difference(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str, *, n_boot: int, seed: int
) -> Interval:
    """outcome(source) - outcome(reference), averaged over ``targets``, with a paired (per target) stratified
    bootstrap interval over test examples (of the seed-averaged rows)."""
    strata = _difference_strata(td, source, reference, targets, outcome)
    if not strata:
        return Interval(None, None, None, n_boot, 0, f"no target with data for {outcome}")
    rng = _seed_for(seed, td.task, source, reference, outcome, *targets)
    return bootstrap_contrast(strata, td.aggregate, n_boot=n_boot, seed=rng)


def difference_table(
    td: TaskData, reference: str, low_resource: Sequence[str], *, n_boot: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every non-reference source against the reference: per zero-shot target and for the low-resource and all
    groups (targets equal to either source are excluded, they are not zero-shot for both). Returns the table
    (seed-averaged estimate, interval, seed spread) and the per-seed estimates behind the spread."""
    rows, seed_rows = [], []
    for s in td.sources:
        if s == reference:
            continue
        zero_shot = [t for t in td.targets if t not in (s, reference)]
        groups = {"low_resource": [t for t in zero_shot if t in low_resource], "all": zero_shot}
        units = [(t, "target", [t]) for t in zero_shot] + [(g, "group", ts) for g, ts in groups.items()]
        for outcome in OUTCOMES:
            if outcome != "clean" and not td.families:
                continue
            for label, kind, ts in units:
                if not ts:
                    continue
                iv = source_difference(td, s, reference, ts, outcome, n_boot=n_boot, seed=seed)
                per_seed = seed_differences(td, s, reference, ts, outcome)
                seed_rows += [
                    {"task": td.task, "source": s, "reference": reference, "outcome": outcome, "unit": label,
                     "seed": k, "label": f"{outcome}: {label}", "diff": v}
                    for k, v in per_seed.items()
                ]
                rows.append(
                    {
                        "task": td.task,
                        "source": s,
                        "reference": reference,
                        "outcome": outcome,
                        "unit": label,
                        "kind": kind,
                        "targets": " ".join(ts),
                        "label": f"{outcome}: {label}",
                        **iv.to_dict(),
                        "reason": iv.reason or "",
                        "n_seeds": len(td.seeds),
                        **_spread(list(per_seed.values())),
                    }
                )
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS)), pd.DataFrame(seed_rows, columns=list(SEED_DIFF_COLUMNS))


# ----------------------------------------------------------------------------------------------- correlations


def correlation_table(
    pairs: pd.DataFrame,
    features: Sequence[str],
    *,
    n_boot: int,
    seed: int,
    tasks: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Pearson and Spearman of each outcome with each feature over zero-shot (source, target) pairs, with a
    bootstrap interval for Pearson r and Holm / BH adjusted p-values within each (task, outcome).

    Every task in ``tasks`` (default: those in ``pairs``) gets a row per (outcome, feature), even with no
    pairs at all, so a thinly covered task shows why (the ``reason`` column) instead of vanishing."""
    rows = []
    for task, outcome in itertools.product(pairs["task"].unique() if tasks is None else tasks, CORR_OUTCOMES):
        sub = pairs[pairs["task"] == task] if "task" in pairs.columns else pairs
        block = []
        for feat in features:
            if feat not in sub.columns or outcome not in sub.columns:
                continue
            data = sub[[feat, outcome]].dropna()
            x, y = data[feat].to_numpy(dtype=float), data[outcome].to_numpy(dtype=float)
            pr, sr = correlation(x, y, "pearson"), correlation(x, y, "spearman")
            iv = bootstrap_correlation(
                x, y, "pearson", n_boot=n_boot, seed=_seed_for(seed, task, outcome, feat)
            )
            block.append(
                {
                    "task": task,
                    "outcome": outcome,
                    "feature": feat,
                    "n": len(x),
                    "pearson_r": pr.r,
                    "p": pr.p,
                    "ci_low": iv.low,
                    "ci_high": iv.high,
                    "spearman_rho": sr.r,
                    "spearman_p": sr.p,
                    "reason": pr.reason or iv.reason or "",
                }
            )
        for key, fn in (("p_holm", holm), ("p_bh", benjamini_hochberg)):
            for rec, adj in zip(block, fn([r["p"] for r in block]), strict=True):
                rec[key] = adj
        rows += block
    return pd.DataFrame(rows, columns=list(CORR_COLUMNS))


def zero_shot_pairs(scores: pd.DataFrame, feats: pd.DataFrame) -> pd.DataFrame:
    """Scores joined with features for pairs with target != source."""
    merged = scores.merge(feats, on=["task", "source", "target"], how="left")
    return merged[merged["source"] != merged["target"]].reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- summary


def _clean_json(obj: Any) -> Any:
    """Round floats to 4 decimals and turn NaN/inf (and pandas NA) into None for allow_nan=False JSON."""
    if isinstance(obj, dict):
        return {str(k): _clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_json(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _r4(float(obj))
    if obj is None or (not isinstance(obj, str) and pd.isna(obj)):
        return None
    return obj


def _interval_dict(diffs: pd.DataFrame, source: str, outcome: str) -> dict[str, Any]:
    sub = diffs[(diffs["source"] == source) & (diffs["outcome"] == outcome) & (diffs["kind"] == "group")]
    out = {}
    for _, r in sub.iterrows():
        out[r["unit"]] = {
            "diff": r["diff"],
            "ci_low": r["ci_low"],
            "ci_high": r["ci_high"],
            "targets": r["targets"],
        }
        if r["n_seeds"] > 1:  # the spread exists only with several fine-tuning seeds
            out[r["unit"]].update({k: r[k] for k in ("seed_sd", "seed_min", "seed_max")})
    return out


def seed_means(seed_scores: pd.DataFrame, outcome: str, source: str) -> pd.Series:
    """Each seed's mean zero-shot ``outcome`` for ``source`` (indexed by seed), the values behind its spread."""
    sub = seed_scores[(seed_scores["source"] == source) & (seed_scores["target"] != source)]
    return sub.groupby("seed")[outcome].mean().dropna()


def task_summary(
    td: TaskData,
    scores: pd.DataFrame,
    diffs: pd.DataFrame,
    corr: pd.DataFrame,
    cv: dict[str, Any],
    reference: str,
    left_out: int = 0,
    seed_scores: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """The small per-task block of metrics/summary.json (means over zero-shot targets per source, group
    differences against the reference, correlations, cross-validated R², how many (source, target) pairs
    had no results; the report says which and why). With several fine-tuning seeds, ``<outcome>_seed_sd``
    and the differences' ``seed_sd``/``seed_min``/``seed_max`` give the spread across seeds."""
    zs = scores[scores["source"] != scores["target"]]
    out: dict[str, Any] = {
        "metric": td.metric, "families": ",".join(td.families), "left_out": left_out, "n_seeds": len(td.seeds),
    }
    for outcome in OUTCOMES:
        out[outcome] = {s: zs.loc[zs["source"] == s, outcome].dropna().mean() for s in td.sources}
        if len(td.seeds) > 1 and seed_scores is not None:
            out[f"{outcome}_seed_sd"] = {
                s: _spread(list(seed_means(seed_scores, outcome, s)))["seed_sd"] for s in td.sources
            }
    for s in td.sources:
        if s != reference and reference in td.sources:
            out[f"{s}_minus_{reference}"] = {
                o: _interval_dict(diffs, s, o)
                for o in OUTCOMES
                if not diffs.empty and (diffs["outcome"] == o).any()
            }
    # Only what a reader scans in `dvc exp show`; p, BH, intervals and reasons are in correlations.csv.
    out["corr"] = {}
    for outcome in CORR_OUTCOMES:
        if corr.empty:
            continue
        sub = corr[(corr["task"] == td.task) & (corr["outcome"] == outcome)]
        out["corr"][outcome] = {
            r["feature"]: {k: r[k] for k in ("pearson_r", "p_holm", "spearman_rho")} for _, r in sub.iterrows()
        }
    out["cv_r2"] = {o: {**v, "features": ",".join(v["features"])} for o, v in cv.items()}
    return out


# ----------------------------------------------------------------------------------------------- report


def _no_comparison(cov: Coverage, reference: str) -> str | None:
    """Why a task has no source-difference block (no source to compare with the reference), or None."""
    if cov.skipped:
        return f"{cov.task}: not analysed: {cov.skipped}."
    if reference not in cov.sources:
        why = cov.source_reasons.get(reference, "not among the sources")
        return f"{cov.task}: no source difference, because the reference source {reference} is left out ({why})."
    if len(cov.sources) == 1:
        others = "; ".join(f"{s}: {r}" for s, r in cov.source_reasons.items())
        return (
            f"{cov.task}: only {reference} has results, so no source difference ({others})."
            if others
            else f"{cov.task}: only one source ({reference}) was evaluated: no comparison is possible."
        )
    return None


def _answer_sentences(task: str, td: TaskData, summ: dict[str, Any], reference: str) -> list[str]:
    out = []
    for s in td.sources:
        if s == reference:
            continue
        block = summ.get(f"{s}_minus_{reference}", {})
        parts = []
        for outcome, what in (
            ("clean", "clean score"),
            ("adv", "score on perturbed inputs"),
            ("drop", "drop under perturbation"),
        ):
            for group in ("low_resource", "all"):
                iv = block.get(outcome, {}).get(group)
                if not iv or iv.get("diff") is None:
                    continue
                verdict = (
                    "interval excludes 0"
                    if iv["ci_low"] is not None and (iv["ci_low"] > 0 or iv["ci_high"] < 0)
                    else "interval includes 0"
                )
                spread = (
                    f"; seed SD {_fmt(iv['seed_sd'])} over {len(td.seeds)} seeds, per-seed range "
                    f"[{_fmt(iv['seed_min'], True)}, {_fmt(iv['seed_max'], True)}]"
                    if iv.get("seed_sd") is not None
                    else ""
                )
                parts.append(
                    f"{what} on {group.replace('_', '-')} targets ({iv['targets']}): "
                    f"{_fmt(iv['diff'], True)} (95% CI [{_fmt(iv['ci_low'], True)}, "
                    f"{_fmt(iv['ci_high'], True)}], {verdict}{spread})"
                )
        if parts:
            out.append(
                f"{task} ({td.metric}), fine-tuning in {s} instead of {reference} changes the "
                + "; ".join(parts)
                + "."
            )
        else:
            out.append(f"{task}: {s} and {reference} share no zero-shot target with results: no comparison.")
    return out


def _pair_list(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{s}->{t}" for s, t in pairs)


def coverage_blocks(coverage: Mapping[str, Coverage]) -> list[report.Block]:
    """Which (source, target) pairs each task analyses, and the left-out ones grouped by reason."""
    bullets, rows = [], []
    for task, cov in coverage.items():
        if cov.skipped:
            bullets.append(f"{task}: not analysed: {cov.skipped}.")
        else:
            bullets.append(
                f"{task}: {len(cov.sources) * len(cov.targets)} (source, target) pairs analysed: sources "
                f"{', '.join(cov.sources)}; targets {', '.join(cov.targets)}; {len(cov.left_out)} left out."
            )
        by_reason: dict[str, list[tuple[str, str]]] = {}
        for s, t, reason in cov.left_out:
            by_reason.setdefault(reason, []).append((s, t))
        rows += [[task, _pair_list(pairs), reason] for reason, pairs in by_reason.items()]
    blocks: list[report.Block] = [report.Bullets(bullets)]
    if rows:
        blocks.append(report.Table(["task", "pairs left out", "reason"], rows))
    return blocks


def seed_spread_blocks(
    tds: Mapping[str, TaskData], seed_scores: pd.DataFrame, diffs: pd.DataFrame
) -> list[report.Block]:
    """The fine-tuning seed spread: per task and source the mean zero-shot score of each seed, and per group
    difference the per-seed estimates; with one seed, a line saying training randomness is not measured."""
    seeds = sorted({seed for td in tds.values() for seed in td.seeds})
    if len(seeds) < 2:
        return [
            report.Paragraph(
                f"One fine-tuning seed per (task, source) (seed {', '.join(map(str, seeds))}): the intervals "
                "cover test-set sampling only, and training randomness is not measured. List several seeds in "
                "params.yaml (`seeds: [13, 14, 15]`) to add the spread across seeds."
            )
        ]
    rows = []
    for task, td in tds.items():
        sub = seed_scores[seed_scores["task"] == task]
        for s in td.sources:
            for outcome in OUTCOMES:
                per = seed_means(sub, outcome, s)
                if per.empty:
                    continue
                sp = _spread(list(per))
                rows.append([task, f"{s} {outcome} (mean zero-shot)", ", ".join(_fmt(v) for v in per),
                             _fmt(sp["seed_sd"]), f"[{_fmt(sp['seed_min'])}, {_fmt(sp['seed_max'])}]"])
    groups = diffs[diffs["kind"] == "group"] if not diffs.empty else diffs
    for _, r in groups.iterrows():
        rows.append([r["task"], f"{r['source']} - {r['reference']} {r['outcome']}: {r['unit']}",
                     f"mean {_fmt(r['diff'], True)}", _fmt(r["seed_sd"]),
                     f"[{_fmt(r['seed_min'], True)}, {_fmt(r['seed_max'], True)}]"])
    return [
        report.Paragraph(
            f"{len(seeds)} fine-tuning seeds per (task, source) ({', '.join(map(str, seeds))}). Estimates above "
            "are means over the seeds of each seed's estimate; the spread below is across seeds (sample SD, min "
            "and max), with differences pairing the source's and the reference's runs of the same seed."
        ),
        report.Table(["task", "estimate", "per seed", "seed SD", "seed range"], rows),
    ]


def _fmt_p(p: float) -> str:
    return f"{p:.4f}" if p >= 1e-4 else f"{p:.1e}"


def _fmt_corr(r: pd.Series) -> str:
    return (
        f"{r['feature']} vs {r['outcome']} r={r['pearson_r']:+.2f} "
        f"[{_fmt(r['ci_low'], True)}, {_fmt(r['ci_high'], True)}], Holm p={_fmt_p(r['p_holm'])}, n={r['n']}"
    )


def _strongest(corr: pd.DataFrame, task: str) -> str:
    sub = corr[(corr["task"] == task) & corr["pearson_r"].notna()].copy()
    if sub.empty:
        return f"{task}: no correlation could be computed (see reasons in correlations.csv)."
    sub["abs_r"] = sub["pearson_r"].abs()
    sig = sub[sub["p_holm"] < ALPHA].sort_values("abs_r", ascending=False)
    if not sig.empty:
        return (
            f"{task}: after Holm correction: "
            + "; ".join(_fmt_corr(r) for _, r in sig.head(5).iterrows())
            + "."
        )
    top = sub.sort_values("abs_r", ascending=False).head(3)
    return (
        f"{task}: no feature survives Holm correction at {ALPHA}; largest |r|: "
        + "; ".join(_fmt_corr(r) for _, r in top.iterrows())
        + "."
    )


def build_document(
    tds: Mapping[str, TaskData],
    summary: dict[str, Any],
    tables: Mapping[str, pd.DataFrame],
    figures: Sequence[report.Figure],
    *,
    coverage: Mapping[str, Coverage],
    reference: str,
    low_resource: Sequence[str],
    n_boot: int,
    smoke_scale: bool,
) -> report.Document:
    """The report: answer with numbers and intervals, coverage, strongest features, mean scores, figures,
    caveats. ``coverage`` holds every task asked for; ``tds`` only the analysed ones."""
    doc = report.Document("Does the fine-tuning language change zero-shot transfer and robustness?")
    if smoke_scale:
        doc.add(
            report.Callout(
                "SMOKE SCALE: these numbers come from a tiny model trained for minutes on generated data. They test "
                "the machinery end to end; they are not the paper's results and say nothing about mT5."
            )
        )
    doc.add(report.Heading("Answer"))
    sentences = []
    for task, cov in coverage.items():
        why_not = _no_comparison(cov, reference)
        sentences += [why_not] if why_not else _answer_sentences(task, tds[task], summary[task], reference)
    doc.add(report.Bullets(sentences))
    doc.add(
        report.Paragraph(
            f"Differences are source minus {reference} in the task's primary metric, averaged over the zero-shot "
            f"targets of the group (low-resource: {', '.join(low_resource)}); intervals are 95% paired percentile "
            f"bootstraps over test examples ({n_boot} replicates)."
            + (
                " With several fine-tuning seeds, each estimate is the mean of the per-seed estimates, and every "
                "bootstrap replicate applies one resample of the test examples to all seeds."
                if any(len(td.seeds) > 1 for td in tds.values())
                else ""
            )
        )
    )
    doc.add(report.Heading("Coverage"))
    doc.add(*coverage_blocks(coverage))
    doc.add(report.Heading("Seed spread"))
    doc.add(*seed_spread_blocks(tds, tables["seed_scores"], tables["source_diffs"]))
    doc.add(report.Heading("Strongest features"))
    corr = tables["correlations"]
    doc.add(report.Bullets([_strongest(corr, task) for task in tds]))
    doc.add(report.Heading("Mean zero-shot scores per source"))
    rows = []
    for task, td in tds.items():
        for s in td.sources:
            rows.append([task, s] + [_fmt(summary[task][o].get(s)) for o in OUTCOMES])
    doc.add(report.Table(["task", "source", "clean", "adv", "drop"], rows))
    for task in tds:
        cv = summary[task]["cv_r2"]
        doc.add(
            report.Paragraph(
                f"{task}: cross-validated R² of a standardised ridge regression: "
                + "; ".join(
                    f"{o} on {v['features'].replace(',', ', ') or 'no varying feature'}: {_fmt(v.get('r2'))} "
                    f"({v.get('cv', v.get('reason'))}, n={v['n']})"
                    for o, v in cv.items()
                )
                + "."
            )
        )
    doc.add(report.Heading("Figures"))
    doc.add(*figures)
    doc.add(report.Heading("Caveats"))
    n_ex = tables["scores"]["n"]
    pairs_n = corr.groupby(["task", "outcome"])["n"].max()
    n_seeds = max(len(td.seeds) for td in tds.values())
    training = (
        "not training randomness (one fine-tuning run per source)"
        if n_seeds == 1
        else f"not training randomness, which the seed spread over {n_seeds} fine-tuning seeds shows separately"
    )
    doc.add(
        report.Bullets(
            [
                f"Test examples per (source, target): {int(n_ex.min())} to {int(n_ex.max())}; intervals reflect test-set "
                f"sampling only, {training}.",
                f"Correlations use {int(pairs_n.min()) if len(pairs_n) else 0} to {int(pairs_n.max()) if len(pairs_n) else 0} "
                "zero-shot (source, target) pairs per task; pairs sharing a source or target are not independent, so "
                "p-values are optimistic. Holm and Benjamini-Hochberg adjust within each task and outcome.",
                "URIEL distances are angular distances over the features both languages have (urielplus); genetic "
                "distance is 1.0 for every pair from different families, so it is coarse.",
                "Smoke scale: yes, see the notice above." if smoke_scale else "Smoke scale: no.",
            ]
        )
    )
    return doc


# ----------------------------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class PlotSpec:
    """A data file and the fields a ``dvc plots`` definition should use."""

    path: str
    x: str
    y: str
    template: str
    title: str


def _figures(
    task: str,
    td: TaskData,
    scores: pd.DataFrame,
    fam: pd.DataFrame,
    pairs: pd.DataFrame,
    diffs: pd.DataFrame,
    seed_diffs: pd.DataFrame,
    features: Sequence[str],
    plots_dir: Path,
    md_dir: Path,
) -> tuple[list[report.Figure], list[PlotSpec]]:
    figs, specs = [], []

    def emit(name: str, png: bytes, caption: str) -> None:
        path = plots_dir / f"{task}-{name}.png"
        write_bytes(path, png)
        figs.append(report.Figure(caption, png, Path(_relpath(path, md_dir)).as_posix()))

    def data(name: str, frame: pd.DataFrame, x: str, y: str, template: str, title: str) -> None:
        path = plots_dir / f"{task}-{name}.csv"
        write_text(path, frame.to_csv(index=False, float_format="%.4f"))
        specs.append(PlotSpec(str(path), x, y, template, title))

    data("scores", scores, "target", "source", "heatmap_clean", f"{task}: clean score per pair")
    for outcome in ("clean", "adv"):
        grid = scores.pivot(index="source", columns="target", values=outcome).reindex(td.sources)[td.targets]
        if grid.notna().any().any():
            emit(
                f"heatmap-{outcome}",
                plots.heatmap(grid, f"{task}: {outcome} {td.metric}", td.metric),
                f"{task}: {outcome} {td.metric} per source (rows) and target (columns)",
            )
    if not fam.empty:
        emit(
            "drop-by-family",
            plots.grouped_bars(
                fam.pivot(index="family", columns="source", values="drop"),
                f"{task}: drop per perturbation",
                f"drop in {td.metric}",
            ),
            f"{task}: mean drop over zero-shot targets per perturbation family and source",
        )
        data("drop-by-family", fam, "drop", "label", "bar_horizontal", f"{task}: drop per perturbation")
    feats = [f for f in features if f in pairs.columns]
    for outcome in CORR_OUTCOMES:
        if pairs[outcome].notna().any():
            emit(
                f"{outcome}-vs-features",
                plots.scatter_grid(pairs, feats, outcome, f"{task}: {outcome} vs features"),
                f"{task}: zero-shot {outcome} against each feature, least-squares line",
            )
    data("pairs", pairs, feats[0] if feats else "source", "clean", "scatter", f"{task}: clean vs feature")
    long = pairs.melt(id_vars=["pair", *CORR_OUTCOMES], value_vars=feats, var_name="feature", value_name="value")
    data("features-long", long[["feature", "pair", "value", *CORR_OUTCOMES]], "value", "clean", "scatter_fit",
         f"{task}: zero-shot outcome against each feature")
    if not diffs.empty:
        forest_rows = diffs[["source", "label", "diff", "ci_low", "ci_high"]].copy()
        forest_rows["label"] = forest_rows["source"] + " - " + diffs["reference"] + " " + forest_rows["label"]
        seed_rows = seed_diffs[["seed", "label", "diff"]].copy()
        seed_rows["label"] = seed_diffs["source"] + " - " + seed_diffs["reference"] + " " + seed_rows["label"]
        several = len(td.seeds) > 1
        emit(
            "forest",
            plots.forest(forest_rows, f"{task}: source differences", f"difference in {td.metric}",
                         seed_points=seed_rows if several else None),
            f"{task}: source minus reference with 95% paired bootstrap intervals"
            + (f" (grey marks: each of the {len(td.seeds)} fine-tuning seeds alone)" if several else ""),
        )
        data("source-diffs", forest_rows, "diff", "label", "forest", f"{task}: source differences")
        data("seed-diffs", seed_rows, "diff", "label", "strip", f"{task}: source differences per seed")
    return figs, specs


def _relpath(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())


# ----------------------------------------------------------------------------------------------- entry point


def _validate_args(
    tasks: Sequence[str],
    sources: Sequence[str],
    languages: Sequence[str],
    reference: str,
    n_boot: int,
    features: Sequence[str],
    cv_features: Sequence[str],
) -> None:
    unknown = [f for f in [*features, *cv_features] if f not in DEFAULT_FEATURES]
    if unknown:
        raise ConfigError(
            f"correlate: unknown feature(s) {', '.join(map(repr, unknown))}; choose from {', '.join(DEFAULT_FEATURES)}"
        )
    if set(cv_features) - set(features):
        raise ConfigError("correlate: cv_features must be a subset of features")
    for code in [*sources, *languages]:
        get_language(code)
    for task in tasks:
        aggregate_for(task)
    if not tasks or not sources or not languages:
        raise ConfigError("correlate: tasks, sources and languages must each list at least one entry")
    if reference not in sources:
        raise ConfigError(
            f"correlate: reference_source {reference!r} is not among the sources {list(sources)}"
        )
    if n_boot < 100:
        raise ConfigError(
            f"correlate: n_boot is {n_boot}; use at least 100 (1000 or more for reported results)"
        )


def run_correlate(
    eval_dir: str | Path,
    predictions_dir: str | Path,
    prepared_dir: str | Path,
    tokenizer_dir: str | Path | None,
    lmem_path: str | Path | None,
    *,
    tasks: Sequence[str],
    sources: Sequence[str],
    languages: Sequence[str],
    reference_source: str = "en",
    low_resource: Sequence[str] = ("sw", "bn", "hi"),
    n_boot: int = 1000,
    seed: int = 0,
    seeds: Sequence[int] = (13,),
    features: Sequence[str] = DEFAULT_FEATURES,
    cv_features: Sequence[str] | None = None,
    out_metrics_dir: str | Path = "metrics",
    out_plots_dir: str | Path = "metrics/plots",
    report_md: str | Path | None = None,
    report_html: str | Path | None = None,
    uriel_cache: str | Path | None = None,
    smoke_scale: bool = False,
    eval_split: str = "test",
) -> dict[str, Any]:
    """Run the whole analysis and write summary.json, CSV tables, plots (PNG + CSV) and the report.

    ``seed`` drives the bootstraps and cross-validation; ``seeds`` are the fine-tuning seeds whose eval JSONs
    are read (one per task, source and seed). Partial coverage is expected (see :class:`Coverage`): each task
    uses the sources whose eval JSONs exist for every seed and are not marked skipped and the targets all of
    them have results for; a task without any appears in
    summary.json as ``{"skipped": reason}`` and the report lists every left-out pair with its reason. A malformed
    eval JSON or a missing prediction file of a used pair is a DataError, as is having no task to analyse.

    Returns ``{"summary": ..., "plots": [PlotSpec as dict, ...], "files": [every file written],
    "left_out": [{"task", "source", "target", "reason"}, ...]}``.
    """
    if cv_features is None:  # the default few, among the features asked for
        cv_features = [f for f in CV_FEATURES if f in features]
    _validate_args(tasks, sources, languages, reference_source, n_boot, features, cv_features)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ConfigError(f"correlate: seeds must list distinct fine-tuning seeds, got {list(seeds)}")
    metrics_dir, plots_dir = Path(out_metrics_dir), Path(out_plots_dir)
    md_path = Path(report_md) if report_md else metrics_dir / "report.md"
    html_path = Path(report_html) if report_html else metrics_dir / "report.html"
    coverage = {
        task: task_coverage(
            Path(eval_dir), task, sources, languages, seeds=seeds, prepared_dir=Path(prepared_dir),
            eval_split=eval_split,
        )
        for task in tasks
    }
    usable = [task for task, cov in coverage.items() if cov.skipped is None]
    if not usable:
        raise DataError(
            f"{eval_dir}: no task has evaluation results to analyse ("
            + "; ".join(f"{task}: {cov.skipped}" for task, cov in coverage.items())
            + "); check data.on_missing, the sources and the tasks in params.yaml"
        )
    uriel = [f for f in features if f in URIEL_DISTANCES]
    feats = build_features(
        prepared_dir,
        tokenizer_dir if "subword_overlap" in features else None,
        lmem_path if "target_lmem" in features else None,
        tasks=usable,
        sources=sources,
        targets=languages,
        uriel_kinds=uriel,
        uriel_cache=uriel_cache,
        eval_split=eval_split,
        per_task={task: (coverage[task].sources, coverage[task].targets) for task in usable},
    )
    feats = feats[["task", "source", "target", *[f for f in features if f in feats.columns]]]
    feature_cols = [f for f in features if f in feats.columns]
    tds: dict[str, TaskData] = {}
    score_frames, seed_frames, fam_frames, diff_frames, seed_diff_frames, pair_frames = [], [], {}, [], [], []
    for task in usable:
        td = load_task(Path(predictions_dir), coverage[task])
        tds[task] = td
        seed_frames.append(seed_score_table(td))
        score_frames.append(score_table(td, seed_frames[-1]))
        fam_frames[task] = family_drop_table(td)
        if reference_source in td.sources:  # otherwise the report says why there is no difference
            d, sd = difference_table(td, reference_source, low_resource, n_boot=n_boot, seed=seed)
            diff_frames.append(d)
            seed_diff_frames.append(sd)
        pair_frames.append(zero_shot_pairs(score_frames[-1], feats))
    scores, pairs = pd.concat(score_frames, ignore_index=True), pd.concat(pair_frames, ignore_index=True)
    seed_scores = pd.concat(seed_frames, ignore_index=True)
    diff_frames = [d for d in diff_frames if not d.empty]
    diffs = pd.concat(diff_frames, ignore_index=True) if diff_frames else pd.DataFrame(columns=DIFF_COLUMNS)
    seed_diff_frames = [d for d in seed_diff_frames if not d.empty]
    seed_diffs = (
        pd.concat(seed_diff_frames, ignore_index=True)
        if seed_diff_frames
        else pd.DataFrame(columns=SEED_DIFF_COLUMNS)
    )
    corr = correlation_table(pairs, feature_cols, n_boot=n_boot, seed=seed, tasks=usable)
    summary: dict[str, Any] = {}
    figures: list[report.Figure] = []
    specs: list[PlotSpec] = []
    for task, cov in coverage.items():
        if cov.skipped:
            summary[task] = {"skipped": cov.skipped}
            continue
        td = tds[task]
        tp = pairs[pairs["task"] == task]
        cv_cols = [f for f in cv_features if f in feature_cols]
        cv = {
            o: cross_validated_r2(
                tp[cv_cols].to_numpy(dtype=float), tp[o].to_numpy(dtype=float), cv_cols, seed=seed
            )
            for o in CORR_OUTCOMES
        }
        tdiff = diffs[diffs["task"] == task] if not diffs.empty else diffs
        tseed = seed_diffs[seed_diffs["task"] == task] if not seed_diffs.empty else seed_diffs
        summary[task] = task_summary(
            td, scores[scores["task"] == task], tdiff, corr, cv, reference_source, len(cov.left_out),
            seed_scores=seed_scores[seed_scores["task"] == task],
        )
        f, s = _figures(
            task,
            td,
            scores[scores["task"] == task],
            fam_frames[task],
            tp,
            tdiff,
            tseed,
            feature_cols,
            plots_dir,
            md_path.parent,
        )
        figures += f
        specs += s
    if lmem_path is not None and Path(lmem_path).exists():
        summary["lmem"] = {k: v for k, v in load_lmem(lmem_path).items() if k in languages}
    summary["smoke_scale"] = bool(smoke_scale)
    summary = _clean_json(summary)
    tables = {
        "features": feats,
        "scores": scores,
        "seed_scores": seed_scores,
        "correlations": corr,
        "source_diffs": diffs,
        "seed_diffs": seed_diffs,
    }
    written = [str(metrics_dir / "summary.json")]
    write_json(metrics_dir / "summary.json", summary)
    for name, frame in tables.items():
        write_text(metrics_dir / f"{name}.csv", frame.to_csv(index=False, float_format="%.4f"))
        written.append(str(metrics_dir / f"{name}.csv"))
    doc = build_document(
        tds,
        summary,
        tables,
        figures,
        coverage=coverage,
        reference=reference_source,
        low_resource=low_resource,
        n_boot=n_boot,
        smoke_scale=smoke_scale,
    )
    write_text(md_path, report.to_markdown(doc))
    write_text(html_path, report.to_html(doc))
    written += [
        str(md_path),
        str(html_path),
        *[str(plots_dir / fg.path.split("/")[-1]) for fg in figures],
        *[s.path for s in specs],
    ]
    left_out = [
        {"task": task, "source": s, "target": t, "reason": reason}
        for task, cov in coverage.items()
        for s, t, reason in cov.left_out
    ]
    return {"summary": summary, "plots": [s.__dict__ for s in specs], "files": written, "left_out": left_out}
