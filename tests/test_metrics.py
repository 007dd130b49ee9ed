"""Tests for xlrobust.metrics and xlrobust.ner_text against hand-worked values in several scripts.

Expected numbers are worked out in the comments from the reference definitions (mT5 span_f1, seqeval default
mode, SQuAD v1.1 evaluate script, MLQA evaluate script), never computed by the code under test.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlrobust.errors import ConfigError, DataError
from xlrobust.examples import NER_TYPES
from xlrobust.metrics import (
    accuracy,
    f1_from_counts,
    normalize_answer,
    normalize_answer_unicode,
    qa_example_scores,
    qa_scores,
    reference_spans,
    seqeval_scores,
    span_counts,
    span_f1,
)
from xlrobust.ner_text import decode_entities, encode_entities, gold_spans, spans_to_tags

SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata-sample"

# ------------------------------------------------------------------------------------------------ accuracy


def test_accuracy_counts_exact_label_matches() -> None:
    # 2 of 3 generated labels equal the gold label -> 2/3; a non-label generation ("entail") is simply wrong.
    assert accuracy(
        ["entailment", "entail", "neutral"], ["entailment", "neutral", "neutral"]
    ) == pytest.approx(2 / 3)


@pytest.mark.parametrize(("preds", "golds"), [([], []), (["neutral"], ["neutral", "neutral"])])
def test_accuracy_rejects_empty_or_misaligned(preds: list[str], golds: list[str]) -> None:
    with pytest.raises(DataError):
        accuracy(preds, golds)


# -------------------------------------------------------------------------------------------- NER text format


def test_encode_entities_multiscript() -> None:
    assert (
        encode_entities(["Ada", "Lovelace", "visited", "London"], ["B-PER", "I-PER", "O", "B-LOC"])
        == "PER: Ada Lovelace $$ LOC: London"
    )
    # adjacent entities of the same type stay separate (B- starts a new one); Devanagari surface joined by spaces
    assert (
        encode_entities(["भारतीय", "रिज़र्व", "बैंक", "मुंबई"], ["B-ORG", "I-ORG", "I-ORG", "B-LOC"])
        == "ORG: भारतीय रिज़र्व बैंक $$ LOC: मुंबई"
    )
    assert encode_entities(["Москва", "Москва"], ["B-LOC", "B-LOC"]) == "LOC: Москва $$ LOC: Москва"
    assert encode_entities(["কোনো", "নাম", "নেই"], ["O", "O", "O"]) == ""
    assert encode_entities([], []) == ""


def test_encode_entities_reads_chunks_like_seqeval() -> None:
    # conlleval/seqeval default: an I-LOC after O, and an I-LOC after a PER chunk, each start a new LOC chunk
    assert gold_spans(["a", "b", "c"], ["I-LOC", "B-PER", "I-LOC"]) == [
        ("LOC", "a"),
        ("PER", "b"),
        ("LOC", "c"),
    ]


@pytest.mark.parametrize(("tokens", "tags"), [(["a", "b"], ["O"]), (["a"], ["B-MISC"]), (["a"], ["b-per"])])
def test_encode_entities_rejects_bad_tags(tokens: list[str], tags: list[str]) -> None:
    with pytest.raises(DataError):
        encode_entities(tokens, tags)


def test_decode_entities_valid() -> None:
    assert decode_entities("PER: Ada Lovelace $$ LOC: London") == [("PER", "Ada Lovelace"), ("LOC", "London")]
    assert decode_entities("LOC: القاهرة") == [("LOC", "القاهرة")]
    # a colon inside the surface is fine: only the first ": " separates type and surface
    assert decode_entities("ORG: Foo: Bar") == [("ORG", "Foo: Bar")]
    # blank text is the valid "no entities" answer
    assert decode_entities("") == []
    assert decode_entities("  \n") == []
    # mT5's targets (TFDS wikiann.py get_spans) write "None" for a sentence without entities
    assert decode_entities("None") == []
    assert decode_entities(" None ") == []


def test_mt5_none_target_is_empty_not_malformed() -> None:
    out = span_f1(["None", "PER: Ada"], ["None", "PER: Ada"], strict=True)
    assert (out["malformed"], out["tp"], out["fp"], out["fn"]) == (0, 1, 0, 0)
    assert span_counts("None", "None") == (0, 0, 0)
    # "None" is only the empty answer on its own, not as one piece among others
    assert decode_entities("None $$ PER: Ada") is None
    # we write "" (what our models learn), which both parsers also read as "no entities"
    assert encode_entities(["a", "b"], ["O", "O"]) == ""


@pytest.mark.parametrize(
    "text",
    [
        "PER Ada",  # no "TYPE: " prefix
        "PER:Ada",  # no space after the colon
        "MISC: euro",  # unknown type
        "per: Ada",  # types are case-sensitive
        "PER: ",  # empty surface
        "PER: Ada $$ ",  # trailing empty piece
        "PER: Ada $$ LOC",  # one bad piece spoils the generation
        "Ада Лавлейс",  # plain text, Cyrillic
    ],
)
def test_decode_entities_malformed(text: str) -> None:
    assert decode_entities(text) is None


def test_spans_to_tags_places_left_to_right_and_drops_unmatched() -> None:
    tokens = ["محمد", "زار", "القاهرة", "مع", "محمد"]
    spans = [("PER", "محمد"), ("LOC", "القاهرة"), ("PER", "محمد"), ("PER", "محمد"), ("LOC", "دبي")]
    # 1st PER -> token 0; LOC -> 2; 2nd PER -> first unused match, token 4; 3rd PER has no unused match and
    # "دبي" does not occur: both dropped
    assert spans_to_tags(tokens, spans) == ["B-PER", "O", "B-LOC", "O", "B-PER"]


def test_spans_to_tags_overlap_and_whitespace() -> None:
    tokens = ["New", "York", "City"]
    # "York City" would overlap the already placed "New York": dropped. Extra spaces in a generated surface
    # do not matter, the surface is split on whitespace.
    assert spans_to_tags(tokens, [("LOC", "New  York"), ("ORG", "York City")]) == ["B-LOC", "I-LOC", "O"]
    with pytest.raises(DataError):
        spans_to_tags(tokens, [("MISC", "New")])


def test_spans_to_tags_prefers_the_gold_span_like_seqeval_on_tags() -> None:
    # issue #15: PAN-X bn; the prediction names only the final "হারারে", which is a gold LOC on its own
    tokens = ["হারারে", "স্পোর্টস", "ক্লাব", ",", "হারারে"]
    gold = ["B-LOC", "I-LOC", "I-LOC", "O", "B-LOC"]
    spans = decode_entities("LOC: হারারে")
    assert spans_to_tags(tokens, spans) == ["B-LOC", "O", "O", "O", "O"]  # no gold: leftmost
    pred = spans_to_tags(tokens, spans, gold_tags=gold)
    assert pred == ["O", "O", "O", "O", "B-LOC"]
    # 1 correct of 1 predicted, 2 gold: P=1, R=1/2, F1=2/3, as seqeval on tags and as span F1
    assert seqeval_scores([gold], [pred])["f1"] == pytest.approx(2 / 3)
    assert span_f1([encode_entities(tokens, gold)], ["LOC: হারারে"])["f1"] == pytest.approx(2 / 3)


def test_spans_to_tags_gold_pass_then_leftmost_free() -> None:
    tokens = ["Paris", "Hilton", "in", "Paris"]
    gold = ["B-PER", "I-PER", "O", "B-LOC"]
    # the wrong-type span "PER: Paris" matches no gold entity: it goes leftmost free, after the gold pass has
    # put "LOC: Paris" on token 3
    assert spans_to_tags(tokens, [("PER", "Paris"), ("LOC", "Paris")], gold_tags=gold) == [
        "B-PER",
        "O",
        "O",
        "B-LOC",
    ]
    # a type mismatch with the gold entity is not a gold match: placed leftmost, scored wrong
    assert spans_to_tags(tokens, [("ORG", "Paris Hilton")], gold_tags=gold) == ["B-ORG", "I-ORG", "O", "O"]
    with pytest.raises(DataError):
        spans_to_tags(tokens, [("LOC", "Paris")], gold_tags=["O"])


def test_round_trip_ambiguous_surface_goes_leftmost() -> None:
    # The documented limit: the gold entity is the 2nd "Paris", but "LOC: Paris" cannot say which one.
    tokens, tags = ["Paris", "and", "Paris"], ["O", "O", "B-LOC"]
    assert spans_to_tags(tokens, decode_entities(encode_entities(tokens, tags))) == ["B-LOC", "O", "O"]
    # given the gold tags, the span is placed on the gold entity
    assert spans_to_tags(tokens, decode_entities(encode_entities(tokens, tags)), gold_tags=tags) == tags


# Entity tokens and outside tokens are drawn from disjoint character sets (several scripts, plus ':' and '$'
# to stress the separator handling). Then no entity surface can match further left than its gold position,
# and identical repeated entities (frequent with these small pools) must still round-trip left to right.
ENTITY_CHARS = "AdaLovelcМоскваمحمدभारतবাংলা:$"
OUTSIDE_CHARS = "0123456789,.()«»।،؟-"
entity_token = st.one_of(
    st.sampled_from(["Ada", "Москва", "محمد", "भारत", "ঢাকা", "a:b", "$"]),
    st.text(alphabet=ENTITY_CHARS, min_size=1, max_size=4),
).filter(lambda t: t != "$$")  # the one token the format cannot carry (it is the separator)
outside_token = st.one_of(
    st.sampled_from(["1", "(", "।"]), st.text(alphabet=OUTSIDE_CHARS, min_size=1, max_size=3)
)
segment = st.one_of(
    st.tuples(st.just("O"), st.lists(outside_token, min_size=1, max_size=3)),
    st.tuples(st.sampled_from(NER_TYPES), st.lists(entity_token, min_size=1, max_size=3)),
)


def _sentence(segments: list[tuple[str, list[str]]]) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    tags: list[str] = []
    for kind, toks in segments:
        tokens += toks
        tags += ["O"] * len(toks) if kind == "O" else [f"B-{kind}"] + [f"I-{kind}"] * (len(toks) - 1)
    return tokens, tags


@settings(max_examples=300, deadline=None)
@given(st.lists(segment, max_size=8))
def test_round_trip_property(segments: list[tuple[str, list[str]]]) -> None:
    tokens, tags = _sentence(segments)
    text = encode_entities(tokens, tags)
    expected = [(kind, " ".join(toks)) for kind, toks in segments if kind != "O"]
    assert decode_entities(text) == expected
    assert spans_to_tags(tokens, decode_entities(text)) == tags
    assert spans_to_tags(tokens, decode_entities(text), gold_tags=tags) == tags
    # the reference parser agrees whenever no surface contains ':' (it drops those pieces)
    if not any(":" in s for _, s in expected):
        assert reference_spans(text) == expected


def test_round_trip_repeated_identical_spans() -> None:
    tokens = ["Москва", "и", "Москва", "Москва"]
    tags = ["B-LOC", "O", "B-LOC", "B-LOC"]
    text = encode_entities(tokens, tags)
    assert text == "LOC: Москва $$ LOC: Москва $$ LOC: Москва"
    assert spans_to_tags(tokens, decode_entities(text)) == tags


# --------------------------------------------------------------------------------------------------- span F1

# One corpus across scripts. Per example (tp, fp, fn) under the reference (mT5) parsing:
SPAN_CASES = [
    # Latin: PER right, LOC predicted as ORG -> 1 tp, 1 fp (ORG: London), 1 fn (LOC: London)
    ("PER: Ada Lovelace $$ LOC: London", "PER: Ada Lovelace $$ ORG: London", (1, 1, 1)),
    # Cyrillic, duplicate prediction: multiset matching, the 2nd copy has no gold left -> 1 tp, 1 fp
    ("LOC: Москва", "LOC: Москва $$ LOC: Москва", (1, 1, 0)),
    # Arabic, duplicate gold predicted once -> 1 tp, 1 fn
    ("PER: محمد $$ PER: محمد", "PER: محمد", (1, 0, 1)),
    # Devanagari, malformed (no colon): the reference skips the piece -> no predicted span, gold is 1 fn
    ("ORG: भारतीय रिज़र्व बैंक", "ORG भारतीय रिज़र्व बैंक", (0, 0, 1)),
    # Bengali, no gold and no prediction -> contributes nothing
    ("", "", (0, 0, 0)),
    # Bengali, hallucinated entity in a sentence without gold -> 1 fp
    ("", "LOC: ঢাকা", (0, 1, 0)),
    # Latin, unknown type: the reference does not validate types -> "MISC: euro" is 1 fp
    ("ORG: Banco Santander", "ORG: Banco Santander $$ MISC: euro", (1, 1, 0)),
]


@pytest.mark.parametrize(("target", "prediction", "counts"), SPAN_CASES)
def test_span_counts_reference(target: str, prediction: str, counts: tuple[int, int, int]) -> None:
    assert span_counts(target, prediction) == counts


def test_span_f1_reference_corpus() -> None:
    targets = [t for t, _, _ in SPAN_CASES]
    preds = [p for _, p, _ in SPAN_CASES]
    out = span_f1(targets, preds)
    # tp = 1+1+1+0+0+0+1 = 4, fp = 1+1+0+0+0+1+1 = 4, fn = 1+0+1+1+0+0+0 = 3
    # P = 4/8 = 1/2, R = 4/7, F1 = 2*(1/2)*(4/7) / (1/2 + 4/7) = (4/7) / (15/14) = 8/15
    assert (out["tp"], out["fp"], out["fn"]) == (4, 4, 3)
    assert out["precision"] == pytest.approx(1 / 2)
    assert out["recall"] == pytest.approx(4 / 7)
    assert out["f1"] == pytest.approx(8 / 15)
    # malformed = the no-colon Devanagari generation and the MISC one -> 2 of 7
    assert out["malformed"] == 2
    assert out["malformed_rate"] == pytest.approx(2 / 7)
    # a bootstrap recomputes the same F1 from per-example counts
    assert f1_from_counts(4, 4, 3) == pytest.approx(8 / 15)


def test_span_f1_strict_drops_malformed_generations() -> None:
    targets = [t for t, _, _ in SPAN_CASES]
    preds = [p for _, p, _ in SPAN_CASES]
    out = span_f1(targets, preds, strict=True)
    # Only the MISC example changes: malformed -> no predicted spans -> (0, 0, 1) instead of (1, 1, 0)
    # tp = 3, fp = 3, fn = 4: P = 3/6 = 1/2, R = 3/7, F1 = (3/7) / (1/2 + 3/7) = (3/7) / (13/14) = 6/13
    assert (out["tp"], out["fp"], out["fn"]) == (3, 3, 4)
    assert out["f1"] == pytest.approx(6 / 13)
    assert out["malformed"] == 2


def test_span_reference_parsing_quirks() -> None:
    # partially malformed: the reference keeps the parsable piece (tp), strict mode drops the whole generation
    assert span_counts("PER: Ada", "PER: Ada $$ garbage") == (1, 0, 0)
    assert span_counts("PER: Ada", "PER: Ada $$ garbage", strict=True) == (0, 0, 1)
    # no space after the colon: the reference parses it, strict does not
    assert span_counts("PER: Ada", "PER:Ada") == (1, 0, 0)
    assert span_counts("PER: Ada", "PER:Ada", strict=True) == (0, 0, 1)
    # a surface with ':' splits into 3 parts: the reference drops it on BOTH sides, strict keeps it
    assert span_counts("ORG: Foo: Bar", "ORG: Foo: Bar") == (0, 0, 0)
    assert span_counts("ORG: Foo: Bar", "ORG: Foo: Bar", strict=True) == (1, 0, 0)
    # surfaces are compared exactly (case, inner spacing), only outer spaces are stripped
    assert span_counts("PER: Ada Lovelace", "  PER:   Ada Lovelace  ") == (1, 0, 0)
    assert span_counts("PER: Ada Lovelace", "PER: ada lovelace") == (0, 1, 1)
    assert span_counts("PER: Ada Lovelace", "PER: Ada  Lovelace") == (0, 1, 1)
    # position is ignored: swapping order still matches
    assert span_counts("PER: A $$ LOC: B", "LOC: B $$ PER: A") == (2, 0, 0)


def test_span_f1_empty_gold_and_predictions() -> None:
    # no gold spans and no predicted spans anywhere: tp = fp = fn = 0 -> every score 0.0 (as mT5: 0/1e-13 = 0)
    out = span_f1(["", ""], ["", "  "])
    assert (out["tp"], out["fp"], out["fn"], out["f1"], out["precision"], out["recall"]) == (0, 0, 0, 0, 0, 0)
    assert out["malformed"] == 0
    # empty predictions against gold: recall 0, precision 0 (no predictions) -> F1 0
    out = span_f1(["LOC: Москва", "PER: محمد"], ["", ""])
    assert (out["tp"], out["fp"], out["fn"], out["f1"]) == (0, 0, 2, 0.0)


def test_span_f1_input_errors() -> None:
    with pytest.raises(DataError):
        span_f1([], [])
    with pytest.raises(DataError):
        span_f1(["PER: Ada"], ["PER: Ada", ""])
    with pytest.raises(DataError):
        span_f1(["PER: Ada"], [None])  # type: ignore[list-item]
    with pytest.raises(DataError):  # strict mode refuses a malformed gold target
        span_f1(["PER Ada"], ["PER: Ada"], strict=True)


def _reference_loop_counts(target: str, prediction: str) -> tuple[int, int, int]:
    """Oracle: mT5's matching procedure as described in its source (match, then remove from the gold list)."""
    gold = reference_spans(target)
    tp = fp = 0
    for span in reference_spans(prediction):
        if span in gold:
            tp += 1
            gold.remove(span)
        else:
            fp += 1
    return tp, fp, len(gold)


