"""dvc.yaml's dependencies are complete by construction: every module of ``src/xlrobust`` that a stage script
imports (directly or transitively, found statically with ``ast``) is covered by one of the stage's ``deps``
(a directory covers everything under it), so editing any code a stage runs makes DVC rerun it."""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = "xlrobust"


def module_file(name: str) -> Path | None:
    """The file of module ``name`` under src/ (``pkg/__init__.py`` for a package), or None if not ours."""
    base = SRC.joinpath(*name.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Names of the modules ``path`` imports anywhere in its body (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    here = _module_name(path).split(".") if path.is_relative_to(SRC) else []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_pkg else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
    return names


def import_closure(script: Path) -> set[Path]:
    """Files of ``src/xlrobust`` that running ``script`` imports: the static transitive closure, with the
    ``__init__.py`` of every package on the way (importing a submodule runs them)."""
    seen: set[Path] = set()
    todo = [script]
    while todo:
        path = todo.pop()
        for name in _imported(path):
            if name != PACKAGE and not name.startswith(PACKAGE + "."):
                continue
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                file = module_file(".".join(parts[:i]))
                if file is not None and file not in seen:
                    seen.add(file)
                    todo.append(file)
    return seen


def stage_scripts(dvc: dict) -> dict[str, tuple[Path, list[str]]]:
    """Stage name -> (its script, its deps) for every stage of a parsed dvc.yaml."""
    out = {}
    for name, stage in dvc["stages"].items():
        cmd = stage["cmd"] if isinstance(stage["cmd"], str) else " ".join(stage["cmd"])
        match = re.search(r"\bstages/\w+\.py\b", cmd)
        assert match, f"stage {name}: no stages/<name>.py in its cmd {cmd!r}"
        out[name] = (
            REPO / match.group(0),
            [str(d) if isinstance(d, str) else next(iter(d)) for d in stage["deps"]],
        )
    return out


def uncovered(dvc: dict) -> dict[str, list[str]]:
    """Stage name -> the imported files (repo-relative) that none of its deps covers."""
    missing = {}
    for name, (script, deps) in stage_scripts(dvc).items():
        dep_paths = [(REPO / d).resolve() for d in deps]
        files = [script, *sorted(import_closure(script))]
        lost = [
            f.relative_to(REPO).as_posix()
            for f in files
            if not any(f == d or f.is_relative_to(d) for d in dep_paths)
        ]
        if lost:
            missing[name] = lost
    return missing


@pytest.fixture(scope="module")
def dvc() -> dict:
    return yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))


def test_every_imported_module_is_a_dependency(dvc):
    missing = uncovered(dvc)
    assert not missing, (
        "dvc.yaml deps miss modules the stages import (fix: python tools/sync_dvc_deps.py): "
        + "; ".join(f"{stage}: {', '.join(files)}" for stage, files in missing.items())
    )


def test_closure_sees_transitive_and_package_imports():
    closure = {p.relative_to(SRC).as_posix() for p in import_closure(REPO / "stages" / "evaluate.py")}
    assert {
        "xlrobust/evaluate.py",
        "xlrobust/inference.py",
        "xlrobust/modeling.py",
        "xlrobust/__init__.py",
        "xlrobust/tasks/__init__.py",
        "xlrobust/tasks/panx.py",
        "xlrobust/errors.py",
    } <= closure
    assert any(p.startswith("xlrobust/multichecklist") for p in closure)


@pytest.mark.parametrize("stage", ["evaluate", "finetune", "lmem"])
def test_removing_a_dependency_fails(dvc, stage):
    """The check can fail: drop one code dependency from a copy of dvc.yaml and it is named."""
    broken = copy.deepcopy(dvc)
    deps = broken["stages"][stage]["deps"]
    code = [d for d in deps if isinstance(d, str) and d.startswith("src/xlrobust/") and d.endswith(".py")]
    assert code, f"stage {stage} lists no single code module"
    deps.remove(code[0])
    missing = uncovered(broken)
    assert stage in missing and code[0] in missing[stage]
    assert set(missing) == {stage}
