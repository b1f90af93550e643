"""Which parser reads a payload whose source declares no ``format``.

Rules, first match wins:

- ``iptc7901``: the payload opens (after line noise) with ``SOH`` and a 7901 header line
  (``eca062 4 i 211 ccccb dpa 061``: channel and number, priority digit, category, words).
- ``anpa``: it opens with ``SOH`` and AP's ANPA 1312 header (``W2870<US>``, service level and
  message number), or ``SOH`` and a line of ``<US>``-separated fields (AAP racing), or with
  ``ZCZC`` (AAP's teletype framing).
- ``email``: it opens with an RFC 822 header block (see ``ingest.formats.email``).
- ``text``: the payload opens (after a BOM and white space) with a ``date YYYY-MM`` token.
- ``ap-media``: it is JSON in AP Media API's envelope, ``data.items[].item`` or ``data.item``,
  whose items have ``altids.itemid`` (a bare AP item is shaped like ninjs 1.x: ninjs).
- ``dpa-digitalwires``: it is JSON with items holding ``urn`` and digitalwires keys
  (``article_html``, ``version_created``...), one, a list, or a page of ``entries``.
- ``ninjs``: it is JSON (an object or array) with the shape of a ninjs item, a list of items,
  or an object holding one under ``items``, ``data``, ``item`` or ``_items``.
- ``newsml-g2``: it is XML whose root element is ``newsItem``, ``newsMessage`` or
  ``packageItem`` and which names the NewsML-G2 (NAR) namespace.
- ``rss``: it is XML whose root element is ``rss``, ``feed`` (Atom) or ``RDF`` (RSS 1.0).
- ``nitf``: it is XML whose root element is ``nitf``.
- ``newsml-1.2``: it is XML whose root element is ``NewsML`` and which does not name the
  NewsML-G2 namespace (NewsML 1.0 to 1.2, with or without the 1.2 schema's namespace).

A DOCTYPE that only references external DTDs (NewsML 1.x and NITF files pull in the NITF DTD
that way) is dropped before the entity guard runs; see ``ingest.formats.xml``.

Anything else raises ``ParseError`` asking for an explicit ``format``.
"""

from __future__ import annotations

import json
import re

from ingest.formats.ap_media import looks_like_ap_media
from ingest.formats.dpa_digitalwires import looks_like_digitalwires
from ingest.formats.email import looks_like_email
from ingest.formats.ninjs import looks_like_ninjs
from ingest.formats.xml import drop_external_dtd_subset, refuse_entity_declarations
from record.errors import ParseError

__all__ = ["detect_format"]

_TEXT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*date\s+\d{4}-\d{2}", re.IGNORECASE)
# Teletype framing: SYN/line noise, then SOH and a header line.
_IPTC7901 = re.compile(
    rb"\A[\x16\x00\r\n ]{0,16}\x01[A-Za-z]{1,4}\d{1,5}[ \t]+\d[ \t]+[A-Za-z]{1,3}[ \t]+\d"
)
_ANPA = re.compile(
    rb"\A[\x16\x00\r\n ]{0,16}(?:\x01(?:[A-Za-z]\d{4}\x1f|[^\x1f\r\n]{1,80}\x1f)|ZCZC\b)",
    re.IGNORECASE,
)
_JSON_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*[\[{]")
# Markup that can come before the root element: declarations, comments, DOCTYPE.
_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.DOTALL)
_ROOT = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)[\s/>]")
_HEAD = 4096
_NAR = "iptc.org/std/nar/2006-10-01"
_G2_ROOTS = frozenset({"newsItem", "newsMessage", "packageItem"})
_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_UNDETECTED = "format could not be detected from content; declare 'format' for the source"


def _head_text(data: bytes) -> str:
    head = data[:_HEAD]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    # Element names are ASCII in every format detected here; latin-1 never fails.
    return head.decode("latin-1")


def _root_name(data: bytes) -> tuple[str | None, str]:
    head = _head_text(data).lstrip("\ufeff\u00ef\u00bb\u00bf \t\r\n")
    body = _PROLOG.sub("", head)
    match = _ROOT.search(body)
    return (match[1] if match else None), head


def detect_format(data: bytes) -> str:
    """Name the format of ``data`` from its content, or raise ``ParseError``."""
    if _IPTC7901.match(data[:128]):
        return "iptc7901"
    if _ANPA.match(data[:128]):
        return "anpa"
    if _TEXT.match(data[:64]):
        return "text"
    if looks_like_email(data):
        return "email"
    if _JSON_START.match(data[:64]):
        try:
            document = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"{_UNDETECTED} (looks like JSON but is not: {exc})") from exc
        if looks_like_ap_media(document):
            return "ap-media"
        if looks_like_digitalwires(document):
            return "dpa-digitalwires"
        if looks_like_ninjs(document):
            return "ninjs"
        raise ParseError(f"{_UNDETECTED} (JSON without ninjs, AP or digitalwires items)")
    # Refuse hostile XML before sniffing: a DOCTYPE padded with entities can push the root
    # element past the bytes looked at, and the reason should say what is wrong.
    data = drop_external_dtd_subset(data)
    refuse_entity_declarations(data)
    root, head = _root_name(data)
    if root in _G2_ROOTS and _NAR in head:
        return "newsml-g2"
    if root in _FEED_ROOTS:
        return "rss"
    if root == "nitf":
        return "nitf"
    if root == "NewsML" and _NAR not in head:
        return "newsml-1.2"
    raise ParseError(_UNDETECTED + (f" (XML root <{root}>)" if root else ""))
