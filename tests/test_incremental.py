"""Incremental reruns: a params edit invalidates exactly the stages that depend on it, nothing else.

`dvc status --json` and `dvc repro --dry` name the stages whose own deps or params changed; DVC then also
reruns their descendants in `dvc dag` whenever their outputs change. So the stages an edit can rerun are the
directly changed ones plus everything downstream of them, which is what these tests pin down. Where cheap, a
real `dvc repro` of part of the chain confirms it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import run

RUNNING = re.compile(r"^Running stage '([^']+)'", re.MULTILINE)
EDGE = re.compile(r'^"([^"]+)" -> "([^"]+)";', re.MULTILINE)
NODE = re.compile(r'^"([^"]+)";', re.MULTILINE)


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit_params(repo: Path, change: Callable[[dict], None]) -> None:
    """Apply ``change`` to params.yaml in place (as a user editing the file would)."""
    path = repo / "params.yaml"
    params = yaml.safe_load(path.read_text())
    change(params)
    path.write_text(yaml.safe_dump(params, sort_keys=False))


def stages_run(stdout: str) -> set[str]:
    """Stage names from the 'Running stage' lines of `dvc repro` (or `dvc repro --dry`), without ``validate``: it reruns on every
    params.yaml edit by design (cheap, constant output, so it reruns nothing downstream; test_validate_stage)."""
    return set(RUNNING.findall(stdout)) - {"validate"}


def changed_stages(repo: Path) -> set[str]:
    """Stages `dvc status` reports as changed (their own deps, params or outs differ from dvc.lock)."""
    return set(json.loads(run(["dvc", "status", "--json"], repo).stdout)) - {"validate"}


def dag(repo: Path) -> tuple[set[str], dict[str, set[str]]]:
    """All stages and each stage's direct children, from `dvc dag --dot`."""
    dot = run(["dvc", "dag", "--dot"], repo).stdout
    children: dict[str, set[str]] = {}
    for parent, child in EDGE.findall(dot):
        children.setdefault(parent, set()).add(child)
    return set(NODE.findall(dot)), children


def with_descendants(stages: set[str], children: dict[str, set[str]]) -> set[str]:
    """``stages`` and everything downstream of them: what `dvc repro` may rerun."""
    seen, todo = set(stages), list(stages)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def group(stages: set[str], *names: str) -> set[str]:
    """The stages of the named stage definitions, matrix or not (``evaluate`` -> ``evaluate@xnli-en-13``, ...)."""
    return {s for s in stages if s.split("@")[0] in names}


def baseline_dag(repo: Path) -> tuple[set[str], dict[str, set[str]]]:
    stages, children = dag(repo)
    for name in ("prepare", "pretrain", "lmem", "adversarial", "finetune", "evaluate", "correlate"):
        assert group(stages, name), f"dvc.yaml has no {name} stage: {sorted(stages)}"
    return stages, children


@pytest.mark.slow
def test_adding_a_target_language_reruns_no_finetune(mini_repo_copy: Path):
    repo = mini_repo_copy
    stages, _ = baseline_dag(repo)
    before = {lang: file_digests(repo / "data" / "prepared" / lang) for lang in ("en", "es", "sw")}
    edit_params(repo, lambda p: p["languages"].append("de"))
    changed = changed_stages(repo)
    assert "prepare" in changed  # one stage prepares every language
    assert group(changed, "evaluate") == group(stages, "evaluate")  # every evaluation scores all targets
    assert not changed & group(stages, "pretrain", "finetune"), changed

    # Real run of the data: the existing languages' files come out byte-identical, so no model is retrained.
    assert stages_run(run(["dvc", "repro", "prepare"], repo).stdout) == {"prepare"}
    assert {lang: file_digests(repo / "data" / "prepared" / lang) for lang in before} == before
    assert (repo / "data" / "prepared" / "de" / "xnli" / "test.jsonl").is_file()
    direct = stages_run(run(["dvc", "repro", "--dry"], repo).stdout)
    assert direct == changed_stages(repo) == changed - {"prepare"}
    new_stages, children = dag(repo)
    may_rerun = with_descendants(direct, children)
    assert not may_rerun & (group(new_stages, "pretrain", "finetune", "prepare")), may_rerun
    assert group(new_stages, "evaluate", "correlate") <= may_rerun


