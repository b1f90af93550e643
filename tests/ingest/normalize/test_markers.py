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


# --- issue 13: the classes the real dev set showed -----------------------------------------

DA = "Byrådet godkendte planen mandag."
NO = "Bystyret godkjente planen mandag."
NL = "De gemeenteraad keurde het plan maandag goed."
ZH = "市議會週一批准了這項計劃。"

# A dateline after the lead, as Austrian and German papers print it: the place may have words,
# abbreviations and hyphens; it never starts inside a sentence, nor takes a sentence's stop.
AFTER_LEAD = [
    (
        f"Die Sitzung fand in St. Pölten statt. St. Pölten – {DE}",
        f"Die Sitzung fand in St. Pölten statt. {DE}",
        "St. Pölten",
    ),
    (
        f"Der Rat tagte bis St. Petersburg. Paris/Lissabon – {DE}",
        f"Der Rat tagte bis St. Petersburg. {DE}",
        "Paris/Lissabon",
    ),
    (
        f"Das Ministerium schreibt an die Schulen. Nicht alle sind froh. Graz – {DE}",
        f"Das Ministerium schreibt an die Schulen. Nicht alle sind froh. {DE}",
        "Graz",
    ),
    (
        "Die Fahrer kamen nach Mitternacht an. St. Georgen im Attergau – 26 Fahrer sind im Ziel.",
        "Die Fahrer kamen nach Mitternacht an. 26 Fahrer sind im Ziel.",
        "St. Georgen im Attergau",
    ),
    (
        f'Die Regierung sagt "volle" Kooperation zu. Panama-Stadt – {DE}',
        f'Die Regierung sagt "volle" Kooperation zu. {DE}',
        "Panama-Stadt",
    ),
]


@pytest.mark.parametrize(("text", "body", "dateline"), AFTER_LEAD)
def test_dateline_after_the_lead(text: str, body: str, dateline: str) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline) == (body, dateline)
    assert normalize_body(result.body).body == result.body


def test_a_closing_quote_alone_ends_no_sentence() -> None:
    text = 'Der Bürgermeister kritisiert "einseitige" Berichte – Der Sender widerspricht.'
    assert normalize_body(text).body == text and normalize_body(text).dateline is None


# text, body, dateline, agencies
WIRE_FORMS = [
    # Press-release wires: an agency of two words, a double dash.
    (
        f"CALGARY, Alberta, Dec. 03, 2019 (GLOBE NEWSWIRE) -- {EN}",
        EN,
        "CALGARY, Alberta, Dec. 03, 2019",
        ("globe newswire",),
    ),
    (
        f"MONTRÉAL, 3 déc. 2019 (GLOBE NEWSWIRE) -- {FR}",
        FR,
        "MONTRÉAL, 3 déc. 2019",
        ("globe newswire",),
    ),
    # The company's name in capitals after the dateline is text.
    (
        "TORONTO, June 09, 2020 (GLOBE NEWSWIRE) -- BEISPIEL Energy Corp. announced a plan.",
        "BEISPIEL Energy Corp. announced a plan.",
        "TORONTO, June 09, 2020",
        ("globe newswire",),
    ),
    # An unlisted source first, in a script without case.
    (f"(美國商業資訊)--{ZH}", ZH, None, ("美國商業資訊",)),
    # The place inside AP's group, and the date first with a clock time.
    (f"(Columbia-AP) Nov. 24, 2004 - {EN}", EN, "Columbia, Nov. 24, 2004", ("ap",)),
    (
        f"November 26, 2004 4:35 PM GMT (Datamonitor) - {EN}",
        EN,
        "November 26, 2004 4:35 PM GMT",
        ("datamonitor",),
    ),
    # Nordic slashes.
    (f"København /ritzau/: {DA}\n\n{DA}\n\n/ritzau/", f"{DA}\n\n{DA}", "København", ("ritzau",)),
    (f"Bergen /NTB/: {NO}", NO, "Bergen", ("ntb",)),
    # A place in capitals and no mark, before a short acronym.
    (
        "BAGHDAD US officials approved the plan on Monday.",
        "US officials approved the plan on Monday.",
        "BAGHDAD",
        (),
    ),
    # After a date, the text may start in lower case.
    (
        "WASHINGTON, MARCH 31 - eBay approved the plan.",
        "eBay approved the plan.",
        "WASHINGTON, MARCH 31",
        (),
    ),
    (
        "Berne/Paris, 2 jan (ats) eBay a approuvé le projet.",
        "eBay a approuvé le projet.",
        "Berne/Paris, 2 jan",
        ("ats",),
    ),
]


