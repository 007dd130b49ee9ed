"""The learning-curve benchmark's report: RESULTS.md section 11 (tables) and ``learning_curves.png``."""

from __future__ import annotations

import json
from typing import Any

from common import REPO
from learning_curves_trials import OLD_BASE, TARGETS

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
            zs = [[p["scores"][k]["score"] for k in TARGETS[1:]] for p in t["curve"]]
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
