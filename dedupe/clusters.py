"""Stable cluster assignment: each new story joins the cluster of its best verified match.

Streaming semantics: the matcher holds the history window (stories already stored, whose
clusters never change) and takes the new stories of a batch in the order given, which the
caller makes deterministic (oldest first, then by identity). A story is compared only with
stories within ``window_days`` of its own story date, whether stored or earlier in the same
batch, so a history import that puts months in one batch links what day-by-day runs would link,
and nothing more. For each story it tries in turn:

1. **version**: an earlier version of the same item (same source and item id);
2. **exact**: a story with the same content hash (the body's words, typography ignored);
3. **near** or **containment**: a candidate that the match decision calls the same report.
   Candidates come from LSH over the signatures and from shared anchors (``dedupe.anchors``:
   a rewrite that keeps a few dozen of several hundred shingles), both over the window and
   the earlier stories of the batch. With ``decision = "model"`` the decision is
   ``dedupe.decision``: a logistic model over several features of the pair (Jaccard and
   containment at two shingle sizes, shared shingles, the hours between them, the numbers and
   names one gives that the other does not, headline, lead and dateline, same source), fitted
   on labeled dev pairs; the kind is containment when the pair's Jaccard is under
   ``near_threshold`` and its containment at least ``containment_threshold``, else near.
   With ``decision = "thresholds"``, or where a candidate has no profile to compare, or
   where the smaller story has under ``min_model_shingles`` shingles: near at verified
   Jaccard >= ``near_threshold``, containment at containment >= ``containment_threshold``
   of a smaller story of at least ``min_containment_shingles`` shingles. The model adds
   links to those and never vetoes one: a pair the thresholds link is linked when the model
   says no.

Among several, the match is the one with the highest score (the model's probability, or the
verified Jaccard under thresholds), then the smallest story id, so the result does not depend
on hash or set order. The story takes that match's cluster; with no match it starts a cluster
whose id is its own story id. Every match says why (``Match``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.anchors import AnchorIndex, anchors_of
from dedupe.decision import (
    FEATURES,
    decide,
    features,
    features_many,
    gap_hours,
    probabilities,
)
from dedupe.index import BandIndex
from dedupe.params import DEFAULT_MATCH, MatchParams
from dedupe.profile import Profile
from dedupe.signatures import Signer, estimate_jaccard
from dedupe.verify import Overlap, intersection_sizes, overlap
from dedupe.window import NO_DAY, NO_TIME, Member, Window, in_window

__all__ = ["DUP_KINDS", "Entry", "Match", "Matcher", "pair_features"]

DUP_KINDS = ("version", "exact", "near", "containment")

#: A candidate whose probability, computed with its neighbours' in one pass, falls this far
#: under the threshold is not decided again on its own: the two computations differ at most in
#: the last bits of a float, far less than this.
_SCREEN_MARGIN = 1e-6


@dataclass(frozen=True)
class Entry:
    """A new story, as the matcher sees it."""

    story_id: str
    content_hash: str
    shingles: np.ndarray
    signature: np.ndarray
    item: str | None = None
    #: False for a kill notice or an item without text: it joins its item's earlier versions
    #: but matches nothing on content and is never matched against.
    matchable: bool = True
    #: The story date as an ordinal (``date.toordinal()``): the story is matched only against
    #: stories within ``window_days`` of it, stored or earlier in the batch. None: unknown.
    day: int | None = None
    #: What the match decision compares besides the shingles (None: thresholds decide).
    profile: Profile | None = None
    #: When it was published, in seconds since the epoch, where the time of day is known.
    published: int | None = None
    #: Its anchors (``dedupe.anchors``); None: taken from the shingles.
    anchors: np.ndarray | None = None


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


@dataclass(frozen=True)
class _Known:
    story_id: str
    cluster_id: str
    shingles: np.ndarray
    #: None for a history story whose window left its values on disk (see ``row``).
    signature: np.ndarray | None
    day: int | None = None
    profile: Profile | None = None
    item: str | None = None
    published: int | None = None
    #: Its window row, for a history story.
    row: int | None = None


def _between(a: Entry | _Known, b: Entry | _Known) -> tuple[float | None, bool]:
    """The hours between two stories and whether they come from the same source."""
    hours = gap_hours(a.day, b.day, a.published, b.published)
    same_source = bool(a.item and b.item) and (
        str(a.item).split("\x00", 1)[0] == str(b.item).split("\x00", 1)[0]
    )
    return hours, same_source


def _features(a: Entry | _Known, b: Entry | _Known, o: Overlap, window_days: int) -> np.ndarray:
    assert a.profile is not None and b.profile is not None
    hours, same_source = _between(a, b)
    return features(o, a.profile, b.profile, hours, window_days, same_source)


def pair_features(a: Entry, b: Entry, params: MatchParams = DEFAULT_MATCH) -> np.ndarray:
    """The match decision's features of two entries, exactly as the matcher computes them."""
    return _features(a, b, overlap(a.shingles, b.shingles), params.window_days)