@pytest.mark.parametrize(("text", "body", "dateline", "agencies"), WIRE_FORMS)
def test_wire_forms(text: str, body: str, dateline: str | None, agencies: tuple[str, ...]) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies) == (body, dateline, agencies)
    assert normalize_body(result.body).body == result.body


def test_a_dated_group_or_a_credit_after_the_lead() -> None:
    text = f"A plan is on the table. November 26, 2004 4:35 PM GMT (Datamonitor) - {EN}"
    result = normalize_body(text)
    assert (result.body, result.dateline) == (
        f"A plan is on the table. {EN}",
        "November 26, 2004 4:35 PM GMT",
    )
    result = normalize_body(f"Young people eat worse, study says HealthDayNews -- {EN}")
    assert result.body == f"Young people eat worse, study says {EN}"
    assert result.agencies == ("healthdaynews",)


# Openings in capitals that are no place: a headline with a conjunction, a rubric before a
# colon, an initialism before the text, a company's name.
NOT_PLACES = [
    f"CORRECTION ET MISE À JOUR - {FR}",
    "RACING : Flemington FIELDS Saturday 1 HCP 1200m",
    "BEISPIEL Incorporated (Nasdaq: BSPL) announced a plan today.",
    "U.S. Open champion Anna Beispiel won the final on Monday.",
]


@pytest.mark.parametrize("text", NOT_PLACES)
def test_capitals_that_are_no_place(text: str) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline) == (text, None)


def test_stacked_dateline_leaves_an_initialism() -> None:
    result = normalize_body("MILWAUKEE (Sports Network) - U.S. Open champion Anna Beispiel won.")
    assert (result.body, result.dateline) == ("U.S. Open champion Anna Beispiel won.", "MILWAUKEE")


def test_a_note_that_names_the_story_it_replaces() -> None:
    text = f"N i e u w bericht, vervangt: Raad keurt plan goed\n\nUtrecht (ANP) - {NL}\n\n{NL}"
    result = normalize_body(text)
    assert result.body == f"{NL}\n\n{NL}"
    assert (result.dateline, result.agencies) == ("Utrecht", ("anp",))
    assert result.ednote == "N i e u w bericht, vervangt: Raad keurt plan goed"
    assert result.signals == ("update",)
    result = normalize_body(f"Replaces: Council delays plan\n\nLONDON (Reuters) - {EN}\n\n{EN}")
    assert result.ednote == "Replaces: Council delays plan" and result.body == f"{EN}\n\n{EN}"
    result = normalize_body(
        f"Neue Fassung, ersetzt: Rat vertagt Plan\n\nBerlin (dpa) - {DE}\n\n{DE}"
    )
    assert (
        result.ednote == "Neue Fassung, ersetzt: Rat vertagt Plan"
        and result.body == f"{DE}\n\n{DE}"
    )


def test_ap_heads_bylines_and_desk_lines() -> None:
    glued = (
        "Eds: SUBS 2nd graf to CORRECT a name.\n^By ANNA BEISPIEL\nAssociated Press Writer\n\n"
        f"BOSTON (AP) _ {EN}\n\n{EN}"
    )
    result = normalize_body(glued)
    assert result.body == f"{EN}\n\n{EN}"
    assert result.ednote == "SUBS 2nd graf to CORRECT a name."
    assert result.byline == "ANNA BEISPIEL, Associated Press Writer"
    column = (
        f"For Release Tuesday, Jan. 10\n\nToday in History\nBy The Associated Press\n\n{EN}\n\n{EN}"
    )
    result = normalize_body(column)
    assert result.body == f"{EN}\n\n{EN}"
    assert result.byline == "Today in History, The Associated Press"
    assert result.ednote == "For Release Tuesday, Jan. 10"
    slug = (
        "With US-Council Plan, Bjt\n\nBy ANNA BEISPIEL\nAssociated Press Writer\n\n"
        f"BOSTON (AP) _ {EN}\n\n{EN}"
    )
    result = normalize_body(slug)
    assert result.ednote == "With US-Council Plan, Bjt" and result.body == f"{EN}\n\n{EN}"


