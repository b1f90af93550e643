"""Payloads for the format tests: fixture files read where they lie, wrapped as RawItems."""

from __future__ import annotations

from datetime import UTC, datetime

from record.story import RawItem
from tests.conftest import shared_path

FETCHED = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def fixture(*parts: str) -> bytes:
    """The bytes of a file under ../shared/fixtures (the test skips if it is absent)."""
    return shared_path("fixtures", *parts).read_bytes()


def raw_item(
    data: bytes,
    fmt: str | None = None,
    *,
    item_id: str = "payload",
    location: str = "/feeds/test/payload",
    content_type: str | None = None,
) -> RawItem:
    return RawItem(
        source="wire",
        item_id=item_id,
        data=data,
        fetched_at=FETCHED,
        location=location,
        format=fmt,
        content_type=content_type,
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
