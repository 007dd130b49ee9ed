"""Correlations of the zero-shot outcomes with the language-pair features, with bootstrap intervals and
Holm / Benjamini-Hochberg adjusted p-values.

The naive p-values (``p``, ``spearman_p``, and their adjustments) treat the (source, target) pairs as independent,
which they are not: pairs share their source and target languages, so those p-values are optimistic
(benchmarks/RESULTS.md section 10 measures a Holm family-wise error of 13-24% under that dependence).
``p_crossed`` is the dependence-aware test (:func:`xlrobust.crossed.crossed_correlation`: target languages
permuted jointly across sources, as in a Mantel test), Holm-adjusted as ``p_crossed_holm``; the report uses it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from xlrobust.analysis.common import CORR_OUTCOMES, seed_for
from xlrobust.crossed import crossed_correlation
from xlrobust.stats import benjamini_hochberg, bootstrap_correlation, correlation, holm

CORR_COLUMNS: tuple[str, ...] = (
    "task",
    "outcome",
    "feature",
    "n",
    "pearson_r",
    "p",
    "ci_low",
    "ci_high",
    "spearman_rho",
    "spearman_p",
    "reason",
    "p_holm",
    "p_bh",
    "p_crossed",
    "p_crossed_holm",
)
N_PERM = 9999  # permutations of the crossed test (all of them when there are fewer)


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
            data = sub[[feat, outcome, "source", "target"]].dropna(subset=[feat, outcome])
            x, y = data[feat].to_numpy(dtype=float), data[outcome].to_numpy(dtype=float)
            pr, sr = correlation(x, y, "pearson"), correlation(x, y, "spearman")
            iv = bootstrap_correlation(
                x, y, "pearson", n_boot=n_boot, seed=seed_for(seed, task, outcome, feat)
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
            ct = crossed_correlation(
                x,
                y,
                data["source"].to_numpy(),
                data["target"].to_numpy(),
                "pearson",
                n_perm=N_PERM,
                seed=seed_for(seed, task, outcome, feat, "crossed"),
            )
            block[-1]["p_crossed"] = ct.p
            if ct.reason and not block[-1]["reason"]:
                block[-1]["reason"] = f"crossed test: {ct.reason}"
        for key, col, fn in (
            ("p_holm", "p", holm),
            ("p_bh", "p", benjamini_hochberg),
            ("p_crossed_holm", "p_crossed", holm),
        ):
            for rec, adj in zip(block, fn([r[col] for r in block]), strict=True):
                rec[key] = adj
        rows += block
    return pd.DataFrame(rows, columns=list(CORR_COLUMNS))


def zero_shot_pairs(scores: pd.DataFrame, feats: pd.DataFrame) -> pd.DataFrame:
    """Scores joined with features for pairs with target != source."""
    merged = scores.merge(feats, on=["task", "source", "target"], how="left")
    return merged[merged["source"] != merged["target"]].reset_index(drop=True)
