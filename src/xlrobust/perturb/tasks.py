"""Applying a family to one example of each task so that its label stays right.

* NLI: premise and hypothesis are planned together (same person/place/number -> same replacement in both).
* NER: typos, casing and numbers edit inside tokens (tags and token count unchanged); names and locations
  replace gold PER/LOC spans with new, possibly multi-token, names re-tagged ``B-X I-X...``; punctuation adds,
  strips or removes a final ``O`` token; contractions rewrite runs of ``O`` tokens.
* QA: question and context are planned together; answer spans are protected from surface noise, entity and
  number edits inside an answer update its text, and every ``answer_start`` is recomputed.
"""

from __future__ import annotations

from typing import Any

from xlrobust.errors import DataError
from xlrobust.examples import NER_TAGS
from xlrobust.perturb import lexicons as lx
from xlrobust.perturb import script as sc
from xlrobust.perturb.edits import apply_edits, map_span
from xlrobust.perturb.text import PLANNERS, Ctx, Field, pick


def _text(ex: dict[str, Any], key: str, where: str) -> str:
    value = ex.get(key)
    if not isinstance(value, str):
        raise DataError(f"{where}: field {key!r} must be a string, got {type(value).__name__}")
    return value


def perturb_nli(ex: dict[str, Any], family: str, ctx: Ctx, where: str) -> dict[str, Any]:
    fields = [Field(_text(ex, "premise", where)), Field(_text(ex, "hypothesis", where))]
    ctx.paired_numbers = True
    plan = PLANNERS[family](fields, ctx)
    return {
        **ex,
        "premise": apply_edits(fields[0].text, plan[0]),
        "hypothesis": apply_edits(fields[1].text, plan[1]),
    }


def _answer_spans(ex: dict[str, Any], context: str, where: str) -> list[tuple[int, int]]:
    answers = ex.get("answers")
    if not isinstance(answers, list) or not answers:
        raise DataError(f"{where}: field 'answers' must be a non-empty list")
    spans = []
    for i, a in enumerate(answers):
        text, start = (a.get("text"), a.get("answer_start")) if isinstance(a, dict) else (None, None)
        if (
            not isinstance(text, str)
            or not isinstance(start, int)
            or context[start : start + len(text)] != text
        ):
            raise DataError(
                f"{where}: answers[{i}] does not match the context (context[answer_start:answer_start+len(text)] "
                "must equal text); fix the loader or the data file"
            )
        spans.append((start, start + len(text)))
    return spans


def perturb_qa(ex: dict[str, Any], family: str, ctx: Ctx, where: str) -> dict[str, Any]:
    question, context = _text(ex, "question", where), _text(ex, "context", where)
    spans = _answer_spans(ex, context, where)
    fields = [Field(question, question=True), Field(context, protected=spans)]
    plan = PLANNERS[family](fields, ctx)
    new_context = apply_edits(context, plan[1])
    answers = []
    for answer, span in zip(ex["answers"], spans, strict=True):
        start, end = map_span(span, plan[1])
        answers.append({**answer, "text": new_context[start:end], "answer_start": start})
    return {**ex, "question": apply_edits(question, plan[0]), "context": new_context, "answers": answers}


def _ner_input(ex: dict[str, Any], where: str) -> tuple[list[str], list[str]]:
    tokens, tags = ex.get("tokens"), ex.get("tags")
    if not isinstance(tokens, list) or not isinstance(tags, list) or len(tokens) != len(tags):
        raise DataError(f"{where}: 'tokens' and 'tags' must be lists of the same length")
    bad = next((t for t in tags if t not in NER_TAGS), None)
    if bad is not None:
        raise DataError(f"{where}: tag {bad!r} is not one of {', '.join(NER_TAGS)}")
    if not all(isinstance(t, str) and t for t in tokens):
        raise DataError(f"{where}: every token must be a non-empty string")
    return list(tokens), list(tags)


