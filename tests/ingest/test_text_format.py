"""The plain-text wire format and format detection, on composed payloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest import ParseError, RawItem, detect_format, parse
from ingest.formats.text import decode, parse_text

FETCHED = datetime(2026, 11, 24, tzinfo=UTC)
BOM = b"\xef\xbb\xbf"


def _raw(data: bytes | str, *, encoding: str | None = None, fmt: str | None = None) -> RawItem:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return RawItem(
        source="agence-fr",
        item_id="20261124_greve",
        data=data,
        fetched_at=FETCHED,
        location="/feed/20261124_greve.txt",
        format=fmt,
        encoding=encoding,
    )


def test_date_with_day():
    item = parse_text(_raw(" date 2026-11-24 Les fonctionnaires genevois sont en grève. (ats)"))
    assert item.published_at == datetime(2026, 11, 24, tzinfo=UTC)
    assert item.date_precision == "day"
    assert item.item_id == "20261124_greve"
    assert item.format == "text"
    assert item.version == 1
    assert item.headline is None
    assert item.body.strip() == "Les fonctionnaires genevois sont en grève. (ats)"


def test_date_with_month_only_is_the_first_of_the_month():
    item = parse_text(_raw("date 2026-11 Bilan climatique: un mois de novembre très doux."))
    assert item.published_at == datetime(2026, 11, 1, tzinfo=UTC)
    assert item.date_precision == "month"
    assert "Bilan climatique" in item.body


def test_body_keeps_later_paragraphs():
    text = " date 2026-11-24 Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième. (ats/nxp)"
    body = parse_text(_raw(text)).body
    assert "Premier paragraphe." in body
    assert body.rstrip().endswith("Troisième. (ats/nxp)")
    assert body.count("\n\n") == 2


@pytest.mark.parametrize("prefix", [" ", "\n\n", "\t \r\n  "])
def test_leading_whitespace_before_the_date_token(prefix):
    item = parse_text(_raw(prefix + "date 2026-11-18 The storm hit the coast overnight."))
    assert item.published_at == datetime(2026, 11, 18, tzinfo=UTC)


def test_utf8_bom_is_dropped():
    item = parse_text(_raw(BOM + " date 2026-11-18 L'été indien s'installe.".encode()))
    assert item.published_at == datetime(2026, 11, 18, tzinfo=UTC)
    assert "\ufeff" not in item.body
    assert "L'été indien" in item.body


def test_declared_latin1_encoding():
    data = " date 2026-11-18 Genève: la grève continue à l'hôpital.".encode("latin-1")
    item = parse_text(_raw(data, encoding="latin-1"))
    assert "Genève: la grève continue à l'hôpital." in item.body


def test_bom_wins_over_the_declared_encoding():
    data = BOM + " date 2026-11-18 Genève".encode()
    assert "Genève" in parse_text(_raw(data, encoding="latin-1")).body


def test_undeclared_latin1_is_read_by_a_guess():
    # Not UTF-8 and no encoding declared: charset-normalizer's guess, checked to read as text.
    data = " date 2026-11-18 Genève sous la neige: la grève continue à l'hôpital.".encode("latin-1")
    assert "Genève sous la neige: la grève continue à l'hôpital." in parse_text(_raw(data)).body


#: Broken UTF-8 of a damaged transmission: no charset reads these bytes as text.
CORRUPT = (
    b" date 2026-11-18 Markets opened \xff\xfe\x80 lower as inves\xc3(tors weighed\x9d\x81 data"
)


def test_bytes_no_charset_reads_name_the_byte_and_its_offset():
    with pytest.raises(ParseError) as info:
        parse_text(_raw(CORRUPT))
    offset = CORRUPT.index(b"\xff")
    assert f"offset {offset}" in str(info.value)
    assert "0xff" in str(info.value)


def test_invalid_byte_offset_counts_from_the_start_of_the_payload_with_a_bom():
    data = BOM + b" date 2026-11-18 Gen\xe8ve"
    offset = data.index(b"\xe8")
    with pytest.raises(ParseError) as info:
        decode(data)
    assert f"offset {offset}" in str(info.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("Les fonctionnaires sont en grève. (ats)", "date", id="no-date-token"),
        pytest.param("Le 2026-11-18, date 2026-11-18 la grève.", "date", id="token-not-first"),
        pytest.param(
            " date 2026-13-01 Le mois treize n'existe pas.", "invalid date", id="month-13"
        ),
        pytest.param(" date 2026-02-30 Le 30 février non plus.", "invalid date", id="feb-30"),
        pytest.param(" date 2026-11-18   \n\n  ", "no text", id="no-body"),
        pytest.param(" date 2026-11-18 La grève\x00 continue.", "NUL", id="nul"),
    ],
)
def test_unparseable_text(text, words):
    with pytest.raises(ParseError) as info:
        parse_text(_raw(text))
    assert words in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        b" date 2026-11-24 Texte.",
        b"date 2026-11 Texte.",
        BOM + b"\n  DATE 2026-11-24 Texte.",
    ],
)
def test_detect_format_text(data):
    assert detect_format(data) == "text"


@pytest.mark.parametrize(
    "data",
    [b'<?xml version="1.0"?><wire/>', b'{"name": "x"}', b"", b"update 2026-11-24 Texte."],
)
def test_detect_format_unknown_raises(data):
    with pytest.raises(ParseError) as info:
        detect_format(data)
    assert "format" in str(info.value)


def test_parse_detects_when_no_format_is_declared():
    [item] = parse(_raw(" date 2026-11-24 Texte détecté."))
    assert item.format == "text"


def test_parse_refuses_a_format_without_parser():
    with pytest.raises(ParseError) as info:
        parse(_raw(" date 2026-11-24 Texte.", fmt="ninjs"))
    assert "'ninjs'" in str(info.value)
