"""Shared helpers for the benchmarks: machine facts, repeated timing, result files and a fine-tuned model.

Every benchmark writes ``benchmarks/results/<name>.json`` (machine, date, command, numbers) so RESULTS.md can
be checked against what was actually measured. Models: a fine-tuned model from the repository's default run
(``models/finetuned/<task>-en-seed<seed>``) is used when it exists; otherwise a small one is built here (tokenizer, short
span-corruption pre-training, fine-tuning on the offline sample) and cached in a temp folder, so the benchmarks
also run on a fresh checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CACHE = Path(tempfile.gettempdir()) / "xlrobust-bench"
SEED = 13


def machine_info() -> dict[str, Any]:
    """nproc, CPU model, RAM, load average and library versions: the context every number needs."""
    import torch
    import transformers

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": ram_gb,
        "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "torch_threads": torch.get_num_threads(),
        "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def timed(fn: Callable[[], Any], repeats: int, warmup: int = 1) -> tuple[list[float], Any]:
    """Wall times of ``repeats`` calls of ``fn`` after ``warmup`` untimed calls; also the last result."""
    out = None
    for _ in range(warmup):
        out = fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def summary(times: list[float], n_items: int) -> dict[str, Any]:
    """Median seconds and median items/s over repeats (medians resist the other helpers' load spikes)."""
    med = statistics.median(times)
    return {
        "median_s": round(med, 4),
        "items_per_s": round(n_items / med, 2),
        "runs_s": [round(t, 4) for t in times],
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` atomically, with the command and the machine."""
    from xlrobust.io import write_json

    payload = {
        "benchmark": name,
        "command": " ".join(shlex.quote(a) for a in [sys.executable, *sys.argv]),
        "machine": machine_info(),
        **result,
    }
    path = RESULTS / f"{name}.json"
    write_json(path, payload)
    print(json.dumps(payload, indent=1))
    return path


def set_threads(n: int) -> None:
    """Pin torch's intra-op threads (the benchmarks default to 1: see RESULTS.md on oversubscription)."""
    import torch

    torch.set_num_threads(n)


def default_model_config():
    """The tiny model of params.yaml's ``model`` section (the benchmarks measure the default setting)."""
    import yaml

    from xlrobust.config import ModelConfig

    model = yaml.safe_load((REPO / "params.yaml").read_text())["model"]
    return ModelConfig(**model)


def _build_base(model_cfg, steps: int, sentences: int) -> Path:
    """Tokenizer + short span-corruption pre-training on generated text of all languages (cached)."""
    from xlrobust.languages import LANGUAGES
    from xlrobust.pretrain import pretrain
    from xlrobust.synthetic import generate_corpus
    from xlrobust.tokenizer import train_tokenizer

    key = hashlib.sha256(json.dumps([asdict(model_cfg), steps, sentences]).encode()).hexdigest()[:12]
    root = CACHE / f"base-{key}"
    if (root / "model" / "config.json").is_file():
        return root / "model"
    langs = sorted(LANGUAGES)
    corpus = {lang: generate_corpus(lang, sentences, SEED + 104729 * (i + 1)) for i, lang in enumerate(langs)}
    train_tokenizer(corpus, root / "tokenizer", vocab_size=model_cfg.vocab_size, seed=SEED)
    pretrain(
        corpus,
        root / "tokenizer",
        root / "model",
        {
            "d_model": model_cfg.d_model,
            "d_ff": model_cfg.d_ff,
            "num_heads": model_cfg.num_heads,
            "num_layers": model_cfg.num_layers,
        },
        steps=steps,
        batch_size=32,
        lr=3e-3,
        seed=SEED,
        max_len=model_cfg.max_input_length,
        warmup_steps=min(50, steps // 5),
        progress=False,
    )
    return root / "model"


def finetuned_model(task: str, models_root: Path | None = None, epochs: float = 4.0) -> tuple[Path, str]:
    """A fine-tuned model for ``task`` and where it came from.

    ``<models_root>/models/finetuned/<task>-en-seed<seed>`` (default: this repository; the lowest seed) when
    present; otherwise one built
    here: pre-train the default-sized tiny model briefly, fine-tune on 600 generated English examples.
    """
    from xlrobust.config import TrainConfig
    from xlrobust.finetune import finetune
    from xlrobust.tasks import get_task

    root = models_root or REPO
    for existing in sorted((root / "models" / "finetuned").glob(f"{task}-en-seed*")):
        if (existing / "config.json").is_file():
            return existing, f"existing {existing}"
    model_cfg = default_model_config()
    base = _build_base(model_cfg, steps=300, sentences=1000)
    out = base.parent / f"finetuned-{task}-en-e{epochs:g}"
    if not (out / "config.json").is_file():
        t = get_task(task)
        train = t.generate("en", "train", 600, SEED)
        finetune(
            t,
            train,
            base_model=str(base),
            out_dir=out,
            checkpoint_root=base.parent / "ckpt",
            model_cfg=model_cfg,
            cfg=TrainConfig(epochs=epochs, threads=1, checkpoint_every=10_000),
            seed=SEED,
        )
    return out, f"built here: {out} (300 pre-training steps, {epochs:g} epochs on 600 generated en examples)"


def test_examples(task: str, langs: list[str], n: int) -> list[tuple[str, dict[str, Any]]]:
    """The offline sample's test split, ``n`` per language, tagged with the language."""
    from xlrobust.tasks import get_task

    t = get_task(task)
    return [(lang, ex) for lang in langs for ex in t.generate(lang, "test", n, SEED)]