span_piece = st.sampled_from(["PER: Ada", "LOC: Москва", "ORG: ACME", "PER: محمد", "bad", "MISC: x", "PER:"])
span_text = st.lists(span_piece, max_size=5).map(" $$ ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(span_text, span_text), min_size=1, max_size=6))
def test_span_counts_equal_list_removal_and_sum_to_corpus(pairs: list[tuple[str, str]]) -> None:
    totals = Counter()
    for target, prediction in pairs:
        counts = span_counts(target, prediction)
        assert counts == _reference_loop_counts(target, prediction)
        totals.update(dict(zip(("tp", "fp", "fn"), counts, strict=True)))
    out = span_f1([t for t, _ in pairs], [p for _, p in pairs])
    assert (out["tp"], out["fp"], out["fn"]) == (totals["tp"], totals["fp"], totals["fn"])
    assert out["f1"] == f1_from_counts(totals["tp"], totals["fp"], totals["fn"])


def test_f1_from_counts() -> None:
    # P = 3/4, R = 3/5, F1 = 2*(3/4)*(3/5) / (3/4 + 3/5) = (9/10) / (27/20) = 2/3
    assert f1_from_counts(3, 1, 2) == pytest.approx(2 / 3)
    assert f1_from_counts(0, 0, 0) == 0.0
    assert f1_from_counts(0, 5, 5) == 0.0


# ---------------------------------------------------------------------------------------------------- seqeval


def test_seqeval_scores_hand_computed() -> None:
    gold = [
        ["B-PER", "I-PER", "O", "B-LOC"],  # PER(0-1), LOC(3)
        ["B-ORG", "O"],  # ORG(0)
        ["O", "B-LOC"],  # LOC(1)
        ["B-PER"],  # PER(0)
    ]
    pred = [
        ["B-PER", "I-PER", "O", "B-ORG"],  # PER(0-1) correct, ORG(3) wrong
        ["B-ORG", "I-ORG"],  # ORG(0-1): boundary wrong
        ["O", "I-LOC"],  # default mode: a lone I-LOC is a LOC chunk at 1 -> correct
        ["O"],  # missed
    ]
    # gold entities 5, predicted 4, correct 2: P = 2/4, R = 2/5, F1 = 2*(1/2)*(2/5) / (9/10) = 4/9
    out = seqeval_scores(gold, pred)
    assert out["precision"] == pytest.approx(1 / 2)
    assert out["recall"] == pytest.approx(2 / 5)
    assert out["f1"] == pytest.approx(4 / 9)


def test_seqeval_agrees_with_span_f1_on_unambiguous_sentence() -> None:
    tokens = ["Ada", "Lovelace", "visited", "London"]
    tags = ["B-PER", "I-PER", "O", "B-LOC"]
    generation = "PER: Ada Lovelace $$ ORG: London"
    # both: 1 correct of 2 predicted, 2 gold -> P = R = F1 = 1/2
    assert seqeval_scores([tags], [spans_to_tags(tokens, decode_entities(generation))])[
        "f1"
    ] == pytest.approx(0.5)
    assert span_f1([encode_entities(tokens, tags)], [generation])["f1"] == pytest.approx(0.5)


def test_seqeval_and_span_f1_differ_on_hallucination() -> None:
    tokens, tags = ["Ada", "Lovelace"], ["B-PER", "I-PER"]
    generation = "PER: Ada Lovelace $$ LOC: Paris"
    # span F1: tp 1, fp 1 (Paris), fn 0 -> P = 1/2, R = 1, F1 = 2/3
    assert span_f1([encode_entities(tokens, tags)], [generation])["f1"] == pytest.approx(2 / 3)
    # seqeval: "Paris" is not in the sentence, so spans_to_tags drops it -> P = R = F1 = 1
    assert seqeval_scores([tags], [spans_to_tags(tokens, decode_entities(generation))])["f1"] == 1.0


def test_seqeval_empty_and_errors() -> None:
    # no entities on either side -> 0.0 (seqeval's zero_division value)
    assert seqeval_scores([["O", "O"]], [["O", "O"]]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    with pytest.raises(DataError):
        seqeval_scores([["O", "O"]], [["O"]])
    with pytest.raises(DataError):
        seqeval_scores([["O"]], [])


# ------------------------------------------------------------------------------------------------------- QA


def test_squad_normalize_answer() -> None:
    # lower, drop ASCII punctuation, drop a/an/the, collapse whitespace
    assert normalize_answer("The  Eiffel Tower!") == "eiffel tower"
    assert normalize_answer("An apple, a day") == "apple day"
    # articles only as whole words; "theatre" keeps its "the"
    assert normalize_answer("Theatre") == "theatre"
    # Cyrillic is lower-cased; ASCII ',' removed but guillemets (not ASCII) kept
    assert normalize_answer("«Москва», Россия") == "«москва» россия"


@pytest.mark.parametrize(
    ("pred", "gold", "norm", "lang", "f1", "em"),
    [
        # Devanagari danda "।" is not ASCII: SQuAD keeps it glued -> tokens {नई, दिल्ली।} vs {नई, दिल्ली}:
        # 1 common, P = R = 1/2, F1 = 1/2, EM 0. MLQA drops it (category Po) -> identical.
        ("नई दिल्ली।", "नई दिल्ली", "squad", "hi", 0.5, 0.0),
        ("नई दिल्ली।", "नई दिल्ली", "unicode", "hi", 1.0, 1.0),
        # Bengali: single token "ঢাকা।" vs "ঢাকা" -> no overlap under SQuAD
        ("ঢাকা।", "ঢাকা", "squad", "bn", 0.0, 0.0),
        ("ঢাকা।", "ঢাকা", "unicode", "bn", 1.0, 1.0),
        # Arabic question mark "؟": SQuAD keeps it -> "القاهرة؟" != "القاهرة" (F1 0). MLQA (ar) drops it and
        # also deletes every "ال": both become "قاهرة".
        ("القاهرة؟", "القاهرة", "squad", "ar", 0.0, 0.0),
        ("القاهرة؟", "القاهرة", "unicode", "ar", 1.0, 1.0),
        # Arabic comma "،": SQuAD tokens {مصر،, القاهرة} vs {القاهرة}: 1 common, P = 1/2, R = 1, F1 = 2/3.
        # MLQA: "مصر  قاهرة" -> {مصر, قاهرة} vs {قاهرة}: also 2/3, EM 0 in both.
        ("مصر، القاهرة", "القاهرة", "squad", "ar", 2 / 3, 0.0),
        ("مصر، القاهرة", "القاهرة", "unicode", "ar", 2 / 3, 0.0),
        # MLQA's Arabic rule removes "ال" inside words too: "مثال" -> "مث " (reference quirk, mirrored)
        ("مثال", "مث", "unicode", "ar", 1.0, 1.0),
        # Cyrillic guillemets are Unicode punctuation (Pi/Pf), not ASCII
        ("«Москва»", "Москва", "squad", "ru", 0.0, 0.0),
        ("«Москва»", "Москва", "unicode", "ru", 1.0, 1.0),
        # English articles: SQuAD always removes them; MLQA only for 'en' -> for ru "the" is a token:
        # {the, volga} vs {volga}: P = 1/2, R = 1, F1 = 2/3
        ("the Volga", "Volga", "squad", "ru", 1.0, 1.0),
        ("the Volga", "Volga", "unicode", "en", 1.0, 1.0),
        ("the Volga", "Volga", "unicode", "ru", 2 / 3, 0.0),
        # Spanish articles exist only in MLQA's 'es' rule: {la, habana} vs {habana} under SQuAD -> 2/3
        ("la Habana", "Habana", "squad", "es", 2 / 3, 0.0),
        ("la Habana", "Habana", "unicode", "es", 1.0, 1.0),
        # German article under MLQA 'de'
        ("die Donau", "Donau", "unicode", "de", 1.0, 1.0),
        # "$" is a symbol (Sc), removed only because MLQA adds ASCII string.punctuation; "₹" (Sc) stays
        ("$100", "100", "unicode", "en", 1.0, 1.0),
        ("₹100", "100", "unicode", "hi", 0.0, 0.0),
    ],
)
def test_qa_example_scores_two_normalisations(
    pred: str, gold: str, norm: str, lang: str, f1: float, em: float
) -> None:
    got_f1, got_em = qa_example_scores(pred, [gold], norm, lang)
    assert got_f1 == pytest.approx(f1)
    assert got_em == em


def test_qa_unicode_normaliser_outputs() -> None:
    assert normalize_answer_unicode("«Москва», Россия!", "ru") == "москва россия"
    assert normalize_answer_unicode("الكتاب؟", "ar") == "كتاب"
    assert normalize_answer_unicode("Die Donau.", "de") == "donau"


def test_qa_token_f1_counts_repeated_tokens_once_each() -> None:
    # bag-of-tokens overlap: pred {new:2, york:2} & gold {new:1, york:1} = 2 common;
    # P = 2/4, R = 2/2, F1 = 2*(1/2)*1 / (3/2) = 2/3
    assert qa_example_scores("New York New York", ["New York"])[0] == pytest.approx(2 / 3)


def test_qa_max_over_gold_answers() -> None:
    # gold 1 "Lovelace": 1 common, P = 1/2, R = 1 -> 2/3; gold 2 "Countess Ada Lovelace": 2 common,
    # P = 1, R = 2/3 -> 4/5. Max F1 = 4/5, EM 0 (neither equal).
    f1, em = qa_example_scores("Ada Lovelace", ["Lovelace", "Countess Ada Lovelace"])
    assert f1 == pytest.approx(4 / 5)
    assert em == 0.0
    # EM is also maxed: the second gold matches after normalisation
    assert qa_example_scores("the ada lovelace.", ["Byron", "Ada Lovelace"]) == (1.0, 1.0)


def test_qa_empty_prediction_and_empty_gold() -> None:
    # empty prediction vs a real answer: nothing in common -> F1 0, EM 0
    assert qa_example_scores("", ["Москва"]) == (0.0, 0.0)
    # reference quirk: a gold that normalises to "" ("The", or a lone danda under MLQA) equals the empty
    # prediction -> EM 1, but F1 is 0 because num_same == 0 short-circuits before precision/recall
    assert qa_example_scores("", ["The"], "squad") == (0.0, 1.0)
    assert qa_example_scores("", ["।"], "unicode", "hi") == (0.0, 1.0)
    # under SQuAD the danda is not punctuation, so it is a real (unmatched) answer
    assert qa_example_scores("", ["।"], "squad") == (0.0, 0.0)


def test_qa_scores_means() -> None:
    preds = ["नई दिल्ली।", "القاهرة", ""]
    golds = [["नई दिल्ली"], ["القاهرة", "مصر"], ["ঢাকা"]]
    # squad: per example F1 = 1/2, 1, 0 -> mean 1/2; EM = 0, 1, 0 -> mean 1/3
    out = qa_scores(preds, golds, "squad")
    assert out["f1"] == pytest.approx(1 / 2)
    assert out["exact_match"] == pytest.approx(1 / 3)
    # unicode (hi rules; articles none): F1 = 1, 1, 0 -> 2/3; EM = 1, 1, 0 -> 2/3
    out = qa_scores(preds, golds, "unicode", "hi")
    assert out == {"f1": pytest.approx(2 / 3), "exact_match": pytest.approx(2 / 3)}


def test_qa_errors() -> None:
    with pytest.raises(ConfigError):
        qa_scores(["a"], [["a"]], normalization="mlqa")
    with pytest.raises(ConfigError):  # unknown language under the language-dependent normalisation
        qa_scores(["a"], [["a"]], normalization="unicode", lang="xx")
    with pytest.raises(DataError):
        qa_scores(["a"], [[]])
    with pytest.raises(DataError):
        qa_scores(["a", "b"], [["a"]])
    with pytest.raises(DataError):
        qa_scores([], [])


# ------------------------------------------------------------------------------------------- real samples


def _read_panx(path: Path) -> list[tuple[list[str], list[str]]]:
    sentences, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
            continue
        token, tag = line.split("\t")
        tokens.append(token)
        tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


@pytest.mark.skipif(not SHARED.exists(), reason="real data sample (../shared/realdata-sample) not present")
@pytest.mark.parametrize("lang", ["en", "es", "hi", "sw"])
def test_real_panx_round_trip_and_perfect_scores(lang: str) -> None:
    sentences = _read_panx(SHARED / "panx" / f"dev-{lang}.tsv")
    assert sentences
    targets = [encode_entities(toks, tags) for toks, tags in sentences]
    for (toks, tags), text in zip(sentences, targets, strict=True):
        assert spans_to_tags(toks, decode_entities(text)) == tags
    assert span_f1(targets, targets)["f1"] == pytest.approx(1.0)
    assert span_f1(targets, targets)["malformed"] == 0
    assert seqeval_scores([t for _, t in sentences], [t for _, t in sentences])["f1"] == 1.0


@pytest.mark.skipif(not SHARED.exists(), reason="real data sample (../shared/realdata-sample) not present")
@pytest.mark.parametrize("lang", ["en", "sw"])
def test_real_tydiqa_gold_answers_score_as_reference(lang: str) -> None:
    path = SHARED / "tydiqa" / "tydiqa-goldp-v1.1-dev" / f"tydiqa.goldp.{lang}.dev.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    qas = [qa for article in data["data"] for par in article["paragraphs"] for qa in par["qas"]]
    assert qas
    for qa in qas:
        golds = [a["text"] for a in qa["answers"]]
        normalized = {
            "squad": normalize_answer(golds[0]),
            "unicode": normalize_answer_unicode(golds[0], lang),
        }
        for norm in ("squad", "unicode"):
            if normalized[norm]:
                # a real answer predicted verbatim is a perfect match
                assert qa_example_scores(golds[0], golds, norm, lang) == (1.0, 1.0)
            else:
                # a gold that normalises to "" (the sample's answers are blank): the reference gives the empty
                # prediction EM 1 but F1 0, and any real prediction 0 / 0
                assert qa_example_scores("", golds, norm, lang) == (0.0, 1.0)
                assert qa_example_scores("Nairobi", golds, norm, lang) == (0.0, 0.0)
