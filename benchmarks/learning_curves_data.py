"""Data variants of the learning-curve trials (a trial's ``nli_sample`` or ``foreign_entities``).

XNLI samples: balanced per hypothesis template (``balanced_nli``), each item followed by its counterfactual
siblings (``minimal_pairs_nli``), contrast pairs (``contrast_nli``). PAN-X: English training text with a share of
its entities taken from other languages (``foreign_entities``)."""

from __future__ import annotations

from functools import cache

from common import SEED


def balanced_nli(lang: str, split: str, n: int, seed: int) -> list[dict]:
    """The offline XNLI sample redrawn so that the hypothesis alone says nothing (section 17): a hypothesis
    template first (only templates that take two or more labels in their schema), then one of its labels with
    equal probability, then one of that label's frame changes; premises split train/dev/test as the sample's."""
    from xlrobust.synthetic._sampling import draw_unique, make_rng, sample_frame
    from xlrobust.synthetic.nli import SCHEMAS, TASK, _applicable

    choices: dict[tuple[str, str], dict[str, list]] = {}
    for name, schema in sorted(SCHEMAS.items()):
        for label, rules in schema.rules.items():
            for template, change in rules:
                choices.setdefault((name, template), {}).setdefault(label, []).append((template, change))
    keys = sorted(k for k, by_label in choices.items() if len(by_label) >= 2)

    def propose(rng, _i):
        while True:
            name, template = rng.choice(keys)
            label = rng.choice(sorted(choices[(name, template)]))
            frame = sample_frame(rng)
            options = _applicable(tuple(choices[(name, template)][label]), frame)
            if options:
                break
        (_t, _c), hyp_frame = rng.choice(options)
        schema = SCHEMAS[name]
        premise_key = (name, *(frame[r] for r in schema.roles))
        changed = tuple(sorted((k, v) for k, v in hyp_frame.items() if frame[k] != v))
        return (
            premise_key,
            (*premise_key, template, changed),
            (label, schema.premise, template, frame, hyp_frame),
        )

    return _render(
        lang, split, draw_unique(TASK, split, n, make_rng(seed, TASK + "-balanced", split), propose)
    )


FOREIGN_LANGS = ["de", "es", "fi", "id", "sw"]


def foreign_entities(train: list[dict], share: float, langs: list[str]) -> list[dict]:
    """PAN-X trial: each entity of the English training set is, with probability ``share``, replaced by an entity
    of the same type from the generated NER training text of a Latin-script language (``langs``; default de, es,
    fi, id, sw; the ``nottargets`` trial leaves out the scored targets es and sw)."""
    import random

    from xlrobust.perturb.tasks import ner_spans
    from xlrobust.synthetic import generate_ner

    pools: dict[str, list[list[str]]] = {"PER": [], "LOC": [], "ORG": []}
    for lang in langs:
        for ex in generate_ner(lang, "train", 2000, SEED + 1):
            for a, b, t in ner_spans(ex["tags"]):
                pools[t].append(ex["tokens"][a:b])
    rng = random.Random(SEED)
    out = []
    for ex in train:
        tokens, tags = [], []
        last = 0
        for a, b, t in ner_spans(ex["tags"]):
            tokens += ex["tokens"][last:a]
            tags += ex["tags"][last:a]
            ent = rng.choice(pools[t]) if rng.random() < share else ex["tokens"][a:b]
            tokens += ent
            tags += [f"B-{t}"] + [f"I-{t}"] * (len(ent) - 1)
            last = b
        tokens += ex["tokens"][last:]
        tags += ex["tags"][last:]
        out.append({**ex, "tokens": tokens, "tags": tags})
    return out


