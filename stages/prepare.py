"""Stage prepare: load and validate every task's data for one language; write text-to-text-ready JSONL."""

import argparse

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.errors import ConfigError
from xlrobust.io import write_json, write_jsonl, write_text
from xlrobust.paths import Paths
from xlrobust.prepare import prepare_language


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", required=True)


def main(args: argparse.Namespace, params: Params) -> None:
    """Prepare one language."""
    if args.lang not in params.languages:  # dvc.yaml's matrix passes one of them; a hand-typed one may not
        lower = args.lang.lower()
        hint = f"; did you mean {lower!r}?" if lower != args.lang and lower in params.languages else ""
        raise ConfigError(
            f"--lang {args.lang!r} is not in params 'languages' ({', '.join(params.languages)}){hint}"
        )
    paths = Paths()
    prepared = prepare_language(
        args.lang,
        params.tasks,
        params.data,
        sources=params.sources,
        eval_split=params.data.eval_split,
        seed=params.seed,
    )
    for task in params.tasks:
        # Every configured task gets its folder (a DVC dependency of finetune); a skipped one says why.
        for split, examples in prepared.splits.get(task, {}).items():
            write_jsonl(paths.prepared(args.lang, task, split), examples)
        if task in prepared.skipped:
            write_text(paths.skipped_marker(args.lang, task), prepared.skipped[task] + "\n")
    write_text(paths.corpus(args.lang), "".join(line.replace("\n", " ") + "\n" for line in prepared.corpus))
    write_json(
        paths.coverage(args.lang),
        {"language": args.lang, "rows": prepared.coverage, "skipped_tasks": prepared.skipped},
    )


if __name__ == "__main__":
    run_stage("prepare", main, add_arguments)