class Matcher:
    """Assigns clusters to new stories against a history window."""

    def __init__(
        self,
        signer: Signer,
        params: MatchParams = DEFAULT_MATCH,
        history: Window | Iterable[Member] = (),
    ) -> None:
        self.params = params
        num_perm = signer.params.num_perm
        window = (
            history if isinstance(history, Window) else Window.from_members(list(history), num_perm)
        )
        self.window = window
        self._num_perm = num_perm
        self._bands = params.bands_for(num_perm)
        self._index = window.indexed_bands(self._bands, params.lsh_rows)
        self._anchor_index = window.indexed_anchors()
        # History rows by story id, content hash and item, for the entries of the current call.
        self._rows_by_id: dict[str, list[int]] = {}
        self._rows_by_content: dict[str, list[int]] = {}
        self._rows_by_item: dict[str, list[int]] = {}
        self._shingles: dict[int, np.ndarray] = {}
        self._profiles: dict[int, Profile] = {}
        self._batch: list[_Known] = []
        self._batch_ids: dict[str, int] = {}
        self._batch_by_content: dict[str, list[int]] = {}
        self._batch_by_item: dict[str, list[int]] = {}
        # One static band index and anchor index per assign_many call, with the batch position
        # of each of their rows (-1: not matchable or not remembered): a million-story backfill
        # batch costs 8 bytes a story a band, where a dict of buckets would cost ten times more.
        self._batch_indexes: list[tuple[BandIndex, AnchorIndex, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self.window) + len(self._batch)

    @property
    def index_nbytes(self) -> tuple[int, int]:
        """The bytes of the window's band index and of its anchor index."""
        return self._index.nbytes, self._anchor_index.nbytes

    # -- lookups over history (rows) and batch (positions) ------------------------------------

    def _history_row(self, story_id: str) -> int | None:
        rows = self._rows_by_id.get(story_id)
        return rows[0] if rows else None

    def _history_known(self, row: int) -> _Known:
        if row not in self._shingles:
            self._shingles.update(self.window.load_shingles([row]))
        day = int(self.window.day_of[row])
        published = int(self.window.time_of[row])
        return _Known(
            self.window.story_ids[row].as_py(),
            self.window.cluster_ids[row].as_py(),
            self._shingles[row],
            None if self.window.signatures is None else self.window.signatures[row],
            None if day == NO_DAY else day,
            self._profiles.get(row),
            self.window.items[row].as_py(),
            None if published == NO_TIME else published,
            row,
        )

    def _near_in_time(self, entry: Entry, day: int | None) -> bool:
        if entry.day is None or day is None:
            return True
        return abs(entry.day - day) <= self.params.window_days

    def _known(
        self, entry: Entry, history_rows: Iterable[int], batch_positions: Iterable[int]
    ) -> list[_Known]:
        """The stories at ``history_rows`` and ``batch_positions`` within the entry's window."""
        rows = np.fromiter(history_rows, dtype=np.int64)
        if len(rows):
            rows = rows[in_window(self.window.day_of[rows], entry.day, self.params.window_days)]
        known = [self._history_known(int(r)) for r in rows]
        known += [
            self._batch[p] for p in batch_positions if self._near_in_time(entry, self._batch[p].day)
        ]
        return known

    # -- matching -----------------------------------------------------------------------------

    def _match(
        self, entry: Entry, target: _Known, kind: str, rule: str, o: Overlap | None = None
    ) -> Match:
        """The match of ``entry`` to ``target``; ``o``: their overlap, when already computed."""
        if o is None:
            o = overlap(entry.shingles, target.shingles)
        similarity = {"exact": 1.0, "near": o.jaccard, "containment": o.containment}.get(
            kind, o.jaccard
        )
        return Match(
            story_id=entry.story_id,
            cluster_id=target.cluster_id,
            dup_kind=kind,
            dup_of=target.story_id,
            similarity=round(similarity, 6),
            jaccard_estimate=estimate_jaccard(entry.signature, self._signature(target)),
            jaccard=round(o.jaccard, 6),
            containment=round(o.containment, 6),
            rule=rule,
        )

    def _signature(self, known: _Known) -> np.ndarray:
        if known.signature is not None:
            return known.signature
        assert known.row is not None
        return self.window.signature(known.row)

    @staticmethod
    def _best(entry: Entry, known: list[_Known]) -> tuple[_Known, Overlap] | None:
        # Highest Jaccard, then smallest story id: independent of the order candidates came in.
        scored = [(overlap(entry.shingles, k.shingles), k) for k in known]
        if not scored:
            return None
        o, target = min(scored, key=lambda t: (-t[0].jaccard, t[1].story_id))
        return target, o

    def _version(self, entry: Entry) -> Match | None:
        if not entry.item:
            return None
        rows = self._rows_by_item.get(entry.item, ())
        known = self._known(entry, rows, self._batch_by_item.get(entry.item, ()))
        best = self._best(entry, known)
        if best is None:
            withdrawn = self.window.withdrawn.get(entry.item)
            if withdrawn is None:
                return None
            return Match(
                story_id=entry.story_id,
                cluster_id=withdrawn[1],
                dup_kind="version",
                dup_of=withdrawn[0],
                rule="same source and item_id: an earlier version, withdrawn by a kill",
            )
        target, o = best
        rule = "same source and item_id: an earlier version"
        return self._match(entry, target, "version", rule, o)

    def _exact(self, entry: Entry) -> Match | None:
        rows = self._rows_by_content.get(entry.content_hash, ())
        known = self._known(entry, rows, self._batch_by_content.get(entry.content_hash, ()))
        if not known:
            return None
        target = min(known, key=lambda k: k.story_id)
        return self._match(entry, target, "exact", "content_hash equal")

    def _modelled(self, entry: Entry, target: _Known, o: Overlap) -> bool:
        """Whether the model decides the pair (else the thresholds alone do)."""
        p = self.params
        return (
            p.decision == "model"
            and entry.profile is not None
            and target.profile is not None
            and o.smaller >= p.min_model_shingles
        )

    def _decide(
        self,
        entry: Entry,
        target: _Known,
        o: Overlap,
        x: np.ndarray | None = None,
        probability: float | None = None,
    ) -> tuple[str, str, float] | None:
        """(kind, rule, score) when ``target`` is the same report as ``entry``, else None.

        ``x`` and ``probability``: the pair's features and the model's probability from
        ``features_many`` and ``probabilities``, when already computed for several candidates.
        A pair that they put clearly under the threshold is not decided again one by one.
        """
        p = self.params
        if self._modelled(entry, target, o):
            if x is None:
                x = _features(entry, target, o, p.window_days)
            decision = None
            if probability is None or probability >= p.match_probability - _SCREEN_MARGIN:
                decision = decide(x, threshold=p.match_probability)
            if decision is not None and decision.same:
                kind = (
                    "containment"
                    if o.jaccard < p.near_threshold and o.containment >= p.containment_threshold
                    else "near"
                )
                return kind, decision.rule, decision.probability
            # A pair the thresholds call the same report stays one: the model adds links, it
            # does not veto a near copy or a brief that its story holds.
            by_thresholds = self._thresholds(o)
            if by_thresholds is None:
                return None
            kind, rule, score = by_thresholds
            decision = decision or decide(x, threshold=p.match_probability)
            return kind, f"{rule} (the model alone: {decision.rule})", score
        return self._thresholds(o)

    def _thresholds(self, o: Overlap) -> tuple[str, str, float] | None:
        """(kind, rule, score) when the verified overlap alone makes the pair one report."""
        p = self.params
        if o.jaccard >= p.near_threshold:
            return (
                "near",
                f"jaccard {o.jaccard:.3f} >= near_threshold {p.near_threshold}",
                o.jaccard,
            )
        if o.containment >= p.containment_threshold and o.smaller >= p.min_containment_shingles:
            rule = (
                f"containment {o.containment:.3f} >= containment_threshold "
                f"{p.containment_threshold} over {o.smaller} shingles"
            )
            return "containment", rule, o.jaccard
        return None

    def _verified(
        self, entry: Entry, history_rows: np.ndarray, batch_positions: list[int]
    ) -> Match | None:
        best: tuple[float, str, Match] | None = None
        targets = [
            t
            for t in self._known(entry, history_rows, batch_positions)
            if t.story_id != entry.story_id
        ]
        if not targets:
            return None
        # The overlaps and the model's features of every candidate at once, then one by one
        # only what may be a match.
        common = intersection_sizes(entry.shingles, [t.shingles for t in targets])
        overlaps = [
            Overlap(int(n), int(entry.shingles.size), int(t.shingles.size))
            for n, t in zip(common, targets, strict=True)
        ]
        modelled = [k for k, t in enumerate(targets) if self._modelled(entry, t, overlaps[k])]
        x = (
            self._features_many(entry, [targets[k] for k in modelled], common[modelled])
            if modelled
            else np.empty((0, len(FEATURES)))
        )
        screened = probabilities(x)
        model_row = {k: row for row, k in enumerate(modelled)}
        for k, target in enumerate(targets):
            o = overlaps[k]
            row = model_row.get(k)
            decided = (
                self._decide(entry, target, o)
                if row is None
                else self._decide(entry, target, o, x[row], float(screened[row]))
            )
            if decided is None:
                continue
            kind, rule, score = decided
            # Highest score (probability, or Jaccard under thresholds), then smallest id.
            if best is None or (-score, target.story_id) < (-best[0], best[1]):
                best = (score, target.story_id, self._match(entry, target, kind, rule, o))
        return best[2] if best else None

    def _features_many(
        self, entry: Entry, targets: Sequence[_Known], common: np.ndarray
    ) -> np.ndarray:
        """The model's features of ``entry`` against each of ``targets`` (as ``_features``)."""
        assert entry.profile is not None
        hours, same_source = zip(*(_between(entry, t) for t in targets), strict=True)
        profiles = [t.profile for t in targets]
        assert all(q is not None for q in profiles)
        return features_many(
            common,
            int(entry.shingles.size),
            np.fromiter((t.shingles.size for t in targets), np.int64, len(targets)),
            entry.profile,
            profiles,  # type: ignore[arg-type]
            hours,
            self.params.window_days,
            same_source,
        )

    def _remember(self, entry: Entry, cluster_id: str) -> None:
        position = len(self._batch)
        self._batch.append(
            _Known(
                entry.story_id,
                cluster_id,
                entry.shingles,
                entry.signature,
                entry.day,
                entry.profile,
                entry.item,
                entry.published,
            )
        )
        self._batch_ids[entry.story_id] = position
        if entry.item:
            self._batch_by_item.setdefault(entry.item, []).append(position)
        if entry.matchable:
            self._batch_by_content.setdefault(entry.content_hash, []).append(position)

    def assign_many(self, entries: Sequence[Entry]) -> list[Match]:
        """Match new stories in the order given; each later one also sees the earlier ones."""
        signatures = (
            np.stack([e.signature for e in entries])
            if entries
            else np.empty((0, self._num_perm), dtype=np.uint32)
        )
        shared = self.params.anchor_min_shared
        anchors = [e.anchors if e.anchors is not None else anchors_of(e.shingles) for e in entries]
        history = [
            np.union1d(banded, anchored)
            for banded, anchored in zip(
                self._index.query_many(signatures),
                self._anchor_index.query_many(anchors, shared),
                strict=True,
            )
        ]
        # Candidates among earlier batches, and among the earlier entries of this one.
        prior = [
            (positions, index.query_many(signatures), anchor_index.query_many(anchors, shared))
            for index, anchor_index, positions in self._batch_indexes
        ]
        earlier = [
            [positions[np.union1d(banded[i], anchored[i])] for positions, banded, anchored in prior]
            for i in range(len(entries))
        ]
        own = BandIndex(signatures, self._bands, self.params.lsh_rows)
        own_anchors = AnchorIndex.of(anchors)
        own_rows = [
            np.union1d(banded, anchored)
            for banded, anchored in zip(
                own.query_many(signatures), own_anchors.query_many(anchors, shared), strict=True
            )
        ]
        window = self.window
        self._rows_by_id = window.rows_where("story_ids", (e.story_id for e in entries))
        self._rows_by_content = window.rows_where(
            "content_hashes", (e.content_hash for e in entries)
        )
        self._rows_by_item = window.rows_where("items", (e.item for e in entries if e.item))
        # One pass over storage for every history story a candidate or a lookup may need.
        candidates = set(np.concatenate(history).tolist()) if history else set()
        wanted = set(candidates)
        for rows in (*self._rows_by_content.values(), *self._rows_by_item.values()):
            wanted.update(rows)
        missing = sorted(wanted - self._shingles.keys())
        if missing:
            self._shingles.update(self.window.load_shingles(missing))
        if self.params.decision == "model":
            unread = sorted(candidates - self._profiles.keys())
            if unread:
                self._profiles.update(self.window.load_profiles(unread))
        positions = np.full(len(entries), -1, dtype=np.int64)
        matches = []
        for i, entry in enumerate(entries):
            before = own_rows[i][own_rows[i] < i]
            batch = [int(p) for part in earlier[i] for p in part if p >= 0]
            batch += [int(p) for p in positions[before] if p >= 0]
            remembered = len(self._batch)
            matches.append(self._assign(entry, history[i], sorted(set(batch))))
            if len(self._batch) > remembered and entry.matchable:
                positions[i] = remembered
        self._batch_indexes.append((own, own_anchors, positions))
        return matches

    def _assign(self, entry: Entry, history_rows: np.ndarray, batch_positions: list[int]) -> Match:
        if entry.story_id in self._batch_ids:
            return Match(entry.story_id, self._batch[self._batch_ids[entry.story_id]].cluster_id)
        row = self._history_row(entry.story_id)
        if row is not None:
            return Match(entry.story_id, self.window.cluster_ids[row].as_py())
        match = self._version(entry)
        if match is None and entry.matchable:
            match = self._exact(entry) or self._verified(entry, history_rows, batch_positions)
        if match is None:
            match = Match(story_id=entry.story_id, cluster_id=entry.story_id)
        self._remember(entry, match.cluster_id)
        return match

    def assign(
        self,
        story_id: str,
        content_hash: str,
        shingles: np.ndarray,
        signature: np.ndarray,
        item: str | None = None,
        matchable: bool = True,
        day: int | None = None,
        published: int | None = None,
    ) -> Match:
        """Match one new story (see ``assign_many``)."""
        entry = Entry(
            story_id, content_hash, shingles, signature, item, matchable, day, published=published
        )
        return self.assign_many([entry])[0]
