"""Stage evaluate: one fine-tuned model on every target language, clean and perturbed."""

import argparse

from xlrobust.cli import check_run, run_stage
from xlrobust.config import Params
from xlrobust.io import write_json
from xlrobust.paths import Paths, require_model_dir
from xlrobust.tasks import get_task


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--seed", type=int, required=True, help="fine-tuning seed of the model to evaluate")


def main(args: argparse.Namespace, params: Params) -> None:
    """Evaluate the (task, source, seed) model on all targets."""
    paths = Paths()
    task = get_task(args.task)
    check_run(params, args.source, args.seed)
    run = (args.task, args.source, args.seed)
    model_dir = paths.finetuned(*run)
    skipped = (model_dir / "SKIPPED").exists()
    if not skipped:
        require_model_dir(model_dir, "fine-tuned")
    # torch + transformers: ~10 s, after the checks above
    from xlrobust.evaluate import evaluate_targets, load_targets, multichecklist_failures
    from xlrobust.modeling import load_model_and_tokenizer

    targets = load_targets(task, params, paths)
    if skipped:
        reason = (model_dir / "SKIPPED").read_text(encoding="utf-8").strip()
        paths.predictions_dir(*run).mkdir(parents=True, exist_ok=True)
        write_json(
            paths.eval_metrics(*run),
            {
                "task": task.name,
                "source": args.source,
                "seed": args.seed,
                "metric": task.primary_metric,
                "skipped": reason,
                "targets": {},
            },
        )
        return
    if params.eval.threads:
        import torch

        torch.set_num_threads(params.eval.threads)
    model, tokenizer = load_model_and_tokenizer(model_dir)
    table = evaluate_targets(
        task,
        model,
        tokenizer,
        targets,
        model_cfg=params.model,
        cfg=params.eval,
        predictions_dir=paths.predictions_dir(*run),
    )
    result = {
        "task": task.name,
        "source": args.source,
        "seed": args.seed,
        "metric": task.primary_metric,
        "targets": table,
    }
    if task.multichecklist and params.perturbations.multichecklist:
        result["multichecklist"] = multichecklist_failures(task, model, tokenizer, params, paths)
    write_json(paths.eval_metrics(*run), result)


if __name__ == "__main__":
    run_stage("evaluate", main, add_arguments)