@pytest.mark.parametrize(
    "note",
    [
        "Edx Tpo 3 grafs new with mayor's comments; picks up 4th graf pvs, The council.",
        "LEADS with 2 grafs to UPDATE with vote; picks up 3rd pvs: Members voted",
        "Top grafs new with quotes",
    ],
)
def test_a_desk_instruction_with_a_garbled_label_is_a_note(note: str) -> None:
    text = f"{note}\n\nBy ANNA BEISPIEL Associated Press Writer\n\nBOSTON (AP) _ {EN}\n\n{EN}"
    result = normalize_body(text)
    assert result.body == f"{EN}\n\n{EN}"
    assert result.ednote == note and result.dateline == "BOSTON"
    assert result.byline == "ANNA BEISPIEL, Associated Press Writer"
    # Without a byline or a dateline after it, it is the text's (a report about the desk).
    alone = f"{note}\n\n{EN}\n\n{EN}"
    assert normalize_body(alone).body == alone


def test_a_heading_with_the_word_by_is_no_byline() -> None:
    text = f"Stand By Me Revival Opens\n\n{EN}\n\n{EN}"
    assert normalize_body(text).body == text and normalize_body(text).byline is None


def test_a_repeated_headline_before_a_long_dateline_paragraph_goes() -> None:
    story = " ".join([EN] * 12)
    text = (
        "Beispiel Corp. Names New Chief\n\n"
        f"TORONTO, June 09, 2020 (GLOBE NEWSWIRE) -- {story}\n\n{EN}"
    )
    result = normalize_body(text)
    assert result.body == f"{story}\n\n{EN}" and result.dateline == "TORONTO, June 09, 2020"


# A credit whose shape is its own is taken after a last sentence that a feed cut short, or that
# ends in a closing quote, a parenthesis or a full-width stop.
CUT_SHORT = [
    ("The council approved the plan on", " (Reporting by Anna Beispiel; editing by Max Muster)"),
    ("The council approved the plan on", " REUTER"),
    ("Der Gemeinderat hat den Plan am", " (APA, 11.9.2015)"),
    ("Der Gemeinderat hat den Plan (alle dafür)", " (Reuters, APA, red)"),
    ("Le conseil a approuvé le projet de", " (© AFP)"),
    ("He said it was ``good.''", " (© AFP)"),
    (ZH, " (© AFP)"),
]


@pytest.mark.parametrize(("text", "credit"), CUT_SHORT)
def test_credit_after_a_sentence_cut_short(text: str, credit: str) -> None:
    assert normalize_body(text + credit).body == text


def test_a_word_reuter_in_running_text_stays() -> None:
    text = "The prize went to Fritz Reuter"
    assert normalize_body(text).body == text


def test_a_converters_empty_field_goes() -> None:
    assert normalize_body(f"{FR} None. \n.").body == FR
    assert normalize_body(f"{EN} null.").body == EN
    assert normalize_body("The answer was None.").body == "The answer was None."


def test_parser_dateline_keeps_an_abbreviation_and_is_never_a_timestamp() -> None:
    story = normalize("test", ParsedItem(item_id="x", body=EN, dateline="GREENWICH, Conn."))
    assert story.dateline == "GREENWICH, Conn."
    story = normalize("test", ParsedItem(item_id="x", body=EN, dateline="BERLIN."))
    assert story.dateline == "BERLIN"
    story = normalize("test", ParsedItem(item_id="x", body=NO, dateline="15.7.2019 12:09:11 CEST"))
    assert story.dateline is None
    # The body's own dateline wins over the parser's.
    story = normalize(
        "test", ParsedItem(item_id="x", body=f"København /ritzau/: {DA}", dateline="Oslo")
    )
    assert (story.dateline, story.agencies) == ("København", ("ritzau",))


END_MARKS = ["END", "ENDIT", "-30-", "- 30 -", "-0-", "###", "(Ende)", "(fin)"]


@pytest.mark.parametrize("mark", END_MARKS)
def test_an_end_of_copy_mark_goes(mark: str) -> None:
    assert normalize_body(f"{EN}\n\n{mark}").body == EN
    # In running text the word stays.
    assert normalize_body("The road came to an END").body == "The road came to an END"


