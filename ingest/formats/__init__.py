"""Format parsers: one module a wire format, each turning a payload into parsed items.

Every parser takes a ``RawItem`` and returns a ``ParseResult``: the items it read, the items
that failed (each becomes a reject, the others go on) and warnings. A payload that cannot be
read at all raises ``ParseError``. ``parse`` keeps the simple view: the items, or
``ParseError`` when the payload yields none and an item failed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ingest.formats._charset import Decoded, transcode, wide_codec
from ingest.formats.anpa import parse_anpa
from ingest.formats.ap_media import parse_ap_media
from ingest.formats.detect import detect_format
from ingest.formats.dpa_digitalwires import parse_dpa_digitalwires
from ingest.formats.email import parse_email
from ingest.formats.iptc7901 import parse_iptc7901
from ingest.formats.newsml_1 import parse_newsml_1
from ingest.formats.newsml_g2 import package_references, parse_newsml_g2
from ingest.formats.ninjs import next_page_url, parse_ninjs
from ingest.formats.nitf import parse_nitf
from ingest.formats.result import ItemProblem, PackageRef, ParseResult
from ingest.formats.rss import parse_rss
from ingest.formats.text import decode, parse_text
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = [
    "PARSERS",
    "SELF_DECODING",
    "ItemProblem",
    "PackageRef",
    "ParseResult",
    "decode",
    "detect_format",
    "next_page_url",
    "package_references",
    "parse",
    "parse_payload",
]


def _text(raw: RawItem) -> ParseResult:
    return ParseResult(items=(parse_text(raw),))


#: Format name to parser; a parser returns every item a payload holds (a feed holds many).
PARSERS: dict[str, Callable[[RawItem], ParseResult]] = {
    "text": _text,
    "rss": parse_rss,
    "ninjs": parse_ninjs,
    "newsml-g2": parse_newsml_g2,
    "nitf": parse_nitf,
    "newsml-1.2": parse_newsml_1,
    "anpa": parse_anpa,
    "iptc7901": parse_iptc7901,
    "ap-media": parse_ap_media,
    "dpa-digitalwires": parse_dpa_digitalwires,
    "email": parse_email,
}


#: Formats whose parsers decode their bytes themselves: teletype transmissions (Western 8-bit
#: guesses only, see ``ingest.formats._charset.decode_wire``) and e-mail (MIME charsets).
SELF_DECODING = frozenset({"anpa", "iptc7901", "email"})
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def parse_payload(raw: RawItem) -> ParseResult:
    """Parse a payload with its source's declared format, or the one its content shows.

    Every format but the self-decoding ones gets its payload as UTF-8, decoded once by the one
    charset rule (``ingest.formats._charset``); an item of a payload whose charset was guessed
    carries the flag ``charset-guessed:<codec>``. UTF-16/32 payloads are decoded before their
    format is detected. Raises ``ParseError`` naming the format when the payload as a whole
    cannot be read.
    """
    fmt = raw.format
    decoded: Decoded | None = None
    if fmt is None and (raw.data.startswith(_WIDE_BOMS) or wide_codec(raw.data)):
        raw, decoded = transcode(raw)
    fmt = fmt or detect_format(raw.data)
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ParseError(f"no parser for format {fmt!r}")
    try:
        if decoded is None and fmt not in SELF_DECODING:
            raw, decoded = transcode(raw)
        result = parser(raw)
    except ParseError as exc:
        raise ParseError(f"format {fmt!r}: {exc}") from exc
    flag = decoded.flag if decoded is not None else None
    if flag is None:
        return result
    items = tuple(dataclasses.replace(i, flags=(*i.flags, flag)) for i in result.items)
    return dataclasses.replace(result, items=items)


def parse(raw: RawItem) -> list[ParsedItem]:
    """The items of a payload; ``ParseError`` if it has none and at least one item failed."""
    result = parse_payload(raw)
    if not result.items and result.problems:
        raise ParseError(result.problems[0].reason)
    return list(result.items)