# The premise frame whose change (xlrobust.synthetic.nli.change_frame) gives back hypothesis frame h: each change
# sets one role from its partner, so swapping the two roles in h undoes it.
_INVERSE_SWAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "same": (),
    "swap": (("p", "p2"),),
    "swap_prof": (("prof", "prof2"),),
    "p2_is_p3": (("p2", "p3"),),
    "p_is_p3": (("p", "p3"),),
    "obj2_other_hypernym": (("obj", "obj2"),),
    **{c: ((c[:-1], c),) for c in ("obj2", "day2", "n2", "veh2", "city2", "prof2", "k2")},
}


def _premise_for(change: str, h: dict) -> dict:
    if change == "p3_vs_p":  # sets p <- p3, p2 <- p: the premise has p = h.p2, p3 = h.p (and p2 = h.p3)
        return {**h, "p": h["p2"], "p2": h["p3"], "p3": h["p"]}
    p = dict(h)
    for a, b in _INVERSE_SWAPS[change]:
        p[a], p[b] = h[b], h[a]
    return p


def minimal_pairs_nli(lang: str, split: str, n: int, seed: int) -> list[dict]:
    """The offline XNLI sample with counterfactual siblings (Kaushik et al. 2020, "Learning the Difference that
    Makes a Difference with Counterfactually-Augmented Data"): each item as the sample draws it (balanced labels,
    a schema, one of the label's rules), followed by one item per other rule of the same hypothesis template, with
    the *same hypothesis text* and a premise changed so that the rule's label holds. Within a group only the
    premise tells the labels apart, so a hypothesis-only model cannot fit it. ``n`` items in all; premises keep
    the sample's train/dev/test split (a group whose premises fall in another split is redrawn)."""
    import random

    from xlrobust.examples import NLI_LABELS
    from xlrobust.synthetic._render import render, template_roles
    from xlrobust.synthetic._sampling import make_rng, sample_frame, split_of
    from xlrobust.synthetic.languages import get_spec
    from xlrobust.synthetic.nli import SCHEMAS, TASK, _applicable, change_frame

    en = get_spec("en")
    rng: random.Random = make_rng(seed, TASK + "-minimal-pairs", split)
    items: list[tuple[str, str, str, dict, dict]] = []
    seen: set = set()
    while len(items) < n:
        label = NLI_LABELS[len(items) % len(NLI_LABELS)]
        name = rng.choice(sorted(SCHEMAS))
        schema = SCHEMAS[name]
        options = _applicable(schema.rules[label], sample_frame(rng))
        (template, _change), hyp = rng.choice(options)
        roles = template_roles(en, template)
        # the roles the hypothesis does not show are redrawn, so that every role differs from its partner again
        # (a change copies a partner's value: after "k2", k == k2 and swapping them would undo nothing)
        for _ in range(100):
            fresh = {**sample_frame(rng), **{r: hyp[r] for r in roles}}
            if _distinct_partners(fresh):
                hyp = fresh
                break
        else:
            continue
        group = []
        for sib_label, rules in schema.rules.items():
            for t, change in rules:
                if t != template:
                    continue
                premise = _premise_for(change, hyp)
                back = change_frame(change, premise)
                ok = back is not None and all(back[r] == hyp[r] for r in roles)
                ok = ok and bool(_applicable(((t, change),), premise))
                if not ok or split_of((TASK, name, *(premise[r] for r in schema.roles))) != split:
                    group = []
                    break
                group.append((sib_label, schema.premise, template, premise, hyp))
            else:
                continue
            break
        key = (template, tuple(sorted(hyp.items())))
        premises = {render(en, p, f)[0] for _label, p, _t, f, _h in group}
        if group and len(premises) == len(group) and key not in seen:
            seen.add(key)
            items.extend(group)
    return _render(lang, split, items[:n])


def _distinct_partners(frame: dict) -> bool:
    return len({frame["p"], frame["p2"], frame["p3"]}) == 3 and all(
        frame[a] != frame[b] for swaps in _INVERSE_SWAPS.values() for a, b in swaps
    )


