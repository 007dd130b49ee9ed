"""Degenerate models, named instead of compared: checks on each run's clean predictions, pooled over targets.

A fine-tuned model can fail in ways that make a score difference meaningless (issue #16 point 2):
- at chance: for a classification task (the task has rank-classification ``choices``), accuracy not above
  1/len(choices) by a one-sided exact binomial test (scipy.stats.binomtest, alpha 0.05); for a span task, a
  clean score below :data:`NO_SIGNAL` (an F1 that low carries no signal to compare);
- one output: the most frequent prediction string covers more than :data:`MAJORITY_MAX` of the examples (a
  collapsed classifier, or a generator that writes the same answer everywhere);
- malformed: more than :data:`MALFORMED_MAX` of the outputs could not be parsed (rows with ``malformed``, e.g.
  PAN-X entity strings).
A check that needs a field the rows lack (``prediction``, ``malformed``) is not run. Each (task, source, seed)
run's signal is checked in its own language (when that is a target) and on the zero-shot targets pooled (one
target's ~64 examples are too few for a test of chance), so "learned the task but transfers nothing" is told
apart from "learned nothing"; either makes a zero-shot comparison meaningless. A comparison involving a flagged run is not computed; the report says "no comparison possible:
<reason>".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scipy.stats import binomtest

from xlrobust.tasks import get_task

MAJORITY_MAX = 0.8
MALFORMED_MAX = 0.5
NO_SIGNAL = 0.05
ALPHA = 0.05
NO_TRANSFER = " on the zero-shot targets (no transfer)"  # the suffix of a flag about zero-shot targets only


@dataclass(frozen=True)
class RowStats:
    """What the checks need from one run's clean rows on one target."""

    n: int
    n_correct: int | None  # rows scoring exactly 1 (meaningful for 0/1 accuracy rows)
    predictions: dict[str, int] | None  # prediction -> count, None without a ``prediction`` field
    n_malformed: int | None


def row_stats(rows: Sequence[dict[str, Any]]) -> RowStats:
    """Summarise clean per-example rows (as the evaluate stage writes them) for the checks."""
    n = len(rows)
    correct = (
        sum(1 for r in rows if r.get("score") == 1.0) if rows and all("score" in r for r in rows) else None
    )
    preds = (
        dict(Counter(str(r["prediction"]) for r in rows))
        if rows and all("prediction" in r for r in rows)
        else None
    )
    malformed = (
        sum(bool(r["malformed"]) for r in rows) if rows and all("malformed" in r for r in rows) else None
    )
    return RowStats(n, correct, preds, malformed)


def pooled(stats: Sequence[RowStats]) -> RowStats:
    """One run's statistics over all its targets (a check on ~64 examples of one target is too noisy)."""
    preds: Counter[str] | None = Counter()
    for st in stats:
        preds = None if preds is None or st.predictions is None else preds + Counter(st.predictions)
    return RowStats(
        sum(st.n for st in stats),
        None if any(st.n_correct is None for st in stats) else sum(st.n_correct or 0 for st in stats),
        dict(preds) if preds else None,
        None if any(st.n_malformed is None for st in stats) else sum(st.n_malformed or 0 for st in stats),
    )


class _Runs(Protocol):  # the part of TaskData the checks read (avoids importing loading here)
    task: str
    sources: list[str]
    targets: list[str]
    seeds: list[int]
    metrics: dict[tuple[str, int], dict[str, Any]]
    clean_stats: dict[tuple[str, int, str], RowStats]


def signal_checks(stats: RowStats, score: float, choices: Sequence[str]) -> list[str]:
    """At chance (classification: one-sided binomial test against 1/len(choices)) or without signal (span
    tasks: mean score below :data:`NO_SIGNAL`), as a phrase with its number; [] when the scores carry signal."""
    if choices and stats.n_correct is not None and stats.n:
        chance = 1 / len(choices)
        p = binomtest(stats.n_correct, stats.n, chance, alternative="greater").pvalue
        if p >= ALPHA:
            return [
                f"at chance (accuracy {stats.n_correct / stats.n:.3f} vs {chance:.3f}, n={stats.n}, "
                f"binomial p={p:.2f})"
            ]
    elif not choices and score < NO_SIGNAL:
        return [f"without signal (mean score {score:.3f} < {NO_SIGNAL})"]
    return []


