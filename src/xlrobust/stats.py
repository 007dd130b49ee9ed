"""Statistics for the research question: aggregates, correlations with bootstrap intervals, multiple-testing
correction, and a cross-validated regression (the paired bootstrap of source contrasts is
:mod:`xlrobust.paired_bootstrap`).

Every function returns plain, finite numbers or ``None`` with a reason: the results are written to JSON with
``allow_nan=False``, and a degenerate input (a constant vector, too few points) must say *why* there is no
number instead of producing NaN.

Scores over test examples are never averaged by hand: each task has an :class:`Aggregate` (mean of per-example
scores, or corpus span F1 from summed tp/fp/fn counts, which is not a mean of per-example F1). Both are functions
of column sums, so a bootstrap replicate is a matrix product of resampling multiplicities with the example columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from xlrobust.errors import ConfigError, DataError

Row = Mapping[str, Any]

# ----------------------------------------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Aggregate:
    """A corpus-level score that is a function of per-example column sums (and the example count).

    ``combine(sums, count)`` works on arrays: ``sums`` has shape (..., len(columns)), ``count`` shape (...);
    it returns NaN where the score is undefined (no examples), which bootstrap code drops.
    """

    name: str
    columns: tuple[str, ...]
    combine: Callable[[np.ndarray, np.ndarray], np.ndarray]

    def matrix(self, rows: Sequence[Row], where: str = "rows") -> np.ndarray:
        """The (n, k) float matrix of this aggregate's columns; a missing or non-numeric field is a DataError."""
        try:  # fast path; the loop below only runs to name the offending row
            out = np.array([[row[c] for c in self.columns] for row in rows], dtype=float).reshape(
                len(rows), len(self.columns)
            )
            if np.all(np.isfinite(out)):
                return out
        except (KeyError, TypeError, ValueError):
            pass
        for i, row in enumerate(rows):
            for col in self.columns:
                value = row.get(col)
                if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
                    raise DataError(
                        f"{where}: row {i + 1} (id {row.get('id')!r}): field {col!r} must be a finite number, "
                        f"got {value!r}; the {self.name} aggregate needs {', '.join(self.columns)} in every row"
                    )
        raise AssertionError("unreachable")  # pragma: no cover

    def __call__(self, rows: Sequence[Row]) -> float:
        """The score of ``rows`` (e.g. accuracy, corpus span F1)."""
        if len(rows) == 0:
            raise DataError(f"{self.name}: cannot score an empty set of rows")
        value = self.combine(self.matrix(rows).sum(axis=0), np.asarray(float(len(rows))))
        return float(value)


def _mean_combine(sums: np.ndarray, count: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, sums[..., 0] / np.where(count > 0, count, 1), np.nan)


def _f1_combine(sums: np.ndarray, count: np.ndarray) -> np.ndarray:
    # No gold and no predicted span anywhere: F1 is 0 by the seqeval convention (zero_division=0).
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)
    return np.where(count > 0, f1, np.nan)


mean_score = Aggregate("mean_score", ("score",), _mean_combine)
"""Mean of per-example ``score`` (accuracy for XNLI, mean token F1 for TyDiQA)."""

corpus_span_f1 = Aggregate("corpus_span_f1", ("tp", "fp", "fn"), _f1_combine)
"""Corpus-level span F1 = 2tp / (2tp + fp + fn) from summed per-example counts (PAN-X, as seqeval computes it)."""


def aggregate_for(task: str) -> Aggregate:
    """The aggregate of ``task``'s primary metric, as its task spec declares it (``Task.corpus_aggregate``);
    an unknown task is a ConfigError."""
    from xlrobust.tasks import REGISTRY  # at call time: the task specs import the aggregates above

    if task not in REGISTRY:
        raise ConfigError(
            f"no aggregate known for task {task!r}; known tasks: {', '.join(REGISTRY)}. A task declares its "
            "corpus_aggregate in its module under src/xlrobust/tasks/"
        )
    return REGISTRY[task].corpus_aggregate


