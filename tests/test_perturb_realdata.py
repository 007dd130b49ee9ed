"""Every family on the real PAN-X, TyDiQA and XNLI excerpts in ../shared/realdata-sample (skipped if absent).

The TyDiQA excerpts' gold answers are all empty (``answer_start`` 0, text ""), which checks little, so each
question is also run with a real non-empty answer span taken from its context (the first number, else the first
capitalised word after the first 20 characters) to exercise span mapping on real text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from xlrobust.examples import NER_TAGS
from xlrobust.perturb import FAMILIES, perturb_examples

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "realdata-sample"
pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/realdata-sample not present")


def read_panx(path: Path) -> list[dict]:
    sentences: list[dict] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            token, tag = line.rsplit("\t", 1)
            tokens.append(token.split(":", 1)[1] if regex.match(r"^[a-z]{2}:", token) else token)
            tags.append(tag)
        elif tokens:
            sentences.append({"id": f"{path.stem}-{len(sentences)}", "tokens": tokens, "tags": tags})
            tokens, tags = [], []
    return sentences


def read_tydiqa(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    out = []
    for article in data:
        for par in article["paragraphs"]:
            for qa in par["qas"]:
                out.append(
                    {
                        "id": qa["id"],
                        "question": qa["question"],
                        "context": par["context"],
                        "answers": [
                            {"text": a["text"], "answer_start": a["answer_start"]} for a in qa["answers"]
                        ],
                    }
                )
                m = regex.search(r"\p{Nd}+", par["context"]) or regex.compile(r"\p{Lu}\p{L}+").search(
                    par["context"], 20
                )
                if m:
                    out.append(
                        {
                            **out[-1],
                            "id": qa["id"] + "+span",
                            "answers": [{"text": m.group(), "answer_start": m.start()}],
                        }
                    )
    return out


def read_xnli(path: Path) -> list[dict]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        {"id": f"{path.stem}-{i}", "premise": p, "hypothesis": h, "label": lab}
        for i, (p, h, lab) in enumerate(rows)
    ]


def sample_files() -> list[tuple[str, str, Path]]:
    if not SAMPLE.is_dir():
        return []
    files = [("panx", p.stem.split("-")[1], p) for p in sorted((SAMPLE / "panx").glob("dev-*.tsv"))]
    files += [
        ("tydiqa", p.name.split(".")[2], p) for p in sorted((SAMPLE / "tydiqa").rglob("tydiqa.goldp.*.json"))
    ]
    files += [("xnli", p.stem.split("-")[1], p) for p in sorted((SAMPLE / "xnli").glob("dev-*.tsv"))]
    return files


READERS = {"panx": read_panx, "tydiqa": read_tydiqa, "xnli": read_xnli}


def bio_ok(tags: list[str]) -> bool:
    prev = "O"
    for tag in tags:
        if tag not in NER_TAGS or (tag.startswith("I-") and prev[2:] != tag[2:]):
            return False
        prev = tag
    return True


@pytest.mark.parametrize(("task", "lang", "path"), sample_files(), ids=lambda x: getattr(x, "name", x))
def test_every_family_keeps_labels_on_real_excerpts(task, lang, path):
    examples = READERS[task](path)
    assert examples
    for family in FAMILIES:
        out = perturb_examples(task, lang, examples, family, rate=0.3, seed=0)
        assert [o["orig_id"] for o in out] == [e["id"] for e in examples]
        for ex, o in zip(examples, out, strict=True):
            if task == "panx":
                assert len(o["tokens"]) == len(o["tags"]) and all(o["tokens"])
                assert bio_ok(o["tags"]) == bio_ok(ex["tags"]), (family, o)
            elif task == "tydiqa":
                for a in o["answers"]:
                    assert o["context"][a["answer_start"] : a["answer_start"] + len(a["text"])] == a["text"]
            else:
                assert o["label"] == ex["label"] and o["premise"].strip() and o["hypothesis"].strip()
        share = sum(o["changed"] for o in out) / len(out)
        if family in ("typos", "punctuation") or (
            family == "casing" and lang in FAMILIES["casing"].languages
        ):
            assert share == 1.0, (family, share)
        if lang not in FAMILIES[family].languages:
            assert share == 0.0
