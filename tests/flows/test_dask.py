"""The prepare step on a real dask.distributed cluster: several worker processes on 127.0.0.1.

The cluster is a ``LocalCluster`` of worker processes reached by its TCP address, exactly as a
remote cluster would be; no dashboard, nothing beyond loopback.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from prefect import flow
from pydantic import ValidationError

from dedupe import DEFAULT_MINHASH, shingle_arrays, signature_matrix
from flows.cli import main
from flows.dask import dask_map
from flows.ingest import ingest_flow
from flows.params import IngestParameters
from ingest import RawItem, TransientError, load_sources, read_directory
from pipeline import Prepared, prepare_payloads
from storage import StorageRoot, load_window, read_stories
from tests.conftest import PROJECT

SOURCES = str(PROJECT / "sources.toml")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # The scheduler serves its health and metrics routes even without a dashboard, by
        # default on port 8787: a free port on loopback, so that runs side by side never clash.
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as local:
        yield local


@pytest.fixture
def client(cluster: LocalCluster) -> Iterator[Client]:
    # Not the default client: the task runner must find the cluster by its address alone.
    with Client(cluster.scheduler_address, set_as_default=False) as c:
        yield c


def _sign_tasks(stream: Any) -> list[dict[str, Any]]:
    return [t for t in stream.data if str(t["key"]).startswith("sign_batch_task-")]


def _stories(root: Path) -> list[dict[str, Any]]:
    rows = read_stories(StorageRoot(root)).to_pylist()
    for row in rows:
        del row["run_id"], row["ingested_at"]
    return sorted(rows, key=lambda r: r["story_id"])


def _signatures(root: Path) -> dict[str, np.ndarray]:
    window = load_window(StorageRoot(root), DEFAULT_MINHASH, date(2000, 1, 1), date(2100, 1, 1))
    signatures = window.load_signatures(range(len(window)))
    return dict(
        zip(window.story_ids.to_pylist(), (signatures[i] for i in range(len(window))), strict=True)
    )


def test_the_ingest_flow_on_dask_writes_what_a_local_run_writes(
    cluster: LocalCluster, client: Client, tmp_path: Path
) -> None:
    on_dask = IngestParameters(
        sources_file=SOURCES,
        root=str(tmp_path / "dask"),
        dask_address=cluster.scheduler_address,
        report=False,
    )
    local = IngestParameters(
        sources_file=SOURCES, root=str(tmp_path / "local"), workers=1, report=False
    )
    with get_task_stream(client=client) as stream:
        remote_summary = ingest_flow(on_dask)
    local_summary = ingest_flow(local)

    # The batch was signed by a worker of the cluster, not in this process.
    tasks = _sign_tasks(stream)
    assert len(tasks) == 1  # 18 payloads: one batch of DEFAULT_BATCH_SIZE
    assert {t["worker"] for t in tasks} <= set(cluster.scheduler_info["workers"])

    def counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]

    assert counts(remote_summary.rows()) == counts(local_summary.rows())
    assert remote_summary.total.new == 17 and remote_summary.total.rejected == 1
    remote, here = _stories(tmp_path / "dask"), _stories(tmp_path / "local")
    assert len(remote) == 17
    assert remote == here
    remote_sigs, local_sigs = _signatures(tmp_path / "dask"), _signatures(tmp_path / "local")
    assert sorted(remote_sigs) == sorted(local_sigs) == [r["story_id"] for r in remote]
    for story_id, signature in remote_sigs.items():
        np.testing.assert_array_equal(signature, local_sigs[story_id])


def _sample_raws() -> list[RawItem]:
    raws: list[RawItem] = []
    for source in load_sources(SOURCES):
        raws += read_directory(source)[0]
    return raws


@flow(name="test-sign-on-dask")
def _sign_flow(address: str, batch_size: int) -> tuple[Prepared, list[tuple[int, int]]]:
    # The payloads are read here, not passed in: flow parameters are stored by the API.
    calls: list[tuple[int, int]] = []
    prepared = prepare_payloads(
        _sample_raws(),
        DEFAULT_MINHASH,
        map_batches=dask_map(address),
        batch_size=batch_size,
        progress=lambda stage, done, total, detail: calls.append((done, total)),
    )
    return prepared, calls


def test_many_batches_over_several_workers_come_back_in_the_payloads_order(
    cluster: LocalCluster, client: Client
) -> None:
    with get_task_stream(client=client) as stream:
        signed, calls = _sign_flow(cluster.scheduler_address, 4)
    tasks = _sign_tasks(stream)
    assert len(tasks) == 5  # 18 payloads in batches of 4
    assert calls == [(4, 18), (8, 18), (12, 18), (16, 18), (18, 18)]
    assert {t["worker"] for t in tasks} <= set(cluster.scheduler_info["workers"])

    whole = prepare_payloads(_sample_raws(), DEFAULT_MINHASH)
    assert signed.batch.stories() == whole.batch.stories()
    assert [(r.item_id, r.reason) for r in signed.rejects] == [
        (r.item_id, r.reason) for r in whole.rejects
    ]
    num_perm = DEFAULT_MINHASH.num_perm
    np.testing.assert_array_equal(
        signature_matrix(signed.batch.column("signature"), num_perm),
        signature_matrix(whole.batch.column("signature"), num_perm),
    )
    for a, b in zip(
        shingle_arrays(signed.batch.column("shingles")),
        shingle_arrays(whole.batch.column("shingles")),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    params = IngestParameters(
        sources_file=SOURCES, root=str(tmp_path / "data"), dask_address=address, report=False
    )
    started = time.monotonic()
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(TransientError, match=f"Dask scheduler at {address} could not be reached"),
    ):
        ingest_flow(params)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "address", ["10.0.0.5:8786", "tcp://10.0.0.5", "http://10.0.0.5:8786", "tcp://h:99999"]
)
def test_a_malformed_address_is_refused_naming_the_field(address: str) -> None:
    with pytest.raises(ValidationError, match=r"dask_address\n.*tcp://HOST:PORT"):
        IngestParameters(dask_address=address)


def test_a_cleared_address_means_the_local_pool() -> None:
    assert IngestParameters(dask_address="  ").dask_address is None
    assert IngestParameters(dask_address="tls://[::1]:8786").dask_address == "tls://[::1]:8786"


def test_the_command_line_refuses_a_malformed_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--dask-address", "10.0.0.5:8786"]) == 2
    assert "dask_address" in capsys.readouterr().err
