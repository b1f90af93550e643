"""Normalization is deterministic and idempotent, on generated text and on real copy."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.normalize import normalize_body, words
from ingest.normalize.text import clean_paragraphs
from tests.conftest import SHARED
from tests.ingest.normalize.cases import CASES
from tests.ingest.normalize.labeled import case_input

# Pieces of wire copy that generated text is built from, so that markers, typography,
# mojibake, markup and control characters meet in every combination.
_PIECES = [
    "PARIS (AFP) - ",
    "GENÈVE (ats) - ",
    "Berlin (dpa) - ",
    "BUENOS AIRES, Argentina (AP) _ ",
    "NEW YORK, 3 janv. (AFP) - ",
    "(ANSA) - ROMA, 14 GEN - ",
    "WASHINGTON | ",
    "(Belga) ",
    " (ats/nxp)",
    " (afp/nxp)",
    " (sda/dpa)",
    " (AFP)",
    " (Reuters)",
    " ats nxp",
    " AFP/sdr",
    "\n\ndpa geh yyth a3 hgo",
    "\n\n© AFP",
    " © AFP",
    "\n\nTous droits réservés.",
    "\n\nCopyright 2020 The Associated Press. All rights reserved.",
    " Enditem",
    "==Kyodo",
    "\n\n(Reporting by Jane Doe; Editing by Ann Poe)",
    "\n\nhh/ph",
    " (Schluss) ab/cd",
    "\n\n# Notebook\n\n",
    "Le texte.",
    "Der Text.",
    "The text.",
    "Il testo.",
    " (de lettre)",
    " (...)",
    " (PS)",
    "15'000",
    "«",
    "»",
    "„",
    "“",
    "’",
    "'",
    "\u00a0",
    "\u202f",
    "\u2009",
    "\u200b",
    "\u00ad",
    "\x01",
    "\x16",
    "\x1f",
    "\x7f",
    "\r\n",
    "\n",
    "\n\n",
    "\t",
    " ",
    "Ã©",
    "Ã\u00a0",
    "â€™",
    "<p>",
    "</p>",
    "<br>",
    "&amp;",
    "&lt;p&gt;",
    "&amp;lt;",
    "<b>",
    "é",
    "ats",
    "pa",
    "ap",
    "AFP",
    ".",
    ",",
    "-",
    "—",
    "_",
    "=",
    "(",
    ")",
    "/",
    "©",
    "#",
]
_wire_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=30).map(
    "".join
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_wire_text)
# Markers only: a first paragraph kept as a bare dateline is no web page's title.
@example("PARIS (AFP) - PARIS (AFP) - <p>PARIS (AFP) - PARIS (AFP) - <p>PARIS (AFP) - ")
# What a first pass leaves first (a credit, a figure, a closing line, a remnant of stacked
# datelines) is no page's title or teaser the second time.
@example("PARIS (AFP) - WASHINGTON | <p>PARIS (AFP) - PARIS (AFP) - <p>PARIS (AFP) - ")
@example("PARIS (AFP) -  (ats/nxp)<p>PARIS (AFP) - <p>PARIS (AFP) - PARIS (AFP) - ")
@example("PARIS (AFP) - 15'000<p>PARIS (AFP) - 15'000<p>PARIS (AFP) - ")
@example(" (sda/dpa)\n\ndpa geh yyth a3 hgo AFP/sdr<p>PARIS (AFP) - 15'000<p>PARIS (AFP) - ")
@example("Le texte. EnditemPARIS (AFP) - PARIS (AFP) - PARIS (AFP) - ")
@example(":. PARIS (AFP) - 0:. PARIS (AFP) - PARIS (AFP) - ")
@example('PARIS (AFP) - "<p>PARIS (AFP) - PARIS (AFP) - ')
@example("A\n\ndpa geh yyth a3 hgo (sda/dpa)\n\nPARIS (AFP) - PARIS (AFP) - ")
@example("\u00e2\x81 ")
@example("\xa0amp;")
@example("PARIS (AFP) - .<p>PARIS (AFP) - ")
@example("PARIS (AFP) - .<p>PARIS (AFP) - Le texte.")
@example("PARIS (AFP) - , 0.")
@example("(Belga) \n\nTous droits réservés.AFP\n\nPARIS (AFP) - PARIS (AFP) - ")
def test_normalizing_clean_output_changes_nothing(text: str) -> None:
    once = normalize_body(text)
    twice = normalize_body(once.body)
    assert twice.body == once.body
    if not once.flags or once.flags == ("markers-kept-body-would-be-empty",):
        # Nothing is left to take off a clean body.
        assert twice.agencies == () or "markers-kept-body-would-be-empty" in once.flags


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_idempotent_and_deterministic(text: str) -> None:
    once = normalize_body(text)
    assert normalize_body(text) == once
    assert normalize_body(once.body).body == once.body


@settings(max_examples=200, deadline=None)
@given(_wire_text)
def test_a_marker_never_empties_a_body(text: str) -> None:
    result = normalize_body(text)
    if clean_paragraphs(text) and result.body == "":
        pytest.fail(f"{text!r} was emptied")
    if result.body:
        assert result.body == result.body.strip()
        assert "\n\n\n" not in result.body


@pytest.mark.parametrize("case", CASES[:80], ids=[c.key for c in CASES[:80]])
def test_real_copy_is_idempotent_and_has_no_control_characters(case: object) -> None:
    from tests.ingest.normalize.cases import Case

    assert isinstance(case, Case)
    if case.fixture is not None and not (SHARED / case.fixture).exists():
        pytest.skip(f"{SHARED / case.fixture} is absent")
    result = normalize_body(case_input(case, SHARED))
    assert normalize_body(result.body).body == result.body
    assert not any(ord(ch) < 32 and ch != "\n" for ch in result.body)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in result.body)
    assert "\u00a0" not in result.body and "\u202f" not in result.body


def test_typography_cannot_split_duplicates() -> None:
    plain = normalize_body("Il a dit : « non », l'homme.").body
    fancy = normalize_body("Il a dit\u00a0: «\u202fnon\u202f», l’homme. (ats/nxp)").body
    assert words(plain) == words(fancy) or words(plain) == [
        w.replace("’", "'") for w in words(fancy)
    ]
