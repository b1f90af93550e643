"""RSS and Atom through feedparser: real-world feeds and feedparser's own edge cases."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from ingest.formats import parse, parse_payload
from ingest.formats._charset import transcode
from ingest.formats.rss import parse_feed, parse_rss
from record.errors import ParseError
from tests.conftest import SHARED
from tests.ingest.formats.payloads import fixture, raw_item, utc

EDGE = SHARED / "fixtures" / "rss" / "feedparser-edge"


def _items(name: str, **kwargs: object):
    return parse(raw_item(fixture("rss", "real-world", name), "rss", **kwargs))  # type: ignore[arg-type]


def test_greek_iso_8859_7_feed() -> None:
    [item] = _items("feed-test-greek.xml")
    assert item.headline is not None and item.headline.startswith("«Πορτραίτα καραντίνας»")
    assert item.body.startswith("Η συνθήκη του αναγκαστικού εγκλεισμού")
    assert item.item_id.startswith("https://www.liberal.gr/news/portraita")
    assert item.published_at == utc(2020, 4, 24, 20, 3)
    assert item.language == "el"
    assert (item.version, item.pubstatus, item.format) == (1, "usable", "rss")


def test_malformed_feed_with_whitespace_before_declaration_keeps_its_entry() -> None:
    result = parse_rss(raw_item(fixture("rss", "real-world", "feed-test-malformed.xml")))
    [item] = result.items
    assert item.item_id == "https://www.androidauthority.com/?p=986823"
    assert item.headline is not None and item.headline.startswith("Japan’s plans for 5G")
    assert item.published_at == utc(2019, 5, 15, 20, 48, 2)
    [warning] = result.warnings
    assert warning.startswith("malformed feed, 1 entries kept")


def test_atom_with_relative_urls() -> None:
    [item] = _items("atom-relative-url.xml")
    assert item.item_id == "/2024/12/18/What-The-Distribution"
    assert item.headline is not None and item.headline.startswith("What The Distribution")
    assert item.body.startswith("When I saw this post")
    assert item.published_at == utc(2024, 12, 18)


def test_wenn_atom_feed_has_two_entries() -> None:
    items = _items("wenn.xml")
    assert [i.item_id for i in items] == [
        "urn:feed-wenn-com:newsfeedarticle:2:2222:1",
        "urn:feed-wenn-com:newsfeedarticle:2:2222:3",
    ]
    assert items[0].body == "This is body content1."
    assert items[0].published_at == utc(2015, 1, 30, 0, 33, 6)
    assert items[0].language == "en"


def test_ritzau_is_not_a_feed() -> None:
    # ritzau_feed.xml is a SOAP-style XMLNewsQueuedResponse, not RSS: nothing to keep.
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        parse(raw_item(fixture("rss", "real-world", "ritzau_feed.xml"), "rss"))


def test_entry_without_guid_or_link_gets_a_content_hash_id() -> None:
    data = (
        b"<rss version='2.0'><channel><item><title>T</title><description>Text one.</description>"
        b"</item><item><title>T</title><description>Text two.</description></item>"
        b"<item><title>Only a title</title></item></channel></rss>"
    )
    result = parse_rss(raw_item(data))
    first, second = result.items
    assert first.item_id.startswith("sha256:") and first.item_id != second.item_id
    [problem] = result.problems
    assert "a title but no description or content" in problem.reason


def test_content_type_charset_is_used() -> None:
    data = (
        "<rss version='2.0'><channel><item><guid>g</guid><description>Ærø</description>"
        "</item></channel></rss>".encode("iso-8859-1")
    )
    [item] = parse(raw_item(data, "rss", content_type="application/rss+xml; charset=iso-8859-1"))
    assert item.body == "Ærø"


# --- feedparser's own edge cases, driven by the Description/Expect comments they carry -------

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)


def _header(path: Path) -> dict[str, str]:
    data = path.read_bytes()
    text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("latin-1")
    match = _COMMENT.search(text)
    assert match, f"{path.name} has no leading comment"
    fields: dict[str, str] = {}
    for line in match[1].splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key in {"Description", "Expect", "Header", "SkipUnless"}:
            fields[key] = value.strip()
    return fields


def _edge_files() -> list[Path]:
    return sorted(EDGE.glob("*.xml")) if EDGE.exists() else []


@pytest.mark.parametrize("path", _edge_files(), ids=lambda p: p.stem)
def test_feedparser_edge_case(path: Path) -> None:
    fields = _header(path)
    content_type = location = None
    name, _, value = fields.get("Header", "").partition(":")
    if name.strip().lower() == "content-type":
        content_type = value.strip()
    elif name.strip().lower() == "content-location":
        # feedparser's suite serves these files from http://127.0.0.1:8097/.
        location = urljoin("http://127.0.0.1:8097/", value.strip())
    raw = raw_item(
        path.read_bytes(), "rss", content_type=content_type, location=location or "/feeds/edge"
    )

    if "<!ENTITY" in path.read_text(encoding="latin-1"):
        # Our stance is stricter than feedparser's: any entity declaration is refused.
        with pytest.raises(ParseError, match="declares entities"):
            parse_payload(raw)
        return

    result = parse_feed(raw)
    # 1. The fixture is honoured: its Expect line holds for feedparser's own result, unless
    #    its SkipUnless precondition (an optional module such as chardet) fails here.
    skip_expect = False
    if "SkipUnless" in fields:
        try:
            eval(fields["SkipUnless"], {})
        except (ImportError, LookupError):
            skip_expect = True
    if not skip_expect:
        assert eval(fields["Expect"], {}, dict(result)), fields["Expect"]

    # 2. Our outcome is consistent with it: entries kept (bozo ones with a warning), a bozo feed
    #    without entries refused, a clean empty feed an empty result. The charset is ours to
    #    decide (ingest.formats._charset), so feedparser is asked again about the payload as
    #    that rule decoded it: a fault of encoding alone is no longer a fault.
    try:
        decoded = transcode(raw)[0]
    except ParseError:
        # Bytes that do not fit their byte-order mark: the payload is refused, naming the byte.
        with pytest.raises(ParseError, match="not valid utf-8: byte 0x"):
            parse_payload(raw)
        return
    result = parse_feed(decoded)
    if result.entries:
        parsed = parse_payload(raw)
        assert len(parsed.items) + len(parsed.problems) == len(result.entries)
        assert any(w.startswith("malformed feed") for w in parsed.warnings) == bool(result.bozo)
        for item in parsed.items:
            assert item.body.strip() and item.format == "rss" and item.version == 1
    elif result.bozo or not result.version:
        with pytest.raises(ParseError):
            parse_payload(raw)
    else:
        parsed = parse_payload(raw)
        assert parsed.items == () and parsed.warnings == ("feed has no entries",)


def test_edge_case_fields_reach_parsed_items() -> None:
    def one(name: str):
        [item] = parse(raw_item((EDGE / name).read_bytes() if EDGE.exists() else b"", "rss"))
        return item

    if not EDGE.exists():
        pytest.skip(f"{EDGE} is absent")
    assert one("encoding__demoronize-1.xml").body == "don\u2019t"
    assert one("wellformed__rss__item_content_encoded.xml").body == "Example content"
    assert one("wellformed__rss__item_description_escaped_markup.xml").body == (
        "Example description"
    )
    assert one("encoding__double-encoded-html.xml").body == "\u2026"
    assert one("wellformed__atom10__entry_content_base64.xml").body == "Example <b>Atom</b>"


def test_a_large_malformed_feed_is_repaired_by_lxml_and_keeps_its_items(caplog):
    from ingest.formats.rss import LOOSE_LIMIT

    items = "".join(
        f"<item><guid>g{i}</guid><title>Dépêche {i}</title>"
        f"<description>Le conseil a voté le budget {i} &amp; la suite.</description></item>"
        for i in range(LOOSE_LIMIT // 100)
    )
    feed = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
    data = (feed + items + "</channel></rss>").encode()
    broken = data.replace(b"</title>", b"</titl>", 3)  # not well-formed any more
    assert len(broken) > LOOSE_LIMIT
    result = parse_rss(raw_item(broken, "rss"))
    assert [i.item_id for i in result.items] == [f"g{i}" for i in range(LOOSE_LIMIT // 100)]
    assert result.items[-1].headline == f"Dépêche {LOOSE_LIMIT // 100 - 1}"
    assert "repaired by lxml's recovering parser" in caplog.text
    # Markup nested far past libxml2's depth limit: cut there at once, not read for minutes;
    # what is left of the item is a problem, never a story.
    dense = feed.encode() + b"<item><guid>a</guid><description>" + b"<a>" * 100_000
    cut = parse_rss(raw_item(dense, "rss"))
    assert not cut.items and cut.problems


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be", "utf-32"])
def test_blank_lines_before_the_first_element_cost_linear_time(encoding):
    # feedparser's declaration search is quadratic in blank lines before the first element:
    # half a million of them would take hours unless they are compacted first.
    body = (
        '<rss version="2.0"><channel><title>x</title><item><guid>a</guid><title>T</title>'
        "<description>Le Conseil a voté le budget mardi soir.</description></item></channel></rss>"
    )
    doc = f'<?xml version="1.0" encoding="{encoding}"?>\n<!-- x -->' + "\n" * 500_000 + body
    result = parse_rss(raw_item(doc.encode(encoding), "rss"))
    assert [i.item_id for i in result.items] == ["a"]


def test_an_exception_escaping_feedparser_makes_a_parse_error():
    # feedparser's loose parser raises TypeError on a stray </height> (found by make fuzz).
    doc = (
        b'<rss version="2.0"><channel><image></height></image><item><title>x</item></channel></rss>'
    )
    with pytest.raises(ParseError, match="not a usable feed \\(TypeError"):
        parse_rss(raw_item(doc, "rss"))
