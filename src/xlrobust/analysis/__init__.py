"""The correlate stage's analysis: answer the research question from the evaluate stage's outputs.

Does the fine-tuning (source) language change zero-shot transfer to low-resource targets and its robustness to
perturbations, and which language-pair features go with transfer? Every score is recomputed from the per-example
prediction rows with the task's :class:`~xlrobust.stats.Aggregate`, so point estimates and bootstrap intervals
come from the same numbers (the clean scores are checked against the evaluate stage's JSON).

Definitions (per source s, target t; "families" are the perturbation conditions, e.g. typos, numbers):
- clean(s, t): aggregate over all clean test rows.
- adv(s, t): mean over families of the aggregate over the perturbed rows that the family changed.
- drop(s, t): mean over families of aggregate(clean rows, changed ones) - aggregate(perturbed rows, changed ones).
Families that change no example of a target are left out of that target's means.

Fine-tuning seeds: with several models per (task, source), one per seed, every estimate is the mean over seeds
of the estimate computed from each seed's rows alone (differences pair the source's and the reference's runs
of the same seed), and its interval is a paired bootstrap over test examples in which each replicate resamples
the examples once and applies the resample to every seed. The seed spread (SD, min and max of the per-seed
estimates) is reported beside it: the interval is about test-set sampling, the spread about training.

Modules, in the order the stage uses them (entry point :func:`xlrobust.analysis.pipeline.run`):
``coverage`` (which pairs have eval results, and why others are left out), ``loading`` (the per-example rows),
``features`` (language-pair features, named in ``feature_names``: :data:`PAIR_FEATURES`),
``scores`` (clean, adv, drop per pair), ``differences`` (source minus reference, bootstrap intervals),
``correlations`` (outcomes against features), ``summary`` (summary.json), ``document`` (the report's content),
``report`` (its Markdown and HTML rendering), ``figures`` and ``plots`` (PNG and ``dvc plots`` data).
This package imports none of them itself, so reading a definition (e.g. ``PAIR_FEATURES``) stays cheap.
"""
