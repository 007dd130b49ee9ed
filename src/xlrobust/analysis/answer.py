"""The report's first screen: one verdict per task, the compact table of source differences with intervals,
the per-target table, the run configuration, and the definitions of the robustness quantities."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING

import pandas as pd

from xlrobust.analysis import report
from xlrobust.analysis.loading import TaskData
from xlrobust.analysis.provenance import Provenance

if TYPE_CHECKING:
    from xlrobust.config import Params

OUTCOME_NAMES = {"clean": "clean", "adv": "perturbed", "drop": "drop"}

DEFINITIONS = [
    "clean: the task's primary metric over all test examples of a target.",
    "clean (changed): the clean score of only the examples a perturbation family changed.",
    'perturbed: the score of the same changed examples after the perturbation (reported as "adv" in the CSV '
    "files); compare it with clean (changed), never with clean.",
    "drop: clean (changed) minus perturbed, so a positive drop means the perturbation hurt; per target it is "
    "the mean over the families that changed at least the minimum number of examples.",
    "invariance failure rate: the share of changed examples whose prediction changed (CheckList's INV test).",
    "Source differences are fine-tuning source minus the reference source on the same test examples; a * marks "
    "a 95% interval that excludes 0.",
]


def params_hash(params: Params) -> str:
    """First 12 hex digits of the SHA-256 of the validated params (sorted-key JSON): identical for identical
    configurations, so it can sit in a tracked output (a git commit would change it on every commit)."""
    blob = json.dumps(asdict(params), sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def _size_text(value: object) -> str:
    """``64``, or per task ``xnli 128 / panx 64 / tydiqa 64``."""
    if isinstance(value, dict):
        return " / ".join(f"{task} {size}" for task, size in value.items())
    return str(value)


def run_configuration(params: Params, tds: Mapping[str, TaskData]) -> list[list[str]]:
    """(setting, value) rows of what produced the numbers."""
    d, t = params.data, params.train
    sizes = asdict(d.sizes) if hasattr(d.sizes, "__dataclass_fields__") else d.sizes
    n_per_target = "; ".join(
        f"{task}: "
        + ", ".join(f"{tgt} {len(td.matrix(td.sources[0], td.seeds[0], tgt, 'clean'))}" for tgt in td.targets)
        for task, td in tds.items()
    )
    budget = f"{t.epochs} epochs" if t.max_steps is None else f"{t.max_steps} steps"
    return [
        ["model", params.model.name],
        [
            "data source",
            d.source + (f" ({d.path})" if d.path else "") + f", evaluated on the {d.eval_split} split",
        ],
        ["split sizes (params data.sizes)", ", ".join(f"{k} {_size_text(v)}" for k, v in sizes.items())],
        ["test examples per target", n_per_target],
        [
            "tasks; sources (reference)",
            f"{', '.join(params.tasks)}; {', '.join(params.sources)} ({params.reference_source})",
        ],
        ["targets (low-resource)", f"{', '.join(params.languages)} ({', '.join(params.low_resource)})"],
        ["fine-tuning seeds", ", ".join(map(str, params.seeds))],
        ["fine-tuning budget", f"{budget}, batch {t.batch_size}, lr {t.lr}, precision {t.precision}"],
        [
            "perturbation families; min changed",
            f"{', '.join(params.perturbations.families)}; {params.perturbations.min_changed}",
        ],
        ["bootstrap replicates; analysis seed", f"{params.correlate.n_boot}; {params.seed}"],
        [
            "params hash",
            params_hash(params) + " (SHA-256 of the validated params; the git commit is left out so "
            "identical runs give identical outputs: see `git log` for the commit that tracks them)",
        ],
    ]


def cell(row: pd.Series | None) -> str:
    """A difference with its interval and a * where the interval excludes 0, or why there is none."""
    if row is None:
        return "n/a"
    if pd.isna(row["diff"]):
        reason = str(row.get("reason") or "undefined")
        if "no target with data" in reason:
            return "n/a: too few changed examples"
        if reason.startswith("no comparison possible"):
            return "no comparison possible: degenerate model (see the verdict and Degenerate runs)"
        return f"n/a: {reason}"
    lo, hi = row["ci_low"], row["ci_high"]
    if pd.isna(lo) or pd.isna(hi):
        return f"{row['diff']:+.3f} (no interval)"
    star = " *" if lo > 0 or hi < 0 else ""
    return f"{row['diff']:+.3f} [{lo:+.3f}, {hi:+.3f}]{star}"


def _lookup(diffs: pd.DataFrame, task: str, source: str, outcome: str, unit: str) -> pd.Series | None:
    sub = diffs[
        (diffs["task"] == task)
        & (diffs["source"] == source)
        & (diffs["outcome"] == outcome)
        & (diffs["unit"] == unit)
    ]
    return sub.iloc[0] if len(sub) else None


def _word(row: pd.Series | None, source: str, better: str, worse: str) -> str:
    if row is None or pd.isna(row["diff"]):
        return "not estimable"
    excl = pd.notna(row["ci_low"]) and (row["ci_low"] > 0 or row["ci_high"] < 0)
    if not excl:
        return f"no clear difference ({cell(row)})"
    return f"{better if row['diff'] > 0 else worse} with {source} ({cell(row)})"


def verdicts(
    tds: Mapping[str, TaskData], diffs: pd.DataFrame, reference: str, prov: Provenance | None = None
) -> list[str]:
    """One line per (task, source): the low-resource answer in words, or "no comparison possible: ...", with
    both sources' training data (size, dataset, native or translated) and the targets' datasets."""
    prov = prov or Provenance()
    out = []
    for task, td in tds.items():
        for s in td.sources:
            if s == reference or reference not in td.sources:
                continue
            clean = _lookup(diffs, task, s, "clean", "low_resource")
            if clean is None:
                continue
            if pd.isna(clean["diff"]) and str(clean["reason"]).startswith("no comparison possible"):
                out.append(f"{task}: {clean['reason']}.")
                continue
            drop = _lookup(diffs, task, s, "drop", "low_resource")
            out.append(
                f"{task} ({td.metric}), low-resource targets {clean['targets']}, {s} instead of {reference}: "
                f"transfer {_word(clean, s, 'better', 'worse')}; robustness "
                f"{_word(drop, s, 'lower', 'higher')}. Trained on {prov.comparison_text(task, s, reference)}; "
                f"targets from {prov.targets_text(task, str(clean['targets']).split())}."
            )
    return out


def compact_table(diffs: pd.DataFrame, reference: str, prov: Provenance | None = None) -> report.Table:
    """Source minus reference per task and target group: clean, perturbed, drop with 95% intervals, and the
    training data of both sources and the datasets of the targets."""
    prov = prov or Provenance()
    rows = []
    groups = diffs[diffs["kind"] == "group"] if not diffs.empty else diffs
    for (task, s, unit), sub in groups.groupby(["task", "source", "unit"], sort=False):
        cells = [cell(_lookup(sub, task, s, o, unit)) for o in OUTCOME_NAMES]
        targets = sub["targets"].iloc[0]
        rows.append(
            [
                task,
                f"{s} - {reference}",
                f"{unit.replace('_', '-')} ({targets})",
                *cells,
                prov.comparison_text(task, s, reference),
                prov.targets_text(task, str(targets).split()),
            ]
        )
    return report.Table(
        ["task", "comparison", "targets", "clean", "perturbed", "drop", "training data", "target data"],
        _merge_blocked(rows),
    )


def per_target_table(diffs: pd.DataFrame, reference: str, prov: Provenance | None = None) -> report.Table:
    """Source minus reference per zero-shot target, with intervals, the training data of both sources and the
    target's dataset."""
    prov = prov or Provenance()
    rows = []
    targets = diffs[diffs["kind"] == "target"] if not diffs.empty else diffs
    for (task, s), pair in targets.groupby(["task", "source"], sort=False):
        if pair["diff"].isna().all() and pair["reason"].str.startswith("no comparison possible").all():
            rows.append(
                [
                    task,
                    f"{s} - {reference}",
                    "all: " + " ".join(dict.fromkeys(pair["unit"])),
                    cell(pair.iloc[0]),
                    "",
                    "",
                    prov.comparison_text(task, s, reference),
                    "",
                ]
            )
            continue
        for unit, sub in pair.groupby("unit", sort=False):
            rows.append(
                [
                    task,
                    f"{s} - {reference}",
                    unit,
                    *[cell(_lookup(sub, task, s, o, unit)) for o in OUTCOME_NAMES],
                    prov.comparison_text(task, s, reference),
                    prov.target_text(task, unit),
                ]
            )
    return report.Table(
        ["task", "comparison", "target", "clean", "perturbed", "drop", "training data", "target data"],
        _merge_blocked(rows),
    )


