"""NLTK data for checklist: lexnames generation, partial/idempotent/atomic setup, the CLI and the import."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xlrobust import nltk_setup as ns
from xlrobust.errors import ConfigError

MAN_EXCERPT = (
    ".TS\n\\fBFile Number\\fP\t\\fBName\\fP\t\\fBContents\\fP\n_\n"
    "00\tadj.all\tall adjective clusters\n"
    "02\tadv.all\tall adverbs\n"
    "18\tnoun.person  \tnouns denoting people\n"
    "29\tverb.body\tverbs of grooming, dressing and bodily care\n"
    ".TE\n"
)


def full_man_page() -> str:
    """A lexnames man-page table with WordNet 3.0's 45 rows (names built from the real category split)."""
    rows = ["00\tadj.all\tx", "01\tadj.pert\tx", "02\tadv.all\tx"]
    rows += [f"{i:02d}\tnoun.n{i}\tx" for i in range(3, 29)] + [
        f"{i:02d}\tverb.v{i}\tx" for i in range(29, 44)
    ]
    rows += ["44\tadj.ppl\tx"]
    return "header line\n" + "\n".join(rows) + "\n.TE\n"


def test_lexnames_rows_and_categories():
    text = ns.lexnames_from_man_page(full_man_page())
    lines = text.splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3"
    assert lines[2] == "02\tadv.all\t4"
    assert lines[3] == "03\tnoun.n3\t1"
    assert lines[29] == "29\tverb.v29\t2"


def test_lexnames_strips_padding_and_rejects_wrong_count():
    with pytest.raises(ConfigError, match="expected 45"):
        ns.lexnames_from_man_page(MAN_EXCERPT)
    page = full_man_page().replace("18\tnoun.n18\tx", "18\tnoun.person  \tnouns denoting people")
    assert "18\tnoun.person\t1" in ns.lexnames_from_man_page(page).splitlines()


@pytest.fixture(scope="module")
def built_dir() -> Path:
    """The NLTK data dir the project uses (built from Debian's packages if this machine lacks it)."""
    return ns.ensure_nltk_data(ns.default_dir(), download=False)


def test_built_dir_is_complete(built_dir: Path):
    assert ns.missing_corpora(built_dir) == []
    assert (built_dir / "corpora" / "wordnet_ic" / "ic-brown.dat").read_text() == ns.UNIFORM_IC_BROWN
    lex = (built_dir / "corpora" / "wordnet" / "lexnames").read_text().splitlines()
    assert len(lex) == 45 and lex[18] == "18\tnoun.person\t1"


def test_partial_dir_is_completed_without_touching_the_rest(built_dir: Path, tmp_path: Path):
    target = tmp_path / "nltk"
    (target / "corpora").mkdir(parents=True)
    os.symlink(built_dir / "corpora" / "wordnet", target / "corpora" / "wordnet")
    (target / "tokenizers").mkdir()
    (target / "tokenizers" / "keep.txt").write_text("mine")
    assert ns.missing_corpora(target) == ["wordnet_ic", "sentiwordnet"]

    assert ns.ensure_nltk_data(target, download=False) == target.resolve()
    assert ns.missing_corpora(target) == []
    assert (target / "tokenizers" / "keep.txt").read_text() == "mine"
    assert (target / "corpora" / "wordnet").is_symlink()
    assert not [p for p in target.iterdir() if p.name.startswith(".")]  # no temp build dir left behind

    stamp = (target / "corpora" / "wordnet_ic" / "ic-brown.dat").stat().st_mtime_ns
    ns.ensure_nltk_data(target, download=False)  # idempotent: nothing rebuilt
    assert (target / "corpora" / "wordnet_ic" / "ic-brown.dat").stat().st_mtime_ns == stamp


def test_incomplete_wordnet_is_detected(tmp_path: Path):
    (tmp_path / "corpora" / "wordnet").mkdir(parents=True)
    (tmp_path / "corpora" / "wordnet" / "data.noun").write_text("")
    assert "wordnet" in ns.missing_corpora(tmp_path)


def test_cli(built_dir: Path, capsys):
    assert ns.main([str(built_dir)]) == 0
    assert capsys.readouterr().out.strip() == str(built_dir)
    assert ns.main(["--help"]) == 2
    assert "usage" in capsys.readouterr().err


def test_default_dir_honours_env(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(ns.ENV_VAR, str(tmp_path / "x"))
    assert ns.default_dir() == tmp_path / "x"
    monkeypatch.delenv(ns.ENV_VAR)
    assert ns.default_dir() == Path.home() / ".cache" / "xlrobust" / "nltk_data"


def test_import_checklist_perturb(built_dir: Path):
    perturb = ns.import_checklist_perturb()
    assert perturb.__module__ == "checklist.perturb"
    assert perturb.contractions("It is fine") == ["It's fine"]
    assert os.environ["NLTK_DATA"] == str(built_dir)


def test_unwritable_target_is_a_config_error(tmp_path: Path, capsys):
    (tmp_path / "file").write_text("")
    assert ns.main([str(tmp_path / "file" / "nltk")]) == 2
    assert "cannot create the NLTK data dir" in capsys.readouterr().err
