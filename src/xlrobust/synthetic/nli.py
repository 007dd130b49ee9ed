"""Parallel NLI items: a premise frame and a hypothesis whose label follows from how the hypothesis frame
relates to the premise frame.

A hypothesis is a template rendered on a *changed* frame (same, a different day/object/quantity/vehicle,
swapped people, a third person, ...). The same hypothesis template takes different labels under different
changes ("Ana is taller than Pablo" is entailed, contradicted or neutral depending on who the premise says is
taller; "Ana bought 3 apples on Monday" depending on the quantity and day), so the label cannot be read off the
hypothesis alone; negation occurs under every label. Relations used: dropping details, hypernyms, converse
and antonym relations, role swaps, negation, changed quantities, added details.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from xlrobust.examples import NLI_LABELS, NLIExample
from xlrobust.synthetic._render import render
from xlrobust.synthetic._sampling import check_request, draw_unique, make_rng, sample_frame
from xlrobust.synthetic._spec import HYPERNYM, Frame
from xlrobust.synthetic.languages import get_spec

TASK = "xnli"

Rule = tuple[str, str]  # (hypothesis template, change applied to the premise frame)


@dataclass(frozen=True)
class Schema:
    premise: str
    roles: tuple[str, ...]  # the frame roles the premise shows: its identity for splitting
    rules: dict[str, tuple[Rule, ...]]  # label -> rules that yield it


SCHEMAS: dict[str, Schema] = {
    # "Maria bought 3 apples at the market in Seville on Monday."
    "buy": Schema(
        "buy_p",
        ("p", "obj", "n", "city", "day"),
        {
            "entailment": (
                ("buy_obj", "same"),
                ("buy_hyper", "same"),
                ("was_in_city", "same"),
                ("buy_count", "same"),
            ),
            "contradiction": (
                ("no_hyper", "same"),
                ("no_obj", "same"),
                ("bought_nothing", "same"),
                ("stay_home", "same"),
                ("buy_count", "n2"),
            ),
            "neutral": (
                ("buy_obj", "obj2"),
                ("buy_hyper", "obj2_other_hypernym"),
                ("no_hyper", "obj2_other_hypernym"),
                ("no_obj", "obj2"),
                ("was_in_city", "day2"),
                ("bought_nothing", "day2"),
                ("stay_home", "day2"),
                ("buy_count", "day2"),
                ("buy_for_brother", "same"),
                ("buy_bread", "same"),
                ("no_bread", "same"),
            ),
        },
    ),
    # "Maria travelled to Seville by train on Monday."
    "travel": Schema(
        "travel_p",
        ("p", "city", "veh", "day"),
        {
            "entailment": (("went_to", "same"), ("travelled_by", "same"), ("not_home", "same")),
            "contradiction": (("stay_home", "same"), ("travel_p", "veh2"), ("never_been", "same")),
            "neutral": (
                ("went_to", "day2"),
                ("travelled_by", "veh2"),
                ("not_home", "day2"),
                ("stay_home", "day2"),
                ("travel_p", "day2"),
                ("never_been", "city2"),
                ("travel_for_work", "same"),
                ("visit_grandma", "same"),
                ("not_alone", "same"),
            ),
        },
    ),
    # "Maria is 7 centimetres taller than Pablo."
    "cmp": Schema(
        "cmp_p",
        ("p", "p2", "k"),
        {
            "entailment": (("cmp_taller", "same"), ("cmp_shorter", "swap"), ("cmp_not_taller", "swap")),
            "contradiction": (
                ("cmp_taller", "swap"),
                ("cmp_shorter", "same"),
                ("cmp_not_taller", "same"),
                ("cmp_p", "k2"),
            ),
            "neutral": (
                ("cmp_taller", "p2_is_p3"),
                ("cmp_shorter", "p_is_p3"),
                ("cmp_not_taller", "p3_vs_p"),
                ("cmp_older", "same"),
                ("cmp_older", "swap"),
                ("plays_basketball", "same"),
            ),
        },
    ),
    # "Maria has worked as a doctor in Seville for 7 years."
    "work": Schema(
        "work_p",
        ("p", "prof", "city", "k"),
        {
            "entailment": (
                ("is_prof", "same"),
                ("works_in_city", "same"),
                ("work_count", "same"),
                ("is_prof2_not_prof", "swap_prof"),
            ),
            "contradiction": (
                ("never_worked_as", "same"),
                ("started_last_month", "same"),
                ("is_prof2_not_prof", "same"),
                ("is_prof", "prof2"),
                ("works_in_city", "city2"),
                ("work_count", "k2"),
            ),
            "neutral": (
                ("never_worked_as", "prof2"),
                ("started_last_month", "prof2"),
                ("likes_job", "same"),
                ("lives_with_family", "same"),
                ("no_coffee", "same"),
            ),
        },
    ),
}
NEEDS_HYPERNYM = frozenset({"buy_hyper", "no_hyper"})
NLI_TEMPLATE_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        k for s in SCHEMAS.values() for k in (s.premise, *(t for rules in s.rules.values() for t, _ in rules))
    )
)


def change_frame(change: str, f: Frame) -> dict[str, object] | None:
    """The premise frame with ``change`` applied, or None where the change does not apply to this frame."""
    if change == "same":
        new: dict[str, object] = {}
    elif change in ("obj2", "day2", "n2", "veh2", "city2", "prof2", "k2"):
        new = {change[:-1]: f[change]}
    elif change == "obj2_other_hypernym":
        h1, h2 = HYPERNYM[f["obj"]], HYPERNYM[f["obj2"]]  # type: ignore[index]
        if h2 is None or h2 == h1:
            return None
        new = {"obj": f["obj2"]}
    elif change == "swap":
        new = {"p": f["p2"], "p2": f["p"]}
    elif change == "swap_prof":
        new = {"prof": f["prof2"], "prof2": f["prof"]}
    elif change == "p2_is_p3":
        new = {"p2": f["p3"]}
    elif change == "p_is_p3":
        new = {"p": f["p3"]}
    elif change == "p3_vs_p":
        new = {"p": f["p3"], "p2": f["p"]}
    else:
        raise ValueError(f"unknown frame change {change!r}")
    return {**f, **new}


def _balanced_labels(n: int, rng: random.Random) -> list[str]:
    labels = [NLI_LABELS[i % len(NLI_LABELS)] for i in range(n)]
    rng.shuffle(labels)
    return labels


def _applicable(rules: tuple[Rule, ...], frame: Frame) -> list[tuple[Rule, dict[str, object]]]:
    out = []
    for template, change in rules:
        new = change_frame(change, frame)
        if new is not None and (template not in NEEDS_HYPERNYM or HYPERNYM[new["obj"]] is not None):  # type: ignore[index]
            out.append(((template, change), new))
    return out


def _propose(labels: list[str]):
    def propose(rng: random.Random, i: int) -> tuple[tuple, tuple, tuple[str, str, Frame, Frame]]:
        name = rng.choice(sorted(SCHEMAS))
        schema = SCHEMAS[name]
        frame = sample_frame(rng)
        options = _applicable(schema.rules[labels[i]], frame)
        (template, change), hyp_frame = rng.choice(options)
        premise_key = (name, *(frame[r] for r in schema.roles))
        changed = tuple(sorted((k, v) for k, v in hyp_frame.items() if frame[k] != v))
        return premise_key, (*premise_key, template, changed), (schema.premise, template, frame, hyp_frame)

    return propose


@lru_cache(maxsize=64)
def nli_frames(split: str, n: int, seed: int) -> tuple[tuple[str, str, str, Frame, Frame], ...]:
    """(label, premise key, hypothesis key, premise frame, hypothesis frame) per item."""
    rng = make_rng(seed, TASK, split)
    labels = _balanced_labels(n, rng)
    drawn = draw_unique(TASK, split, n, rng, _propose(labels))
    return tuple((label, *item) for label, item in zip(labels, drawn, strict=True))


def template_labels(n_train: int, seed: int) -> dict[str, Counter]:
    """Label counts of each hypothesis template among the ``n_train`` generated training items."""
    prior: dict[str, Counter] = defaultdict(Counter)
    for label, _premise, template, _frame, _hyp in nli_frames("train", n_train, seed):
        prior[template][label] += 1
    return dict(prior)


def item_id(split: str, i: int) -> str:
    """The id of the sample's item ``i`` of ``split`` (the same in every language)."""
    return f"{TASK}-{split}-{i:05d}"


