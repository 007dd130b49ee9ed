"""Read an XTREME ``download/`` folder (what google-research/xtreme ``scripts/download_data.sh`` writes).

Layout and formats, as written by XTREME's ``utils_preprocess.py``:

* ``xnli/train-en.tsv`` (English MNLI train only), ``xnli/{dev,test}-<lang>.tsv``: ``premise \\t hypothesis \\t
  label`` with no header, written by Python's ``csv.writer`` (tab delimiter, CRLF line ends, fields holding a
  double quote are quoted and the quote doubled), so they are read back with ``csv.reader``. Test files have
  only two columns: no labels.
* ``panx/{train,dev,test}-<lang>.tsv``: ``token \\t tag`` per line, a blank line between sentences. XTREME strips
  the raw WikiANN ``<lang>:`` token prefix (tokens may still contain ``:``, e.g. ``217:``); a file in which
  *every* token starts with ``<lang>:`` (a raw, unprocessed file) has the prefix removed. Test files hold tokens
  only: no tags.
* ``tydiqa/tydiqa-goldp-v1.1-train/``: ``tydiqa-goldp-v1.1-train.json`` (the original file, all languages, full
  ids such as ``swahili-123-0``) and ``tydiqa.goldp.<lang>.train.json`` per language, whose ids XTREME cut to
  the last ``-`` part (so they repeat). The original file is preferred and filtered by id prefix; the
  per-language file is the fallback, with ids rebuilt as ``<lang>-train-<n>``.
* ``tydiqa/tydiqa-goldp-v1.1-dev/tydiqa.goldp.<lang>.dev.json``: XTREME *removes the answers* of these files
  ("to prevent accidental cheating": every answer becomes ``{"answer_start": 0, "text": ""}``), so they load as
  unlabelled. Extracting the official ``tydiqa-goldp-v1.1-dev.tgz`` into the same folder adds
  ``tydiqa-goldp-dev-<language>.json`` files with the answers; those are preferred when present. TyDiQA-GoldP
  has no test split: dev serves as test.

Example ids: XNLI ``<split>-<n>`` (0-based line order, so a pair has the same id in every language), PAN-X
``<lang>-<split>-<n>``, TyDiQA the dataset's own question id. The hub loader uses the same scheme.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlrobust.errors import DataError
from xlrobust.sources.validate import (
    NER_RECORD,
    NLI_RECORD,
    QA_RECORD,
    SplitData,
    decode_utf8,
    finish_split,
    read_utf8,
)

log = logging.getLogger(__name__)

XNLI_LANGS: tuple[str, ...] = (
    "ar",
    "bg",
    "de",
    "el",
    "en",
    "es",
    "fr",
    "hi",
    "ru",
    "sw",
    "th",
    "tr",
    "ur",
    "vi",
    "zh",
)
PANX_LANGS: tuple[str, ...] = tuple(
    "ar he vi id jv ms tl eu ml ta te af nl en de el bn hi mr ur fa fr it pt es bg ru ja ka ko th sw yo my zh kk "
    "tr et fi hu qu pl uk az lt pa gu ro".split()
)
TYDIQA_LANG_NAMES: dict[str, str] = {
    "ar": "arabic",
    "bn": "bengali",
    "en": "english",
    "fi": "finnish",
    "id": "indonesian",
    "ko": "korean",
    "ru": "russian",
    "sw": "swahili",
    "te": "telugu",
}
TYDIQA_STRIPPED_ANSWERS = [{"answer_start": 0, "text": ""}]
NLI_COLUMNS = "premise \\t hypothesis \\t label"


def _absent(folder: Path, path: Path, what: str) -> None:
    """A split file that is not there: the split is absent (coverage shows it, prepare decides whether that is
    an error) unless the whole task folder is missing, which means data.path points at the wrong place."""
    if not folder.is_dir():
        raise _missing(path, what)
    log.info("%s: not present (%s)", path, what)


def _missing(path: Path, what: str) -> DataError:
    return DataError(
        f"{path}: file not found ({what}); point data.path at the download/ folder written by XTREME's "
        "scripts/download_data.sh, or use data.source: hub"
    )


# --- XNLI -----------------------------------------------------------------------------------------------------


def _read_xnli(path: Path, split: str) -> tuple[list[dict], list[str]]:
    text = read_utf8(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=True)
    examples: list[dict] = []
    locations: list[str] = []
    blank_at: int | None = None
    row_start = 1
    try:
        for row in reader:
            lineno, row_start = row_start, reader.line_num + 1
            if not row:
                blank_at = blank_at or lineno
                continue
            if blank_at is not None:
                raise DataError(f"{path}: line {blank_at}: blank line inside the file; remove it")
            if len(row) not in (2, 3):
                raise DataError(
                    f"{path}: line {lineno}: expected 3 tab-separated columns ({NLI_COLUMNS}; 2 in "
                    f"an unlabelled test file), found {len(row)}"
                )
            label = row[2].strip() if len(row) == 3 else ""
            examples.append(
                {
                    "id": f"{split}-{len(examples):06d}",
                    "premise": row[0],
                    "hypothesis": row[1],
                    "label": label or None,
                }
            )
            locations.append(f"line {lineno}")
    except csv.Error as e:
        raise DataError(f"{path}: line {reader.line_num}: malformed TSV ({e}); check the quoting") from None
    return examples, locations


def load_xnli(root: Path, lang: str, split: str) -> SplitData | None:
    if lang not in XNLI_LANGS or (split == "train" and lang != "en"):
        return None  # XTREME ships English MNLI train only, and XNLI dev/test in 15 languages
    path = root / "xnli" / f"{split}-{lang}.tsv"
    if not path.is_file():
        return _absent(root / "xnli", path, f"XNLI {split} {lang}")
    examples, locations = _read_xnli(path, split)
    return finish_split(NLI_RECORD, split, examples, locations, str(path))


# --- PAN-X ----------------------------------------------------------------------------------------------------


def _panx_sentences(path: Path) -> list[tuple[int, list[str], list[str | None]]]:
    """(first line, tokens, tags) per sentence; a tag is None on a token-only (unlabelled) line."""
    text = decode_utf8(path.read_bytes(), str(path))
    sentences: list[tuple[int, list[str], list[str | None]]] = []
    tokens: list[str] = []
    tags: list[str | None] = []
    start = 0
    width: tuple[int, int] | None = None  # (columns, first line with that many)
    for lineno, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            if tokens:
                sentences.append((start, tokens, tags))
                tokens, tags = [], []
            continue
        cols = line.split("\t")
        if len(cols) > 2:
            raise DataError(
                f"{path}: line {lineno}: expected 'token \\t tag' (or a token alone in an unlabelled "
                f"test file), found {len(cols)} tab-separated columns"
            )
        if width is None:
            width = (len(cols), lineno)
        elif width[0] != len(cols):
            raise DataError(
                f"{path}: line {lineno}: {len(cols)} column(s) where line {width[1]} has {width[0]}; "
                "every line must be 'token \\t tag' (or every line a token alone)"
            )
        if not tokens:
            start = lineno
        tokens.append(cols[0].strip())
        tags.append(cols[1].strip() or None if len(cols) == 2 else None)
    if tokens:
        sentences.append((start, tokens, tags))
    return sentences


def load_panx(root: Path, lang: str, split: str) -> SplitData | None:
    if lang not in PANX_LANGS:
        return None
    path = root / "panx" / f"{split}-{lang}.tsv"
    if not path.is_file():
        return _absent(
            root / "panx",
            path,
            f"PAN-X {split} {lang}; XTREME needs AmazonPhotos.zip downloaded by hand for PAN-X",
        )
    sentences = _panx_sentences(path)
    prefix = f"{lang}:"
    note = ""
    if sentences and all(tok.startswith(prefix) for _, toks, _ in sentences for tok in toks):
        sentences = [(s, [tok[len(prefix) :] for tok in toks], tags) for s, toks, tags in sentences]
        note = f"raw WikiANN '{prefix}' token prefixes removed"
    examples: list[dict] = []
    locations: list[str] = []
    for start, toks, tags in sentences:
        labelled = all(t is not None for t in tags)
        if not labelled and any(t is not None for t in tags):
            k = tags.index(None)
            raise DataError(
                f"{path}: line {start + k}: token {toks[k]!r} has no tag while its sentence is tagged"
            )
        examples.append(
            {
                "id": f"{lang}-{split}-{len(examples):06d}",
                "tokens": toks,
                "tags": list(tags) if labelled else None,
            }
        )
        locations.append(f"sentence at line {start}")
    return finish_split(NER_RECORD, split, examples, locations, str(path), note=note)


# --- TyDiQA-GoldP ---------------------------------------------------------------------------------------------


def _read_json(path: Path) -> Any:
    text = read_utf8(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: line {e.lineno} column {e.colno}: malformed JSON ({e.msg})") from None
    except (RecursionError, ValueError) as e:  # nested too deeply, integers over Python's digit limit
        reason = "nested too deeply" if isinstance(e, RecursionError) else str(e)
        raise DataError(f"{path}: unreadable JSON ({reason})") from None


def _get(obj: Any, key: str, kind: type, path: Path, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise DataError(f"{path}: {where}: field '{key}' missing (expected SQuAD 1.1 JSON)")
    value = obj[key]
    if not isinstance(value, kind):
        raise DataError(f"{path}: {where}.{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value


def squad_records(path: Path) -> list[tuple[str, dict]]:
    """(JSON path, example) for every question of a SQuAD-1.1 file; answers are copied as written."""
    data = _read_json(path)
    records: list[tuple[str, dict]] = []
    for i, doc in enumerate(_get(data, "data", list, path, "top level")):
        for j, par in enumerate(_get(doc, "paragraphs", list, path, f"data[{i}]")):
            where_p = f"data[{i}].paragraphs[{j}]"
            context = _get(par, "context", str, path, where_p)
            for k, qa in enumerate(_get(par, "qas", list, path, where_p)):
                where = f"{where_p}.qas[{k}]"
                answers = _get(qa, "answers", list, path, where)
                records.append(
                    (
                        where,
                        {
                            "id": _get(qa, "id", str, path, where),
                            "question": _get(qa, "question", str, path, where),
                            "context": context,
                            "answers": [dict(a) if isinstance(a, dict) else a for a in answers],
                        },
                    )
                )
    return records


def _tydiqa_train(root: Path, lang: str) -> tuple[Path, list[tuple[str, dict]]] | None:
    folder = root / "tydiqa" / "tydiqa-goldp-v1.1-train"
    combined = folder / "tydiqa-goldp-v1.1-train.json"
    if combined.is_file():
        name = TYDIQA_LANG_NAMES[lang]
        records = [(w, ex) for w, ex in squad_records(combined) if ex["id"].split("-")[0] == name]
        return combined, records
    per_lang = folder / f"tydiqa.goldp.{lang}.train.json"
    if not per_lang.is_file():
        return _absent(root / "tydiqa", combined, f"TyDiQA-GoldP train; nor {per_lang.name}")
    records = squad_records(per_lang)
    # XTREME cut these ids to their last '-' part, so they repeat; number the questions instead.
    return per_lang, [(w, {**ex, "id": f"{lang}-train-{n:06d}"}) for n, (w, ex) in enumerate(records)]


def _tydiqa_dev(root: Path, lang: str) -> Path | None:
    folder = root / "tydiqa" / "tydiqa-goldp-v1.1-dev"
    official = folder / f"tydiqa-goldp-dev-{TYDIQA_LANG_NAMES[lang]}.json"
    if official.is_file():
        return official
    path = folder / f"tydiqa.goldp.{lang}.dev.json"
    if not path.is_file():
        return _absent(root / "tydiqa", path, f"TyDiQA-GoldP dev {lang}")
    return path


def load_tydiqa(root: Path, lang: str, split: str) -> SplitData | None:
    if lang not in TYDIQA_LANG_NAMES or split == "test":
        return None  # TyDiQA-GoldP has no test split: dev serves as test
    if split == "train":
        found = _tydiqa_train(root, lang)
        if found is None:
            return None
        path, records = found
    else:
        dev = _tydiqa_dev(root, lang)
        if dev is None:
            return None
        path, records = dev, squad_records(dev)
    note = ""
    if records and all(ex["answers"] == TYDIQA_STRIPPED_ANSWERS for _, ex in records):
        records = [(w, {**ex, "answers": []}) for w, ex in records]
        note = "answers removed by XTREME preprocessing"
    examples = [ex for _, ex in records]
    locations = [f"{w} (id {ex['id']!r})" for w, ex in records]
    if not examples:
        raise DataError(
            f"{path}: no {TYDIQA_LANG_NAMES[lang]} questions found (ids start with the language "
            "name, e.g. 'swahili-...')"
        )
    return finish_split(QA_RECORD, split, examples, locations, str(path), note=note)


def load(
    loader: Callable[[Path, str, str], SplitData | None], lang: str, split: str, path: str | None
) -> SplitData | None:
    """Load one (language, split) with a task's ``loader`` (``load_xnli``, ``load_panx``, ``load_tydiqa``: the
    task spec names it) from an XTREME download/ folder; None where XTREME has no such split."""
    if path is None:
        raise DataError(
            "data.source xtreme needs data.path: the download/ folder written by XTREME's "
            "scripts/download_data.sh"
        )
    root = Path(path)
    if not root.is_dir():
        raise DataError(f"{root}: XTREME download folder not found; set data.path to the download/ folder")
    return loader(root, lang, split)