def _hypothesis_roles(template: str) -> frozenset[str]:
    """The frame roles hypothesis template ``template`` reads, in any language."""
    from xlrobust.synthetic._render import template_roles
    from xlrobust.synthetic.languages import SPECS

    return frozenset().union(*(template_roles(spec, template) for spec in SPECS.values()))


def _least(counts, labels) -> str:
    from xlrobust.examples import NLI_LABELS

    return min(labels, key=lambda label: (counts[label], NLI_LABELS.index(label)))


@cache
def contrast_frames(split: str, n: int, seed: int) -> tuple[tuple[str, str, str, dict, dict], ...]:
    """The offline XNLI sample redrawn as contrast pairs (Gardner et al. 2020, "Evaluating Models' Local Decision
    Boundaries via Contrast Sets"): (label, premise key, hypothesis key, premise frame, hypothesis frame) per item,
    like ``xlrobust.synthetic.nli.nli_frames``. One hypothesis, drawn as the sample draws it, comes twice, after
    two premises that give it two different labels (a template that takes one label only comes alone); labels
    stay balanced (each draw takes the least frequent label); a pair's premises fall in the same split."""
    from collections import Counter

    from xlrobust.examples import NLI_LABELS
    from xlrobust.synthetic._sampling import make_rng, sample_frame, split_of
    from xlrobust.synthetic.nli import SCHEMAS, TASK, _applicable, change_frame

    rng = make_rng(seed, TASK, split)
    counts: Counter = Counter()
    out: list[tuple[str, str, str, dict, dict]] = []
    seen: set[tuple] = set()
    while len(out) < n:
        label = _least(counts, NLI_LABELS)
        name = rng.choice(sorted(SCHEMAS))
        schema = SCHEMAS[name]
        options = _applicable(schema.rules[label], sample_frame(rng))
        (template, change), hyp = rng.choice(options)
        shown = {r: hyp[r] for r in _hypothesis_roles(template)}
        hyp = {**sample_frame(rng), **shown}  # roles the hypothesis does not show: redrawn, partners distinct
        if not _distinct_partners(hyp):
            continue
        group = [(label, change)]
        others = {
            lab: [c for t, c in rules if t == template] for lab, rules in schema.rules.items() if lab != label
        }
        others = {lab: cs for lab, cs in others.items() if cs}
        if others:
            other = _least(Counter({**counts, label: counts[label] + 1}), sorted(others))
            group.append((other, rng.choice(others[other])))
        items = []
        for lab, ch in group:
            premise = _premise_for(ch, hyp)
            back = change_frame(ch, premise)
            premise_key = (name, *(premise[r] for r in schema.roles))
            item_key = (*premise_key, template, tuple(sorted(shown.items())))
            if (
                back is None
                or any(back[r] != v for r, v in shown.items())
                or not _applicable(((template, ch),), premise)
                or split_of((TASK, *premise_key)) != split
                or item_key in seen
            ):
                break
            items.append((item_key, (lab, schema.premise, template, premise, hyp)))
        else:
            if len({k for k, _ in items}) == len(items):
                for item_key, item in items[: n - len(out)]:
                    seen.add(item_key)
                    counts[item[0]] += 1
                    out.append(item)
    return tuple(out)


def contrast_nli(lang: str, split: str, n: int, seed: int) -> list[dict]:
    """``contrast_frames`` rendered in ``lang``."""
    return _render(lang, split, contrast_frames(split, n, seed))


def _render(lang: str, split: str, items) -> list[dict]:
    """XNLI records from (label, premise key, hypothesis key, premise frame, hypothesis frame) items."""
    from xlrobust.synthetic._render import render
    from xlrobust.synthetic.languages import get_spec

    spec = get_spec(lang)
    return [
        {
            "id": f"xnli-{split}-{i:05d}",
            "premise": render(spec, p, f)[0],
            "hypothesis": render(spec, h, hf)[0],
            "label": label,
        }
        for i, (label, p, h, f, hf) in enumerate(items)
    ]
