"""XQuAD and MLQA as QA evaluation targets for languages TyDiQA-GoldP lacks (de, es, hi, ...).

Read from a folder laid out as XTREME's ``scripts/download_data.sh`` writes them (SQuAD-1.1 JSON):

* ``mlqa/MLQA_V1/{dev,test}/{split}-context-<lang>-question-<lang>.json``: MLQA v1 (Lewis et al. 2020),
  monolingual pairs; contexts are native Wikipedia sentences in the language, questions were written in English
  and translated by professionals. Preferred: it has a dev and a test split.
* ``xquad/xquad.<lang>.json``: XQuAD (Artetxe et al. 2020), SQuAD v1.1 dev paragraphs and questions translated
  by professionals; one split, used for whichever split is asked for.

Each target is recorded in the coverage table with its dataset and origin (:data:`ORIGINS`).
"""

from __future__ import annotations

from pathlib import Path

from xlrobust.sources.validate import QA_RECORD, SplitData, finish_split
from xlrobust.sources.xtreme import squad_records

MLQA_LANGS: tuple[str, ...] = ("ar", "de", "en", "es", "hi", "vi", "zh")
XQUAD_LANGS: tuple[str, ...] = ("ar", "de", "el", "en", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh")
DATASETS: dict[str, tuple[str, str]] = {  # dataset -> (name, provenance) for the coverage table
    "mlqa": ("MLQA", "mixed: native contexts, human-translated questions"),
    "xquad": ("XQuAD", "human-translated"),
}
ORIGINS: dict[str, str] = {
    "mlqa": "MLQA v1: native Wikipedia contexts, questions translated from English by professionals",
    "xquad": "XQuAD: SQuAD v1.1 dev translated by professionals",
}


def _split(dataset: str, path: Path, split: str, lang: str) -> SplitData:
    records = squad_records(path)
    examples = [{**ex, "id": f"{dataset}-{lang}-{ex['id']}"} for _, ex in records]
    locations = [f"{w} (id {ex['id']!r})" for w, ex in records]
    return target_split(dataset, split, examples, locations, str(path))


def target_split(dataset: str, split: str, examples: list, locations: list[str], origin: str) -> SplitData:
    """A validated QA target split of ``dataset`` (``xquad`` | ``mlqa``, from a folder or the hub) with its
    coverage facts: dataset name, provenance and where it came from."""
    name, provenance = DATASETS[dataset]
    return finish_split(
        QA_RECORD,
        split,
        examples,
        locations,
        origin,
        note=f"target from {ORIGINS[dataset]}",
        dataset=name,
        provenance=provenance,
    )


def load_mlqa(root: Path, lang: str, split: str) -> SplitData | None:
    if lang not in MLQA_LANGS or split not in ("dev", "test"):
        return None
    path = root / "mlqa" / "MLQA_V1" / split / f"{split}-context-{lang}-question-{lang}.json"
    return _split("mlqa", path, split, lang) if path.is_file() else None


def load_xquad(root: Path, lang: str, split: str) -> SplitData | None:
    if lang not in XQUAD_LANGS or split not in ("dev", "test"):
        return None
    path = root / "xquad" / f"xquad.{lang}.json"
    return _split("xquad", path, split, lang) if path.is_file() else None


def load_qa_target(root: str | Path, lang: str, split: str) -> SplitData | None:
    """MLQA's ``split`` for ``lang``, else XQuAD, from ``root``; None when neither file is there."""
    root = Path(root)
    return load_mlqa(root, lang, split) or load_xquad(root, lang, split)
