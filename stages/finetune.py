"""Stage finetune: one model per task, source language and fine-tuning seed, resumable from checkpoints."""

import argparse
import logging

from xlrobust.cli import check_run, run_stage
from xlrobust.config import Params
from xlrobust.io import read_jsonl, write_json, write_text
from xlrobust.paths import Paths, require_model_dir
from xlrobust.tasks import get_task

log = logging.getLogger("xlrobust.finetune")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument(
        "--seed", type=int, required=True, help="fine-tuning seed (one of params.yaml 'seeds')"
    )


def main(args: argparse.Namespace, params: Params) -> None:
    """Fine-tune the base model on the source language's training set."""
    paths = Paths()
    task = get_task(args.task)
    check_run(params, args.source, args.seed)
    out_dir = paths.finetuned(args.task, args.source, args.seed)
    skipped = paths.skipped_marker(args.source, args.task)
    if skipped.exists():  # prepare skipped it (data.on_missing: skip); keep the matrix complete and say why
        reason = skipped.read_text(encoding="utf-8").strip()
        log.warning("no model for %s-%s (seed %d): %s", args.task, args.source, args.seed, reason)
        write_text(out_dir / "SKIPPED", reason + "\n")
        write_json(paths.train_metrics(args.task, args.source, args.seed), {"skipped": True})
        return
    examples = read_jsonl(paths.prepared(args.source, args.task, "train"))
    require_model_dir(paths.base_model, "base")
    from xlrobust.finetune import finetune  # torch + transformers: ~10 s, after the checks above

    stats = finetune(
        task,
        examples,
        base_model=str(paths.base_model),
        out_dir=out_dir,
        checkpoint_root=paths.checkpoints,
        model_cfg=params.model,
        cfg=params.train,
        seed=args.seed,
    )
    if stats:
        write_json(
            paths.train_metrics(args.task, args.source, args.seed),
            {k: stats[k] for k in ("steps", "train_loss", "final_loss", "examples", "pairs")},
        )


if __name__ == "__main__":
    run_stage("finetune", main, add_arguments)
