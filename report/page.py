"""The report page: the data and the charts' geometry, rendered through one Jinja2 template.

The template (templates/report.html.j2) holds the whole page, its CSS and its SVG, so the
page changes there. It is rendered with autoescaping on: every text that comes from the data
is escaped, whatever the template does with it. Undefined names are errors, not blanks.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jinja2

from report import charts, data
from report.diff import word_diff
from storage.root import StorageRoot
from storage.stories import STORIES

__all__ = ["REPORT_PATH", "render_report", "write_report"]

#: Where ``write_report`` puts the page under the storage root unless told otherwise.
REPORT_PATH = "reports/latest.html"


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Coordinates to a tenth of a pixel: enough for a chart, and a stable page.
    environment.filters["px"] = lambda value: f"{value:.1f}"
    return environment.get_template("report.html.j2")


def render_report(root: StorageRoot, generated_at: datetime | None = None) -> str:
    """The report of the dataset under ``root`` as one HTML page."""
    generated_at = generated_at or datetime.now(UTC)
    table = data.read_table(root)
    context: dict[str, object] = {
        "root": root.display(),
        "generated": generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "data_link": _uri(root, STORIES),
        "empty": table.num_rows == 0,
    }
    if table.num_rows:
        clusters = data.clusters(table)
        largest = str(clusters.top[0]["cluster_id"])
        versions = data.versions(root, table, largest)
        firsts = data.first_stories(table, [str(c["cluster_id"]) for c in clusters.top])
        texts = data.texts(root, list(firsts.values()))
        context.update(
            overview=data.overview(table, clusters),
            per_day=charts.per_day(data.day_counts(table)),
            sizes=charts.sizes(clusters),
            largest=largest,
            timeline=charts.timeline(versions),
            changes=[
                (before, after, word_diff(before.text, after.text))
                for before, after in itertools.pairwise(versions)
            ],
            top=[
                (c, _title(*texts.get(firsts.get(str(c["cluster_id"]), ""), ("", ""))))
                for c in clusters.top
            ],
        )
    return _template().render(context)


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


def _title(headline: str, body: str) -> str:
    """The first version's headline, or the first words of its body."""
    words = body.split()
    return headline or " ".join(words[:14]) + ("…" if len(words) > 14 else "")


def _uri(root: StorageRoot, relpath: str) -> str:
    if root.local_path is not None:
        return (root.local_path / relpath).as_uri()
    return f"{root.uri.rstrip('/')}/{relpath}"
