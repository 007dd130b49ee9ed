"""The model-based names/locations detector (``perturbations.detector``), offline: a real BERT token classifier
built here (no encoder layers; embeddings and classifier set by hand so that it deterministically tags a few
invented words as PER / LOC) and a WordPiece tokenizer, saved to a folder and loaded through the same code path
as a hub model (``transformers.pipeline("token-classification")``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

from xlrobust.config import PerturbationConfig
from xlrobust.errors import ConfigError
from xlrobust.perturb import perturb_examples
from xlrobust.perturb.detector import NerDetector, check_local_detector, entity_type
from xlrobust.perturb.text import PLANNERS, Ctx, Field

FIRST = ["Zork", "Mirel"]  # invented: in no name lexicon, so only the model can find them
LAST = ["Blix", "Vondra"]
PLACES = ["Quarmia", "Telvania"]
WORDS = ["yesterday", "met", "the", "delegation", "in", "a", "christian", "apostle", "later", "left", "spoke"]
LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def build_model(folder: Path, labels: list[str] = LABELS, max_length: int = 64) -> Path:
    """A 0-layer BERT: a token's logits depend on its own embedding only. First names point along axis 0
    (B-PER), surnames along axis 1 (I-PER), places along axis 2 (B-LOC); every other word is the zero vector,
    which the O bias wins."""
    folder.mkdir(parents=True, exist_ok=True)
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + FIRST + LAST + PLACES + WORDS + [".", ","]
    tokenizer = BertTokenizerFast(
        vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=False, model_max_length=max_length
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=8,
        num_hidden_layers=0,
        num_attention_heads=1,
        intermediate_size=8,
        max_position_embeddings=64,
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    model = BertForTokenClassification(config).eval()
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.word_embeddings.weight.zero_()
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        for axis, words in enumerate((FIRST, LAST, PLACES)):
            for word in words:
                row = torch.zeros(8)
                row[2 * axis], row[2 * axis + 1] = 3.0, -3.0  # mean 0: LayerNorm keeps the direction
                emb.word_embeddings.weight[vocab.index(word)] = row
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[0] = 1.0  # O
        for axis, label in enumerate(("B-PER", "I-PER", "B-LOC")):
            if label in labels:
                model.classifier.weight[labels.index(label), 2 * axis] = 4.0
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def ner_folder(tmp_path_factory) -> Path:
    return build_model(tmp_path_factory.mktemp("ner"))


@pytest.fixture(scope="module")
def detector(ner_folder: Path) -> NerDetector:
    return NerDetector(str(ner_folder), "cpu")


def changed(
    family: str, fields: list[str], detector: NerDetector, seed: int = 0
) -> list[list[tuple[str, str]]]:
    ctx = Ctx("en", random.Random(seed), 1.0, {}, None, detector=detector)
    plan = PLANNERS[family]([Field(t) for t in fields], ctx)
    return [[(t[e.start : e.end], e.new) for e in edits] for t, edits in zip(fields, plan, strict=True)]


def test_model_tags_what_it_was_built_to_tag(detector: NerDetector) -> None:
    text = "yesterday Zork Blix met the delegation in Quarmia ."
    found = [(text[s:e], t) for s, e, t in detector.entities(text)]
    assert found == [("Zork Blix", "PER"), ("Quarmia", "LOC")]


def test_names_and_locations_change_only_model_spans(detector: NerDetector) -> None:
    text = "yesterday Zork Blix met a christian apostle in Quarmia ."
    ((names,),) = [changed("names", [text], detector)]
    assert [old for old, _ in names] == ["Zork Blix"]  # not "christian", which the model leaves as O
    new = names[0][1]
    assert len(new.split()) == 2 and new != "Zork Blix"
    ((places,),) = [changed("locations", [text], detector)]
    assert [old for old, _ in places] == ["Quarmia"]


def test_text_longer_than_the_model_input_is_tagged_in_windows(tmp_path: Path) -> None:
    detector = NerDetector(str(build_model(tmp_path / "short", max_length=24)), "cpu")
    filler = " ".join(["the delegation met"] * 20)
    text = f"{filler} Zork Blix met the delegation in Quarmia . {filler}"
    assert [(text[s:e], t) for s, e, t in detector.entities(text)] == [
        ("Zork Blix", "PER"),
        ("Quarmia", "LOC"),
    ]


def test_same_person_and_place_change_consistently_across_fields(detector: NerDetector) -> None:
    premise = "Zork Blix spoke in Quarmia . later Blix left ."
    hypothesis = "Blix left Quarmia ."
    names = changed("names", [premise, hypothesis], detector)
    full = dict(names[0])["Zork Blix"]
    assert dict(names[0])["Blix"] == full.split()[1] == dict(names[1])["Blix"]
    places = changed("locations", [premise, hypothesis], detector)
    assert dict(places[0])["Quarmia"] == dict(places[1])["Quarmia"]


def test_through_the_public_api_and_loaded_lazily_once(ner_folder: Path) -> None:
    detector = NerDetector(str(ner_folder), "cpu")
    examples = [
        {
            "id": "1",
            "premise": "Mirel Vondra met the delegation in Telvania .",
            "hypothesis": "Mirel left .",
            "label": "0",
        },
        {"id": "2", "premise": "the delegation spoke .", "hypothesis": "a christian apostle .", "label": "1"},
    ]
    perturb_examples("xnli", "en", examples, "typos", rate=1.0, seed=0, detector=detector)
    assert detector._pipe is None  # no family that needs it yet
    out = perturb_examples("xnli", "en", examples, "names", rate=1.0, seed=0, detector=detector)
    pipe = detector._pipe
    assert pipe is not None
    assert (
        out[0]["changed"] and "Mirel Vondra" not in out[0]["premise"] and "Mirel" not in out[0]["hypothesis"]
    )
    assert out[1]["changed"] is False
    out = perturb_examples("xnli", "en", examples, "locations", rate=1.0, seed=0, detector=detector)
    assert detector._pipe is pipe  # one model per stage run
    assert "Telvania" not in out[0]["premise"] and out[1]["changed"] is False


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("B-PER", "PER"),
        ("I-PER", "PER"),
        ("PER", "PER"),
        ("S-PERSON", "PER"),
        ("b-loc", "LOC"),
        ("GPE", "LOC"),
    ]
    + [("I-LOCATION", "LOC"), ("B-ORG", None), ("MISC", None), ("LABEL_1", None)],
)
def test_label_variants(label: str, expected: str | None) -> None:
    assert entity_type(label) == expected


def test_bad_detector_values_fail_before_compute(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="looks like a local path but no such folder exists"):
        PerturbationConfig(detector=str(tmp_path / "no-such-ner")).validate()
    seq2seq = tmp_path / "mt5"
    seq2seq.mkdir()
    (seq2seq / "config.json").write_text(json.dumps({"architectures": ["MT5ForConditionalGeneration"]}))
    with pytest.raises(ConfigError, match="is not a token-classification model") as err:
        PerturbationConfig(detector=str(seq2seq)).validate()
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="'perturbations.detector_device' is 'gpu'"):
        PerturbationConfig(detector_device="gpu").validate()


def test_model_without_per_or_loc_labels_is_a_one_line_error(tmp_path: Path) -> None:
    folder = build_model(tmp_path / "sentiment", labels=["LABEL_0", "LABEL_1"])
    with pytest.raises(ConfigError) as err:
        check_local_detector(str(folder))
    message = str(err.value)
    assert "labels (LABEL_0, LABEL_1) name no person (PER) or location (LOC) type" in message
    assert str(folder) in message and "\n" not in message


def test_hub_id_that_cannot_be_loaded_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    # Offline as a stage process is (HF_HUB_OFFLINE is read when huggingface_hub is imported, so also patch the
    # constant): without it the lookup waits for network timeouts on a machine that has no network.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(ConfigError) as err:
        NerDetector("example-org/no-such-ner", "cpu").entities("Zork Blix")
    assert "'perturbations.detector' 'example-org/no-such-ner' could not be loaded" in str(err.value)
    assert "\n" not in str(err.value)


def test_adversarial_stage_loads_the_model_once_and_keeps_gold_tags_for_ner(
    ner_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import copy

    import transformers
    import yaml

    from xlrobust import io
    from xlrobust.adversarial import perturb_language
    from xlrobust.config import load_params
    from xlrobust.paths import Paths
    from xlrobust.perturb.detector import make_detector
    from xlrobust.tasks import REGISTRY

    raw = yaml.safe_load((Path(__file__).resolve().parents[1] / "params.yaml").read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw["perturbations"].update(
        families=["typos", "names", "locations"], options={}, detector=str(ner_folder), detector_device="cpu"
    )
    with_model = load_params(raw)
    raw["perturbations"]["detector"] = None
    without = load_params(raw)
    loads = []
    real_pipeline = transformers.pipeline
    monkeypatch.setattr(transformers, "pipeline", lambda *a, **k: loads.append(1) or real_pipeline(*a, **k))
    runs = {}
    for name, params in (("model", with_model), ("lexicon", without)):
        paths = Paths(tmp_path / name)
        for lang in ("en", "sw"):
            for task in params.tasks:
                examples = REGISTRY[task].generate(lang, params.data.eval_split, 12, 5)
                io.write_jsonl(paths.prepared(lang, task, params.data.eval_split), examples)
        cfg = params.perturbations
        detector = make_detector(cfg.detector, cfg.detector_device)  # as stages/adversarial.py: one per run
        for lang in ("en", "sw"):
            perturb_language(lang, params, paths, detector)
        runs[name] = paths
    assert len(loads) == 1  # one model for both languages and all families of the run
    for lang in ("en", "sw"):  # PAN-X keeps its gold tags: the same output with or without the model
        for family in ("names", "locations"):
            model_out = runs["model"].adversarial(lang, "panx", family).read_bytes()
            assert model_out == runs["lexicon"].adversarial(lang, "panx", family).read_bytes()
