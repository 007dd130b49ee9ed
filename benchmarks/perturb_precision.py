"""Precision and recall of the raw-text ``names`` and ``locations`` detectors on real PAN-X sentences.

On NLI and QA text there are no entity tags, so the ``names`` and ``locations`` families find people and places
themselves (``xlrobust.perturb.lexicons``). This measures how often what they change really is a person or a
place: each PAN-X sentence is turned into plain text (tokens joined by single spaces, tags hidden), the
family's planner (``xlrobust.perturb.text.PLANNERS``, the code NLI and QA perturbation runs) plans its edits at
``rate=1.0`` (every candidate changes), and every token that an edit overlaps counts as *changed*. Against the
gold tags:

* precision = changed tokens inside a gold ``PER`` (names) / ``LOC`` (locations) entity / changed tokens;
* recall = gold ``PER`` / ``LOC`` tokens changed / gold ``PER`` / ``LOC`` tokens.

Token level, because the detector's units (a first name, a first + last name, a multi-word place) need not be
PAN-X's entity units. Data: ``../shared/realdata-dev/panx/dev-<lang>.tsv`` (first 1,000 PAN-X dev sentences,
300 for bn, hi, sw; see its PROVENANCE.md); the lexicons are never built from it.

    PYTHONPATH=src python benchmarks/perturb_precision.py [--langs ar bn ...] [--limit N] [--detector MODEL]

``--detector`` scores a token-classification NER model (``perturbations.detector``) instead of the lexicons
(write it elsewhere with ``--out``: the default file holds the lexicon numbers of ``benchmarks/RESULTS.md``).

writes ``benchmarks/results/perturb_precision.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from xlrobust.perturb.detector import make_detector
from xlrobust.perturb.text import PLANNERS, Ctx, Field

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "realdata-dev" / "panx"
LANGS = ("ar", "bn", "de", "en", "es", "fi", "hi", "id", "ru", "sw")
FAMILY_TYPE = {"names": "PER", "locations": "LOC"}
TARGETS = {"names": 0.95, "locations": 0.90}


@dataclass
class Score:
    changed: int = 0  # tokens an edit overlaps
    correct: int = 0  # of those, tokens inside a gold entity of the family's type
    gold: int = 0  # gold entity tokens of that type
    found: int = 0  # of those, tokens changed (equals ``correct``; kept separate for clarity)
    sentences: int = 0
    changed_sentences: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct / self.changed if self.changed else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    def as_dict(self) -> dict:
        return {**self.__dict__, "precision": self.precision, "recall": self.recall}


def read_panx(path: Path, limit: int | None = None) -> list[tuple[list[str], list[str]]]:
    """``token \\t tag`` lines, a blank line between sentences."""
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            token, tag = line.rsplit("\t", 1)
            tokens.append(token)
            tags.append(tag)
        elif tokens:
            sentences.append((tokens, tags))
            tokens, tags = [], []
    return sentences[:limit] if limit else sentences


def changed_tokens(tokens: list[str], lang: str, family: str, seed: int = 0, detector=None) -> set[int]:
    """Indices of the tokens that ``family`` would change in ``' '.join(tokens)`` at rate 1.0 (with
    ``detector``, a ``perturb.detector.NerDetector``: the model-based detector instead of the lexicons)."""
    text = " ".join(tokens)
    offsets, pos = [], 0
    for tok in tokens:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    ctx = Ctx(lang, random.Random(f"{seed}\x1f{text}\x1f{family}"), 1.0, {}, None, detector=detector)
    (edits,) = PLANNERS[family]([Field(text)], ctx)
    return {
        i
        for i, (s, e) in enumerate(offsets)
        for ed in edits
        if s < max(ed.end, ed.start + 1) and ed.start < e
    }


def score_sentences(
    sentences: list[tuple[list[str], list[str]]], lang: str, family: str, detector=None
) -> Score:
    """Precision/recall counts of ``family``'s raw-text detector against the gold tags (see module doc)."""
    typ = FAMILY_TYPE[family]
    score = Score()
    if detector is not None:
        detector.prefetch([" ".join(tokens) for tokens, _ in sentences])
    for tokens, tags in sentences:
        gold = {i for i, tag in enumerate(tags) if tag != "O" and tag.split("-", 1)[1] == typ}
        changed = changed_tokens(tokens, lang, family, detector=detector)
        score.sentences += 1
        score.changed_sentences += bool(changed)
        score.changed += len(changed)
        score.correct += len(changed & gold)
        score.gold += len(gold)
        score.found += len(changed & gold)
    return score


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(results: dict[str, dict[str, Score]]) -> str:
    rows = [
        "| lang | sentences | names: changed tok | names P | names R | locations: changed tok | locations P "
        "| locations R |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for lang, by_family in results.items():
        n, loc = by_family["names"], by_family["locations"]
        rows.append(
            f"| {lang} | {n.sentences} | {n.changed} | {_fmt(n.precision)} | {_fmt(n.recall)} | {loc.changed} "
            f"| {_fmt(loc.precision)} | {_fmt(loc.recall)} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--langs", nargs="+", default=list(LANGS))
    parser.add_argument("--limit", type=int, default=None, help="first N sentences per language")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results" / "perturb_precision.json"
    )
    parser.add_argument(
        "--detector", default=None, help="a NER model (hub id or folder) instead of the lexicons"
    )
    parser.add_argument("--device", default="auto", help="where --detector runs: auto, cpu, cuda")
    args = parser.parse_args(argv)
    detector = make_detector(args.detector, args.device)
    if not args.data.is_dir():
        print(
            f"error: {args.data} not found; it is ../shared/realdata-dev/panx beside the repository",
            file=sys.stderr,
        )
        return 2
    results: dict[str, dict[str, Score]] = {}
    for lang in args.langs:
        sentences = read_panx(args.data / f"dev-{lang}.tsv", args.limit)
        results[lang] = {family: score_sentences(sentences, lang, family, detector) for family in FAMILY_TYPE}
    print(table(results))
    missed = [
        f"{lang} {family} {_fmt(s.precision)}"
        for lang, by in results.items()
        for family, s in by.items()
        if s.precision is not None and s.precision < TARGETS[family]
    ]
    print("below target:", ", ".join(missed) or "none")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": " ".join(["python", "benchmarks/perturb_precision.py", *(argv or sys.argv[1:])]),
        "targets": TARGETS,
        "detector": args.detector,
        "results": {lang: {f: s.as_dict() for f, s in by.items()} for lang, by in results.items()},
    }
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
