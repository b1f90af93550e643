"""Language identification: the function-word count, word by word, and its plain answers."""

from __future__ import annotations

import random
import re

from ingest.normalize import detect_language
from ingest.normalize.language import _FUNCTION_WORDS, _MARGIN, _MIN_HITS, _by_function_words


def _counted_word_by_word(text: str) -> str | None:
    """The rule written out: each word of the text counts once for every language whose list
    has it; the leader wins with enough words and a margin over the runner-up."""
    tokens = re.findall(r"\w+", text.casefold())
    counts = {
        language: sum(token in vocabulary for token in tokens)
        for language, vocabulary in sorted(_FUNCTION_WORDS.items())
    }
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, hits), (_, second) = ranked[0], ranked[1]
    return best if hits >= _MIN_HITS and hits >= _MARGIN * second else None


def test_the_count_is_the_rule_written_out():
    rng = random.Random(3)
    vocabulary = [*sorted(set().union(*_FUNCTION_WORDS.values())), "Haus", "maison", "IL", "Été"]
    answers = set()
    for _ in range(2_000):
        # Half the texts lean to one language, so that both answers come up.
        leaning = sorted(rng.choice(list(_FUNCTION_WORDS.values())))
        words = [
            rng.choice(leaning if rng.random() < 0.5 else vocabulary)
            for _ in range(rng.randrange(0, 60))
        ]
        text = " ".join(w.upper() if rng.random() < 0.1 else w for w in words)
        answer = _by_function_words(text)
        assert answer == _counted_word_by_word(text), text
        answers.add(answer)
    assert answers == {None, *_FUNCTION_WORDS}


def test_plain_copy_is_told_by_its_function_words():
    english = "The minister said on Monday that the plan would be put to the vote after the summer "
    french = "Le ministre a déclaré lundi que le projet sera soumis au vote des députés avec les "
    german = "Der Minister sagte am Montag, dass der Plan nach dem Sommer zur Abstimmung kommt und "
    for text, language in ((english, "en"), (french, "fr"), (german, "de")):
        assert detect_language(text * 3) == language
    # Too few letters to tell.
    assert detect_language("12:30 - 4,5 % / 7") is None
