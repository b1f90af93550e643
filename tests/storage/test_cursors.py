"""Cursors under the storage root: written atomically, read back equal, unreadable -> absent."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from record.cursor import Cursor
from record.errors import StorageError
from storage import StorageRoot, cursor_path, read_cursor, write_cursors

CURSOR = Cursor(
    url="https://wire.example.org/feed",
    etag='"abc"',
    last_modified="Tue, 24 Nov 2026 10:00:00 GMT",
    last_item_time=datetime(2026, 11, 24, 9, 59, tzinfo=UTC),
    updated_at=datetime(2026, 11, 24, 10, 1, tzinfo=UTC),
    run_id="run-1",
)


def test_round_trip_under_state_cursors(tmp_path):
    root = StorageRoot(tmp_path / "data")
    assert read_cursor(root, "wire") is None
    assert write_cursors(root, {"wire": CURSOR}) == ["state/cursors/wire.json"]
    assert read_cursor(root, "wire") == CURSOR
    assert sorted(p.name for p in (tmp_path / "data" / "state" / "cursors").iterdir()) == [
        "wire.json"
    ]  # no temporary file left beside it


def test_validators_belong_to_their_url():
    assert CURSOR.validators_for("https://wire.example.org/feed") == ('"abc"', CURSOR.last_modified)
    assert CURSOR.validators_for("https://wire.example.org/other") == (None, None)


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b'{"format": 99}', b'{"format": 1, "etag": 3}']
)
def test_an_unreadable_cursor_is_treated_as_absent(tmp_path, content, caplog):
    root = StorageRoot(tmp_path / "data")
    root.write_bytes(cursor_path("wire"), content)
    assert read_cursor(root, "wire") is None
    assert "cursor of source wire ignored" in caplog.text


def test_source_names_cannot_escape_the_cursor_folder():
    for name in ("", "..", "a/b", "a\\b"):
        with pytest.raises(ValueError):
            cursor_path(name)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_failed_write_leaves_the_old_cursor(tmp_path):
    root = StorageRoot(tmp_path / "data")
    write_cursors(root, {"wire": CURSOR})
    folder = tmp_path / "data" / "state" / "cursors"
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            write_cursors(root, {"wire": Cursor(url="https://elsewhere.example.org/")})
    finally:
        folder.chmod(0o700)
    assert read_cursor(root, "wire") == CURSOR
