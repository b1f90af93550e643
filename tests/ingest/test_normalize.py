"""Normalization on the seed story, the shared text fixtures and composed wire copy."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest import ParsedItem, RawItem, Story, content_hash, normalize, normalize_body, prepare
from ingest.normalize import FLAG_MARKERS_KEPT
from tests.conftest import shared_path


def _unpacked(text):
    """normalize_body's result as the fields these tests unpack (it returns a dataclass now)."""
    result = normalize_body(text)
    kept = FLAG_MARKERS_KEPT in result.flags
    return (
        result.body,
        result.dateline,
        list(result.agencies),
        list(result.editors),
        result.copyright,
        kept,
    )


FETCHED = datetime(2026, 11, 24, tzinfo=UTC)
NBSP, NNBSP = "\u00a0", "\u202f"


def _story(path: Path, source: str = "fixtures") -> Story:
    raw = RawItem(
        source=source,
        item_id=path.stem,
        data=path.read_bytes(),
        fetched_at=FETCHED,
        location=str(path),
    )
    stories, rejects = prepare([raw])
    assert rejects == []
    return stories[0]


def _composed(text: str) -> Story:
    raw = RawItem(
        source="desk",
        item_id="item",
        data=f" date 2026-11-24 {text}".encode(),
        fetched_at=FETCHED,
        location="item.txt",
    )
    stories, rejects = prepare([raw])
    assert rejects == []
    return stories[0]


def _assert_layout(body: str) -> None:
    """Paragraphs separated by exactly one blank line, each a single trimmed line."""
    assert "\n\n\n" not in body
    for paragraph in body.split("\n\n"):
        assert paragraph
        assert "\n" not in paragraph
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph


# -- the seed story --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Story, str]:
    path = shared_path("seeds", "000_cd14505840c88b9d.txt")
    return _story(path, source="seed"), path.read_text(encoding="utf-8")


def test_seed_markers_leave_the_body(seed):
    story, _ = seed
    assert story.body.startswith("L'armée américaine")
    assert not story.body.rstrip().endswith("(ats/nxp)")
    assert "(ats/nxp)" not in story.body
    assert story.agencies == ("ats",)
    assert story.editors == ("nxp",)
    assert story.dateline is None
    assert story.copyright is None
    assert story.flags == ()


def test_seed_ordinary_parentheses_and_running_text_stay(seed):
    story, _ = seed
    assert "(de lettre)" in story.body
    assert "(...)" in story.body
    assert "l'AFP" in story.body


def test_seed_fields(seed):
    story, _ = seed
    assert story.language == "fr"
    assert story.published_at == datetime(2020, 1, 1, tzinfo=UTC)
    assert story.date_precision == "month"
    assert story.story_date.isoformat() == "2020-01-01"


def test_seed_paragraphs_separated_by_one_blank_line(seed):
    story, raw_text = seed
    _assert_layout(story.body)
    source_paragraphs = [p for p in re.split(r"\n\s*\n", raw_text) if p.strip()]
    assert len(story.body.split("\n\n")) == len(source_paragraphs)


# -- credits -------------------------------------------------------------------------------


LEAD = "Le Conseil d'Etat a rejeté mardi le recours des syndicats genevois."


@pytest.mark.parametrize(
    ("credit", "agencies", "editors"),
    [
        ("(ats/nxp)", ["ats"], ["nxp"]),
        ("(afp/nxp)", ["afp"], ["nxp"]),
        ("(AFP)", ["afp"], []),
        ("(sda/dpa)", ["sda", "dpa"], []),
        ("(ats/afp/nxp)", ["ats", "afp"], ["nxp"]),
        ("(Reuters)", ["reuters"], []),
    ],
)
def test_trailing_credit_comes_off(credit, agencies, editors):
    text = f"{LEAD}\n\nLa décision est définitive. {credit}"
    body, dateline, found_agencies, found_editors, copyright_line, kept = _unpacked(text)
    assert body == f"{LEAD}\n\nLa décision est définitive."
    assert (found_agencies, found_editors) == (agencies, editors)
    assert (dateline, copyright_line, kept) == (None, None, False)


@pytest.mark.parametrize("ending", ["(PS)", "(de lettre)", "(...)", "(VD)"])
def test_parentheses_that_are_not_credits_stay(ending):
    text = f"{LEAD}\n\nLe texte est soutenu par la gauche {ending}"
    body, _, agencies, editors, _, _ = _unpacked(text)
    assert body.endswith(f"la gauche {ending}")
    assert (agencies, editors) == ([], [])


def test_afp_copyright_line_after_blank_lines_and_spaces():
    text = f"{LEAD}\n\nLa décision est définitive.\n\n\n   \n \t\n   © AFP   "
    body, _, agencies, _, copyright_line, _ = _unpacked(text)
    assert body == f"{LEAD}\n\nLa décision est définitive."
    assert copyright_line == "© AFP"
    assert agencies == ["afp"]


