"""Per (source, target) language-pair features that might explain zero-shot transfer: URIEL typological,
genetic and geographic distances, lexical and subword overlap, the target's LMEM value and the source's training
set size.

URIEL distances come from ``urielplus`` (which ships the URIEL databases and computes angular distances over the
features both languages have; lang2vec's ``distance()`` needs a download). ``new_distance`` for ten languages
takes several seconds (the genetic one ~5 s), so results can be cached in a small JSON file.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xlrobust.errors import DataError, ModelError
from xlrobust.feature_names import URIEL_DISTANCES
from xlrobust.io import read_json, read_jsonl, write_json
from xlrobust.languages import get_language

# URIEL files the phonology/inventory data of Arabic (PHOIBLE, WALS) under the macrolanguage code 'ara';
# 'arb' (Standard Arabic) has syntax only, so its phonological and inventory distances cannot be computed.
_URIEL_CODE_OVERRIDES: dict[str, str] = {"arb": "ara"}


def uriel_code(lang: str) -> str:
    """The ISO 639-3 code under which URIEL holds the most data for our language code ``lang``."""
    iso3 = get_language(lang).iso639_3
    return _URIEL_CODE_OVERRIDES.get(iso3, iso3)


@contextmanager
def _quiet_logging():
    """urielplus logs every distance at INFO on the root logger (and configures it on import); silence it."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)


def _pair_key(a: str, b: str) -> str:
    return f"{a}-{b}"


def _compute_uriel(codes: Sequence[str], kinds: Sequence[str]) -> dict[str, dict[str, float]]:
    with _quiet_logging():
        from urielplus.urielplus import URIELPlus

        uriel = URIELPlus()
        out: dict[str, dict[str, float]] = {}
        for kind in kinds:
            try:
                matrix = np.asarray(uriel.new_distance(kind, list(codes)), dtype=float)
            except ValueError as e:
                raise DataError(f"URIEL {kind} distance for {', '.join(codes)}: {e}") from None
            for i, a in enumerate(codes):
                for j, b in enumerate(codes):
                    # urielplus marks "no shared features" with -1; the diagonal carries float32 noise (2e-4).
                    value = 0.0 if i == j else float(matrix[i, j])
                    if i != j and (value < 0 or not np.isfinite(value)):
                        raise DataError(
                            f"URIEL has no shared {kind} features for {a} and {b}; drop {kind!r} from the "
                            "correlate features or fix the language's iso639_3 code in src/xlrobust/languages.py"
                        )
                    out.setdefault(_pair_key(a, b), {})[kind] = value
    return out


def uriel_distances(
    languages: Sequence[str],
    kinds: Sequence[str] = URIEL_DISTANCES,
    cache_path: str | Path | None = None,
) -> dict[tuple[str, str], dict[str, float]]:
    """URIEL distances between every ordered pair of our language codes, ``{(a, b): {kind: distance}}``.

    Distances are symmetric and 0 on the diagonal. A ``cache_path`` JSON (keyed by ISO 639-3 pair and the
    urielplus version) is read when it holds every requested pair and kind, and rewritten otherwise.
    """
    codes = {lang: uriel_code(lang) for lang in languages}
    needed = sorted(set(codes.values()))
    version = metadata.version("urielplus")
    cached: dict[str, Any] = {}
    if cache_path is not None and Path(cache_path).exists():
        cached = read_json(cache_path)
    table = cached.get("distances", {}) if cached.get("urielplus_version") == version else {}
    complete = all(kind in table.get(_pair_key(a, b), {}) for a in needed for b in needed for kind in kinds)
    if not complete:
        table = _compute_uriel(needed, kinds)
        if cache_path is not None:
            write_json(cache_path, {"urielplus_version": version, "distances": table})
    return {
        (a, b): {kind: round(float(table[_pair_key(codes[a], codes[b])][kind]), 4) for kind in kinds}
        for a in languages
        for b in languages
    }


# ----------------------------------------------------------------------------------------------- overlap


