"""Concurrency: two ingests started at once on one root, and an ingest during a compaction.

Real `wiredup` processes started together (forked by tests/reliability/crashrun.py at the same
moment) against one storage root: the writer lock lets one through; the other waits and then
finds everything already stored, or exits with status 3 and names the holder. Either way every
(source, item_id, version) is stored once.

So that "at once" holds on a loaded machine too, each process pauses right after taking the
lock, before its first write (a slow disk), until the other one has met the lock (it says it
waits or that the lock is held) or has finished: whichever gets the lock first still holds it
when the other one asks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from storage import StorageRoot
from tests.reliability.checks import snapshot
from tests.reliability.feeds import serve_feeds
from tests.reliability.figures import record
from tests.reliability.zygote import Zygote, Zygotes
from tests.wire_server import WireServer

#: What a process says once it has met the lock, or once it is done.
_MET = "waiting for the lock\\|holds the lock\\|Finished in state"


def _hold_until(other: Path) -> dict[str, Any]:
    """Pause at step 2 (the first write after taking the lock, step 1) until ``other``'s
    output shows it met the lock or finished (60 s at most)."""
    wait = f"until grep -q '{_MET}' '{other}' 2>/dev/null; do sleep 0.1; done"
    return {"fault_at": 2, "fault": ["timeout", "60", "sh", "-c", wait]}


def _count(root: Path) -> tuple[int, int]:
    glob = str(root / "stories" / "**" / "*.parquet")
    row = duckdb.sql(
        "select count(*), count(distinct (source, item_id, version)) "
        f"from read_parquet('{glob}', hive_partitioning = true)"
    ).fetchall()[0]
    return int(row[0]), int(row[1])


def _two_at_once(
    zygotes: Zygotes, wire_server: WireServer, tmp_path: Path, extra: list[str]
) -> tuple[Path, list[str], list[tuple[dict[str, int], str]]]:
    """Two identical ingests started together on one root: their ends and outputs."""
    feeds = serve_feeds(wire_server, f"/together-{tmp_path.name}", tmp_path, samples=3)
    root = tmp_path / "data"
    argv = ["run", "--sources", str(feeds.sources_file), "--root", str(root), "--no-report"]

    other = {"first": "second", "second": "first"}

    def run(z: Zygote, name: str) -> tuple[dict[str, int], str]:
        hold = _hold_until(tmp_path / other[name] / "output.txt")
        ended, _, output = z.run([*argv, *extra], tmp_path / name, **hold)
        return ended, output

    return root, argv, zygotes.map(run, ["first", "second"])


def _stored_once(root: Path, completed_runs: int) -> int:
    """Every story once (Wiredup's view and DuckDB's), the runs completed, the lock gone."""
    state = snapshot(StorageRoot(root))
    assert state.duplicated() == 0 and not state.lock
    assert state.completed_runs() == completed_runs
    stored, distinct = _count(root)
    assert stored == distinct == len(state.stories) > 0
    return stored


def test_two_ingests_at_once_one_waits_and_nothing_is_stored_twice(
    zygotes: Zygotes, wire_server: WireServer, tmp_path: Path
) -> None:
    root, _, outcomes = _two_at_once(zygotes, wire_server, tmp_path, ["--lock-wait", "120"])
    assert [o[0] for o in outcomes] == [{"exit": 0}, {"exit": 0}], outcomes
    outputs = [o[1] for o in outcomes]
    # One stored everything; the other waited for the lock and found it all stored.
    assert sum("waiting for the lock" in out for out in outputs) == 1, outputs
    assert sum("No new story" in out for out in outputs) == 1, outputs
    stored = _stored_once(root, completed_runs=2)
    record(
        "concurrency",
        "two ingests at once, --lock-wait 120",
        "both exit 0",
        note=f"one waited; {stored} stories stored once, 0 duplicated",
    )


def test_two_ingests_at_once_without_waiting_one_exits_3_naming_the_holder(
    zygotes: Zygotes, wire_server: WireServer, tmp_path: Path
) -> None:
    root, argv, outcomes = _two_at_once(zygotes, wire_server, tmp_path, [])
    assert sorted(o[0]["exit"] for o in outcomes) == [0, 3], outcomes
    refused = next(out for ended, out in outcomes if ended["exit"] == 3)
    assert "wiredup: another run (run_id" in refused and "holds the lock on" in refused
    stored = _stored_once(root, completed_runs=1)
    # The refused run wrote nothing: running it again adds nothing either.
    ended, _, output = zygotes.all[0].run(argv, tmp_path / "again")
    assert ended == {"exit": 0} and "No new story" in output, output
    assert _count(root) == (stored, stored)
    record(
        "concurrency",
        "two ingests at once, no wait",
        "exit 0 and 3",
        note=f"the refused one names the holder; {stored} stories stored once",
    )


def test_an_ingest_during_a_compaction_loses_and_duplicates_nothing(
    zygotes: Zygotes, wire_server: WireServer, tmp_path: Path
) -> None:
    root = tmp_path / "data"
    # Many small parts per partition: one run per sample folder, then the http feeds.
    feeds = serve_feeds(wire_server, "/compacting", tmp_path / "all", samples=3)
    z = zygotes.all[0]
    for name in feeds.directory_sources:
        ended, _, output = z.run(
            [
                "run",
                "--sources",
                str(feeds.sources_file),
                "--source",
                name,
                "--root",
                str(root),
                "--no-report",
            ],
            tmp_path / name,
        )
        assert ended == {"exit": 0}, output
    before = snapshot(StorageRoot(root))
    parts_before = sum(f.startswith("stories/") for f in before.files)

    http_only = [arg for name in feeds.http_sources for arg in ("--source", name)]
    commands = {
        "compact": ["compact", "--root", str(root), "--min-files", "2", "--lock-wait", "120"],
        "ingest": [
            "run",
            "--sources",
            str(feeds.sources_file),
            *http_only,
            "--root",
            str(root),
            "--no-report",
            "--lock-wait",
            "120",
        ],
    }

    other = {"compact": "ingest", "ingest": "compact"}

    def run(z: Zygote, name: str) -> tuple[dict[str, int], str]:
        hold = _hold_until(tmp_path / f"together-{other[name]}" / "output.txt")
        ended, _, output = z.run(commands[name], tmp_path / f"together-{name}", **hold)
        return ended, output

    outcomes = zygotes.map(run, ["compact", "ingest"])
    assert [o[0] for o in outcomes] == [{"exit": 0}, {"exit": 0}], outcomes
    merged = re.search(r"(\d+) partition\(s\) merged", outcomes[0][1])
    assert merged and int(merged.group(1)) > 0, outcomes[0][1]
    assert sum("waiting for the lock" in out for _, out in outcomes) == 1, outcomes
    after = snapshot(StorageRoot(root))
    assert after.duplicated() == 0 and not after.lock
    fed = set(before.stored()) | {k for k in after.stored() if k[0] in feeds.http_sources}
    assert set(after.stored()) == fed
    assert {k[0] for k in after.stored()} >= set(feeds.http_sources)
    stored, distinct = _count(root)
    assert stored == distinct == len(fed)
    parts_after = sum(f.startswith("stories/") for f in after.files)
    record(
        "concurrency",
        "ingest during a compaction",
        "both exit 0",
        note=f"{stored} stories stored once; story parts {parts_before} before, "
        f"{parts_after} after",
    )
