"""NewsML-G2: IPTC listings, real dpa, Reuters, STT, Scoop and AP items, field by field."""

from __future__ import annotations

import pytest

from ingest.formats import parse, parse_payload
from ingest.formats.newsml_g2 import package_references, parse_newsml_g2
from ingest.formats.result import PackageRef
from record.errors import ParseError
from tests.ingest.formats.payloads import fixture, raw_item, utc


def _result(*parts: str):
    return parse_newsml_g2(raw_item(fixture("newsml-g2", *parts), "newsml-g2"))


def _one(*parts: str):
    [item] = parse(raw_item(fixture("newsml-g2", *parts), "newsml-g2"))
    return item


def test_iptc_text_document() -> None:
    item = _one("iptc", "LISTING_2_NewsML-G2_Text_Document.xml")
    assert item.item_id == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert item.version == 11
    assert item.pubstatus == "usable"
    assert item.published_at == utc(2018, 11, 21, 21, 25, 32)  # versionCreated -05:00 in UTC
    assert item.embargo_until is None
    assert item.headline == 'Fed to halt QE to avert "bubble"'
    assert item.body.startswith("(New York, NY - October 21) Et, sent luptat luptat, commy Nim")
    assert item.body.count("\n\n") == 1  # two NITF paragraphs, each on one line
    assert "Meredith Jameson" not in item.body  # the NITF byline is not body text
    assert item.language == "en"
    assert item.format == "newsml-g2"


def test_iptc_news_item_with_embargo() -> None:
    # LISTING_1 (not LISTING_2) carries the embargo; its inlineXML holds only comments, so the
    # item has no text: it is rejected by guid. With a paragraph added, its fields read fully.
    data = fixture("newsml-g2", "iptc", "LISTING_1_A_NewsML-G2_News_Item.xml")
    [problem] = parse_newsml_g2(raw_item(data)).problems
    assert problem.item_id == "urn:newsml:acmenews.com:20161018:US-FINANCE-FED"
    assert "no text" in problem.reason
    with_text = data.replace(
        b"</inlineXML>", b'<p xmlns="http://www.w3.org/1999/xhtml">Embargoed text.</p></inlineXML>'
    )
    [item] = parse(raw_item(with_text, "newsml-g2"))
    assert item.embargo_until == utc(2018, 10, 23, 12, 0)
    assert item.published_at == utc(2018, 10, 21, 21, 25, 32)
    assert item.signals == ("update",)
    assert item.version == 11
    assert item.body == "Embargoed text."
    assert item.language == "en"  # xml:lang="en-GB", no contentMeta/language


@pytest.mark.parametrize(
    ("name", "version", "signals"),
    [
        ("dpa_170629-99-43688.xml", 5, ("correction",)),
        ("dpa_170629-99-48571.xml", 2, ("correction",)),
        ("dpa_170629-99-49849.xml", 3, ("correction",)),
        ("dpa_170629-99-48599.xml", 3, ("repeat",)),
        ("dpa_170629-99-49136.xml", 3, ("repeat",)),
        ("dpa_170629-99-40895.xml", 3, ("update",)),
        ("dpa_170629-99-43475.xml", 8, ("update",)),
        ("dpa_170629-99-44716.xml", 4, ("update",)),
        ("dpa_170626-99-998860.xml", 20, ("update",)),
        ("dpa_170629-99-46771.xml", 7, ("update",)),
        ("dpa_170629-99-46800.xml", 7, ("update",)),
        ("dpa_170629-99-45365.xml", 3, ()),  # dpasig:isplanned only: an agency scheme
        ("dpa_170629-99-48232.xml", 5, ()),
        ("dpa_170629-90-024451.xml", 2, ()),
    ],
)
def test_dpa_items_identity_version_and_signals(
    name: str, version: int, signals: tuple[str, ...]
) -> None:
    item = _one("dpa", name)
    assert item.item_id == "urn:newsml:dpa.com:20090101:" + name.removeprefix("dpa_")[:-4]
    assert item.version == version
    assert item.signals == signals
    assert item.pubstatus == "usable"
    assert item.language == "de"
    assert item.published_at is not None and item.published_at.date() == utc(2017, 6, 29).date()


