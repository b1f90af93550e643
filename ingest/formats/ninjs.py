"""IPTC ninjs (JSON) 1.x, 2.x and 3.x: one item, a list of items, or a page of an API.

Field mapping (1.x and 2.x spell keys in lower case, 3.x in camelCase; both are read):

- ``item_id``: ``uri`` (required by every ninjs version), else ``guid`` (Superdesk output).
- ``version``: ``version`` (a string in the schemas, an integer in some feeds); 1 if absent.
- ``pubstatus``: ``pubstatus`` (1.x/2.x) or ``pubStatus`` (3.x); ``usable`` if absent.
- ``published_at``: ``versioncreated``/``versionCreated`` (when this version was made), else
  ``firstcreated``/``firstCreated``, else ``contentcreated``/``contentCreated`` (an empty value
  falls through); a timestamp without an offset is in the source's ``timezone``, else UTC.
- ``embargo_until``: ``embargoed``.
- ``headline``: the ``headlines`` array (role ``main`` first) or the flat ``headline``; the 3.x
  ``title`` only when neither exists.
- ``body``: the ``bodies`` array (HTML/XHTML first, then NITF, then plain text) or the flat
  ``body_html``/``body_xhtml``/``body_text``; an item with no body at all falls back to its
  descriptions (NTB sends a lead only). Markup becomes paragraphs separated by a blank line.
- ``language``: the primary subtag of ``language`` (``nb-NO`` -> ``nb``).

Items of type picture, graphic, video or audio are not stories: they are skipped with a
warning. An item without identity, text (unless it is a kill) or with a bad date or status is
an ``ItemProblem``; the other items of the payload go on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ingest.formats._html import html_to_text, nitf_to_text
from ingest.formats._json import json_timestamp, json_version, load_json
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemError, ParseResult, read_each
from ingest.formats.xml import parse_xml
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = ["next_page_url", "parse_ninjs"]

log = logging.getLogger(__name__)

#: Keys under which list endpoints put their items (IPTC leaves the envelope open).
_ITEM_LISTS = ("items", "data", "item", "_items")
#: Types that carry media, not a story.
_MEDIA_TYPES = frozenset({"picture", "graphic", "video", "audio"})
#: A killed or withheld item may legitimately arrive without text.
_TEXTLESS_OK = frozenset({"canceled", "withheld"})


def looks_like_ninjs(value: Any) -> bool:
    """Whether a decoded JSON value has the shape of a ninjs item, list or page."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, dict) for v in value) and _is_item(value[0])
    if isinstance(value, dict):
        if _is_item(value):
            return True
        return any(
            isinstance(value.get(key), list) and looks_like_ninjs(value[key]) for key in _ITEM_LISTS
        )
    return False


_ITEM_KEYS = frozenset(
    {
        "headline", "headlines", "body_html", "body_text", "body_xhtml", "bodies", "type",
        "versioncreated", "versionCreated", "pubstatus", "pubStatus", "$standard", "standard",
        "version", "firstcreated", "firstCreated", "descriptions", "title",
    }
)  # fmt: skip


def _is_item(value: Mapping[str, Any]) -> bool:
    has_identity = isinstance(value.get("uri"), str) or isinstance(value.get("guid"), str)
    return has_identity and bool(_ITEM_KEYS & value.keys())


def next_page_url(data: bytes) -> str | None:
    """The "next page" link of a paginated ninjs API response, or None on the last page.

    Recognised, in order: a top-level ``next`` (or ``nextPage``/``next_page``) string,
    ``links.next`` (a string or ``{"href": ...}``), HAL's ``_links.next.href`` and
    ``meta.next``/``pagination.next``. The link is returned as given, possibly relative: the
    caller resolves it against the URL it fetched. Raises ``ParseError`` if ``data`` is not
    JSON.
    """
    document = load_json(data)
    if not isinstance(document, dict):
        return None
    candidates: list[Any] = [document.get(k) for k in ("next", "nextPage", "next_page")]
    for container in ("links", "_links", "meta", "pagination"):
        nested = document.get(container)
        if isinstance(nested, dict):
            candidates.append(nested.get("next"))
    for candidate in candidates:
        if isinstance(candidate, dict):
            candidate = candidate.get("href")
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None


