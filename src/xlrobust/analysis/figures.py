"""A task's figures (PNG, embedded in the report) and the data files ``dvc plots`` draws (CSV)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xlrobust.analysis import plots, report
from xlrobust.analysis.common import CORR_OUTCOMES
from xlrobust.analysis.loading import TaskData
from xlrobust.io import write_bytes, write_text
from xlrobust.tasks import get_task


@dataclass(frozen=True)
class PlotSpec:
    """A data file and the fields a ``dvc plots`` definition should use."""

    path: str
    x: str
    y: str
    template: str
    title: str


def _chance(task: str) -> float | None:
    """Chance level of the primary metric: 1/classes for a classification task, none for span tasks."""
    choices = get_task(task).choices
    return 1 / len(choices) if choices else None


def task_figures(
    task: str,
    td: TaskData,
    scores: pd.DataFrame,
    fam: pd.DataFrame,
    robust: pd.DataFrame,
    pairs: pd.DataFrame,
    diffs: pd.DataFrame,
    seed_diffs: pd.DataFrame,
    features: Sequence[str],
    plots_dir: Path,
    md_dir: Path,
    *,
    signal: bool = True,
) -> tuple[list[report.Figure], list[PlotSpec]]:
    """Write the task's ``dvc plots`` data files (always, so every plot in dvc.yaml has its file) and, when the
    task has signal, its PNG figures: the question's figure (per target, source difference on clean and on
    perturbed inputs), heatmaps on a fixed [0, 1] scale, drop by family with counts and intervals, outcomes
    against features, and the source-difference forest. Without signal (every run degenerate, see
    :mod:`xlrobust.analysis.health`) no PNG is drawn; the report says why in one sentence."""
    figs, specs = [], []

    def emit(name: str, png: bytes, caption: str) -> None:
        path = plots_dir / f"{task}-{name}.png"
        write_bytes(path, png)
        figs.append(report.Figure(caption, png, Path(_relpath(path, md_dir)).as_posix()))

    def data(name: str, frame: pd.DataFrame, x: str, y: str, template: str, title: str) -> None:
        path = plots_dir / f"{task}-{name}.csv"
        write_text(path, frame.to_csv(index=False, float_format="%.4f"))
        specs.append(PlotSpec(str(path), x, y, template, title))

    chance = _chance(task)
    cells = scores[["task", "source", "target", "clean", "clean_changed", "adv"]]
    cells = cells.rename(columns={"adv": "perturbed"})
    long_cells = cells.melt(id_vars=["task", "source", "target"], var_name="condition", value_name="score")
    long_cells["in_language"] = long_cells["source"] == long_cells["target"]
    long_cells["chance"] = chance
    data("scores", long_cells, "target", "source", "heatmap", f"{task}: {td.metric} per source and target")
    question = pd.DataFrame(columns=["task", "target", "outcome", "diff", "ci_low", "ci_high", "reason"])
    if not diffs.empty:
        q = diffs[diffs["outcome"].isin(["clean", "adv"])].copy()
        q["outcome"] = q["outcome"].map(
            {"clean": "clean inputs", "adv": "perturbed inputs (changed examples)"}
        )
        q["target"] = q["unit"].where(q["kind"] == "target", q["unit"].str.replace("_", "-") + " (mean)")
        q["label"] = q["target"]
        question = q[
            [
                "task",
                "source",
                "reference",
                "target",
                "label",
                "outcome",
                "diff",
                "ci_low",
                "ci_high",
                "reason",
            ]
        ]
    data("question", question, "diff", "target", "question", f"{task}: source difference, clean vs perturbed")
    fam_rows = fam.copy()
    fam_rows["label"] = (
        fam_rows["family"]
        + " ("
        + fam_rows["n_changed"].astype(str)
        + " changed, "
        + fam_rows["n_targets"].astype(str)
        + " targets)"
    )
    data("drop-by-family", fam_rows, "drop", "label", "drop_family", f"{task}: drop per perturbation family")
    data(
        "robustness", robust, "target", "family", "counts", f"{task}: changed examples per target and family"
    )
    data(
        "pairs", pairs, features[0] if features else "source", "clean", "scatter", f"{task}: clean vs feature"
    )
    long = pairs.melt(
        id_vars=["pair", "source", *CORR_OUTCOMES],
        value_vars=[f for f in features if f in pairs],
        var_name="feature",
        value_name="feature_value",
    )
    data(
        "features-long",
        long[["feature", "source", "pair", "feature_value", *CORR_OUTCOMES]],
        "feature_value",
        "clean",
        "scatter_feature",
        f"{task}: zero-shot outcome against each feature",
    )
    if not diffs.empty:
        forest_rows = diffs[["source", "label", "diff", "ci_low", "ci_high", "reason"]].copy()
        forest_rows["label"] = forest_rows["source"] + " - " + diffs["reference"] + " " + forest_rows["label"]
        seed_rows = seed_diffs[["seed", "label", "diff"]].copy()
        seed_rows["label"] = seed_diffs["source"] + " - " + seed_diffs["reference"] + " " + seed_rows["label"]
        data("source-diffs", forest_rows, "diff", "label", "forest", f"{task}: source differences")
        data("seed-diffs", seed_rows, "diff", "label", "strip", f"{task}: source differences per seed")
    if not signal:
        return figs, specs
    if not question.empty and question["diff"].notna().any():
        who = f"{', '.join(sorted(set(question['source'])))} minus {question['reference'].iloc[0]}"
        emit(
            "question",
            plots.interval_rows(
                question.dropna(subset=["diff"]),
                f"{task}: {who}",
                f"difference in {td.metric}",
                series="outcome",
            ),
            f"{task}: the question's figure: per zero-shot target, source minus reference on clean inputs and on "
            "perturbed inputs (score on the changed examples), with 95% paired bootstrap intervals",
        )
    grids = [
        (name, cells.pivot(index="source", columns="target", values=col).reindex(td.sources)[td.targets])
        for col, name in (
            ("clean", "clean (all examples)"),
            ("clean_changed", "clean, changed examples"),
            ("perturbed", "perturbed, changed examples"),
        )
    ]
    emit(
        "heatmaps",
        plots.heatmaps(
            grids, f"{task}: {td.metric} per source (rows) and target (columns)", td.metric, chance
        ),
        f"{task}: {td.metric} on one [0, 1] scale; red outline: in-language (source = target)"
        + (f"; red line on the colour bar and hatched cells: chance ({chance:.3f})" if chance else "")
        + "; the middle and right panels are the same changed examples, clean and perturbed (mean over families)",
    )
    shown = fam_rows.dropna(subset=["drop"])
    if not shown.empty:
        shown = shown.assign(
            diff=shown["drop"],
            label=shown["family"],
            series=shown["source"].map(lambda x: f"fine-tuned on {x}"),
            note=[
                f"{c} changed, {k} targets"
                for c, k in zip(shown["n_changed"], shown["n_targets"], strict=True)
            ],
        )
        emit(
            "drop-by-family",
            plots.interval_rows(
                shown,
                f"{task}: drop per perturbation family",
                f"drop in {td.metric} (clean minus perturbed, changed examples)",
                series="series",
            ),
            f"{task}: drop per family over the zero-shot targets where it changed at least {td.min_changed} "
            "examples (counts in the labels), 95% bootstrap intervals",
        )
    varying = [f for f in features if f in pairs.columns and pairs[f].nunique(dropna=True) > 1]
    constant = [f for f in features if f in pairs.columns and f not in varying]
    for outcome in CORR_OUTCOMES:
        if varying and pairs[outcome].notna().any():
            emit(
                f"{outcome}-vs-features",
                plots.scatter_grid(pairs, varying, outcome, f"{task}: {outcome} vs features"),
                f"{task}: zero-shot {outcome} against each feature, coloured by source, least-squares line where "
                "both vary" + (f"; constant here, not drawn: {', '.join(constant)}" if constant else ""),
            )
    if not diffs.empty and diffs["diff"].notna().any():
        several = len(td.seeds) > 1
        emit(
            "forest",
            plots.forest(
                forest_rows,
                f"{task}: source differences",
                f"difference in {td.metric}",
                seed_points=seed_rows if several else None,
            ),
            f"{task}: source minus reference with 95% paired bootstrap intervals"
            + (f" (grey marks: each of the {len(td.seeds)} fine-tuning seeds alone)" if several else ""),
        )
    return figs, specs


def _relpath(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())
