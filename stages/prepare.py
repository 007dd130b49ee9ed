"""Stage prepare: load and validate every task's data for every study language; write text-to-text-ready JSONL.

One stage (one process) for all languages: a matrix stage per language cost a process start and DVC's
per-stage bookkeeping ten times over for about five seconds of work each (benchmarks/RESULTS.md section 14).
Adding a language still retrains nothing: the other languages' files come out byte-identical, and each
fine-tuning stage depends only on its own source's folder. ``--lang`` (repeatable) prepares a subset by hand.
"""

import argparse
import logging

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.errors import ConfigError
from xlrobust.io import write_json, write_jsonl, write_text
from xlrobust.paths import Paths
from xlrobust.prepare import prepare_language

log = logging.getLogger("xlrobust")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", action="append", help="a language of params 'languages' (default: all)")


def _check_lang(lang: str, params: Params) -> None:
    if lang not in params.languages:
        lower = lang.lower()
        hint = f"; did you mean {lower!r}?" if lower != lang and lower in params.languages else ""
        raise ConfigError(
            f"--lang {lang!r} is not in params 'languages' ({', '.join(params.languages)}){hint}"
        )


def prepare_one(lang: str, params: Params, paths: Paths) -> None:
    """Write one language's splits, LMEM corpus and coverage rows."""
    prepared = prepare_language(
        lang,
        params.tasks,
        params.data,
        sources=params.sources,
        eval_split=params.data.eval_split,
        seed=params.seed,
    )
    for task in params.tasks:
        # Every configured task gets its folder (a DVC dependency of finetune); a skipped one says why.
        for split, examples in prepared.splits.get(task, {}).items():
            write_jsonl(paths.prepared(lang, task, split), examples)
        if task in prepared.skipped:
            write_text(paths.skipped_marker(lang, task), prepared.skipped[task] + "\n")
    write_text(paths.corpus(lang), "".join(line.replace("\n", " ") + "\n" for line in prepared.corpus))
    write_json(
        paths.coverage(lang),
        {"language": lang, "rows": prepared.coverage, "skipped_tasks": prepared.skipped},
    )


def main(args: argparse.Namespace, params: Params) -> None:
    """Prepare the languages named by --lang, or all of params 'languages'."""
    langs = args.lang or params.languages
    for lang in langs:  # every name is checked before any language is computed
        _check_lang(lang, params)
    paths = Paths()
    for lang in dict.fromkeys(langs):
        log.info("preparing %s", lang)
        prepare_one(lang, params, paths)


if __name__ == "__main__":
    run_stage("prepare", main, add_arguments)
