"""Make ``checklist.perturb`` importable offline by providing the NLTK corpora ``pattern.en`` loads at import.

``from checklist.perturb import Perturb`` imports ``pattern.en``, whose WordNet module looks up the NLTK corpora
``wordnet``, ``wordnet_ic`` (file ``ic-brown.dat``) and ``sentiwordnet`` under ``NLTK_DATA`` and otherwise calls
``nltk.download``, which fails without network. This module builds such a directory:

* with network: ``nltk.download`` of the real corpora (quick probe first, short socket timeout);
* offline: WordNet 3.0 from Debian's ``wordnet-base`` and ``wordnet-sense-index`` packages (installed under
  ``/usr/share/wordnet`` or fetched without root by ``apt-get download`` + ``dpkg -x``), plus the ``lexnames``
  file Debian lacks, generated from its man page ``lexnames.5WN``. ``wordnet_ic/ic-brown.dat`` is written as a
  *uniform placeholder* (one root count per part of speech): pattern only parses it at import and xlrobust never
  calls WordNet similarity, so no information-content value is ever used. ``sentiwordnet`` is an empty
  directory (pattern only checks that it exists; SentiWordNet lookups would find nothing).

CLI (called by the Makefile's install step): ``python -m xlrobust.nltk_setup [DIR]``; ``DIR`` defaults to
``$XLROBUST_NLTK_DATA`` or ``~/.cache/xlrobust/nltk_data``.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
import warnings
from functools import cache
from pathlib import Path
from typing import Any

from xlrobust.errors import ConfigError
from xlrobust.io import replace_dir, write_text

ENV_VAR = "XLROBUST_NLTK_DATA"
CORPORA: tuple[str, ...] = ("wordnet", "wordnet_ic", "sentiwordnet")
DEBIAN_PACKAGES: tuple[str, ...] = ("wordnet-base", "wordnet-sense-index")
NLTK_INDEX_URL = "https://raw.githubusercontent.com/nltk/nltk_data/gh-pages/index.xml"
# What each corpus must contain for pattern's import (and NLTK's WordNet reader) to succeed.
REQUIRED_FILES: dict[str, tuple[str, ...]] = {
    "wordnet": ("lexnames", "data.noun", "index.noun", "data.verb", "index.verb", "data.adj", "data.adv"),
    "wordnet_ic": ("ic-brown.dat",),
    "sentiwordnet": (),
}
# Placeholder information content: the WordNet 3.0 version hash NLTK's reader expects, then one root count per
# part of speech. Never used for similarity in xlrobust (see module docstring).
UNIFORM_IC_BROWN = "wnver::eOS9lXC6GvMWznF1wkZofDdtbBU\n1740n 1 ROOT\n1740v 1 ROOT\n"
_LEX_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
_FIX_HINT = "run `python -m xlrobust.nltk_setup [DIR]` (see src/xlrobust/nltk_setup.py)"


def default_dir() -> Path:
    """``$XLROBUST_NLTK_DATA`` or ``~/.cache/xlrobust/nltk_data``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.home() / ".cache" / "xlrobust" / "nltk_data"


def corpus_complete(target: Path, name: str) -> bool:
    """Whether ``target/corpora/name`` holds what pattern needs; asks NLTK's own resolver so that a real
    download kept as ``name.zip`` also counts."""
    import nltk

    probes = [f"corpora/{name}/{f}" for f in REQUIRED_FILES[name]] or [f"corpora/{name}"]
    try:
        for probe in probes:
            nltk.data.find(probe, paths=[str(target)])
    except LookupError:
        return False
    return True


def missing_corpora(target: Path) -> list[str]:
    return [name for name in CORPORA if not corpus_complete(target, name)]


