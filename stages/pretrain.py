"""Stage pretrain: the base model. ``tiny``: train a tokenizer and span-corruption pre-train a tiny mT5 on
generated monolingual text; a hub id or local folder: load it (no pre-training) and save it as the base model."""

import argparse
import shutil

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import write_json, write_text
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.paths import Paths
from xlrobust.pretrain import pretrain, save_model_dir
from xlrobust.synthetic import generate_corpus
from xlrobust.tasks import get_task
from xlrobust.tokenizer import train_tokenizer

# Each language's pre-training text comes from its own seed stream, so the corpora are not parallel (mT5 saw no
# translation pairs either).
LANGUAGE_SEED_STRIDE = 104729


def main(args: argparse.Namespace, params: Params) -> None:
    """Build the base model."""
    paths = Paths()
    cfg, model_cfg = params.pretrain, params.model
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
    corpus = {
        lang: generate_corpus(lang, cfg.corpus_sentences, params.seed + LANGUAGE_SEED_STRIDE * (i + 1))
        for i, lang in enumerate(cfg.languages)
    }
    if paths.pretrain_corpus_dir.exists():
        shutil.rmtree(paths.pretrain_corpus_dir)
    for lang, sentences in corpus.items():
        write_text(paths.pretrain_corpus_dir / f"{lang}.txt", "".join(s + "\n" for s in sentences))
    tok_dir = paths.root / ".cache" / "tokenizer"
    keywords = [k for name in params.tasks for k in get_task(name).keywords]  # one token each, every language
    train_tokenizer(
        corpus, tok_dir, vocab_size=model_cfg.vocab_size, seed=params.seed, user_defined_symbols=keywords
    )
    stats = pretrain(
        corpus,
        tok_dir,
        paths.base_model,
        {
            "d_model": model_cfg.d_model,
            "d_ff": model_cfg.d_ff,
            "num_heads": model_cfg.num_heads,
            "num_layers": model_cfg.num_layers,
        },
        steps=cfg.steps,
        batch_size=cfg.batch_size,
        lr=cfg.lr,
        seed=params.seed,
        max_len=model_cfg.max_input_length,
        warmup_steps=cfg.warmup_steps,
        noise_density=cfg.noise_density,
        mean_noise_span_length=cfg.mean_span_length,
        weight_decay=cfg.weight_decay,
        device=cfg.device,
        copy_fraction=cfg.copy_fraction,
    )
    keep = ("n_params", "steps", "loss_first", "loss_last", "vocab_size", "n_examples")  # no wall-clock time:
    # metrics files must be identical for the same params and seed
    write_json(paths.pretrain_metrics, {"pretrained_here": True, **{k: stats[k] for k in keep if k in stats}})


if __name__ == "__main__":
    run_stage("pretrain", main)
