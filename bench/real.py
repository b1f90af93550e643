"""The quality benchmark's real part: labeled real pairs, scored per class, and the fit.

    .venv/bin/python -m bench.real [--fit] [--json FILE]

For each part (dev, held-out) the documents of its pairs go through the pipeline's own steps
(``pipeline.prepare_payloads``, ``select_new``, ``match``; ``bench.quality.pipeline_clusters``)
in one batch, and a pair counts as linked when both land in one cluster; the plain datasketch
``MinHashLSH`` baseline (``bench.quality.baseline_clusters``) and the other decision (the
opt-in feature model, ``MatchParams(decision="model")``, beside the default thresholds) run in
the same call. Per class: precision, recall and
F1 over the pairs, and the ARI over the documents of the class's pairs (truth: the positive
pairs joined; every other pair of those documents a different report).

``--fit`` fits the decision's logistic weights (``dedupe.decision.fit``) on the DEV pairs only
(the real ones and the synthetic versions of ``bench.quality`` whose original is in the dev
part) and prints them for ``dedupe/decision.py``; the held-out part is not read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench._pairs import CLASSES, Pair, RealPairs, held_out, read_real_pairs
from bench.quality import (
    Labeled,
    _union_find,
    adjusted_rand_index,
    baseline_clusters,
    build_labeled_set,
    pipeline_clusters,
)
from dedupe import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, entries
from dedupe.clusters import pair_features as decision_features
from dedupe.decision import FEATURES, fit, probabilities
from pipeline import prepare_payloads
from record.story import RawItem

__all__ = ["ClassScores", "class_scores", "main", "pair_features"]

TARGET_PRECISION = 0.995
TARGET_RECALL = 0.97
#: The decision that is not the default, scored beside it.
OTHER = MatchParams(decision="model" if DEFAULT_MATCH.decision != "model" else "thresholds")


@dataclass
class ClassScores:
    """Pair counts of one class and one system."""

    pairs: int = 0
    true_links: int = 0
    false_links: int = 0
    missed: int = 0
    ari: float | None = None

    @property
    def precision(self) -> float:
        linked = self.true_links + self.false_links
        return self.true_links / linked if linked else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_links + self.missed
        return self.true_links / positives if positives else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _truth_partition(pairs: Sequence[Pair]) -> dict[str, str]:
    # The positive pairs joined; every document of the pairs in some group.
    keys = sorted({k for p in pairs for k in (p.a, p.b)})
    return _union_find(keys, [(p.a, p.b) for p in pairs if p.same])


def class_scores(pairs: Sequence[Pair], clusters: dict[str, str]) -> dict[str, ClassScores]:
    """Scores per class and over all (``all``; ``positives`` for the same-report classes)."""
    out: dict[str, ClassScores] = defaultdict(ClassScores)
    groups: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        linked = clusters[p.a] == clusters[p.b]
        for name in (p.cls, "all"):
            s = out[name]
            s.pairs += 1
            s.true_links += p.same and linked
            s.false_links += (not p.same) and linked
            s.missed += p.same and not linked
            groups[name].append(p)
    for name, members in groups.items():
        truth = _truth_partition(members)
        keys = sorted(truth)
        out[name].ari = adjusted_rand_index([truth[k] for k in keys], [clusters[k] for k in keys])
    return dict(out)


def _systems(raws: Sequence[RawItem]) -> dict[str, tuple[dict[str, str], dict[str, float]]]:
    items = [Labeled(r, "?", "real") for r in raws]
    ours = pipeline_clusters(items, DEFAULT_MATCH)
    other = pipeline_clusters(items, OTHER)
    base = baseline_clusters(items)
    return {
        "ours": (ours.clusters, ours.seconds),
        OTHER.decision: (other.clusters, other.seconds),
        "baseline": (base.clusters, base.seconds),
    }


def pair_features(
    raws: dict[str, RawItem], pairs: Sequence[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """The decision's features of each pair, on the pipeline's own prepared stories and entries
    (``dedupe.clusters.pair_features``: what the matcher computes), and the shingle count of
    each pair's smaller story."""
    keys = sorted({k for pair in pairs for k in pair})
    prepared = prepare_payloads([raws[k] for k in keys], DEFAULT_MINHASH).batch
    got = [
        f"{s}/{i}"
        for s, i in zip(prepared.values("source"), prepared.values("item_id"), strict=True)
    ]
    row = {k: n for n, k in enumerate(got)}
    found = entries(prepared, DEFAULT_MINHASH.num_perm)
    x = np.array([decision_features(found[row[a]], found[row[b]]) for a, b in pairs])
    smaller = np.array(
        [min(found[row[a]].shingles.size, found[row[b]].shingles.size) for a, b in pairs]
    )
    return x, smaller


