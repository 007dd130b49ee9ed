"""Calibration of the report's statistics (issue #18): coverage of the paired bootstrap interval of a source
difference, family-wise error / FDR / power of the correlation tests, and the type-I error of the naive and the
crossed (dependence-aware) correlation tests under crossed source/target dependence.

Everything runs the project's own code (``source_difference`` and ``correlation_table`` of the analysis code,
imported in ``analysis_api.py``; ``xlrobust.crossed``) on simulated data with a known truth; see
``calibration_coverage.py`` and ``calibration_corr.py`` for the designs. The study layout (languages, sources,
reference, low-resource group, n_boot, seed, features) is read from params.yaml.

Writes ``benchmarks/results/calibration.json`` (every cell's numbers, the command, the machine) and
``benchmarks/results/calibration_coverage.png``; ``--quick`` runs few replicates (for development; the numbers
are then too noisy to judge calibration) and writes ``calibration_quick.*`` instead.

Usage: python benchmarks/calibration.py [--quick] [--jobs 2] [--parts coverage,corr] [--tables FILE]
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
):  # one BLAS thread per worker process
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import multiprocessing as mp  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import calibration_corr as corr  # noqa: E402
import calibration_coverage as cov  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from common import REPO, RESULTS, write_result  # noqa: E402

NS = (64, 256, 1000)
SEEDS = (1, 3)
# Replicates per design cell (full run); the bootstrap cost grows with n, so fewer replicates where n is large
# (and the normal approximation behind any bootstrap is best).
FULL_REPS = {64: 400, 256: 200, 1000: 100}
QUICK_REPS = {64: 40, 256: 30, 1000: 20}
CORR_REPS, QUICK_CORR_REPS = 200, 30
CHUNK = 25  # replicates per worker task


def _layout() -> dict:
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    languages, reference = list(params["languages"]), params["reference_source"]
    other = next(s for s in params["sources"] if s != reference)
    zero_shot = [t for t in languages if t not in (reference, other)]
    low = [t for t in params["low_resource"] if t in zero_shot]
    return {
        "languages": languages,
        "sources": list(params["sources"]),
        "pair": (reference, other),
        "units": {low[0]: [low[0]], "low_resource": low, "all": zero_shot},
        "n_boot": int(params["correlate"]["n_boot"]),
        "seed": int(params["seed"]),
        "features": list(params["correlate"]["features"]),
    }


def _tasks(layout: dict, quick: bool, parts: set[str]) -> list[tuple]:
    reps = QUICK_REPS if quick else FULL_REPS
    tasks: list[tuple] = []
    for m_i, metric in enumerate(cov.METRICS if "coverage" in parts else []):
        for n in NS:
            for seeds in SEEDS:
                for c, start in enumerate(range(0, reps[n], CHUNK)):
                    tasks.append(
                        (
                            "coverage",
                            metric,
                            n,
                            seeds,
                            min(CHUNK, reps[n] - start),
                            [layout["seed"], m_i, n, seeds, c],
                        )
                    )
    r = QUICK_CORR_REPS if quick else CORR_REPS
    langs, srcs = layout["languages"], layout["sources"]
    big = (
        srcs + [lang for lang in ("de", "ru") if lang in langs and lang not in srcs][: max(0, 4 - len(srcs))]
    )
    designs = [
        ("iid_null", srcs, {"crossed": False}),
        ("iid_planted", srcs, {"planted": "target_lmem", "crossed": False}),
        ("crossed_null", srcs, {"tau": 1.0}),
        ("crossed_null", srcs, {"tau": 2.0}),
        ("crossed_null", big, {"tau": 1.0}),
        ("crossed_planted", srcs, {"tau": 1.0, "planted": "target_lmem"}),
        ("crossed_planted", srcs, {"tau": 1.0, "planted": "syntactic"}),
    ]
    for d_i, (design, sources, kw) in enumerate(designs if "corr" in parts else []):
        for c, start in enumerate(range(0, r, CHUNK)):
            tasks.append(
                (
                    "corr",
                    design,
                    sources,
                    {**kw, "first_rep": start},
                    min(CHUNK, r - start),
                    [layout["seed"], 100 + d_i, c],
                )
            )
    return tasks


def _run(task: tuple) -> tuple[str, list[dict], float]:
    """One task's records and the CPU seconds its process spent on it."""
    cpu = time.process_time()
    layout = _layout()
    if task[0] == "coverage":
        _, metric, n, seeds, reps, seed = task
        out = cov.run_cell(metric, n, seeds, layout["units"], layout["pair"], reps, layout["n_boot"], seed)
    else:
        _, design, sources, kw, reps, seed = task
        out = corr.run_design(design, layout["languages"], sources, layout["features"], reps, seed, **kw)
    return task[0], out, time.process_time() - cpu


