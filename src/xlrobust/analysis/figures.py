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


@dataclass(frozen=True)
class PlotSpec:
    """A data file and the fields a ``dvc plots`` definition should use."""

    path: str
    x: str
    y: str
    template: str
    title: str


def task_figures(
    task: str,
    td: TaskData,
    scores: pd.DataFrame,
    fam: pd.DataFrame,
    pairs: pd.DataFrame,
    diffs: pd.DataFrame,
    seed_diffs: pd.DataFrame,
    features: Sequence[str],
    plots_dir: Path,
    md_dir: Path,
) -> tuple[list[report.Figure], list[PlotSpec]]:
    figs, specs = [], []

    def emit(name: str, png: bytes, caption: str) -> None:
        path = plots_dir / f"{task}-{name}.png"
        write_bytes(path, png)
        figs.append(report.Figure(caption, png, Path(_relpath(path, md_dir)).as_posix()))

    def data(name: str, frame: pd.DataFrame, x: str, y: str, template: str, title: str) -> None:
        path = plots_dir / f"{task}-{name}.csv"
        write_text(path, frame.to_csv(index=False, float_format="%.4f"))
        specs.append(PlotSpec(str(path), x, y, template, title))

    data("scores", scores, "target", "source", "heatmap_clean", f"{task}: clean score per pair")
    for outcome in ("clean", "adv"):
        grid = scores.pivot(index="source", columns="target", values=outcome).reindex(td.sources)[td.targets]
        if grid.notna().any().any():
            emit(
                f"heatmap-{outcome}",
                plots.heatmap(grid, f"{task}: {outcome} {td.metric}", td.metric),
                f"{task}: {outcome} {td.metric} per source (rows) and target (columns)",
            )
    if not fam.empty:
        emit(
            "drop-by-family",
            plots.grouped_bars(
                fam.pivot(index="family", columns="source", values="drop"),
                f"{task}: drop per perturbation",
                f"drop in {td.metric}",
            ),
            f"{task}: mean drop over zero-shot targets per perturbation family and source",
        )
        data("drop-by-family", fam, "drop", "label", "bar_horizontal", f"{task}: drop per perturbation")
    feats = [f for f in features if f in pairs.columns]
    for outcome in CORR_OUTCOMES:
        if pairs[outcome].notna().any():
            emit(
                f"{outcome}-vs-features",
                plots.scatter_grid(pairs, feats, outcome, f"{task}: {outcome} vs features"),
                f"{task}: zero-shot {outcome} against each feature, least-squares line",
            )
    data("pairs", pairs, feats[0] if feats else "source", "clean", "scatter", f"{task}: clean vs feature")
    long = pairs.melt(id_vars=["pair", *CORR_OUTCOMES], value_vars=feats, var_name="feature", value_name="value")
    data("features-long", long[["feature", "pair", "value", *CORR_OUTCOMES]], "value", "clean", "scatter_fit",
         f"{task}: zero-shot outcome against each feature")
    if not diffs.empty:
        forest_rows = diffs[["source", "label", "diff", "ci_low", "ci_high"]].copy()
        forest_rows["label"] = forest_rows["source"] + " - " + diffs["reference"] + " " + forest_rows["label"]
        seed_rows = seed_diffs[["seed", "label", "diff"]].copy()
        seed_rows["label"] = seed_diffs["source"] + " - " + seed_diffs["reference"] + " " + seed_rows["label"]
        several = len(td.seeds) > 1
        emit(
            "forest",
            plots.forest(forest_rows, f"{task}: source differences", f"difference in {td.metric}",
                         seed_points=seed_rows if several else None),
            f"{task}: source minus reference with 95% paired bootstrap intervals"
            + (f" (grey marks: each of the {len(td.seeds)} fine-tuning seeds alone)" if several else ""),
        )
        data("source-diffs", forest_rows, "diff", "label", "forest", f"{task}: source differences")
        data("seed-diffs", seed_rows, "diff", "label", "strip", f"{task}: source differences per seed")
    return figs, specs


def _relpath(path: Path, start: Path) -> str:
    return os.path.relpath(path.resolve(), start.resolve())
