"""Stage pretrain: the base model. ``tiny``: train a tokenizer and span-corruption pre-train a tiny mT5 on
generated monolingual text; a hub id or local folder: load it (no pre-training) and save it as the base model."""

import argparse
import shutil

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import write_json, write_text
from xlrobust.paths import Paths
from xlrobust.tiny_base import params_corpus, pretrain_kwargs, train_base_tokenizer


def main(args: argparse.Namespace, params: Params) -> None:
    """Build the base model."""
    from xlrobust.modeling import load_model_and_tokenizer  # torch + transformers: ~10 s, after params passed
    from xlrobust.pretrain import pretrain, save_model_dir

    paths = Paths()
    model_cfg = params.model
    if not model_cfg.is_tiny:
        model, tokenizer = load_model_and_tokenizer(model_cfg.name)
        save_model_dir(model, tokenizer, paths.base_model, spiece_from=None)
        paths.pretrain_corpus_dir.mkdir(parents=True, exist_ok=True)
        write_json(
            paths.pretrain_metrics,
            {
                "pretrained_here": False,
                "model": model_cfg.name,
                "n_params": sum(p.numel() for p in model.parameters()),
            },
        )
        return
    corpus = params_corpus(params)
    if paths.pretrain_corpus_dir.exists():
        shutil.rmtree(paths.pretrain_corpus_dir)
    for lang, sentences in corpus.items():
        write_text(paths.pretrain_corpus_dir / f"{lang}.txt", "".join(s + "\n" for s in sentences))
    tok_dir = paths.root / ".cache" / "tokenizer"
    train_base_tokenizer(params, corpus, tok_dir)
    stats = pretrain(corpus, tok_dir, paths.base_model, **pretrain_kwargs(params))
    keep = ("n_params", "steps", "loss_first", "loss_last", "vocab_size", "n_examples")  # no wall-clock time:
    # metrics files must be identical for the same params and seed
    write_json(paths.pretrain_metrics, {"pretrained_here": True, **{k: stats[k] for k in keep if k in stats}})


if __name__ == "__main__":
    run_stage("pretrain", main)
