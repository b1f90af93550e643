"""Wire timestamps to timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["parse_timestamp"]


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp (``Z``, ``+02:00``, ``+0000``, fractions) as an aware UTC datetime.

    A timestamp without an offset (Scoop's NewsML-G2, some Superdesk ninjs) is taken as UTC:
    the payload names no zone, and UTC is what wire systems use when they omit one; guessing a
    local zone would be worse. Raises ``ValueError`` for anything that is not a timestamp.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
