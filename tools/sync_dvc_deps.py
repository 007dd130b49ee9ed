"""Rewrite the code deps of every stage in dvc.yaml from the stage script's static import closure.

`tests/test_dvc_deps.py` fails when a stage imports a module of `src/xlrobust` that its deps do not cover; this
script is the fix it asks for. For each stage it writes, in order: the stage script, `metrics/params_valid.txt`
(the validate stage's output; not for validate itself), the closure (a package whose every module is imported
becomes its folder), then the stage's other deps (data, models) unchanged. Run from anywhere:

    python tools/sync_dvc_deps.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_dvc_deps import REPO, SRC, import_closure, stage_scripts  # noqa: E402

VALID = "      - metrics/params_valid.txt        # the validate stage: bad params stop here"
CODE_DEP = re.compile(r"      - (src|stages)/|      - metrics/params_valid\.txt")


def compress(files: set[Path]) -> list[str]:
    """Closure files as deps: a subpackage all of whose modules are imported is listed as its folder."""
    out = set(files)
    for init in sorted(SRC.rglob("__init__.py"), key=lambda p: len(p.parts)):
        pkg = init.parent
        if pkg == SRC / "xlrobust":
            continue
        every = set(pkg.rglob("*.py"))
        if every <= files:
            out -= every
            out.add(pkg)
    dirs = [p for p in out if p.is_dir()]
    out = {p for p in out if not any(p != d and p.is_relative_to(d) for d in dirs)}
    return sorted(p.relative_to(REPO).as_posix() for p in out)


def sync(text: str) -> str:
    """dvc.yaml's text with every stage's code deps replaced by its import closure."""
    dvc = yaml.safe_load(text)
    scripts = stage_scripts(dvc)
    lines, out, i, stage = text.split("\n"), [], 0, None
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^  (\w+):$", line)
        if m and m.group(1) in dvc["stages"]:
            stage = m.group(1)
        if line == "    deps:" and stage:
            j = i + 1
            while j < len(lines) and lines[j].startswith("      - "):
                j += 1
            other = [x for x in lines[i + 1 : j] if not CODE_DEP.match(x)]
            script, _ = scripts[stage]
            out.append(line)
            out.append(f"      - {script.relative_to(REPO).as_posix()}")
            if stage != "validate":
                out.append(VALID)
            out += [f"      - {c}" for c in compress(import_closure(script))]
            out += other
            i, stage = j, None
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


if __name__ == "__main__":
    path = REPO / "dvc.yaml"
    new = sync(path.read_text(encoding="utf-8"))
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)
    print(f"updated {path}")
