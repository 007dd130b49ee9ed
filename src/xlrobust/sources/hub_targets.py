"""Hub copies of the evaluation sets that fill the targets a task's own dataset lacks (``data.source: hub``).

* MLQA (``google/xtreme``, the repository that also holds PAN-X): config ``MLQA.<lang>.<lang>`` (context and
  question in the same language, as XTREME scores MLQA), splits ``validation`` (MLQA's dev, our ``dev``) and
  ``test``, files ``MLQA.<lang>.<lang>/{validation,test}-00000-of-00001.parquet`` since its parquet conversion
  (``ec5f1f4``, "Convert dataset to Parquet (#9)"); features ``id``, ``title``, ``context``, ``question``,
  ``answers`` {``answer_start``, ``text``}. Read from main or the commit ``data.revisions.mlqa`` pins.
* XQuAD (``google/xquad``): config ``xquad.<lang>``, one split ``validation``, used for whichever of dev/test is
  asked for (as the XTREME-folder reader does); same features as MLQA.
* IndicXNLI (``Divyanshu/indicxnli``, Aggarwal et al. 2022): XNLI machine-translated from English into 11 Indic
  languages; config ``<lang>`` (as bn gu hi kn ml mr or pa ta te), splits ``train`` / ``validation`` / ``test``,
  features ``premise``, ``hypothesis``, ``label`` (its loading script's ClassLabel: entailment, neutral,
  contradiction). Main still holds that script, so it is read from ``refs/convert/parquet`` (folder ``<lang>``).
  It fills XNLI only where ``facebook/xnli`` has no such language (bn, ...; XNLI's own hi is kept).

Precedence for QA targets TyDiQA-GoldP lacks (:func:`xlrobust.prepare`): a ``data.qa_targets`` folder first (MLQA,
then XQuAD), then, with ``data.source: hub``, the hub (MLQA, then XQuAD). A local mirror (``data.path``) holds each
dataset as its config folder (``MLQA.es.es/``, ``xquad.de/``, ``bn/``); a mirror without that folder means "not
available" (None), never an error. Every split carries its dataset and provenance for the coverage table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlrobust.sources import hub
from xlrobust.sources.hub import XTREME_ID
from xlrobust.sources.qa_targets import MLQA_LANGS, XQUAD_LANGS, target_split
from xlrobust.sources.validate import NLI_RECORD, SplitData, finish_split

MLQA_ID = XTREME_ID  # google/xtreme, config MLQA.<lang>.<lang>
XQUAD_ID = "google/xquad"
INDICXNLI_ID = "Divyanshu/indicxnli"
PARQUET_EXPORT = (
    "refs/convert/parquet"  # the hub's parquet export of a repository that keeps a loading script
)
INDICXNLI_LANGS: tuple[str, ...] = ("as", "bn", "gu", "hi", "kn", "ml", "mr", "or", "pa", "ta", "te")
INDICXNLI_LABELS: tuple[str, ...] = (
    "entailment",
    "neutral",
    "contradiction",
)  # its script's ClassLabel order
# revisions keys beside the task names (data.revisions): the hub datasets this module reads
REVISION_KEYS: tuple[str, ...] = ("mlqa", "xquad", "indicxnli")
INDICXNLI = ("IndicXNLI", "machine-translated")  # (dataset, provenance) for the coverage table


def _in_mirror(path: str | None, config: str) -> bool:
    """Whether the hub (no mirror) or the local mirror at ``path`` can have ``config``."""
    return path is None or (Path(path) / config).is_dir()


def _fetch(
    hub_id: str,
    config: str,
    split: str,
    path: str | None,
    revision: str | None,
    cache_dir: str | None,
    *,
    export: bool,
) -> tuple[Any, str]:
    """One split; a repository with a loading script (``export``) is read from its parquet export folder."""
    if export and path is None:
        return hub.fetch(hub_id, None, split, None, revision or PARQUET_EXPORT, cache_dir, data_dir=config)
    return hub.fetch(hub_id, config, split, path, None if path else revision, cache_dir)


def _qa(dataset: str, ds: Any, lang: str, split: str, origin: str) -> SplitData:
    examples = [
        {
            "id": f"{dataset}-{lang}-{row['id']}",
            "question": row["question"],
            "context": row["context"],
            "answers": hub.answers(row["answers"]),
        }
        for row in ds
    ]
    locations = [f"row {i} (id {ex['id']!r})" for i, ex in enumerate(examples)]
    return target_split(dataset, split, examples, locations, origin)


def load_qa_target(
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revisions: dict[str, str] | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """MLQA's ``split`` for ``lang`` from the hub, else XQuAD's validation split; None where neither has it."""
    if split not in ("dev", "test"):
        return None
    revisions = revisions or {}
    config = f"MLQA.{lang}.{lang}"
    if lang in MLQA_LANGS and _in_mirror(path, config):
        ds, origin = _fetch(MLQA_ID, config, split, path, revisions.get("mlqa"), cache_dir, export=False)
        return _qa("mlqa", ds, lang, split, origin)
    config = f"xquad.{lang}"
    if lang in XQUAD_LANGS and _in_mirror(path, config):
        ds, origin = _fetch(XQUAD_ID, config, "dev", path, revisions.get("xquad"), cache_dir, export=False)
        return _qa("xquad", ds, lang, split, origin)
    return None


def _nli_label(feature: Any, value: Any) -> str | None:
    """A label through the dataset's ClassLabel when the export kept it, else the script's documented order."""
    if value is None or isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return None  # -1: no label
    if hasattr(feature, "int2str"):
        return feature.int2str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return INDICXNLI_LABELS[value] if value < len(INDICXNLI_LABELS) else str(value)
    return value


def load_indicxnli(
    lang: str,
    split: str,
    *,
    path: str | None = None,
    revisions: dict[str, str] | None = None,
    cache_dir: str | None = None,
) -> SplitData | None:
    """IndicXNLI for one (language, split); None where it lacks the language (or a mirror lacks its folder)."""
    if lang not in INDICXNLI_LANGS or not _in_mirror(path, lang):
        return None
    revision = (revisions or {}).get("indicxnli")
    ds, origin = _fetch(INDICXNLI_ID, lang, split, path, revision, cache_dir, export=True)
    feature = ds.features["label"]
    examples = [
        {
            "id": f"{split}-{i:06d}",
            "premise": row["premise"],
            "hypothesis": row["hypothesis"],
            "label": _nli_label(feature, row["label"]),
        }
        for i, row in enumerate(ds)
    ]
    dataset, provenance = INDICXNLI
    return finish_split(
        NLI_RECORD,
        split,
        examples,
        [f"row {i}" for i in range(len(examples))],
        origin,
        note=f"XNLI has no {lang}: IndicXNLI, XNLI machine-translated from English",
        dataset=dataset,
        provenance=provenance,
    )
