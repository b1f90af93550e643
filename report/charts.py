"""The geometry of the page's three SVG charts: where each bar, tick and mark goes.

Plain numbers and texts only; the template (templates/report.html.j2) draws them and escapes
every text that comes from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from report.data import Clusters, DayCount, Version

__all__ = [
    "Axis",
    "Bar",
    "DayGroup",
    "Mark",
    "PerDay",
    "SizeBar",
    "Sizes",
    "Tick",
    "Timeline",
    "per_day",
    "sizes",
    "timeline",
]

# Colour-blind-safe palette (Okabe-Ito), one colour per source in name order.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
# Cluster sizes above this share one last histogram bar, so one huge report cannot stretch
# the chart to hundreds of empty bars.
MAX_SIZE_BINS = 20


@dataclass(frozen=True)
class Axis:
    """A left axis from 0 to ``top`` with a few integer ticks and light grid lines."""

    left: int
    y0: int
    plot_h: int
    right: int
    #: (value, y) of each tick.
    ticks: tuple[tuple[int, float], ...]


def _axis(left: int, y0: int, plot_h: int, top: int, width: int) -> Axis:
    step = max(1, -(-top // 4))
    ticks = tuple((v, y0 - plot_h * v / top) for v in range(0, top + 1, step))
    return Axis(left=left, y0=y0, plot_h=plot_h, right=width - 10, ticks=ticks)


@dataclass(frozen=True)
class Bar:
    """One source's bar on one day: the solid part first stories, the pale part duplicates."""

    source: str
    stories: int
    duplicates: int
    x: int
    width: int
    y_all: float
    h_first: float
    y_dup: float
    h_dup: float
    colour: str


@dataclass(frozen=True)
class DayGroup:
    day: str
    label: str
    label_x: float
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class PerDay:
    """Chart 1: a group per day, in it a bar per source."""

    width: int
    height: int
    axis: Axis
    days: tuple[DayGroup, ...]
    #: (source, colour) in name order.
    legend: tuple[tuple[str, str], ...]


def per_day(counts: list[DayCount]) -> PerDay:
    days = sorted({c.day for c in counts})
    sources = sorted({c.source for c in counts})
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    cell = {(c.day, c.source): c for c in counts}
    top = max(c.stories for c in counts)
    bar, gap, plot_h, left, bottom = 16, 14, 220, 40, 40
    group_w = len(sources) * bar + gap
    width = left + len(days) * group_w + 10
    y0 = 10 + plot_h
    groups = []
    for d_index, day in enumerate(days):
        x_day = left + gap // 2 + d_index * group_w
        bars = []
        for s_index, source in enumerate(sources):
            found = cell.get((day, source))
            if found is None:
                continue
            h_all = plot_h * found.stories / top
            h_dup = plot_h * found.duplicates / top
            bars.append(
                Bar(
                    source=source,
                    stories=found.stories,
                    duplicates=found.duplicates,
                    x=x_day + s_index * bar,
                    width=bar - 2,
                    y_all=y0 - h_all,
                    h_first=h_all - h_dup,
                    y_dup=y0 - h_dup,
                    h_dup=h_dup,
                    colour=colour[source],
                )
            )
        groups.append(
            DayGroup(
                day=str(day),
                label=day.strftime("%m-%d"),
                label_x=x_day + len(sources) * bar / 2,
                label_y=y0 + 16,
                bars=tuple(bars),
            )
        )
    return PerDay(
        width=width,
        height=plot_h + bottom + 20,
        axis=_axis(left, y0, plot_h, top, width),
        days=tuple(groups),
        legend=tuple((s, colour[s]) for s in sources),
    )


@dataclass(frozen=True)
class SizeBar:
    size: str
    clusters: int
    x: int
    width: int
    y: float
    height: float


@dataclass(frozen=True)
class Sizes:
    """Chart 2: how many reports have each number of versions."""

    width: int
    height: int
    axis: Axis
    bars: tuple[SizeBar, ...]
    clusters: int


def sizes(found: Clusters) -> Sizes:
    by_size: dict[str, int] = {}
    largest = max(found.sizes)
    bins = [str(n) for n in range(1, min(largest, MAX_SIZE_BINS) + 1)]
    if largest > MAX_SIZE_BINS:
        bins.append(f"{MAX_SIZE_BINS + 1}+")
    for n, count in found.sizes.items():
        key = str(n) if n <= MAX_SIZE_BINS else f"{MAX_SIZE_BINS + 1}+"
        by_size[key] = by_size.get(key, 0) + count
    top = max(by_size.values())
    bar, plot_h, left = 36, 180, 40
    width = left + len(bins) * (bar + 8) + 10
    # Room above the tallest bar for its count.
    y0 = 24 + plot_h
    bars = []
    for i, size in enumerate(bins):
        count = by_size.get(size, 0)
        h = plot_h * count / top
        bars.append(SizeBar(size, count, left + 6 + i * (bar + 8), bar, y0 - h, h))
    return Sizes(
        width=width,
        height=y0 + 44,
        axis=_axis(left, y0, plot_h, top, width),
        bars=tuple(bars),
        clusters=found.count,
    )


@dataclass(frozen=True)
class Tick:
    x: float
    anchor: str
    label: str


@dataclass(frozen=True)
class Mark:
    """One version on the timeline, its label to the right of the plot."""

    version: Version
    kind: str
    x: float
    y: int
    label: str
    colour: str


@dataclass(frozen=True)
class Timeline:
    """Chart 3: the versions of one report in time."""

    width: int
    height: int
    left: int
    plot_w: int
    axis_y: int
    ticks: tuple[Tick, ...]
    marks: tuple[Mark, ...]


def timeline(versions: list[Version]) -> Timeline:
    start, end = versions[0].when, versions[-1].when
    span = (end - start).total_seconds()
    left, right, row_h, plot_w = 20, 20, 34, 560
    label_w = 420
    height = 40 + len(versions) * row_h + 30
    axis_y = height - 30
    ticks = []
    for fraction in (0.0, 0.5, 1.0) if span else (0.5,):
        tick = start + timedelta(seconds=span * fraction)
        ticks.append(
            Tick(
                x=left + plot_w * fraction,
                anchor={0.0: "start", 1.0: "end"}.get(fraction, "middle"),
                label=tick.strftime("%Y-%m-%d %H:%M"),
            )
        )
    marks = []
    for i, v in enumerate(versions):
        kind = v.dup_kind or "first"
        figure = f" {v.similarity:.2f}" if v.similarity is not None and v.dup_kind else ""
        marks.append(
            Mark(
                version=v,
                kind=kind,
                x=left + (plot_w * (v.when - start).total_seconds() / span if span else plot_w / 2),
                y=30 + i * row_h,
                label=f"{i + 1}. {v.source}/{v.item_id} · {kind}{figure}",
                colour="#D55E00" if v.dup_kind is None else "#0072B2",
            )
        )
    return Timeline(
        width=left + plot_w + label_w + right,
        height=height,
        left=left,
        plot_w=plot_w,
        axis_y=axis_y,
        ticks=tuple(ticks),
        marks=tuple(marks),
    )
