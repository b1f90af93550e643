"""Stable cluster assignment: each new story joins the cluster of its best verified match.

Streaming semantics: the matcher is seeded with the history window (stories already stored,
whose clusters never change) and then takes the new stories one by one in a deterministic
order. For each it tries, in turn:

1. **exact**: a story with the same content hash (the body's words, typography ignored);
2. **near**: an LSH candidate whose verified shingle Jaccard is at least ``near_threshold``;
3. **containment**: an LSH candidate that holds at least ``containment_threshold`` of the
   smaller story's shingles (a brief and its full story, a first take and its update).

The best match is the one with the highest verified Jaccard (ties: the smaller story id), and
the story takes that match's cluster. With no match the story starts a cluster whose id is its
own story id. Every match says why it was made (``Match``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from dedupe.index import CandidateIndex
from dedupe.params import DEFAULT_MATCH, MatchParams
from dedupe.signatures import Signer, estimate_jaccard
from dedupe.verify import overlap

__all__ = ["DUP_KINDS", "Match", "Matcher", "Member"]

DUP_KINDS = ("exact", "near", "containment")


@dataclass(frozen=True)
class Member:
    """A story the matcher knows: stored history, or an earlier story of this batch."""

    story_id: str
    cluster_id: str
    content_hash: str
    shingles: np.ndarray
    signature: np.ndarray


@dataclass(frozen=True)
class Match:
    """Where a story went, and why. ``dup_kind`` is None for a story that starts a cluster."""

    story_id: str
    cluster_id: str
    dup_kind: str | None = None
    dup_of: str | None = None
    similarity: float | None = None
    jaccard_estimate: float | None = None
    jaccard: float | None = None
    containment: float | None = None
    rule: str | None = None


class Matcher:
    """Assigns clusters to new stories against a history window."""

    def __init__(
        self, signer: Signer, params: MatchParams = DEFAULT_MATCH, history: Iterable[Member] = ()
    ) -> None:
        self.params = params
        self._members: dict[str, Member] = {}
        self._by_hash: dict[str, list[str]] = {}
        self._index = CandidateIndex(signer, params.lsh_threshold)
        for member in history:
            self._add(member)

    def __len__(self) -> int:
        return len(self._members)

    def _add(self, member: Member) -> None:
        if member.story_id in self._members:
            return
        self._members[member.story_id] = member
        self._by_hash.setdefault(member.content_hash, []).append(member.story_id)
        self._index.add(member.story_id, member.signature)

    def _exact(self, story_id: str, content_hash: str, signature: np.ndarray) -> Match | None:
        same = [k for k in self._by_hash.get(content_hash, ()) if k != story_id]
        if not same:
            return None
        target = self._members[min(same)]
        return Match(
            story_id=story_id,
            cluster_id=target.cluster_id,
            dup_kind="exact",
            dup_of=target.story_id,
            similarity=1.0,
            jaccard_estimate=estimate_jaccard(signature, target.signature),
            jaccard=1.0,
            containment=1.0,
            rule="content_hash equal",
        )

    def _verified(self, story_id: str, shingles: np.ndarray, signature: np.ndarray) -> Match | None:
        p = self.params
        best: tuple[float, str, Match] | None = None
        for key in self._index.query(signature):
            if key == story_id:
                continue
            target = self._members[key]
            o = overlap(shingles, target.shingles)
            jaccard, containment = o.jaccard, o.containment
            if jaccard >= p.near_threshold:
                kind, similarity = "near", jaccard
                rule = f"jaccard {jaccard:.3f} >= near_threshold {p.near_threshold}"
            elif containment >= p.containment_threshold and o.smaller >= p.min_containment_shingles:
                kind, similarity = "containment", containment
                rule = (
                    f"containment {containment:.3f} >= containment_threshold "
                    f"{p.containment_threshold} over {o.smaller} shingles"
                )
            else:
                continue
            match = Match(
                story_id=story_id,
                cluster_id=target.cluster_id,
                dup_kind=kind,
                dup_of=target.story_id,
                similarity=round(similarity, 6),
                jaccard_estimate=estimate_jaccard(signature, target.signature),
                jaccard=round(jaccard, 6),
                containment=round(containment, 6),
                rule=rule,
            )
            if best is None or (-jaccard, key) < (-best[0], best[1]):
                best = (jaccard, key, match)
        return best[2] if best else None

    def assign(
        self, story_id: str, content_hash: str, shingles: np.ndarray, signature: np.ndarray
    ) -> Match:
        """Match one new story, remember it for the stories after it, and say where it went."""
        if story_id in self._members:
            member = self._members[story_id]
            return Match(story_id=story_id, cluster_id=member.cluster_id)
        match = (
            self._exact(story_id, content_hash, signature)
            or self._verified(story_id, shingles, signature)
            or Match(story_id=story_id, cluster_id=story_id)
        )
        self._add(Member(story_id, match.cluster_id, content_hash, shingles, signature))
        return match
