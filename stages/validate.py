"""Stage validate: check the whole params.yaml before DVC touches any output.

Every other stage depends on this stage's output, so with a bad params.yaml ``dvc repro`` stops here, with the
one-line error, before it removes the outputs of the stages whose params changed. The output's content is the
same whenever params are valid, so a valid edit of params.yaml reruns only the stages that use the edited keys.
"""

import argparse
from pathlib import Path

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import write_text

OUT = Path("metrics/params_valid.txt")  # a dependency of every other stage (dvc.yaml)
VALID = "params.yaml: valid\n"  # constant: this output must not change with the values


def main(args: argparse.Namespace, params: Params) -> None:
    """Validate params.yaml (run_stage already did; this writes the marker other stages depend on)."""
    write_text(OUT, VALID)


if __name__ == "__main__":
    run_stage("validate", main)