class _SeparatorTable(dict):
    """``str.translate`` table mapping punctuation, symbols and separators to a space (filled lazily)."""

    def __missing__(self, code: int) -> int:
        cat = unicodedata.category(chr(code))
        value = 32 if cat[0] in "PSZ" or cat == "Cc" else code
        self[code] = value
        return value


_SEPARATORS = _SeparatorTable()


def word_tokens(text: str) -> list[str]:
    """Lower-cased words: split on whitespace, Unicode punctuation (P*), symbols (S*) and control characters.

    Splitting on categories rather than ``\\w`` keeps Indic words whole (their vowel signs are marks, not word
    characters for ``re``).
    """
    return text.lower().translate(_SEPARATORS).split()


def example_text(example: Mapping[str, Any], where: str = "example") -> str:
    """The input text of an internal-format example (NLI, NER or QA), recognised by its fields."""
    if "premise" in example and "hypothesis" in example:
        return f"{example['premise']} {example['hypothesis']}"
    if "tokens" in example:
        return " ".join(str(t) for t in example["tokens"])
    if "question" in example and "context" in example:
        return f"{example['question']} {example['context']}"
    raise DataError(
        f"{where}: not an NLI, NER or QA example (fields: {', '.join(sorted(example))}); expected premise/"
        "hypothesis, tokens/tags or question/context as in src/xlrobust/examples.py"
    )


def read_texts(path: str | Path) -> list[str]:
    """The input texts of every example in a prepared JSONL file."""
    return [example_text(row, f"{path}: line {i + 1}") for i, row in enumerate(read_jsonl(path))]


def read_prepared_texts(path: Path) -> list[str]:
    """:func:`read_texts` of a prepared split, saying so when the prepare stage skipped that (language, task):
    it then writes a ``SKIPPED`` file with the reason instead of the data, and callers must leave it out."""
    marker = path.parent / "SKIPPED"
    if not path.exists() and marker.exists():
        reason = marker.read_text(encoding="utf-8").strip()
        raise DataError(
            f"{path}: not found; prepare skipped it ({marker}: {reason}); leave this (task, language) out, "
            "or re-run evaluate so its metrics record the skip"
        )
    return read_texts(path)


def overlap(target_types: set[Any], source_types: set[Any]) -> float | None:
    """Share of the target's types also seen in the source; None when the target has no types."""
    if not target_types:
        return None
    return len(target_types & source_types) / len(target_types)


def load_tokenizer(tokenizer_dir: str | Path) -> Any:
    """The project's sentencepiece tokenizer, loaded offline; failure is a ModelError."""
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(tokenizer_dir), local_files_only=True)
    except Exception as e:  # transformers raises OSError/ValueError/... depending on what is missing
        raise ModelError(
            f"{tokenizer_dir}: cannot load the tokenizer ({type(e).__name__}: {str(e).splitlines()[0][:200]}); "
            "run the tokenizer stage first or point tokenizer_dir at a directory saved with save_pretrained"
        ) from None


def subword_types(texts: Iterable[str], tokenizer: Any) -> set[int]:
    """Set of subword ids the tokenizer uses for ``texts`` (special tokens excluded)."""
    texts = list(texts)
    if not texts:
        return set()
    special = set(getattr(tokenizer, "all_special_ids", []) or [])
    ids: set[int] = set()
    for seq in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        ids.update(seq)
    return ids - special


# ----------------------------------------------------------------------------------------------- table


def load_lmem(lmem_path: str | Path) -> dict[str, float]:
    """LMEM per language from the lmem stage's folder of ``<lang>.json`` files (key ``lmem``)."""
    folder = Path(lmem_path)
    if not folder.is_dir():
        raise DataError(f"{folder}: LMEM folder not found (run the lmem stage)")
    per: dict[str, float] = {}
    for path in sorted(folder.glob("*.json")):
        data = read_json(path)
        if not isinstance(data, dict) or "lmem" not in data:
            raise DataError(f"{path}: expected an object with key 'lmem'")
        per[path.stem] = data["lmem"]
    return per


