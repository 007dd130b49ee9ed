"""The correlate fixture (tests/fixtures/correlate), a run of the correlate stage on it, and a real tokenizer
trained on its texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlrobust.correlate import run_correlate
from xlrobust.features import read_texts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "correlate"
TASKS, SOURCES, LANGS = ["xnli", "panx"], ["en", "es"], ["en", "es", "de", "sw", "hi"]
# Cheap features (no URIEL, no tokenizer); test_report covers the full set.
CHEAP_FEATURES = ("lexical_overlap", "target_lmem", "source_train_size")


def correlate_fixture(root: Path, out: Path, **overrides: Any) -> dict:
    """``run_correlate`` on a fixture-shaped folder ``root`` (the fixture or a holed copy), writing under
    ``out/metrics``; keyword arguments override the defaults below."""
    args: dict[str, Any] = {
        "tasks": TASKS,
        "sources": SOURCES,
        "languages": LANGS,
        "reference_source": "en",
        "low_resource": ("sw", "bn", "hi"),
        "n_boot": 100,
        "seed": 0,
        "seeds": (1, 2),
        "features": CHEAP_FEATURES,
        "out_metrics_dir": out / "metrics",
        "out_plots_dir": out / "metrics" / "plots",
        **overrides,
    }
    return run_correlate(
        root / "metrics" / "eval", root / "data" / "predictions", root / "data" / "prepared", None,
        root / "metrics" / "lmem", **args,
    )


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
