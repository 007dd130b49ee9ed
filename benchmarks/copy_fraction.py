"""Benchmark 7b: in-language score of the tiny model against the pre-training copy share (issue 14).

Reads the learning-curve trials of bases ``s5`` (copy_fraction 0.5), ``s5_copy80``, ``s5_copy90`` and ``s5_copy95``
(``benchmarks/learning_curves.py``: same offline sample, tokenizer, 1,000 pre-training steps; 8,000 English
fine-tuning examples at batch 16; 128 generated test examples per target) from
``benchmarks/results/learning_curves.json`` and plots, per task, the English score after 8,000 examples and the
mean zero-shot score over es, sw and hi against the copy share. Writes ``benchmarks/copy_fraction.png``.

Usage: python benchmarks/copy_fraction.py
"""

from __future__ import annotations

import json

from common import REPO, RESULTS

BASES = {"s5": 0.5, "s5_copy80": 0.8, "s5_copy90": 0.9, "s5_copy95": 0.95}
TASKS = {"xnli": "accuracy (chance 1/3)", "panx": "span F1", "tydiqa": "F1"}


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    trials = json.loads((RESULTS / "learning_curves.json").read_text())["trials"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, (task, metric) in zip(axes, TASKS.items(), strict=True):
        xs, en, zs = [], [], []
        for base, share in BASES.items():
            last = trials[f"{base}-{task}-8k-bs16"]["curve"][-1]["scores"]
            xs.append(share)
            en.append(last["en"]["score"])
            zs.append(sum(last[t]["score"] for t in ("es", "sw", "hi")) / 3)
        ax.plot(xs, en, "o-", label="in-language (en)")
        ax.plot(xs, zs, "s--", label="zero-shot (mean of es, sw, hi)")
        target = {"xnli": 0.65, "panx": 0.60, "tydiqa": 0.60}[task]
        ax.axhline(target, color="red", lw=0.8, ls=":", label=f"issue #14 target {target}")
        ax.set(title=task, xlabel="pretrain.copy_fraction", ylabel=metric, ylim=(0, 1))
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle(
        "Tiny model after 8,000 fine-tuning examples, by share of copy examples in pre-training", fontsize=10
    )
    fig.tight_layout()
    fig.savefig(REPO / "benchmarks" / "copy_fraction.png", dpi=110)


if __name__ == "__main__":
    main()
