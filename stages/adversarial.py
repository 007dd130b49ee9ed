"""Stage adversarial: CheckList-style, label-preserving perturbations of one target language's eval split."""

import argparse
import logging

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import read_jsonl, write_json, write_jsonl
from xlrobust.multichecklist import available_languages, generate_cases, load_templates
from xlrobust.paths import Paths
from xlrobust.perturb import FAMILIES, perturb_examples

log = logging.getLogger("xlrobust.adversarial")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", required=True)


def main(args: argparse.Namespace, params: Params) -> None:
    """Perturb every task's evaluation examples of one language with every configured family."""
    paths = Paths()
    cfg = params.perturbations
    stats: dict[str, dict[str, dict[str, float]]] = {}
    for task in params.tasks:
        clean_path = paths.prepared(args.lang, task, params.data.eval_split)
        if not clean_path.exists():
            continue
        examples = read_jsonl(clean_path)
        stats[task] = {}
        for family in cfg.families:
            if args.lang not in FAMILIES[family].languages:
                log.info("%s does not apply to %s; skipped", family, args.lang)
                continue
            options = dict(cfg.options.get(family, {}))
            rate = float(options.pop("rate", cfg.rate))
            out = perturb_examples(task, args.lang, examples, family, rate=rate, seed=params.seed, **options)
            n_changed = sum(bool(ex["changed"]) for ex in out)
            write_jsonl(paths.adversarial(args.lang, task, family), out)
            stats[task][family] = {"n": len(out), "changed": n_changed,
                                   "share_changed": round(n_changed / len(out), 4) if out else 0.0}
            log.info("%s %s %s: changed %d of %d", task, args.lang, family, n_changed, len(out))
    if cfg.multichecklist and "tydiqa" in params.tasks:
        templates = load_templates(cfg.multichecklist)
        if args.lang in available_languages(templates):
            cases = generate_cases(templates, args.lang, n_per_test=cfg.multichecklist_fills, seed=params.seed)
            write_jsonl(paths.multichecklist(args.lang), cases)
            stats["multichecklist"] = {"cases": len(cases)}
        else:
            log.info("MultiCheckList has no column for %s; skipped", args.lang)
    write_json(paths.perturbation_stats(args.lang), {"language": args.lang, "tasks": stats})


if __name__ == "__main__":
    run_stage("adversarial", main, add_arguments)
