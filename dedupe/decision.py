"""The match decision: is a candidate the same report? A small logistic model over features of
the pair, each of which a reader can check.

Features (``FEATURES``), all in [0, 1]:

- ``j5``, ``c5``: verified Jaccard and containment (share of the smaller story's shingles in
  the larger) of the word 5-shingles the signatures are made of;
- ``c5_large``: the share of the *larger* story's shingles the smaller one holds (a brief
  holds little of its story; a copy holds all of it);
- ``j2``, ``c2``: the same at word 2-shingles, which a rewrite keeps far more of;
- ``shared5``: how many 5-shingles the two share, on a log scale (1.0 at 1,000): a rewrite
  for the next cycle keeps dozens of sentences' worth where its Jaccard is low, a two-line
  notice from a template shares a dozen;
- ``gap``: the time between the two stories, log-scaled over the window (0 the same minute,
  0.5 about half a day, 1 the whole window), in hours where both give the time of day, else
  from their dates;
- ``numbers_new``, ``names_new``: the share of the numbers (names) of the story that gives
  fewer that the other does not give; a correction changes one or two, a recurring report
  written from one template changes most of them;
- ``headline``: Jaccard of the headline words (where either has none: ``c2``);
- ``same_source``: 1 when both come from the same source;
- ``lead``: the share of one story's lead (its first paragraph, as 2-shingles) that the other
  tells anywhere, the larger of the two ways: a rewrite moves the news of its lead, it keeps it;
- ``same_dateline``: 1 when both carry the same dateline.

The weights are fitted on the DEV part of the labeled pairs only (``python -m bench.real
--fit`` prints them; the held-out part is never read by the fit). The decision is a plain sum,
so ``match_rule`` names the features that weighed most and by how much.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.profile import Profile
from dedupe.verify import Overlap, intersection_sizes

__all__ = [
    "FEATURES",
    "WEIGHTS",
    "Decision",
    "decide",
    "features",
    "features_many",
    "fit",
    "gap_hours",
    "probabilities",
]

FEATURES = (
    "j5",
    "c5",
    "c5_large",
    "j2",
    "c2",
    "shared5",
    "gap",
    "numbers_new",
    "names_new",
    "headline",
    "same_source",
    "lead",
    "same_dateline",
)

#: Logistic weights, one per feature, then the intercept. Fitted by ``bench.real --fit`` on the
#: dev pairs (see the module docstring); rounded to two decimals.
WEIGHTS: tuple[float, ...] = (
    0.79, 0.44, 0.42, 0.69, 1.33, 1.80, -5.64, -2.05, -2.11, 1.91, -0.84, 1.40, 2.08, 0.59,
)  # fmt: skip

#: Where ``shared5`` reaches 1.0.
_SHARED_SCALE = math.log1p(1000)
_SECONDS_PER_HOUR = 3600.0


def gap_hours(
    day_a: int | None, day_b: int | None, time_a: int | None, time_b: int | None
) -> float | None:
    """Hours between two stories: from their times (seconds since the epoch) where both have
    one, else from their dates (ordinals), a day counting 24 hours; None where a date is
    unknown."""
    if time_a is not None and time_b is not None:
        return abs(time_a - time_b) / _SECONDS_PER_HOUR
    if day_a is None or day_b is None:
        return None
    return 24.0 * abs(day_a - day_b)


def features(
    five: Overlap,
    a: Profile,
    b: Profile,
    hours: float | None,
    window_days: int,
    same_source: bool,
) -> np.ndarray:
    """The feature vector of one pair (``FEATURES`` order); ``hours`` from ``gap_hours``: the
    one row of ``features_many`` for it."""
    row: np.ndarray = features_many(
        np.array([five.intersection]), five.size_a, np.array([five.size_b]), a, [b], [hours],
        window_days, [same_source],
    )[0]  # fmt: skip
    return row


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """``top / bottom`` elementwise, 0.0 where ``bottom`` is 0 (as the scalar features give)."""
    out = np.zeros(len(top), dtype=float)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


def _new_shares(mine: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """``_new_share`` of ``mine`` against each of ``others``."""
    smaller = np.minimum(np.fromiter((b.size for b in others), np.int64, len(others)), mine.size)
    share = 1.0 - _ratio(intersection_sizes(mine, others), smaller)
    return np.where(smaller > 0, share, 0.0)


def features_many(
    intersection: np.ndarray,
    size_a: int,
    sizes_b: np.ndarray,
    a: Profile,
    bs: Sequence[Profile],
    hours: Sequence[float | None],
    window_days: int,
    same_source: Sequence[bool],
) -> np.ndarray:
    """The feature vectors of one story against several (one row per ``bs``), equal value for
    value to ``features`` of each pair: ``intersection`` and ``sizes_b`` are the 5-shingle
    intersections and set sizes, ``size_a`` the story's own set size."""
    count = len(bs)
    inter5 = np.asarray(intersection, dtype=np.int64)
    sizes_b = np.asarray(sizes_b, dtype=np.int64)

    def sizes(name: str) -> np.ndarray:
        return np.fromiter((getattr(b, name).size for b in bs), dtype=np.int64, count=count)

    def common(mine: np.ndarray, name: str) -> np.ndarray:
        return intersection_sizes(mine, [getattr(b, name) for b in bs])

    fine_b, fine_common = sizes("fine"), common(a.fine, "fine")
    fine_smaller = np.minimum(fine_b, a.fine.size)
    fine_containment = _ratio(fine_common, fine_smaller)
    heads_b, heads_common = sizes("headline"), common(a.headline, "headline")
    head_jaccard = _ratio(heads_common, a.headline.size + heads_b - heads_common)
    headline = np.where((heads_b > 0) & (a.headline.size > 0), head_jaccard, fine_containment)
    span = 24.0 * max(window_days, 1)
    gap = [0.0 if h is None else math.log1p(min(h, span)) / math.log1p(span) for h in hours]
    shared = [min(math.log1p(int(n)) / _SHARED_SCALE, 1.0) for n in inter5]
    lead_a = _ratio(intersection_sizes(a.lead, [b.fine for b in bs]), np.full(count, a.lead.size))
    lead_b = _ratio(common(a.fine, "lead"), sizes("lead"))
    dateline = [
        1.0 if a.dateline.size and np.array_equal(a.dateline, b.dateline) else 0.0 for b in bs
    ]
    columns = [
        _ratio(inter5, size_a + sizes_b - inter5),
        _ratio(inter5, np.minimum(sizes_b, size_a)),
        _ratio(inter5, np.maximum(sizes_b, size_a)),
        _ratio(fine_common, a.fine.size + fine_b - fine_common),
        fine_containment,
        np.asarray(shared, dtype=float),
        np.asarray(gap, dtype=float),
        _new_shares(a.numbers, [b.numbers for b in bs]),
        _new_shares(a.names, [b.names for b in bs]),
        headline,
        np.asarray(same_source, dtype=float),
        np.maximum(lead_a, lead_b),
        np.asarray(dateline, dtype=float),
    ]
    return np.column_stack(columns) if count else np.empty((0, len(FEATURES)))


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


def probabilities(x: np.ndarray, weights: Sequence[float] = WEIGHTS) -> np.ndarray:
    """The model's probability for each row of ``x`` (pairs by features), as ``decide`` gives
    it for one."""
    w = np.asarray(weights, dtype=float)
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ w[:-1] + w[-1]))))


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
