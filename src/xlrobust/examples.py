"""The internal example formats every loader produces and every later stage consumes.

All three are plain JSON-serialisable dicts (written as JSONL). ``id`` is unique within a (task, language, split)
and, for parallel data (XNLI, the offline sample), the same underlying item has the same id in every language.
"""

from __future__ import annotations

from typing import TypedDict

NLI_LABELS: tuple[str, ...] = ("entailment", "neutral", "contradiction")
NER_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC")
NER_TAGS: tuple[str, ...] = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")


class NLIExample(TypedDict):
    id: str
    premise: str
    hypothesis: str
    label: str  # one of NLI_LABELS


class NERExample(TypedDict):
    id: str
    tokens: list[str]
    tags: list[str]  # BIO over NER_TYPES, same length as tokens


class QAAnswer(TypedDict):
    text: str
    answer_start: int  # character offset into context; context[start:start+len(text)] == text


class QAExample(TypedDict):
    id: str
    question: str
    context: str
    answers: list[QAAnswer]  # at least one
