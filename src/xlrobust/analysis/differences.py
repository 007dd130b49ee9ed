"""Source differences: each source minus the reference source per zero-shot target and target group, with
paired stratified bootstrap intervals over test examples and the per-seed estimates behind the seed spread."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from xlrobust.analysis.common import OUTCOMES, seed_for
from xlrobust.analysis.health import comparison_blocker
from xlrobust.analysis.loading import TaskData
from xlrobust.analysis.scores import outcome_terms, spread
from xlrobust.paired_bootstrap import Term, bootstrap_contrast, contrast_value
from xlrobust.stats import Interval

# Column orders, so a table without rows (e.g. no task has a source to compare) is still a CSV with a header.
DIFF_COLUMNS: tuple[str, ...] = (
    "task",
    "source",
    "reference",
    "outcome",
    "unit",
    "kind",
    "targets",
    "label",
    "diff",
    "ci_low",
    "ci_high",
    "reason",
    "n_seeds",
    "seed_sd",
    "seed_min",
    "seed_max",
)
SEED_DIFF_COLUMNS: tuple[str, ...] = (
    "task",
    "source",
    "reference",
    "outcome",
    "unit",
    "seed",
    "label",
    "diff",
)


def _difference_strata(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str, seed: int | None = None
) -> list[list[list[Term]]]:
    strata = []
    for t in targets:
        comps = [
            a + b
            for a, b in zip(
                outcome_terms(td, source, t, outcome, 1.0, seed),
                outcome_terms(td, reference, t, outcome, -1.0, seed),
                strict=True,
            )
        ]
        if comps:
            strata.append(comps)
    return strata


def seed_differences(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str
) -> dict[int, float | None]:
    """The point estimate of :func:`source_difference` from each seed's rows alone (seed k of the source against
    seed k of the reference)."""
    out: dict[int, float | None] = {}
    for seed in td.seeds:
        strata = _difference_strata(td, source, reference, targets, outcome, seed)
        out[seed] = contrast_value(strata, td.aggregate) if strata else None
    return out


def source_difference(
    td: TaskData, source: str, reference: str, targets: Sequence[str], outcome: str, *, n_boot: int, seed: int
) -> Interval:
    """outcome(source) - outcome(reference), averaged over ``targets``, with a paired (per target) stratified
    bootstrap interval over test examples (of the seed-averaged rows)."""
    strata = _difference_strata(td, source, reference, targets, outcome)
    if not strata:
        return Interval(None, None, None, n_boot, 0, f"no target with data for {outcome}")
    rng = seed_for(seed, td.task, source, reference, outcome, *targets)
    return bootstrap_contrast(strata, td.aggregate, n_boot=n_boot, seed=rng)


def difference_table(
    td: TaskData,
    reference: str,
    low_resource: Sequence[str],
    *,
    n_boot: int,
    seed: int,
    flags: Mapping[tuple[str, int], list[str]] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every non-reference source against the reference: per zero-shot target and for the low-resource and all
    groups (targets equal to either source are excluded, they are not zero-shot for both). Returns the table
    (seed-averaged estimate, interval, seed spread) and the per-seed estimates behind the spread. A unit where
    either source is degenerate (``flags``, :func:`xlrobust.analysis.health.run_flags`) gets no estimate, and
    its ``reason`` says "no comparison possible: ..."."""
    rows, seed_rows = [], []
    for s in td.sources:
        if s == reference:
            continue
        zero_shot = [t for t in td.targets if t not in (s, reference)]
        groups = {"low_resource": [t for t in zero_shot if t in low_resource], "all": zero_shot}
        units = [(t, "target", [t]) for t in zero_shot] + [(g, "group", ts) for g, ts in groups.items()]
        for outcome in OUTCOMES:
            if outcome != "clean" and not td.families:
                continue
            for label, kind, ts in units:
                if not ts:
                    continue
                blocked = comparison_blocker(td, flags or {}, s, reference)
                if blocked:
                    rows.append(
                        {
                            "task": td.task,
                            "source": s,
                            "reference": reference,
                            "outcome": outcome,
                            "unit": label,
                            "kind": kind,
                            "targets": " ".join(ts),
                            "label": f"{outcome}: {label}",
                            "reason": blocked,
                            "n_seeds": len(td.seeds),
                        }
                    )
                    seed_rows += [
                        {
                            "task": td.task,
                            "source": s,
                            "reference": reference,
                            "outcome": outcome,
                            "unit": label,
                            "seed": k,
                            "label": f"{outcome}: {label}",
                            "diff": None,
                        }
                        for k in td.seeds
                    ]
                    continue
                iv = source_difference(td, s, reference, ts, outcome, n_boot=n_boot, seed=seed)
                per_seed = seed_differences(td, s, reference, ts, outcome)
                seed_rows += [
                    {
                        "task": td.task,
                        "source": s,
                        "reference": reference,
                        "outcome": outcome,
                        "unit": label,
                        "seed": k,
                        "label": f"{outcome}: {label}",
                        "diff": v,
                    }
                    for k, v in per_seed.items()
                ]
                rows.append(
                    {
                        "task": td.task,
                        "source": s,
                        "reference": reference,
                        "outcome": outcome,
                        "unit": label,
                        "kind": kind,
                        "targets": " ".join(ts),
                        "label": f"{outcome}: {label}",
                        **iv.to_dict(),
                        "reason": iv.reason or "",
                        "n_seeds": len(td.seeds),
                        **spread(list(per_seed.values())),
                    }
                )
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS)), pd.DataFrame(
        seed_rows, columns=list(SEED_DIFF_COLUMNS)
    )
