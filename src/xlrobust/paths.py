"""Where each stage reads and writes, in one place (dvc.yaml declares the same paths)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlrobust.errors import ModelError


@dataclass(frozen=True)
class Paths:
    root: Path = Path(".")

    @property
    def prepared_root(self) -> Path:
        return self.root / "data" / "prepared"

    def prepared_dir(self, lang: str) -> Path:
        return self.prepared_root / lang

    def prepared(self, lang: str, task: str, split: str) -> Path:
        return self.prepared_dir(lang) / task / f"{split}.jsonl"

    def prepared_task_dir(self, lang: str, task: str) -> Path:
        return self.prepared_dir(lang) / task

    def skipped_marker(self, lang: str, task: str) -> Path:
        """Written instead of data when ``data.on_missing: skip`` skipped (task, language); holds the reason."""
        return self.prepared_task_dir(lang, task) / "SKIPPED"

    def corpus(self, lang: str) -> Path:
        return self.prepared_dir(lang) / "corpus.txt"

    @property
    def coverage_dir(self) -> Path:
        return self.root / "metrics" / "coverage"

    def coverage(self, lang: str) -> Path:
        return self.coverage_dir / f"{lang}.json"

    @property
    def pretrain_corpus_dir(self) -> Path:
        return self.root / "data" / "pretrain_corpus"

    @property
    def base_model(self) -> Path:
        return self.root / "models" / "base"

    @property
    def pretrain_metrics(self) -> Path:
        return self.root / "metrics" / "pretrain.json"

    @property
    def lmem_dir(self) -> Path:
        return self.root / "metrics" / "lmem"

    def lmem(self, lang: str) -> Path:
        return self.lmem_dir / f"{lang}.json"

    def adversarial(self, lang: str, task: str, family: str) -> Path:
        return self.root / "data" / "adversarial" / lang / task / f"{family}.jsonl"

    def adversarial_dir(self, lang: str, task: str) -> Path:
        return self.root / "data" / "adversarial" / lang / task

    def multichecklist(self, lang: str) -> Path:
        return self.root / "data" / "adversarial" / lang / "multichecklist.jsonl"

    def perturbation_stats(self, lang: str) -> Path:
        return self.root / "metrics" / "perturbation" / f"{lang}.json"

    def perturbation_audit(self, lang: str) -> Path:
        return self.root / "metrics" / "perturbation" / "audit" / f"{lang}.md"

    def finetuned(self, task: str, source: str, seed: int) -> Path:
        return self.root / "models" / "finetuned" / run_name(task, source, seed)

    @property
    def checkpoints(self) -> Path:
        return self.root / ".cache" / "checkpoints"

    def train_metrics(self, task: str, source: str, seed: int) -> Path:
        return self.root / "metrics" / "train" / f"{run_name(task, source, seed)}.json"

    @property
    def eval_dir(self) -> Path:
        return self.root / "metrics" / "eval"

    def eval_metrics(self, task: str, source: str, seed: int) -> Path:
        return self.eval_dir / f"{run_name(task, source, seed)}.json"

    @property
    def predictions_root(self) -> Path:
        return self.root / "data" / "predictions"

    def predictions_dir(self, task: str, source: str, seed: int) -> Path:
        return run_predictions_dir(self.predictions_root, task, source, seed)

    @property
    def analysis_dir(self) -> Path:
        """Where the correlate stage writes ``summary.json`` and its CSV tables."""
        return self.root / "metrics"

    def analysis_table(self, name: str) -> Path:
        return self.analysis_dir / f"{name}.csv"

    @property
    def summary(self) -> Path:
        return self.analysis_dir / "summary.json"

    @property
    def plots_dir(self) -> Path:
        return self.root / "metrics" / "plots"

    @property
    def report_md(self) -> Path:
        return self.root / "metrics" / "report.md"

    @property
    def report_html(self) -> Path:
        return self.root / "metrics" / "report.html"

    @property
    def uriel_cache(self) -> Path:
        return self.root / ".cache" / "uriel_distances.json"


_PRODUCER = {"base": "pretrain", "fine-tuned": "finetune"}


def require_model_dir(folder: Path, kind: str) -> None:
    """The one-line error for a missing ``kind`` ('base' or 'fine-tuned') model folder, naming the stage that
    writes it. Light on purpose: stage scripts call it before they import torch and transformers (~10 s), so a
    stage run out of order fails in a few seconds (``tests/test_stage_errors.py``)."""
    if not Path(folder).is_dir():
        stage = _PRODUCER[kind]
        why = ", which saves every base model, tiny or hub, there" if kind == "base" else ""
        raise ModelError(
            f"{kind} model folder {folder} not found; run the {stage} stage first (`dvc repro {stage}`){why}"
        )


def run_predictions_dir(predictions_root: Path, task: str, source: str, seed: int) -> Path:
    """One run's per-example rows under ``predictions_root``: ``<task>/<source>/seed<seed>/<target>/<cond>.jsonl``."""
    return predictions_root / task / source / f"seed{seed}"


def run_name(task: str, source: str, seed: int) -> str:
    """One fine-tuning run's name in file names: ``xnli-en-seed13`` (dvc.yaml spells the same)."""
    return f"{task}-{source}-seed{seed}"