@pytest.mark.slow
def test_a_perturbation_parameter_reruns_only_adversarial_evaluate_correlate(mini_repo_copy: Path):
    repo = mini_repo_copy
    stages, children = baseline_dag(repo)
    edit_params(repo, lambda p: p["perturbations"]["options"]["typos"].update(rate=0.5))
    adversarial = group(stages, "adversarial")
    direct = stages_run(run(["dvc", "repro", "--dry"], repo).stdout)
    # correlate tracks the whole params file (its report shows every value), so it is invalidated directly too.
    assert direct == changed_stages(repo) == adversarial | {"correlate"}
    expected = group(stages, "adversarial", "evaluate", "correlate")
    assert with_descendants(direct, children) == expected

    # Real run: the perturbed data really changes, so every evaluation goes stale (each evaluate stage scores
    # all targets) while nothing upstream of the perturbations moves.
    assert stages_run(run(["dvc", "repro", *sorted(adversarial)], repo).stdout) == adversarial
    after = stages_run(run(["dvc", "repro", "--dry"], repo).stdout)
    assert after == group(stages, "evaluate", "correlate")
    assert with_descendants(after, children) == expected - adversarial


@pytest.mark.slow
def test_a_model_change_reruns_pretrain_and_everything_downstream(mini_repo_copy: Path):
    repo = mini_repo_copy
    stages, children = baseline_dag(repo)
    edit_params(repo, lambda p: p["model"].update(d_ff=2 * p["model"]["d_ff"]))
    direct = stages_run(run(["dvc", "repro", "--dry"], repo).stdout)
    # finetune takes the whole `model` section as a param, so it is invalidated directly as well.
    # correlate tracks the whole params file (its report shows every value).
    assert direct == changed_stages(repo) == group(stages, "pretrain", "finetune", "correlate")
    assert with_descendants(direct, children) == stages - group(stages, "prepare", "adversarial", "validate")


@pytest.mark.slow
def test_adding_a_fine_tuning_seed_trains_and_evaluates_only_the_new_models(mini_repo_copy: Path):
    """DVC sees exactly the new seed's finetune/evaluate stages and correlate as changed; one new pair runs (the
    other five are the same stage definitions; running all twelve took 3.5 minutes of `make test`). What
    correlate makes of two seeds (n_seeds, the seed spread in summary and report) is tested on evaluation
    files in the pipeline's format in test_seeds.py (tests/fixtures/correlate)."""
    repo = mini_repo_copy
    stages, _ = baseline_dag(repo)
    tasks, sources = yaml.safe_load((repo / "params.yaml").read_text())["tasks"], ["en", "es"]
    edit_params(repo, lambda p: p.update(seeds=[13, 14]))
    new_runs = {
        f"{stage}@{task}-{source}-14"
        for stage in ("finetune", "evaluate")
        for task in tasks
        for source in sources
    }
    # `dvc status`, not `dvc repro --dry`: a dry run stops at the first evaluate stage whose model is missing
    assert changed_stages(repo) == new_runs | {"correlate"}
    ran = stages_run(run(["dvc", "repro", "evaluate@xnli-en-14"], repo).stdout)
    assert ran == {"finetune@xnli-en-14", "evaluate@xnli-en-14"}
    assert group(stages, "finetune", "evaluate") <= dag(repo)[0]  # the seed-13 stages are kept
    a, b = (repo / "models" / "finetuned" / f"xnli-en-seed{seed}" / "model.safetensors" for seed in (13, 14))
    assert a.read_bytes() != b.read_bytes()  # the seed changes the fine-tuning run
    assert (repo / "metrics" / "eval" / "xnli-en-seed14.json").is_file()
    still = run(["dvc", "status", *sorted(group(stages, "finetune", "evaluate"))], repo).stdout
    assert "up to date" in still  # no seed-13 model or evaluation became stale


@pytest.mark.slow
def test_editing_the_multichecklist_templates_reruns_adversarial(mini_repo_copy: Path):
    """The template file's content, not only its path in params, is a dependency (data/external/multichecklist)."""
    repo = mini_repo_copy
    stages, children = baseline_dag(repo)
    templates = repo / "data" / "external" / "multichecklist" / "checklist_templates.tsv"
    lines = templates.read_text(encoding="utf-8").splitlines(keepends=True)
    templates.write_text("".join(lines[:-1]), encoding="utf-8")  # drop one template row
    direct = stages_run(run(["dvc", "repro", "--dry"], repo).stdout)
    assert direct == changed_stages(repo) == group(stages, "adversarial")
    assert with_descendants(direct, children) == group(stages, "adversarial", "evaluate", "correlate")
