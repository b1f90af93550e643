"""IPTC NewsML 1.x (1.0 to 1.2, XML): a ``NewsML`` document of one or more ``NewsItem``s.

Field mapping, per ``NewsItem`` (names matched without namespace: Solita's NewsML 1.2 puts
everything in ``http://iptc.org/std/NewsML/2003-10-10/``):

- ``item_id``: ``urn:newsml:{ProviderId}:{DateId}:{NewsItemId}`` from
  ``Identification/NewsIdentifier``: the ``PublicIdentifier`` without its revision, so every
  revision of an item has the same identity. An item without ProviderId, DateId or NewsItemId
  is an ``ItemProblem``.
- ``version``: ``RevisionId`` (an integer; 1 if absent). ``signals``: ``update`` when
  ``RevisionId/@PreviousRevision`` is above 0 or ``@Update`` is ``U`` (a replacement of an
  earlier revision), plus ``append`` when ``@Update`` is ``A`` (only additions are sent).
- ``pubstatus``: ``NewsManagement/Status/@FormalName`` (``Usable``, ``Withheld``,
  ``Canceled``, any case; ``Embargoed`` is ``usable`` with an embargo); ``usable`` if absent.
- ``published_at``: ``ThisRevisionCreated``, else ``FirstCreated``, else the envelope's
  ``DateAndTime``; a time without an offset is in the source's ``timezone``, else UTC
  (``_dates``); a bare date has ``day`` precision.
- ``embargo_until``: ``StatusWillChange/DateAndTime`` when its ``FutureStatus`` is usable,
  else the NITF body's release time.
- ``urgency``: ``NewsManagement/Urgency`` (its ``FormalName`` or its text), else the NITF
  ``ed-urg``, else the envelope's ``Priority``.
- ``headline``, ``byline``, ``dateline``: the first non-empty ``NewsLines/HeadLine``,
  ``ByLine``, ``DateLine`` in the item's NewsComponent tree, else the NITF body's
  ``hl1``/``title``, ``byline``, ``dateline``, else (headline) a ``Title`` component's text.
- ``language``: the first ``DescriptiveMetadata/Language/@FormalName``, else ``xml:lang`` on
  the item or a component, else the NITF body's; the primary subtag, lower-cased.
- ``ednote``: the NITF body's ``ed-msg``.
- ``body``: the text ``ContentItem``s of the NewsComponent tree, in order, paragraphs separated
  by blank lines: NITF in ``DataContent`` (its ``body.content``), XHTML or bare ``<p>`` markup,
  HTML as text or CDATA (``Format`` or ``MimeType`` says HTML, or the text holds tags), or
  plain text (blank lines, else line breaks, separate paragraphs). Components whose ``Role``
  is not story text are left out (``Title``, ``HeadLine``, ``Abstract``, ``Caption``,
  ``StyleSheet``, ``Logo``, ``Contact``...), as are ContentItems that only point elsewhere
  (``Href`` without ``DataContent``) or hold CSS. Where sibling components are the same story
  in several languages (Belga sends ``nl`` and ``fr``), the first language's text is the body.

``CopyrightLine`` and ``SlugLine`` are read by no field (normalization takes the copyright from
the text). A NewsItem whose components are all photo, video or audio (their ``Role`` or
their ContentItems' media type says so) is not a story: it is skipped with a warning, as the
NewsML-G2 parser skips pictures.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingest.formats._dates import parse_timestamp
from ingest.formats._html import element_to_text, html_to_text, local_name
from ingest.formats._language import primary_subtag
from ingest.formats.nitf import (
    NitfDocument,
    read_nitf,
    read_xml_1x,
    words,
)
from ingest.formats.result import ItemError, ParseResult, read_each
from record.errors import ParseError
from record.story import PUBSTATUSES, ParsedItem, RawItem

__all__ = ["parse_newsml_1"]

log = logging.getLogger(__name__)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TEXTLESS_OK = frozenset({"canceled", "withheld"})
#: Component roles whose content is media, not story text.
_MEDIA_ROLES = frozenset(
    {
        "audio", "video", "picture", "photo", "image", "graphic", "sound", "clip",
        "thumbnail", "preview", "illustration",
    }
)  # fmt: skip
#: Component roles whose text is not the story's body (a title, a caption, a style sheet...).
_NOT_BODY_ROLES = frozenset(
    {
        "title", "headline", "abstract", "caption", "stylesheet", "logo", "contact",
        "keywords", "byline", "credit",
    }
)  # fmt: skip
_MEDIA_TYPES = frozenset({"photo", "graphic", "audio", "video", "image", "animation"})
_MEDIA_MIME = ("image/", "audio/", "video/")
_TAG = re.compile(
    r"<(?:p|br|div|b|i|em|strong|span|a|ul|ol|li|h[1-6]|table|html|body)\b[^<>]*>", re.I
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _children(element: Any, name: str) -> Iterator[Any]:
    return (child for child in element if local_name(child) == name.lower())


def _child(element: Any, name: str) -> Any:
    return None if element is None else next(_children(element, name), None)


def _path(element: Any, *names: str) -> Any:
    for name in names:
        element = _child(element, name)
    return element


def _formal(element: Any) -> str:
    """The ``FormalName`` of a NewsML 1 vocabulary element ('' if absent)."""
    return " ".join((element.get("FormalName") or "").split()) if element is not None else ""


def _int(text: str) -> int | None:
    value = text.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@dataclass
class _Tree:
    """What a walk over an item's NewsComponent tree found."""

    parts: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    datelines: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    nitf: list[NitfDocument] = field(default_factory=list)
    media: int = 0
    text_language: str | None = None
    other_languages: int = 0
    #: The source's ``timezone``: a timestamp without an offset is read in it (else UTC).
    zone: str | None = None


