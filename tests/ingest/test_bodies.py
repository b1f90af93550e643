"""Every stored body is text: markup-only items are rejects saying so, markup never survives."""

from __future__ import annotations

import pytest

from ingest import prepare
from ingest.normalize import normalize_body
from tests.ingest.formats.payloads import raw_item


def _atom(content: str, content_type: str = "html") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>wire</title><id>urn:feed</id><updated>2026-11-18T10:00:00Z</updated>"
        "<entry><id>urn:entry:1</id><title>Storm warning</title>"
        "<updated>2026-11-18T10:00:00Z</updated>"
        f'<content type="{content_type}">{content}</content></entry></feed>'
    ).encode()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param('&lt;video poster="a.jpg"&gt;&lt;/video&gt;', id="video"),
        pytest.param("&lt;svg&gt;&lt;circle r='4'/&gt;&lt;/svg&gt;", id="svg"),
        pytest.param("<![CDATA[]]>", id="empty-cdata"),
        pytest.param("&lt;p&gt;&amp;hellip;&lt;/p&gt;", id="ellipsis-only"),
    ],
)
def test_an_entry_without_text_is_a_reject_that_says_so(content: str) -> None:
    stories, rejects = prepare([raw_item(_atom(content))])
    assert stories == []
    [reject] = rejects
    assert reject.reason.startswith("no text")
    assert reject.item_id == "urn:entry:1"


def test_a_feed_keeps_its_entries_with_text_beside_one_without() -> None:
    data = _atom("&lt;p&gt;Gales reached the coast on Tuesday.&lt;/p&gt;").replace(
        b"</feed>",
        b"<entry><id>urn:entry:2</id><title>Video</title><updated>2026-11-18T10:00:00Z</updated>"
        b'<content type="html">&lt;video src="v.mp4"&gt;&lt;/video&gt;</content></entry></feed>',
    )
    stories, rejects = prepare([raw_item(data)])
    assert [s.body for s in stories] == ["Gales reached the coast on Tuesday."]
    assert [(r.item_id, r.reason[:8]) for r in rejects] == [("urn:entry:2", "no text:")]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        pytest.param(
            "[dropcap]M[/dropcap]ost roads were closed.", "Most roads were closed.", id="pair"
        ),
        pytest.param("Write to us.\n\n[contact_form]", "Write to us.", id="lone"),
        pytest.param(
            '[caption id="a1"]Flooded street[/caption] Water rose.',
            "Flooded street Water rose.",
            id="attrs",
        ),
        pytest.param(
            "He said [the dollar] would fall [sic].",
            "He said [the dollar] would fall [sic].",
            id="brackets",
        ),
        pytest.param(
            "<p>Paris<endash/>Berlin line reopened.</p>",
            "Paris\u2013Berlin line reopened.",
            id="endash",
        ),
        pytest.param(
            'Staples Inc. &lt;A HREF="http://q.example/SPLS"&gt;SPLS.O&lt;/A&gt; rose.',
            "Staples Inc. SPLS.O rose.",
            id="escaped-markup-in-text",
        ),
        pytest.param(
            "Sales &lt;FONT size=-2&gt;&lt;B&gt;-Post&lt;/B&gt;&lt;/FONT&gt;",
            "Sales -Post",
            id="font",
        ),
        pytest.param("AT&amp;T and &amp;amp;lt;", "AT&T and <", id="double-escaped"),
        pytest.param(
            "Mr Blair&#191;s plan. ¿Qué?", "Mr Blair's plan. ¿Qué?", id="inverted-mid-word"
        ),
    ],
)
def test_markup_and_shortcodes_do_not_survive(text: str, body: str) -> None:
    result = normalize_body(text).body
    assert result == body
    assert normalize_body(result).body == result  # idempotent


def test_a_kill_without_text_is_kept_as_the_signal_it_is() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:kill:1" version="2">'
        b"<itemMeta><itemClass qcode='ninat:text'/><pubStatus qcode='stat:canceled'/>"
        b"<versionCreated>2026-11-18T10:00:00Z</versionCreated></itemMeta>"
        b"<contentMeta><headline>Kill</headline></contentMeta></newsItem>"
    )
    [story], rejects = prepare([raw_item(data, "newsml-g2")])
    assert (story.pubstatus, story.body, rejects) == ("canceled", "", [])
