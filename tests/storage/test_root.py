"""The storage root on a real local folder: atomic writes, visible files, zstd Parquet."""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest import StorageError
from storage import StorageRoot


def _tree(path) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(d, f), path) for d, _, files in os.walk(path) for f in files
    )


def test_write_bytes_creates_folders_and_leaves_no_temp_file(tmp_path):
    root = StorageRoot(tmp_path)
    root.write_bytes("quarantine/ab/abcdef", b"raw \x00 bytes")
    assert (tmp_path / "quarantine" / "ab" / "abcdef").read_bytes() == b"raw \x00 bytes"
    assert _tree(tmp_path) == ["quarantine/ab/abcdef"]
    assert root.exists("quarantine/ab/abcdef")
    assert not root.exists("quarantine/ab/other")


def test_write_bytes_replaces_the_content(tmp_path):
    root = StorageRoot(tmp_path)
    root.write_bytes("state/cursor.json", b'{"etag": "v1", "padding": "' + b"x" * 4096 + b'"}')
    root.write_bytes("state/cursor.json", b'{"etag": "v2"}')
    assert root.read_bytes("state/cursor.json") == b'{"etag": "v2"}'
    assert _tree(tmp_path) == ["state/cursor.json"]


def test_failed_write_leaves_the_old_state_and_no_temp_file(tmp_path):
    root = StorageRoot(tmp_path)
    (tmp_path / "runs" / "blocked").mkdir(parents=True)  # a folder where the file should go
    (tmp_path / "runs" / "blocked" / "keep.txt").write_text("kept")
    with pytest.raises(StorageError) as info:
        root.write_bytes("runs/blocked", b"new")
    assert "runs/blocked" in str(info.value)
    assert _tree(tmp_path) == ["runs/blocked/keep.txt"]


def test_read_missing_file_raises_storage_error(tmp_path):
    with pytest.raises(StorageError):
        StorageRoot(tmp_path).read_bytes("nothing/here")


def test_file_uri_is_a_local_root(tmp_path):
    root = StorageRoot(f"file://{tmp_path}")
    root.write_bytes("a.bin", b"1")
    assert root.local_path == tmp_path.resolve()
    assert (tmp_path / "a.bin").read_bytes() == b"1"


def test_files_lists_only_visible_parts(tmp_path):
    root = StorageRoot(tmp_path)
    visible = [
        "stories/story_date=2026-11-18/part-a.parquet",
        "stories/story_date=2026-11-19/part-b.parquet",
    ]
    hidden = [
        "stories/story_date=2026-11-19/.part-c.parquet",
        "stories/story_date=2026-11-19/_common_metadata.parquet",
        "stories/_tmp/part-d.parquet",
        "stories/.staging/part-e.parquet",
        "stories/story_date=2026-11-19/notes.txt",
        "signatures/story_date=2026-11-19/part-f.parquet",  # another dataset
    ]
    for relpath in visible + hidden:
        root.write_bytes(relpath, b"x")
    # A temporary name exactly as an interrupted write would leave it.
    target = tmp_path / "stories" / "story_date=2026-11-18" / "part-z.parquet"
    (target.parent / f".{target.name}.tmp-123-deadbeef").write_bytes(b"half")

    assert root.files("stories") == visible
    assert root.files("stories", suffix=".txt") == ["stories/story_date=2026-11-19/notes.txt"]
    assert root.files("absent") == []


def test_write_parquet_is_zstd_and_keeps_metadata(tmp_path):
    root = StorageRoot(tmp_path)
    table = pa.table({"story_id": ["a", "b"], "n": pa.array([1, 2], pa.int64())})

    root.write_parquet("x/part.parquet", table, metadata={"wiredup.note": "yes"})

    path = tmp_path / "x" / "part.parquet"
    meta = pq.ParquetFile(path).metadata
    for i in range(meta.num_columns):
        assert meta.row_group(0).column(i).compression == "ZSTD"
    assert pq.read_table(path).equals(table)
    assert pq.read_schema(path).metadata[b"wiredup.note"] == b"yes"
    assert _tree(tmp_path) == ["x/part.parquet"]
