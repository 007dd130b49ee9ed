"""Params validation: every bad value is a one-line ConfigError naming the key, before any compute."""

from pathlib import Path

import pytest
import yaml

from xlrobust.cli import read_params_file
from xlrobust.config import load_params
from xlrobust.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def test_shipped_params_are_valid():
    params = read_params_file(REPO / "params.yaml")
    assert params.model.name == "tiny"
    assert params.data.source == "synthetic"
    assert set(params.sources) <= set(params.languages)


BAD_PARAMS = [
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
    ({"data": {"source": "xtreme", "path": "/no/such/folder"}}, "'data.path' '/no/such/folder' is not an existing"),
    ({"data": {"source": "huggingface"}}, "'data.source' is 'huggingface'"),
    ({"data": {"on_missing": "ignore"}}, "'data.on_missing' is 'ignore'"),
    ({"model": {"name": "./no/such/model"}}, "looks like a local path but no such folder"),
    ({"model": {"d_model": 130, "num_heads": 4}}, "must be divisible by 'model.num_heads'"),
    ({"pretrain": {"noise_density": 1.5}}, "'pretrain.noise_density' must be in (0, 1)"),
    ({"pretrain": {"copy_fraction": 1.5}}, "'pretrain.copy_fraction' must be in [0, 1]"),
    ({"train": {"precision": "bf16", "device": "cpu"}}, "needs a GPU"),
    ({"train": {"launcher": "bash -c"}}, "'train.launcher' must start with python or accelerate"),
    ({"eval": {"qa_normalization": "mlqa"}}, "'eval.qa_normalization' is 'mlqa'"),
    ({"correlate": {"features": ["syntax"]}}, "'correlate.features' is 'syntax'"),
    ({"reference_source": "de"}, "'reference_source' 'de' is not in 'sources'"),
    ({"low_resource": ["yo"]}, "'low_resource' lists 'yo', which is not in 'languages'"),
    ({"perturbations": {"rate": 0}}, "'perturbations.rate' must be in (0, 1]"),
    ({"perturbations": {"options": {"names": {}}, "families": ["typos"]}}, "'perturbations.options.names' configures a family"),
    ({"perturbations": {"multichecklist": "../shared/realdata-sample/multichecklist/checklist_templates.tsv"}},
     "'perturbations.multichecklist' must be a file in data/external/multichecklist/ (a dependency of the "
     "adversarial stage, so DVC reruns it when the templates change), got '../shared/realdata-sample/"),
    ({"perturbations": {"multichecklist": "/tmp/checklist_templates.tsv"}}, "must be a file in data/external/"),
    ({"perturbations": {"multichecklist": "data/external/multichecklist/nope.tsv"}},
     "'perturbations.multichecklist' 'data/external/multichecklist/nope.tsv' is not an existing file"),
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
        load_params(override)
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
    params = load_params(yaml.safe_load("train: {lr: 1, max_steps: null}\ndata: {sizes: {train: null}}"))
    assert params.train.lr == 1.0 and isinstance(params.train.lr, float)
    assert params.train.max_steps is None and params.data.sizes.train is None
