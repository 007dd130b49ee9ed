"""Fine-tuning one model per (task, source language) with the Hugging Face Trainer.

The Trainer gives us what a GPU-days run needs without code of our own: periodic checkpoints with optimizer,
scheduler and RNG state (so a killed run resumes and ends where an uninterrupted one would), bf16, and DDP when
the stage runs under ``accelerate launch``. Checkpoints live outside the DVC output (DVC deletes outputs before
re-running a stage), in a folder keyed by a hash of everything that determines the run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from transformers import DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments
from transformers.trainer_pt_utils import LengthGroupedSampler

from xlrobust.config import ModelConfig, TrainConfig
from xlrobust.errors import ModelError
from xlrobust.inference import token_fitter
from xlrobust.io import replace_dir, write_json
from xlrobust.modeling import load_model_and_tokenizer
from xlrobust.paths import require_model_dir
from xlrobust.tasks import Task

log = logging.getLogger(__name__)


def encode_pairs(
    task: Task, examples: Sequence[dict[str, Any]], tokenizer: Any, model_cfg: ModelConfig, *, training: bool
) -> tuple[list[dict[str, list[int]]], dict[str, int]]:
    """Tokenize the task's text pairs once; return features and counts (pairs, truncated, dropped examples)."""
    fits = token_fitter(tokenizer, model_cfg.max_input_length)
    sources, targets, truncated, dropped = [], [], 0, 0
    for ex in examples:
        pairs = task.pairs(ex, fit=fits, training=training)
        if not pairs:
            dropped += 1
        for pair in pairs:
            sources.append(pair.source)
            targets.append(pair.target)
            truncated += pair.truncated
    enc = tokenizer(sources, max_length=model_cfg.max_input_length, truncation=True)
    lab = tokenizer(text_target=targets, max_length=model_cfg.max_target_length, truncation=True)
    features = [
        {"input_ids": i, "attention_mask": a, "labels": t}
        for i, a, t in zip(enc["input_ids"], enc["attention_mask"], lab["input_ids"], strict=True)
    ]
    return features, {"pairs": len(features), "truncated": truncated, "dropped": dropped}


class _ListDataset(torch.utils.data.Dataset):
    def __init__(self, rows: list[dict[str, list[int]]]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, list[int]]:
        return self.rows[i]


class _EpochSeededLengthGroupedSampler(LengthGroupedSampler):
    """``group_by_length`` batches whose order is drawn from ``(seed, epoch)`` instead of the global torch RNG.

    The stock sampler permutes with the global RNG when an epoch starts; a run resumed in a later epoch draws
    that permutation from a different RNG state than the uninterrupted run did, so it trains on other batches.
    The Trainer (and accelerate, also after skipping the batches done before the checkpoint) calls ``set_epoch``.
    """

    def __init__(self, batch_size: int, dataset: torch.utils.data.Dataset, seed: int):
        super().__init__(batch_size, dataset=dataset, model_input_name="input_ids")
        self.seed, self.epoch = seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self):
        digest = hashlib.sha256(f"{self.seed}:{self.epoch}".encode()).digest()
        self.generator = torch.Generator().manual_seed(int.from_bytes(digest[:8], "little"))
        return super().__iter__()


class _LogAtEnd(TrainerCallback):
    """Log the loss at the last step too, so that ``log_history`` covers every step (see :func:`mean_loss`)."""

    def on_step_end(self, args, state, control, **kwargs):  # type: ignore[override]
        if state.global_step >= state.max_steps:
            control.should_log = True
        return control


