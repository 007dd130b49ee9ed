"""The report document: the answer first (see :mod:`xlrobust.analysis.answer`), degenerate runs, robustness
with counts, coverage, seed spread, strongest features, mean scores, figures and caveats, as a
:class:`~xlrobust.analysis.report.Document`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from xlrobust.analysis import report
from xlrobust.analysis.answer import DEFINITIONS, answer_blocks, robustness_rows, run_configuration
from xlrobust.analysis.common import OUTCOMES, fmt
from xlrobust.analysis.coverage import Coverage
from xlrobust.analysis.health import ALPHA as HEALTH_ALPHA
from xlrobust.analysis.health import MAJORITY_MAX, MALFORMED_MAX, NO_SIGNAL, flag_rows, task_blocked
from xlrobust.analysis.loading import TaskData
from xlrobust.analysis.provenance import Provenance
from xlrobust.analysis.scores import spread
from xlrobust.analysis.summary import seed_means

__all__ = ["build_document", "run_configuration"]

ALPHA = 0.05


def _no_comparison(cov: Coverage, reference: str) -> str | None:
    """Why a task has no source-difference block (no source to compare with the reference), or None."""
    if cov.skipped:
        return f"{cov.task}: not analysed: {cov.skipped}."
    if reference not in cov.sources:
        why = cov.source_reasons.get(reference, "not among the sources")
        return (
            f"{cov.task}: no source difference, because the reference source {reference} is left out ({why})."
        )
    if len(cov.sources) == 1:
        others = "; ".join(f"{s}: {r}" for s, r in cov.source_reasons.items())
        return (
            f"{cov.task}: only {reference} has results, so no source difference ({others})."
            if others
            else f"{cov.task}: only one source ({reference}) was evaluated: no comparison is possible."
        )
    return None


def _pair_list(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{s}->{t}" for s, t in pairs)


def coverage_blocks(coverage: Mapping[str, Coverage]) -> list[report.Block]:
    """Which (source, target) pairs each task analyses, and the left-out ones grouped by reason."""
    bullets, rows = [], []
    for task, cov in coverage.items():
        if cov.skipped:
            bullets.append(f"{task}: not analysed: {cov.skipped}.")
        else:
            bullets.append(
                f"{task}: {len(cov.sources) * len(cov.targets)} (source, target) pairs analysed: sources "
                f"{', '.join(cov.sources)}; targets {', '.join(cov.targets)}; {len(cov.left_out)} left out."
            )
        by_reason: dict[str, list[tuple[str, str]]] = {}
        for s, t, reason in cov.left_out:
            by_reason.setdefault(reason, []).append((s, t))
        rows += [[task, _pair_list(pairs), reason] for reason, pairs in by_reason.items()]
    blocks: list[report.Block] = [report.Bullets(bullets)]
    if rows:
        blocks.append(report.Table(["task", "pairs left out", "reason"], rows))
    return blocks


def seed_spread_blocks(
    tds: Mapping[str, TaskData], seed_scores: pd.DataFrame, diffs: pd.DataFrame
) -> list[report.Block]:
    """The fine-tuning seed spread: per task and source the mean zero-shot score of each seed, and per group
    difference the per-seed estimates; with one seed, a line saying training randomness is not measured."""
    seeds = sorted({seed for td in tds.values() for seed in td.seeds})
    if len(seeds) < 2:
        return [
            report.Paragraph(
                f"One fine-tuning seed per (task, source) (seed {', '.join(map(str, seeds))}): the intervals "
                "cover test-set sampling only, and training randomness is not measured. List several seeds in "
                "params.yaml (`seeds: [13, 14, 15]`) to add the spread across seeds."
            )
        ]
    rows = []
    for task, td in tds.items():
        sub = seed_scores[seed_scores["task"] == task]
        for s in td.sources:
            for outcome in OUTCOMES:
                per = seed_means(sub, outcome, s)
                if per.empty:
                    continue
                sp = spread(list(per))
                rows.append(
                    [
                        task,
                        f"{s} {outcome} (mean zero-shot)",
                        ", ".join(fmt(v) for v in per),
                        fmt(sp["seed_sd"]),
                        f"[{fmt(sp['seed_min'])}, {fmt(sp['seed_max'])}]",
                    ]
                )
    groups = diffs[diffs["kind"] == "group"] if not diffs.empty else diffs
    for _, r in groups.iterrows():
        rows.append(
            [
                r["task"],
                f"{r['source']} - {r['reference']} {r['outcome']}: {r['unit']}",
                f"mean {fmt(r['diff'], True)}",
                fmt(r["seed_sd"]),
                f"[{fmt(r['seed_min'], True)}, {fmt(r['seed_max'], True)}]",
            ]
        )
    return [
        report.Paragraph(
            f"{len(seeds)} fine-tuning seeds per (task, source) ({', '.join(map(str, seeds))}). Estimates above "
            "are means over the seeds of each seed's estimate; the spread below is across seeds (sample SD, min "
            "and max), with differences pairing the source's and the reference's runs of the same seed."
        ),
        report.Table(["task", "estimate", "per seed", "seed SD", "seed range"], rows),
    ]


def _fmt_p(p: float | None) -> str:
    if p is None or p != p:
        return "n/a"
    return f"{p:.4f}" if p >= 1e-4 else f"{p:.1e}"


def _fmt_corr(r: pd.Series) -> str:
    return (
        f"{r['feature']} vs {r['outcome']} r={r['pearson_r']:+.2f} "
        f"[{fmt(r['ci_low'], True)}, {fmt(r['ci_high'], True)}], crossed Holm p={_fmt_p(r['p_crossed_holm'])} "
        f"(naive {_fmt_p(r['p_holm'])}), n={r['n']}"
    )


def _strongest(corr: pd.DataFrame, task: str) -> str:
    sub = corr[(corr["task"] == task) & corr["pearson_r"].notna()].copy()
    if sub.empty:
        return f"{task}: no correlation could be computed (see reasons in correlations.csv)."
    sub["abs_r"] = sub["pearson_r"].abs()
    # "Survives correction" uses the dependence-aware p-value (pairs share languages; the naive one is
    # optimistic: benchmarks/RESULTS.md section 10).
    sig = sub[sub["p_crossed_holm"].astype(float) < ALPHA].sort_values("abs_r", ascending=False)
    if not sig.empty:
        return (
            f"{task}: after Holm correction of the crossed permutation test: "
            + "; ".join(_fmt_corr(r) for _, r in sig.head(5).iterrows())
            + "."
        )
    top = sub.sort_values("abs_r", ascending=False).head(3)
    return (
        f"{task}: no feature survives Holm correction of the crossed permutation test at {ALPHA}; largest |r|: "
        + "; ".join(_fmt_corr(r) for _, r in top.iterrows())
        + "."
    )


def _no_signal_sentence(task: str, td: TaskData, flags: Mapping[tuple[str, int], list[str]]) -> str:
    kinds = sorted({p.split(" (")[0].split(" in ")[0] for ps in flags.values() for p in ps})
    return (
        f"{task}: no figures: every run is degenerate ({'; '.join(kinds)}; see Degenerate "
        "runs), so the plots would show noise only."
    )


def build_document(
    tds: Mapping[str, TaskData],
    summary: dict[str, Any],
    tables: Mapping[str, pd.DataFrame],
    figures: Sequence[report.Figure],
    *,
    coverage: Mapping[str, Coverage],
    reference: str,
    low_resource: Sequence[str],
    n_boot: int,
    smoke_scale: bool,
    smoke_notes: Sequence[str] = (),
    flags: Mapping[str, Mapping[tuple[str, int], list[str]]] | None = None,
    robustness: Mapping[str, pd.DataFrame] | None = None,
    run_config: list[list[str]] | None = None,
    prov: Provenance | None = None,
) -> report.Document:
    """The report: the answer first (verdicts, table with intervals, run configuration), then per-target
    differences, degenerate runs, robustness with counts, coverage, seed spread, strongest features, mean
    scores, figures, caveats. ``coverage`` holds every task asked for; ``tds`` only the analysed ones."""
    flags = flags or {}
    robustness = robustness or {}
    diffs = tables["source_diffs"]
    doc = report.Document("Does the fine-tuning language change zero-shot transfer and robustness?")
    doc.add(report.Contents())
    if smoke_scale:
        doc.add(
            report.Callout(
                "SMOKE SCALE: these numbers come from a tiny model trained for minutes on generated data. They test "
                "the machinery end to end; they are not the paper's results and say nothing about mT5."
                + "".join(" " + note for note in smoke_notes)
            )
        )
    blocks = answer_blocks(tds, diffs, reference, run_config or [], prov)
    no_comparison = [why for task, cov in coverage.items() if (why := _no_comparison(cov, reference))]
    if no_comparison:
        blocks.insert(2, report.Bullets(no_comparison))
    doc.add(*blocks)
    doc.add(
        report.Paragraph(
            f"Differences are source minus {reference} in the task's primary metric, averaged over the zero-shot "
            f"targets of the group (low-resource: {', '.join(low_resource)}); intervals are 95% paired percentile "
            f"bootstraps over test examples ({n_boot} replicates)."
            + (
                " With several fine-tuning seeds, each estimate is the mean of the per-seed estimates, and every "
                "bootstrap replicate applies one resample of the test examples to all seeds."
                if any(len(td.seeds) > 1 for td in tds.values())
                else ""
            )
        )
    )
    doc.add(report.Heading("Degenerate runs"))
    flag_table = [row for task, td in tds.items() for row in flag_rows(td, flags.get(task, {}))]
    doc.add(
        report.Paragraph(
            f"A run (task, source, seed) is flagged, over all its targets, when it is at chance (classification: accuracy not above 1/classes, "
            f"one-sided binomial test at {HEALTH_ALPHA}; span tasks: score below {NO_SIGNAL}), writes one output "
            f"for more than {MAJORITY_MAX:.0%} of the examples, or more than {MALFORMED_MAX:.0%} of its outputs "
            "are malformed. Comparisons involving a flagged run are not estimated."
        )
    )
    doc.add(
        report.Table(["task", "source", "seed", "checks failed (over all targets)"], flag_table)
        if flag_table
        else report.Paragraph("No run is flagged.")
    )
    doc.add(report.Heading("Robustness"))
    doc.add(report.Bullets(DEFINITIONS[:-1]))
    for task, td in tds.items():
        doc.add(report.Heading(f"{task}: robustness per target and family", level=3))
        doc.add(
            report.Paragraph(
                f"Families that ran: {', '.join(td.families) or 'none'}. A family needs at least {td.min_changed} "
                "changed examples on a target (params perturbations.min_changed) for its drop to be reported."
            )
        )
        if task in robustness:
            doc.add(robustness_rows(robustness[task], td.sources))
    doc.add(report.Heading("Coverage"))
    doc.add(*coverage_blocks(coverage))
    if prov is not None and prov.rows():
        doc.add(
            report.Paragraph(
                "Training and evaluation data per task and language, from metrics/coverage/ (train: examples "
                "used of those available, after data.equal_train_size; target: the evaluation split):"
            ),
            report.Table(["task", "language", "role", "examples", "dataset (provenance)"], prov.rows()),
        )
    doc.add(report.Heading("Seed spread"))
    doc.add(*seed_spread_blocks(tds, tables["seed_scores"], diffs))
    doc.add(report.Heading("Strongest features"))
    corr = tables["correlations"]
    doc.add(report.Bullets([_strongest(corr, task) for task in tds]))
    doc.add(report.Heading("Mean zero-shot scores per source"))
    rows = []
    for task, td in tds.items():
        for s in td.sources:
            rows.append(
                [task, s]
                + [
                    fmt(summary[task][o].get(f"src_{s}"))
                    for o in ("clean", "clean_changed", "perturbed", "drop")
                ]
            )
    doc.add(report.Table(["task", "source", "clean", "clean (changed)", "perturbed", "drop"], rows))
    for task in tds:
        cv = summary[task]["cv_r2"]
        doc.add(
            report.Paragraph(
                f"{task}: cross-validated R² of a standardised ridge regression of the outcome on the pair "
                "features: "
                + "; ".join(f"{o} {fmt(v)}" for o, v in cv.items())
                + " (details and reasons in correlations.csv)."
            )
        )
    doc.add(report.Heading("Figures"))
    silent = [
        _no_signal_sentence(task, td, flags.get(task, {}))
        for task, td in tds.items()
        if task_blocked(td, flags.get(task, {}))
    ]
    if silent:
        doc.add(report.Bullets(silent))
    doc.add(*figures)
    doc.add(report.Heading("Caveats"))
    n_ex = tables["scores"]["n"]
    pairs_n = corr.groupby(["task", "outcome"])["n"].max()
    n_seeds = max(len(td.seeds) for td in tds.values())
    training = (
        "not training randomness (one fine-tuning run per source)"
        if n_seeds == 1
        else f"not training randomness, which the seed spread over {n_seeds} fine-tuning seeds shows separately"
    )
    doc.add(
        report.Bullets(
            [
                f"Test examples per (source, target): {int(n_ex.min())} to {int(n_ex.max())}; intervals reflect test-set "
                f"sampling only, {training}.",
                f"Correlations use {int(pairs_n.min()) if len(pairs_n) else 0} to {int(pairs_n.max()) if len(pairs_n) else 0} "
                "zero-shot (source, target) pairs per task; pairs sharing a source or target are not independent, so "
                "the naive p-values are optimistic. Which feature survives correction is decided by a Mantel-style "
                "permutation test that permutes target languages jointly across sources (p_crossed in "
                "correlations.csv), Holm-adjusted within each task and outcome.",
                "What the statistics cover: the 95% intervals are paired percentile bootstraps over test examples for "
                "the trained models at hand, measured at 93-97% coverage; the crossed test holds its 5% level where "
                "the naive one reached 13-24% family-wise error (benchmarks/RESULTS.md, section 10).",
                "URIEL distances are angular distances over the features both languages have (urielplus); genetic "
                "distance is 1.0 for every pair from different families, so it is coarse.",
                "Smoke scale: yes, see the notice above." if smoke_scale else "Smoke scale: no.",
            ]
        )
    )
    return doc
