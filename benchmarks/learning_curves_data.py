"""Training-data variants of the learning-curve trials: a per-template balanced XNLI sample (``nli_balanced``)
and PAN-X training text with a share of entities from other languages (``foreign_entities``)."""

from __future__ import annotations

from common import SEED


def balanced_nli(lang: str, split: str, n: int, seed: int) -> list[dict]:
    """The offline XNLI sample redrawn so that the hypothesis alone says nothing (section 17): a hypothesis
    template first (only templates that take two or more labels in their schema), then one of its labels with
    equal probability, then one of that label's frame changes; premises split train/dev/test as the sample's."""
    from xlrobust.synthetic._render import render
    from xlrobust.synthetic._sampling import draw_unique, make_rng, sample_frame
    from xlrobust.synthetic.languages import get_spec
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

    spec = get_spec(lang)
    items = draw_unique(TASK, split, n, make_rng(seed, TASK + "-balanced", split), propose)
    return [
        {
            "id": f"xnli-{split}-{i:05d}",
            "premise": render(spec, p, f)[0],
            "hypothesis": render(spec, h, hf)[0],
            "label": label,
        }
        for i, (label, p, h, f, hf) in enumerate(items)
    ]


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
