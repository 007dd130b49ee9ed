"""Statistics of the correlate stage against scipy, hand-computed corrections and known truths."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats as sps

from xlrobust.errors import ConfigError, DataError
from xlrobust.paired_bootstrap import Term, bootstrap_contrast, paired_bootstrap_difference
from xlrobust.stats import (
    aggregate_for,
    benjamini_hochberg,
    bootstrap_correlation,
    corpus_span_f1,
    correlation,
    cross_validated_r2,
    holm,
    mean_score,
)

X = [0.31, 0.52, 0.18, 0.77, 0.45, 0.66, 0.29, 0.91, 0.12, 0.58]
Y = [0.62, 0.55, 0.71, 0.33, 0.50, 0.47, 0.69, 0.21, 0.80, 0.41]


def test_pearson_and_spearman_match_scipy():
    pr, sr = correlation(X, Y, "pearson"), correlation(X, Y, "spearman")
    ref_p, ref_s = sps.pearsonr(X, Y), sps.spearmanr(X, Y)
    assert pr.r == pytest.approx(ref_p.statistic) and pr.p == pytest.approx(ref_p.pvalue)
    assert sr.r == pytest.approx(ref_s.statistic) and sr.p == pytest.approx(ref_s.pvalue)
    assert pr.n == 10 and pr.reason is None
    assert pr.r < -0.9  # the data are strongly negatively related


@pytest.mark.parametrize(
    ("x", "y", "reason"),
    [
        ([1, 2, 3], [5, 5, 5], "constant"),
        ([1, 1, 1, 1], [1, 2, 3, 4], "constant"),
        ([1, 2], [3, 4], "only 2"),
    ],
)
def test_degenerate_correlation_gives_none_with_reason(x, y, reason):
    for method in ("pearson", "spearman"):
        res = correlation(x, y, method)
        assert res.r is None and res.p is None and reason in res.reason
    iv = bootstrap_correlation(x, y, n_boot=100)
    assert iv.low is None and iv.high is None and reason in iv.reason
    json.dumps(iv.to_dict(), allow_nan=False)


def test_unknown_method_is_a_config_error():
    with pytest.raises(ConfigError, match="kendall"):
        correlation(X, Y, "kendall")


def test_holm_against_hand_computed_values():
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.06
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])  # capped at 1
    out = holm([0.01, None, 0.04])  # None is not part of the family: m = 2
    assert out[1] is None and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)
    assert holm([]) == [] and holm([None]) == [None]


def test_benjamini_hochberg_against_hand_computed_values():
    # sorted: 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04 (then cumulative min from the top)
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    out = benjamini_hochberg([0.02, None, 0.5])
    assert out[0] == pytest.approx(0.04) and out[1] is None and out[2] == pytest.approx(0.5)


def test_bad_pvalues_are_rejected():
    with pytest.raises(ValueError, match="p-values"):
        holm([0.1, 1.5])


def test_bootstrap_correlation_covers_true_rho_at_about_nominal_rate():
    rng = np.random.default_rng(7)
    rho, reps, hits = 0.5, 200, 0
    for i in range(reps):
        z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=40)
        iv = bootstrap_correlation(z[:, 0], z[:, 1], n_boot=300, seed=i)
        hits += iv.low <= rho <= iv.high
    assert 0.88 <= hits / reps <= 0.99


def test_bootstrap_correlation_is_seeded_and_brackets_the_estimate():
    a = bootstrap_correlation(X, Y, "spearman", n_boot=500, seed=3)
    b = bootstrap_correlation(X, Y, "spearman", n_boot=500, seed=3)
    assert a == b and a.low <= a.estimate <= a.high
    assert a.estimate == pytest.approx(sps.spearmanr(X, Y).statistic)


def _rows(scores):
    return [{"id": str(i), "score": float(s)} for i, s in enumerate(scores)]


def test_paired_bootstrap_difference_covers_known_difference():
    rng = np.random.default_rng(11)
    reps, hits = 200, 0
    for i in range(reps):  # true accuracies 0.7 and 0.5: difference 0.2
        a, b = rng.random(80) < 0.7, rng.random(80) < 0.5
        iv = paired_bootstrap_difference(_rows(a), _rows(b), mean_score, n_boot=300, seed=i)
        hits += iv.low <= 0.2 <= iv.high
    assert 0.88 <= hits / reps <= 0.99


def test_paired_bootstrap_is_paired():
    rng = np.random.default_rng(0)
    a = (rng.random(50) < 0.6).astype(float)
    same = paired_bootstrap_difference(_rows(a), _rows(a), mean_score, n_boot=200)
    assert (same.estimate, same.low, same.high) == (0.0, 0.0, 0.0)  # an unpaired bootstrap would be wide
    b = a.copy()
    b[np.flatnonzero(a)[:5]] = 0.0  # source b gets exactly 5 of a's correct examples wrong
    iv = paired_bootstrap_difference(_rows(a), _rows(b), mean_score, n_boot=500, seed=1)
    assert iv.estimate == pytest.approx(5 / 50)
    assert 0.0 <= iv.low < 0.1 < iv.high  # a resample never makes b better than a
    assert iv.n_valid == 500


def test_corpus_span_f1_is_not_a_mean_of_example_f1():
    rows = [
        {"id": "a", "score": 1.0, "tp": 1, "fp": 0, "fn": 0},
        {"id": "b", "score": 0.0, "tp": 0, "fp": 3, "fn": 1},
    ]
    assert corpus_span_f1(rows) == pytest.approx(2 / (2 + 3 + 1))
    assert mean_score(rows) == pytest.approx(0.5)
    assert corpus_span_f1([{"id": "x", "tp": 0, "fp": 0, "fn": 0}]) == 0.0
    assert aggregate_for("panx") is corpus_span_f1 and aggregate_for("xnli") is mean_score


def test_paired_bootstrap_with_corpus_f1():
    a = [{"id": str(i), "tp": 2, "fp": 0, "fn": 0} for i in range(20)]
    b = [dict(r, tp=1, fn=1) if i < 10 else dict(r) for i, r in enumerate(a)]  # half the examples lose a span
    iv = paired_bootstrap_difference(a, b, corpus_span_f1, n_boot=300)
    expected = 1.0 - 2 * 30 / (2 * 30 + 10)
    assert iv.estimate == pytest.approx(expected)
    assert 0 < iv.low <= expected <= iv.high


def test_aggregate_errors_name_the_field_and_task():
    with pytest.raises(DataError, match="'tp'"):
        corpus_span_f1([{"id": "1", "score": 1.0}])
    with pytest.raises(ConfigError, match="nope"):
        aggregate_for("nope")


def test_bootstrap_contrast_strata_and_masks():
    # Stratum 1: difference 0.5 on the masked examples only; stratum 2: difference 0.0.
    a1, b1 = _rows([1, 1, 0, 0]), _rows([0, 1, 0, 0])
    mask = np.array([True, False, False, False])
    a2, b2 = _rows([1, 0, 1]), _rows([1, 0, 1])
    strata = [[[Term(1.0, a1, mask), Term(-1.0, b1, mask)]], [[Term(1.0, a2), Term(-1.0, b2)]]]
    iv = bootstrap_contrast(strata, mean_score, n_boot=200)
    assert iv.estimate == pytest.approx((1.0 + 0.0) / 2)
    # Replicates that draw no masked example are undefined for stratum 1 and dropped.
    assert 0 < iv.n_valid < 200
    with pytest.raises(DataError, match="same examples"):
        bootstrap_contrast([[[Term(1.0, a1), Term(-1.0, a2)]]], mean_score, n_boot=100)


def test_cross_validated_r2():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(30, 2))
    y = 2 * X[:, 0] + 0.1 * rng.normal(size=30)
    res = cross_validated_r2(X, y, ["a", "b"])
    assert res["status"] == "ok" and res["cv"] == "5-fold" and res["r2"] > 0.9
    noise = cross_validated_r2(X, rng.normal(size=30), ["a", "b"])
    assert noise["r2"] < 0.2
    small = cross_validated_r2(X[:8], y[:8], ["a", "b"])
    assert small["cv"] == "leave-one-out" and small["r2"] > 0.8
    few = cross_validated_r2(X[:4], y[:4], ["a", "b"])
    assert few["status"] == "skipped" and "not enough points" in few["reason"]
    const = cross_validated_r2(X, np.ones(30), ["a", "b"])
    assert const["status"] == "skipped" and "constant" in const["reason"]
    with_const_feature = cross_validated_r2(np.c_[X, np.ones(30)], y, ["a", "b", "c"])
    assert with_const_feature["features"] == ["a", "b"]
    for out in (res, noise, small, few, const):
        json.dumps(out, allow_nan=False)
