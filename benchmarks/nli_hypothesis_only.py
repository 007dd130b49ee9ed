"""Benchmark 17b: how far the offline XNLI sample can be solved from the hypothesis alone, and whether the
committed models read the premise at all.

An NLI dataset whose label can be guessed from the hypothesis alone rewards a model that never reads the premise
(Poliak et al. 2018, "Hypothesis Only Baselines in Natural Language Inference"; Gururangan et al. 2018,
"Annotation Artifacts in Natural Language Inference Data"). The offline sample renders every hypothesis from a
template (``xlrobust.synthetic.nli.SCHEMAS``) and the same template takes different labels under different
changes of the premise frame, but not in equal shares. Two numbers, from params.yaml and this checkout:

1. *Template-majority baseline* (``xlrobust.synthetic.nli.hypothesis_only_accuracy``, which the report's
   smoke-scale notice also prints): each hypothesis template's most frequent label in the generated training
   set (``data.sizes.train``), applied to the test set (``data.sizes.test``). This is what a perfect
   hypothesis-only model of the sample scores.
2. *Does a committed model read the premise?* Its in-language test predictions grouped by hypothesis template.
   Within a template the gold label varies with how the premise differs (the change), which only the premise
   shows; a model that compares the two predicts different labels within the template, a hypothesis-only model
   one label for all of them. Reported: of the templates whose test items carry two or more gold labels, the
   share where the model predicts a single label; the model's accuracy; its agreement with the baseline.

Usage: python benchmarks/nli_hypothesis_only.py     # prints a markdown table; results/nli_hypothesis_only.json
"""

from __future__ import annotations

import json
from collections import defaultdict

from common import REPO, RESULTS, machine_info

from xlrobust.cli import read_params_file
from xlrobust.io import write_json
from xlrobust.paths import Paths
from xlrobust.synthetic.nli import hypothesis_only_accuracy, nli_frames, template_labels


def main() -> None:
    params = read_params_file(REPO / "params.yaml")
    paths = Paths(REPO)
    sizes = params.data.sizes
    n_train, n_test = sizes.train["xnli"], sizes.test["xnli"]
    majority = template_labels(n_train, params.seed)
    test = nli_frames("test", n_test, params.seed)
    guess = [majority[t].most_common(1)[0][0] if t in majority else None for _l, _p, t, _f, _h in test]
    baseline = hypothesis_only_accuracy(n_train, n_test, params.seed)  # the report's number, defined once
    templates = {t: dict(c) for t, c in sorted(majority.items())}
    result = {
        "train": n_train,
        "test": n_test,
        "seed": params.seed,
        "template_majority_accuracy": round(baseline, 4),
        "templates": len(templates),
        "models": {},
    }
    rows = [f"| template-majority baseline (hypothesis only) | {baseline:.3f} | - | - |"]
    for source in params.sources:
        for seed in params.seeds:
            path = paths.predictions_dir("xnli", source, seed) / source / "clean.jsonl"
            if not path.is_file():
                continue
            preds = [json.loads(line)["prediction"] for line in path.read_text(encoding="utf-8").splitlines()]
            predicted: dict[str, set[str]] = defaultdict(set)
            gold: dict[str, set[str]] = defaultdict(set)
            for (label, _p, template, _f, _h), pred in zip(test, preds, strict=True):
                predicted[template].add(pred)
                gold[template].add(label)
            multi = [t for t in gold if len(gold[t]) >= 2]
            constant = sum(len(predicted[t]) == 1 for t in multi) / len(multi)
            accuracy = sum(p == item[0] for p, item in zip(preds, test, strict=True)) / len(test)
            agree = sum(p == g for p, g in zip(preds, guess, strict=True)) / len(test)
            result["models"][f"xnli-{source}-seed{seed}"] = {
                "accuracy": round(accuracy, 4),
                "templates_with_two_or_more_gold_labels": len(multi),
                "share_of_those_with_one_prediction": round(constant, 4),
                "agreement_with_template_majority": round(agree, 4),
            }
            rows.append(
                f"| xnli-{source}-seed{seed} on {source} | {accuracy:.3f} | {constant:.2f} of {len(multi)} "
                f"| {agree:.2f} |"
            )
    result["template_labels_in_training"] = templates
    write_json(RESULTS / "nli_hypothesis_only.json", {"machine": machine_info(), **result})
    print(
        "| model | accuracy | templates with several gold labels but one prediction | agreement with the baseline |"
    )
    print("| --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
