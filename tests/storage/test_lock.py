"""The writer lock under the storage root: one holder, a clear refusal, stale takeover."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

from storage import StorageRoot
from storage.lock import LOCK, LockHeld, LockInfo, RootLock


def test_a_second_lock_is_refused_naming_the_holder(tmp_path):
    root = StorageRoot(tmp_path / "data")
    with RootLock(root, "run-a"):
        held = json.loads(root.read_bytes(LOCK))
        assert held["run_id"] == "run-a" and held["pid"] > 0 and held["host"]
        with pytest.raises(LockHeld) as caught:
            RootLock(root, "run-b").acquire()
        message = str(caught.value)
        assert "another run (run_id run-a" in message
        assert f"holds the lock on {root.display()}" in message
        assert held["acquired_at"] in message
    assert not root.exists(LOCK)
    # Released: the next run gets it.
    with RootLock(root, "run-b"):
        assert json.loads(root.read_bytes(LOCK))["run_id"] == "run-b"


def test_a_waiting_run_gets_the_lock_once_it_is_released(tmp_path):
    root = StorageRoot(tmp_path / "data")
    first = RootLock(root, "run-a")
    first.acquire()
    waiting = RootLock(root, "run-b", wait_seconds=60, poll_seconds=0.05)
    got = threading.Event()

    def wait_for_it() -> None:
        waiting.acquire()
        got.set()

    thread = threading.Thread(target=wait_for_it)
    thread.start()
    assert not got.is_set() or first.read() is None
    first.release()
    thread.join(60)
    assert got.is_set()
    assert waiting.read() is not None and waiting.read().run_id == "run-b"
    waiting.release()


def test_an_expired_lock_is_taken_over_and_reported(tmp_path, caplog):
    root = StorageRoot(tmp_path / "data")
    past = datetime(2026, 11, 24, tzinfo=UTC)
    crashed = LockInfo(
        run_id="crashed-run",
        purpose="ingest",
        host="elsewhere",
        pid=4242,
        token="t-crashed",
        acquired_at=past.isoformat(),
        expires_at=(past + timedelta(seconds=120)).isoformat(),
    )
    root.write_bytes(LOCK, crashed.to_bytes())
    lock = RootLock(root, "run-new")
    with caplog.at_level("WARNING", logger="storage.lock"), lock:
        assert lock.took_over == crashed
        assert json.loads(root.read_bytes(LOCK))["run_id"] == "run-new"
    assert "took over the lock" in caplog.text and "crashed-run" in caplog.text


def test_a_live_lock_is_not_taken_over(tmp_path):
    root = StorageRoot(tmp_path / "data")
    now = datetime.now(UTC)
    live = LockInfo(
        "live-run", "ingest", "h", 1, "t", now.isoformat(), (now + timedelta(hours=1)).isoformat()
    )
    root.write_bytes(LOCK, live.to_bytes())
    with pytest.raises(LockHeld, match="live-run"):
        RootLock(root, "run-new").acquire()
    assert json.loads(root.read_bytes(LOCK))["run_id"] == "live-run"


def test_only_one_of_many_racing_threads_gets_the_lock(tmp_path):
    root = StorageRoot(tmp_path / "data")
    barrier = threading.Barrier(8)
    winners: list[str] = []
    locks = [RootLock(root, f"run-{i}") for i in range(8)]

    def race(lock: RootLock) -> None:
        barrier.wait()
        try:
            lock.acquire()
        except LockHeld:
            return
        winners.append(lock.run_id)

    threads = [threading.Thread(target=race, args=(lock,)) for lock in locks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1
    assert json.loads(root.read_bytes(LOCK))["run_id"] == winners[0]
    for lock in locks:
        lock.release()
    assert not root.exists(LOCK)


def test_the_holder_renews_its_lease(tmp_path):
    root = StorageRoot(tmp_path / "data")
    lock = RootLock(root, "run-a", lease_seconds=0.3)
    with lock:
        first = json.loads(root.read_bytes(LOCK))["expires_at"]
        renewed = threading.Event()
        for _ in range(200):
            if json.loads(root.read_bytes(LOCK))["expires_at"] != first:
                renewed.set()
                break
            renewed.wait(0.05)
        assert renewed.is_set()


def _lease_of(pid: int, host: str) -> LockInfo:
    now = datetime.now(UTC)
    return LockInfo(
        run_id="killed-run",
        purpose="ingest",
        host=host,
        pid=pid,
        token="k" * 32,
        acquired_at=now.isoformat(),
        expires_at=(now + timedelta(hours=1)).isoformat(),
    )


def test_a_live_lease_of_a_process_gone_on_this_host_is_taken_over_at_once(tmp_path, caplog):
    import socket
    import subprocess
    import sys

    # A process that existed and is gone: its pid is free (until reused by another program).
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(gone.stdout)
    root = StorageRoot(tmp_path / "data")
    root.write_bytes(LOCK, _lease_of(pid, socket.gethostname()).to_bytes())
    caplog.set_level("WARNING")
    with RootLock(root, "rerun") as lock:
        assert lock.took_over is not None and lock.took_over.run_id == "killed-run"
        assert json.loads(root.read_bytes(LOCK))["run_id"] == "rerun"
    assert "is no longer running" in caplog.text


def test_a_live_lease_of_a_running_process_or_another_host_is_not_taken_over(tmp_path):
    import socket
    import subprocess
    import sys

    root = StorageRoot(tmp_path / "data")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for lease in (
            _lease_of(sleeper.pid, socket.gethostname()),
            _lease_of(2**22 + 17, "another-host"),  # no such pid here, but not our host
        ):
            root.write_bytes(LOCK, lease.to_bytes())
            with pytest.raises(LockHeld):
                RootLock(root, "rerun").acquire()
    finally:
        sleeper.kill()
        sleeper.wait()
