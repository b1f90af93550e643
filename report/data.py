"""The HTML report: one self-contained page an analyst opens instead of writing queries.

It shows, from the stored ``stories/`` dataset alone:

1. stories and duplicates per source per day (stacked bars: the stories that started a report,
   and on top of them the ones that joined one);
2. the distribution of cluster sizes (how many reports have 1, 2, 3... versions);
3. the largest report's versions on a timeline, and a word-level diff between consecutive
   versions (what each one added and removed);
4. a table of the 20 largest reports.

The page is one file with inline CSS and SVG: no script, no font, nothing fetched, so it opens
offline, from an object store or as a mail attachment. Every text that comes from the data is
escaped. The only links lead to the data itself.

Aggregations run in Arrow (group-by), and only the texts of the stories shown are read, so the
page stays cheap on a large dataset.
"""

from __future__ import annotations

import difflib
import html
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from storage.root import StorageRoot
from storage.stories import STORIES, stories_dataset

__all__ = ["REPORT_PATH", "TOP_REPORTS", "render_report", "write_report"]

#: Where ``write_report`` puts the page under the storage root unless told otherwise.
REPORT_PATH = "reports/latest.html"
#: Rows of the table of largest reports.
TOP_REPORTS = 20
# Cluster sizes above this share one last histogram bar, so one huge report cannot stretch
# the chart to hundreds of empty bars.
_MAX_SIZE_BINS = 20
# In a diff, a run of unchanged words longer than this shows only its ends.
_CONTEXT_WORDS = 6

# Colour-blind-safe palette (Okabe-Ito), one colour per source in name order.
_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

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

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f;
       margin: 2em auto; max-width: 1100px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
