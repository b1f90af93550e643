"""A web page's furniture around agency copy, on pages composed for these tests."""

from __future__ import annotations

import pytest

from ingest.normalize import normalize_body
from ingest.normalize.page import (
    byline_slot,
    is_caption_with_credit,
    is_photo_credit,
    is_time_stamp,
    is_wire_caption,
)

EN = "The council approved the plan on Monday. It will cost two million."
EN2 = "Work starts in the spring, the mayor said."
FR = "Le conseil a approuvé le projet lundi. Il coûtera deux millions."
FR2 = "Les travaux commencent au printemps, a dit le maire."
DE = "Der Gemeinderat hat den Plan am Montag genehmigt. Er kostet zwei Millionen."
DE2 = "Die Arbeiten beginnen im Frühling, sagte der Bürgermeister."
#: Two paragraphs of report text in each language, for furniture to sit between.
TEXTS = {"de": (DE, DE2), "fr": (FR, FR2), "en": (EN, EN2)}
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


@pytest.mark.parametrize(
    ("text", "body", "dateline"),
    [
        (
            "Springfield Bridge Co. Names New Chief Engineer\n\n"
            "Company to expand into new markets in 2032\n\n"
            f"SPRINGFIELD, Dec. 03, 2031 (GLOBE NEWSWIRE) -- {EN}\n\n{EN2}",
            f"{EN}\n\n{EN2}",
            "SPRINGFIELD, Dec. 03, 2031",
        ),
        (
            "La société Pont SA nomme une directrice\n\nToutes les sommes sont en euros\n\n"
            f"LYON, 3 déc. 2031 (GLOBE NEWSWIRE) -- {FR}\n\n{FR2}",
            f"{FR}\n\n{FR2}",
            "LYON, 3 déc. 2031",
        ),
    ],
)
def test_press_release_title_and_decks_before_the_dateline(
    text: str, body: str, dateline: str
) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies) == (body, dateline, ("globe newswire",))


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
    assert byline_slot("Updated", marked=True) is None  # a time stamp's label
    assert byline_slot("Aktualisiert", marked=True) is None
    assert byline_slot("Jane Roe - Metro Daily - Monday, July 16, 2031") == "Jane Roe, Metro Daily"
    assert byline_slot("Anna Muster und Peter Beispiel , Tagblatt •") == (
        "Anna Muster und Peter Beispiel, Tagblatt"
    )


# --- furniture inside and after the report ----------------------------------------------------

TEASER_DE = "Der Gemeinderat hat entschieden. Was das für die Stadt heisst."
TEASER_FR = "Le conseil a tranché. Ce que cela change pour la ville."
TEASER_EN = "The council has decided. What it means for the town."


@pytest.mark.parametrize(
    ("text", "body", "byline"),
    [
        (
            f"{TEASER_DE}\n\nAnna Muster\n\nDarum gehts\n\nDer Rat hat entschieden.\n\n"
            f"Die Brücke kommt.\n\nSie kostet viel.\n\n{DE}\n\n{DE2}",
            f"{TEASER_DE}\n\n{DE}\n\n{DE2}",
            "Anna Muster",
        ),
        (
            f"{TEASER_DE}\n\nAnna Muster\n\nPeter Beispiel\n\nBrücke: Das Wichtigste in Kürze\n\n"
            f"Der Rat hat entschieden.\n\n{DE}\n\n{DE2}",
            f"{TEASER_DE}\n\n{DE}\n\n{DE2}",
            "Anna Muster, Peter Beispiel",
        ),
        (
            f"{TEASER_FR}\n\nJeanne Dupont\n\nEn bref\n\nLe conseil a voté.\n\n{FR}\n\n{FR2}",
            f"{TEASER_FR}\n\n{FR}\n\n{FR2}",
            "Jeanne Dupont",
        ),
        (
            f"{TEASER_EN}\n\nJane Roe\n\nKey points\n\nThe council voted.\n\n{EN}\n\n{EN2}",
            f"{TEASER_EN}\n\n{EN}\n\n{EN2}",
            "Jane Roe",
        ),
    ],
)
def test_byline_slot_after_the_teaser_and_summary_box(text: str, body: str, byline: str) -> None:
    result = normalize_body(text)
    assert (result.body, result.byline) == (body, byline)
    assert normalize_body(result.body).body == result.body


def test_a_box_point_of_two_sentences_is_the_text() -> None:
    text = f"{TEASER_DE}\n\nDarum gehts\n\nDer Rat hat entschieden.\n\n{DE}\n\n{DE2}"
    # The box takes its one-sentence point; the paragraph of two sentences after it stays.
    assert normalize_body(text).body == f"{TEASER_DE}\n\n{DE}\n\n{DE2}"


