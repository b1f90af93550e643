"""Plain-text wire files, the layout of the project's seed story.

A file opens with a ``date YYYY-MM`` or ``date YYYY-MM-DD`` token (optionally after white space),
the first paragraph follows on the same line, later paragraphs are separated by blank lines, and
the last one usually ends with an agency credit. The item id is the file name without its
extension; the format carries no headline and no version, so the version is 1.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ingest.formats._charset import decode_payload
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["decode", "parse_text"]

_DATE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?(?=\s|\Z)", re.IGNORECASE)


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to text by the one charset rule (``ingest.formats._charset.decode_payload``).

    ``encoding`` is the source's own, trusted over anything the bytes suggest. Bytes no charset
    reads as text raise ``ParseError`` saying where, so the file is quarantined rather than
    stored as garbage. (``ingest.formats.parse_payload`` has already made a payload UTF-8 and
    flagged a guess; this is for callers that hold bytes of their own.)
    """
    return decode_payload(data, trusted=encoding).text


def parse_text(raw: RawItem) -> ParsedItem:
    """Parse one plain-text wire file."""
    text = decode(raw.data, raw.encoding)
    if "\x00" in text:
        raise ParseError("holds NUL characters: not a text wire file")
    match = _DATE.match(text)
    if match is None:
        raise ParseError("does not start with a 'date YYYY-MM' or 'date YYYY-MM-DD' token")
    year, month, day = int(match[1]), int(match[2]), match[3]
    try:
        published = datetime(year, month, int(day) if day else 1, tzinfo=UTC)
    except ValueError as exc:
        raise ParseError(f"invalid date {match[0].strip()!r}: {exc}") from exc
    body = text[match.end() :]
    if not body.strip():
        raise ParseError("has a date token but no text")
    return ParsedItem(
        item_id=raw.item_id,
        body=body,
        published_at=published,
        date_precision="day" if day else "month",
        format="text",
    )
