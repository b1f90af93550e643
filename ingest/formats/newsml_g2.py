"""IPTC NewsML-G2 (XML): a ``newsItem``, a ``packageItem``, or a ``newsMessage`` of several.

Field mapping, per ``newsItem``:

- ``item_id``: the ``guid`` attribute; ``version``: the ``version`` attribute (1 if absent, as
  the standard defines).
- ``pubstatus``: ``itemMeta/pubStatus/@qcode`` (``stat:usable``, ``stat:withheld``,
  ``stat:canceled``); ``usable`` if absent, as the standard defines.
- ``published_at``: ``itemMeta/versionCreated`` (required by the standard: when this
  version was made, which is what a per-version record needs); where it is empty or absent,
  ``contentMeta/contentModified``, ``contentMeta/contentCreated``, then ``firstCreated``. A
  timestamp without an offset is in the source's ``timezone`` (UTC where it declares none).
- ``embargo_until``: ``itemMeta/embargoed`` (an empty element gives None and a warning).
- ``signals``: ``itemMeta/signal/@qcode`` in the IPTC ``sig`` scheme (``update``,
  ``correction``, ``repeat``...) and the ``update`` scheme (``append-major-content``...), by
  their code; agency schemes (``dpasig:``, ``apsig:``, ``edStat:``) are not wire semantics
  the dataset defines and are left out.
- ``headline``: ``contentMeta/headline``, else the NITF ``hl1`` or ``title``.
- ``body``: the first ``contentSet`` rendition with text: inline XHTML (without ``head`` and
  HTML5 ``header`` blocks), inline NITF (its ``body.content``), else ``inlineData`` text.
- ``language``: ``contentMeta/language/@tag``, else ``xml:lang``; the primary subtag.

Items whose ``itemClass`` is a picture, graphic, video or audio are skipped with a warning. A
``packageItem`` is not a story: it is returned as a ``PackageRef`` (its guid, version and the
``residref`` of each ``itemRef``) so the items it groups can be traced, and noted in the
warnings. A newsItem without guid, or without text while usable, is an ``ItemProblem``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml import etree

from ingest.formats._dates import parse_timestamp
from ingest.formats._html import element_to_text, nitf_to_text
from ingest.formats._language import primary_subtag
from ingest.formats.result import ItemError, ItemProblem, PackageRef, ParseResult
from ingest.formats.xml import parse_xml
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = ["NAR_NAMESPACE", "package_references", "parse_newsml_g2"]

log = logging.getLogger(__name__)

#: The namespace of every NewsML-G2 element.
NAR_NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MEDIA_CLASSES = frozenset({"picture", "graphic", "video", "audio"})
_SIGNAL_SCHEMES = frozenset({"sig", "update"})
_TEXTLESS_OK = frozenset({"canceled", "withheld"})


def _name(element: Any) -> str:
    """Local name, case kept (G2 names are camelCase); '' for comments."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if _name(child) == name)


def _child(element: Any, name: str) -> Any:
    return next(_children(element, name), None)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _code(qcode: str | None) -> str:
    """The code of a QCode or a NewsCodes URI: ``stat:usable`` and ``.../pubstatusg2/usable``."""
    if not qcode:
        return ""
    return qcode.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower()


def _scheme(qcode: str) -> str:
    return qcode.split(":", 1)[0].lower() if ":" in qcode and "/" not in qcode else ""


def _top_items(root: Any) -> list[Any]:
    name = _name(root)
    if name in ("newsItem", "packageItem"):
        return [root]
    if name == "newsMessage":
        return [item for item_set in _children(root, "itemSet") for item in item_set if _name(item)]
    raise ParseError(
        f"root element <{name}> is not a NewsML-G2 newsItem, packageItem or newsMessage"
    )


def package_references(data: bytes) -> list[PackageRef]:
    """The packageItems of a NewsML-G2 payload, as references (never stories)."""
    return [_package(item) for item in _top_items(parse_xml(data)) if _name(item) == "packageItem"]


def _package(element: Any) -> PackageRef:
    refs = tuple(
        ref.get("residref", "").strip()
        for ref in element.iter()
        if _name(ref) == "itemRef" and ref.get("residref", "").strip()
    )
    try:
        version = int(element.get("version", "1"))
    except ValueError:
        version = 1
    return PackageRef(
        guid=(element.get("guid") or "").strip() or None, version=version, item_refs=refs
    )


def parse_newsml_g2(raw: RawItem) -> ParseResult:
    """Parse a NewsML-G2 payload into its news items, problems, warnings and packages."""
    root = parse_xml(raw.data)
    items: list[ParsedItem] = []
    problems: list[ItemProblem] = []
    warnings: list[str] = []
    packages: list[PackageRef] = []
    for index, element in enumerate(_top_items(root)):
        name = _name(element)
        guid = (element.get("guid") or "").strip() or None
        label = repr(guid) if guid else f"#{index + 1}"
        if name == "packageItem":
            package = _package(element)
            packages.append(package)
            warnings.append(
                f"packageItem {label} groups {len(package.item_refs)} item(s); "
                "recorded by reference, not as a story"
            )
            continue
        if name != "newsItem":
            warnings.append(f"<{name}> {label} is not a news item; skipped")
            continue
        try:
            item = _news_item(element, guid, label, warnings, raw.timezone)
        except ItemError as exc:
            problems.append(ItemProblem(exc.item_id, exc.reason))
            continue
        if item is not None:
            items.append(item)
    for note in warnings:
        log.info("%s: %s", raw.location, note)
    return ParseResult(tuple(items), tuple(problems), tuple(warnings), tuple(packages))