def _synthetic_dev_pairs() -> tuple[dict[str, RawItem], list[tuple[str, str, bool]]]:
    """Versions and look-alikes of ``bench.quality``'s set whose case is in the dev part."""
    labeled = build_labeled_set()
    raws = {i.key: i.raw for i in labeled.items}
    pairs = [
        (i.key, i.origin, True)
        for i in labeled.items
        if i.origin and i.kind not in ("fixture", "sample", "seed")
        and not held_out(f"synthetic:{i.origin}")
    ]  # fmt: skip
    pairs += [
        (f"bbc/{a.replace('/', '-')}", f"bbc/{b.replace('/', '-')}", False)
        for a, b, _ in labeled.hard_negatives
        if not held_out(f"synthetic:{a}|{b}")
    ]
    looks = [i.key for i in labeled.items if i.kind == "lookalike"]
    pairs += [
        (a, b, False)
        for n, a in enumerate(looks)
        for b in looks[n + 1 : n + 4]
        if not held_out(f"synthetic:{a}|{b}")
    ]
    return raws, pairs


#: Folds of the cross-validation within the dev pairs (``--fit``).
FOLDS = 5


def _fold(case_id: str) -> int:
    # Independent of the held-out rule (sha256 of the bare case id, mod 3).
    return int(hashlib.sha256(f"fold:{case_id}".encode()).hexdigest(), 16) % FOLDS


def _fit_weighted(
    x_real: np.ndarray, y_real: np.ndarray, x_syn: np.ndarray, y_syn: np.ndarray, l2: float
) -> np.ndarray:
    # Each real pair weighs as much as several synthetic ones: they are fewer and harder.
    weight = max(1, round(len(y_syn) / max(len(y_real), 1) / 2))
    x = np.vstack([np.repeat(x_real, weight, axis=0), x_syn])
    y = np.concatenate([np.repeat(y_real, weight), y_syn])
    return fit(x, y, l2=l2)


def threshold_for(
    probability: np.ndarray, same: np.ndarray, precision: float
) -> tuple[float, float] | None:
    """The lowest probability threshold at which the pairs scored at or above it hold at least
    ``precision`` of same-report pairs, and the recall there (None: no threshold does)."""
    best = None
    for t in np.unique(probability)[::-1]:
        linked = probability >= t
        tp = int((linked & same).sum())
        fp = int((linked & ~same).sum())
        if tp + fp and tp / (tp + fp) >= precision:
            best = (float(t), tp / max(int(same.sum()), 1))
    return best


