"""Where a source stopped: what a scheduled run needs to fetch only what is new.

A ``Cursor`` is a plain value. ``ingest`` reads one to make a conditional request and returns
the next one; ``storage.cursors`` keeps it under the storage root, and the flow writes it only
after the run's records are durably written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

__all__ = ["CURSOR_FORMAT", "Cursor"]

#: Bumped when the stored shape changes; a cursor of another format is ignored, not misread.
CURSOR_FORMAT = 1


@dataclass(frozen=True)
class Cursor:
    """The state of one source after a run.

    ``url`` is the URL the validators belong to: when the source's URL changes, the old
    ``etag`` / ``last_modified`` say nothing about the new one and are not sent.
    """

    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_item_time: datetime | None = None  # newest published_at among the source's stories
    updated_at: datetime | None = None
    run_id: str | None = None

    def validators_for(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified to send for ``url`` (none when they belong elsewhere)."""
        if self.url != url:
            return None, None
        return self.etag, self.last_modified

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO 8601) with the format number."""
        out: dict[str, Any] = {"format": CURSOR_FORMAT}
        for key, value in asdict(self).items():
            out[key] = value.isoformat() if isinstance(value, datetime) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cursor:
        """The cursor ``to_dict`` wrote; ``ValueError`` for anything else."""
        if data.get("format") != CURSOR_FORMAT:
            raise ValueError(f"cursor format {data.get('format')!r}, expected {CURSOR_FORMAT}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"cursor field {f.name} must be a string")
            if value is not None and f.name in {"last_item_time", "updated_at"}:
                value = datetime.fromisoformat(value)
            values[f.name] = value
        return cls(**values)
