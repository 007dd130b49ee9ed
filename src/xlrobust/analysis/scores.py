"""Scores per (source, target): clean, adv and drop (defined in :mod:`xlrobust.analysis`), their seed spread,
and the mean drop per perturbation family."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from xlrobust.analysis.common import OUTCOMES
from xlrobust.analysis.loading import TaskData
from xlrobust.stats import Term, contrast_value


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


def spread(values: Sequence[float | None]) -> dict[str, float | None]:
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
