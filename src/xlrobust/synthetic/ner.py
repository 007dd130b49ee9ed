"""Parallel NER sentences: 0-3 PER/ORG/LOC entities, native names, BIO tags over word tokens."""

from __future__ import annotations

import random
from functools import lru_cache

from xlrobust.examples import NERExample
from xlrobust.synthetic._render import bio_tags, render
from xlrobust.synthetic._sampling import check_request, draw_unique, make_rng, sample_frame
from xlrobust.synthetic._spec import Frame
from xlrobust.synthetic.languages import get_spec

TASK = "panx"

# Template key -> the frame roles it shows (its identity for splitting and de-duplication).
NER_TEMPLATES: dict[str, tuple[str, ...]] = {
    "ner_rain0": ("day",),
    "ner_prices": ("obj", "day"),
    "ner_late": ("veh", "k", "day"),
    "ner_rain": ("city", "day"),
    "ner_buy": ("p", "sur", "obj", "n", "day"),
    "ner_city_big": ("city",),
    "ner_works": ("p", "sur", "org"),
    "ner_lives": ("p", "sur", "city"),
    "ner_office": ("org", "city"),
    "ner_travel": ("p", "sur", "city", "veh"),
    "ner_works_in": ("p", "sur", "org", "city"),
    "ner_met": ("p", "sur", "p2", "sur2", "city", "day"),
}
_KEYS = tuple(NER_TEMPLATES)


def _propose(rng: random.Random, i: int) -> tuple[tuple, tuple, tuple[str, Frame]]:
    key = rng.choice(_KEYS)
    frame = sample_frame(rng)
    item = (key, *(frame[r] for r in NER_TEMPLATES[key]))
    return item, item, (key, frame)


@lru_cache(maxsize=64)
def ner_frames(split: str, n: int, seed: int) -> tuple[tuple[str, Frame], ...]:
    """(template key, frame) per item: the language-independent content."""
    return tuple(draw_unique(TASK, split, n, make_rng(seed, TASK, split), _propose))


def generate_ner(lang: str, split: str, n: int, seed: int) -> list[NERExample]:
    """``n`` NER examples in ``lang``; item i has the same entities in the same roles in every language."""
    check_request(TASK, split, n, seed)
    spec = get_spec(lang)
    out: list[NERExample] = []
    for i, (key, frame) in enumerate(ner_frames(split, n, seed)):
        text, spans = render(spec, key, frame, mode="ner")
        tokens, tags = bio_tags(text, spans)
        out.append({"id": f"{TASK}-{split}-{i:05d}", "tokens": tokens, "tags": tags})
    return out
