"""Crash consistency: `wiredup run` SIGKILLed at every write step, then run again.

A reference run on an empty root numbers every step that changes the root (each Parquet part
put and renamed, each signature, kill, reject and quarantine file, the runs row, each cursor,
the report, the lock; see tests/reliability/crashrun.py). Then, for every step N in turn, a
fresh root gets a run that kills itself just before step N, and:

- right after the kill, whatever is visible is whole and consistent: every ``*.parquet`` a
  glob picks up reads, no (source, item_id, version) is stored twice, every stored story has
  its signature, a canceled story its kill, and neither a cursor nor a completed run row is
  visible before all the stories it covers;
- a plain rerun then exits 0 and leaves exactly the stories of the reference run, each once,
  in the same clusters, with the cursors written and the lock released.

The same campaign runs on a local root and on an S3 root (a real S3-compatible server on
loopback).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from flows.roots import open_root
from storage import StorageRoot
from storage.compaction import compact
from tests.conftest import PROJECT
from tests.reliability.checks import Snapshot, snapshot
from tests.reliability.feeds import FEED_ITEMS, Feeds, serve_feeds
from tests.reliability.figures import record
from tests.reliability.zygote import Zygote, Zygotes
from tests.s3_server import S3Server, s3_fixture
from tests.wire_server import WireServer

s3_server_fixture = s3_fixture


#: Kill points the campaign must reach on a local root (the issue asks for at least 20).
MIN_LOCAL_POINTS = 20


def _check_crashed(state: Snapshot, reference: Snapshot, feeds: Feeds, point: str) -> None:
    """What may be visible right after a kill: whole, never duplicated, never ahead."""
    assert state.duplicated() == 0, f"after a kill at {point}: a story is stored twice"
    stored = set(state.stored())
    expected = set(reference.stored())
    assert stored <= expected, f"after a kill at {point}: unexpected stories {stored - expected}"
    ids = {r["story_id"] for r in state.stories}
    assert ids <= state.signature_ids, f"after a kill at {point}: a story without its signature"
    canceled = {r["story_id"] for r in reference.stories} & set(reference.kill_ids)
    assert canceled & ids <= state.kill_ids, f"after a kill at {point}: a kill is missing"
    for source, _ in state.cursors.items():
        theirs = {k for k in expected if k[0] == source}
        assert theirs <= stored, f"after a kill at {point}: the cursor of {source} is ahead"
    if state.completed_runs():
        assert stored == expected, f"after a kill at {point}: run row before its stories"


def _check_recovered(state: Snapshot, reference: Snapshot, feeds: Feeds, point: str) -> None:
    expected = set(reference.stored())
    assert state.duplicated() == 0, f"kill at {point}, rerun: a story is stored twice"
    lost = expected - set(state.stored())
    assert state.lost(expected) == 0, f"kill at {point}, rerun: lost {lost}"
    assert set(state.stored()) == expected
    assert state.clusters() == reference.clusters(), f"kill at {point}, rerun: other clusters"
    assert set(state.cursors) == set(feeds.http_sources), f"kill at {point}: cursors missing"
    for name, cursor in state.cursors.items():
        assert cursor.get("etag") == reference.cursors[name].get("etag"), (
            f"kill at {point}: cursor of {name} differs from a clean run's"
        )
    assert not state.lock, f"kill at {point}: the rerun left the lock behind"
    assert state.completed_runs() >= 1


def _campaign(
    zygotes: Zygotes,
    feeds: Feeds,
    work: Path,
    root_for: Callable[[str], tuple[str, StorageRoot]],
    env: dict[str, str],
    label: str,
) -> dict[str, Any]:
    # No HTML report: it is drawn from the data, rewritten by every run, never read back.
    argv = ["run", "--sources", str(feeds.sources_file), "--no-report"]
    uri, root = root_for("reference")
    ended, steps, output = zygotes.all[0].run([*argv, "--root", uri], work / "reference", env=env)
    assert ended == {"exit": 0}, output
    reference = snapshot(root)
    assert set(reference.stored()) >= {(i.source, i.item_id, i.version) for i in FEED_ITEMS}
    assert reference.duplicated() == 0 and reference.kill_ids
    expected = set(reference.stored())

    def kill_and_rerun(z: Zygote, step: tuple[int, str]) -> tuple[int, int]:
        number, point = step
        where = f"step {number} ({point})"
        uri, root = root_for(f"kill-{number}")
        ended, _, output = z.run(
            [*argv, "--root", uri], work / f"kill-{number}", kill_at=number, env=env
        )
        assert ended == {"signal": 9}, f"{where}: the run was not killed there:\n{output}"
        _check_crashed(snapshot(root), reference, feeds, where)
        ended, _, output = z.run([*argv, "--root", uri], work / f"rerun-{number}", env=env)
        assert ended == {"exit": 0}, f"{where}: the rerun failed:\n{output}"
        state = snapshot(root)
        found = (state.lost(expected), state.duplicated())
        _check_recovered(state, reference, feeds, where)
        if root.local_path is not None:
            # The analyst's view: DuckDB over the raw glob, no Wiredup code in between.
            glob = str(root.local_path / "stories" / "**" / "*.parquet")
            # Kills run on several threads: each reads through its own connection, since
            # DuckDB's default connection refuses a second caller instead of waiting.
            with duckdb.connect() as connection:
                counts = connection.sql(
                    f"select count(*), count(distinct (source, item_id, version)) "
                    f"from read_parquet('{glob}', hive_partitioning = true)"
                ).fetchall()[0]
            assert counts == (len(reference.stories), len(reference.stories)), where
            # A write killed before its rename leaves a temporary file that no reader sees;
            # maintenance removes it, and nothing visible changes.
            swept = compact(root, min_files=10_000, leftover_age_seconds=0).leftovers
            after = snapshot(root)
            assert not after.hidden, f"{where}: left after maintenance: {after.hidden}"
            assert after.files == state.files
            assert set(swept) == set(state.hidden)
        return found

    started = time.perf_counter()
    outcomes = zygotes.map(kill_and_rerun, steps)
    lost = sum(o[0] for o in outcomes)
    duplicated = sum(o[1] for o in outcomes)
    seconds = time.perf_counter() - started
    kinds = sorted({p.split(" ", 1)[0] for _, p in steps})
    figures = {"points": len(steps), "kinds": kinds, "lost": lost, "duplicated": duplicated}
    record(
        "crash",
        f"{label} root: kill points tried",
        len(steps),
        "points",
        note=f"{', '.join(kinds)}; {seconds:.0f} s for kills and reruns",
    )
    record("crash", f"{label} root: stories lost after rerun", lost, "stories")
    record("crash", f"{label} root: stories duplicated after rerun", duplicated, "stories")
    record(
        "crash",
        f"{label} root: stories per run",
        len(reference.stories),
        "stories",
        note=f"{len(reference.clusters())} reports, {len(feeds.http_sources)} cursors",
    )
    return figures


def test_a_run_killed_at_any_write_step_loses_and_duplicates_nothing_local(
    zygotes: Zygotes, wire_server: WireServer, tmp_path: Path
) -> None:
    feeds = serve_feeds(wire_server, "/crash-local", tmp_path)

    def local(name: str) -> tuple[str, StorageRoot]:
        path = tmp_path / name / "data"
        return str(path), StorageRoot(path)

    figures = _campaign(zygotes, feeds, tmp_path / "work", local, {}, "local")
    assert figures["points"] >= MIN_LOCAL_POINTS, figures
    assert {"put", "rename", "delete", "lock"} <= set(figures["kinds"])


def test_a_run_killed_at_any_write_step_loses_and_duplicates_nothing_s3(
    zygotes: Zygotes, wire_server: WireServer, s3_server: S3Server, tmp_path: Path
) -> None:
    feeds = serve_feeds(wire_server, "/crash-s3", tmp_path)
    bucket = s3_server.new_bucket()
    env = s3_server.environ()

    def remote(name: str) -> tuple[str, StorageRoot]:
        uri = f"s3://{bucket}/{name}"
        return uri, open_root(uri, env)

    figures = _campaign(zygotes, feeds, tmp_path / "work", remote, env, "S3")
    assert figures["points"] >= 10, figures
    assert {"put", "delete"} <= set(figures["kinds"])


def test_the_crash_server_really_kills_and_counts(zygotes: Zygotes, tmp_path: Path) -> None:
    """The harness itself: a kill point past the last step lets the run finish."""
    feeds_dir = tmp_path / "conf"
    feeds_dir.mkdir()
    conf = feeds_dir / "sources.toml"
    conf.write_text(
        f'[[source]]\nname = "wire-en"\nkind = "directory"\n'
        f'path = "{PROJECT / "samples" / "wire-en"}"\npattern = "*.txt"\nformat = "text"\n'
    )
    argv = ["run", "--sources", str(conf), "--root", str(tmp_path / "data"), "--no-report"]
    zygote = zygotes.all[0]
    ended, steps, output = zygote.run(argv, tmp_path / "a", kill_at=10_000)
    assert ended == {"exit": 0}, output
    assert steps and steps[0][1] == "lock create" and steps[-1][1] == "delete state/lock.json"
    ended, _, _ = zygote.run(argv, tmp_path / "b", kill_at=1)
    assert ended == {"signal": 9}
    assert os.path.exists(tmp_path / "data" / "state" / "lock.json") is False
