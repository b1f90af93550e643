"""Reading the real copy the quality benchmark is built from, where it lies.

Nothing here writes: the BBC corpus, the text fixtures and the seed stay in ``../shared``, and
the benchmark holds their text in memory only for the length of a run. Each reader returns an
empty list when its folder is absent, so the caller can say what it skipped.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

__all__ = [
    "AP89",
    "BBC",
    "FIXTURES_TEXT",
    "HELSINKI",
    "PROJECT",
    "SAMPLES",
    "SEEDS",
    "SHARED",
    "Ap89Doc",
    "BbcStory",
    "HelsinkiArticle",
    "LabeledFile",
    "decode_bbc",
    "pair_overlaps",
    "read_ap89",
    "read_bbc",
    "read_fixtures_text",
    "read_helsinki",
    "read_samples",
    "read_seeds",
    "word_shingles",
]

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
FIXTURES_TEXT = SHARED / "fixtures" / "text"
SEEDS = SHARED / "seeds"
AP89 = SHARED / "corpora" / "ap89"
HELSINKI = SHARED / "corpora" / "helsinki" / "helsinki_articles.csv"
SAMPLES = PROJECT / "samples"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BbcStory:
    """One story of the BBC corpus: ``key`` is ``category/number`` (``business/001``)."""

    key: str
    category: str
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """Headline and paragraphs, as the corpus lays them out."""
        return "\n\n".join((self.headline, *self.paragraphs))


@dataclass(frozen=True)
class LabeledFile:
    """A wire file with a known cluster: bytes exactly as stored, never altered."""

    source: str
    item_id: str
    data: bytes
    cluster: str


@dataclass(frozen=True)
class Ap89Doc:
    """One AP story of 1-5 January 1989, as the TREC SGML lays it out (text unaltered)."""

    docno: str
    #: When AP sent it, from ``<FILEID>`` (``AP-NR-01-01-89 2358EST``): ISO local time, EST.
    sent: str
    #: The slug lines: ``<FIRST>`` (``r a PM-APArts:60sMovies 01-01 1073``) and ``<SECOND>``.
    first: str
    second: str
    #: ``<HEAD>`` lines: the headline, then the ``Eds:`` notes where there are any.
    heads: tuple[str, ...]
    dateline: str
    #: Paragraphs of ``<TEXT>`` (AP indents each with three spaces).
    paragraphs: tuple[str, ...]

    @property
    def headline(self) -> str:
        return next((h for h in self.heads if not h.startswith("Eds:")), "")

    @property
    def slug(self) -> str:
        """The slug word of the first line: ``PM-APArts:60sMovies``."""
        parts = self.first.split()
        return parts[2] if len(parts) > 2 else ""


@dataclass(frozen=True)
class HelsinkiArticle:
    """One article of the Helsinki summit set: ``segments`` are its `` ### ``-joined parts."""

    id: str
    publisher: str
    scrape_time: str
    segments: tuple[str, ...]


_AP_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL)
_AP_FILEID = re.compile(r"AP-\w+-(\d\d)-(\d\d)-(\d\d)\s+(\d\d)(\d\d)")


def _tag(doc: str, name: str) -> list[str]:
    return [" ".join(m.split()) for m in re.findall(rf"<{name}>(.*?)</{name}>", doc, re.DOTALL)]


def read_ap89(root: Path = AP89) -> list[Ap89Doc]:
    """Every AP story of the sample with text, in file order; empty when absent."""
    docs = []
    for path in sorted(root.glob("ap8901*")):
        for raw in _AP_DOC.findall(path.read_bytes().decode("latin-1")):
            text = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.DOTALL)
            if text is None:
                continue
            paragraphs = tuple(
                p
                for p in (" ".join(b.split()) for b in re.split(r"\n(?=\s{2,}\S)", text.group(1)))
                if p
            )
            if not paragraphs:
                continue
            fileid = _AP_FILEID.search(" ".join(_tag(raw, "FILEID")))
            sent = (
                f"19{fileid.group(3)}-{fileid.group(1)}-{fileid.group(2)}T"
                f"{fileid.group(4)}:{fileid.group(5)}:00-05:00"
                if fileid
                else ""
            )
            docs.append(
                Ap89Doc(
                    docno=_tag(raw, "DOCNO")[0],
                    sent=sent,
                    first=(_tag(raw, "FIRST") or [""])[0],
                    second=(_tag(raw, "SECOND") or [""])[0],
                    heads=tuple(_tag(raw, "HEAD")),
                    dateline=(_tag(raw, "DATELINE") or [""])[0],
                    paragraphs=paragraphs,
                )
            )
    return docs


