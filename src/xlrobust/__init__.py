"""xlrobust: fine-tuning language vs. zero-shot transfer and robustness of mT5."""

import os

# Idle OpenMP threads otherwise spin and fight other processes for the cores: measured 17x slower fine-tuning
# on a loaded 2-core machine (benchmarks/RESULTS.md). Must be set before torch is imported; users can override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