def output_checks(stats: RowStats) -> list[str]:
    """Collapsed to one output, or mostly malformed outputs."""
    out = []
    if stats.predictions and stats.n:
        top, count = sorted(stats.predictions.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if count / stats.n > MAJORITY_MAX:
            shown = top if len(top) <= 20 else top[:17] + "..."
            out.append(f"collapsed to one output ({shown!r} for {count / stats.n:.0%} of examples)")
    if stats.n_malformed is not None and stats.n and stats.n_malformed / stats.n > MALFORMED_MAX:
        out.append(f"malformed in {stats.n_malformed / stats.n:.0%} of its outputs")
    return out


def check_run(stats: RowStats, score: float, choices: Sequence[str]) -> list[str]:
    """The checks one run fails (statistics pooled over its targets, ``score`` the mean clean score), each
    as a short phrase with its number."""
    return signal_checks(stats, score, choices) + output_checks(stats)


def run_flags(td: _Runs) -> dict[tuple[str, int], list[str]]:
    """Failed checks per (source, seed) run; only flagged runs appear.

    Where the source language is also a target, whether the model learned the task is checked on that target
    (in-language) and whether it transfers on the other targets pooled (zero-shot), so a model that learned the
    task but transfers nothing is named for what it is; otherwise all targets are pooled. Collapse and
    malformed outputs are checked on all targets pooled."""
    choices = tuple(get_task(td.task).choices)
    flags = {}
    for s in td.sources:
        for seed in td.seeds:
            have = [t for t in td.targets if (s, seed, t) in td.clean_stats]
            if not have:
                continue

            def score(ts: list[str], s: str = s, seed: int = seed) -> float:
                return sum(float(td.metrics[(s, seed)]["targets"][t]["clean"]["score"]) for t in ts) / len(ts)

            def stats(ts: list[str], s: str = s, seed: int = seed) -> RowStats:
                return pooled([td.clean_stats[(s, seed, t)] for t in ts])

            zero_shot = [t for t in have if t != s]
            if s in have and zero_shot:
                found = [f"{x} in its own language" for x in signal_checks(stats([s]), score([s]), choices)]
                found += [
                    f"{x}{NO_TRANSFER}" for x in signal_checks(stats(zero_shot), score(zero_shot), choices)
                ]
            else:
                found = signal_checks(stats(have), score(have), choices)
            found += output_checks(stats(have))
            if found:
                flags[(s, seed)] = found
    return flags


def source_problem(td: _Runs, flags: dict[tuple[str, int], list[str]], source: str) -> str | None:
    """Why ``source``'s runs cannot be compared, or None."""
    seeds = [seed for seed in td.seeds if (source, seed) in flags]
    if not seeds:
        return None
    if len(td.seeds) == 1:
        return f"the {source} model is " + " and ".join(flags[(source, seeds[0])])
    return "; ".join(
        f"the {source} model (seed {seed}) is " + " and ".join(flags[(source, seed)]) for seed in seeds
    )


def comparison_blocker(
    td: _Runs, flags: dict[tuple[str, int], list[str]], source: str, reference: str
) -> str | None:
    """ "no comparison possible: <reason>" when a run of either source is degenerate, else None."""
    reasons = [r for r in (source_problem(td, flags, x) for x in (source, reference)) if r]
    return "no comparison possible: " + "; ".join(reasons) if reasons else None


def flag_rows(td: _Runs, flags: dict[tuple[str, int], list[str]]) -> list[list[str]]:
    """Report rows (task, source, seed, checks failed)."""
    return [[td.task, s, str(seed), "; ".join(phrases)] for (s, seed), phrases in flags.items()]


def task_blocked(td: _Runs, flags: dict[tuple[str, int], list[str]]) -> bool:
    """Whether no run of the task carries signal: every run is flagged for more than "no transfer" (at chance
    in its own language, collapsed or malformed). Its figures would only show noise, so the report replaces them
    with one sentence. Runs that learned the task in their own language but transfer nothing keep their
    figures: the heatmap's diagonal against empty zero-shot cells is the finding."""

    def learned_nothing(phrases: list[str]) -> bool:
        return any(not p.endswith(NO_TRANSFER) for p in phrases)

    return all(learned_nothing(flags.get((s, seed), [])) for s in td.sources for seed in td.seeds)
