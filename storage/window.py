"""Signatures under the storage root, and the history window rebuilt from them.

``signatures/`` holds, per story, its MinHash values and its shingle set, with the MinHash
parameters in each file's metadata. Signatures are written before the stories they belong to;
the window keeps only those whose story is stored (and not killed), so a crash between the two
leaves nothing a reader or the matcher would see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dedupe import Member, MinHashParams
from ingest.errors import ParamsMismatchError
from storage.partitions import part_name, partition_dir
from storage.root import StorageRoot
from storage.schema import signature_schema
from storage.stories import read_stories

__all__ = ["SIGNATURES", "load_window", "write_signatures"]

SIGNATURES = "signatures"


def write_signatures(
    root: StorageRoot,
    params: MinHashParams,
    story_ids: Sequence[str],
    story_dates: Sequence[date],
    signatures: np.ndarray,
    shingles: Sequence[np.ndarray],
) -> list[str]:
    """Write the signatures of new stories, one part per story date."""
    schema = signature_schema(params.num_perm)
    by_date: dict[date, list[int]] = defaultdict(list)
    for i, day in enumerate(story_dates):
        by_date[day].append(i)
    written = []
    for day in sorted(by_date):
        rows = by_date[day]
        ids = [story_ids[i] for i in rows]
        flat = pa.array(signatures[rows].reshape(-1), type=pa.uint32())
        table = pa.Table.from_arrays(
            [
                pa.array(ids, type=pa.string()),
                pa.FixedSizeListArray.from_arrays(flat, params.num_perm),
                pa.array([shingles[i] for i in rows], type=pa.list_(pa.uint32())),
            ],
            schema=schema,
        )
        relpath = f"{partition_dir(SIGNATURES, 'story_date', day)}/{part_name(ids)}"
        root.write_parquet(relpath, table, metadata=params.as_metadata())
        written.append(relpath)
    return written


def _check_params(root: StorageRoot, relpath: str, params: MinHashParams) -> None:
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


def load_window(
    root: StorageRoot, params: MinHashParams, date_from: date, date_to: date
) -> list[Member]:
    """The stored stories of [date_from, date_to] that new stories are matched against."""
    stories = read_stories(
        root, ["story_id", "cluster_id", "content_hash", "pubstatus"], date_from, date_to
    )
    live = {
        sid: (cid, chash)
        for sid, cid, chash, status in zip(
            stories.column("story_id").to_pylist(),
            stories.column("cluster_id").to_pylist(),
            stories.column("content_hash").to_pylist(),
            stories.column("pubstatus").to_pylist(),
            strict=True,
        )
        if status != "canceled"
    }
    members: dict[str, Member] = {}
    if not live:
        return []
    for relpath in root.files(SIGNATURES):
        day = date.fromisoformat(relpath.split("/")[1].split("=", 1)[1])
        if not date_from <= day <= date_to:
            continue
        _check_params(root, relpath, params)
        with root.fs.open_input_file(root.path(relpath)) as src:
            table = pq.read_table(src)
        ids = table.column("story_id").to_pylist()
        values = table.column("signature").combine_chunks()
        matrix = values.values.to_numpy(zero_copy_only=False).reshape(len(ids), params.num_perm)
        shingle_col = table.column("shingles").combine_chunks()
        offsets = shingle_col.offsets.to_numpy()
        flat = shingle_col.values.to_numpy(zero_copy_only=False)
        for i, sid in enumerate(ids):
            if sid not in live or sid in members:
                continue
            cluster_id, chash = live[sid]
            members[sid] = Member(
                story_id=sid,
                cluster_id=cluster_id,
                content_hash=chash,
                shingles=flat[offsets[i] : offsets[i + 1]].astype(np.uint32, copy=True),
                signature=matrix[i].astype(np.uint32, copy=True),
            )
    return [members[k] for k in sorted(members)]
