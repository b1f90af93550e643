"""Word shingles: order-sensitive, sorted unique uint32, blind to typography."""

from __future__ import annotations

import numpy as np
import pytest
import xxhash

from dedupe import matching_text, shingle_set, shingle_texts, shingles
from dedupe.shingles import StoryWords, Words, hash_words, shingle_sets, word_hashes
from record.words import words

NBSP, NNBSP = "\u00a0", "\u202f"


def test_word_order_matters():
    forward = shingle_set(["a", "b", "c", "d", "e"], 5)
    backward = shingle_set(["e", "d", "c", "b", "a"], 5)
    assert forward.size == backward.size == 1
    assert not np.array_equal(forward, backward)


def test_count_of_shingles_is_words_minus_size_plus_one():
    tokens = [f"mot{i}" for i in range(12)]
    assert shingle_set(tokens, 5).size == 8
    assert shingle_set(tokens, 1).size == 12


def test_shared_run_of_words_gives_a_shared_shingle():
    a = shingle_set(["le", "conseil", "d", "etat", "a", "rejeté", "le", "recours"], 3)
    b = shingle_set(["hier", "le", "conseil", "d", "etat", "a", "statué"], 3)
    common = np.intersect1d(a, b)
    # "le conseil d", "conseil d etat", "d etat a" appear in both, in the same order.
    assert common.size == 3


def test_single_word_shingle_is_the_word_hash():
    [value] = shingle_set(["genève"], 1)
    assert value == xxhash.xxh32_intdigest("genève".encode())


def test_short_text_is_one_shingle():
    short = shingle_set(["grève", "à", "genève"], 5)
    assert short.size == 1
    assert not np.array_equal(short, shingle_set(["genève", "à", "grève"], 5))


def test_empty_text_has_no_shingles():
    empty = shingle_set([], 5)
    assert empty.size == 0
    assert empty.dtype == np.uint32
    assert shingle_texts(["", "  «  » -- ()"], 5)[1].size == 0


def test_unique_sorted_uint32():
    tokens = ("la grève continue " * 20).split()  # the same three shingles over and over
    shingles = shingle_set(tokens, 3)
    assert shingles.dtype == np.uint32
    assert shingles.size == 3
    assert np.all(np.diff(shingles.astype(np.int64)) > 0)


@pytest.mark.parametrize(
    ("plain", "typographic"),
    [
        (
            'Il a dit "non" à l\'État, a-t-il ajouté.',
            f"Il a dit «{NNBSP}non{NNBSP}» à l’État{NBSP}— a-t-il ajouté{NBSP}!",
        ),
        ('He said "we\'ll rebuild" on Tuesday.', "He said “we’ll rebuild” on Tuesday…"),
        ("Les 15 000 manifestants ont défilé.", f"LES 15{NNBSP}000 manifestants ont défilé."),
    ],
    ids=["fr-guillemets", "en-curly", "nbsp-number-and-case"],
)
def test_shingle_texts_ignore_typography(plain, typographic):
    a, b = shingle_texts([plain, typographic], 3)
    assert a.size > 0
    np.testing.assert_array_equal(a, b)


def test_shingle_texts_keep_accents():
    a, b = shingle_texts(["la côte est touchée", "la cote est touchee"], 2)
    assert not np.array_equal(a, b)


def test_word_hashes_made_once_give_the_same_shingles_at_every_size():
    lists = [["la", "dépêche", "arrive", "au", "bureau", "ce", "soir"], ["bref"], [], ["a", "b"]]
    hashes = word_hashes(lists)
    assert hashes.dtype == np.uint32 and len(hashes) == sum(map(len, lists))
    assert int(hashes[0]) == xxhash.xxh32_intdigest(b"la")
    made = Words.of(lists)
    for size in (2, 5):
        fresh = shingle_sets(lists, size)
        assert all(
            np.array_equal(m, f) for m, f in zip(shingle_sets(made, size), fresh, strict=True)
        )
    # Two hashed lists put together shingle as the lists hashed together.
    joined = shingle_sets(Words.of(lists[:2]) + Words.of(lists[2:]), 3)
    assert all(np.array_equal(a, b) for a, b in zip(joined, shingle_sets(lists, 3), strict=True))
    with pytest.raises(ValueError, match="word hashes for"):
        Words(lists, hashes[:-1])


def test_a_storys_words_are_its_headlines_then_its_bodys_as_the_matching_text_gives_them():
    headlines = ["Straße gesperrt", None, ""]
    bodies = ["BERLIN (dpa) - Die Straße bleibt zu.\n\nMehr später.", "Body only.", "Leer"]
    made = StoryWords.of(headlines, bodies)
    for i, (headline, body) in enumerate(zip(headlines, bodies, strict=True)):
        assert list(made.words.lists[i]) == words(matching_text(headline, body))
        assert list(made.headline(i)) == words(headline or "")
        assert list(made.body(i)) == words(body)
    assert made.headline(0) == ["strasse", "gesperrt"]  # casefolded, as the text's words


def test_a_storys_lead_words_are_its_first_paragraphs_with_their_hashes():
    headlines = ["Straße gesperrt", None, "", "Titel"]
    bodies = [
        "BERLIN (dpa) - Die STRASSE bleibt zu.\n\nMehr später.\n\nNoch mehr.",
        "One paragraph only.",
        "\n\nThe lead is empty.",
        "Ǆemal: İstanbul ﬁnal.\n\nΣίσυφος ΟΔΟΣ",
    ]
    made = StoryWords.of(headlines, bodies)
    leads = made.leads()
    for i, body in enumerate(bodies):
        first = body.split("\n\n", 1)[0]
        assert list(leads.lists[i]) == words(first)
        assert list(made.body(i)) == words(body)
    assert np.array_equal(
        leads.hashes, Words.of([words(b.split("\n\n", 1)[0]) for b in bodies]).hashes
    )


@pytest.mark.parametrize("way", ["compiled", "cached"])
def test_words_hash_as_xxhash_hashes_them(monkeypatch, way) -> None:
    # Every length round xxh32's 4- and 16-byte steps, multi-byte characters, the empty word.
    if way == "cached":
        monkeypatch.setattr(shingles, "compiled_hash", lambda: None)
    else:
        assert shingles.compiled_hash() is not None, "no C compiler: the CI installs one"
    rng = np.random.default_rng(3)
    alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789_") + list("éßøΣжあ’")
    tokens = ["", "a", *("".join(rng.choice(alphabet, n)) for n in rng.integers(1, 70, 500))]
    got = hash_words(tokens)
    assert got.dtype == np.uint32
    assert got.tolist() == [xxhash.xxh32_intdigest(t.encode()) for t in tokens]
    assert hash_words([]).tolist() == []
    if way == "compiled":
        with pytest.raises(ValueError, match="line break"):
            hash_words(["two\nlines"])
