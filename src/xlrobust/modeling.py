"""Build the tiny mT5, load any mT5 (hub id or local directory) and choose device/threads.

Loading is the one place where the offline default and the paper setting meet: a local directory (the tiny model
the pipeline pretrains, or a downloaded ``google/mt5-base``) always works; a hub id needs the network once. Without
it transformers retries for most of a minute and then prints a traceback, so a hub id is checked first: from the
local Hugging Face cache, then with one short request to the hub, and turned into a one-line :class:`ModelError`
that says how to use a local copy instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    MT5Config,
    MT5ForConditionalGeneration,
    PreTrainedModel,
)

from xlrobust.errors import ConfigError, ModelError
from xlrobust.tokenizer import EOS_ID, PAD_ID

HUB_TIMEOUT_S = 5.0


def tiny_config(
    vocab_size: int,
    d_model: int = 128,
    d_ff: int = 512,
    num_heads: int = 4,
    num_layers: int = 2,
    num_decoder_layers: int | None = None,
    dropout_rate: float = 0.1,
) -> MT5Config:
    """An mT5 architecture scaled down (gated-GELU FFN, relative attention, no bias, RMS layer norm).

    Unlike google/mt5-base the output layer shares the input embedding: transformers 5 forces
    ``tie_word_embeddings=True`` for every freshly built MT5 (a checkpoint with separate weights still loads
    untied), which also keeps the tiny model small.
    """
    for name, value in (
        ("vocab_size", vocab_size),
        ("d_model", d_model),
        ("d_ff", d_ff),
        ("num_heads", num_heads),
        ("num_layers", num_layers),
    ):
        if not isinstance(value, int) or value < 1:
            raise ConfigError(f"model {name} must be a positive integer, got {value!r}")
    if d_model % num_heads:
        raise ConfigError(f"model d_model ({d_model}) must be divisible by num_heads ({num_heads})")
    if not 0.0 <= dropout_rate < 1.0:
        raise ConfigError(f"model dropout_rate must be in [0, 1), got {dropout_rate!r}")
    return MT5Config(
        vocab_size=vocab_size,
        d_model=d_model,
        d_kv=d_model // num_heads,
        d_ff=d_ff,
        num_layers=num_layers,
        num_decoder_layers=num_decoder_layers if num_decoder_layers is not None else num_layers,
        num_heads=num_heads,
        dropout_rate=dropout_rate,
        feed_forward_proj="gated-gelu",
        pad_token_id=PAD_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=PAD_ID,
    )


def build_model(config: MT5Config, seed: int) -> MT5ForConditionalGeneration:
    """A freshly initialised mT5 for ``config``, reproducible from ``seed``.

    transformers 5 ties the output layer of a fresh MT5 to its N(0, 1) input embedding without T5's
    ``d_model**-0.5`` output rescaling, so initial logits are ~sqrt(d_model) too large (initial loss ~35 instead
    of ln(vocab) ~ 7, and a tiny model wastes much of its short training recovering). The shared embedding is
    therefore drawn with std ``d_model**-0.5``, which restores unit-scale logits.
    """
    torch.manual_seed(seed)
    model = MT5ForConditionalGeneration(config)
    with torch.no_grad():
        model.shared.weight.normal_(mean=0.0, std=config.d_model**-0.5)
    return model


def _hub_offline() -> bool:
    """True when the user asked Hugging Face libraries not to use the network (checked at call time)."""
    from huggingface_hub import constants

    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("TRANSFORMERS_OFFLINE", ""))
    return constants.HF_HUB_OFFLINE or any(f.strip().upper() in {"1", "ON", "YES", "TRUE"} for f in flags)


def _looks_like_path(name: str) -> bool:
    """A hub id is ``name`` or ``owner/name``; anything else with path syntax is meant as a local path."""
    return name.startswith(("/", ".", "~")) or "\\" in name or name.count("/") > 1


def _first_line(e: BaseException, limit: int) -> str:
    """A library exception squeezed into the one-line message format of our errors."""
    lines = str(e).strip().splitlines()
    return (lines[0] if lines else type(e).__name__)[:limit]


def _local_copy_hint(name: str) -> str:
    return (
        f"download it once where there is network with `hf download {name} --local-dir "
        f"models/{name.split('/')[-1]}` (`huggingface-cli download` on older huggingface_hub), then set "
        "model.name to that directory"
    )


def _check_hub(name: str) -> None:
    """Fail fast, with instructions, when hub id ``name`` can be neither found in the cache nor reached."""
    from huggingface_hub import HfApi, constants
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    if _hub_offline():
        raise ModelError(
            f"model {name!r} is neither a local directory nor in the Hugging Face cache, and the hub is "
            f"disabled (HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE is set): {_local_copy_hint(name)}"
        )
    try:
        HfApi().model_info(name, timeout=HUB_TIMEOUT_S)
    except (RepositoryNotFoundError, GatedRepoError) as e:
        raise ModelError(
            f"model {name!r}: no such (accessible) repository on {constants.ENDPOINT} and no local directory "
            f"of that name ({type(e).__name__}); check model.name"
        ) from None
    except Exception as e:  # any network failure means the same to the user
        raise ModelError(
            f"model {name!r} is neither a local directory nor in the Hugging Face cache, and "
            f"{constants.ENDPOINT} could not be reached ({type(e).__name__}: {_first_line(e, 120)}): "
            f"{_local_copy_hint(name)}"
        ) from None


def _load(name_or_path: str, local_files_only: bool) -> tuple[PreTrainedModel, object]:
    tokenizer = AutoTokenizer.from_pretrained(name_or_path, local_files_only=local_files_only)
    model = AutoModelForSeq2SeqLM.from_pretrained(name_or_path, local_files_only=local_files_only)
    return model, tokenizer


def load_model_and_tokenizer(name_or_path: str | Path) -> tuple[PreTrainedModel, object]:
    """Load a seq2seq (mT5) model and its tokenizer from a local directory or a hub id, on the CPU."""
    name = str(name_or_path)
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelError(
                f"model directory {path} has no config.json: it is not a saved transformers model"
            )
        try:
            model, tokenizer = _load(str(path), local_files_only=True)
        except (OSError, ValueError, KeyError) as e:
            raise ModelError(f"model directory {path} could not be loaded: {_first_line(e, 200)}") from None
    elif path.exists() or _looks_like_path(name):
        raise ModelError(
            f"model path {name} does not exist or is not a directory: set model.name to a directory holding a "
            "saved model (config.json, weights, tokenizer files) or to a hub id such as google/mt5-base"
        )
    else:
        try:
            model, tokenizer = _load(name, local_files_only=True)
        except OSError:
            _check_hub(name)
            try:
                model, tokenizer = _load(name, local_files_only=False)
            except OSError as e:
                raise ModelError(f"model {name!r} could not be downloaded: {_first_line(e, 200)}") from None
    n_tok = len(tokenizer)
    n_emb = model.get_input_embeddings().num_embeddings
    if n_emb < n_tok:
        raise ModelError(
            f"model {name}: tokenizer has {n_tok} ids but the model only {n_emb} embeddings; the tokenizer files "
            "do not belong to this model"
        )
    return model, tokenizer


def set_torch_threads(n: int | None) -> int:
    """Set torch's intra-op threads (None keeps torch's default); returns the number in effect."""
    if n is not None:
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ConfigError(f"threads must be a positive integer or null (torch default), got {n!r}")
        torch.set_num_threads(n)
    return torch.get_num_threads()


def pick_device(name: str = "auto") -> torch.device:
    """Resolve ``auto`` (CUDA when present, else CPU), ``cpu``, ``cuda`` or ``cuda:N``."""
    name = str(name).strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or (name.startswith("cuda:") and name[5:].isdigit()):
        if not torch.cuda.is_available():
            raise ConfigError(
                f"device {name!r} requested but CUDA is not available here; use device: auto or cpu"
            )
        index = int(name[5:]) if ":" in name else 0
        if index >= torch.cuda.device_count():
            raise ConfigError(f"device {name!r}: only {torch.cuda.device_count()} CUDA device(s) present")
        return torch.device(name)
    raise ConfigError(f"device must be one of auto, cpu, cuda, cuda:N; got {name!r}")
