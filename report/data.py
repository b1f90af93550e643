"""What the report reads from the stored ``stories/`` dataset, aggregated in Arrow.

Aggregations run as Arrow group-bys, and only the texts of the stories the page shows are read,
so drawing the page stays cheap on a large dataset. Nothing here knows about HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from storage.root import StorageRoot
from storage.stories import stories_dataset

__all__ = [
    "TOP_REPORTS",
    "Clusters",
    "DayCount",
    "Overview",
    "Version",
    "clusters",
    "day_counts",
    "first_stories",
    "overview",
    "read_table",
    "texts",
    "versions",
]

#: Rows of the table of largest reports.
TOP_REPORTS = 20

_COLUMNS = [
    "story_id",
    "source",
    "item_id",
    "version",
    "cluster_id",
    "dup_kind",
    "similarity",
    "published_at",
    "story_date",
    "pubstatus",
]


@dataclass(frozen=True)
class Clusters:
    """What the page shows of the clusters: kept in Arrow until then, never one dict each."""

    count: int
    #: The ``TOP_REPORTS`` largest (versions, first, last, sources), the largest first.
    top: list[dict[str, Any]]
    #: Number of versions -> number of clusters of that size.
    sizes: dict[int, int]


@dataclass(frozen=True)
class Overview:
    """The sentence at the top of the page."""

    stories: int
    clusters: int
    duplicates: int
    sources: int
    first_day: date
    last_day: date
    days: int


@dataclass(frozen=True)
class DayCount:
    """Stories of one source on one story date, and how many of them joined a report."""

    day: date
    source: str
    stories: int
    duplicates: int


@dataclass(frozen=True)
class Version:
    """One stored version of a report, with its text for the diff."""

    story_id: str
    source: str
    item_id: str
    version: int
    dup_kind: str | None
    similarity: float | None
    when: datetime
    text: str


def read_table(root: StorageRoot) -> pa.Table:
    """The light columns of every stored story (no headline, no body)."""
    return stories_dataset(root).to_table(columns=_COLUMNS)


def clusters(table: pa.Table) -> Clusters:
    """Cluster sizes and the largest clusters (size, first and last time, sources)."""
    when = _when_column(table)
    grouped = (
        table.append_column("when", when)
        .group_by("cluster_id")
        .aggregate(
            [
                ("story_id", "count"),
                ("when", "min"),
                ("when", "max"),
                ("source", "count_distinct"),
            ]
        )
        .rename_columns(["cluster_id", "versions", "first", "last", "sources"])
    )
    # Largest first; ties by the earlier report, then by id, so the page is deterministic.
    ordered = grouped.sort_by(
        [("versions", "descending"), ("first", "ascending"), ("cluster_id", "ascending")]
    )
    counts = pc.value_counts(ordered.column("versions")).to_pylist()
    return Clusters(
        count=ordered.num_rows,
        top=ordered.slice(0, TOP_REPORTS).to_pylist(),
        sizes={int(c["values"]): int(c["counts"]) for c in counts},
    )


def overview(table: pa.Table, found: Clusters) -> Overview:
    """Counts of stories, reports, duplicates, sources and days."""
    duplicates = table.num_rows - int(pc.sum(pc.is_null(table.column("dup_kind"))).as_py() or 0)
    days = pc.unique(table.column("story_date"))
    return Overview(
        stories=table.num_rows,
        clusters=found.count,
        duplicates=duplicates,
        sources=len(pc.unique(table.column("source"))),
        first_day=pc.min(days).as_py(),
        last_day=pc.max(days).as_py(),
        days=len(days),
    )


def day_counts(table: pa.Table) -> list[DayCount]:
    """Stories and duplicates per story date and source."""
    dup = pc.cast(pc.is_valid(table.column("dup_kind")), pa.int64())
    rows = (
        table.select(["story_date", "source"])
        .append_column("dup", dup)
        .group_by(["story_date", "source"])
        .aggregate([("dup", "count"), ("dup", "sum")])
        .rename_columns(["story_date", "source", "stories", "duplicates"])
        .to_pylist()
    )
    return [
        DayCount(r["story_date"], r["source"], int(r["stories"]), int(r["duplicates"]))
        for r in rows
    ]


def versions(root: StorageRoot, table: pa.Table, cluster_id: str) -> list[Version]:
    """The versions of one report in time order, with their texts."""
    rows = table.filter(pc.equal(table.column("cluster_id"), cluster_id))
    rows = rows.append_column("when", _when_column(rows)).to_pylist()
    found = texts(root, [r["story_id"] for r in rows])
    return sorted(
        (
            Version(
                story_id=r["story_id"],
                source=r["source"],
                item_id=r["item_id"],
                version=int(r["version"]),
                dup_kind=r["dup_kind"],
                similarity=r["similarity"],
                when=r["when"],
                text="\n".join(t for t in found.get(r["story_id"], ("", "")) if t),
            )
            for r in rows
        ),
        key=lambda v: (v.when, v.source, v.item_id, v.version),
    )


def texts(root: StorageRoot, story_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(headline, body) of the given stories only: the texts are the heavy columns."""
    if not story_ids:
        return {}
    wanted = pa.array(sorted(set(story_ids)), type=pa.string())
    rows = (
        stories_dataset(root)
        .to_table(
            columns=["story_id", "headline", "body"], filter=ds.field("story_id").isin(wanted)
        )
        .to_pylist()
    )
    return {r["story_id"]: (r["headline"] or "", r["body"] or "") for r in rows}


def first_stories(table: pa.Table, cluster_ids: list[str]) -> dict[str, str]:
    """cluster_id -> story_id of its earliest story, for the given clusters."""
    rows = table.filter(pc.is_in(table.column("cluster_id"), pa.array(cluster_ids)))
    rows = rows.append_column("when", _when_column(rows)).select(["cluster_id", "story_id", "when"])
    out: dict[str, tuple[datetime, str]] = {}
    for r in rows.to_pylist():
        key = (r["when"], r["story_id"])
        if r["cluster_id"] not in out or key < out[r["cluster_id"]]:
            out[r["cluster_id"]] = key
    return {c: sid for c, (_, sid) in out.items()}


def _when_column(table: pa.Table) -> pa.Array:
    """published_at, or midnight UTC of story_date where a story has no time."""
    published = table.column("published_at").cast(pa.timestamp("us", tz="UTC"))
    midnight = table.column("story_date").cast(pa.timestamp("s")).cast(pa.timestamp("us", tz="UTC"))
    return pc.coalesce(published, midnight)
