"""Definitions every analysis module shares: the outcomes, number formatting, per-comparison generators."""

from __future__ import annotations

import zlib

import numpy as np

OUTCOMES: tuple[str, ...] = ("clean", "adv", "drop")
CORR_OUTCOMES: tuple[str, ...] = ("clean", "drop")


def fmt(x: float | None, signed: bool = False) -> str:
    """A number as the report writes it: 3 decimals (with sign if ``signed``), ``n/a`` for None."""
    if x is None:
        return "n/a"
    return f"{x:+.3f}" if signed else f"{x:.3f}"


def seed_for(seed: int, *labels: str) -> np.random.Generator:
    """A generator per comparison, stable whatever order comparisons run in."""
    return np.random.default_rng([seed, zlib.crc32("/".join(labels).encode())])
