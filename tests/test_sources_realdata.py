"""The XTREME loader on the real excerpts in ../shared/realdata-sample (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlrobust.examples import NER_TAGS, NLI_LABELS
from xlrobust.sources import load_split

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "realdata-sample"
pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"{SAMPLE} not present")
LANGS = ("en", "es", "hi", "sw")


def load(task: str, lang: str, split: str = "dev"):
    return load_split("xtreme", task, lang, split, path=str(SAMPLE))


@pytest.mark.parametrize("lang", LANGS)
def test_xnli_dev_30_pairs(lang: str) -> None:
    data = load("xnli", lang)
    assert data is not None and data.labelled and data.read == len(data.examples) == 30 and data.dropped == 0
    assert {ex["label"] for ex in data.examples} == set(NLI_LABELS)
    assert not any(ex["premise"].endswith("\r") or ex["hypothesis"].endswith("\r") for ex in data.examples)


def test_xnli_is_parallel_across_languages() -> None:
    loaded = [load("xnli", lang) for lang in LANGS]
    labels = {tuple((ex["id"], ex["label"]) for ex in d.examples) for d in loaded}
    assert len(labels) == 1  # same ids, same labels, line by line
    assert loaded[0].examples[0]["premise"] != loaded[2].examples[0]["premise"]  # but translated text


@pytest.mark.parametrize("lang", LANGS)
def test_panx_dev_30_sentences(lang: str) -> None:
    data = load("panx", lang)
    assert data is not None and data.labelled and len(data.examples) == 30
    lines = (SAMPLE / "panx" / f"dev-{lang}.tsv").read_text(encoding="utf-8").splitlines()
    assert sum(len(ex["tokens"]) for ex in data.examples) == sum(1 for line in lines if line.strip())
    assert {t for ex in data.examples for t in ex["tags"]} <= set(NER_TAGS)
    assert not any(tok.startswith(f"{lang}:") for ex in data.examples for tok in ex["tokens"])


@pytest.mark.parametrize("lang", ("en", "sw"))
def test_tydiqa_dev_15_questions_answers_removed_by_xtreme(lang: str) -> None:
    """XTREME's TyDiQA dev files carry no answers (every one is the {0, ''} placeholder): read as unlabelled."""
    path = SAMPLE / "tydiqa" / "tydiqa-goldp-v1.1-dev" / f"tydiqa.goldp.{lang}.dev.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw_answers = [qa["answers"] for doc in raw["data"] for p in doc["paragraphs"] for qa in p["qas"]]
    assert all(a == [{"answer_start": 0, "text": ""}] for a in raw_answers)
    data = load("tydiqa", lang)
    assert data is not None and len(data.examples) == 15 and not data.labelled
    assert all(ex["id"].startswith({"en": "english-", "sw": "swahili-"}[lang]) for ex in data.examples)
    assert all(ex["answers"] == [] and ex["context"] and ex["question"] for ex in data.examples)
