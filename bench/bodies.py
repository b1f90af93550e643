"""Every stored body is text: empty, HTML, entity and mojibake bodies over the real copy.

    PYTHONPATH=. .venv/bin/python -m bench.bodies [--show N]

Every file of ``../shared/fixtures`` (feeds, NewsML, NITF, ninjs, wire transmissions...) goes
through ``ingest.prepare`` as a payload whose format is detected from its content, exactly as a
directory source would hand it over; the feedparser cases' ``Header:`` comments give the
Content-Type they are meant to be served with. Every document of ``../shared/corpora`` goes
through ``ingest.prepare`` as a plain-text wire file (``date YYYY-MM-DD`` and its text), built in
memory. Nothing is copied into the project. The counts are of the usable stories that come out (a
kill or withhold is a signal that may carry no text, and is counted apart); the target is 0 of
each kind. The judges are independent of the rules they judge: a tag-shaped
regular expression, an entity-shaped one, U+FFFD, C1 controls, ftfy's badness measure and
charset-normalizer's mess ratio, and words that mix Latin letters with another script.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import ftfy
from charset_normalizer.md import mess_ratio

from ingest.prepare import prepare
from record.story import RawItem, Story

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
FIXTURES = SHARED / "fixtures"
CORPORA = SHARED / "corpora"
FETCHED = datetime(2026, 11, 20, 12, tzinfo=UTC)

# Files of the fixtures folders that describe them and are no payload.
_NOT_PAYLOADS = {"README.md", "SOURCES.md", "clusters.csv"}
_HEADER = re.compile(rb"^\s*Header:\s*Content-type:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)

_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!\[CDATA\[|\]\]>|<!--")
# WordPress shortcodes: a closing one, one with attributes, or a name with an underscore.
_SHORTCODE = re.compile(r"\[/[a-z_]+\]|\[[a-z_]+\s+[a-z_]+=[^\]]*\]|\[[a-z]+_[a-z_]+\]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An entity whose ampersand was lost on the way (" #39;s", " quot;They", "AT amp;T").
_LOST_AMPERSAND = re.compile(r"(?:(?<=\s)|^)(?:#[0-9]{2,4}|quot|amp|apos|nbsp);", re.MULTILINE)
_C1 = re.compile("[\x80-\x9f]")
_WORD = re.compile(r"[^\W\d_]+")


# Alphabets a mis-read byte turns a Latin letter into (Greek, Cyrillic, Hebrew, Arabic, Thai).
_OTHER_ALPHABET = re.compile("[\u0370-\u06ff\u0e00-\u0e7f]")


def _mixed_script(word: str) -> bool:
    """A word of four letters or more mixing ASCII letters with another alphabet's."""
    return (
        len(word) >= 4
        and _OTHER_ALPHABET.search(word) is not None
        and not word.isascii()
        and any(c.isascii() for c in word)
    )


def problems(body: str) -> list[str]:
    """The kinds of damage ``body`` shows (empty list: clean text)."""
    found = []
    if not body.strip():
        return ["empty"]
    if _TAG.search(body) or _SHORTCODE.search(body):
        found.append("html")
    if _ENTITY.search(body) or _LOST_AMPERSAND.search(body):
        found.append("entity")
    garbled = "\ufffd" in body or _C1.search(body) is not None or ftfy.is_bad(body)
    if not garbled and not body.isascii():
        garbled = mess_ratio(body, 0.3) >= 0.3 or any(map(_mixed_script, _WORD.findall(body)))
    if garbled:
        found.append("mojibake")
    return found