def parse_newsml_1(raw: RawItem) -> ParseResult:
    """Parse a NewsML 1.x payload into its news items, problems and warnings."""
    root = read_xml_1x(raw.data)
    if local_name(root) != "newsml":
        raise ParseError(f"root element <{local_name(root) or '?'}> is not a NewsML 1.x <NewsML>")
    envelope = _child(root, "NewsEnvelope")
    warnings: list[str] = []  # _news_item notes what it skips
    news_items = [child for child in root if local_name(child) == "newsitem"]
    if not news_items:
        raise ParseError("NewsML document holds no NewsItem")
    items, problems, _skipped = read_each(
        news_items, lambda element, i: _news_item(element, i, envelope, warnings, raw.timezone)
    )
    for note in warnings:
        log.info("%s: %s", raw.location, note)
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _identity(identifier: Any) -> tuple[str | None, list[str]]:
    parts = {
        name: words(_child(identifier, name)) for name in ("ProviderId", "DateId", "NewsItemId")
    }
    missing = [name for name, value in parts.items() if not value]
    if missing:
        return None, missing
    return "urn:newsml:{ProviderId}:{DateId}:{NewsItemId}".format(**parts), []


def _fallback_identity(element: Any, identifier: Any) -> str | None:
    """An identity for a NewsItem whose NewsIdentifier is incomplete (TASS sends only the
    ProviderId): its PublicIdentifier URN, else provider, first-created date and the Duid of
    the item or of its top NewsComponent (NewsML's own element identifier)."""
    public = words(_child(identifier, "PublicIdentifier"))
    if public:
        return public
    provider = words(_child(identifier, "ProviderId"))
    top = next(iter(_children(element, "NewsComponent")), None)
    duid = element.get("Duid") or (top.get("Duid") if top is not None else None)
    created = words(_child(_child(element, "NewsManagement"), "FirstCreated"))[:8]
    if not provider or not duid:
        return None
    return f"urn:newsml:{provider}:{created or 'undated'}:{duid.strip()}"


