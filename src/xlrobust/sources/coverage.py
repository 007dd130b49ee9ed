"""Which (task, language, split) a source provides, for the coverage table of a run's report.

Every study loads its splits first (validation happens there); these rows then say, per split, how many examples
it has, whether it is labelled (XTREME test files are not), where it came from and any caveat (machine-translated
train, answers removed), so a missing or unscorable cell is visible instead of silently absent.
"""

from __future__ import annotations

from collections.abc import Mapping

from xlrobust.sources.validate import SplitData

COLUMNS: tuple[str, ...] = (
    "task",
    "language",
    "split",
    "count",
    "labelled",
    "dropped",
    "repaired",
    "origin",
    "note",
)


def coverage_rows(loaded: Mapping[tuple[str, str, str], SplitData | None]) -> list[dict]:
    """One row per (task, language, split) key, sorted; a None value is a split the source does not have."""
    rows = []
    for (task, lang, split), data in sorted(loaded.items()):
        if data is None:
            rows.append(
                {
                    "task": task,
                    "language": lang,
                    "split": split,
                    "count": 0,
                    "labelled": None,
                    "dropped": 0,
                    "repaired": 0,
                    "origin": "not in source",
                    "note": "",
                }
            )
        else:
            rows.append(
                {
                    "task": task,
                    "language": lang,
                    "split": split,
                    "count": len(data.examples),
                    "labelled": data.labelled,
                    "dropped": data.dropped,
                    "repaired": data.repaired,
                    "origin": data.origin,
                    "note": data.note,
                }
            )
    return rows


def coverage_markdown(rows: list[dict]) -> str:
    """The rows as a Markdown table (labelled: yes / NO / - for absent)."""

    def cell(row: dict, col: str) -> str:
        value = row[col]
        if col == "labelled":
            return "-" if value is None else ("yes" if value else "NO")
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(row, c) for c in COLUMNS) + " |" for row in rows]
    return "\n".join(lines) + "\n"
