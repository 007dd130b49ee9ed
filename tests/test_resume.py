"""Nothing is lost when a run is interrupted.

* A fine-tuning stage killed with SIGKILL after a checkpoint resumes from it on the next ``dvc repro`` and ends
  with exactly the weights and loss of an uninterrupted run with the same seed (also when the kill came while
  the next checkpoint was being written, and when the checkpoint is in a later epoch, where the
  ``group_by_length`` batch order must not depend on the global RNG).
* A non-finite loss stops training with a one-line ModelError and keeps the last good checkpoint.
* Output files are atomic: an error (or a kill) while writing leaves the old file, never a partial one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import yaml
from pipeline_helpers import BIN, run
from safetensors.torch import load_file
from transformers import AutoTokenizer

from xlrobust.config import ModelConfig, TrainConfig
from xlrobust.errors import DataError, ModelError
from xlrobust.finetune import finetune, last_complete_checkpoint
from xlrobust.io import atomic_path, read_jsonl, replace_dir, write_json, write_jsonl, write_text
from xlrobust.modeling import build_model, tiny_config
from xlrobust.pretrain import save_model_dir
from xlrobust.synthetic import generate_corpus
from xlrobust.tasks import get_task
from xlrobust.tokenizer import SPIECE_NAME, train_tokenizer

STAGE = "finetune@xnli-en-13"
MODEL = Path("models/finetuned/xnli-en-seed13")
# The mini pipeline has 48 XNLI training pairs in batches of 8: 6 steps per epoch. 30 steps with a checkpoint
# every 4 put checkpoint-8 in the second epoch, where a resumed run must redraw the same batch order; the
# steps after it leave time to kill the run before it ends.
TRAIN = {"max_steps": 30, "checkpoint_every": 4}
KILL_AT_STEP = 8


def set_train_params(repo: Path, **values: object) -> None:
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["train"].update(values)
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def complete_checkpoints(repo: Path) -> list[Path]:
    return sorted(
        (c for c in repo.glob(".cache/checkpoints/*/checkpoint-*") if (c / "trainer_state.json").is_file()),
        key=lambda c: int(c.name.split("-")[1]),
    )


def kill_after_checkpoint(repo: Path, min_step: int, timeout: float = 300) -> None:
    """Start the fine-tuning stage and SIGKILL its whole process group once a complete checkpoint at
    ``min_step`` or later exists."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": "src",  # the repository's code, not whatever xlrobust is installed
        "HF_HUB_OFFLINE": "1",
        "XLROBUST_LOG": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, "stages/finetune.py", "--task", "xnli", "--source", "en", "--seed", "13"],
        cwd=repo,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            done = [c for c in complete_checkpoints(repo) if int(c.name.split("-")[1]) >= min_step]
            if done:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    raise AssertionError(
        f"no checkpoint at step >= {min_step} before the run ended (exit {proc.returncode}):\n"
        f"{proc.stderr.read().decode()[-3000:] if proc.stderr else ''}"
    )


def fake_half_written_checkpoint(ckpt: Path) -> Path:
    """The state a kill during the next save leaves: a checkpoint folder whose trainer_state.json (written last by
    the Trainer) is missing."""
    step = int(ckpt.name.split("-")[1]) + TRAIN["checkpoint_every"]
    half = ckpt.with_name(f"checkpoint-{step}")
    if not half.exists():
        shutil.copytree(ckpt, half)
    (half / "trainer_state.json").unlink(missing_ok=True)
    return half


def outcome(repo: Path) -> dict:
    """What a run produced: the weights' hash, the model's train_stats and the DVC metrics file (neither holds
    wall-clock time or whether the run resumed, so a resumed run's outputs hash like an uninterrupted one's)."""
    stats = json.loads((repo / MODEL / "train_stats.json").read_text())
    metrics = json.loads((repo / "metrics/train/xnli-en-seed13.json").read_text())
    return {
        "weights": hashlib.sha256((repo / MODEL / "model.safetensors").read_bytes()).hexdigest(),
        "stats": stats,
        "metrics": metrics,
    }


