"""Re-issues: one story sent again under another agency's marker forms must come out the same.

A partner newsroom re-sends agency copy with its own dateline, credit, copyright line and
typography. Each form here is written from the grammar of a real agency's markers (the
place names and initials are ours); ``reissue_share`` re-sends each clean body under every
form and counts the re-issues whose normalized body is identical to the original's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.normalize import normalize
from ingest.normalize.text import clean_paragraphs, join_paragraphs
from record.story import ParsedItem

__all__ = ["FORMS", "reissue_share", "reissued"]


def _lead(marker: str) -> Callable[[str], str]:
    return lambda body: marker + body


def _tail(marker: str) -> Callable[[str], str]:
    return lambda body: body + marker


def _typography(body: str) -> str:
    # A republisher's typography: curly apostrophes, no-break spaces before French marks.
    return body.replace("'", "’").replace(" :", "\u00a0:").replace(" ?", "\u202f?")


#: Name -> how the form re-sends a clean body.
FORMS: dict[str, Callable[[str], str]] = {
    "afp-dateline": _lead("PARIS (AFP) - "),
    "reuters-dateline-date": _lead("DAMASCUS, Oct 20 (Reuters) - "),
    "ap-dateline": _lead("CINCINNATI, Ohio (AP) _ "),
    "no-agency-dateline": _lead("WASHINGTON, MARCH 31 - "),
    "efe-dateline": _lead("Nueva Delhi, 21 ene (EFE).- "),
    "ats-dateline": _lead("Berne/Paris, 2 jan (ats) "),
    "kyodo-dateline": _lead("TOKYO, Dec. 9 Kyodo - "),
    "apa-dateline": _lead("Wien – "),
    "unlisted-agency": _lead("WELLINGTON, Oct 20 (BusinessDesk) - "),
    "byline-and-note": _lead("(Adds comments, detail)\n\nBy Anna Beispiel\n\nLONDON (Reuters) - "),
    "ap-eds-byline": _lead(
        "Eds: UPDATES with details.\n\nBy ANNA BEISPIEL\nAssociated Press Writer\n\nBOSTON (AP) _ "
    ),
    "ats-credit": _tail(" (ats/nxp)"),
    "reuters-credit": _tail(" (Reporting by Anna Beispiel in Beirut; editing by Max Muster)"),
    "reuter-signoff": _tail(" REUTER"),
    "apa-credit": _tail(" (APA, 11.9.2015)"),
    "apa-mixed-credit": _tail(" (Reuters, APA, red)"),
    "afp-copyright": _tail(" (© AFP)"),
    "dpa-copyright": _tail("\n\nCopyright 2024, dpa (www.dpa.de). Alle Rechte vorbehalten"),
    "ap-rule": _tail("\n\n_____"),
    "typography": _typography,
}


def reissued(body: str) -> dict[str, str]:
    """``body`` re-sent under every form."""
    return {name: form(body) for name, form in FORMS.items()}


def reissue_share(bodies: Sequence[str]) -> tuple[int, int]:
    """(identical, total) over every body re-sent under every form, through ``normalize``."""
    identical = total = 0
    for index, body in enumerate(bodies):
        clean = normalize("original", ParsedItem(item_id=str(index), body=body)).body
        for name, text in reissued(clean).items():
            again = normalize(name, ParsedItem(item_id=str(index), body=text)).body
            total += 1
            identical += again == _typography_free(clean, name)
    return identical, total


def _typography_free(clean: str, form: str) -> str:
    # Typography is text: a re-issue in other typography is the same story in that typography,
    # as the text layer writes it (a no-break space is a space there).
    if form != "typography":
        return clean
    return join_paragraphs(clean_paragraphs(_typography(clean)))
