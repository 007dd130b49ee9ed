"""Hub loader on local copies laid out like the hub repositories (parquet + README configs, save_to_disk),
written here with the upstream ``Features`` (ClassLabel names included) and loaded with the hub offline."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import datasets
import huggingface_hub.constants
import pytest
from datasets import ClassLabel, Dataset, DatasetDict, Features, List, Sequence, Value

from xlrobust.errors import DataError
from xlrobust.examples import NER_TAGS, NLI_LABELS
from xlrobust.sources import coverage_markdown, coverage_rows, load_split

XNLI_FEATURES = Features(
    {"premise": Value("string"), "hypothesis": Value("string"), "label": ClassLabel(names=list(NLI_LABELS))}
)
PANX_FEATURES = Features(
    {
        "tokens": List(Value("string")),
        "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
        "langs": List(Value("string")),
    }
)
TYDIQA_FEATURES = Features(
    {
        "id": Value("string"),
        "title": Value("string"),
        "context": Value("string"),
        "question": Value("string"),
        "answers": Sequence({"text": Value("string"), "answer_start": Value("int32")}),
    }
)


@pytest.fixture(autouse=True)
def hub_offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test here may reach the network: the libraries read these flags at import, so patch both."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    bars = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()
    yield
    if bars:
        datasets.enable_progress_bars()


def write_repo(root: Path, configs: dict[str, dict[str, Dataset]]) -> Path:
    """A local dataset repository like the hub's: <config>/<split>-00000-of-00001.parquet + README configs."""
    yaml = ["---", "configs:"]
    for config, splits in configs.items():
        yaml += [f"- config_name: {config}", "  data_files:"]
        for split, ds in splits.items():
            ds.to_parquet(str(root / config / f"{split}-00000-of-00001.parquet"))
            yaml += [f"  - split: {split}", f"    path: {config}/{split}-*"]
    (root / "README.md").write_text("\n".join(yaml + ["---", ""]), encoding="utf-8")
    return root


def xnli_rows(features: Features = XNLI_FEATURES, labels: list[str] | None = None) -> Dataset:
    names = features["label"].names
    labels = labels or ["entailment", "neutral", "contradiction"]
    return Dataset.from_dict(
        {
            "premise": ["The museum opens at nine.", "He bought two apples.", "The road was closed."],
            "hypothesis": [
                "It opens in the morning.",
                "He bought fruit for his sister.",
                "The road was open.",
            ],
            "label": [names.index(lab) for lab in labels],
        },
        features=features,
    )


@pytest.fixture(scope="module")
def xnli_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facebook_xnli")
    sw_train = Dataset.from_dict(
        {"premise": ["Alinunua matofaa.", "   "], "hypothesis": ["Alinunua matunda.", "x"], "label": [0, 1]},
        features=XNLI_FEATURES,
    )
    return write_repo(
        root,
        {
            "en": {"train": xnli_rows(), "validation": xnli_rows(), "test": xnli_rows()},
            "sw": {"train": sw_train, "validation": xnli_rows()},
        },
    )


@pytest.fixture(scope="module")
def panx_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("google_xtreme")
    tag = NER_TAGS.index
    ds = Dataset.from_dict(
        {
            "tokens": [["Khartoum", ",", "Sudan"], ["Benki", "Kuu", "ya", "Tanzania"]],
            "ner_tags": [
                [tag("B-LOC"), tag("O"), tag("B-LOC")],
                [tag("B-ORG"), tag("I-ORG"), tag("I-ORG"), tag("I-ORG")],
            ],
            "langs": [["sw"] * 3, ["sw"] * 4],
        },
        features=PANX_FEATURES,
    )
    return write_repo(root, {"PAN-X.sw": {"train": ds, "validation": ds, "test": ds}})


