"""Run every CPU benchmark in turn (each in its own process) and list the result files.

By default the pipeline benchmark runs at ``--scale mini`` (about 2 minutes); ``--full`` runs the default
params.yaml pipeline instead (10+ minutes on 2 cores). ``--models-root DIR`` points the model benchmarks at a
repository whose default run finished (``models/base``, ``models/finetuned/<task>-en-seed<seed>``); without it they use
this repository's models or build small ones. The GPU benchmark runs only when CUDA is visible.

Usage: python benchmarks/run_all.py [--models-root DIR] [--full]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-root", type=Path, default=None)
    parser.add_argument("--full", action="store_true", help="time the default pipeline, not the mini one")
    args = parser.parse_args()
    root = ["--models-root", str(args.models_root)] if args.models_root else []
    runs = [
        ["eval_nli.py", *root],
        ["gen_ner_qa.py", *root],
        ["train_tiny.py", *root],
        ["pipeline_time.py", "--scale", "default" if args.full else "mini"],
    ]
    import torch

    if torch.cuda.is_available():
        runs.append(["gpu_mt5_base.py"])
    else:
        print("no CUDA GPU: skipping gpu_mt5_base.py", flush=True)
    failed = []
    for script, *rest in runs:
        t0 = time.perf_counter()
        print(f"== {script} {' '.join(rest)}", flush=True)
        proc = subprocess.run([sys.executable, str(HERE / script), *rest], check=False)
        print(f"== {script}: exit {proc.returncode} in {time.perf_counter() - t0:.0f} s", flush=True)
        if proc.returncode:
            failed.append(script)
    for path in sorted((HERE / "results").glob("*.json")):
        print(path.relative_to(HERE.parent))
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
