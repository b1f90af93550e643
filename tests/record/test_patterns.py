"""``TextPattern``: the ASCII twin finds what the Unicode pattern finds, on ASCII text."""

from __future__ import annotations

import random
import re
import string

import pytest

from dedupe.profile import _NAME, _NUMBER
from ingest.normalize.language import _LETTERS
from ingest.normalize.language import _WORD as _LANGUAGE_WORD
from record.patterns import TextPattern
from record.words import _WORD, words

#: Every pattern of the project run as a TextPattern, with its flags.
PATTERNS = [(_WORD, 0), (_NUMBER, 0), (_NAME, re.MULTILINE), (_LETTERS, 0), (_LANGUAGE_WORD, 0)]


def _ascii_texts() -> list[str]:
    rng = random.Random(5)
    # Every ASCII character, the separators \x1c-\x1f that Unicode counts as whitespace among
    # them, and the marks the patterns read (sentence ends, quotes, apostrophes).
    alphabet = [chr(c) for c in range(128)] + list(". . A Bc 12,5 ") * 4
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 200))) for _ in range(400)
    ]
    texts += [
        "He said.\x1cMary Smith left. Then\x1fJohn came: \x1dOslo won 3,000.5 to 1.",
        "\nNew line. Start\nOf Line IBM 4'000 and 2.5.6",
        string.printable,
        "",
    ]
    return texts


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_the_ascii_twin_finds_what_the_unicode_pattern_finds(pattern: TextPattern, flags: int):
    unicode = re.compile(pattern.pattern, flags)
    for text in _ascii_texts():
        assert text.isascii()
        assert pattern.findall(text) == unicode.findall(text), repr(text)
    # Other text goes to the Unicode pattern itself.
    for text in ("Straße 12,5 Ärger. Ölpreis", "٣٤ ۵ Σίσυφος. Οδός", "İstanbul\u2028Ǆemal"):
        assert pattern.findall(text) == unicode.findall(text)


def test_words_of_ascii_text_by_the_byte_table_are_the_patterns_words():
    texts = [*_ascii_texts(), "Straße ÄRGER_1 Σίσυφος", "İstanbul ǅemal"]
    for text in texts:
        assert words(text) == re.findall(r"\w+", text.casefold()), repr(text)


def test_a_class_that_means_otherwise_in_ascii_mode_is_refused():
    with pytest.raises(ValueError, match=r"\\x1c"):
        TextPattern(r"a\sb")
    with pytest.raises(ValueError, match=r"\\x1c"):
        TextPattern(r"\S+")
    with pytest.raises(ValueError, match="IGNORECASE"):
        TextPattern(r"\w+", re.IGNORECASE)
    # A backslash escaped, then an "s", is no class; the written-out whitespace is accepted.
    assert TextPattern(r"a\\s").findall(r"a\s") == [r"a\s"]
    assert TextPattern(r"x[\s\x1c-\x1f]y").findall("x\x1cy x y") == ["x\x1cy", "x y"]
