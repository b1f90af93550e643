"""Text repair and layout: the part of normalization that knows nothing of agencies.

Mojibake is repaired with ftfy (curly quotes and the language's own punctuation are kept),
the result is NFC, control characters are dropped, every kind of typographic space becomes a
plain space, white space inside a paragraph collapses to one space, and paragraphs are kept,
separated by one blank line. Applying it to its own output changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

__all__ = ["clean_text", "join_paragraphs", "split_paragraphs", "words"]

_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # «» and “” are the language's own typography: keep them
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)

# Typographic spaces agencies use (no-break, narrow no-break, thin, figure, ideographic...).
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# Zero-width characters and soft hyphens carry nothing a reader sees.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_RUN_OF_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def clean_text(text: str) -> str:
    """Repair encoding damage and unify characters; line structure is left as it is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
        text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of cleaned text, each collapsed to single spaces, empty ones dropped."""
    paragraphs = (_RUN_OF_SPACE.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text))
    return [p for p in paragraphs if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """The body layout of the data contract: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, accents kept, punctuation dropped: what matching compares.

    Typography cannot tell two versions apart here: quotes, apostrophes and dashes of every
    kind are punctuation, and no-break spaces were made plain by ``clean_text``.
    """
    return _WORD.findall(text.casefold())
