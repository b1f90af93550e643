"""Plain-text wire files, the layout of the project's seed story.

A file opens with a ``date YYYY-MM`` or ``date YYYY-MM-DD`` token (optionally after white space),
the first paragraph follows on the same line, later paragraphs are separated by blank lines, and
the last one usually ends with an agency credit. The item id is the file name without its
extension; the format carries no headline and no version, so the version is 1.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["decode", "parse_text"]

_DATE = re.compile(r"\A\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?(?=\s|\Z)", re.IGNORECASE)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to text: a byte-order mark wins, then the declared encoding, then strict UTF-8.

    Nothing is guessed: undecodable bytes raise ``ParseError`` saying where, so the file is
    quarantined rather than stored as garbage.
    """
    skipped = 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            skipped, encoding = len(bom), name
            break
    codec = encoding or "utf-8"
    try:
        return data[skipped:].decode(codec)
    except UnicodeDecodeError as exc:
        # The offset counts from the start of the payload as delivered (and quarantined).
        at = exc.start + skipped
        raise ParseError(
            f"not valid {codec}: byte 0x{data[at]:02x} at offset {at}"
            " (declare the source's encoding in sources.toml if it is not UTF-8)"
        ) from exc


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
