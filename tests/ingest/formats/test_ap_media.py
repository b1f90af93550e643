"""AP Media API JSON: real AP item responses and a composed feed page, read field by field."""

from __future__ import annotations

import json

import pytest

from ingest.formats import detect_format, parse_payload
from ingest.formats.ap_media import next_page, parse_ap_media
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc

_CP = ("superdesk-agencies", "superdesk-cp")


def _cp(name: str) -> bytes:
    return fixture(*_CP, f"tests_ingest_parser_fixtures_ap_{name}.json")


#: A feed page composed for these tests: the shape of AP's, invented text.
PAGE = {
    "api_version": "2",
    "data": {
        "query": "type:text",
        "current_item_count": 2,
        "next_page": "https://api.ap.invalid/media/v/content/feed?qt=xyz&seq=2",
        "items": [
            {
                "meta": {"score": 1},
                "item": {
                    "uri": "https://api.ap.invalid/media/v/content/a1b2",
                    "altids": {"itemid": "a1b2", "etag": "a1b2_3a0", "friendlykey": "777"},
                    "version": 3,
                    "type": "text",
                    "versioncreated": "2025-03-02T08:30:00Z",
                    "firstcreated": "2025-03-01T22:00:00Z",
                    "pubstatus": "usable",
                    "embargoed": "2025-03-02T10:00:00Z",
                    "ednote": "Eds: CORRECTS spelling of the ferry's name.",
                    "signals": ["newscontent"],
                    "headline": "Harbor ferry returns after a winter of repairs",
                    "bylines": [{"by": "By JO TESTER", "title": "Associated Press"}],
                    "language": "en-US",
                    "urgency": 3,
                    "datelinelocation": {"city": "Portville", "countryname": "Nowhere"},
                    "renditions": {
                        "nitf": {
                            "href": "https://api.ap.invalid/nitf/a1b2",
                            "mimetype": "text/xml",
                            "body": "<nitf><body><body.content><p>PORTVILLE (AP) — The ferry"
                            " is back.</p><p>Its engines were rebuilt.</p></body.content>"
                            "</body></nitf>",
                        }
                    },
                },
            },
            {
                "item": {
                    "altids": {"itemid": "c3d4"},
                    "type": "picture",
                    "headline": "A ferry at dawn",
                }
            },
        ],
    },
}


def test_composed_feed_page_fields() -> None:
    data = json.dumps(PAGE).encode()
    assert detect_format(data) == "ap-media"
    result = parse_payload(raw_item(data))
    [item] = result.items
    assert item.item_id == "a1b2"  # altids.itemid, not the etag of this version
    assert item.format == "ap-media"
    assert item.version == 3
    assert item.published_at == utc(2025, 3, 2, 8, 30)
    assert item.embargo_until == utc(2025, 3, 2, 10, 0)
    assert item.headline == "Harbor ferry returns after a winter of repairs"
    assert item.byline == "By JO TESTER"
    assert item.language == "en"
    assert item.urgency == 3
    assert item.dateline == "Portville, Nowhere"
    assert item.ednote == "Eds: CORRECTS spelling of the ferry's name."
    assert item.signals == ("correction",)
    assert item.body == "PORTVILLE (AP) \u2014 The ferry is back.\n\nIts engines were rebuilt."
    assert any("picture" in w for w in result.warnings)


def test_next_page_is_exposed() -> None:
    assert next_page(json.dumps(PAGE).encode()) == (
        "https://api.ap.invalid/media/v/content/feed?qt=xyz&seq=2"
    )
    last = {"data": {"items": []}}
    assert next_page(json.dumps(last).encode()) is None


def test_real_item_response_falls_back_to_the_summary() -> None:
    result = parse_ap_media(raw_item(_cp("ap-category"), "ap-media"))
    [item] = result.items
    assert item.item_id == "70789a344b80ed450582be66a6bf54bb"
    assert item.version == 1
    assert item.published_at == utc(2021, 1, 7, 15, 42, 53)
    assert item.headline == "US services sector grows for seventh consecutive month"
    assert item.byline == "By MATT OTT"
    assert item.ednote == "Eds: UPDATES: adds details, edits. With AP Photos."
    assert item.signals == ("update",)
    assert item.urgency == 4
    assert item.dateline == "Silver Spring, Maryland"
    assert item.body.startswith("The U.S. services sector, where most Americans work, grew")
    assert any("by reference only" in w for w in result.warnings)


def test_real_item_without_inline_text_is_a_problem_and_pictures_are_skipped() -> None:
    result = parse_ap_media(raw_item(_cp("ap-table"), "ap-media"))
    assert result.items == ()
    [problem] = result.problems
    assert problem.item_id == "52eb8d03f5f9b169414f5d0a9875ab42"
    assert "no inline text" in problem.reason
    picture = parse_ap_media(raw_item(_cp("ap-picture"), "ap-media"))
    assert picture.items == () and picture.problems == ()


def test_every_ap_fixture_is_detected_and_ninjs_files_are_not() -> None:
    paths = sorted(shared_path("fixtures", *_CP).glob("*_ap_*.json"))
    assert len(paths) == 15
    stories = 0
    for path in paths:
        assert detect_format(path.read_bytes()) == "ap-media", path.name
        stories += len(parse_payload(raw_item(path.read_bytes())).items)
    assert stories == 6  # the items with a description_summary; the others are by reference
    # AP's own ninjs (a bare item, altids and all) stays with the ninjs parser.
    assert detect_format(fixture("ninjs", "v2.1", "ap_image.json")) == "ninjs"
    assert detect_format(fixture("ninjs", "v1.4", "ninjs-1-4-examples.json")) == "ninjs"


def test_bare_items_when_declared_and_bad_values() -> None:
    items = [
        {"altids": {"itemid": "e5"}, "renditions": {"main": {"text": "Plain."}}},
        {"altids": {"itemid": "f6"}, "pubstatus": "pending", "description_summary": "x"},
        {"altids": {"itemid": "g7"}, "versioncreated": "yesterday", "description_summary": "x"},
    ]  # fmt: skip
    result = parse_ap_media(raw_item(json.dumps(items).encode(), "ap-media"))
    [item] = result.items
    assert (item.item_id, item.body, item.version) == ("e5", "Plain.", 1)
    assert "unknown pubstatus 'pending'" in result.problems[0].reason
    assert "'yesterday' is not a timestamp" in result.problems[1].reason


def test_not_an_ap_response_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not an AP Media API response"):
        parse_ap_media(raw_item(b'{"data": {"something": 1}}', "ap-media"))