def _task_grids(
    tasks: Sequence[str],
    sources: Sequence[str],
    targets: Sequence[str],
    per_task: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None,
) -> dict[str, tuple[list[str], list[str]]]:
    """Per task, the (sources, targets) to compute; a ``per_task`` entry outside the grid is a caller bug."""
    out = {}
    for task in tasks:
        task_sources, task_targets = (per_task or {}).get(task, (sources, targets))
        extra = sorted((set(task_sources) - set(sources)) | (set(task_targets) - set(targets)))
        if extra:
            raise ValueError(f"per_task[{task!r}] names languages outside sources/targets: {extra}")
        out[task] = (list(task_sources), list(task_targets))
    return out


def build_features(
    prepared_dir: str | Path,
    tokenizer_dir: str | Path | None,
    lmem_path: str | Path | None,
    *,
    tasks: Sequence[str],
    sources: Sequence[str],
    targets: Sequence[str],
    uriel_kinds: Sequence[str] = URIEL_DISTANCES,
    uriel_cache: str | Path | None = None,
    eval_split: str = "test",
    per_task: Mapping[str, tuple[Sequence[str], Sequence[str]]] | None = None,
) -> pd.DataFrame:
    """Tidy table, one row per (task, source, target) with every feature as a column.

    ``per_task`` narrows a task to its own ``(sources, targets)`` (each a subset of ``sources`` / ``targets``)
    when the benchmark does not cover the full grid; only the prepared files of those pairs are read.

    Columns: task, source, target, the URIEL distances in ``uriel_kinds``, ``lexical_overlap`` (share of the
    target test set's word types, see :func:`word_tokens`, that occur in the source training text),
    ``subword_overlap`` (share of the target test set's subword types the source training text also uses; only
    with a tokenizer), ``target_lmem`` (only with an LMEM file) and ``source_train_size`` (training examples).
    Pairs with target == source are included; callers drop them for zero-shot analyses.
    """
    prepared = Path(prepared_dir)
    langs = list(dict.fromkeys([*sources, *targets]))
    dist = uriel_distances(langs, uriel_kinds, uriel_cache) if uriel_kinds else {}
    tokenizer = load_tokenizer(tokenizer_dir) if tokenizer_dir is not None else None
    lmem = load_lmem(lmem_path) if lmem_path is not None else None
    grids = _task_grids(tasks, sources, targets, per_task)
    rows: list[dict[str, Any]] = []
    for task, (task_sources, task_targets) in grids.items():
        train_texts = {s: read_prepared_texts(prepared / s / task / "train.jsonl") for s in task_sources}
        test_texts = {
            t: read_prepared_texts(prepared / t / task / f"{eval_split}.jsonl") for t in task_targets
        }
        train_words = {s: {w for x in v for w in word_tokens(x)} for s, v in train_texts.items()}
        test_words = {t: {w for x in v for w in word_tokens(x)} for t, v in test_texts.items()}
        if tokenizer is not None:
            train_sub = {s: subword_types(v, tokenizer) for s, v in train_texts.items()}
            test_sub = {t: subword_types(v, tokenizer) for t, v in test_texts.items()}
        for s in task_sources:
            for t in task_targets:
                row: dict[str, Any] = {"task": task, "source": s, "target": t}
                row.update(dist.get((s, t), {}))
                row["lexical_overlap"] = overlap(test_words[t], train_words[s])
                if tokenizer is not None:
                    row["subword_overlap"] = overlap(test_sub[t], train_sub[s])
                if lmem is not None:
                    if t not in lmem or isinstance(lmem[t], bool) or not isinstance(lmem[t], int | float):
                        raise DataError(f"{lmem_path}: {t}.json missing or its lmem not a number")
                    row["target_lmem"] = float(lmem[t])
                row["source_train_size"] = len(train_texts[s])
                rows.append(row)
    return pd.DataFrame(rows)