def fixture_payloads(root: Path = FIXTURES) -> Iterator[tuple[str, RawItem]]:
    """(collection, payload) of every file under the fixtures folder."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name in _NOT_PAYLOADS or "schemas" in path.parts:
            continue
        data = path.read_bytes()
        header = _HEADER.search(data[:1024])
        collection = "/".join(path.relative_to(root).parts[: 2 if "rss" in path.parts else 1])
        yield (
            collection,
            RawItem(
                source=collection,
                item_id=path.stem,
                data=data,
                fetched_at=FETCHED,
                location=str(path),
                content_type=header[1].decode("latin-1") if header else None,
            ),
        )


def _wire(collection: str, item_id: str, day: str, text: str) -> tuple[str, RawItem]:
    data = f"date {day}\n{text}".encode()
    raw = RawItem(collection, item_id, data, FETCHED, f"{collection}:{item_id}", format="text")
    return collection, raw


def _csv_rows(path: Path, **options: str) -> list[list[str]]:
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, **options))  # type: ignore[arg-type]


def corpus_payloads(root: Path = CORPORA) -> Iterator[tuple[str, RawItem]]:
    """(corpus, payload) of every document of the corpora, as plain-text wire files."""
    for path in sorted(root.glob("bbc/*/*.txt")):
        item_id = f"{path.parent.name}-{path.stem}"
        data = b"date 2005-03-01\n" + path.read_bytes()  # as stored: one file is cp1252
        yield "bbc", RawItem("bbc", item_id, data, FETCHED, f"bbc:{item_id}", format="text")
    doc = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL)
    for path in sorted(root.glob("ap89/ap89*")):
        for block in doc.findall(path.read_text(encoding="latin-1")):
            number = re.search(r"<DOCNO>\s*(\S+)", block)
            texts = re.findall(r"<TEXT>(.*?)</TEXT>", block, re.DOTALL)
            if number and texts:
                yield _wire("ap89", number[1], "1989-01-0" + path.name[-1], "\n\n".join(texts))
    if (agnews := root / "agnews" / "test.csv").exists():
        for number, row in enumerate(_csv_rows(agnews)[1:]):
            yield _wire("agnews", str(number), "2004-08-01", row[2].replace("\\", "\n"))
    if (helsinki := root / "helsinki" / "helsinki_articles.csv").exists():
        for row in _csv_rows(helsinki)[1:]:
            yield _wire("helsinki", row[0], "2018-07-15", row[3].replace(" ### ", "\n\n"))
    if (gnad := root / "10kgnad" / "test.csv").exists():
        rows = _csv_rows(gnad, delimiter=";", quotechar="'")
        for number, row in enumerate(rows):
            yield _wire("10kgnad", str(number), "2015-09-01", row[1])
    if (xd := root / "20min-xd" / "val_set.tsv").exists():
        rows = _csv_rows(xd, delimiter="\t")
        head = rows[0]
        for row in rows[1:]:
            fields = dict(zip(head, row, strict=False))
            for lang in ("de", "fr"):
                day = fields[f"pubtime_{lang}"][:10]
                yield _wire("20min-xd", fields[f"id_{lang}"], day, fields[f"content_{lang}"])
    for path in sorted(root.glob("clef-ats94/ATS.*")):
        yield _wire("clef-ats94", path.name, "1994-01-02", path.read_text(encoding="latin-1"))


def scan(
    payloads: Iterator[tuple[str, RawItem]],
) -> dict[str, tuple[Counter[str], list[tuple[list[str], str, Story]]]]:
    """Per collection: the counts (stories, rejects, each kind of damage) and the damaged ones."""
    out: dict[str, tuple[Counter[str], list[tuple[list[str], str, Story]]]] = defaultdict(
        lambda: (Counter(), [])
    )
    for collection, raw in payloads:
        stories, rejects = prepare([raw])
        counts, damaged = out[collection]
        counts["payloads"] += 1
        counts["stories"] += len(stories)
        counts["rejects"] += len(rejects)
        counts["no-text rejects"] += sum(r.reason.startswith("no text") for r in rejects)
        counts["charset-guessed"] += sum(
            any(f.startswith("charset-guessed:") for f in s.flags) for s in stories
        )
        for story in stories:
            if story.pubstatus != "usable":  # a kill or withhold is a signal, not text
                counts["kills/withholds"] += 1
                continue
            kinds = problems(story.body)
            counts.update(kinds)
            if kinds:
                damaged.append((kinds, raw.location, story))
    return out


_KINDS = ("empty", "html", "entity", "mojibake")


def report(
    results: dict[str, tuple[Counter[str], list[tuple[list[str], str, Story]]]], show: int
) -> Counter[str]:
    """Print one line a collection and a total; return the totals."""
    columns = (
        "payloads",
        "stories",
        "kills/withholds",
        "rejects",
        "no-text rejects",
        "charset-guessed",
        *_KINDS,
    )
    print(f"{'collection':<34}" + "".join(f"{c[:9]:>10}" for c in columns))
    total: Counter[str] = Counter()
    for name in sorted(results):
        counts = results[name][0]
        total.update(counts)
        print(f"{name:<34}" + "".join(f"{counts[c]:>10}" for c in columns))
    print(f"{'total':<34}" + "".join(f"{total[c]:>10}" for c in columns))
    print("target: 0 empty, 0 html, 0 entity, 0 mojibake")
    shown = 0
    for name in sorted(results):
        for kinds, location, story in results[name][1]:
            if shown >= show:
                return total
            shown += 1
            print(f"\n[{','.join(kinds)}] {location} {story.item_id}: {story.body[:300]!r}")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print the first N damaged bodies")
    parser.add_argument("--only", choices=("fixtures", "corpora"), default=None)
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: this benchmark reads real copy from ../shared.")
        return 0
    print("fixtures: every file of", FIXTURES)
    if args.only != "corpora":
        report(scan(fixture_payloads()), args.show)
    if args.only != "fixtures":
        print("\ncorpora: every document of", CORPORA)
        report(scan(corpus_payloads()), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
