"""NER as text-to-text, in the target format mT5 used for WikiANN/PAN-X.

mT5 (``multilingual_t5/preprocessors.py: wikiann``) trains the model to generate the sentence's entities as
``TYPE: surface`` pieces in sentence order joined by ``' $$ '`` (e.g. ``PER: Ada Lovelace $$ LOC: London``), the
surface being the entity's tokens joined by single spaces, and ``''`` for a sentence without entities. We keep
that format so :func:`xlrobust.metrics.span_f1` scores exactly as mT5's ``span_f1`` does, and map generations
back onto the tokens (:func:`spans_to_tags`) so the same predictions can also be scored with seqeval as XTREME
scores PAN-X.

Round trip: ``spans_to_tags(tokens, decode_entities(encode_entities(tokens, tags))) == tags`` for valid BIO
tags, provided no entity token is ``'$$'``, empty, or contains whitespace (the format cannot represent those),
and no entity's surface also occurs, unused, further left in the sentence (then the leftmost occurrence is
tagged, as any string-to-position mapping must choose one). Identical repeated entities round-trip: the k-th
occurrence of a span in the generation is mapped to the k-th unused match, left to right.
"""

from __future__ import annotations

from collections.abc import Sequence

from seqeval.metrics.sequence_labeling import get_entities

from xlrobust.errors import DataError
from xlrobust.examples import NER_TAGS, NER_TYPES

SEPARATOR = " $$ "  # mT5's delimiter between entity pieces ("$$" does not occur in WikiANN text)


def gold_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[str, str]]:
    """The (type, surface) entities of a tagged sentence in sentence order.

    Chunks are read with seqeval's own ``get_entities`` (conlleval rules: an ``I-X`` that does not continue an
    ``X`` chunk starts a new one), so the spans scored by :func:`xlrobust.metrics.span_f1` are the same
    entities that :func:`xlrobust.metrics.seqeval_scores` counts.
    """
    if len(tokens) != len(tags):
        raise DataError(
            f"NER example has {len(tokens)} tokens but {len(tags)} tags; each token needs exactly one tag"
        )
    for i, tag in enumerate(tags):
        if tag not in NER_TAGS:
            raise DataError(
                f"NER tag {tag!r} at position {i} (token {tokens[i]!r}) is not one of {', '.join(NER_TAGS)}"
            )
    return [(etype, " ".join(tokens[start : end + 1])) for etype, start, end in get_entities(list(tags))]


def encode_entities(tokens: Sequence[str], tags: Sequence[str]) -> str:
    """The mT5 target string for a tagged sentence: ``'PER: Ada Lovelace $$ LOC: London'`` or ``''``."""
    return SEPARATOR.join(f"{etype}: {surface}" for etype, surface in gold_spans(tokens, tags))


def decode_entities(text: str) -> list[tuple[str, str]] | None:
    """Parse a generation into (type, surface) pairs; ``None`` when it is malformed.

    Malformed means some piece between separators lacks a ``TYPE: `` prefix with TYPE in NER_TYPES, or has an
    empty surface. Blank text is the valid "no entities" answer and gives ``[]``. This is stricter than
    mT5's scorer, which silently skips unparsable pieces; the metrics use it to *report* malformed output.
    """
    if not text.strip():
        return []
    spans: list[tuple[str, str]] = []
    for piece in text.split(SEPARATOR):
        etype, sep, surface = piece.strip().partition(": ")
        surface = surface.strip()
        if not sep or etype not in NER_TYPES or not surface:
            return None
        spans.append((etype, surface))
    return spans


def spans_to_tags(tokens: Sequence[str], spans: Sequence[tuple[str, str]]) -> list[str]:
    """BIO tags for ``tokens`` from predicted (type, surface) spans, so seqeval can score a generation.

    Spans are placed left to right, each on the first exact token-sequence match (surface split on whitespace)
    whose tokens are all still untagged; a span that matches nowhere (hallucinated, misspelt, or overlapping
    an earlier one) is dropped, which seqeval then counts as a missed entity.
    """
    tags = ["O"] * len(tokens)
    used = [False] * len(tokens)
    for etype, surface in spans:
        if etype not in NER_TYPES:
            raise DataError(f"span type {etype!r} of span {surface!r} is not one of {', '.join(NER_TYPES)}")
        start = _first_free_match(tokens, surface.split(), used)
        if start is None:
            continue
        for i in range(start, start + len(surface.split())):
            tags[i] = f"{'B' if i == start else 'I'}-{etype}"
            used[i] = True
    return tags


def _first_free_match(tokens: Sequence[str], needle: list[str], used: list[bool]) -> int | None:
    """Index of the leftmost occurrence of ``needle`` in ``tokens`` that overlaps no used token."""
    k = len(needle)
    if k == 0:
        return None
    for i in range(len(tokens) - k + 1):
        if list(tokens[i : i + k]) == needle and not any(used[i : i + k]):
            return i
    return None
