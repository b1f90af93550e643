"""NewsML 1.2: AFP, ANA-MPA, Business Wire, Belga's agencies (ATS, Kyodo, EFE, ANP, TASS...),
NTB and CP files, field by field, and what a text-bearing fixture set yields by detection.

The fixtures are read where they lie; composed documents below are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.formats import detect_format, parse, parse_payload
from ingest.formats.newsml_1 import parse_newsml_1
from record.errors import ParseError
from tests.conftest import shared_path
from tests.ingest.formats.payloads import fixture, raw_item, utc

BELGA = ("superdesk-agencies", "superdesk-belga")
NTB = ("superdesk-agencies", "superdesk-ntb")
CP = ("superdesk-agencies", "superdesk-cp")
#: Belga's NewsML 1.2 files that hold only audio or video (with their shot lists): no story.
MEDIA_ONLY = frozenset(
    {
        "tests_io_fixtures_belga_newsml_1_2_audio.xml",
        "tests_io_fixtures_belga_newsml_1_2_audio2.xml",
        "tests_io_fixtures_belga_newsml_1_2_video.xml",
    }
)


def _one(*parts: str, fmt: str | None = None):
    [item] = parse(raw_item(fixture(*parts), fmt))
    return item


def _newsml_1_files() -> list[Path]:
    """Every NewsML 1.x fixture file: those whose root element is <NewsML>."""
    fixtures = shared_path("fixtures")
    candidates = [
        *fixtures.glob("newsml-1.2/*.xml"),
        *fixtures.glob("superdesk-agencies/*/*.xml"),
    ]
    return sorted(p for p in candidates if b"<NewsML" in p.read_bytes()[:1024])


def _nitf_files() -> list[Path]:
    fixtures = shared_path("fixtures")
    candidates = [*fixtures.glob("dpa-digitalwires/*.xml"), *fixtures.glob("superdesk-*/*/*.xml")]
    return sorted(p for p in candidates if b"<nitf" in p.read_bytes()[:512])


def test_afp_item_with_nitf_body() -> None:
    item = _one("newsml-1.2", "afp.xml")
    assert item.format == "newsml-1.2"
    assert item.item_id == "urn:newsml:afp.com:20140829T135002Z:TX-PAR-FXW86"
    assert item.version == 1
    assert item.signals == ()
    assert item.pubstatus == "usable"
    assert item.published_at == utc(2014, 8, 29, 13, 49, 51)  # ThisRevisionCreated
    assert item.headline == "Sweden court accepts receivership for Saab carmaker"
    assert item.dateline == "STOCKHOLM, Aug 29, 2014 (AFP) -"
    assert item.urgency == 4
    assert item.language == "en"
    assert item.body.startswith("A Chinese-owned company set up to take over Saab's assets")
    assert item.body.endswith("a line of electric cars.\n\nhh/ph/ts/hd")
    assert item.body.count("\n\n") == 9  # ten <p>


def test_afp_utf8_under_a_latin_1_declaration() -> None:
    item = _one("newsml-1.2", "afp20.xml")
    assert item.item_id == "urn:newsml:afp.com:20240710:240710125902.qpsp2jzk"
    assert item.headline == "Décès de Naomi Musenga: l'opératrice du Samu définitivement condamnée"
    assert item.body.startswith("L'opératrice du Samu condamnée pour non-assistance à personne")
    assert "Ã" not in item.body + item.headline  # no mojibake
    assert item.dateline == "Strasbourg, 10 juil 2024 (AFP)"
    assert item.published_at == utc(2024, 7, 10, 12, 59, 2)
    assert item.language == "fr"
    assert item.urgency is None  # neither NewsManagement nor envelope gives one
    assert item.body.count("\n\n") == 1


def test_ana_mpa_crlf_and_html_in_cdata() -> None:
    item = _one("newsml-1.2", "ana1.xml")
    assert item.item_id == "urn:newsml:ana-mpe.gr:20180404:19336333"
    assert item.headline == "Wage employment balance positive in Jan-March"
    assert item.published_at == utc(2018, 4, 4, 14, 58, 59)  # +0300 in UTC
    assert item.language == "en"  # FormalName="EN"
    assert item.urgency == 5  # the envelope's Priority
    assert item.dateline == "4/4/2018"
    assert item.body.startswith("Wage employment in the private sector grew in March")
    assert "<P>" not in item.body and "\r" not in item.body
    assert item.body.count("\n\n") == 3  # the empty <P> </P> is no paragraph


def test_business_wire_roles_pick_the_body() -> None:
    item = _one("newsml-1.2", "businesswire-newsml-20130605006126.xml")  # no XML declaration
    assert item.item_id == "urn:newsml:businesswire.com:20010714:20130605006126"
    assert item.headline == "Cambrios被Gartner評選為「最酷供應商」"
    assert item.dateline == "加州桑尼維爾"
    assert item.language == "zh"
    assert item.published_at == utc(2013, 6, 5, 21, 0)
    assert item.body.startswith("(美國商業資訊)--為透明及軟性導體市場提供銀奈米線解決方案")
    assert "Monica Smith" not in item.body  # the Contact component
    assert ".bwalignc" not in item.body  # the StyleSheet component
    cp = _one(*CP, "tests_ingest_parser_fixtures_businesswire_20210130005024r1.xml")
    assert cp.headline == "Interactive Brokers Lifts All Trading Restrictions on Options"
    assert cp.dateline == "GREENWICH, Conn."
    assert cp.published_at == utc(2021, 1, 31, 2, 41)
    assert cp.body.startswith("Interactive Brokers Group (Nasdaq: IBKR), a global brokerage")


def test_ats_latin_1_with_an_external_nitf_dtd() -> None:
    item = _one(*BELGA, "tests_io_fixtures_ats_newsml_1_2_belga.xml")
    assert item.item_id == "urn:newsml:www.sda-ats.ch:20190603:bsf153"
    assert item.headline == "Un taureau entre dans un magasin à Landquart (GR)"
    assert item.dateline == "Landquart GR"
    assert item.published_at == utc(2019, 6, 3, 15, 47, 29)
    assert item.urgency == 4
    assert item.language == "fr"
    assert item.body.startswith("Un taureau âgé d'un an est entré dans un magasin Denner")
    assert item.body.count("\n\n") == 2


def test_kyodo_efe_and_anp_through_belga() -> None:
    kyodo = _one(*BELGA, "tests_io_fixtures_kyodo_newsml_1_2_belga.xml")
    assert kyodo.item_id == "urn:newsml:kyodonews.jp:20190723:20161021KW___0003800010"
    assert kyodo.headline == "Ex-Chinese Premier Li Peng dies aged 90: Xinhua"
    assert kyodo.dateline == "BEIJING, July 23"
    assert kyodo.urgency == 9  # the envelope's Priority
    assert kyodo.language == "en"
    assert kyodo.body.startswith("Former Chinese Premier Li Peng, who led a military crackdown")
    efe = _one(*BELGA, "tests_io_fixtures_efe_belga.xml")
    assert efe.byline == "daa/mt/msr"  # from the NITF body.head
    assert efe.dateline is None  # its NITF dateline is only a machine timestamp
    assert efe.urgency == 5
    assert efe.language == "es"
    assert efe.body.startswith("Nueva Delhi, 21 ene (EFE).- Una pareja de leones asiáticos")
    anp = _one(*BELGA, "tests_io_fixtures_anp_belga.xml")
    assert (anp.version, anp.signals, anp.pubstatus) == (2, ("update",), "usable")
    assert anp.item_id == "urn:newsml:ANP:20181210:ANPX-101218-041-v2"
    assert anp.headline == "FNV staat alleen met acties bij PostNL (2)"
    assert anp.language == "nl"
    assert anp.published_at == utc(2018, 12, 10, 11, 37, 31)


def test_belga_components_languages_and_revisions() -> None:
    result = parse_payload(raw_item(fixture(*BELGA, "tests_io_fixtures_belga_newsml_1_2.xml")))
    [item] = result.items
    assert item.item_id == "urn:newsml:belga.be:20190129T133400:98055798"
    assert item.version == 4
    assert item.published_at == utc(2019, 1, 29, 13, 34)  # no offset: UTC
    assert item.language == "nl"
    assert item.headline == "Mediawatch dinsdag 29/01/2019 - VTM Nieuws - 13 uur"
    # Escaped <b> in a text DataContent is markup; the French twin is left out, and said so.
    assert item.body.startswith("Steven Van Geel gaf zich op 31 mei 2014 aan bij de politie")
    assert "drugsloods" not in item.body
    assert any("another language" in note for note in result.warnings)
    remote = _one(*BELGA, "tests_io_fixtures_belga_remote_newsml_1_2.xml")
    assert remote.version == 0
    paragraphs = remote.body.split("\n\n")
    assert len(paragraphs) == 3  # the Lead, then the Body's two lines
    assert paragraphs[0].startswith("In Antwerpen zal het kruispunt van de Schijnpoortweg")
    assert paragraphs[1].startswith("Auto's, vrachtverkeer en het openbaar vervoer")


@pytest.mark.parametrize("name", sorted(MEDIA_ONLY))
def test_audio_and_video_items_are_skipped_with_a_warning(name: str) -> None:
    result = parse_newsml_1(raw_item(fixture(*BELGA, name)))
    assert result.items == () and result.problems == ()
    [note] = result.warnings
    assert "photo, video or audio" in note


def test_tass_item_without_news_item_id_is_identified_by_its_duid() -> None:
    # TASS sends only the ProviderId; the top NewsComponent's Duid and the first-created date
    # identify the item, with a warning that says so.
    result = parse_payload(raw_item(fixture(*BELGA, "tests_io_fixtures_tass_belga.xml")))
    [item] = result.items
    assert item.item_id == "urn:newsml:www.itar-tass.com:20190121:03AE4325838900396A95"
    assert any("NewsIdentifier has no DateId, NewsItemId" in w for w in result.warnings)


def test_an_item_without_any_identity_is_a_problem() -> None:
    doc = _doc(_item(item_id="").replace("<ProviderId>p.example</ProviderId>", ""))
    result = parse_newsml_1(raw_item(doc))
    assert result.items == ()
    [problem] = result.problems
    assert problem.item_id is None
    assert "the item has no identity" in problem.reason


def test_ntb_afp_variants_and_solita_namespaced_items() -> None:
    full = _one(*NTB, "ntb__afp.xml")
    assert full.headline == "Burkina Faso bans imports from North Korea"
    assert full.body.startswith("Burkina Faso is banning imports from North Korea")
    assert _one(*NTB, "ntb__afp_no_headline.xml").headline is None
    two = _one(*NTB, "ntb__afp_no_headline_2.xml")
    assert two.body == "There are 2 paragraphs on the same line on purpose\n\ndon't add line feed"
    english, norwegian = parse(raw_item(fixture(*NTB, "ntb__solita_se_1.xml")))
    assert english.item_id == "urn:newsml:nordicir.com:20190402:ntb:announcement:8-en"
    assert norwegian.item_id == "urn:newsml:nordicir.com:20190402:ntb:announcement:8-no"
    assert (english.language, norwegian.language) == ("en", "no")
    assert (english.headline, norwegian.headline) == ("This is the title", "Dette er tittelen")
    assert english.byline == "Cypress Test publisher"
    assert english.published_at == utc(2019, 4, 2, 14, 2, 9)
    solita = _one(*NTB, "ntb__solita_se_2.xml")
    assert solita.byline == "TESTKUNDE BØRS ASA"
    assert "Dette er en ingress" in solita.body


def test_every_newsml_1_fixture_is_detected() -> None:
    files = _newsml_1_files()
    assert len(files) == 21
    for path in files:
        assert detect_format(path.read_bytes()) == "newsml-1.2", path.name


def test_text_bearing_fixtures_become_stories_by_detection() -> None:
    # The target of issue 15: >= 95% of the text-bearing NITF and NewsML 1.2 fixtures become
    # stories when no format is declared. Media-only items are not text-bearing.
    files = [p for p in _newsml_1_files() + _nitf_files() if p.name not in MEDIA_ONLY]
    stories = [p.name for p in files if parse_payload(raw_item(p.read_bytes())).items]
    share = len(stories) / len(files)
    print(f"\ntext-bearing NITF + NewsML 1.2 fixtures that became stories: "
          f"{len(stories)}/{len(files)} = {share:.1%}")  # fmt: skip
    assert len(files) == 25
    assert share >= 0.95
    assert "tests_io_fixtures_tass_belga.xml" in stories  # identified by its Duid


# --- composed documents ------------------------------------------------------------------------


def _item(
    management: str = "<Status FormalName='Usable'/>",
    content: str = "<DataContent>Plain text.</DataContent>",
    revision: str = "<RevisionId PreviousRevision='0' Update='N'>1</RevisionId>",
    item_id: str = "n1",
) -> str:
    return (
        "<NewsItem><Identification><NewsIdentifier><ProviderId>p.example</ProviderId>"
        f"<DateId>20240101</DateId><NewsItemId>{item_id}</NewsItemId>{revision}"
        f"</NewsIdentifier></Identification><NewsManagement>{management}</NewsManagement>"
        f"<NewsComponent><ContentItem>{content}</ContentItem></NewsComponent></NewsItem>"
    )


def _doc(*items: str) -> bytes:
    envelope = "<NewsEnvelope><DateAndTime>20240101T060000Z</DateAndTime></NewsEnvelope>"
    return f"<?xml version='1.0'?><NewsML>{envelope}{''.join(items)}</NewsML>".encode()


def test_canceled_and_withheld_items_need_no_text() -> None:
    canceled, withheld = parse(
        raw_item(
            _doc(
                _item("<Status FormalName='Canceled'/>", "<DataContent/>", item_id="k1"),
                _item("<Status FormalName='Withheld'/>", "<DataContent/>", item_id="w1"),
            )
        )
    )
    assert (canceled.item_id, canceled.pubstatus) == (
        "urn:newsml:p.example:20240101:k1",
        "canceled",
    )
    assert (withheld.pubstatus, withheld.body) == ("withheld", "")
    assert canceled.published_at == utc(2024, 1, 1, 6, 0)  # the envelope's DateAndTime


def test_embargo_revisions_and_urgency_text() -> None:
    management = (
        "<FirstCreated>20240101T070000+0100</FirstCreated><Status FormalName='Embargoed'/>"
        "<StatusWillChange><FutureStatus FormalName='Usable'/>"
        "<DateAndTime>20240102T090000Z</DateAndTime></StatusWillChange><Urgency>2</Urgency>"
    )
    revision = "<RevisionId PreviousRevision='2' Update='A'>3</RevisionId>"
    [item] = parse(raw_item(_doc(_item(management, revision=revision))))
    assert item.pubstatus == "usable"
    assert item.embargo_until == utc(2024, 1, 2, 9, 0)
    assert item.published_at == utc(2024, 1, 1, 6, 0)
    assert item.version == 3
    assert item.signals == ("update", "append")
    assert item.urgency == 2
    # Two revisions of one item share its identity.
    [first] = parse(raw_item(_doc(_item(management))))
    assert first.item_id == item.item_id and first.version == 1 and first.signals == ()


def test_bad_items_are_problems_and_the_rest_goes_on() -> None:
    result = parse_newsml_1(
        raw_item(
            _doc(
                _item(item_id="good"),
                _item("<Status FormalName='Draft'/>", item_id="s1"),
                _item(revision="<RevisionId>two</RevisionId>", item_id="r1"),
                _item("<FirstCreated>yesterday</FirstCreated>", item_id="d1"),
                _item(content="<DataContent>  </DataContent>", item_id="e1"),
                _item(content="<MimeType FormalName='image/jpeg'/>", item_id="p1"),
            )
        )
    )
    assert [item.item_id for item in result.items] == ["urn:newsml:p.example:20240101:good"]
    reasons = {problem.item_id.rsplit(":", 1)[-1]: problem.reason for problem in result.problems}
    assert "unknown Status 'draft'" in reasons["s1"]
    assert "RevisionId 'two' is not an integer" in reasons["r1"]
    assert "'yesterday' is not a timestamp" in reasons["d1"]
    assert "has no text" in reasons["e1"]
    assert "photo, video or audio" in result.warnings[0]  # p1: a picture, skipped


def test_truncated_and_empty_documents_are_parse_errors() -> None:
    whole = fixture("newsml-1.2", "afp.xml")
    with pytest.raises(ParseError, match="not well-formed"):
        parse_payload(raw_item(whole[: len(whole) // 2], "newsml-1.2"))
    with pytest.raises(ParseError, match="no NewsItem"):
        parse_payload(raw_item(_doc(), "newsml-1.2"))
    with pytest.raises(ParseError, match=r"not a NewsML 1\.x"):
        parse_payload(raw_item(b"<nitf/>", "newsml-1.2"))
    g2 = fixture("newsml-g2", "iptc", "LISTING_2_NewsML-G2_Text_Document.xml")
    assert detect_format(g2) == "newsml-g2"  # the NAR namespace still decides
