"""Stage lmem: the base model's masked-token exact match (LMEM) on one language's held-out text."""

import argparse

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.io import write_json
from xlrobust.lmem import measure_lmem
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.paths import Paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", required=True)


def main(args: argparse.Namespace, params: Params) -> None:
    """Measure LMEM for one language."""
    paths = Paths()
    texts = [line for line in paths.corpus(args.lang).read_text(encoding="utf-8").splitlines() if line.strip()]
    model, tokenizer = load_model_and_tokenizer(paths.base_model)
    result = measure_lmem(model, tokenizer, {args.lang: texts}, seed=params.seed,
                          batch_size=params.pretrain.lmem_batch_size, max_len=params.model.max_input_length,
                          noise_density=params.pretrain.noise_density,
                          mean_noise_span_length=params.pretrain.mean_span_length)[args.lang]
    write_json(paths.lmem(args.lang), {"language": args.lang, **result})


if __name__ == "__main__":
    run_stage("lmem", main, add_arguments)
