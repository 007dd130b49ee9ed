"""SQuAD v1.1 and XTREME's translate-train SQuAD as the QA training corpus (``data.qa_train: squad``).

With ``data.qa_train: squad`` every source language of the QA task trains on SQuAD-style data, so English and
Spanish models are trained on the same kind of data (TyDiQA-GoldP has no Spanish train): English on SQuAD v1.1
train (native), every other language on XTREME's machine translation of it (``translate-train``). Evaluation
stays on TyDiQA-GoldP (plus ``data.qa_targets``). Where each comes from, per ``data.source``:

* ``xtreme`` (``data.path`` = XTREME's ``download/`` folder): ``squad/train-v1.1.json`` (what XTREME's
  ``scripts/download_data.sh`` ``download_squad`` writes) and ``squad/translate-train/squad.translate.train.en-
  <lang>.json`` (copied from XTREME's translations bucket, ``xtreme_translations/SQuAD/translate-train/``). Both
  are SQuAD-1.1 JSON (``data`` / ``paragraphs`` / ``qas`` / ``answers``).
* ``jsonl``: ``<path>/squad/train-<lang>.jsonl`` in the project's QA record format (:mod:`xlrobust.sources.jsonl`).
* ``hub``: English ``rajpurkar/squad`` (config ``plain_text``, split ``train``), Spanish ``ccasimiro/squad_es``
  (version ``v1.1.0``: SQuAD v1.1 machine-translated to Spanish, Carrino et al. 2020). Features of both: ``id``,
  ``title``, ``context``, ``question``, ``answers`` {``text``, ``answer_start``}. ``ccasimiro/squad_es``'s main
  branch still holds a loading script (``squad_es.py``), which ``datasets`` >= 4 refuses, so it is read from the
  hub's parquet export (revision ``refs/convert/parquet``, folder ``v1.1.0``; ``data.revisions.squad_es`` pins
  another commit of that export); a local mirror (``data.path``) holds it as config ``v1.1.0``. No other
  translate-train language has a hub copy: with ``data.source: hub`` it is read from
  ``<data.qa_targets>/squad/translate-train/`` when that file exists; a *source* language without either is a
  one-line error at validation (:class:`xlrobust.config.Params`), a target's unused train split is just absent.

A language with no such file (XTREME translated SQuAD into the XQuAD languages only) has no QA training set: the
split is missing and ``data.on_missing`` decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlrobust.errors import ConfigError, DataError
from xlrobust.sources import jsonl
from xlrobust.sources.validate import QA_RECORD, SplitData, finish_split
from xlrobust.sources.xtreme import squad_records

SQUAD_ID = "rajpurkar/squad"
SQUAD_CONFIG = "plain_text"
SQUAD_ES_ID = "ccasimiro/squad_es"
SQUAD_ES_CONFIG = "v1.1.0"
SQUAD_ES_EXPORT = "refs/convert/parquet"  # the hub's parquet export: main still has a loading script
HUB_LANGS: tuple[str, ...] = ("en", "es")  # languages with a hub copy
JSONL_FOLDER = "squad"  # <path>/squad/train-<lang>.jsonl
# revisions keys beside the task names (data.revisions): the hub datasets this module reads
REVISION_KEYS: tuple[str, ...] = ("squad", "squad_es")
DATASET_EN = "SQuAD v1.1"
DATASET_TRANSLATED = "SQuAD v1.1 translate-train"


def provenance(lang: str, kind: str) -> tuple[str, str]:
    """(dataset, provenance) of ``lang``'s SQuAD training data read from source ``kind``."""
    if lang == "en":
        return DATASET_EN, "native"
    if kind == "hub" and lang == "es":
        return "SQuAD-es v1.1 (ccasimiro/squad_es)", "machine-translated"
    return DATASET_TRANSLATED, "machine-translated"


