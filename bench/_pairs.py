"""Labeled real pairs: same report or not, on copy read where it lies, split before tuning.

The labels are pointers and a verdict only (``bench/labels/*.csv``: the two documents' ids in
their corpus, ``same`` 1 or 0, and the class); no text of ``../shared`` is in the project.

- ``ap89_pairs.csv``: pairs of AP stories of 1-5 January 1989 (``DOCNO``s). Candidates were
  every pair sharing a slug (cycle prefix and version notes aside), a recurring-report family
  (``WallStreet10am``..``WallStreetClosing``, ``BoardofTrade``, ``CommodityRdp``,
  ``Dollar-Yen``...) or at least 8% of their word 3-grams; each was labeled by reading slug,
  ``Eds:`` note, headline and lead. Classes: ``reissue`` (sent twice), ``update`` (a write-thru
  in the same cycle, a market report updated through one trading day), ``cycle rewrite`` (the
  same news rewritten for the next cycle, often under another slug), ``template trap`` (a
  recurring report of another day: markets, grain sales, weekend columns), ``related`` (the
  same running story or subject, other news). Digests and roundups that hold a brief of a
  story (``DigestBriefs``, ``BusinessHighlights``, ``Deaths``), multi-take items and pairs the
  reading left unsure were left out. 40 of the ``related`` pairs are a seeded sample of the
  same-slug pairs two or more cycles apart with under 8% shared 3-grams.
- ``helsinki_pairs.csv``: pairs of the Helsinki summit set (``id``s), a seeded sample over
  three bands of overlap, labeled by reading headline, byline and lead; the unsure left out.
- ``../shared/fixtures/text/clusters.csv``: every pair of the 20 text fixtures (7 clusters):
  the same AFP/ATS copy republished (``reissue``, or ``brief`` where one keeps under 70% of
  the other's words); pairs across clusters are different reports (``related``).

The split is fixed before any rule is written: a pair is held out when sha256 of its case id
(``corpus:a|b``) is 0 mod 3. Development reads the dev part only; ``bench.quality`` reports
both and the held-out figure is the one that counts.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

from bench._corpus import (
    AP89,
    FIXTURES_TEXT,
    HELSINKI,
    PROJECT,
    Ap89Doc,
    HelsinkiArticle,
    read_ap89,
    read_fixtures_text,
    read_helsinki,
)
from bench.quality import _raw
from record.story import RawItem

__all__ = [
    "CLASSES",
    "LABELS",
    "Pair",
    "RealPairs",
    "held_out",
    "read_real_pairs",
]

LABELS = PROJECT / "bench" / "labels"
#: The classes a pair is reported under (positives first).
CLASSES = (
    "reissue",
    "brief",
    "update",
    "correction",
    "combination",
    "cycle rewrite",
    "template trap",
    "related",
)


def held_out(case_id: str) -> bool:
    """Whether a case is in the held-out part: sha256 of its id is 0 mod 3."""
    return int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % 3 == 0


@dataclass(frozen=True)
class Pair:
    """One labeled pair: the keys of its two payloads (``source/item_id``), verdict, class."""

    corpus: str
    a: str
    b: str
    same: bool
    cls: str

    @property
    def case_id(self) -> str:
        return f"{self.corpus}:{self.a}|{self.b}"

    @property
    def held_out(self) -> bool:
        return held_out(self.case_id)


@dataclass
class RealPairs:
    """The labeled pairs and the payloads they point to (rendered in memory only)."""

    pairs: list[Pair]
    raws: dict[str, RawItem]
    skipped: list[str]

    def part(self, held: bool) -> list[Pair]:
        return [p for p in self.pairs if p.held_out == held]

    def raws_of(self, pairs: Sequence[Pair]) -> list[RawItem]:
        keys = sorted({k for p in pairs for k in (p.a, p.b)})
        return [self.raws[k] for k in keys]


def _ninjs_raw(
    source: str, item_id: str, headline: str, paragraphs: Sequence[str], created: datetime | None
) -> RawItem:
    # A ninjs item: the headline, the paragraphs as HTML, the document's own time.
    item = {
        "uri": item_id,
        "type": "text",
        "version": "1",
        "pubstatus": "usable",
        "versioncreated": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if created
        else None,
        "language": "en",
        "headline": headline,
        "body_html": "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
    }
    return _raw(source, item_id, json.dumps(item).encode(), "ninjs")


def _ap89_raw(doc: Ap89Doc) -> RawItem:
    # AP's own send time; the dateline leads the first paragraph.
    sent = datetime.fromisoformat(doc.sent) if doc.sent else None
    paragraphs = (f"{doc.dateline} _ {doc.paragraphs[0]}", *doc.paragraphs[1:])
    return _ninjs_raw("ap89", doc.docno, doc.headline, paragraphs, sent)


def _helsinki_raw(article: HelsinkiArticle) -> RawItem:
    head, *rest = article.segments
    scraped = datetime.fromisoformat(article.scrape_time)
    return _ninjs_raw(f"helsinki-{article.publisher}", article.id, head, rest or [head], scraped)


def _read_labels(name: str) -> list[tuple[str, str, bool, str]]:
    with (LABELS / name).open(encoding="utf-8", newline="") as handle:
        return [(r["a"], r["b"], r["same"] == "1", r["class"]) for r in csv.DictReader(handle)]


def read_real_pairs(
    ap89: Path = AP89, helsinki: Path = HELSINKI, fixtures: Path = FIXTURES_TEXT
) -> RealPairs:
    """Every labeled real pair whose corpus is present, with its payloads."""
    out = RealPairs([], {}, [])
    docs = {d.docno: d for d in read_ap89(ap89)}
    if docs:
        for a, b, same, cls in _read_labels("ap89_pairs.csv"):
            out.pairs.append(Pair("ap89", f"ap89/{a}", f"ap89/{b}", same, cls))
            for docno in (a, b):
                if f"ap89/{docno}" not in out.raws:
                    out.raws[f"ap89/{docno}"] = _ap89_raw(docs[docno])
    else:
        out.skipped.append(f"{ap89} is absent: no AP pairs")
    articles = {a.id: a for a in read_helsinki(helsinki)}
    if articles:
        for a, b, same, cls in _read_labels("helsinki_pairs.csv"):
            raws = [_helsinki_raw(articles[a]), _helsinki_raw(articles[b])]
            keys = [f"{r.source}/{r.item_id}" for r in raws]
            out.pairs.append(Pair("helsinki", keys[0], keys[1], same, cls))
            out.raws.update(zip(keys, raws, strict=True))
    else:
        out.skipped.append(f"{helsinki} is absent: no Helsinki pairs")
    files = read_fixtures_text(fixtures)
    if files:
        for f in files:
            out.raws[f"fixtures/{f.item_id}"] = _raw("fixtures", f.item_id, f.data, "text")
        for x, y in combinations(files, 2):
            if x.cluster == y.cluster:
                wx, wy = len(x.data.split()), len(y.data.split())
                cls = "brief" if min(wx, wy) < 0.7 * max(wx, wy) else "reissue"
            else:
                cls = "related"
            out.pairs.append(
                Pair(
                    "fixtures",
                    f"fixtures/{x.item_id}",
                    f"fixtures/{y.item_id}",
                    x.cluster == y.cluster,
                    cls,
                )
            )
    else:
        out.skipped.append(f"{fixtures} is absent: no fixture pairs")
    return out
