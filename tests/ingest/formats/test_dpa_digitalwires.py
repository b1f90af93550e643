"""dpa digitalwires JSON: German, Spanish and English items, read field by field."""

from __future__ import annotations

import json

import pytest

from ingest.formats import detect_format, parse_payload
from ingest.formats.dpa_digitalwires import parse_dpa_digitalwires
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc

_DW = "dpa-digitalwires"


def _one(name: str):
    result = parse_dpa_digitalwires(raw_item(fixture(_DW, name), _DW))
    assert not result.problems, result.problems
    [item] = result.items
    return item


def test_german_correction_item() -> None:
    item = _one("to-iptc7901__tests_data_input_dw-1.json")
    assert item.item_id == "urn:newsml:dpa.com:20090101:240923-930-240378"
    assert item.format == _DW
    assert item.version == 2
    assert item.pubstatus == "usable"
    assert item.published_at == utc(2024, 9, 24, 10, 5, 52)  # version_created, +02:00
    assert (
        item.headline
        == "\u00abMythos Jungfernh\u00e4utchen\u00bb - Zwischen Aufkl\u00e4rung und Kommerz"
    )
    assert item.byline == "Von Marco Krefting und Sunrita Sen, dpa"
    assert item.dateline == "Wagh\u00e4usel (dpa)"
    assert item.language == "de"
    assert item.urgency == 3
    assert item.signals == ("correction",)  # "sig:correction"
    # The dateline heads the first paragraph, as dpa's 7901 rendering prints it.
    assert item.body.startswith("Wagh\u00e4usel (dpa) - Die meisten Kundinnen bestellen nur einmal")
    assert "<p>" not in item.body and item.body.count("\n\n") == 18
    # Editorial notes, without the closing line of editor codes.
    assert item.ednote == (
        "Zu diesem Text finden Sie Bilder mit folgendem Titel im dpa Bildangebot:\n"
        "Produkte der Marke VirginiaCare"
    )
    assert "yysw" not in (item.ednote or "")


def test_embargoed_item() -> None:
    item = _one("to-newsmlg2__tests_data_input_embargoed.json")
    assert item.embargo_until == utc(2025, 1, 23, 18, 0)
    assert item.headline == "Steinmeier: Russland zerst\u00f6rt kulturelles Erbe der Ukraine"


def test_spanish_europa_press_item_and_its_dateline() -> None:
    item = _one("to-iptc7901__tests_data_input_emptyParagraph.json")
    assert item.item_id == "urn:newsml:europapress.es:20241121:DN_2024-11-21_15-35-06"
    assert item.language == "es"
    assert item.dateline == "MADRID, 21 Nov. 2024 (Europa Press)"
    assert item.body.startswith(
        "MADRID, 21 Nov. 2024 (Europa Press) - El primer ministro israel\u00ed, Benjamin Netanyahu"
    )  # the empty first <p> left no empty paragraph
    assert item.ednote is None


def test_english_ap_item_carries_aps_ednote() -> None:
    item = _one("to-iptc7901__tests_data_input_noNotepad.json")
    assert item.item_id == "urn:newsml:ap.org:20230101:cd1ee53edee0df1bf00de01b044366b4"
    assert item.language == "en"
    assert item.version == 4
    assert item.byline == "By ASHOK SHARMA"
    assert item.dateline is None
    assert item.ednote is not None and item.ednote.startswith("Eds: CORRECTS: Indian tycoon")
    assert item.body.startswith("One of Asia\u2019s richest men, controversial Indian tycoon")


def test_item_without_text_is_a_no_text_problem() -> None:
    result = parse_dpa_digitalwires(
        raw_item(fixture(_DW, "to-iptc7901__tests_data_input_noContent.json"), _DW)
    )
    assert result.items == ()
    [problem] = result.problems
    assert problem.item_id == "urn:newsml:dpa.com:20090101:europapress:photo-20241121130950"
    assert "no text" in problem.reason


def test_every_input_fixture_is_detected_and_text_bearing_ones_become_stories() -> None:
    paths = sorted(shared_path("fixtures", _DW).glob("*input*.json"))
    assert len(paths) == 34
    stories = 0
    for path in paths:
        data = path.read_bytes()
        assert detect_format(data) == _DW, path.name
        has_text = bool(json.loads(data).get("article_html"))
        result = parse_payload(raw_item(data))
        assert len(result.items) == int(has_text), path.name
        stories += len(result.items)
    assert stories == 29  # five items (noContent, audio, images) carry no text


def test_page_of_entries_with_a_bad_entry() -> None:
    page = {
        "entries": [
            {"urn": "urn:example:1", "version": 3, "article_html": "<p>Erster Absatz.</p>",
             "headline": "Eins", "version_created": "2025-02-01T10:00:00+01:00",
             "dateline": "Kiel (dpa) - "},
            {"urn": "urn:example:2", "version": "x", "article_html": "<p>Text.</p>"},
            {"urn": "urn:example:3", "pubstatus": "canceled", "article_html": ""},
        ]
    }  # fmt: skip
    data = json.dumps(page).encode()
    assert detect_format(data) == _DW
    result = parse_dpa_digitalwires(raw_item(data, _DW))
    assert [i.item_id for i in result.items] == ["urn:example:1", "urn:example:3"]
    assert result.items[0].body == "Kiel (dpa) - Erster Absatz."
    assert result.items[0].published_at == utc(2025, 2, 1, 9, 0)
    assert result.items[1].pubstatus == "canceled"  # a kill needs no text
    [problem] = result.problems
    assert "version 'x'" in problem.reason


def test_not_json_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_dpa_digitalwires(raw_item(b'{"urn": ', _DW))
