"""The reliability campaign: crashes, faults, hostile input, secrets and a soak.

Figures recorded by the tests (``tests.reliability.figures.record``) are printed as one table
at the end of the session by the hooks in ``tests/conftest.py``; RELIABILITY.md quotes them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.prefect_server import Server
from tests.reliability.zygote import Zygotes


@pytest.fixture(scope="package")
def zygotes(prefect_server: Server) -> Iterator[Zygotes]:
    """Two crashrun servers (one per core) against the session's Prefect server."""
    env = {**prefect_server.env, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    servers = Zygotes(env, max(1, min(2, os.cpu_count() or 1)))
    try:
        yield servers
    finally:
        servers.close()
