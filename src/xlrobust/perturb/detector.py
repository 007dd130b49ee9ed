"""The optional model-based detector of person and place names in raw text (``perturbations.detector``).

With ``perturbations.detector: null`` (the default) the ``names`` and ``locations`` families find people and
places on NLI and QA text with the lexicon/rule detectors (``lexicons``, ``evidence``, ``heads``). With a
Hugging Face hub id or local folder of a token-classification NER model (the paper setting, e.g.
``Davlan/xlm-roberta-base-wikiann-ner``), they change only the spans that model tags ``PER`` (names) or
``LOC`` (locations), through transformers' ``pipeline("token-classification", aggregation_strategy="simple")``:

* labels: ``PER``/``LOC`` with or without a ``B-``/``I-``/``E-``/``S-``/``L-``/``U-`` prefix and the common
  long forms (``PERSON``, ``LOCATION``, ``GPE``) map to PER/LOC; other types (ORG, MISC, DATE) are ignored. A
  model whose labels name neither is a one-line :class:`ConfigError` naming the model and its labels;
* a span is used only when it starts and ends on word boundaries (not "الهند" inside "والهند"); a person span
  of two or more words becomes a new first + last name, of one word a first name (a one-word span equal to the
  first or last word of a longer span of the example gets that part of its replacement, so "John Smith ...
  Smith" stays one person); a place becomes a place of the same kind from the language's place lexicon;
* as with the lexicons, every occurrence of a changed string changes the same way, and a string the model
  left untagged elsewhere in the example keeps the whole group unchanged (``text._complete``);
* the model is loaded once per adversarial stage run, on first use (only when a family needs it), and tags
  each distinct text once (:meth:`NerDetector.prefetch` runs the pipeline in batches).

A local folder is checked by :func:`check_local_detector` while params are validated (before any compute); a
hub id when it is loaded.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from xlrobust.errors import ConfigError

if TYPE_CHECKING:
    from xlrobust.perturb.text import Ctx, Field, Plan

log = logging.getLogger(__name__)

KEY = "perturbations.detector"
_PREFIXES = ("B-", "I-", "E-", "S-", "L-", "U-", "B_", "I_")
_TYPES = {"PER": "PER", "PERS": "PER", "PERSON": "PER", "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC"}
_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}\u200c\u200d]")
BATCH_SIZE = 32


def entity_type(label: str) -> str | None:
    """``PER``/``LOC`` for a model label naming a person or place in any common spelling, else ``None``."""
    name = str(label).strip().upper()
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return _TYPES.get(name)


def check_labels(model: str, labels: list[str]) -> None:
    if not any(entity_type(label) for label in labels):
        raise ConfigError(
            f"params: '{KEY}' {model!r}: its labels ({', '.join(map(str, labels)) or 'none'}) name no person "
            "(PER) or location (LOC) type; use a token-classification NER model with PER and LOC labels"
        )


def check_local_detector(path: str) -> None:
    """A local folder must hold a saved token-classification model with PER/LOC labels (reads config.json)."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ConfigError(
            f"params: '{KEY}' {path!r} looks like a local path but no such folder exists; set it to a folder "
            "with a saved token-classification model, a hub id, or null"
        )
    config_file = folder / "config.json"
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConfigError(
            f"params: '{KEY}' {path!r} has no readable config.json ({type(e).__name__}): not a saved transformers model"
        ) from None
    architectures = config.get("architectures") or []
    if not any(str(a).endswith("ForTokenClassification") for a in architectures):
        raise ConfigError(
            f"params: '{KEY}' {path!r} is not a token-classification model (architectures: "
            f"{', '.join(map(str, architectures)) or 'none'}); use a NER model such as "
            "Davlan/xlm-roberta-base-wikiann-ner"
        )
    labels = list((config.get("id2label") or {}).values())  # transformers leaves out its default LABEL_<i>
    check_labels(path, labels or [f"LABEL_{i}" for i in range(int(config.get("num_labels", 2)))])


def looks_local(name: str) -> bool:
    return name.startswith(("/", ".", "~")) or "\\" in name or name.count("/") > 1 or Path(name).exists()


