"""ninjs 1.x, 2.x and 3.x: field-level reads of real agency items, lists, pages and failures."""

from __future__ import annotations

import json

import pytest

from ingest.formats import parse, parse_payload
from ingest.formats.ninjs import next_page_url, parse_ninjs
from record.errors import ParseError
from tests.ingest.formats.payloads import fixture, raw_item, utc


def _one(*parts: str):
    [item] = parse(raw_item(fixture("ninjs", *parts), "ninjs"))
    return item


@pytest.mark.parametrize("folder", ["v2.1", "v3.0"])
def test_dpa_item_reads_the_same_in_2x_and_3x(folder: str) -> None:
    # 2.x spells pubstatus/versioncreated, 3.x pubStatus/versionCreated: same item either way.
    item = _one(folder, "dpa_text.json")
    assert item.item_id == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert item.version == 2
    assert item.pubstatus == "usable"
    assert item.published_at == utc(2019, 5, 10, 14, 2, 28)
    assert item.published_at.tzinfo is not None
    assert item.date_precision == "second"
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.body.startswith("Für Lucien Favre war es «der größte Skandal im Fußball")
    assert "<p>" not in item.body and "\n\n" in item.body  # HTML became paragraphs
    assert item.embargo_until is None
    assert item.language == "de"
    assert item.format == "ninjs"
    assert item.signals == ()


def test_2x_and_3x_dpa_items_are_equal_field_by_field() -> None:
    assert _one("v2.1", "dpa_text.json") == _one("v3.0", "dpa_text.json")


@pytest.mark.parametrize("folder", ["v2.1", "v3.0"])
def test_ntb_item_without_body_falls_back_to_its_description(folder: str) -> None:
    item = _one(folder, "ntb_text.json")
    assert item.item_id == "urn:8d19cf88-b3ab-4972-8fec-1207599f2872"
    assert item.version == 6
    assert item.published_at == utc(2019, 8, 9, 9, 46, 53)  # versioncreated, not firstcreated
    assert item.headline == "Google har kjøpt giganttomt i Skien"
    assert item.body.startswith("IT-giganten Google har kjøpt en tomt")
    assert item.language == "nb"


def test_v14_flat_headline_and_xhtml_body() -> None:
    item = _one("v1.4", "ninjsExSimpleText1.json")
    assert item.item_id == "http://ninjs.example.com/newsitems/20130709simp123"
    assert item.version == 1
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.body.startswith("GROSSETO, Italy (AP) -- The trial of the captain")
    assert item.body.count("\n\n") == 3  # four <p> in body_xhtml
    assert item.published_at == utc(2013, 7, 9, 10, 37)


def test_v31_headlines_array_and_bodies_array() -> None:
    item = _one("v3.1", "005_complex_text_article.json")
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.body.startswith("GROSSETO, Italy (AP) -- The trial")
    assert item.language == "en"


def test_nitf_body_inside_ninjs_is_read_without_its_head() -> None:
    item = _one("v3.0", "addb-anti-doping-nitf.json")
    assert item.version == 2
    assert item.published_at == utc(2023, 10, 8, 0, 34, 3)
    assert (
        item.headline == "Anti-doping measures at the 'Tour Down Under' will be the toughest ever"
    )
    assert not item.body.startswith("Anti-doping measures")  # the hl1 of body.head is not body
    assert "Tour Down Under" in item.body


def test_superdesk_embargoed_item() -> None:
    item = _one("superdesk", "ninjs_embargoed.json")
    assert item.item_id == "fd8e441b-a698-4411-9246-7d5de21cced9"  # guid: no uri in Superdesk
    assert item.version == 11
    assert item.embargo_until == utc(2022, 6, 29, 2, 30)
    assert item.published_at == utc(2022, 6, 26, 23, 54, 25)  # "+0000" offset form
    assert item.pubstatus == "usable"
    assert item.headline == "Trouble is brewing for the future of beer"
    assert item.body.startswith("What does torched earth taste like?")
    assert "<a " not in item.body and "href" not in item.body
    assert "\u201c" in item.body  # curly quotes kept for the normalizer


def test_picture_item_is_not_a_story() -> None:
    result = parse_ninjs(raw_item(fixture("ninjs", "v2.1", "ap_image.json"), "ninjs"))
    assert result.items == ()
    assert result.problems == ()
    assert "'picture' is not a story" in result.warnings[0]


