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

from xlrobust import train_size
from xlrobust.config import DataConfig
from xlrobust.errors import DataError
from xlrobust.tasks import get_task

log = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
# Seeds of the offline sample: labelled splits and the held-out corpus use different streams.
CORPUS_SEED_OFFSET = 7919


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


@dataclass
class LoadedSplit:
    """One split as ``prepare`` uses it: the examples and what the coverage table says about them."""

    examples: list[dict[str, Any]]
    labelled: bool
    origin: str  # file path or hub id@revision/config/split
    note: str
    repaired: int  # answer offsets the source moved onto their text (SplitData.repaired)
    dataset: str  # e.g. TyDiQA-GoldP, SQuAD v1.1 translate-train, XQuAD
    provenance: str  # native | human-translated | machine-translated | mixed: ... | generated


def load_task_split(task_name: str, lang: str, split: str, cfg: DataConfig, seed: int) -> LoadedSplit | None:
    """One split, or None when the source has no such split.

    TyDiQA-GoldP has no test split anywhere; its dev split serves as test (as in XTREME), said in the note. With
    ``data.qa_train: squad`` an extractive-QA task's train split is SQuAD v1.1 / translate-train instead."""
    cap = cfg.sizes.of(split, task_name)
    task = get_task(task_name)
    if cfg.source == "synthetic":
        return LoadedSplit(
            task.generate(lang, split, cap or 0, seed),
            True,
            f"synthetic:{task_name}/{lang}/{split}",
            "",
            0,
            "synthetic",
            "generated",
        )
    from xlrobust import sources

    if split == "train" and task.extractive_qa and cfg.qa_train == "squad":
        data = sources.qa_train.load_squad_train(
            cfg.source,
            lang,
            path=cfg.path,
            qa_folder=cfg.qa_targets,
            revisions=cfg.revisions,
            cache_dir=cfg.cache_dir,
        )
        return None if data is None else _loaded(data, data.note, cap, task, lang, split)
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
        revisions=cfg.revisions,
    )
    if data is None:
        return None
    note = data.note
    if load_as != split:
        note = "; ".join(filter(None, [note, f"{task_name} has no test split: dev used as test"]))
    return _loaded(data, note, cap, task, lang, split)


def _loaded(data: Any, note: str, cap: int | None, task: Any, lang: str, split: str) -> LoadedSplit:
    """A loaded SplitData, capped, with its dataset and provenance (the task's own unless the loader read
    another dataset)."""
    if data.dropped:
        log.info("%s: read %d, dropped %d", data.origin, data.read, data.dropped)
    return LoadedSplit(
        _cap(data.examples, cap),
        data.labelled,
        data.origin,
        note,
        data.repaired,
        data.dataset or task.dataset,
        data.provenance or task.data_origin(lang, split),
    )


def _usable_train(task_name: str, lang: str, cfg: DataConfig, seed: int) -> int:
    """How many labelled training examples ``lang`` has for the task (0: none), as prepare would keep them."""
    loaded = load_task_split(task_name, lang, "train", cfg, seed)
    if loaded is None or not loaded.labelled:
        return 0
    task = get_task(task_name)
    return len(loaded.examples) if all(task.is_labelled(ex) for ex in loaded.examples) else 0


def _equalise_train(
    task_name: str, lang: str, cfg: DataConfig, seed: int, sources: list[str], splits: dict, row: dict
) -> None:
    """``data.equal_train_size``: cut ``lang``'s training set to the common size of the task's sources, and
    say so in its coverage row."""
    counts = {s: _usable_train(task_name, s, cfg, seed) for s in sources if s != lang}
    counts[lang] = len(splits["train"])
    n = train_size.target_size(cfg.equal_train_size, counts, task_name)
    if n is None:
        return
    available = len(splits["train"])
    splits["train"] = train_size.subsample(splits["train"], n, seed, task_name)
    row["count"] = len(splits["train"])
    sizes = ", ".join(f"{s} {c}" for s, c in sorted(counts.items()))
    row["note"] = "; ".join(
        filter(
            None,
            [
                row["note"],
                f"equal_train_size {cfg.equal_train_size}: {n} of {available} kept (sources: {sizes})",
            ],
        )
    )
    log.info("%s %s train: %d of %d examples kept (data.equal_train_size)", task_name, lang, n, available)


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
                        "available": 0,
                        "labelled": False,
                        "dataset": "",
                        "provenance": "",
                        "origin": "",
                        "repaired": 0,
                        "note": "not in this source",
                    }
                )
                continue
            examples = loaded.examples
            labelled = loaded.labelled and all(task.is_labelled(ex) for ex in examples)
            out.coverage.append(
                {
                    "task": task_name,
                    "language": lang,
                    "split": split,
                    "count": len(examples),
                    "available": len(examples),
                    "labelled": labelled,
                    "dataset": loaded.dataset,
                    "provenance": loaded.provenance,
                    "origin": loaded.origin,
                    "repaired": loaded.repaired,
                    "note": loaded.note,
                }
            )
            if labelled and examples:
                splits[split] = examples
            elif examples:
                log.warning(
                    "%s %s %s (%s) has no labels: it cannot be scored", task_name, lang, split, loaded.origin
                )
        if lang in sources and "train" in splits and cfg.equal_train_size is not None:
            row = next(r for r in out.coverage if (r["task"], r["split"]) == (task_name, "train"))
            _equalise_train(task_name, lang, cfg, seed, sources, splits, row)
        if task.extractive_qa and eval_split not in splits and (cfg.qa_targets or cfg.source == "hub"):
            _fill_qa_target(task_name, lang, eval_split, cfg, splits, out.coverage)
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
    task_name: str,
    lang: str,
    split: str,
    cfg: DataConfig,
    splits: dict[str, list[dict[str, Any]]],
    coverage: list[dict[str, Any]],
) -> None:
    """Evaluate QA on MLQA, else XQuAD, where TyDiQA-GoldP has no ``lang``: from the ``data.qa_targets`` folder
    when it has the file, else (``data.source: hub``) from the hub; its coverage row (replacing the 'not in this
    source' one) names the file or hub split, the dataset and its origin."""
    from xlrobust import sources

    data = sources.qa_targets.load_qa_target(cfg.qa_targets, lang, split) if cfg.qa_targets else None
    if data is None and cfg.source == "hub":
        data = sources.hub_targets.load_qa_target(
            lang, split, path=cfg.path, revisions=cfg.revisions, cache_dir=cfg.cache_dir
        )
    if data is None or not data.examples:
        log.info("no MLQA or XQuAD %s for %s (folder %s, source %s)", split, lang, cfg.qa_targets, cfg.source)
        return
    examples = _cap(data.examples, cfg.sizes.of(split, task_name))
    splits[split] = examples
    row = {
        "task": task_name,
        "language": lang,
        "split": split,
        "count": len(examples),
        "available": len(examples),
        "labelled": True,
        "dataset": data.dataset,
        "provenance": data.provenance,
        "origin": data.origin,
        "repaired": data.repaired,
        "note": f"{get_task(task_name).dataset} has no {lang}; {data.note}",
    }
    same = [i for i, r in enumerate(coverage) if (r["task"], r["split"]) == (task_name, split)]
    if same:
        coverage[same[0]] = row  # replaces the 'not in this source' row
    else:
        coverage.append(row)
    log.info("%s %s %s: %d examples from %s", task_name, lang, split, len(examples), data.origin)


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
