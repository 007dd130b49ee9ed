"""Atomic file output and JSONL reading.

Every file a stage writes goes through these helpers: write to a temporary file in the same directory, flush and
fsync, then ``os.replace``. A stage killed at any moment leaves either the old file or the complete new one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from xlrobust.errors import DataError

# mkstemp creates 0600 files; outputs get the mode any new file would get (0644 under the usual umask 022).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextmanager
def atomic_path(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or ".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            try:
                f.write(text)
            except UnicodeEncodeError as e:
                raise _unencodable(path, f"line {text.count(chr(10), 0, e.start) + 1}", e) from None
            f.flush()
            os.fsync(f.fileno())


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_json(path: str | Path, obj: Any) -> None:
    """Write ``obj`` as stable, human-readable JSON (sorted keys) atomically."""
    write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n")


def _unencodable(path: str | Path, where: str, e: UnicodeEncodeError) -> DataError:
    """A lone surrogate (from an escaped ``\\ud800`` in some input JSON) cannot be stored as UTF-8: say so
    instead of a traceback."""
    bad = e.object[e.start : e.end]
    return DataError(
        f"{path}: {where}: text holds {' '.join(f'U+{ord(c):04X}' for c in bad)} (an unpaired "
        "surrogate, e.g. an escaped \\ud800 in an input JSON file), which UTF-8 cannot store; fix "
        f"that text in the input data (near {e.object[max(0, e.start - 20) : e.start]!r})"
    )


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object per line atomically; return the number of rows."""
    n = 0
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            for row in rows:
                try:
                    f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                except UnicodeEncodeError as e:
                    raise _unencodable(path, f"row {n + 1}", e) from None
                n += 1
            f.flush()
            os.fsync(f.fileno())
    return n


def read_json(path: str | Path) -> Any:
    """Read a JSON file, turning a missing or malformed file into a :class:`DataError`."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not valid UTF-8 (byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: line {e.lineno}: malformed JSON ({e.msg})") from None


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL file; a malformed line is a :class:`DataError` naming file and line."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: file not found")
    rows: list[dict[str, Any]] = []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise DataError(f"{path}: line {lineno}: not valid UTF-8 (byte {e.start})") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}: line {lineno}: malformed JSON ({e.msg})") from None
            except RecursionError:
                raise DataError(f"{path}: line {lineno}: unreadable JSON (nested too deeply)") from None
            except ValueError as e:  # e.g. an integer over Python's 4300-digit limit
                raise DataError(f"{path}: line {lineno}: unreadable JSON ({str(e).split(';')[0]})") from None
            if not isinstance(row, dict):
                raise DataError(f"{path}: line {lineno}: expected a JSON object, got {type(row).__name__}")
            rows.append(row)
    return rows


def replace_dir(src: str | Path, dst: str | Path) -> None:
    """Move a finished directory ``src`` onto ``dst`` (removing an old ``dst``) as close to atomically as a
    filesystem allows: the old directory is renamed aside first, so ``dst`` is never half-written."""
    src, dst = Path(src), Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    old = dst.with_name(f".{dst.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if dst.exists():
        os.replace(dst, old)
    os.replace(src, dst)
    if old.exists():
        shutil.rmtree(old)
