"""The crossed (Mantel-style) permutation test: exact enumeration by hand, level under crossed dependence, errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats as sps

from xlrobust.crossed import crossed_correlation
from xlrobust.errors import ConfigError, DataError


def _pairs(sources, targets):
    return [(s, t) for s in sources for t in targets if s != t]


def test_exact_enumeration_matches_a_hand_loop_over_target_permutations():
    rng = np.random.default_rng(1)
    sources, targets = ["en", "es"], ["a", "b", "c", "d"]
    pairs = _pairs(sources, targets)
    x = rng.normal(size=len(pairs))
    y = rng.normal(size=len(pairs))
    res = crossed_correlation(x, y, [s for s, _ in pairs], [t for _, t in pairs], n_perm=1000)
    assert res.exact and res.n_perm == 24 and res.n == 8
    r_obs = sps.pearsonr(x, y).statistic
    assert res.r == pytest.approx(r_obs)
    ymat = {p: v for p, v in zip(pairs, y, strict=True)}
    hits = 0
    for perm in itertools.permutations(targets):
        image = dict(zip(targets, perm, strict=True))
        y_star = [ymat[(s, image[t])] for s, t in pairs]
        hits += abs(sps.pearsonr(x, y_star).statistic) >= abs(r_obs) - 1e-10
    assert res.p == pytest.approx(hits / 24)


def test_targets_equal_to_a_source_stay_in_place():
    # en and es as targets each have one pair (from the other source): only a, b, c are exchangeable (3! = 6).
    sources, targets = ["en", "es"], ["en", "es", "a", "b", "c"]
    pairs = _pairs(sources, targets)
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=len(pairs)), rng.normal(size=len(pairs))
    res = crossed_correlation(x, y, [s for s, _ in pairs], [t for _, t in pairs])
    assert res.exact and res.n_perm == 6 and res.n == 8
    assert res.p is not None and res.p >= 1 / 6


def test_spearman_statistic_is_scipys():
    rng = np.random.default_rng(3)
    pairs = _pairs(["en", "es", "de"], list("abcdef"))
    x, y = rng.normal(size=len(pairs)), rng.normal(size=len(pairs))
    res = crossed_correlation(x, y, [s for s, _ in pairs], [t for _, t in pairs], "spearman", n_perm=499)
    assert res.r == pytest.approx(sps.spearmanr(x, y).statistic)
    assert not res.exact and res.n_perm == 499


def test_both_permutes_sources_too():
    pairs = [(s, t) for s in "ABC" for t in "xyz"]  # complete 3 x 3 design: 3! x 3! = 36 permutations
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=9), rng.normal(size=9)
    res = crossed_correlation(x, y, [s for s, _ in pairs], [t for _, t in pairs], permute="both")
    assert res.exact and res.n_perm == 36


def test_is_deterministic_given_the_seed():
    rng = np.random.default_rng(5)
    pairs = _pairs(["en", "es"], [f"t{i}" for i in range(10)])
    x, y = rng.normal(size=len(pairs)), rng.normal(size=len(pairs))
    args = (x, y, [s for s, _ in pairs], [t for _, t in pairs])
    a, b = crossed_correlation(*args, n_perm=999, seed=7), crossed_correlation(*args, n_perm=999, seed=7)
    assert a == b and not a.exact
    assert crossed_correlation(*args, n_perm=999, seed=np.random.default_rng(7)) == a


def test_source_level_feature_gets_p_one_and_strong_target_association_a_small_p():
    sources, targets = ["en", "es"], [f"t{i}" for i in range(8)]
    pairs = _pairs(sources, targets)
    src, tgt = [s for s, _ in pairs], [t for _, t in pairs]
    rng = np.random.default_rng(6)
    target_feature = {t: rng.normal() for t in targets}
    x = np.array([target_feature[t] for t in tgt])
    y = 2.0 * x + 0.1 * rng.normal(size=len(pairs))
    assert crossed_correlation(x, y, src, tgt, n_perm=999).p < 0.01
    source_feature = np.array([1.0 if s == "en" else 3.0 for s in src])
    y_src = source_feature + rng.normal(size=len(pairs))
    assert crossed_correlation(source_feature, y_src, src, tgt, n_perm=199).p == 1.0


def test_holds_its_level_under_crossed_dependence_where_the_naive_test_does_not():
    """y = source effect + target effect + noise, x = a function of the target alone: no association beyond the
    shared target. The naive Pearson p-value rejects far more than 5%; the crossed test about 5%."""
    rng = np.random.default_rng(8)
    sources, targets = [f"s{i}" for i in range(4)], [f"t{i}" for i in range(10)]
    pairs = [(s, t) for s in sources for t in targets]
    si = np.array([sources.index(s) for s, _ in pairs])
    ti = np.array([targets.index(t) for _, t in pairs])
    reps, naive, crossed, pvals = 300, 0, 0, []
    for _ in range(reps):
        x = rng.normal(size=len(targets))[ti]
        y = (
            rng.normal(size=len(sources))[si]
            + 2.0 * rng.normal(size=len(targets))[ti]
            + rng.normal(size=len(pairs))
        )
        naive += sps.pearsonr(x, y).pvalue < 0.05
        res = crossed_correlation(x, y, [s for s, _ in pairs], [t for _, t in pairs], n_perm=199, seed=rng)
        crossed += res.p < 0.05
        pvals.append(res.p)
    assert naive / reps > 0.25  # 40 pairs but only 10 independent targets
    assert 0.015 <= crossed / reps <= 0.09  # binomial 99.9% band around 0.05 for 300 draws
    assert sps.kstest(pvals, "uniform").pvalue > 0.001


def test_degenerate_inputs_and_errors():
    pairs = _pairs(["en", "es"], ["a", "b", "c"])
    src, tgt = [s for s, _ in pairs], [t for _, t in pairs]
    res = crossed_correlation([1.0] * 6, [1, 2, 3, 4, 5, 6], src, tgt)
    assert res.r is None and res.p is None and res.reason == "constant values"
    # Each target has a different available source: nothing can be exchanged.
    res = crossed_correlation([1, 2, 3], [2, 1, 3], ["en", "es", "de"], ["a", "b", "c"])
    assert res.p is None and "nothing to permute" in res.reason and res.r is not None
    with pytest.raises(DataError, match="appears more than once"):
        crossed_correlation([1, 2, 3, 4], [1, 3, 2, 4], ["en"] * 4, ["a", "a", "b", "c"])
    with pytest.raises(ConfigError, match="unknown correlation method"):
        crossed_correlation([1, 2, 3], [1, 2, 3], ["en"] * 3, list("abc"), "kendall")
    with pytest.raises(ConfigError, match="unknown permute"):
        crossed_correlation([1, 2, 3], [1, 2, 3], ["en"] * 3, list("abc"), permute="rows")
    # Non-finite values drop their pair, as in the naive test.
    res = crossed_correlation([1, 2, np.nan, 4, 5, 6], [1, 3, 2, 5, 4, 6], src, tgt)
    assert res.n == 5