def ner_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)``; an ``I-X`` not continuing an ``X`` span starts one (as seqeval)."""
    spans: list[tuple[int, int, str]] = []
    for i, tag in enumerate(tags):
        if tag == "O":
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "I" and spans and spans[-1][1] == i and spans[-1][2] == typ:
            spans[-1] = (spans[-1][0], i + 1, typ)
        else:
            spans.append((i, i + 1, typ))
    return spans


def _replace_spans(tokens: list[str], tags: list[str], new: dict[tuple[int, int], tuple[list[str], str]]):
    out_tokens, out_tags, i = [], [], 0
    for (s, e), (words, typ) in sorted(new.items()):
        out_tokens += tokens[i:s] + words
        out_tags += tags[i:s] + [f"B-{typ}"] + [f"I-{typ}"] * (len(words) - 1)
        i = e
    return out_tokens + tokens[i:], out_tags + tags[i:]


def _ner_entities(tokens: list[str], tags: list[str], typ: str, ctx: Ctx) -> tuple[list[str], list[str]]:
    spans = [(s, e) for s, e, t in ner_spans(tags) if t == typ]
    keys = list(dict.fromkeys(" ".join(tokens[s:e]) for s, e in spans))
    chosen = pick(ctx.rng, keys, ctx.rate)
    avoid = " ".join(tokens)
    replacement: dict[str, list[str]] = {}
    for key in chosen:
        words = key.split(" ")
        if typ == "PER":
            lex = lx.name_lexicon(ctx.lang)
            first, last = lex.new_full(words[0], words[-1] if len(words) > 1 else None, ctx.rng, avoid)
            replacement[key] = f"{first} {last}".split() if last else first.split()
        else:
            replacement[key] = lx.place_lexicon(ctx.lang).new_place(key, ctx.rng, avoid=avoid).split()
        avoid += " " + " ".join(replacement[key])  # two entities must not become one
    new = {(s, e): (replacement[k], typ) for s, e in spans if (k := " ".join(tokens[s:e])) in replacement}
    return _replace_spans(tokens, tags, new)


def _ner_punctuation(tokens: list[str], tags: list[str], ctx: Ctx) -> tuple[list[str], list[str]]:
    last = tokens[-1]
    if tags[-1] == "O":
        j = len(last)
        while j > 0 and sc.TERMINAL_RE.match(last[j - 1]):
            j -= 1
        if j == 0 and len(tokens) > 1:
            return tokens[:-1], tags[:-1]
        if 0 < j < len(last):
            return tokens[:-1] + [last[:j]], tags
        if j == 0:
            return tokens, tags
    return tokens + [sc.final_mark(ctx.lang, question=False)], tags + ["O"]


def _ner_contractions(tokens: list[str], tags: list[str], ctx: Ctx) -> tuple[list[str], list[str]]:
    """checklist's contractions on each run of ``O`` tokens (entities untouched); a trailing space lets its
    contraction pattern (which needs one) match at the end of a run."""
    if ctx.lang != "en":
        return tokens, tags
    out_tokens: list[str] = []
    out_tags: list[str] = []
    i = 0
    while i < len(tokens):
        if tags[i] != "O":
            out_tokens.append(tokens[i])
            out_tags.append(tags[i])
            i += 1
            continue
        j = i
        while j < len(tokens) and tags[j] == "O":
            j += 1
        run = " ".join(tokens[i:j])
        alternatives = ctx.checklist.contractions(run + " ")
        words = ctx.rng.choice(alternatives).split() if alternatives else tokens[i:j]
        out_tokens += words
        out_tags += ["O"] * len(words)
        i = j
    return out_tokens, out_tags


def perturb_ner(ex: dict[str, Any], family: str, ctx: Ctx, where: str) -> dict[str, Any]:
    tokens, tags = _ner_input(ex, where)
    if not tokens:
        return {**ex}
    if family in ("typos", "casing", "numbers"):
        fields = [Field(t) for t in tokens]
        plan = PLANNERS[family](fields, ctx)
        tokens = [apply_edits(f.text, edits) for f, edits in zip(fields, plan, strict=True)]
    elif family in ("names", "locations"):
        tokens, tags = _ner_entities(tokens, tags, "PER" if family == "names" else "LOC", ctx)
    elif family == "punctuation":
        tokens, tags = _ner_punctuation(tokens, tags, ctx)
    elif family == "contractions":
        tokens, tags = _ner_contractions(tokens, tags, ctx)
    return {**ex, "tokens": tokens, "tags": tags}


APPLY = {"nli": perturb_nli, "ner": perturb_ner, "qa": perturb_qa}


def _strings(ex: dict[str, Any], *keys: str) -> list[str]:
    return [v for k in keys if isinstance(v := ex.get(k), str)]


# The raw-text fields of an example a NER detector tags before planning (``detector.NerDetector.prefetch``).
RAW_TEXTS = {
    "nli": lambda ex: _strings(ex, "premise", "hypothesis"),
    "qa": lambda ex: _strings(ex, "question", "context"),
    "ner": lambda ex: [],
}
"""Example-level appliers by record kind; a task spec names its kind (``Task.perturb_kind``)."""
