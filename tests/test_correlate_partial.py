"""The correlate stage under partial coverage, as the paper setting always has it (XNLI has no Bengali,
TyDiQA-GoldP no Spanish model): inputs are the correlate fixture copied and then holed the way the prepare,
finetune and evaluate stages leave them with ``data.on_missing: skip``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from correlate_helpers import CHEAP_FEATURES, FIXTURE, LANGS, SOURCES, correlate_fixture

from xlrobust.errors import DataError

FAMILIES = ("typos", "numbers")
SEED = 1  # one fine-tuning seed of the fixture's two: coverage is the point here, test_seeds covers several
NO_TRAIN = "{task}/{lang} from data.source=xtreme: no labelled training set, but {lang} is a source language"


# ----------------------------------------------------------------------------------------------- holes


def copy_fixture(root: Path) -> Path:
    shutil.copytree(FIXTURE, root)
    return root


def _eval_path(root: Path, task: str, source: str) -> Path:
    return root / "metrics" / "eval" / f"{task}-{source}-seed{SEED}.json"


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def skip_source(root: Path, task: str, source: str) -> str:
    """As finetune + evaluate leave a (task, source) without training data; returns the recorded reason."""
    reason = NO_TRAIN.format(task=task, lang=source)
    metric = _read(_eval_path(root, task, source))["metric"]
    _write(
        _eval_path(root, task, source),
        {"task": task, "source": source, "seed": SEED, "metric": metric, "skipped": reason, "targets": {}},
    )
    shutil.rmtree(root / "data" / "predictions" / task / source)
    (root / "data" / "predictions" / task / source).mkdir()
    prepared = root / "data" / "prepared" / source / task
    (prepared / "train.jsonl").unlink()
    (prepared / "SKIPPED").write_text(reason + "\n", encoding="utf-8")
    return reason


def drop_target(root: Path, task: str, target: str, sources: tuple[str, ...] = tuple(SOURCES)) -> None:
    """As evaluate leaves a target without a labelled eval split: absent from ``targets``, no predictions."""
    for s in sources:
        data = _read(_eval_path(root, task, s))
        del data["targets"][target]
        _write(_eval_path(root, task, s), data)
        shutil.rmtree(root / "data" / "predictions" / task / s / f"seed{SEED}" / target)
    if set(sources) == set(SOURCES):
        (root / "data" / "prepared" / target / task / "test.jsonl").unlink()


def correlate(root: Path, out: Path, **kwargs) -> dict:
    return correlate_fixture(root, out, seeds=(SEED,), **kwargs)


def strict_summary(out: Path) -> dict:
    def no_constants(name):
        raise AssertionError(f"summary.json contains {name}")

    text = (out / "metrics" / "summary.json").read_text(encoding="utf-8")
    return json.loads(text, parse_constant=no_constants)


def expected_means(task: str, source: str, targets: list[str]) -> dict[str, float]:
    """Mean zero-shot clean/adv/drop computed from the fixture's eval JSON, independently of correlate
    (in the fixture a family's JSON score is over its changed examples, as adv and drop are defined)."""
    data = _read(_eval_path(FIXTURE, task, source))["targets"]
    zs = [t for t in targets if t != source]
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    return {
        "clean": mean([data[t]["clean"]["score"] for t in zs]),
        "perturbed": mean([mean([data[t][f]["score"] for f in FAMILIES]) for t in zs]),
        "drop": mean([mean([data[t][f]["drop"] for f in FAMILIES]) for t in zs]),
    }


def assert_means(block: dict, task: str, source: str, targets: list[str]) -> None:
    for outcome, value in expected_means(task, source, targets).items():
        assert block[outcome][f"src_{source}"] == pytest.approx(value, abs=1e-4), (task, source, outcome)


# ----------------------------------------------------------------------------------------------- scenarios


@pytest.fixture(scope="module")
def holes(tmp_path_factory):
    """panx has no es model; xnli has no sw eval split (panx still has sw)."""
    root = copy_fixture(tmp_path_factory.mktemp("holes") / "fx")
    reason = skip_source(root, "panx", "es")
    drop_target(root, "xnli", "sw")
    out = tmp_path_factory.mktemp("holes-out")
    return {"root": root, "out": out, "res": correlate(root, out), "reason": reason}


@pytest.fixture(scope="module")
def no_reference(tmp_path_factory):
    """panx has no en (reference) model; xnli-es.json lacks de although xnli-en.json has it."""
    root = copy_fixture(tmp_path_factory.mktemp("noref") / "fx")
    reason = skip_source(root, "panx", "en")
    drop_target(root, "xnli", "de", sources=("es",))
    out = tmp_path_factory.mktemp("noref-out")
    return {"root": root, "out": out, "res": correlate(root, out), "reason": reason}


def test_skipped_source_is_left_out_of_its_task_only(holes):
    summary, out = strict_summary(holes["out"]), holes["out"] / "metrics"
    assert summary == holes["res"]["summary"]
    panx = summary["panx"]
    assert set(panx["clean"]) == {"src_en"} and "es_minus_en" not in panx and panx["left_out"] == 5
    assert_means(panx, "panx", "en", LANGS)  # the en model keeps every target, sw included
    assert "es_minus_en" in summary["xnli"]
    feats = pd.read_csv(out / "features.csv")
    assert set(feats[feats.task == "panx"].source) == {"en"}
    assert len(feats[feats.task == "panx"]) == 5
    diffs = pd.read_csv(out / "source_diffs.csv")
    assert set(diffs.task) == {"xnli"}
    corr = pd.read_csv(out / "correlations.csv")
    assert set(corr[corr.task == "panx"].n) == {4}  # en -> es, de, sw, hi
    left = [r for r in holes["res"]["left_out"] if r["task"] == "panx"]
    assert {(r["source"], r["target"]) for r in left} == {("es", t) for t in LANGS}
    assert all(holes["reason"] in r["reason"] for r in left)


def test_target_missing_for_one_task_only(holes):
    summary, out = holes["res"]["summary"], holes["out"] / "metrics"
    xnli = summary["xnli"]
    assert xnli["left_out"] == 2
    for src in SOURCES:
        assert_means(xnli, "xnli", src, ["en", "es", "de", "hi"])
    diffs = pd.read_csv(out / "source_diffs.csv", keep_default_na=False)
    groups = diffs[(diffs.task == "xnli") & (diffs.kind == "group")]
    assert set(groups.outcome) == {"clean", "adv", "drop"}
    assert set(groups[groups.unit == "low_resource"].targets) == {"hi"}
    assert set(groups[groups.unit == "all"].targets) == {"de hi"}
    feats = pd.read_csv(out / "features.csv")
    assert "sw" not in set(feats[feats.task == "xnli"].target)
    assert "sw" in set(feats[feats.task == "panx"].target)
    corr = pd.read_csv(out / "correlations.csv")
    assert set(corr[corr.task == "xnli"].n) == {
        6
    }  # 2 sources x (en, es, de, hi) minus the 2 own-language pairs
    scores = pd.read_csv(out / "scores.csv")
    assert len(scores[scores.task == "xnli"]) == 8 and "sw" not in set(scores[scores.task == "xnli"].target)


def test_report_lists_left_out_pairs_with_reasons(holes):
    md = (holes["out"] / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "## Coverage" in md
    assert (
        f"| panx | es->en, es->es, es->de, es->sw, es->hi | no panx model for es: {holes['reason']} |" in md
    )
    assert "| xnli | en->sw, es->sw | no source has test results for sw (" in md
    assert "data/prepared/sw/xnli/test.jsonl absent: no labelled test split)" in md
    assert "panx: only en has results, so no source difference (es: no panx model for es:" in md
    assert "xnli (accuracy), low-resource targets hi, es instead of en: transfer" in md
    html = (holes["out"] / "metrics" / "report.html").read_text(encoding="utf-8")
    assert "es-&gt;en, es-&gt;es" in html and "Coverage" in html


def test_reference_source_missing_for_one_task(no_reference):
    summary, out = strict_summary(no_reference["out"]), no_reference["out"] / "metrics"
    panx = summary["panx"]
    assert set(panx["clean"]) == {"src_es"} and not any(k.endswith("_minus_en") for k in panx)
    assert_means(panx, "panx", "es", LANGS)
    assert set(pd.read_csv(out / "source_diffs.csv").task) == {"xnli"}
    assert not (out / "plots" / "panx-forest.png").exists()
    assert (out / "plots" / "xnli-forest.png").is_file()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert (
        "panx: no source difference, because the reference source en is left out "
        f"(no panx model for en: {no_reference['reason']})." in md
    )
    # A target only some sources have results for is left out for all, so sources compare on the same targets.
    xnli = summary["xnli"]
    assert "low-resource (sw hi)" in md and "all (sw hi)" in md and xnli["left_out"] == 2
    assert "| xnli | en->de, es->de | xnli-es-seed1.json has no results for de while other runs do" in md
    for path in no_reference["res"]["files"]:
        assert Path(path).is_file(), path


def test_task_without_usable_source_and_a_task_with_too_few_pairs(tmp_path):
    root = copy_fixture(tmp_path / "fx")
    reason = skip_source(root, "xnli", "en")
    _eval_path(root, "xnli", "es").unlink()  # evaluate never ran for it
    skip_source(root, "panx", "es")
    for t in ("de", "sw", "hi"):
        drop_target(root, "panx", t, sources=("en",))
    res = correlate(root, tmp_path / "out")
    summary = strict_summary(tmp_path / "out")
    assert summary == res["summary"]
    assert set(summary["xnli"]) == {"skipped"}
    assert summary["xnli"]["skipped"].startswith("no usable source: en: no xnli model for en: " + reason)
    assert "xnli-es-seed1.json not found" in summary["xnli"]["skipped"]
    # panx: en -> es is the single zero-shot pair: reasons instead of numbers, and no NaN anywhere.
    panx = summary["panx"]
    assert set(panx["clean"]) == {"src_en"} and panx["left_out"] == 8
    assert panx["clean"]["src_en"] == pytest.approx(
        expected_means("panx", "en", ["en", "es"])["clean"], abs=1e-4
    )
    corr = pd.read_csv(tmp_path / "out" / "metrics" / "correlations.csv")
    assert set(corr.task) == {"panx"} and len(corr) == 2 * len(CHEAP_FEATURES)
    assert corr.pearson_r.isna().all() and set(corr.reason) == {"only 1 points (need at least 3)"}
    for outcome in ("clean", "drop"):
        assert panx["cv_r2"][outcome] is None and "corr" not in panx
    feats = pd.read_csv(tmp_path / "out" / "metrics" / "features.csv")
    assert set(feats.task) == {"panx"} and set(zip(feats.source, feats.target, strict=True)) == {
        ("en", "en"),
        ("en", "es"),
    }
    md = (tmp_path / "out" / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "- xnli: not analysed: no usable source: en: no xnli model for en:" in md
    assert "panx: no correlation could be computed" in md


def test_own_language_only_gives_zero_pairs_without_crashing(tmp_path):
    root = copy_fixture(tmp_path / "fx")
    skip_source(root, "panx", "es")
    for t in ("es", "de", "sw", "hi"):
        drop_target(root, "panx", t, sources=("en",))
    res = correlate(root, tmp_path / "out", tasks=["panx"])
    panx = strict_summary(tmp_path / "out")["panx"]
    assert panx["clean"] == {"src_en": None} and res["summary"]["panx"] == panx
    corr = pd.read_csv(tmp_path / "out" / "metrics" / "correlations.csv")
    assert set(corr.reason) == {"only 0 points (need at least 3)"} and set(corr.n) == {0}


def test_no_task_to_analyse_is_a_data_error(tmp_path):
    root = copy_fixture(tmp_path / "fx")
    skip_source(root, "panx", "en")
    skip_source(root, "panx", "es")
    with pytest.raises(
        DataError, match=r"no task has evaluation results.*panx: no usable source: en: no panx"
    ):
        correlate(root, tmp_path / "out", tasks=["panx"])


def test_broken_inputs_are_still_data_errors(tmp_path):
    root = copy_fixture(tmp_path / "fx")
    skip_source(root, "xnli", "es")
    path = _eval_path(root, "panx", "es")
    good = path.read_text(encoding="utf-8")
    path.write_text(good[:-40], encoding="utf-8")  # truncated
    with pytest.raises(DataError, match=r"panx-es-seed1\.json: line \d+: malformed JSON"):
        correlate(root, tmp_path / "out")
    path.write_text(
        json.dumps({"task": "panx", "source": "es", "seed": SEED, "skipped": 3, "targets": {}}),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"panx-es-seed1\.json: 'skipped' must be a non-empty string"):
        correlate(root, tmp_path / "out")
    data = json.loads(good)
    data["targets"]["hi"] = "oops"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"panx-es-seed1\.json: targets\.hi\.clean missing"):
        correlate(root, tmp_path / "out")
    path.write_text(good, encoding="utf-8")
    # A target the eval JSON lists must have its prediction files, even with another task partly skipped.
    (root / "data" / "predictions" / "panx" / "es" / "seed1" / "sw" / "numbers.jsonl").unlink()
    with pytest.raises(DataError, match=r"panx/es/seed1/sw/numbers\.jsonl: file not found"):
        correlate(root, tmp_path / "out")
    # An eval JSON that is not marked skipped needs its source's training data.
    for sub in ("panx/es/seed1/sw", "xnli/es"):
        shutil.copytree(
            FIXTURE / "data/predictions" / sub, root / "data/predictions" / sub, dirs_exist_ok=True
        )
    shutil.copy(_eval_path(FIXTURE, "xnli", "es"), _eval_path(root, "xnli", "es"))
    with pytest.raises(DataError, match=r"es/xnli/train\.jsonl: not found; prepare skipped it .*SKIPPED"):
        correlate(root, tmp_path / "out")
