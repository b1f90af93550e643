"""A local directory as a source: real files in tmp_path, real symlinks and permissions."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest import ConfigError, Source, read_directory, sha256_hex
from ingest.directory import MAX_FILE_BYTES

NOW = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)


def _source(path: Path, **kw) -> Source:
    return Source(name="agence-fr", kind="directory", path=path, **kw)


def _put(folder: Path, name: str, text: str = "") -> Path:
    path = folder / name
    path.write_text(text or f" date 2026-11-24 Dépêche {name}. (ats)", encoding="utf-8")
    return path


def test_reads_files_in_name_order_with_stem_as_item_id(tmp_path):
    for name in ["c_meteo.txt", "a_greve.txt", "b_budget.txt"]:
        _put(tmp_path, name, f" date 2026-11-24 Texte de {name}.")

    items, rejects = read_directory(_source(tmp_path), now=NOW)

    assert rejects == []
    assert [i.item_id for i in items] == ["a_greve", "b_budget", "c_meteo"]
    first = items[0]
    assert first.data == (tmp_path / "a_greve.txt").read_bytes()
    assert first.source == "agence-fr"
    assert first.location == str(tmp_path / "a_greve.txt")
    assert first.fetched_at == NOW


def test_source_format_and_encoding_travel_with_each_item(tmp_path):
    _put(tmp_path, "a.txt")
    items, _ = read_directory(_source(tmp_path, format="text", encoding="latin-1"), now=NOW)
    assert (items[0].format, items[0].encoding) == ("text", "latin-1")


def test_pattern_is_honoured(tmp_path):
    _put(tmp_path, "a.txt")
    _put(tmp_path, "b.xml")
    _put(tmp_path, "c.txt")
    items, rejects = read_directory(_source(tmp_path, pattern="*.txt"), now=NOW)
    assert [i.item_id for i in items] == ["a", "c"]
    assert rejects == []


def test_dot_and_underscore_files_and_subdirectories_are_skipped(tmp_path):
    _put(tmp_path, ".hidden.txt")
    _put(tmp_path, "_partial.txt")
    _put(tmp_path, "visible.txt")
    (tmp_path / "sub.txt").mkdir()  # matched by the pattern, but not a file
    items, rejects = read_directory(_source(tmp_path, pattern="*.txt"), now=NOW)
    assert [i.item_id for i in items] == ["visible"]
    assert rejects == []


def test_symlink_inside_the_directory_is_read(tmp_path):
    target = _put(tmp_path, "a.txt")
    (tmp_path / "b.txt").symlink_to(target)
    items, rejects = read_directory(_source(tmp_path), now=NOW)
    assert [i.item_id for i in items] == ["a", "b"]
    assert items[1].data == target.read_bytes()
    assert rejects == []


def test_symlink_leading_outside_becomes_a_reject_and_is_not_read(tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(" date 2026-11-24 Ne doit jamais être lu.", encoding="utf-8")
    (feed / "escape.txt").symlink_to(secret)
    _put(feed, "normal.txt")

    items, rejects = read_directory(_source(feed), now=NOW)

    assert [i.item_id for i in items] == ["normal"]
    assert all(secret.read_bytes() != i.data for i in items)
    [reject] = rejects
    assert reject.item_id == "escape"
    assert reject.source == "agence-fr"
    assert "outside" in reject.reason
    assert reject.sha256 is None  # the bytes were never read
    assert reject.size == 0
    assert reject.location == str(feed / "escape.txt")
    assert reject.fetched_at == NOW


def test_unreadable_file_becomes_a_reject(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: root can read a chmod 000 file")
    locked = _put(tmp_path, "locked.txt")
    _put(tmp_path, "open.txt")
    locked.chmod(0)
    try:
        items, rejects = read_directory(_source(tmp_path), now=NOW)
    finally:
        locked.chmod(0o644)
    assert [i.item_id for i in items] == ["open"]
    [reject] = rejects
    assert reject.item_id == "locked"
    assert reject.reason.startswith("unreadable")
    assert reject.sha256 is None


def test_file_over_the_size_cap_becomes_a_reject_unread(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as out:  # sparse: costs no disk and no time
        out.truncate(MAX_FILE_BYTES + 1)
    small = _put(tmp_path, "small.txt")
    items, rejects = read_directory(_source(tmp_path), now=NOW)
    assert [(i.item_id, sha256_hex(i.data)) for i in items] == [
        ("small", sha256_hex(small.read_bytes()))
    ]
    [reject] = rejects
    assert reject.item_id == "huge"
    assert str(MAX_FILE_BYTES) in reject.reason


def test_missing_directory_raises_config_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        read_directory(_source(tmp_path / "absent"), now=NOW)
    assert info.value.source == "agence-fr"
    assert info.value.field == "path"
    assert "absent" in str(info.value)


def test_a_file_as_path_raises_config_error(tmp_path):
    with pytest.raises(ConfigError):
        read_directory(_source(_put(tmp_path, "a.txt")), now=NOW)


def test_source_without_path_raises_config_error():
    with pytest.raises(ConfigError) as info:
        read_directory(Source(name="wire", kind="directory"), now=NOW)
    assert info.value.field == "path"
