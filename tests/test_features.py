"""Language-pair features: URIEL distances (urielplus), word and subword overlap, the feature table."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
from correlate_helpers import FIXTURE, make_tokenizer

from xlrobust.analysis.features import (
    URIEL_DISTANCES,
    build_features,
    example_text,
    load_tokenizer,
    overlap,
    read_texts,
    uriel_code,
    uriel_distances,
    word_tokens,
)
from xlrobust.errors import DataError
from xlrobust.languages import LANGUAGES
from xlrobust.paths import Paths

TEN = ["ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw"]


@pytest.fixture(scope="module")
def tokenizer_dir(tmp_path_factory) -> Path:
    return make_tokenizer(tmp_path_factory.mktemp("tok"))


@pytest.fixture(scope="module")
def uriel_cache(tmp_path_factory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "uriel-cache"  # shared with test_report in one session
    cache.mkdir(exist_ok=True)
    return cache / Paths().uriel_cache.name  # where the correlate stage keeps it


@pytest.fixture(scope="module")
def ten(uriel_cache):
    return uriel_distances(TEN, cache_path=uriel_cache)


def test_every_language_resolves_in_uriel():
    assert {uriel_code(c) for c in LANGUAGES} >= {
        "ara",
        "ben",
        "deu",
        "eng",
        "spa",
        "fin",
        "hin",
        "ind",
        "rus",
    }
    assert uriel_code("ar") == "ara"  # 'arb' has no phonology/inventory data in URIEL


def test_uriel_distances_finite_symmetric_and_sensible(ten):
    assert set(ten) == {(a, b) for a in TEN for b in TEN}
    for (a, b), d in ten.items():
        assert set(d) == set(URIEL_DISTANCES)
        for kind, value in d.items():
            assert np.isfinite(value) and 0.0 <= value <= 1.0, (a, b, kind, value)
            assert value == ten[(b, a)][kind]
            if a == b:
                assert value == 0.0
    # Known geography and genealogy: German is nearer English than Hindi; Hindi and Bengali are related.
    assert ten[("en", "de")]["geographic"] < ten[("en", "hi")]["geographic"]
    assert ten[("hi", "bn")]["genetic"] < ten[("hi", "fi")]["genetic"] == 1.0
    assert ten[("en", "de")]["syntactic"] < ten[("en", "sw")]["syntactic"]


def test_uriel_cache_round_trip(ten, uriel_cache):
    cached = json.loads(uriel_cache.read_text(encoding="utf-8"))
    assert cached["urielplus_version"] and "eng-spa" in cached["distances"]
    start = time.perf_counter()
    again = uriel_distances(["en", "sw", "hi"], cache_path=uriel_cache)
    assert time.perf_counter() - start < 1.0  # read from the cache, not recomputed (which takes seconds)
    assert again[("sw", "hi")] == ten[("sw", "hi")]


def test_word_tokens_split_on_punctuation_and_keep_indic_words_whole():
    text = "Hello, World! नमस्ते दुनिया। কেমন আছেন? 3.5 $10 l'homme «hola»"
    assert word_tokens(text) == [
        "hello",
        "world",
        "नमस्ते",
        "दुनिया",
        "কেমন",
        "আছেন",
        "3",
        "5",
        "10",
        "l",
        "homme",
        "hola",
    ]


def test_overlap_and_example_text():
    assert overlap({"a", "b", "c", "d"}, {"a", "c", "x"}) == 0.5
    assert overlap(set(), {"a"}) is None
    assert example_text({"id": "1", "premise": "P", "hypothesis": "H", "label": "neutral"}) == "P H"
    assert example_text({"id": "1", "tokens": ["a", "b"], "tags": ["O", "O"]}) == "a b"
    assert example_text({"id": "1", "question": "Q", "context": "C", "answers": []}) == "Q C"
    with pytest.raises(DataError, match="line 3.*not an NLI"):
        example_text({"id": "1", "text": "x"}, "f.jsonl: line 3")


def _latin_words(path: Path) -> set[str]:
    """Independent tokenisation for Latin-script text: ``\\w`` runs without underscores."""
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        ex = json.loads(line)
        text = " ".join(ex["tokens"]) if "tokens" in ex else f"{ex['premise']} {ex['hypothesis']}"
        out |= set(re.findall(r"[^\W_]+", text.lower()))
    return out


def test_build_features_table(tokenizer_dir, uriel_cache):
    prepared = FIXTURE / "data" / "prepared"
    table = build_features(
        prepared,
        tokenizer_dir,
        FIXTURE / "metrics" / "lmem",
        tasks=["xnli", "panx"],
        sources=["en", "es"],
        targets=["en", "es", "de", "sw"],
        uriel_cache=uriel_cache,
    )
    assert len(table) == 2 * 2 * 4
    assert list(table.columns[:3]) == ["task", "source", "target"]
    assert {
        "lexical_overlap",
        "subword_overlap",
        "target_lmem",
        "source_train_size",
        *URIEL_DISTANCES,
    } <= set(table)
    row = table[(table.task == "xnli") & (table.source == "en") & (table.target == "de")].iloc[0]
    tgt, src = _latin_words(prepared / "de/xnli/test.jsonl"), _latin_words(prepared / "en/xnli/train.jsonl")
    assert row.lexical_overlap == pytest.approx(len(tgt & src) / len(tgt))
    assert row.target_lmem == 0.8 and row.source_train_size == 30
    # Subword overlap via the tokenizer's piece strings must agree with the id-based computation.
    tok = load_tokenizer(tokenizer_dir)
    pieces = lambda p: {x for t in read_texts(p) for x in tok.tokenize(t)}  # noqa: E731
    t_p, s_p = pieces(prepared / "de/xnli/test.jsonl"), pieces(prepared / "en/xnli/train.jsonl")
    assert row.subword_overlap == pytest.approx(len(t_p & s_p) / len(t_p))
    assert 0 < row.subword_overlap < 1
    assert table.drop(columns=["task", "source", "target"]).notna().all().all()


def test_missing_lmem_language_is_a_data_error(tmp_path, uriel_cache):
    lmem = tmp_path / "lmem"
    lmem.mkdir()
    (lmem / "en.json").write_text(json.dumps({"language": "en", "lmem": 0.9}), encoding="utf-8")
    with pytest.raises(DataError, match=r"es\.json missing"):
        build_features(
            FIXTURE / "data" / "prepared",
            None,
            lmem,
            tasks=["xnli"],
            sources=["en"],
            targets=["en", "es"],
            uriel_kinds=(),
            uriel_cache=uriel_cache,
        )


def test_missing_tokenizer_is_a_model_error(tmp_path):
    from xlrobust.errors import ModelError

    with pytest.raises(ModelError, match="cannot load the tokenizer"):
        load_tokenizer(tmp_path / "nothing")


def test_build_features_per_task_reads_only_the_covered_pairs(tmp_path, uriel_cache):
    """Partial coverage: prepare leaves SKIPPED instead of a source's train.jsonl and no test.jsonl for a target
    without a labelled eval split; per_task must keep such files from being read at all."""
    import shutil

    prepared = tmp_path / "prepared"
    shutil.copytree(FIXTURE / "data" / "prepared", prepared)
    (prepared / "es" / "panx" / "train.jsonl").unlink()
    (prepared / "es" / "panx" / "SKIPPED").write_text("panx/es: no labelled training set\n", encoding="utf-8")
    (prepared / "sw" / "xnli" / "test.jsonl").unlink()
    kwargs = {
        "tasks": ["xnli", "panx"],
        "sources": ["en", "es"],
        "targets": ["en", "es", "sw"],
        "uriel_kinds": (),
        "uriel_cache": uriel_cache,
    }
    per_task = {"xnli": (["en", "es"], ["en", "es"]), "panx": (["en"], ["en", "es", "sw"])}
    table = build_features(prepared, None, FIXTURE / "metrics" / "lmem", **kwargs, per_task=per_task)
    got = {(r.task, r.source, r.target) for r in table.itertuples()}
    assert got == {("xnli", s, t) for s in ("en", "es") for t in ("en", "es")} | {
        ("panx", "en", t) for t in ("en", "es", "sw")
    }
    assert len(table) == len(got) and table.drop(columns=["task", "source", "target"]).notna().all().all()
    full = build_features(FIXTURE / "data" / "prepared", None, FIXTURE / "metrics" / "lmem", **kwargs)
    key = ["task", "source", "target"]
    same = full.merge(table, on=key, suffixes=("", "_partial"))
    assert len(same) == len(table) and (same.lexical_overlap == same.lexical_overlap_partial).all()
    with pytest.raises(DataError, match=r"es/panx/train\.jsonl: not found; prepare skipped it .*no labelled"):
        build_features(prepared, None, None, **{**kwargs, "tasks": ["panx"]})
    with pytest.raises(DataError, match=r"sw/xnli/test\.jsonl: file not found"):
        build_features(prepared, None, None, **kwargs)
    with pytest.raises(ValueError, match=r"per_task\['panx'\] names languages outside"):
        build_features(prepared, None, None, **kwargs, per_task={"panx": (["en"], ["de"])})
