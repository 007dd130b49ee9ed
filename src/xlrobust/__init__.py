"""xlrobust: fine-tuning language vs. zero-shot transfer and robustness of mT5."""

import os

# Idle OpenMP threads otherwise spin and fight other processes for the cores: measured 17x slower fine-tuning
# on a loaded 2-core machine (benchmarks/RESULTS.md). Must be set before torch is imported; users can override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# Pinned CPU numerics: the same float kernels on every x86-64 CPU with AVX2, so a run reproduces byte for byte
# on another machine (a CPU with AVX-512 would otherwise pick other kernels and other rounding). torch's own
# kernels (ATen dispatch), MKL's BLAS (conditional numerical reproducibility) and oneDNN are all capped at AVX2.
# Read when torch loads, so they are set here, before any stage imports torch; `cli.run_stage` logs what is in
# force. The thread count splits reductions too, so it is fixed (2, the size of the machines the default is
# measured on) unless a stage sets its own (params train.threads, eval.threads). GPUs are not covered
# (cuBLAS/cuDNN pick their own kernels). Measured on the 2-core machine: pre-training (inputs up to 128 tokens)
# takes 262 s with 2 threads and 316 s with 1; fine-tuning's short batches are faster with 1 (train.threads).
CPU_NUMERICS = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_CBWR": "AVX2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "OMP_NUM_THREADS": "2",
}
for _var, _value in CPU_NUMERICS.items():
    os.environ.setdefault(_var, _value)

__version__ = "0.1.0"
