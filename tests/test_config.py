"""Params validation: every bad value is a one-line ConfigError naming the key, before any compute."""

import copy
import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import deep_update

from xlrobust import config
from xlrobust.cli import read_params_file
from xlrobust.config import Params, load_params
from xlrobust.errors import ConfigError
from xlrobust.perturb import FAMILIES
from xlrobust.tasks import REGISTRY

REPO = Path(__file__).resolve().parents[1]
SHIPPED = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))


def with_shipped(override: dict) -> dict:
    """The shipped params.yaml with ``override`` applied key by key (as `dvc exp run -S` would)."""
    return deep_update(copy.deepcopy(SHIPPED), copy.deepcopy(override))


def test_shipped_params_are_valid():
    params = read_params_file(REPO / "params.yaml")
    assert params.model.name == "tiny"
    assert params.data.source == "synthetic"
    assert set(params.sources) <= set(params.languages)


BAD_PARAMS = [
    ({"correlate": {"n_boot": 50}}, "'correlate.n_boot' is 50; use at least 100 bootstrap replicates"),
    ({"languages": ["en", "sx"]}, "unknown language code 'sx'. Did you mean sw"),
    ({"languages": []}, "'languages' must not be empty"),
    ({"languages": ["en", "en", "es"], "sources": ["en"]}, "'languages' lists en more than once"),
    ({"sources": ["de"], "languages": ["en"]}, "source 'de' in 'sources' is not in 'languages'"),
    ({"sources": []}, "'sources' must not be empty"),
    ({"tasks": ["xnl"]}, "'tasks' is 'xnl' (did you mean 'xnli'?)"),
    ({"perturbations": {"families": ["typo"]}}, "did you mean 'typos'"),
    ({"train": {"lr": 0}}, "'train.lr' must be > 0"),
    ({"train": {"batch_size": -4}}, "'train.batch_size' must be > 0"),
    ({"train": {"batch_size": "16"}}, "'train.batch_size' must be int"),
    ({"train": {"learning_rate": 0.1}}, "unknown key 'train.learning_rate'"),
    ({"trian": {}}, "unknown key 'trian' (did you mean 'train'?)"),
    ({"data": {"sizes": {"train": 0}}}, "'data.sizes.train' must be > 0"),
    ({"data": {"source": "xtreme"}}, "'data.path' is required when data.source is 'xtreme'"),
    (
        {"data": {"source": "xtreme", "path": "/no/such/folder"}},
        "'data.path' '/no/such/folder' is not an existing",
    ),
    ({"data": {"source": "huggingface"}}, "'data.source' is 'huggingface'"),
    ({"data": {"on_missing": "ignore"}}, "'data.on_missing' is 'ignore'"),
    ({"model": {"name": "./no/such/model"}}, "looks like a local path but no such folder"),
    ({"model": {"d_model": 130, "num_heads": 4}}, "must be divisible by 'model.num_heads'"),
    ({"pretrain": {"noise_density": 1.5}}, "'pretrain.noise_density' must be in (0, 1)"),
    (
        {"pretrain": {"device": "gpu"}},
        "'pretrain.device' is 'gpu' (did you mean 'cpu'?); allowed: auto, cpu, cuda",
    ),
    ({"pretrain": {"copy_fraction": 1.5}}, "'pretrain.copy_fraction' must be in [0, 1]"),
    ({"train": {"precision": "bf16", "device": "cpu"}}, "needs a GPU"),
    ({"train": {"launcher": "bash -c"}}, "'train.launcher' must start with python or accelerate"),
    ({"eval": {"qa_normalization": "mlqa"}}, "'eval.qa_normalization' is 'mlqa'"),
    ({"correlate": {"features": ["syntax"]}}, "'correlate.features' is 'syntax'"),
    ({"reference_source": "de"}, "'reference_source' 'de' is not in 'sources'"),
    ({"low_resource": ["yo"]}, "'low_resource' lists 'yo', which is not in 'languages'"),
    ({"perturbations": {"rate": 0}}, "'perturbations.rate' must be in (0, 1]"),
    (
        {"perturbations": {"options": {"names": {}}, "families": ["typos"]}},
        "'perturbations.options.names' configures a family",
    ),
    (
        {
            "perturbations": {
                "multichecklist": "../shared/realdata-sample/multichecklist/checklist_templates.tsv"
            }
        },
        "'perturbations.multichecklist' must be a file in data/external/multichecklist/ (a dependency of the "
        "adversarial stage, so DVC reruns it when the templates change), got '../shared/realdata-sample/",
    ),
    (
        {"perturbations": {"multichecklist": "/tmp/checklist_templates.tsv"}},
        "must be a file in data/external/",
    ),
    (
        {"perturbations": {"multichecklist": "data/external/multichecklist/nope.tsv"}},
        "'perturbations.multichecklist' 'data/external/multichecklist/nope.tsv' is not an existing file",
    ),
    (
        {"perturbations": {"detector": "./models/no-such-ner"}},
        "'perturbations.detector' './models/no-such-ner' looks like a local path but no such folder exists",
    ),
    ({"perturbations": {"detector_device": "gpu"}}, "'perturbations.detector_device' is 'gpu'"),
    ({"seed": "abc"}, "'seed' must be int"),
    ({"seeds": [13, 14, 13]}, "'seeds' lists 13 more than once"),
    ({"seeds": [-1]}, "'seeds' must list integers >= 0, got [-1]"),
    ({"seeds": []}, "'seeds' must not be empty"),
    ({"seeds": 13}, "'seeds' must be a list, got 13"),
    ({"seeds": [True]}, "'seeds[0]' must be a number, got True"),
    ({"train": ["lr", 1]}, "'train' must be a mapping"),
]


