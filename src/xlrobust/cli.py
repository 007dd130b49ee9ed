"""The shared wrapper of the stage scripts: logging, params loading and validation, timing, clean errors.

A stage script defines ``main(args, params)`` and calls :func:`run_stage`. Any :class:`XLRobustError` becomes
one line on stderr (``error: ...``) and exit status 2; nothing is computed before params are validated.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from xlrobust.config import Params, load_params
from xlrobust.errors import ConfigError, XLRobustError

log = logging.getLogger("xlrobust")


def read_params_file(path: str | Path) -> Params:
    """Parse and validate a params file; YAML syntax errors name the line."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: params file not found (run from the repository root)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where}: invalid YAML ({getattr(e, 'problem', e)})") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not valid UTF-8 (byte {e.start})") from None
    try:
        return load_params(raw)
    except ConfigError as e:  # "params: 'x' ..." becomes "params.yaml: 'x' ...": the file names the params
        raise ConfigError(f"{path}: {str(e).removeprefix('params: ')}") from None


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and torch so a stage is deterministic on a given machine."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def cpu_numerics() -> str:
    """What fixes the float kernels in this process: torch's CPU capability and the pinning variables
    (set in ``xlrobust/__init__.py`` before torch loads), and the intra-op thread count."""
    import torch

    from xlrobust import CPU_NUMERICS

    pins = " ".join(f"{k}={os.environ.get(k, '')}" for k in CPU_NUMERICS)
    return f"capability {torch.backends.cpu.get_cpu_capability()}, {pins}, threads {torch.get_num_threads()}"


def check_run(params: Params, source: str, seed: int) -> None:
    """A (source, seed) run named on the command line must be one params.yaml asks for (dvc.yaml's matrix
    passes them; a hand-typed one may not)."""
    if source not in params.sources:
        raise ConfigError(f"--source {source!r} is not in params 'sources' ({', '.join(params.sources)})")
    if seed not in params.seeds:
        raise ConfigError(f"--seed {seed} is not in params 'seeds' ({', '.join(map(str, params.seeds))})")


def run_stage(
    name: str,
    main: Callable[[argparse.Namespace, Params], Any],
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Parse arguments, load params, run ``main``, and turn user errors into one clean line."""
    parser = argparse.ArgumentParser(prog=f"stages/{name}.py", description=main.__doc__)
    parser.add_argument("--params", default="params.yaml", help="params file (default: params.yaml)")
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("XLROBUST_LOG", "INFO"),
        format="%(asctime)s %(name)s %(levelname)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("urllib3", "filelock", "fsspec", "matplotlib", "PIL", "httpx", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    start = time.time()
    try:
        params = read_params_file(args.params)
        seed_everything(params.seed)
        log.info("CPU numerics: %s", cpu_numerics())
        log.info("stage %s started (%s)", name, " ".join(f"{k}={v}" for k, v in vars(args).items()))
        main(args, params)
    except XLRobustError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print(
            f"error: stage {name} interrupted; outputs are unchanged or complete, run again to resume",
            file=sys.stderr,
        )
        sys.exit(130)
    log.info("stage %s finished in %.1f s", name, time.time() - start)
