"""Coverage of the correlate stage's paired bootstrap interval of a source difference, on simulated prediction
rows whose population values are known in closed form.

Simulation (one replicate): for every zero-shot target t and fine-tuning seed k, n test examples are drawn and
each model (source s in {reference, other}, seed k) "predicts" them through a latent score

    z[i, s, k] = a[s, t] + u[s, t, k] - d[i] + sqrt(rho) e[i, s] + sqrt(1 - rho) e[i, s, k],

d[i] ~ N(0, 1) the example's difficulty (shared by every model: this is what makes the comparison paired),
e ~ N(0, 1) idiosyncratic errors (partly shared by the seeds of one source), u the seed effect of that
fine-tuning run (N(0, 0.04^2) shared by a run's targets plus N(0, 0.03^2) per target; drawn afresh in every
replicate). Given the run, z ~ N(a + u, 2) over examples, so every population value has a closed form:

- accuracy (XNLI rows, ``score`` in {0, 1}): 1[z > 0]; population accuracy Phi((a + u) / sqrt 2);
- SQuAD F1 (TyDiQA rows, ``score`` in [0, 1]): clip((z - c0) / (c1 - c0), 0, 1) with c0 = -0.6, c1 = 0.6,
  which puts 25-45% of the examples at 1, 20-45% at 0 and the rest in between, as token F1 does;
  population mean from E[(Z - c)+] = (m - c) Phi((m - c)/sd) + sd phi((m - c)/sd);
- corpus span F1 (PAN-X rows, ``tp``/``fp``/``fn``): g[i] ~ Poisson(1.5) gold spans, each found when its own
  latent score (same form, per span) is > 0; fn = g - tp; fp[i] ~ Poisson(0.5 exp(-0.7 (a + u)) exp(0.5 d[i]));
  population corpus F1 = 2 E tp / (E tp + E g + E fp), the limit of the corpus statistic (not a mean of
  per-example F1).

Estimand. The project's interval resamples test examples only, so it claims the difference *for the trained
models at hand*: the population (infinite test set) value of mean over seeds of [metric(other, seed k) -
metric(reference, seed k)], averaged over the unit's targets, conditional on the seeds' runs. That is the
``truth`` coverage is measured against. The expectation of the same difference over fresh fine-tuning runs
(``truth_over_seeds``, by Gauss-Hermite quadrature over u) is not what the interval claims; its coverage is
reported beside it to show what ignoring seed randomness costs.
"""

from __future__ import annotations

import numpy as np
from analysis_api import TaskData, source_difference
from scipy import stats as sps

from xlrobust.stats import aggregate_for

RHO = 0.5  # share of an example's idiosyncratic error common to the seeds of one source
SEED_SD_RUN, SEED_SD_TARGET = 0.04, 0.03
C0, C1 = -0.6, 1 * 0.6
GOLD_MEAN, FP_BASE, FP_SLOPE, FP_DIFFICULTY = 1.5, 0.5, 0.7, 0.5
LATENT_SD = np.sqrt(2.0)  # sd of z given the run: difficulty (1) + idiosyncratic error (1)

# Reference-source ability per zero-shot target (low-resource targets lower) and the other source's advantage.
ABILITY = {"ar": 0.4, "bn": 0.1, "de": 0.9, "fi": 0.6, "hi": 0.2, "id": 0.7, "ru": 0.7, "sw": -0.2}
ADVANTAGE = {"ar": 0.05, "bn": 0.15, "de": -0.05, "fi": 0.0, "hi": 0.1, "id": 0.1, "ru": 0.05, "sw": 0.2}
METRICS = {"accuracy": "xnli", "squad_f1": "tydiqa", "span_f1": "panx"}
_GH_X, _GH_W = np.polynomial.hermite.hermgauss(40)


def _positive_part_mean(m: np.ndarray, c: float) -> np.ndarray:
    """E[(Z - c)+] for Z ~ N(m, LATENT_SD^2)."""
    k = (m - c) / LATENT_SD
    return (m - c) * sps.norm.cdf(k) + LATENT_SD * sps.norm.pdf(k)


def population(metric: str, ability: np.ndarray) -> np.ndarray:
    """The metric's population value for a model of latent ability ``ability`` (array)."""
    if metric == "accuracy":
        return sps.norm.cdf(ability / LATENT_SD)
    if metric == "squad_f1":
        return (_positive_part_mean(ability, C0) - _positive_part_mean(ability, C1)) / (C1 - C0)
    tp = GOLD_MEAN * sps.norm.cdf(ability / LATENT_SD)
    fp = FP_BASE * np.exp(-FP_SLOPE * ability) * np.exp(FP_DIFFICULTY**2 / 2)
    return 2 * tp / (tp + GOLD_MEAN + fp)


def population_over_seeds(metric: str, ability: np.ndarray) -> np.ndarray:
    """E over the seed effect u of population(ability + u) (Gauss-Hermite, 40 nodes)."""
    sd = np.hypot(SEED_SD_RUN, SEED_SD_TARGET)
    vals = population(metric, np.asarray(ability)[..., None] + np.sqrt(2) * sd * _GH_X)
    return vals @ _GH_W / np.sqrt(np.pi)


def _rows(
    metric: str, rng: np.random.Generator, ability: np.ndarray, n: int, d: np.ndarray, shared: np.ndarray
) -> np.ndarray:
    """One run's (n, columns) matrix of the aggregate's columns; ``shared`` is this source's e[i, s] (n, spans)."""
    own = rng.standard_normal(shared.shape)
    z = ability - d[:, None] + np.sqrt(RHO) * shared + np.sqrt(1 - RHO) * own
    if metric == "accuracy":
        return (z[:, :1] > 0).astype(float)
    if metric == "squad_f1":
        return np.clip((z[:, :1] - C0) / (C1 - C0), 0.0, 1.0)
    raise AssertionError(metric)


