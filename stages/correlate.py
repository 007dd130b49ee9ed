"""Stage correlate: transfer and robustness against language features, source comparison, plots and report."""

import argparse

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.correlate import run_correlate
from xlrobust.paths import Paths


def main(args: argparse.Namespace, params: Params) -> None:
    """Answer the research question from the evaluate stage's outputs."""
    paths = Paths()
    metrics = paths.root / "metrics"
    run_correlate(
        metrics / "eval", paths.root / "data" / "predictions", paths.root / "data" / "prepared",
        paths.base_model, metrics / "lmem",
        tasks=params.tasks, sources=params.sources, languages=params.languages,
        reference_source=params.reference_source, low_resource=params.low_resource,
        n_boot=params.correlate.n_boot, seed=params.seed, seeds=params.seeds,
        features=params.correlate.features,
        out_metrics_dir=metrics, out_plots_dir=metrics / "plots",
        report_md=metrics / "report.md", report_html=metrics / "report.html",
        uriel_cache=paths.root / ".cache" / "uriel_distances.json",
        smoke_scale=params.model.is_tiny or params.data.source == "synthetic",
        eval_split=params.data.eval_split,
    )


if __name__ == "__main__":
    run_stage("correlate", main)
