"""NITF: NTB's Ritzau item, dpa's previews, AP tables relayed by CP, field by field.

The fixtures are read where they lie; the composed documents below are written for these tests
and hold only what each case needs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.formats import detect_format, parse, parse_payload
from ingest.formats.nitf import parse_nitf
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc

NTB = ("superdesk-agencies", "superdesk-ntb", "ntb__nitf_test.xml")
DPA = "dpa-digitalwires"
CP = ("superdesk-agencies", "superdesk-cp")


def _nitf_files() -> list[Path]:
    fixtures = shared_path("fixtures")
    return sorted(
        [
            *fixtures.glob("dpa-digitalwires/*nitf*.xml"),
            *fixtures.glob("dpa-digitalwires/*transformed*.xml"),
            *fixtures.glob("superdesk-agencies/superdesk-cp/*nitf*.xml"),
            fixtures.joinpath(*NTB),
        ]
    )


def _one(*parts: str, fmt: str | None = None, item_id: str = "payload"):
    [item] = parse(raw_item(fixture(*parts), fmt, item_id=item_id))
    return item


def test_ntb_ritzau_item_in_latin_1() -> None:
    item = _one(*NTB)  # detected: no format declared
    assert item.format == "nitf"
    assert item.item_id == "20160512:RTZ:8883:0"
    assert item.version == 4  # du-key version="04"
    assert item.urgency == 3
    assert item.published_at == utc(2016, 5, 11, 22, 5, 13)  # date.issue +02:00 in UTC
    assert item.pubstatus == "usable"
    assert item.embargo_until is None
    assert item.headline == "*En 41-årig mand, der onsdag blev anholdt og sat i forbindel"
    assert item.body.startswith("København /ritzau/: En 41-årig mand, der onsdag blev anholdt")
    assert item.body.endswith("Det oplyser Københavns Vestegns Politi.\n\n/ritzau/")
    assert item.body.count("\n\n") == 3  # four <p>, each its own paragraph
    assert item.dateline == "Stockholm"
    assert item.byline is None
    assert item.ednote is None  # ed-msg info="" is no note
    assert item.language == "no"  # baselang="no-NO"
    assert item.signals == ()


def test_dpa_preview_with_raw_ampersands_byline_and_media() -> None:
    # The preview's image URLs carry unescaped '&': the ampersands are escaped and it is read.
    item = _one(DPA, "s3push-example__extended_preprocess_data_nitf-infoline.xml")
    assert item.item_id == "urn-newsml-dpa-com-20090101-190710-99-999121:1562753522000"
    assert item.headline == "Licht und Kaleidoskope: Ólafur Eliasson in der Tate Modern"
    assert item.byline == "Von Anna Tomforde, dpa"
    assert item.urgency == 4
    assert item.published_at == utc(2019, 7, 10, 10, 12, 2)
    assert item.body.startswith("London (dpa) - Der dänisch-isländische Lichtkünstler Ólafur")
    assert "Licht und Schatten, Spiegeldecken" not in item.body  # the abstract is body.head
    assert "In Real Life" not in item.body.split("\n\n")[0]
    assert item.language is None  # the preview names no language


def test_dpa_transformed_preview_leaves_media_captions_out() -> None:
    item = _one(DPA, "s3push-example__extended_preprocess_data_transformed-starline.xml")
    assert item.item_id == "urn-newsml-dpa-com-20090101-190617-99-676016"
    assert item.headline == "Zwei Filme gewinnen Hauptpreis bei Emder Filmfest"
    assert item.published_at == utc(2019, 6, 17, 7, 17, 59)
    assert item.body.startswith("Die Produktionen «Don't Shoot» (Belgien/Niederlande 2018)")
    assert item.body.endswith("Filmfest Emden")  # the external-links block is text
    assert "Emder Schauspielpreis 2019" not in item.body  # a <media> alternate text


def test_ap_table_without_doc_id_takes_the_payload_name() -> None:
    data = fixture(*CP, "tests_ingest_parser_fixtures_ap_ap-agate-nitf.xml")
    result = parse_payload(raw_item(data, item_id="ap-agate"))
    [item] = result.items
    assert item.item_id == "ap-agate"
    assert any("no doc-id id-string" in note for note in result.warnings)
    assert item.headline == "NBA Expanded Glance"
    assert item.published_at == utc(2021, 5, 12, 14, 0, 7)
    assert item.body.startswith("All Times EDT\n\nEASTERN CONFERENCE\n\nAtlantic Division")


def test_every_nitf_fixture_is_detected_and_read() -> None:
    files = _nitf_files()
    assert len(files) == 7
    for path in files:
        data = path.read_bytes()
        assert detect_format(data) == "nitf", path.name
        [item] = parse(raw_item(data, item_id=path.stem))
        assert item.body.strip() and item.headline, path.name


# --- composed documents ------------------------------------------------------------------------


def _doc(docdata: str = "", body: str = "<p>Text.</p>", head: str = "", root: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><nitf{root}><head>{head}<docdata>{docdata}'
        f"</docdata></head><body><body.head><hedline><hl1>Headline</hl1></hedline></body.head>"
        f"<body.content>{body}</body.content></body></nitf>"
    ).encode()


def test_embargo_correction_ednote_and_language_meta() -> None:
    data = _doc(
        '<doc-id id-string="e1"/><date.issue norm="20240301T080000Z"/>'
        '<date.release norm="20240301T120000+0100"/><date.expire norm="20240401T000000Z"/>'
        '<ed-msg info="Embargoed until noon CET"/><correction info="name fixed"/>'
        '<du-key version="3" key="x"/><urgency ed-urg="2"/>',
        head='<meta name="language" content="de-CH"/>',
    )
    [item] = parse(raw_item(data, "nitf"))
    assert item.published_at == utc(2024, 3, 1, 8, 0)
    assert item.embargo_until == utc(2024, 3, 1, 11, 0)  # release after issue: an embargo
    assert item.ednote == "Embargoed until noon CET"
    assert item.signals == ("correction",)
    assert item.version == 3
    assert item.urgency == 2
    assert item.language == "de"


def test_management_status_maps_to_pubstatus() -> None:
    embargoed = _doc('<doc-id id-string="e2"/><date.release norm="2024-03-01T12:00:00Z"/>')
    embargoed = embargoed.replace(b"<docdata>", b'<docdata management-status="embargoed">')
    [item] = parse(raw_item(embargoed, "nitf"))
    assert (item.pubstatus, item.embargo_until) == ("usable", utc(2024, 3, 1, 12, 0))
    assert item.published_at == utc(2024, 3, 1, 12, 0)  # no date.issue: the release time
    canceled = _doc('<doc-id id-string="k1"/>', body="").replace(
        b"<docdata>", b'<docdata management-status="canceled">'
    )
    [kill] = parse(raw_item(canceled, "nitf"))
    assert (kill.item_id, kill.pubstatus, kill.body) == ("k1", "canceled", "")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_doc('<doc-id id-string="t1"/>', body="<p> </p>"), "has no text"),
        (_doc('<doc-id id-string="t2"/><date.issue norm="yesterday"/>'), "not a timestamp"),
        (
            _doc('<doc-id id-string="t3"/>').replace(
                b"<docdata>", b'<docdata management-status="draft">'
            ),
            "unknown management-status",
        ),
    ],
)
def test_unusable_document_is_a_problem_named_by_its_id(data: bytes, reason: str) -> None:
    result = parse_nitf(raw_item(data, "nitf"))
    assert result.items == ()
    [problem] = result.problems
    assert problem.item_id in ("t1", "t2", "t3")
    assert reason in problem.reason
    with pytest.raises(ParseError, match=reason):
        parse(raw_item(data, "nitf"))


def test_truncated_and_foreign_documents_are_parse_errors() -> None:
    whole = fixture(*NTB)
    with pytest.raises(ParseError, match="not well-formed"):
        parse_payload(raw_item(whole[: len(whole) // 2], "nitf"))
    with pytest.raises(ParseError, match="not a NITF"):
        parse_payload(raw_item(b"<?xml version='1.0'?><Publish><x/></Publish>", "nitf"))


def test_encoding_declaration_is_trusted_only_when_the_bytes_fit_it() -> None:
    text = "<p>Brødtekst på norsk.</p>"
    latin = _doc('<doc-id id-string="l1"/>', body=text).replace(b"UTF-8", b"iso-8859-1")
    # Latin-1 bytes under a Latin-1 declaration, then UTF-8 bytes under the same declaration.
    as_latin = latin.decode("utf-8").encode("latin-1")
    for data in (as_latin, latin):
        [item] = parse(raw_item(data, "nitf"))
        assert item.body == "Brødtekst på norsk."


def test_namespaced_nitf_reads_the_same() -> None:
    data = _doc('<doc-id id-string="ns1"/>', root=' xmlns="http://iptc.org/std/NITF/2006-10-18/"')
    assert detect_format(data) == "nitf"
    [item] = parse(raw_item(data))
    assert (item.item_id, item.headline, item.body) == ("ns1", "Headline", "Text.")
