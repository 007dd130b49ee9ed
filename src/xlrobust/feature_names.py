"""The names of the language-pair features, defined once: the params schema (``correlate.features``), the
feature table (:mod:`xlrobust.analysis.features`) and the cross-validated regression read them from here. This
module imports nothing, so reading the names costs nothing (the feature code needs numpy and pandas)."""

from __future__ import annotations

URIEL_DISTANCES: tuple[str, ...] = (
    "syntactic",
    "phonological",
    "inventory",
    "genetic",
    "geographic",
    "featural",
)
# Every pair feature the analysis knows, in table order (params ``correlate.features`` chooses among them).
PAIR_FEATURES: tuple[str, ...] = (
    *URIEL_DISTANCES,
    "lexical_overlap",
    "subword_overlap",
    "target_lmem",
    "source_train_size",
)
# A few features for the cross-validated regression: with ~2 sources x 9 targets there are too few pairs for all.
CV_FEATURES: tuple[str, ...] = ("syntactic", "geographic", "subword_overlap", "target_lmem")
