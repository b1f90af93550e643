"""One hardened XML parser for every XML wire format, and the guard in front of it.

Wire payloads come from outside, so XML is read with everything that lets a document reach
beyond itself or grow without bound switched off: no entity expansion, no external entities,
no DTD loading, no network, no huge trees. On top of that, any document whose DOCTYPE declares
entities is refused outright (``ParseError``) before a parser sees it: no news format needs
entity declarations, and refusing them is what stops billion-laughs, quadratic blow-up and XXE
payloads in microseconds, whatever the parser's own limits. ``refuse_entity_declarations`` is
also run before feedparser, which has its own (weaker) entity handling.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from record.errors import ParseError

__all__ = ["hardened_parser", "parse_xml", "refuse_entity_declarations"]

# The byte patterns of the markup that matters, in the encodings a payload may arrive in.
# A payload in UTF-16/32 is checked in its own encoding rather than decoded in full first.
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_DOCTYPES = tuple("<!DOCTYPE".encode(e) for e in _ENCODINGS)
_ENTITIES = tuple("<!ENTITY".encode(e) for e in _ENCODINGS)


def refuse_entity_declarations(data: bytes) -> None:
    """Raise ``ParseError`` if ``data`` has a DOCTYPE followed by an ENTITY declaration.

    The check is deliberately blunt (any ``<!ENTITY`` after a ``<!DOCTYPE``): a CDATA
    section quoting a DTD after a DOCTYPE would be refused too, which no wire feed does, while
    a smarter check would be one more parser to get wrong.
    """
    for doctype, entity in zip(_DOCTYPES, _ENTITIES, strict=True):
        start = data.find(doctype)
        if start != -1 and data.find(entity, start) != -1:
            raise ParseError(
                "XML declares entities in its DOCTYPE; refused (entity expansion is a "
                "denial-of-service and file/network disclosure risk, and no wire format needs it)"
            )


def hardened_parser(recover: bool = False) -> etree.XMLParser:
    """A new lxml parser that expands nothing, loads nothing and never touches the network.

    ``remove_blank_text`` is off so inline XHTML keeps the spaces between its words; a parser
    is made per call because lxml parsers are not safe to share between threads. ``recover``
    makes it salvage what it can from malformed XML instead of failing.
    """
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> Any:
    """Parse ``data`` with the hardened parser and return its root element.

    A leading byte-order mark or blank lines before the XML declaration are tolerated (both
    occur in real agency files); anything else that is not well-formed raises ``ParseError``.
    """
    refuse_entity_declarations(data)
    try:
        root = etree.fromstring(_trim_prolog(data), parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from exc
    # Defence in depth: the byte check above should have caught any declaration already.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ParseError("XML declares entities in its DOCTYPE; refused")
    return root


_LEADING_SPACE = re.compile(rb"\A(?:\xef\xbb\xbf)?\s+(?=<\?xml)")


def _trim_prolog(data: bytes) -> bytes:
    """Drop white space before an XML declaration, which libxml2 otherwise rejects."""
    return _LEADING_SPACE.sub(b"", data, count=1)