def test_list_payload_yields_every_item() -> None:
    result = parse_ninjs(raw_item(fixture("ninjs", "v3.0", "20231016-event-timeline-sample.json")))
    assert [i.item_id for i in result.items][:2] == [
        "https://iptc.org/example/uri/1",
        "https://iptc.org/example/uri/2",
    ]
    assert len(result.items) == 14
    assert result.items[0].headline == "Athlete uses medicine containing prohibited substance"


def test_api_page_with_item_list() -> None:
    [item] = parse(raw_item(fixture("ninjs", "superdesk", "bbc-ninjs-text-test.json"), "ninjs"))
    assert item.item_id == "https://www.example.com//12345"
    assert item.body == "body"
    assert item.published_at == utc(2018, 5, 28, 16, 40, 8)  # no offset: taken as UTC


def test_invalid_example_without_body_is_rejected_with_its_uri() -> None:
    raw = raw_item(fixture("ninjs", "invalid", "008_extension_embargoed_not-valid.json"), "ninjs")
    result = parse_payload(raw)
    assert result.items == ()
    [problem] = result.problems
    assert problem.item_id == "http://ninjs.example.com/newsitems/20130709simp123"
    assert "no body text" in problem.reason
    with pytest.raises(ParseError, match="no body text"):
        parse(raw)


def _items(*objects: object, wrap: str | None = None) -> bytes:
    payload: object = list(objects) if wrap is None else {wrap: list(objects)}
    return json.dumps(payload).encode()


def _story(uri: str, **extra: object) -> dict[str, object]:
    return {"uri": uri, "type": "text", "headline": f"About {uri}", "body_text": "Text.", **extra}


def test_one_bad_item_costs_only_itself() -> None:
    data = _items(
        _story("a", version="3"),
        {"type": "text", "body_text": "no identity"},
        _story("c", version="x"),
        _story("d", pubstatus="bogus"),
        _story("e", versioncreated="yesterday"),
        _story("f", version=4, pubStatus="withheld"),
        wrap="items",
    )
    result = parse_ninjs(raw_item(data))
    assert [(i.item_id, i.version, i.pubstatus) for i in result.items] == [
        ("a", 3, "usable"),
        ("f", 4, "withheld"),
    ]
    reasons = {p.item_id: p.reason for p in result.problems}
    assert set(reasons) == {None, "c", "d", "e"}
    assert "no uri or guid" in reasons[None]
    assert "version 'x'" in reasons["c"]
    assert "pubstatus 'bogus'" in reasons["d"]
    assert "versioncreated 'yesterday'" in reasons["e"]


def test_kill_without_text_is_kept_as_a_canceled_record() -> None:
    data = _items(
        _story("k", version=2, body_text="The story."),
        {"uri": "k", "version": "3", "pubstatus": "canceled", "headline": "Kill notice"},
    )
    first, kill = parse(raw_item(data, "ninjs"))
    assert (first.item_id, first.version, first.pubstatus) == ("k", 2, "usable")
    assert (kill.item_id, kill.version, kill.pubstatus) == ("k", 3, "canceled")
    assert kill.body == ""


@pytest.mark.parametrize(
    "payload",
    [b"{not json", b"[1, 2]", b'{"total": 0}', b'"a string"', b"\xff\xfe\x00garbage"],
)
def test_unusable_payloads_raise(payload: bytes) -> None:
    with pytest.raises(ParseError, match="ninjs"):
        parse(raw_item(payload, "ninjs"))


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            {"items": [], "next": "https://api.example/items?page=2"},
            "https://api.example/items?page=2",
        ),
        ({"data": [], "links": {"next": "/items?cursor=abc"}}, "/items?cursor=abc"),
        ({"data": [], "links": {"next": {"href": "/p/3"}}}, "/p/3"),
        ({"_items": [], "_links": {"next": {"href": "items?page=4"}}}, "items?page=4"),
        ({"items": [], "links": {"prev": "/p/1"}}, None),
        ({"items": [], "next": None}, None),
        ([{"uri": "a"}], None),
    ],
)
def test_next_page_url(page: object, expected: str | None) -> None:
    assert next_page_url(json.dumps(page).encode()) == expected


def test_next_page_url_of_a_real_page_without_link_is_none() -> None:
    assert next_page_url(fixture("ninjs", "superdesk", "bbc-ninjs-text-test.json")) is None