def read_helsinki(path: Path = HELSINKI) -> list[HelsinkiArticle]:
    """The 612 articles, in file order; empty when absent."""
    if not path.exists():
        return []
    csv.field_size_limit(1 << 26)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        HelsinkiArticle(
            r["id"],
            r["publisher"],
            r["scrape_time"],
            tuple(s for s in (" ".join(p.split()) for p in r["text"].split("###")) if s),
        )
        for r in rows
    ]


def decode_bbc(data: bytes) -> str:
    """The corpus is UTF-8 except one file (sport/199) written in cp1252 (``£`` as 0xA3)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_bbc(root: Path = BBC) -> list[BbcStory]:
    """Every story of the corpus, sorted by key; empty when the corpus is absent."""
    stories = []
    for path in sorted(root.glob("*/*.txt")):
        text = decode_bbc(path.read_bytes()).replace("\r\n", "\n").strip()
        head, _, rest = text.partition("\n")
        paragraphs = tuple(
            p for p in (" ".join(b.split()) for b in re.split(r"\n\s*\n", rest)) if p
        )
        if not paragraphs:
            continue  # a headline without text is nothing to deduplicate
        key = f"{path.parent.name}/{path.stem}"
        stories.append(BbcStory(key, path.parent.name, " ".join(head.split()), paragraphs))
    return stories


def read_fixtures_text(root: Path = FIXTURES_TEXT) -> list[LabeledFile]:
    """The text fixtures with their cluster from ``clusters.csv``; empty when absent."""
    index = root / "clusters.csv"
    if not index.exists():
        return []
    with index.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        LabeledFile("fixtures", Path(r["file"]).stem, (root / r["file"]).read_bytes(), r["cluster"])
        for r in sorted(rows, key=lambda r: r["file"])
    ]


def read_samples(root: Path = SAMPLES) -> list[LabeledFile]:
    """The project's own samples listed in ``samples/clusters.csv`` (the corrupt one is not)."""
    index = root / "clusters.csv"
    if not index.exists():
        return []
    with index.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for r in sorted(rows, key=lambda r: (r["source"], r["item_id"])):
        path = root / r["source"] / f"{r['item_id']}.txt"
        if path.exists():
            out.append(LabeledFile(r["source"], r["item_id"], path.read_bytes(), r["cluster"]))
    return out


def read_seeds(root: Path = SEEDS) -> list[LabeledFile]:
    """The seed stories, each its own cluster; empty when absent."""
    return [LabeledFile("seed", p.stem, p.read_bytes(), p.stem) for p in sorted(root.glob("*.txt"))]


def word_shingles(text: str, size: int) -> frozenset[tuple[str, ...]]:
    """Lower-cased ``\\w+`` word ``size``-grams: the plain measure the labels are judged on."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) < size:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def pair_overlaps(
    sets: Sequence[frozenset[tuple[str, ...]]],
    groups: Sequence[str] | None = None,
    max_postings: int = 50,
) -> dict[tuple[int, int], int]:
    """Shared-shingle counts of every pair (i < j) sharing at least one shingle.

    Through an inverted index, not all pairs: a shingle held by more than ``max_postings``
    stories (boiler-plate) is skipped, which costs nothing for the pairs that matter (they
    share hundreds of others). With ``groups``, only pairs within one group are counted.
    """
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, shingles in enumerate(sets):
        for shingle in shingles:
            postings[shingle].append(i)
    counts: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if 1 < len(members) <= max_postings:
            for a, b in combinations(members, 2):
                if groups is None or groups[a] == groups[b]:
                    counts[a, b] += 1
    return dict(counts)
