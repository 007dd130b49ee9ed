"""MultiCheckList test-case generation: sample fills, render templates, locate answers (upstream
``generate_tests.py`` / ``generate_test_utils.py``)."""

from __future__ import annotations

import logging
import random
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from xlrobust.errors import DataError
from xlrobust.multichecklist.spec import (
    CONTEXT_GROUP,
    FIELD_RE,
    NAME_SLOTS,
    PROPERTY_GROUP,
    Field,
    Spec,
    available_languages,
    build_spec,
    file_column,
    template_fields,
)
from xlrobust.multichecklist.templates import LIST_SEP_RE, Row, Templates, Variant, english_keys

log = logging.getLogger(__name__)


@dataclass
class _Fill:
    """One upstream 'test case': a value row per slot, names, and (properties test) the two properties."""

    rows: dict[str, Row]
    names: dict[str, str]
    props: tuple[str, str] | None = None

    def key(self) -> tuple:
        return (
            tuple(sorted((k, r.line) for k, r in self.rows.items())),
            tuple(sorted(self.names.items())),
            self.props,
        )


def _sample_fill(spec: Spec, rng: random.Random) -> _Fill:
    names = rng.sample(spec.name_pool, len(spec.name_slots)) if spec.name_slots else []
    rows: dict[str, Row] = {}
    props = None
    property_slots = {r.english for r in spec.slots.get("property", ())}
    for slot in sorted(spec.slots):
        if slot in ("p", "property") or slot in property_slots:
            continue
        rows[slot] = rng.choice(spec.slots[slot])
    if "p" in spec.slots:
        order = [r.english for r in spec.slots["property"]]
        i, j = sorted(rng.sample(range(len(order)), 2))  # upstream pairs properties i < j
        props = (order[i], order[j])
        rows["p.p1"], rows["p.p2"] = spec.slots["property"][i], spec.slots["property"][j]
        rows["p.v1"], rows["p.v2"] = rng.choice(spec.slots[props[0]]), rng.choice(spec.slots[props[1]])
    return _Fill(rows, dict(zip(spec.name_slots, names, strict=True)), props)


def _keys(fill: _Fill, spec: Spec, context: Row, question_prop: str | None) -> dict[str, frozenset[str]]:
    """English keys of the fill per tag group, which placeholder tags are matched against."""
    keys = {slot: english_keys(row) for slot, row in fill.rows.items() if "." not in slot}
    keys[CONTEXT_GROUP] = frozenset({context.english.lower()})
    if fill.props is not None:
        keys[PROPERTY_GROUP] = frozenset(
            p.lower() for p in ([question_prop] if question_prop else fill.props)
        )
        keys[fill.props[0]] = english_keys(fill.rows["p.v1"])
        keys[fill.props[1]] = english_keys(fill.rows["p.v2"])
    return keys


def _compatible(variant: Variant, keys: Mapping[str, frozenset[str]], spec: Spec, own: str | None) -> bool:
    """Every group the variant's tags mention (other than its own slot) must contain the fill's value."""
    if variant.tags is None:
        return True
    for group, universe in spec.universes.items():
        mentioned = variant.tags & universe
        if group != own and mentioned and group in keys and not (mentioned & keys[group]):
            return False
    return True


def _choose(row: Row, keys: Mapping[str, frozenset[str]], spec: Spec, own: str | None) -> str | None:
    """The first of the row's variants in this language that fits the fill."""
    for variant in row.variants.get(spec.lang, ()):
        if _compatible(variant, keys, spec, own):
            return variant.text
    return None


def _value(field: Field, fill: _Fill, keys: Mapping[str, frozenset[str]], spec: Spec) -> str | None:
    if field.base in NAME_SLOTS:
        return fill.names[field.slot]
    if field.base == "p":
        slot = f"p.{field.attr}"
        own = PROPERTY_GROUP if field.attr in ("p1", "p2") else fill.props[int(field.attr[-1]) - 1]
    else:
        slot = own = field.base
    text = _choose(fill.rows[slot], keys, spec, own)
    if text is None or field.index is None:
        return text
    parts = [p for p in LIST_SEP_RE.split(text) if p]
    return parts[field.index] if field.index < len(parts) else None


