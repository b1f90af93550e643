"""Which parser reads a payload whose source declares no ``format``."""

from __future__ import annotations

import re

from ingest.errors import ParseError

__all__ = ["detect_format"]

_TEXT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*date\s+\d{4}-\d{2}", re.IGNORECASE)


def detect_format(data: bytes) -> str:
    """Name the format of ``data`` from its first bytes, or raise ``ParseError``."""
    if _TEXT.match(data[:64]):
        return "text"
    raise ParseError("format could not be detected from content; declare 'format' for the source")
