"""Does this machine reproduce the committed default run's float numerics? An answer in about a minute.

The committed ``metrics/pretrain.json`` holds ``loss_first``: the mean training loss of the first pre-training
steps of the tiny base (10 of 1,000 with the default). This rebuilds those steps from ``params.yaml`` exactly as
the ``pretrain`` stage does (same generated corpus, tokenizer, initial weights, batches and learning-rate schedule;
:mod:`xlrobust.tiny_base`) and compares the two numbers bit for bit. Equal: this CPU computes the pipeline's
float kernels as the machine that made the committed run did, so ``dvc repro`` here should reproduce the
committed metrics. Different: it will not (the first loss is the first number that moves, issue #14 point 6).
The pinned numerics (``xlrobust/__init__.py``: torch capability, MKL and oneDNN capped at AVX2, two threads) are
what make this hold across x86-64 CPUs; the check prints what is in force. Exit status 0 when equal, 1 when not,
2 on bad input.

    python tools/check_numerics.py [--params params.yaml] [--committed metrics/pretrain.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import xlrobust  # noqa: F401  (first: pins the CPU numerics before torch loads)
from xlrobust.cli import cpu_numerics, read_params_file
from xlrobust.errors import XLRobustError


def first_loss(params_path: Path) -> tuple[float, int]:
    """``loss_first`` as the pretrain stage computes it, from the first k steps only; and k."""
    from xlrobust.pretrain import loss_window, pretrain
    from xlrobust.tiny_base import params_corpus, pretrain_kwargs, train_base_tokenizer

    params = read_params_file(params_path)
    if not params.model.is_tiny:
        raise XLRobustError(
            f"{params_path}: model.name is {params.model.name!r}; the check needs the tiny base"
        )
    kwargs = pretrain_kwargs(params)
    k = loss_window(kwargs["steps"])
    corpus = params_corpus(params)
    with tempfile.TemporaryDirectory(prefix="xlrobust-numerics-") as tmp:
        tok_dir = Path(tmp) / "tokenizer"
        train_base_tokenizer(params, corpus, tok_dir)
        stats = pretrain(corpus, tok_dir, Path(tmp) / "model", **kwargs, stop_after=k, progress=False)
    return stats["loss_first"], k


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=Path, default=Path("params.yaml"))
    parser.add_argument("--committed", type=Path, default=Path("metrics/pretrain.json"))
    args = parser.parse_args(argv)
    try:
        try:
            committed = json.loads(args.committed.read_text(encoding="utf-8"))["loss_first"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise XLRobustError(
                f"{args.committed}: no committed loss_first to compare with ({type(e).__name__}); run "
                "from the repository root of a run with the tiny base"
            ) from None
        got, k = first_loss(args.params)
    except XLRobustError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    same = got == committed
    print(f"numerics: {cpu_numerics()}")
    print(f"loss_first over the first {k} pre-training steps: here {got!r}, committed {committed!r}")
    print(
        "same: this machine reproduces the committed run's numerics"
        if same
        else f"DIFFERENT by {got - committed:+.3g}: this machine will not reproduce the committed metrics byte for "
        "byte (see README, 'What is reproducible')"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
