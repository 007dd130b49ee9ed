"""Stage prepare: load and validate every task's data for one language; write text-to-text-ready JSONL."""

import argparse

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import write_json, write_jsonl, write_text
from xlrobust.paths import Paths
from xlrobust.prepare import prepare_language


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", required=True)


def main(args: argparse.Namespace, params: Params) -> None:
    """Prepare one language."""
    paths = Paths()
    prepared = prepare_language(args.lang, params.tasks, params.data, sources=params.sources,
                                eval_split=params.data.eval_split, seed=params.seed)
    for task, splits in prepared.splits.items():
        for split, examples in splits.items():
            write_jsonl(paths.prepared(args.lang, task, split), examples)
    write_text(paths.corpus(args.lang), "".join(line.replace("\n", " ") + "\n" for line in prepared.corpus))
    write_json(paths.coverage(args.lang), {"language": args.lang, "rows": prepared.coverage,
                                           "skipped_tasks": prepared.skipped})


if __name__ == "__main__":
    run_stage("prepare", main, add_arguments)
