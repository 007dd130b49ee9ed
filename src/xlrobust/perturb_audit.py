"""The audit sample of one language's perturbations: ``metrics/perturbation/audit/<lang>.md``.

For every task x family the adversarial stage ran, a fixed random sample of the examples the family changed
(at most :data:`AUDIT_PER_FAMILY`, drawn among changed examples only with an RNG seeded from ``(seed, lang,
task, family)``, listed in file order) is shown before/after, so that a native speaker can check in minutes
that the edits keep the meaning the gold label depends on. Each text field (the task's ``record.text_fields``,
rendered by the task's ``texts()``: PAN-X tokens joined by spaces) gets a word-level diff computed with
:class:`difflib.SequenceMatcher` on whitespace-separated words: removed words are ``~~struck~~``, new words
``**bold**``, a replacement is ``~~old~~ → **new**``; in a long field, unchanged runs far from any edit are
cut to ``…``. Other fields that changed with the text (QA answers, NER tags) are shown in short.

The file is Markdown with one list per family (long texts in tables are unreadable), stable bytes for the same
inputs and seed (no timestamps), and is written by the caller through :mod:`xlrobust.io`.
"""

from __future__ import annotations

import difflib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from xlrobust.languages import get_language
from xlrobust.perturb import FAMILIES
from xlrobust.perturb.tasks import APPLY
from xlrobust.perturb.text import PLANNERS
from xlrobust.tasks import REGISTRY

AUDIT_PER_FAMILY = 8  # sampled changed examples per task x family
CONTEXT_WORDS = 8  # unchanged words kept on each side of an edit in a long field
LONG_FIELD_WORDS = 40  # fields longer than this are cut around their edits
SHORT_VALUE_CHARS = 160  # other changed fields are shown when their JSON is at most this long

# Characters with a meaning in (GitHub-flavoured) Markdown inside a list item; backslash-escaped in text.
_MARKDOWN_SPECIAL = set("\\`*_[]<>~|&#")


