"""Shared fixtures: a miniature copy of the real pipeline, run once per test session with `dvc repro`.

Tests that change the repository (experiments, remotes, interrupted runs) take ``mini_repo_copy``: a private
copy of the finished baseline (workspace, git history and DVC cache), so they never disturb each other.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pipeline_helpers import MINI_PARAMS, make_repo, run


@pytest.fixture(scope="session")
def mini_repo(tmp_path_factory) -> Path:
    """The miniature pipeline after a complete `dvc repro`, committed. Do not modify it: use mini_repo_copy."""
    repo = make_repo(tmp_path_factory.mktemp("mini"), MINI_PARAMS)
    run(["dvc", "repro"], repo)
    run(["git", "add", "-A"], repo)
    run(["git", "commit", "-qm", "baseline"], repo)
    return repo


@pytest.fixture
def mini_repo_copy(mini_repo: Path, tmp_path: Path) -> Path:
    """A private copy of the finished baseline (workspace, .git, .dvc cache included)."""
    dst = tmp_path / "repo"
    shutil.copytree(mini_repo, dst, symlinks=True)
    return dst


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marker into the node id
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`make test` runs ``-n 2 --dist loadgroup``) every test that uses the miniature
    pipeline runs on one worker, so the session-scoped ``mini_repo`` is built once; the other worker takes the
    rest of the suite meanwhile."""
    for item in items:
        if {"mini_repo", "mini_repo_copy"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("mini_pipeline"))
