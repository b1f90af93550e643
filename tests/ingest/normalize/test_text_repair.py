"""HTML to text, mojibake, control characters, spaces and language detection."""

from __future__ import annotations

import json
import random
import sys
import unicodedata

from ingest.normalize import detect_language, html_to_text, normalize_body
from ingest.normalize.text import (
    _MOJIBAKE_HINT,
    _SPECIAL,
    clean_paragraphs,
    clean_text,
    join_paragraphs,
    split_paragraphs,
)
from tests.conftest import shared_path


def test_html_paragraphs_headings_lists_and_breaks() -> None:
    html = (
        "<html><head><style>p{}</style><title>t</title></head><body><h2>Sub</h2>"
        "<p>One &amp; <b>two</b>\n three</p><p>Four<br/>five</p><ul><li>a</li><li>b</li></ul>"
        "<script>alert(1)</script><blockquote>q</blockquote></body></html>"
    )
    assert html_to_text(html) == "Sub\n\nOne & two three\n\nFour\n\nfive\n\na\n\nb\n\nq"


def test_html_escaped_markup_settles() -> None:
    text = html_to_text("<p>&lt;p&gt;inner&lt;/p&gt;</p>")
    assert text == "inner"
    assert html_to_text(text) == text


def test_plain_text_with_angle_brackets_is_not_html() -> None:
    assert clean_text("a < b and c > d") == "a < b and c > d"


def test_real_body_html_keeps_paragraphs_and_curly_quotes() -> None:
    item = json.loads(
        shared_path("fixtures", "ninjs", "superdesk", "ninjs_embargoed.json").read_text("utf-8")
    )
    body = normalize_body(item["body_html"]).body
    assert "<" not in body and "&amp;" not in body
    assert body.count("\n\n") >= 10
    assert "’" in body and "“" in body


def test_newsml_declared_latin1_holding_utf8_is_repaired() -> None:
    data = shared_path("fixtures", "newsml-1.2", "afp20.xml").read_bytes()
    text = data.decode("iso-8859-1")
    assert "Ã©" in text
    body = normalize_body(text[text.index("<p>") : text.index("</DataContent>")]).body
    assert "Ã" not in body
    assert body.startswith("L'opératrice du Samu condamnée")


def test_anpa_control_characters_become_spaces() -> None:
    data = shared_path("fixtures", "anpa", "ap_anpa-6.tst").read_bytes().decode("latin-1")
    body = normalize_body(data).body
    assert not any(ord(ch) < 32 and ch != "\n" for ch in body)
    assert "Tampa Bay" in body


def test_typographic_spaces_are_plain() -> None:
    body = normalize_body("15\u2009000 francs\u00a0; «\u202fnon\u202f»").body
    assert body == "15 000 francs ; « non »"


def test_language_of_each_language() -> None:
    assert detect_language("Le Conseil d'Etat a tranché mardi en faveur de la commune.") == "fr"
    assert detect_language("Der Stadtrat hat am Dienstag den Haushalt beschlossen.") == "de"
    assert detect_language("The city council approved the budget on Tuesday.") == "en"
    assert detect_language("Il consiglio comunale ha approvato martedì il bilancio.") == "it"


def test_language_of_too_little_text_is_none() -> None:
    assert detect_language("(ats/nxp)") is None
    assert detect_language("https://t.co/7zWPhvWAO7 @someone") is None


def test_markup_nested_too_deep_is_flattened_to_the_same_paragraphs():
    from ingest.normalize.html import MAX_DEPTH, html_to_text

    inner = "<p>Le Conseil a voté &laquo;oui&raquo;.</p><script>x()</script><p>Fin<br>ici</p>"
    shallow = html_to_text(f"<div>{inner}</div>")
    deep = html_to_text("<div>" * (MAX_DEPTH + 1) + inner + "</div>" * (MAX_DEPTH + 1))
    assert shallow == deep == "Le Conseil a voté «oui».\n\nFin\n\nici"


def test_paragraphs_collapse_every_white_space_as_str_split_does() -> None:
    # The split skips str.split() for paragraphs with single spaces only: every character that
    # str.isspace() calls white space must send a paragraph to it.
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if character.isspace():
            # One at a time: two line breaks part paragraphs.
            text = f" a{character}b  c {character} d{character}"
            assert split_paragraphs(text) == [" ".join(text.split())], hex(code)


def _clean_paragraphs_searching_always(text: str) -> list[str]:
    """clean_paragraphs as it was before clean_text said where the mark cannot be."""
    paragraphs = split_paragraphs(clean_text(text))
    for _ in range(3):
        joined = join_paragraphs(paragraphs)
        if joined.isascii() or not _MOJIBAKE_HINT.search(joined):
            break
        again = split_paragraphs(clean_text(joined))
        if again == paragraphs:
            break
        paragraphs = again
    return paragraphs


def test_the_mojibake_search_is_skipped_only_where_it_finds_nothing() -> None:
    # Pieces that make the mark where it was not: composition ("A" and a combining circumflex
    # is "Â"), an entity whose ampersand was lost (" #169;" is "©"), invisible characters and
    # controls between the mark's two characters, escaped markup.
    pieces = [
        "Ã", "©", "\u0302", "\u0301", "A", "a", " #169;", " #39;", "&#169;", "&amp;", "amp;",
        "\n", "\n\n", " ", "  ", "Â", "\xa0", "\x85", "\u200b", "\u00ad", "€", "â", "\x80",
        "\x9d", "¿", "s", "\t", "Ä", "ö", "<p>", "</p>", "[b]", "quot;", "\u2028",
    ]  # fmt: skip
    rng = random.Random(11)
    for _ in range(4_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert clean_paragraphs(text) == _clean_paragraphs_searching_always(text), repr(text)


def test_composition_makes_no_character_that_cleaning_replaces() -> None:
    # Text without those characters skips their replacement, after NFC as before it.
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        character = chr(code)
        if _SPECIAL.search(character) is None:
            composed = unicodedata.normalize("NFC", character)
            assert _SPECIAL.search(composed) is None, hex(code)
