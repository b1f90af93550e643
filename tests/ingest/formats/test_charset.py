"""The one charset rule: declared, marked, wide without a mark, guessed and flagged.

The texts are composed here and encoded in the codecs agencies' feeds turn up in; the real
feedparser cases of ../shared are read where they lie.
"""

from __future__ import annotations

import pytest

from ingest import prepare
from ingest.formats import parse_payload
from ingest.formats._charset import decode_payload, reads_as_text, wide_codec
from record.errors import ParseError
from tests.ingest.formats.payloads import fixture, raw_item

TEXTS = {
    "ru": "Президент заявил в понедельник, что переговоры с соседними странами продолжатся.",
    "ja": "東京株式市場で日経平均株価は反落し、前日比で二百円以上値下がりした。",
    "ko": "서울 증시에서 코스피 지수는 외국인 매도세에 밀려 하락 마감했다.",
    "th": "นายกรัฐมนตรีกล่าวในวันจันทร์ว่ารัฐบาลจะเพิ่มงบประมาณสำหรับการศึกษา",
    "he": "ראש הממשלה אמר ביום שני כי הממשלה תגדיל את התקציב לחינוך.",
    "el": "Ο πρωθυπουργός δήλωσε τη Δευτέρα ότι η κυβέρνηση θα αυξήσει τον προϋπολογισμό.",
    "de": "Der Bundestag hat über die Änderungen beraten. Die Grünen äußerten Kritik.",
    "fr": "L’économie a progressé au troisième trimestre. «C’est une bonne nouvelle», a-t-il dit.",
}
LEGACY = [
    ("ru", "koi8_r"),
    ("ru", "cp1251"),
    ("ja", "euc_jp"),
    ("ja", "shift_jis"),
    ("ko", "euc_kr"),
    ("th", "tis_620"),
    ("he", "cp1255"),
    ("el", "iso8859_7"),
    ("de", "latin_1"),
    ("fr", "cp1252"),
]
WIDE = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]


def _feed(text: str, declared: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{declared}"?>\n<rss version="2.0"><channel>'
        f"<title>wire</title><item><guid>a-1</guid><title>{text[:20]}</title>"
        f"<description>{text}</description></item></channel></rss>"
    )


@pytest.mark.parametrize(("lang", "codec"), LEGACY, ids=[f"{lang}-{c}" for lang, c in LEGACY])
@pytest.mark.parametrize("declared", [None, "utf-8", "iso-8859-1"])
def test_legacy_codec_is_guessed_when_the_declaration_fails_or_reads_badly(
    lang: str, codec: str, declared: str | None
) -> None:
    data = TEXTS[lang].encode(codec)
    decoded = decode_payload(data, declared)
    assert decoded.text == TEXTS[lang]
    # A latin-1 declaration over latin-1 text holds; over cp1252 quotes (C1 controls in
    # latin-1) it does not; anything else was guessed.
    assert decoded.guessed is not (declared == "iso-8859-1" and lang == "de")


@pytest.mark.parametrize(("lang", "codec"), LEGACY, ids=[f"{lang}-{c}" for lang, c in LEGACY])
def test_a_feed_declaring_utf8_over_legacy_bytes_is_read_and_flagged(lang: str, codec: str) -> None:
    data = _feed(TEXTS[lang], "utf-8").encode(codec)
    [story], rejects = prepare([raw_item(data)])
    assert rejects == []
    assert story.body == TEXTS[lang]
    [flag] = [f for f in story.flags if f.startswith("charset-guessed:")]
    assert TEXTS[lang].encode(flag.split(":", 1)[1]) == TEXTS[lang].encode(codec)


#: Scripts whose UTF-16 a mark-less payload is told by: one alphabet, or ASCII between. CJK
#: text alone has no such signature; in a feed or a wire file, its markup and digits give one.
ALPHABETIC = sorted(set(TEXTS) - {"ja", "ko"})


@pytest.mark.parametrize("lang", ALPHABETIC)
@pytest.mark.parametrize("codec", WIDE)
def test_utf16_and_utf32_without_a_byte_order_mark(lang: str, codec: str) -> None:
    data = TEXTS[lang].encode(codec)
    assert wide_codec(data) == codec
    decoded = decode_payload(data)
    assert (decoded.text, decoded.codec, decoded.guessed) == (TEXTS[lang], codec, True)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-8-sig"])
def test_a_byte_order_mark_is_no_guess(codec: str) -> None:
    decoded = decode_payload(TEXTS["ru"].encode(codec))
    assert (decoded.text, decoded.guessed) == (TEXTS["ru"], False)