def simulate(
    metric: str, n: int, n_seeds: int, targets: list[str], sources: tuple[str, str], rng: np.random.Generator
) -> tuple[dict, dict, dict]:
    """Prediction matrices per (source, seed, target, "clean") and the populations values per (source, seed,
    target) (given the runs) and per (source, target) (over runs)."""
    reference, other = sources
    run_effect = {(s, k): SEED_SD_RUN * rng.standard_normal() for s in sources for k in range(n_seeds)}
    arrays, given_runs, over_runs = {}, {}, {}
    for t in targets:
        base = {reference: ABILITY[t], other: ABILITY[t] + ADVANTAGE[t]}
        d = rng.standard_normal(n)
        if metric == "span_f1":
            gold = rng.poisson(GOLD_MEAN, size=n)
            width = max(1, int(gold.max()))
            in_gold = np.arange(width)[None, :] < gold[:, None]
        for s in sources:
            over_runs[(s, t)] = float(population_over_seeds(metric, np.array(base[s])))
            shared = rng.standard_normal((n, width if metric == "span_f1" else 1))
            for k in range(n_seeds):
                ability = base[s] + run_effect[(s, k)] + SEED_SD_TARGET * rng.standard_normal()
                given_runs[(s, k, t)] = float(population(metric, np.array(ability)))
                if metric == "span_f1":
                    own = rng.standard_normal(shared.shape)
                    z = ability - d[:, None] + np.sqrt(RHO) * shared + np.sqrt(1 - RHO) * own
                    tp = ((z > 0) & in_gold).sum(axis=1)
                    fp = rng.poisson(FP_BASE * np.exp(-FP_SLOPE * ability) * np.exp(FP_DIFFICULTY * d))
                    arrays[(s, k, t, "clean")] = np.column_stack([tp, fp, gold - tp]).astype(float)
                else:
                    arrays[(s, k, t, "clean")] = _rows(metric, rng, ability, n, d, shared)
    return arrays, given_runs, over_runs


def run_cell(
    metric: str,
    n: int,
    n_seeds: int,
    units: dict[str, list[str]],
    sources: tuple[str, str],
    reps: int,
    n_boot: int,
    seed: list[int],
) -> list[dict]:
    """``reps`` replicates of one design: per replicate and unit, the project's estimate and interval (via
    ``source_difference`` on a TaskData built from the simulated rows) and both truths."""
    task = METRICS[metric]
    targets = sorted({t for ts in units.values() for t in ts})
    rng = np.random.default_rng(seed)
    out = []
    for rep in range(reps):
        arrays, given_runs, over_runs = simulate(metric, n, n_seeds, targets, sources, rng)
        td = TaskData(
            task,
            metric,
            aggregate_for(task),
            list(sources),
            targets,
            [],
            {},
            {},
            seeds=list(range(n_seeds)),
            arrays=arrays,
        )
        reference, other = sources
        for unit, ts in units.items():
            iv = source_difference(
                td, other, reference, ts, "clean", n_boot=n_boot, seed=int(rng.integers(2**31))
            )
            truth = np.mean(
                [
                    np.mean(
                        [given_runs[(other, k, t)] - given_runs[(reference, k, t)] for k in range(n_seeds)]
                    )
                    for t in ts
                ]
            )
            truth_over = np.mean([over_runs[(other, t)] - over_runs[(reference, t)] for t in ts])
            out.append(
                {
                    "metric": metric,
                    "n": n,
                    "seeds": n_seeds,
                    "unit": unit,
                    "rep": rep,
                    "estimate": iv.estimate,
                    "low": iv.low,
                    "high": iv.high,
                    "truth": float(truth),
                    "truth_over_seeds": float(truth_over),
                }
            )
    return out


def summarise(records: list[dict]) -> list[dict]:
    """Coverage (with its Monte Carlo standard error), mean width and miss direction per design cell."""
    import pandas as pd

    df = pd.DataFrame(records)
    bad = df["low"].isna()
    if bad.any():
        raise RuntimeError(f"{int(bad.sum())} intervals were undefined: {df[bad].head()}")
    df["covered"] = (df["low"] <= df["truth"]) & (df["truth"] <= df["high"])
    df["covered_over_seeds"] = (df["low"] <= df["truth_over_seeds"]) & (df["truth_over_seeds"] <= df["high"])
    df["miss_low"] = df["truth"] < df["low"]
    df["miss_high"] = df["truth"] > df["high"]
    df["width"] = df["high"] - df["low"]
    rows = []
    for (metric, unit, n, seeds), g in df.groupby(["metric", "unit", "n", "seeds"], sort=False):
        cov = float(g["covered"].mean())
        rows.append(
            {
                "metric": metric,
                "unit": unit,
                "n": int(n),
                "seeds": int(seeds),
                "reps": len(g),
                "coverage": round(cov, 4),
                "mc_se": round(float(np.sqrt(cov * (1 - cov) / len(g))), 4),
                "truth_below_interval": round(float(g["miss_low"].mean()), 4),
                "truth_above_interval": round(float(g["miss_high"].mean()), 4),
                "coverage_over_seeds": round(float(g["covered_over_seeds"].mean()), 4),
                "mean_width": round(float(g["width"].mean()), 4),
                "bias": round(float((g["estimate"] - g["truth"]).mean()), 5),
            }
        )
    return rows