@pytest.mark.parametrize(
    ("caption", "language"),
    [
        ("Der Bürgermeister spricht vor dem Rathaus.20min/Anna Muster", "de"),
        ("Le maire devant l'hôtel de ville.AFP", "fr"),
        ("The mayor outside the town hall on Monday.Getty Images", "en"),
        ("Er sagt: «Es gibt keinen Grund zur Sorge.»KEYSTONE", "de"),
    ],
)
def test_caption_with_its_glued_credit_comes_off(caption: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{caption}\n\n{text[1]}")
    assert result.body == f"{text[0]}\n\n{text[1]}"


@pytest.mark.parametrize(
    "paragraph",
    [
        "He moved to the U.S.",
        "Eastern lost $1.3 billion.",
        "Sie sagte es.Danach ging sie nach Hause und schrieb einen langen Brief an den Rat.",
    ],
)
def test_no_glued_credit(paragraph: str) -> None:
    assert not is_caption_with_credit(paragraph)


@pytest.mark.parametrize(
    ("promo", "language"),
    [
        (
            "Folgst du uns schon auf Whatsapp?\n\nDie wichtigsten News direkt auf dein Handy.",
            "de",
        ),
        ("Suivez-nous sur Instagram pour ne rien manquer.", "fr"),
        ("Follow the Springfield Daily on Facebook for the latest news.", "en"),
        ("Sign up for our newsletter and get the news first.", "en"),
    ],
)
def test_channel_promo_at_the_end_comes_off(promo: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{text[1]}\n\n{promo}")
    assert result.body == f"{text[0]}\n\n{text[1]}"


def test_poll_at_the_end_comes_off_and_credits_around_furniture_are_read() -> None:
    poll = "Fährst du über die Brücke?\n\nJa, täglich.\n\nNein.\n\nMir egal."
    promo = "Folgst du uns schon auf Whatsapp?"
    result = normalize_body(f"{DE}\n\n{DE2}\n\n{poll}\n\n{promo}\n\n(DPA/ama)")
    assert (result.body, result.agencies, result.editors) == (f"{DE}\n\n{DE2}", ("dpa",), ("ama",))
    result = normalize_body(f"{FR}\n\n{FR2}\n\nLe pont au printemps.AFP\n\n(ffa)")
    assert (result.body, result.editors) == (f"{FR}\n\n{FR2}", ("ffa",))


def test_a_question_inside_the_text_stays() -> None:
    text = f"{EN}\n\nWhat comes next?\n\n{EN2}\n\n{EN}"
    assert normalize_body(text).body == text


def test_glued_credit_opening_with_a_number_and_promo_glued_to_a_title() -> None:
    # "20Min" is a credit as much as "20min"; a gallery's title glued to the promo after it.
    assert is_caption_with_credit("Der Bürgermeister spricht vor dem Rathaus.20Min")
    gallery = "Die Bilder der neuen BrückeFolgst du schon dem Tagblatt auf Whatsapp?"
    result = normalize_body(f"{DE}\n\n{DE2}\n\n{gallery}\n\nDie News direkt aufs Handy.")
    assert result.body == f"{DE}\n\n{DE2}"
    # A sentence before the glue is no title: the paragraph is the text.
    text = f"{DE}\n\n{DE2}\n\nDer Rat tagt. Die BrückeFolgt später."
    assert normalize_body(text).body == text


def test_a_box_point_with_an_abbreviation_is_one_sentence() -> None:
    text = (
        f"{TEASER_DE}\n\nDarum gehts\n\nIn St. Gallen hat der Rat entschieden.\n\n"
        f"Die Brücke kommt.\n\n{DE}\n\n{DE2}"
    )
    assert normalize_body(text).body == f"{TEASER_DE}\n\n{DE}\n\n{DE2}"


@pytest.mark.parametrize(
    ("poll", "language"),
    [
        ("Fährst du über die Brücke?\n\nJa, täglich.\n\nNein.\n\nIch weiss es nicht.", "de"),
        ("Prenez-vous le pont?\n\nOui, chaque jour.\n\nJe ne sais pas.", "fr"),
        ("Will you use the bridge?\n\nYes, daily.\n\nNo.\n\nNo opinion", "en"),
    ],
)
def test_poll_with_an_abstention_comes_off_wherever_it_sits(poll: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{poll}\n\n{text[1]}")
    assert result.body == f"{text[0]}\n\n{text[1]}"


def test_a_question_and_answers_without_an_abstention_stay() -> None:
    text = f"{EN}\n\nWill you use the bridge?\n\nYes, daily.\n\n{EN2}"
    assert normalize_body(text).body == text


@pytest.mark.parametrize(
    ("quote", "language"),
    [
        ("«Nous sommes tous avec toi!»\n\nJeanne Dupont, attaquante française", "fr"),
        ("«Wir stehen alle hinter dir.»\n\nAnna Muster, Gemeinderätin", "de"),
        ("“We are all with you.”\n\nJane Roe, council member", "en"),
    ],
)
def test_pull_quote_with_its_speaker_comes_off(quote: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{quote}\n\n{text[1]}")
    assert result.body == f"{text[0]}\n\n{text[1]}"


def test_a_quotation_in_the_text_stays() -> None:
    # A quotation followed by text, not by its speaker's name and role, is the report's.
    text = f"{EN}\n\n“We are all with you.”\n\n{EN2}\n\nJane Roe, council member, agreed."
    assert normalize_body(text).body == text


@pytest.mark.parametrize(
    "notice", ["Update folgt...", "Mehr in Kürze.", "More to follow", "Suite à venir."]
)
def test_update_notice_at_the_end_is_an_ednote(notice: str) -> None:
    result = normalize_body(f"{DE}\n\n{DE2}\n\n{notice}")
    assert (result.body, result.ednote) == (f"{DE}\n\n{DE2}", notice)


# --- a page's head that no dateline ends ---------------------------------------------------

LONG_EN = (
    "The council approved the plan for a new bridge over the river on Monday, after a debate "
    "that ran late into the night and drew a crowd of residents to the town hall. It will cost "
    "two million francs, half of it paid by the canton."
)


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        (["Council backs plan for new bridge", "Metro News•", "July 15, 2031"], "Metro News"),
        (
            [
                "Council backs plan for new bridge",
                "Metro News•",
                "Council backs plan for new bridge",
                "More",
            ],
            "Metro News",
        ),
        (["Council backs plan", "Metro Daily July 15, 2031, 2:09 PM", "Email"], "Metro Daily"),
        (["Council backs plan", "Jane Roe", "A deck that ends in no stop", "More"], "Jane Roe"),
        (["Council backs plan", "desk@example.com (Jane Roe)", "More"], "Jane Roe"),
        (["Opinion", "Opinion", "More"], None),
        (["Council backs plan for new...", "Metro News•", "More"], "Metro News"),
    ],
)
def test_page_head_closed_by_a_widget_or_a_time_stamp(head: list[str], byline: str) -> None:
    result = normalize_body("\n\n".join([*head, LONG_EN, EN2]))
    assert (result.body, result.byline) == (f"{LONG_EN}\n\n{EN2}", byline)


@pytest.mark.parametrize(
    "head",
    [
        # Nothing shows the page: a title, a subhead and a widget-like word.
        ["Council backs plan", "Bridge", LONG_EN],
        # A fixture list: a title, a venue, a date without a year, then the text.
        ["Springfield v Shelbyville", "Town Ground", "Tuesday, 1 March", LONG_EN],
        # No widget or time stamp closes it.
        ["Council backs plan", "Jane Roe", LONG_EN],
    ],
)
def test_no_page_head_without_a_closing_widget_and_a_page_mark(head: list[str]) -> None:
    text = "\n\n".join([*head, EN2])
    assert normalize_body(text).body == text


def test_place_set_apart_after_the_time_stamp_and_a_caption_printed_twice() -> None:
    caption = (
        f"{CAPTION} It is the first bridge over the river in fifty years, and the longest." * 2
    )
    text = "\n\n".join(
        [
            "Council backs plan | Metro Daily",
            "metro.example",
            caption,
            caption,
            "Council backs plan",
            "By JANE ROE AP Transport Writer",
            "July 14, 2031 04:22 PM",
            "SPRINGFIELD",
            EN,
            EN2,
        ]
    )
    result = normalize_body(text)
    assert (result.body, result.dateline, result.byline) == (
        f"{EN}\n\n{EN2}",
        "SPRINGFIELD",
        "JANE ROE, AP Transport Writer",
    )


def test_sign_up_box_between_two_buttons_comes_off() -> None:
    box = "SIGN UP\n\nBe the first to know.\n\nGet every story in your inbox.\n\nSIGN ME UP!"
    assert normalize_body(f"{EN}\n\n{box}\n\n{EN2}").body == f"{EN}\n\n{EN2}"
    box = "JETZT ABONNIEREN\n\nDie News am Morgen.\n\nJA, GERNE!"
    assert normalize_body(f"{DE}\n\n{box}\n\n{DE2}").body == f"{DE}\n\n{DE2}"
    # A heading in capitals over the text is no button: nothing closes it.
    text = f"{EN}\n\n{EN2}\n\n{EN}\n\nBRIDGE VOTE\n\n{EN2}\n\n{EN}"
    assert normalize_body(text).body == text


@pytest.mark.parametrize("label", ["Advertisement", "Anzeige", "Publicité"])
def test_an_ad_slot_label_comes_off_wherever_it_sits(label: str) -> None:
    assert normalize_body(f"{EN}\n\n{label}\n\n{EN2}").body == f"{EN}\n\n{EN2}"


def test_widgets_after_the_report_come_off_and_the_copyright_before_them_is_read() -> None:
    tail = "© 2031 The Associated Press. All rights reserved.\n\nClick Here to comment\n\nClose"
    result = normalize_body(f"{EN}\n\n{EN2}\n\n{tail}")
    assert (result.body, result.agencies) == (f"{EN}\n\n{EN2}", ("ap",))
    share = "Read or Share this story: https://example.com/x1"
    assert normalize_body(f"{EN}\n\n{EN2}\n\n{share}").body == f"{EN}\n\n{EN2}"
    # The agency's list of related reports with their links is the copy's, not the page's.
    links = "Bericht «Die Brücke kommt» vom 23.9. https://example.com/x2"
    assert normalize_body(f"{DE}\n\n{DE2}\n\n{links}").body == f"{DE}\n\n{DE2}\n\n{links}"


def test_a_tables_cells_are_no_sign_up_box_nor_a_set_apart_place() -> None:
    # A statistics table: a heading in capitals, one-letter column heads, figures.
    table = "\n\n".join(
        ["THROUGH MAY 3", "NORTHERN LEAGUE", "G", "AB", "H", "R", "Pct.", "Ann Muster Spr"]
        + ["12", "40", "15", "6", ".375"] * 3
    )
    assert normalize_body(table).body == table


@pytest.mark.parametrize(
    ("credit", "language"),
    [
        ("Jane Roe / Reuters", "en"),
        ("(Photo: JANE ROE, AFP/Getty Images)", "en"),
        ("Photograph by Jane Roe / AFP / Getty", "en"),
        ("Anna Muster, EPA-EFE", "en"),
        ("Foto: Anna Muster/Keystone", "de"),
        ("Bild: Keystone", "de"),
        ("Crédit photo : Jeanne Dupont/AFP", "fr"),
        ("(Jeanne Dupont/Lehtikuva via AP)", "fr"),
    ],
)
def test_a_photo_credit_alone_comes_off_wherever_it_sits(credit: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{credit}\n\n{text[1]}\n\n{text[0]}")
    assert result.body == f"{text[0]}\n\n{text[1]}\n\n{text[0]}"


@pytest.mark.parametrize(
    "paragraph",
    [
        "Jane Roe and John Doe, Associated Press",
        "Jane Roe, the mayor",
        "The council met. Reuters",
        "Paris / Berlin",
        "Photo: the mayor said the council would meet again next week to vote on it.",
    ],
)
def test_not_photo_credits(paragraph: str) -> None:
    assert not is_photo_credit(paragraph)


@pytest.mark.parametrize(
    "row",
    [
        "CONNECT TWEET LINKEDIN 12 COMMENTEMAILMORE",
        "FacebookEmail Twitter Google+ LinkedIn Pinterest",
        "Teilen Drucken",
        "Partager Imprimer",
    ],
)
def test_a_row_of_share_buttons_comes_off(row: str) -> None:
    result = normalize_body(f"{EN}\n\n{row}\n\n{EN2}\n\n{EN}")
    assert result.body == f"{EN}\n\n{EN2}\n\n{EN}"


@pytest.mark.parametrize(
    ("links", "language"),
    [
        ("Related Articles\n\nCouncil delays vote on second bridge", "en"),
        ("Mehr zum Thema\n\nGemeinderat verschiebt Abstimmung", "de"),
        ("À lire aussi\n\nLe conseil reporte le vote sur le pont", "fr"),
    ],
)
def test_a_related_label_and_its_links_come_off(links: str, language: str) -> None:
    text = TEXTS[language]
    result = normalize_body(f"{text[0]}\n\n{links}\n\n{text[1]}\n\n{text[0]}")
    assert result.body == f"{text[0]}\n\n{text[1]}\n\n{text[0]}"


def test_related_links_at_the_end_with_time_stamps_and_teasers_come_off() -> None:
    tail = (
        "Tags:\n\nCouncil delays vote on second bridge\n\nJuly 14, 2031, 5:49 pm\n\n"
        "The council put off its vote on a second bridge until the autumn.\n\n"
        "Most Read"
    )
    result = normalize_body(f"{EN}\n\n{EN2}\n\n{EN}\n\n{tail}")
    assert result.body == f"{EN}\n\n{EN2}\n\n{EN}"


def test_a_related_label_before_the_text_alone_stays_when_text_follows() -> None:
    # A word that labels links only when links follow it: text after it is the report's.
    text = f"{EN}\n\nRelated\n\n{EN2}\n\n{EN}"
    assert normalize_body(text).body == text


def test_an_agencys_name_alone_is_a_photo_credit_in_a_page_head() -> None:
    # "AP" under the photo is the page's credit line, not what a closing line left.
    text = "\n\n".join(
        [
            "Scroll to top of page",
            CAPTION,
            "AP",
            "July 15, 2018",
            f"SPRINGFIELD — {EN}",
            EN2,
        ]
    )
    story = normalize_body(text)
    assert (story.dateline, story.body) == ("SPRINGFIELD", f"{EN}\n\n{EN2}")
    assert is_time_stamp("Originally published July 16, 2018 at 1:52 am")


WIRE_CAPTIONS = [
    "The mayor speaks to reporters in Springfield, Illinois, July 15, 2031.",
    "The mayor, left, greets the governor in Springfield, Monday, July 14, 2031. (AP Photo/J. Roe)",
    "The mayor arrives at the town hall in Springfield, Illinois, July 15, 2031. REUTERS/Jane Roe",
    "FILE - In this June 24, 2029 file photo, the mayor speaks in Springfield.",
    "The mayor and the governor meet at the town hall (Lehtikuva)",
    "The mayor and the governor meet at the town hall (AP)",
]


@pytest.mark.parametrize("caption", WIRE_CAPTIONS)
def test_a_wire_photos_caption_comes_off(caption: str) -> None:
    assert is_wire_caption(caption)
    result = normalize_body(f"{EN}\n\n{caption}\n\n{EN2}")
    assert result.body == f"{EN}\n\n{EN2}"
    # A story that is nothing but a caption keeps it.
    assert normalize_body(caption).body


@pytest.mark.parametrize(
    "paragraph",
    [
        "The plan was signed in Springfield, Illinois, on July 15, 2031.",
        "The company will report its results on Oct. 5, 2031.",
        "The Show (Example Studios, Channel One/Channel Two)",
        "The council met for three hours (at least).",
    ],
)
def test_report_text_is_no_wire_caption(paragraph: str) -> None:
    assert not is_wire_caption(paragraph)


def test_agency_copy_under_a_head_no_page_rule_reads() -> None:
    lead = f"{EN} {EN} {EN}"
    head = ["Partly cloudy. Low 66F.", "Tonight", "Updated: July 16, 2031 @ 2:52 am", "Save"]
    result = normalize_body("\n\n".join([*head, f"SPRINGFIELD (AP) — {lead}", EN2]))
    assert (result.body, result.dateline, result.agencies) == (
        f"{lead}\n\n{EN2}",
        "SPRINGFIELD",
        ("ap",),
    )
    # A press release's title and decks (sentences, no widget, no time stamp) are its text.
    decks = ["Council backs the bridge plan", "The vote was 7 to 2.", "Work starts in spring."]
    text = "\n\n".join([*decks, f"SPRINGFIELD, July 1, 2031 (GLOBE NEWSWIRE) -- {lead}"])
    assert normalize_body(text).body.startswith("Council backs the bridge plan")


def test_a_stray_comma_and_a_bullet_after_the_byline_slot() -> None:
    # What a page left of an empty field (a comma alone) is no text; a bullet alone after the
    # names marks them as the byline slot.
    text = "\n\n".join(
        [
            "Council backs plan for new bridge",
            "JANE ROE and JOHN DOE",
            ",",
            "•",
            "July 16, 2031",
            f"SPRINGFIELD (AP) — {EN}",
            EN2,
        ]
    )
    result = normalize_body(text)
    assert (result.body, result.byline, result.dateline) == (
        f"{EN}\n\n{EN2}",
        "JANE ROE and JOHN DOE",
        "SPRINGFIELD",
    )
    assert normalize_body(f"{EN}\n\n,\n\n{EN2}").body == f"{EN}\n\n{EN2}"
    assert normalize_body(",").body == ","  # never empty


def test_a_gallery_counter_and_captions_show_the_page() -> None:
    lead = f"{EN} {EN} {EN}"
    caption = "The mayor speaks in Springfield, Illinois, July 15, 2031. (AP Photo/J. Roe)"
    text = "\n\n".join(["1 / 2", caption, f"SPRINGFIELD (AP) - {lead}", EN2])
    result = normalize_body(text)
    assert (result.body, result.dateline) == (f"{lead}\n\n{EN2}", "SPRINGFIELD")


def test_empty_fields_and_icon_names_are_no_text() -> None:
    text = f"{EN}\n\nNone\n\nmore_vert\n\n{EN2}"
    assert normalize_body(text).body == f"{EN}\n\n{EN2}"
    # A word in lower case alone stays: copy split at its emphasis has them.
    text = f"{EN}\n\nwas\n\n{EN2}"
    assert normalize_body(text).body == text


def test_media_labels_ad_breaks_and_glued_credit_labels() -> None:
    caption = "The mayor rented an office in these blocks.CreditJane Roe for The Daily Example"
    for furniture in (
        "Image",
        "toggle caption",
        "Continue Reading Below",
        "Continue reading the main story",
        caption,
        "CreditJane Roe/The Daily Example",
        "The mayor arrived in Springfield on Sunday. She will meet the governor. (July 15)",
    ):
        assert normalize_body(f"{EN}\n\n{furniture}\n\n{EN2}").body == f"{EN}\n\n{EN2}"
    assert not is_photo_credit("Credit Suisse")


@pytest.mark.parametrize(
    "note",
    [
        "Jane Roe is an editor for Example News. Follow her on Twitter @janeroe .",
        "Jane Roe is technology correspondent for The Daily Example.",
        "Anna Muster ist Redakteurin im Ressort Ausland.",
        "Jeanne Dupont est journaliste à L'Exemple.",
    ],
)
def test_an_authors_note_after_the_report_is_the_byline(note: str) -> None:
    result = normalize_body(f"{EN}\n\n{EN2}\n\n{note}")
    assert result.body == f"{EN}\n\n{EN2}"
    assert result.byline == note.split(" is ")[0].split(" ist ")[0].split(" est ")[0]


def test_a_person_of_the_report_is_no_author() -> None:
    for text in (
        f"{EN}\n\n{EN2}\n\nJohn Doe is a professor of economics at the university.",
        f'{EN}\n\n{EN2}\n\nJohn Doe is a former reporter. "It was hard," he said.',
    ):
        assert normalize_body(text).body == text


@pytest.mark.parametrize(
    "stamp",
    [
        "Updated 11 min ago",
        "Published 2 hours ago",
        "vor 3 Stunden",
        "Aktualisiert vor 20 Minuten",
        "il y a 5 jours",
    ],
)
def test_how_long_ago_is_a_time_stamp(stamp: str) -> None:
    assert is_time_stamp(stamp)


@pytest.mark.parametrize(
    "caption",
    [
        f"{CAPTION} (Photo: John Doe/AP)",
        f"{CAPTION} (John Doe, Pool Photo via AP)",
        "Le maire parle aux journalistes devant l'hôtel de ville lundi. (Photo : Jean Martin/AFP)",
    ],
)
def test_a_caption_with_a_photo_credit_after_its_stop(caption: str) -> None:
    assert is_wire_caption(caption)


def test_an_agencys_credit_after_a_sentence_is_no_caption() -> None:
    # The report's own credit in parentheses: no photographer, no label.
    assert not is_wire_caption(f"{CAPTION} (AP)")


@pytest.mark.parametrize(
    ("link", "language"),
    [
        ("More: Council to vote on the bridge budget next week", "en"),
        ("READ MORE: Five things to know about the new bridge", "en"),
        ("Lire aussi : Le pont de Lyon sera ouvert en 2032", "fr"),
        ("Lesen Sie auch: Die neue Brücke kostet mehr als geplant", "de"),
    ],
)
def test_a_link_to_another_story_in_the_text_comes_off(link: str, language: str) -> None:
    first, second = TEXTS[language]
    assert normalize_body(f"{first}\n\n{link}\n\n{second}").body == f"{first}\n\n{second}"


def test_a_labelled_paragraph_of_the_text_stays() -> None:
    # A sentence after its label is the report's (a link's title is a heading).
    text = f"{EN}\n\nMore: The council will vote on the budget next week.\n\n{EN2}"
    assert normalize_body(text).body == text


LEAD = (
    "The city council approved the plan for a new bridge over the river on Monday, "
    "after two years of debate."
)


@pytest.mark.parametrize(
    ("head", "byline"),
    [
        # A deck under the title, then the page's time stamp.
        (
            [
                "Council backs plan for new bridge",
                "Work on the crossing could start next spring.",
                "Updated 11 min ago",
            ],
            None,
        ),
        # A title that asks, a byline slot that marks itself.
        (["Will the new bridge be ready by 2033?", "By Jane Roe"], "Jane Roe"),
        # A photo's caption and its credit, then an address.
        (
            [
                "Council backs plan for new bridge",
                f"{CAPTION} (Photo: John Doe/AP)",
                "https://www.example.com/news/2031/07/15/bridge/",
            ],
            None,
        ),
    ],
)
def test_a_page_head_without_a_dateline_comes_off(head: list[str], byline: str | None) -> None:
    result = normalize_body("\n\n".join([*head, LEAD, EN2]))
    assert (result.body, result.byline) == (f"{LEAD}\n\n{EN2}", byline)
    assert normalize_body(result.body).body == result.body


@pytest.mark.parametrize(
    "head",
    [
        # A press release's title and decks: no furniture, its own head.
        ["Council backs plan for new bridge", "Work on the crossing could start next spring."],
        # A live report's heading ends in a colon, its first entry's time under it.
        ["The Latest on the bridge vote (all times local):", "10:15 a.m."],
        # A name alone under a title shows no page.
        ["Council backs plan for new bridge", "Jane Roe"],
    ],
)
def test_no_page_head_without_furniture(head: list[str]) -> None:
    text = "\n\n".join([*head, LEAD, EN2])
    assert normalize_body(text).body == text


def test_sentences_a_page_printed_twice_come_off() -> None:
    # The caption printed twice and the title printed again under the report: the page's.
    title = "Council backs plan for new bridge over the river"
    text = "\n\n".join([title, EN, CAPTION, "Photo: John Doe/AP", EN2, CAPTION, title])
    assert normalize_body(text).body == f"{EN}\n\n{EN2}"


ROW = "N.Y. Mets at Kansas City, 2:15 p.m."


@pytest.mark.parametrize(
    ("text", "body"),
    [
        # Wire copy repeats a table's rows (no sentences), on a page too.
        (
            "\n\n".join([EN, ROW, "Boston at Chicago, 7:05 p.m.", ROW, EN2, "Photo: John Doe/AP"]),
            "\n\n".join([EN, ROW, "Boston at Chicago, 7:05 p.m.", ROW, EN2]),
        ),
        # A report that closes on its own words, on no page.
        ("\n\n".join([CAPTION, EN, EN2, CAPTION]), "\n\n".join([CAPTION, EN, EN2, CAPTION])),
    ],
)
def test_repeats_that_are_no_page_furniture_stay(text: str, body: str) -> None:
    assert normalize_body(text).body == body


def test_a_caption_over_a_photo_credit_comes_off() -> None:
    text = "\n\n".join([EN, CAPTION, "Photo: John Doe/AP", EN2, LEAD])
    assert normalize_body(text).body == f"{EN}\n\n{EN2}\n\n{LEAD}"


def test_a_credit_over_the_caption_after_it_leaves_the_text_before_it() -> None:
    # The credit goes with the wire caption after it: the sentence before it is text.
    wire = "The mayor speaks in Springfield, Ill., Monday, July 14, 2031."
    text = "\n\n".join([LEAD, EN, "Photo: John Doe/AP", wire, EN2])
    assert normalize_body(text).body == f"{LEAD}\n\n{EN}\n\n{EN2}"


def test_a_gallerys_captions_are_its_text() -> None:
    captions = [
        "The mayor cuts the ribbon on the new bridge.",
        "Crowds walk across the bridge for the first time.",
        "Fireworks light up the river after the opening.",
    ]
    paragraphs = ["Bridge opens in pictures"]
    for caption in captions:
        paragraphs += [caption, "Photo: John Doe/AP"]
    result = normalize_body("\n\n".join(paragraphs))
    assert result.body == "\n\n".join(["Bridge opens in pictures", *captions])


def test_a_title_printed_twice_and_the_page_after_the_report() -> None:
    title = "Council backs plan for new bridge. Here is what comes next."
    text = "\n\n".join(
        [
            title,
            title,
            EN,
            EN2,
            "Jane Roe Posted at 10:20 pm on July 15, 2031",
            "example.com/news/2031/07/15/council-backs-plan-for-new-bridge/",
        ]
    )
    result = normalize_body(text)
    assert (result.body, result.byline) == (f"{EN}\n\n{EN2}", "Jane Roe")


def test_a_caption_printed_twice_closes_a_head_and_a_credit_over_it_keeps_the_text() -> None:
    wire = "The mayor speaks to reporters outside the town hall on Monday before the vote."
    text = "\n\n".join(
        [
            "Council backs plan for new bridge",
            CAPTION,
            CAPTION,
            "Jane Roe and John DoeAssociated Press",
            LEAD,
            EN,
            "John Doe / AP",
            wire,
            wire,
            EN2,
        ]
    )
    result = normalize_body(text)
    assert (result.body, result.byline) == (
        f"{LEAD}\n\n{EN}\n\n{EN2}",
        "Jane Roe and John Doe, Associated Press",
    )


def test_a_videos_caption_with_its_source_and_a_close_button_come_off() -> None:
    video = "The mayor opened the bridge on Sunday. Traffic starts on Monday. (July 15) AP"
    text = "\n\n".join([EN, EN2, "CLOSE", video])
    assert normalize_body(text).body == f"{EN}\n\n{EN2}"


def test_other_stories_titles_between_paragraphs_come_off() -> None:
    link = "Five Things To Know About The Bridge Vote In Springfield"
    more = "The bridge would be the first new crossing of the river in the city for forty years."
    text = "\n\n".join([LEAD, link, more, "Share"])
    assert normalize_body(text).body == f"{LEAD}\n\n{more}"


def test_a_subhead_in_sentence_case_stays() -> None:
    text = "\n\n".join([EN, "What the council decided on the new bridge", EN2, "Share"])
    assert normalize_body(text).body == "\n\n".join(
        [EN, "What the council decided on the new bridge", EN2]
    )


def test_a_quotation_printed_again_without_its_marks_with_its_speaker() -> None:
    quote = (
        '"The bridge will change how this town works for the next fifty years," said Jane '
        'Roe, a planner at the council. "It is overdue."'
    )
    pulled = "The bridge will change how this town works for the next fifty years."
    text = "\n\n".join([EN, quote, pulled, "Jane Roe, council planner", EN2])
    assert normalize_body(text).body == "\n\n".join([EN, quote, EN2])


MORE = "The bridge would be the first new crossing of the river in the city for forty years."


@pytest.mark.parametrize("widget", ["More", "Print", "Enlarge this image", "A A"])
def test_a_widgets_label_between_paragraphs_comes_off(widget: str) -> None:
    assert normalize_body(f"{LEAD}\n\n{widget}\n\n{MORE}").body == f"{LEAD}\n\n{MORE}"


def test_a_tables_close_stays() -> None:
    table = f"{EN}\n\nOpen\n\n101.5 102.0 100.9\n\nClose\n\n101.8 102.4 101.1\n\nShare"
    assert normalize_body(table).body == table.removesuffix("\n\nShare")


def test_a_time_stamp_after_the_report_comes_off_but_a_tables_last_time_stays() -> None:
    assert normalize_body(f"{EN}\n\n{EN2}\n\nPosted on 7/15/31 | 3:45 PM CEST").body == (
        f"{EN}\n\n{EN2}"
    )
    table = f"{DE}\n\nSamstag\n\nKöln - Bremen\n\n17.30"
    assert normalize_body(table).body == table


@pytest.mark.parametrize("call", ["To Read the Full Story", "Subscribe to read the rest"])
def test_a_paywalls_call_after_the_report_comes_off(call: str) -> None:
    assert normalize_body(f"{EN}\n\n{EN2}\n\n{call}").body == f"{EN}\n\n{EN2}"


def test_a_race_cards_names_in_title_case_stay() -> None:
    # A race card's lines: names and figures; its races' names in title case between them.
    card = "\n\n".join(
        [
            "Latest betting for tomorrow's Springfield gallops.",
            "ROSE RED (J Roe) 4g (19:0-0-1): 3 len 7th 58 Blue Moon 57.5 1600m Springfield "
            "Mdn Good(4) trk May 31.",
            "Race Two - The Spring Cup Of The Springfield Club Hcp 1400m",
            "BLUE MOON (J Doe) 3f (10:0-2-3): 3/4 len 2nd 56 Rose Red 56 2006m Springfield "
            "Mdn Soft(5) trk June 3.",
            "Share",
        ]
    )
    assert normalize_body(card).body == card.rsplit("\n\nShare", 1)[0]
