"""Signatures under the storage root, and the history window rebuilt from them.

``signatures/`` holds, per story, its MinHash values, its shingle set and its anchors, with
the MinHash parameters and the anchors' sampling rate in each file's metadata. Signatures are
written before the stories they belong to; the window keeps only those whose story is stored
(and not killed), so a crash between the two leaves nothing a reader or the matcher would see.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from dedupe import DEFAULT_MATCH, MinHashParams, Window, item_key, signature_matrix
from dedupe.anchors import ANCHOR_EVERY, AnchorIndex
from dedupe.arrays import sorted_unique, unique_first
from dedupe.batch import ordinal_days, publication_seconds
from dedupe.index import BandIndex, IndexUnion
from dedupe.profile import Profile, profiles
from record.batch import StoryBatch
from record.errors import ParamsMismatchError
from storage.indexes import PartIndex, drop_indexes, read_index, write_index
from storage.kills import killed_items, killed_story_ids
from storage.partitions import part_name, partition_dir
from storage.root import StorageRoot
from storage.schema import signature_schema
from storage.stories import read_stories, stories_dataset

__all__ = ["SIGNATURES", "load_window", "write_signatures"]

SIGNATURES = "signatures"
#: Rows per row group: verification reads the shingles of one candidate a row group at a time.
SIGNATURE_ROW_GROUP = 1024
#: The metadata key of the anchors' sampling rate (``dedupe.anchors.ANCHOR_EVERY``).
ANCHORS_KEY = "wiredup.anchors.every"
#: How signature parts are written (compaction writes its merged parts so too).
SIGNATURE_WRITE_OPTIONS: dict[str, Any] = {
    "row_group_size": SIGNATURE_ROW_GROUP,
    # Hash values look random: dictionaries and compression cost read time, save nothing.
    "compression": {"story_id": "zstd", "signature": "none", "shingles": "zstd", "anchors": "zstd"},
    "use_dictionary": False,
}
_ANCHORS = pa.list_(pa.uint32())


def _anchors_readable(metadata: dict[bytes, bytes] | None) -> bool:
    """Whether a signatures file's anchors were sampled as today's are."""
    return (metadata or {}).get(ANCHORS_KEY.encode()) == str(ANCHOR_EVERY).encode()


def write_signatures(
    root: StorageRoot,
    params: MinHashParams,
    batch: StoryBatch,
    lsh: tuple[int, int] | None = None,
) -> list[str]:
    """Write the signature columns of a signed batch, one part per story date, each after its
    stored index (``storage.indexes``) in the ``lsh`` bands (default: the default matcher's)."""
    lsh = lsh or default_lsh(params)
    schema = signature_schema(params.num_perm)
    days = batch.column("story_date")
    written = []
    for day in sorted(set(days.to_pylist())):
        part = batch.table.filter(pc.equal(days, pa.scalar(day, pa.date32())))
        table = part.select(schema.names).cast(schema)
        ids = table.column("story_id").to_pylist()
        folder = partition_dir(SIGNATURES, "story_date", day)
        name = part_name(ids)
        index_file, entry = write_part_index(
            root,
            f"{folder}/{name}",
            table,
            params.num_perm,
            lsh,
            anchored=True,  # signed now
        )
        root.write_parquet(
            f"{folder}/{name}",
            table,
            metadata={**params.as_metadata(), ANCHORS_KEY: str(ANCHOR_EVERY), **entry},
            **SIGNATURE_WRITE_OPTIONS,
        )
        drop_indexes(root, folder, [name], keep=index_file)  # a rewritten part's old index
        written.append(f"{folder}/{name}")
    return written


def default_lsh(params: MinHashParams) -> tuple[int, int]:
    """The (bands, rows) of the default matcher's band index for signatures of ``params``."""
    return DEFAULT_MATCH.bands_for(params.num_perm), DEFAULT_MATCH.lsh_rows


def part_index(
    table: pa.Table, num_perm: int, lsh: tuple[int, int], anchored: bool | None = None
) -> PartIndex:
    """The band and anchor indexes of a signatures table's rows, sorted in memory.
    ``anchored``: whether its anchors are sampled as today's (None: as its metadata says)."""
    signatures = signature_matrix(table.column("signature"), num_perm)
    if anchored is None:
        anchored = _anchors_readable(table.schema.metadata)
    if "anchors" in table.column_names and anchored:
        values, offsets = _flat_lists(table.column("anchors").combine_chunks())
    else:
        values, offsets = np.empty(0, np.uint32), np.zeros(table.num_rows + 1, np.int64)
    return PartIndex(BandIndex(signatures, *lsh), AnchorIndex(values, offsets))


def write_part_index(
    root: StorageRoot,
    relpath: str,
    table: pa.Table,
    num_perm: int,
    lsh: tuple[int, int],
    anchored: bool | None = None,
) -> tuple[str, dict[str, str]]:
    """Index the signatures part ``table`` that goes to ``relpath`` and write its index there
    first (``storage.indexes.write_index``): the index file's name and the part's metadata
    entry that names it."""
    return write_index(root, relpath, part_index(table, num_perm, lsh, anchored), table.num_rows)


def check_params(root: StorageRoot, relpath: str, params: MinHashParams) -> None:
    with root.fs.open_input_file(root.path(relpath)) as src:
        metadata = {k.decode(): v.decode() for k, v in (pq.read_schema(src).metadata or {}).items()}
    try:
        stored = MinHashParams.from_metadata(metadata)
    except (KeyError, ValueError) as exc:
        raise ParamsMismatchError(
            f"{root.display(relpath)} carries no readable MinHash parameters ({exc})"
        ) from exc
    if stored != params:
        raise ParamsMismatchError(
            f"stored signatures were made with {stored}, this run uses {params}: signatures "
            "made with other parameters cannot be compared. Keep the stored parameters, or "
            "re-sign the history with the backfill / re-cluster flow (wiredup backfill)."
        )


def _signature_files(
    root: StorageRoot, params: MinHashParams, date_from: date, date_to: date
) -> list[str]:
    files = []
    for relpath in root.files(SIGNATURES):
        day = date.fromisoformat(relpath.split("/")[1].split("=", 1)[1])
        if date_from <= day <= date_to:
            check_params(root, relpath, params)
            files.append(relpath)
    return files


class _ColumnReader:
    """One list column of chosen window rows (the window's ``ShingleStore`` over
    ``shingles``, its ``SignatureStore`` over ``signature``), a row group at a time."""

    def __init__(
        self,
        root: StorageRoot,
        files: list[str],
        file_no: np.ndarray,
        row_no: np.ndarray,
        column: str = "shingles",
    ) -> None:
        self._root, self._files = root, files
        self._file_no, self._row_no = file_no, row_no
        self._column = column

    def load(self, rows: Sequence[int]) -> dict[int, np.ndarray]:
        wanted = np.asarray(rows, dtype=np.int64)
        out: dict[int, np.ndarray] = {}
        for f in sorted_unique(self._file_no[wanted]):
            in_file = wanted[self._file_no[wanted] == f]
            with self._root.fs.open_input_file(self._root.path(self._files[int(f)])) as src:
                reader = pq.ParquetFile(src)
                meta = reader.metadata
                starts = np.cumsum(
                    [0] + [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
                )
                local = self._row_no[in_file]
                groups = np.searchsorted(starts, local, side="right") - 1
                for g in sorted_unique(groups):
                    column = reader.read_row_group(int(g), columns=[self._column]).column(0)
                    values, offsets = _flat_lists(column.combine_chunks())
                    for row, at in zip(in_file[groups == g], local[groups == g], strict=True):
                        i = int(at - starts[g])
                        out[int(row)] = values[offsets[i] : offsets[i + 1]].astype(np.uint32)
        return out


class _ProfileReader:
    """The window's ``ProfileStore``: the candidates' headline and body, read from stories/."""

    def __init__(
        self, root: StorageRoot, story_ids: pa.Array, date_from: date, date_to: date
    ) -> None:
        self._root, self._ids = root, story_ids
        self._span = (date_from, date_to)

    def load(self, rows: Sequence[int]) -> dict[int, Profile]:
        if not len(rows):
            return {}
        wanted = self._ids.take(pa.array(list(rows), pa.int64()))
        table = stories_dataset(self._root).to_table(
            columns=["story_id", "headline", "body", "dateline"],
            filter=(ds.field("story_id").isin(wanted))
            & (ds.field("story_date") >= pa.scalar(self._span[0], pa.date32()))
            & (ds.field("story_date") <= pa.scalar(self._span[1], pa.date32())),
        )
        found = dict(
            zip(
                table.column("story_id").to_pylist(),
                profiles(
                    table.column("headline").to_pylist(),
                    table.column("body").to_pylist(),
                    table.column("dateline").to_pylist(),
                ),
                strict=True,
            )
        )
        ids = wanted.to_pylist()
        return {int(r): found[i] for r, i in zip(rows, ids, strict=True) if i in found}


def _withdrawn(out: pa.Table) -> dict[str, tuple[str, str]]:
    """Item key -> (story_id, cluster_id) of the earliest stored version of each item left out."""
    found: dict[str, tuple[int, str, str]] = {}
    for row in out.select(["source", "item_id", "version", "story_id", "cluster_id"]).to_pylist():
        key = item_key(row["source"], row["item_id"])
        candidate = (row["version"], row["story_id"], row["cluster_id"])
        if key not in found or candidate < found[key]:
            found[key] = candidate
    return {key: (sid, cid) for key, (_, sid, cid) in found.items()}


def _first_signatures(table: pa.Table) -> pa.Table:
    """The rows of ``table`` (a ``position`` column holding row numbers) with one per story:
    a story signed twice (a rerun after a crash) keeps its first signature, in row order."""
    first = table.group_by("story_id").aggregate([("position", "min")])
    if len(first) == len(table):
        return table
    return table.take(first.column("position_min").sort())


def _flat_lists(lists: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A list (or fixed-size list) column of uint32 values as (values, offsets); a null row
    has none."""
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
    values = pc.list_flatten(lists).to_numpy(zero_copy_only=False).astype(np.uint32, copy=False)
    return values, offsets


def load_window(
    root: StorageRoot,
    params: MinHashParams,
    date_from: date,
    date_to: date,
    lsh: tuple[int, int] | None = None,
) -> Window:
    """The stored stories of [date_from, date_to] that new stories are matched against.

    Only live stories count: stored (a signature without its story is a crash leftover),
    not canceled, and not a version of a killed item. The window arrives indexed in the
    ``lsh`` (bands, rows) of the matcher (default: the default matcher's): each part's stored
    index is memory-mapped (``storage.indexes``), or, for a part without one, its values are
    read and indexed in memory. Signatures and shingle sets stay on disk, read for the stories
    verification and a match name.
    """
    lsh = lsh or default_lsh(params)
    stories = read_stories(
        root,
        [
            "story_id",
            "cluster_id",
            "content_hash",
            "pubstatus",
            "source",
            "item_id",
            "version",
            "story_date",
            "published_at",
            "date_precision",
        ],
        date_from,
        date_to,
    )
    # Kills: every version of a withdrawn item leaves the window, whichever order they came in.
    dead = killed_story_ids(stories, killed_items(root))
    keep = pc.not_equal(stories.column("pubstatus"), "canceled")
    if dead:
        keep = pc.and_(
            keep, pc.invert(pc.is_in(stories.column("story_id"), pa.array(sorted(dead))))
        )
    withdrawn = _withdrawn(stories.filter(pc.invert(keep)))
    stories = stories.filter(keep)
    files = _signature_files(root, params, date_from, date_to)
    if stories.num_rows == 0 or not files:
        empty = Window.empty(params.num_perm)
        empty.withdrawn = withdrawn
        return empty

    def read(relpath: str) -> tuple[pa.Array, PartIndex]:
        """A part's story ids and its index: the stored one, or one made of its values."""
        with root.fs.open_input_file(root.path(relpath)) as src:
            file = pq.ParquetFile(src)
            stored = read_index(
                root, relpath, file.schema_arrow.metadata, file.metadata.num_rows, lsh
            )
            if stored is not None:
                return file.read(columns=["story_id"]).column(0).combine_chunks(), stored
            names = file.schema_arrow.names
            table = file.read(
                columns=[c for c in ("story_id", "signature", "anchors") if c in names]
            )
        return table.column("story_id").combine_chunks(), part_index(table, params.num_perm, lsh)

    # Parquet decoding and numpy's sorts release the GIL: parts are read on every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        parts = list(pool.map(read, files))
    sizes = [len(ids) for ids, _ in parts]
    starts = np.cumsum([0, *sizes])
    # Each live story's first signature row (a story signed twice, by a rerun after a crash,
    # keeps its first); a signature without its story is left out. Rows stay in file order.
    first = pc.index_in(
        stories.column("story_id"), value_set=pa.concat_arrays([ids for ids, _ in parts])
    )
    signed = pc.indices_nonzero(pc.is_valid(first)).to_numpy()
    positions, firsts = unique_first(pc.take(first, signed).to_numpy())
    picked = stories.take(pa.array(signed[firsts]))
    # The window row of each signature row (-1: left out), and where each row is stored.
    window_row = np.full(int(starts[-1]), -1, dtype=np.int64)
    window_row[positions] = np.arange(len(positions))
    file_no = np.repeat(np.arange(len(files), dtype=np.int32), sizes)[positions]
    row_no = (positions - starts[file_no]).astype(np.int32)
    bands, anchors = [], []
    for k, (_, index) in enumerate(parts):
        rows = window_row[starts[k] : starts[k + 1]]
        bands.append(index.bands.with_rows(rows))
        anchors.append(index.anchors.with_rows(rows))
    del parts
    items = pc.binary_join_element_wise(picked.column("source"), picked.column("item_id"), "\x00")
    window = Window(
        story_ids=picked.column("story_id").combine_chunks(),
        cluster_ids=picked.column("cluster_id").combine_chunks(),
        content_hashes=picked.column("content_hash").combine_chunks(),
        items=items.combine_chunks(),
        signatures=None,
        shingle_store=_ColumnReader(root, files, file_no, row_no),
        withdrawn=withdrawn,
        days=ordinal_days(picked.column("story_date")),
        published=publication_seconds(
            picked.column("published_at"), picked.column("date_precision")
        ),
        band_index=IndexUnion(bands),
        anchor_index=IndexUnion(anchors),
        signature_store=_ColumnReader(root, files, file_no, row_no, "signature"),
    )
    window.profile_store = _ProfileReader(root, window.story_ids, date_from, date_to)
    del stories, picked
    # Arrow keeps freed buffers for reuse; hand them back so the window's footprint is its own.
    pa.default_memory_pool().release_unused()
    return window


def read_signatures(root: StorageRoot, params: MinHashParams, day: date) -> pa.Table | None:
    """The stored signature columns of one story date (story_id, signature, shingles).

    ``None`` when a file of that day was made with other MinHash parameters: its values cannot
    be compared with today's, and the stories must be signed again from their text. A story
    signed twice (a rerun after a crash) keeps its first row.
    """
    tables = []
    for relpath in root.files(f"{SIGNATURES}/story_date={day.isoformat()}"):
        try:
            check_params(root, relpath, params)
        except ParamsMismatchError:
            return None
        with root.fs.open_input_file(root.path(relpath)) as src:
            table = pq.read_table(src)
        if "anchors" not in table.column_names or not _anchors_readable(table.schema.metadata):
            # Signed before anchors were stored, or sampled otherwise: none to read.
            if "anchors" in table.column_names:
                table = table.drop_columns(["anchors"])
            table = table.append_column("anchors", pa.nulls(table.num_rows, _ANCHORS))
        tables.append(table.cast(signature_schema(params.num_perm)))
    if not tables:
        return signature_schema(params.num_perm).empty_table()
    table = pa.concat_tables(tables).combine_chunks()
    table = table.append_column("position", pa.array(np.arange(table.num_rows), pa.int64()))
    return _first_signatures(table).drop_columns(["position"])