@pytest.mark.slow
def test_killed_finetune_resumes_to_the_uninterrupted_result(mini_repo_copy: Path) -> None:
    repo = mini_repo_copy
    set_train_params(repo, **TRAIN)
    kill_after_checkpoint(repo, KILL_AT_STEP)
    assert json.loads((repo / MODEL / "train_stats.json").read_text())["steps"] != TRAIN["max_steps"], (
        "the killed run must not have finished"
    )
    newest = complete_checkpoints(repo)[-1]
    half = fake_half_written_checkpoint(newest)

    resumed_run = run(["dvc", "repro", "-s", STAGE], repo, env={"XLROBUST_LOG": "INFO"})
    log = resumed_run.stderr + resumed_run.stdout
    assert f"removing incomplete checkpoint {half.relative_to(repo)}" in log
    assert f"resuming from checkpoint {newest.relative_to(repo)}" in log
    assert "(resumed from a checkpoint)" in log
    resumed = outcome(repo)
    assert resumed["stats"]["steps"] == TRAIN["max_steps"]
    assert not any((repo / ".cache/checkpoints").glob("*/checkpoint-*")), (
        "checkpoints are removed after success"
    )

    fresh_run = run(["dvc", "repro", "-f", "-s", STAGE], repo, env={"XLROBUST_LOG": "INFO"})
    assert "(from the start)" in fresh_run.stderr + fresh_run.stdout
    fresh = outcome(repo)
    assert resumed["weights"] == fresh["weights"]
    assert resumed["stats"] == fresh["stats"]
    assert resumed["metrics"] == fresh["metrics"]


# --- non-finite loss ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny untrained mT5 with its own small tokenizer, saved like the pretrain stage saves models/base."""
    root = tmp_path_factory.mktemp("tiny")
    tok_dir = train_tokenizer({"en": generate_corpus("en", 200, 1)}, root / "tok", vocab_size=400, seed=1)
    tokenizer = AutoTokenizer.from_pretrained(tok_dir)
    model = build_model(tiny_config(len(tokenizer), d_model=32, d_ff=64, num_heads=2, num_layers=1), seed=1)
    return save_model_dir(model, tokenizer, root / "base", spiece_from=tok_dir / SPIECE_NAME)


def test_nonfinite_loss_stops_with_model_error_and_keeps_last_checkpoint(
    tiny_base: Path, tmp_path: Path
) -> None:
    task = get_task("xnli")
    examples = task.generate("en", "train", 16, 1)
    cfg = TrainConfig(
        epochs=1, max_steps=6, batch_size=4, lr=1e30, warmup_ratio=0.0, checkpoint_every=1, device="cpu"
    )
    with pytest.raises(ModelError) as err:
        finetune(
            task,
            examples,
            base_model=str(tiny_base),
            out_dir=tmp_path / "out",
            checkpoint_root=tmp_path / "ckpt",
            model_cfg=ModelConfig(),
            cfg=cfg,
            seed=1,
        )
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(
        ("training loss became nan at step ", "training gradient norm became nan at step ")
    )
    assert "Lower 'train.lr' (now 1e+30)" in message
    step = int(message.split(" at step ")[1].split(";")[0])
    assert 2 <= step <= 6
    assert not (tmp_path / "out").exists(), "no model is written from a diverged run"
    [ckpt_dir] = (tmp_path / "ckpt").iterdir()
    assert str(ckpt_dir) in message
    last = last_complete_checkpoint(ckpt_dir)
    assert last is not None and last.name == f"checkpoint-{step - 1}"
    weights = load_file(str(last / "model.safetensors"))
    assert all(torch.isfinite(t).all() for t in weights.values()), "the kept checkpoint holds finite weights"


def test_missing_base_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"base model folder .*nope not found; run the pretrain stage first"):
        finetune(
            get_task("xnli"),
            [],
            base_model=str(tmp_path / "nope"),
            out_dir=tmp_path / "out",
            checkpoint_root=tmp_path / "ckpt",
            model_cfg=ModelConfig(),
            cfg=TrainConfig(),
            seed=1,
        )


