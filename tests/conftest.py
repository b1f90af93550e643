"""Shared test fixtures: where the project and ../shared lie, and a Prefect-free environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.prefect_server import Server, start_prefect_server
from tests.wire_server import WireServer

# Prefect must never reach beyond loopback in tests: no telemetry from temporary servers.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

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


def pytest_sessionstart(session: pytest.Session) -> None:
    from tests.reliability.figures import FIGURES_FILE

    # The reliability figures of this session only.
    FIGURES_FILE.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.reliability.figures import read_figures

    figures = read_figures()
    if not figures:
        return
    terminalreporter.section("reliability figures")
    width = max(len(f"{f['section']}: {f['name']}") for f in figures)
    for f in figures:
        label = f"{f['section']}: {f['name']}"
        value = f"{f['value']} {f['unit']}".strip()
        note = f"  ({f['note']})" if f["note"] else ""
        terminalreporter.write_line(f"{label:<{width}}  {value}{note}")


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `prefect server` on 127.0.0.1 with the project's deployments, for the session."""
    yield from start_prefect_server(tmp_path_factory)
