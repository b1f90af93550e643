"""IPTC 7901: dpa's English service and dpa's own 7901 renderings, read field by field."""

from __future__ import annotations

import pytest

from ingest.formats import detect_format, parse_payload
from ingest.formats.iptc7901 import parse_iptc7901
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc


def _one(*parts: str):
    result = parse_iptc7901(raw_item(fixture(*parts), "iptc7901"))
    assert not result.problems, result.problems
    [item] = result.items
    return item


def test_dpa_english_story() -> None:
    item = _one("anpa", "IPTC7901.txt")
    assert item.format == "iptc7901"
    assert item.headline == "Germany Social Democrats: Coalition talks with Merkel could fail"
    assert item.urgency == 4  # header "eca062 4 i 211 ccccb dpa 061"
    assert item.dateline == "Berlin (dpa)"
    assert item.body.startswith(
        "Berlin (dpa) - Negotiations between German conservatives headed by Chancellor Angela"
        " Merkel and the left-leaning Social Democrats (SPD)"
    )  # wrapped lines joined into one paragraph
    assert item.body.endswith("A \"yes\" vote will allow Merkel to be sworn in for a third term"
                              " before Christmas.")  # fmt: skip
    assert item.body.count("\n\n") == 4
    # The notebook (contacts, not for publication) and the closing codes are not text.
    assert "NOTEBOOK" not in item.body and "Wolfgang Schmidt" not in item.body
    assert "dpa wsz jln npr" not in item.body
    assert item.published_at == utc(2013, 11, 13, 11, 37)  # "131137 GMT Nov 13"
    assert item.version == 1 and item.signals == ()


def test_extra_priority_word_is_a_flash() -> None:
    item = _one("anpa", "dpa_two_line.txt")
    assert item.headline == "Peace talks on Yemen to take place in Sweden next month, Mattis says"
    assert item.signals == ("flash",)
    assert item.urgency == 1
    assert item.dateline == "Washington (dpa)"
    assert item.published_at == utc(2018, 11, 21, 21, 1)


def test_latin1_transmission_first_lead_byline_and_editors_note() -> None:
    item = _one("anpa", "IPTC7901_odd_charset.txt")
    assert "Thomas M\u00fcller, and we are also grateful" in item.body  # 0xfc, latin-1
    assert item.version == 2 and item.signals == ("update",)  # "1ST LEAD"
    assert item.headline == "German football saddened by illness to striker legend Mueller"
    assert item.byline == "By Manuel Schwarz, dpa"
    assert item.ednote == "adds comments by Germany coach Loew, byline"
    assert item.published_at == utc(2015, 10, 7, 13, 41)  # "071341 GMT Okt 15"
    assert "Barry Whelan" not in item.body  # the non-public contacts


def test_impressum_with_filler_lines_is_a_service_message() -> None:
    result = parse_iptc7901(raw_item(fixture("anpa", "dpa_copyright.txt"), "iptc7901"))
    assert result.items == ()
    [problem] = result.problems
    assert "service message" in problem.reason


def test_dpa_rendering_of_a_correction_with_labels_in_the_heading() -> None:
    item = _one("dpa-digitalwires", "to-iptc7901__tests_data_output_dw-1.iptc")
    assert (
        item.headline
        == "\u00abMythos Jungfernh\u00e4utchen\u00bb - Zwischen Aufkl\u00e4rung und Kommerz"
    )
    assert item.byline == "Von Marco Krefting und Sunrita Sen, dpa"
    assert item.signals == ("correction",)
    assert item.urgency == 3
    assert item.dateline == "Wagh\u00e4usel (dpa)"
    assert item.published_at == utc(2024, 9, 24, 10, 5)  # "241205 Sep 24", Berlin time
    assert item.ednote is not None and item.ednote.startswith("der Meldung mit der Kennung")


def test_dpa_urgent_bells_and_regional_service() -> None:
    eil = _one("dpa-digitalwires", "to-iptc7901__tests_data_output_eil.iptc")
    assert eil.signals == ("urgent",) and eil.urgency == 2
    assert eil.headline == "Gr\u00fcnen-Spitze tritt nach Wahlniederlagen ab"
    assert eil.published_at == utc(2024, 9, 25, 8, 37)
    assert "\x07" not in eil.body
    regional = _one("dpa-digitalwires", "to-iptc7901__tests_data_output_nsb-n1.iptc")
    assert regional.headline == "Baum auf Bahnstrecke bei Peine - Versp\u00e4tungen"
    assert regional.dateline == "Peine (dpa/lni)"
    assert regional.ednote == (
        "Zu diesem Text finden Sie Bilder mit folgendem Titel im dpa Bildangebot:\nICE"
    )


def test_every_7901_fixture_is_detected_and_text_bearing_ones_become_stories() -> None:
    paths = sorted(shared_path("fixtures", "anpa").glob("*.txt"))
    paths += sorted(shared_path("fixtures", "dpa-digitalwires").glob("*.iptc"))
    assert len(paths) == 10
    stories = 0
    for path in paths:
        raw = raw_item(path.read_bytes(), item_id=path.stem)
        assert detect_format(raw.data) == "iptc7901", path.name
        stories += len(parse_payload(raw).items)
    assert stories == 9  # all but the Impressum service message


def _compose(header: bytes, heading: bytes, etx: bool = True) -> bytes:
    return (
        b"\x01" + header + b"\r\n\r\nComposed/slug/\r\n\x02" + heading
        + b" =\r\n\r\nHafenstadt (dpa) - Ein Satz, den es nur hier gibt.\r\n\r\ndpa xy\r\n"
        + (b"\x03101530 GMT Mar 22\r\n\x7f\r\n\x04" if etx else b"")
    )  # fmt: skip


def test_composed_messages_truncation_and_unknown_priority() -> None:
    data = (
        _compose(b"abc001 3 i 12  dpa 0001", b"Ein Titel")
        + _compose(b"abc002 9 i 12  dpa 0002", b"Falsche Prioritaet")
        + _compose(b"abc003 3 i 12  dpa 0003", b"Abgeschnitten", etx=False)
    )
    result = parse_iptc7901(raw_item(data, "iptc7901", item_id="batch"))
    [item] = result.items
    assert (item.item_id, item.headline) == ("batch", "Ein Titel")
    assert item.body == "Hafenstadt (dpa) - Ein Satz, den es nur hier gibt."
    assert item.published_at == utc(2022, 3, 10, 15, 30)
    reasons = [p.reason for p in result.problems]
    assert "unknown priority 9" in reasons[0]
    assert "no ETX: truncated transmission" in reasons[1]


def test_no_soh_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no SOH"):
        parse_iptc7901(raw_item(b"eca062 4 i 211 dpa 061\r\nno framing", "iptc7901"))
