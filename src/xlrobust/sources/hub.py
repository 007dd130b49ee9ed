"""Read the Hugging Face Hub datasets with ``datasets.load_dataset``.

* XNLI: ``facebook/xnli``, one config per language (ar bg de el en es fr hi ru sw th tr ur vi zh), splits
  train / validation / test, features ``premise``, ``hypothesis``, ``label`` (ClassLabel entailment, neutral,
  contradiction). Its non-English *train* is machine-translated MNLI (XNLI-MT), noted in ``SplitData.note``.
* PAN-X: ``google/xtreme``, config ``PAN-X.<lang>``, splits train / validation / test, features ``tokens``,
  ``ner_tags`` (list of ClassLabel O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC) and ``langs``.
* TyDiQA-GoldP: ``google-research-datasets/tydiqa``, config ``secondary_task``, splits train / validation
  (all languages together; the language is the id prefix, e.g. ``swahili-...``), features ``id``, ``title``,
  ``context``, ``question``, ``answers`` {``text``, ``answer_start``}. There is no test split: dev serves as
  test, so ``load_tydiqa`` returns None for test. The script that converted it to parquet (``tydiqa.py``'s
  ``_generate_examples`` for ``secondary_task``) ``.strip()``s each context and answer text but copies
  ``answer_start`` unchanged, so where a context began with whitespace every offset is too large by that many
  characters (7 of the first 300 English and 56 of 300 Swahili train answers). :func:`repair_strip_shift` moves
  such an offset back onto the exact answer text (at most :data:`MAX_STRIP_SHIFT` characters), counts the
  repairs in ``SplitData.repaired`` (a coverage column) and logs them; an answer found nowhere near its offset is
  still a DataError.

Our split ``dev`` is the hub's ``validation``. ClassLabel integers are mapped through the dataset's own
feature names (``int2str``), never an assumed order; ``-1`` (no label) reads as unlabelled.

``path`` replaces the hub id with a local directory laid out like the hub repository (parquet files with the
README YAML ``configs``), or holding ``<config>/`` folders written by ``DatasetDict.save_to_disk``: the same
code path then runs offline. Example ids follow the XTREME loader's scheme, so both sources give equal ids.
"""

from __future__ import annotations

import logging
import re
from itertools import zip_longest
from pathlib import Path
from typing import Any

from xlrobust.errors import DataError
from xlrobust.sources.validate import NER_RECORD, NLI_RECORD, QA_RECORD, SplitData, finish_split
from xlrobust.sources.xtreme import TYDIQA_LANG_NAMES, XNLI_LANGS

log = logging.getLogger("xlrobust.sources")

XNLI_ID = "facebook/xnli"
XTREME_ID = "google/xtreme"
TYDIQA_ID = "google-research-datasets/tydiqa"
HUB_PANX_LANGS: tuple[str, ...] = tuple(
    "af ar bg bn de el en es et eu fa fi fr he hi hu id it ja jv ka kk ko ml mr ms my nl pt ru sw ta te th tl tr "
    "ur vi yo zh".split()
)
HF_SPLIT = {"train": "train", "dev": "validation", "test": "test"}
MAX_STRIP_SHIFT = (
    16  # the most leading whitespace a repaired TyDiQA context may have lost (6 seen in sw train)
)
OFFLINE_HINT = (
    "use data.source: xtreme with an XTREME download/ folder, or set data.path to a local copy of the "
    "hub repository (parquet files or save_to_disk folders), or run once with network to fill the "
    "cache"
)


def _one_line(e: BaseException) -> str:
    return re.sub(r"\s+", " ", str(e)).strip()


def _from_disk(root: Path, config: str | None, hf_split: str) -> Any | None:
    """A ``save_to_disk`` DatasetDict at ``root/config`` (or ``root``), or None when there is none."""
    import datasets

    for folder in (root / config, root) if config else (root,):
        if (folder / "dataset_dict.json").is_file():
            dd = datasets.load_from_disk(str(folder))
            if hf_split not in dd:
                raise DataError(f"{folder}: no split {hf_split!r} (has {', '.join(dd)})")
            return dd[hf_split]
    return None