def _news_item(
    element: Any, index: int, envelope: Any, warnings: list[str], zone: str | None = None
) -> ParsedItem | None:
    identifier = _path(element, "Identification", "NewsIdentifier")
    item_id, missing = _identity(identifier)
    public = words(_child(identifier, "PublicIdentifier"))
    label = repr(item_id) if item_id else f"#{index + 1}"

    def fail(reason: str) -> ItemError:
        return ItemError(item_id or public or None, f"NewsItem {label}: {reason}")

    tree = _Tree(zone=zone)
    try:
        for component in _children(element, "NewsComponent"):
            _walk(component, tree, element.get(_XML_LANG))
    except ValueError as exc:  # a NITF body with a date that is not a date
        raise fail(f"nitf: {exc}") from None
    if not tree.parts and tree.media:
        warnings.append(f"NewsItem {label} holds only photo, video or audio; not a story, skipped")
        return None
    if item_id is None:
        item_id = _fallback_identity(element, identifier)
        if item_id is None:
            raise fail(f"NewsIdentifier has no {', '.join(missing)}: the item has no identity")
        warnings.append(
            f"NewsItem {label}: NewsIdentifier has no {', '.join(missing)}; identified as "
            f"{item_id!r} (its PublicIdentifier, or provider, first-created date and Duid)"
        )
    management = _child(element, "NewsManagement")
    status = _formal(_child(management, "Status")).lower() or "usable"
    embargoed = status == "embargoed"
    if embargoed:
        status = "usable"
    if status not in PUBSTATUSES:
        raise fail(f"unknown Status {status!r}")
    revision = _child(identifier, "RevisionId")
    version = _int(words(revision)) if revision is not None else 1
    if version is None:
        raise fail(f"RevisionId {words(revision)!r} is not an integer")
    body = "\n\n".join(tree.parts)
    if not body.strip() and status not in _TEXTLESS_OK:
        raise fail("has no text in its NewsComponents")
    if tree.other_languages:
        warnings.append(
            f"NewsItem {label}: {tree.other_languages} component(s) in another language than "
            f"{tree.text_language!r} left out of the body"
        )
    nitf = tree.nitf[0] if tree.nitf else None
    try:
        published, precision = _published(management, envelope, zone)
        embargo = _embargo(management, zone) or (nitf.embargo if nitf is not None else None)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if embargoed and embargo is None:
        warnings.append(f"NewsItem {label}: Status Embargoed without a time; no embargo recorded")
    return ParsedItem(
        item_id=item_id,
        body=body,
        headline=_first(
            tree.headlines,
            [nitf.headline, nitf.title] if nitf else [],
            tree.titles,
        ),
        version=version,
        published_at=published,
        date_precision=precision,
        pubstatus=status,
        embargo_until=embargo,
        language=_first(tree.languages, [nitf.language] if nitf else []),
        format="newsml-1.2",
        signals=_signals(revision),
        byline=_first(tree.bylines, [nitf.byline] if nitf else []),
        dateline=_first(tree.datelines, [nitf.dateline] if nitf else []),
        urgency=_urgency(management, nitf, envelope),
        ednote=nitf.ednote if nitf else None,
    )


def _first(*candidates: Sequence[str | None]) -> str | None:
    return next((c for group in candidates for c in group if c), None)


def _signals(revision: Any) -> tuple[str, ...]:
    if revision is None:
        return ()
    update = (revision.get("Update") or "").strip().upper()
    previous = _int(revision.get("PreviousRevision") or "") or 0
    found: list[str] = []
    if previous > 0 or update == "U":
        found.append("update")
    if update == "A":
        found += ["update", "append"]
    return tuple(dict.fromkeys(found))


def _timestamp(element: Any, zone: str | None) -> tuple[datetime, str] | None:
    text = words(element)
    if not text:
        return None
    try:
        value = parse_timestamp(text, zone)
    except ValueError:
        raise ValueError(f"<{_tag(element)}> {text!r} is not a timestamp") from None
    return value, ("day" if len(text) <= 10 and "T" not in text.upper() else "second")


