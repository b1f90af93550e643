"""The history window: what new stories are matched against, in compact columns.

A window holds, per stored story, its id, cluster, content hash and item identity as Arrow
string columns (looked up a batch at a time with vectorized set membership, never turned into
a million Python objects), its MinHash signature as one numpy matrix (0.5 KiB a story at 128
permutations) or, for a window loaded from storage, only the LSH band index made of them (the
values stay on disk and are fetched for the few stories a match names), its anchors
(``dedupe.anchors``) as one flat array with offsets or as their index, and its date and time
as int64 arrays. The shingle sets and profiles, which verification needs for the
few candidates a query proposes, stay where they are stored and are fetched by
``load_shingles`` and ``load_profiles`` when asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedupe.anchors import AnchorIndex, anchor_sets, flat_sets
from dedupe.index import BandIndex, IndexUnion
from dedupe.profile import Profile

T = TypeVar("T")

__all__ = [
    "NO_DAY",
    "NO_TIME",
    "Member",
    "ProfileStore",
    "ShingleStore",
    "SignatureStore",
    "Window",
    "in_window",
    "item_key",
]


def item_key(source: str, item_id: str) -> str:
    """The identity shared by every version of one item of one source."""
    return f"{source}\x00{item_id}"


@dataclass(frozen=True)
class Member:
    """One story of the window, with everything in memory (tests and small windows)."""

    story_id: str
    cluster_id: str
    content_hash: str
    shingles: np.ndarray
    signature: np.ndarray
    item: str | None = None
    #: The story date as a proleptic ordinal (``date.toordinal()``); None where unknown, which
    #: no window excludes.
    day: int | None = None
    profile: Profile | None = None
    #: When it was published, in seconds since the epoch, where the source gives the time of
    #: day (None for a date alone).
    published: int | None = None


#: The ``Window.days`` value of a story whose date is unknown: inside every window.
NO_DAY = np.iinfo(np.int64).min
#: The ``Window.published`` value of a story whose time of day is unknown.
NO_TIME = np.iinfo(np.int64).min


def in_window(days: np.ndarray, day: int | np.ndarray | None, window_days: int) -> np.ndarray:
    """Which of ``days`` are within ``window_days`` of ``day``, or, where ``day`` is an array,
    of the day beside each (an unknown day, None or ``NO_DAY``, is in)."""
    if day is None:
        return np.ones(len(days), dtype=bool)
    near: np.ndarray = (days == NO_DAY) | (np.abs(days - day) <= window_days)
    if isinstance(day, np.ndarray):
        near |= day == NO_DAY
    return near


class _RowStore(Protocol[T]):
    def load(self, rows: Sequence[int]) -> dict[int, T]:
        """The values of window rows ``rows``, by row."""
        ...


class ShingleStore(_RowStore[np.ndarray], Protocol):
    """Where the shingle sets of a window's stories are kept until verification asks.

    Storage implements it over the ``signatures/`` files; the matcher reads through it only
    the few candidates a query proposes.
    """


class SignatureStore(_RowStore[np.ndarray], Protocol):
    """Where the MinHash values of a window's stories are kept when the window holds only
    their band index: storage reads them from the ``signatures/`` files for the stories a
    match names (its ``jaccard_estimate``)."""


class ProfileStore(_RowStore[Profile], Protocol):
    """Where the profiles (``dedupe.profile``) of a window's stories come from when asked.

    Storage implements it by reading the candidates' headline and body from ``stories/``.
    """


class _InMemory(Generic[T]):
    """A store over values held in memory; a row whose value is None gives none."""

    def __init__(self, values: Sequence[T | None]) -> None:
        self._values = values

    def load(self, rows: Sequence[int]) -> dict[int, T]:
        out = {}
        for r in rows:
            found = self._values[int(r)]
            if found is not None:
                out[int(r)] = found
        return out


class _Concatenated(Generic[T]):
    """A store over the stores of several windows, their rows one after another."""

    def __init__(
        self, windows: Sequence[Window], load: Callable[[Window, list[int]], dict[int, T]]
    ) -> None:
        self._windows, self._load = windows, load
        self._starts = np.cumsum([0] + [len(w) for w in windows])

    def load(self, rows: Sequence[int]) -> dict[int, T]:
        wanted = np.asarray(rows, dtype=np.int64)
        starts = self._starts
        out: dict[int, T] = {}
        for k, w in enumerate(self._windows):
            mine = wanted[(wanted >= starts[k]) & (wanted < starts[k + 1])]
            if len(mine):
                got = self._load(w, (mine - starts[k]).tolist())
                out.update({int(r) + int(starts[k]): v for r, v in got.items()})
        return out


def _strings(values: Iterable[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


@dataclass
class Window:
    """Stored stories to match against; row ``i`` of every column is one story."""

    story_ids: pa.Array
    cluster_ids: pa.Array
    content_hashes: pa.Array
    items: pa.Array  # item_key(source, item_id); null where unknown
    #: (n, num_perm) uint32; None where the loader kept only ``band_index`` (then
    #: ``signature_store`` gives the values of a row).
    signatures: np.ndarray | None
    shingle_store: ShingleStore
    #: Story dates as ordinals (int64; ``NO_DAY`` where unknown): a story is matched only
    #: against stories within ``window_days`` of its own date.
    days: np.ndarray | None = None
    #: Where the profiles of candidates come from (None: the decision has none to read and
    #: falls back to the thresholds).
    profile_store: ProfileStore | None = None
    #: Items withdrawn by a kill (or whose stored versions are all kill notices): item key ->
    #: (story_id, cluster_id) of their earliest stored version. They match nothing on content,
    #: but a later version of the same item still joins their cluster, in whichever order the
    #: kill and the versions arrive.
    withdrawn: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Publication times in seconds since the epoch (``NO_TIME`` where only the date is known).
    published: np.ndarray | None = None
    #: The anchors of row ``i`` are ``anchor_values[anchor_offsets[i]:anchor_offsets[i + 1]]``
    #: (None: no row has anchors, as in files signed before anchors were stored).
    anchor_values: np.ndarray | None = None
    anchor_offsets: np.ndarray | None = None
    #: The LSH band index of the signatures, where the loader built it as it read them.
    band_index: BandIndex | IndexUnion | None = None
    signature_store: SignatureStore | None = None
    #: The index of the anchors, where the loader built it (the anchor arrays are then None).
    anchor_index: AnchorIndex | IndexUnion | None = None

    def __post_init__(self) -> None:
        if self.signatures is None and (self.band_index is None or self.signature_store is None):
            raise ValueError("a window without its signatures needs their band index and store")
        if self.days is None:
            self.days = np.full(len(self.story_ids), NO_DAY, dtype=np.int64)
        if self.published is None:
            self.published = np.full(len(self.story_ids), NO_TIME, dtype=np.int64)
        if self.anchor_index is not None:
            self.anchor_values = self.anchor_offsets = None
        elif self.anchor_values is None or self.anchor_offsets is None:
            self.anchor_values = np.empty(0, dtype=np.uint32)
            self.anchor_offsets = np.zeros(len(self.story_ids) + 1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.story_ids)

    @property
    def day_of(self) -> np.ndarray:
        """The story dates as ordinals, one per row (``NO_DAY`` where unknown)."""
        assert self.days is not None
        return self.days

    @property
    def time_of(self) -> np.ndarray:
        """Publication times in seconds since the epoch, one per row (``NO_TIME``: unknown)."""
        assert self.published is not None
        return self.published

    @property
    def anchors(self) -> tuple[np.ndarray, np.ndarray]:
        """(values, offsets) of every row's anchors (not kept where ``anchor_index`` is)."""
        if self.anchor_values is None or self.anchor_offsets is None:
            raise ValueError("the window holds its anchors as their index only")
        return self.anchor_values, self.anchor_offsets

    def indexed_bands(self, bands: int, rows: int) -> BandIndex | IndexUnion:
        """The band index in ``bands`` of ``rows``: the loader's, or one made of the matrix."""
        built = self.band_index
        if built is not None and (built.bands, built.rows) == (bands, rows):
            return built
        if self.signatures is None:
            assert built is not None
            raise ValueError(
                f"the window was indexed in {built.bands} bands of {built.rows} rows, the "
                f"matcher uses {bands} of {rows}, and its signatures were left on disk"
            )
        return BandIndex(self.signatures, bands, rows)

    def indexed_anchors(self) -> AnchorIndex | IndexUnion:
        """The index of the anchors: the loader's, or one made of the arrays."""
        if self.anchor_index is not None:
            return self.anchor_index
        return AnchorIndex(*self.anchors)

    def load_shingles(self, rows: Sequence[int]) -> dict[int, np.ndarray]:
        """The shingle sets of ``rows``, from the window's store."""
        return self.shingle_store.load(rows)

    def load_signatures(self, rows: Sequence[int]) -> dict[int, np.ndarray]:
        """The MinHash values of ``rows``: from the matrix, or read from the store."""
        if self.signatures is not None:
            return {int(r): self.signatures[int(r)] for r in rows}
        assert self.signature_store is not None
        return self.signature_store.load(rows)

    def signature(self, row: int) -> np.ndarray:
        """The MinHash values of ``row``."""
        return self.load_signatures([row])[row]

    def load_profiles(self, rows: Sequence[int]) -> dict[int, Profile]:
        """The profiles of ``rows`` the window can give (none without a profile store)."""
        return self.profile_store.load(rows) if self.profile_store is not None else {}

    @property
    def nbytes(self) -> int:
        """Memory held by the columns (not the shingles left on disk)."""
        columns = (self.story_ids, self.cluster_ids, self.content_hashes, self.items)
        arrays = (
            self.day_of,
            self.time_of,
            *(() if self.anchor_index is not None else self.anchors),
        )
        held = self.signatures.nbytes if self.signatures is not None else 0
        return int(sum(c.nbytes for c in columns) + sum(a.nbytes for a in arrays) + held)

    def rows_where(self, column: str, values: Iterable[str]) -> dict[str, list[int]]:
        """For each of ``values``, the rows whose ``column`` equals it (one vectorized pass)."""
        wanted = sorted(set(values))
        found: dict[str, list[int]] = defaultdict(list)
        if not wanted or len(self) == 0:
            return found
        data = getattr(self, column)
        rows = pc.indices_nonzero(pc.is_in(data, value_set=_strings(wanted))).to_numpy()
        for row, value in zip(rows.tolist(), data.take(rows).to_pylist(), strict=True):
            found[value].append(row)
        return found

    @classmethod
    def from_members(cls, members: Sequence[Member], num_perm: int) -> Window:
        """A window over stories held in memory."""
        shingles = [m.shingles for m in members]
        anchor_values, anchor_offsets = flat_sets(anchor_sets(shingles))
        signatures = (
            np.stack([m.signature for m in members]).astype(np.uint32)
            if members
            else np.empty((0, num_perm), dtype=np.uint32)
        )
        return cls(
            story_ids=_strings(m.story_id for m in members),
            cluster_ids=_strings(m.cluster_id for m in members),
            content_hashes=_strings(m.content_hash for m in members),
            items=_strings(m.item for m in members),
            signatures=signatures,
            shingle_store=_InMemory(shingles),
            days=np.array([NO_DAY if m.day is None else m.day for m in members], dtype=np.int64),
            profile_store=_InMemory([m.profile for m in members]),
            published=np.array(
                [NO_TIME if m.published is None else m.published for m in members], dtype=np.int64
            ),
            anchor_values=anchor_values,
            anchor_offsets=anchor_offsets,
        )

    def members(self) -> list[Member]:
        """Every story of the window with its shingles loaded (for small windows and tests)."""
        shingles = self.load_shingles(range(len(self)))
        ids, clusters = self.story_ids.to_pylist(), self.cluster_ids.to_pylist()
        hashes, items = self.content_hashes.to_pylist(), self.items.to_pylist()
        days, times = self.day_of.tolist(), self.time_of.tolist()
        profiles = self.load_profiles(range(len(self)))
        signatures = self.load_signatures(range(len(self)))
        # fmt: off
        return [
            Member(
                ids[i], clusters[i], hashes[i], shingles[i], signatures[i], items[i],
                None if days[i] == NO_DAY else days[i], profiles.get(i),
                None if times[i] == NO_TIME else times[i],
            )
            for i in range(len(self))
        ]
        # fmt: on

    @classmethod
    def concat(cls, windows: Sequence[Window], num_perm: int) -> Window:
        """One window over several, row after row (each keeps its own shingle loader)."""
        if not windows:
            return cls.empty(num_perm)
        if any(w.signatures is None for w in windows):
            raise ValueError("windows are concatenated with their signatures held")

        def column(name: str) -> pa.Array:
            return pa.concat_arrays([getattr(w, name) for w in windows])

        sizes = np.cumsum([0] + [int(w.anchors[1][-1]) for w in windows])
        offsets = [w.anchors[1][:-1] + sizes[k] for k, w in enumerate(windows)]

        return cls(
            story_ids=column("story_ids"),
            cluster_ids=column("cluster_ids"),
            content_hashes=column("content_hashes"),
            items=column("items"),
            signatures=np.concatenate([w.signatures for w in windows]),
            shingle_store=_Concatenated(windows, Window.load_shingles),
            days=np.concatenate([w.day_of for w in windows]),
            profile_store=_Concatenated(windows, Window.load_profiles),
            withdrawn={k: v for w in reversed(windows) for k, v in w.withdrawn.items()},
            published=np.concatenate([w.time_of for w in windows]),
            anchor_values=np.concatenate([w.anchors[0] for w in windows]),
            anchor_offsets=np.concatenate([*offsets, [sizes[-1]]]).astype(np.int64),
        )

    @classmethod
    def empty(cls, num_perm: int) -> Window:
        return cls.from_members([], num_perm)
