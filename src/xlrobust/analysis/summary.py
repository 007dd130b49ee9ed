"""``metrics/summary.json``: what a reader scans in ``dvc exp show``, headline first (the low-resource source
differences with their intervals as short strings), then one block per task with few numeric columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlrobust.analysis.common import CORR_OUTCOMES, OUTCOMES
from xlrobust.analysis.loading import TaskData
from xlrobust.analysis.scores import spread


def _r4(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4) + 0.0  # no -0.0


def clean_json(obj: Any) -> Any:
    """Round floats to 4 decimals and turn NaN/inf (and pandas NA) into None for allow_nan=False JSON."""
    if isinstance(obj, dict):
        return {str(k): clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean_json(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _r4(float(obj))
    if obj is None or (not isinstance(obj, str) and pd.isna(obj)):
        return None
    return obj


SUMMARY_NAMES = {"clean": "clean", "adv": "perturbed", "drop": "drop"}  # analysis outcome -> summary key


def short_reason(reason: Any) -> str:
    """Why a source difference is undefined, in a few words (source_diffs.csv's ``reason`` has the detail)."""
    reason = str(reason or "") if not (isinstance(reason, float) and pd.isna(reason)) else ""
    if reason.startswith("no comparison possible"):
        return "degenerate model"
    if "no target with data" in reason:
        return "too few changed examples"
    return "undefined"


def _interval_dict(diffs: pd.DataFrame, source: str, outcome: str) -> dict[str, Any]:
    sub = diffs[(diffs["source"] == source) & (diffs["outcome"] == outcome) & (diffs["kind"] == "group")]
    out = {}
    for _, r in sub.iterrows():
        out[r["unit"]] = {"diff": r["diff"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]}
        if pd.isna(r["diff"]):  # say why: `dvc exp show` drops a block whose values are all null
            out[r["unit"]]["why_na"] = short_reason(r.get("reason"))
        if r["n_seeds"] > 1 and pd.notna(r["diff"]):  # the spread exists only with several fine-tuning seeds
            out[r["unit"]].update({k: r[k] for k in ("seed_sd", "seed_min", "seed_max")})
    return out


def headline_value(row: pd.Series | None) -> str:
    """One low-resource difference as the terminal shows it: ``+0.012 [-0.022, +0.046]``, or ``n/a: <why>``."""
    if row is None:
        return "n/a: no comparison"
    if pd.isna(row["diff"]):
        return f"n/a: {short_reason(row.get('reason'))}"
    lo, hi = row["ci_low"], row["ci_high"]
    ci = f" [{lo:+.3f}, {hi:+.3f}]" if pd.notna(lo) and pd.notna(hi) else " [no CI]"
    return f"{row['diff']:+.3f}{ci}"


def headline(diffs: pd.DataFrame, task: str, sources: list[str], reference: str) -> dict[str, Any]:
    """``{source: {"clean": ..., "drop": ...}}``: source minus reference on the low-resource targets, with the
    95% interval, as strings short enough for ``dvc exp show`` (the numbers are under ``<s>_minus_<ref>``)."""
    out: dict[str, Any] = {}
    for s in sources:
        if s == reference:
            continue
        sub = diffs[(diffs["task"] == task) & (diffs["source"] == s) & (diffs["unit"] == "low_resource")]
        out[s] = {}
        for outcome in ("clean", "drop"):
            rows = sub[sub["outcome"] == outcome]
            out[s][outcome] = headline_value(rows.iloc[0] if len(rows) else None)
    return out


def seed_means(seed_scores: pd.DataFrame, outcome: str, source: str) -> pd.Series:
    """Each seed's mean zero-shot ``outcome`` for ``source`` (indexed by seed), the values behind its spread."""
    sub = seed_scores[(seed_scores["source"] == source) & (seed_scores["target"] != source)]
    return sub.groupby("seed")[outcome].mean().dropna()


def task_summary(
    td: TaskData,
    scores: pd.DataFrame,
    diffs: pd.DataFrame,
    cv: dict[str, Any],
    reference: str,
    left_out: int = 0,
    seed_scores: pd.DataFrame | None = None,
    n_degenerate: int = 0,
) -> dict[str, Any]:
    """The per-task block of metrics/summary.json, few columns for ``dvc exp show`` (detail is in the CSVs):
    first the group differences against the reference (``<s>_minus_<ref>.<clean|perturbed|drop>.<group>``:
    diff, ci_low, ci_high; null where no comparison is possible, see source_diffs.csv's reason), then the means
    over zero-shot targets per source (``clean.src_<s>``; ``perturbed`` and ``clean_changed`` are the scores on
    the changed examples, perturbed and clean), the seed spread with several seeds, counts, and the
    cross-validated R² per outcome. Languages are prefixed ``src_`` (fine-tuning) in keys."""
    zs = scores[scores["source"] != scores["target"]]
    out: dict[str, Any] = {}
    for s in td.sources:
        if s != reference and reference in td.sources:
            out[f"{s}_minus_{reference}"] = {
                SUMMARY_NAMES[o]: _interval_dict(diffs, s, o)
                for o in OUTCOMES
                if not diffs.empty and (diffs["outcome"] == o).any()
            }
    for outcome, name in (
        ("clean", "clean"),
        ("clean_changed", "clean_changed"),
        ("adv", "perturbed"),
        ("drop", "drop"),
    ):
        out[name] = {f"src_{s}": zs.loc[zs["source"] == s, outcome].dropna().mean() for s in td.sources}
    if len(td.seeds) > 1 and seed_scores is not None:
        for outcome in OUTCOMES:
            out[f"{SUMMARY_NAMES[outcome]}_seed_sd"] = {
                f"src_{s}": spread(list(seed_means(seed_scores, outcome, s)))["seed_sd"] for s in td.sources
            }
    out.update(
        {
            "metric": td.metric,
            "n_seeds": len(td.seeds),
            "families": ",".join(td.families),
            "min_changed": td.min_changed,
            "left_out": left_out,
            "degenerate_runs": n_degenerate,
        }
    )
    out["cv_r2"] = {o: v.get("r2") for o, v in cv.items() if o in CORR_OUTCOMES}
    return out
