"""Scoring functions that reproduce the field's reference definitions, so numbers compare with mT5 / XTREME.

All scores are fractions in [0, 1] (the reference scripts multiply by 100; mT5's ``span_f1`` does not).

* XNLI: :func:`accuracy`.
* NER: :func:`span_f1` is mT5's ``multilingual_t5/evaluation/metrics.py: span_f1`` over the ``TYPE: surface $$
  ...`` generations; :func:`seqeval_scores` is XTREME's PAN-X metric (``seqeval`` default/conlleval mode) on tags
  recovered with :func:`xlrobust.ner_text.spans_to_tags`.
* QA: ``normalization="squad"`` is the official SQuAD v1.1 ``evaluate-v1.1.py`` (XTREME's
  ``third_party/evaluate_squad.py``, used for TyDiQA-GoldP and XQuAD; mT5's ``t5.evaluation.metrics.squad`` is
  the same); ``normalization="unicode"`` is XTREME's ``third_party/evaluate_mlqa.py`` (MLQA's official script).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

import regex

from xlrobust.errors import ConfigError, DataError
from xlrobust.languages import get_language
from xlrobust.ner_text import SEPARATOR, decode_entities

QA_NORMALIZATIONS: tuple[str, ...] = ("squad", "unicode")

# evaluate_mlqa.py's per-language article patterns. Languages of ours that MLQA does not cover (bn fi id ru sw)
# have no articles and get none removed, like MLQA's 'hi'. The Arabic pattern is MLQA's verbatim: its first
# alternative can never match, so it deletes *every* "ال" (the definite article, but also inside words).
_MLQA_ARTICLES: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\b(a|an|the)\b"),
    "es": re.compile(r"\b(un|una|unos|unas|el|la|los|las)\b"),
    "de": re.compile(r"\b(ein|eine|einen|einem|eines|einer|der|die|das|den|dem|des)\b"),
    "ar": re.compile(r"\sال^|ال"),
    "vi": re.compile(r"\b(của|là|cái|chiếc|những)\b"),
}
# A character (with its combining marks) of a script written without spaces between words: one token each, as
# MLQA's ``mixed_segmentation`` does for Chinese (extended here to Japanese kana, Thai and Burmese).
_UNSPACED_CHAR = regex.compile(r"(?:\p{Han}|\p{Hiragana}|\p{Katakana}|\p{Thai}|\p{Myanmar})\p{M}*")
_SQUAD_ARTICLES = re.compile(r"\b(a|an|the)\b")
_ASCII_PUNCT = frozenset(string.punctuation)


# ----------------------------------------------------------------------------------------------------- shared


def _check_pair(name: str, predictions: Sequence[Any], golds: Sequence[Any]) -> None:
    """Reject empty or misaligned inputs, which would otherwise divide by zero or silently truncate."""
    if len(predictions) != len(golds):
        raise DataError(
            f"{name}: {len(predictions)} predictions but {len(golds)} gold items; they must be aligned one to one"
        )
    if not predictions:
        raise DataError(f"{name}: no examples to score; check that the prediction file is not empty")


def _check_strings(name: str, items: Sequence[Any], what: str) -> None:
    """Reject a non-string (e.g. a null from a JSONL file) with its index rather than a bare AttributeError."""
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise DataError(f"{name}: {what} {i} is {type(item).__name__} {item!r}, expected a string")


def accuracy(predictions: Sequence[str], golds: Sequence[str]) -> float:
    """Fraction of exact label matches (XNLI; mT5 compares the generated label string with the gold one)."""
    _check_pair("accuracy", predictions, golds)
    return sum(p == g for p, g in zip(predictions, golds, strict=True)) / len(golds)


# ---------------------------------------------------------------------------------------------------- NER spans


def reference_spans(text: str) -> list[tuple[str, str]]:
    """Parse a target or generation exactly as mT5's ``span_f1`` does (its inner ``tags_to_spans``).

    Split on ``' $$ '``, strip each piece, split it on every ``':'``; a piece that does not give exactly two
    parts is skipped silently (so ``'ORG: Foo: Bar'`` and ``'PER Ada'`` vanish, on the gold side as well); the
    two parts are stripped. Type and surface are not validated: ``'FOO: x'`` or ``'PER:'`` are spans.
    """
    spans = []
    for piece in text.split(SEPARATOR):
        parts = piece.strip().split(":")
        if len(parts) == 2:
            spans.append((parts[0].strip(), parts[1].strip()))
    return spans


def _strict_spans(text: str, what: str) -> list[tuple[str, str]] | None:
    spans = decode_entities(text)
    if spans is None and what == "target":
        raise DataError(f"malformed NER target {text!r}; targets must be built with ner_text.encode_entities")
    return spans


def span_counts(target: str, prediction: str, strict: bool = False) -> tuple[int, int, int]:
    """(tp, fp, fn) of one example, as mT5's ``span_f1`` accumulates them.

    Duplicates: the reference matches each predicted span against the gold list and removes the matched gold
    item, i.e. spans are compared as *multisets* of (type, surface) per example, ignoring position. A span
    predicted twice but gold once gives 1 tp + 1 fp; gold twice but predicted once gives 1 tp + 1 fn.

    ``strict=False`` (default) parses both sides with :func:`reference_spans`, reproducing mT5 exactly.
    ``strict=True`` parses with :func:`xlrobust.ner_text.decode_entities`: a malformed generation then
    contributes no predicted spans at all (its gold spans all become false negatives), and surfaces may contain
    ``':'``. Counts summed over examples give the corpus counts, which a bootstrap can resample.
    """
    if strict:
        gold = _strict_spans(target, "target") or []
        pred = _strict_spans(prediction, "prediction") or []
    else:
        gold, pred = reference_spans(target), reference_spans(prediction)
    tp = sum((Counter(gold) & Counter(pred)).values())
    return tp, len(pred) - tp, len(gold) - tp


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 with 0 for an empty denominator.

    mT5 adds 1e-13 to each denominator instead; that changes values by less than 1e-12 and also gives 0 when
    there are no spans at all, so the two agree to reporting precision.
    """
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def f1_from_counts(tp: int, fp: int, fn: int) -> float:
    """Corpus span F1 from summed (tp, fp, fn), as :func:`span_f1` computes it (0.0 when tp == 0)."""
    return _prf(tp, fp, fn)[2]


