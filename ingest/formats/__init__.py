"""Format parsers: one module a wire format, each turning a payload into parsed items."""

from __future__ import annotations

from collections.abc import Callable

from ingest.errors import ParseError
from ingest.formats.detect import detect_format
from ingest.formats.text import decode, parse_text
from ingest.story import ParsedItem, RawItem

__all__ = ["PARSERS", "decode", "detect_format", "parse"]


def _text(raw: RawItem) -> list[ParsedItem]:
    return [parse_text(raw)]


#: Format name to parser; a parser returns every item a payload holds (a feed holds many).
PARSERS: dict[str, Callable[[RawItem], list[ParsedItem]]] = {
    "text": _text,
}


def parse(raw: RawItem) -> list[ParsedItem]:
    """Parse a payload with its source's declared format, or the one its content shows."""
    fmt = raw.format or detect_format(raw.data)
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ParseError(f"no parser for format {fmt!r}")
    return parser(raw)
