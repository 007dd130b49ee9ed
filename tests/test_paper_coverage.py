"""The paper preset's coverage table names the dataset of every (task, target) for all three tasks: prepare on an
offline mirror in the hub's exact formats (facebook/xnli, google/xtreme PAN-X, TyDiQA-GoldP, SQuAD/SQuAD-es,
google/xtreme MLQA, google/xquad, Divyanshu/indicxnli), with no data.qa_targets folder, so the hub fills the gaps."""

from __future__ import annotations

from pathlib import Path

import yaml
from datasets import Dataset
from pipeline_helpers import deep_update
from test_sources_hub import PANX_FEATURES, TYDIQA_FEATURES, hub_offline, xnli_rows  # noqa: F401
from test_sources_hub_targets import hub_target_configs, make_mirror
from test_sources_qa_train import squad_rows

from xlrobust.config import load_params
from xlrobust.examples import NER_TAGS
from xlrobust.prepare import prepare_language

REPO = Path(__file__).resolve().parents[1]
LANGS = ["en", "es", "de", "hi", "sw", "bn"]
TASKS = ["xnli", "panx", "tydiqa"]


def _panx() -> Dataset:
    tag = NER_TAGS.index
    return Dataset.from_dict(
        {
            "tokens": [["Nairobi", "ni", "mji"], ["Benki", "Kuu"]],
            "ner_tags": [[tag("B-LOC"), tag("O"), tag("O")], [tag("B-ORG"), tag("I-ORG")]],
            "langs": [["x"] * 3, ["x"] * 2],
        },
        features=PANX_FEATURES,
    )


def _tydiqa() -> Dataset:
    ctx = {"english": "Mount Everest is tall.", "swahili": "Nairobi ni mji.", "bengali": "ঢাকা বড় শহর।"}
    ans = {"english": "Mount Everest", "swahili": "Nairobi", "bengali": "ঢাকা"}
    return Dataset.from_dict(
        {
            "id": [f"{name}-{i}" for name in ctx for i in range(2)],
            "title": ["t"] * 6,
            "context": [ctx[name] for name in ctx for _ in range(2)],
            "question": [f"Q{i}?" for _ in ctx for i in range(2)],
            "answers": [{"text": [ans[name]], "answer_start": [0]} for name in ctx for _ in range(2)],
        },
        features=TYDIQA_FEATURES,
    )


def test_paper_preset_coverage_names_every_task_and_target_dataset(tmp_path: Path) -> None:
    splits3 = ("train", "validation", "test")
    configs = {
        **{lang: {s: xnli_rows() for s in splits3} for lang in ("en", "es", "de", "hi", "sw")},
        **{f"PAN-X.{lang}": {s: _panx() for s in splits3} for lang in LANGS},
        "secondary_task": {"train": _tydiqa(), "validation": _tydiqa()},
        "plain_text": {"train": squad_rows("en")},
        "v1.1.0": {"train": squad_rows("es")},
        **hub_target_configs(),  # MLQA.es.es, xquad.de, xquad.hi, bn (IndicXNLI)
    }
    mirror = make_mirror(tmp_path / "hub", configs)
    raw = yaml.safe_load((REPO / "configs" / "paper.yaml").read_text(encoding="utf-8"))
    deep_update(
        raw,
        {
            "languages": LANGS,
            "low_resource": ["sw", "bn", "hi"],
            "pretrain": {"languages": LANGS},
            "data": {"path": str(mirror), "qa_targets": None, "cache_dir": str(tmp_path / "cache")},
        },
    )
    params = load_params(raw)
    table = {}
    for lang in LANGS:
        prepared = prepare_language(
            lang, TASKS, params.data, sources=params.sources, eval_split="test", seed=params.seed
        )
        for row in prepared.coverage:
            if row["split"] == "test":
                table[(row["task"], lang)] = (row["dataset"], row["provenance"], row["labelled"])
    assert {key: value[0] for key, value in table.items()} == {
        **{("xnli", lang): "XNLI" for lang in ("en", "es", "de", "hi", "sw")},
        ("xnli", "bn"): "IndicXNLI",
        **{("panx", lang): "PAN-X (WikiANN)" for lang in LANGS},
        **{("tydiqa", lang): "TyDiQA-GoldP" for lang in ("en", "sw", "bn")},
        ("tydiqa", "es"): "MLQA",
        ("tydiqa", "de"): "XQuAD",
        ("tydiqa", "hi"): "XQuAD",
    }
    assert all(labelled for _, _, labelled in table.values())
    assert table[("xnli", "bn")][1] == "machine-translated" and table[("xnli", "de")][1] == "human-translated"
    assert table[("xnli", "en")][1] == "native" and table[("tydiqa", "hi")][1] == "human-translated"
