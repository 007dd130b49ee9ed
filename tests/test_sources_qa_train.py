"""SQuAD v1.1 / translate-train as the QA training corpus (data.qa_train: squad), from an XTREME-style folder,
JSONL and hub copies (local mirrors in the hub's exact format, loaded offline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset
from test_sources_hub import TYDIQA_FEATURES, hub_offline, write_repo  # noqa: F401  (autouse fixture)

from xlrobust.config import DataConfig, Params, SplitSizes
from xlrobust.errors import ConfigError
from xlrobust.prepare import prepare_language
from xlrobust.sources.qa_train import load_squad_train

FIXTURE = Path(__file__).parent / "fixtures" / "xtreme_qa"  # squad/train-v1.1.json, squad/translate-train/


def _aligned(examples: list[dict]) -> bool:
    return all(
        ex["context"][a["answer_start"] : a["answer_start"] + len(a["text"])] == a["text"]
        for ex in examples
        for a in ex["answers"]
    )


def squad_rows(lang: str) -> Dataset:
    """Rows as rajpurkar/squad (plain_text) and ccasimiro/squad_es (v1.1.0) publish them."""
    contexts = {
        "en": "Beyonce Giselle Knowles-Carter (born September 4, 1981) is an American singer.",
        "es": "Beyonce Giselle Knowles-Carter (nacida el 4 de septiembre de 1981) es una cantante estadounidense.",
    }
    answers = {"en": "September 4, 1981", "es": "4 de septiembre de 1981"}
    ctx, ans = contexts[lang], answers[lang]
    return Dataset.from_dict(
        {
            "id": ["56be85543aeaaa14008c9063", "56be85543aeaaa14008c9065"],
            "title": ["Beyoncé", "Beyoncé"],
            "context": [ctx, ctx],
            "question": ["When was Beyonce born?", "Who is Beyonce?"],
            "answers": [
                {"text": [ans], "answer_start": [ctx.index(ans)]},
                {"text": ["Beyonce Giselle Knowles-Carter"], "answer_start": [0]},
            ],
        },
        features=TYDIQA_FEATURES,
    )


@pytest.fixture
def squad_mirror(tmp_path: Path) -> Path:
    root = tmp_path / "hub"
    (root / "plain_text").mkdir(parents=True)
    (root / "v1.1.0").mkdir()
    return write_repo(
        root, {"plain_text": {"train": squad_rows("en")}, "v1.1.0": {"train": squad_rows("es")}}
    )


def test_xtreme_folder_reads_squad_and_translate_train():
    en = load_squad_train("xtreme", "en", path=str(FIXTURE))
    es = load_squad_train("xtreme", "es", path=str(FIXTURE))
    assert en is not None and len(en.examples) == 3 and en.origin.endswith("squad/train-v1.1.json")
    assert (en.dataset, en.provenance) == ("SQuAD v1.1", "native")
    assert es is not None and len(es.examples) == 3 and es.origin.endswith("squad.translate.train.en-es.json")
    assert (es.dataset, es.provenance) == ("SQuAD v1.1 translate-train", "machine-translated")
    assert _aligned(en.examples) and _aligned(es.examples)
    assert load_squad_train("xtreme", "sw", path=str(FIXTURE)) is None  # XTREME has no sw translate-train


def test_hub_mirror_reads_squad_and_squad_es(squad_mirror: Path):
    en = load_squad_train("hub", "en", path=str(squad_mirror))
    es = load_squad_train("hub", "es", path=str(squad_mirror))
    assert en is not None and len(en.examples) == 2 and "plain_text/train" in en.origin
    assert es is not None and "v1.1.0/train" in es.origin and es.provenance == "machine-translated"
    assert es.examples[0]["answers"] == [{"text": "4 de septiembre de 1981", "answer_start": 42}]
    assert _aligned(es.examples)


def test_hub_has_no_other_translate_train_but_qa_targets_folder_supplies_it(squad_mirror: Path):
    assert load_squad_train("hub", "de", path=str(squad_mirror)) is None  # a source de is refused by config
    de = load_squad_train("hub", "de", path=str(squad_mirror), qa_folder=str(FIXTURE))
    assert de is not None and de.origin.endswith("squad.translate.train.en-de.json")


def test_jsonl_layout(tmp_path: Path):
    (tmp_path / "squad").mkdir()
    row = {
        "id": "q1",
        "question": "Who?",
        "context": "Ana came.",
        "answers": [{"text": "Ana", "answer_start": 0}],
    }
    (tmp_path / "squad" / "train-es.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    es = load_squad_train("jsonl", "es", path=str(tmp_path))
    assert es is not None and len(es.examples) == 1 and es.provenance == "machine-translated"
    assert load_squad_train("jsonl", "de", path=str(tmp_path)) is None


def _cfg(path: Path, **kw) -> DataConfig:
    cfg = DataConfig(
        source="xtreme",
        path=str(path),
        on_missing="skip",
        eval_split="test",
        sizes=SplitSizes(train=None, dev=None, test=None),
        qa_train="squad",
        **kw,
    )
    cfg.validate()
    return cfg


def test_prepare_trains_spanish_qa_on_translate_train_and_records_it():
    prepared = prepare_language(
        "es",
        ["tydiqa"],
        _cfg(FIXTURE, qa_targets=str(FIXTURE)),
        sources=["en", "es"],
        eval_split="test",
        seed=0,
    )
    assert len(prepared.splits["tydiqa"]["train"]) == 3 and "tydiqa" not in prepared.skipped
    (row,) = [r for r in prepared.coverage if r["split"] == "train"]
    assert row["dataset"] == "SQuAD v1.1 translate-train" and row["provenance"] == "machine-translated"
    assert "data.qa_train: squad" in row["note"]


def test_bad_qa_train_value_and_hub_source_without_a_copy(tmp_path: Path):
    with pytest.raises(ConfigError, match="'data.qa_train' is 'squad2'.*allowed: tydiqa, squad"):
        DataConfig(qa_train="squad2").validate()
    params = Params(languages=["en", "de"], sources=["en", "de"], low_resource=["de"])
    params.data = DataConfig(source="hub", qa_train="squad")
    with pytest.raises(ConfigError, match="no hub copy of translate-train SQuAD for source 'de'"):
        params.validate()
