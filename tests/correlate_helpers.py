"""The correlate fixture (tests/fixtures/correlate), a run of the correlate stage on it, and a real tokenizer
trained on its texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlrobust.analysis.features import read_texts
from xlrobust.analysis.pipeline import run
from xlrobust.config import CorrelateConfig, DataConfig, ModelConfig, Params, PerturbationConfig
from xlrobust.paths import Paths

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "correlate"
TASKS, SOURCES, LANGS = ["xnli", "panx"], ["en", "es"], ["en", "es", "de", "sw", "hi"]
# Cheap features (no URIEL, no tokenizer); test_report covers the full set.
CHEAP_FEATURES = ("lexical_overlap", "target_lmem", "source_train_size")


def fixture_params(
    *, smoke: bool = False, n_boot: int = 100, features=CHEAP_FEATURES, min_changed: int = 5, **overrides: Any
) -> Params:
    """Validated params for the fixture (keyword arguments override top-level keys such as ``seeds``). Smoke
    scale is the tiny model or generated data; ``smoke=False`` names a hub model and data source instead.
    ``low_resource`` lists only languages of the fixture, as params validation requires. The fixture's families
    change about half of 20-24 examples, so ``min_changed`` defaults to 5 here."""
    fields: dict[str, Any] = {
        "tasks": TASKS,
        "sources": SOURCES,
        "languages": LANGS,
        "reference_source": "en",
        "low_resource": ["sw", "hi"],
        "seed": 0,
        "seeds": [1, 2],
        **overrides,
    }
    params = Params(
        **{k: list(v) if isinstance(v, tuple) else v for k, v in fields.items()},
        model=ModelConfig(name="tiny" if smoke else "google/mt5-small"),
        data=DataConfig(source="synthetic" if smoke else "hub"),
        correlate=CorrelateConfig(n_boot=n_boot, features=list(features)),
        perturbations=PerturbationConfig(families=["typos", "numbers"], min_changed=min_changed),
    )
    params.validate()
    return params


def stage_root(root: Path, out: Path, tokenizer: Path | None = None, cache_dir: Path | None = None) -> Paths:
    """``out`` laid out as the repository the correlate stage runs in: its inputs (eval JSONs, LMEM, predictions,
    prepared data under the fixture-shaped folder ``root``; the tokenizer as models/base; the URIEL cache folder)
    linked in, its outputs written under ``out/metrics``."""
    paths = Paths(out)
    links = {
        paths.eval_dir: root / "metrics" / "eval",
        paths.lmem_dir: root / "metrics" / "lmem",
        paths.predictions_root: root / "data" / "predictions",
        paths.prepared_root: root / "data" / "prepared",
        paths.base_model: tokenizer,
        paths.uriel_cache.parent: cache_dir,
    }
    for link, target in links.items():
        if target is None:
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
    return paths


def correlate_fixture(
    root: Path, out: Path, *, tokenizer: Path | None = None, cache_dir: Path | None = None, **params: Any
) -> dict:
    """The correlate stage's ``run`` on a fixture-shaped folder ``root`` (the fixture or a holed copy), writing
    under ``out/metrics``; keyword arguments go to :func:`fixture_params`."""
    return run(fixture_params(**params), stage_root(root, out, tokenizer, cache_dir))


def make_tokenizer(out_dir: Path) -> Path:
    """A real sentencepiece tokenizer trained on the fixture texts, saved as the tokenizer stage does."""
    import sentencepiece as spm
    from transformers import T5Tokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    texts = [t for p in sorted((FIXTURE / "data" / "prepared").rglob("*.jsonl")) for t in read_texts(p)]
    (out_dir / "corpus.txt").write_text("\n".join(texts), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(out_dir / "corpus.txt"),
        model_prefix=str(out_dir / "spiece"),
        vocab_size=150,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
        num_threads=1,
    )
    T5Tokenizer.from_pretrained(str(out_dir)).save_pretrained(str(out_dir))
    return out_dir