def _load(
    hub_id: str,
    config: str | None,
    hf_split: str,
    path: str | None,
    revision: str | None,
    cache_dir: str | None,
    where: str,
    data_dir: str | None = None,
) -> Any:
    """``datasets`` Dataset for one config/split, with every loading failure as a one-line DataError."""
    import datasets
    from datasets.exceptions import DatasetNotFoundError
    from huggingface_hub.errors import HfHubHTTPError

    if path is not None:
        root = Path(path)
        if not root.is_dir():
            raise DataError(f"{root}: local dataset folder not found (it replaces hub id {hub_id})")
        ds = _from_disk(root, config, hf_split)
        if ds is not None:
            return ds
    try:
        return datasets.load_dataset(
            path or hub_id,
            config,
            split=hf_split,
            revision=revision,
            cache_dir=cache_dir,
            data_dir=data_dir,
        )
    except ConnectionError as e:
        raise DataError(
            f"{where}: could not reach the Hugging Face Hub for {hub_id} and it is not in the cache "
            f"({_one_line(e)[:200]}); {OFFLINE_HINT}"
        ) from None
    except (DatasetNotFoundError, HfHubHTTPError, FileNotFoundError) as e:
        raise DataError(
            f"{where}: dataset not found or not readable ({_one_line(e)[:300]}); check the hub id, "
            f"revision and data.path, or {OFFLINE_HINT}"
        ) from None
    except ValueError as e:  # unknown config or split
        raise DataError(f"{where}: {_one_line(e)[:300]}") from None
    except RuntimeError as e:  # datasets >= 4 refuses repositories that still hold a loading script
        hint = (
            (
                "; this revision predates the hub's parquet conversion (it has a loading script, which datasets "
                "no longer runs): pin data.revisions to a commit after the conversion (refs/convert/parquet or "
                "later), or leave it at main"
            )
            if "script" in str(e).lower()
            else ""
        )
        raise DataError(f"{where}: {_one_line(e)[:300]}{hint}") from None


def _int2str(feature: Any, value: Any) -> str | None:
    """Map a ClassLabel int to its name through the dataset's own feature; -1 (no label) is None."""
    if value is None or (isinstance(value, int) and value < 0):
        return None
    if hasattr(feature, "int2str"):
        return feature.int2str(int(value))
    return value if isinstance(value, str) else str(value)


def _inner(feature: Any) -> Any:
    """The element feature of a list feature (``List`` or legacy ``Sequence``)."""
    return getattr(feature, "feature", feature)


def _xnli(ds: Any, split: str) -> tuple[list[dict], list[str]]:
    feat = ds.features["label"]
    examples = [
        {
            "id": f"{split}-{i:06d}",
            "premise": row["premise"],
            "hypothesis": row["hypothesis"],
            "label": _int2str(feat, row["label"]),
        }
        for i, row in enumerate(ds)
    ]
    return examples, [f"row {i}" for i in range(len(examples))]


def _panx(ds: Any, lang: str, split: str) -> tuple[list[dict], list[str]]:
    feat = _inner(ds.features["ner_tags"])
    examples = []
    for i, row in enumerate(ds):
        tags = [_int2str(feat, t) for t in row["ner_tags"]]
        labelled = all(t is not None for t in tags) and (bool(tags) or not row["tokens"])
        examples.append(
            {
                "id": f"{lang}-{split}-{i:06d}",
                "tokens": list(row["tokens"]),
                "tags": tags if labelled else None,
            }
        )
    return examples, [f"row {i}" for i in range(len(examples))]


def answers(raw: Any) -> list[dict]:
    """Answers as a list of {text, answer_start}, from a dict of lists (hub) or a list of dicts."""
    if isinstance(raw, dict):
        pairs = zip_longest(
            raw.get("text", []), raw.get("answer_start", [])
        )  # unequal: invalid, caught later
        answers = [{"text": t, "answer_start": s} for t, s in pairs]
    else:
        answers = [dict(a) for a in raw or []]
    return [] if all(a.get("text") == "" for a in answers) else answers