def run_fit(real: RealPairs, l2: float = 1.0) -> np.ndarray:
    """The weights fitted on the dev pairs (real and synthetic); prints them, with a
    cross-validation over the real dev pairs that chooses the probability threshold."""
    params = DEFAULT_MATCH
    dev = real.part(held=False)
    x_real, small_real = pair_features(real.raws, [(p.a, p.b) for p in dev])
    y_real = np.array([p.same for p in dev], dtype=float)
    raws, synthetic = _synthetic_dev_pairs()
    x_syn, small_syn = pair_features(raws, [(a, b) for a, b, _ in synthetic])
    y_syn = np.array([s for _, _, s in synthetic], dtype=float)
    # The model decides only where the smaller story is long enough; the thresholds elsewhere.
    real_in = small_real >= params.min_model_shingles
    syn_in = small_syn >= params.min_model_shingles
    x_real, y_real = x_real[real_in], y_real[real_in]
    x_syn, y_syn = x_syn[syn_in], y_syn[syn_in]
    folds = np.array([_fold(p.case_id) for p, keep in zip(dev, real_in, strict=True) if keep])
    held = np.zeros(len(y_real))
    for k in range(FOLDS):
        train = folds != k
        beta = _fit_weighted(x_real[train], y_real[train], x_syn, y_syn, l2)
        held[~train] = probabilities(x_real[~train], beta)
    same = y_real == 1
    print(
        f"cross-validation over {len(y_real)} real dev pairs ({FOLDS} folds; synthetic dev pairs "
        f"always in the fit; {int((~real_in).sum())} pairs under {params.min_model_shingles} "
        f"shingles left to the thresholds), l2 {l2}:"
    )
    for target in (0.95, 0.98, 0.99, TARGET_PRECISION):
        found = threshold_for(held, same, target)
        print(
            f"  precision >= {target}: "
            + (f"threshold {found[0]:.3f}, recall {found[1]:.3f}" if found else "none")
        )
    beta = _fit_weighted(x_real, y_real, x_syn, y_syn, l2)
    print(
        f"fitted on {len(y_real)} dev real pairs and {len(y_syn)} synthetic dev pairs; "
        f"weights ({', '.join(FEATURES)}, intercept):"
    )
    print("    " + ", ".join(f"{v:.2f}" for v in beta) + ",")
    return beta


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def report(real: RealPairs, held: bool) -> dict[str, Any]:
    """Scores of one part for every system; prints the table."""
    pairs = real.part(held)
    raws = real.raws_of(pairs)
    systems = _systems(raws)
    name = "HELD-OUT" if held else "dev"
    print(
        f"\n{name} real pairs: {len(pairs)} pairs over {len(raws)} documents "
        f"(ours: decision {DEFAULT_MATCH.decision!r}; beside it {OTHER.decision!r})"
    )
    scores = {s: class_scores(pairs, c) for s, (c, _) in systems.items()}
    print(
        f"  {'class':<14} {'pairs':>5}  {'P ours':>6} {'R ours':>6} {'F1':>6} {'ARI':>6}  "
        f"{'P ' + OTHER.decision[:3]:>6} {'R ' + OTHER.decision[:3]:>6}  "
        f"{'P base':>6} {'R base':>6} {'ARI b':>6}"
    )
    for cls in [*CLASSES, "all"]:
        if cls not in scores["ours"]:
            continue
        o, t, b = scores["ours"][cls], scores[OTHER.decision][cls], scores["baseline"][cls]
        print(
            f"  {cls:<14} {o.pairs:>5}  {_fmt(o.precision):>6} {_fmt(o.recall):>6} "
            f"{_fmt(o.f1):>6} {_fmt(o.ari):>6}  {_fmt(t.precision):>6} {_fmt(t.recall):>6}  "
            f"{_fmt(b.precision):>6} {_fmt(b.recall):>6} {_fmt(b.ari):>6}"
        )
    o = scores["ours"]["all"]
    traps = scores["ours"].get("template trap", ClassScores())
    rewrites = scores["ours"].get("cycle rewrite", ClassScores())
    print(
        f"  targets: precision {_fmt(o.precision)} (>= {TARGET_PRECISION}: "
        f"{'yes' if o.precision >= TARGET_PRECISION else 'NO'}), recall {_fmt(o.recall)} "
        f"(>= {TARGET_RECALL}: {'yes' if o.recall >= TARGET_RECALL else 'NO'}), template traps "
        f"merged {traps.false_links} (= 0: {'yes' if traps.false_links == 0 else 'NO'}), cycle "
        f"rewrites linked {rewrites.true_links} of {rewrites.true_links + rewrites.missed} "
        f"(majority: {'yes' if rewrites.recall > 0.5 else 'NO'})"
    )
    seconds = systems["ours"][1]
    per_story = seconds.get("match", 0.0) / max(len(raws), 1)
    print(f"  decision stage (match step): {1000 * per_story:.2f} ms per story")
    return {
        "pairs": len(pairs),
        "documents": len(raws),
        "match_ms_per_story": round(1000 * per_story, 3),
        **{
            system: {
                cls: {
                    "pairs": s.pairs,
                    "precision": round(s.precision, 6),
                    "recall": round(s.recall, 6),
                    "f1": round(s.f1, 6),
                    "ari": None if s.ari is None else round(s.ari, 6),
                    "false_links": s.false_links,
                    "missed": s.missed,
                }
                for cls, s in per.items()
            }
            for system, per in scores.items()
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.real", description=__doc__)
    parser.add_argument("--fit", action="store_true", help="fit the weights on the dev pairs")
    parser.add_argument("--l2", type=float, default=1.0, help="the fit's L2 penalty")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--part", choices=("dev", "held-out", "both"), default="both",
        help="which part to score (while developing: dev only)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    started = time.perf_counter()
    real = read_real_pairs()
    for note in real.skipped:
        print(f"skipped: {note}")
    if not real.pairs:
        print("real pairs: skipped, no labeled corpus is present")
        return 0
    if args.fit:
        run_fit(real, args.l2)
        return 0
    figures = {}
    if args.part in ("dev", "both"):
        figures["dev"] = report(real, held=False)
    if args.part in ("held-out", "both"):
        figures["held_out"] = report(real, held=True)
    print(f"\nseconds: {time.perf_counter() - started:.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
