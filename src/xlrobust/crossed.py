"""A correlation test across (source, target) pairs whose null keeps the crossed structure of the pairs.

The correlate stage correlates language-pair features with outcomes over zero-shot (source, target) pairs. Pairs
that share a target share that target's effect on the outcome (a hard target is hard from every source) and,
for features such as ``target_lmem`` or a distance to a remote language, share its feature values too. Pearson's
and Spearman's textbook p-values treat the pairs as independent, so a feature that happens to line up with the
target effects over a handful of targets looks significant with twice (or, with more sources, many times) the
evidence there is.

:func:`crossed_correlation` is a Mantel-style permutation test (Mantel 1967; Legendre & Legendre, *Numerical
Ecology*, 3rd ed., sec. 10.5.1): the outcomes are laid out as a sources x targets matrix and whole target
columns are permuted, jointly across sources, while the features stay in place. A permutation keeps every
dependence among the outcomes (source effects, target effects, pairs sharing a target) and breaks only the
alignment of outcomes with features, so under the null "the target columns of the outcome matrix are
exchangeable" (no association between the outcome and anything that depends on the target, beyond chance) the
p-value is exact, whatever the sources and targets share. ``permute="both"`` also permutes whole source rows,
for a null in which sources are exchangeable too (it needs several sources to have any power).

Missing pairs (a target equal to the source, an undefined outcome) are handled by permuting only among columns
(rows) with the same pattern of available pairs, so every permutation uses the same pairs as the observed
statistic: with sources en, es and targets including en and es, the columns en and es (one pair each) stay in
place and the other targets are permuted. A feature that varies only between sources (``source_train_size``)
is unchanged by target permutations, so its p-value is 1 under ``permute="targets"``: target exchangeability
carries no evidence about a source-level feature, and with two sources nothing can.

The p-value is two-sided on ``|r|``: exact over all distinct permutations when there are at most ``n_perm`` of
them, else ``(1 + #{|r*| >= |r|}) / (1 + n_perm)`` over ``n_perm`` random permutations (Phipson & Smyth 2010,
"Permutation p-values should never be zero"), which is also a valid (slightly conservative) p-value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from xlrobust.errors import ConfigError, DataError
from xlrobust.stats import _rowwise_pearson, degenerate_reason

PERMUTE = ("targets", "both")
_TIE = 1e-10  # |r*| within this of |r| counts as "at least as extreme" (float noise in equal statistics)


@dataclass(frozen=True)
class CrossedTest:
    """A correlation with its crossed-permutation p-value; ``reason`` says why r or p is None."""

    method: str
    n: int  # pairs used
    r: float | None
    p: float | None
    n_perm: int  # permutations the p-value is over (all distinct ones when ``exact``)
    exact: bool
    reason: str | None = None


def _groups(avail: np.ndarray) -> list[np.ndarray]:
    """Indices of the columns of ``avail`` (rows x columns, bool) grouped by identical availability pattern;
    columns without any available cell are left out (they take part in no pair)."""
    by_pattern: dict[bytes, list[int]] = {}
    for j in range(avail.shape[1]):
        if avail[:, j].any():
            by_pattern.setdefault(avail[:, j].tobytes(), []).append(j)
    return [np.asarray(g) for g in by_pattern.values()]


def _random_perms(rng: np.random.Generator, size: int, groups: Sequence[np.ndarray], b: int) -> np.ndarray:
    """(b, size) index maps, each a uniform random permutation within every group (identity elsewhere)."""
    perms = np.tile(np.arange(size), (b, 1))
    for g in groups:
        if len(g) > 1:
            perms[:, g] = g[np.argsort(rng.random((b, len(g))), axis=1)]
    return perms


def _all_perms(size: int, groups: Sequence[np.ndarray]) -> np.ndarray:
    """Every permutation within groups, as (count, size) index maps (the identity first)."""
    per_group = [list(itertools.permutations(g.tolist())) for g in groups]
    out = []
    for combo in itertools.product(*per_group):
        perm = np.arange(size)
        for g, image in zip(groups, combo, strict=True):
            perm[g] = image
        out.append(perm)
    return np.asarray(out).reshape(len(out), size)


def _n_distinct(groups: Sequence[np.ndarray]) -> int:
    return math.prod(math.factorial(len(g)) for g in groups)


def crossed_correlation(
    x: Sequence[float],
    y: Sequence[float],
    sources: Sequence[str],
    targets: Sequence[str],
    method: str = "pearson",
    *,
    n_perm: int = 9999,
    seed: int | np.random.Generator = 0,
    permute: str = "targets",
    chunk: int = 2000,
) -> CrossedTest:
    """Pearson or Spearman correlation of ``x`` and ``y`` over (source, target) pairs with a permutation
    p-value that permutes target labels jointly across sources (see the module docstring).

    ``x``, ``y``, ``sources`` and ``targets`` are aligned, one entry per pair (the rows of the correlate stage's
    pairs table); pairs with a non-finite ``x`` or ``y`` are dropped, as in the naive test. The statistic is
    the same r as :func:`xlrobust.stats.correlation` on the kept pairs (Spearman: Pearson r of average ranks).
    Deterministic given ``seed``. A degenerate input (fewer than 3 pairs, a constant vector) or a layout with
    nothing to permute gives ``r``/``p`` None with a reason.
    """
    if method not in ("pearson", "spearman"):
        raise ConfigError(f"unknown correlation method {method!r}; use 'pearson' or 'spearman'")
    if permute not in PERMUTE:
        raise ConfigError(f"unknown permute {permute!r}; use one of {', '.join(PERMUTE)}")
    if n_perm < 1:
        raise ConfigError(f"n_perm must be a positive integer, got {n_perm}")
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    src, tgt = np.asarray(sources, dtype=str), np.asarray(targets, dtype=str)
    if not (len(xa) == len(ya) == len(src) == len(tgt)):
        raise ValueError(
            f"x, y, sources, targets must have one entry per pair, got lengths "
            f"{len(xa)}, {len(ya)}, {len(src)}, {len(tgt)}"
        )
    keep = np.isfinite(xa) & np.isfinite(ya)
    xa, ya, src, tgt = xa[keep], ya[keep], src[keep], tgt[keep]
    pairs = list(zip(src.tolist(), tgt.tolist(), strict=True))
    if len(set(pairs)) != len(pairs):
        dup = next(p for p in pairs if pairs.count(p) > 1)
        raise DataError(
            f"crossed correlation: pair {dup[0]}->{dup[1]} appears more than once; each "
            "(source, target) pair must have one row (average seeds or tasks first)"
        )
    reason = degenerate_reason(xa, ya)
    if reason is not None:
        return CrossedTest(method, len(xa), None, None, 0, False, reason)
    if method == "spearman":
        xa, ya = sps.rankdata(xa), sps.rankdata(ya)
    row_names, rows = np.unique(src, return_inverse=True)
    col_names, cols = np.unique(tgt, return_inverse=True)
    n_rows, n_cols = len(row_names), len(col_names)
    grid = np.full((n_rows, n_cols), np.nan)
    grid[rows, cols] = ya
    avail = np.isfinite(grid)
    col_groups = [g for g in _groups(avail) if len(g) > 1]
    row_groups = [g for g in _groups(avail.T) if len(g) > 1] if permute == "both" else []
    total = _n_distinct(col_groups) * _n_distinct(row_groups)
    r = float(_rowwise_pearson(xa[None, :], ya[None, :])[0])
    if total == 1:
        what = "targets" if permute == "targets" else "targets or sources"
        return CrossedTest(
            method,
            len(xa),
            r,
            None,
            0,
            False,
            f"no two {what} have the same available pairs, so there is nothing to permute",
        )
    exact = total <= n_perm
    if exact:
        col_perms = _all_perms(n_cols, col_groups)
        row_perms = _all_perms(n_rows, row_groups)
        ri, ci = np.meshgrid(np.arange(len(row_perms)), np.arange(len(col_perms)), indexing="ij")
        row_perms, col_perms = row_perms[ri.ravel()], col_perms[ci.ravel()]
    else:
        rng = np.random.default_rng(seed)
        col_perms = _random_perms(rng, n_cols, col_groups, n_perm)
        row_perms = _random_perms(rng, n_rows, row_groups, n_perm)
    flat = grid.ravel()
    hits = 0
    for start in range(0, len(col_perms), chunk):
        # Permuted outcome at kept pair (s, t) is y(row_perm[s], col_perm[t]); the features stay in place.
        idx = row_perms[start : start + chunk][:, rows] * n_cols + col_perms[start : start + chunk][:, cols]
        r_star = _rowwise_pearson(np.broadcast_to(xa, idx.shape), flat[idx])
        hits += int(np.sum(np.abs(r_star) >= abs(r) - _TIE))
    p = hits / len(col_perms) if exact else (1 + hits) / (1 + n_perm)
    return CrossedTest(method, len(xa), r, float(min(1.0, p)), len(col_perms) if exact else n_perm, exact)
