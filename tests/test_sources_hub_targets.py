"""MLQA / XQuAD QA targets and the IndicXNLI Bengali XNLI target from the hub (data.source: hub), on local
mirrors written with the upstream features and loaded offline; the data.qa_targets folder takes precedence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from datasets import ClassLabel, Dataset, Features, Sequence, Value
from test_sources_hub import hub_offline, write_repo  # noqa: F401  (autouse fixture)
from test_sources_qa_targets import qa_data_config

from xlrobust.config import DataConfig
from xlrobust.errors import ConfigError, DataError
from xlrobust.prepare import prepare_language
from xlrobust.sources import load_split
from xlrobust.sources.hub_targets import INDICXNLI_LABELS, load_qa_target

FIXTURE = Path(__file__).parent / "fixtures" / "xtreme_qa"  # xquad/xquad.de.json
REAL_MLQA = Path(__file__).resolve().parents[2] / "shared" / "realdata-dev" / "mlqa"  # MLQA v1 dev JSON
XTREME_PIN = "ec5f1f46e9af79639a90684a7a70a956c4998f04"  # google/xtreme "Convert dataset to Parquet (#9)"
_ANSWERS = Sequence({"text": Value("string"), "answer_start": Value("int32")})
# google/xquad: id, context, question, answers {text, answer_start}
QA_FEATURES = Features(
    {"id": Value("string"), "context": Value("string"), "question": Value("string"), "answers": _ANSWERS}
)
# google/xtreme MLQA.<l>.<l> (README dataset_info, unchanged by the parquet conversion): id, title, context,
# question, answers {answer_start, text}; files MLQA.<l>.<l>/{validation,test}-00000-of-00001.parquet
MLQA_FEATURES = Features(
    {
        "id": Value("string"),
        "title": Value("string"),
        "context": Value("string"),
        "question": Value("string"),
        "answers": Sequence({"answer_start": Value("int32"), "text": Value("string")}),
    }
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


def mlqa_rows(lang: str, n: int = 2) -> Dataset:
    ctx, question, answer = CONTEXTS[lang]
    return Dataset.from_dict(
        {
            "id": [f"{lang}{i:03d}" for i in range(n)],
            "title": [ctx.split()[0]] * n,
            "context": [ctx] * n,
            "question": [question] * n,
            "answers": [{"answer_start": [ctx.index(answer)], "text": [answer]}] * n,
        },
        features=MLQA_FEATURES,
    )


def real_mlqa_rows(name: str) -> Dataset:
    """An MLQA v1 JSON file (SQuAD layout) as google/xtreme's rows: one per question, with its article title."""
    data = json.loads((REAL_MLQA / name).read_text(encoding="utf-8"))["data"]
    rows = [
        {
            "id": qa["id"],
            "title": article["title"],
            "context": paragraph["context"],
            "question": qa["question"],
            "answers": {
                "answer_start": [a["answer_start"] for a in qa["answers"]],
                "text": [a["text"] for a in qa["answers"]],
            },
        }
        for article in data
        for paragraph in article["paragraphs"]
        for qa in paragraph["qas"]
    ]
    return Dataset.from_list(rows, features=MLQA_FEATURES)


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
    """The configs of google/xtreme (MLQA), google/xquad and Divyanshu/indicxnli that the tests read."""
    return {
        "MLQA.es.es": {"validation": mlqa_rows("es", 1), "test": mlqa_rows("es", 3)},
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
    assert es.provenance.startswith("mixed") and es.origin == f"{mirror}/MLQA.es.es/test"
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


def test_mlqa_mirror_holds_google_xtremes_exact_layout(mirror: Path) -> None:
    """The mirror is google/xtreme's MLQA layout: one config folder per (context, question) pair, one parquet file
    per split, listed in the README's configs (validation = MLQA's dev)."""
    assert sorted(p.name for p in (mirror / "MLQA.es.es").iterdir()) == [
        "test-00000-of-00001.parquet",
        "validation-00000-of-00001.parquet",
    ]
    readme = (mirror / "README.md").read_text(encoding="utf-8")
    assert "- config_name: MLQA.es.es" in readme and "path: MLQA.es.es/validation-*" in readme


@pytest.mark.skipif(not REAL_MLQA.is_dir(), reason="../shared/realdata-dev is absent")
@pytest.mark.parametrize("lang", ["es", "hi"])
def test_real_mlqa_dev_rows_load_from_the_google_xtreme_layout(tmp_path: Path, lang: str) -> None:
    rows = real_mlqa_rows(f"dev-context-{lang}-question-{lang}.json")
    repo = make_mirror(tmp_path / "hub", {f"MLQA.{lang}.{lang}": {"validation": rows}})
    data = load_qa_target(lang, "dev", path=str(repo), cache_dir=str(tmp_path / "c"))
    assert data is not None and data.labelled and data.dataset == "MLQA" and len(data.examples) == 150
    assert data.origin == f"{repo}/MLQA.{lang}.{lang}/validation"
    assert data.examples[0]["id"] == f"mlqa-{lang}-{rows[0]['id']}"
    for ex in data.examples:
        for ans in ex["answers"]:
            start = ans["answer_start"]
            assert ex["context"][start : start + len(ans["text"])] == ans["text"]
    # this mirror has no test split: a one-line error naming the repository folder and split
    with pytest.raises(DataError, match=rf"^{re.escape(str(repo))}/MLQA\.{lang}\.{lang}/test: [^\n]*$"):
        load_qa_target(lang, "test", path=str(repo), cache_dir=str(tmp_path / "c"))


def test_hub_mlqa_reads_google_xtreme_at_the_pinned_revision(tmp_path: Path) -> None:
    """Without a mirror MLQA is google/xtreme's MLQA.<l>.<l> at data.revisions.mlqa (offline here: the error
    names what could not be reached), not a parquet export."""
    with pytest.raises(DataError, match=rf"^google/xtreme@{XTREME_PIN}/MLQA\.es\.es/test: could not reach"):
        load_qa_target("es", "test", revisions={"mlqa": XTREME_PIN}, cache_dir=str(tmp_path))
    with pytest.raises(DataError, match=r"^google/xtreme@main/MLQA\.hi\.hi/validation: could not reach"):
        load_qa_target("hi", "dev", cache_dir=str(tmp_path))


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
        "es": ("MLQA", f"{mirror}/MLQA.es.es/test"),
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
