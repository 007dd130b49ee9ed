"""The correlate fixture (tests/fixtures/correlate) and a real tokenizer trained on its texts."""

from __future__ import annotations

from pathlib import Path

from xlrobust.features import read_texts

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "correlate"


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
