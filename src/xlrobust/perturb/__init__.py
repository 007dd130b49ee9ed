"""Multilingual, label-preserving CheckList perturbations of NLI, NER and QA examples.

Built on CheckList's API shape: :func:`perturb_examples` runs a per-example function through
``Perturb.perturb(data, fn, keep_original=False, meta=True)`` and uses checklist's own functions where they are
safe (``Perturb.add_typos`` for swaps in words of single-code-point graphemes, ``Perturb.contractions`` for
English). Everything else is script-aware code here: grapheme-cluster typos, per-language final punctuation,
numbers in the text's own digit system, native names (Faker) and localized places (Babel CLDR).

``rate`` is the share of candidate units a family changes (words for typos/casing, distinct numbers, distinct
people or places, text fields for punctuation), at least one when there is any candidate; contractions change
every contraction. Results are deterministic: each example's RNG is derived from ``(seed, id, family)``, so they
do not depend on the order or the other examples.
"""

from __future__ import annotations

import copy
import logging
import random
from dataclasses import dataclass
from typing import Any

from xlrobust.errors import ConfigError, DataError
from xlrobust.languages import LANGUAGES, LEXICON_LANGUAGES, get_language
from xlrobust.nltk_setup import import_checklist_perturb
from xlrobust.perturb import script as sc
from xlrobust.perturb.tasks import APPLY, RAW_TEXTS
from xlrobust.perturb.text import Ctx
from xlrobust.tasks import REGISTRY

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FamilyInfo:
    name: str
    languages: tuple[str, ...]  # where the family can change text; elsewhere every example has changed=False
    invariant: str  # what stays the same, so the gold label stays right
    description: str


_ALL = tuple(LANGUAGES)
_CASED = tuple(code for code, lang in LANGUAGES.items() if lang.cased)
_MARKED = tuple(code for code in LANGUAGES if code not in sc.NO_FINAL_MARK)

FAMILIES: dict[str, FamilyInfo] = {
    f.name: f
    for f in (
        FamilyInfo(
            "typos",
            _ALL,
            "label; NER tags and token count; QA answer spans untouched",
            "swap, delete or duplicate a grapheme cluster (marks, virama, nukta, harakat stay on their base)",
        ),
        FamilyInfo(
            "punctuation",
            _MARKED,
            "label; entity tokens; QA answer spans untouched",
            "strip final sentence punctuation or add the language's mark (. । ? ؟)",
        ),
        FamilyInfo(
            "numbers",
            _ALL,
            "label (same value -> same new value in every field, QA answer text updated); digit system, digit count",
            "integers changed within 20% (as checklist's change_number), written in the text's own digits",
        ),
        FamilyInfo(
            "names",
            LEXICON_LANGUAGES,
            "label (same person -> same new name in every field, answers updated); NER PER spans re-tagged B/I-PER",
            "person names -> native names from the language's Faker locale",
        ),
        FamilyInfo(
            "locations",
            LEXICON_LANGUAGES,
            "label (same place -> same new place everywhere, answers updated); NER LOC spans re-tagged B/I-LOC",
            "countries/places -> Babel CLDR country names in the language, native Faker cities",
        ),
        FamilyInfo(
            "casing",
            _CASED,
            "label; NER tags and token count; QA answer spans untouched",
            "random upper/lower/title casing of words (scripts without case: unchanged)",
        ),
        FamilyInfo(
            "contractions",
            ("en",),
            "label; entity tokens; QA answer spans untouched",
            "checklist's Perturb.contractions: expand or contract English contractions",
        ),
    )
}


def skip_reason(family: str, lang: str) -> str | None:
    """Why ``family`` cannot change text of ``lang`` (its examples then come back unchanged), or None."""
    if lang in FAMILIES[family].languages:
        return None
    language = get_language(lang)
    if family in ("names", "locations"):
        why = "no word spacing to match names on" if not language.spaced else "Faker has no locale for it"
        return f"{family} needs a name/place lexicon and {language.name} has none ({why})"
    if family == "casing":
        return f"casing: the {language.script} script has no upper and lower case"
    if family == "punctuation":
        return f"punctuation: {sc.NO_FINAL_MARK[lang]}"
    return f"{family}: English only"


