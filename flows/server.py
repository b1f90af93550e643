"""The command line's temporary Prefect server, started first and waited for last.

Without an API URL, Prefect starts a temporary server when the flow is called: it imports the
server's modules into the command's process (about 3 s) and then waits for a subprocess that
imports them again (5-8 s), all before the first payload is read. The command line starts the
same subprocess (the same command and environment as Prefect's ``SubprocessASGIServer``) as
its very first step instead, so the server starts while the command imports the pipeline and
parses its options, and the command's process never imports the server. The flow then runs
against it through ``temporary_settings`` (``PREFECT_API_URL``), and the command stops it at
the end, after ``flows.settle`` has let it record the run.

Where an API URL is configured (environment or profile) no server is started: the run goes
to that server, as Prefect itself does. Where ephemeral mode is disabled the command leaves
it to Prefect, which says what to do.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["TemporaryServer"]

#: Prefect's own setting for how long a temporary server may take to start (its default: 20).
_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
_DEFAULT_TIMEOUT = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _prefect_dir() -> str:
    # The folder that holds the prefect package, found without importing it.
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("prefect is not installed")
    return str(Path(spec.origin).parent.parent)


class TemporaryServer:
    """A Prefect API server on 127.0.0.1 for the length of one command."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.port = port

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @classmethod
    def start_early(cls) -> TemporaryServer | None:
        """Start the server now unless ``PREFECT_API_URL`` is set in the environment.

        A profile can set the URL too; ``adopt`` checks that once Prefect's settings are
        loaded and stops this server where it is not wanted.
        """
        if os.environ.get("PREFECT_API_URL"):
            return None
        port = _free_port()
        env = {
            **os.environ,
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", _prefect_dir(),
            "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)
        server = cls(process, port)
        # Stopped at exit, as Prefect stops its own: after the hooks registered later, which
        # send what Prefect's client still buffers (logs, events).
        atexit.register(server.stop)
        return server

    def adopt(self) -> bool:
        """Whether the flow should run against this server; stops it where not.

        Not where the active Prefect profile names an API URL or disallows ephemeral mode.
        """
        from prefect.settings import get_current_settings

        settings = get_current_settings()
        if settings.api.url or not settings.server.ephemeral.enabled:
            self.stop()
            return False
        return True

    def wait_ready(self) -> None:
        """Block until the server answers its health check; a clear error where it never does."""
        import httpx

        timeout = float(os.environ.get(_TIMEOUT_SETTING) or _DEFAULT_TIMEOUT)
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        "the temporary Prefect server exited with status "
                        f"{self.process.returncode} before it was ready"
                    )
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise RuntimeError(
            f"the temporary Prefect server did not start within {timeout:.0f} s "
            f"(raise {_TIMEOUT_SETTING}, or set PREFECT_API_URL to a running server)"
        )

    def stop(self) -> None:
        """Stop the server (a few seconds at most)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
