"""The HTML report and the run's artifacts, on the bundled samples ingested by the flow.

The page is parsed, not matched as text: every figure a chart draws is checked against what
DuckDB reads from the same Parquet files.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from lxml import html as lxml_html
from prefect.client.orchestration import get_client

from flows import progress
from flows.ingest import ingest_flow
from flows.params import IngestParameters
from pipeline.summary import COUNT_COLUMNS, RunSummary
from report import REPORT_PATH, render_report, write_report
from storage import StorageRoot
from tests.conftest import PROJECT, shared_path

GENEVA_UPDATE = "20261120_greve_geneve_suite"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    root = tmp_path_factory.mktemp("report") / "data"
    params = IngestParameters(sources_file=str(PROJECT / "sources.toml"), root=str(root))
    return root, ingest_flow(params)


@pytest.fixture(scope="module")
def page(ingested: tuple[Path, RunSummary]) -> Any:
    root, _ = ingested
    return lxml_html.fromstring((root / REPORT_PATH).read_bytes())


def _sql(root: Path, query: str) -> list[tuple[Any, ...]]:
    stories = f"read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true)"
    return duckdb.sql(query.format(stories=stories)).fetchall()


def test_the_run_writes_the_report_into_the_root(ingested: tuple[Path, RunSummary]) -> None:
    root, summary = ingested
    assert summary.report == REPORT_PATH
    assert (root / REPORT_PATH).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_per_day_bars_match_duckdb(ingested: tuple[Path, RunSummary], page: Any) -> None:
    root, _ = ingested
    expected = {
        (str(day), source): (stories, dups)
        for day, source, stories, dups in _sql(
            root,
            "SELECT story_date, source, count(*), count(*) FILTER (WHERE dup_kind IS NOT NULL) "
            "FROM {stories} GROUP BY ALL",
        )
    }
    days = page.xpath("//svg[@id='per-day']//g[@class='day']")
    drawn = [d.get("data-day") for d in days]
    # One group per day, each day once.
    assert sorted(drawn) == sorted({day for day, _ in expected})
    bars = {
        (d.get("data-day"), b.get("data-source")): (
            int(b.get("data-stories")),
            int(b.get("data-duplicates")),
        )
        for d in days
        for b in d.xpath(".//g[@class='bar']")
    }
    assert bars == expected
    assert sum(dups for _, dups in bars.values()) > 0


def test_cluster_size_histogram_counts_every_cluster(
    ingested: tuple[Path, RunSummary], page: Any
) -> None:
    root, _ = ingested
    [(clusters,)] = _sql(root, "SELECT count(DISTINCT cluster_id) FROM {stories}")
    sizes = dict(
        _sql(
            root,
            "SELECT versions, count(*) FROM (SELECT count(*) AS versions FROM {stories} "
            "GROUP BY cluster_id) GROUP BY versions",
        )
    )
    bars = page.xpath("//svg[@id='cluster-sizes']//g[@class='size']")
    drawn = {int(b.get("data-size")): int(b.get("data-clusters")) for b in bars}
    assert sum(drawn.values()) == clusters
    assert {k: v for k, v in drawn.items() if v} == sizes


def test_timeline_shows_every_version_of_the_largest_report(
    ingested: tuple[Path, RunSummary], page: Any
) -> None:
    root, _ = ingested
    [(cluster, versions)] = _sql(
        root,
        "SELECT cluster_id, count(*) AS n FROM {stories} GROUP BY cluster_id "
        "ORDER BY n DESC LIMIT 1",
    )
    assert versions == 4  # the Geneva strike: original, brief, re-credited copy, update
    members = {
        sid
        for (sid,) in _sql(root, f"SELECT story_id FROM {{stories}} WHERE cluster_id = '{cluster}'")
    }
    marks = page.xpath("//svg[@id='timeline']//g[@class='version']")
    assert {m.get("data-story-id") for m in marks} == members
    assert GENEVA_UPDATE in {m.get("data-item-id") for m in marks}
    labels = [m.xpath("string(.//text)") for m in marks]
    assert any("near" in label and GENEVA_UPDATE in label for label in labels)
    assert len(page.xpath("//div[@class='change']")) == versions - 1


def test_diff_shows_the_words_the_update_added(
    ingested: tuple[Path, RunSummary], page: Any
) -> None:
    root, _ = ingested
    marks = page.xpath("//svg[@id='timeline']//g[@class='version']")
    order = [m.get("data-story-id") for m in marks]
    update = next(m.get("data-story-id") for m in marks if m.get("data-item-id") == GENEVA_UPDATE)
    before = order[order.index(update) - 1]
    texts = dict(
        _sql(
            root,
            "SELECT story_id, concat_ws(' ', headline, body) FROM {stories} "
            f"WHERE story_id IN ('{update}', '{before}')",
        )
    )
    # A word the update has and the version before it lacks cannot be unchanged text.
    new_words = set(texts[update].split()) - set(texts[before].split())
    assert len(new_words) > 5
    [change] = page.xpath(f"//div[@class='change'][@data-to='{update}']")
    inserted = {w for ins in change.xpath(".//ins") for w in ins.text_content().split()}
    assert new_words <= inserted
    assert int(change.get("data-added")) >= len(new_words)


def test_page_references_nothing_outside_the_data(page: Any) -> None:
    assert not page.xpath("//script | //link | //img | //iframe | //object")
    for element in page.xpath("//*[@src or @href]"):
        target = element.get("src") or element.get("href")
        assert target.startswith("file://") and "/stories" in target, target
    style = " ".join(s.text_content() for s in page.xpath("//style"))
    assert "url(" not in style and "@import" not in style


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text(
        " date 2026-11-20 <script>alert(1)</script> & <b>bold</b> claims, said the council "
        "of the canton on Tuesday in a statement. (ats)",
        encoding="utf-8",
    )
    conf = tmp_path / "sources.toml"
    conf.write_text(
        '[[source]]\nname = "odd<name>"\nkind = "directory"\npath = "in"\nformat = "text"\n',
        encoding="utf-8",
    )
    params = IngestParameters(sources_file=str(conf), root=str(tmp_path / "data"), report=False)
    summary = ingest_flow(params)
    assert summary.report is None and not (tmp_path / "data" / REPORT_PATH).exists()
    text = render_report(StorageRoot(params.root))
    assert "<script" not in text and "odd<name>" not in text
    assert "odd&lt;name&gt;" in text


def test_an_empty_root_gives_a_page_that_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    where = write_report(StorageRoot(tmp_path / "nothing"), out)
    assert where == str(out.resolve())
    assert "No story is stored yet" in out.read_text(encoding="utf-8")


def test_the_artifacts_link_the_report_and_show_the_new_columns(
    ingested: tuple[Path, RunSummary],
) -> None:
    root, summary = ingested

    async def artifacts() -> list[Any]:
        async with get_client() as client:
            return list(await client.read_artifacts())

    found = asyncio.run(artifacts())
    [markdown] = [
        str(a.data)
        for a in found
        if a.key == "wiredup-ingest-summary" and summary.run_id in str(a.data)
    ]
    assert (root / REPORT_PATH).resolve().as_uri() in markdown
    assert "| killed | seconds |" in markdown
    assert (root / "stories").resolve().as_uri() in markdown  # a partition written
    tables = [a for a in found if a.key == "wiredup-ingest-sources"]
    rows: list[dict[str, Any]] = []
    for artifact in tables:
        data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
        if {r["source"] for r in data} >= {"agence-fr", "partner", "wire-en"}:
            rows = data
    by_source = {r["source"]: r for r in rows}
    assert set(COUNT_COLUMNS) <= set(by_source["total"])
    assert by_source["total"]["new"] == summary.total.new
    assert by_source["total"]["killed"] == 0
    assert by_source["total"]["seconds"] >= 0


def test_a_canceled_version_counts_as_killed(tmp_path: Path) -> None:
    canceled = shared_path(
        "fixtures", "newsml-g2/other-agencies/reuters_L1N14N0FF_v1542761538_canceled.xml"
    )
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(canceled, folder / canceled.name)
    conf = tmp_path / "sources.toml"
    conf.write_text(
        '[[source]]\nname = "reuters"\nkind = "directory"\npath = "in"\nformat = "newsml-g2"\n',
        encoding="utf-8",
    )
    summary = ingest_flow(IngestParameters(sources_file=str(conf), root=str(tmp_path / "data")))
    assert summary.per_source["reuters"].killed == 1
    assert summary.total.killed == 1
    assert "killed" in summary.table().splitlines()[0]


class _Recorder:
    """A progress sink that keeps every update."""

    def __init__(self) -> None:
        self.updates: list[tuple[str, int, int]] = []
        self.closed = False

    def update(self, stage: str, done: int, total: int, detail: str = "") -> None:
        self.updates.append((stage, done, total))

    def close(self) -> None:
        self.closed = True


def test_progress_reaches_the_installed_sink(tmp_path: Path) -> None:
    params = IngestParameters(
        sources_file=str(PROJECT / "sources.toml"), root=str(tmp_path / "data"), dry_run=True
    )
    recorder = _Recorder()
    with progress.installed(recorder):
        ingest_flow(params)
    assert recorder.closed
    reads = [u for u in recorder.updates if u[0] == "read"]
    assert [done for _, done, _ in reads] == [1, 2, 3] and {t for *_, t in reads} == {3}
    signs = [u for u in recorder.updates if u[0] == "sign"]
    payloads = sum(1 for p in (PROJECT / "samples").glob("*/*.txt"))
    assert signs and signs[-1][1:] == (payloads, payloads)
