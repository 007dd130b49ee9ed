"""The paper preset end to end on offline fixtures in the hub's exact formats: prepare, pretrain (a tiny model in
place of mt5-base), finetune and evaluate train a Spanish QA model on SQuAD-es and score it on TyDiQA-GoldP
targets (en, sw) and on MLQA (es) and XQuAD (de, hi) from an XTREME-style data.qa_targets folder; the coverage
table names every (task, target)'s dataset and every source's training data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from datasets import Dataset
from pipeline_helpers import MINI_PARAMS, deep_update
from test_sources_hub import TYDIQA_FEATURES, write_repo
from test_sources_qa_train import squad_rows

REPO = Path(__file__).resolve().parents[1]
XQUAD_DE = REPO / "tests" / "fixtures" / "xtreme_qa" / "xquad" / "xquad.de.json"
LANGS = ["en", "es", "de", "hi", "sw"]


def _squad_json(context: str, qas: list[tuple[str, str, str]]) -> dict:
    """One SQuAD-1.1 document: (id, question, answer) with the answer's offset in ``context``."""
    return {
        "data": [
            {
                "title": "t",
                "paragraphs": [
                    {
                        "context": context,
                        "qas": [
                            {
                                "id": i,
                                "question": q,
                                "answers": [{"text": a, "answer_start": context.index(a)}],
                            }
                            for i, q, a in qas
                        ],
                    }
                ],
            }
        ],
        "version": "1.1",
    }


def _tydiqa_rows() -> Dataset:
    ctx = {"english": "Mount Everest is 8,849 metres tall.", "swahili": "Nairobi ni mji mkuu wa Kenya."}
    ans = {"english": "8,849 metres", "swahili": "Nairobi"}
    rows = [(lang, i) for lang in ("english", "swahili") for i in range(3)]
    return Dataset.from_dict(
        {
            "id": [f"{lang}-{i}-0" for lang, i in rows],
            "title": ["t"] * len(rows),
            "context": [ctx[lang] for lang, _ in rows],
            "question": [f"Question {i}?" for _, i in rows],
            "answers": [
                {"text": [ans[lang]], "answer_start": [ctx[lang].index(ans[lang])]} for lang, _ in rows
            ],
        },
        features=TYDIQA_FEATURES,
    )


def _stage(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "XLROBUST_LOG": "WARNING",
    }
    proc = subprocess.run(
        [sys.executable, str(REPO / "stages" / args[0]), *args[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"{args}: {proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


@pytest.mark.slow
def test_paper_preset_trains_spanish_qa_and_evaluates_on_tydiqa_mlqa_xquad(tmp_path: Path):
    mirror = tmp_path / "hub"
    for config in ("secondary_task", "plain_text", "v1.1.0"):
        (mirror / config).mkdir(parents=True)
    write_repo(
        mirror,
        {
            "secondary_task": {"train": _tydiqa_rows(), "validation": _tydiqa_rows()},
            "plain_text": {"train": Dataset.from_list(list(squad_rows("en")) * 2, features=TYDIQA_FEATURES)},
            "v1.1.0": {"train": squad_rows("es")},
        },
    )
    # squad_rows repeats ids when doubled: give the English copy unique ids
    en = Dataset.from_list(
        [{**r, "id": f"{r['id']}-{i}"} for i, r in enumerate(list(squad_rows("en")) * 2)],
        features=TYDIQA_FEATURES,
    )
    en.to_parquet(str(mirror / "plain_text" / "train-00000-of-00001.parquet"))
    targets = tmp_path / "qa_targets"
    (targets / "xquad").mkdir(parents=True)
    (targets / "mlqa" / "MLQA_V1" / "test").mkdir(parents=True)
    (targets / "xquad" / "xquad.de.json").write_bytes(XQUAD_DE.read_bytes())
    hi = _squad_json("ताजमहल आगरा में है।", [("hi-1", "ताजमहल कहाँ है?", "आगरा")])
    (targets / "xquad" / "xquad.hi.json").write_text(json.dumps(hi, ensure_ascii=False), encoding="utf-8")
    es = _squad_json(
        "Madrid es la capital de España.", [("es-1", "¿Cuál es la capital de España?", "Madrid")]
    )
    mlqa_es = targets / "mlqa" / "MLQA_V1" / "test" / "test-context-es-question-es.json"
    mlqa_es.write_text(json.dumps(es, ensure_ascii=False), encoding="utf-8")

    params = yaml.safe_load((REPO / "configs" / "paper.yaml").read_text(encoding="utf-8"))
    tiny = {k: MINI_PARAMS[k] for k in ("model", "pretrain")}
    deep_update(
        params,
        {
            **tiny,
            "languages": LANGS,
            "low_resource": ["sw", "hi"],
            "tasks": ["tydiqa"],
            "seeds": [13],
            "data": {"path": str(mirror), "qa_targets": str(targets), "corpus_sentences": 20},
            "model": {
                **MINI_PARAMS["model"],
                "name": "tiny",
                "max_input_length": 64,
                "max_target_length": 16,
            },
            "pretrain": {**MINI_PARAMS["pretrain"], "languages": LANGS},
            "train": {
                "batch_size": 2,
                "epochs": 1,
                "precision": "fp32",
                "device": "cpu",
                "checkpoint_every": 4,
            },
            "eval": {"batch_size": 4, "device": "cpu", "max_new_tokens": 8},
        },
    )
    root = tmp_path / "run"
    root.mkdir()
    (root / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False), encoding="utf-8")
    for lang in LANGS:
        _stage(root, "prepare.py", "--lang", lang)
    rows = {
        (r["language"], r["split"]): r
        for lang in LANGS
        for r in json.loads((root / "metrics" / "coverage" / f"{lang}.json").read_text(encoding="utf-8"))[
            "rows"
        ]
    }
    assert {lang: rows[(lang, "test")]["dataset"] for lang in LANGS} == {
        "en": "TyDiQA-GoldP",
        "sw": "TyDiQA-GoldP",
        "es": "MLQA",
        "de": "XQuAD",
        "hi": "XQuAD",
    }
    assert (
        rows[("es", "train")]["provenance"] == "machine-translated"
        and rows[("en", "train")]["provenance"] == "native"
    )
    assert (
        rows[("en", "train")]["available"] == 4 and rows[("en", "train")]["count"] == 2
    )  # equal_train_size: min
    assert rows[("es", "train")]["count"] == 2
    _stage(root, "pretrain.py")
    for source in ("en", "es"):
        _stage(root, "finetune.py", "--task", "tydiqa", "--source", source, "--seed", "13")
    assert not (root / "models" / "finetuned" / "tydiqa-es-seed13" / "SKIPPED").exists()
    _stage(root, "evaluate.py", "--task", "tydiqa", "--source", "es", "--seed", "13")
    result = json.loads((root / "metrics" / "eval" / "tydiqa-es-seed13.json").read_text(encoding="utf-8"))
    assert set(result["targets"]) == set(LANGS)
