"""A local directory as a source: one file, one payload.

Used by the embedded default and by tests. Files are read in name order so a run is
reproducible. A symlink that leads outside the directory is refused, and a file that cannot be
read becomes a reject; neither stops the other files.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ingest.config import Source
from record.errors import ConfigError
from record.story import RawItem, Reject

__all__ = ["read_directory"]

log = logging.getLogger(__name__)

#: A single file larger than this is rejected unread: no wire story is anywhere near it.
MAX_FILE_BYTES = 64 * 1024 * 1024


def _files(root: Path, pattern: str) -> Iterator[Path]:
    for path in sorted(root.glob(pattern)):
        if path.name.startswith((".", "_")):
            continue
        yield path


def read_directory(
    source: Source, *, now: datetime | None = None
) -> tuple[list[RawItem], list[Reject]]:
    """Read every file of a directory source; return the payloads and the rejects."""
    if source.path is None:
        raise ConfigError("a directory source needs a path", source=source.name, field="path")
    root = source.path
    if not root.is_dir():
        raise ConfigError(f"{root} is not a directory", source=source.name, field="path")
    fetched_at = now or datetime.now(UTC)
    items: list[RawItem] = []
    rejects: list[Reject] = []
    real_root = root.resolve()
    for path in _files(root, source.pattern):
        item_id = path.stem
        location = str(path)
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(real_root):
                raise PermissionError(f"symlink leads outside the source directory: {path.name}")
            if not resolved.is_file():
                continue
            size = resolved.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ValueError(f"file of {size} bytes exceeds the cap of {MAX_FILE_BYTES}")
            data = resolved.read_bytes()
        except (OSError, ValueError) as exc:
            log.warning("source %s: %s cannot be read: %s", source.name, path.name, exc)
            rejects.append(
                Reject(
                    source=source.name,
                    item_id=item_id,
                    reason=f"unreadable: {exc}",
                    sha256=None,
                    size=0,
                    fetched_at=fetched_at,
                    location=location,
                )
            )
            continue
        items.append(
            RawItem(
                source=source.name,
                item_id=item_id,
                data=data,
                fetched_at=fetched_at,
                location=location,
                format=source.format,
                encoding=source.encoding,
                timezone=source.timezone,
                agencies=source.agencies,
            )
        )
    return items, rejects
