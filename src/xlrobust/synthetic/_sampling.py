"""Seeded, language-independent choice of frames, and the split every underlying item belongs to.

Nothing here looks at a language, so for the same (task, split, n, seed) every language draws the same frames:
that is what makes the sample parallel. A frame's split is a hash of its content (not of Python's salted
``hash``), so the three splits never share an underlying item whatever the seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Hashable
from typing import TypeVar

from xlrobust.errors import ConfigError
from xlrobust.synthetic._spec import (
    N_CITIES,
    N_ORGS,
    N_PEOPLE,
    N_SURNAMES,
    OBJECT_KEYS,
    PROFESSION_KEYS,
    VEHICLE_KEYS,
)

SPLITS: tuple[str, ...] = ("train", "dev", "test")
_MAX_MISSES = 20_000  # consecutive rejected draws before giving up on finding a new item

T = TypeVar("T")


def make_rng(seed: int, task: str, split: str) -> random.Random:
    """A private generator for one (task, split, seed); str seeds are hashed with SHA-512, not PYTHONHASHSEED."""
    return random.Random(f"xlrobust.synthetic|{task}|{split}|{seed}")


def split_of(key: tuple[Hashable, ...]) -> str:
    """80/10/10 train/dev/test by a stable hash of the item's content."""
    bucket = int(hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:8], 16) % 10
    return "train" if bucket < 8 else "dev" if bucket == 8 else "test"


def _two(rng: random.Random, population: range | tuple) -> tuple:
    a, b = rng.sample(population, 2)
    return a, b


def sample_frame(rng: random.Random) -> dict[str, object]:
    """Every role any template may use, drawn in a fixed order (distinct values where two roles contrast)."""
    p, p2, p3 = rng.sample(range(N_PEOPLE), 3)
    city, city2 = _two(rng, range(N_CITIES))
    obj, obj2 = _two(rng, OBJECT_KEYS)
    day, day2 = _two(rng, range(7))
    n, n2 = _two(rng, range(3, 10))
    veh, veh2 = _two(rng, VEHICLE_KEYS)
    prof, prof2 = _two(rng, PROFESSION_KEYS)
    k, k2 = _two(rng, range(5, 10))
    return {
        "p": p,
        "p2": p2,
        "p3": p3,
        "sur": rng.randrange(N_SURNAMES),
        "sur2": rng.randrange(N_SURNAMES),
        "city": city,
        "city2": city2,
        "org": rng.randrange(N_ORGS),
        "obj": obj,
        "obj2": obj2,
        "n": n,
        "n2": n2,
        "veh": veh,
        "veh2": veh2,
        "prof": prof,
        "prof2": prof2,
        "day": day,
        "day2": day2,
        "year": rng.randrange(1950, 1996),
        "year2": rng.randrange(2005, 2024),
        "k": k,
        "k2": k2,
    }


def check_request(task: str, split: str, n: int, seed: int) -> None:
    if split not in SPLITS:
        raise ConfigError(f"offline sample {task}: unknown split {split!r}; use one of {', '.join(SPLITS)}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ConfigError(f"offline sample {task}: the number of examples must be an integer >= 0, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ConfigError(f"offline sample {task}: the seed must be an integer, got {seed!r}")


def draw_unique(
    task: str,
    split: str,
    n: int,
    rng: random.Random,
    propose: Callable[[random.Random, int], tuple[tuple[Hashable, ...], Hashable, T]],
) -> list[T]:
    """``n`` payloads from ``propose(rng, i)`` -> (split key, item key, payload), keeping those whose split key
    hashes to ``split`` and whose item key is new."""
    seen: set[Hashable] = set()
    out: list[T] = []
    for i in range(n):
        for _ in range(_MAX_MISSES):
            split_key, item_key, payload = propose(rng, i)
            if item_key not in seen and split_of((task, *split_key)) == split:
                seen.add(item_key)
                out.append(payload)
                break
        else:
            raise ConfigError(
                f"offline sample {task}/{split}: could not find {n} distinct items (stuck after {i}); "
                "lower the number of examples for the offline sample in params.yaml"
            )
    return out