def _news_item(
    element: Any, guid: str | None, label: str, warnings: list[str], zone: str | None = None
) -> ParsedItem | None:
    def fail(reason: str) -> ItemError:
        return ItemError(guid, f"newsItem {label}: {reason}")

    if guid is None:
        raise fail("has no guid")
    meta = _child(element, "itemMeta")
    if meta is None:
        raise fail("has no itemMeta")
    item_class = _code(_attr(_child(meta, "itemClass"), "qcode"))
    if item_class in _MEDIA_CLASSES:
        warnings.append(f"newsItem {label}: itemClass {item_class!r} is not a story; skipped")
        return None
    pubstatus = _code(_attr(_child(meta, "pubStatus"), "qcode")) or "usable"
    if pubstatus not in PUBSTATUSES:
        raise fail(f"unknown pubStatus {pubstatus!r}")
    try:
        version = int(element.get("version", "1"))
    except ValueError:
        raise fail(f"version {element.get('version')!r} is not an integer") from None
    content_meta = _child(element, "contentMeta")
    body, nitf_headline = _body(_child(element, "contentSet"))
    if not body.strip() and pubstatus not in _TEXTLESS_OK:
        raise fail("has no text in its contentSet")
    embargo_element = _child(meta, "embargoed")
    if embargo_element is not None and not _text(embargo_element):
        warnings.append(f"newsItem {label}: <embargoed> is empty; no embargo time recorded")
    return ParsedItem(
        item_id=guid,
        body=body,
        headline=_headline(content_meta) or nitf_headline,
        version=version,
        published_at=_first_time(
            fail,
            zone,
            (meta, "versionCreated"),
            (content_meta, "contentModified"),
            (content_meta, "contentCreated"),
            (meta, "firstCreated"),
        ),
        date_precision="second",
        pubstatus=pubstatus,
        embargo_until=_time(meta, fail, "embargoed", zone),
        language=_language(element, content_meta),
        format="newsml-g2",
        signals=_signals(meta),
    )


def _attr(element: Any, name: str) -> str | None:
    return None if element is None else element.get(name)


def _first_time(fail: Any, zone: str | None, *where: tuple[Any, str]) -> datetime | None:
    """The first of the (parent, element) timestamps that is set; an empty one falls through."""
    for parent, name in where:
        found = _time(parent, fail, name, zone) if parent is not None else None
        if found is not None:
            return found
    return None


def _time(meta: Any, fail: Any, name: str, zone: str | None = None) -> datetime | None:
    text = _text(_child(meta, name))
    if not text:
        return None
    try:
        return parse_timestamp(text, zone)
    except ValueError:
        raise fail(f"<{name}> {text!r} is not a timestamp") from None


def _signals(meta: Any) -> tuple[str, ...]:
    found: list[str] = []
    for signal in _children(meta, "signal"):
        qcode = (signal.get("qcode") or "").strip()
        uri = (signal.get("uri") or "").strip()
        if _scheme(qcode) in _SIGNAL_SCHEMES:
            found.append(_code(qcode))
        elif "/newscodes/signal/" in uri:
            found.append(_code(uri))
    return tuple(dict.fromkeys(code for code in found if code))


def _headline(content_meta: Any) -> str | None:
    if content_meta is None:
        return None
    for headline in _children(content_meta, "headline"):
        text = _text(headline)
        if text:
            return text
    return None


def _language(element: Any, content_meta: Any) -> str | None:
    tag = _attr(_child(content_meta, "language"), "tag") if content_meta is not None else None
    tag = tag or element.get(_XML_LANG)
    return primary_subtag(tag)


def _body(content_set: Any) -> tuple[str, str | None]:
    """The story text of a contentSet, and the headline its NITF carries, if any."""
    if content_set is None:
        return "", None
    nitf_headline: str | None = None
    for inline in _children(content_set, "inlineXML"):
        content_type = (inline.get("contenttype") or "").lower()
        if "nitf" in content_type or any(_name(c) == "nitf" for c in inline):
            nitf_headline = nitf_headline or _nitf_headline(inline)
            text = nitf_to_text(inline)
        else:
            text = element_to_text(inline)
        if text.strip():
            return text, nitf_headline
    for data in _children(content_set, "inlineData"):
        content_type = (data.get("contenttype") or "text/plain").lower()
        if content_type.startswith("text/plain") and (data.text or "").strip():
            return data.text.strip(), nitf_headline
    return "", nitf_headline


def _nitf_headline(inline: Any) -> str | None:
    for name in ("hl1", "title"):
        for node in inline.iter():
            if _name(node) == name and _text(node):
                return _text(node)
    return None