class _FiniteLossTrainer(Trainer):
    """Stops at the first non-finite loss or gradient, before the optimizer can write broken weights into a
    checkpoint; batches come from :class:`_EpochSeededLengthGroupedSampler`."""

    def _get_train_sampler(self, train_dataset=None):  # type: ignore[override]
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        return _EpochSeededLengthGroupedSampler(
            self.args.train_batch_size * self.args.gradient_accumulation_steps, dataset, self.args.data_seed
        )

    def _diverged(self, what: str, value: float) -> ModelError:
        fp32 = "" if not (self.args.fp16 or self.args.bf16) else " or use 'train.precision: fp32'"
        return ModelError(
            f"training {what} became {value} at step {self.state.global_step + 1}; stopped. The last good "
            f"checkpoint is kept in {self.args.output_dir}. Lower 'train.lr' (now {self.args.learning_rate:g})"
            f"{fp32}."
        )

    def training_step(self, model, inputs, num_items_in_batch=None):  # type: ignore[override]
        loss = super().training_step(model, inputs, num_items_in_batch)
        if not torch.isfinite(loss).all():
            raise self._diverged("loss", loss.item())
        return loss

    def _get_grad_norm(self, model, grad_norm=None):  # type: ignore[override]
        """A finite loss can still overflow in the backward pass; the optimizer would then turn every weight
        into NaN. (With fp16 the grad scaler skips such steps itself.)"""
        norm = super()._get_grad_norm(model, grad_norm=grad_norm)
        if not self.args.fp16 and not math.isfinite(float(norm)):
            raise self._diverged("gradient norm", float(norm))
        return norm


def logging_interval(checkpoint_every: int, steps_per_epoch: int) -> int:
    """The largest divisor of ``checkpoint_every`` that is at most one epoch: every checkpoint is then also a
    logging step, so the loss history saved with it is complete and a resumed run reports the same loss."""
    limit = max(1, min(checkpoint_every, steps_per_epoch))
    return max(d for d in range(1, limit + 1) if checkpoint_every % d == 0)


def mean_loss(log_history: Sequence[dict[str, Any]]) -> float | None:
    """Mean training loss over all steps, from the logged per-interval means (the Trainer's own
    ``training_loss`` only averages the steps of the last ``train()`` call, i.e. after a resume)."""
    total, last_step = 0.0, 0
    for entry in log_history:
        if "loss" in entry:
            total += entry["loss"] * (entry["step"] - last_step)
            last_step = entry["step"]
    return total / last_step if last_step else None


def last_complete_checkpoint(ckpt_dir: Path) -> Path | None:
    """The newest checkpoint that was completely written, removing any the killed run left half-written.

    The Trainer writes ``trainer_state.json`` last, so a folder without it was interrupted while saving (the
    Trainer's own ``resume_from_checkpoint=True`` would pick it and fail to load it)."""
    found: list[tuple[int, Path]] = []
    for folder in ckpt_dir.glob("checkpoint-*") if ckpt_dir.is_dir() else []:
        step = folder.name.removeprefix("checkpoint-")
        if not (folder.is_dir() and step.isdigit()):
            continue
        if (folder / "trainer_state.json").is_file():
            found.append((int(step), folder))
        else:
            log.warning("removing incomplete checkpoint %s (the run was killed while saving it)", folder)
            shutil.rmtree(folder, ignore_errors=True)
    return max(found)[1] if found else None