def lexnames_from_man_page(man_text: str) -> str:
    """Turn the table of ``lexnames(5WN)`` (``NN<TAB>name<TAB>description``) into the ``lexnames`` file NLTK reads
    (``NN<TAB>name<TAB>category`` with category 1 noun, 2 verb, 3 adj, 4 adv)."""
    lines = []
    for raw in man_text.splitlines():
        parts = [p.strip() for p in raw.split("\t")]
        if len(parts) < 2 or not (parts[0].isdigit() and len(parts[0]) == 2):
            continue
        name = parts[1]
        pos = name.split(".", 1)[0]
        if pos not in _LEX_CATEGORY:
            continue
        lines.append(f"{parts[0]}\t{name}\t{_LEX_CATEGORY[pos]}")
    if len(lines) != 45:  # WordNet 3.0 has 45 lexicographer files
        raise ConfigError(
            f"lexnames man page: expected 45 lexicographer files, found {len(lines)}; the Debian wordnet-base "
            f"package may have changed. {_FIX_HINT} with network, or put a WordNet 3.0 'lexnames' file in place."
        )
    return "\n".join(lines) + "\n"


def _debian_root(work: Path) -> Path:
    """A directory with ``usr/share/wordnet`` and the lexnames man page: ``/`` when the packages are installed
    with their man pages, else the packages fetched with ``apt-get download`` and unpacked with ``dpkg -x``."""
    if (
        Path("/usr/share/wordnet/data.noun").is_file()
        and Path("/usr/share/wordnet/index.sense").is_file()
        and Path("/usr/share/man/man5/lexnames.5WN.gz").is_file()
    ):
        return Path("/")
    debs, root = work / "debs", work / "root"
    debs.mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    _run(["apt-get", "download", *DEBIAN_PACKAGES], cwd=debs)
    for deb in sorted(debs.glob("*.deb")):
        _run(["dpkg", "-x", str(deb), str(root)], cwd=debs)
    return root


def _run(cmd: list[str], cwd: Path) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ConfigError(
            f"cannot build NLTK data offline: `{' '.join(cmd)}` failed ({e}); install the Debian packages "
            f"{' '.join(DEBIAN_PACKAGES)} (apt-get install) or use a machine with network, then {_FIX_HINT}"
        ) from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise ConfigError(
            f"cannot build NLTK data offline: `{' '.join(cmd)}` exited {proc.returncode} ({last}); try "
            f"`apt-get update` first, or install {' '.join(DEBIAN_PACKAGES)}, then {_FIX_HINT}"
        )


def build_from_debian(corpora_dir: Path, names: list[str]) -> None:
    """Write the corpora ``names`` into ``corpora_dir`` from Debian's WordNet packages (see module docstring)."""
    corpora_dir.mkdir(parents=True, exist_ok=True)
    if "wordnet" in names:
        with tempfile.TemporaryDirectory(prefix="xlrobust-wordnet-") as work:
            root = _debian_root(Path(work))
            src = root / "usr" / "share" / "wordnet"
            man = root / "usr" / "share" / "man" / "man5" / "lexnames.5WN.gz"
            if not (src / "data.noun").is_file() or not man.is_file():
                raise ConfigError(
                    f"{src}: WordNet files or {man.name} missing after unpacking {' '.join(DEBIAN_PACKAGES)}; "
                    f"{_FIX_HINT} on a machine with network"
                )
            dst = corpora_dir / "wordnet"
            dst.mkdir()
            for f in sorted(src.iterdir()):
                if f.is_file():
                    shutil.copyfile(f, dst / f.name)
            write_text(
                dst / "lexnames", lexnames_from_man_page(gzip.open(man, "rt", encoding="utf-8").read())
            )
    if "wordnet_ic" in names:
        write_text(corpora_dir / "wordnet_ic" / "ic-brown.dat", UNIFORM_IC_BROWN)
    if "sentiwordnet" in names:
        (corpora_dir / "sentiwordnet").mkdir(exist_ok=True)


