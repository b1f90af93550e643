"""Disk faults while writing: the root's filesystem fills up, or goes read-only, mid-run.

The root lives on a small tmpfs mounted for the test. A run of `wiredup` (a real process,
tests/reliability/crashrun.py) meets the fault just before a chosen write step: the disk is
filled to the last byte, or remounted read-only, under the running process. Then:

- the run fails with a clear message naming the cause (status 1), or, when the fault hit only
  what comes after the data (a cursor, the lock's release), finishes with its data durable;
- cursors never move ahead of the data, nothing partial is visible, and no temporary file is
  left behind by a write that failed;
- once the fault clears, the next run stores exactly the stories of a clean run, each once.

Mounting needs root (CAP_SYS_ADMIN): elsewhere the tests skip and say so.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import StorageRoot
from storage.compaction import compact
from tests.reliability.checks import Snapshot, snapshot
from tests.reliability.feeds import Feeds, serve_feeds
from tests.reliability.figures import record
from tests.reliability.zygote import Zygotes
from tests.wire_server import WireServer

#: The first write of each kind of file a run makes: where a fault is injected.
FAULT_KINDS = (
    "put signatures/",
    "put kills/",
    "put stories/",
    "rename stories/",
    "put quarantine/",
    "put rejects/",
    "put runs/",
    "put state/cursors/",
    "delete state/lock.json",
)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 32 MiB tmpfs mounted for the test."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m", f"wiredup-{uuid.uuid4().hex[:8]}", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _points(steps: list[tuple[int, str]]) -> list[tuple[int, str]]:
    picked = []
    for kind in FAULT_KINDS:
        first = next(((n, p) for n, p in steps if p.startswith(kind)), None)
        if first is not None:
            picked.append(first)
    return picked


def _check_after_fault(
    state: Snapshot, reference: Snapshot, where: str, temporary_allowed: bool, runs_before: int
) -> None:
    expected = set(reference.stored())
    assert state.duplicated() == 0, where
    assert set(state.stored()) <= expected, where
    stored = set(state.stored())
    for source in state.cursors:
        assert {k for k in expected if k[0] == source} <= stored, f"{where}: cursor ahead"
    if state.completed_runs() > runs_before:
        assert stored == expected, f"{where}: a completed run row before its stories"
    temporary = [h for h in state.hidden if ".tmp-" in h]
    # A failed write removes its temporary file, except where the filesystem forbids even
    # that (read-only, with the file already written): maintenance removes it later.
    assert temporary_allowed or not temporary, f"{where}: a failed write left {temporary}"


def _campaign(
    zygotes: Zygotes, feeds: Feeds, mount: Path, work: Path, fault: str
) -> tuple[int, list[str]]:
    z = zygotes.all[0]
    argv = ["run", "--sources", str(feeds.sources_file), "--no-report"]
    # A root where one source already has a cursor: a failed run must leave it as it was.
    seeded = mount / "seeded"
    ended, _, output = z.run(
        [*argv, "--root", str(seeded), "--source", "wire-rss"], work / "seeded"
    )
    assert ended == {"exit": 0}, output
    cursor = seeded / "state" / "cursors" / "wire-rss.json"
    before = cursor.read_bytes()
    shutil.copytree(seeded, mount / "reference")
    ended, steps, output = z.run([*argv, "--root", str(mount / "reference")], work / "reference")
    assert ended == {"exit": 0}, output
    reference = snapshot(StorageRoot(mount / "reference"))
    points = _points(steps)
    assert len(points) == len(FAULT_KINDS), steps
    messages = []
    for number, point in points:
        where = f"{fault} before step {number} ({point})"
        root = mount / f"at-{number}"
        shutil.copytree(seeded, root)
        ballast = mount / "ballast"
        if fault == "disk full":
            command = ["sh", "-c", f"cat /dev/zero > {ballast} 2>/dev/null; true"]
        else:
            command = ["mount", "-o", "remount,ro", str(mount)]
        ended, _, output = z.run(
            [*argv, "--root", str(root)], work / f"at-{number}", fault_at=number, fault=command
        )
        # The fault clears: space freed, or the filesystem writable again.
        if fault == "disk full":
            ballast.unlink()
        else:
            subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
        if ended == {"exit": 1}:
            cause = "No space left on device" if fault == "disk full" else "Read-only file system"
            lines = [line for line in output.splitlines() if line.startswith("wiredup: ")]
            assert lines and cause in lines[-1], f"{where}: no clear error:\n{output}"
            messages.append(lines[-1])
            # Cursors unchanged: the one there is byte for byte the same, no other appeared.
            cursors = root / "state" / "cursors"
            assert sorted(p.name for p in cursors.iterdir()) == ["wire-rss.json"], where
            assert (cursors / "wire-rss.json").read_bytes() == before, where
        else:
            assert ended == {"exit": 0}, f"{where}: {ended}\n{output}"
        _check_after_fault(
            snapshot(StorageRoot(root)),
            reference,
            where,
            temporary_allowed=fault == "read-only" and point.startswith("rename"),
            runs_before=1,
        )
        ended, _, output = z.run([*argv, "--root", str(root)], work / f"rerun-{number}")
        assert ended == {"exit": 0}, f"{where}: the run after the fault failed:\n{output}"
        state = snapshot(StorageRoot(root))
        assert state.duplicated() == 0 and set(state.stored()) == set(reference.stored()), where
        assert state.clusters() == reference.clusters(), where
        assert set(state.cursors) == set(feeds.http_sources), where
        compact(StorageRoot(root), min_files=10_000, leftover_age_seconds=0)
        assert not snapshot(StorageRoot(root)).hidden, where
    return len(points), messages


@pytest.mark.parametrize(
    ("fault", "label"),
    [
        ("disk full", "disk full mid-run (tmpfs filled before a write)"),
        ("read-only", "root remounted read-only mid-run"),
    ],
)
def test_a_disk_fault_mid_run_fails_clearly_and_the_next_run_recovers(
    zygotes: Zygotes,
    wire_server: WireServer,
    tmpfs: Path,
    tmp_path: Path,
    fault: str,
    label: str,
) -> None:
    feeds = serve_feeds(wire_server, f"/{fault.replace(' ', '-')}", tmp_path / "conf", samples=2)
    injected, messages = _campaign(zygotes, feeds, tmpfs, tmp_path / "work", fault)
    assert messages, "no fault made a run fail: the faults did not reach the writes"
    record(
        "faults",
        label,
        injected,
        "faults",
        note=f"{len(messages)} runs failed with a clear error, the rest kept their data; "
        "every next run recovered, 0 lost, 0 duplicated",
    )
