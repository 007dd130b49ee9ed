"""Languages beyond the ten defaults on real data: prepare, the adversarial perturbations and QA scoring run for
ur, th, zh XNLI targets (``../shared/realdata-dev``) and ko, te TyDiQA targets (a tiny fixture in TyDiQA-GoldP's
exact SQuAD-1.1 JSON with real Korean and Telugu text, since the shared excerpts have en/sw only). Families that
cannot apply to a language say why and leave its examples unchanged; none raises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlrobust.config import DataConfig, SplitSizes
from xlrobust.languages import LANGUAGES, get_language
from xlrobust.metrics import normalize_answer_unicode
from xlrobust.perturb import FAMILIES, perturb_examples, skip_reason
from xlrobust.prepare import prepare_language
from xlrobust.sources.hub import HUB_PANX_LANGS
from xlrobust.sources.xtreme import TYDIQA_LANG_NAMES, XNLI_LANGS
from xlrobust.tasks import get_task

SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata-dev"

QA = {  # (context, question, answer) in the language's own script
    "ko": [
        ("서울은 대한민국의 수도이며 인구는 약 천만 명이다.", "대한민국의 수도는 어디인가?", "서울"),
        ("한강은 서울을 가로질러 흐르는 강이다.", "서울을 가로지르는 강은 무엇인가?", "한강"),
    ],
    "te": [
        ("హైదరాబాద్ తెలంగాణ రాష్ట్ర రాజధాని నగరం.", "తెలంగాణ రాజధాని ఏది?", "హైదరాబాద్"),
        ("గోదావరి నది మహారాష్ట్రలో పుడుతుంది.", "గోదావరి నది ఎక్కడ పుడుతుంది?", "మహారాష్ట్రలో"),
    ],
}


def _squad(lang: str, prefix: str) -> dict:
    name = TYDIQA_LANG_NAMES[lang]
    paragraphs = [
        {
            "context": c,
            "qas": [
                {
                    "id": f"{prefix}{name}-{i}",
                    "question": q,
                    "answers": [{"text": a, "answer_start": c.index(a)}],
                }
            ],
        }
        for i, (c, q, a) in enumerate(QA[lang])
    ]
    return {"version": "TyDiQA-GoldP-1.1-for-SQuAD-1.1", "data": [{"title": name, "paragraphs": paragraphs}]}


def tydiqa_folder(root: Path) -> Path:
    """XTREME's per-language train files and the official dev files (with answers), as downloaded."""
    train, dev = root / "tydiqa" / "tydiqa-goldp-v1.1-train", root / "tydiqa" / "tydiqa-goldp-v1.1-dev"
    train.mkdir(parents=True)
    dev.mkdir(parents=True)
    for lang in QA:
        (train / f"tydiqa.goldp.{lang}.train.json").write_text(json.dumps(_squad(lang, "")), encoding="utf-8")
        (dev / f"tydiqa-goldp-dev-{TYDIQA_LANG_NAMES[lang]}.json").write_text(
            json.dumps(_squad(lang, "dev-")), encoding="utf-8"
        )
    return root


def test_every_xtreme_language_of_the_three_datasets_is_known() -> None:
    for lang in (*XNLI_LANGS, *HUB_PANX_LANGS, *TYDIQA_LANG_NAMES):
        language = get_language(lang)
        assert language.script and len(language.iso639_3) == 3
    assert {"ko", "te", "ur", "th", "zh"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_family_applies_or_says_why(lang: str) -> None:
    for family in FAMILIES:
        reason = skip_reason(family, lang)
        assert (reason is None) == (lang in FAMILIES[family].languages)
        assert reason is None or family in reason
    assert "no upper and lower case" in (skip_reason("casing", "ko") or "")
    assert "has none" in (skip_reason("names", "th") or "")


def _perturb_all(task: str, lang: str, examples: list[dict]) -> dict[str, int]:
    changed = {}
    for family in FAMILIES:
        out = perturb_examples(task, lang, examples, family, rate=0.5, seed=1)
        assert len(out) == len(examples)
        changed[family] = sum(ex["changed"] for ex in out)
        if skip_reason(family, lang) is not None:
            assert changed[family] == 0
    return changed


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/realdata-dev")
@pytest.mark.parametrize("lang", ["ur", "th", "zh"])
def test_xnli_targets_prepare_and_perturb_on_real_dev(lang: str) -> None:
    cfg = DataConfig(source="xtreme", path=str(SHARED), sizes=SplitSizes(None, 60, None), eval_split="dev")
    out = prepare_language(lang, ["xnli"], cfg, sources=["en"], eval_split="dev", seed=1)
    dev = out.splits["xnli"]["dev"]
    assert len(dev) == 60 and not out.skipped and out.corpus
    changed = _perturb_all("xnli", lang, dev)
    assert changed["typos"] > 0 and changed["numbers"] >= 0 and changed["casing"] == 0


@pytest.mark.parametrize("lang", ["ko", "te"])
def test_tydiqa_targets_prepare_perturb_and_score(lang: str, tmp_path: Path) -> None:
    cfg = DataConfig(
        source="xtreme",
        path=str(tydiqa_folder(tmp_path)),
        sizes=SplitSizes(None, None, None),
        eval_split="dev",
    )
    out = prepare_language(lang, ["tydiqa"], cfg, sources=[lang], eval_split="dev", seed=1)
    dev = out.splits["tydiqa"]["dev"]
    assert len(dev) == 2 and len(out.splits["tydiqa"]["train"]) == 2
    changed = _perturb_all("tydiqa", lang, dev)
    assert changed["typos"] > 0 and changed["casing"] == 0
    task = get_task("tydiqa")
    golds = [ex["answers"][0]["text"] for ex in dev]
    perfect = task.score(dev, golds, lang=lang, options={})
    assert perfect.metrics["f1"] == perfect.metrics["f1_unicode"] == 1.0
    wrong = task.score(
        dev, [g + "।" for g in golds[:1]] + ["x"], lang=lang, options={"qa_normalization": "unicode"}
    )
    assert wrong.metrics["f1"] == pytest.approx(0.5)  # Unicode punctuation dropped; "x" scores 0


def test_unspaced_scripts_score_per_character() -> None:
    assert normalize_answer_unicode("北京市。", "zh") == "北 京 市"
    assert normalize_answer_unicode("กรุงเทพ", "th").split()[0] == "ก"
    assert normalize_answer_unicode("Google公司", "zh") == "google 公 司"
