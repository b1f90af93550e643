"""The stored indexes of signature parts: what makes a large window ready without sorting.

Beside each ``signatures/`` part a run writes the part's LSH band index and anchor index as
the matcher sorts them (``dedupe.index.BandIndex``, ``dedupe.anchors.AnchorIndex``), in one
file of raw little-endian uint32 values: per band the sorted keys, per band the rows they come
from, then the sorted anchors and their rows. Loading the window maps these files into memory
instead of reading every signature and sorting a million keys per band: the pages a query
touches are read, the rest stay on disk (on an object store the file is read whole, still
without sorting).

The part names its index in its Parquet metadata (``INDEX_KEY``: file, layout and the part's
own name), and the index is written first: a part is only ever read with the index it names,
whatever crashed between two writes. The name holds a digest of the content, so a rerun that
rewrites a part under the same name writes a new index file beside the old one, which it then
deletes. A part without a usable index (written before indexes were stored, merged by an older
compaction, or indexed in other bands than the matcher's) is indexed in memory from its values,
as before. Index files start with ``_`` so that no reader of ``signatures/**/*.parquet``,
``StorageRoot.files`` or a dataset discovery lists them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.fs as pafs

from dedupe.anchors import ANCHOR_EVERY, AnchorIndex
from dedupe.index import BandIndex
from storage.root import StorageRoot

__all__ = ["INDEX_KEY", "INDEX_PREFIX", "PartIndex", "drop_indexes", "read_index", "write_index"]

#: The Parquet metadata key of a signatures part that names its stored index.
INDEX_KEY = "wiredup.index"
#: Index files are named ``_index-<part stem>-<digest>.u32``.
INDEX_PREFIX = "_index-"
_VERSION = 1


@dataclass(frozen=True)
class PartIndex:
    """A part's two indexes, over the part's own rows (0 .. rows - 1)."""

    bands: BandIndex
    anchors: AnchorIndex


def _stem(part: str) -> str:
    return part.rsplit("/", 1)[-1].removesuffix(".parquet")


def write_index(
    root: StorageRoot, part: str, index: PartIndex, rows: int
) -> tuple[str, dict[str, str]]:
    """Write ``index`` of the part at root-relative path ``part`` (before the part itself);
    the index file's name and the metadata entry the part must carry to be read with it."""
    keys, band_rows = index.bands.sorted_arrays()
    anchors, anchor_rows = index.anchors.sorted_arrays()
    arrays = (keys, band_rows, anchors, anchor_rows)
    data = b"".join(np.ascontiguousarray(a).astype("<u4", copy=False).tobytes() for a in arrays)
    name = f"{INDEX_PREFIX}{_stem(part)}-{hashlib.sha256(data).hexdigest()[:16]}.u32"
    folder = part.rsplit("/", 1)[0]
    root.write_bytes(f"{folder}/{name}", data)
    layout = {
        "version": _VERSION,
        "file": name,
        "part": part.rsplit("/", 1)[-1],
        "rows": rows,
        "bands": index.bands.bands,
        "band_rows": index.bands.rows,
        "indexed": len(index.bands),
        "anchors": len(index.anchors),
        "anchor_every": ANCHOR_EVERY,
    }
    return name, {INDEX_KEY: json.dumps(layout, sort_keys=True)}


def read_index(
    root: StorageRoot,
    part: str,
    metadata: dict[bytes, bytes] | None,
    rows: int,
    lsh: tuple[int, int],
) -> PartIndex | None:
    """The stored index of the part at ``part`` (its Parquet ``metadata`` and row count), or
    None where it names none that fits: then the part is indexed from its values."""
    entry = (metadata or {}).get(INDEX_KEY.encode())
    if entry is None or sys.byteorder != "little":
        return None
    try:
        layout = json.loads(entry)
        fits = (
            layout["version"] == _VERSION
            and layout["part"] == part.rsplit("/", 1)[-1]  # not a merged part's inherited entry
            and layout["rows"] == rows
            and (layout["bands"], layout["band_rows"]) == lsh
            and layout["anchor_every"] == ANCHOR_EVERY
        )
        bands, indexed, anchors = (
            int(layout["bands"]),
            int(layout["indexed"]),
            int(layout["anchors"]),
        )
        path = f"{part.rsplit('/', 1)[0]}/{layout['file']}"
    except (KeyError, TypeError, ValueError):
        return None
    if not fits:
        return None
    size = 2 * bands * indexed + 2 * anchors
    values: np.ndarray
    try:
        if root.is_local:
            values = np.memmap(root.path(path), dtype="<u4", mode="r")
        else:
            values = np.frombuffer(root.read_bytes(path), dtype="<u4")
    except (OSError, ValueError, pa.ArrowException):
        return None  # the index is gone (or unreadable): the values are still there
    if values.size != size:
        return None
    at = bands * indexed
    keys = values[:at].reshape(bands, indexed)
    band_rows = values[at : 2 * at].view(np.int32).reshape(bands, indexed)
    anchor_keys = values[2 * at : 2 * at + anchors]
    anchor_rows = values[2 * at + anchors :].view(np.int32)
    return PartIndex(
        BandIndex.from_sorted(keys, band_rows, lsh[1]),
        AnchorIndex.from_sorted(anchor_keys, anchor_rows, rows),
    )


def drop_indexes(root: StorageRoot, folder: str, parts: list[str], keep: str | None = None) -> None:
    """Delete the index files of the parts named ``parts`` (file names) in ``folder``, but
    ``keep``: after a rerun rewrote a part (its old index), or a merge superseded parts."""
    stems = tuple(f"{INDEX_PREFIX}{_stem(p)}-" for p in parts)
    selector = pafs.FileSelector(root.path(folder), recursive=False, allow_not_found=True)
    for info in root.fs.get_file_info(selector):
        name = info.path.rsplit("/", 1)[-1]
        if name.startswith(stems) and name != keep:
            root.delete(f"{folder}/{name}")
