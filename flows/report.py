"""``wiredup report``: write the HTML report of a storage root, without Prefect.

Plain Python on purpose: drawing a page from the stored Parquet needs no orchestration, so the
command starts no Prefect server and works wherever the data can be read.
"""

from __future__ import annotations

from report import write_report
from storage import StorageRoot

__all__ = ["report"]


def report(root: str, out: str | None = None) -> str:
    """Write the report of the dataset under ``root`` (to ``out`` if given); return where."""
    return write_report(StorageRoot(root), out)