class NerDetector:
    """A token-classification pipeline, loaded on first use, and the entities it finds per text (cached)."""

    def __init__(self, model: str, device: str = "auto") -> None:
        self.model = model
        self.device = device
        self._pipe: Any = None
        self._cache: dict[str, list[tuple[int, int, str]]] = {}

    def _load(self) -> Any:
        if self._pipe is not None:
            return self._pipe
        from transformers import pipeline

        device = _device(self.device)
        local = Path(self.model).expanduser()
        if looks_local(self.model):
            check_local_detector(self.model)
        try:
            pipe = pipeline(
                "token-classification",
                model=str(local) if local.is_dir() else self.model,
                aggregation_strategy="simple",
                device=device,
            )
        except OSError as e:
            raise ConfigError(
                f"params: '{KEY}' {self.model!r} could not be loaded from a local folder, the Hugging Face cache "
                f"or the hub ({_first_line(e, 160)}); download it once with `hf download {self.model} "
                f"--local-dir models/{self.model.split('/')[-1]}` and set {KEY} to that folder"
            ) from None
        except (ValueError, KeyError) as e:
            raise ConfigError(
                f"params: '{KEY}' {self.model!r} could not be loaded as a token-classification model: "
                f"{_first_line(e, 200)}"
            ) from None
        check_labels(self.model, list(pipe.model.config.id2label.values()))
        log.info("names/locations detector %s loaded on %s", self.model, device)
        self._pipe = pipe
        return pipe

    def prefetch(self, texts: list[str]) -> None:
        """Tag every not yet tagged, non-blank text, in batches."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache and t.strip()))
        if not todo:
            return
        pipe = self._load()
        # Texts longer than the model's input (TyDiQA contexts) are tagged in overlapping windows.
        max_len = int(getattr(pipe.tokenizer, "model_max_length", 0) or 0)
        fast = getattr(pipe.tokenizer, "is_fast", False)
        kwargs = {"stride": min(64, max_len // 8)} if fast and 16 <= max_len < 100_000 else {}
        outputs = pipe(todo, batch_size=BATCH_SIZE, **kwargs)
        for text, found in zip(todo, outputs, strict=True):
            self._cache[text] = _spans(text, found)

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, "PER" | "LOC")`` spans on word boundaries, in order."""
        if text not in self._cache:
            self.prefetch([text])
        return self._cache.get(text, [])

    def clear(self) -> None:
        self._cache.clear()


def _first_line(e: BaseException, limit: int) -> str:
    lines = str(e).strip().splitlines()
    return (lines[0] if lines else type(e).__name__)[:limit]


def _device(name: str) -> str:
    """``perturbations.detector_device``: ``auto`` is CUDA when present (not ``xlrobust.modeling.pick_device``:
    importing that module would make every stage whose config imports this one depend on it)."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError(f"params: '{KEY}_device' is 'cuda' but CUDA is not available here; use auto or cpu")
    return name


def make_detector(model: str | None, device: str = "auto") -> NerDetector | None:
    """The detector for ``perturbations.detector`` (``None``: the lexicon/rule detectors); nothing is loaded
    until a family asks it for entities."""
    return NerDetector(model, device) if model else None


def _on_boundaries(text: str, start: int, end: int) -> bool:
    return (
        0 <= start < end <= len(text)
        and (start == 0 or not _WORD_CHAR.match(text[start - 1]))
        and (end == len(text) or not _WORD_CHAR.match(text[end]))
    )


def _spans(text: str, found: list[dict]) -> list[tuple[int, int, str]]:
    out = []
    for ent in found:
        typ = entity_type(ent.get("entity_group", ent.get("entity", "")))
        start, end = ent.get("start"), ent.get("end")
        if typ is None or start is None or end is None:
            continue
        while start < end and text[start].isspace():  # some tokenizers' offsets include the leading space
            start += 1
        if _on_boundaries(text, start, end):
            out.append((start, end, typ))
    return sorted(out)


def plan_detected(fields: list[Field], ctx: Ctx, typ: str) -> Plan:
    """The ``names`` (``typ="PER"``) / ``locations`` (``"LOC"``) plan from the model's spans (module doc)."""
    from xlrobust.perturb import lexicons as lx
    from xlrobust.perturb.edits import Edit
    from xlrobust.perturb.text import _complete, _consistent

    found = [
        (fi, s, e, f.text[s:e])
        for fi, f in enumerate(fields)
        for s, e, t in ctx.detector.entities(f.text)
        if t == typ
    ]
    avoid = "\n".join(f.text for f in fields)
    new: dict[str, str] = {}
    group_of: dict[str, str] = {}  # surface -> its person or place (a surname alone -> the full name)
    for surface in sorted({x[3] for x in found}, key=lambda t: (-len(t.split()), t)):
        words = surface.split()
        if surface in new:
            continue
        group_of.setdefault(surface, surface)
        if typ == "LOC":
            places = lx.place_lexicon(ctx.lang)
            new[surface] = places.new_place(surface, ctx.rng, places.kind(surface), avoid)
        elif len(words) >= 2:
            lex = lx.name_lexicon(ctx.lang)
            first, last = lex.new_full(words[0], words[-1], ctx.rng, avoid)
            new[surface] = f"{first} {last}"
            for word, part in ((words[0], first), (words[-1], last or first)):
                if word not in new:
                    new[word], group_of[word] = part, surface
        else:
            new[surface] = lx.name_lexicon(ctx.lang).new_first(surface, ctx.rng, avoid)
        avoid += "\n" + new[surface]  # two people or places must not become one
    groups: dict[str, list[tuple[int, Edit]]] = {}
    for fi, s, e, surface in found:
        groups.setdefault(group_of[surface], []).append((fi, Edit(s, e, new[surface])))
    members = {key: [t for t, g in group_of.items() if g == key] for key in groups}
    groups = {k: v for k, v in groups.items() if _complete(fields, v, members[k])}
    return _consistent(fields, groups, ctx)