# ----------------------------------------------------------------------------------------------- results


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient and its two-sided p-value; ``reason`` says why they are None."""

    method: str
    n: int
    r: float | None
    p: float | None
    reason: str | None = None


@dataclass(frozen=True)
class Interval:
    """A point estimate with a bootstrap percentile interval; ``reason`` says why values are None."""

    estimate: float | None
    low: float | None
    high: float | None
    n_boot: int
    n_valid: int = 0
    reason: str | None = None

    def to_dict(self, digits: int = 4) -> dict[str, Any]:
        out: dict[str, Any] = {
            "diff": _r(self.estimate, digits),
            "ci_low": _r(self.low, digits),
            "ci_high": _r(self.high, digits),
        }
        if self.reason:
            out["reason"] = self.reason
        return out


def degenerate_reason(*vectors: np.ndarray, min_n: int = 3) -> str | None:
    """Why a correlation of these vectors is undefined (too few points, a constant vector), or None."""
    n = len(vectors[0])
    if any(len(v) != n for v in vectors):
        raise ValueError("vectors must have the same length")
    if n < min_n:
        return f"only {n} points (need at least {min_n})"
    for v in vectors:
        if not np.all(np.isfinite(v)):
            return "non-finite values"
        if np.ptp(v) == 0:
            return "constant values"
    return None


# ----------------------------------------------------------------------------------------------- correlations


def _scipy_stats() -> Any:
    """``scipy.stats``, imported on first use: it costs about a second at every stage start, and most stages
    import this module only for the task aggregates."""
    from scipy import stats

    return stats


def correlation(x: Sequence[float], y: Sequence[float], method: str = "pearson") -> Correlation:
    """Pearson or Spearman correlation with scipy's two-sided p-value, or None with a reason."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    reason = degenerate_reason(xa, ya)
    if reason is not None:
        return Correlation(method, len(xa), None, None, reason)
    if method == "pearson":
        res = _scipy_stats().pearsonr(xa, ya)
    elif method == "spearman":
        res = _scipy_stats().spearmanr(xa, ya)
    else:
        raise ConfigError(f"unknown correlation method {method!r}; use 'pearson' or 'spearman'")
    r, p = float(res.statistic), float(res.pvalue)
    if not (np.isfinite(r) and np.isfinite(p)):
        return Correlation(method, len(xa), None, None, "scipy returned a non-finite value")
    return Correlation(method, len(xa), r, p)


def _rowwise_pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson r of each row pair of (B, n) matrices; NaN where a row is constant."""
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    num = (xc * yc).sum(axis=1)
    den = np.sqrt((xc**2).sum(axis=1) * (yc**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / den
    # Rounding makes den tiny but non-zero for a constant row; treat it as constant.
    r[~(den > 1e-12)] = np.nan
    return np.clip(r, -1.0, 1.0)


def bootstrap_correlation(
    x: Sequence[float],
    y: Sequence[float],
    method: str = "pearson",
    *,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level: float = 0.95,
    min_valid: float = 0.5,
) -> Interval:
    """Percentile bootstrap interval of a correlation, resampling (x, y) pairs.

    Replicates whose resample is constant in x or y (likely with few points and tied values, e.g. a genetic
    distance of 1.0 for every unrelated pair) have no correlation and are dropped; if fewer than ``min_valid`` of
    them remain the interval is None with a reason rather than an interval of an unrepresentative subset.
    """
    point = correlation(x, y, method)
    if point.r is None:
        return Interval(None, None, None, n_boot, 0, point.reason)
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(xa), size=(n_boot, len(xa)))
    xb, yb = xa[idx], ya[idx]
    if method == "spearman":
        xb, yb = _scipy_stats().rankdata(xb, axis=1), _scipy_stats().rankdata(yb, axis=1)
    reps = _rowwise_pearson(xb, yb)
    return _percentile_interval(point.r, reps, n_boot, level, min_valid)


def _percentile_interval(
    estimate: float, reps: np.ndarray, n_boot: int, level: float, min_valid: float
) -> Interval:
    valid = reps[np.isfinite(reps)]
    if len(valid) < max(1, min_valid * n_boot):
        return Interval(
            estimate,
            None,
            None,
            n_boot,
            len(valid),
            f"only {len(valid)} of {n_boot} bootstrap replicates were defined",
        )
    alpha = (1 - level) / 2
    low, high = np.quantile(valid, [alpha, 1 - alpha])
    return Interval(float(estimate), float(low), float(high), n_boot, len(valid))


# ----------------------------------------------------------------------------------------------- corrections


def _finite_positions(pvalues: Sequence[float | None]) -> tuple[list[int], np.ndarray]:
    pos = [i for i, p in enumerate(pvalues) if p is not None]
    arr = np.asarray([pvalues[i] for i in pos], dtype=float)
    if np.any((arr < 0) | (arr > 1) | ~np.isfinite(arr)):
        raise ValueError(f"p-values must lie in [0, 1], got {arr.tolist()}")
    return pos, arr


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm step-down adjusted p-values (controls the family-wise error rate); None entries stay None and do
    not count towards the family size."""
    pos, p = _finite_positions(pvalues)
    out: list[float | None] = [None] * len(pvalues)
    m = len(p)
    if m == 0:
        return out
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    for rank, k in enumerate(order):
        out[pos[k]] = float(adjusted[rank])
    return out


