"""Revisions: an item re-sent under a known key (source, item_id, version) with other text is
kept as a revision of that version, its own row linked to the earlier one, and counted; the
same text re-sent is already stored. Through ``pipeline.run_ingest`` and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from ingest import load_sources
from pipeline import run_ingest
from record.story import make_story_id
from storage import StorageRoot, read_runs, read_stories

# Copy composed for these tests.
_NINJS_TEXT = (
    "<p>The regional parliament voted on Thursday to extend the night train service to the "
    "coast for another three years, after a debate on the cost of the subsidy.</p>"
    "<p>The operator said tickets for the summer timetable would go on sale next month and "
    "that the sleeping cars would be refitted over the winter.</p>"
)
_NINJS_FIXED = _NINJS_TEXT.replace("three years", "four years").replace(
    "next month", "in two weeks"
)
_RSS_TEXT = (
    "Firefighters contained a forest fire that burned forty hectares of pine near the village "
    "of Aldeia on Wednesday. No homes were damaged, the civil protection office said, and the "
    "main road through the valley reopened in the evening."
)
_RSS_FIXED = _RSS_TEXT.replace("forty hectares", "fourteen hectares")


def _ninjs(body_html: str) -> str:
    return json.dumps(
        {
            "uri": "urn:example:wire:train-2026",
            "type": "text",
            "version": "2",
            "pubstatus": "usable",
            "versioncreated": "2026-11-19T09:30:00Z",
            "language": "en",
            "headline": "Night train to the coast extended",
            "body_html": body_html,
        }
    )


def _rss(description: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example wire</title><link>https://wire.example.org/</link>
<description>Example</description>
<item><title>Forest fire contained near Aldeia</title>
<guid isPermaLink="false">fire-aldeia-20261119</guid>
<pubDate>Thu, 19 Nov 2026 14:00:00 GMT</pubDate>
<description>{description}</description></item>
</channel></rss>
"""


def _layout(tmp_path: Path, ninjs_body: str, rss_body: str) -> Path:
    (tmp_path / "ninjs").mkdir(exist_ok=True)
    (tmp_path / "rss").mkdir(exist_ok=True)
    (tmp_path / "ninjs" / "train.json").write_text(_ninjs(ninjs_body), encoding="utf-8")
    (tmp_path / "rss" / "feed.xml").write_text(_rss(rss_body), encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "ninjs-wire"\nkind = "directory"\npath = "ninjs"\n'
        'pattern = "*.json"\nformat = "ninjs"\n\n'
        '[[source]]\nname = "rss-wire"\nkind = "directory"\npath = "rss"\n'
        'pattern = "*.xml"\nformat = "rss"\n',
        encoding="utf-8",
    )
    return sources


def _rows(root: Path) -> list[dict[str, object]]:
    table = read_stories(
        StorageRoot(str(root)),
        ["story_id", "source", "item_id", "version", "revision", "revision_of", "body",
         "cluster_id", "dup_kind", "dup_of"],
    )  # fmt: skip
    return sorted(table.to_pylist(), key=lambda r: (r["source"], r["revision"]))


def _check_revisions(rows: list[dict[str, object]]) -> None:
    assert len(rows) == 4
    for source in ("ninjs-wire", "rss-wire"):
        first, second = [r for r in rows if r["source"] == source]
        assert (first["revision"], second["revision"]) == (0, 1)
        assert first["version"] == second["version"]
        assert first["item_id"] == second["item_id"]
        # Revision 0 keeps the version's own key; revision 1 has its own, linked to it.
        assert first["story_id"] == make_story_id(source, str(first["item_id"]), 2 if source ==
                                                  "ninjs-wire" else 1)  # fmt: skip
        assert second["story_id"] == make_story_id(
            source,
            str(second["item_id"]),
            int(second["version"]),
            1,  # type: ignore[call-overload]
        )
        assert first["revision_of"] is None and second["revision_of"] == first["story_id"]
        assert first["body"] != second["body"]
        # The revision joins its version's cluster.
        assert second["cluster_id"] == first["cluster_id"]
        assert second["dup_kind"] == "version" and second["dup_of"] == first["story_id"]
    fixed = {r["source"]: r["body"] for r in rows if r["revision"] == 1}
    assert "four years" in str(fixed["ninjs-wire"])
    assert "fourteen hectares" in str(fixed["rss-wire"])


