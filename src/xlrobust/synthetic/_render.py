"""Turn (language, template key, frame) into text, with entity spans (NER) or an answer span (QA).

Slot values carry "[...]" head marks (see ``_spec``). While formatting, a head becomes a pair of private-use
marker characters when it is a named entity (NER) or the answer (QA), and plain text otherwise; the markers are
then stripped while recording their character offsets, so every span is exact by construction.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from functools import cache

from xlrobust.synthetic._spec import HYPERNYM, Frame, LanguageSpec, entry_form, gender_of

# Which frame role a template's grammatical subject is (for gender agreement); the default is "p".
SUBJECT: dict[str, str] = {"ner_office": "org", "ner_met": "pair"}
# Slot families that are named entities.
ENTITY_ROLE: dict[str, str] = {"p": "PER", "p2": "PER", "city": "LOC", "city2": "LOC", "org": "ORG"}

_OPEN = {"PER": "\ue001", "ORG": "\ue002", "LOC": "\ue003", "ANS": "\ue004"}
_CLOSE = "\ue00f"
_TAG_OF = {v: k for k, v in _OPEN.items()}
_MARKERS = frozenset(_OPEN.values()) | {_CLOSE}
_PERSON_FORMS = frozenset({"", "full"})

Span = tuple[int, int, str]  # start, end, tag (PER/ORG/LOC/ANS)


@cache
def template_fields(template: str) -> tuple[str, ...]:
    """The slot names a template uses, in order."""
    return tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)


def slot_roles(name: str) -> frozenset[str]:
    """The frame roles a slot reads: used to check that every language renders the same content."""
    base, _, form = name.partition("_")
    if base == "hyper":
        return frozenset({"obj"})
    roles = {base}
    if base in ("p", "p2") and form == "full":
        roles.add("sur" if base == "p" else "sur2")
    if base == "obj" and form in ("n", "n2"):
        roles.add(form)
    return frozenset(roles)


def template_roles(spec: LanguageSpec, key: str) -> frozenset[str]:
    """All frame roles template ``key`` reads (in any gender variant)."""
    t = spec.templates[key]
    variants = [t] if isinstance(t, str) else list(t.values())
    return frozenset(r for v in variants for name in template_fields(v) for r in slot_roles(name))


def subject_gender(spec: LanguageSpec, key: str, frame: Frame) -> str:
    role = SUBJECT.get(key, "p")
    if role == "org":
        return spec.org_gender[frame["org"]] if spec.org_gender else "m"  # type: ignore[index]
    if role == "pair":
        both_f = gender_of(frame["p"]) == "f" and gender_of(frame["p2"]) == "f"  # type: ignore[arg-type]
        return "f" if both_f else "m"
    return gender_of(frame[role])  # type: ignore[arg-type]


def pick_template(spec: LanguageSpec, key: str, frame: Frame) -> str:
    t = spec.templates[key]
    return t if isinstance(t, str) else t[subject_gender(spec, key, frame)]


@cache
def _latin_specs() -> tuple[LanguageSpec, ...]:
    # Imported here, not at module level: the language modules import this module.
    from xlrobust.languages import LANGUAGES
    from xlrobust.synthetic.languages import SPECS

    return tuple(SPECS[c] for c in sorted(SPECS) if LANGUAGES[c].script == "Latin")


def person_spec(spec: LanguageSpec, index: int) -> LanguageSpec:
    """The language whose lexicon names person ``index`` in text of ``spec``'s language.

    Even indices are native everywhere. Odd indices are international: in every Latin-script language of the sample
    (de en es fi id sw) person 2k+1 has the same name, that of the k-th of them (modulo their number), as foreign
    names appear unchanged in real Latin-script text; non-Latin scripts would transliterate, so they keep their
    native names (as the shared organisations are transliterated there, ``_spec.SHARED_ORGS``). Together with those
    organisations these shared strings are the offline sample's route for zero-shot NER and QA transfer
    (benchmarks/RESULTS.md section 15: the tiny model transfers through shared entity strings and nothing else).
    """
    latin = _latin_specs()
    if index % 2 == 0 or spec not in latin:
        return spec
    return latin[(index // 2) % len(latin)]


class _Slots(Mapping[str, str]):
    """Lazy slot values for ``str.format_map``: only the slots a template names are computed."""

    def __init__(self, spec: LanguageSpec, frame: Frame, mode: str, answer_role: str | None) -> None:
        self.spec, self.frame, self.mode, self.answer_role = spec, frame, mode, answer_role
        self.extra = spec.extra_slots(spec, frame) if spec.extra_slots else {}
        self.answers = 0

    def __getitem__(self, name: str) -> str:
        if name in self.extra:  # language-specific helpers (agreement, conjunctions): never spans
            return _strip(self.extra[name])
        return self._markup(name, self._raw(name))

    def __iter__(self):  # pragma: no cover - format_map only indexes
        return iter(())

    def __len__(self) -> int:  # pragma: no cover
        return 0

    def _raw(self, name: str) -> str:
        spec, f = self.spec, self.frame
        base, _, form = name.partition("_")
        if base in ("p", "p2") and form in _PERSON_FORMS:
            idx = f[base]
            named_by = person_spec(spec, idx)  # type: ignore[arg-type]
            first = named_by.person(idx)  # type: ignore[arg-type]
            if not form:
                return first
            sur = f["sur" if base == "p" else "sur2"]
            return f"{first} {named_by.surname(sur, gender_of(idx))}"  # type: ignore[arg-type]
        if base in ("city", "city2"):
            return entry_form(spec.cities[f[base]], form, spec.city_forms, "city")  # type: ignore[index]
        if base == "org":
            return entry_form(spec.orgs[f["org"]], form, spec.org_forms, "organisation")  # type: ignore[index]
        if base == "obj":
            entry = spec.objects[f["obj"]]  # type: ignore[index]
            if form in ("n", "n2"):
                return spec.count(f[form], entry)  # type: ignore[arg-type]
            return _first_or(entry, form)
        if base == "hyper":
            hyper = HYPERNYM[f["obj"]]  # type: ignore[index]
            if hyper is None:
                raise KeyError(f"object {f['obj']!r} has no hypernym")
            return _first_or(spec.hypernyms[hyper], form)
        if base in ("veh", "veh2"):
            return _first_or(spec.vehicles[f[base]], form)  # type: ignore[index]
        if base in ("prof", "prof2"):
            value = _first_or(spec.professions[f[base]], form)  # type: ignore[index]
            if isinstance(value, tuple):
                value = value[0 if gender_of(f["p"]) == "m" else 1]  # type: ignore[arg-type]
            return value
        if base == "day" and not form:
            return spec.days[f["day"]]  # type: ignore[index]
        if base in ("year", "year2") and not form:
            return spec.year.format(y=f[base])
        if base in ("k", "k2") and not form:
            return str(f[base])
        raise KeyError(f"{spec.code}: unknown slot {{{name}}}")

    def _markup(self, name: str, value: str) -> str:
        role = name.partition("_")[0]
        if self.mode == "ner" and role in ENTITY_ROLE:
            tag = ENTITY_ROLE[role]
        elif self.mode == "qa" and role == self.answer_role:
            tag = "ANS"
            self.answers += 1
        else:
            return _strip(value)
        if "[" in value:
            return value.replace("[", _OPEN[tag]).replace("]", _CLOSE)
        return _OPEN[tag] + value + _CLOSE


def _first_or(entry: Mapping[str, object], form: str):  # noqa: ANN202 - str or gendered tuple
    return entry[form] if form else next(iter(entry.values()))


def _strip(value: str) -> str:
    return value.replace("[", "").replace("]", "")


def _capitalize(marked: str) -> str:
    """Upper-case the sentence's first letter (templates may start with a lower-case slot like 'am Montag')."""
    for i, ch in enumerate(marked):
        if ch in _MARKERS:
            continue
        return marked[:i] + ch.upper() + marked[i + 1 :] if ch.islower() else marked
    return marked


