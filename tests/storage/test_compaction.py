"""Compaction: many small parts become one, and readers never see a story twice or not at all."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from dedupe import DEFAULT_MINHASH
from storage import StorageRoot, load_window, read_stories
from storage.compaction import compact, swap_partition
from storage.lock import LOCK, LockHeld, RootLock
from tests.storage.builders import DATES, make_stories, store, stored_indexes

N = 24


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compaction") / "data"
    root = StorageRoot(path)
    # One part per story, as 24 runs of one new story each would leave.
    for story in make_stories(N):
        store(root, [story])
    return path


@pytest.fixture
def root(built, tmp_path) -> StorageRoot:
    shutil.copytree(built, tmp_path / "data")
    return StorageRoot(tmp_path / "data")


def test_compaction_merges_each_partition_into_one_part(root):
    before = read_stories(root).sort_by("story_id")
    window_before = sorted(load_window(root, DEFAULT_MINHASH, *DATES).story_ids.to_pylist())
    assert len(root.files("stories")) == N and len(root.files("signatures")) == N

    report = compact(root, min_files=4)

    assert {p.folder for p in report.merged} == {
        "stories/story_date=2026-11-20",
        "signatures/story_date=2026-11-20",
    }
    assert len(root.files("stories")) == 1 and len(root.files("signatures")) == 1
    assert read_stories(root).sort_by("story_id").equals(before)
    # Signatures keep their MinHash parameters and rebuild the same window, the merged part
    # read with a stored index of its own (the old parts' went with them).
    window = sorted(load_window(root, DEFAULT_MINHASH, *DATES).story_ids.to_pylist())
    assert window == window_before and len(window) == N
    indexes = stored_indexes(root)
    assert len(indexes) == 1 and all(i is not None and len(i.bands) == N for i in indexes.values())
    assert "| `stories/story_date=2026-11-20` | 24 | 24 |" in report.markdown()


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing(root):
    files = root.files("stories")
    report = compact(root, min_files=4, dry_run=True)
    assert len(report.merged) == 2 and root.files("stories") == files
    compact(root, min_files=4)
    assert compact(root, min_files=4).partitions == []


def test_below_min_files_nothing_is_merged(root):
    assert compact(root, min_files=N + 1).partitions == []
    assert len(root.files("stories")) == N


def test_readers_during_repeated_compactions_see_every_story_exactly_once(root):
    """DuckDB's glob, pyarrow's own discovery and Wiredup's reader, while the partition is
    merged and split again over and over: every completed read counts N rows, N ids."""
    folder = "stories/story_date=2026-11-20"
    glob = f"{root.local_path}/stories/**/*.parquet"
    stop = threading.Event()
    seen: list[tuple[str, int, int]] = []
    failures: list[str] = []

    def read_loop() -> None:
        con = duckdb.connect()
        while not stop.is_set():
            for name in ("duckdb", "pyarrow", "wiredup"):
                try:
                    if name == "duckdb":
                        rows, ids = con.execute(
                            f"SELECT count(*), count(DISTINCT story_id) FROM read_parquet("
                            f"'{glob}', hive_partitioning = true)"
                        ).fetchone()
                    elif name == "pyarrow":
                        table = ds.dataset(
                            str(root.local_path / "stories"), partitioning="hive"
                        ).to_table(columns=["story_id"])
                        rows, ids = table.num_rows, len(set(table["story_id"].to_pylist()))
                    else:
                        table = read_stories(root, ["story_id"])
                        rows, ids = table.num_rows, len(set(table["story_id"].to_pylist()))
                except (OSError, duckdb.Error, pa.ArrowInvalid) as exc:
                    # A listing made before a swap, a file opened after it: an error, and
                    # the reader reads again. Never a wrong count. (pyarrow's discovery that
                    # reads the old folder after the swap emptied it finds no file, so no
                    # schema: "No match for FieldRef.Name(story_id)".)
                    failures.append(f"{name}: {type(exc).__name__}")
                    continue
                seen.append((name, rows, ids))

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        for round_ in range(15):
            compact(root, min_files=2, datasets=["stories"])
            # Split it again (atomically too) so the next round has parts to merge.
            table = read_stories(root).drop_columns(["story_date"])
            step = 3 + round_ % 5
            swap_partition(
                root,
                folder,
                {f"part-split{i:03d}.parquet": table.slice(i, step) for i in range(0, N, step)},
            )
    finally:
        stop.set()
        reader.join()
    assert {name for name, _, _ in seen} == {"duckdb", "pyarrow", "wiredup"}
    wrong = [s for s in seen if s[1:] != (N, N)]
    assert wrong == []


def test_the_tombstone_switch_hides_superseded_parts_until_they_are_gone(root):
    """The object-store path, run on a local root: after the merged part's put, and before
    the old parts are deleted (a crash there), Wiredup's readers see every story once."""
    import json

    from storage.compaction import _finish_tombstones

    folder = "stories/story_date=2026-11-20"
    names = [f.rsplit("/", 1)[1] for f in root.files(folder)]
    merged = read_stories(root).drop_columns(["story_date"])
    root.write_bytes(
        f"{folder}/_compaction-compacted-x.parquet.json",
        json.dumps({"merged": "compacted-x.parquet", "superseded": names}).encode(),
    )
    assert read_stories(root).num_rows == N  # merged part not there yet: the old parts count
    root.write_parquet(f"{folder}/compacted-x.parquet", merged)  # the switch
    assert root.files(folder) == [f"{folder}/compacted-x.parquet"]
    assert read_stories(root).num_rows == N
    _finish_tombstones(root, folder)  # what the next compaction does first
    assert read_stories(root).num_rows == N and len(root.files(folder)) == 1
    assert len(list((root.local_path / folder).iterdir())) == 1


def test_compaction_under_the_lock_refuses_while_an_ingest_holds_it(root):
    with (
        RootLock(root, "ingest-run"),
        pytest.raises(LockHeld, match="ingest-run"),
        RootLock(root, "maintenance-run"),
    ):
        compact(root)
    assert not root.exists(LOCK)


def test_compaction_removes_temporary_files_left_by_killed_writes(tmp_path):
    import os
    import time

    from storage.compaction import compact

    root = StorageRoot(tmp_path / "data")
    root.write_bytes("stories/story_date=2026-11-20/part-a.parquet", b"x")
    folder = tmp_path / "data" / "stories" / "story_date=2026-11-20"
    old = folder / ".part-b.parquet.tmp-4242-0123abcd"
    fresh = folder / ".part-c.parquet.tmp-4243-89abcdef"
    lock_temp = tmp_path / "data" / "state" / ".lock.0123456789abcdef.tmp"
    lock_temp.parent.mkdir(parents=True)
    for path in (old, fresh, lock_temp):
        path.write_bytes(b"half a file")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(lock_temp, (hour_ago, hour_ago))

    planned = compact(root, dry_run=True)
    assert planned.leftovers == [
        "state/.lock.0123456789abcdef.tmp",
        "stories/story_date=2026-11-20/.part-b.parquet.tmp-4242-0123abcd",
    ]
    assert old.exists() and "2 temporary file(s) left by interrupted writes to remove" in (
        planned.markdown()
    )
    done = compact(root)
    assert done.leftovers == planned.leftovers
    assert not old.exists() and not lock_temp.exists()
    assert fresh.exists()  # a write may still be under way: too young to be a leftover
    assert root.exists("stories/story_date=2026-11-20/part-a.parquet")
