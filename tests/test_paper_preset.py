"""The paper preset (configs/paper.yaml) is a complete, valid params file with mT5-base-appropriate values."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from xlrobust.cli import read_params_file
from xlrobust.tasks import REGISTRY

REPO = Path(__file__).resolve().parents[1]
PRESET = REPO / "configs" / "paper.yaml"


def _keys(tree: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in tree.items():
        out.add(prefix + key)
        per_task = isinstance(value, dict) and set(value) <= set(REGISTRY)  # a per-task value, not a section
        if isinstance(value, dict) and key not in ("options", "revisions") and not per_task:
            out |= _keys(value, f"{prefix}{key}.")
    return out


def test_paper_preset_loads_and_validates():
    params = read_params_file(PRESET)  # load_params(complete=True): every key present, every value valid
    assert params.model.name == "google/mt5-base"
    assert params.data.source == "hub" and params.data.on_missing == "skip"
    assert params.seeds == [13, 14, 15] and params.correlate.n_boot == 2000
    assert params.train.precision == "bf16" and params.train.device != "cpu"
    assert params.data.sizes.train is None and params.data.sizes.test is None
    assert set(REGISTRY) <= set(params.data.revisions)
    # pins are full commit ids (load_params refuses abbreviated ones); the unverified ones stay named branches
    for key in ("xnli", "panx", "tydiqa", "indicxnli", "squad", "xquad", "mlqa"):
        assert re.fullmatch(r"[0-9a-f]{40}", params.data.revisions[key]), key
    # a Spanish QA model needs SQuAD-style training data; sources are compared at equal training sizes
    assert params.data.qa_train == "squad" and params.data.equal_train_size == "min"


def test_paper_preset_lengths_fit_the_real_answers():
    """mT5's 512-token input; a target and generation budget of 128 pieces for the real answers measured in
    ../shared/realdata-dev: PAN-X entity strings p99 ~110 characters, TyDiQA answers at most 353 (the one
    626-character PAN-X string in 1,000 en dev sentences may be cut)."""
    params = read_params_file(PRESET)
    assert params.model.max_input_length == 512
    assert (
        params.model.max_target_length >= 128 and params.eval.max_new_tokens >= params.model.max_target_length
    )
    assert 1e-4 <= params.train.lr <= 5e-4  # AdamW fine-tuning range (the stage's optimizer is AdamW)


def test_paper_preset_has_the_same_keys_as_params_yaml():
    shipped = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    preset = yaml.safe_load(PRESET.read_text(encoding="utf-8"))
    assert _keys(preset) == _keys(shipped)


def test_the_documented_command_uses_the_preset():
    doc = (REPO / "docs" / "paper-setting.md").read_text(encoding="utf-8")
    assert "cp configs/paper.yaml params.yaml && dvc exp run -n paper" in doc