def repair_strip_shift(examples: list[dict], locations: list[str], origin: str) -> int:
    """Move each answer offset that misses its text back onto it, when the exact text starts 1 to
    :data:`MAX_STRIP_SHIFT` characters earlier (the nearest such place); return how many were moved.

    This undoes the hub conversion's ``context.strip()`` (see the module docstring); an answer that matches
    neither at its offset nor a few characters before is left alone for validation to refuse.
    """
    moved: list[str] = []
    for ex, loc in zip(examples, locations, strict=True):
        context = ex.get("context")
        if not isinstance(context, str):
            continue
        for ans in ex.get("answers") or []:
            text, start = ans.get("text"), ans.get("answer_start")
            if not isinstance(text, str) or not text or not isinstance(start, int) or isinstance(start, bool):
                continue
            if context[start : start + len(text)] == text:
                continue
            for shift in range(1, min(MAX_STRIP_SHIFT, start) + 1):
                if context[start - shift : start - shift + len(text)] == text:
                    ans["answer_start"] = start - shift
                    moved.append(f"{loc} ({start} -> {start - shift})")
                    break
    if moved:
        shown = ", ".join(moved[:5]) + (" ..." if len(moved) > 5 else "")
        log.warning(
            "%s: repaired %d answer offset(s) shifted by the hub's stripped context whitespace: %s",
            origin,
            len(moved),
            shown,
        )
    return len(moved)


def _tydiqa(ds: Any, lang: str) -> tuple[list[dict], list[str]]:
    name = TYDIQA_LANG_NAMES[lang]
    keep = [i for i, qid in enumerate(ds["id"]) if str(qid).split("-")[0] == name]
    examples = [
        {
            "id": row["id"],
            "question": row["question"],
            "context": row["context"],
            "answers": answers(row["answers"]),
        }
        for row in ds.select(keep)
    ]
    return examples, [f"row {i} (id {ex['id']!r})" for i, ex in zip(keep, examples, strict=True)]


def fetch(
    hub_id: str,
    config: str | None,
    split: str,
    path: str | None,
    revision: str | None,
    cache_dir: str | None,
    *,
    data_dir: str | None = None,
) -> tuple[Any, str]:
    """The hub split (or its local copy) and its origin string for messages; ``data_dir`` selects a folder of
    the repository (a config of a parquet export such as ``refs/convert/parquet``) instead of a config."""
    hf_split = HF_SPLIT[split]
    source = f"{hub_id}@{revision or 'main'}" if path is None else path
    origin = f"{source}/{config or data_dir}/{hf_split}"
    return _load(hub_id, config, hf_split, path, revision, cache_dir, origin, data_dir), origin


def load_xnli(
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revision: str | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """XNLI (``facebook/xnli``) for one (language, split); None where the dataset lacks the language."""
    if lang not in XNLI_LANGS:
        return None
    ds, origin = fetch(XNLI_ID, lang, split, path, revision, cache_dir)
    examples, locations = _xnli(ds, split)
    note = "machine-translated MNLI (XNLI-MT)" if split == "train" and lang != "en" else ""
    return finish_split(NLI_RECORD, split, examples, locations, origin, note=note)


def load_panx(
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revision: str | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """PAN-X (``google/xtreme`` config ``PAN-X.<lang>``) for one (language, split); None where it lacks it."""
    if lang not in HUB_PANX_LANGS:
        return None
    ds, origin = fetch(XTREME_ID, f"PAN-X.{lang}", split, path, revision, cache_dir)
    examples, locations = _panx(ds, lang, split)
    return finish_split(NER_RECORD, split, examples, locations, origin)


def load_tydiqa(
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revision: str | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """TyDiQA-GoldP (``secondary_task``) for one (language, split); None for test (dev serves as test)."""
    if lang not in TYDIQA_LANG_NAMES or split == "test":
        return None  # TyDiQA-GoldP has no test split: dev serves as test
    ds, origin = fetch(TYDIQA_ID, "secondary_task", split, path, revision, cache_dir)
    examples, locations = _tydiqa(ds, lang)
    if not examples:
        raise DataError(
            f"{origin}: no {TYDIQA_LANG_NAMES[lang]} questions (ids start with the language name, "
            "e.g. 'swahili-...')"
        )
    repaired = repair_strip_shift(examples, locations, origin)
    note = f"{repaired} answer offset(s) repaired (hub strip shift)" if repaired else ""
    return finish_split(QA_RECORD, split, examples, locations, origin, note=note, repaired=repaired)
