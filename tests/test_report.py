"""The correlate stage end to end on the fixture metrics set: summary, tables, plots and the report."""

from __future__ import annotations

import json
import re
import shutil
import statistics
from pathlib import Path

import pandas as pd
import pytest
import yaml
from correlate_helpers import FIXTURE, correlate_fixture, make_tokenizer
from pipeline_helpers import REPO

from xlrobust.analysis import report
from xlrobust.config import load_params
from xlrobust.errors import ConfigError, DataError
from xlrobust.feature_names import PAIR_FEATURES

TASKS, SOURCES, LANGS = ["xnli", "panx"], ["en", "es"], ["en", "es", "de", "sw", "hi"]
SEEDS = (1, 2)  # the fixture's fine-tuning seeds


def run(root: Path, out: Path, tok: Path, cache: Path, smoke: bool) -> dict:
    """Every pair feature, with the tokenizer as models/base and the URIEL cache folder ``cache``."""
    return correlate_fixture(
        root,
        out,
        tokenizer=tok,
        cache_dir=cache,
        smoke=smoke,
        tasks=TASKS,
        sources=SOURCES,
        languages=LANGS,
        n_boot=200,
        seeds=SEEDS,
        features=PAIR_FEATURES,
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tok = make_tokenizer(tmp_path_factory.mktemp("tok"))
    cache = tmp_path_factory.getbasetemp() / "uriel-cache"  # shared with test_features in one session
    cache.mkdir(exist_ok=True)
    out1, out2 = tmp_path_factory.mktemp("run1"), tmp_path_factory.mktemp("run2")
    res1 = run(FIXTURE, out1, tok, cache, smoke=True)
    res2 = run(FIXTURE, out2, tok, cache, smoke=False)
    return {"tok": tok, "cache": cache, "out1": out1, "out2": out2, "res1": res1, "res2": res2}


def _strict_json(path: Path):
    def no_constants(name):
        raise AssertionError(f"{path} contains {name}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=no_constants)


def test_summary_has_expected_keys_and_no_nan(env):
    summary = _strict_json(env["out1"] / "metrics" / "summary.json")
    assert summary == env["res1"]["summary"]
    # The headline comes first (dvc exp show lists columns in file order), then the tasks.
    assert (
        list(summary) == ["headline", "xnli", "panx", "lmem", "smoke_scale"]
        and summary["smoke_scale"] is True
    )
    assert summary["lmem"] == {"tgt_en": 0.91, "tgt_es": 0.84, "tgt_de": 0.8, "tgt_sw": 0.42, "tgt_hi": 0.55}
    for task in TASKS:
        block = summary[task]
        assert list(block)[0] == "es_minus_en"
        for outcome in ("clean", "perturbed", "drop"):
            assert set(block[outcome]) == {f"src_{s}" for s in SOURCES}
            assert set(block["es_minus_en"][outcome]) == {"low_resource", "all"}
            iv = block["es_minus_en"][outcome]["low_resource"]
            assert iv["ci_low"] <= iv["diff"] <= iv["ci_high"]
        iv = block["es_minus_en"]["clean"]["low_resource"]
        assert (
            summary["headline"][task]["es"]["clean"]
            == f"{iv['diff']:+.3f} [{iv['ci_low']:+.3f}, {iv['ci_high']:+.3f}]"
        )
        # summary.json keeps what dvc exp show needs; the correlation statistics are in correlations.csv
        assert "corr" not in block and set(block["cv_r2"]) == {"clean", "drop"}
        table = pd.read_csv(env["out1"] / "metrics" / "correlations.csv")
        row = table[(table.task == task) & (table.outcome == "clean") & (table.feature == "syntactic")].iloc[
            0
        ]
        assert row.n == 8 and row.p <= row.p_holm <= 1 and row.ci_low <= row.pearson_r <= row.ci_high
        # The dependence-aware test: a permutation p-value over the swappable targets, Holm-adjusted.
        assert 0 < row.p_crossed <= row.p_crossed_holm <= 1
        size = table[
            (table.task == task) & (table.outcome == "clean") & (table.feature == "source_train_size")
        ]
        assert size.iloc[0].reason == "constant values"
        assert block["left_out"] == 0  # full coverage
    assert env["res1"]["left_out"] == []
    # Readable: every float is rounded to 4 decimals.
    floats = re.findall(r"-?\d+\.\d+", (env["out1"] / "metrics" / "summary.json").read_text(encoding="utf-8"))
    assert floats and all(len(f.split(".")[1]) <= 4 for f in floats)


def test_summary_means_match_the_evaluate_metrics(env):
    """With several fine-tuning seeds every estimate is the mean of the per-seed estimates, so the summary's
    means are the means over seeds of what each seed's eval JSON says (span F1 included: seeds are not pooled)."""
    summary = env["res1"]["summary"]
    fams = ("typos", "numbers")
    for task in TASKS:
        for src in SOURCES:
            zero_shot = [t for t in LANGS if t != src]
            per_seed: dict[str, list[float]] = {"clean": [], "perturbed": [], "drop": []}
            for seed in SEEDS:
                path = FIXTURE / "metrics" / "eval" / f"{task}-{src}-seed{seed}.json"
                data = json.loads(path.read_text(encoding="utf-8"))["targets"]
                # In the fixture a family's JSON score is over its changed examples, as adv and drop are defined.
                per_seed["clean"].append(statistics.mean(data[t]["clean"]["score"] for t in zero_shot))
                per_seed["perturbed"].append(
                    statistics.mean(statistics.mean(data[t][f]["score"] for f in fams) for t in zero_shot)
                )
                per_seed["drop"].append(
                    statistics.mean(statistics.mean(data[t][f]["drop"] for f in fams) for t in zero_shot)
                )
            for outcome, values in per_seed.items():
                assert summary[task][outcome][f"src_{src}"] == pytest.approx(
                    statistics.mean(values), abs=1e-4
                )
                spread = summary[task][f"{outcome}_seed_sd"][f"src_{src}"]
                assert spread == pytest.approx(statistics.stdev(values), abs=1e-4), (task, src, outcome)


def test_html_report_is_self_contained(env):
    html = (env["out1"] / "metrics" / "report.html").read_text(encoding="utf-8")
    n_png = len(list((env["out1"] / "metrics" / "plots").glob("*.png")))
    assert n_png >= 10 and html.count('src="data:image/png;base64,') == n_png
    assert not re.search(r"https?://", html) and "<script" not in html and "<link" not in html
    assert "SMOKE SCALE" in html
    md = (env["out1"] / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "SMOKE SCALE" in md and "](plots/xnli-forest.png)" in md
    iv = env["res1"]["summary"]["xnli"]["es_minus_en"]["clean"]["low_resource"]
    assert (
        f"| xnli | es - en | low-resource (sw hi) | {iv['diff']:+.3f} [{iv['ci_low']:+.3f}, {iv['ci_high']:+.3f}]"
        in md
    )
    # The first screen: verdicts, the table, the run configuration, before anything else
    assert md.index("## Answer") < md.index("## Run configuration") < md.index("## Degenerate runs")
    assert (
        "params hash" in md
        and "No run is flagged." in md
        and "too few changed" not in md.split("## Robustness")[0]
    )
    assert "Holm" in md and "Caveats" in md
    assert (
        "- panx: 10 (source, target) pairs analysed: sources en, es; targets en, es, de, sw, hi; 0 left out."
        in md
    )
    # generated XNLI: the notice gives the sample's hypothesis-only accuracy (params' sizes and seed)
    from xlrobust.synthetic.nli import hypothesis_only_accuracy
    from xlrobust.tasks import REGISTRY

    xnli = REGISTRY["xnli"]  # the fixture params keep the default generated sizes
    baseline = hypothesis_only_accuracy(xnli.offline_train_size, xnli.offline_test_size, 0)
    assert f"a model that never reads the premise scores accuracy {baseline:.2f}" in md
    md2 = (env["out2"] / "metrics" / "report.md").read_text(encoding="utf-8")
    assert "SMOKE SCALE" not in md2 and "never reads the premise" not in md2


def test_outputs_are_deterministic(env):
    a, b = env["out1"] / "metrics", env["out2"] / "metrics"
    sa, sb = _strict_json(a / "summary.json"), _strict_json(b / "summary.json")
    assert sa.pop("smoke_scale") != sb.pop("smoke_scale") and sa == sb
    for name in (
        "features.csv",
        "scores.csv",
        "seed_scores.csv",
        "correlations.csv",
        "source_diffs.csv",
        "seed_diffs.csv",
    ):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    for png in (a / "plots").glob("*.png"):
        assert png.read_bytes() == (b / "plots" / png.name).read_bytes()


def test_plot_specs_name_existing_files_and_fields(env):
    specs = env["res1"]["plots"]
    assert {Path(s["path"]).name for s in specs} >= {
        "xnli-pairs.csv",
        "panx-source-diffs.csv",
        "xnli-drop-by-family.csv",
        "xnli-scores.csv",
        "xnli-features-long.csv",
        "panx-seed-diffs.csv",
    }
    builtin = {"linear", "simple", "scatter", "smooth", "confusion"}
    for spec in specs:
        header = Path(spec["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert spec["x"] in header and spec["y"] in header
        assert spec["template"] in builtin or (REPO / ".dvc" / "plots" / f"{spec['template']}.json").is_file()
    long = pd.read_csv(env["out1"] / "metrics" / "plots" / "xnli-features-long.csv")
    pairs = pd.read_csv(env["out1"] / "metrics" / "plots" / "xnli-pairs.csv")
    assert len(long) == len(pairs) * long.feature.nunique() and long.feature.nunique() >= 10
    row = long[(long.feature == "target_lmem") & (long.pair == "es->sw")].iloc[0]
    assert (
        row.feature_value == pytest.approx(0.42)
        and row.source == "es"
        and row.clean == pytest.approx(pairs[pairs.pair == "es->sw"].clean.iloc[0])
    )
    for path in env["res1"]["files"]:
        assert Path(path).is_file(), path


def test_dvc_yaml_plot_templates_exist():
    plots = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["plots"]
    for definition in plots:
        ((name, d),) = definition.items()
        template = d.get("template", "linear")
        assert (REPO / ".dvc" / "plots" / f"{template}.json").is_file(), name  # no default template
        if (REPO / ".dvc" / "plots" / f"{template}.json").is_file():
            content = json.loads((REPO / ".dvc" / "plots" / f"{template}.json").read_text(encoding="utf-8"))
            assert content["data"] == {"values": "<DVC_METRIC_DATA>"}, template


def test_inconsistent_metrics_and_rows_are_reported(env, tmp_path):
    root = tmp_path / "fx"
    shutil.copytree(FIXTURE, root)
    path = root / "metrics" / "eval" / "xnli-es-seed2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["targets"]["sw"]["clean"]["score"] += 0.1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match=r"xnli-es-seed2\.json: targets\.sw\.clean\.score"):
        run(root, tmp_path / "out", env["tok"], env["cache"], smoke=True)
    (root / "data" / "predictions" / "panx" / "en" / "seed1" / "hi" / "typos.jsonl").unlink()
    with pytest.raises(DataError, match=r"typos\.jsonl: file not found"):
        correlate_fixture(
            root,
            tmp_path / "out2",
            tokenizer=env["tok"],
            tasks=["panx"],
            sources=SOURCES,
            languages=LANGS,
            features=("lexical_overlap",),
            n_boot=100,
            seeds=SEEDS,
        )


def test_bad_configuration_is_a_config_error():
    """The analysis takes validated params: these bad settings stop at params loading, before any file is read."""
    import yaml

    shipped = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "params.yaml").read_text(encoding="utf-8")
    )
    base = {**shipped, "tasks": TASKS, "sources": SOURCES, "languages": LANGS, "low_resource": ["sw", "hi"]}
    with pytest.raises(ConfigError, match="'reference_source' 'de'"):
        load_params({**base, "reference_source": "de"})
    with pytest.raises(ConfigError, match="'correlate.features' is 'syntax'"):
        load_params({**base, "correlate": {**shipped["correlate"], "features": ["syntax"]}})
    with pytest.raises(ConfigError, match="unknown language code 'xx'"):
        load_params({**base, "languages": ["en", "xx"], "sources": ["en"], "low_resource": []})
    with pytest.raises(ConfigError, match=r"'seeds' lists 1 more than once"):
        load_params({**base, "seeds": [1, 1]})


def test_report_rendering_escapes_html():
    doc = report.Document("T <1>").add(
        report.Paragraph("a <b> & c"),
        report.Table(["h|1"], [["x|y"]]),
        report.Figure("cap", b"\x89PNG", "p.png"),
    )
    html, md = report.to_html(doc), report.to_markdown(doc)
    assert "a &lt;b&gt; &amp; c" in html and "<title>T &lt;1&gt;</title>" in html
    assert "data:image/png;base64,iVBORw==" in html
    assert "| h\\|1 |" in md and "![cap](p.png)" in md
