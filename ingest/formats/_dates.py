"""Wire timestamps to timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["parse_timestamp"]


def parse_timestamp(value: str, zone: str | None = None) -> datetime:
    """An ISO 8601 timestamp (``Z``, ``+02:00``, ``+0000``, fractions) as an aware UTC datetime.

    A timestamp without an offset (Scoop's NewsML-G2, some Superdesk ninjs) is read in the
    source's ``zone`` (its ``timezone`` in ``sources.toml``, an IANA name) and else as UTC: the
    payload names no zone, and UTC is what wire systems use when they omit one; guessing a local
    zone would be worse. Raises ``ValueError`` for anything that is not a timestamp.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=ZoneInfo(zone) if zone else UTC).astimezone(UTC)
    return parsed.astimezone(UTC)
