"""Batched inference for evaluation: rank classification and greedy generation.

Both sort inputs by length and pad each batch only to its own longest input (dynamic padding), run under
``torch.inference_mode``, and return results in the original order. Rank classification runs the encoder once
per batch and reuses its output for every candidate label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from tqdm.auto import tqdm


def _length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def _pad(seqs: list[list[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, s in enumerate(seqs):
        ids[row, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[row, : len(s)] = 1
    return ids.to(device), mask.to(device)


def token_fitter(tokenizer: Any, max_length: int):
    """A ``fits(text) -> bool`` for task windowing: does ``text`` tokenize to at most ``max_length`` ids?"""

    def fits(text: str) -> bool:
        return len(tokenizer(text, add_special_tokens=True)["input_ids"]) <= max_length

    return fits


def encode_inputs(tokenizer: Any, texts: Sequence[str], max_length: int) -> list[list[int]]:
    """Token ids of each input (with EOS), truncated to ``max_length``; none for no inputs (a perturbation family
    that changed no example of a target)."""
    if not texts:
        return []
    return tokenizer(list(texts), max_length=max_length, truncation=True)["input_ids"]


@torch.inference_mode()
def rank_classify(
    model: Any,
    tokenizer: Any,
    input_ids: Sequence[list[int]],
    choices: Sequence[str],
    *,
    batch_size: int,
    device: torch.device,
    desc: str = "rank",
) -> list[str]:
    """For each input, the choice whose target sequence has the highest total log-likelihood."""
    model.eval()
    choice_ids = tokenizer(text_target=list(choices))["input_ids"]
    labels, label_mask = _pad(choice_ids, -100, device)
    label_mask = labels != -100
    dec_in = model._shift_right(labels.masked_fill(~label_mask, tokenizer.pad_token_id))
    preds: list[str] = [""] * len(input_ids)
    batches = _length_sorted_batches([len(x) for x in input_ids], batch_size)
    for batch in tqdm(batches, desc=desc, leave=False, disable=len(batches) < 2):
        ids, mask = _pad([input_ids[i] for i in batch], tokenizer.pad_token_id, device)
        enc = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
        b, c = len(batch), len(choices)
        # every (example, choice) pair: repeat encoder states c times, tile the choices b times
        hidden = enc.repeat_interleave(c, dim=0)
        attn = mask.repeat_interleave(c, dim=0)
        out = model(encoder_outputs=(hidden,), attention_mask=attn, decoder_input_ids=dec_in.repeat(b, 1))
        logp = torch.log_softmax(out.logits.float(), dim=-1)
        tgt = labels.repeat(b, 1)
        tok = logp.gather(-1, tgt.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        scores = (tok * label_mask.repeat(b, 1)).sum(-1).view(b, c)
        for row, i in enumerate(batch):
            preds[i] = choices[int(scores[row].argmax())]
    return preds


@torch.inference_mode()
def generate(
    model: Any,
    tokenizer: Any,
    input_ids: Sequence[list[int]],
    *,
    batch_size: int,
    max_new_tokens: int,
    device: torch.device,
    desc: str = "generate",
) -> list[str]:
    """Greedy decoding of every input; returns the decoded strings in input order."""
    model.eval()
    preds: list[str] = [""] * len(input_ids)
    batches = _length_sorted_batches([len(x) for x in input_ids], batch_size)
    for batch in tqdm(batches, desc=desc, leave=False, disable=len(batches) < 2):
        ids, mask = _pad([input_ids[i] for i in batch], tokenizer.pad_token_id, device)
        out = model.generate(
            input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1
        )
        texts = tokenizer.batch_decode(out, skip_special_tokens=True)
        for i, text in zip(batch, texts, strict=True):
            preds[i] = text.strip()
    return preds
