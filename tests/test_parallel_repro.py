"""`make run`'s runner (xlrobust.parallel_repro): independent stages side by side, each still run by DVC.

The real pipeline runs under it in the shared miniature repository (conftest.py), so test_determinism (a plain
`dvc repro -f` rewrites the same bytes) and test_pipeline_e2e (a plain `dvc repro` afterwards does nothing) check
it on every stage; here a toy pipeline of shell commands checks the scheduling itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_helpers import MAKE_RUN, run

from xlrobust.parallel_repro import main, make_plan

SRC = str(Path(__file__).resolve().parents[1] / "src")

# a -> (b@1, b@2) -> c, and d beside them; b@2 fails when the file FAIL exists. Each b records when it ran.
TOY = """\
stages:
  a:
    cmd: echo a > a.txt
    outs: [a.txt]
  b:
    matrix:
      n: [1, 2]
    cmd: >-
      python -c "import time; t = time.time(); time.sleep(2); open('t${item.n}.txt', 'w').write(f'{t} {time.time()}')"
      && test ! -e FAIL${item.n} && cat a.txt > b${item.n}.txt
    deps: [a.txt]
    outs: ["b${item.n}.txt", "t${item.n}.txt"]
  c:
    cmd: cat b1.txt b2.txt > c.txt
    deps: [b1.txt, b2.txt]
    outs: [c.txt]
  d:
    cmd: echo d > d.txt
    outs: [d.txt]
"""


def toy_repo(root: Path) -> Path:
    repo = root / "toy"
    repo.mkdir()
    (repo / "dvc.yaml").write_text(TOY)
    run(["git", "init", "-q"], repo)
    run(["dvc", "init", "-q"], repo)
    return repo


def runner(repo: Path, *args: str, check: bool = True):
    return run([*MAKE_RUN, *args], repo, check=check, env={"PYTHONPATH": SRC, "DVC_NO_ANALYTICS": "1"})


def test_plan_is_the_changed_stages_and_everything_downstream() -> None:
    order = ["validate", "prepare", "pretrain", "finetune", "evaluate", "report"]
    depends_on = {
        "prepare": ["validate"],
        "pretrain": ["validate"],
        "finetune": ["prepare", "pretrain"],
        "evaluate": ["finetune", "prepare"],
        "report": ["evaluate"],
    }
    plan = make_plan(order, depends_on, ["pretrain"])
    # prepare is up to date: not in the plan, and not waited for
    assert plan.order == ("pretrain", "finetune", "evaluate", "report")
    assert plan.upstream["finetune"] == {"pretrain"}
    assert plan.upstream["report"] == {"pretrain", "finetune", "evaluate"}
    assert make_plan(order, depends_on, []).order == ()
    assert make_plan(order, depends_on, ["validate"]).order == tuple(order)


def test_stages_run_side_by_side_a_failure_stops_its_downstream_and_a_rerun_resumes(tmp_path: Path) -> None:
    repo = toy_repo(tmp_path)
    (repo / "FAIL2").write_text("")
    failed = runner(repo, "--jobs", "2", check=False)
    assert failed.returncode == 255  # dvc repro's status for a failed stage
    (s1, e1), (s2, e2) = ([float(x) for x in (repo / f"t{n}.txt").read_text().split()] for n in (1, 2))
    assert s2 < e1 and s1 < e2, f"b@1 ran {s1:.1f}-{e1:.1f}, b@2 ran {s2:.1f}-{e2:.1f}: not side by side"
    err = failed.stderr.strip().splitlines()[-1]
    assert err.startswith("error: stage b@2 failed (exit 255") and "1 stage(s) not run" in err, err
    assert (repo / "b1.txt").is_file() and (repo / "d.txt").is_file()  # the rest finished
    assert not (repo / "c.txt").exists()  # c waits for b@2
    assert (
        "[b@2] Running stage 'b@2'" in failed.stdout and "To track the changes with git" not in failed.stdout
    )

    (repo / "FAIL2").unlink()
    out = runner(repo, "--jobs", "2").stdout  # resumes: only b@2 and c run
    assert "Running stage 'b@2'" in out and "Running stage 'c'" in out
    assert not [n for n in ("a", "b@1", "d") if f"Running stage '{n}'" in out], out
    assert (repo / "c.txt").read_text() == "a\na\n"
    # the runner's closing `dvc status` is clean: dvc.lock records every stage (side-by-side stages did not
    # lose each other's entries)
    assert out.strip().endswith("Data and pipelines are up to date."), out


def test_jobs_must_be_positive(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--jobs", "0"])
    assert exit_.value.code == 2 and "--jobs must be at least 1" in capsys.readouterr().err