def _plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics, units = list(cov.METRICS), list(dict.fromkeys(r["unit"] for r in rows))
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.6), sharey=True)
    for ax, metric in zip(axes, metrics, strict=True):
        ax.axhspan(0.93, 0.97, color="0.9", label="target 93-97%")
        ax.axhline(0.95, color="0.6", lw=0.8)
        for u_i, unit in enumerate(units):
            for s_i, seeds in enumerate(SEEDS):
                sub = sorted(
                    (r for r in rows if r["metric"] == metric and r["unit"] == unit and r["seeds"] == seeds),
                    key=lambda r: r["n"],
                )
                x = np.arange(len(sub)) + (u_i * len(SEEDS) + s_i - 2.5) * 0.1
                ax.errorbar(
                    x,
                    [r["coverage"] for r in sub],
                    yerr=[1.96 * r["mc_se"] for r in sub],
                    fmt="o" if seeds == 1 else "s",
                    ms=4,
                    color=f"C{u_i}",
                    capsize=2,
                    mfc="white" if seeds == 1 else f"C{u_i}",
                    label=f"{unit}, {seeds} seed{'s' if seeds > 1 else ''}",
                )
        ax.set_xticks(range(len(NS)), [f"n={n}" for n in NS])
        ax.set_title(metric)
        ax.set_ylim(0.85, 1.0)
    axes[0].set_ylabel("coverage of the 95% interval\n(±1.96 Monte Carlo SE)")
    axes[-1].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def tables(path: Path) -> str:
    """Markdown tables of a results file (for RESULTS.md)."""
    import json

    data = json.loads(path.read_text())
    out = [
        "| metric | unit | n | seeds | reps | coverage (MC SE) | truth below / above | coverage over seeds "
        "| mean width |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(
        data["coverage"],
        key=lambda r: (
            list(cov.METRICS).index(r["metric"]),
            r["unit"] != "sw",
            r["unit"] == "all",
            r["n"],
            r["seeds"],
        ),
    ):
        out.append(
            f"| {r['metric']} | {r['unit']} | {r['n']} | {r['seeds']} | {r['reps']} | "
            f"{r['coverage']:.3f} ({r['mc_se']:.3f}) | {r['truth_below_interval']:.3f} / "
            f"{r['truth_above_interval']:.3f} | {r['coverage_over_seeds']:.3f} | {r['mean_width']:.3f} |"
        )
    out += [
        "",
        "| design | sources | tau | planted | families | FWER Holm | FDR BH | FWER unadjusted "
        "| FWER crossed+Holm | power Holm | power BH | power crossed+Holm |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def f(r: dict, k: str) -> str:
        return f"{r[k]:.3f}" if k in r else "-"

    for r in data["families"]:
        out.append(
            f"| {r['design']} | {r['sources']} | {r['tau']:g} | {r['planted'] or '-'} | {r['families']} | "
            f"{f(r, 'fwer_holm')} | {f(r, 'fdr_bh')} | {f(r, 'fwer_unadjusted')} | {f(r, 'fwer_crossed_holm')} | "
            f"{f(r, 'power_holm')} | {f(r, 'power_bh')} | {f(r, 'power_crossed_holm')} |"
        )
    out += [
        "",
        "| design | sources | tau | feature | tests | naive Pearson | naive Spearman | crossed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in data["per_feature"]:
        if r["design"] == "crossed_null" or r["feature"] == r["planted"]:
            out.append(
                f"| {r['design']} | {r['sources']} | {r['tau']:g} | {r['feature']} | {r['tests']} | "
                f"{f(r, 'reject_naive_pearson')} | {f(r, 'reject_naive_spearman')} | {f(r, 'reject_crossed')} |"
            )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few replicates, for development")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--parts",
        default="coverage,corr",
        help="comma list of coverage, corr; a part not run keeps its numbers from the existing "
        "results file (recorded under 'carried_over')",
    )
    parser.add_argument("--tables", type=Path, default=None, help="print RESULTS.md tables of a results file")
    args = parser.parse_args()
    if args.tables:
        print(tables(args.tables))
        return
    layout = _layout()
    parts = set(args.parts.split(","))
    if not parts <= {"coverage", "corr"}:
        raise SystemExit(
            f"--parts: unknown part(s) {sorted(parts - {'coverage', 'corr'})}; use coverage, corr"
        )
    tasks = _tasks(layout, args.quick, parts)
    t0 = time.perf_counter()
    records: dict[str, list[dict]] = {"coverage": [], "corr": []}
    cpu = {"coverage": 0.0, "corr": 0.0}
    # Longest tasks first so the pool ends together.
    order = sorted(tasks, key=lambda t: -(t[2] * t[4] if t[0] == "coverage" else 2000))
    with mp.get_context("spawn").Pool(args.jobs) as pool:
        for done, (kind, recs, cpu_s) in enumerate(pool.imap_unordered(_run, order), 1):
            records[kind] += recs
            cpu[kind] += cpu_s
            print(f"{done}/{len(tasks)} tasks, {time.perf_counter() - t0:.0f} s", flush=True)
    wall = time.perf_counter() - t0
    name = "calibration_quick" if args.quick else "calibration"
    # CPU seconds of the workers: on 2 otherwise idle cores the wall time would be about half their sum.
    result = {
        "wall_s": {p: round(wall, 1) for p in parts},
        "cpu_s": {k: round(cpu[k], 1) for k in parts},
        "jobs": args.jobs,
        "quick": args.quick,
        "layout": layout,
        "carried_over": {},
    }
    if "coverage" in parts:
        result["coverage"] = cov.summarise(records["coverage"])
    if "corr" in parts:
        result.update(corr.summarise(records["corr"]))
    old_path = RESULTS / f"{name}.json"
    if parts != {"coverage", "corr"}:
        import json

        old = json.loads(old_path.read_text())
        keys = ("coverage",) if "coverage" not in parts else ("families", "per_feature")
        part = "coverage" if "coverage" not in parts else "corr"
        for key in keys:
            result[key] = old[key]
        result["wall_s"][part] = old["wall_s"].get(part) if isinstance(old["wall_s"], dict) else old["wall_s"]
        result["cpu_s"][part] = old["cpu_s"][part]
        result["carried_over"][part] = {"date": old["machine"]["date"], "command": old["command"]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    _plot(result["coverage"], RESULTS / f"{name}_coverage.png")
    write_result(name, result)


if __name__ == "__main__":
    main()