@pytest.mark.parametrize(
    "note",
    [
        "For release Friday, Jan. 6, and thereafter",
        "For Release Sunday AMs, Jan. 8",
        "EMBARGOED UNTIL 0001 GMT THURSDAY",
        "Sperrfrist: 12. Juli, 10.00 Uhr",
    ],
)
def test_a_release_instruction_is_a_note_without_a_byline_after_it(note: str) -> None:
    story = normalize("test", ParsedItem(item_id="x", body=f"{note}\n\n{EN}\n\n{EN}"))
    assert story.body == f"{EN}\n\n{EN}"
    assert story.ednote == note
    assert "embargo" in story.signals


def test_a_comma_group_date_may_hold_spaces() -> None:
    story = normalize("test", ParsedItem(item_id="x", body=f"{DE} (red, 2. 9. 2015)"))
    assert (story.body, story.editors) == (DE, ("red",))
    story = normalize("test", ParsedItem(item_id="x", body=f"{DE} (APA, 12.2. 2016)"))
    assert (story.body, story.agencies) == (DE, ("apa",))


def test_a_region_is_a_name_not_a_clause() -> None:
    # A teaser sentence before the dateline: its clause is no region of a place.
    teaser = "Wähler, die ihre Interessen vertreten, haben gute Chancen."
    story = normalize_body(f"{teaser} Wien – {DE}")
    assert (story.dateline, story.body) == ("Wien", f"{teaser} {DE}")
    # Two places joined by "and" are a region.
    text = f"SPRINGFIELD, Ill. and SINGAPORE--(BUSINESS WIRE)--{EN}"
    assert normalize_body(text).dateline == "SPRINGFIELD, Ill. and SINGAPORE"


def test_a_slashed_agency_between_full_stops() -> None:
    # TASS writes its name between slashes, with full stops after the date and after it.
    story = normalize_body(f"MOSCOW, January 21. /TASS/. {EN}")
    assert (story.dateline, story.agencies, story.body) == ("MOSCOW, January 21", ("tass",), EN)
    story = normalize_body(f"MOSCOW /TASS/. {EN}")
    assert (story.dateline, story.agencies, story.body) == ("MOSCOW", ("tass",), EN)
    # A slash in running text is none.
    assert normalize_body("It was 50/50. /Then/ he left.").dateline is None


def test_a_dateline_after_a_teaser_paragraph() -> None:
    teaser = "Der Rat hat entschieden. Die Folgen sind offen."
    story = normalize_body(f"{teaser}\n\nErfurt (dpa) - {DE}\n\n{DE}")
    assert (story.dateline, story.agencies) == ("Erfurt", ("dpa",))
    assert story.body == f"{teaser}\n\n{DE}\n\n{DE}"
    # Without an agency's group a place and a dash in a later paragraph are text.
    text = f"{teaser}\n\nBerlin – {DE}"
    assert normalize_body(text).body == text


@pytest.mark.parametrize(
    ("text", "dateline", "body"),
    [
        (f"BOSTON The jury is out. {EN}", "BOSTON", f"The jury is out. {EN}"),
        (f"NEW YORK At first glance, it is simple. {EN}", "NEW YORK", None),
        (f"WASHINGTON US officials said so. {EN}", "WASHINGTON", f"US officials said so. {EN}"),
        (f"TAMPA. The home side won. {EN}", "TAMPA", f"The home side won. {EN}"),
        # A first word set in capitals is no place: a name, a noun, an organisation.
        (f"YASSER Arafat is dead. {EN}", None, None),
        (f"PROSECUTORS Friday said he lied. {EN}", None, None),
        (f"UKIP MEP attacked the plan. {EN}", None, None),
    ],
)
def test_a_place_without_any_mark_is_a_known_place(
    text: str, dateline: str | None, body: str | None
) -> None:
    story = normalize_body(text)
    assert story.dateline == dateline
    assert story.body == (body or (text if dateline is None else story.body))


@pytest.mark.parametrize(
    "notice",
    [
        "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen "
        "Gründen nicht mehr zur Verfügung.",
        "The full text of this article is no longer available for legal reasons.",
        "Le texte intégral de cet article n'est plus disponible.",
    ],
)
def test_a_withdrawn_text_notice_goes(notice: str) -> None:
    assert normalize_body(f"{DE} {notice}").body == DE
    assert normalize_body(f"{EN}\n\n{notice}").body == EN


