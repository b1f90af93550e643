"""Dedupe's side of the story record: it signs a batch, reads it as matcher entries, and adds
the match columns.

The rules that decide matching live here once: the order new stories are matched in, which
stories are matchable, and how the signature and shingle columns encode their numpy values
(the same columns ``signatures/`` stores). The matching text and its words are
``dedupe.shingles``'s, beside the shingler they feed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedupe.anchors import ANCHOR_EVERY, anchor_sets
from dedupe.clusters import Entry, Match
from dedupe.params import DEFAULT_MINHASH, MinHashParams
from dedupe.profile import Profile, profiles
from dedupe.shingles import StoryWords, shingle_sets
from dedupe.signatures import Signer
from dedupe.window import NO_TIME, item_key
from record.batch import StoryBatch
from record.schema import DEDUPE, MATCH

__all__ = [
    "DATE_ONLY",
    "ProfileKey",
    "anchor_column",
    "batch_profiles",
    "entries",
    "match_order",
    "matchable",
    "ordinal_days",
    "publication_seconds",
    "shingle_arrays",
    "shingle_column",
    "sign",
    "signature_column",
    "signature_matrix",
    "with_matches",
]

#: The ``date_precision`` values that give no time of day (the time is not compared).
DATE_ONLY = frozenset({"day", "month"})


def matchable(pubstatus: str, body: str, killed: bool = False) -> bool:
    """Whether a story matches on content: not a kill notice, not a killed item, with text.

    An unmatchable story still joins its item's earlier versions; it is never a candidate.
    """
    # Text that is not all white space (as ``bool(body.strip())``, without copying the body).
    return pubstatus != "canceled" and not killed and bool(body) and not body.isspace()


def signature_column(signatures: np.ndarray) -> pa.Array:
    """MinHash values (n x num_perm, uint32) as the record's fixed-size list column."""
    flat = pa.array(np.ascontiguousarray(signatures, dtype=np.uint32).reshape(-1), pa.uint32())
    return pa.FixedSizeListArray.from_arrays(flat, signatures.shape[1])


def signature_matrix(column: pa.Array | pa.ChunkedArray, num_perm: int) -> np.ndarray:
    """The signature column back as an (n, num_perm) uint32 matrix (no copy where it can)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    values = column.flatten().to_numpy(zero_copy_only=False)
    matrix: np.ndarray = values.reshape(len(column), num_perm).astype(np.uint32, copy=False)
    return matrix


def shingle_column(shingles: Sequence[np.ndarray]) -> pa.Array:
    """Shingle sets as the record's list column."""
    return pa.array([np.asarray(s, dtype=np.uint32) for s in shingles], pa.list_(pa.uint32()))


