"""The correlate stage's one entry point: read the evaluate stage's outputs, compute every table, write
summary.json, the CSV tables, the figures and the report."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from xlrobust.analysis import report
from xlrobust.analysis.common import CORR_OUTCOMES
from xlrobust.analysis.correlations import correlation_table, zero_shot_pairs
from xlrobust.analysis.coverage import Coverage, task_coverage
from xlrobust.analysis.differences import DIFF_COLUMNS, SEED_DIFF_COLUMNS, difference_table
from xlrobust.analysis.document import build_document, run_configuration
from xlrobust.analysis.features import build_features, load_lmem
from xlrobust.analysis.figures import PlotSpec, task_figures
from xlrobust.analysis.health import run_flags, task_blocked
from xlrobust.analysis.loading import TaskData, load_task, predictions_path
from xlrobust.analysis.provenance import load_provenance
from xlrobust.analysis.scores import family_drop_table, robustness_table, score_table, seed_score_table
from xlrobust.analysis.summary import clean_json, headline, task_summary
from xlrobust.errors import DataError
from xlrobust.feature_names import CV_FEATURES, URIEL_DISTANCES
from xlrobust.io import read_jsonl, write_text
from xlrobust.stats import cross_validated_r2
from xlrobust.tasks import get_task

if TYPE_CHECKING:
    from xlrobust.config import Params
    from xlrobust.paths import Paths


def is_smoke_scale(params: Params) -> bool:
    """Whether the numbers come from the tiny model or generated data (the report then says they are not
    results)."""
    return params.model.is_tiny or params.data.source == "synthetic"


def sample_notes(params: Params, paths: Paths) -> list[str]:
    """What the generated data lets a model score without doing each task, and where each run stands against
    that in its own language (``Task.offline_sample_note``; on the offline XNLI sample, the hypothesis-only
    baseline), for the smoke-scale notice."""
    if params.data.source != "synthetic":
        return []
    sizes = params.data.sizes
    notes = []
    for t in params.tasks:
        in_language = {}
        for source in params.sources:
            for seed in params.seeds:
                path = predictions_path(paths.predictions_root, t, source, seed, source, "clean")
                if path.is_file():
                    name = source if len(params.seeds) == 1 else f"{source} seed {seed}"
                    in_language[name] = read_jsonl(path)
        notes.append(
            get_task(t).offline_sample_note(
                sizes.of("train", t) or 0, sizes.of("test", t) or 0, params.seed, in_language
            )
        )
    return [note for note in notes if note]


def coverage_of(params: Params, paths: Paths) -> dict[str, Coverage]:
    """Every task's coverage; having no task to analyse at all is a DataError."""
    coverage = {
        task: task_coverage(
            paths.eval_dir,
            task,
            params.sources,
            params.languages,
            seeds=params.seeds,
            prepared_dir=paths.prepared_root,
            eval_split=params.data.eval_split,
        )
        for task in params.tasks
    }
    if all(cov.skipped for cov in coverage.values()):
        raise DataError(
            f"{paths.eval_dir}: no task has evaluation results to analyse ("
            + "; ".join(f"{task}: {cov.skipped}" for task, cov in coverage.items())
            + "); check data.on_missing, the sources and the tasks in params.yaml"
        )
    return coverage


def _feature_table(
    params: Params, paths: Paths, coverage: dict[str, Coverage], usable: list[str]
) -> pd.DataFrame:
    """The pair features asked for (params ``correlate.features``), for the pairs each usable task covers."""
    features = params.correlate.features
    feats = build_features(
        paths.prepared_root,
        paths.base_model if "subword_overlap" in features else None,
        paths.lmem_dir if "target_lmem" in features else None,
        tasks=usable,
        sources=params.sources,
        targets=params.languages,
        uriel_kinds=[f for f in features if f in URIEL_DISTANCES],
        uriel_cache=paths.uriel_cache,
        eval_split=params.data.eval_split,
        per_task={task: (coverage[task].sources, coverage[task].targets) for task in usable},
    )
    return feats[["task", "source", "target", *[f for f in features if f in feats.columns]]]


