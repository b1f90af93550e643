"""The match decision: is an LSH candidate the same report? A small logistic model over
features of the pair, each of which a reader can check.

Features (``FEATURES``), all in [0, 1]:

- ``j5``, ``c5``: verified Jaccard and containment (share of the smaller story's shingles in
  the larger) of the word 5-shingles the signatures are made of;
- ``j2``, ``c2``: the same at word 2-shingles, which a rewrite keeps far more of;
- ``c5_large``: the share of the *larger* story's shingles the smaller one holds (a brief
  holds little of its story; a copy holds all of it);
- ``gap``: the days between the two story dates, over the window (0 same day, 1 a week);
- ``numbers_new``, ``names_new``: the share of the numbers (names) of the story that gives
  fewer that the other does not give; a correction changes one or two, a recurring report
  written from one template changes most of them;
- ``headline``: Jaccard of the headline words (where either has none: ``c2``);
- ``same_source``: 1 when both come from the same source.

The weights are fitted on the DEV part of the labeled pairs only (``python -m bench.quality
--fit`` prints them; the held-out part is never read by the fit). The decision is a plain sum,
so ``match_rule`` names the features that weighed most and by how much.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.profile import Profile
from dedupe.verify import Overlap, overlap

__all__ = ["FEATURES", "WEIGHTS", "Decision", "decide", "features", "fit"]

FEATURES = (
    "j5",
    "c5",
    "c5_large",
    "j2",
    "c2",
    "gap",
    "numbers_new",
    "names_new",
    "headline",
    "same_source",
)

#: Logistic weights, one per feature, then the intercept. Fitted by ``bench.quality --fit``
#: on the dev pairs (see the module docstring); rounded to two decimals.
WEIGHTS: tuple[float, ...] = (
    0.75, 0.99, 0.54, 0.91, 2.08, -5.46, -2.01, -3.31, 1.19, -0.05, 0.86,
)  # fmt: skip


def _new_share(a: np.ndarray, b: np.ndarray) -> float:
    small, large = (a, b) if a.size <= b.size else (b, a)
    if small.size == 0:
        return 0.0
    return 1.0 - np.intersect1d(small, large, assume_unique=True).size / small.size


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return overlap(a, b).jaccard


def features(
    five: Overlap,
    a: Profile,
    b: Profile,
    gap_days: int | None,
    window_days: int,
    same_source: bool,
) -> np.ndarray:
    """The feature vector of one pair (``FEATURES`` order)."""
    fine = overlap(a.fine, b.fine)
    larger = max(five.size_a, five.size_b)
    headline = (
        _jaccard(a.headline, b.headline)
        if a.headline.size and b.headline.size
        else fine.containment
    )
    gap = 0.0 if gap_days is None else min(abs(gap_days), window_days) / max(window_days, 1)
    return np.array(
        [
            five.jaccard,
            five.containment,
            five.intersection / larger if larger else 0.0,
            fine.jaccard,
            fine.containment,
            gap,
            _new_share(a.numbers, b.numbers),
            _new_share(a.names, b.names),
            headline,
            1.0 if same_source else 0.0,
        ]
    )


@dataclass(frozen=True)
class Decision:
    """The model's answer for one pair, and why."""

    probability: float
    same: bool
    rule: str


def decide(x: np.ndarray, weights: Sequence[float] = WEIGHTS, threshold: float = 0.5) -> Decision:
    """The decision for feature vector ``x``; the rule names the three largest contributions."""
    w = np.asarray(weights[:-1], dtype=float)
    contributions = w * x
    score = float(contributions.sum() + weights[-1])
    probability = 1.0 / (1.0 + math.exp(-score))
    top = sorted(range(len(x)), key=lambda i: (-abs(contributions[i]), i))[:3]
    why = ", ".join(f"{FEATURES[i]} {x[i]:.2f} ({contributions[i]:+.1f})" for i in top)
    same = probability >= threshold
    sign = ">=" if same else "<"
    return Decision(probability, same, f"model p {probability:.3f} {sign} {threshold}: {why}")


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton steps with an L2 penalty (not on the intercept).

    Deterministic: the same pairs give the same weights. Returns the weights then the
    intercept, as ``WEIGHTS`` holds them.
    """
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta
