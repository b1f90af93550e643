"""One directory source holding every wire format, no format declared: detection decides.

The real fixture files are copied at test time into a temporary folder (a directory source
refuses symlinks that lead outside it), beside one of the project's own sample stories; the
pipeline writes them, and DuckDB reads back one story per format and the rejects with reasons.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from ingest import load_sources
from pipeline import run_ingest
from storage import StorageRoot
from tests.conftest import SAMPLES, shared_path

#: One real file per format, and the format its story must come out as.
FILES = {
    "rss/real-world/feed-dcdate.xml": "rss",
    "ninjs/v2.1/dpa_text.json": "ninjs",
    "newsml-g2/dpa/dpa_170626-99-998860.xml": "newsml-g2",
    "superdesk-agencies/superdesk-ntb/ntb__nitf_test.xml": "nitf",
    "newsml-1.2/afp.xml": "newsml-1.2",
    "anpa/ap_anpa-3.tst": "anpa",
    "anpa/IPTC7901.txt": "iptc7901",
    "superdesk-agencies/superdesk-cp/tests_ingest_parser_fixtures_ap_ap-broadcast.json": "ap-media",
    "dpa-digitalwires/to-newsmlg2__tests_data_input_dw-1.json": "dpa-digitalwires",
    "superdesk-agencies/superdesk-belga/tests_io_fixtures_email_attachment_belga.txt": "email",
}
SERVICE_MESSAGE = "anpa/dpa_copyright.txt"
SAMPLE = "agence-fr/20261118_budget_2027_assemblee.txt"


def test_a_directory_of_every_format_needs_no_declared_format(tmp_path: Path) -> None:
    fixtures = shared_path("fixtures")
    folder = tmp_path / "wire"
    folder.mkdir()
    for rel in [*FILES, SERVICE_MESSAGE]:
        shutil.copyfile(fixtures / rel, folder / Path(rel).name)
    shutil.copyfile(SAMPLES / SAMPLE, folder / Path(SAMPLE).name)
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f'[[source]]\nname = "desk"\nkind = "directory"\npath = "{folder}"\npattern = "*"\n',
        encoding="utf-8",
    )
    root = tmp_path / "data"
    summary = run_ingest(load_sources(toml), StorageRoot(str(root)), "mixed")
    assert summary.total.new == len(FILES) + 1
    assert summary.total.rejected == 1

    formats = duckdb.sql(
        f"SELECT format, count(*) FROM read_parquet('{root}/stories/**/*.parquet', "
        "hive_partitioning = true) GROUP BY format ORDER BY format"
    ).fetchall()
    assert formats == sorted([(f, 1) for f in FILES.values()] + [("text", 1)])
    bodies = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{root}/stories/**/*.parquet', "
        "hive_partitioning = true) WHERE length(trim(body)) = 0 "
        "OR regexp_matches(body, '</?(p|div|br|span|nitf|body)[ />]')"
    ).fetchall()
    assert bodies == [(0,)]
    [(location, reason)] = duckdb.sql(
        f"SELECT location, reason FROM read_parquet('{root}/rejects/**/*.parquet')"
    ).fetchall()
    assert location.endswith("dpa_copyright.txt") and "service message" in reason
