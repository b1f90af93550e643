"""Resident memory of this process, read from /proc (Linux)."""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["peak_rss_mib", "rss_mib"]


def rss_mib() -> float:
    """Current resident set size, MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
