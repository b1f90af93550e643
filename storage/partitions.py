"""Names of hive partitions and of the part files inside them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

__all__ = ["part_name", "partition_dir"]


def partition_dir(dataset: str, column: str, value: date) -> str:
    """``stories/story_date=2026-11-24``: the folder of one partition."""
    return f"{dataset}/{column}={value.isoformat()}"


def part_name(keys: Iterable[str], prefix: str = "part") -> str:
    """A part file named after the keys it holds.

    A rerun that writes the same records after a crash lands on the same name and replaces the
    file instead of adding a second copy beside it.
    """
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:20]
    return f"{prefix}-{digest}.parquet"
