"""Figures for the correlate stage, rendered with matplotlib (Agg, no display) to PNG bytes.

Each figure has a data file next to it (CSV) so ``dvc plots`` can draw the same numbers; the PNGs are embedded in
the HTML report. Functions take tidy pandas frames and return PNG bytes; they never write files themselves.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

_DPI = 110


def _png(fig: plt.Figure) -> bytes:
    """Serialise and close ``fig``; no software/date metadata so the bytes are reproducible."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _text_colour(rgba: Sequence[float]) -> str:
    """Black or white, whichever reads better on a cell of colour ``rgba`` (relative luminance, WCAG)."""
    lum = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
    return "black" if lum > 0.45 else "white"


def heatmaps(
    tables: Sequence[tuple[str, pd.DataFrame]], title: str, value_label: str, chance: float | None = None
) -> bytes:
    """Source (rows) x target (columns) heatmaps side by side on one fixed [0, 1] colour scale, value in every
    cell (missing cells blank), in-language cells (source = target) outlined, ``chance`` marked on the colour
    bar and cells at or below it hatched."""
    first = tables[0][1]
    width = 0.62 * first.shape[1] + 1.3
    fig, axes = plt.subplots(
        1, len(tables), figsize=(width * len(tables) + 1.2, 0.5 * first.shape[0] + 1.9), squeeze=False
    )
    cmap = plt.get_cmap("viridis")
    im = None
    for ax, (name, table) in zip(axes[0], tables, strict=True):
        values = table.to_numpy(dtype=float)
        im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
        ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
        ax.set_xlabel("target language")
        ax.set_title(name, fontsize=10)
        for i, src in enumerate(table.index):
            for j, tgt in enumerate(table.columns):
                v = values[i, j]
                if src == tgt:
                    ax.add_patch(
                        plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2)
                    )
                if not np.isfinite(v):
                    continue
                if chance is not None and v <= chance + 1e-9:
                    ax.add_patch(
                        plt.Rectangle(
                            (j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="grey", linewidth=0
                        )
                    )
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color=_text_colour(cmap(v)))
    axes[0][0].set_ylabel("fine-tuning (source) language")
    bar = fig.colorbar(im, ax=list(axes[0]), label=value_label, fraction=0.04)
    if chance is not None:
        bar.ax.axhline(chance, color="red", linewidth=2)
        bar.ax.text(
            1.6,
            chance,
            "chance",
            color="red",
            va="center",
            fontsize=8,
            transform=bar.ax.get_yaxis_transform(),
        )
    fig.suptitle(title, y=1.04)
    return _png(fig)


def interval_rows(data: pd.DataFrame, title: str, value_label: str, series: str | None = None) -> bytes:
    """Point estimates with 95% intervals, one row per ``label`` (and one marker per ``series`` value, offset
    so the series sit side by side); ``ci_low``/``ci_high`` may be missing (no interval drawn); an optional
    ``note`` column is written right of each interval (e.g. its counts)."""
    labels = list(dict.fromkeys(data["label"]))
    groups = [(None, data)] if series is None else list(data.groupby(series, sort=False))
    fig, ax = plt.subplots(figsize=(6.4, 0.36 * max(1, len(labels)) * max(1, len(groups) / 1.5) + 1.3))
    y_of = {lb: len(labels) - 1 - k for k, lb in enumerate(labels)}
    for g, (name, sub) in enumerate(groups):
        off = (g - (len(groups) - 1) / 2) * 0.25
        y = np.array([y_of[lb] for lb in sub["label"]]) + off
        d = sub["diff"].to_numpy(dtype=float)
        has = sub["ci_low"].notna() & sub["ci_high"].notna()
        lo = (sub["diff"] - sub["ci_low"]).where(has, 0).to_numpy(dtype=float)
        hi = (sub["ci_high"] - sub["diff"]).where(has, 0).to_numpy(dtype=float)
        bars = ax.errorbar(d, y, xerr=[lo, hi], fmt="o", capsize=3, label=None if name is None else str(name))
        if "note" in sub.columns:
            right = sub["ci_high"].where(has, sub["diff"]).to_numpy(dtype=float)
            for xr, yy, note in zip(right, y, sub["note"], strict=True):
                ax.annotate(
                    str(note),
                    (xr, yy),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    color=bars[0].get_color(),
                )
    ax.axvline(0, color="black", linewidth=0.8, linestyle="--")
    ax.set_yticks([y_of[lb] for lb in labels], labels)
    ax.set_xlabel(value_label)
    if series is not None:
        ax.legend(fontsize="small", loc="best")
    ax.set_title(title)
    return _png(fig)


