"""IPTC NITF 3.x (XML): one story a document, standalone or as the body of a NewsML 1.2 item.

Field mapping (every name is matched without its namespace, so NITF 3.5+ with the
``http://iptc.org/std/NITF/2006-10-18/`` namespace reads the same):

- ``item_id``: ``head/docdata/doc-id/@id-string``. A document without one (AP's tables as CP
  relays them carry only ``regsrc``) takes the payload's own name, as plain-text files do, and
  the parser says so in a warning.
- ``version``: ``docdata/du-key/@version`` where it is an integer, else 1.
- ``pubstatus``: ``docdata/@management-status`` (``usable``, ``withheld``, ``canceled``;
  ``embargoed`` is ``usable`` with an embargo); ``usable`` if absent.
- ``published_at``: ``docdata/date.issue/@norm``, else ``head/pubdata/@date.publication``,
  else ``docdata/date.release/@norm``.
  A timestamp without an offset is in the source's ``timezone``, else UTC.
- ``embargo_until``: ``docdata/date.release/@norm`` when it is later than the issue time or the
  status is ``embargoed``: NITF's release date is the time the document may be released.
- ``urgency``: ``docdata/urgency/@ed-urg`` (1 most urgent .. 8).
- ``ednote``: ``docdata/ed-msg/@info`` (a message to editors, not story text).
- ``signals``: ``correction`` when ``docdata/correction`` is present.
- ``headline``: ``body.head/hedline/hl1``, else ``head/title``.
- ``byline``: ``body.head/byline`` text (several joined by ``; ``); ``dateline``:
  ``body.head/dateline`` text (its ``location`` and ``story.date`` joined by a space).
- ``body``: the ``body.content`` blocks as paragraphs separated by blank lines; NITF ``media``
  (pictures and their captions) and the ``body.head`` are left out.
- ``language``: ``xml:lang`` on ``nitf``, else its ``baselang``, else a ``head/meta`` named
  ``language``, else ``xml:lang`` on ``body``; the primary subtag, lower-cased.

``date.expire`` is read into ``NitfDocument.expires`` but no record field holds it yet.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest.formats._dates import parse_timestamp
from ingest.formats._html import local_name, nitf_to_text
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemProblem, ParseResult
from ingest.formats.xml import drop_external_dtd_subset, parse_xml, utf8_despite_declaration
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = [
    "NitfDocument",
    "parse_nitf",
    "pubstatus",
    "read_nitf",
    "read_xml_1x",
    "words",
]

log = logging.getLogger(__name__)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TEXTLESS_OK = frozenset({"canceled", "withheld"})
_LANGUAGE_META = frozenset({"language", "lang", "dc.language", "content-language"})
# An ampersand that starts no entity or character reference.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


@dataclass(frozen=True)
class NitfDocument:
    """What one NITF document says, before it is made a ``ParsedItem`` (or part of one)."""

    doc_id: str | None
    version: int | None
    status: str | None  # management-status, lower-cased, as sent
    urgency: int | None
    issued: datetime | None
    released: datetime | None
    expires: datetime | None
    published: datetime | None
    title: str | None
    headline: str | None
    byline: str | None
    dateline: str | None
    body: str
    language: str | None
    ednote: str | None
    corrected: bool

    @property
    def embargo(self) -> datetime | None:
        """The release time when it holds the document back: later than issue, or embargoed."""
        if self.released is None:
            return None
        if self.status == "embargoed" or self.issued is None or self.released > self.issued:
            return self.released
        return None


def read_xml_1x(data: bytes) -> Any:
    """The root element of a NITF or NewsML 1.x payload, read with the hardened parser.

    These files declare Latin-1 over UTF-8 bytes and pull the NITF DTD in through a parameter
    entity; both are undone first (see ``ingest.formats.xml``), then the usual guard applies.
    A document that fails only because an ``&`` is not escaped (dpa's NITF previews carry raw
    signed URLs) is read again with those ampersands escaped; nothing else is repaired, so a
    truncated or otherwise broken document is still a ``ParseError``.
    """
    data = drop_external_dtd_subset(utf8_despite_declaration(data))
    try:
        return parse_xml(data)
    except ParseError as exc:
        repaired = _BARE_AMPERSAND.sub(b"&amp;", data)
        if "EntityRef" not in str(exc) or repaired == data:
            raise
        return parse_xml(repaired)


def _descendants(element: Any, name: str) -> Iterator[Any]:
    return (node for node in element.iter() if local_name(node) == name)


def _first(element: Any, name: str) -> Any:
    return None if element is None else next(_descendants(element, name), None)


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if local_name(child) == name)


def _child(element: Any, name: str) -> Any:
    return None if element is None else next(_children(element, name), None)


def words(element: Any) -> str:
    """The text of ``element`` with its pieces joined by spaces and white space collapsed."""
    if element is None:
        return ""
    return " ".join(" ".join(element.itertext()).split())


def _attr(element: Any, name: str) -> str:
    return " ".join((element.get(name) or "").split()) if element is not None else ""


def _int(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _date(element: Any, attribute: str, zone: str | None) -> datetime | None:
    """The timestamp in ``attribute`` (``norm`` by default) or the text of ``element``; one
    without an offset is in ``zone`` (the source's ``timezone``), else UTC."""
    if element is None:
        return None
    text = _attr(element, attribute) or words(element)
    if not text:
        return None
    try:
        return parse_timestamp(text, zone)
    except ValueError:
        raise ValueError(f"<{local_name(element)}> {text!r} is not a timestamp") from None


def _language(root: Any, head: Any, body: Any) -> str | None:
    candidates = [root.get(_XML_LANG), root.get("baselang")]
    if head is not None:
        candidates += [
            meta.get("content")
            for meta in _children(head, "meta")
            if (meta.get("name") or "").strip().lower() in _LANGUAGE_META
        ]
    if body is not None:
        candidates.append(body.get(_XML_LANG))
    return next((primary_subtag(c) for c in candidates if primary_subtag(c)), None)


def _dateline(element: Any) -> str | None:
    """The dateline's words, without a ``story.date`` that only repeats its machine time.

    EFE's NITF has a dateline whose only content is ``<story.date norm="T">T</story.date>``:
    a timestamp, not a place and date a reader sees.
    """
    if element is None:
        return None
    pieces: list[str] = [element.text or ""]
    for child in element:
        machine = local_name(child) == "story.date" and words(child) == _attr(child, "norm")
        pieces += ["" if machine else words(child), child.tail or ""]
    return " ".join(" ".join(pieces).split()) or None


def read_nitf(root: Any, zone: str | None = None) -> NitfDocument:
    """Read a parsed ``<nitf>`` element; ``ValueError`` names a field that cannot be read.

    A timestamp without an offset is in ``zone`` (the source's ``timezone``), else UTC.
    """
    head = _child(root, "head")
    body = _child(root, "body")
    docdata = _child(head, "docdata")
    body_head = _child(body, "body.head")
    du_key = _child(docdata, "du-key")
    urgency = _child(docdata, "urgency")
    ed_msg = _child(docdata, "ed-msg")
    bylines = [words(b) for b in _children(body_head, "byline")] if body_head is not None else []
    return NitfDocument(
        doc_id=_attr(_child(docdata, "doc-id"), "id-string") or None,
        version=_int(_attr(du_key, "version")),
        status=_attr(docdata, "management-status").lower() or None,
        urgency=_int(_attr(urgency, "ed-urg")),
        issued=_date(_child(docdata, "date.issue"), "norm", zone),
        released=_date(_child(docdata, "date.release"), "norm", zone),
        expires=_date(_child(docdata, "date.expire"), "norm", zone),
        published=_date(_child(head, "pubdata"), "date.publication", zone),
        title=words(_child(head, "title")) or None,
        headline=words(_first(_child(body_head, "hedline"), "hl1")) or None,
        byline="; ".join(b for b in bylines if b) or None,
        dateline=_dateline(_child(body_head, "dateline")),
        body=nitf_to_text(body) if body is not None else "",
        language=_language(root, head, body),
        ednote=_attr(ed_msg, "info") or words(ed_msg) or None,
        corrected=_child(docdata, "correction") is not None,
    )


def pubstatus(status: str | None) -> str:
    """A NITF management-status as a pubstatus; ``ValueError`` for a status it does not know."""
    if status is None or status == "embargoed":
        return "usable"
    if status in PUBSTATUSES:
        return status
    raise ValueError(f"unknown management-status {status!r}")


def parse_nitf(raw: RawItem) -> ParseResult:
    """Parse a NITF document into its one story, or a problem saying why it is none."""
    root = read_xml_1x(raw.data)
    if local_name(root) != "nitf":
        raise ParseError(f"root element <{local_name(root) or '?'}> is not a NITF <nitf>")
    warnings: list[str] = []
    try:
        document = read_nitf(root, raw.timezone)
        status = pubstatus(document.status)
    except ValueError as exc:
        doc_id = _attr(_first(root, "doc-id"), "id-string") or None
        return ParseResult((), (ItemProblem(doc_id, f"nitf: {exc}"),))
    item_id = document.doc_id
    if item_id is None:
        item_id = raw.item_id
        warnings.append(
            f"nitf has no doc-id id-string; its identity is the payload name {item_id!r}"
        )
    if not document.body.strip() and status not in _TEXTLESS_OK:
        return ParseResult((), (ItemProblem(item_id, f"nitf {item_id!r} has no text"),))
    if document.status == "embargoed" and document.released is None:
        warnings.append(f"nitf {item_id!r} is embargoed without date.release; no embargo time")
    for note in warnings:
        log.info("%s: %s", raw.location, note)
    item = ParsedItem(
        item_id=item_id,
        body=document.body,
        headline=document.headline or document.title,
        version=document.version or 1,
        published_at=document.issued or document.published or document.released,
        date_precision="second",
        pubstatus=status,
        embargo_until=document.embargo,
        language=document.language,
        format="nitf",
        signals=("correction",) if document.corrected else (),
        byline=document.byline,
        dateline=document.dateline,
        urgency=document.urgency,
        ednote=document.ednote,
    )
    return ParseResult((item,), (), tuple(warnings))