@pytest.mark.parametrize(("override", "message"), BAD_PARAMS, ids=[m[:40] for _, m in BAD_PARAMS])
def test_bad_params_name_the_key(override, message):
    with pytest.raises(ConfigError) as err:
        load_params(with_shipped(override))
    text = str(err.value)
    assert message in text
    assert "\n" not in text


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("seed: 1\nlanguages: [en, es\ntasks: [xnli]\n")
    with pytest.raises(ConfigError, match=r"params.yaml: line \d+: invalid YAML"):
        read_params_file(bad)


def test_missing_params_file(tmp_path):
    with pytest.raises(ConfigError, match="params file not found"):
        read_params_file(tmp_path / "nope.yaml")


def test_ints_accepted_for_floats_and_nulls_for_optionals():
    params = load_params(
        with_shipped(yaml.safe_load("train: {lr: 1, max_steps: null}\ndata: {sizes: {train: null}}"))
    )
    assert params.train.lr == 1.0 and isinstance(params.train.lr, float)
    assert params.train.max_steps is None and params.data.sizes.train is None


def test_split_sizes_per_task():
    raw = copy.deepcopy(SHIPPED)
    raw["data"]["sizes"]["test"] = {"xnli": 128, "panx": 64, "tydiqa": None}
    sizes = load_params(raw).data.sizes
    assert (sizes.of("test", "xnli"), sizes.of("test", "panx"), sizes.of("test", "tydiqa")) == (128, 64, None)
    assert sizes.of("dev", "xnli") == sizes.dev  # one number: every task
    raw["data"]["sizes"]["test"] = {"xnli": 128}  # a mapping names every task of 'tasks'
    with pytest.raises(
        ConfigError, match=r"'data.sizes.test' has no value for task 'panx'; a per-task mapping"
    ):
        load_params(raw)
    raw["tasks"] = ["xnli"]
    assert load_params(raw).data.sizes.of("test", "xnli") == 128
    for bad, message in (
        ({"xnli": 128, "ner": 8}, "'data.sizes.test' is 'ner'"),
        ({"xnli": 0}, "'data.sizes.test.xnli' must be > 0"),
        ({"xnli": "many"}, "'data.sizes.test.xnli' must be int"),
    ):
        raw["data"]["sizes"]["test"] = bad
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_params(raw)


def test_max_new_tokens_per_task():
    raw = copy.deepcopy(SHIPPED)
    raw["eval"]["max_new_tokens"] = {"panx": 48, "tydiqa": 24}  # xnli ranks its labels: no entry needed
    cfg = load_params(raw).eval
    assert (cfg.new_tokens("panx"), cfg.new_tokens("tydiqa")) == (48, 24)
    raw["eval"]["max_new_tokens"] = {"panx": 48}
    with pytest.raises(ConfigError, match=r"'eval.max_new_tokens' has no value for task 'tydiqa'"):
        load_params(raw)
    raw["eval"]["max_new_tokens"] = {"panx": 48, "tydiqa": 0}
    with pytest.raises(ConfigError, match=r"'eval.max_new_tokens.tydiqa' must be > 0"):
        load_params(raw)


def test_missing_key_is_an_error_naming_it():
    raw = copy.deepcopy(SHIPPED)
    del raw["train"]["epochs"]
    with pytest.raises(ConfigError, match=r"key 'train.epochs' is missing in 'train'"):
        load_params(raw)
    raw = copy.deepcopy(SHIPPED)
    del raw["eval"]
    with pytest.raises(ConfigError, match=r"key 'eval' is missing"):
        load_params(raw)


def test_exponent_without_dot_gets_the_spelling_to_use():
    raw = yaml.safe_load("train: {lr: 3e-4}")  # YAML 1.1 (PyYAML) reads this as the string '3e-4'
    assert raw["train"]["lr"] == "3e-4"
    with pytest.raises(ConfigError, match=r"'train.lr' is the text '3e-4'.*write 0.0003 or 3.0e-4"):
        load_params(with_shipped(raw))
    with pytest.raises(ConfigError, match=r"write 1e-05 or 1.5e-5|write 1.5e-05 or 1.5e-5"):
        load_params(with_shipped({"pretrain": {"lr": "1.5e-5"}}))


def test_home_in_paths_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "xtreme").mkdir()
    params = load_params(
        with_shipped({"data": {"source": "xtreme", "path": "~/xtreme", "cache_dir": "~/cache"}})
    )
    assert params.data.path == str(tmp_path / "xtreme") and params.data.cache_dir == str(tmp_path / "cache")


def test_upper_case_language_suggests_lower_case():
    with pytest.raises(ConfigError, match=r"unknown language code 'EN'; did you mean 'en'\?"):
        load_params(with_shipped({"languages": ["EN", "es"]}))


def test_dataclass_defaults_equal_params_yaml():
    """params.yaml is the one source of values: the dataclass defaults (used only by code that builds a config
    directly: tests, benchmarks) must not drift from it."""
    assert dataclasses.asdict(Params()) == dataclasses.asdict(load_params(copy.deepcopy(SHIPPED)))


def test_schema_allowed_values_are_the_registries():
    assert config.TASK_NAMES == tuple(REGISTRY)
    assert config.PERTURBATION_FAMILIES == tuple(FAMILIES)
    for task in REGISTRY:
        load_params(with_shipped({"tasks": [task]}))
    with pytest.raises(ConfigError, match="allowed: " + ", ".join(REGISTRY)):
        load_params(with_shipped({"tasks": ["nope"]}))
    with pytest.raises(ConfigError, match="allowed: " + ", ".join(FAMILIES)):
        load_params(with_shipped({"perturbations": {"families": ["nope"], "options": {}}}))