def test_dpa_correction_fields() -> None:
    item = _one("dpa", "dpa_170629-99-43688.xml")
    assert item.headline == "Check-in auf dem Gipfel: Wo schläft die G20-Prominenz?"
    assert item.published_at == utc(2017, 6, 29, 16, 21, 39)
    # The XHTML header (slugline, time, genre, h1, byline) is not body; the teaser is.
    assert item.body.startswith("Der Blick auf Ex-US-Außenminister Kerry beim Hamburger")
    assert "Hamburg (dpa) - Es ist eines der gut gehüteten Geheimnisse" in item.body
    assert "KORR-Bericht" not in item.body
    assert "Notizblock" not in item.body  # the edNote is not part of the body


def test_dpa_picture_is_not_a_story() -> None:
    result = _result("dpa", "dpa_picture_171117-90-000086.xml")
    assert result.items == () and result.problems == ()
    assert "'picture' is not a story" in result.warnings[0]


def test_reuters_usable_then_canceled_is_two_versions_of_one_item() -> None:
    usable = _one("other-agencies", "reuters_L1N14N0FF_v978556838_usable.xml")
    canceled = _one("other-agencies", "reuters_L1N14N0FF_v1542761538_canceled.xml")
    assert usable.item_id == canceled.item_id == "tag:reuters.com,0000:newsml_L1N14N0FF"
    assert (usable.version, usable.pubstatus) == (978556838, "usable")
    assert (canceled.version, canceled.pubstatus) == (1542761538, "canceled")
    assert usable.published_at == utc(2016, 1, 4, 15, 43, 34)
    assert canceled.published_at == utc(2016, 1, 4, 16, 34, 45)
    assert usable.body.startswith("(In Jan. 3 story, corrects last paragraph")
    assert "Jan 3 (Reuters) - Residents of flooded areas" in usable.body
    assert canceled.body == ""  # the kill carries no text and is kept anyway
    assert canceled.headline == usable.headline
    assert usable.signals == canceled.signals == ()  # edStat:/prodId: are Reuters' own codes


def test_stt_update_with_append_major_content() -> None:
    item = _one("other-agencies", "stt_newsml_update.xml")
    assert item.item_id == "urn:newsml:stt.fi:20171219:101801633"
    assert item.version == 4
    assert item.signals == ("update", "append-major-content")
    assert item.published_at == utc(2017, 10, 18, 9, 16, 43)
    assert item.language == "fi"
    assert item.headline is not None and item.headline.startswith("Parliament passed the Alcohol")
    assert item.body.startswith("*** DISCLAIMER: THIS IS AN AUTOMATED TRANSLATION FROM FINNISH ***")


def test_scoop_bom_empty_embargo_and_package_reference() -> None:
    data = fixture("newsml-g2", "other-agencies", "scoop_businessdesk_embargoed_bom.xml")
    assert data.startswith(b"\xef\xbb\xbf")
    result = parse_newsml_g2(raw_item(data))
    [item] = result.items
    assert item.item_id == "BD-20160112123540"
    assert item.version == 3
    assert item.embargo_until is None
    assert any("<embargoed> is empty" in w for w in result.warnings)
    assert item.published_at == utc(2016, 1, 12, 12, 35, 40)  # no offset: taken as UTC
    # No contentMeta headline: the NITF's title stands in.
    assert item.headline == (
        "Dick Smith receivers install Don Grover as acting CEO as Abboud quits; retailer put up "
        "for sale"
    )
    assert item.body.startswith("By Jonathan Underhill\n\nJan. 12 (BusinessDesk) - The receivers")
    assert result.packages == (PackageRef(guid=None, version=1, item_refs=("20160112123540",)),)


def test_ap_news_message_with_three_items() -> None:
    items = parse(raw_item(fixture("newsml-g2", "other-agencies", "ap_newsmessage_multi.xml")))
    assert [(i.item_id, i.version) for i in items] == [
        ("tag:ap.org,2011:5e565888b587889c5c8bd62b6164118c-text", 2),
        ("tag:ap.org,2011:b6d5d4eb781939b5fe8722f3fba28ee2-text", 2),
        ("tag:ap.org,2011:4db5f9c37aac8924db872ba5a7e287e6-text", 1),
    ]
    first = items[0]
    assert first.headline == "Nutrisystem beats 4Q earnings and revenue expectations"
    assert first.body.startswith("FORT WASHINGTON, Pa. (AP) _ Nutrisystem Inc. (NTRI) on Monday")
    assert first.published_at == utc(2018, 2, 26, 21, 20, 34)
    assert first.signals == ()  # apsig:consumerready is AP's own code