@pytest.fixture(scope="module")
def tydiqa_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tydiqa")
    ctx_sw, ctx_en = "Nairobi ni mji mkuu wa Kenya.", "Mount Everest is 8,849 metres tall."
    ds = Dataset.from_dict(
        {
            "id": ["swahili-123-0", "english-456-0", "swahili--789-2"],
            "title": ["Nairobi", "Everest", "Nairobi"],
            "context": [ctx_sw, ctx_en, ctx_sw],
            "question": [
                "Mji mkuu wa Kenya ni upi?",
                "How tall is Everest?",
                "Nairobi ni mji mkuu wa nchi gani?",
            ],
            "answers": [
                {"text": ["Nairobi"], "answer_start": [0]},
                {"text": ["8,849 metres", "8,849"], "answer_start": [17, 17]},
                {"text": ["Kenya"], "answer_start": [23]},
            ],
        },
        features=TYDIQA_FEATURES,
    )
    return write_repo(root, {"secondary_task": {"train": ds, "validation": ds}})


def test_xnli_maps_classlabel_through_feature_names(xnli_repo: Path, tmp_path: Path) -> None:
    data = load_split("hub", "xnli", "en", "dev", path=str(xnli_repo), cache_dir=str(tmp_path))
    assert data is not None and data.labelled and data.read == 3 and data.dropped == 0
    assert [ex["label"] for ex in data.examples] == ["entailment", "neutral", "contradiction"]
    assert data.examples[0] == {
        "id": "dev-000000",
        "premise": "The museum opens at nine.",
        "hypothesis": "It opens in the morning.",
        "label": "entailment",
    }
    assert data.origin == f"{xnli_repo}/en/validation"


def test_xnli_label_order_comes_from_the_dataset_not_an_assumption(tmp_path: Path) -> None:
    shuffled = Features(
        {**XNLI_FEATURES, "label": ClassLabel(names=["contradiction", "entailment", "neutral"])}
    )
    repo = write_repo(tmp_path / "repo", {"en": {"validation": xnli_rows(shuffled)}})
    data = load_split("hub", "xnli", "en", "dev", path=str(repo), cache_dir=str(tmp_path / "cache"))
    assert data is not None
    assert [ex["label"] for ex in data.examples] == ["entailment", "neutral", "contradiction"]


def test_xnli_machine_translated_train_is_noted_and_empty_rows_dropped(
    xnli_repo: Path, tmp_path: Path
) -> None:
    data = load_split("hub", "xnli", "sw", "train", path=str(xnli_repo), cache_dir=str(tmp_path))
    assert data is not None and data.read == 2 and data.dropped == 1 and len(data.examples) == 1
    assert "machine-translated" in data.note


def test_xnli_unlabelled_minus_one(tmp_path: Path) -> None:
    ds = Dataset.from_dict(
        {"premise": ["a b", "c d"], "hypothesis": ["e", "f"], "label": [-1, -1]}, features=XNLI_FEATURES
    )
    repo = write_repo(tmp_path / "repo", {"en": {"test": ds}})
    data = load_split("hub", "xnli", "en", "test", path=str(repo), cache_dir=str(tmp_path / "cache"))
    assert data is not None and not data.labelled and all(ex["label"] is None for ex in data.examples)


def test_xnli_language_without_config_is_none_and_missing_local_config_is_error(
    xnli_repo: Path, tmp_path: Path
) -> None:
    assert load_split("hub", "xnli", "bn", "dev", path=str(xnli_repo), cache_dir=str(tmp_path)) is None
    with pytest.raises(DataError, match=r"/de/validation: BuilderConfig 'de' not found"):
        load_split("hub", "xnli", "de", "dev", path=str(xnli_repo), cache_dir=str(tmp_path))
    with pytest.raises(DataError, match=r"/sw/test: Unknown split"):
        load_split("hub", "xnli", "sw", "test", path=str(xnli_repo), cache_dir=str(tmp_path))


def test_panx_tags_from_classlabel_list(panx_repo: Path, tmp_path: Path) -> None:
    data = load_split("hub", "panx", "sw", "test", path=str(panx_repo), cache_dir=str(tmp_path))
    assert data is not None and data.labelled
    assert data.examples[1] == {
        "id": "sw-test-000001",
        "tokens": ["Benki", "Kuu", "ya", "Tanzania"],
        "tags": ["B-ORG", "I-ORG", "I-ORG", "I-ORG"],
    }


