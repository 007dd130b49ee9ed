"""``data.equal_train_size``: train every source language of a task on the same number of examples.

Real training sets differ in size by source (PAN-X es 20,000 sentences vs sw 1,000; TyDiQA-GoldP ar 14.8k vs bn
2.4k), which confounds a comparison of sources. With ``min`` each source keeps as many examples as the smallest
training set among the sources that have one; with a number N each keeps N (a source with fewer is an error).
The subsample is deterministic: it depends on the seed and the task only, so for training sets of equal size
(parallel data such as MultiNLI and its translation) every source keeps the same items; order is preserved.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from xlrobust.errors import DataError


def target_size(setting: int | str | None, counts: Mapping[str, int], task: str) -> int | None:
    """How many training examples each source of ``task`` keeps, from the sources' ``counts`` (0 = no training
    set, ignored); None when ``setting`` is off."""
    if setting is None:
        return None
    have = {lang: n for lang, n in counts.items() if n > 0}
    if not have:
        return None
    if setting == "min":
        return min(have.values())
    short = {lang: n for lang, n in have.items() if n < int(setting)}
    if short:
        lang, n = min(short.items(), key=lambda kv: kv[1])
        raise DataError(
            f"data.equal_train_size is {setting} but {task}/{lang} has only {n} labelled training examples; "
            "lower it or use 'min'"
        )
    return int(setting)


def subsample(examples: list[dict[str, Any]], n: int, seed: int, task: str) -> list[dict[str, Any]]:
    """``n`` of ``examples`` chosen with a generator seeded by (seed, task), in their original order."""
    if n >= len(examples):
        return examples
    keep = sorted(random.Random(f"equal_train_size:{seed}:{task}").sample(range(len(examples)), n))
    return [examples[i] for i in keep]