def network_available(timeout: float = 3.0) -> bool:
    """A quick probe of NLTK's data index, so an offline machine does not wait on nltk's untimed downloads."""
    try:
        with urllib.request.urlopen(NLTK_INDEX_URL, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:  # noqa: BLE001 - any failure (DNS, proxy refusal, TLS) means "offline" here
        return False


def download_real(download_dir: Path, names: list[str], timeout: float = 10.0) -> list[str]:
    """``nltk.download`` each corpus into ``download_dir``; return the names that arrived complete."""
    import nltk

    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    got = []
    try:
        for name in names:
            try:
                ok = nltk.download(name, download_dir=str(download_dir), quiet=True, raise_on_error=True)
            except Exception:  # noqa: BLE001 - fall back to the Debian build for this corpus
                ok = False
            if ok and corpus_complete(download_dir, name):
                got.append(name)
    finally:
        socket.setdefaulttimeout(old)
    return got


def ensure_nltk_data(target: Path, *, download: bool = True, timeout: float = 3.0) -> Path:
    """Make ``target`` an NLTK data dir with the corpora pattern needs; return it.

    Idempotent (complete corpora are left alone, other content of ``target`` is kept) and atomic per corpus:
    each is built in a temporary directory beside ``target`` and renamed into place.
    """
    target = Path(target).expanduser().resolve()
    missing = missing_corpora(target)
    if not missing:
        return target
    try:
        (target / "corpora").mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".nltk-build-", dir=target))
    except OSError as e:
        raise ConfigError(
            f"{target}: cannot create the NLTK data dir ({e.strerror}); pass another DIR to "
            f"`python -m xlrobust.nltk_setup DIR` or set {ENV_VAR}"
        ) from None
    try:
        got: list[str] = []
        if download and network_available(timeout):
            got = download_real(tmp, missing, timeout=max(timeout, 10.0))
        rest = [name for name in missing if name not in got]
        if rest:
            build_from_debian(tmp / "corpora", rest)
        for entry in sorted((tmp / "corpora").iterdir()):
            dst = target / "corpora" / entry.name
            if entry.is_dir():
                replace_dir(entry, dst)
            else:
                os.replace(entry, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    still = missing_corpora(target)
    if still:
        raise ConfigError(
            f"{target}: NLTK corpora {', '.join(still)} still incomplete after setup; {_FIX_HINT}"
        )
    return target


def use_nltk_data(target: Path) -> None:
    """Point NLTK (this process and children) at ``target`` first."""
    import nltk

    os.environ["NLTK_DATA"] = str(target)
    if str(target) not in nltk.data.path:
        nltk.data.path.insert(0, str(target))


@cache
def import_checklist_perturb(target: Path | None = None) -> Any:
    """Return ``checklist.perturb.Perturb``, building/using the NLTK data dir first (imported once per process)."""
    target = Path(target) if target is not None else default_dir()
    try:
        target = ensure_nltk_data(target)
    except ConfigError as e:
        raise ConfigError(f"checklist needs NLTK data in {target}: {e}") from None
    use_nltk_data(target)
    try:
        with warnings.catch_warnings():  # checklist's notebook viewer imports deprecated IPython names
            warnings.simplefilter("ignore", DeprecationWarning)
            from checklist.perturb import Perturb
    except (LookupError, ValueError, OSError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ConfigError(
            f"cannot import checklist.perturb with NLTK_DATA={target} ({first}); {_FIX_HINT}, or delete {target} "
            "and rerun it"
        ) from None
    except ImportError as e:
        raise ConfigError(
            f"cannot import checklist.perturb ({e}); install the pinned requirements "
            "(checklist-pattern, ipython<9, setuptools<81)"
        ) from None
    return Perturb


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print(
            "usage: python -m xlrobust.nltk_setup [DIR]  (default: $XLROBUST_NLTK_DATA or "
            "~/.cache/xlrobust/nltk_data)",
            file=sys.stderr,
        )
        return 2
    target = Path(args[0]) if args else default_dir()
    try:
        path = ensure_nltk_data(target)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