@pytest.mark.parametrize("lang", ["el", "ja", "ko"])
@pytest.mark.parametrize("codec", [*WIDE, "utf-16", "utf-32"])
@pytest.mark.parametrize("fmt", ["text", "rss"])
def test_wide_payloads_are_detected_and_parsed(codec: str, fmt: str, lang: str) -> None:
    text = TEXTS[lang]
    source = f" date 2026-11-18 {text}" if fmt == "text" else _feed(text, "utf-16")
    [item] = parse_payload(raw_item(source.encode(codec))).items
    assert item.format == fmt
    assert item.body.strip() == text
    assert any(f.startswith("charset-guessed:") for f in item.flags) is (codec in WIDE)


def test_utf8_under_a_latin1_declaration_is_utf8() -> None:
    data = _feed(TEXTS["de"], "iso-8859-1").encode("utf-8")
    [item] = parse_payload(raw_item(data)).items
    assert item.body == TEXTS["de"]
    assert item.flags == ("charset-guessed:utf-8",)


def test_the_sources_encoding_is_trusted_and_never_flagged() -> None:
    data = f" date 2026-11-18 {TEXTS['ru']}".encode("koi8_r")
    raw = raw_item(data, "text")
    [story], _ = prepare([type(raw)(**{**raw.__dict__, "encoding": "koi8_r"})])
    assert story.body == TEXTS["ru"]
    assert not any(f.startswith("charset-guessed") for f in story.flags)


def test_bytes_no_charset_reads_as_text_are_refused() -> None:
    data = b" date 2026-11-18 Markets opened \xff\xfe\x80 lower as inves\xc3(tors weighed\x9d\x81"
    with pytest.raises(ParseError, match=r"not valid utf-8: byte 0xff at offset 32"):
        parse_payload(raw_item(data))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(TEXTS["de"], True, id="german"),
        pytest.param(
            "Cambrios Technologies Corporation今天宣布，該公司最近被評選為", True, id="zh-latin"
        ),
        pytest.param(
            "Die Grünen".encode("latin-1").decode("cp1251"), False, id="latin-as-cyrillic"
        ),
        pytest.param("Gr\u7e4den \u9a5berten Kritik an der Regierung", False, id="kanji-in-words"),
        pytest.param("inves\u251c(tors", False, id="box-drawing"),
        pytest.param(TEXTS["ru"].encode("koi8_r").decode("latin-1"), False, id="koi8-as-latin1"),
    ],
)
def test_reads_as_text(text: str, expected: bool) -> None:
    assert reads_as_text(text) is expected


def test_real_windows1255_feed_without_declaration_is_hebrew() -> None:
    data = fixture("rss", "feedparser-edge", "illformed__chardet__windows1255.xml")
    [story], _ = prepare([raw_item(data)])
    assert story.flags[:1] == ("charset-guessed:cp1255",)
    assert sum("\u05d0" <= c <= "\u05ea" for c in story.body) > 100


def test_real_greek_feed_keeps_its_declaration() -> None:
    data = fixture("rss", "real-world", "feed-test-greek.xml")
    stories, _ = prepare([raw_item(data)])
    assert stories
    assert not any(f.startswith("charset-guessed") for s in stories for f in s.flags)
    assert all(any("\u0391" <= c <= "\u03c9" for c in s.body) for s in stories)


def test_utf8_damaged_in_transit_is_refused_not_guessed() -> None:
    # Valid multi-byte letters with a few stray bytes: UTF-8 that a line damaged. An 8-bit
    # guess would store mojibake ("foiĸþÃ" in iso8859-10); the payload is refused instead.
    text = "Le président a réuni le conseil à Genève, où l'été fut long."
    damaged = text.encode("utf-8").replace(b"conseil", b"con\xff\xfeseil")
    with pytest.raises(ParseError, match="UTF-8 damaged in transit"):
        decode_payload(damaged)
    # The same letters in latin-1 (no valid multi-byte sequence) are read, and flagged guessed.
    decoded = decode_payload(text.encode("latin-1"))
    assert decoded.text == text and decoded.guessed


def test_the_same_bytes_asked_again_with_another_rule_are_decided_again() -> None:
    # The last answer is kept for the same bytes object (a payload is looked at by the format
    # check and by its parser); a question with another declared or trusted codec is new.
    data = "Zürich, 2 déc (ats) Le Conseil fédéral a décidé.".encode("cp1252")
    first = decode_payload(data)
    assert decode_payload(data) is first  # the same question: the same answer
    trusted = decode_payload(data, trusted="cp1252")
    assert trusted.text.startswith("Zürich") and not trusted.guessed
    declared = decode_payload(data, "iso-8859-1")
    assert declared.codec == "iso8859-1" and declared.text.startswith("Zürich")
    copy = bytes(bytearray(data))
    assert copy is not data and decode_payload(copy).text == first.text  # equal bytes, answer
    wide = "Москва, 2 декабря. Правительство утвердило бюджет.".encode("utf-16-le")
    assert wide_codec(data) is None and wide_codec(wide) == "utf-16-le"
    assert wide_codec(data) is None
