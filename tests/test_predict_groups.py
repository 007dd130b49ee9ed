"""evaluate.predict_groups: the pooled prediction pass of an evaluation gives each example the prediction it gets
alone, keeps the groups' order and sizes, and takes empty groups (a family that changed nothing)."""

from __future__ import annotations

import torch
from transformers import AutoTokenizer

from xlrobust.config import EvalConfig, ModelConfig
from xlrobust.evaluate import predict, predict_groups
from xlrobust.modeling import build_model, tiny_config
from xlrobust.tasks import get_task
from xlrobust.tokenizer import train_tokenizer

TEXTS = {
    "en": ["the cat sleeps on the warm mat", "a dog runs in the green park", "we read two old books"] * 3
}


def _model(tmp_path):
    tok_dir = train_tokenizer(TEXTS, tmp_path / "tok", vocab_size=400, seed=0)
    tok = AutoTokenizer.from_pretrained(str(tok_dir))
    model = build_model(tiny_config(len(tok), d_model=32, d_ff=64, num_heads=2, num_layers=1), seed=0)
    return model.eval(), tok


def test_pooled_predictions_equal_one_by_one(tmp_path):
    model, tok = _model(tmp_path)
    kw = {
        "model_cfg": ModelConfig(max_input_length=64, max_target_length=8),
        "cfg": EvalConfig(batch_size=4, device="cpu", max_new_tokens=5),
        "device": torch.device("cpu"),
        "desc": "test",
    }
    for name in ("panx", "xnli"):
        task = get_task(name)
        examples = task.generate("en", "test", 7, 3)
        groups = [examples[:3], [], examples[3:4], examples[4:]]
        pooled = predict_groups(task, model, tok, groups, **kw)
        assert [len(p) for p, _ in pooled] == [3, 0, 1, 3]
        alone = [predict(task, model, tok, g, **kw) if g else ([], 0) for g in groups]
        assert pooled == alone