def hypothesis_only_misses(n_train: int, n_test: int, seed: int) -> list[str]:
    """The ids of the ``n_test`` test items that :func:`hypothesis_only_accuracy`'s baseline gets wrong: their
    label is not their hypothesis template's most frequent training label, so only the premise decides them."""
    prior = template_labels(n_train, seed)
    return [
        item_id("test", i)
        for i, (label, _p, t, _f, _h) in enumerate(nli_frames("test", n_test, seed))
        if not (t in prior and prior[t].most_common(1)[0][0] == label)
    ]


def hypothesis_only_accuracy(n_train: int, n_test: int, seed: int) -> float:
    """What a model that never reads the premise can score on the sample: the accuracy on the ``n_test`` test
    items of each hypothesis template's most frequent label among the ``n_train`` training items (the
    hypothesis-only baseline of Poliak et al. 2018, "Hypothesis Only Baselines in Natural Language Inference").
    Items are parallel, so it is the same in every language."""
    if not n_test:
        return float("nan")
    return (n_test - len(hypothesis_only_misses(n_train, n_test, seed))) / n_test


def generate_nli(lang: str, split: str, n: int, seed: int) -> list[NLIExample]:
    """``n`` NLI examples in ``lang``; item i has the same content and label in every language."""
    check_request(TASK, split, n, seed)
    spec = get_spec(lang)
    out: list[NLIExample] = []
    for i, (label, pkey, hkey, frame, hyp_frame) in enumerate(nli_frames(split, n, seed)):
        premise, _ = render(spec, pkey, frame)
        hypothesis, _ = render(spec, hkey, hyp_frame)
        out.append({"id": item_id(split, i), "premise": premise, "hypothesis": hypothesis, "label": label})
    return out
