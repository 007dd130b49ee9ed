"""Error rates of the correlate stage's feature-outcome correlation tests, on simulated (source, target) pairs.

Layout: the study's languages are the targets, the fine-tuning languages the sources, zero-shot pairs only
(source != target), the ten configured features and the two correlated outcomes (clean, drop), one task; the
tests are run by the project's ``correlation_table`` (naive Pearson p, Holm and BH within each outcome) and by
:func:`xlrobust.crossed.crossed_correlation` (then Holm within each outcome, as the report would).

Features (drawn afresh per replicate): every language l has a position z[l] ~ N(0, I_3); the six URIEL-like
distances are |w_j . (z[s] - z[t])| + 0.3 noise, the two overlaps exp(-distance_1) + 0.1 noise, ``target_lmem``
a value of the target alone, ``source_train_size`` a value of the source alone. So features have the crossed
structure real ones have: a remote target is far from every source.

Designs (per replicate, outcomes for each pair):
- ``iid_null``: outcome ~ N(0, 1) independently per pair. The textbook null: naive tests are exact here.
- ``iid_planted``: outcome = 0.8 * std(target_lmem) + N(0, 1). One true feature, nine independent of it.
- ``crossed_null``: outcome = source effect N(0, 1) + target effect N(0, tau^2) + N(0, 1), effects independent of
  every feature. No feature is associated with the outcome; pairs sharing a target share its effect and its
  feature values, which the naive test mistakes for evidence.
- ``crossed_planted``: crossed_null + 0.8 * std(feature) for ``target_lmem`` (a target-level feature) and,
  separately, ``syntactic`` (a pair-level distance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from analysis_api import correlation_table

from xlrobust.crossed import crossed_correlation
from xlrobust.stats import holm

ALPHA = 0.05
# Features drawn independently of every other feature: with one of them planted, the others are true nulls, so
# FWER and FDR are defined. A planted distance also moves the features derived from it (overlaps, other
# distances), so for it only power is reported.
INDEPENDENT = ("target_lmem", "source_train_size")
DISTANCES = ("syntactic", "phonological", "inventory", "genetic", "geographic", "featural")


def _features(rng: np.random.Generator, languages: list[str], sources: list[str]) -> pd.DataFrame:
    z = {lang: rng.standard_normal(3) for lang in languages}
    w = rng.standard_normal((len(DISTANCES), 3))
    lmem = {lang: rng.standard_normal() for lang in languages}
    size = {s: rng.standard_normal() for s in sources}
    rows = []
    for s in sources:
        for t in languages:
            if s == t:
                continue
            rec = {"task": "sim", "source": s, "target": t}
            for j, name in enumerate(DISTANCES):
                rec[name] = abs(float(w[j] @ (z[s] - z[t]))) + 0.3 * rng.standard_normal()
            rec["lexical_overlap"] = np.exp(-rec["syntactic"]) + 0.1 * rng.standard_normal()
            rec["subword_overlap"] = np.exp(-rec["syntactic"]) + 0.1 * rng.standard_normal()
            rec["target_lmem"] = lmem[t]
            rec["source_train_size"] = size[s]
            rows.append(rec)
    return pd.DataFrame(rows)


def _std(v: pd.Series) -> np.ndarray:
    return ((v - v.mean()) / v.std(ddof=0)).to_numpy()


def _outcome(
    design: str, rng: np.random.Generator, pairs: pd.DataFrame, tau: float, planted: str | None, effect: float
) -> np.ndarray:
    n = len(pairs)
    y = rng.standard_normal(n)
    if design.startswith("crossed"):
        src = {s: rng.standard_normal() for s in pairs["source"].unique()}
        tgt = {t: tau * rng.standard_normal() for t in pairs["target"].unique()}
        y = y + pairs["source"].map(src).to_numpy() + pairs["target"].map(tgt).to_numpy()
    if planted:
        y = y + effect * _std(pairs[planted])
    return y


def run_design(
    design: str,
    languages: list[str],
    sources: list[str],
    features: list[str],
    reps: int,
    seed: list[int],
    *,
    tau: float = 1.0,
    planted: str | None = None,
    effect: float = 0.8,
    n_perm: int = 499,
    crossed: bool = True,
    first_rep: int = 0,
) -> list[dict]:
    """Per replicate and (outcome, feature): naive p, Holm, BH (project code) and, with ``crossed``, the crossed
    permutation p and its Holm adjustment. Replicates are numbered from ``first_rep`` (a family is one
    (replicate, outcome), so chunks of one design must not reuse numbers)."""
    rng = np.random.default_rng(seed)
    out = []
    for rep in range(first_rep, first_rep + reps):
        pairs = _features(rng, languages, sources)
        for outcome in ("clean", "drop"):
            pairs[outcome] = _outcome(design, rng, pairs, tau, planted, effect)
        table = correlation_table(pairs, features, n_boot=20, seed=rep)
        if crossed:
            for outcome, block in table.groupby("outcome", sort=False):
                ps = [
                    crossed_correlation(
                        pairs[f], pairs[outcome], pairs["source"], pairs["target"], n_perm=n_perm, seed=rng
                    ).p
                    for f in block["feature"]
                ]
                table.loc[block.index, "p_crossed"] = ps
                table.loc[block.index, "p_crossed_holm"] = holm(ps)
        for rec in table.to_dict("records"):
            out.append(
                {
                    "design": design,
                    "sources": len(sources),
                    "tau": tau,
                    "planted": planted or "",
                    "rep": rep,
                    "outcome": rec["outcome"],
                    "feature": rec["feature"],
                    "p": rec["p"],
                    "p_holm": rec["p_holm"],
                    "p_bh": rec["p_bh"],
                    "spearman_p": rec["spearman_p"],
                    "p_crossed": rec.get("p_crossed"),
                    "p_crossed_holm": rec.get("p_crossed_holm"),
                }
            )
    return out


def summarise(records: list[dict]) -> dict[str, list[dict]]:
    """Family-wise error / FDR / power per design (a family = the features of one outcome in one replicate),
    and per-feature rejection rates of single tests."""
    df = pd.DataFrame(records)
    df["true"] = df["feature"] == df["planted"]
    families, per_feature = [], []
    keys = ["design", "sources", "tau", "planted"]
    for key, g in df.groupby(keys, sort=False):
        rec = dict(zip(keys, key, strict=True))
        fam = g.groupby(["rep", "outcome"])
        rec["families"] = fam.ngroups
        for label, col in (
            ("holm", "p_holm"),
            ("bh", "p_bh"),
            ("unadjusted", "p"),
            ("crossed_holm", "p_crossed_holm"),
        ):
            if g[col].isna().all():
                continue
            rej = g[col] < ALPHA
            false = rej & ~g["true"]
            if g["true"].any():
                rec[f"power_{label}"] = round(float(rej[g["true"]].mean()), 4)
            if key[3] and key[3] not in INDEPENDENT:
                continue
            rec[f"fwer_{label}"] = round(float(false.groupby([g["rep"], g["outcome"]]).any().mean()), 4)
            n_rej = rej.groupby([g["rep"], g["outcome"]]).sum()
            n_false = false.groupby([g["rep"], g["outcome"]]).sum()
            rec[f"fdr_{label}"] = round(float((n_false / n_rej.clip(lower=1)).mean()), 4)
        families.append(rec)
        for feat, gf in g.groupby("feature", sort=False):
            row = {**dict(zip(keys, key, strict=True)), "feature": feat, "tests": len(gf)}
            for label, col in (
                ("naive_pearson", "p"),
                ("naive_spearman", "spearman_p"),
                ("crossed", "p_crossed"),
            ):
                if not gf[col].isna().all():
                    row[f"reject_{label}"] = round(float((gf[col] < ALPHA).mean()), 4)
            per_feature.append(row)
    return {"families": families, "per_feature": per_feature}