def test_ap_copyright_line():
    line = "Copyright 2026 The Associated Press. All rights reserved."
    text = f"The council voted on Tuesday to close the old bridge.\n\n{line}"
    body, _, agencies, _, copyright_line, _ = _unpacked(text)
    assert body == "The council voted on Tuesday to close the old bridge."
    assert copyright_line == line
    assert agencies == ["ap"]


def test_credit_then_copyright_both_come_off_in_written_order():
    text = f"{LEAD} (ats/nxp)\n\n© AFP"
    body, _, agencies, editors, copyright_line, _ = _unpacked(text)
    assert body == LEAD
    assert agencies == ["ats", "afp"]
    assert editors == ["nxp"]
    assert copyright_line == "© AFP"


def test_closing_paragraph_about_copyright_law_stays():
    last = "Copyright holders will be able to appeal the ruling before the end of the year."
    text = f"The court ruled on Tuesday that the museum must return the painting.\n\n{last}"
    body, _, _, _, copyright_line, _ = _unpacked(text)
    assert body.endswith(last)
    assert copyright_line is None


# -- datelines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "place", "agency"),
    [
        ("PARIS (AFP) - ", "PARIS", "afp"),
        ("GENÈVE (ats) - ", "GENÈVE", "ats"),
        ("Berlin (dpa) - ", "Berlin", "dpa"),
        ("BUENOS AIRES, Argentina (AP) _ ", "BUENOS AIRES, Argentina", "ap"),
        ("WASHINGTON (Reuters) — ", "WASHINGTON", "reuters"),
    ],
)
def test_dateline_comes_off(marker, place, agency):
    first = "Les négociations ont repris mardi matin."
    text = f"{marker}{first}\n\nUn accord est attendu. (ats)"
    body, dateline, agencies, editors, _, _ = _unpacked(text)
    assert body == f"{first}\n\nUn accord est attendu."
    assert dateline == place
    assert agencies == list(dict.fromkeys([agency, "ats"]))  # normalize_body lists each once
    assert editors == []


@pytest.mark.parametrize(
    "first",
    [
        "Le Parti socialiste (PS) a annoncé lundi sa candidature.",
        "Lausanne (VD) - la ville a voté pour le projet.",
        "selon l'agence (AFP) - qui cite un responsable - le vote est reporté.",
        "Le rapport (page 12) - publié mardi - contredit le gouvernement.",
    ],
)
def test_ordinary_first_sentence_with_parentheses_is_not_cut(first):
    body, dateline, agencies, _, _, _ = _unpacked(f"{first}\n\nSuite du texte.")
    assert body.startswith(first)
    assert dateline is None
    assert agencies == []


def test_stacked_datelines_are_idempotent():
    text = "GENÈVE (ats) - PARIS (AFP) - Le gouvernement a présenté son budget mardi."
    once = normalize_body(text).body
    assert normalize_body(once).body == once


# -- bodies that would be emptied ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["(ats/nxp)", "PARIS (AFP) - (ats)", "© AFP"])
def test_body_that_is_only_markers_keeps_them_and_is_flagged(text):
    story = _composed(text)
    assert story.body == text
    assert story.flags == (FLAG_MARKERS_KEPT,)
    assert story.flags == ("markers-kept-body-would-be-empty",)
    assert (story.agencies, story.editors, story.dateline, story.copyright) == ((), (), None, None)


# -- characters ------------------------------------------------------------------------------


def test_typographic_spaces_become_plain_and_quotes_are_kept():
    text = f"Il a dit{NBSP}: «{NNBSP}non{NNBSP}» et “yes”{NBSP}!"
    body = normalize_body(text).body
    assert body == "Il a dit : « non » et “yes” !"
    assert NBSP not in body and NNBSP not in body


def test_mojibake_is_repaired():
    body = normalize_body("L'Ã©tÃ© a Ã©tÃ© chaud Ã  GenÃ¨ve.").body
    assert body == "L'été a été chaud à Genève."


def test_invisible_and_control_characters_are_dropped():
    body = normalize_body("Ge\u00adnè\u200bve\x07 vote\ufeff.").body
    assert body == "Genève vote."


def test_line_breaks_inside_a_paragraph_collapse_and_crlf_paragraphs_are_kept():
    text = "Premier\r\nparagraphe   ici.\r\n\r\n\r\nDeuxième\tparagraphe."
    assert normalize_body(text).body == "Premier paragraphe ici.\n\nDeuxième paragraphe."


def test_headline_is_cleaned_to_one_line():
    item = ParsedItem(item_id="x", body="Texte du corps.", headline=f"  Grève{NBSP}:\n la suite  ")
    assert normalize("desk", item).headline == "Grève : la suite"


