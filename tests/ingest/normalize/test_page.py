"""A web page's furniture around agency copy, on pages composed for these tests."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize_body
from ingest.normalize.page import byline_slot, is_time_stamp

EN = "The council approved the plan on Monday. It will cost two million."
EN2 = "Work starts in the spring, the mayor said."
FR = "Le conseil a approuvé le projet lundi. Il coûtera deux millions."
FR2 = "Les travaux commencent au printemps, a dit le maire."
DE = "Der Gemeinderat hat den Plan am Montag genehmigt. Er kostet zwei Millionen."
DE2 = "Die Arbeiten beginnen im Frühling, sagte der Bürgermeister."
CAPTION = "The mayor speaks to reporters outside the town hall in Springfield on Monday."


def page(*head: str, dateline: str, text: str, more: str) -> str:
    return "\n\n".join((*head, f"{dateline} {text}", more))


# page, body, dateline, agencies, byline
PAGES = [
    (
        page(
            "Council backs plan for new bridge",
            "Jane Roe, The Associated Press •",
            "July 15, 2031 8:21 am",
            dateline="SPRINGFIELD, Ill. (AP) —",
            text=EN,
            more=EN2,
        ),
        f"{EN}\n\n{EN2}",
        "SPRINGFIELD, Ill.",
        ("ap",),
        "Jane Roe, The Associated Press",
    ),
    (
        page(
            "Council backs plan for new bridge",
            "Email",
            CAPTION,
            "(AP Photo/John Doe)",
            "By JANE ROE Associated Press",
            dateline="SPRINGFIELD —",
            text=EN,
            more=EN2,
        ),
        f"{EN}\n\n{EN2}",
        "SPRINGFIELD",
        (),
        "JANE ROE, Associated Press",
    ),
    (
        page(
            "Council backs plan for new bridge",
            "Metro Daily Published 5:57 a.m. ET July 16, 2031",
            "Share",
            dateline="SPRINGFIELD (Reuters) -",
            text=EN,
            more=EN2,
        ),
        f"{EN}\n\n{EN2}",
        "SPRINGFIELD",
        ("reuters",),
        "Metro Daily",
    ),
    (
        page(
            "Le conseil approuve le pont",
            "Jeanne Dupont et Paul Martin",
            dateline="LYON (AFP) -",
            text=FR,
            more=FR2,
        ),
        f"{FR}\n\n{FR2}",
        "LYON",
        ("afp",),
        "Jeanne Dupont et Paul Martin",
    ),
    (
        page(
            "Gemeinderat genehmigt neue Brücke",
            "Von Anna Muster",
            "Aktualisiert am 3.6.2031, 10:12",
            dateline="KÖLN (dpa) -",
            text=DE,
            more=DE2,
        ),
        f"{DE}\n\n{DE2}",
        "KÖLN",
        ("dpa",),
        "Anna Muster",
    ),
]


@pytest.mark.parametrize(("text", "body", "dateline", "agencies", "byline"), PAGES)
def test_page_head_before_the_dateline_comes_off(
    text: str, body: str, dateline: str, agencies: tuple[str, ...], byline: str
) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies, result.byline) == (
        body,
        dateline,
        agencies,
        byline,
    )
    assert normalize_body(result.body).body == result.body


# Text before a later dateline that is not a page's head stays.
NOT_PAGES = [
    # The first paragraph is a sentence, not a page's title.
    f"{EN}\n\nSPRINGFIELD (AP) — {EN2}\n\n{EN}",
    # A caption's "FILE -" mark is not a report's dateline.
    f"Council backs plan\n\nEmail\n\nFILE - {CAPTION}\n\n{EN}",
    # A name in running text before a dash is not the agencies' dateline in capitals.
    "Springfield Cup\n\nFinal round\n\nSemi-final\n\nTuesday\n\nSpringfield - Shelbyville 2:1\n\n"
    f"Jane Roe (Springfield) - John Doe (Shelbyville) 6:4\n\n{EN}",
    # Nothing of a page between a heading and a dateline that ends a long text.
    f"Council backs plan\n\n{EN} {EN2} {EN}\n\nSPRINGFIELD (AP) — {EN2}\n\n{EN}",
]


@pytest.mark.parametrize("text", NOT_PAGES)
def test_text_before_a_later_dateline_stays(text: str) -> None:
    result = normalize_body(text)
    assert result.body.startswith(text.partition(" ")[0])
    assert result.byline is None


@pytest.mark.parametrize(
    "stamp",
    [
        "July 15, 2031 8:21 am",
        "Updated: 3:36 AM, July 16, 2031",
        "Publié le 3 juin 2031 à 10h12",
        "Aktualisiert am 3. Juni 2031, 10:12",
        "Monday, July 16, 2031",
    ],
)
def test_time_stamps(stamp: str) -> None:
    assert is_time_stamp(stamp)


@pytest.mark.parametrize("text", ["Council backs plan for 2031", "Le 3 juin, le conseil a voté."])
def test_not_time_stamps(text: str) -> None:
    assert not is_time_stamp(text)


def test_byline_slot_needs_a_mark_and_names() -> None:
    assert byline_slot("Jane Roe •") == "Jane Roe"
    assert byline_slot("Jane Roe Monday, July 16, 2031") == "Jane Roe"
    assert byline_slot("Jane Roe") is None  # no mark: a photo credit, a label
    assert byline_slot("Jane Roe", marked=True) == "Jane Roe"
    assert byline_slot("Council backs plan •") is None  # a word in lower case: not names
    assert byline_slot("John Doe | AP", marked=True) is None  # a photo credit
    assert byline_slot("Metro Video", before_dateline=True) is None
    assert byline_slot("Jane Roe and John Doe", before_dateline=True) == "Jane Roe and John Doe"
