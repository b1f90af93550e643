"""ANPA 1312: AP transmissions and AAP's dialects, read field by field from the real fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.formats import detect_format, parse_payload
from ingest.formats.anpa import parse_anpa, read_headers
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc


def _one(*parts: str):
    result = parse_anpa(raw_item(fixture(*parts), "anpa", item_id=Path(parts[-1]).stem))
    assert not result.problems, result.problems
    [item] = result.items
    return item


def test_ap_feature_header_fields_and_body() -> None:
    item = _one("anpa", "anpa-1.tst")
    assert item.item_id == "anpa-1"
    assert item.format == "anpa"
    assert item.headline == "For Argentine chemo patients, mirrors can hurt"
    assert item.byline == "By PAUL BYRNE and ALMUDENA CALATRAVA"
    assert item.ednote == "Eds: With AP Photos."
    assert item.dateline == "BUENOS AIRES, Argentina (AP)"
    assert item.urgency == 1  # priority code "f"
    assert item.version == 1 and item.signals == ()
    # The sign-off "AP-WF-11-13-13 1509GMT" is the transmission time, not text.
    assert item.published_at == utc(2013, 11, 13, 15, 9)
    assert "AP-WF" not in item.body and "1509GMT" not in item.body
    assert item.body.startswith("BUENOS AIRES, Argentina (AP) _ For cancer patients dealing")
    assert item.body.endswith(
        "APTN contributor Kacey Cherry in Buenos Aires helped with this story."
    )
    assert item.body.count("\n\n") == 14
    # ANPA's 7-bit quotes (``...'') become typographic quotes.
    assert "\u201cLook Good Feel Better\u201d is a program" in item.body
    assert "``" not in item.body and "''" not in item.body
    # The header lines are fields, not body: the photo note and the "Associated Press" title.
    assert "AP Photo XNP101" not in item.body and "Associated Press" not in item.body.split("\n")[0]


def test_ap_headers_selector_category_priority_and_slug() -> None:
    [header] = read_headers(raw_item(fixture("anpa", "anpa-2.tst"), "anpa"))
    assert header.dialect == "ap"
    assert (header.service, header.sequence, header.selectors) == ("W", "2607", "asian")
    assert (header.priority, header.category) == ("r", "a")
    assert header.slug == "BC-US--Ethanol-Losing Grassland"
    assert header.version_words == "1st Ld-Writethru"
    assert header.word_count == 1140


def test_first_lead_writethru_is_version_two_and_an_update() -> None:
    item = _one("anpa", "ap_anpa-3.tst")
    assert item.version == 2
    assert item.signals == ("update", "writethru")
    assert item.ednote == "Eds: APNewsNow. Changes short headline. New approach."
    assert item.headline == "$210 lobster is found dead"
    assert item.body == "CHATHAM, Mass. (AP) _ A lobster died."
    assert item.published_at == utc(2016, 8, 29, 16, 26)
    assert item.urgency == 4


def test_writethru_with_byline_title_and_summary_line() -> None:
    item = _one("anpa", "ap_anpa-1.tst")
    assert item.headline == "Deng has 30 points, short-handed Heat beat Hawks 115-111"
    assert item.byline == "By CHARLES ODUM"
    assert item.ednote == "Eds: Heat 115, Hawks 111. Updates. With AP Photos."
    assert item.dateline == "ATLANTA (AP)"
    assert item.version == 2
    assert "AP Sports Writer" not in item.body
    # AP's one-line summary above the byline repeats the lead: it is not a second paragraph.
    assert item.body.count("Luol Deng scored 30 points") == 1
    assert item.body.endswith("Hawks: Host Milwaukee on Saturday night.")


def test_editors_note_lines_join_the_ednote() -> None:
    item = _one("anpa", "anpa-2.tst")
    assert item.ednote is not None
    assert item.ednote.startswith("Eds: Restores reference in 3rd paragraph")
    assert item.ednote.endswith(
        "EDITOR'S NOTE _ This is part of an Associated Press investigation into the hidden"
        " costs of green energy."
    )
    assert item.body.startswith("ROSCOE, South Dakota (AP) _ Robert Malsam nearly went broke")


def test_news_alert_is_a_flash() -> None:
    item = _one("anpa", "ap_anpa-5.tst")
    assert item.signals == ("flash",)
    assert item.urgency == 1
    assert item.headline is None
    assert item.body.startswith("HONOLULU (AP) _ Hawaii files court challenge")
    assert item.published_at == utc(2017, 6, 29, 23, 50)


def test_headline_list_and_agate_table_keep_their_lines_as_paragraphs() -> None:
    listing = _one("anpa", "anpa-4.tst")
    assert listing.headline == "AP Top Entertainment News at 11:23 p.m. EST"
    assert listing.body.split("\n\n")[0] == (
        "Ex-bodyguard testifies about lewd messages sent to Paltrow"
    )
    assert listing.body.count("\n\n") == 9
    table = _one("anpa", "ap_anpa-6.tst")
    assert table.headline == "Wild Card Glance"
    assert table.byline == "By The Associated Press"
    assert "Tampa Bay 73 52 .584 _" in table.body.split("\n\n")
    assert "\x1e" not in table.body and "\x08" not in table.body


def test_weather_table_has_no_headline_line_but_a_dateline() -> None:
    item = _one("anpa", "anpa-3.tst")
    assert item.urgency == 3
    assert item.dateline == "NEW YORK (AP)"
    assert "Amsterdam;42;50;rn;0.08;39;52;pc;39;48;rn" in item.body
    assert not item.body.endswith("END")


def test_kyodo_wrapped_copy_joins_lines_into_paragraphs() -> None:
    item = _one("superdesk-agencies", "superdesk-belga", "tests_io_fixtures_kyodo.txt")
    assert item.headline == "Soccer: Urawa Reds claim 7th Emperor's Cup by beating Vegalta Sendai"
    assert item.dateline == "SAITAMA, Japan, Dec. 9 Kyodo"
    first = item.body.split("\n\n")[0]
    assert first == (
        "SAITAMA, Japan, Dec. 9 Kyodo - Urawa Reds claimed their seventh Emperor's Cup on"
        " Sunday after defeating fellow J-League top division side Vegalta Sendai 1-0 at"
        " Saitama Stadium."
    )
    assert "==Kyodo" not in item.body


def test_aap_zczc_story_fields() -> None:
    item = _one(
        "superdesk-agencies", "superdesk-aap", "aap__1487e8f1-f7f5-40f5-8c0f-0eba3c2e162d.tst"
    )
    assert item.headline == "Legionella found in Qld hospital"
    assert item.dateline == "BRISBANE"
    assert item.byline == "AAPIS\\Huttonc"
    assert item.body.startswith(
        "Legionella bacteria has been found in a regional southwest Queensland hospital."
    )
    assert "AAP RTV" not in item.body and "NNNN" not in item.body
    [header] = read_headers(raw_item(fixture(
        "superdesk-agencies", "superdesk-aap", "aap__1487e8f1-f7f5-40f5-8c0f-0eba3c2e162d.tst"
    ), "anpa"))  # fmt: skip
    assert (header.dialect, header.slug, header.selectors, header.category) == (
        "aap-zczc",
        "Legionella_BC1",
        "A",
        "07000000",
    )


def test_aap_tagged_zczc_reads_title_and_date_in_sydney_time() -> None:
    item = _one("superdesk-agencies", "superdesk-aap", "aap__AAP201606060716291.tst")
    assert item.headline == "UGL continues project delay negotiation"
    assert item.published_at == utc(2016, 6, 6, 4, 0)  # 14:00 AEST
    # cp1252's right single quote (0x92), decoded without a declared charset.
    assert item.body.startswith("UGL\u2019s construction of the Ichthys SMP")


def test_aap_racing_message_with_unit_separated_fields() -> None:
    item = _one("superdesk-agencies", "superdesk-aap", "aap__RR_20161025_CRANBOURNE_6.tst")
    assert item.headline == "CRANBOURNE"
    assert item.body.startswith("6-TAB - WE LOVE A BET (BM64) 2035m: 2.10 fav PEEKING DUCK")


def _anpa_fixtures() -> list[Path]:
    anpa = shared_path("fixtures", "anpa")
    aap = shared_path("fixtures", "superdesk-agencies", "superdesk-aap")
    framed = [
        path
        for path in sorted(aap.glob("*.tst"))
        if (head := path.read_bytes().lstrip(b"\r\n \t")[:4]).upper() == b"ZCZC"
        or head[:1] == b"\x01"
    ]
    return sorted(anpa.glob("*.tst")) + framed


def test_every_framed_fixture_is_detected_and_becomes_a_story() -> None:
    files = _anpa_fixtures()
    assert len(files) == 8 + 25  # AP's 8 and AAP's 20 ZCZC and 5 SOH transmissions
    for path in files:
        raw = raw_item(path.read_bytes(), item_id=path.stem)
        assert detect_format(raw.data) == "anpa", path.name
        result = parse_payload(raw)
        assert len(result.items) == 1 and not result.problems, (path.name, result.problems)
        assert result.items[0].body.strip()


def test_unframed_aap_files_are_not_taken_for_anpa() -> None:
    # AsiaNet releases and Bureau of Meteorology bulletins carry no ANPA framing.
    aap = shared_path("fixtures", "superdesk-agencies", "superdesk-aap")
    for name in ("aap__asianet_1.tst", "aap__IDN38100.tst", "aap__CRN2016427R1.tst"):
        with pytest.raises(ParseError, match="could not be detected"):
            detect_format((aap / name).read_bytes())


# --- composed transmissions: service messages and broken framing -------------------------------

_SYN = b"\x16\x16\x01"


def _message(slug: str, words: str = "", body: bytes = b"\t   TESTVILLE (AP) _ A line.\r\n",
             priority: bytes = b"r", etx: bool = True) -> bytes:  # fmt: skip
    line = f"BC-US--{slug}, {words},12<" if words else f"BC-US--{slug},12<"
    return (
        _SYN + b"Q1234\x1fcomp\r\n" + priority + b" a\x13\x11 BC-US--" + slug.encode()[:10]
        + b"   05-04 0012\r\n\x02^" + line.encode() + b"\r\n^Composed headline<\r\n" + body
        + (b"\r\n\t   \x03AP-NY-05-04-21 1230EDT<\r\n" if etx else b"")
        + b"\x0c\r\n\x04"
    )  # fmt: skip


def test_two_messages_in_one_transmission_are_two_stories() -> None:
    data = _message("First Story") + _message("Second Story", "2nd Ld")
    result = parse_anpa(raw_item(data, "anpa", item_id="batch"))
    assert [i.item_id for i in result.items] == ["batch", "batch#2"]
    assert [i.version for i in result.items] == [1, 3]
    assert result.items[1].signals == ("update",)
    assert result.items[0].published_at == utc(2021, 5, 4, 16, 30)  # 12:30 EDT
    assert result.items[0].headline == "Composed headline"


def test_line_check_test_and_advisory_are_service_messages() -> None:
    data = (
        _message("Test", body=b"\t   RYRYRYRYRYRYRYRY\r\n")
        + _message("LineCheck")
        + _message("Weekend Budget", "Advisory")
    )
    result = parse_anpa(raw_item(data, "anpa"))
    assert result.items == ()
    reasons = [p.reason for p in result.problems]
    assert len(reasons) == 3
    assert all("service message" in r for r in reasons), reasons
    assert "advisory" in reasons[2]


def test_truncated_transmission_and_unknown_priority_are_item_problems() -> None:
    data = _message("Cut Short", etx=False) + _message("Odd Code", priority=b"q")
    result = parse_anpa(raw_item(data, "anpa"))
    assert result.items == ()
    assert "no ETX: truncated transmission" in result.problems[0].reason
    assert "unknown priority code 'q'" in result.problems[1].reason


def test_kill_is_canceled() -> None:
    result = parse_anpa(raw_item(_message("Bad Story", "Kill"), "anpa"))
    [item] = result.items
    assert item.pubstatus == "canceled" and "kill" in item.signals


def test_payload_without_framing_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="no SOH or ZCZC framing"):
        parse_anpa(raw_item(b"just some words\r\nand more", "anpa"))