def _parse(marked: str) -> tuple[str, list[Span]]:
    out: list[str] = []
    spans: list[Span] = []
    open_tag, start = None, 0
    for ch in marked:
        if ch in _TAG_OF:
            assert open_tag is None, f"nested span in {marked!r}"
            open_tag, start = _TAG_OF[ch], len(out)
        elif ch == _CLOSE:
            assert open_tag is not None, f"unbalanced span in {marked!r}"
            spans.append((start, len(out), open_tag))
            open_tag = None
        else:
            out.append(ch)
    assert open_tag is None, f"unclosed span in {marked!r}"
    return "".join(out), spans


def render(
    spec: LanguageSpec, key: str, frame: Frame, mode: str = "plain", answer_role: str | None = None
) -> tuple[str, list[Span]]:
    """Render template ``key``; mode "ner" returns entity spans, mode "qa" the span of ``answer_role``."""
    slots = _Slots(spec, frame, mode, answer_role)
    text, spans = _parse(_capitalize(pick_template(spec, key, frame).format_map(slots)))
    if mode == "qa" and answer_role is not None:
        assert slots.answers == 1, (
            f"{spec.code}:{key}: answer role {answer_role!r} used {slots.answers} times"
        )
    return text, spans


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


_CHUNK = re.compile(r"\S+")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Word tokens as (start, end): whitespace-separated, with leading/trailing punctuation split off
    (WikiANN style: "Казани." -> "Казани", "."; "¿Dónde" -> "¿", "Dónde"; hyphenated names stay whole)."""
    out: list[tuple[int, int]] = []
    for m in _CHUNK.finditer(text):
        s, e = m.span()
        while s < e and _is_punct(text[s]):
            out.append((s, s + 1))
            s += 1
        trail: list[tuple[int, int]] = []
        while e > s and _is_punct(text[e - 1]):
            trail.append((e - 1, e))
            e -= 1
        if s < e:
            out.append((s, e))
        out.extend(reversed(trail))
    return out


def bio_tags(text: str, spans: list[Span]) -> tuple[list[str], list[str]]:
    """Tokens and BIO tags; every entity span must coincide with whole tokens."""
    toks = tokenize(text)
    tags = ["O"] * len(toks)
    starts = {s: i for i, (s, _) in enumerate(toks)}
    ends = {e: i for i, (_, e) in enumerate(toks)}
    for s, e, tag in spans:
        assert s in starts and e in ends, f"entity {text[s:e]!r} does not align with tokens in {text!r}"
        first, last = starts[s], ends[e]
        tags[first] = f"B-{tag}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{tag}"
    return [text[s:e] for s, e in toks], tags
