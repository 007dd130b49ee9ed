"""Benchmark 7: learning curves of the tiny mT5 on the offline sample (issue 14): what makes it learn.

A trial = a base model (tokenizer + pre-training, cached by its settings) and one fine-tuning run on generated
English training examples, evaluated at several points of the run, in-language (en) and zero-shot on other
targets (generated test sets, parallel across languages). Everything calls the library directly (no DVC):
``xlrobust.tokenizer.train_tokenizer``, ``xlrobust.pretrain.pretrain``, ``xlrobust.finetune.encode_pairs`` and
``xlrobust.evaluate.predict`` + ``Task.score``, so the numbers are the pipeline's. Fine-tuning is a plain AdamW
loop with the Trainer's schedule (linear warm-up over ``warmup_ratio``, then linear decay to 0 at the last step)
and length-grouped batches, so the score can be read off at intermediate steps of one run: a mid-run point is
pessimistic for that budget (its learning rate has not decayed yet), the last point is the budget's own score.
One torch thread per process (benchmark 3).

Usage:
  python benchmarks/learning_curves.py trial NAME [NAME ...]   # run trials; results/learning_curves.json
  python benchmarks/learning_curves.py list                    # the trial names
  python benchmarks/learning_curves.py report                  # RESULTS.md section 11 + learning_curves.png
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import CACHE, REPO, RESULTS, SEED, machine_info

RESULT_FILE = RESULTS / "learning_curves.json"
LANGS = ["ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw"]
TARGETS = ["en", "es", "sw", "hi"]
N_TEST = 128

# Base models. "old" is the committed default (params.yaml before issue 14); the others change one lever each
# or combine them.
OLD_BASE = {
    "vocab_size": 8000,
    "d_model": 128,
    "d_ff": 512,
    "num_heads": 4,
    "num_layers": 2,
    "symbols": False,
    "copy_fraction": 0.0,
    "steps": 500,
    "batch_size": 32,
    "lr": 3e-3,
    "warmup_steps": 50,
    "corpus_sentences": 3000,
    "max_len": 128,
}
BASES: dict[str, dict[str, Any]] = {
    "old": OLD_BASE,
    "sym": {**OLD_BASE, "symbols": True},
    "sym_copy": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5},
    "sym_copy_1k": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "steps": 1000},
    "sym_copy_w192": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "d_model": 192, "d_ff": 768},
    # Session 5: the default's base rebuilt on the current offline sample (shared organisations), and the same
    # with a larger share of copy examples in pre-training.
    "s5": {**OLD_BASE, "symbols": True, "copy_fraction": 0.5, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy80": {**OLD_BASE, "symbols": True, "copy_fraction": 0.8, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy90": {**OLD_BASE, "symbols": True, "copy_fraction": 0.9, "steps": 1000, "sample": "shared_orgs"},
    "s5_copy90_700": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 700,
        "sample": "shared_orgs",
    },
    "s5_copy90_b64": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 500,
        "batch_size": 64,
        "sample": "shared_orgs",
    },
    "s5_copy90_b64_650": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 650,
        "batch_size": 64,
        "sample": "shared_orgs",
    },
    # Session 6: cross-lingual pre-training examples from parallel lines (zero-shot transfer)
    "s6_tlm10k": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 1000,
        "sample": "shared_orgs",
        "parallel": 10000,
        "parallel_mode": "tlm",
    },
    "s6_tr10k": {
        **OLD_BASE,
        "symbols": True,
        "copy_fraction": 0.9,
        "steps": 1000,
        "sample": "shared_orgs",
        "parallel": 10000,
        "parallel_mode": "translate",
    },
    # the committed default's base after the international people (the offline sample changed, so a new cache key)
    "s6_intl": {**OLD_BASE, "symbols": True, "copy_fraction": 0.9, "steps": 1000, "sample": "intl_people"},
    "s5_copy95": {**OLD_BASE, "symbols": True, "copy_fraction": 0.95, "steps": 1000, "sample": "shared_orgs"},
}
# Session 8: the committed base (s6_intl) made wider or deeper: is XNLI's in-language plateau at 0.60 capacity?
BASES["s8_w192"] = {**BASES["s6_intl"], "d_model": 192, "d_ff": 768}
BASES["s8_l4"] = {**BASES["s6_intl"], "num_layers": 4}
# Fine-tuning runs: base, task, number of fresh training examples (one epoch unless epochs says more), batch, lr,
# and the points (examples seen) at which to evaluate.
FT_DEFAULT = {"batch_size": 32, "lr": 1e-3, "warmup_ratio": 0.05, "epochs": 1}


def _trial(base: str, task: str, n: int, evals: list[int], **kw: Any) -> dict[str, Any]:
    return {"base": base, "task": task, "n_train": n, "evals": evals, **FT_DEFAULT, **kw}


TRIALS: dict[str, dict[str, Any]] = {}
for _b in BASES:
    for _t in ("xnli", "panx", "tydiqa"):
        TRIALS[f"{_b}-{_t}-8k"] = _trial(_b, _t, 8000, [2000, 4000, 8000])
        TRIALS[f"{_b}-{_t}-16k"] = _trial(_b, _t, 16000, [2000, 4000, 8000, 16000])
        TRIALS[f"{_b}-{_t}-600x5"] = _trial(_b, _t, 600, [3000], epochs=5, batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-lr3e-3"] = _trial(_b, _t, 8000, [2000, 4000, 8000], lr=3e-3)
        TRIALS[f"{_b}-{_t}-8k-bs16"] = _trial(_b, _t, 8000, [2000, 4000, 8000], batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-bs16-dpt20"] = _trial(_b, _t, 8000, [10**9], batch_size=16, dpt=0.2)
        TRIALS[f"{_b}-{_t}-8k-bs16-foreign50"] = _trial(
            _b, _t, 8000, [2000, 4000, 8000], batch_size=16, foreign_entities=0.5
        )
        TRIALS[f"{_b}-{_t}-8k-bs16-foreign50-nottargets"] = _trial(
            _b, _t, 8000, [4000, 8000], batch_size=16, foreign_entities=0.5, foreign_langs=["de", "fi", "id"]
        )
        TRIALS[f"{_b}-{_t}-16k-bs16-balanced"] = _trial(
            _b, _t, 16000, [4000, 8000, 16000], batch_size=16, nli_balanced=True
        )
        TRIALS[f"{_b}-{_t}-8k-bs16-dpt50"] = _trial(_b, _t, 8000, [10**9], batch_size=16, dpt=0.5)
        TRIALS[f"{_b}-{_t}-8k-bs16-lr2e-3"] = _trial(_b, _t, 8000, [2000, 4000, 8000], batch_size=16, lr=2e-3)
        TRIALS[f"{_b}-{_t}-16k-bs16"] = _trial(_b, _t, 16000, [4000, 8000, 12000, 16000], batch_size=16)
        TRIALS[f"{_b}-{_t}-8k-lr3e-3-nodrop"] = _trial(_b, _t, 8000, [2000, 4000, 8000], lr=3e-3, dropout=0.0)
        TRIALS[f"{_b}-{_t}-16k-lr3e-3-nodrop"] = _trial(
            _b, _t, 16000, [4000, 8000, 16000], lr=3e-3, dropout=0.0
        )


# ------------------------------------------------------------------------------------------------ base models


def base_key(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]


def build_base(name: str) -> tuple[Path, dict[str, Any]]:
    """Tokenizer + pre-training for base ``name`` as the pretrain stage builds them (cached by settings)."""
    from xlrobust.pretrain import pretrain
    from xlrobust.synthetic import generate_corpus
    from xlrobust.tasks import REGISTRY
    from xlrobust.tiny_base import pretrain_corpus
    from xlrobust.tokenizer import train_tokenizer

    spec = BASES[name]
    root = CACHE / f"lc-base-{base_key(spec)}"
    stats_file = root / "stats.json"
    if stats_file.is_file():
        return root / "model", json.loads(stats_file.read_text())
    t0, c0 = time.perf_counter(), time.process_time()
    corpus = pretrain_corpus(LANGS, spec["corpus_sentences"], SEED)  # as the pretrain stage builds it
    symbols = [k for t in REGISTRY.values() for k in t.keywords] if spec["symbols"] else []
    train_tokenizer(
        corpus, root / "tokenizer", vocab_size=spec["vocab_size"], seed=SEED, user_defined_symbols=symbols
    )
    t1, c1 = time.perf_counter(), time.process_time()
    stats = pretrain(
        corpus,
        root / "tokenizer",
        root / "model",
        {k: spec[k] for k in ("d_model", "d_ff", "num_heads", "num_layers")},
        steps=spec["steps"],
        batch_size=spec["batch_size"],
        lr=spec["lr"],
        seed=SEED,
        max_len=spec["max_len"],
        warmup_steps=spec["warmup_steps"],
        copy_fraction=spec["copy_fraction"],
        parallel={lang: generate_corpus(lang, spec["parallel"], SEED + 1) for lang in LANGS}
        if spec.get("parallel")
        else None,
        parallel_mode=spec.get("parallel_mode", "tlm"),
        progress=False,
    )
    out = {
        "corpus_tokenizer_s": round(t1 - t0, 1),
        "corpus_tokenizer_cpu_s": round(c1 - c0, 1),
        "pretrain_s": stats["seconds"],
        "pretrain_cpu_s": round(time.process_time() - c1, 1),
        "loss_first": stats["loss_first"],
        "loss_last": stats["loss_last"],
        "n_params": stats["n_params"],
        "vocab": stats["vocab_size"],
        "loadavg": os.getloadavg()[0],
    }
    stats_file.write_text(json.dumps(out))
    return root / "model", out


# ------------------------------------------------------------------------------------------------- fine-tuning


def evaluate(task, model, tok, model_cfg, test: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """Primary score per target, plus the largest single-label share (XNLI) or malformed rate (PAN-X)."""
    from xlrobust.config import EvalConfig
    from xlrobust.evaluate import predict

    cfg = EvalConfig(batch_size=64, device="cpu", max_new_tokens=48)
    out = {}
    for lang, examples in test.items():
        preds, _ = predict(
            task, model, tok, examples, model_cfg=model_cfg, cfg=cfg, device=model.device, desc=lang
        )
        scored = task.score(examples, preds, lang=lang, options={"qa_normalization": "squad"})
        row = {
            "score": round(scored.metrics[task.primary_metric], 4),
            "examples": [[task.pairs(ex)[0].target, p] for ex, p in zip(examples[:3], preds, strict=False)],
        }
        if task.name == "xnli":
            row["top_label_share"] = round(Counter(preds).most_common(1)[0][1] / len(preds), 3)
        if task.name == "panx":
            row["malformed"] = round(scored.metrics["malformed_rate"], 3)
        out[lang] = row
    model.train()
    return out


# Latin script, as foreign names in English text would be written
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


def _foreign_entities(train: list[dict], share: float, langs: list[str]) -> list[dict]:
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


def run_trial(name: str) -> dict[str, Any]:
    import numpy as np
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, get_linear_schedule_with_warmup

    from xlrobust.config import ModelConfig
    from xlrobust.finetune import encode_pairs
    from xlrobust.pretrain import bucketed_batches
    from xlrobust.tasks import get_task

    torch.set_num_threads(1)
    spec = TRIALS[name]
    base_dir, base_stats = build_base(spec["base"])
    task = get_task(spec["task"])
    model_cfg = ModelConfig(max_input_length=BASES[spec["base"]]["max_len"], max_target_length=48)
    tok = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(base_dir)
    if spec.get("dropout") is not None:  # fresh examples every step: nothing to regularise against
        for module in model.modules():
            if isinstance(module, torch.nn.Dropout):
                module.p = spec["dropout"]
    generate = balanced_nli if spec.get("nli_balanced") else task.generate
    train = generate("en", "train", spec["n_train"], SEED)
    if spec.get("foreign_entities"):  # a share of English entities replaced by other languages' native ones
        train = _foreign_entities(train, spec["foreign_entities"], spec.get("foreign_langs", FOREIGN_LANGS))
    test = {lang: generate(lang, "test", N_TEST, SEED) for lang in TARGETS}
    feats, counts = encode_pairs(task, train, tok, model_cfg, training=True)
    # mT5's remedy for accidental translation: unlabelled multilingual denoising mixed in, with the whole sentence
    # as target (the copy examples that make up 90% of pre-training)
    if spec.get("dpt"):
        from xlrobust.span_corruption import encode_texts, sentinel_ids, span_corrupt
        from xlrobust.tiny_base import pretrain_corpus

        n_mix = int(round(len(feats) * spec["dpt"] / (1 - spec["dpt"])))
        per_lang = -(-n_mix // len(LANGS))
        drng = np.random.default_rng([SEED, 99])
        sent = sentinel_ids(tok)
        mix = []
        for corpus in pretrain_corpus(LANGS, per_lang, SEED).values():
            for ids in encode_texts(tok, corpus, 128):
                inp, _ = span_corrupt(ids, sent, tok.eos_token_id, drng)
                mix.append(
                    {"input_ids": inp, "attention_mask": [1] * len(inp), "labels": [*ids, tok.eos_token_id]}
                )
        feats = feats + mix[:n_mix]
    mean_tokens = float(np.mean([len(f["input_ids"]) + len(f["labels"]) for f in feats]))
    bs = spec["batch_size"]
    total_steps = -(-len(feats) * spec["epochs"] // bs)
    opt = torch.optim.AdamW(model.parameters(), lr=spec["lr"], weight_decay=0.0)
    sched = get_linear_schedule_with_warmup(opt, int(round(spec["warmup_ratio"] * total_steps)), total_steps)
    rng = np.random.default_rng(SEED)
    batches = bucketed_batches([len(f["input_ids"]) for f in feats], bs, rng)
    eval_steps = {min(total_steps, -(-e // bs)): e for e in spec["evals"]}
    torch.manual_seed(SEED)
    model.train()
    curve, train_s, train_cpu, losses = [], 0.0, 0.0, []
    for step in range(1, total_steps + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        rows = [feats[i] for i in next(batches)]
        n_in, n_out = max(len(r["input_ids"]) for r in rows), max(len(r["labels"]) for r in rows)
        ids = torch.tensor([r["input_ids"] + [0] * (n_in - len(r["input_ids"])) for r in rows])
        mask = torch.tensor([[1] * len(r["input_ids"]) + [0] * (n_in - len(r["input_ids"])) for r in rows])
        labels = torch.tensor([r["labels"] + [-100] * (n_out - len(r["labels"])) for r in rows])
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        train_s += time.perf_counter() - t0
        train_cpu += time.process_time() - c0
        if step in eval_steps:
            t1 = time.perf_counter()
            scores = evaluate(task, model, tok, model_cfg, test)
            point = {
                "step": step,
                "examples_seen": step * bs,
                "train_s": round(train_s, 1),
                "train_cpu_s": round(train_cpu, 1),
                "eval_s": round(time.perf_counter() - t1, 1),
                "loss": round(float(np.mean(losses[-50:])), 4),
                "scores": scores,
                "loadavg": round(os.getloadavg()[0], 2),
            }
            curve.append(point)
            print(name, json.dumps(point), flush=True)
    return {
        "trial": name,
        **spec,
        "base_spec": BASES[spec["base"]],
        "base_stats": base_stats,
        "pairs": counts["pairs"],
        "mean_tokens_per_pair": round(mean_tokens, 1),
        "total_steps": total_steps,
        "examples_per_s": round(total_steps * bs / train_s, 1),
        "examples_per_cpu_s": round(total_steps * bs / train_cpu, 1),
        "curve": curve,
    }


def save(result: dict[str, Any]) -> None:
    from xlrobust.io import write_json

    data = json.loads(RESULT_FILE.read_text()) if RESULT_FILE.is_file() else {"trials": {}}
    data["machine"] = machine_info()
    data["trials"][result["trial"]] = result
    write_json(RESULT_FILE, data)


# ------------------------------------------------------------------------------------------------------ report

SECTION = "## 11. Learning curves of the tiny model (`benchmarks/learning_curves.py`)"
PNG = REPO / "benchmarks" / "learning_curves.png"
BEGIN, END = "<!-- learning_curves.py report: begin -->", "<!-- learning_curves.py report: end -->"


def plot(trials: dict[str, dict[str, Any]]) -> None:
    """One column per task, primary score vs training examples seen: top row in-language (en), with the issue's
    target (red) and chance (grey); bottom row zero-shot (mean over es, sw, hi, band = their range). Each trial
    keeps its colour in both rows; its legend sits under its column, outside the data."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tasks = ["xnli", "panx", "tydiqa"]
    fig, axes = plt.subplots(2, 3, figsize=(16, 9.5), sharex="col")
    for col, task in enumerate(tasks):
        top, bottom = axes[0, col], axes[1, col]
        for i, (name, t) in enumerate(sorted((n, t) for n, t in trials.items() if t["task"] == task)):
            xs = [p["examples_seen"] for p in t["curve"]]
            en = [p["scores"]["en"]["score"] for p in t["curve"]]
            zs = [[v["score"] for k, v in p["scores"].items() if k != "en"] for p in t["curve"]]
            style = {"color": f"C{i % 10}", "marker": "osD^v"[(i // 10) % 5]}
            label = name.removesuffix(f"-{task}").replace(f"-{task}-", " ")
            top.plot(xs, en, "-", label=label, **style)
            bottom.plot(xs, [sum(z) / len(z) for z in zs], "--", **style)
            bottom.fill_between(
                xs, [min(z) for z in zs], [max(z) for z in zs], color=style["color"], alpha=0.08
            )
        metric = {"xnli": "accuracy", "panx": "span F1", "tydiqa": "F1"}[task]
        for ax in (top, bottom):
            ax.axhline({"xnli": 1 / 3}.get(task, 0.0), color="grey", lw=0.8, ls=":")
            ax.set_xscale("log")
            ax.set_ylabel(metric)
            ax.grid(alpha=0.3)
        top.axhline({"xnli": 0.65}.get(task, 0.60), color="red", lw=1.0, ls=":")
        top.set_title(f"{task}: in-language (en), target in red")
        bottom.set_title(f"{task}: zero-shot ({', '.join(TARGETS[1:])}): mean, band = range")
        bottom.set_xlabel("training examples seen")
        handles, labels = top.get_legend_handles_labels()
        bottom.legend(handles, labels, fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.16))
    fig.tight_layout()
    fig.savefig(PNG, dpi=100, bbox_inches="tight")


def table(trials: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| trial | base | examples seen | steps | train s wall (loaded) / CPU | loss | en | zero-shot "
        f"({', '.join(TARGETS[1:])}) | max label share / malformed (en) |",
        "|" + "---|" * 9,
    ]
    for name, t in sorted(trials.items(), key=lambda kv: (kv[1]["task"], kv[0])):
        for p in t["curve"]:
            zs = [f"{p['scores'][k]['score']:.3f}" for k in TARGETS[1:]]
            extra = p["scores"]["en"].get("top_label_share", p["scores"]["en"].get("malformed", ""))
            lines.append(
                f"| {name} | {t['base']} | {p['examples_seen']} | {p['step']} | {p['train_s']} / {p.get('train_cpu_s', '-')} | "
                f"{p['loss']} | {p['scores']['en']['score']:.3f} | {' / '.join(zs)} | {extra} |"
            )
    return lines


def write_report(data: dict[str, Any]) -> None:
    """Replace (or append) section 11 of RESULTS.md with the measured curves and write the plot."""
    trials = data["trials"]
    plot(trials)
    m = data["machine"]
    bases = sorted({t["base"] for t in trials.values()})
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu']}, torch {m['torch']}; 1-minute load average "
        f"{m['loadavg_1_5_15'][0]} at the end (other helpers' jobs shared the cores; wall times are inflated "
        "accordingly, compare levers by score at equal examples). Raw numbers: "
        "`benchmarks/results/learning_curves.json`; plot: `benchmarks/learning_curves.png`.",
        "",
        "Base models (tokenizer + pre-training, one per lever set):",
        "",
        "| base | settings | pre-train s wall (loaded) | CPU s | loss first -> last |",
        "|---|---|---|---|---|",
    ]
    for b in bases:
        t = next(t for t in trials.values() if t["base"] == b)
        diff = {k: v for k, v in t["base_spec"].items() if OLD_BASE.get(k) != v}
        st = t["base_stats"]
        lines.append(
            f"| {b} | {json.dumps(diff) if diff else 'committed default'} | {st['pretrain_s']} | "
            f"{st.get('pretrain_cpu_s', '-')} | "
            f"{st['loss_first']:.2f} -> {st['loss_last']:.2f} |"
        )
    lines += [
        "",
        "Fine-tuning on generated English examples; scores on 128 generated test examples per target:",
        "",
        *table(trials),
        "",
        "![learning curves](learning_curves.png)",
        "",
    ]
    path = REPO / "benchmarks" / "RESULTS.md"
    text = path.read_text()
    body = "\n".join([BEGIN, *lines, END])
    if BEGIN in text and END in text:  # keep the hand-written reading around the generated part
        head, rest = text.split(BEGIN, 1)
        text = head + body + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION + "\n\n" + body + "\n"
    from xlrobust.io import write_text

    write_text(path, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["trial", "list", "report"])
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    if args.command == "list":
        print("\n".join(TRIALS))
    elif args.command == "trial":
        for name in args.names:
            if name not in TRIALS:
                sys.exit(f"unknown trial {name!r}; see `list`")
            save(run_trial(name))
    else:
        write_report(json.loads(RESULT_FILE.read_text()))


if __name__ == "__main__":
    main()