def test_panx_bio_error_names_row_and_token(tmp_path: Path) -> None:
    ds = Dataset.from_dict(
        {"tokens": [["Juma", "Ali"]], "ner_tags": [[0, NER_TAGS.index("I-PER")]], "langs": [["sw", "sw"]]},
        features=PANX_FEATURES,
    )
    repo = write_repo(tmp_path / "repo", {"PAN-X.sw": {"validation": ds}})
    with pytest.raises(DataError, match=r"PAN-X.sw/validation: row 0: field 'tags': token 1 \('Ali'\): BIO"):
        load_split("hub", "panx", "sw", "dev", path=str(repo), cache_dir=str(tmp_path / "cache"))


def test_tydiqa_filters_language_by_id_prefix(tydiqa_repo: Path, tmp_path: Path) -> None:
    data = load_split("hub", "tydiqa", "sw", "dev", path=str(tydiqa_repo), cache_dir=str(tmp_path))
    assert data is not None and data.labelled
    assert [ex["id"] for ex in data.examples] == ["swahili-123-0", "swahili--789-2"]
    assert data.examples[1]["answers"] == [{"text": "Kenya", "answer_start": 23}]
    en = load_split("hub", "tydiqa", "en", "train", path=str(tydiqa_repo), cache_dir=str(tmp_path))
    assert en is not None and len(en.examples[0]["answers"]) == 2


def test_tydiqa_has_no_test_split_and_no_spanish(tydiqa_repo: Path, tmp_path: Path) -> None:
    assert load_split("hub", "tydiqa", "sw", "test", path=str(tydiqa_repo), cache_dir=str(tmp_path)) is None
    assert load_split("hub", "tydiqa", "es", "dev", path=str(tydiqa_repo), cache_dir=str(tmp_path)) is None


def test_tydiqa_misplaced_answer_is_error(tmp_path: Path) -> None:
    ds = Dataset.from_dict(
        {
            "id": ["swahili-1-0"],
            "title": ["t"],
            "context": ["Nairobi ni mji mkuu."],
            "question": ["Mji?"],
            "answers": [{"text": ["mkuu"], "answer_start": [3]}],
        },
        features=TYDIQA_FEATURES,
    )  # the text lies after its offset: no strip shift explains it
    repo = write_repo(tmp_path / "repo", {"secondary_task": {"validation": ds}})
    with pytest.raises(DataError, match=r"row 0 \(id 'swahili-1-0'\): field 'answers\[0\].answer_start'"):
        load_split("hub", "tydiqa", "sw", "dev", path=str(repo), cache_dir=str(tmp_path / "cache"))


def stripped_like_the_hub(rows: list[dict]) -> Dataset:
    """TyDiQA rows as the hub's parquet conversion wrote them: context and answer texts ``.strip()``ped,
    ``answer_start`` copied unchanged from the original (unstripped) context (google-research-datasets/tydiqa,
    tydiqa.py ``_generate_examples``, secondary_task)."""
    return Dataset.from_dict(
        {
            "id": [r["id"] for r in rows],
            "title": [r["title"] for r in rows],
            "context": [r["context"].strip() for r in rows],
            "question": [r["question"] for r in rows],
            "answers": [
                {
                    "text": [t.strip() for t in r["texts"]],
                    "answer_start": [r["context"].index(t) for t in r["texts"]],
                }
                for r in rows
            ],
        },
        features=TYDIQA_FEATURES,
    )


def test_tydiqa_offsets_shifted_by_the_hub_strip_are_repaired_and_counted(tmp_path: Path) -> None:
    # The Swahili row is the real sw train excerpt's case: a context with leading whitespace, where the shifted
    # offset points at "ingereza." instead of "Uingereza".
    rows = [
        {
            "id": "swahili-1-0",
            "title": "Uingereza",
            "question": "Mji mkuu wa Uingereza ni upi?",
            "context": "  \n London ni mji mkuu wa Uingereza.",
            "texts": ["Uingereza", "London"],
        },
        {
            "id": "swahili-2-0",
            "title": "Kenya",
            "question": "Mji mkuu wa Kenya ni upi?",
            "context": "Nairobi ni mji mkuu wa Kenya.",
            "texts": ["Nairobi"],
        },
    ]
    repo = write_repo(tmp_path / "repo", {"secondary_task": {"train": stripped_like_the_hub(rows)}})
    data = load_split("hub", "tydiqa", "sw", "train", path=str(repo), cache_dir=str(tmp_path / "cache"))
    assert data is not None and data.repaired == 2 and "2 answer offset(s) repaired" in data.note
    ctx = data.examples[0]["context"]
    assert [
        ctx[a["answer_start"] : a["answer_start"] + len(a["text"])] for a in data.examples[0]["answers"]
    ] == ["Uingereza", "London"]
    assert data.examples[1]["answers"] == [{"text": "Nairobi", "answer_start": 0}]
    row = coverage_rows({("tydiqa", "sw", "train"): data})[0]
    assert row["repaired"] == 2
    assert "| repaired |" in coverage_markdown([row])


