"""Times that hold: the source's zone for naive timestamps, fallbacks, sane date ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ingest import ConfigError, load_sources, prepare
from ingest.directory import read_directory
from ingest.normalize import FLAG_DATE_OUT_OF_RANGE, story_date
from tests.ingest.formats.payloads import raw_item

FETCHED = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def _toml(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "in").mkdir(exist_ok=True)
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "wire"\nkind = "directory"\npath = "in"\n{extra}\n', encoding="utf-8"
    )
    return path


def test_timezone_is_validated_and_reaches_the_payloads(tmp_path: Path) -> None:
    [source] = load_sources(_toml(tmp_path, 'timezone = "Europe/Zurich"'))
    assert source.timezone == "Europe/Zurich"
    (tmp_path / "in" / "a.txt").write_text(" date 2026-11-18 Text.", encoding="utf-8")
    items, _ = read_directory(source)
    assert [i.timezone for i in items] == ["Europe/Zurich"]


def test_an_unknown_timezone_names_file_source_and_field(tmp_path: Path) -> None:
    path = _toml(tmp_path, 'timezone = "Europe/Atlantis"')
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    message = str(info.value)
    assert "timezone" in message and "wire" in message and str(path) in message
    assert "Europe/Atlantis" in message


def _g2(meta: str, content_meta: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:1" version="1">'
        f"<itemMeta><itemClass qcode='ninat:text'/>{meta}</itemMeta>"
        f"<contentMeta><headline>Storm</headline>{content_meta}</contentMeta>"
        "<contentSet><inlineXML contenttype='application/xhtml+xml'>"
        "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>Gales hit the coast.</p></body></html>"
        "</inlineXML></contentSet></newsItem>"
    ).encode()


def test_a_naive_timestamp_is_read_in_the_sources_zone() -> None:
    data = _g2("<versionCreated>2026-11-18T10:00:00</versionCreated>")
    raw = raw_item(data, "newsml-g2")
    [utc_story], _ = prepare([raw])
    [zurich_story], _ = prepare([type(raw)(**{**raw.__dict__, "timezone": "Europe/Zurich"})])
    assert utc_story.published_at == datetime(2026, 11, 18, 10, tzinfo=UTC)
    assert zurich_story.published_at == datetime(2026, 11, 18, 9, tzinfo=UTC)  # CET is UTC+1


def test_an_offset_wins_over_the_sources_zone() -> None:
    data = _g2("<versionCreated>2026-11-18T10:00:00-05:00</versionCreated>")
    raw = raw_item(data, "newsml-g2")
    [story], _ = prepare([type(raw)(**{**raw.__dict__, "timezone": "Europe/Zurich"})])
    assert story.published_at == datetime(2026, 11, 18, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("meta", "content_meta", "expected"),
    [
        pytest.param(
            "<versionCreated/><firstCreated>2026-11-16T08:00:00Z</firstCreated>",
            "<contentCreated>2026-11-17T08:00:00Z</contentCreated>",
            datetime(2026, 11, 17, 8, tzinfo=UTC),
            id="empty-versionCreated-contentCreated",
        ),
        pytest.param(
            "<versionCreated> </versionCreated>",
            "<contentModified>2026-11-17T09:30:00Z</contentModified>"
            "<contentCreated>2026-11-17T08:00:00Z</contentCreated>",
            datetime(2026, 11, 17, 9, 30, tzinfo=UTC),
            id="contentModified-first",
        ),
        pytest.param(
            "<firstCreated>2026-11-16T08:00:00Z</firstCreated>",
            "",
            datetime(2026, 11, 16, 8, tzinfo=UTC),
            id="firstCreated-last",
        ),
    ],
)
def test_newsml_g2_falls_back_on_the_items_other_dates(
    meta: str, content_meta: str, expected: datetime
) -> None:
    [story], _ = prepare([raw_item(_g2(meta, content_meta), "newsml-g2")])
    assert story.published_at == expected
    assert story.story_date == expected.date()


def test_ninjs_falls_back_from_an_empty_versioncreated() -> None:
    data = (
        b'{"uri": "urn:test:n1", "versioncreated": "", "firstcreated": "2026-11-16T08:00:00",'
        b' "body_text": "Gales hit the coast.", "headline": "Storm"}'
    )
    raw = raw_item(data, "ninjs")
    [story], _ = prepare([type(raw)(**{**raw.__dict__, "timezone": "America/New_York"})])
    assert story.published_at == datetime(2026, 11, 16, 13, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stamp", "out"),
    [
        pytest.param("3013-11-18T10:00:00Z", True, id="year-3013"),
        pytest.param("1899-12-31T23:00:00Z", True, id="before-1900"),
        pytest.param("2026-11-25T04:59:00Z", False, id="a-day-ahead-is-fine"),
        pytest.param("2026-11-25T05:01:00Z", True, id="more-than-a-day-ahead"),
        pytest.param("2026-11-18T10:00:00Z", False, id="past-week"),
    ],
)
def test_dates_out_of_range_are_flagged_and_partition_by_the_fetch(stamp: str, out: bool) -> None:
    [story], _ = prepare([raw_item(_g2(f"<versionCreated>{stamp}</versionCreated>"), "newsml-g2")])
    assert story.published_at == datetime.fromisoformat(stamp)  # kept as sent
    assert (FLAG_DATE_OUT_OF_RANGE in story.flags) is out
    expected = FETCHED.date() if out else datetime.fromisoformat(stamp).date()
    assert story.story_date == expected


def test_story_date_without_a_published_time_is_the_fetch_date() -> None:
    assert story_date(None, FETCHED) == (date(2026, 11, 24), False)


_NITF = (
    '<?xml version="1.0" encoding="UTF-8"?><nitf><head><docdata>'
    '<doc-id id-string="nitf-1"/><date.issue norm="{stamp}"/></docdata></head>'
    "<body><body.head><hedline><hl1>Storm</hl1></hedline></body.head>"
    "<body.content><p>Gales hit the coast.</p></body.content></body></nitf>"
)
_NEWSML_1 = (
    '<?xml version="1.0" encoding="UTF-8"?><NewsML><NewsItem><Identification><NewsIdentifier>'
    "<ProviderId>wire.test</ProviderId><DateId>20261118</DateId><NewsItemId>1</NewsItemId>"
    "<RevisionId>1</RevisionId></NewsIdentifier></Identification><NewsManagement>"
    '<NewsItemType FormalName="News"/><FirstCreated>{stamp}</FirstCreated>'
    '<Status FormalName="Usable"/></NewsManagement><NewsComponent><ContentItem>'
    '<MediaType FormalName="Text"/><DataContent><p>Gales hit the coast.</p></DataContent>'
    "</ContentItem></NewsComponent></NewsItem></NewsML>"
)
_AP_MEDIA = (
    '{{"data": {{"item": {{"altids": {{"itemid": "ap-1"}}, "type": "text", "version": 0,'
    ' "versioncreated": "{stamp}", "headline": "Storm", "pubstatus": "usable",'
    ' "renditions": {{"nitf": {{"body": "<nitf><body><body.content><p>Gales hit the coast.'
    '</p></body.content></body></nitf>"}}}}}}}}}}'
)
_DIGITALWIRES = (
    '{{"entries": [{{"urn": "urn:newsml:dpa.com:20090101:1", "version": 1,'
    ' "version_created": "{stamp}", "headline": "Sturm",'
    ' "article_html": "<section><p>Sturm an der Küste.</p></section>"}}]}}'
)


@pytest.mark.parametrize(
    ("template", "fmt", "naive", "aware"),
    [
        (_NITF, "nitf", "20261118T100000", "20261118T100000-0500"),
        (_NEWSML_1, "newsml-1.2", "20261118T100000", "20261118T100000-0500"),
        (_AP_MEDIA, "ap-media", "2026-11-18T10:00:00", "2026-11-18T10:00:00-05:00"),
        (_DIGITALWIRES, "dpa-digitalwires", "2026-11-18T10:00:00", "2026-11-18T10:00:00-05:00"),
    ],
)
def test_every_xml_and_json_parser_reads_a_naive_time_in_the_sources_zone(
    template: str, fmt: str, naive: str, aware: str
) -> None:
    def published(stamp: str, zone: str | None) -> datetime | None:
        raw = raw_item(template.format(stamp=stamp).encode(), fmt)
        [story], rejects = prepare([type(raw)(**{**raw.__dict__, "timezone": zone})])
        assert not rejects
        return story.published_at

    assert published(naive, None) == datetime(2026, 11, 18, 10, tzinfo=UTC)
    assert published(naive, "Europe/Zurich") == datetime(2026, 11, 18, 9, tzinfo=UTC)
    assert published(aware, "Europe/Zurich") == datetime(2026, 11, 18, 15, tzinfo=UTC)
