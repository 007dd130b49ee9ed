"""Parallel extractive QA: a 2-4 sentence biography and a question whose answer is a span of it."""

from __future__ import annotations

import random
from functools import lru_cache

from xlrobust.examples import QAExample
from xlrobust.synthetic._render import render
from xlrobust.synthetic._sampling import check_request, draw_unique, make_rng, sample_frame
from xlrobust.synthetic._spec import Frame
from xlrobust.synthetic.languages import get_spec

TASK = "tydiqa"

# Paragraph sentences in reading order, with the frame roles each shows.
SENTENCES: dict[str, tuple[str, ...]] = {
    "qa_born": ("p", "sur", "city", "year"),
    "qa_works": ("p", "prof", "org"),
    "qa_books": ("p", "n"),
    "qa_travel": ("p", "city2", "veh", "year2"),
}
# Question key -> (sentence holding the answer, role whose head is the answer).
QUESTIONS: dict[str, tuple[str, str]] = {
    "q_born_where": ("qa_born", "city"),
    "q_born_when": ("qa_born", "year"),
    "q_prof": ("qa_works", "prof"),
    "q_org": ("qa_works", "org"),
    "q_books": ("qa_books", "obj"),
    "q_travel_where": ("qa_travel", "city2"),
    "q_travel_how": ("qa_travel", "veh"),
}
QA_TEMPLATE_KEYS: tuple[str, ...] = (*SENTENCES, *QUESTIONS)
FIXED_ROLES: dict[str, object] = {"obj": "book"}  # "has written 5 books"


def _propose(rng: random.Random, i: int) -> tuple[tuple, tuple, tuple[str, tuple[str, ...], Frame]]:
    question = rng.choice(sorted(QUESTIONS))
    frame = {**sample_frame(rng), **FIXED_ROLES}
    needed = QUESTIONS[question][0]
    others = [s for s in SENTENCES if s not in ("qa_born", needed)]
    extra = rng.sample(others, rng.randint(0 if needed != "qa_born" else 1, 2))
    sentences = tuple(s for s in SENTENCES if s in {"qa_born", needed, *extra})
    paragraph = (sentences, *(frame[r] for s in sentences for r in SENTENCES[s]))
    return paragraph, (paragraph, question), (question, sentences, frame)


@lru_cache(maxsize=64)
def qa_frames(split: str, n: int, seed: int) -> tuple[tuple[str, tuple[str, ...], Frame], ...]:
    """(question key, paragraph sentence keys, frame) per item: the language-independent content."""
    return tuple(draw_unique(TASK, split, n, make_rng(seed, TASK, split), _propose))


def generate_qa(lang: str, split: str, n: int, seed: int) -> list[QAExample]:
    """``n`` QA examples in ``lang``; item i asks the same thing about the same paragraph in every language."""
    check_request(TASK, split, n, seed)
    spec = get_spec(lang)
    out: list[QAExample] = []
    for i, (question_key, sentences, frame) in enumerate(qa_frames(split, n, seed)):
        answer_sentence, answer_role = QUESTIONS[question_key]
        parts: list[str] = []
        start = answer = None
        offset = 0
        for key in sentences:
            is_answer = key == answer_sentence
            text, spans = render(spec, key, frame, "qa", answer_role if is_answer else None)
            if is_answer:
                ((s, e, _),) = spans
                start, answer = offset + s, text[s:e]
            parts.append(text)
            offset += len(text) + 1
        context = " ".join(parts)
        assert start is not None and answer and context[start : start + len(answer)] == answer
        question, _ = render(spec, question_key, frame)
        out.append(
            {
                "id": f"{TASK}-{split}-{i:05d}",
                "question": question,
                "context": context,
                "answers": [{"text": answer, "answer_start": start}],
            }
        )
    return out