_Span = tuple[str, str, int, int]  # (field without option, slot id, start, end)


def _render(template: str, fill: _Fill, keys: Mapping[str, frozenset[str]], spec: Spec):
    """Fill a template, recording where each fill-in went; None when a fill-in has no form for this fill."""
    out: list[str] = []
    spans: list[_Span] = []
    pos = length = 0
    for parsed, _, start, end in template_fields(template):
        value = _value(parsed, fill, keys, spec) if parsed else None
        if value is None:
            return None
        out.append(template[pos:start])
        length += start - pos
        spans.append((parsed.norm, parsed.slot_id, length, length + len(value)))
        out.append(value)
        length += len(value)
        pos = end
    out.append(template[pos:])
    return "".join(out), spans


def _answer_start(answer_tpl: str, answer: str, context: str, spans: list[_Span]) -> int | None:
    """Where the answer is in the context: where its fill-in was written, else an occurrence that covers
    such a position, else its only occurrence."""
    fields = [p.norm for p, _, _, _ in template_fields(answer_tpl) if p]
    if len(fields) == 1 and FIELD_RE.fullmatch(answer_tpl.strip()):
        for expr, _, start, end in spans:
            if expr == fields[0] and context[start:end] == answer:
                return start
    hits = [m.start() for m in re.finditer(re.escape(answer), context)] if answer else []
    anchored = [h for h in hits if any(e in fields and h <= s < h + len(answer) for e, _, s, _ in spans)]
    if anchored:
        return anchored[0]
    return hits[0] if len(hits) == 1 else None


def _question_prop(answer_tpl: str, fill: _Fill) -> str | None:
    """The property a properties-test question asks about: that of the p.vK its answer names."""
    if fill.props is None:
        return None
    for parsed, _, _, _ in template_fields(answer_tpl):
        if parsed and parsed.base == "p" and parsed.attr in ("v1", "v2"):
            return fill.props[int(parsed.attr[-1]) - 1]
    return None


def _asks_wrong_property(question: str, answer_tpl: str) -> bool:
    """A question naming p.p1 whose answer is p.v2 (or vice versa) would have the wrong gold answer."""

    def numbers(text: str, attrs: tuple[str, str]) -> set[str]:
        return {p.attr[-1] for p, _, _, _ in template_fields(text) if p and p.base == "p" and p.attr in attrs}

    asked, answered = numbers(question, ("p1", "p2")), numbers(answer_tpl, ("v1", "v2"))
    return bool(asked and answered and asked != answered)


def _question(row: Row, keys: Mapping[str, frozenset[str]], spec: Spec, answer_tpl: str) -> str | None:
    for variant in row.variants.get(spec.lang, ()):
        if _compatible(variant, keys, spec, None) and not _asks_wrong_property(variant.text, answer_tpl):
            return variant.text
    return None


def _distinct_slots(context: str, spans: list[_Span]) -> bool:
    """Upstream's remove_duplicates: two different fill-ins written the same way make the test ambiguous."""
    surface: dict[str, set[str]] = defaultdict(set)
    for _, slot, start, end in spans:
        surface[context[start:end]].add(slot)
    return all(len(slots) == 1 for slots in surface.values())


