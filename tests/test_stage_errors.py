"""Stage scripts fail fast and cleanly on bad params and bad data.

Each case runs a real stage script as a subprocess in a fresh pipeline repository (no ``dvc repro``) and checks the
contract of :func:`xlrobust.cli.run_stage`: exit status 2, exactly one ``error: ...`` line on stderr that names the
key / file / line, no traceback, and it happens before any compute (in seconds, writing no outputs).
"""

from __future__ import annotations

import copy
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import MINI_PARAMS, deep_update, make_repo, run

FAST_S = 45.0  # generous for a loaded 2-core CI machine; these exit after imports and validation (~2-8 s)
XNLI_EN = {"tasks": ["xnli"], "sources": ["en"], "reference_source": "en"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("stage-errors"), MINI_PARAMS)


@pytest.fixture(scope="module")
def default_params(repo: Path) -> dict:
    return yaml.safe_load((repo / "params.yaml").read_text())


@dataclass
class Case:
    """One bad input: params override (or raw params bytes), data files, the stage command and the message."""

    argv: list[str]
    expected: list[str]
    override: dict = field(default_factory=dict)
    raw_params: bytes | None = None
    xtreme: dict[str, str] = field(default_factory=dict)  # files under data.path for data.source=xtreme/jsonl
    files: dict[str, str] = field(default_factory=dict)  # files in the repository itself
    env: dict[str, str] = field(default_factory=dict)


PREPARE_EN = ["stages/prepare.py", "--lang", "en"]
NLI_TRAIN = "A man sleeps.\tA man rests.\tentailment\r\nA dog runs.\tAn animal moves.\tentailment\r\n"
NLI_JSONL = '{"id": "a", "premise": "A man sleeps.", "hypothesis": "A man rests.", "label": "entailment"}\n'

