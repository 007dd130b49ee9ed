"""The audit sample of perturbation edits (``metrics/perturbation/audit/<lang>.md``): word-level highlights,
a seeded sample among changed examples only, same seed -> same bytes, written atomically, and a language whose
families changed nothing says so."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import deep_update

from xlrobust import io
from xlrobust.adversarial import perturb_language
from xlrobust.config import load_params
from xlrobust.paths import Paths
from xlrobust.perturb import perturb_examples
from xlrobust.perturb_audit import FamilyAudit, audit_family, render_audit, render_example, word_diff
from xlrobust.tasks import REGISTRY

REPO = Path(__file__).resolve().parents[1]
SHIPPED = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))


# --- highlights ----------------------------------------------------------------------------------------------


def test_word_diff_marks_replaced_removed_and_added_words():
    assert word_diff("Vita Kuu ya Pili ya Dunia", "Vita Kuu ya Andwele ya Dunia") == (
        "Vita Kuu ya ~~Pili~~ → **Andwele** ya Dunia"
    )
    assert (
        word_diff("San Francisco Ballet", "San Terrence Newton")
        == "San ~~Francisco Ballet~~ → **Terrence Newton**"
    )
    assert word_diff("He came home.", "He came") == "He came ~~home.~~"
    assert word_diff("He came", "He came home") == "He came **home**"
    assert word_diff("a b", "a b") == "a b"


def test_word_diff_escapes_markdown_in_the_text():
    # A literal '*' or '_' must not open emphasis, nor '~' a strikethrough, in the rendered file.
    assert word_diff("x *y* z", "x _y_ z") == r"x ~~\*y\*~~ → **\_y\_** z"
    assert word_diff("a ~b", "a ~c") == r"a ~~\~b~~ → **\~c**"


def test_word_diff_cuts_long_unchanged_runs_around_edits():
    words = [f"w{i}" for i in range(60)]
    after = [*words[:30], "NEW", *words[31:]]
    out = word_diff(" ".join(words), " ".join(after), context=3)
    assert out == "… w27 w28 w29 ~~w30~~ → **NEW** w31 w32 w33 …"
    two = [*after[:50], "LAST", *after[51:]]
    assert word_diff(" ".join(words), " ".join(two), context=3) == (
        "… w27 w28 w29 ~~w30~~ → **NEW** w31 w32 w33 … w47 w48 w49 ~~w50~~ → **LAST** w51 w52 w53 …"
    )
    assert word_diff(" ".join(words), " ".join(after), context=None).count("…") == 0


def test_rendered_example_diffs_each_text_field_and_shows_changed_answers():
    context = "Rais wa kwanza alizaliwa Ufaransa mwaka 1960 ."
    ex = {
        "id": "q1",
        "question": "Alizaliwa wapi?",
        "context": context,
        "answers": [{"text": "Ufaransa", "answer_start": context.index("Ufaransa")}],
    }
    new_context = context.replace("Ufaransa", "Kenya")
    new = {
        **ex,
        "context": new_context,
        "answers": [{"text": "Kenya", "answer_start": context.index("Ufaransa")}],
    }
    lines = render_example("tydiqa", ex, new).splitlines()
    assert lines[0] == "- `q1`"
    assert lines[1] == "  - *question* (unchanged): Alizaliwa wapi?"
    assert lines[2] == "  - *context*: Rais wa kwanza alizaliwa ~~Ufaransa~~ → **Kenya** mwaka 1960 ."
    assert lines[3].startswith("  - *answers*: ~~") and '"Ufaransa"' in lines[3] and '"Kenya"' in lines[3]
    ner = {"id": "n1", "tokens": ["Juma", "Ali", "alikwenda"], "tags": ["B-PER", "I-PER", "O"]}
    renamed = {**ner, "tokens": ["Amani", "alikwenda"], "tags": ["B-PER", "O"]}
    assert (
        render_example("panx", ner, renamed).splitlines()[1]
        == "  - *tokens*: ~~Juma Ali~~ → **Amani** alikwenda"
    )


# --- sampling and the whole file -------------------------------------------------------------------------------


def _nli(n: int) -> list[dict]:
    # Every third example names a number; the others have none, so the numbers family cannot change them.
    return [
        {
            "id": f"e{i}",
            "premise": f"Alinunua vitabu {10 + i} jana." if i % 3 == 0 else "Alinunua vitabu jana.",
            "hypothesis": "Alinunua kitu.",
            "label": "entailment",
        }
        for i in range(n)
    ]


def test_sample_is_drawn_among_changed_examples_in_file_order():
    examples = _nli(60)
    out = perturb_examples("xnli", "sw", examples, "numbers", rate=1.0, seed=13)
    audit = audit_family("xnli", "sw", "numbers", examples, out, seed=13, k=5)
    assert (audit.n, audit.changed) == (60, 20)
    ids = [int(item.split("`")[1][1:]) for item in audit.items]
    assert len(ids) == 5 and ids == sorted(ids) and all(i % 3 == 0 for i in ids)
    other = audit_family("xnli", "sw", "numbers", examples, out, seed=14, k=5)
    assert audit_family("xnli", "sw", "numbers", examples, out, seed=13, k=5) == audit
    assert other.items != audit.items, "the sample depends on the seed"
    few = audit_family("xnli", "sw", "numbers", examples[:4], out[:4], seed=13, k=5)
    assert few.changed == 2 and len(few.items) == 2


def test_a_language_whose_families_changed_nothing_says_so():
    examples = [ex for ex in _nli(9) if "1" not in ex["premise"]]
    out = perturb_examples("xnli", "ar", examples, "numbers", rate=1.0, seed=13)
    audits = [
        audit_family("xnli", "ar", "numbers", examples, out, seed=13),
        FamilyAudit("xnli", "casing", applies=False),
    ]
    text = render_audit("ar", 13, audits)
    assert "**No family changed any example of ar**: nothing to review." in text
    assert (
        "### numbers\n\n6 examples, 0 changed." in text and "Changed no example: nothing to review." in text
    )
    assert "Does not apply to ar" in text and "| xnli | casing | - | does not apply |" in text
    changed = render_audit(
        "sw",
        13,
        [
            audit_family(
                "xnli",
                "sw",
                "numbers",
                _nli(6),
                perturb_examples("xnli", "sw", _nli(6), "numbers", rate=1.0, seed=13),
                seed=13,
            )
        ],
    )
    assert "No family changed" not in changed and "All of the changed examples:" in changed


# --- the adversarial stage's output -----------------------------------------------------------------------------


def _params(seed: int):
    raw = deep_update(
        copy.deepcopy(SHIPPED),
        {"seed": seed, "perturbations": {"families": ["numbers", "names", "punctuation"]}},
    )
    raw["perturbations"]["options"] = {}
    return load_params(raw)


def _prepare(root: Path, params) -> Paths:
    paths = Paths(root)
    for task in params.tasks:
        examples = REGISTRY[task].generate("sw", params.data.eval_split, 24, 5)
        io.write_jsonl(paths.prepared("sw", task, params.data.eval_split), examples)
    return paths


def test_audit_file_is_written_by_the_stage_with_the_same_bytes_for_the_same_seed(tmp_path: Path):
    params = _params(13)
    first, second, other = (_prepare(tmp_path / name, params) for name in ("a", "b", "c"))
    perturb_language("sw", params, first)
    perturb_language("sw", params, second)
    perturb_language("sw", _params(14), other)
    text = first.perturbation_audit("sw").read_bytes()
    assert text == second.perturbation_audit("sw").read_bytes()
    assert text != other.perturbation_audit("sw").read_bytes(), "a different seed draws a different sample"
    md = text.decode("utf-8")
    assert md.startswith("# Perturbation audit: Swahili (sw)\n") and "How to report a bad edit" in md
    for task in params.tasks:
        assert f"## {task}\n" in md and f"| {task} | names |" in md
    assert "~~" in md and "**" in md


def test_audit_file_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    params = _params(13)
    paths = _prepare(tmp_path, params)
    audit = paths.perturbation_audit("sw")
    audit.parent.mkdir(parents=True)
    audit.write_text("previous run\n", encoding="utf-8")
    real_replace = io.os.replace

    def killed_at_rename(src, dst):  # the process dies just before the audit file's rename
        if Path(dst) == audit:
            raise OSError("killed")
        real_replace(src, dst)

    monkeypatch.setattr(io.os, "replace", killed_at_rename)
    with pytest.raises(OSError, match="killed"):
        perturb_language("sw", params, paths)
    assert audit.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in audit.parent.iterdir()) == ["sw.md"], "no partial file left behind"