def _merge_blocked(rows: list[list[str]]) -> list[list[str]]:
    """A row whose three cells give the same "no comparison possible" reason says it once."""
    out = []
    for r in rows:
        if len(set(r[3:6])) == 1 and r[3].startswith("no comparison possible"):
            r = [*r[:3], r[3], "", "", *r[6:]]
        out.append(r)
    return out


def robustness_rows(robust: pd.DataFrame, sources: Sequence[str]) -> report.Table:
    """Per (target, family): examples, changed examples and per source clean (changed) -> perturbed, drop and
    invariance failure rate, or the reason there is none."""
    rows = []
    for (t, fam), sub in robust.groupby(["target", "family"], sort=False):
        first = sub.iloc[0]
        if not first["reported"]:
            rows.append([t, fam, str(first["n"]), str(first["n_changed"]), first["reason"]])
            continue
        parts = []
        for s in sources:
            r = sub[sub["source"] == s]
            if r.empty:
                continue
            r = r.iloc[0]
            ifr = "n/a" if pd.isna(r["invariance_failure_rate"]) else f"{r['invariance_failure_rate']:.2f}"
            parts.append(
                f"{s}: {r['clean_changed']:.3f} -> {r['perturbed']:.3f} (drop {r['drop']:+.3f}, IFR {ifr})"
            )
        rows.append([t, fam, str(first["n"]), str(first["n_changed"]), "; ".join(parts)])
    return report.Table(
        ["target", "family", "examples", "changed", "per source: clean (changed) -> perturbed (drop, IFR)"],
        rows,
    )


def answer_blocks(
    tds: Mapping[str, TaskData],
    diffs: pd.DataFrame,
    reference: str,
    run_config: list[list[str]],
    prov: Provenance | None = None,
) -> list[report.Block]:
    """The first screen: verdicts, compact table, per-target table, run configuration."""
    blocks: list[report.Block] = [report.Heading("Answer")]
    lines = verdicts(tds, diffs, reference, prov)
    blocks.append(
        report.Bullets(lines or ["No task has a source to compare with the reference (see Coverage)."])
    )
    if not diffs.empty:
        blocks += [compact_table(diffs, reference, prov), report.Paragraph(" ".join(DEFINITIONS[-1:]))]
    blocks += [report.Heading("Run configuration"), report.Table(["setting", "value"], run_config)]
    if not diffs.empty:
        blocks += [report.Heading("Per target"), per_target_table(diffs, reference, prov)]
    return blocks