CASES: dict[str, Case] = {
    "unknown language in params": Case(
        PREPARE_EN,
        ["params.yaml: 'languages': unknown language code 'xx'. Known: af, ar, bg, bn"],
        override={"languages": ["en", "es", "sw", "xx"]},
    ),
    "unknown language on the command line": Case(
        ["stages/prepare.py", "--lang", "xx"], ["--lang 'xx' is not in params 'languages' (en, es, sw)"]
    ),
    "language not in params on the command line": Case(
        ["stages/prepare.py", "--lang", "de"], ["--lang 'de' is not in params 'languages' (en, es, sw)"]
    ),
    "upper-case language on the command line": Case(
        ["stages/prepare.py", "--lang", "EN"],
        ["--lang 'EN' is not in params 'languages' (en, es, sw); did you mean 'en'?"],
    ),
    "source not in languages": Case(
        PREPARE_EN,
        ["params.yaml: source 'de' in 'sources' is not in 'languages' (en, es, sw); add it there first"],
        override={"sources": ["en", "de"]},
    ),
    "unknown key": Case(
        PREPARE_EN,
        ["params.yaml: unknown key 'train.learning_rate'; allowed in 'train': epochs"],
        override={"train": {"learning_rate": 0.1}},
    ),
    "bad YAML": Case(
        PREPARE_EN,
        ["params.yaml: line 3: invalid YAML"],
        raw_params=b"seed: 13\nlanguages: [en, es\ntasks: [xnli]\n",
    ),
    "params not UTF-8": Case(
        PREPARE_EN,
        ["params.yaml: not valid UTF-8 (byte 25)"],
        raw_params=b"seed: 13\nlanguages: [en, \xe9s]\n",
    ),
    "xtreme folder without the task folder": Case(
        PREPARE_EN,
        ["panx/train-en.tsv: file not found (PAN-X train en", "point data.path at the download/ folder"],
        override={"tasks": ["panx"], "data": {"source": "xtreme"}},
        xtreme={"xnli/train-en.tsv": NLI_TRAIN},
    ),
    "xtreme folder missing the test file": Case(
        PREPARE_EN,
        [
            "xnli/en from data.source=xtreme",
            "no labelled 'test' split to evaluate on",
            "set 'data.on_missing: skip'",
        ],
        override={**XNLI_EN, "data": {"source": "xtreme"}},
        xtreme={"xnli/train-en.tsv": NLI_TRAIN},
    ),
    "xtreme file with a malformed line": Case(
        PREPARE_EN,
        [
            "xnli/dev-en.tsv: line 2: expected 3 tab-separated columns (premise \\t hypothesis \\t label",
            "found 1",
        ],
        override={**XNLI_EN, "data": {"source": "xtreme", "eval_split": "dev"}},
        xtreme={
            "xnli/train-en.tsv": NLI_TRAIN,
            "xnli/dev-en.tsv": "A man sleeps.\tA man rests.\tneutral\r\noops\r\n",
        },
    ),
    "unlabelled xtreme test split as eval split": Case(
        PREPARE_EN,
        [
            "no labelled 'test' split to evaluate on",
            "XTREME's test files ship without labels: evaluate on dev with 'data.eval_split: dev'",
        ],
        override={**XNLI_EN, "data": {"source": "xtreme", "eval_split": "test"}},
        xtreme={"xnli/train-en.tsv": NLI_TRAIN, "xnli/test-en.tsv": "A man sleeps.\tA man rests.\r\n"},
    ),
    "jsonl text with an escaped lone surrogate": Case(
        PREPARE_EN,
        ["train-en.jsonl: line 1: field 'premise': invalid Unicode (unpaired surrogate"],
        override={**XNLI_EN, "data": {"source": "jsonl"}},
        xtreme={
            "xnli/train-en.jsonl": NLI_JSONL.replace("sleeps.", "sleeps \\ud800"),
            "xnli/test-en.jsonl": NLI_JSONL,
        },
    ),
    "model.name a missing path": Case(
        ["stages/pretrain.py"],
        ["params.yaml: 'model.name' './models/nope' looks like a local path but no such folder"],
        override={"model": {"name": "./models/nope"}},
    ),
    "hub model id while offline": Case(
        ["stages/pretrain.py"],
        [
            "model 'example-org/no-such-mt5' is neither a local directory nor in the Hugging "
            "Face cache, and the hub is disabled",
            "then set model.name to that directory",
        ],
        override={"model": {"name": "example-org/no-such-mt5"}},
        env={"HF_HUB_OFFLINE": "1"},
    ),
    "finetune before prepare": Case(
        ["stages/finetune.py", "--task", "xnli", "--source", "en", "--seed", "13"],
        ["data/prepared/en/xnli/train.jsonl: file not found"],
    ),
    "finetune before pretrain": Case(
        ["stages/finetune.py", "--task", "xnli", "--source", "en", "--seed", "13"],
        ["base model folder models/base not found; run the pretrain stage first"],
        files={"data/prepared/en/xnli/train.jsonl": NLI_JSONL},
    ),
    # formerly known gaps, now clean errors
    "jsonl line nested too deeply": Case(
        PREPARE_EN,
        ["xnli/test-en.jsonl: line 2", "unreadable JSON (nested too deeply)"],
        override={**XNLI_EN, "data": {"source": "jsonl"}},
        xtreme={
            "xnli/train-en.jsonl": NLI_JSONL,
            "xnli/test-en.jsonl": NLI_JSONL + '{"id": "b", "premise": ' + "[" * 50000 + "]" * 50000 + "}\n",
        },
    ),
    "evaluate before finetune": Case(
        ["stages/evaluate.py", "--task", "xnli", "--source", "en", "--seed", "13"],
        ["models/finetuned/xnli-en-seed13", "run the finetune stage"],
        files={"data/prepared/en/xnli/test.jsonl": NLI_JSONL},
    ),
    "finetune with a seed not in seeds": Case(
        ["stages/finetune.py", "--task", "xnli", "--source", "en", "--seed", "99"],
        ["--seed 99 is not in params 'seeds' (13)"],
    ),
    "lmem before pretrain": Case(["stages/lmem.py"], ["models/base", "run the pretrain stage"]),
}


def run_case(repo: Path, default_params: dict, case: Case, tmp_path: Path):
    """Set up params and files for ``case``, run its stage; return (process, seconds)."""
    for sub in ("models", "metrics", ".cache"):
        run(["rm", "-rf", sub], repo)
    for sub in (repo / "data").glob("*"):  # every stage output; data/external holds the params' input files
        if sub.name != "external":
            run(["rm", "-rf", str(sub)], repo)
    params = deep_update(copy.deepcopy(default_params), case.override)
    if case.xtreme:
        params["data"]["path"] = str(tmp_path / "download")
        for rel, text in case.xtreme.items():
            path = tmp_path / "download" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
    for rel, text in case.files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    if case.raw_params is not None:
        (repo / "params.yaml").write_bytes(case.raw_params)
    else:
        (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    start = time.monotonic()
    proc = run([sys.executable, *case.argv], repo, check=False, env=case.env)
    return proc, time.monotonic() - start


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize("name", list(CASES))
def test_stage_fails_fast_with_one_clean_error(
    repo: Path, default_params: dict, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    proc, seconds = run_case(repo, default_params, case, tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 2, proc.stderr[-3000:]
    [line] = error_lines(proc.stderr)
    for fragment in case.expected:
        assert fragment in line, line
    assert seconds < FAST_S
    if case.override.get("data", {}).get("source") != "jsonl" and not case.files:
        written = [p.name for p in (repo / "data").glob("*") if p.name != "external"]
        assert not written and not (repo / "models").exists(), "nothing is written before failing"