def run_fingerprint(parts: dict[str, Any]) -> str:
    """A short stable hash of everything that determines a training run (names its checkpoint folder)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def dir_fingerprint(path: Path) -> str:
    """Hash of the files of a model folder (so a changed base model gets fresh checkpoints)."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f.relative_to(path).as_posix().encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def finetune(
    task: Task,
    train_examples: Sequence[dict[str, Any]],
    *,
    base_model: str,
    out_dir: Path,
    checkpoint_root: Path,
    model_cfg: ModelConfig,
    cfg: TrainConfig,
    seed: int,
) -> dict[str, Any]:
    """Fine-tune ``base_model`` on the task's training pairs, resuming from a matching checkpoint if one
    exists; write model and tokenizer atomically to ``out_dir`` and return training statistics."""
    start = time.time()
    require_model_dir(Path(base_model), "base")
    model, tokenizer = load_model_and_tokenizer(base_model)
    features, counts = encode_pairs(task, train_examples, tokenizer, model_cfg, training=True)
    if not features:
        raise ModelError(
            f"no {task.name} training pairs left after formatting {len(train_examples)} examples"
        )
    base_id = dir_fingerprint(Path(base_model))
    data_hash = hashlib.sha256()
    for f in features:
        data_hash.update(json.dumps([f["input_ids"], f["labels"]]).encode())
    fingerprint = run_fingerprint(
        {
            "task": task.name,
            "base": base_id,
            "train": asdict(cfg),
            "seed": seed,
            "model": asdict(model_cfg),
            "data": data_hash.hexdigest(),
        }
    )
    ckpt_dir = checkpoint_root / fingerprint
    checkpoint = last_complete_checkpoint(ckpt_dir)
    resume = checkpoint is not None
    if checkpoint is not None:
        log.info("resuming from checkpoint %s", checkpoint)

    use_cpu = cfg.device == "cpu" or (cfg.device == "auto" and not torch.cuda.is_available())
    if cfg.device == "cuda" and not torch.cuda.is_available():
        raise ModelError("params: 'train.device' is cuda but no CUDA GPU is visible; use auto or cpu")
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    steps_per_epoch = math.ceil(len(features) / cfg.batch_size)
    args = TrainingArguments(
        output_dir=str(ckpt_dir),
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=cfg.lr,
        weight_decay=cfg.weight_decay,
        num_train_epochs=cfg.epochs,
        max_steps=cfg.max_steps or -1,
        warmup_steps=cfg.warmup_ratio,
        lr_scheduler_type="linear",
        optim="adamw_torch",
        save_strategy="steps",
        save_steps=cfg.checkpoint_every,
        save_total_limit=2,
        logging_steps=logging_interval(cfg.checkpoint_every, steps_per_epoch),
        logging_nan_inf_filter=False,
        seed=seed,
        data_seed=seed,
        train_sampling_strategy="group_by_length",
        bf16=cfg.precision == "bf16",
        fp16=cfg.precision == "fp16",
        use_cpu=use_cpu,
        report_to="none",
        dataloader_num_workers=0,
        disable_tqdm=False,
    )
    collator = DataCollatorForSeq2Seq(tokenizer, model=model, padding="longest", label_pad_token_id=-100)
    trainer = _FiniteLossTrainer(
        model=model,
        args=args,
        train_dataset=_ListDataset(features),
        data_collator=collator,
        callbacks=[_LogAtEnd()],
    )
    log.info(
        "fine-tuning %s: %d pairs (%d truncated, %d examples dropped), %d steps/epoch",
        task.name,
        counts["pairs"],
        counts["truncated"],
        counts["dropped"],
        steps_per_epoch,
    )
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint is not None else None)

    if trainer.is_world_process_zero():
        tmp = out_dir.with_name(f".{out_dir.name}.tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        trainer.save_model(str(tmp))
        tokenizer.save_pretrained(str(tmp))
        _copy_spiece(Path(base_model), tmp)
        losses = [e["loss"] for e in trainer.state.log_history if "loss" in e]
        stats = {
            "task": task.name,
            "steps": trainer.state.global_step,
            "train_loss": mean_loss(trainer.state.log_history),
            "final_loss": float(losses[-1]) if losses else None,
            "examples": len(train_examples),
            **counts,
            "fingerprint": fingerprint,
        }
        # Only what the inputs determine goes into the DVC output: a resumed or re-forced run with identical
        # weights must hash the same, or every downstream stage reruns for nothing. Time and resumption are logged.
        write_json(tmp / "train_stats.json", stats)
        log.info(
            "fine-tuned %s in %.1f s (%s)",
            task.name,
            time.time() - start,
            "resumed from a checkpoint" if resume else "from the start",
        )
        replace_dir(tmp, out_dir)
        shutil.rmtree(ckpt_dir, ignore_errors=True)
        return {**stats, "seconds": round(time.time() - start, 1), "resumed": resume}
    return {}


def _copy_spiece(src: Path, dst: Path) -> None:
    """Keep the sentencepiece model beside the fast tokenizer (the slow T5 tokenizer needs it)."""
    spiece = src / "spiece.model"
    if spiece.is_file() and not (dst / "spiece.model").exists():
        shutil.copy2(spiece, dst / "spiece.model")