def _concat(frames: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    """Non-empty frames stacked, or an empty table with ``columns`` (still a CSV with a header)."""
    frames = [d for d in frames if not d.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def run(params: Params, paths: Paths) -> dict[str, Any]:
    """Run the whole analysis for validated ``params`` under ``paths`` and write summary.json, the CSV tables,
    the plots (PNG + CSV) and the report.

    ``params.seed`` drives the bootstraps and cross-validation; ``params.seeds`` are the fine-tuning seeds whose
    eval JSONs are read (one per task, source and seed). Partial coverage is expected (see :class:`Coverage`):
    each task uses the sources whose eval JSONs exist for every seed and are not marked skipped and the targets
    all of them have results for; a task without any appears in summary.json as ``{"skipped": reason}`` and the
    report lists every left-out pair with its reason. A malformed eval JSON or a missing prediction file of a
    used pair is a DataError, as is having no task to analyse.

    Returns ``{"summary": ..., "plots": [PlotSpec as dict, ...], "files": [every file written],
    "left_out": [{"task", "source", "target", "reason"}, ...]}``.
    """
    reference, low_resource = params.reference_source, params.low_resource
    n_boot, seed = params.correlate.n_boot, params.seed
    smoke_scale = is_smoke_scale(params)
    cv_features = [f for f in CV_FEATURES if f in params.correlate.features]
    coverage = coverage_of(params, paths)
    prov = load_provenance(paths.coverage_dir, params.languages, params.data.eval_split)
    usable = [task for task, cov in coverage.items() if cov.skipped is None]
    feats = _feature_table(params, paths, coverage, usable)
    feature_cols = [f for f in params.correlate.features if f in feats.columns]
    tds: dict[str, TaskData] = {}
    score_frames, seed_frames, fam_frames, diff_frames, seed_diff_frames, pair_frames = [], [], {}, [], [], []
    flags: dict[str, dict[tuple[str, int], list[str]]] = {}
    robustness: dict[str, pd.DataFrame] = {}
    for task in usable:
        td = load_task(paths.predictions_root, coverage[task], min_changed=params.perturbations.min_changed)
        tds[task] = td
        flags[task] = run_flags(td)
        seed_frames.append(seed_score_table(td))
        score_frames.append(score_table(td, seed_frames[-1]))
        fam_frames[task] = family_drop_table(td, n_boot=n_boot, seed=seed)
        robustness[task] = robustness_table(
            td, list(dict.fromkeys([*params.perturbations.families, *td.families]))
        )
        if reference in td.sources:  # otherwise the report says why there is no difference
            d, sd = difference_table(td, reference, low_resource, n_boot=n_boot, seed=seed, flags=flags[task])
            diff_frames.append(d)
            seed_diff_frames.append(sd)
        pair_frames.append(zero_shot_pairs(score_frames[-1], feats))
    scores, pairs = pd.concat(score_frames, ignore_index=True), pd.concat(pair_frames, ignore_index=True)
    seed_scores = pd.concat(seed_frames, ignore_index=True)
    diffs = _concat(diff_frames, DIFF_COLUMNS)
    seed_diffs = _concat(seed_diff_frames, SEED_DIFF_COLUMNS)
    corr = correlation_table(pairs, feature_cols, n_boot=n_boot, seed=seed, tasks=usable)
    summary: dict[str, Any] = {"headline": {}}
    figures: list[report.Figure] = []
    specs: list[PlotSpec] = []
    for task, cov in coverage.items():
        if cov.skipped:
            summary[task] = {"skipped": cov.skipped}
            continue
        td = tds[task]
        tp = pairs[pairs["task"] == task]
        cv_cols = [f for f in cv_features if f in feature_cols]
        cv = {
            o: cross_validated_r2(
                tp[cv_cols].to_numpy(dtype=float), tp[o].to_numpy(dtype=float), cv_cols, seed=seed
            )
            for o in CORR_OUTCOMES
        }
        tdiff = diffs[diffs["task"] == task] if not diffs.empty else diffs
        tseed = seed_diffs[seed_diffs["task"] == task] if not seed_diffs.empty else seed_diffs
        summary["headline"][task] = headline(diffs, task, td.sources, reference) if not diffs.empty else {}
        summary[task] = task_summary(
            td,
            scores[scores["task"] == task],
            tdiff,
            cv,
            reference,
            len(cov.left_out),
            seed_scores=seed_scores[seed_scores["task"] == task],
            n_degenerate=len(flags[task]),
        )
        summary[task].update(prov.summary_block(task, td.sources, td.targets))
        f, s = task_figures(
            task,
            td,
            scores[scores["task"] == task],
            fam_frames[task],
            robustness[task],
            tp,
            tdiff,
            tseed,
            feature_cols,
            paths.plots_dir,
            paths.report_md.parent,
            signal=not task_blocked(td, flags[task]),
        )
        figures += f
        specs += s
    if paths.lmem_dir.exists():
        summary["lmem"] = {
            f"tgt_{k}": v for k, v in load_lmem(paths.lmem_dir).items() if k in params.languages
        }
    summary["smoke_scale"] = bool(smoke_scale)
    summary = clean_json(summary)
    tables = {
        "features": feats,
        "scores": scores,
        "seed_scores": seed_scores,
        "correlations": corr,
        "source_diffs": diffs,
        "seed_diffs": seed_diffs,
    }
    written = [str(paths.summary)]
    # Not write_json: its sorted keys would bury the headline; the order built here is deterministic.
    write_text(paths.summary, json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    for name, frame in tables.items():
        write_text(paths.analysis_table(name), frame.to_csv(index=False, float_format="%.4f"))
        written.append(str(paths.analysis_table(name)))
    doc = build_document(
        tds,
        summary,
        tables,
        figures,
        coverage=coverage,
        reference=reference,
        low_resource=low_resource,
        n_boot=n_boot,
        smoke_scale=smoke_scale,
        smoke_notes=sample_notes(params, paths),  # generated data only, which is always smoke scale
        flags=flags,
        robustness=robustness,
        run_config=run_configuration(params, tds),
        prov=prov,
    )
    write_text(paths.report_md, report.to_markdown(doc))
    write_text(paths.report_html, report.to_html(doc))
    written += [
        str(paths.report_md),
        str(paths.report_html),
        *[str(paths.plots_dir / fg.path.split("/")[-1]) for fg in figures],
        *[s.path for s in specs],
    ]
    left_out = [
        {"task": task, "source": s, "target": t, "reason": reason}
        for task, cov in coverage.items()
        for s, t, reason in cov.left_out
    ]
    return {"summary": summary, "plots": [s.__dict__ for s in specs], "files": written, "left_out": left_out}