def test_a_resent_item_with_other_text_is_kept_as_a_revision(tmp_path: Path) -> None:
    sources = _layout(tmp_path, _NINJS_TEXT, _RSS_TEXT)
    root = tmp_path / "root"
    first = run_ingest(load_sources(sources), StorageRoot(str(root)), "run-1")
    assert (first.total.new, first.total.revisions) == (2, 0)

    # The same payloads again: already stored, nothing added.
    again = run_ingest(load_sources(sources), StorageRoot(str(root)), "run-2")
    assert (again.total.new, again.total.already_stored, again.total.revisions) == (0, 2, 0)

    # Both agencies re-send corrected copy under the same id and version.
    _layout(tmp_path, _NINJS_FIXED, _RSS_FIXED)
    fixed = run_ingest(load_sources(sources), StorageRoot(str(root)), "run-3")
    assert (fixed.total.read, fixed.total.new, fixed.total.already_stored) == (2, 2, 0)
    assert fixed.source("ninjs-wire").revisions == 1
    assert fixed.source("rss-wire").revisions == 1
    _check_revisions(_rows(root))

    # The corrected copy once more: already stored as its revision, no third revision.
    repeat = run_ingest(load_sources(sources), StorageRoot(str(root)), "run-4")
    assert (repeat.total.new, repeat.total.already_stored, repeat.total.revisions) == (0, 2, 0)
    assert len(_rows(root)) == 4

    # The run row's per-source counts carry the revisions.
    runs = read_runs(StorageRoot(str(root))).to_pylist()
    per_source = json.loads(next(r for r in runs if r["run_id"] == "run-3")["per_source"])
    assert per_source["total"]["revisions"] == 2

    # The README's query: the latest revision of each version is the corrected copy.
    latest = duckdb.sql(
        f"""SELECT source, revision, body
        FROM read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true)
        QUALIFY row_number() OVER (PARTITION BY source, item_id, version
                                   ORDER BY coalesce(revision, 0) DESC) = 1
        ORDER BY source"""
    ).fetchall()
    assert [(s, r) for s, r, _ in latest] == [("ninjs-wire", 1), ("rss-wire", 1)]
    assert "four years" in latest[0][2] and "fourteen hectares" in latest[1][2]


def test_two_contents_under_one_key_in_one_run_are_both_kept(tmp_path: Path) -> None:
    sources = _layout(tmp_path, _NINJS_TEXT, _RSS_TEXT)
    (tmp_path / "ninjs" / "train-resent.json").write_text(_ninjs(_NINJS_FIXED), encoding="utf-8")
    (tmp_path / "ninjs" / "train-copy.json").write_text(_ninjs(_NINJS_TEXT), encoding="utf-8")
    summary = run_ingest(load_sources(sources), StorageRoot(str(tmp_path / "root")), "run-1")
    counts = summary.source("ninjs-wire")
    assert (counts.read, counts.new, counts.already_stored, counts.revisions) == (3, 2, 1, 1)
    rows = [r for r in _rows(tmp_path / "root") if r["source"] == "ninjs-wire"]
    assert [r["revision"] for r in rows] == [0, 1]
    assert rows[1]["revision_of"] == rows[0]["story_id"]


def test_the_command_line_keeps_and_counts_revisions(tmp_path: Path) -> None:
    sources = _layout(tmp_path, _NINJS_TEXT, _RSS_TEXT)
    root = tmp_path / "root"
    command = [sys.executable, "-m", "flows", "run", "--sources", str(sources), "--root",
               str(root), "--no-report"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    _layout(tmp_path, _NINJS_FIXED, _RSS_FIXED)
    done = subprocess.run(command, check=True, capture_output=True, cwd=tmp_path, text=True)
    header, *lines = [line for line in done.stdout.splitlines() if line.startswith(("source ",
                      "total "))]  # fmt: skip
    assert header.split()[-1] == "revisions"
    assert lines[-1].split()[-1] == "2"
    _check_revisions(_rows(root))
