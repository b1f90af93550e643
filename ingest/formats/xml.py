"""One hardened XML parser for every XML wire format, and the guard in front of it.

Wire payloads come from outside, so XML is read with everything that lets a document reach
beyond itself or grow without bound switched off: no entity expansion, no external entities,
no DTD loading, no network, no huge trees. On top of that, any document whose DOCTYPE declares
entities is refused outright (``ParseError``) before a parser sees it: no news format needs
entity declarations, and refusing them is what stops billion-laughs, quadratic blow-up and XXE
payloads in microseconds, whatever the parser's own limits. ``refuse_entity_declarations`` is
also run before feedparser, which has its own (weaker) entity handling.

NewsML 1.x and NITF files often open with a DOCTYPE whose internal subset only pulls in the
NITF DTD through an external parameter entity (``<!ENTITY % nitf SYSTEM "nitf-3-0.dtd">
%nitf;``). ``drop_external_dtd_subset`` cuts such a DOCTYPE out before the guard runs: nothing
in it is story data, and a document without its DOCTYPE can reach nothing. Any other entity
declaration still meets the guard. ``utf8_despite_declaration`` handles the other lie those
files tell: an XML declaration naming Latin-1 over bytes that are UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from record.errors import ParseError

__all__ = [
    "drop_external_dtd_subset",
    "hardened_parser",
    "parse_xml",
    "refuse_entity_declarations",
    "utf8_despite_declaration",
]

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


# A DOCTYPE with an internal subset, in an ASCII-compatible encoding.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
# What the subset may hold for the DOCTYPE to be dropped: external parameter entities (SYSTEM or
# PUBLIC, never an inline value), references to them, comments and white space.
_EXTERNAL_PARAMETER_ONLY = re.compile(
    rb"(?:\s|<!--.*?-->|%[\w.:-]+;"
    rb"|<!ENTITY\s+%\s+[\w.:-]+\s+(?:SYSTEM|PUBLIC)(?:\s+(?:\"[^\"<>]*\"|'[^'<>]*'))+\s*>)*",
    re.DOTALL,
)
# Where a DOCTYPE can be: before the root element, so within the first bytes of a document.
_PROLOG_BYTES = 8192
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def drop_external_dtd_subset(data: bytes) -> bytes:
    """``data`` without its DOCTYPE if that only references external DTDs by parameter entity.

    Such a subset loads a DTD and declares nothing itself; the hardened parser would never load
    it, but the entity guard (rightly blunt) refuses any ``<!ENTITY``. Dropping the DOCTYPE
    takes away everything the parser could have fetched, so the document can only do less.
    A subset with anything else (a general entity, an inline value) is left for the guard.
    """
    match = _DOCTYPE_SUBSET.search(data, 0, _PROLOG_BYTES)
    if match is None:
        return data
    root = _ELEMENT_START.search(data)
    if root is not None and root.start() < match.start():  # a DOCTYPE after the root is debris
        return data
    if _EXTERNAL_PARAMETER_ONLY.fullmatch(match[1]) is None:
        return data
    return data[: match.start()] + data[match.end() :]


# The encoding an XML declaration names (ASCII-compatible encodings only).
_DECLARED = re.compile(rb"\A(\xef\xbb\xbf)?(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([\w.:-]+)([\"'])")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


def utf8_despite_declaration(data: bytes) -> bytes:
    """``data`` declared as UTF-8 when it declares another 8-bit encoding but is valid UTF-8.

    Agencies' converters write ``encoding="iso-8859-1"`` over UTF-8 bytes (AFP's NewsML 1.2
    does), and trusting the declaration turns every accent into mojibake. Text in Latin-1 or
    another 8-bit code that has non-ASCII letters is practically never valid UTF-8 by chance,
    so validity decides: valid UTF-8 with non-ASCII bytes is read as UTF-8, anything else as
    declared. UTF-16 and UTF-32 declarations are left alone.
    """
    match = _DECLARED.match(data)
    if match is None:
        return data
    declared = match[3].decode("ascii").lower()
    if declared in _UTF8_NAMES or declared.startswith(("utf-16", "utf-32", "ucs")):
        return data
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return data[: match.start(3)] + b"UTF-8" + data[match.end(3) :]