def test_tydiqa_answer_matching_nowhere_near_its_offset_is_still_refused(tmp_path: Path) -> None:
    ds = Dataset.from_dict(
        {
            "id": ["swahili-1-0"],
            "title": ["t"],
            "context": ["Nairobi ni mji mkuu wa Kenya."],
            "question": ["Mji?"],
            "answers": [{"text": ["Mombasa"], "answer_start": [3]}],
        },
        features=TYDIQA_FEATURES,
    )
    repo = write_repo(tmp_path / "repo", {"secondary_task": {"validation": ds}})
    with pytest.raises(DataError, match=r"answers\[0\].answer_start'.*not the answer text 'Mombasa'"):
        load_split("hub", "tydiqa", "sw", "dev", path=str(repo), cache_dir=str(tmp_path / "cache"))


def test_repository_with_a_loading_script_is_a_one_line_error(tmp_path: Path) -> None:
    """A revision from before the parquet conversion still holds ``tydiqa.py``; datasets raises RuntimeError."""
    repo = tmp_path / "tydiqa"
    repo.mkdir()
    (repo / "tydiqa.py").write_text("import datasets\n", encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"Dataset scripts are no longer supported.*pin data.revisions to a commit "
        r"after the conversion",
    ) as err:
        load_split("hub", "tydiqa", "sw", "dev", path=str(repo), cache_dir=str(tmp_path / "cache"))
    assert "\n" not in str(err.value)


def test_save_to_disk_layout(tmp_path: Path) -> None:
    DatasetDict({"validation": xnli_rows()}).save_to_disk(str(tmp_path / "local" / "en"))
    data = load_split("hub", "xnli", "en", "dev", path=str(tmp_path / "local"))
    assert data is not None and [ex["label"] for ex in data.examples] == list(NLI_LABELS)


def test_real_hub_id_offline_fails_with_actionable_error(tmp_path: Path) -> None:
    with pytest.raises(
        DataError,
        match=r"facebook/xnli@main/en/validation: could not reach the Hugging Face "
        r"Hub.*data.source: xtreme",
    ):
        load_split("hub", "xnli", "en", "dev", cache_dir=str(tmp_path))


def test_missing_local_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="local dataset folder not found"):
        load_split("hub", "panx", "sw", "dev", path=str(tmp_path / "nope"))


def test_offline_env_in_a_fresh_process_fails_fast_without_traceback(tmp_path: Path) -> None:
    """What a user without network sees: one line, no retries, no traceback."""
    code = textwrap.dedent(f"""
        from xlrobust.errors import XLRobustError
        from xlrobust.sources import load_split
        try:
            load_split("hub", "panx", "sw", "dev", cache_dir={str(tmp_path)!r})
        except XLRobustError as e:
            print("error:", e)
    """)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "home"),
    }
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - start < 60
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("error: google/xtreme@main/PAN-X.sw/validation: could not reach")
    assert "Traceback" not in out.stderr


def test_coverage_rows_from_hub(panx_repo: Path, tmp_path: Path) -> None:
    loaded = {
        ("panx", "sw", "dev"): load_split(
            "hub", "panx", "sw", "dev", path=str(panx_repo), cache_dir=str(tmp_path)
        ),
        ("panx", "xx", "dev"): None,
    }
    rows = coverage_rows(loaded)
    assert rows[0]["count"] == 2 and rows[0]["labelled"] is True
    assert rows[1] == {
        "task": "panx",
        "language": "xx",
        "split": "dev",
        "count": 0,
        "labelled": None,
        "dropped": 0,
        "repaired": 0,
        "origin": "not in source",
        "note": "",
    }