def test_an_ap_adds_pickup_line_a_long_labeled_note_and_a_takes_more() -> None:
    # A later take opens with the dateline's place and the last words of the take before.
    text = f"For Release Sunday, Jan. 15\n\nSPRINGFIELD, Ill.: the council said.''\n\n{EN}\n\n{EN}"
    result = normalize_body(text)
    assert result.body == f"{EN}\n\n{EN}"
    assert result.ednote == "For Release Sunday, Jan. 15\nSPRINGFIELD, Ill.: the council said.''"
    # A column's title is no pickup line.
    column = f"WASHINGTON TODAY: Rivals Will Come Out Smiling\n\n{EN}\n\n{EN}"
    assert normalize_body(column).ednote is None
    # A note that says it is one may list every graf it changes.
    grafs = " ".join(f"SUBS {n}th graf to CORRECT a figure." for n in range(4, 30))
    result = normalize_body(f"Eds: {grafs}\n\nBOSTON (AP) _ {EN}\n\n{EN}")
    assert (result.body, result.ednote) == (f"{EN}\n\n{EN}", grafs)
    result = normalize_body(f"DESK: New grafs 5-8 with the vote.\n\nBOSTON (AP) _ {EN}")
    assert (result.body, result.ednote) == (EN, "New grafs 5-8 with the vote.")
    # A take's MORE alone at either end.
    assert normalize_body(f"MORE\n\n{EN}\n\n{EN}").body == f"{EN}\n\n{EN}"
    assert normalize_body(f"{EN}\n\n{EN}\n\nMORE").body == f"{EN}\n\n{EN}"


def test_an_agency_group_after_the_lead_and_aps_caption_mark() -> None:
    story = normalize_body(f"Die Sitzung dauerte lange. Graz (APA) – {DE}")
    assert (story.dateline, story.agencies) == ("Graz", ("apa",))
    story = normalize_body(f"Die Sitzung dauerte lange. Sunrise (Florida) – {DE}")
    assert (story.dateline, story.agencies) == ("Sunrise (Florida)", ())
    # AP's caption mark opens a caption, no dateline.
    text = "FILE - In this June 24, 2003 file photo, the mayor speaks."
    assert normalize_body(text).dateline is None


# What republishers leave: datelines glued or cut short, a dateline's separator without it.
REPUBLISHED = [
    # A place that starts with an article, in a dateline's form.
    (f"THE HAGUE (Reuters) - {EN}", EN, "THE HAGUE", ("reuters",)),
    (f"Den Haag (ANP) - {EN}", EN, "Den Haag", ("anp",)),
    # The date cut out of a dateline, its comma left.
    (f"GROZNY, (Reuters) - {EN}", EN, "GROZNY", ("reuters",)),
    (f"SAN FRANCISCO, - {EN}", EN, "SAN FRANCISCO", ()),
    # A double dash glued to the place; the date between dashes after it.
    (f"BALTIMORE--{EN}", EN, "BALTIMORE", ()),
    (f"LONDON--Oct. 12, 2004-- {EN}", EN, "LONDON, Oct. 12, 2004", ()),
    (f"SAN JOSE, Calif.--(BUSINESS WIRE)--Oct. 12, 2004--{EN}", EN,
     "SAN JOSE, Calif., Oct. 12, 2004", ("business wire",)),
    # The separator of a dateline a republisher cut off, or a stray line before it.
    (f"_ {EN}", EN, None, ()),
    (f": {EN}", EN, None, ()),
    (f"-- {EN}", EN, None, ()),
    (f",\nWASHINGTON (AP) _ {EN}", EN, "WASHINGTON", ("ap",)),
    # An agency after a dash at the end.
    (f"{EN} -AP", EN, None, ("ap",)),
    (f"{EN} — Reuters", EN, None, ("reuters",)),
    (f"{EN}\n\n– AFP", EN, None, ("afp",)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "body", "dateline", "agencies"), REPUBLISHED)
def test_what_republishers_leave(
    text: str, body: str, dateline: str | None, agencies: tuple[str, ...]
) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies) == (body, dateline, agencies)
    assert normalize_body(result.body).body == result.body


# Marks that look like those and are text.
NOT_REPUBLISHED = [
    f"- {EN}\n\n- {EN}",  # a list
    f"— {FR}\n\n— {FR}",  # a dialogue
    "— Hillary Clinton (@HillaryClinton) July 16, 2018",  # a tweet's attribution
    f"The president - {EN}",  # an article starts no place
    f"{EN} - Mark Twain",  # a quotation's author
    f"Beispiel's (BSPL) Tuesday raised its dividend. {EN}",  # a company's ticker
]


