"""Stage correlate: transfer and robustness against language features, source comparison, plots and report."""

import argparse

from xlrobust.analysis.pipeline import run
from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.paths import Paths


def main(args: argparse.Namespace, params: Params) -> None:
    """Answer the research question from the evaluate stage's outputs."""
    run(params, Paths())


if __name__ == "__main__":
    run_stage("correlate", main)