def shingle_arrays(column: pa.Array | pa.ChunkedArray) -> list[np.ndarray]:
    """The shingle column back as one uint32 array per row (views of one buffer)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if len(column) == 0:
        return []
    offsets = column.offsets.to_numpy()
    values = column.values.to_numpy(zero_copy_only=False).astype(np.uint32, copy=False)
    return [values[offsets[i] : offsets[i + 1]] for i in range(len(column))]


def sign(
    batch: StoryBatch,
    params: MinHashParams = DEFAULT_MINHASH,
    signer: Signer | None = None,
    words: StoryWords | None = None,
) -> StoryBatch:
    """The batch with its shingle sets, their anchors and MinHash signatures added
    (``words``: the batch's ``StoryWords``, where the caller has them already)."""
    if words is None:
        words = StoryWords.of(batch.values("headline"), batch.values("body"))
    shingles = shingle_sets(words.words, params.shingle_size)
    signatures = (signer or Signer(params)).sign_many(shingles)
    return batch.with_columns(
        DEDUPE,
        {
            "signature": signature_column(signatures),
            "shingles": shingle_column(shingles),
            "anchors": shingle_column(anchor_sets(shingles, ANCHOR_EVERY)),
        },
    )


def _column(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def anchor_column(column: pa.Array | pa.ChunkedArray) -> list[np.ndarray | None]:
    """The anchors column back as one uint32 array per row (None where a row has none stored)."""
    column = _column(column)
    if column.null_count == 0:
        return list(shingle_arrays(column))
    return [None if v is None else np.asarray(v, dtype=np.uint32) for v in column.to_pylist()]


def _micros(published: pa.Array | pa.ChunkedArray) -> pa.Array:
    return _column(published).cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())


def publication_seconds(
    published: pa.Array | pa.ChunkedArray, precision: pa.Array | pa.ChunkedArray
) -> np.ndarray:
    """Publication times as whole seconds since the epoch (int64), where the source gave the
    time of day; ``NO_TIME`` where it gave a date only or no time at all. The batch's entries
    and the stored window read their times by this one rule."""
    micros = _micros(published)
    dated = pc.is_in(_column(precision), value_set=pa.array(sorted(DATE_ONLY)))
    unknown = pc.or_kleene(pc.is_null(micros), pc.fill_null(dated, False))
    seconds = pc.fill_null(micros, 0).to_numpy(zero_copy_only=False) // 1_000_000
    return np.where(unknown.to_numpy(zero_copy_only=False), NO_TIME, seconds).astype(np.int64)


def _epoch_days(story_date: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Story dates as days from 1970-01-01 (date32's own count), int64."""
    return _column(story_date).cast(pa.int32()).cast(pa.int64())


def ordinal_days(story_date: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Story dates as ordinals (``date.toordinal``), int64."""
    days: np.ndarray = _epoch_days(story_date).to_numpy(zero_copy_only=False)
    return days + _EPOCH_ORDINAL


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_MICROS = 86_400 * 1_000_000


def match_order(batch: StoryBatch) -> list[int]:
    """Rows in the order new stories are matched: oldest first, then by identity.

    The same data in any arrival order, cut into any batches, gives the same clusters. A story
    without a time counts from the start of its story date.
    """
    table = batch.table
    midnight = pc.multiply(_epoch_days(table.column("story_date")), _DAY_MICROS)
    keys = pa.table(
        {
            "at": pc.coalesce(_micros(table.column("published_at")), midnight),
            "source": table.column("source"),
            "item_id": table.column("item_id"),
            "version": table.column("version"),
        }
    )
    # Arrow's sort is stable, and UTF-8's byte order is the code points' order (Python's).
    order = pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in keys.column_names])
    return order.to_numpy().tolist()  # type: ignore[no-any-return]


#: What a story's profile is found by where it was made beforehand: its story id and content
#: hash (a revision under the same key has another hash, and is renamed by ``select_new``).
ProfileKey = tuple[str, str]


def batch_profiles(batch: StoryBatch, words: StoryWords | None = None) -> dict[ProfileKey, Profile]:
    """The profile of every story of ``batch`` by ``ProfileKey``, the first story of a key
    winning (the one ``select_new`` keeps): made where the batch is prepared, so a pool's
    processes make them side by side instead of the matching process one by one.
    ``words``: the batch's ``StoryWords``, where the caller has them already."""
    found = profiles(
        batch.values("headline"), batch.values("body"), batch.values("dateline"), words
    )
    out: dict[ProfileKey, Profile] = {}
    for key, profile in zip(
        zip(batch.values("story_id"), batch.values("content_hash"), strict=True),
        found,
        strict=True,
    ):
        out.setdefault(key, profile)
    return out


def entries(
    batch: StoryBatch,
    num_perm: int,
    killed: Collection[tuple[str, str]] = (),
    made: Mapping[ProfileKey, Profile] | None = None,
) -> list[Entry]:
    """The signed stories of ``batch`` as the matcher takes them, in batch order.

    ``killed`` names (source, item_id) pairs withdrawn by a kill: their stories match nothing.
    ``made``: profiles made beforehand (``batch_profiles``); the others are made here.
    """
    signatures = signature_matrix(batch.column("signature"), num_perm)
    shingles = shingle_arrays(batch.column("shingles"))
    anchors = (
        anchor_column(batch.column("anchors"))
        if "anchors" in batch.table.column_names
        else [None] * len(shingles)
    )
    made = made or {}
    story_ids, content_hashes = batch.values("story_id"), batch.values("content_hash")
    found = [made.get(key) for key in zip(story_ids, content_hashes, strict=True)]
    missing = [i for i, profile in enumerate(found) if profile is None]
    if missing:
        rest = batch.take(missing)
        made_here = profiles(rest.values("headline"), rest.values("body"), rest.values("dateline"))
        for i, profile in zip(missing, made_here, strict=True):
            found[i] = profile
    seconds = publication_seconds(batch.column("published_at"), batch.column("date_precision"))
    times = [None if t == NO_TIME else t for t in seconds.tolist()]
    days = ordinal_days(batch.column("story_date")).tolist()
    return [
        Entry(
            story_id,
            content_hash,
            shingles[i],
            signatures[i],
            item_key(source, item),
            matchable=matchable(pubstatus, body, (source, item) in killed),
            day=days[i],
            profile=found[i],
            published=times[i],
            anchors=anchors[i],
        )
        for i, (story_id, content_hash, source, item, pubstatus, body) in enumerate(
            zip(
                story_ids,
                content_hashes,
                batch.values("source"),
                batch.values("item_id"),
                batch.values("pubstatus"),
                batch.values("body"),
                strict=True,
            )
        )
    ]


def with_matches(batch: StoryBatch, matches: Sequence[Match]) -> StoryBatch:
    """The batch with the match columns added (match ``i`` belongs to row ``i``)."""
    ids = batch.values("story_id")
    if [m.story_id for m in matches] != ids:
        raise ValueError("matches do not belong to the batch's stories, in its order")
    return batch.with_columns(
        MATCH,
        {
            "cluster_id": [m.cluster_id for m in matches],
            "dup_kind": [m.dup_kind for m in matches],
            "dup_of": [m.dup_of for m in matches],
            "similarity": [m.similarity for m in matches],
            "jaccard": [m.jaccard for m in matches],
            "jaccard_estimate": [m.jaccard_estimate for m in matches],
            "containment": [m.containment for m in matches],
            "match_rule": [m.rule for m in matches],
        },
    )
