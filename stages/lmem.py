"""Stage lmem: the base model's masked-token exact match (LMEM) on each language's held-out text.

One process for all languages: the work per language is well under a second, loading libraries is not."""

import argparse

from xlrobust.cli import run_stage
from xlrobust.config import Params
from xlrobust.errors import DataError
from xlrobust.io import write_json
from xlrobust.paths import Paths, require_model_dir


def main(args: argparse.Namespace, params: Params) -> None:
    """Measure LMEM for every study language."""
    paths = Paths()
    require_model_dir(paths.base_model, "base")
    from xlrobust.lmem import measure_lmem  # torch + transformers: ~10 s, after the check above
    from xlrobust.modeling import load_model_and_tokenizer

    model, tokenizer = load_model_and_tokenizer(paths.base_model)
    for lang in params.languages:
        if not paths.corpus(lang).is_file():
            raise DataError(f"{paths.corpus(lang)} not found; run the prepare stage for {lang} first")
        texts = [line for line in paths.corpus(lang).read_text(encoding="utf-8").splitlines() if line.strip()]
        result = measure_lmem(
            model,
            tokenizer,
            {lang: texts},
            seed=params.seed,
            batch_size=params.pretrain.lmem_batch_size,
            max_len=params.model.max_input_length,
            noise_density=params.pretrain.noise_density,
            mean_noise_span_length=params.pretrain.mean_span_length,
        )[lang]
        write_json(paths.lmem(lang), {"language": lang, **result})


if __name__ == "__main__":
    run_stage("lmem", main)
