"""AP Media API JSON: a feed or search page, one item's content response, or bare items.

Envelopes read: ``{"data": {"items": [{"meta": ..., "item": {...}}], "next_page": ...}}`` (feed
and search), ``{"data": {"meta": ..., "item": {...}}}`` (one item), a bare item (an object with
``altids``) and a list of bare items. Detection recognises the envelopes only: a bare AP item
is shaped like a ninjs 1.x item (``altids`` included), so it needs a declared format.

Field mapping, per item:

- ``item_id``: ``altids.itemid`` (AP's identity, stable across versions), else ``uri``;
  ``altids.etag`` names one version and ``altids.friendlykey`` is AP's short number: both are
  kept out of the key so the versions of an item share it.
- ``version``: ``version`` (AP counts from 0); ``pubstatus``: ``pubstatus``.
- ``published_at``: ``versioncreated``, else ``firstcreated``; ``embargo_until``:
  ``embargoed``.
  A timestamp without an offset is in the source's ``timezone``, else UTC.
- ``headline``: ``headline``, else ``title``; ``byline``: the ``by`` of each ``bylines`` entry,
  joined with "; "; ``language``: the primary subtag; ``urgency``: ``urgency``.
- ``dateline``: ``datelinelocation`` (city, then state or country), where AP gives it.
- ``ednote``: ``ednote`` ("Eds: UPDATES: ...").
- ``signals``: ``update`` and ``correction`` from the ednote (``UPDATES:``, ``CORRECTS:``) and
  from ``editorialtypes`` (``Lead``, ``Correction``); AP's own ``signals`` (``newscontent``,
  ``whitelisted``) describe licensing, not versions, and are left out.
- ``body``: the text a rendition carries inline (``renditions.nitf`` or another text rendition
  holding its document under ``body``, ``value`` or ``text``: NITF or HTML markup, or plain
  text). The API delivers renditions by reference (``href``), and this parser fetches nothing,
  so an item without inline text falls back to ``description_summary`` (AP's lead, as the ninjs
  parser falls back to descriptions) with a warning, or is an ``ItemProblem`` "no inline text".

Items of type picture, graphic, video or audio are not stories: they are skipped with a warning.
``next_page`` exposes ``data.next_page`` for paginated HTTP sources, like ninjs's
``next_page_url``.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.formats._html import html_to_text, nitf_to_text
from ingest.formats._json import json_timestamp, json_version, load_json
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemError, ParseResult, read_each
from ingest.formats.xml import parse_xml
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = ["looks_like_ap_media", "next_page", "parse_ap_media"]

_MEDIA_TYPES = frozenset({"picture", "graphic", "video", "audio", "photo"})
_TEXTLESS_OK = frozenset({"canceled", "withheld"})
_TEXT_KEYS = ("body", "value", "text", "content")


def _is_item(value: Any) -> bool:
    altids = value.get("altids") if isinstance(value, dict) else None
    return isinstance(altids, dict) and isinstance(altids.get("itemid"), str)


def looks_like_ap_media(value: Any) -> bool:
    """Whether a decoded JSON value is an AP Media API envelope whose items have ``altids``.

    Only the envelope (``data.items`` or ``data.item``) tells AP apart: a bare AP item has the
    shape of a ninjs 1.x item, ``altids`` included, so bare items are left to the ninjs parser
    unless a source declares ``format = "ap-media"``.
    """
    data = value.get("data") if isinstance(value, dict) else None
    if not isinstance(data, dict):
        return False
    try:
        objects = _objects(value)
    except ParseError:
        return False
    return bool(objects) and _is_item(objects[0])


def _objects(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise ParseError(f"JSON {type(document).__name__} is not an AP Media API response")
    data = document.get("data")
    if isinstance(data, dict):
        if isinstance(data.get("items"), list):
            return [e.get("item", e) if isinstance(e, dict) else e for e in data["items"]]
        if isinstance(data.get("item"), dict):
            return [data["item"]]
    if _is_item(document):
        return [document]
    raise ParseError("JSON is not an AP Media API response (no data.items, data.item or altids)")


def next_page(data: bytes) -> str | None:
    """The ``data.next_page`` link of an AP feed or search page, or None on the last page."""
    document = load_json(data)
    inner = document.get("data") if isinstance(document, dict) else None
    link = inner.get("next_page") if isinstance(inner, dict) else None
    return link.strip() if isinstance(link, str) and link.strip() else None


def parse_ap_media(raw: RawItem) -> ParseResult:
    """Parse an AP Media API payload into its items, the items that failed and warnings."""
    objects = _objects(load_json(raw.data, raw.encoding))
    warnings: list[str] = []  # _item notes what it skips
    items, problems, _skipped = read_each(
        objects, lambda obj, i: _item(obj, i, warnings, raw.timezone)
    )
    if not objects:
        warnings.append("AP Media API payload holds no items")
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _str(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _item(obj: Any, index: int, warnings: list[str], zone: str | None = None) -> ParsedItem | None:
    if not isinstance(obj, dict):
        raise ItemError(None, f"AP item #{index + 1} is a JSON {type(obj).__name__}")
    altids = obj.get("altids")
    itemid = altids.get("itemid") if isinstance(altids, dict) else None
    item_id = _str(itemid) or _str(obj.get("uri"))
    if item_id is None:
        raise ItemError(None, f"AP item #{index + 1} has no altids.itemid or uri")
    label = repr(item_id)

    def fail(reason: str) -> ItemError:
        return ItemError(item_id, f"AP item {label}: {reason}")

    if str(obj.get("type") or "").lower() in _MEDIA_TYPES:
        warnings.append(f"AP item {label}: type {obj.get('type')!r} is not a story; skipped")
        return None
    pubstatus = str(obj.get("pubstatus") or "usable").strip().lower()
    pubstatus = "canceled" if pubstatus == "cancelled" else pubstatus
    if pubstatus not in PUBSTATUSES:
        raise fail(f"unknown pubstatus {pubstatus!r}")
    body = _body(obj.get("renditions"), fail)
    if not body.strip():
        summary = _str(obj.get("description_summary"))
        if summary:
            body = summary
            warnings.append(f"AP item {label}: renditions by reference only; lead from summary")
        elif pubstatus not in _TEXTLESS_OK:
            raise fail("no inline text (renditions by reference only, and no summary)")
    ednote = _str(obj.get("ednote"))
    urgency = obj.get("urgency")
    language = _str(obj.get("language"))
    return ParsedItem(
        item_id=item_id,
        body=body,
        headline=_str(obj.get("headline")) or _str(obj.get("title")),
        version=json_version(obj.get("version"), fail),
        published_at=json_timestamp(obj, fail, "versioncreated", zone=zone)
        or json_timestamp(obj, fail, "firstcreated", zone=zone),
        date_precision="second",
        pubstatus=pubstatus,
        embargo_until=json_timestamp(obj, fail, "embargoed", zone=zone),
        language=primary_subtag(language),
        format="ap-media",
        signals=_signals(ednote, obj.get("editorialtypes")),
        byline=_byline(obj.get("bylines")),
        dateline=_dateline(obj.get("datelinelocation")),
        urgency=urgency if isinstance(urgency, int) and not isinstance(urgency, bool) else None,
        ednote=ednote,
    )


def _body(renditions: Any, fail: Any) -> str:
    if not isinstance(renditions, dict):
        return ""
    names = sorted(renditions, key=lambda name: name != "nitf")  # NITF first, then the rest
    for name in names:
        rendition = renditions[name]
        if not isinstance(rendition, dict):
            continue
        value = next((rendition[k] for k in _TEXT_KEYS if isinstance(rendition.get(k), str)), "")
        if not value.strip():
            continue
        kind = f"{name} {rendition.get('mimetype') or ''} {rendition.get('format') or ''}".lower()
        if "nitf" in kind or value.lstrip().startswith("<nitf"):
            try:
                text = nitf_to_text(parse_xml(value.encode("utf-8")))
            except ParseError as exc:
                raise fail(f"NITF rendition {name!r}: {exc}") from exc
        elif "html" in kind or value.lstrip().startswith("<"):
            text = html_to_text(value)
        else:
            text = value.strip()
        if text.strip():
            return text
    return ""


def _signals(ednote: str | None, types: Any) -> tuple[str, ...]:
    found: list[str] = []
    note = (ednote or "").lower()
    if re.search(r"\bupdates?\b:?", note):
        found.append("update")
    if re.search(r"\bcorrect(?:s|ion|ed)\b", note):
        found.append("correction")
    for kind in types if isinstance(types, list) else []:
        lowered = str(kind).lower()
        if lowered in ("lead", "writethru"):
            found.append("update")
        elif lowered in ("correction", "clarification"):
            found.append("correction")
    return tuple(dict.fromkeys(found))


def _byline(bylines: Any) -> str | None:
    names = (
        [_str(b.get("by")) for b in bylines if isinstance(b, dict)]
        if isinstance(bylines, list)
        else []
    )
    return "; ".join(n for n in names if n) or None


def _dateline(location: Any) -> str | None:
    if not isinstance(location, dict):
        return None
    city = _str(location.get("city"))
    region = _str(location.get("countryareaname")) or _str(location.get("countryname"))
    parts = [p for p in (city, region) if p]
    return ", ".join(parts) or None
