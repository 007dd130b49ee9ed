"""Stage adversarial: CheckList-style, label-preserving perturbations of every target language's eval split.

One process for all languages (importing checklist costs seconds; perturbing a language well under one)."""

import argparse

from xlrobust.adversarial import perturb_language
from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.paths import Paths
from xlrobust.perturb.detector import make_detector


def main(args: argparse.Namespace, params: Params) -> None:
    """Perturb every task's evaluation examples of every language with every configured family."""
    paths = Paths()
    cfg = params.perturbations
    detector = make_detector(cfg.detector, cfg.detector_device)  # loaded once, on first use
    for lang in params.languages:
        perturb_language(lang, params, paths, detector)


if __name__ == "__main__":
    run_stage("adversarial", main)
