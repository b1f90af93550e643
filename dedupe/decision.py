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
from dedupe.verify import Overlap, SetColumn, pair_intersections

__all__ = [
    "FEATURES",
    "WEIGHTS",
    "Decision",
    "ProfileColumns",
    "decide",
    "features",
    "features_of_pairs",
    "fit",
    "gap_hours",
    "gap_hours_many",
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
_EMPTY = np.empty(0, dtype=np.uint32)


def gap_hours_many(
    day_a: np.ndarray, day_b: np.ndarray, time_a: np.ndarray, time_b: np.ndarray
) -> np.ndarray:
    """Hours between the stories of each pair: from their times (seconds since the epoch)
    where both have one, else from their dates (ordinals), a day counting 24 hours; NaN where
    a date is unknown. Unknown values are NaN in the float arrays given."""
    by_time = np.abs(np.asarray(time_a, float) - np.asarray(time_b, float)) / _SECONDS_PER_HOUR
    by_day = 24.0 * np.abs(np.asarray(day_a, float) - np.asarray(day_b, float))
    out: np.ndarray = np.where(np.isnan(by_time), by_day, by_time)
    return out


def gap_hours(
    day_a: int | None, day_b: int | None, time_a: int | None, time_b: int | None
) -> float | None:
    """``gap_hours_many`` of one pair (None for NaN: a date unknown)."""

    def value(v: int | None) -> np.ndarray:
        return np.array([np.nan if v is None else float(v)])

    hours = float(gap_hours_many(value(day_a), value(day_b), value(time_a), value(time_b))[0])
    return None if math.isnan(hours) else hours


@dataclass(frozen=True)
class ProfileColumns:
    """The profiles of many stories, each of their sets as one ``SetColumn`` (a story without a
    profile has empty sets and ``present`` False)."""

    fine: SetColumn
    numbers: SetColumn
    names: SetColumn
    headline: SetColumn
    lead: SetColumn
    dateline: SetColumn
    present: np.ndarray

    @classmethod
    def of(cls, profiles: Sequence[Profile | None]) -> ProfileColumns:
        def column(name: str) -> SetColumn:
            return SetColumn.of([_EMPTY if p is None else getattr(p, name) for p in profiles])

        present = np.fromiter((p is not None for p in profiles), dtype=bool, count=len(profiles))
        return cls(
            fine=column("fine"),
            numbers=column("numbers"),
            names=column("names"),
            headline=column("headline"),
            lead=column("lead"),
            dateline=column("dateline"),
            present=present,
        )


def features(
    five: Overlap,
    a: Profile,
    b: Profile,
    hours: float | None,
    window_days: int,
    same_source: bool,
) -> np.ndarray:
    """The feature vector of one pair (``FEATURES`` order); ``hours`` from ``gap_hours``: the
    one row of ``features_of_pairs`` for it."""
    one = np.zeros(1, dtype=np.int64)
    row: np.ndarray = features_of_pairs(
        np.array([five.intersection]), np.array([five.size_a]), np.array([five.size_b]),
        ProfileColumns.of([a]), ProfileColumns.of([b]), one, one,
        np.array([np.nan if hours is None else hours]), window_days, np.array([same_source]),
    )[0]  # fmt: skip
    return row


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """``top / bottom`` elementwise, 0.0 where ``bottom`` is 0 (as the scalar features give)."""
    out = np.zeros(len(top), dtype=float)
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


#: Rounding room, in the model's score, when a bound decides that a pair cannot pass.
_BOUND_MARGIN = 1e-6


def features_of_pairs(
    intersection: np.ndarray,
    sizes_a: np.ndarray,
    sizes_b: np.ndarray,
    a: ProfileColumns,
    b: ProfileColumns,
    left: np.ndarray,
    right: np.ndarray,
    hours: np.ndarray,
    window_days: int,
    same_source: np.ndarray,
    threshold: float | None = None,
    keep: np.ndarray | None = None,
    weights: Sequence[float] = WEIGHTS,
) -> np.ndarray:
    """The feature vectors of many pairs, one row per pair ``k`` of profile ``left[k]`` of
    ``a`` and profile ``right[k]`` of ``b``: ``intersection``, ``sizes_a`` and ``sizes_b`` are
    the pairs' 5-shingle intersections and set sizes, ``hours`` from ``gap_hours_many`` (NaN:
    unknown), ``same_source`` whether the two come from one source.

    With ``threshold``, the costly features (2-shingles, headline where it falls back to them,
    lead) are computed only for the pairs whose probability could reach it whatever their
    values (each in [0, 1]), and for those ``keep`` marks; the other rows hold NaN there, and
    so a NaN probability, which no threshold passes."""
    count = len(left)
    inter5 = np.asarray(intersection, dtype=np.int64)
    size_a = np.asarray(sizes_a, dtype=np.int64)
    size_b = np.asarray(sizes_b, dtype=np.int64)

    def counted(
        name: str, other: str | None = None, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(common, size in a, size in b) of set ``name`` of a against ``other`` of b, for the
        pairs at ``rows`` (all by default)."""
        mine, theirs = getattr(a, name), getattr(b, other or name)
        li, ri = (left, right) if rows is None else (left[rows], right[rows])
        return pair_intersections(mine, theirs, li, ri), mine.sizes[li], theirs.sizes[ri]

    def new_share(name: str) -> np.ndarray:
        # The share of the numbers (names) of the story that gives fewer the other lacks.
        common, mine, theirs = counted(name)
        smaller = np.minimum(mine, theirs)
        return np.where(smaller > 0, 1.0 - _ratio(common, smaller), 0.0)

    x = np.full((count, len(FEATURES)), np.nan)
    column = {name: k for k, name in enumerate(FEATURES)}
    x[:, column["j5"]] = _ratio(inter5, size_a + size_b - inter5)
    x[:, column["c5"]] = _ratio(inter5, np.minimum(size_a, size_b))
    x[:, column["c5_large"]] = _ratio(inter5, np.maximum(size_a, size_b))
    x[:, column["shared5"]] = np.minimum(np.log1p(inter5.astype(float)) / _SHARED_SCALE, 1.0)
    span = 24.0 * max(window_days, 1)
    known = np.nan_to_num(np.asarray(hours, dtype=float), nan=0.0)
    x[:, column["gap"]] = np.log1p(np.minimum(known, span)) / math.log1p(span)
    x[:, column["numbers_new"]] = new_share("numbers")
    x[:, column["names_new"]] = new_share("names")
    x[:, column["same_source"]] = np.asarray(same_source, dtype=float)
    dateline_common, dateline_a, dateline_b = counted("dateline")
    same_dateline = (dateline_a > 0) & (dateline_a == dateline_b) & (dateline_common == dateline_a)
    x[:, column["same_dateline"]] = same_dateline
    heads_common, heads_a, heads_b = counted("headline")
    titled = (heads_b > 0) & (heads_a > 0)
    x[titled, column["headline"]] = _ratio(
        heads_common[titled], heads_a[titled] + heads_b[titled] - heads_common[titled]
    )
    rows = np.arange(count)
    if threshold is not None and 0.0 < threshold < 1.0:
        # The highest score each pair can reach: the costly features at their most favourable.
        w = np.asarray(weights, dtype=float)
        best = np.where(w[:-1] > 0, 1.0, 0.0)
        bounded = np.where(np.isnan(x), best, x)
        reach = (bounded * w[:-1]).sum(axis=1) + w[-1]
        needed = reach + _BOUND_MARGIN >= math.log(threshold / (1.0 - threshold))
        if keep is not None:
            needed |= keep
        rows = np.flatnonzero(needed)
    fine_common, fine_a, fine_b = counted("fine", rows=rows)
    fine_containment = _ratio(fine_common, np.minimum(fine_a, fine_b))
    x[rows, column["j2"]] = _ratio(fine_common, fine_a + fine_b - fine_common)
    x[rows, column["c2"]] = fine_containment
    untitled = ~titled[rows]
    x[rows[untitled], column["headline"]] = fine_containment[untitled]
    lead_a_told, lead_a, _ = counted("lead", "fine", rows)
    fine_told, _, lead_b = counted("fine", "lead", rows)
    x[rows, column["lead"]] = np.maximum(_ratio(lead_a_told, lead_a), _ratio(fine_told, lead_b))
    return x


@dataclass(frozen=True)
class Decision:
    """The model's answer for one pair, and why."""

    probability: float
    same: bool
    rule: str


def probabilities(x: np.ndarray, weights: Sequence[float] = WEIGHTS) -> np.ndarray:
    """The model's probability for each row of ``x`` (pairs by features). Each row's sum is
    taken on its own, so a pair's probability does not depend on the others beside it."""
    w = np.asarray(weights, dtype=float)
    scores = (np.atleast_2d(x) * w[:-1]).sum(axis=1) + w[-1]
    return np.asarray(1.0 / (1.0 + np.exp(-scores)))


def decide(
    x: np.ndarray,
    weights: Sequence[float] = WEIGHTS,
    threshold: float = 0.5,
    probability: float | None = None,
) -> Decision:
    """The decision for feature vector ``x``; the rule names the three largest contributions
    (``probability``: ``probabilities`` of ``x``, where the caller has it already)."""
    values = np.asarray(x, dtype=float)
    contributions = (np.asarray(weights[:-1], dtype=float) * values).tolist()
    if probability is None:
        probability = float(probabilities(values, weights)[0])
    top = sorted(range(len(contributions)), key=lambda i: (-abs(contributions[i]), i))[:3]
    shown = values.tolist()
    why = ", ".join(f"{FEATURES[i]} {shown[i]:.2f} ({contributions[i]:+.1f})" for i in top)
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