def span_f1(
    targets: Sequence[str], predictions: Sequence[str], strict: bool = False
) -> dict[str, float | int]:
    """Micro span precision/recall/F1 over all examples, as mT5 reports for WikiANN (see :func:`span_counts`).

    Also reports ``malformed``: how many predictions :func:`xlrobust.ner_text.decode_entities` rejects (with
    ``strict=False`` they still score as the reference scores them: their parsable pieces count, so a piece with
    an unknown type is a false positive and an unparsable piece is ignored), and ``malformed_rate``.
    An example with no gold and no predicted spans adds nothing; a corpus without any span scores 0.0.
    """
    _check_pair("span_f1", predictions, targets)
    _check_strings("span_f1", targets, "target")
    _check_strings("span_f1", predictions, "prediction")
    tp = fp = fn = malformed = 0
    for target, prediction in zip(targets, predictions, strict=True):
        a, b, c = span_counts(target, prediction, strict=strict)
        tp, fp, fn = tp + a, fp + b, fn + c
        malformed += decode_entities(prediction) is None
    precision, recall, f1 = _prf(tp, fp, fn)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "malformed": malformed,
        "malformed_rate": malformed / len(predictions),
    }


def seqeval_scores(
    gold_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]
) -> dict[str, float]:
    """Entity-level micro precision/recall/F1 with ``seqeval`` in its default (conlleval) mode, as XTREME's
    ``run_tag.py`` scores PAN-X. No entity on either side gives 0.0 (seqeval's value; its warning is silenced)."""
    _check_pair("seqeval_scores", pred_tags, gold_tags)
    for i, (gold, pred) in enumerate(zip(gold_tags, pred_tags, strict=True)):
        if len(gold) != len(pred):
            raise DataError(
                f"seqeval_scores: sentence {i} has {len(gold)} gold tags but {len(pred)} predicted tags; "
                "predicted tags must cover exactly the sentence's tokens"
            )
    gold = [list(s) for s in gold_tags]
    pred = [list(s) for s in pred_tags]
    import seqeval.metrics  # imported where used: it loads scikit-learn (~1 s at every stage start otherwise)

    return {
        "precision": float(seqeval.metrics.precision_score(gold, pred, zero_division=0)),
        "recall": float(seqeval.metrics.recall_score(gold, pred, zero_division=0)),
        "f1": float(seqeval.metrics.f1_score(gold, pred, zero_division=0)),
    }


