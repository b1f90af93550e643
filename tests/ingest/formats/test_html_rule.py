"""One HTML-to-text rule: the same story markup gives the same body in every format.

The markup is this project's own: a short story with a heading, a list, a table, a figure, a
byline block and entities, sent as an RSS description, a ninjs ``body_html``, NewsML-G2 XHTML
and an NITF ``body.content``.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

import pytest

from ingest import prepare
from record import RawItem

FETCHED = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)

MARKUP = (
    "<p>Le conseil municipal de Vernier a adopté mardi le budget 2027 par 41 voix contre 12.</p>"
    "<h2>Investissements</h2>"
    "<p>Les crédits d&#8217;investissement atteignent 38&nbsp;millions de francs&nbsp;: "
    "<b>écoles</b>, voirie et <i>réseau de chaleur</i>.</p>"
    "<ul><li>Écoles : 14 millions</li><li>Voirie : 9 millions</li></ul>"
    "<table><tr><td>Recettes</td><td>512 millions</td></tr></table>"
    "<figure><img src='x.jpg'/><figcaption>La salle du conseil.</figcaption></figure>"
    "<p>Le référendum reste possible jusqu&#8217;au 15 janvier &amp; au-delà.</p>"
)


def _rss() -> RawItem:
    body = html.escape(MARKUP)
    feed = (
        '<rss version="2.0"><channel><title>t</title><item><guid>vernier</guid>'
        f"<title>Budget</title><description>{body}</description>"
        "<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    return RawItem("rss", "feed", feed.encode(), FETCHED, "/rss", "rss")


def _ninjs() -> RawItem:
    item = {
        "uri": "vernier",
        "versioncreated": "2026-11-24T10:00:00Z",
        "headline": "Budget",
        "body_html": MARKUP,
    }
    return RawItem("ninjs", "item", json.dumps(item).encode(), FETCHED, "/ninjs", "ninjs")


def _xhtml() -> str:
    # Parsed as XML, so the HTML entities that XML lacks are written as characters.
    return html.unescape(MARKUP).replace("&", "&amp;").replace("<img src='x.jpg'/>", "<img/>")


def _g2() -> RawItem:
    doc = (
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="vernier" version="1">'
        '<itemMeta><itemClass qcode="ninat:text"/>'
        "<versionCreated>2026-11-24T10:00:00Z</versionCreated></itemMeta>"
        "<contentMeta><headline>Budget</headline></contentMeta><contentSet>"
        '<inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{_xhtml()}</body></html>'
        "</inlineXML></contentSet></newsItem>"
    )
    return RawItem("g2", "item", doc.encode(), FETCHED, "/g2", "newsml-g2")


def _nitf() -> RawItem:
    doc = (
        '<nitf><head><docdata><doc-id id-string="vernier"/>'
        '<date.issue norm="20261124T100000Z"/></docdata></head>'
        "<body><body.head><hedline><hl1>Budget</hl1></hedline></body.head>"
        f"<body.content>{_xhtml()}</body.content></body></nitf>"
    )
    return RawItem("nitf", "item", doc.encode(), FETCHED, "/nitf", "nitf")


@pytest.mark.parametrize("raw", [_rss(), _ninjs(), _g2(), _nitf()], ids=lambda r: r.source)
def test_the_same_markup_gives_the_same_body_and_hash(raw: RawItem) -> None:
    [reference], _ = prepare([_ninjs()])
    [story], rejects = prepare([raw])
    assert rejects == []
    assert story.body == reference.body
    assert story.content_hash == reference.content_hash
    paragraphs = story.body.split("\n\n")
    assert paragraphs[1] == "Investissements"
    assert "Écoles : 14 millions" in paragraphs and "Voirie : 9 millions" in paragraphs
    assert "La salle du conseil." not in story.body  # a figure is not story text
    assert paragraphs[-1].endswith("jusqu’au 15 janvier & au-delà.")
