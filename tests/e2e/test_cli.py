"""The command line end to end: the bundled samples into a temporary root, read back by
DuckDB, polars and pandas, then a rerun that must add nothing."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.conftest import SAMPLES
from tests.e2e.conftest import wiredup

pytestmark = pytest.mark.e2e


def _expected_partition() -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    with open(SAMPLES / "clusters.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups[row["cluster"]].add(f"{row['source']}/{row['item_id']}")
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    base = tmp_path_factory.mktemp("e2e")
    root = base / "data"
    first = wiredup("run", "--sources", "sources.toml", "--root", str(root), home=base / "prefect")
    assert first.returncode == 0, first.stderr[-3000:]
    second = wiredup("run", "--root", str(root), home=base / "prefect")
    assert second.returncode == 0, second.stderr[-3000:]
    return root, first.stdout, second.stdout


def test_first_run_prints_a_summary_and_the_query(ingested: tuple[Path, str, str]) -> None:
    root, out, _ = ingested
    assert "source" in out and "already_stored" in out
    total = next(line for line in out.splitlines() if line.startswith("total"))
    # The first seven counts by position; later columns (fetched, not_modified) are appended.
    read, new, stored, exact, near, containment, rejected = map(int, total.split()[1:8])
    samples = [p for p in SAMPLES.glob("*/*.txt")]
    assert read + rejected == len(samples)
    assert new == read and stored == 0
    assert rejected == 1
    assert exact + near + containment > 0
    assert "read_parquet(" in out and str(root) in out


def test_rerun_adds_no_story_and_says_so(ingested: tuple[Path, str, str]) -> None:
    root, _, out = ingested
    total = next(line for line in out.splitlines() if line.startswith("total"))
    assert int(total.split()[2]) == 0
    assert "No new story" in out
    count = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{root}/stories/**/*.parquet', "
        "hive_partitioning = true)"
    ).fetchall()[0][0]
    assert count == len(_samples_with_text())


def _samples_with_text() -> list[Path]:
    return [p for p in SAMPLES.glob("*/*.txt") if p.stem != "corrupt_transmission"]


def test_duckdb_polars_and_pandas_read_the_same_rows(ingested: tuple[Path, str, str]) -> None:
    root, _, _ = ingested
    glob = f"{root}/stories/**/*.parquet"
    by_duckdb = duckdb.sql(
        "SELECT story_id, cluster_id, story_date "
        f"FROM read_parquet('{glob}', hive_partitioning = true)"
    ).fetchall()
    by_polars = (
        pl.scan_parquet(glob, hive_partitioning=True)
        .select("story_id", "cluster_id", "story_date")
        .collect()
        .rows()
    )
    hive = ds.partitioning(pa.schema([("story_date", pa.date32())]), flavor="hive")
    frame = pd.read_parquet(root / "stories", partitioning=hive)
    by_pandas = [(r.story_id, r.cluster_id, r.story_date) for r in frame.itertuples()]
    assert sorted(by_duckdb) == sorted(by_polars) == sorted(by_pandas)
    assert len(by_duckdb) == len(_samples_with_text())


def test_versions_of_one_report_share_a_cluster(ingested: tuple[Path, str, str]) -> None:
    root, _, _ = ingested
    rows = duckdb.sql(
        f"SELECT source || '/' || item_id, cluster_id "
        f"FROM read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    groups: dict[str, set[str]] = defaultdict(set)
    for item, cluster in rows:
        groups[cluster].add(item)
    assert {frozenset(g) for g in groups.values()} == _expected_partition()


def test_every_match_is_explained(ingested: tuple[Path, str, str]) -> None:
    root, _, _ = ingested
    rows = duckdb.sql(
        f"SELECT s.dup_kind, s.similarity, s.match_rule, t.cluster_id = s.cluster_id "
        f"FROM read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true) s "
        f"JOIN read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true) t "
        f"ON s.dup_of = t.story_id"
    ).fetchall()
    assert rows
    for kind, similarity, rule, same_cluster in rows:
        assert kind in {"exact", "near", "containment"}
        assert 0 < similarity <= 1 and rule and same_cluster


def test_bad_flag_value_names_the_field(tmp_path: Path) -> None:
    result = wiredup("run", "--near-threshold", "2", "--root", str(tmp_path), home=tmp_path)
    assert result.returncode == 2
    assert "near_threshold" in result.stderr
    assert not (tmp_path / "stories").exists()


def test_missing_sources_file_is_a_clear_error(tmp_path: Path) -> None:
    result = wiredup(
        "run",
        "--sources",
        str(tmp_path / "nope.toml"),
        "--root",
        str(tmp_path / "d"),
        home=tmp_path,
    )
    assert result.returncode == 1
    assert "nope.toml" in result.stderr and "no such file" in result.stderr


def test_a_run_over_many_sources_ends_without_a_traceback(tmp_path: Path) -> None:
    # After a run over a hundred sources or more, Prefect's temporary server used to be stopped
    # while it still recorded the task runs: "Error flushing 1 events" and CancelledError
    # tracebacks after a successful run. The command now waits for it (flows/settle.py).
    tables = []
    for i in range(120):
        folder = tmp_path / "wires" / f"w{i:03d}"
        folder.mkdir(parents=True)
        (folder / f"note{i:03d}.txt").write_text(
            f"date 2026-10-{1 + i % 28:02d} The ferry board of harbour {i} met on Monday and "
            f"agreed to run {2 + i % 5} more crossings a day from next month.\n\n"
            f"The council of district {i * 7} welcomed the change. (abc/{i % 3})\n",
            encoding="utf-8",
        )
        tables.append(
            f'[[source]]\nname = "w{i:03d}"\nkind = "directory"\npath = "{folder}"\n'
            'format = "text"\n'
        )
    conf = tmp_path / "sources.toml"
    conf.write_text("\n".join(tables), encoding="utf-8")
    root = tmp_path / "data"
    result = wiredup(
        "run", "--sources", str(conf), "--root", str(root), "--no-report", home=tmp_path / "p"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    total = next(line for line in result.stdout.splitlines() if line.startswith("total"))
    assert int(total.split()[1]) == 120
    assert "Traceback" not in result.stderr, result.stderr[-6000:]
    assert "Error flushing" not in result.stderr and "CancelledError" not in result.stderr
    assert "ERROR" not in result.stderr, result.stderr[-3000:]