# ------------------------------------------------------------------------------------------------------------ QA


def _is_unicode_punct(ch: str) -> bool:
    """MLQA's PUNCT set: every Unicode 'P*' category character plus ASCII ``string.punctuation`` (which adds
    symbols such as ``$ + < = > ^ ` | ~``). Category data is that of this Python's ``unicodedata``."""
    return ch in _ASCII_PUNCT or unicodedata.category(ch).startswith("P")


def normalize_answer(text: str) -> str:
    """SQuAD v1.1: lower-case, drop ASCII punctuation, drop English articles, collapse whitespace.

    Non-ASCII punctuation (``।`` ``،`` ``؟`` ``«»``) is kept and stays glued to its word.
    """
    text = "".join(ch for ch in text.lower() if ch not in _ASCII_PUNCT)
    return " ".join(_SQUAD_ARTICLES.sub(" ", text).split())


def normalize_answer_unicode(text: str, lang: str) -> str:
    """MLQA (``mlqa_evaluation_v1.py``): lower-case, drop all Unicode punctuation, drop ``lang``'s articles (see
    ``_MLQA_ARTICLES``), whitespace-tokenise; for a language written without spaces (``Language.spaced`` False:
    zh, ja, th, my) each character of its script is a token of its own (MLQA's ``mixed_segmentation``, which
    keeps Latin runs whole). ``lang`` must be in :data:`xlrobust.languages.LANGUAGES`."""
    language = get_language(lang)
    text = "".join(ch for ch in text.lower() if not _is_unicode_punct(ch))
    if not language.spaced:
        text = _UNSPACED_CHAR.sub(lambda m: f" {m.group()} ", text)
    if lang in _MLQA_ARTICLES:
        text = _MLQA_ARTICLES[lang].sub(" ", text)
    return " ".join(text.split())


def _normalize(text: str, normalization: str, lang: str) -> str:
    if normalization == "squad":
        return normalize_answer(text)
    if normalization == "unicode":
        return normalize_answer_unicode(text, lang)
    raise ConfigError(
        f"unknown QA normalization {normalization!r}; use one of {', '.join(QA_NORMALIZATIONS)} "
        "('squad' = SQuAD v1.1 / TyDiQA-GoldP as in XTREME, 'unicode' = MLQA's script)"
    )


def _token_f1(prediction: str, gold: str) -> float:
    """SQuAD token-overlap F1 of two normalised strings (bag of tokens; 0 when nothing overlaps, so an empty
    prediction scores F1 0 even against a gold answer that normalises to empty, while its EM is 1)."""
    pred_tokens, gold_tokens = prediction.split(), gold.split()
    same = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(pred_tokens), same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def qa_example_scores(
    prediction: str, golds: Sequence[str], normalization: str = "squad", lang: str = "en"
) -> tuple[float, float]:
    """(F1, EM) of one answer: each the max over the gold answers, as the official scripts do.

    ``lang`` is only used by ``normalization="unicode"``; SQuAD's normalisation is language-blind.
    """
    if not golds:
        raise DataError("qa_example_scores: no gold answers; every QA example needs at least one answer")
    pred = _normalize(prediction, normalization, lang)
    normed = [_normalize(g, normalization, lang) for g in golds]
    return max(_token_f1(pred, g) for g in normed), float(max(pred == g for g in normed))


def qa_scores(
    predictions: Sequence[str],
    gold_answers: Sequence[Sequence[str]],
    normalization: str = "squad",
    lang: str = "en",
) -> dict[str, float]:
    """Mean F1 and exact match over examples, as fractions (the official scripts report these x100)."""
    _check_pair("qa_scores", predictions, gold_answers)
    _check_strings("qa_scores", predictions, "prediction")
    scores = [
        qa_example_scores(p, g, normalization, lang) for p, g in zip(predictions, gold_answers, strict=True)
    ]
    return {
        "f1": sum(f for f, _ in scores) / len(scores),
        "exact_match": sum(e for _, e in scores) / len(scores),
    }
