"""The paired bootstrap of contrasts between sources: a signed sum of task aggregates over the same test examples,
resampled once per replicate for every term (and every fine-tuning seed), with a percentile interval.

Each task's :class:`xlrobust.stats.Aggregate` is a function of column sums, so a replicate is a matrix product of
resampling multiplicities with the example columns (vectorised in chunks). Calibration of the interval (coverage
93-97% for the estimands the report uses) is measured in benchmarks/RESULTS.md section 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from xlrobust.errors import DataError
from xlrobust.stats import Aggregate, Interval, Row, _percentile_interval


@dataclass(frozen=True)
class Term:
    """``weight * aggregate(examples restricted to mask)``: one signed piece of a contrast between sources.

    ``data`` is the rows, or their :meth:`Aggregate.matrix` when the caller reuses it across many contrasts.
    """

    weight: float
    data: Sequence[Row] | np.ndarray
    mask: np.ndarray | None = None  # bool per example: which examples count (e.g. the perturbed ones)


Component = Sequence[Term]  # summed, e.g. score(source A) - score(source B) on one perturbation family
Stratum = Sequence[Component]  # averaged over the components defined in a replicate; all on the same examples


@dataclass(frozen=True)
class _Prepared:
    """A stratum as one (n, columns) matrix, so a chunk of replicates needs a single matrix product.

    Each term owns ``k`` columns of masked aggregate values followed by one column holding its mask.
    """

    matrix: np.ndarray
    layout: list[list[tuple[float, int]]]  # per component: (weight, first column) of each term
    k: int

    @property
    def n(self) -> int:
        return self.matrix.shape[0]


def _stratum_arrays(stratum: Stratum, aggregate: Aggregate) -> _Prepared:
    n = len(stratum[0][0].data)
    k = len(aggregate.columns)
    blocks: list[np.ndarray] = []
    layout: list[list[tuple[float, int]]] = []
    for component in stratum:
        terms = []
        for term in component:
            if len(term.data) != n:
                raise DataError(
                    f"paired bootstrap: rows of one stratum must be the same examples, got {len(term.data)} and "
                    f"{n} rows; check that every source's predictions cover the same test examples"
                )
            values = term.data if isinstance(term.data, np.ndarray) else aggregate.matrix(term.data)
            mask = np.ones(n) if term.mask is None else np.asarray(term.mask, dtype=float)
            terms.append((float(term.weight), len(blocks) * (k + 1)))
            blocks.append(np.column_stack([values * mask[:, None], mask]))
        layout.append(terms)
    return _Prepared(np.hstack(blocks), layout, k)


def _stratum_values(prepared: _Prepared, counts: np.ndarray, aggregate: Aggregate) -> np.ndarray:
    """Value of one stratum for each row of multiplicities ``counts`` (B, n); NaN where undefined."""
    sums = counts @ prepared.matrix  # (B, columns)
    k = prepared.k
    per_component = []
    for terms in prepared.layout:
        total = np.zeros(counts.shape[0])
        for weight, col in terms:
            total = total + weight * aggregate.combine(sums[:, col : col + k], sums[:, col + k])
        per_component.append(total)
    comp = np.vstack(per_component)  # (components, B)
    defined = np.isfinite(comp)
    with np.errstate(invalid="ignore"):
        return np.where(
            defined.any(axis=0), np.nansum(comp, axis=0) / np.maximum(defined.sum(axis=0), 1), np.nan
        )


def _resample_counts(rng: np.random.Generator, n: int, b: int) -> np.ndarray:
    """Multiplicities (b, n) of ``b`` resamples of n indices drawn with replacement."""
    idx = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
    return np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


def contrast_value(strata: Sequence[Stratum], aggregate: Aggregate) -> float | None:
    """The statistic of :func:`bootstrap_contrast` on the full sample (None where undefined)."""
    prepared = [_stratum_arrays(s, aggregate) for s in strata]
    point = (
        float(np.mean([_stratum_values(p, np.ones((1, p.n)), aggregate)[0] for p in prepared]))
        if strata
        else np.nan
    )
    return point if np.isfinite(point) else None


def bootstrap_contrast(
    strata: Sequence[Stratum],
    aggregate: Aggregate,
    *,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level: float = 0.95,
    min_valid: float = 0.5,
    chunk: int = 250,
) -> Interval:
    """Paired, stratified percentile bootstrap of ``mean over strata of (mean over components of sum of terms)``.

    Within a stratum (one target language's test set) example indices are resampled once per replicate and the
    same resample is applied to every term, so two sources are compared on the same examples; strata (targets)
    are resampled independently. A component undefined in a replicate (e.g. no perturbed example drawn) is left
    out of that replicate's mean.
    """
    if not strata or any(not s or any(not c for c in s) for s in strata):
        raise ValueError("bootstrap_contrast needs at least one stratum, component and term")
    rng = np.random.default_rng(seed)
    prepared = [_stratum_arrays(s, aggregate) for s in strata]
    point = contrast_value(strata, aggregate)
    if point is None:
        return Interval(None, None, None, n_boot, 0, "the statistic is undefined on the full sample")
    reps = np.zeros(n_boot)
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        vals = [_stratum_values(p, _resample_counts(rng, p.n, b), aggregate) for p in prepared]
        reps[start : start + b] = np.mean(vals, axis=0)
    return _percentile_interval(point, reps, n_boot, level, min_valid)


def paired_bootstrap_difference(
    rows_a: Sequence[Row],
    rows_b: Sequence[Row],
    aggregate: Aggregate,
    *,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level: float = 0.95,
) -> Interval:
    """``aggregate(rows_a) - aggregate(rows_b)`` with a paired percentile bootstrap interval over the same test
    examples (resampled once per replicate for both sides)."""
    return bootstrap_contrast(
        [[[Term(1.0, rows_a), Term(-1.0, rows_b)]]], aggregate, n_boot=n_boot, seed=seed, level=level
    )
