"""One whole ingest into s3://bucket/prefix on a real S3-compatible server, then a rerun."""

from __future__ import annotations

import logging

import pyarrow.dataset as ds
import pytest

from flows.ingest import ingest_flow
from flows.params import IngestParameters
from flows.roots import open_root
from tests.conftest import PROJECT
from tests.s3_server import CANARY_SECRET, S3Server, s3_fixture

s3_server_fixture = s3_fixture


def test_ingest_into_s3_then_a_rerun_adds_nothing(s3_server: S3Server, monkeypatch, caplog):
    for name, value in s3_server.environ().items():
        monkeypatch.setenv(name, value)
    uri = f"s3://{s3_server.new_bucket()}/wire/data"
    params = IngestParameters(
        sources_file=str(PROJECT / "sources.toml"), root=uri, workers=1, report=False
    )
    with caplog.at_level(logging.DEBUG):
        first = ingest_flow(params)
        root = open_root(uri)
        parts = root.files("stories")
        second = ingest_flow(params)

    assert first.total.new == 17 and first.total.rejected == 1
    assert second.total.new == 0 and second.total.already_stored == 17
    assert root.files("stories") == parts
    # Read back as any pyarrow reader would, through the same S3 filesystem.
    table = ds.dataset(
        root.path("stories"), filesystem=root.fs, format="parquet", partitioning="hive"
    ).to_table()
    assert table.num_rows == 17
    assert len(set(table["story_id"].to_pylist())) == 17
    assert not root.exists("state/lock.json")  # released after each run
    assert CANARY_SECRET not in caplog.text
    assert CANARY_SECRET not in repr(first) + repr(second)


def test_both_s3_keys_or_neither(monkeypatch):
    from ingest import ConfigError

    with pytest.raises(ConfigError, match="AWS_SECRET_ACCESS_KEY"):
        open_root("s3://bucket/prefix", {"AWS_ACCESS_KEY_ID": "k"})
