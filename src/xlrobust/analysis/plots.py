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


def heatmap(table: pd.DataFrame, title: str, value_label: str) -> bytes:
    """Source (rows) x target (columns) heatmap with the value in every cell; missing cells stay blank."""
    values = table.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(0.7 * table.shape[1] + 2.5, 0.55 * table.shape[0] + 1.6))
    im = ax.imshow(np.ma.masked_invalid(values), cmap="viridis", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [str(c) for c in table.columns])
    ax.set_yticks(range(table.shape[0]), [str(i) for i in table.index])
    ax.set_xlabel("target language")
    ax.set_ylabel("fine-tuning (source) language")
    finite = values[np.isfinite(values)]
    mid = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if np.isfinite(values[i, j]):
                ax.text(
                    j,
                    i,
                    f"{values[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="black" if values[i, j] > mid else "white",
                )
    fig.colorbar(im, ax=ax, label=value_label)
    ax.set_title(title)
    return _png(fig)


def grouped_bars(table: pd.DataFrame, title: str, value_label: str) -> bytes:
    """Bars of ``table`` (index: categories on the x axis, columns: one bar per series)."""
    fig, ax = plt.subplots(
        figsize=(max(4.0, 0.9 * len(table.index) * max(1, len(table.columns)) / 2 + 2), 3.4)
    )
    width = 0.8 / max(1, len(table.columns))
    x = np.arange(len(table.index))
    for k, col in enumerate(table.columns):
        ax.bar(
            x + (k - (len(table.columns) - 1) / 2) * width,
            table[col].to_numpy(dtype=float),
            width,
            label=str(col),
        )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, [str(i) for i in table.index])
    ax.set_ylabel(value_label)
    ax.legend(title="source", fontsize=8)
    ax.set_title(title)
    return _png(fig)


def scatter_grid(pairs: pd.DataFrame, features: Sequence[str], y: str, title: str) -> bytes:
    """One panel per feature: ``y`` against the feature, points labelled source→target, least-squares line."""
    features = [f for f in features if f in pairs.columns]
    ncol = min(3, max(1, len(features)))
    nrow = max(1, -(-len(features) // ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 3.0 * nrow), squeeze=False)
    for ax, feat in zip(axes.flat, features, strict=False):
        data = pairs[[feat, y, "source"]].dropna()
        xs, ys = data[feat].to_numpy(dtype=float), data[y].to_numpy(dtype=float)
        for src, group in data.groupby("source", sort=True):
            ax.scatter(group[feat], group[y], s=18, label=str(src))
        if len(xs) >= 2 and np.ptp(xs) > 0:
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
        ax.scatter(pts["diff"].to_numpy(dtype=float), [row_of[lb] for lb in pts["label"]], marker="|", s=80,
                   color="grey", label="one seed", zorder=1)
    ax.errorbar(data["diff"].to_numpy(dtype=float), y, xerr=[lo, hi], fmt="o", color="tab:blue", capsize=3,
                label="seed mean, 95% CI" if seed_points is not None and not seed_points.empty else None, zorder=2)
    if seed_points is not None and not seed_points.empty:
        ax.legend(loc="best", fontsize="small")
    ax.axvline(0, color="black", linewidth=0.8, linestyle="--")
    ax.set_yticks(y, data["label"].astype(str).tolist())
    ax.set_xlabel(value_label)
    ax.set_title(title)
    return _png(fig)