def test_package_item_is_a_reference_not_a_story() -> None:
    data = fixture("newsml-g2", "iptc", "LISTING_6_Simple_NewsML-G2_Package.xml")
    result = parse_newsml_g2(raw_item(data))
    assert result.items == () and result.problems == ()
    [package] = result.packages
    assert package.guid == "tag:example.com,2008:UK-NEWS-TOPTEN:UK20081220098658"
    assert package.version == 11
    assert package.item_refs[0] == "urn:newsml:iptc.org:20081007:tutorial-item-A"
    assert len(package.item_refs) == 2
    assert "recorded by reference, not as a story" in result.warnings[0]
    assert package_references(data) == [package]
    assert parse(raw_item(data, "newsml-g2")) == []


def test_news_message_with_package_and_placeholder_items() -> None:
    data = fixture(
        "newsml-g2", "iptc", "LISTING_24_News_Message_conveying_a_complete_News_Package.xml"
    )
    result = parse_newsml_g2(raw_item(data))
    assert result.items == ()
    assert [p.item_id for p in result.problems] == ["N1", "N2", "N3", "N4"]
    assert result.packages[0].item_refs == ("N1", "N2", "N3", "N4")


@pytest.mark.parametrize(
    "name",
    [
        "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
        "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
    ],
)
def test_listing_fragments_are_not_newsml_g2_documents(name: str) -> None:
    with pytest.raises(ParseError, match="is not a NewsML-G2 newsItem"):
        parse_payload(raw_item(fixture("newsml-g2", "iptc", name), "newsml-g2"))


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"<newsItem", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<rss version='2.0'/>", "root element <rss>"),
    ],
)
def test_unreadable_payloads_raise(data: bytes, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        parse_newsml_g2(raw_item(data))


_NAR = 'xmlns="http://iptc.org/std/nar/2006-10-01/"'


def _news_item(guid: str, *, meta: str = "", version: str = "2", body: str = "Text.") -> str:
    guid_attr = f' guid="{guid}"' if guid else ""
    return (
        f'<newsItem{guid_attr} version="{version}"><itemMeta><itemClass qcode="ninat:text"/>'
        f"<versionCreated>2024-05-01T10:00:00+02:00</versionCreated>{meta}</itemMeta>"
        f"<contentMeta><headline>H {guid}</headline></contentMeta><contentSet>"
        f'<inlineData contenttype="text/plain">{body}</inlineData></contentSet></newsItem>'
    )


def test_one_bad_item_of_a_news_message_costs_only_itself() -> None:
    message = (
        f"<newsMessage {_NAR}><itemSet>"
        + _news_item("urn:a", meta='<pubStatus qcode="stat:withheld"/>')
        + _news_item("")
        + _news_item("urn:c", version="x")
        + _news_item("urn:d", meta="<embargoed>noon</embargoed>")
        + _news_item("urn:e", body="")
        + _news_item("urn:f", meta='<pubStatus qcode="stat:canceled"/>', body="")
        + _news_item("urn:g", meta='<pubStatus qcode="stat:bogus"/>')
        + "</itemSet></newsMessage>"
    ).encode()
    result = parse_newsml_g2(raw_item(message))
    assert [(i.item_id, i.pubstatus) for i in result.items] == [
        ("urn:a", "withheld"),
        ("urn:f", "canceled"),
    ]
    reasons = {p.item_id: p.reason for p in result.problems}
    assert list(reasons) == [None, "urn:c", "urn:d", "urn:e", "urn:g"]
    assert "has no guid" in reasons[None]
    assert "version 'x'" in reasons["urn:c"]
    assert "<embargoed> 'noon'" in reasons["urn:d"]
    assert "no text" in reasons["urn:e"]
    assert "pubStatus 'bogus'" in reasons["urn:g"]


@pytest.mark.parametrize(
    "name", ["reuters_L1N14N0FF_v978556838_usable.xml"], ids=["reuters-usable"]
)
def test_reuters_body_keeps_one_paragraph_per_source_paragraph(name: str) -> None:
    # Reuters' XHTML holds one <p> a paragraph, hard-wrapped at teletype width inside it: the
    # paragraphs stay apart, the wrapped lines of one paragraph are one paragraph.
    data = fixture("newsml-g2", "other-agencies", name)
    [item] = parse(raw_item(data, "newsml-g2"))
    paragraphs = item.body.split("\n\n")
    assert len(paragraphs) == data.count(b"<html:p>") > 10
    assert all("\n" not in p for p in paragraphs)