def _objects(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _ITEM_LISTS:
            nested = document.get(key)
            if isinstance(nested, list):
                return nested
        if "uri" in document or "guid" in document:
            return [document]
        raise ParseError(
            "JSON object is not a ninjs item (no uri or guid) and holds no item list "
            f"({', '.join(_ITEM_LISTS)})"
        )
    raise ParseError(f"JSON {type(document).__name__} is not a ninjs item or list of items")


def parse_ninjs(raw: RawItem) -> ParseResult:
    """Parse a ninjs payload into its items, the items that failed and warnings."""
    objects = _objects(load_json(raw.data, raw.encoding))
    items, problems, skipped = read_each(objects, lambda obj, i: _item(obj, i, raw.timezone))
    warnings = [
        f"ninjs item {_label(obj, index)}: type {obj.get('type')!r} is not a story"
        for index, obj in skipped
    ]
    for note in warnings:
        log.info("%s: %s", raw.location, note)
    if not objects:
        warnings.append("ninjs payload holds no items")
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _label(obj: Any, index: int) -> str:
    ident = _identity(obj) if isinstance(obj, dict) else None
    return repr(ident) if ident else f"#{index + 1}"


def _identity(obj: Mapping[str, Any]) -> str | None:
    for key in ("uri", "guid"):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _get(obj: Mapping[str, Any], *keys: str) -> Any:
    """The first of ``keys`` present with a value: 2.x and 3.x spell the same field apart."""
    for key in keys:
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None


def _item(obj: Any, index: int, zone: str | None = None) -> ParsedItem | None:
    if not isinstance(obj, dict):
        raise ItemError(None, f"ninjs item #{index + 1} is a JSON {type(obj).__name__}")
    item_id = _identity(obj)
    label = _label(obj, index)
    if item_id is None:
        raise ItemError(None, f"ninjs item {label} has no uri or guid")

    def fail(reason: str) -> ItemError:
        return ItemError(item_id, f"ninjs item {label}: {reason}")

    if str(obj.get("type", "")).lower() in _MEDIA_TYPES:
        return None
    pubstatus = str(_get(obj, "pubStatus", "pubstatus") or "usable").strip().lower()
    pubstatus = "canceled" if pubstatus == "cancelled" else pubstatus
    if pubstatus not in PUBSTATUSES:
        raise fail(f"unknown pubstatus {pubstatus!r}")
    body = _body(obj, fail)
    if not body.strip() and pubstatus not in _TEXTLESS_OK:
        raise fail("has no body text")
    published = json_timestamp(
        obj, fail, "versionCreated", "versioncreated", "firstCreated", "firstcreated",
        "contentCreated", "contentcreated", zone=zone,
    )  # fmt: skip
    language = _get(obj, "language")
    return ParsedItem(
        item_id=item_id,
        body=body,
        headline=_headline(obj),
        version=json_version(obj.get("version"), fail),
        published_at=published,
        date_precision="second",
        pubstatus=pubstatus,
        embargo_until=json_timestamp(obj, fail, "embargoed", zone=zone),
        language=primary_subtag(language),
        format="ninjs",
    )


def _headline(obj: Mapping[str, Any]) -> str | None:
    headlines = obj.get("headlines")
    if isinstance(headlines, list):
        entries = [h for h in headlines if isinstance(h, dict) and isinstance(h.get("value"), str)]
        entries.sort(key=lambda h: h.get("role") != "main")  # stable: main first, then order
        for entry in entries:
            if entry["value"].strip():
                return str(entry["value"]).strip()
    for key in ("headline", "title"):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _kind(part: Mapping[str, Any]) -> str:
    """html, nitf or text: how a ``bodies``/``descriptions`` entry is marked up."""
    content_type = str(_get(part, "contentType", "contenttype") or "").lower()
    role = str(part.get("role") or "").lower()
    if "nitf" in content_type or role == "nitf":
        return "nitf"
    if "html" in content_type or role in {"html", "html5", "xhtml", "richtext", "richhtml5"}:
        return "html"
    if content_type in ("", "text/plain"):
        return "text"
    return "other"  # e.g. an agency's own XML (TT's ttnitf): not read


def _render(kind: str, value: str, fail: Any) -> str:
    if kind == "html":
        return html_to_text(value)
    if kind == "nitf":
        try:
            return nitf_to_text(parse_xml(value.encode("utf-8")))
        except ParseError as exc:
            raise fail(f"NITF body: {exc}") from exc
    return value.strip()


def _body(obj: Mapping[str, Any], fail: Any) -> str:
    for key in ("bodies", "descriptions"):
        parts = obj.get(key)
        if not isinstance(parts, list):
            continue
        usable = [p for p in parts if isinstance(p, dict) and isinstance(p.get("value"), str)]
        if key == "descriptions":  # a caption or credit line is not story text
            usable = [p for p in usable if p.get("role") not in ("caption", "creditline")]
        for wanted in ("html", "nitf", "text"):
            for part in usable:
                if _kind(part) == wanted:
                    text = _render(wanted, part["value"], fail)
                    if text.strip():
                        return text
        if key == "bodies" and usable:
            break
    for key, kind in (
        ("body_html", "html"),
        ("body_xhtml", "html"),
        ("body_text", "text"),
        ("description_html", "html"),
        ("description_text", "text"),
    ):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            text = _render(kind, value, fail)
            if text.strip():
                return text
    return ""
