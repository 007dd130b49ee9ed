"""Shared fixtures: a miniature copy of the real pipeline, run once per test run as `make run` runs it
(``python -m xlrobust.parallel_repro``: DVC runs every stage, two at a time where the graph allows).

Tests that change the repository (experiments, remotes, interrupted runs) take ``mini_repo_copy``: a private
copy of the finished baseline (workspace, git history and DVC cache), so they never disturb each other.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from pipeline_helpers import MAKE_RUN, MINI_PARAMS, make_repo, run


def _build_mini_repo(root: Path) -> Path:
    repo = make_repo(root, MINI_PARAMS)
    run(MAKE_RUN, repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "baseline"], repo)
    return repo


@pytest.fixture(scope="session")
def mini_repo(tmp_path_factory) -> Path:
    """The miniature pipeline after a complete `dvc repro`, committed. Do not modify it: use mini_repo_copy.

    Under pytest-xdist (`make test` runs ``-n 2``) the workers share one build: the first to need it builds it
    under a file lock in the run's common temporary folder, the others wait and reuse it (pytest-xdist's recipe
    for session fixtures that must run once)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _build_mini_repo(tmp_path_factory.mktemp("mini"))
    shared = tmp_path_factory.getbasetemp().parent / "mini"
    with FileLock(str(shared) + ".lock"):
        if not (shared / "BUILT").is_file():
            shutil.rmtree(shared, ignore_errors=True)  # a build that failed half-way in another worker
            _build_mini_repo(shared)
            (shared / "BUILT").write_text("ok\n")
    return shared / "repo"


@pytest.fixture
def mini_repo_copy(mini_repo: Path, tmp_path: Path) -> Path:
    """A private copy of the finished baseline (workspace, .git, .dvc cache included)."""
    dst = tmp_path / "repo"
    shutil.copytree(mini_repo, dst, symlinks=True)
    return dst


def pytest_collection_modifyitems(config, items):
    """One mini-pipeline test first, the other mini-pipeline tests last: under pytest-xdist the worker that gets
    the first test builds the shared pipeline while the other runs unit tests, and the mini-pipeline tests are
    then spread over both workers instead of one of them waiting on the build's lock."""
    mini = [i for i in items if {"mini_repo", "mini_repo_copy"} & set(getattr(i, "fixturenames", ()))]
    if mini:
        rest = [i for i in items if i not in set(mini)]
        items[:] = [mini[0], *rest, *mini[1:]]