def _fill_examples(spec: Spec, fill: _Fill) -> list[tuple[str, str, str, int]]:
    """(context, question, answer, start) for every usable context x question of a fill; [] if the fill is
    unusable (a question without a fitting form, an ambiguous or unlocatable answer)."""
    out = []
    questions = [
        (q, a.variants[spec.lang][0].text)
        for q, a in spec.block.qas
        if q.variants.get(spec.lang) and a.variants.get(spec.lang)
    ]
    for context_row in spec.block.contexts:
        base_keys = _keys(fill, spec, context_row, None)
        context_tpl = _choose(context_row, base_keys, spec, CONTEXT_GROUP)
        if context_tpl is None:
            continue  # this context's translations are for other fill-ins (upstream selects contexts likewise)
        rendered = _render(context_tpl, fill, base_keys, spec)
        if rendered is None or not _distinct_slots(*rendered):
            return []
        context, spans = rendered
        for question_row, answer_tpl in questions:
            keys = _keys(fill, spec, context_row, _question_prop(answer_tpl, fill))
            question_tpl = _question(question_row, keys, spec, answer_tpl)
            question = _render(question_tpl, fill, keys, spec) if question_tpl else None
            answer = _render(answer_tpl, fill, base_keys, spec)
            start = _answer_start(answer_tpl, answer[0], context, spans) if question and answer else None
            if start is None:
                return []
            out.append((context, question[0], answer[0], start))
    return out


@dataclass
class Suite:
    """The generated cases of one language and the tests skipped for it (short name -> reason)."""

    cases: list[dict]
    skipped: dict[str, str] = field(default_factory=dict)


def generate_suite(templates: Templates, lang: str, *, n_per_test: int, seed: int) -> Suite:
    """QA examples of every test for ``lang``: ``n_per_test`` distinct fills per test (upstream's
    ``num_test_samples`` test cases), each expanded into all its context x question pairs.

    Each example is the internal QA format plus ``test`` (the test's short name from upstream's
    ``test_models.py``, see :data:`TEST_SHORT_NAMES`) and ``group`` (its fill, i.e. the upstream test case it
    belongs to). Deterministic in (file, lang, n_per_test, seed). A test for which fewer distinct valid fills
    exist yields all there are; one with none in its sampling budget (the real file's th and my COMP
    translations, tl's Animal vs Vehicle v2: their cells do not fit together) is skipped for this language,
    with the reason logged and returned in :attr:`Suite.skipped`.
    """
    if n_per_test < 1:
        raise DataError(f"generate_cases: n_per_test must be at least 1, got {n_per_test}")
    col = file_column(lang)
    if col not in templates.columns:
        raise DataError(
            f"{templates.path}: no column {col!r} for language {lang!r}; available: "
            f"{', '.join(available_languages(templates)) or 'none of ours'}"
        )
    suite = Suite([])
    for index, block in enumerate(templates.tests):
        spec = build_spec(templates, index, lang)
        rng = random.Random(f"multichecklist:{seed}:{lang}:{block.name}")
        seen: set[tuple] = set()
        groups = 0
        budget = 40 * n_per_test + 200
        for _ in range(budget):
            if groups == n_per_test:
                break
            fill = _sample_fill(spec, rng)
            if fill.key() in seen:
                continue
            seen.add(fill.key())
            examples = _fill_examples(spec, fill)
            if not examples:
                continue
            for k, (context, question, answer, start) in enumerate(examples):
                suite.cases.append(
                    {
                        "id": f"mcl-{lang}-{block.short_name}-{groups:04d}-{k:02d}",
                        "question": question,
                        "context": context,
                        "answers": [{"text": answer, "answer_start": start}],
                        "test": block.short_name,
                        "group": groups,
                    }
                )
            groups += 1
        if groups == 0:
            reason = (
                f"{templates.path}: line {block.line}: test {block.name!r} yields no valid test case for {lang!r} "
                f"in {len(seen)} distinct fills (its {col!r} translations or placeholders do not fit together)"
            )
            log.warning("MultiCheckList %s skipped for %s: %s", block.short_name, lang, reason)
            suite.skipped[block.short_name] = reason
    return suite


def generate_cases(templates: Templates, lang: str, *, n_per_test: int, seed: int) -> list[dict]:
    """The cases of :func:`generate_suite` (tests without a valid case for ``lang`` skipped and logged)."""
    return generate_suite(templates, lang, n_per_test=n_per_test, seed=seed).cases