def test_incomplete_checkpoints_are_skipped_and_removed(tmp_path: Path) -> None:
    for step, complete in ((4, True), (8, True), (12, False)):
        folder = tmp_path / f"checkpoint-{step}"
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"partial")
        if complete:
            (folder / "trainer_state.json").write_text("{}")
    (tmp_path / "checkpoint-x").mkdir()
    assert last_complete_checkpoint(tmp_path) == tmp_path / "checkpoint-8"
    assert not (tmp_path / "checkpoint-12").exists()
    assert last_complete_checkpoint(tmp_path / "absent") is None


# --- atomic outputs -------------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_error_inside_atomic_path_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_json(target, {"old": True})
    with pytest.raises(RuntimeError, match="killed"):
        with atomic_path(target) as tmp:
            tmp.write_text('{"new": tru')
            raise RuntimeError("killed while writing")
    assert json.loads(target.read_text()) == {"old": True}
    assert leftovers(tmp_path) == []


def test_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    """Not mkstemp's 0600: metrics and data must be readable by whoever may read the repository."""
    write_json(tmp_path / "m.json", {})
    probe = tmp_path / "probe"
    probe.touch()
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == probe.stat().st_mode & 0o777


def test_failing_row_generator_keeps_old_jsonl(tmp_path: Path) -> None:
    target = tmp_path / "rows.jsonl"
    write_jsonl(target, [{"i": 0}])

    def rows():
        yield {"i": 1}
        yield {"i": 2}
        raise RuntimeError("source broke mid-file")

    with pytest.raises(RuntimeError):
        write_jsonl(target, rows())
    assert read_jsonl(target) == [{"i": 0}]
    assert leftovers(tmp_path) == []


def test_unencodable_text_is_a_data_error_and_keeps_old_file(tmp_path: Path) -> None:
    """A lone surrogate (what an escaped \\ud800 in input JSON becomes) cannot be written as UTF-8."""
    target = tmp_path / "rows.jsonl"
    write_jsonl(target, [{"i": 0}])
    with pytest.raises(DataError, match=r"rows.jsonl: row 2: text holds U\+D800 \(an unpaired surrogate"):
        write_jsonl(target, [{"t": "ok"}, {"t": "bad \ud800 text"}])
    with pytest.raises(DataError, match=r"notes.txt: line 2: text holds U\+DFFF"):
        write_text(tmp_path / "notes.txt", "fine\nnot \udfff fine\n")
    assert read_jsonl(target) == [{"i": 0}]
    assert not (tmp_path / "notes.txt").exists()
    assert leftovers(tmp_path) == []


def test_nan_metric_is_refused_and_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "m.json"
    write_json(target, {"f1": 0.5})
    with pytest.raises(ValueError, match="not JSON compliant"):
        write_json(target, {"f1": float("nan")})
    assert json.loads(target.read_text()) == {"f1": 0.5}
    assert leftovers(tmp_path) == []


def test_replace_dir_swaps_whole_folders(tmp_path: Path) -> None:
    dst, new = tmp_path / "model", tmp_path / ".model.tmp"
    dst.mkdir()
    (dst / "a").write_text("old")
    (dst / "stale").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    replace_dir(new, dst)
    assert sorted(p.name for p in dst.iterdir()) == ["a"] and (dst / "a").read_text() == "new"
    assert leftovers(tmp_path) == []


SLOW_WRITER = """
import sys, time
from xlrobust.io import write_jsonl
def rows():
    for i in range(10**6):
        if i == 50:
            print("writing", flush=True)
            time.sleep(60)
        yield {"i": i, "text": "x" * 100}
write_jsonl(sys.argv[1], rows())
"""


def test_sigkill_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    """A real kill cannot run cleanup: the old file stays whole and only a hidden temporary file is left (DVC
    removes a stage's outputs, and with them such a file, before it runs the stage again)."""
    target = tmp_path / "out" / "rows.jsonl"
    write_jsonl(target, [{"i": -1}])
    src = Path(__file__).resolve().parents[1] / "src"  # this checkout's code, not whatever is installed
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert read_jsonl(target) == [{"i": -1}]
    assert all(name.startswith(".rows.jsonl.") for name in leftovers(target.parent))
