"""MultiCheckList failure rates of a model's answers, per test and per upstream test case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from xlrobust.errors import DataError
from xlrobust.languages import get_language
from xlrobust.metrics import QA_NORMALIZATIONS, qa_example_scores


def failure_rates(
    cases: Sequence[dict], predictions: Sequence[str], lang: str, *, normalization: str = "squad"
) -> dict[str, dict[str, float | int]]:
    """Per test: ``n``, ``failures``, ``failure_rate`` over QA examples (a prediction fails when its exact
    match against every gold answer is 0 after ``normalization``), plus upstream's per-test-case view:
    ``n_groups``, ``group_failures``, ``group_failure_rate`` (a fill fails when any of its examples fails, as
    CheckList's MFT aggregates in XTREME-R's ``test_models.py``)."""
    get_language(lang)
    if normalization not in QA_NORMALIZATIONS:
        raise DataError(
            f"failure_rates: unknown normalization {normalization!r}; use one of {QA_NORMALIZATIONS}"
        )
    if len(cases) != len(predictions):
        raise DataError(
            f"failure_rates: {len(predictions)} predictions for {len(cases)} cases; they must align one to one"
        )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    group_failed: dict[str, dict[object, bool]] = defaultdict(dict)
    for i, (case, prediction) in enumerate(zip(cases, predictions, strict=True)):
        if not isinstance(prediction, str):
            raise DataError(
                f"failure_rates: prediction {i} is {type(prediction).__name__}, expected a string"
            )
        try:
            test, golds = case["test"], [a["text"] for a in case["answers"]]
        except (KeyError, TypeError):
            raise DataError(
                f"failure_rates: case {i} (id {case.get('id') if isinstance(case, dict) else None!r}) lacks "
                "'test' or 'answers'; pass the cases generate_cases returned"
            ) from None
        failed = qa_example_scores(prediction, golds, normalization, lang)[1] == 0.0
        totals[test][0] += 1
        totals[test][1] += failed
        group = case.get("group", case.get("id", i))
        group_failed[test][group] = group_failed[test].get(group, False) or failed
    out: dict[str, dict[str, float | int]] = {}
    for test in sorted(totals):
        n, failures = totals[test]
        groups = group_failed[test]
        n_groups, group_failures = len(groups), sum(groups.values())
        out[test] = {
            "n": n,
            "failures": failures,
            "failure_rate": failures / n,
            "n_groups": n_groups,
            "group_failures": group_failures,
            "group_failure_rate": group_failures / n_groups,
        }
    return out
