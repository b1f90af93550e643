"""Two ingest processes at once against one root: one writes, the other exits with status 3.

Real processes (``python -m flows run``). The first one reads an HTTP source that answers only
when the test lets it, so it holds the lock for as long as the test needs: no timing guess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from prefect.settings import PREFECT_API_URL

from tests.conftest import PROJECT
from tests.wire_server import Handler, WireServer

STORY = b"date 2026-11-20 Le Grand Conseil a adopte le budget 2027 par 61 voix contre 38. (ats/nxp)"


def _start(sources: Path, root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    return subprocess.Popen(
        [sys.executable, "-m", "flows", "run", "--sources", str(sources), "--root", str(root)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_ingest_exits_cleanly_while_the_first_holds_the_lock(
    wire_server: WireServer, tmp_path: Path
) -> None:
    release = threading.Event()

    def slow(handler: Handler) -> None:
        release.wait(120)
        handler.reply(200, STORY, {"Content-Type": "text/plain"})

    url = wire_server.route("/lock-test/20261120_budget.txt", slow)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "desk"\nkind = "http"\nurl = "{url}"\nformat = "text"\n'
    )
    root = tmp_path / "data"
    first = _start(sources, root)
    try:
        deadline = time.monotonic() + 120
        while not (root / "state" / "lock.json").exists():
            assert first.poll() is None, first.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.1)
        second = _start(sources, root)
        _, err = second.communicate(timeout=300)
        assert second.returncode == 3, err[-2000:]
        assert "another run (run_id" in err and f"holds the lock on {root}" in err
        assert not (root / "stories").exists()  # the first is still waiting on its source
    finally:
        release.set()
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err[-2000:]
    assert len(list((root / "stories").rglob("*.parquet"))) == 1
    assert not (root / "state" / "lock.json").exists()
