"""Sharing a finished run: `dvc push` to a remote, then `dvc pull` restores every output bit for bit.

Two remotes, both real: a local directory (the default for trying it) and an S3 bucket served by moto's S3
server on 127.0.0.1 (only loopback traffic). The S3 case also follows the documented "other machine" path:
commit the remote config, `git clone`, add credentials locally, `dvc pull`.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import MINI_PARAMS, run

# Workspace folders holding every pipeline output (DVC-cached data and models, git-tracked metrics).
OUTPUT_DIRS = ("data", "models", "metrics")
# Keep any proxy configured for the package registries away from the loopback S3 server.
LOOPBACK_ENV = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
BUCKET = "xlrobust-test"


def output_digests(repo: Path) -> dict[str, str]:
    """sha256 of every file under the output folders, keyed by path relative to the repository."""
    digests = {}
    for top in OUTPUT_DIRS:
        for path in sorted((repo / top).rglob("*")):
            if path.is_file():
                digests[path.relative_to(repo).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def object_paths(root: Path) -> set[str]:
    """Relative paths (``ab/cdef...``) of the objects in a DVC cache or directory remote."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def cached_out_objects(repo: Path) -> set[str]:
    """Objects of the top-level hashes of every DVC-cached output in dvc.lock (data/ and models/; the
    metrics are `cache: false` and travel with git). Directory outputs name their ``.dir`` listing."""
    lock = yaml.safe_load((repo / "dvc.lock").read_text())
    objects = set()
    for stage in lock["stages"].values():
        for out in stage.get("outs", []):
            if out["path"].split("/")[0] in ("data", "models"):
                objects.add(f"{out['md5'][:2]}/{out['md5'][2:]}")
    return objects


def assert_pushed(remote_objects: set[str], repo: Path) -> None:
    """The remote holds every cached output and nothing that is not in the local cache.

    (The local cache also holds run-cache copies of the uncached metrics, which `dvc push` rightly skips.)
    """
    assert cached_out_objects(repo) <= remote_objects
    assert remote_objects <= object_paths(repo / ".dvc" / "cache" / "files" / "md5")


def assert_complete_baseline(digests: dict[str, str]) -> None:
    """The baseline really holds data, fine-tuned checkpoints and metrics (so the round trip means something)."""
    for task in MINI_PARAMS["tasks"]:
        for source in MINI_PARAMS["sources"]:
            assert f"models/finetuned/{task}-{source}-seed13/model.safetensors" in digests
            assert f"metrics/eval/{task}-{source}-seed13.json" in digests
    for lang in MINI_PARAMS["languages"]:
        assert f"data/prepared/{lang}/corpus.txt" in digests
    assert "models/base/model.safetensors" in digests
    assert "metrics/summary.json" in digests


def assert_clean(repo: Path, env: dict[str, str] | None = None) -> None:
    """Workspace matches dvc.lock, and the local cache matches the default remote."""
    assert "Data and pipelines are up to date" in run(["dvc", "status"], repo).stdout
    cloud = run(["dvc", "status", "--cloud"], repo, env=env or {}).stdout
    assert "in sync" in cloud, cloud


@pytest.mark.slow
def test_local_remote_push_then_pull_restores_every_output(mini_repo_copy: Path, tmp_path: Path):
    repo = mini_repo_copy
    before = output_digests(repo)
    assert_complete_baseline(before)
    store = tmp_path / "dvc-store"
    run(["dvc", "remote", "add", "-d", "localstore", str(store)], repo)
    pushed = run(["dvc", "push"], repo).stdout
    assert "pushed" in pushed, pushed
    assert_pushed(object_paths(store / "files" / "md5"), repo)

    # Lose everything local that DVC produced: the cache and all output folders.
    shutil.rmtree(repo / ".dvc" / "cache")
    for top in OUTPUT_DIRS:
        shutil.rmtree(repo / top)
    # Folder-level .gitignore files and the uncached (git-tracked) metrics come back from git, as in a clone.
    run(["git", "checkout", "--", *OUTPUT_DIRS], repo)
    assert not (repo / "models" / "base").exists()
    assert "models/finetuned/xnli-en-seed13/model.safetensors" not in output_digests(repo)

    run(["dvc", "pull"], repo)
    assert output_digests(repo) == before
    assert_clean(repo)


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto) on 127.0.0.1 with an empty bucket; stopped after the test."""
    boto3 = pytest.importorskip("boto3")
    server_mod = pytest.importorskip("moto.server")
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def add_s3_credentials(repo: Path) -> None:
    """Credentials go to .dvc/config.local (never committed), so each machine sets its own."""
    for key, value in (("access_key_id", "testing"), ("secret_access_key", "testing")):
        run(["dvc", "remote", "modify", "--local", "s3remote", key, value], repo)


def bucket_objects(endpoint: str, prefix: str) -> set[str]:
    """Object keys under ``prefix`` in the test bucket, relative to it."""
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    keys: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        keys.update(obj["Key"][len(prefix) :] for obj in page.get("Contents", []))
    return keys


@pytest.mark.slow
def test_s3_remote_push_then_clone_and_pull_elsewhere(mini_repo_copy: Path, tmp_path: Path, s3_endpoint: str):
    repo = mini_repo_copy
    before = output_digests(repo)
    assert_complete_baseline(before)
    run(["dvc", "remote", "add", "-d", "s3remote", f"s3://{BUCKET}/xlrobust"], repo)
    run(["dvc", "remote", "modify", "s3remote", "endpointurl", s3_endpoint], repo)
    run(["dvc", "remote", "modify", "s3remote", "region", "us-east-1"], repo)
    add_s3_credentials(repo)
    run(["git", "add", ".dvc/config"], repo)
    run(["git", "commit", "-qm", "S3 remote"], repo)
    assert "secret_access_key" not in (repo / ".dvc" / "config").read_text()

    run(["dvc", "push"], repo, env=LOOPBACK_ENV)
    assert_pushed(bucket_objects(s3_endpoint, "xlrobust/files/md5/"), repo)

    # "Another machine": a fresh clone with an empty cache and no outputs, only what git carries.
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(repo), str(clone)], tmp_path)
    assert not (clone / "models" / "base").exists()
    add_s3_credentials(clone)
    run(["dvc", "pull"], clone, env=LOOPBACK_ENV)
    assert output_digests(clone) == before
    assert_clean(clone, env=LOOPBACK_ENV)
