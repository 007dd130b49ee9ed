"""Loading every task's splits for one language from the configured source, checking coverage up front.

The offline sample is generated here; real data comes through :mod:`xlrobust.sources` (hub, XTREME folder,
JSONL), which validates it. What exists is recorded as coverage rows; a split the study needs (a source's
training set, every language's evaluation split) that is missing or unlabelled is an error here, or a logged
skip with ``data.on_missing: skip``, so no later stage meets a hole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from xlrobust.config import DataConfig
from xlrobust.errors import DataError
from xlrobust.tasks import get_task

log = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
# Seeds of the offline sample: labelled splits and the held-out corpus use different streams.
CORPUS_SEED_OFFSET = 7919
QA_FILL_TASK = "tydiqa"  # the QA task whose missing targets data.qa_targets fills from MLQA/XQuAD


@dataclass
class PreparedLanguage:
    """Everything ``prepare`` produces for one language."""

    lang: str
    splits: dict[str, dict[str, list[dict[str, Any]]]] = field(
        default_factory=dict
    )  # task -> split -> examples
    coverage: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # task -> reason
    corpus: list[str] = field(default_factory=list)


def _cap(examples: list[dict[str, Any]], cap: int | None) -> list[dict[str, Any]]:
    return examples if cap is None else examples[:cap]


def load_task_split(
    task_name: str, lang: str, split: str, cfg: DataConfig, seed: int
) -> tuple[list[dict[str, Any]], bool, str, str, int] | None:
    """(examples, labelled, origin, note, repaired) for one split, or None when the source has no such split;
    ``repaired`` counts answer offsets the source moved onto their text (``SplitData.repaired``).

    TyDiQA-GoldP has no test split anywhere; its dev split serves as test (as in XTREME), said in the note."""
    cap = getattr(cfg.sizes, split)
    task = get_task(task_name)
    if cfg.source == "synthetic":
        return (
            task.generate(lang, split, cap or 0, seed),
            True,
            f"synthetic:{task_name}/{lang}/{split}",
            "",
            0,
        )
    from xlrobust import sources

    load_as = "dev" if split == "test" and task.no_test_split else split
    if load_as != split and cfg.eval_split == "dev":
        return None  # dev is already the evaluation split; do not duplicate it as test
    data = sources.load_split(
        cfg.source,
        task_name,
        lang,
        load_as,
        path=cfg.path,
        revision=cfg.revisions.get(task_name),
        cache_dir=cfg.cache_dir,
    )
    if data is None:
        return None
    if data.dropped:
        log.info("%s: read %d, dropped %d", data.origin, data.read, data.dropped)
    note = data.note
    if load_as != split:
        note = "; ".join(filter(None, [note, f"{task_name} has no test split: dev used as test"]))
    return _cap(data.examples, cap), data.labelled, data.origin, note, data.repaired


def prepare_language(
    lang: str, tasks: list[str], cfg: DataConfig, *, sources: list[str], eval_split: str, seed: int
) -> PreparedLanguage:
    """Load all splits of all tasks for ``lang`` and check the study can use them."""
    out = PreparedLanguage(lang)
    for task_name in tasks:
        task = get_task(task_name)
        splits: dict[str, list[dict[str, Any]]] = {}
        for split in SPLITS:
            loaded = load_task_split(task_name, lang, split, cfg, seed)
            if loaded is None:
                out.coverage.append(
                    {
                        "task": task_name,
                        "language": lang,
                        "split": split,
                        "count": 0,
                        "labelled": False,
                        "origin": "",
                        "repaired": 0,
                        "note": "not in this source",
                    }
                )
                continue
            examples, labelled, origin, note, repaired = loaded
            labelled = labelled and all(task.is_labelled(ex) for ex in examples)
            out.coverage.append(
                {
                    "task": task_name,
                    "language": lang,
                    "split": split,
                    "count": len(examples),
                    "labelled": labelled,
                    "origin": origin,
                    "repaired": repaired,
                    "note": note,
                }
            )
            if labelled and examples:
                splits[split] = examples
            elif examples:
                log.warning(
                    "%s %s %s (%s) has no labels: it cannot be scored", task_name, lang, split, origin
                )
        if task_name == QA_FILL_TASK and eval_split not in splits and cfg.qa_targets:
            _fill_qa_target(lang, eval_split, cfg, splits, out.coverage)
        problems = []
        if lang in sources and "train" not in splits:
            problems.append(f"no labelled training set, but {lang} is a source language")
        if eval_split not in splits:
            problems.append(f"no labelled '{eval_split}' split to evaluate on")
        if problems:
            where = f"{task_name}/{lang} from data.source={cfg.source}" + (
                f" ({cfg.path})" if cfg.path else ""
            )
            reason = "; ".join(problems)
            hint = (
                "XTREME's test files ship without labels: evaluate on dev with 'data.eval_split: dev'. "
                if eval_split == "test"
                and any(
                    r["split"] == "test" and r["count"] and not r["labelled"]
                    for r in out.coverage
                    if r["task"] == task_name
                )
                else ""
            )
            if cfg.on_missing == "error":
                raise DataError(
                    f"{where}: {reason}. {hint}Remove the language or task from params, or set "
                    "'data.on_missing: skip' to skip it with a warning."
                )
            log.warning("skipping %s: %s", where, reason)
            if lang in sources and "train" not in splits:
                out.skipped[task_name] = f"{where}: {reason}"  # no model for this (task, source)
        # Whatever labelled splits exist are kept: a language without an eval split can still be a source,
        # one without training data can still be a target.
        out.splits[task_name] = splits
    out.corpus = _corpus(lang, out, cfg, seed)
    return out


def _fill_qa_target(
    lang: str,
    split: str,
    cfg: DataConfig,
    splits: dict[str, list[dict[str, Any]]],
    coverage: list[dict[str, Any]],
) -> None:
    """Evaluate QA on MLQA, else XQuAD, where TyDiQA-GoldP has no ``lang`` (``data.qa_targets``); its coverage
    row (replacing the 'not in this source' one) names the file, the dataset and its origin."""
    from xlrobust import sources

    data = sources.qa_targets.load_qa_target(cfg.qa_targets, lang, split)
    if data is None or not data.examples:
        log.info("no MLQA or XQuAD %s for %s in %s", split, lang, cfg.qa_targets)
        return
    examples = _cap(data.examples, getattr(cfg.sizes, split))
    splits[split] = examples
    row = {
        "task": QA_FILL_TASK,
        "language": lang,
        "split": split,
        "count": len(examples),
        "labelled": True,
        "origin": data.origin,
        "repaired": data.repaired,
        "note": f"TyDiQA-GoldP has no {lang}; {data.note}",
    }
    same = [i for i, r in enumerate(coverage) if (r["task"], r["split"]) == (QA_FILL_TASK, split)]
    if same:
        coverage[same[0]] = row  # replaces the 'not in this source' row
    else:
        coverage.append(row)
    log.info("%s %s %s: %d examples from %s", QA_FILL_TASK, lang, split, len(examples), data.origin)


def _corpus(lang: str, prepared: PreparedLanguage, cfg: DataConfig, seed: int) -> list[str]:
    """Unlabelled held-out text of the language (for LMEM): generated, or the texts of its eval splits."""
    if cfg.source == "synthetic":
        from xlrobust import synthetic

        return synthetic.generate_corpus(lang, cfg.corpus_sentences, seed + CORPUS_SEED_OFFSET)
    seen: dict[str, None] = {}
    for task_name, splits in prepared.splits.items():
        task = get_task(task_name)
        for split in ("test", "dev"):
            for ex in splits.get(split, []):
                for text in task.texts(ex):
                    if text.strip():
                        seen.setdefault(text.strip(), None)
    return list(seen)[: cfg.corpus_sentences]