@dataclass(frozen=True)
class FamilyAudit:
    """One task x family of one language: counts and the rendered sample (Markdown list items)."""

    task: str
    family: str
    applies: bool
    n: int = 0
    changed: int = 0
    items: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """``text`` with Markdown's special characters backslash-escaped, so that it renders literally."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in text)


def _edit(old: list[str], new: list[str]) -> str:
    struck = f"~~{escape(' '.join(old))}~~" if old else ""
    bold = f"**{escape(' '.join(new))}**" if new else ""
    return " → ".join(p for p in (struck, bold) if p)


def word_diff(before: str, after: str, context: int | None = CONTEXT_WORDS) -> str:
    """``after`` as Markdown with its word-level differences from ``before`` highlighted (removed words
    ``~~struck~~``, new words ``**bold**``). With ``context`` set, an unchanged run keeps only ``context``
    words next to each edit and the rest becomes ``…``; ``None`` keeps every word."""
    a, b = before.split(), after.split()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    parts: list[str] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            parts.append(_edit(a[i1:i2], b[j1:j2]))
            continue
        words = [escape(w) for w in a[i1:i2]]
        first, last = k == 0, k == len(ops) - 1
        if context is None or len(words) <= (1 if first or last else 2) * context:
            parts.append(" ".join(words))
        elif first and last:  # no edit at all: nothing to keep words near
            parts.append(" ".join(words[:context]) + " …")
        elif first:
            parts.append("… " + " ".join(words[-context:]))
        elif last:
            parts.append(" ".join(words[:context]) + " …")
        else:
            parts.append(" ".join(words[:context]) + " … " + " ".join(words[-context:]))
    return " ".join(p for p in parts if p)


def _field_line(name: str, before: str, after: str) -> str:
    n_words = len(before.split())
    if before == after:
        if n_words > LONG_FIELD_WORDS:
            return f"*{name}* (unchanged, {n_words} words)"
        return f"*{name}* (unchanged): {escape(' '.join(before.split()))}"
    if before.split() == after.split():
        return f"*{name}*: only whitespace changed"
    context = CONTEXT_WORDS if n_words > LONG_FIELD_WORDS else None
    return f"*{name}*: {word_diff(before, after, context)}"


def _short(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _other_line(name: str, before: Any, after: Any) -> str:
    old, new = _short(before), _short(after)
    if len(old) + len(new) > 2 * SHORT_VALUE_CHARS:
        return f"*{name}* changed too (see the JSONL file)"
    return f"*{name}*: ~~{escape(old)}~~ → **{escape(new)}**"


def render_example(task: str, original: dict[str, Any], perturbed: dict[str, Any]) -> str:
    """One sampled example as a Markdown list item: its id, then one sub-item per text field (diffed) and per
    other field that changed."""
    spec = REGISTRY[task]
    before, after = spec.texts(original), spec.texts(perturbed)
    names = list(spec.record.text_fields)
    if len(names) != len(before):
        names = [f"text {i + 1}" for i in range(len(before))]
    lines = [f"- `{original['id']}`"]
    lines += [f"  - {_field_line(n, b, a)}" for n, b, a in zip(names, before, after, strict=True)]
    for key in spec.record.fields:
        if key != "id" and key not in spec.record.text_fields and original.get(key) != perturbed.get(key):
            lines.append(f"  - {_other_line(key, original.get(key), perturbed.get(key))}")
    return "\n".join(lines)


def sample_indices(
    changed: Sequence[bool], k: int, *, seed: int, lang: str, task: str, family: str
) -> list[int]:
    """Up to ``k`` indices of changed examples, drawn with an RNG seeded from ``(seed, lang, task, family)``
    (a string seed: stable across processes) and returned in file order."""
    pool = [i for i, c in enumerate(changed) if c]
    rng = random.Random(f"{seed}\x1faudit\x1f{lang}\x1f{task}\x1f{family}")
    return sorted(rng.sample(pool, min(k, len(pool))))


def audit_family(
    task: str,
    lang: str,
    family: str,
    originals: Sequence[dict[str, Any]],
    perturbed: Sequence[dict[str, Any]],
    *,
    seed: int,
    k: int = AUDIT_PER_FAMILY,
) -> FamilyAudit:
    """The counts and rendered sample of one family's output (``perturbed[i]`` is ``originals[i]`` perturbed,
    as :func:`xlrobust.perturb.perturb_examples` returns it)."""
    if len(originals) != len(perturbed):
        raise ValueError(f"{task}/{lang}/{family}: {len(originals)} originals but {len(perturbed)} outputs")
    changed = [bool(ex["changed"]) for ex in perturbed]
    picked = sample_indices(changed, k, seed=seed, lang=lang, task=task, family=family)
    items = [render_example(task, originals[i], perturbed[i]) for i in picked]
    return FamilyAudit(task, family, True, len(perturbed), sum(changed), items)


def _code(fn: Callable[..., Any]) -> str:
    return f"`src/{fn.__module__.replace('.', '/')}.py` (`{fn.__name__}`)"


def _family_section(a: FamilyAudit, lang: str) -> list[str]:
    info = FAMILIES[a.family]
    head = f"### {a.family}"
    if not a.applies:
        return [head, "", f"Does not apply to {lang} (applies to: {' '.join(info.languages)}).", ""]
    lines = [
        head,
        "",
        f"{a.n} examples, {a.changed} changed. Code: {_code(PLANNERS[a.family])}, applied to "
        f"{a.task} by {_code(APPLY[REGISTRY[a.task].perturb_kind])}. Meant to keep: {info.invariant}.",
        "",
    ]
    if not a.changed:
        return lines + ["Changed no example: nothing to review.", ""]
    shown = len(a.items)
    lines += [f"{'All' if shown == a.changed else f'{shown} (random sample)'} of the changed examples:", ""]
    return lines + a.items + [""]


def render_audit(lang: str, seed: int, audits: Sequence[FamilyAudit], k: int = AUDIT_PER_FAMILY) -> str:
    """The whole audit file of one language (Markdown)."""
    name = get_language(lang).name
    total = sum(a.changed for a in audits)
    lines = [
        f"# Perturbation audit: {name} ({lang})",
        "",
        f"Up to {k} examples per task and family, drawn at random among the examples the family changed "
        f"(seed {seed}: the same sample on every run with this seed). Removed words are ~~struck through~~, new "
        "words **bold** (a replacement shows both: ~~old~~ → **new**); … stands for unchanged text left out.",
        "",
        f"**How to review** (a {name} speaker, a few minutes per family): read each edit and ask whether the "
        "sentence still means what its gold label says (same relation between premise and hypothesis, same "
        "entities of the same type, same answer to the question) and whether the new words are natural "
        f"{name}: a person's name where a person was named, a place where a place was named, a typo a writer "
        "could make, a number of the same kind.",
        "",
        "**How to report a bad edit**: open an issue titled `audit "
        + lang
        + ": <family>`, quote the example "
        "id and its line from this file, and say what is wrong; each family below names the code that made "
        "the edit.",
        "",
    ]
    if total == 0:
        lines += [f"**No family changed any example of {lang}**: nothing to review.", ""]
    lines += ["## Counts", "", "| task | family | examples | changed |", "| --- | --- | ---: | ---: |"]
    lines += [
        f"| {a.task} | {a.family} | {a.n if a.applies else '-'} | "
        f"{a.changed if a.applies else 'does not apply'} |"
        for a in audits
    ]
    lines.append("")
    for task in dict.fromkeys(a.task for a in audits):
        lines += [f"## {task}", ""]
        for a in audits:
            if a.task == task:
                lines += _family_section(a, lang)
    return "\n".join(lines).rstrip("\n") + "\n"


__all__ = ["AUDIT_PER_FAMILY", "FamilyAudit", "audit_family", "render_audit", "render_example", "word_diff"]
