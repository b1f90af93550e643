"""A real `prefect server` on loopback, shared by every test that needs one.

Temporary PREFECT_HOME, analytics off, the scheduler off (a scheduled ingest must never write
the clone's ./data during a test), the `wiredup` process pool, and `prefect deploy --all` from
the project folder. The session fixture ``prefect_server`` in tests/conftest.py starts it once.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

PROJECT = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent
PREFECT = BIN / "prefect"
POOL = "wiredup"


@dataclass(frozen=True)
class Server:
    api: str
    env: dict[str, str]
    root: Path

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a command in the project folder against this server; fail with its output."""
        done = subprocess.run(
            args,
            cwd=PROJECT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return httpx.request(method, f"{self.api}{path}", json=body, timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_healthy(api: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prefect server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail(f"prefect server not healthy within 60 s:\n{log.read_text()}")


def start_prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `prefect server` on 127.0.0.1 with the project's deployments, for the session."""
    base = tmp_path_factory.mktemp("deployments")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PREFECT_HOME": str(base / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_CLI_PROMPT": "false",
        # The scheduled ingest must not fire during the test: its runs would write ./data.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    log = base / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            cwd=base,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        _wait_healthy(api, process, log)
        running = Server(api=api, env=env, root=base / "data")
        running.cli(str(PREFECT), "work-pool", "create", POOL, "--type", "process")
        running.cli(str(PREFECT), "deploy", "--all", "--no-prompt")
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
