"""RSS 0.9x/1.0/2.0 and Atom feeds, read with feedparser.

Field mapping, per entry:

- ``item_id``: the entry ``guid`` (RSS) or ``id`` (Atom); else its ``link``; else, as a last
  resort, ``sha256:`` and the hex sha256 of its title, published time and text.
- ``version``: 1 (feeds carry no version; a re-sent entry with the same guid is the same
  record). ``pubstatus``: ``usable``; ``signals``: none.
- ``headline``: the entry title. ``body``: the entry's full content (``content:encoded``,
  Atom ``content``) if it has any, else its ``description``/``summary``; markup becomes
  paragraphs separated by a blank line.
- ``published_at``: ``pubDate``/``published``, else ``updated``/``dc:date``, in UTC.
- ``language``: the content's ``xml:lang``, else the feed's ``language``; the primary subtag.

Bozo feeds (malformed XML, a wrong encoding declaration) whose entries could still be read
keep their entries, with a warning naming the fault; a bozo feed with no entries, or a payload
that is no feed, raises ``ParseError``. A well-formed feed with no entries is an empty result
(nothing new), with a warning. Entity declarations are refused before feedparser sees the
payload (see ``ingest.formats.xml``), and feedparser is handed bytes in a stream, never a
string it could take for a URL or a file name.

Malformed feeds larger than ``LOOSE_LIMIT`` are repaired by lxml's recovering parser (with the
same hardening: nothing expanded, nothing loaded) before feedparser reads them: feedparser's
own fallback for malformed XML reads tag-dense markup at a few tens of KB a second, so a
hostile feed at the fetch's size cap would hold a run for many minutes. Smaller ones keep
feedparser's fallback, which salvages more from the small malformed feeds agencies do send.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from datetime import UTC, datetime
from typing import Any

import feedparser
from lxml import etree

from ingest.formats._html import html_to_text
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemProblem, ParseResult
from ingest.formats.xml import hardened_parser, refuse_entity_declarations
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["parse_feed", "parse_rss"]

log = logging.getLogger(__name__)

_MARKUP = ("text/html", "application/xhtml+xml")
_NO_TEXT = "no text: "

#: Malformed feeds larger than this (bytes) are repaired by lxml before feedparser reads them.
LOOSE_LIMIT = 64 * 1024


def parse_feed(raw: RawItem) -> Any:
    """feedparser's own result for ``raw``: the HTTP headers it would have had, no I/O.

    ``content_type`` and the source's declared ``encoding`` stand in for the response's
    Content-Type; an http(s) ``location`` is the Content-Location that relative links in the
    feed resolve against.
    """
    refuse_entity_declarations(raw.data)
    headers: dict[str, str] = {}
    if raw.content_type:
        headers["content-type"] = raw.content_type
    elif raw.encoding:
        headers["content-type"] = f"application/xml; charset={raw.encoding}"
    if raw.location.startswith(("http://", "https://")):
        headers["content-location"] = raw.location
        # With any header present feedparser takes the payload for an HTTP response and calls
        # a missing Content-Type a fault; an unknown type is not one, so say plain XML (whose
        # own declaration then names the encoding).
        headers.setdefault("content-type", "application/xml")
    data = _compact_prolog(raw.data)
    if len(data) > LOOSE_LIMIT:
        repaired = _repaired(data)
        if repaired is not None:
            data = repaired
            # The repaired document is UTF-8 whatever the original declared.
            headers["content-type"] = "application/xml; charset=utf-8"
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser's own bugs on hostile bytes, never ours to crash on
        # Found by fuzzing (see docs/fuzzing.md): an encoding name with a non-UTF-8 byte in the
        # XML declaration (UnicodeDecodeError), a numeric character reference beyond any C int
        # (OverflowError) or beyond U+10FFFF (ValueError), a malformed ``<height>`` read by the
        # loose parser (TypeError). Whatever escapes feedparser makes the payload a reject.
        raise ParseError(f"not a usable feed ({type(exc).__name__}: {exc})") from exc


# feedparser looks for entity and DOCTYPE declarations before the first element with
# ``^\s*<!ENTITY`` in multi-line mode: quadratic in a run of blank lines there (found by
# fuzzing: 64 KiB of newlines took 9 s, a few MiB would take hours). Long runs of white space
# before the first element mean nothing in XML, so they become one newline first.
_LONG_SPACE = re.compile(r"[ \t\n\r\f\v]{64,}")
_LONG_SPACE_BYTES = re.compile(rb"[ \t\n\r\f\v]{64,}")
# Encodings an XML document announces by its first bytes (XML 1.0, appendix F).
_WIDE = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_WIDE_NO_BOM = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def _compact_prolog(data: bytes) -> bytes:
    """``data`` with long runs of white space before its first element made one newline."""
    bom, codec = b"", None
    for mark, name in _WIDE:
        if data.startswith(mark):
            bom, codec = mark, name
            break
    else:
        codec = next((name for start, name in _WIDE_NO_BOM if data.startswith(start)), None)
    if codec is None:  # ASCII-compatible: work on the bytes themselves
        element = re.search(rb"<\w", data)
        end = element.start() if element else 0
        if not _LONG_SPACE_BYTES.search(data, 0, end):
            return data
        return _LONG_SPACE_BYTES.sub(b"\n", data[:end]) + data[end:]
    text = data[len(bom) :].decode(codec, errors="replace")
    first = re.search(r"<\w", text)
    end = first.start() if first else 0
    if not _LONG_SPACE.search(text, 0, end):
        return data
    compacted = _LONG_SPACE.sub("\n", text[:end]) + text[end:]
    return bom + compacted.encode(codec, errors="surrogatepass")


def _repaired(data: bytes) -> bytes | None:
    """``data`` re-serialized by lxml's recovering parser if it is not well-formed, else None."""
    try:
        etree.fromstring(data, parser=hardened_parser())
        return None  # well-formed: feedparser's strict parser reads it fast
    except etree.XMLSyntaxError:
        pass
    recovering = hardened_parser(recover=True)
    try:
        root = etree.fromstring(data, parser=recovering)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed feed of {len(data)} bytes, beyond repair: {exc}") from exc
    if root is None:
        raise ParseError(f"malformed feed of {len(data)} bytes, beyond repair")
    log.warning(
        "malformed feed of %d bytes repaired by lxml's recovering parser: %s",
        len(data),
        recovering.error_log.last_error,
    )
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))


