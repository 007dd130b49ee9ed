"""Unlabelled sentences for tokenizer training, span-corruption pre-training and masked-token accuracy.

Drawn from every template of the three tasks with fresh frames, so the pre-training text covers exactly the
vocabulary and constructions the downstream tasks use; a quarter of the lines are short coherent biographies
(the QA paragraphs) so that pre-training also sees multi-sentence context. Like the task data the corpus is
parallel: line i has the same content in every language.
"""

from __future__ import annotations

import random
from functools import cache

from xlrobust.synthetic._render import render, template_roles
from xlrobust.synthetic._sampling import check_request, make_rng, sample_frame
from xlrobust.synthetic._spec import HYPERNYM, Frame
from xlrobust.synthetic.languages import SPECS, get_spec
from xlrobust.synthetic.ner import NER_TEMPLATES
from xlrobust.synthetic.nli import NEEDS_HYPERNYM, NLI_TEMPLATE_KEYS
from xlrobust.synthetic.qa import FIXED_ROLES, QA_TEMPLATE_KEYS, SENTENCES

CORPUS_KEYS: tuple[str, ...] = (*NLI_TEMPLATE_KEYS, *NER_TEMPLATES, *QA_TEMPLATE_KEYS)
PARAGRAPH_SHARE = 0.25
_WITH_HYPERNYM = tuple(k for k, h in HYPERNYM.items() if h is not None)
_RETRIES = 20  # redraws to avoid repeating a line's content before accepting a repeat


@cache
def _roles(key: str) -> tuple[str, ...]:
    return tuple(sorted(template_roles(SPECS["en"], key)))


def _draw(rng: random.Random) -> tuple[tuple[str, ...], Frame]:
    """Template keys of one line (one sentence or a biography) and their frame."""
    frame = sample_frame(rng)
    if rng.random() < PARAGRAPH_SHARE:
        frame.update(FIXED_ROLES)
        others = [k for k in SENTENCES if k != "qa_born"]
        keys = (
            "qa_born",
            *sorted(rng.sample(others, rng.randint(1, len(others))), key=list(SENTENCES).index),
        )
        return keys, frame
    key = rng.choice(CORPUS_KEYS)
    if key in NEEDS_HYPERNYM:
        frame["obj"] = rng.choice(_WITH_HYPERNYM)
    if key in QA_TEMPLATE_KEYS:
        frame.update(FIXED_ROLES)
    return (key,), frame


@cache
def corpus_frames(n_sentences: int, seed: int) -> tuple[tuple[tuple[str, ...], Frame], ...]:
    """Language-independent content of each line, nearly all distinct."""
    rng = make_rng(seed, "corpus", "train")
    seen: set[tuple] = set()
    out: list[tuple[tuple[str, ...], Frame]] = []
    for _ in range(n_sentences):
        for _ in range(_RETRIES):
            keys, frame = _draw(rng)
            content = (keys, *(frame[r] for k in keys for r in _roles(k)))
            if content not in seen:
                break
        seen.add(content)
        out.append((keys, frame))
    return tuple(out)


def generate_corpus(lang: str, n_sentences: int, seed: int) -> list[str]:
    """``n_sentences`` lines of text in ``lang``; line i has the same content in every language."""
    check_request("corpus", "train", n_sentences, seed)
    spec = get_spec(lang)
    return [
        " ".join(render(spec, k, frame)[0] for k in keys) for keys, frame in corpus_frames(n_sentences, seed)
    ]