def benjamini_hochberg(pvalues: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (false discovery rate) via scipy; None entries stay None."""
    pos, p = _finite_positions(pvalues)
    out: list[float | None] = [None] * len(pvalues)
    if len(p) == 0:
        return out
    for k, adj in zip(pos, _scipy_stats().false_discovery_control(p, method="bh"), strict=True):
        out[k] = float(adj)
    return out


# ----------------------------------------------------------------------------------------------- regression


def cross_validated_r2(
    X: np.ndarray, y: Sequence[float], feature_names: Sequence[str], *, seed: int = 0, alpha: float = 1.0
) -> dict[str, Any]:
    """Out-of-fold R² of a standardised ridge regression of ``y`` on the features.

    Ridge rather than least squares because there are few points per feature. With at least 10 points it uses
    5-fold CV (``cross_val_score`` fold mean and std, plus the pooled out-of-fold R²); with fewer, leave-one-out
    (pooled out-of-fold R² only, since R² of one held-out point is undefined). Too few points, a constant target
    or no varying feature give ``{"status": "skipped", "reason": ...}`` instead of numbers.
    """
    from sklearn.linear_model import Ridge
    from sklearn.metrics import r2_score
    from sklearn.model_selection import KFold, LeaveOneOut, cross_val_predict, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    Xa = np.asarray(X, dtype=float)
    ya = np.asarray(y, dtype=float)
    if Xa.ndim != 2 or Xa.shape[0] != len(ya) or Xa.shape[1] != len(feature_names):
        raise ValueError(f"X must be (n, {len(feature_names)}) with n = len(y) = {len(ya)}, got {Xa.shape}")
    finite = np.all(np.isfinite(Xa), axis=1) & np.isfinite(ya)
    Xa, ya = Xa[finite], ya[finite]
    keep = [j for j in range(Xa.shape[1]) if np.ptp(Xa[:, j]) > 0] if len(ya) else []
    used = [feature_names[j] for j in keep]
    n = len(ya)
    base = {"n": n, "features": used}
    min_n = len(keep) + 3
    if n < max(min_n, 5):
        return {
            **base,
            "status": "skipped",
            "reason": f"not enough points: {n} (need at least {max(min_n, 5)})",
        }
    if np.ptp(ya) == 0:
        return {**base, "status": "skipped", "reason": "constant outcome"}
    if not keep:
        return {**base, "status": "skipped", "reason": "no feature varies"}
    Xa = Xa[:, keep]
    model = make_pipeline(StandardScaler(), Ridge(alpha=alpha))
    if n >= 10:
        cv: Any = KFold(n_splits=5, shuffle=True, random_state=seed)
        folds = cross_val_score(model, Xa, ya, cv=cv, scoring="r2")
        folds = folds[np.isfinite(folds)]  # a fold with a constant held-out outcome has no R²
        extra: dict[str, Any] = {"cv": "5-fold"}
        if len(folds):
            extra |= {
                "r2_fold_mean": round(float(folds.mean()), 4),
                "r2_fold_std": round(float(folds.std()), 4),
            }
    else:
        cv = LeaveOneOut()
        extra = {"cv": "leave-one-out"}
    pred = cross_val_predict(model, Xa, ya, cv=cv)
    return {**base, "status": "ok", "r2": round(float(r2_score(ya, pred)), 4), **extra}
