"""Shared test fixtures: where the project and ../shared lie, and a Prefect-free environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wire_server import WireServer

# Prefect must never reach beyond loopback in tests: no telemetry from temporary servers.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SAMPLES = PROJECT / "samples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: tests on real wire copy need ../shared beside the clone")
    return path


@pytest.fixture
def project() -> Path:
    return PROJECT


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def wire_server() -> Iterator[WireServer]:
    """One real HTTP server on 127.0.0.1 for the session; tests register their own routes."""
    server = WireServer()
    try:
        yield server
    finally:
        server.close()