def _tag(element: Any) -> str:
    """The element's tag without namespace, case kept (NewsML 1 names are CamelCase)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _published(management: Any, envelope: Any, zone: str | None) -> tuple[datetime | None, str]:
    for element in (
        _child(management, "ThisRevisionCreated"),
        _child(management, "FirstCreated"),
        _child(envelope, "DateAndTime"),
    ):
        found = _timestamp(element, zone) if element is not None else None
        if found is not None:
            return found
    return None, "second"


def _embargo(management: Any, zone: str | None) -> datetime | None:
    change = _child(management, "StatusWillChange")
    if change is None:
        return None
    future = _formal(_child(change, "FutureStatus")).lower()
    found = _timestamp(_child(change, "DateAndTime"), zone)
    if found is None or future not in ("", "usable"):
        return None
    return found[0]


def _urgency(management: Any, nitf: NitfDocument | None, envelope: Any) -> int | None:
    urgency = _child(management, "Urgency")
    if urgency is not None:
        value = _int(_formal(urgency) or words(urgency))
        if value is not None:
            return value
    if nitf is not None and nitf.urgency is not None:
        return nitf.urgency
    return _int(_formal(_child(envelope, "Priority")))


def _role(component: Any) -> str:
    return _formal(_child(component, "Role")).lower().replace(" ", "")


def _is_media_item(content: Any) -> bool:
    media_type = _formal(_child(content, "MediaType")).lower()
    mime = _formal(_child(content, "MimeType")).lower()
    return media_type in _MEDIA_TYPES or mime.startswith(_MEDIA_MIME)


def _bundles_media(component: Any) -> bool:
    """A component with a role of its own whose parts are media (Belga's audio ``Quote``)."""
    for child in _children(component, "NewsComponent"):
        if any(_is_media_item(c) for c in _children(child, "ContentItem")):
            return True
    return any(_is_media_item(c) for c in _children(component, "ContentItem"))


def _walk(component: Any, tree: _Tree, inherited_language: str | None) -> None:
    language = component.get(_XML_LANG) or inherited_language
    role = _role(component)
    if role in _MEDIA_ROLES or (
        role and role not in ("main", "body") and _bundles_media(component)
    ):
        tree.media += 1
        return
    lines = _child(component, "NewsLines")
    if lines is not None:
        for name, found in (
            ("HeadLine", tree.headlines),
            ("ByLine", tree.bylines),
            ("DateLine", tree.datelines),
        ):
            found += [words(line) for line in _children(lines, name) if words(line)]
    metadata = _child(component, "DescriptiveMetadata")
    declared = [_formal(e) for e in _children(metadata, "Language")] if metadata is not None else []
    tree.languages += [tag for tag in map(primary_subtag, [*declared, language]) if tag]
    has_text = _has_text_items(component)
    if (
        has_text
        and tree.text_language
        and language
        and primary_subtag(language) != tree.text_language
    ):
        tree.other_languages += 1
        return
    for content in _children(component, "ContentItem"):
        text = _content_text(content, tree)
        if not text:
            continue
        if role in ("title", "headline"):
            tree.titles.append(" ".join(text.split()))
        elif role not in _NOT_BODY_ROLES:
            tree.parts.append(text)
            tree.text_language = tree.text_language or primary_subtag(language)
    for child in _children(component, "NewsComponent"):
        _walk(child, tree, language)


def _has_text_items(component: Any) -> bool:
    """Whether the component or one below it holds content (the language check needs it)."""
    return any(
        local_name(node) == "datacontent" and (len(node) or (node.text or "").strip())
        for node in component.iter()
    )


def _content_text(content: Any, tree: _Tree) -> str:
    """The story text of one ContentItem ('' for media, references and style sheets)."""
    if _is_media_item(content):
        tree.media += 1
        return ""
    data = _child(content, "DataContent")
    if data is None:
        return ""
    format_name = _formal(_child(content, "Format")).lower()
    mime = _formal(_child(content, "MimeType")).lower()
    if "css" in format_name or "css" in mime or mime.startswith("application/"):
        return ""
    elements = [child for child in data if local_name(child)]
    nitf = next((e for e in elements if local_name(e) == "nitf"), None)
    if nitf is not None:
        document = read_nitf(nitf, tree.zone)
        tree.nitf.append(document)
        return document.body
    if elements:
        return element_to_text(data)
    text = data.text or ""
    if not text.strip():
        return ""
    if "html" in format_name or "html" in mime or _TAG.search(text):
        return html_to_text(text)
    return _plain_paragraphs(text)


def _plain_paragraphs(text: str) -> str:
    """Plain text as paragraphs: blank lines separate them, else each line is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())
