"""Planners: for a list of text fields of one example, the span edits one perturbation family makes.

All fields of an example are planned together so entity and number changes are *consistent* (the same old
string or value gets the same new one in premise and hypothesis, question, context and answer). Each field
carries ``protected`` spans (QA answers): surface-noise families (typos, casing, contractions, punctuation)
never touch them; entity families (names, locations, numbers) may edit inside them, so the caller recomputes
the answer text, but never across their boundary.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xlrobust.languages import get_language
from xlrobust.perturb import lexicons as lx
from xlrobust.perturb import script as sc
from xlrobust.perturb.edits import Edit, Span, crosses, merge_spans, overlaps


@dataclass
class Field:
    text: str
    protected: list[Span] = field(default_factory=list)
    question: bool = False  # picks "?" / "؟" rather than "." / "।" when punctuation is added


@dataclass
class Ctx:
    lang: str
    rng: random.Random
    rate: float
    options: dict[str, Any]
    checklist: Any  # checklist.perturb.Perturb
    paired_numbers: bool = False  # NLI: numbers in both fields may be compared; see plan_numbers
    detector: Any = None  # perturb.detector.NerDetector: names/locations from a NER model, not the lexicons


Plan = list[list[Edit]]


def pick(rng: random.Random, items: list, rate: float) -> list:
    """``rate`` of the candidates (at least one, if any), in their original order."""
    if not items:
        return []
    k = min(len(items), max(1, round(rate * len(items))))
    chosen = set(rng.sample(range(len(items)), k))
    return [x for i, x in enumerate(items) if i in chosen]


def _touches(span: Span, protected: list[Span]) -> bool:
    return any(overlaps(span, p) for p in protected)


def seeded_numpy(fn: Callable[[], Any], seed: int) -> Any:
    """Run ``fn`` (a checklist call that draws from numpy's global RNG) under ``seed``, then restore the global
    state, so results are deterministic per example without side effects on other code."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        return fn()
    finally:
        np.random.set_state(state)


def _word_candidates(fields: list[Field], ok: Callable[[str], bool]) -> list[tuple[int, int, int, str]]:
    return [
        (fi, m.start(), m.end(), m.group())
        for fi, f in enumerate(fields)
        for m in sc.WORD_RE.finditer(f.text)
        if ok(m.group()) and not _touches((m.start(), m.end()), f.protected)
    ]


def _plan_words(
    fields: list[Field], chosen: list[tuple[int, int, int, str]], new: Callable[[str], str]
) -> Plan:
    plan: Plan = [[] for _ in fields]
    for fi, s, e, word in chosen:
        replacement = new(word)
        if replacement != word:
            plan[fi].append(Edit(s, e, replacement))
    return plan


def plan_typos(fields: list[Field], ctx: Ctx) -> Plan:
    ops = tuple(ctx.options.get("ops", sc.TYPO_OPS))

    def swap(word: str) -> str:
        seed = ctx.rng.getrandbits(32)
        return seeded_numpy(lambda: ctx.checklist.add_typos(word, typos=1), seed)

    chosen = pick(ctx.rng, _word_candidates(fields, sc.typo_eligible), ctx.rate)
    return _plan_words(fields, chosen, lambda w: sc.typo_word(w, ctx.rng, ops, swap))


def plan_casing(fields: list[Field], ctx: Ctx) -> Plan:
    if get_language(ctx.lang).script in sc.CASELESS_SCRIPTS:
        return [[] for _ in fields]
    modes = tuple(ctx.options.get("modes", sc.CASE_MODES))
    chosen = pick(ctx.rng, _word_candidates(fields, lambda w: bool(sc.case_variants(w, modes))), ctx.rate)
    return _plan_words(fields, chosen, lambda w: ctx.rng.choice(sc.case_variants(w, modes)))


def plan_contractions(fields: list[Field], ctx: Ctx) -> Plan:
    """checklist's ``Perturb.contractions`` (expand or contract, one picked) on each stretch of text outside the
    protected spans; English only, and every contraction in a stretch changes (``rate`` is not used)."""
    plan: Plan = [[] for _ in fields]
    if ctx.lang != "en":
        return plan
    for fi, f in enumerate(fields):
        pos = 0
        for s, e in [*merge_spans(f.protected), (len(f.text), len(f.text))]:
            segment = f.text[pos:s]
            alternatives = ctx.checklist.contractions(segment) if segment.strip() else []
            if alternatives:
                plan[fi].append(Edit(pos, s, ctx.rng.choice(alternatives)))
            pos = max(pos, e)
    return plan


def punctuation_edit(text: str, lang: str, question: bool) -> Edit | None:
    """Strip the final run of sentence punctuation (Unicode Terminal_Punctuation: ``.``, ``?``, ``।``, ``؟``,
    ``،``...), or add the language's final mark when there is none; ``None`` for text that is only punctuation.

    Written here rather than with checklist's ``Perturb.punctuation``: that needs spaCy POS tags and only ever
    adds ``.``, which is wrong for Hindi, Bengali and Arabic."""
    body = text.rstrip()
    j = len(body)
    while j > 0 and sc.TERMINAL_RE.match(body[j - 1]):
        j -= 1
    if j == 0:
        return None
    if j < len(body):
        return Edit(j, len(body), "")
    return Edit(j, j, sc.final_mark(lang, question))


def _blocked(ed: Edit, protected: list[Span]) -> bool:
    """An insertion strictly inside, or a deletion overlapping, a protected span."""
    if ed.start == ed.end:
        return any(s < ed.start < e for s, e in protected)
    return _touches((ed.start, ed.end), protected)


def plan_punctuation(fields: list[Field], ctx: Ctx) -> Plan:
    """Toggle the final punctuation of ``rate`` of the fields (at least one)."""
    cands = []
    for fi, f in enumerate(fields):
        ed = punctuation_edit(f.text, ctx.lang, f.question)
        if ed is not None and not _blocked(ed, f.protected):
            cands.append((fi, ed))
    plan: Plan = [[] for _ in fields]
    for fi, ed in pick(ctx.rng, cands, ctx.rate):
        plan[fi].append(ed)
    return plan


def plan_numbers(fields: list[Field], ctx: Ctx) -> Plan:
    """Change ``rate`` of the distinct integer values; every occurrence of a value gets the same new value,
    each written in its own digit system (ASCII, Arabic-Indic, Bengali, Devanagari...), never equal to another
    number of the example. With ``paired_numbers`` (NLI) and numbers on both sides, only values present on both
    sides change: a premise "in 1990" against a hypothesis "after 1985" is a comparison a change could flip."""
    occ: dict[int, list[tuple[int, int, int, str]]] = {}
    all_values: set[int] = set()
    for fi, f in enumerate(fields):
        for m in sc.NUMBER_RE.finditer(f.text):
            all_values.add(sc.number_value(m.group()))
            if sc.number_changeable(m.group()):
                occ.setdefault(sc.number_value(m.group()), []).append((fi, m.start(), m.end(), m.group()))
    ok = [
        v
        for v, where in occ.items()
        if not any(crosses((s, e), p) for fi, s, e, _ in where for p in fields[fi].protected)
    ]
    if ctx.paired_numbers and all(sc.NUMBER_RE.search(f.text) for f in fields):
        ok = [v for v in ok if {fi for fi, *_ in occ[v]} == set(range(len(fields)))]
    plan: Plan = [[] for _ in fields]
    for value in pick(ctx.rng, ok, ctx.rate):
        width = len(occ[value][0][3])
        new = sc.new_number(value, width, ctx.rng, frozenset(all_values))
        if new is None:
            continue
        all_values.add(new)
        for fi, s, e, digits in occ[value]:
            plan[fi].append(Edit(s, e, sc.render_number(new, sc.digit_zero(digits[0]), 0)))
    return plan


def _consistent(fields: list[Field], groups: dict[str, list[tuple[int, Edit]]], ctx: Ctx) -> Plan:
    """Keep groups none of whose edits cross a protected span or overlap another group's; pick ``rate``."""
    ok = [
        key
        for key, edits in groups.items()
        if not any(crosses((ed.start, ed.end), p) for fi, ed in edits for p in fields[fi].protected)
    ]
    plan: Plan = [[] for _ in fields]
    taken: list[set[tuple[int, int]]] = [set() for _ in fields]
    for key in pick(ctx.rng, ok, ctx.rate):
        edits = groups[key]
        if any(overlaps((ed.start, ed.end), t) for fi, ed in edits for t in taken[fi]):
            continue
        for fi, ed in edits:
            plan[fi].append(ed)
            taken[fi].add((ed.start, ed.end))
    return plan


def _complete(fields: list[Field], edits: list[tuple[int, Edit]], words: list[str]) -> bool:
    """Whether ``edits`` cover every whole-word occurrence of ``words`` in the example. A person or place the
    detector refused somewhere ("met Laura Price of Spain", "Bank of India") must not be changed elsewhere:
    a partial change would make one entity two and could flip the label, so the group is dropped."""
    for word in words:
        for fi, f in enumerate(fields):
            for s, e in lx.find_word(f.text, word):
                if not any(gi == fi and ed.start <= s and e <= ed.end for gi, ed in edits):
                    return False
    return True


def plan_names(fields: list[Field], ctx: Ctx) -> Plan:
    """Replace person names found by the lexicon (see ``lexicons``); one group per first name, so "John Smith",
    a later "John" and a later "Smith" all become the same new person. With a NER model
    (``perturbations.detector``) only the spans it tags PER change (``detector.plan_detected``)."""
    if ctx.detector is not None:
        from xlrobust.perturb.detector import plan_detected

        return plan_detected(fields, ctx, "PER")
    lex = lx.name_lexicon(ctx.lang)
    avoid = "\n".join(f.text for f in fields)
    matches = [(fi, m) for fi, f in enumerate(fields) for m in lx.find_names(f.text, lex)]
    firsts = sorted({m.first for _, m in matches if not m.ambiguous})
    groups: dict[str, list[tuple[int, Edit]]] = {}
    for first in firsts:
        new_first = lex.new_first(first, ctx.rng, avoid)
        avoid += "\n" + new_first  # two people must not become one
        new_last: dict[str, str] = {}
        edits: list[tuple[int, Edit]] = []
        for fi, m in matches:
            if m.first != first:
                continue
            if m.last is None:
                edits.append((fi, Edit(m.start, m.end, new_first)))
            else:
                if m.last not in new_last:
                    new_last[m.last] = lex.new_last(m.last, first, ctx.rng, avoid)
                    avoid += "\n" + new_last[m.last]
                last = new_last[m.last]
                edits.append((fi, Edit(m.start, m.end, f"{new_first} {last}")))
        covered = {(fi, ed.start, ed.end) for fi, ed in edits}
        for old_last, last in new_last.items():  # the surname alone, elsewhere
            for fi, f in enumerate(fields):
                for s, e in lx.find_word(f.text, old_last):
                    if not any(c[0] == fi and overlaps((s, e), (c[1], c[2])) for c in covered):
                        edits.append((fi, Edit(s, e, last)))
        if _complete(fields, edits, [first, *new_last]):
            groups[first] = edits
    return _consistent(fields, groups, ctx)


def plan_locations(fields: list[Field], ctx: Ctx) -> Plan:
    """Replace CLDR country names and native city names with others of the same kind, consistently; with a
    NER model (``perturbations.detector``) the spans it tags LOC (``detector.plan_detected``)."""
    if ctx.detector is not None:
        from xlrobust.perturb.detector import plan_detected

        return plan_detected(fields, ctx, "LOC")
    lex = lx.place_lexicon(ctx.lang)
    avoid = "\n".join(f.text for f in fields)
    groups: dict[str, list[tuple[int, Edit]]] = {}
    new: dict[str, str] = {}
    for fi, f in enumerate(fields):
        for s, e, place in lx.find_places(f.text, lex):
            if place not in new:
                new[place] = lex.new_place(place, ctx.rng, lex.kind(place), avoid)
                avoid += "\n" + new[place]  # two places must not become one
            replacement = new[place]
            groups.setdefault(place, []).append((fi, Edit(s, e, replacement)))
    groups = {place: edits for place, edits in groups.items() if _complete(fields, edits, [place])}
    return _consistent(fields, groups, ctx)


PLANNERS: dict[str, Callable[[list[Field], Ctx], Plan]] = {
    "typos": plan_typos,
    "punctuation": plan_punctuation,
    "numbers": plan_numbers,
    "names": plan_names,
    "locations": plan_locations,
    "casing": plan_casing,
    "contractions": plan_contractions,
}
