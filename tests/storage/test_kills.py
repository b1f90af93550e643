"""``kills/``: a canceled version withdraws every version of its item from the window,
whichever order the versions arrive in; stored records never change."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from dedupe import DEFAULT_MINHASH
from ingest import RawItem, Story, make_story_id, prepare
from record import StoryBatch
from storage import (
    StorageRoot,
    kill_rows,
    killed_items,
    load_window,
    read_kills,
    read_stories,
    write_kills,
)
from tests.storage.builders import DATES, NOW, store

TEXTS = {
    "flood": "Heavy rain flooded the lower town overnight and the river rose above its banks, "
    "forcing the evacuation of two hundred homes near the old bridge. (Reuters)",
    "match": "Servette a battu Lugano 3-1 samedi au Stade de Genève et conforte sa place en tête "
    "du championnat de Super League. (ats/nxp)",
}


@pytest.fixture(scope="module")
def base() -> dict[str, Story]:
    raws = [
        RawItem("wire", item, f" date 2026-11-20 {text}".encode(), NOW, f"/w/{item}.txt")
        for item, text in TEXTS.items()
    ]
    stories, rejects = prepare(raws)
    assert rejects == []
    return {s.item_id: s for s in stories}


def _version(story: Story, version: int, pubstatus: str) -> Story:
    return dataclasses.replace(
        story,
        story_id=make_story_id(story.source, story.item_id, version),
        version=version,
        pubstatus=pubstatus,
    )


def _window_items(root: StorageRoot) -> set[tuple[str, int]]:
    ids = set(load_window(root, DEFAULT_MINHASH, *DATES).story_ids.to_pylist())
    rows = read_stories(root, ["story_id", "item_id", "version"]).to_pylist()
    return {(r["item_id"], r["version"]) for r in rows if r["story_id"] in ids}


@pytest.mark.parametrize("order", ["usable-first", "kill-first"])
def test_a_kill_withdraws_every_version_whichever_order(tmp_path, base, order):
    root = StorageRoot(tmp_path / "data")
    usable = _version(base["flood"], 1, "usable")
    kill = _version(base["flood"], 2, "canceled")
    first, second = (usable, kill) if order == "usable-first" else (kill, usable)
    store(root, [first, base["match"]], "run-1")
    store(root, [second], "run-2")

    assert killed_items(root) == {("wire", "flood")}
    assert _window_items(root) == {("match", 1)}
    # Both versions are stored, as they came: records are never rewritten.
    stored = read_stories(root, ["item_id", "version", "pubstatus"]).to_pylist()
    assert sorted((r["item_id"], r["version"], r["pubstatus"]) for r in stored) == [
        ("flood", 1, "usable"),
        ("flood", 2, "canceled"),
        ("match", 1, "usable"),
    ]
    (row,) = read_kills(root).to_pylist()
    assert (row["source"], row["item_id"], row["version"]) == ("wire", "flood", 2)
    assert row["killed_by"] == kill.story_id


def test_without_a_kill_every_version_stays_in_the_window(tmp_path, base):
    root = StorageRoot(tmp_path / "data")
    store(root, [_version(base["flood"], 1, "usable"), base["match"]], "run-1")
    store(root, [_version(base["flood"], 2, "usable")], "run-2")
    assert killed_items(root) == set()
    assert _window_items(root) == {("flood", 1), ("flood", 2), ("match", 1)}


def test_writing_the_same_kills_again_replaces_the_part(tmp_path, base):
    root = StorageRoot(tmp_path / "data")
    rows = kill_rows(
        StoryBatch.of([_version(base["flood"], 2, "canceled"), base["match"]]), "run-1", NOW
    )
    assert len(rows) == 1  # only the canceled story is a kill
    assert write_kills(root, rows) == write_kills(root, rows)
    assert len(root.files("kills")) == 1 and read_kills(root).num_rows == 1
    assert write_kills(root, rows.slice(0, 0)) == []


def test_the_readme_anti_join_leaves_killed_items_out(tmp_path, base):
    root = StorageRoot(tmp_path / "data")
    store(root, [_version(base["flood"], 1, "usable"), base["match"]], "run-1")
    store(root, [_version(base["flood"], 2, "canceled")], "run-2")
    data = tmp_path / "data"
    rows = duckdb.sql(
        f"""
        SELECT s.item_id, s.version
        FROM read_parquet('{data}/stories/**/*.parquet', hive_partitioning = true) AS s
        ANTI JOIN read_parquet('{data}/kills/*.parquet') AS k
          ON s.source = k.source AND s.item_id = k.item_id
        """
    ).fetchall()
    assert rows == [("match", 1)]