@pytest.mark.parametrize("text", NOT_REPUBLISHED)
def test_marks_that_are_text(text: str) -> None:
    result = normalize_body(text)
    assert (result.body, result.dateline, result.agencies) == (text, None, ())


def test_a_byline_as_a_sentence_of_the_lead_or_the_end() -> None:
    result = normalize_body(f"By Jane Q. Beispiel. {EN} {EN}")
    assert (result.body, result.byline) == (f"{EN} {EN}", "Jane Q. Beispiel")
    result = normalize_body(f"By Example News. WASHINGTON - {EN}")
    assert (result.body, result.byline, result.dateline) == (EN, "Example News", "WASHINGTON")
    result = normalize_body(f"{EN} {EN} By Kay Muster.")
    assert (result.body, result.byline) == (f"{EN} {EN}", "Kay Muster")
    result = normalize_body(f"{EN} {EN} By Kay Muster - THE HAGUE.")
    assert (result.body, result.byline) == (f"{EN} {EN}", "Kay Muster")
    # A sentence that starts with the word stays.
    for text in (
        f"By Sunday the council had met. {EN}",
        f"{EN} By the way, it rained.",
        f"{EN} By Boat.",
    ):
        assert normalize_body(text).body == text


def test_entities_whose_ampersand_was_lost() -> None:
    text = "The council #39;s plan,  quot;a good one, quot; said Smith  amp; Jones of AT amp;T."
    assert (
        normalize_body(text).body
        == 'The council\'s plan, "a good one," said Smith & Jones of AT&T.'
    )
    assert normalize_body(" #147;Quoted, #148; he wrote.").body == "“Quoted,” he wrote."
    # A number's sign with a semicolon is text: only punctuation entities are read.
    assert normalize_body("Issue #12; was closed.").body == "Issue #12; was closed."


def test_a_slug_line_with_a_glued_double_dash_is_no_place() -> None:
    result = normalize_body(f"BC-OLY--Women's Marathon RUN,0058\n\nATHENS, Greece (AP) -- {EN}")
    assert result.dateline == "ATHENS, Greece"


def test_a_place_holds_no_sentence_and_ends_in_no_particle() -> None:
    # The lead's sentence is no part of the place: the dateline after the lead is the place.
    result = normalize_body(f"Eine Gala im Zeichen der Krise. Wien – {DE}")
    assert (result.body, result.dateline) == (f"Eine Gala im Zeichen der Krise. {DE}", "Wien")
    # A heading with a date is no dateline; the one after the lead is.
    text = f"Übertragung am 11. August – Der Regisseur probt. Salzburg/Wien – {DE}"
    result = normalize_body(text)
    assert (result.body, result.dateline) == (
        f"Übertragung am 11. August – Der Regisseur probt. {DE}",
        "Salzburg/Wien",
    )
    assert normalize_body(f"Frankfurt am Main – {DE}").dateline == "Frankfurt am Main"


def test_a_byline_then_a_credit_before_the_dash() -> None:
    result = normalize_body(f"By Ed Muster, Example Reporter ExampleNews -- {EN} {EN}")
    assert (result.body, result.byline, result.agencies) == (
        f"{EN} {EN}",
        "Ed Muster, Example Reporter",
        ("examplenews",),
    )
    # A byline's words are no place.
    assert normalize_body(f"By Anna Muster -- {EN}").dateline is None


def test_a_byline_in_capitals_glued_to_the_dateline() -> None:
    result = normalize_body(f"By ANNA MUSTER WASHINGTON (AP) -- {EN}")
    assert (result.body, result.byline, result.dateline) == (EN, "ANNA MUSTER", "WASHINGTON")
    # The split whose place the gazetteer knows wins over a shorter name.
    result = normalize_body(f"By JOHN Q. BEISPIEL BRUSSELS, Belgium (AP) -- {EN}")
    assert (result.byline, result.dateline) == ("JOHN Q. BEISPIEL", "BRUSSELS, Belgium")


def test_a_byline_with_its_paper_and_date_between_dashes() -> None:
    text = f"By Jane Roe - The Daily Example - Sunday, July 15, 2031\n\n{EN}\n\n{EN}"
    result = normalize_body(text)
    assert (result.body, result.byline) == (f"{EN}\n\n{EN}", "Jane Roe, The Daily Example")
