"""Scores per (source, target): clean, adv and drop (defined in :mod:`xlrobust.analysis`), their seed spread,
the drop per perturbation family with its interval and counts, and the per (target, family) robustness table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from xlrobust.analysis.common import OUTCOMES, seed_for
from xlrobust.analysis.loading import TaskData
from xlrobust.paired_bootstrap import Term, bootstrap_contrast, contrast_value


def _active_families(td: TaskData, target: str) -> list[str]:
    """Families with at least ``td.min_changed`` changed examples on ``target`` (the others get no drop)."""
    return td.reportable(target)


def outcome_terms(
    td: TaskData,
    source: str,
    target: str,
    outcome: str,
    sign: float = 1.0,
    seed: int | None = None,
    families: Sequence[str] = (),
) -> list[list[Term]]:
    """The outcome at (source, target) as components of :class:`Term` (one per family for adv, drop and
    clean_changed, the clean score of the examples the family changed): the mean over seeds of each seed's
    value (each term weighted 1/seeds), or with ``seed`` that seed's alone."""
    seeds = td.seeds if seed is None else [seed]
    w = sign / len(seeds)
    if outcome == "clean":
        return [[Term(w, td.matrix(source, k, target, "clean")) for k in seeds]]
    comps = []
    for fam in families or _active_families(td, target):
        mask = td.masks[(target, fam)]
        comp = []
        for k in seeds:
            clean = Term(w, td.matrix(source, k, target, "clean"), mask)
            pert = Term(-w if outcome == "drop" else w, td.matrix(source, k, target, fam), mask)
            comp += {"drop": [clean, pert], "clean_changed": [clean]}.get(outcome, [pert])
        comps.append(comp)
    return comps


def _outcome_value(
    td: TaskData,
    source: str,
    target: str,
    outcome: str,
    seed: int | None = None,
    families: Sequence[str] = (),
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
            rec["clean_changed"] = _outcome_value(td, s, t, "clean_changed")
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


FAMILY_COLUMNS: tuple[str, ...] = (
    "task",
    "family",
    "source",
    "label",
    "drop",
    "ci_low",
    "ci_high",
    "n_targets",
    "targets",
    "n_changed",
)
ROBUSTNESS_COLUMNS: tuple[str, ...] = (
    "task",
    "target",
    "family",
    "source",
    "n",
    "n_changed",
    "min_changed",
    "reported",
    "clean_changed",
    "perturbed",
    "drop",
    "invariance_failure_rate",
    "reason",
)


def family_drop_table(td: TaskData, *, n_boot: int, seed: int) -> pd.DataFrame:
    """Drop per (source, family), averaged over the zero-shot targets where the family changed at least
    ``min_changed`` examples, with a stratified bootstrap interval over test examples and its counts (targets
    and changed examples), for the drop-by-family figure."""
    rows = []
    for s in td.sources:
        for fam in td.families:
            targets = [t for t in td.targets if t != s and fam in td.reportable(t)]
            if not targets:
                continue
            strata = [outcome_terms(td, s, t, "drop", families=[fam]) for t in targets]
            iv = bootstrap_contrast(strata, td.aggregate, n_boot=n_boot, seed=seed_for(seed, td.task, s, fam))
            rows.append(
                {
                    "task": td.task,
                    "family": fam,
                    "source": s,
                    "label": f"{fam}/{s}",
                    "drop": iv.estimate,
                    "ci_low": iv.low,
                    "ci_high": iv.high,
                    "n_targets": len(targets),
                    "targets": " ".join(targets),
                    "n_changed": sum(td.n_changed(t, fam) for t in targets),
                }
            )
    return pd.DataFrame(rows, columns=list(FAMILY_COLUMNS))


def robustness_table(td: TaskData, families: Sequence[str]) -> pd.DataFrame:
    """Per (target, family that ran, source): examples, changed examples and, when at least ``min_changed``
    changed, the seed-mean clean score on the changed examples, perturbed score on them, drop and invariance
    failure rate (share of changed examples whose prediction changed, from the evaluate stage); otherwise the
    reason (family not applicable to the target's script, or too few changed examples)."""
    rows = []
    for t in td.targets:
        for fam in families:
            ran = fam in td.target_families.get(t, [])
            n_changed = td.n_changed(t, fam)
            if not ran:
                reason = "not applicable: the family was not scored on this target (e.g. casing on a caseless script)"
            elif n_changed < td.min_changed:
                reason = f"too few changed examples ({n_changed} < {td.min_changed})"
            else:
                reason = ""
            for s in td.sources:
                rec: dict[str, Any] = {
                    "task": td.task,
                    "target": t,
                    "family": fam,
                    "source": s,
                    "n": len(td.matrix(s, td.seeds[0], t, "clean")),
                    "n_changed": n_changed,
                    "min_changed": td.min_changed,
                    "reported": not reason,
                    "reason": reason,
                }
                if not reason:
                    rec["clean_changed"] = _outcome_value(td, s, t, "clean_changed", families=[fam])
                    rec["perturbed"] = _outcome_value(td, s, t, "adv", families=[fam])
                    rec["drop"] = _outcome_value(td, s, t, "drop", families=[fam])
                    ifr = [
                        td.metrics[(s, k)]["targets"][t][fam].get("invariance_failure_rate") for k in td.seeds
                    ]
                    ifr = [float(v) for v in ifr if isinstance(v, int | float) and not isinstance(v, bool)]
                    rec["invariance_failure_rate"] = float(np.mean(ifr)) if ifr else None
                rows.append(rec)
    return pd.DataFrame(rows, columns=list(ROBUSTNESS_COLUMNS))
