"""The end-to-end helpers: the command line in a subprocess, and the shared Prefect server.

The ``prefect_server`` fixture itself is in tests/conftest.py (tests/prefect_server.py), so the
end-to-end and the reliability tests share one server per session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT
from tests.prefect_server import BIN, POOL, PREFECT, Server


def wiredup(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`python -m flows ARGS` in the project folder, with Prefect's temporary server in ``home``."""
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # A loaded CI machine can take longer than the default 20 s to start the temporary
        # server; the flow tests' harness allows 120 s too.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flows", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


__all__ = ["BIN", "POOL", "PREFECT", "Server", "wiredup"]
