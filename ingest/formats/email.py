"""E-mail (RFC 822 / RFC 5322 messages): one message a payload, as a maildir or ``.eml`` holds.

Read with the standard library's ``email`` package. Its ``compat32`` policy splits the message
and its MIME parts (``policy.default`` would build a parsed object of every header, at about
ten times the cost, for the four fields read here); encoded words in those fields are decoded
with ``email.header``, and each text part's transfer encoding and charset by the part itself:

- ``item_id``: ``Message-ID`` without its angle brackets, else the payload's own id.
- ``headline``: ``Subject``.
- ``published_at``: ``Date`` (a date without a zone, ``-0000``, is taken as UTC).
- ``body``: the ``text/plain`` part, else the ``text/html`` part made text by the project's
  HTML-to-text function. Plain text keeps its paragraphs (blank-line separated, wrapped lines
  joined); a signature after the ``-- `` delimiter is dropped.
- ``language``: ``Content-Language``, primary subtag.
- ``byline``: none. ``From`` is the sender of the message (a desk, a press office), not the
  author of the text.

A message without a text part, or whose text part cannot be decoded, is an ``ItemProblem``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32
from email.utils import parsedate_to_datetime

from ingest.formats._html import html_to_text
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemError, ItemProblem, ParseResult
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["looks_like_email", "parse_email"]

#: A header line: a field name of printable ASCII without a colon, a colon, a value.
_HEADER = re.compile(rb"[!-9;-~]{1,76}:[ \t]?[^\r\n]*")
_CONTINUATION = re.compile(rb"[ \t]+\S[^\r\n]*")
#: Fields that only a mail system writes; one of them must be present besides the others.
_MAIL_FIELDS = frozenset({b"from", b"message-id", b"received", b"return-path", b"delivered-to"})
#: The longest header field read (folded lines together); RFC 5322 allows 998 bytes a line.
MAX_FIELD_BYTES = 8192
_MESSAGE_FIELDS = frozenset({b"date", b"subject", b"to", b"mime-version", b"message-id"})


def looks_like_email(data: bytes) -> bool:
    """Whether ``data`` opens with an RFC 822 header block that a mail system wrote.

    Every line before the first blank line must be a header or a continuation, there must be
    at least two headers, one of From/Message-ID/Received/Return-Path/Delivered-To and one of
    Date/Subject/To/MIME-Version/Message-ID: a wire file with a ``Source:`` line is not mail.
    """
    head = data[:16384].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"From "):  # an mbox separator line before the headers
        head = head.split(b"\n", 1)[-1]
    names: set[bytes] = set()
    for line in head.splitlines():
        if not line.strip():
            break
        if names and _CONTINUATION.fullmatch(line):
            continue
        if not _HEADER.fullmatch(line):
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    else:
        return False  # no blank line: not a message (or cut inside its headers)
    return len(names) >= 2 and bool(names & _MAIL_FIELDS) and bool(names & _MESSAGE_FIELDS)


def _check_fields(data: bytes) -> None:
    """Refuse a header field over ``MAX_FIELD_BYTES``, in the message's or any MIME part's headers.

    The standard library parses structured header values in time that grows with the square
    of their length (64 KiB of one Content-Type take seconds); RFC 5322 allows 998 bytes a line.
    """
    in_headers = True
    field = 0
    for line in data.splitlines():
        if in_headers:
            if not line.strip():
                in_headers, field = False, 0
                continue
            field = field + len(line) if line[:1] in (b" ", b"\t") else len(line)
            if field > MAX_FIELD_BYTES:
                raise ParseError(f"a header field is longer than {MAX_FIELD_BYTES} bytes")
        elif line.startswith(b"--"):  # a MIME boundary: the part's own headers follow
            in_headers, field = True, 0


def parse_email(raw: RawItem) -> ParseResult:
    """Parse one e-mail message into its story."""
    if not looks_like_email(raw.data):
        raise ParseError("does not open with RFC 822 headers (From, Date, Subject...)")
    _check_fields(raw.data)
    try:
        message = message_from_bytes(raw.data, policy=compat32)
    except Exception as exc:  # the email package raises many types on broken input
        raise ParseError(f"unreadable e-mail message: {type(exc).__name__}: {exc}") from exc
    item_id = _header(message, "Message-ID")
    item_id = item_id.strip().strip("<>").strip() if item_id else ""
    item_id = item_id or raw.item_id
    try:
        item = _item(message, item_id)
    except ItemError as exc:
        return ParseResult((), (ItemProblem(exc.item_id, exc.reason),))
    return ParseResult((item,))


def _header(message: Message, name: str) -> str | None:
    """A header as text (encoded words decoded); ``None`` if absent or undecodable."""
    value = message.get(name)
    if value is None:
        return None
    try:
        text = str(make_header(decode_header(str(value))))
    except (LookupError, UnicodeError, ValueError):  # an unknown charset, broken encoded words
        text = str(value)
    text = " ".join(text.split())
    return text or None


def _text_part(message: Message, subtype: str) -> Message | None:
    """The first ``text/<subtype>`` part that is not an attachment."""
    for part in message.walk():
        if part.get_content_type() != f"text/{subtype}":
            continue
        if (part.get("Content-Disposition") or "").strip().lower().startswith("attachment"):
            continue
        return part
    return None


def _content(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise ValueError("no content")
    return payload.decode(part.get_content_charset() or "us-ascii")


def _item(message: Message, item_id: str) -> ParsedItem:
    def fail(reason: str) -> ItemError:
        return ItemError(item_id, f"e-mail {item_id!r}: {reason}")

    try:
        part = _text_part(message, "plain") or _text_part(message, "html")
    except Exception as exc:
        raise fail(f"MIME structure unreadable: {type(exc).__name__}") from exc
    if part is None:
        raise fail("has no text/plain or text/html part")
    try:
        content = _content(part)
    except (LookupError, UnicodeError, ValueError, AssertionError) as exc:
        raise fail(f"text part cannot be decoded ({part.get_content_charset()}): {exc}") from exc
    html = part.get_content_subtype() == "html"
    body = html_to_text(content) if html else _plain(content)
    if not body.strip():
        raise fail("has no text")
    language = _header(message, "Content-Language")
    return ParsedItem(
        item_id=item_id,
        body=body,
        headline=_header(message, "Subject"),
        published_at=_date(_header(message, "Date")),
        date_precision="second",
        language=primary_subtag(language),
        format="email",
    )


def _plain(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.split(r"(?m)^-- $", text, maxsplit=1)[0]
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n[ \t]*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
