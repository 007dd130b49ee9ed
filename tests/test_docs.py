"""The documentation stays true to the checkout: links resolve, the README stays short, the bad-input table
names tests that exist.

- Every relative link in ``README.md`` and ``docs/*.md`` points at an existing file, and a ``#anchor`` on a
  Markdown file matches one of its headings (GitHub's slug: lower case, punctuation dropped, spaces to ``-``).
- ``README.md`` stays under 12 KiB; reference material belongs in ``docs/``.
- ``tests/BAD_INPUTS.md`` is the one table of bad inputs (``docs/troubleshooting.md`` links to it); every test it
  cites in its "Test" column exists: ``test_x.py`` as a file, ``test_x.py::test_y`` (or ``::Class::test_y``) as
  a function in it, ``test_x.py [case]`` as a case name in that file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
BAD_INPUTS = TESTS / "BAD_INPUTS.md"
README_MAX_BYTES = 12_288

# [text](target) or ![alt](target); the target ends at whitespace or ")" (no titles are used in these docs).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
# One cited test: a file, optionally ::names, or a file followed by a [case name].
TEST_REF = re.compile(r"(test_\w+\.py)(?:((?:::\w+)+)|\s*\[([^\]]+)\])?")


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, markup and punctuation other than '-' and '_' removed, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text.replace("`", ""))
    return text.replace(" ", "-")


def anchors(md: Path) -> set[str]:
    text = FENCE.sub("", md.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


def relative_links(md: Path) -> list[str]:
    text = CODE_SPAN.sub("", FENCE.sub("", md.read_text(encoding="utf-8")))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def broken_links(md: Path) -> list[str]:
    """The relative links of ``md`` whose file (or heading anchor) does not exist, with the reason."""
    bad = []
    for target in relative_links(md):
        path, _, anchor = target.partition("#")
        dest = (md.parent / path).resolve() if path else md
        if not dest.exists():
            bad.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            bad.append(f"{target} (no heading #{anchor} in {dest.name})")
    return bad


@pytest.mark.parametrize("md", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(md: Path) -> None:
    assert broken_links(md) == [], f"{md.relative_to(ROOT)}: broken links"


def test_link_check_catches_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# A heading\n", encoding="utf-8")
    md = tmp_path / "page.md"
    md.write_text(
        "[ok](other.md) [ok](other.md#a-heading) [web](https://example.org) `[code](nope.md)`\n"
        "[missing](nope.md) [bad anchor](other.md#nope)\n",
        encoding="utf-8",
    )
    assert broken_links(md) == ["nope.md (no such file)", "other.md#nope (no heading #nope in other.md)"]


def test_docs_exist_and_readme_is_short() -> None:
    assert len(list((ROOT / "docs").glob("*.md"))) >= 5
    size = (ROOT / "README.md").stat().st_size
    assert size < README_MAX_BYTES, f"README.md is {size} bytes; move reference material to docs/"


def test_readme_shows_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make run", "make test", "make test-fast"):
        assert command in text


def test_troubleshooting_links_the_single_bad_input_table() -> None:
    page = ROOT / "docs" / "troubleshooting.md"
    assert "../tests/BAD_INPUTS.md" in relative_links(page)
    table_rows = [
        line for line in page.read_text(encoding="utf-8").splitlines() if re.match(r"\|\s*\d+\s*\|", line)
    ]
    assert table_rows == [], "the bad-input table lives in tests/BAD_INPUTS.md only; link to it"


def bad_input_rows() -> list[tuple[str, str]]:
    """(row number, Test column) of every numbered row of tests/BAD_INPUTS.md."""
    rows = []
    for line in BAD_INPUTS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*(\d+)\s*\|", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append((m.group(1), cells[-1]))
    return rows


def defined_names(source: str) -> set[str]:
    """Qualified names of the functions and classes defined in a module (``f``, ``Class``, ``Class::method``)."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{n.name}"
                for n in node.body
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            )
    return names


def missing_tests(cell: str) -> list[str]:
    """The tests cited in one "Test" cell that do not exist in tests/."""
    refs = list(TEST_REF.finditer(cell))
    if not refs:
        return [f"{cell!r} cites no test"]
    missing = []
    for ref in refs:
        file, names, case = ref.group(1), ref.group(2), ref.group(3)
        path = TESTS / file
        if not path.is_file():
            missing.append(f"{file} (no such file)")
            continue
        source = path.read_text(encoding="utf-8")
        if names and names[2:] not in defined_names(source):
            missing.append(f"{file}{names} (not defined)")
        if case and f'"{case}"' not in source:
            missing.append(f"{file} [{case}] (no such case)")
    return missing


def test_bad_input_table_cites_existing_tests() -> None:
    rows = bad_input_rows()
    assert len(rows) >= 60, "tests/BAD_INPUTS.md lost its table"
    numbers = [int(n) for n, _ in rows]
    assert numbers == list(range(1, len(rows) + 1)), "rows are numbered 1..n without gaps or repeats"
    missing = {n: m for n, cell in rows if (m := missing_tests(cell))}
    assert missing == {}, f"tests/BAD_INPUTS.md rows citing tests that do not exist: {missing}"


def test_citation_check_catches_a_missing_test() -> None:
    assert (
        missing_tests("test_config.py::test_bad_params_name_the_key; test_stage_errors.py [bad YAML]") == []
    )
    assert missing_tests("test_config.py::test_no_such_test") == [
        "test_config.py::test_no_such_test (not defined)"
    ]
    assert missing_tests("test_stage_errors.py [no such case]") == [
        "test_stage_errors.py [no such case] (no such case)"
    ]
    assert missing_tests("test_nope.py") == ["test_nope.py (no such file)"]
    assert missing_tests("by hand") == ["'by hand' cites no test"]