def test_agencies_are_listed_once():
    story = _composed("BERN (sda) - Der Bundesrat entscheidet. (sda/nxp)")
    assert story.agencies == ("sda",)
    assert story.editors == ("nxp",)
    assert story.dateline == "BERN"


# -- idempotency -----------------------------------------------------------------------------


def _assert_idempotent(story: Story) -> None:
    body, dateline, agencies, editors, copyright_line, kept = _unpacked(story.body)
    assert body == story.body
    assert (dateline, agencies, editors, copyright_line, kept) == (None, [], [], None, False)


def test_seed_is_idempotent(seed):
    _assert_idempotent(seed[0])


def test_every_text_fixture_is_idempotent_and_laid_out():
    paths = sorted(shared_path("fixtures", "text").glob("*.txt"))
    assert len(paths) == 20
    for path in paths:
        story = _story(path)
        _assert_layout(story.body)
        _assert_idempotent(story)


# What the shared fixtures' README says each file ends with.
FIXTURE_TRAILERS = {
    "C_acte9_bourges_3_ch": (("afp",), ("nxp",), None),
    "F_mascarade_4_ch": (("afp",), ("nxp",), None),
    "G_faux_comptes_2_ch": (("ats",), ("nxp",), None),
    "G_faux_comptes_3_ch": (("ats",), ("nxp",), None),
    "F_mascarade_2_be-lalibre": (("afp",), (), "© AFP"),
}


def test_text_fixture_trailers():
    for path in sorted(shared_path("fixtures", "text").glob("*.txt")):
        story = _story(path)
        expected = FIXTURE_TRAILERS.get(path.stem, ((), (), None))
        assert (story.agencies, story.editors, story.copyright) == expected, path.name
        assert story.language == "fr", path.name
        assert not story.body.endswith(("(afp/nxp)", "(ats/nxp)", "© AFP")), path.name


def test_content_hash_ignores_quotes_spaces_credit_and_dateline():
    a = _composed(
        'PARIS (AFP) - Le ministre a parlé de "réformes" nécessaires, à 15 000 euros près.'
        "\n\nLe débat reprendra jeudi. (afp/nxp)"
    )
    b = _composed(
        f"Le ministre a parlé de «{NBSP}réformes{NBSP}» nécessaires, à 15{NNBSP}000 euros près."
        "\n\n\n   Le débat reprendra jeudi.\n\n© AFP"
    )
    c = _composed("Le ministre a parlé de réformes inutiles, à 15 000 euros près.")
    assert a.body != b.body
    assert a.content_hash == b.content_hash
    assert content_hash(a.body) == a.content_hash
    assert c.content_hash != a.content_hash


# -- property: normalizing clean text changes nothing --------------------------------------------

_PUNCT = "«»“”’'()/-.,:"
_ASCII_WITH_SPACES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzAPFRSTG    \n\n" + _PUNCT + NBSP + NNBSP + "0123456789",
    max_size=300,
)
_FRENCH_PLAIN_SPACES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzAPFRSTGéèàçêôùÉÈÀÇ    \n\n" + _PUNCT + "0123456789",
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(_ASCII_WITH_SPACES)
def test_normalize_body_is_idempotent_with_typographic_spaces(text):
    once = normalize_body(text).body
    assert normalize_body(once).body == once


@settings(max_examples=200, deadline=None)
@given(_FRENCH_PLAIN_SPACES)
def test_normalize_body_is_idempotent_on_accented_text(text):
    once = normalize_body(text).body
    assert normalize_body(once).body == once


@settings(max_examples=50, deadline=None, database=None)
@given(st.text(alphabet="aeéàÉÇ «»“”'\n" + NBSP + NNBSP, max_size=40))
@example(f"Il fait chaud cet{NBSP}Ã©tÃ©.")
@example(f"Prix{NBSP}: 15{NBSP}â‚¬ la nuit.")
@example(f"{NBSP}»à")
def test_normalize_body_is_idempotent_with_nbsp_next_to_accents(text):
    once = normalize_body(text).body
    assert normalize_body(once).body == once


def test_lone_surrogates_from_a_json_payload_become_replacement_characters():
    from ingest.normalize import normalize
    from record.story import ParsedItem

    item = ParsedItem(
        item_id="urn:x:\ud800",
        body="Le Conseil d'Etat a adopté le budget \udc00 mardi soir.",
        headline="Budget \ud800",
        language="fr\udfff",
    )
    story = normalize("wire", item)
    for text in (story.item_id, story.body, story.headline, story.language):
        assert text is not None and "\ufffd" in text
        text.encode("utf-8")  # a UTF-8 writer takes it now
    assert story.story_id == normalize("wire", item).story_id
