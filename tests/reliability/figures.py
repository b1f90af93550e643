"""Figures the reliability tests measure, gathered for RELIABILITY.md.

Each test calls :func:`record` with what it tried and what it found (kill points, faults,
inputs fuzzed, stories lost and duplicated, peak memory). The figures are appended, one JSON
object per line, to ``$WIREDUP_FIGURES`` (default ``.pytest_cache/reliability-figures.jsonl``
in the project), and ``tests/reliability/conftest.py`` prints them as a table at the end of
the session, so `make reliability` shows every number RELIABILITY.md quotes.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from tests.conftest import PROJECT

__all__ = ["FIGURES_FILE", "read_figures", "record"]

FIGURES_FILE = Path(
    os.environ.get("WIREDUP_FIGURES", PROJECT / ".pytest_cache" / "reliability-figures.jsonl")
)


def record(section: str, name: str, value: Any, unit: str = "", note: str = "") -> None:
    """Keep one figure: ``section`` (crash, faults, fuzz, secrets, soak, ...), what, how much."""
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "section": section,
        "name": name,
        "value": value,
        "unit": unit,
        "note": note,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with open(FIGURES_FILE, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, default=str) + "\n")


def read_figures() -> list[dict[str, Any]]:
    """Every figure recorded since the file was last cleared."""
    if not FIGURES_FILE.exists():
        return []
    return [json.loads(line) for line in FIGURES_FILE.read_text("utf-8").splitlines() if line]
