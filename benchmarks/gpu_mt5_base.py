"""Benchmark 5 (GPU): bf16 training throughput and MFU of an mt5-base-sized model (paper setting).

A randomly initialised ``MT5Config`` with google/mt5-base's shape (d_model 768, d_ff 2048, 12+12 layers, 12
heads, d_kv 64, vocab 250112, gated-GELU, untied output layer) is trained on random token ids with bf16 autocast
and fused AdamW; the hub is never touched. Tokens/s counts input + target tokens. MFU is reported two ways:

- ``mfu_6nd``: 6 * params * tokens/s / peak FLOP/s (the usual rule of thumb; for an encoder-decoder it
  overstates the work, because each token passes through only one stack and embeddings cost no matmul);
- ``mfu_enc_dec``: 6 * (encoder non-embedding params * input tokens/s + (decoder non-embedding params +
  output-layer params) * target tokens/s) / peak, the 6ND rule applied stack by stack (attention score FLOPs
  are left out in both).

Peak FLOP/s: dense bf16 tensor-core peak looked up from the GPU name (H100 SXM/H200 989 TFLOP/s, H100 PCIe
756, A100 312, L4 121, A10G 70); ``--peak-tflops`` overrides. ``--config tiny`` swaps in a tiny shape so the
code path can be checked without a GPU (``--device cpu``).

Usage: python benchmarks/gpu_mt5_base.py [--batch-size 32] [--input-len 256] [--target-len 64] [--steps 30]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import torch
from common import write_result
from transformers import MT5Config, MT5ForConditionalGeneration

PEAK_BF16_TFLOPS = {
    "H200": 989.0,
    "H100 PCIe": 756.0,
    "H100": 989.0,
    "A100": 312.0,
    "L4": 121.0,
    "A10G": 70.0,
}


def mt5_base_config(tiny: bool) -> MT5Config:
    """google/mt5-base's shape (from its config.json), or a tiny stand-in for a CPU smoke run."""
    dims = (
        dict(d_model=64, d_ff=128, num_layers=2, num_decoder_layers=2, num_heads=4, d_kv=16, vocab_size=1000)
        if tiny
        else dict(
            d_model=768,
            d_ff=2048,
            num_layers=12,
            num_decoder_layers=12,
            num_heads=12,
            d_kv=64,
            vocab_size=250112,
        )
    )
    return MT5Config(
        **dims,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        dropout_rate=0.1,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )


def peak_tflops(device: torch.device, override: float | None) -> float | None:
    if override:
        return override
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    return next((v for k, v in PEAK_BF16_TFLOPS.items() if k in name), None)


def param_groups(model: MT5ForConditionalGeneration) -> dict[str, int]:
    """Parameter counts: total, encoder/decoder without embeddings, output layer."""

    def count(module: torch.nn.Module) -> int:
        return sum(p.numel() for p in module.parameters())

    emb = count(model.shared)
    return {
        "total": sum(p.numel() for p in model.parameters()),
        "encoder_non_embedding": count(model.encoder) - emb,
        "decoder_non_embedding": count(model.decoder) - emb,
        "lm_head": count(model.lm_head),
        "tied_output": model.lm_head.weight is model.shared.weight,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--input-len", type=int, default=256)
    parser.add_argument("--target-len", type=int, default=64)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--config", choices=["base", "tiny"], default="base")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model first")
    parser.add_argument("--peak-tflops", type=float, default=None)
    args = parser.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU visible: this benchmark needs one (or use --config tiny --device cpu)")
    torch.manual_seed(0)
    cfg = mt5_base_config(args.config == "tiny")
    model = MT5ForConditionalGeneration(cfg).to(device)
    if model.lm_head.weight is model.shared.weight:  # transformers 5 may tie fresh models; mt5-base is untied
        model.lm_head.weight = torch.nn.Parameter(model.shared.weight.detach().clone())
    groups = param_groups(model)
    model.train()
    step_model: Any = torch.compile(model) if args.compile else model
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=device.type == "cuda")
    gen = torch.Generator(device="cpu").manual_seed(0)

    def batch() -> dict[str, torch.Tensor]:
        ids = torch.randint(2, cfg.vocab_size, (args.batch_size, args.input_len), generator=gen)
        labels = torch.randint(2, cfg.vocab_size, (args.batch_size, args.target_len), generator=gen)
        return {
            "input_ids": ids.to(device),
            "attention_mask": torch.ones_like(ids).to(device),
            "labels": labels.to(device),
        }

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    times = []
    for step in range(args.warmup + args.steps):
        b = batch()
        sync()
        t0 = time.perf_counter()
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):
            loss = step_model(**b).loss
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        sync()
        if step >= args.warmup:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    in_tok, out_tok = args.batch_size * args.input_len / med, args.batch_size * args.target_len / med
    peak = peak_tflops(device, args.peak_tflops)
    flops_6nd = 6 * groups["total"] * (in_tok + out_tok)
    flops_stack = 6 * (
        groups["encoder_non_embedding"] * in_tok
        + (groups["decoder_non_embedding"] + groups["lm_head"]) * out_tok
    )
    write_result(
        f"gpu_mt5_{args.config}",
        {
            "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
            "config": args.config,
            "params": groups,
            "batch_size": args.batch_size,
            "input_len": args.input_len,
            "target_len": args.target_len,
            "steps": args.steps,
            "compile": args.compile,
            "median_step_s": round(med, 4),
            "tokens_per_s": round(in_tok + out_tok, 1),
            "examples_per_s": round(args.batch_size / med, 2),
            "peak_tflops_bf16": peak,
            "mfu_6nd": round(flops_6nd / (peak * 1e12), 4) if peak else None,
            "mfu_enc_dec": round(flops_stack / (peak * 1e12), 4) if peak else None,
            "max_memory_gb": round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
            if device.type == "cuda"
            else None,
            "final_loss": round(float(loss), 4),
        },
    )


if __name__ == "__main__":
    main()