FAMILY_OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "typos": {"ops": sc.TYPO_OPS},
    "casing": {"modes": sc.CASE_MODES},
}


def _check_args(task: str, lang: str, family: str, rate: float, options: dict[str, Any]) -> None:
    if task not in REGISTRY:
        raise ConfigError(f"unknown task {task!r}; known: {', '.join(REGISTRY)}")
    get_language(lang)
    if family not in FAMILIES:
        raise ConfigError(f"unknown perturbation family {family!r}; known: {', '.join(FAMILIES)}")
    if not isinstance(rate, (int, float)) or not 0 < rate <= 1:
        raise ConfigError(f"perturbation rate must be a number in (0, 1], got {rate!r}")
    allowed = FAMILY_OPTIONS.get(family, {})
    for key, value in options.items():
        if key not in allowed:
            known = ", ".join(allowed) or "none"
            raise ConfigError(f"perturbation family {family!r} has no option {key!r} (options: {known})")
        values = (value,) if isinstance(value, str) else tuple(value)
        bad = [v for v in values if v not in allowed[key]]
        if bad or not values:
            raise ConfigError(
                f"perturbation option {family}.{key}: {bad or value!r} not allowed; choose from {', '.join(allowed[key])}"
            )


def example_rng(seed: int, example_id: str, family: str) -> random.Random:
    """An RNG seeded from ``(seed, id, family)`` (string seeds hash with SHA-512: stable across processes)."""
    return random.Random(f"{seed}\x1f{example_id}\x1f{family}")


def perturb_examples(
    task: str,
    lang: str,
    examples: list[dict],
    family: str,
    *,
    rate: float,
    seed: int,
    detector: Any = None,
    **options: Any,
) -> list[dict]:
    """One output per input, same order: the perturbed example (same format as the task's input) with
    ``orig_id``, ``id`` = ``f"{orig_id}~{family}"`` and ``changed`` (False: returned unchanged).

    ``detector`` (a ``perturb.detector.NerDetector``, from ``perturbations.detector``): ``names`` and
    ``locations`` on raw text (NLI, QA) change only the spans its model tags PER / LOC; NER examples keep
    using their gold tags."""
    _check_args(task, lang, family, rate, options)
    options = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in options.items()}
    perturb = import_checklist_perturb()
    kind = REGISTRY[task].perturb_kind
    reason = skip_reason(family, lang)
    applies = reason is None
    if reason is not None:
        log.info("%s/%s: %s; its %d examples stay unchanged", task, lang, reason, len(examples))
    if family not in ("names", "locations") or kind == "ner" or not applies:
        detector = None
    if detector is not None:
        detector.prefetch([t for ex in examples for t in RAW_TEXTS[kind](ex)])

    def one(example: dict, meta: bool = True) -> tuple[list[dict], list[dict]]:
        where = f"{task}/{lang} example {example.get('id')!r}"
        if not isinstance(example.get("id"), str):
            raise DataError(f"{task}/{lang}: an example has no string 'id' field")
        ctx = Ctx(lang, example_rng(seed, example["id"], family), rate, options, perturb, detector=detector)
        new = APPLY[kind](example, family, ctx, where) if applies else example
        changed = new != example
        out = {
            **copy.deepcopy(new),
            "orig_id": example["id"],
            "id": f"{example['id']}~{family}",
            "changed": changed,
        }
        return [out], [{"changed": changed}]

    result = perturb.perturb(examples, one, keep_original=False, meta=True)
    if len(result.data) != len(examples):
        raise AssertionError(
            "checklist's Perturb.perturb dropped examples"
        )  # cannot happen: one always returns one
    return [rows[0] for rows in result.data]


__all__ = ["FAMILIES", "FamilyInfo", "example_rng", "perturb_examples", "skip_reason"]