def scatter_grid(pairs: pd.DataFrame, features: Sequence[str], y: str, title: str) -> bytes:
    """One panel per feature that varies: ``y`` against the feature, points coloured by source, least-squares
    line where both vary over three or more points (a constant feature has no panel; the caption names it)."""
    features = [f for f in features if f in pairs.columns and pairs[f].nunique(dropna=True) > 1]
    ncol = min(3, max(1, len(features)))
    nrow = max(1, -(-len(features) // ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 3.0 * nrow), squeeze=False)
    for ax, feat in zip(axes.flat, features, strict=False):
        data = pairs[[feat, y, "source"]].dropna()
        xs, ys = data[feat].to_numpy(dtype=float), data[y].to_numpy(dtype=float)
        for src, group in data.groupby("source", sort=True):
            ax.scatter(group[feat], group[y], s=18, label=str(src))
        if len(xs) >= 3 and np.ptp(xs) > 0 and np.ptp(ys) > 0:
            slope, intercept = np.polyfit(xs, ys, 1)
            grid = np.linspace(xs.min(), xs.max(), 50)
            ax.plot(grid, slope * grid + intercept, color="black", linewidth=1)
        ax.set_xlabel(feat)
        ax.set_ylabel(y)
    for ax in list(axes.flat)[len(features) :]:
        ax.axis("off")
    if features:
        axes.flat[0].legend(title="source", fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return _png(fig)


def forest(
    intervals: pd.DataFrame, title: str, value_label: str, seed_points: pd.DataFrame | None = None
) -> bytes:
    """Forest plot: one row per ``label`` with the estimate ``diff`` and its [ci_low, ci_high] interval; with
    ``seed_points`` (columns label, diff), each fine-tuning seed's own estimate as a small grey mark."""
    data = intervals.dropna(subset=["diff"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(6.0, 0.32 * max(1, len(data)) + 1.2))
    y = np.arange(len(data))[::-1]
    has_ci = data["ci_low"].notna() & data["ci_high"].notna()
    lo = (data["diff"] - data["ci_low"]).where(has_ci, 0).to_numpy(dtype=float)
    hi = (data["ci_high"] - data["diff"]).where(has_ci, 0).to_numpy(dtype=float)
    if seed_points is not None and not seed_points.empty:
        row_of = dict(zip(data["label"], y, strict=True))
        pts = seed_points[seed_points["label"].isin(row_of) & seed_points["diff"].notna()]
        ax.scatter(
            pts["diff"].to_numpy(dtype=float),
            [row_of[lb] for lb in pts["label"]],
            marker="|",
            s=80,
            color="grey",
            label="one seed",
            zorder=1,
        )
    ax.errorbar(
        data["diff"].to_numpy(dtype=float),
        y,
        xerr=[lo, hi],
        fmt="o",
        color="tab:blue",
        capsize=3,
        label="seed mean, 95% CI" if seed_points is not None and not seed_points.empty else None,
        zorder=2,
    )
    if seed_points is not None and not seed_points.empty:
        ax.legend(loc="best", fontsize="small")
    ax.axvline(0, color="black", linewidth=0.8, linestyle="--")
    ax.set_yticks(y, data["label"].astype(str).tolist())
    ax.set_xlabel(value_label)
    ax.set_title(title)
    return _png(fig)
