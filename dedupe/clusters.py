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
from dedupe.arrays import sorted_unique, unique_inverse
from dedupe.decision import (
    ProfileColumns,
    decide,
    features,
    features_of_pairs,
    gap_hours_many,
    probabilities,
)
from dedupe.index import BandIndex
from dedupe.params import DEFAULT_MATCH, MatchParams
from dedupe.profile import Profile
from dedupe.signatures import Signer, estimate_jaccard
from dedupe.verify import Overlap, SetColumn, overlap, pair_intersections
from dedupe.window import NO_DAY, NO_TIME, Member, Window, in_window

__all__ = ["DUP_KINDS", "Entry", "Match", "Matcher", "pair_features"]

DUP_KINDS = ("version", "exact", "near", "containment")


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


@dataclass(frozen=True)
class _Verified:
    """The best candidate the decision found for a new story, before its match is made."""

    #: A window row (``history``) or a batch position.
    target: int
    history: bool
    kind: str
    overlap: Overlap
    #: The pair's features where the model weighed it (None: the thresholds alone decided).
    x: np.ndarray | None
    probability: float | None
    by_model: bool


def _between_many(
    stories: Sequence[Entry | _Known], left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair ``(stories[left[k]], stories[right[k]])``: the hours between the two
    (``gap_hours_many``; NaN: unknown) and whether they come from one source."""
    days = np.array([np.nan if s.day is None else s.day for s in stories], dtype=float)
    times = np.array([np.nan if s.published is None else s.published for s in stories], float)
    codes: dict[str | None, int] = {None: -1}
    source = np.array(
        [
            codes.setdefault(str(s.item).split("\x00", 1)[0] if s.item else None, len(codes) - 1)
            for s in stories
        ],
        dtype=np.int64,
    )
    hours = gap_hours_many(days[left], days[right], times[left], times[right])
    same: np.ndarray = (source[left] >= 0) & (source[left] == source[right])
    return hours, same


def _unique_pairs(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """The (query, value) pairs of all ``pairs`` once each, by query then value."""
    left = np.concatenate([q for q, _ in pairs]) if pairs else np.empty(0, np.int64)
    right = np.concatenate([v for _, v in pairs]) if pairs else np.empty(0, np.int64)
    keys = sorted_unique((left.astype(np.int64) << 32) | right.astype(np.int64))
    return keys >> 32, keys & 0xFFFFFFFF


def _features(a: Entry | _Known, b: Entry | _Known, o: Overlap, window_days: int) -> np.ndarray:
    assert a.profile is not None and b.profile is not None
    one, other = np.array([0]), np.array([1])
    hours, same_source = _between_many([a, b], one, other)
    gap = None if np.isnan(hours[0]) else float(hours[0])
    return features(o, a.profile, b.profile, gap, window_days, bool(same_source[0]))


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
        # The MinHash values of the history stories matches name (read once per call, together).
        self._signatures: dict[int, np.ndarray] = {}
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
        self, entry: Entry, history_rows: Sequence[int], batch_positions: Sequence[int]
    ) -> list[_Known]:
        """The stories at ``history_rows`` and ``batch_positions`` within the entry's window."""
        if not history_rows and not batch_positions:
            return []  # most stories: no earlier version, no identical copy
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
        if known.row not in self._signatures:
            self._signatures.update(self.window.load_signatures([known.row]))
        return self._signatures[known.row]

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

    def _verified(self, entry: Entry, found: _Verified | None) -> Match | None:
        """The match the batch's verification found for ``entry`` (``_verify``), with its
        rule."""
        if found is None:
            return None
        target = self._history_known(found.target) if found.history else self._batch[found.target]
        p = self.params
        o = found.overlap
        if found.by_model:
            assert found.x is not None
            decision = decide(found.x, threshold=p.match_probability, probability=found.probability)
            return self._match(entry, target, found.kind, decision.rule, o)
        by_thresholds = self._thresholds(o)
        assert by_thresholds is not None
        kind, rule, _ = by_thresholds
        if found.x is not None:
            # The model weighed the pair and said no; a pair the thresholds call the same
            # report stays one: the model adds links, it does not veto a near copy or a brief
            # that its story holds.
            alone = decide(found.x, threshold=p.match_probability, probability=found.probability)
            rule = f"{rule} (the model alone: {alone.rule})"
        return self._match(entry, target, kind, rule, o)

    def _verify(
        self,
        entries: Sequence[Entry],
        verified: np.ndarray,
        history: tuple[np.ndarray, np.ndarray],
        batch: tuple[np.ndarray, np.ndarray],
        entry_at: dict[int, int],
    ) -> list[_Verified | None]:
        """The best candidate of each entry that ``verified`` marks, decided for every pair of
        the call at once: ``history`` and ``batch`` pair entries with window rows and with batch
        positions (``entry_at``: the entry of each position this call adds), each pair kept
        only within ``window_days`` of the entry's date.

        Every pair's overlap, and the model's features and probability where it weighs the
        pair, are computed over flat arrays; then per entry the passing candidate with the
        highest score (the probability, or the verified Jaccard where the thresholds decide),
        then the smallest story id.
        """
        p = self.params
        count = len(entries)
        out: list[_Verified | None] = [None] * count
        days = np.array([NO_DAY if e.day is None else e.day for e in entries], dtype=np.int64)
        # The pairs: entries against window rows, then against batch positions.
        left_h, rows = history
        keep = verified[left_h] & in_window(self.window.day_of[rows], days[left_h], p.window_days)
        left_h, rows = left_h[keep], rows[keep]
        left_b, places = batch
        left_b, places = left_b[verified[left_b]], places[verified[left_b]]
        # Every story a pair names, once: the entries, then the window rows, then positions of
        # earlier batches (a position this call adds is its entry).
        unique_rows, row_of = unique_inverse(rows)
        outside = places[~np.isin(places, list(entry_at))] if entry_at else places
        unique_places = sorted_unique(outside)
        stories: list[Entry | _Known] = [*entries]
        stories += [self._history_known(int(r)) for r in unique_rows]
        stories += [self._batch[q] for q in unique_places.tolist()]
        first_place = count + len(unique_rows)
        place_at = {int(q): first_place + k for k, q in enumerate(unique_places.tolist())}
        place_at.update(entry_at)
        right_b = np.array([place_at[q] for q in places.tolist()], dtype=np.int64)
        story_days = np.array([NO_DAY if t.day is None else t.day for t in stories], dtype=np.int64)
        keep = in_window(story_days[right_b], days[left_b], p.window_days)
        left = np.concatenate([left_h, left_b[keep]])
        right = np.concatenate([count + row_of, right_b[keep]])
        if not left.size:
            return out
        # The overlaps of every pair.
        shingles = SetColumn.of([t.shingles for t in stories])
        inter = pair_intersections(shingles, shingles, left, right)
        size_a, size_b = shingles.sizes[left], shingles.sizes[right]
        union = size_a + size_b - inter
        smaller = np.minimum(size_a, size_b)
        jaccard = np.divide(inter, union, out=np.zeros(len(inter)), where=union > 0)
        containment = np.divide(inter, smaller, out=np.zeros(len(inter)), where=smaller > 0)
        near = jaccard >= p.near_threshold
        contained = (containment >= p.containment_threshold) & (
            smaller >= p.min_containment_shingles
        )
        by_thresholds = near | contained
        # The model's features and probability where it weighs the pair.
        probability = np.full(len(left), np.nan)
        x = np.empty((0, 0))
        model_row = np.full(len(left), -1, dtype=np.int64)
        if p.decision == "model":
            profiles = ProfileColumns.of([t.profile for t in stories])
            modelled = (
                profiles.present[left] & profiles.present[right] & (smaller >= p.min_model_shingles)
            )
            m = np.flatnonzero(modelled)
            model_row[m] = np.arange(len(m))
            hours, same_source = _between_many(stories, left[m], right[m])
            # The thresholds' pairs keep every feature: a rule quotes the model's view of them.
            x = features_of_pairs(
                inter[m], size_a[m], size_b[m], profiles, profiles, left[m], right[m], hours,
                p.window_days, same_source, p.match_probability, by_thresholds[m],
            )  # fmt: skip
            probability[m] = probabilities(x)
        by_model = probability >= p.match_probability  # NaN: not weighed
        passing = by_model | by_thresholds
        score = np.where(by_model, probability, jaccard)
        kind_near = np.where(by_model, ~((~near) & (containment >= p.containment_threshold)), near)
        # Per entry, the passing candidate with the highest score, then the smallest story id.
        best: dict[int, tuple[tuple[float, str], int]] = {}
        for k in np.flatnonzero(passing).tolist():
            i = int(left[k])
            key = (-float(score[k]), stories[int(right[k])].story_id)
            held = best.get(i)
            if held is None or key < held[0]:
                best[i] = (key, k)
        # The stored values of every history story a best candidate names, in one read.
        named = {int(right[k]) - count for _, k in best.values() if count <= right[k] < first_place}
        wanted = sorted(
            int(unique_rows[r]) for r in named if int(unique_rows[r]) not in self._signatures
        )
        if wanted and self.window.signatures is None:
            self._signatures.update(self.window.load_signatures(wanted))
        position_of = {i: q for q, i in entry_at.items()}
        for i, (_, k) in best.items():
            r = int(right[k])
            row = int(model_row[k])
            history_target = count <= r < first_place
            if history_target:
                target = int(unique_rows[r - count])
            elif r < count:
                target = position_of[r]
            else:
                target = int(unique_places[r - first_place])
            out[i] = _Verified(
                target=target,
                history=history_target,
                kind="near" if kind_near[k] else "containment",
                overlap=Overlap(int(inter[k]), int(size_a[k]), int(size_b[k])),
                x=None if row < 0 else x[row],
                probability=None if row < 0 else float(probability[k]),
                by_model=bool(by_model[k]),
            )
        return out

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
        history = _unique_pairs(
            [
                self._index.query_pairs(signatures),
                self._anchor_index.query_pairs(anchors, shared),
            ]
        )
        # Candidates among earlier batches (their batch positions, -1 where a story matches
        # nothing), and among the earlier entries of this one (their own rows).
        earlier = []
        for index, anchor_index, positions in self._batch_indexes:
            for query, rows in (
                index.query_pairs(signatures),
                anchor_index.query_pairs(anchors, shared),
            ):
                found = positions[rows]
                earlier.append((query[found >= 0], found[found >= 0]))
        own = BandIndex(signatures, self._bands, self.params.lsh_rows)
        own_anchors = AnchorIndex.of(anchors)
        own_rows = [own.query_pairs(signatures), own_anchors.query_pairs(anchors, shared)]
        window = self.window
        self._rows_by_id = window.rows_where("story_ids", (e.story_id for e in entries))
        self._rows_by_content = window.rows_where(
            "content_hashes", (e.content_hash for e in entries)
        )
        self._rows_by_item = window.rows_where("items", (e.item for e in entries if e.item))
        # One pass over storage for every history story a candidate or a lookup may need.
        candidates = set(sorted_unique(history[1]).tolist())
        wanted = set(candidates)
        for looked_up in (*self._rows_by_content.values(), *self._rows_by_item.values()):
            wanted.update(looked_up)
        missing = sorted(wanted - self._shingles.keys())
        if missing:
            self._shingles.update(self.window.load_shingles(missing))
        if self.params.decision == "model":
            unread = sorted(candidates - self._profiles.keys())
            if unread:
                self._profiles.update(self.window.load_profiles(unread))
        # The batch position each entry takes (-1: it matches nothing, or repeats a story
        # already known), known before any is matched: a story is remembered unless its id is.
        start = len(self._batch)
        positions = np.full(len(entries), -1, dtype=np.int64)
        verified = np.zeros(len(entries), dtype=bool)
        entry_at: dict[int, int] = {}
        seen = set(self._batch_ids)
        for i, entry in enumerate(entries):
            if entry.story_id in seen or self._history_row(entry.story_id) is not None:
                continue
            seen.add(entry.story_id)
            entry_at[start + len(entry_at)] = i
            if entry.matchable:
                positions[i] = start + len(entry_at) - 1
                verified[i] = True
        for query, rows in own_rows:
            found = np.where(rows < query, positions[rows], -1)
            earlier.append((query[found >= 0], found[found >= 0]))
        batch = _unique_pairs(earlier)
        found = self._verify(entries, verified, history, batch, entry_at)
        matches = [self._assign(entry, found[i]) for i, entry in enumerate(entries)]
        self._batch_indexes.append((own, own_anchors, positions))
        return matches

    def _assign(self, entry: Entry, found: _Verified | None) -> Match:
        if entry.story_id in self._batch_ids:
            return Match(entry.story_id, self._batch[self._batch_ids[entry.story_id]].cluster_id)
        row = self._history_row(entry.story_id)
        if row is not None:
            return Match(entry.story_id, self.window.cluster_ids[row].as_py())
        match = self._version(entry)
        if match is None and entry.matchable:
            match = self._exact(entry) or self._verified(entry, found)
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
