"""The storage root on a real S3-compatible server (moto, on 127.0.0.1): same API, same rules."""

from __future__ import annotations

import logging

import pytest

from dedupe import DEFAULT_MINHASH
from flows.roots import open_root
from ingest import StorageError
from record.cursor import Cursor
from record.story import RawItem, Reject
from storage import (
    RUN_SCHEMA,
    StorageRoot,
    load_window,
    read_cursor,
    read_kills,
    read_rejects,
    read_runs,
    read_stories,
    write_cursors,
    write_rejects,
    write_run,
)
from storage.compaction import compact
from storage.lock import LockHeld, RootLock
from tests.s3_server import CANARY_SECRET, S3Server, s3_fixture
from tests.storage.builders import DATES, NOW, make_stories, store, stored_indexes

s3_server_fixture = s3_fixture


@pytest.fixture
def s3_root(s3_server: S3Server) -> StorageRoot:
    bucket = s3_server.new_bucket()
    return open_root(f"s3://{bucket}/wiredup", s3_server.environ())


def test_stories_signatures_and_kills_round_trip_and_a_rerun_replaces(s3_root):
    stories = make_stories(6)
    store(s3_root, stories)
    store(s3_root, stories)  # a rerun after a crash writes the same part names again
    assert len(s3_root.files("stories")) == 1
    table = read_stories(s3_root)
    assert sorted(table["story_id"].to_pylist()) == sorted(s.story_id for s in stories)
    window = load_window(s3_root, DEFAULT_MINHASH, *DATES)
    assert len(window) == 6
    assert read_kills(s3_root).num_rows == 0
    # The rewritten part is read with its stored index, read whole from the store.
    assert [i is not None for i in stored_indexes(s3_root).values()] == [True]


def test_rejects_quarantine_runs_and_cursors(s3_root):
    raw = RawItem("wire", "bad", b"\xff\xfe junk", NOW, "/w/bad.txt")
    reject = Reject("wire", "bad", "not valid utf-8", "ab" * 32, 8, NOW, "/w/bad.txt")
    write_rejects(s3_root, [reject], "run-1", {raw.location: raw})
    rows = read_rejects(s3_root).to_pylist()
    assert [r["reason"] for r in rows] == ["not valid utf-8"]
    assert s3_root.read_bytes(rows[0]["quarantine_path"]) == raw.data
    run = {name: 0 for name in RUN_SCHEMA.names}
    run.update(run_id="run-1", flow="ingest", status="completed", started_at=NOW)
    run.update(finished_at=NOW, seconds=1.0, parameters="{}", per_source="{}", error=None)
    write_run(s3_root, run)
    assert read_runs(s3_root)["run_id"].to_pylist() == ["run-1"]
    cursor = Cursor(url="http://x/feed", etag='"v1"', last_item_time=NOW)
    write_cursors(s3_root, {"wire": cursor})
    assert read_cursor(s3_root, "wire") == cursor
    assert s3_root.exists("state/cursors/wire.json")
    s3_root.delete("state/cursors/wire.json")
    assert read_cursor(s3_root, "wire") is None


def test_compaction_on_s3_uses_tombstones_and_keeps_every_story_once(s3_root):
    stories = make_stories(5)
    for story in stories:
        store(s3_root, [story])
    assert len(s3_root.files("stories")) == 5
    report = compact(s3_root, min_files=2)
    assert {p.method for p in report.merged} == {"tombstone"}
    assert len(s3_root.files("stories")) == 1
    assert read_stories(s3_root).num_rows == 5
    assert len(load_window(s3_root, DEFAULT_MINHASH, *DATES)) == 5
    # The merged part has its index; the superseded parts' are deleted with them.
    assert [i is not None for i in stored_indexes(s3_root).values()] == [True]


def test_the_lock_on_s3_is_exclusive_and_released(s3_root):
    with (
        RootLock(s3_root, "run-a", settle_seconds=0.05),
        pytest.raises(LockHeld, match=r"run_id run-a.*holds the lock on s3://"),
    ):
        RootLock(s3_root, "run-b", settle_seconds=0.05).acquire()
    with RootLock(s3_root, "run-b", settle_seconds=0.05) as lock:
        assert lock.read() is not None and lock.read().run_id == "run-b"


def test_no_secret_in_the_uri_errors_or_logs(s3_server, caplog):
    with pytest.raises(StorageError) as caught:
        StorageRoot(f"s3://key:{CANARY_SECRET}@bucket/prefix")
    assert CANARY_SECRET not in str(caught.value)
    root = open_root("s3://no-such-bucket-here/prefix", s3_server.environ())
    assert CANARY_SECRET not in repr(root) + root.display()
    with caplog.at_level(logging.DEBUG), pytest.raises(StorageError) as caught:
        root.write_bytes("state/x.json", b"{}")
    assert CANARY_SECRET not in str(caught.value)
    assert CANARY_SECRET not in caplog.text
