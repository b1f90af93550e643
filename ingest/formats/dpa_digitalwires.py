"""dpa digitalwires JSON: one item, a list of items, or a wireQ/s3push page (``entries``).

Field mapping:

- ``item_id``: ``urn`` (``urn:newsml:dpa.com:20090101:240925-930-242744``); ``version``:
  ``version``; ``pubstatus``: ``pubstatus`` (``usable``, ``withheld``, ``canceled``).
- ``published_at``: ``version_created`` (when this version was made), else ``updated``.
  A timestamp without an offset is in the source's ``timezone``, else UTC.
- ``embargo_until``: ``embargoed``.
- ``headline``, ``byline`` (``Von Anna Tomforde, dpa``), ``language`` (primary subtag),
  ``urgency`` (dpa's 1-6).
- ``dateline``: ``dateline`` (``Berlin (dpa) - ``) without its dash: ``Berlin (dpa)``.
  digitalwires keeps it out of the article; it is put at the head of the first paragraph, as
  dpa's own IPTC 7901 and NITF renderings print it, so normalization reads it like every
  other agency's dateline and the text matches the 7901 version of the same item.
- ``body``: ``article_html`` made text by the project's HTML-to-text function.
- ``ednote``: the ``ednotes`` of role editorial note (``dpaednoterole:editorialnote``, AP's
  ``dnlrole:ap.ednote``), else the public part of the ``notepad``; the closing line of editor
  codes (``dpa kre/su yysw``) and the contacts are not notes to the reader's desk.
- ``signals``: ``signal`` (``sig:correction`` -> ``correction``; a string or a list).

An item without text (``article_html`` empty: a picture's record, ``noContent``) is an
``ItemProblem`` "no text" unless it is a kill; picture, video, audio and graphic items are skipped
with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.formats._html import html_to_text
from ingest.formats._json import json_timestamp, json_version, load_json
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemError, ParseResult, read_each
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = ["looks_like_digitalwires", "parse_dpa_digitalwires"]

_MEDIA_TYPES = frozenset({"picture", "image", "video", "audio", "graphic"})
_TEXTLESS_OK = frozenset({"canceled", "withheld"})
_NOTE_ROLES = ("editorialnote", "ap.ednote", "ednote")
#: Keys only digitalwires items carry beside ``urn`` (ninjs has ``uri``, never ``urn``).
_DW_KEYS = frozenset({"article_html", "version_created", "entry_id", "rubric_names", "notepad"})


def looks_like_digitalwires(value: Any) -> bool:
    """Whether a decoded JSON value is a digitalwires item, a list of them, or a page."""
    if isinstance(value, dict) and isinstance(value.get("entries"), list):
        value = value["entries"]
    if isinstance(value, list):
        return bool(value) and all(_is_item(v) for v in value)
    return _is_item(value)


def _is_item(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("urn"), str)
        and bool(_DW_KEYS & value.keys())
    )


def _entries(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("entries"), list):
        return list(document["entries"])
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "urn" in document:
        return [document]
    raise ParseError("JSON is not a digitalwires item (no urn), list, or page of entries")


def parse_dpa_digitalwires(raw: RawItem) -> ParseResult:
    """Parse a digitalwires payload into its items, the items that failed and warnings."""
    document = load_json(raw.data, raw.encoding)
    items, problems, skipped = read_each(
        _entries(document), lambda entry, i: _item(entry, i, raw.timezone)
    )
    warnings = [
        f"digitalwires item #{index + 1}: type {entry.get('type')!r} skipped"
        for index, entry in skipped
    ]
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _item(entry: Any, index: int, zone: str | None = None) -> ParsedItem | None:
    if not isinstance(entry, dict):
        raise ItemError(None, f"digitalwires item #{index + 1} is a JSON {type(entry).__name__}")
    urn = _text(entry.get("urn"))
    if urn is None:
        raise ItemError(None, f"digitalwires item #{index + 1} has no urn")

    def fail(reason: str) -> ItemError:
        return ItemError(urn, f"digitalwires item {urn!r}: {reason}")

    if str(entry.get("type") or "").lower() in _MEDIA_TYPES:
        return None
    pubstatus = str(entry.get("pubstatus") or "usable").strip().lower()
    pubstatus = "canceled" if pubstatus == "cancelled" else pubstatus
    if pubstatus not in PUBSTATUSES:
        raise fail(f"unknown pubstatus {pubstatus!r}")
    html = entry.get("article_html")
    if html is not None and not isinstance(html, str):
        raise fail("article_html is not a string")
    body = html_to_text(html or "")
    if not body.strip() and pubstatus not in _TEXTLESS_OK:
        raise fail("no text (article_html is empty)")
    dateline = _text(entry.get("dateline"))
    if dateline and body and not body.startswith(dateline):
        body = f"{dateline} {body}"
    language = _text(entry.get("language"))
    urgency = entry.get("urgency")
    return ParsedItem(
        item_id=urn,
        body=body,
        headline=_text(entry.get("headline")),
        version=json_version(entry.get("version"), fail),
        published_at=json_timestamp(entry, fail, "version_created", zone=zone)
        or json_timestamp(entry, fail, "updated", zone=zone),
        date_precision="second",
        pubstatus=pubstatus,
        embargo_until=json_timestamp(entry, fail, "embargoed", zone=zone),
        language=primary_subtag(language),
        format="dpa-digitalwires",
        signals=_signals(entry.get("signal")),
        byline=_text(entry.get("byline")),
        dateline=dateline.rstrip(" -–—") or None if dateline else None,
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        ednote=_ednote(entry),
    )


def _signals(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    codes = [v.rsplit(":", 1)[-1].strip().lower() for v in values if isinstance(v, str)]
    return tuple(dict.fromkeys(code for code in codes if code))


def _ednote(entry: Mapping[str, Any]) -> str | None:
    notes: list[str] = []
    ednotes = entry.get("ednotes")
    for note in ednotes if isinstance(ednotes, list) else []:
        if not isinstance(note, dict):
            continue
        role = str(note.get("role") or "").rsplit(":", 1)[-1].lower()
        text = _text(note.get("ednote"))
        if text and role in _NOTE_ROLES:
            notes.append(text)
    if notes:
        return "\n".join(notes)
    notepad = entry.get("notepad")
    public = notepad.get("public_html") if isinstance(notepad, dict) else None
    text = html_to_text(public) if isinstance(public, str) else ""
    return text or None
