"""The per-task block of ``metrics/summary.json``: what a reader scans in ``dvc exp show``."""

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
                s: spread(list(seed_means(seed_scores, outcome, s)))["seed_sd"] for s in td.sources
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