def parse_rss(raw: RawItem) -> ParseResult:
    """Parse an RSS or Atom payload into its entries, the entries that failed and warnings."""
    result = parse_feed(raw)
    entries = list(result.entries)
    warnings: list[str] = []
    if result.bozo:
        fault = f"{type(result.bozo_exception).__name__}: {result.bozo_exception}"
        if not entries:
            raise ParseError(f"not a usable feed ({fault})")
        warnings.append(f"malformed feed, {len(entries)} entries kept: {fault}")
    elif not entries:
        # An empty payload gives a result without even a ``version`` key.
        if not result.get("version"):
            raise ParseError("not an RSS or Atom feed: no channel, feed or entries found")
        warnings.append("feed has no entries")
    feed_language = _language(result.feed.get("language"))
    items: list[ParsedItem] = []
    problems: list[ItemProblem] = []
    for index, entry in enumerate(entries):
        try:
            items.append(_item(entry, feed_language))
        except _EntryError as exc:
            reason = f"feed entry #{index + 1}: {exc.reason}"
            if exc.reason.startswith(_NO_TEXT):  # the kind of fault first, as prepare says it
                reason = f"{_NO_TEXT}feed entry #{index + 1}: {exc.reason[len(_NO_TEXT) :]}"
            problems.append(ItemProblem(exc.item_id, reason))
    for note in warnings:
        log.warning("%s: %s", raw.location, note)
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


class _EntryError(Exception):
    def __init__(self, item_id: str | None, reason: str) -> None:
        super().__init__(reason)
        self.item_id = item_id
        self.reason = reason


def _language(tag: Any) -> str | None:
    return primary_subtag(tag)


def _detail_text(detail: Any) -> str:
    value = detail.get("value") or ""
    if detail.get("type") in _MARKUP:
        return html_to_text(value)
    return str(value).strip()


def _body(entry: Any) -> tuple[str, str | None]:
    """The entry's text and the language its markup declares."""
    for detail in entry.get("content") or []:
        text = _detail_text(detail)
        if text.strip():
            return text, detail.get("language")
    detail = entry.get("summary_detail")
    if detail is not None:
        return _detail_text(detail), detail.get("language")
    return str(entry.get("summary") or "").strip(), None


def _published(entry: Any) -> datetime | None:
    # feedparser has already normalised every date format it knows to a UTC struct_time.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            year, month, day, hour, minute, second = parsed[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def _item(entry: Any, feed_language: str | None) -> ParsedItem:
    title_detail = entry.get("title_detail")
    headline = (_detail_text(title_detail) if title_detail else "") or None
    body, body_language = _body(entry)
    published = _published(entry)
    item_id = str(entry.get("id") or entry.get("link") or "").strip()
    if not item_id:
        seed = "\x00".join((headline or "", published.isoformat() if published else "", body))
        item_id = "sha256:" + hashlib.sha256(seed.encode("utf-8")).hexdigest()
    if not body.strip():
        what = "a title but no description or content" if headline else "no text at all"
        raise _EntryError(item_id, f"{_NO_TEXT}{item_id!r} has {what}")
    return ParsedItem(
        item_id=item_id,
        body=body,
        headline=headline,
        version=1,
        published_at=published,
        date_precision="second",
        language=_language(body_language) or feed_language,
        format="rss",
    )
