"""The adversarial stage's work for one language: CheckList-style, label-preserving perturbations of every task's
evaluation split, plus XTREME-R's MultiCheckList QA cases for the tasks whose spec asks for them.

Writes ``data/adversarial/<lang>/<task>/<family>.jsonl`` (see :mod:`xlrobust.perturb`), the MultiCheckList
cases (see :mod:`xlrobust.multichecklist`), ``metrics/perturbation/<lang>.json`` with the share of examples
each family changed and ``metrics/perturbation/audit/<lang>.md``, a seeded sample of the edits per task and
family for a native speaker to review (see :mod:`xlrobust.perturb_audit`).
"""

from __future__ import annotations

import logging

from xlrobust.config import Params
from xlrobust.io import read_jsonl, write_json, write_jsonl, write_text
from xlrobust.multichecklist import available_languages, generate_suite, load_templates
from xlrobust.paths import Paths
from xlrobust.perturb import FAMILIES, perturb_examples
from xlrobust.perturb.detector import NerDetector, make_detector
from xlrobust.perturb_audit import FamilyAudit, audit_family, render_audit
from xlrobust.tasks import get_task

log = logging.getLogger("xlrobust.adversarial")


def perturb_language(lang: str, params: Params, paths: Paths, detector: NerDetector | None = None) -> None:
    """Write the perturbed sets, the share each family changed and the audit sample for one language.
    ``detector``: the ``perturbations.detector`` model, shared by the languages of one stage run (made here
    when not given)."""
    cfg = params.perturbations
    if detector is None:
        detector = make_detector(cfg.detector, cfg.detector_device)
    stats: dict[str, dict[str, dict[str, float]]] = {}
    audits: list[FamilyAudit] = []
    for task in params.tasks:
        clean_path = paths.prepared(lang, task, params.data.eval_split)
        if not clean_path.exists():
            continue
        examples = read_jsonl(clean_path)
        stats[task] = {}
        for family in cfg.families:
            if lang not in FAMILIES[family].languages:
                log.info("%s does not apply to %s; skipped", family, lang)
                audits.append(FamilyAudit(task, family, applies=False))
                continue
            options = dict(cfg.options.get(family, {}))
            rate = float(options.pop("rate", cfg.rate))
            out = perturb_examples(
                task, lang, examples, family, rate=rate, seed=params.seed, detector=detector, **options
            )
            n_changed = sum(bool(ex["changed"]) for ex in out)
            write_jsonl(paths.adversarial(lang, task, family), out)
            audits.append(audit_family(task, lang, family, examples, out, seed=params.seed))
            stats[task][family] = {
                "n": len(out),
                "changed": n_changed,
                "share_changed": round(n_changed / len(out), 4) if out else 0.0,
            }
            log.info("%s %s %s: changed %d of %d", task, lang, family, n_changed, len(out))
    if cfg.multichecklist and any(get_task(task).multichecklist for task in params.tasks):
        templates = load_templates(cfg.multichecklist)
        if lang in available_languages(templates):
            suite = generate_suite(templates, lang, n_per_test=cfg.multichecklist_fills, seed=params.seed)
            write_jsonl(paths.multichecklist(lang), suite.cases)
            stats["multichecklist"] = {"cases": len(suite.cases), "skipped": suite.skipped}
        else:
            log.info("MultiCheckList has no column for %s; skipped", lang)
    if detector is not None:
        detector.clear()  # the next language's texts are others
    write_json(paths.perturbation_stats(lang), {"language": lang, "tasks": stats})
    write_text(paths.perturbation_audit(lang), render_audit(lang, params.seed, audits))
