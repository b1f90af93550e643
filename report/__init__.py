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

Presentation, not storage: it reads the dataset through ``storage`` and nothing in ``storage``
knows it. ``data`` aggregates, ``charts`` lays the charts out, ``diff`` compares versions, and
``page`` renders templates/report.html.j2 with Jinja2.
"""

from report.data import TOP_REPORTS
from report.page import REPORT_PATH, render_report, write_report

__all__ = ["REPORT_PATH", "TOP_REPORTS", "render_report", "write_report"]
