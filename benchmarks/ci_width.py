"""Benchmark 15b: width of the source-difference interval the report would give, also where it refuses one.

Issue #14 asks for enough test examples that the 95% interval of the XNLI low-resource es-minus-en difference is at
most 0.12 wide. The report (rightly) gives no interval when either model is at chance zero-shot ("no comparison
possible"), so this script computes the same estimand with the same code, bypassing only that refusal:
``xlrobust.analysis.differences.source_difference`` (paired, per-target stratified percentile bootstrap over test
examples, ``correlate.n_boot`` replicates, the run's seed) on the committed run's predictions, for every task,
each non-reference source and both target groups. Reads params.yaml and the pipeline outputs of this checkout.

Usage: python benchmarks/ci_width.py        # prints a markdown table; results/ci_width.json
"""

from __future__ import annotations

from common import REPO, RESULTS, machine_info

from xlrobust.analysis.differences import source_difference
from xlrobust.analysis.loading import load_task
from xlrobust.analysis.pipeline import coverage_of
from xlrobust.cli import read_params_file
from xlrobust.io import write_json
from xlrobust.paths import Paths


def main() -> None:
    params = read_params_file(REPO / "params.yaml")
    paths = Paths(REPO)
    coverage = coverage_of(params, paths)
    rows = []
    for task in params.tasks:
        td = load_task(paths.predictions_root, coverage[task], min_changed=params.perturbations.min_changed)
        for source in td.sources:
            if source == params.reference_source:
                continue
            zero_shot = [t for t in td.targets if t not in (source, params.reference_source)]
            groups = {"low_resource": [t for t in zero_shot if t in params.low_resource], "all": zero_shot}
            for group, targets in groups.items():
                iv = source_difference(
                    td,
                    source,
                    params.reference_source,
                    targets,
                    "clean",
                    n_boot=params.correlate.n_boot,
                    seed=params.seed,
                )
                rows.append(
                    {
                        "task": task,
                        "comparison": f"{source} - {params.reference_source}",
                        "group": group,
                        "targets": targets,
                        "diff": iv.estimate,
                        "ci": [iv.low, iv.high],
                        "width": None if iv.low is None else round(iv.high - iv.low, 4),
                    }
                )
    write_json(RESULTS / "ci_width.json", {"machine": machine_info(), "rows": rows})
    print("| task | comparison | targets | difference | 95% interval | width |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['task']} | {r['comparison']} | {r['group']} ({' '.join(r['targets'])}) | {r['diff']:+.3f} | "
            f"[{r['ci'][0]:+.3f}, {r['ci'][1]:+.3f}] | {r['width']:.3f} |"
        )


if __name__ == "__main__":
    main()
