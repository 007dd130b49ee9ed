"""What each source trained on and where each target's number comes from, read from prepare's coverage tables
(``metrics/coverage/<lang>.json``), for the report and summary.json.

Per (task, source): the training examples used (after ``data.equal_train_size``) and available, the dataset and
its provenance (native, human- or machine-translated). Per (task, target): the dataset of its evaluation split
(TyDiQA-GoldP, or MLQA/XQuAD where ``data.qa_targets`` filled it) and provenance. Missing coverage files (an
analysis run on hand-made eval JSONs) give empty entries, shown as "not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlrobust.io import read_json

NOT_RECORDED = "not recorded"


@dataclass
class Provenance:
    train: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (task, source) -> row
    target: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (task, target) -> row

    def train_text(self, task: str, lang: str) -> str:
        """``es: 2000 of 87599 examples, SQuAD v1.1 translate-train (machine-translated)``."""
        row = self.train.get((task, lang))
        if row is None:
            return f"{lang}: training data {NOT_RECORDED}"
        return f"{lang}: {_size(row)} examples, {_dataset(row)}"

    def target_text(self, task: str, lang: str) -> str:
        """``hi: XQuAD (human-translated)``."""
        row = self.target.get((task, lang))
        return f"{lang}: {_dataset(row) if row else NOT_RECORDED}"

    def comparison_text(self, task: str, source: str, reference: str) -> str:
        """The training data of both sides of a source difference (once where both are alike)."""
        a, b = self.train.get((task, source)), self.train.get((task, reference))
        if a is not None and b is not None and (_size(a), _dataset(a)) == (_size(b), _dataset(b)):
            return f"{source}, {reference}: {_size(a)} examples each, {_dataset(a)}"
        return f"{self.train_text(task, source)}; {self.train_text(task, reference)}"

    def targets_text(self, task: str, targets: Sequence[str]) -> str:
        """``TyDiQA-GoldP (native): en, sw; XQuAD (human-translated): de, hi``: targets grouped by dataset."""
        groups: dict[str, list[str]] = {}
        for t in targets:
            row = self.target.get((task, t))
            groups.setdefault(_dataset(row) if row else NOT_RECORDED, []).append(t)
        return "; ".join(f"{dataset}: {', '.join(langs)}" for dataset, langs in groups.items())

    def rows(self) -> list[list[str]]:
        """(task, language, role, examples, dataset) rows for the report's data table."""
        out = []
        for role, table in (("train", self.train), ("target", self.target)):
            for (task, lang), row in sorted(table.items()):
                out.append([task, lang, role, _size(row), _dataset(row)])
        return out

    def summary_block(self, task: str, sources: Sequence[str], targets: Sequence[str]) -> dict[str, Any]:
        """``{"training_data": {src_<s>: {...}}, "target_data": {tgt_<t>: "..."}}`` for summary.json."""
        train = {}
        for s in sources:
            row = self.train.get((task, s))
            train[f"src_{s}"] = (
                {
                    "examples": row["count"],
                    "available": row.get("available", row["count"]),
                    "dataset": row.get("dataset") or NOT_RECORDED,
                    "provenance": row.get("provenance") or NOT_RECORDED,
                }
                if row
                else NOT_RECORDED
            )
        target = {
            f"tgt_{t}": _dataset(self.target[(task, t)]) if (task, t) in self.target else NOT_RECORDED
            for t in targets
        }
        return {"training_data": train, "target_data": target}


def _size(row: dict[str, Any]) -> str:
    """``2000 of 87599`` where a split was cut, else the count."""
    n, avail = row["count"], row.get("available", row["count"])
    return f"{n} of {avail}" if avail != n else str(n)


def _dataset(row: dict[str, Any]) -> str:
    name = row.get("dataset") or NOT_RECORDED
    prov = row.get("provenance")
    return f"{name} ({prov})" if prov else name


def load_provenance(coverage_dir: Path, languages: Sequence[str], eval_split: str) -> Provenance:
    """Read every language's coverage table that exists under ``coverage_dir``."""
    prov = Provenance()
    for lang in languages:
        path = coverage_dir / f"{lang}.json"
        if not path.is_file():
            continue
        data = read_json(path)
        rows = data.get("rows", []) if isinstance(data, dict) else []
        for row in rows:
            if not isinstance(row, dict) or not row.get("count") or not row.get("labelled"):
                continue
            key = (row.get("task"), lang)
            if row.get("split") == "train":
                prov.train[key] = row
            elif row.get("split") == eval_split:
                prov.target[key] = row
    return prov
