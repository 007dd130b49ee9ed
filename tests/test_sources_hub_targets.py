"""MLQA / XQuAD QA targets and the IndicXNLI Bengali XNLI target from the hub (data.source: hub), on local
mirrors written with the upstream features and loaded offline; the data.qa_targets folder takes precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasets import ClassLabel, Dataset, Features, Sequence, Value
from test_sources_hub import hub_offline, write_repo  # noqa: F401  (autouse fixture)
from test_sources_qa_targets import qa_data_config

from xlrobust.config import DataConfig
from xlrobust.errors import ConfigError
from xlrobust.prepare import prepare_language
from xlrobust.sources import load_split
from xlrobust.sources.hub_targets import INDICXNLI_LABELS, load_qa_target

FIXTURE = Path(__file__).parent / "fixtures" / "xtreme_qa"  # xquad/xquad.de.json
_ANSWERS = Sequence({"text": Value("string"), "answer_start": Value("int32")})
# facebook/mlqa (mlqa.py) and google/xquad: id, context, question, answers {text, answer_start}
QA_FEATURES = Features(
    {"id": Value("string"), "context": Value("string"), "question": Value("string"), "answers": _ANSWERS}
)
# Divyanshu/indicxnli (indicxnli.py): premise, hypothesis, label ClassLabel(entailment, neutral, contradiction)
INDICXNLI_FEATURES = Features(
    {
        "premise": Value("string"),
        "hypothesis": Value("string"),
        "label": ClassLabel(names=list(INDICXNLI_LABELS)),
    }
)
CONTEXTS = {
    "es": ("Madrid es la capital de España.", "¿Cuál es la capital de España?", "Madrid"),
    "de": ("Berlin ist die Hauptstadt Deutschlands.", "Was ist die Hauptstadt?", "Berlin"),
    "hi": ("ताजमहल आगरा में है।", "ताजमहल कहाँ है?", "आगरा"),
}


def qa_rows(lang: str, n: int = 2) -> Dataset:
    ctx, question, answer = CONTEXTS[lang]
    return Dataset.from_dict(
        {
            "id": [f"{lang}{i:03d}" for i in range(n)],
            "context": [ctx] * n,
            "question": [question] * n,
            "answers": [{"text": [answer], "answer_start": [ctx.index(answer)]}] * n,
        },
        features=QA_FEATURES,
    )


def indicxnli_rows(features: Features = INDICXNLI_FEATURES) -> Dataset:
    return Dataset.from_dict(
        {
            "premise": ["জাদুঘরটি নয়টায় খোলে।", "সে দুটি আপেল কিনেছে।", "রাস্তাটি বন্ধ ছিল।"],
            "hypothesis": ["এটি সকালে খোলে।", "সে তার বোনের জন্য ফল কিনেছে।", "রাস্তাটি খোলা ছিল।"],
            "label": [0, 1, 2],
        },
        features=features,
    )


def hub_target_configs() -> dict[str, dict[str, Dataset]]:
    """The configs of facebook/mlqa, google/xquad and Divyanshu/indicxnli that the tests read."""
    return {
        "mlqa.es.es": {"validation": qa_rows("es", 1), "test": qa_rows("es", 3)},
        "xquad.de": {"validation": qa_rows("de")},
        "xquad.hi": {"validation": qa_rows("hi")},
        "bn": {"train": indicxnli_rows(), "validation": indicxnli_rows(), "test": indicxnli_rows()},
    }


def make_mirror(root: Path, configs: dict[str, dict[str, Dataset]]) -> Path:
    for config in configs:
        (root / config).mkdir(parents=True, exist_ok=True)
    return write_repo(root, configs)


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_mirror(tmp_path_factory.mktemp("hub"), hub_target_configs())


def test_mlqa_then_xquad_from_the_hub_mirror(mirror: Path, tmp_path: Path) -> None:
    es = load_qa_target("es", "test", path=str(mirror), cache_dir=str(tmp_path))
    assert es is not None and len(es.examples) == 3 and es.dataset == "MLQA"
    assert es.provenance.startswith("mixed") and es.origin == f"{mirror}/mlqa.es.es/test"
    assert es.examples[0]["id"] == "mlqa-es-es000" and es.examples[0]["answers"][0]["text"] == "Madrid"
    dev = load_qa_target("es", "dev", path=str(mirror), cache_dir=str(tmp_path))
    assert dev is not None and len(dev.examples) == 1  # MLQA dev is its own (labelled) split
    for split in ("dev", "test"):  # XQuAD has one split, used for either
        de = load_qa_target("de", split, path=str(mirror), cache_dir=str(tmp_path))
        assert de is not None and de.dataset == "XQuAD" and de.provenance == "human-translated"
        assert de.origin == f"{mirror}/xquad.de/validation" and len(de.examples) == 2
    # a language neither dataset covers, one the mirror lacks (ar), and train: not available, no error
    for lang, split in (("sw", "test"), ("ar", "test"), ("de", "train")):
        assert load_qa_target(lang, split, path=str(mirror), cache_dir=str(tmp_path)) is None


def test_indicxnli_fills_bengali_xnli_marked_machine_translated(mirror: Path, tmp_path: Path) -> None:
    for split in ("train", "dev", "test"):
        data = load_split("hub", "xnli", "bn", split, path=str(mirror), cache_dir=str(tmp_path))
        assert data is not None and data.labelled and data.dataset == "IndicXNLI"
        assert data.provenance == "machine-translated" and "XNLI has no bn" in data.note
        assert [ex["label"] for ex in data.examples] == ["entailment", "neutral", "contradiction"]
    assert data.origin == f"{mirror}/bn/test"


def test_indicxnli_plain_integer_labels_follow_the_script_order(tmp_path: Path) -> None:
    plain = Features({**INDICXNLI_FEATURES, "label": Value("int64")})
    repo = make_mirror(tmp_path / "hub", {"bn": {"test": indicxnli_rows(plain)}})
    data = load_split("hub", "xnli", "bn", "test", path=str(repo), cache_dir=str(tmp_path / "c"))
    assert data is not None
    assert [ex["label"] for ex in data.examples] == ["entailment", "neutral", "contradiction"]


def test_qa_targets_folder_wins_over_the_hub(mirror: Path) -> None:
    """de: the folder's XQuAD file; es and hi (not in the folder): the hub's MLQA and XQuAD."""
    datasets = {}
    for lang in ("de", "es", "hi"):
        prepared = prepare_language(
            lang,
            ["tydiqa"],
            qa_data_config(mirror, str(FIXTURE), source="hub"),
            sources=["en"],
            eval_split="test",
            seed=0,
        )
        (row,) = [r for r in prepared.coverage if r["split"] == "test"]
        datasets[lang] = (row["dataset"], row["origin"])
        assert f"TyDiQA-GoldP has no {lang}" in row["note"] and "test" in prepared.splits["tydiqa"]
    assert datasets == {
        "de": ("XQuAD", str(FIXTURE / "xquad" / "xquad.de.json")),
        "es": ("MLQA", f"{mirror}/mlqa.es.es/test"),
        "hi": ("XQuAD", f"{mirror}/xquad.hi/validation"),
    }


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("d0b69a6", r"'data.revisions.xnli' 'd0b69a6' looks like a commit id but is not 40 lower-case hex"),
        ("main branch", r"'data.revisions.xnli' is 'main branch'; use a branch or tag"),
    ],
)
def test_revision_must_be_a_name_or_a_full_commit_id(revision: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DataConfig(revisions={"xnli": revision}).validate()
    with pytest.raises(ConfigError, match=r"'data.revisions' is 'mlqa2'.*allowed: .*mlqa, xquad, indicxnli"):
        DataConfig(revisions={"mlqa2": "main"}).validate()
    full = "d0b69a6f999d31ecd5be9b61ea1be3040b66e69d"
    DataConfig(revisions={"xnli": full, "indicxnli": "refs/convert/parquet"}).validate()