.meta { color: #555; }
.chart { overflow-x: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg .axis { stroke: #999; }
.legend span { display: inline-block; margin-right: 1.2em; }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em;
          margin-right: .3em; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #eee;
         vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .92em; }
.diff { background: #fafafa; border: 1px solid #eee; padding: .6em .8em; border-radius: 4px; }
ins { background: #d4f7d4; text-decoration: none; }
del { background: #fbd5d5; }
.gap { color: #999; }
"""


@dataclass(frozen=True)
class _Version:
    story_id: str
    source: str
    item_id: str
    version: int
    dup_kind: str | None
    similarity: float | None
    when: datetime
    text: str


def render_report(root: StorageRoot, generated_at: datetime | None = None) -> str:
    """The report of the dataset under ``root`` as one HTML page."""
    generated_at = generated_at or datetime.now(UTC)
    table = stories_dataset(root).to_table(columns=_COLUMNS)
    data_link = _uri(root, STORIES)
    head = (
        f"<h1>Wiredup report</h1>\n<p class='meta'>{_e(root.display())} &middot; generated "
        f"{_e(generated_at.strftime('%Y-%m-%d %H:%M UTC'))} &middot; "
        f"<a href='{_e(data_link)}'>stories/</a></p>\n"
    )
    if table.num_rows == 0:
        body = head + "<p>No story is stored yet: run <code>wiredup run</code> first.</p>"
        return _page(body)
    clusters = _clusters(table)
    largest = clusters.top[0]["cluster_id"]
    sections = [
        head,
        _overview(table, clusters),
        _per_day_section(table),
        _sizes_section(clusters),
        _timeline_section(root, table, str(largest)),
        _top_section(root, table, clusters.top),
    ]
    return _page("\n".join(sections))


def write_report(root: StorageRoot, out: str | os.PathLike[str] | None = None) -> str:
    """Render the report and write it atomically; return where it went (a path or URI).

    By default the page goes to ``<root>/reports/latest.html``, beside the data it shows.
    """
    page = render_report(root).encode("utf-8")
    if out is None:
        root.write_bytes(REPORT_PATH, page)
        return root.display(REPORT_PATH)
    target = os.fspath(out)
    if "://" in target and not target.startswith("file://"):
        parent, _, name = target.rstrip("/").rpartition("/")
        StorageRoot(parent).write_bytes(name, page)
        return target
    path = Path(target.removeprefix("file://")).resolve()
    StorageRoot(path.parent).write_bytes(path.name, page)
    return str(path)


# -- data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clusters:
    """What the page shows of the clusters: kept in Arrow until then, never one dict each."""

    count: int
    #: The ``TOP_REPORTS`` largest (versions, first, last, sources), the largest first.
    top: list[dict[str, Any]]
    #: Number of versions -> number of clusters of that size.
    sizes: dict[int, int]


def _clusters(table: pa.Table) -> _Clusters:
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
    return _Clusters(
        count=ordered.num_rows,
        top=ordered.slice(0, TOP_REPORTS).to_pylist(),
        sizes={int(c["values"]): int(c["counts"]) for c in counts},
    )


def _when_column(table: pa.Table) -> pa.Array:
    """published_at, or midnight UTC of story_date where a story has no time."""
    published = table.column("published_at").cast(pa.timestamp("us", tz="UTC"))
    midnight = table.column("story_date").cast(pa.timestamp("s")).cast(pa.timestamp("us", tz="UTC"))
    return pc.coalesce(published, midnight)


def _texts(root: StorageRoot, story_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
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


# -- sections ----------------------------------------------------------------------------------


def _overview(table: pa.Table, clusters: _Clusters) -> str:
    duplicates = table.num_rows - int(pc.sum(pc.is_null(table.column("dup_kind"))).as_py() or 0)
    days = pc.unique(table.column("story_date"))
    sources = pc.unique(table.column("source"))
    first, last = pc.min(days).as_py(), pc.max(days).as_py()
    return (
        f"<p><b>{table.num_rows}</b> stories in <b>{clusters.count}</b> reports "
        f"(<b>{duplicates}</b> joined an earlier story) from <b>{len(sources)}</b> sources, "
        f"{_e(str(first))} to {_e(str(last))} ({len(days)} days).</p>"
    )


def _per_day_section(table: pa.Table) -> str:
    """Chart 1: a group per day, in it a bar per source: first stories, then duplicates."""
    dup = pc.cast(pc.is_valid(table.column("dup_kind")), pa.int64())
    counts = (
        table.select(["story_date", "source"])
        .append_column("dup", dup)
        .group_by(["story_date", "source"])
        .aggregate([("dup", "count"), ("dup", "sum")])
        .rename_columns(["story_date", "source", "stories", "duplicates"])
        .to_pylist()
    )
    days = sorted({r["story_date"] for r in counts})
    sources = sorted({r["source"] for r in counts})
    colour = {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(sources)}
    cell = {(r["story_date"], r["source"]): r for r in counts}
    top = max(r["stories"] for r in counts)
    bar, gap, plot_h, left, bottom = 16, 14, 220, 40, 40
    group_w = len(sources) * bar + gap
    width = left + len(days) * group_w + 10
    height = plot_h + bottom + 20
    y0 = 10 + plot_h
    parts = [_y_axis(left, y0, plot_h, top, width)]
    for d_index, day in enumerate(days):
        x_day = left + gap // 2 + d_index * group_w
        bars = []
        for s_index, source in enumerate(sources):
            row = cell.get((day, source))
            if row is None:
                continue
            stories, dups = int(row["stories"]), int(row["duplicates"])
            x = x_day + s_index * bar
            h_all = plot_h * stories / top
            h_dup = plot_h * dups / top
            tip = _e(f"{day} {source}: {stories} stories, {dups} duplicates")
            bars.append(
                f"<g class='bar' data-source='{_e(source)}' data-stories='{stories}' "
                f"data-duplicates='{dups}'><title>{tip}</title>"
                f"<rect x='{x}' y='{y0 - h_all:.1f}' width='{bar - 2}' "
                f"height='{h_all - h_dup:.1f}' fill='{colour[source]}'/>"
                f"<rect class='dup' x='{x}' y='{y0 - h_dup:.1f}' width='{bar - 2}' "
                f"height='{h_dup:.1f}' fill='{colour[source]}' fill-opacity='0.35' "
                f"stroke='{colour[source]}'/></g>"
            )
        label_x = x_day + len(sources) * bar / 2
        parts.append(
            f"<g class='day' data-day='{_e(str(day))}'>{''.join(bars)}"
            f"<text x='{label_x:.1f}' y='{y0 + 16}' text-anchor='end' "
            f"transform='rotate(-35 {label_x:.1f} {y0 + 16})'>{_e(day.strftime('%m-%d'))}</text>"
            "</g>"
        )
    legend = "".join(
        f"<span><i class='swatch' style='background:{colour[s]}'></i>{_e(s)}</span>"
        for s in sources
    )
    legend += (
        "<span><i class='swatch' style='background:#888;opacity:.35;border:1px solid #888'>"
        "</i>pale top: duplicates (joined an earlier story)</span>"
    )
    return (
        "<h2>Stories and duplicates per source per day</h2>\n"
        "<p>One group of bars per story date, one bar per source. The solid part counts the "
        "stories that started a report; the pale part on top, the ones that joined one "
        "(exact, near, containment or a new version).</p>\n"
        f"<p class='legend'>{legend}</p>\n"
        f"<div class='chart'><svg id='per-day' "
        f"width='{width}' height='{height}' role='img' "
        f"aria-label='stories and duplicates per source per day'>{''.join(parts)}</svg></div>"
    )


def _sizes_section(clusters: _Clusters) -> str:
    """Chart 2: how many reports have each number of versions."""
    by_size: dict[str, int] = {}
    largest = max(clusters.sizes)
    bins = [str(n) for n in range(1, min(largest, _MAX_SIZE_BINS) + 1)]
    if largest > _MAX_SIZE_BINS:
        bins.append(f"{_MAX_SIZE_BINS + 1}+")
    for n, count in clusters.sizes.items():
        key = str(n) if n <= _MAX_SIZE_BINS else f"{_MAX_SIZE_BINS + 1}+"
        by_size[key] = by_size.get(key, 0) + count
    top = max(by_size.values())
    bar, plot_h, left = 36, 180, 40
    width = left + len(bins) * (bar + 8) + 10
    # Room above the tallest bar for its count.
    y0 = 24 + plot_h
    parts = [_y_axis(left, y0, plot_h, top, width)]
    for i, size in enumerate(bins):
        count = by_size.get(size, 0)
        x = left + 6 + i * (bar + 8)
        h = plot_h * count / top
        parts.append(
            f"<g class='size' data-size='{size}' data-clusters='{count}'>"
            f"<title>{count} report(s) with {size} version(s)</title>"
            f"<rect x='{x}' y='{y0 - h:.1f}' width='{bar}' height='{h:.1f}' fill='#0072B2'/>"
            f"<text x='{x + bar / 2}' y='{y0 - h - 4:.1f}' text-anchor='middle'>{count}</text>"
            f"<text x='{x + bar / 2}' y='{y0 + 16}' text-anchor='middle'>{size}</text></g>"
        )
    parts.append(
        f"<text x='{left + (width - left) / 2:.1f}' y='{y0 + 34}' text-anchor='middle'>"
        "versions per report</text>"
    )
    return (
        "<h2>Cluster sizes</h2>\n"
        f"<p>How many reports (clusters) have 1, 2, 3&hellip; versions; {clusters.count} "
        "reports in all. A report of one version was carried by one source only.</p>\n"
        f"<div class='chart'><svg id='cluster-sizes' "
        f"width='{width}' height='{y0 + 44}' role='img' aria-label='cluster size histogram'>"
        f"{''.join(parts)}</svg></div>"
    )


def _timeline_section(root: StorageRoot, table: pa.Table, cluster_id: str) -> str:
    """Chart 3: the versions of one report in time, and what changed between them."""
    rows = table.filter(pc.equal(table.column("cluster_id"), cluster_id))
    rows = rows.append_column("when", _when_column(rows)).to_pylist()
    texts = _texts(root, [r["story_id"] for r in rows])
    versions = sorted(
        (
            _Version(
                story_id=r["story_id"],
                source=r["source"],
                item_id=r["item_id"],
                version=int(r["version"]),
                dup_kind=r["dup_kind"],
                similarity=r["similarity"],
                when=r["when"],
                text="\n".join(t for t in texts.get(r["story_id"], ("", "")) if t),
            )
            for r in rows
        ),
        key=lambda v: (v.when, v.source, v.item_id, v.version),
    )
    start, end = versions[0].when, versions[-1].when
    span = (end - start).total_seconds()
    left, right, row_h, plot_w = 20, 20, 34, 560
    label_w = 420
    width = left + plot_w + label_w + right
    height = 40 + len(versions) * row_h + 30
    axis_y = height - 30
    parts = [
        f"<line class='axis' x1='{left}' y1='{axis_y}' x2='{left + plot_w}' y2='{axis_y}'/>",
    ]
    for fraction in (0.0, 0.5, 1.0) if span else (0.5,):
        tick = start + (end - start) * fraction
        x = left + plot_w * fraction
        anchor = {0.0: "start", 1.0: "end"}.get(fraction, "middle")
        parts.append(
            f"<line class='axis' x1='{x:.1f}' y1='{axis_y}' x2='{x:.1f}' y2='{axis_y + 5}'/>"
            f"<text x='{x:.1f}' y='{axis_y + 18}' text-anchor='{anchor}'>"
            f"{_e(tick.strftime('%Y-%m-%d %H:%M'))}</text>"
        )
    for i, v in enumerate(versions):
        x = left + (plot_w * (v.when - start).total_seconds() / span if span else plot_w / 2)
        y = 30 + i * row_h
        kind = v.dup_kind or "first"
        figure = f" {v.similarity:.2f}" if v.similarity is not None and v.dup_kind else ""
        label = f"{i + 1}. {v.source}/{v.item_id} · {kind}{figure}"
        colour = "#D55E00" if v.dup_kind is None else "#0072B2"
        parts.append(
            f"<g class='version' data-story-id='{_e(v.story_id)}' data-source='{_e(v.source)}' "
            f"data-item-id='{_e(v.item_id)}' data-dup-kind='{_e(kind)}' "
            f"data-published-at='{_e(v.when.isoformat())}'>"
            f"<title>{_e(v.when.strftime('%Y-%m-%d %H:%M UTC'))}</title>"
            f"<line class='axis' x1='{x:.1f}' y1='{y}' x2='{x:.1f}' y2='{axis_y}' "
            "stroke-dasharray='2 3'/>"
            f"<circle cx='{x:.1f}' cy='{y}' r='6' fill='{colour}'/>"
            f"<text x='{left + plot_w + 12}' y='{y + 4}'>{_e(label)}</text></g>"
        )
    diffs = []
    for before, after in itertools.pairwise(versions):
        words, added, removed = _word_diff(before.text, after.text)
        diffs.append(
            f"<div class='change' data-from='{_e(before.story_id)}' "
            f"data-to='{_e(after.story_id)}' data-added='{added}' data-removed='{removed}'>"
            f"<h3>{_e(after.source)}/{_e(after.item_id)} after {_e(before.source)}/"
            f"{_e(before.item_id)}: {added} word(s) added, {removed} removed</h3>"
            f"<p class='diff'>{words}</p></div>"
        )
    first = versions[0]
    return (
        "<h2>The largest report, version by version</h2>\n"
        f"<p>Report <code>{_e(cluster_id)}</code>: {len(versions)} versions, from "
        f"{_e(first.source)}/{_e(first.item_id)} on. Each row is a stored version at its "
        "publication time, labelled with its source, item and how it joined the report "
        "(with its similarity to the story it matched).</p>\n"
        f"<div class='chart'><svg id='timeline' "
        f"width='{width}' height='{height}' role='img' aria-label='versions on a timeline'>"
        f"{''.join(parts)}</svg></div>\n"
        "<p>What each version changed from the one before it "
        "(<ins>added</ins>, <del>removed</del>; long unchanged passages are shortened):</p>\n"
        + "\n".join(diffs)
    )


def _top_section(root: StorageRoot, table: pa.Table, top: list[dict[str, Any]]) -> str:
    """The largest reports: size, sources, span, and the first version's headline."""
    firsts = _first_stories(table, [str(c["cluster_id"]) for c in top])
    texts = _texts(root, list(firsts.values()))
    rows = []
    for c in top:
        headline, body = texts.get(firsts.get(str(c["cluster_id"]), ""), ("", ""))
        title = headline or " ".join(body.split()[:14]) + ("…" if len(body.split()) > 14 else "")
        rows.append(
            f"<tr data-cluster-id='{_e(str(c['cluster_id']))}'>"
            f"<td><code>{_e(str(c['cluster_id'])[:8])}</code></td>"
            f"<td class='n'>{int(c['versions'])}</td><td class='n'>{int(c['sources'])}</td>"
            f"<td>{_e(c['first'].strftime('%Y-%m-%d %H:%M'))}</td>"
            f"<td>{_e(c['last'].strftime('%Y-%m-%d %H:%M'))}</td><td>{_e(title)}</td></tr>"
        )
    return (
        f"<h2>The {len(top)} largest reports</h2>\n"
        "<table id='top-reports'><thead><tr><th>report</th><th>versions</th><th>sources</th>"
        "<th>first seen</th><th>last seen</th><th>first version</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _first_stories(table: pa.Table, cluster_ids: list[str]) -> dict[str, str]:
    """cluster_id -> story_id of its earliest story, for the given clusters."""
    rows = table.filter(pc.is_in(table.column("cluster_id"), pa.array(cluster_ids)))
    rows = rows.append_column("when", _when_column(rows)).select(["cluster_id", "story_id", "when"])
    out: dict[str, tuple[datetime, str]] = {}
    for r in rows.to_pylist():
        key = (r["when"], r["story_id"])
        if r["cluster_id"] not in out or key < out[r["cluster_id"]]:
            out[r["cluster_id"]] = key
    return {c: sid for c, (_, sid) in out.items()}


# -- rendering helpers -------------------------------------------------------------------------


def _word_diff(before: str, after: str) -> tuple[str, int, int]:
    """HTML of ``after`` against ``before`` word by word, and the counts added and removed."""
    a, b = before.split(), after.split()
    out: list[str] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = b[j1:j2]
            if len(same) > 2 * _CONTEXT_WORDS + 3:
                out.append(
                    _e(" ".join(same[:_CONTEXT_WORDS]))
                    + f" <span class='gap'>[… {len(same) - 2 * _CONTEXT_WORDS} words …]</span> "
                    + _e(" ".join(same[-_CONTEXT_WORDS:]))
                )
            else:
                out.append(_e(" ".join(same)))
            continue
        if i2 > i1:
            removed += i2 - i1
            out.append(f"<del>{_e(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            added += j2 - j1
            out.append(f"<ins>{_e(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out), added, removed


def _y_axis(left: int, y0: int, plot_h: int, top: int, width: int) -> str:
    """A left axis from 0 to ``top`` with a few integer ticks and light grid lines."""
    step = max(1, -(-top // 4))
    parts = [f"<line class='axis' x1='{left}' y1='{y0 - plot_h}' x2='{left}' y2='{y0}'/>"]
    for value in range(0, top + 1, step):
        y = y0 - plot_h * value / top
        parts.append(
            f"<line x1='{left}' y1='{y:.1f}' x2='{width - 10}' y2='{y:.1f}' stroke='#eee'/>"
            f"<text x='{left - 6}' y='{y + 4:.1f}' text-anchor='end'>{value}</text>"
        )
    parts.append(f"<line class='axis' x1='{left}' y1='{y0}' x2='{width - 10}' y2='{y0}'/>")
    return "".join(parts)


def _uri(root: StorageRoot, relpath: str) -> str:
    if root.local_path is not None:
        return (root.local_path / relpath).as_uri()
    return f"{root.uri.rstrip('/')}/{relpath}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _page(body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
        "<title>Wiredup report</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
