"""NER as text-to-text, in the target format mT5 used for WikiANN/PAN-X.

mT5 (``multilingual_t5/preprocessors.py: wikiann``) trains the model to generate the sentence's entities as
``TYPE: surface`` pieces in sentence order joined by ``' $$ '`` (e.g. ``PER: Ada Lovelace $$ LOC: London``), the
surface being the entity's tokens joined by single spaces, and ``''`` for a sentence without entities. We keep
that format so :func:`xlrobust.metrics.span_f1` scores exactly as mT5's ``span_f1`` does, and map generations
back onto the tokens (:func:`spans_to_tags`) so the same predictions can also be scored with seqeval as XTREME
scores PAN-X.

Empty target: TFDS/HF ``wikiann.py: get_spans``, which built mT5's targets, writes ``'None'`` for a sentence
without entities; we *write* ``''`` (what every model trained here has learnt, and what mT5's ``span_f1`` also
parses as "no spans": its ``'None'`` piece has no ``':'`` and is skipped, so the two score identically) and
*accept* both as the empty prediction (:func:`decode_entities`), so an mT5-style generation ``'None'`` is not
counted as malformed.

Round trip: ``spans_to_tags(tokens, decode_entities(encode_entities(tokens, tags))) == tags`` for valid BIO
tags, provided no entity token is ``'$$'``, empty, or contains whitespace (the format cannot represent those),
and no entity's surface also occurs, unused, further left in the sentence (then the leftmost occurrence is
tagged, as any string-to-position mapping must choose one; given the gold tags, :func:`spans_to_tags` puts it on
the gold span instead). Identical repeated entities round-trip: the k-th occurrence of a span in the generation
is mapped to the k-th unused match, left to right.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlrobust.errors import DataError
from xlrobust.examples import NER_TAGS, NER_TYPES

SEPARATOR = " $$ "  # mT5's delimiter between entity pieces ("$$" does not occur in WikiANN text)
NO_ENTITIES = "None"  # TFDS wikiann.py's target for a sentence without entities (accepted, never written)


def _get_entities(tags: list[str]) -> list[tuple[str, int, int]]:
    """seqeval's ``get_entities``, imported on first use (the seqeval package loads scikit-learn, about a second
    at every stage start)."""
    from seqeval.metrics.sequence_labeling import get_entities

    return get_entities(tags)


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
    return [(etype, " ".join(tokens[start : end + 1])) for etype, start, end in _get_entities(list(tags))]


def encode_entities(tokens: Sequence[str], tags: Sequence[str]) -> str:
    """The mT5 target string for a tagged sentence: ``'PER: Ada Lovelace $$ LOC: London'`` or ``''``."""
    return SEPARATOR.join(f"{etype}: {surface}" for etype, surface in gold_spans(tokens, tags))


def decode_entities(text: str) -> list[tuple[str, str]] | None:
    """Parse a generation into (type, surface) pairs; ``None`` when it is malformed.

    Malformed means some piece between separators lacks a ``TYPE: `` prefix with TYPE in NER_TYPES, or has an
    empty surface. Blank text and mT5's ``'None'`` (see the module docstring) are the valid "no entities"
    answer and give ``[]``. This is stricter than
    mT5's scorer, which silently skips unparsable pieces; the metrics use it to *report* malformed output.
    """
    if not text.strip() or text.strip() == NO_ENTITIES:
        return []
    spans: list[tuple[str, str]] = []
    for piece in text.split(SEPARATOR):
        etype, sep, surface = piece.strip().partition(": ")
        surface = surface.strip()
        if not sep or etype not in NER_TYPES or not surface:
            return None
        spans.append((etype, surface))
    return spans


def spans_to_tags(
    tokens: Sequence[str], spans: Sequence[tuple[str, str]], gold_tags: Sequence[str] | None = None
) -> list[str]:
    """BIO tags for ``tokens`` from predicted (type, surface) spans, so seqeval can score a generation.

    A generated span has a surface but no position, so a surface that occurs several times in the sentence
    must be placed somewhere. Rule (in two passes, each left to right over the generation):

    1. with ``gold_tags``, a span whose (type, tokens) equals a gold entity that is still free is placed on
       that gold entity (the leftmost such one). This is the position-free matching of mT5's ``span_f1``
       (a predicted span is correct when an equal gold span exists), so a correct entity scores as correct
       under seqeval too: for gold ``B-LOC I-LOC I-LOC O B-LOC`` over "হারারে স্পোর্টস ক্লাব , হারারে", the
       prediction ``LOC: হারারে`` tags the final token and scores 0.667 as seqeval on those tags does, rather
       than 0.0 on the first token;
    2. every other span goes on the leftmost exact token-sequence match (surface split on whitespace) whose
       tokens are all still untagged; one that matches nowhere (hallucinated, misspelt, or overlapping an
       earlier one) is dropped, which seqeval then counts as a missed entity.

    Without ``gold_tags`` only pass 2 runs. Gold entities are read with seqeval's ``get_entities``.
    """
    tags = ["O"] * len(tokens)
    used = [False] * len(tokens)
    for etype, _ in spans:
        if etype not in NER_TYPES:
            raise DataError(f"span type {etype!r} is not one of {', '.join(NER_TYPES)}")
    if gold_tags is not None and len(gold_tags) != len(tokens):
        raise DataError(f"spans_to_tags: {len(tokens)} tokens but {len(gold_tags)} gold tags")
    gold = [(t, s, e + 1) for t, s, e in _get_entities(list(gold_tags))] if gold_tags is not None else []
    placed = [False] * len(spans)

    def place(k: int, start: int) -> None:
        etype, surface = spans[k]
        for i in range(start, start + len(surface.split())):
            tags[i] = f"{'B' if i == start else 'I'}-{etype}"
            used[i] = True
        placed[k] = True

    for k, (etype, surface) in enumerate(spans):
        needle = surface.split()
        for gtype, s, e in gold:
            if gtype == etype and list(tokens[s:e]) == needle and not any(used[s:e]):
                place(k, s)
                break
    for k, (_, surface) in enumerate(spans):
        if not placed[k]:
            start = _first_free_match(tokens, surface.split(), used)
            if start is not None:
                place(k, start)
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
