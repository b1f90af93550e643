"""Each marker class of the grammar, in each language, on texts composed for these tests."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize, normalize_body
from record.story import ParsedItem

EN = "The council approved the plan on Monday."
DE = "Der Gemeinderat hat den Plan am Montag genehmigt."
FR = "Le conseil a approuvé le projet lundi."
ES = "El consejo aprobó el plan el lunes."

# text, body, dateline, agencies, editors
DATELINES = [
    (f"DAMASCUS, Oct 20 - {EN}", EN, "DAMASCUS, Oct 20", ()),
    (f"CINCINNATI, Ohio, March 25 — {EN}", EN, "CINCINNATI, Ohio, March 25", ()),
    (f"WASHINGTON, MARCH 31 - {EN}", EN, "WASHINGTON, MARCH 31", ()),
    (f"WELLINGTON, Oct 20 (BusinessDesk) - {EN}", EN, "WELLINGTON, Oct 20", ("businessdesk",)),
    (f"Kyodo - {EN}", EN, None, ("kyodo",)),
    (f"Wien – {DE}", DE, "Wien", ()),
    (f"Die Sitzung dauerte lange. Graz – {DE}", f"Die Sitzung dauerte lange. {DE}", "Graz", ()),
    (f"Peine (dpa/lni) - {DE}", DE, "Peine", ("dpa", "lni")),
    (f"Genève (ats) {FR}", FR, "Genève", ("ats",)),
    (f"Berne/Paris, 2 jan (ats/afp) {FR}", FR, "Berne/Paris, 2 jan", ("ats", "afp")),
    (f"Nueva Delhi, 21 ene (EFE).- {ES}", ES, "Nueva Delhi, 21 ene", ("efe",)),
    (f"MADRID, 21 Nov. 2024 (Europa Press) - {ES}", ES, "MADRID, 21 Nov. 2024", ("europa press",)),
]


@pytest.mark.parametrize(("text", "body", "dateline", "agencies"), DATELINES)
def test_dateline(text: str, body: str, dateline: str | None, agencies: tuple[str, ...]) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies) == (body, dateline, agencies)


# Text that looks like a dateline and is not one stays whole.
NOT_DATELINES = [
    "Wood - Ireland can win the Grand Slam.",
    "Lausanne (VD) - la ville a voté pour le projet.",
    "Parlament stimmt am 5. Juli – Tsipras sagt nein.",
    "Erstmals auf öffentlichen Straßen – Ein Mensch fährt mit.",
    "MILLIONS of pounds are at stake.",
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_not_a_dateline(text: str) -> None:
    assert normalize_body(text).body == text
    assert normalize_body(text).dateline is None


CREDITS = [
    (
        f"{EN} (Reporting by Anna Beispiel in Beirut; editing by Max Muster)",
        EN,
        ("reuters",),
        ("Anna Beispiel", "Max Muster"),
    ),
    (
        f"{EN}\n\n(Additional reporting by A. Beispiel; Writing by B. Muster)",
        EN,
        ("reuters",),
        ("A. Beispiel", "B. Muster"),
    ),
    (f"{EN} REUTER", EN, ("reuters",), ()),
    (f"{DE} (APA, 11.9.2015)", DE, ("apa",), ()),
    (f"{DE} (Reuters, APA, red)", DE, ("reuters", "apa"), ("red",)),
    (f"{FR} (ats/nxp)", FR, ("ats",), ("nxp",)),
    (f"{ES} EFE", ES, ("efe",), ()),
]


@pytest.mark.parametrize(("text", "body", "agencies", "editors"), CREDITS)
def test_credit(text: str, body: str, agencies: tuple[str, ...], editors: tuple[str, ...]) -> None:
    result = normalize_body(text)
    assert (result.body, result.agencies, result.editors) == (body, agencies, editors)


def test_dated_name_credit_is_the_byline() -> None:
    result = normalize_body(f"{DE} (Anna Muster, 25.6.2015)")
    assert (result.body, result.byline) == (DE, "Anna Muster")


def test_copyright_lines() -> None:
    result = normalize_body(f"{DE}\n\nCopyright 2024, dpa (www.dpa.de). Alle Rechte vorbehalten")
    assert result.body == DE and result.agencies == ("dpa",)
    result = normalize_body(f"{FR} (© AFP)")
    assert result.body == FR and "afp" in result.agencies


def test_head_of_an_ap_story() -> None:
    text = (
        "Eds: SUBS 4th graf to CORRECT spelling.\n\nBy ANNA BEISPIEL\nAP Business Writer\n\n"
        f"BOSTON (AP) _ {EN}\n\n{EN}\n\n_____"
    )
    result = normalize_body(text)
    assert result.body == f"{EN}\n\n{EN}"
    assert result.byline == "ANNA BEISPIEL, AP Business Writer"
    assert result.ednote == "SUBS 4th graf to CORRECT spelling."
    assert result.signals == ("correction", "update")
    assert result.dateline == "BOSTON" and result.agencies == ("ap",)


def test_reuters_note_and_byline() -> None:
    text = f"(Adds comments, detail)\n\nBy Jonathan Beispiel\n\nLONDON (Reuters) - {EN}\n\n{EN}"
    result = normalize_body(text)
    assert result.body == f"{EN}\n\n{EN}"
    assert (result.ednote, result.byline, result.signals) == (
        "Adds comments, detail",
        "Jonathan Beispiel",
        ("update",),
    )


def test_disclaimer_is_a_signal() -> None:
    text = f"*** DISCLAIMER: THIS IS AN AUTOMATED TRANSLATION FROM FINNISH ***\n\n{EN}\n\n{EN}"
    result = normalize_body(text)
    assert result.body == f"{EN}\n\n{EN}" and result.signals == ("translation",)


def test_parser_fields_and_headline_signals_reach_the_story() -> None:
    item = ParsedItem(
        item_id="x",
        body=EN,
        headline="UPDATE 2-Council approves plan",
        byline="By ANNA BEISPIEL",
        ednote="Eds: CORRECTS spelling.",
        dateline="Berlin (dpa) -",
        urgency=3,
    )
    story = normalize("test", item)
    assert story.headline == "Council approves plan"
    assert (story.byline, story.ednote, story.urgency) == ("ANNA BEISPIEL", "CORRECTS spelling.", 3)
    assert (story.dateline, story.agencies) == ("Berlin", ("dpa",))
    assert set(story.signals) == {"update", "correction"}


@pytest.mark.parametrize("text", [t for t, *_ in DATELINES + CREDITS])
def test_idempotent(text: str) -> None:
    once = normalize_body(text).body
    assert normalize_body(once).body == once
