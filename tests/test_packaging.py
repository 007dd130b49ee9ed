"""pyproject.toml declares what the code needs; requirements.txt is the pinned lock that satisfies it.

- Every third-party module that ``src/`` or ``stages/`` imports (found with ``ast``; the standard library and
  ``xlrobust`` excluded) belongs to a distribution listed in ``[project].dependencies``, so an import added
  without declaring it fails here.
- Every pin in requirements.txt of a declared dependency satisfies its specifier (``ipython<9``,
  ``setuptools<81``, ``torch>=2.6``, ...), so the lock and the declaration cannot drift apart.
"""

from __future__ import annotations

import ast
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

ROOT = Path(__file__).resolve().parent.parent


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared() -> dict[str, Requirement]:
    reqs = [Requirement(r) for r in project()["dependencies"]]
    return {canonicalize_name(r.name): r for r in reqs}


def locked() -> dict[str, Requirement]:
    """The pins of requirements.txt by canonical name (comments and blank lines skipped)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            r = Requirement(line)
            pins[canonicalize_name(r.name)] = r
    return pins


def third_party_imports(*folders: Path) -> set[str]:
    """Top-level names of the modules imported anywhere in the Python files under ``folders`` (absolute imports
    only), without the standard library and xlrobust."""
    names = set()
    for folder in folders:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "xlrobust"}


def test_every_runtime_import_is_declared() -> None:
    providers = metadata.packages_distributions()
    deps = declared()
    undeclared = {}
    for module in sorted(third_party_imports(ROOT / "src", ROOT / "stages")):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists:
            undeclared[module] = "not installed"
        elif not dists & deps.keys():
            undeclared[module] = f"from {', '.join(sorted(dists))}, not in [project].dependencies"
    assert undeclared == {}, f"imports not declared in pyproject.toml: {undeclared}"


def test_lock_satisfies_the_declared_dependencies() -> None:
    pins = locked()
    wanted = dict(declared())
    for extra in project().get("optional-dependencies", {}).values():
        wanted.update({canonicalize_name(Requirement(r).name): Requirement(r) for r in extra})
    conflicts = {}
    for name, req in wanted.items():
        if name in pins:
            version = str(next(iter(pins[name].specifier)).version)
            if not req.specifier.contains(version, prereleases=True):
                conflicts[name] = f"requirements.txt pins {version}, pyproject.toml wants {req.specifier}"
    assert conflicts == {}


def test_declared_dependencies_are_installed() -> None:
    missing = {}
    for name, req in declared().items():
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            missing[name] = "not installed"
            continue
        if not req.specifier.contains(version, prereleases=True):
            missing[name] = f"{version} installed, {req.specifier} declared"
    assert missing == {}


def test_import_scan_sees_third_party_and_skips_stdlib(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import os, numpy.linalg\nfrom scipy import stats\nfrom . import x\nfrom xlrobust import io\n",
        encoding="utf-8",
    )
    assert third_party_imports(tmp_path) == {"numpy", "scipy"}
