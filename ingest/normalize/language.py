"""Language identification: a function-word count where the answer is plain, py3langid else.

py3langid (its model ships inside the package) costs about a microsecond a character. Most
agency copy is in a handful of languages whose commonest words settle the question at once, so
the words of the first lines are counted against each language's function words first; only a
text with no clear winner (a short one, a mixed one, another language) goes to py3langid.

py3langid ships its model as an LZMA file that takes half a second to decompress in every
process; the decompressed model is cached on disk (``record.cache``) and read from there, a quarter
of a second, into the same identifier.
"""

from __future__ import annotations

import lzma
import re
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import py3langid
from py3langid import langid, modelio

from record.cache import cached_file, write_cached
from record.patterns import TextPattern

__all__ = ["detect_language", "load_model"]

# 160 characters of news prose (two lines) are enough for py3langid on the labeled set.
_SAMPLE_CHARS = 160
# The function-word count reads a little further: words are cheap to count.
_COUNT_CHARS = 600
# Below this many letters any guess is noise.
_MIN_LETTERS = 20
# Web addresses and handles carry no language and mislead the model on short texts.
_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_WORD = TextPattern(r"\w+")
# Runs of letters: their lengths add up to the count of letters, in a few strings, not one a
# letter.
_LETTERS = TextPattern(r"[^\W\d_]+")


# Function words that are frequent in one language and rare in the others; a word that is
# common in two of them (fr/es/it "la", "de") is left out so it cannot tip the count.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to is that for with was said by from has have are which "
        "were this had they their been would will after its"
    ),
    "fr": _words(
        "le les des et du une est dans pour pas sur au aux avec ont été sont "
        "mais plus qui cette selon leur été ces il elle"
    ),
    "de": _words(
        "der die und das den ist nicht mit sich des auf für im dem von ein eine "
        "zu auch wird bei hat nach wurde aus einer sind"
    ),
    "it": _words(
        "il di che per della non sono dei alla nel è gli ha anche delle più "
        "nella stato dal alle degli questo"
    ),
    "es": _words(
        "el los las del que por una para al lo como más pero sus fue este sobre "
        "entre también según hasta desde"
    ),
}


def _languages_of() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for language, vocabulary in _FUNCTION_WORDS.items():
        for word in vocabulary:
            found[word] = (*found.get(word, ()), language)
    return found


#: The languages whose list has a word (a few words are in two lists: "il").
_LANGUAGES_OF = _languages_of()
# A language wins outright with this many function words and three times the runner-up.
_MIN_HITS = 12
_MARGIN = 3


def _by_function_words(text: str) -> str | None:
    # Only the function words are counted (the filter runs in C), then spread over languages.
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    present = Counter(filter(_LANGUAGES_OF.__contains__, _WORD.findall(text.casefold())))
    for word, times in present.items():
        for language in _LANGUAGES_OF[word]:
            counts[language] += times
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, hits), (_, second) = ranked[0], ranked[1]
    return best if hits >= _MIN_HITS and hits >= _MARGIN * second else None


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when there is too little to tell."""
    head = _NOISE.sub(" ", text[: _COUNT_CHARS * 2])
    if sum(map(len, _LETTERS.findall(head[:_SAMPLE_CHARS]))) < _MIN_LETTERS:
        return None
    plain = _by_function_words(head[:_COUNT_CHARS])
    if plain is not None:
        return plain
    load_model()
    language, _score = py3langid.classify(head[:_SAMPLE_CHARS])
    return str(language)


def load_model() -> None:
    """Load py3langid's model now (a quarter of a second from the cache, 0.7 s without)
    rather than on the first story that needs it."""
    if langid.IDENTIFIER is None:
        langid.IDENTIFIER = identifier()


#: The arrays of py3langid's model file (an npz).
_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def identifier() -> langid.LanguageIdentifier:
    """py3langid's identifier over its own model, read from the cached decompressed copy
    (written from the package's file when there is none)."""
    packaged = langid.MODEL_DIR / langid.MODEL_FILE
    path = cached_file("py3langid-model", ".npz", packaged.read_bytes())
    arrays = _read_model(path)
    if arrays is None:
        with lzma.open(packaged) as source:
            decompressed = source.read()
        write_cached(path, decompressed)
        arrays = _read_model(path)
    if arrays is None:
        # No cache to read back (a folder that cannot be written): the package's own loader.
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    # The model in the form py3langid's loader gives it (its tables as stdlib arrays).
    return langid.LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        modelio._to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=False,
        tk_row=modelio._to_array(arrays["nextmove_row"]),
    )


def _read_model(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in _MODEL_ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