def check_hub_sources(data: Any, sources: list[str], has_qa_task: bool) -> None:
    """With SQuAD training data from the hub (``data.qa_train: squad``, ``data.source: hub``), every QA source
    needs a hub copy (en, es) or the translate-train file in ``data.qa_targets``: refused at validation, before
    any compute."""
    if data.qa_train != "squad" or data.source != "hub" or not has_qa_task:
        return
    for lang in sources:
        if lang in HUB_LANGS:
            continue
        file = xtreme_file(data.qa_targets, lang) if data.qa_targets else None
        if file is None or not file.is_file():
            raise ConfigError(
                f"params: 'data.qa_train' squad with data.source hub: no hub copy of translate-train SQuAD "
                f"for source {lang!r} (only {', '.join(HUB_LANGS)}); put XTREME's "
                f"squad/translate-train/squad.translate.train.en-{lang}.json in data.qa_targets, or use "
                "data.source: xtreme"
            )


def xtreme_file(root: str | Path, lang: str) -> Path:
    """Where an XTREME-style folder keeps SQuAD v1.1 train (en) or its translate-train file (others)."""
    squad = Path(root) / "squad"
    if lang == "en":
        return squad / "train-v1.1.json"
    return squad / "translate-train" / f"squad.translate.train.en-{lang}.json"


def _from_json(path: Path, lang: str, kind: str) -> SplitData:
    records = squad_records(path)
    examples = [ex for _, ex in records]
    locations = [f"{w} (id {ex['id']!r})" for w, ex in records]
    dataset, prov = provenance(lang, kind)
    return finish_split(
        QA_RECORD,
        "train",
        examples,
        locations,
        str(path),
        note=f"QA training data: {dataset} ({prov}), data.qa_train: squad",
        dataset=dataset,
        provenance=prov,
    )


def _from_hub(lang: str, path: str | None, revisions: dict[str, str], cache_dir: str | None) -> SplitData:
    from xlrobust.sources import hub

    if lang == "en":
        hub_id, config, data_dir, revision = SQUAD_ID, SQUAD_CONFIG, None, revisions.get("squad")
    elif path is not None:  # a local mirror holds the Spanish copy as config v1.1.0
        hub_id, config, data_dir, revision = SQUAD_ES_ID, SQUAD_ES_CONFIG, None, None
    else:
        hub_id, config, data_dir = SQUAD_ES_ID, None, SQUAD_ES_CONFIG
        revision = revisions.get("squad_es", SQUAD_ES_EXPORT)
    ds, origin = hub.fetch(hub_id, config, "train", path, revision, cache_dir, data_dir=data_dir)
    examples = [
        {
            "id": str(row["id"]),
            "question": row["question"],
            "context": row["context"],
            "answers": hub.answers(row["answers"]),
        }
        for row in ds
    ]
    locations = [f"row {i} (id {ex['id']!r})" for i, ex in enumerate(examples)]
    dataset, prov = provenance(lang, "hub")
    return finish_split(
        QA_RECORD,
        "train",
        examples,
        locations,
        origin,
        note=f"QA training data: {dataset} ({prov}), data.qa_train: squad",
        dataset=dataset,
        provenance=prov,
    )


def load_squad_train(
    kind: str,
    lang: str,
    *,
    path: str | None,
    qa_folder: str | None = None,
    revisions: dict[str, str] | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """``lang``'s SQuAD training split from source ``kind`` (see the module docstring); None where it has none."""
    if kind == "hub":
        if lang in HUB_LANGS:
            return _from_hub(lang, path, revisions or {}, cache_dir)
        fallback = xtreme_file(qa_folder, lang) if qa_folder else None
        if fallback is not None and fallback.is_file():
            return _from_json(fallback, lang, "xtreme")
        # None, not an error: a target language's train split is loaded but unused; a source language without a
        # copy is refused before any compute (config.Params._check_qa_train).
        return None
    if kind == "xtreme":
        if path is None:
            raise DataError("data.source xtreme needs data.path: the download/ folder written by XTREME")
        file = xtreme_file(path, lang)
        return _from_json(file, lang, kind) if file.is_file() else None
    if kind == "jsonl":
        data = jsonl.load(QA_RECORD, JSONL_FOLDER, lang, "train", path)
        if data is not None:
            dataset, prov = provenance(lang, kind)
            data.note = f"QA training data: {dataset} ({prov}), data.qa_train: squad"
            data.dataset, data.provenance = dataset, prov
        return data
    raise DataError(f"data.qa_train squad: unknown data source {kind!r}")
