"""Typed, validated configuration for every stage, built from the plain dict a stage script reads from params.yaml.

Each dataclass is one ``params.yaml`` section. :func:`load_params` requires every key (params.yaml is the one
source of the values: a key left out is an error naming it, not a silent default) and rejects unknown keys (a
typo such as ``learning_rte`` must not be silently ignored); :func:`from_dict` checks every type, and each
``validate`` checks ranges and cross-field consistency, so a bad value fails at the start of a stage, with the
key named, before any compute. The dataclass defaults equal params.yaml (tests/test_config.py checks it); they
only serve code that builds a config directly (tests, benchmarks).

Allowed task names and perturbation families are the keys of ``xlrobust.tasks.REGISTRY`` and
``xlrobust.perturb.FAMILIES``: one definition each. The ``data`` section lives in :mod:`xlrobust.config_data`
(re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from xlrobust.config_data import TASK_NAMES, DataConfig, expand_home
from xlrobust.config_data import SplitSizes as SplitSizes  # re-exported: the data section's split sizes
from xlrobust.errors import ConfigError
from xlrobust.feature_names import PAIR_FEATURES
from xlrobust.languages import LANGUAGES, STUDY_LANGUAGES, get_language
from xlrobust.perturb import FAMILIES
from xlrobust.perturb.detector import check_local_detector, looks_local
from xlrobust.schema import check_per_task, choice, for_task, from_dict, nonempty_unique, positive
from xlrobust.sources import qa_train
from xlrobust.tasks import REGISTRY

T = TypeVar("T")

PERTURBATION_FAMILIES: tuple[str, ...] = tuple(FAMILIES)
DEVICES = ("auto", "cpu", "cuda")
# MultiCheckList template files live here: the adversarial stage depends on the folder (see dvc.yaml).
MULTICHECKLIST_DIR = Path("data/external/multichecklist")


@dataclass
class ModelConfig:
    """The model: ``tiny`` (built and pre-trained here), a hub id, or a local folder (params section ``model``)."""

    name: str = "tiny"
    vocab_size: int = 8000
    d_model: int = 128
    d_ff: int = 512
    num_heads: int = 4
    num_layers: int = 2
    max_input_length: int = 128
    max_target_length: int = 48

    @property
    def is_tiny(self) -> bool:
        return self.name == "tiny"

    def validate(self, key: str = "model") -> None:
        if self.name.startswith("~"):
            self.name = expand_home(self.name)
        if not self.name:
            raise ConfigError(f"params: '{key}.name' must be 'tiny', a hub id or a local folder")
        for name in (
            "vocab_size",
            "d_model",
            "d_ff",
            "num_heads",
            "num_layers",
            "max_input_length",
            "max_target_length",
        ):
            positive(getattr(self, name), f"{key}.{name}")
        if self.d_model % self.num_heads:
            raise ConfigError(
                f"params: '{key}.d_model' ({self.d_model}) must be divisible by "
                f"'{key}.num_heads' ({self.num_heads})"
            )
        looks_local = self.name.startswith((".", "/", "~")) or Path(self.name).exists()
        if not self.is_tiny and looks_local and not Path(self.name).expanduser().is_dir():
            raise ConfigError(
                f"params: '{key}.name' {self.name!r} looks like a local path but no such folder exists"
            )


@dataclass
class PretrainConfig:
    """Span-corruption pre-training of the tiny model and LMEM measurement (params section ``pretrain``)."""

    languages: list[str] = field(default_factory=lambda: list(STUDY_LANGUAGES))
    corpus_sentences: int = 3000
    steps: int = 1000
    batch_size: int = 32
    lr: float = 3e-3
    weight_decay: float = 0.01
    warmup_steps: int = 50
    noise_density: float = 0.15
    mean_span_length: float = 3.0
    copy_fraction: float = (
        0.9  # share of examples whose target is the whole input (xlrobust.pretrain_mixture)
    )
    lmem_batch_size: int = 32
    device: str = "cpu"

    def validate(self, key: str = "pretrain") -> None:
        nonempty_unique(self.languages, f"{key}.languages")
        for code in self.languages:
            _lang(code, f"{key}.languages")
        for name in ("corpus_sentences", "steps", "batch_size", "lr", "mean_span_length", "lmem_batch_size"):
            positive(getattr(self, name), f"{key}.{name}")
        if self.warmup_steps < 0:
            raise ConfigError(f"params: '{key}.warmup_steps' must be >= 0")
        if self.weight_decay < 0:
            raise ConfigError(f"params: '{key}.weight_decay' must be >= 0")
        choice(self.device, DEVICES, f"{key}.device")
        if not 0 < self.noise_density < 1:
            raise ConfigError(f"params: '{key}.noise_density' must be in (0, 1), got {self.noise_density}")
        if not 0 <= self.copy_fraction <= 1:
            raise ConfigError(f"params: '{key}.copy_fraction' must be in [0, 1], got {self.copy_fraction}")


@dataclass
class PerturbationConfig:
    """CheckList-style perturbations (params section ``perturbations``)."""

    families: list[str] = field(
        default_factory=lambda: ["typos", "punctuation", "numbers", "names", "locations", "casing"]
    )
    rate: float = 0.1
    options: dict[str, dict[str, Any]] = field(default_factory=lambda: {"typos": {"rate": 0.05}})
    multichecklist: str | None = None
    multichecklist_fills: int = 4
    min_changed: int = (
        20  # fewer changed examples of a (task, target, family): no drop or failure rate reported
    )
    detector: str | None = (
        None  # NER model (hub id or folder) for names/locations on raw text; null = lexicons
    )
    detector_device: str = "auto"

    def validate(self, key: str = "perturbations") -> None:
        nonempty_unique(self.families, f"{key}.families")
        choice(self.detector_device, DEVICES, f"{key}.detector_device")
        if self.detector is not None:
            self.detector = expand_home(self.detector.strip())
            if not self.detector:
                raise ConfigError(f"params: '{key}.detector' must be a hub id, a local folder or null")
            if looks_local(self.detector):
                check_local_detector(self.detector)
        positive(self.min_changed, f"{key}.min_changed")
        for fam in self.families:
            choice(fam, PERTURBATION_FAMILIES, f"{key}.families")
        if not 0 < self.rate <= 1:
            raise ConfigError(f"params: '{key}.rate' must be in (0, 1], got {self.rate}")
        for fam in self.options:
            if fam not in self.families:
                raise ConfigError(
                    f"params: '{key}.options.{fam}' configures a family that is not in "
                    f"'{key}.families' ({', '.join(self.families)})"
                )
        positive(self.multichecklist_fills, f"{key}.multichecklist_fills")
        if self.multichecklist:
            path = Path(self.multichecklist)
            if path.is_absolute() or ".." in path.parts or path.parts[:3] != MULTICHECKLIST_DIR.parts:
                raise ConfigError(
                    f"params: '{key}.multichecklist' must be a file in {MULTICHECKLIST_DIR}/ (a dependency of the "
                    f"adversarial stage, so DVC reruns it when the templates change), got {self.multichecklist!r}; "
                    f"copy the file there and `dvc add` it (see {MULTICHECKLIST_DIR}/README.md)"
                )
            if not path.is_file():
                raise ConfigError(
                    f"params: '{key}.multichecklist' {self.multichecklist!r} is not an existing file"
                )


@dataclass
class TrainConfig:
    """Fine-tuning, one model per task and source language (params section ``train``)."""

    epochs: float = 1.0
    max_steps: int | None = None
    batch_size: int = 16
    lr: float = 1e-3
    weight_decay: float = 0.0
    warmup_ratio: float = 0.05
    checkpoint_every: int = 50
    precision: str = "fp32"
    launcher: str = "python"
    device: str = "auto"
    threads: int | None = 1

    def validate(self, key: str = "train") -> None:
        for name in ("epochs", "batch_size", "lr", "checkpoint_every"):
            positive(getattr(self, name), f"{key}.{name}")
        if self.max_steps is not None:
            positive(self.max_steps, f"{key}.max_steps")
        if self.threads is not None:
            positive(self.threads, f"{key}.threads")
        if self.weight_decay < 0:
            raise ConfigError(f"params: '{key}.weight_decay' must be >= 0")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"params: '{key}.warmup_ratio' must be in [0, 1)")
        choice(self.precision, ("fp32", "bf16", "fp16"), f"{key}.precision")
        if not self.launcher.split() or self.launcher.split()[0] not in ("python", "python3", "accelerate"):
            raise ConfigError(
                f"params: '{key}.launcher' must start with python or accelerate (e.g. "
                f"'accelerate launch --multi_gpu --num_processes 4'), got {self.launcher!r}"
            )
        choice(self.device, DEVICES, f"{key}.device")
        if self.precision != "fp32" and self.device == "cpu":
            raise ConfigError(
                f"params: '{key}.precision' {self.precision} needs a GPU but '{key}.device' is cpu"
            )


@dataclass
class EvalConfig:
    """Evaluation of every model on every target (params section ``eval``)."""

    batch_size: int = 256
    device: str = "auto"
    threads: int | None = None
    # Generated tokens per output, one number or per task ({panx: 48, tydiqa: 24}); XNLI ranks labels instead.
    max_new_tokens: int | dict[str, int] = field(
        default_factory=lambda: {
            n: t.offline_max_new_tokens for n, t in REGISTRY.items() if t.decoding != "rank"
        }
    )
    qa_normalization: str = "squad"

    def validate(self, key: str = "eval", tasks: list[str] | None = None) -> None:
        positive(self.batch_size, f"{key}.batch_size")
        generating = [t for t in tasks or () if REGISTRY[t].decoding != "rank"]
        check_per_task(self.max_new_tokens, f"{key}.max_new_tokens", TASK_NAMES, generating)
        if self.threads is not None:
            positive(self.threads, f"{key}.threads")
        choice(self.device, DEVICES, f"{key}.device")
        choice(self.qa_normalization, ("squad", "unicode"), f"{key}.qa_normalization")

    def new_tokens(self, task: str) -> int:
        """``max_new_tokens`` for ``task``."""
        return for_task(self.max_new_tokens, task)


@dataclass
class CorrelateConfig:
    """Statistics and report (params section ``correlate``)."""

    n_boot: int = 1000
    # All known features but source_train_size, constant by design with equal training sets (params.yaml).
    features: list[str] = field(
        default_factory=lambda: [f for f in PAIR_FEATURES if f != "source_train_size"]
    )

    def validate(self, key: str = "correlate") -> None:
        if self.n_boot < 100:
            raise ConfigError(
                f"params: '{key}.n_boot' is {self.n_boot}; use at least 100 bootstrap replicates "
                "(1000 or more for reported results)"
            )
        nonempty_unique(self.features, f"{key}.features")
        for feat in self.features:
            choice(feat, PAIR_FEATURES, f"{key}.features")


@dataclass
class Params:
    """The whole params.yaml."""

    seed: int = 13  # data generation, pre-training, perturbations, bootstrap
    seeds: list[int] = field(
        default_factory=lambda: [13]
    )  # fine-tuning seeds: one model per (task, source, seed)
    languages: list[str] = field(default_factory=lambda: list(STUDY_LANGUAGES))
    sources: list[str] = field(default_factory=lambda: ["en", "es"])
    tasks: list[str] = field(default_factory=lambda: list(TASK_NAMES))
    low_resource: list[str] = field(default_factory=lambda: ["sw", "bn", "hi"])
    reference_source: str = "en"
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)
    perturbations: PerturbationConfig = field(default_factory=PerturbationConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)
    correlate: CorrelateConfig = field(default_factory=CorrelateConfig)

    def validate(self) -> None:
        if self.seed < 0:
            raise ConfigError("params: 'seed' must be >= 0")
        nonempty_unique(self.seeds, "seeds")
        if any(s < 0 for s in self.seeds):
            raise ConfigError(f"params: 'seeds' must list integers >= 0, got {self.seeds}")
        nonempty_unique(self.languages, "languages")
        for code in self.languages:
            _lang(code, "languages")
        nonempty_unique(self.sources, "sources")
        for code in self.sources:
            if code not in self.languages:
                _lang(code, "sources")
                raise ConfigError(
                    f"params: source {code!r} in 'sources' is not in 'languages' "
                    f"({', '.join(self.languages)}); add it there first"
                )
        nonempty_unique(self.tasks, "tasks")
        for task in self.tasks:
            choice(task, TASK_NAMES, "tasks")
        for code in self.low_resource:
            if code not in self.languages:
                raise ConfigError(f"params: 'low_resource' lists {code!r}, which is not in 'languages'")
        if self.reference_source not in self.sources:
            raise ConfigError(
                f"params: 'reference_source' {self.reference_source!r} is not in 'sources' "
                f"({', '.join(self.sources)})"
            )
        self.data.validate(tasks=self.tasks)
        qa_train.check_hub_sources(
            self.data, self.sources, any(REGISTRY[t].extractive_qa for t in self.tasks)
        )
        self.model.validate()
        self.pretrain.validate()
        self.perturbations.validate()
        self.train.validate()
        self.eval.validate(tasks=self.tasks)
        self.correlate.validate()


def _lang(code: Any, key: str) -> None:
    if not isinstance(code, str):
        raise ConfigError(f"params: '{key}' must list language codes as strings, got {code!r}")
    check_language(code, f"params: '{key}'")


def check_language(code: str, where: str) -> None:
    """``code`` is a known language (``xlrobust.languages``); ``EN`` gets "did you mean 'en'?"."""
    if code != code.lower() and code.lower() in LANGUAGES:
        raise ConfigError(
            f"{where}: unknown language code {code!r}; did you mean {code.lower()!r}? (codes are lower case)"
        )
    try:
        get_language(code)
    except ConfigError as e:
        raise ConfigError(f"{where}: {e}") from None


def load_params(raw: Any) -> Params:
    """Validate the parsed params.yaml mapping and return typed :class:`Params`."""
    params = from_dict(Params, raw, complete=True)
    params.validate()
    return params
