"""HTML to text, mojibake, control characters, spaces and language detection."""

from __future__ import annotations

import json

from ingest.normalize import detect_language, html_to_text, normalize_body
from ingest.normalize.text import clean_text
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
