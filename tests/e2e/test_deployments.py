"""The deployments of prefect.yaml end to end, with real parts only.

A real `prefect server` on 127.0.0.1 (temporary PREFECT_HOME), the `wiredup` process work pool,
`prefect deploy --all` from the project folder, the samples ingested through that server, then
flow runs of the backfill deployment created through the REST API exactly as the UI creates
them, and a real worker that runs them. Checked: the schema the UI renders its form from, bad
parameters refused with the field's name, the run's final state, its artifact and the
clustering it wrote.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from storage import StorageRoot, read_stories
from storage.clusterings import list_clusterings, read_clustering
from tests.conftest import PROJECT
from tests.e2e.conftest import BIN, POOL, PREFECT, Server

pytestmark = pytest.mark.e2e

BACKFILL = "wiredup-backfill/backfill"
INGEST = "wiredup-ingest/scheduled-ingest"
MAINTENANCE = "wiredup-maintenance/maintenance"
# The samples' story dates all fall in this month.
RANGE = {"date_from": "2026-11-01", "date_to": "2026-11-30"}

if not PREFECT.exists() and shutil.which("prefect") is None:
    pytest.skip("the `prefect` command line is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server(prefect_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Server:
    """The shared server, with the samples ingested through it into a root of this module's."""
    running = replace(prefect_server, root=tmp_path_factory.mktemp("deployments") / "data")
    # The samples go in through the same server, so the backfill has stories to work on.
    running.cli(str(BIN / "wiredup"), "run", "--root", str(running.root))
    return running


def _deployment(server: Server, name: str) -> dict[str, Any]:
    response = server.call("GET", f"/deployments/name/{name}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _create_run(server: Server, deployment_id: str, params: dict[str, Any]) -> httpx.Response:
    # The request the UI's "Custom run" form sends. A server busy writing (its SQLite database
    # locked by a run in flight) answers 503 for a moment: asked again, as the UI would.
    for _ in range(5):
        response = server.call(
            "POST",
            f"/deployments/{deployment_id}/create_flow_run",
            {"parameters": {"params": params}, "state": {"type": "SCHEDULED"}},
        )
        if response.status_code != 503:
            break
        time.sleep(1)
    return response


def _artifacts(server: Server, flow_run_id: str) -> list[dict[str, Any]]:
    response = server.call(
        "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}}}
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _task_runs(server: Server, flow_run_id: str) -> list[dict[str, Any]]:
    response = server.call(
        "POST", "/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}}
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_deployments_carry_schedules_pool_and_typed_forms(server: Server) -> None:
    ingest = _deployment(server, INGEST)
    assert ingest["work_pool_name"] == POOL
    assert [s["schedule"]["cron"] for s in ingest["schedules"]] == ["*/5 * * * *"]
    assert ingest["parameters"] == {"params": {"sources_file": "sources.toml", "root": "data"}}

    maintenance = _deployment(server, MAINTENANCE)
    assert maintenance["work_pool_name"] == POOL
    assert [s["schedule"]["cron"] for s in maintenance["schedules"]] == ["0 3 * * *"]
    assert maintenance["enforce_parameter_schema"] is True

    backfill = _deployment(server, BACKFILL)
    assert backfill["work_pool_name"] == POOL
    assert backfill["schedules"] == []
    assert backfill["enforce_parameter_schema"] is True
    # The form the UI renders: every field titled, described, bounded where it has bounds.
    schema = backfill["parameter_openapi_schema"]
    assert schema["required"] == ["params"]
    model = schema["definitions"]["BackfillParameters"]
    assert model["required"] == ["date_from", "date_to"]
    fields = model["properties"]
    assert all(f.get("title") and f.get("description") for f in fields.values())
    assert fields["date_from"]["format"] == "date"
    assert fields["near_threshold"]["maximum"] == 1.0
    assert fields["window_days"]["minimum"] == 0


def test_out_of_bounds_parameter_is_refused_at_creation_naming_the_field(
    server: Server,
) -> None:
    backfill = _deployment(server, BACKFILL)
    refused = _create_run(server, backfill["id"], {**RANGE, "near_threshold": 1.5})
    assert refused.status_code == 409, refused.text
    assert "params.near_threshold" in refused.json()["detail"]
    missing = _create_run(server, backfill["id"], {"date_from": RANGE["date_from"]})
    assert missing.status_code == 409, missing.text
    assert "date_to" in missing.json()["detail"]
    unknown = _create_run(server, backfill["id"], {**RANGE, "near_treshold": 0.7})
    assert unknown.status_code == 409, unknown.text
    assert "near_treshold" in unknown.json()["detail"]


def test_backfill_deployment_runs_on_a_worker(server: Server) -> None:
    backfill = _deployment(server, BACKFILL)
    root = StorageRoot(server.root)
    before = {m["clustering_id"] for m in list_clusterings(root)}

    # Both runs below write the same root: each waits for the other's writer lock.
    shared = {"root": str(server.root), "lock_wait_seconds": 120}
    good = _create_run(server, backfill["id"], {**RANGE, **shared})
    assert good.status_code == 201, good.text
    maintenance = _create_run(
        server, _deployment(server, MAINTENANCE)["id"], {**shared, "dry_run": True}
    )
    assert maintenance.status_code == 201, maintenance.text
    # The order of the two dates is one check JSON Schema cannot express: the server accepts
    # the run, and the flow's own model refuses it as the run starts, before any task.
    reversed_range = {"date_from": RANGE["date_to"], "date_to": RANGE["date_from"]}
    bad = _create_run(server, backfill["id"], {**reversed_range, "root": str(server.root)})
    assert bad.status_code == 201, bad.text

    # One poll of the pool: the worker submits the runs and returns once they are over.
    server.cli(str(PREFECT), "worker", "start", "--pool", POOL, "--run-once", timeout=180)

    run = server.call("GET", f"/flow_runs/{good.json()['id']}").json()
    assert run["state"]["type"] == "COMPLETED", json.dumps(run["state"], indent=2)
    artifacts = {a["key"]: a for a in _artifacts(server, run["id"])}
    summary = artifacts["wiredup-backfill-summary"]
    assert summary["type"] == "markdown"

    created = [m for m in list_clusterings(root) if m["clustering_id"] not in before]
    assert len(created) == 1
    clustering = created[0]
    assert f"re-clustering {clustering['clustering_id']}" in summary["data"]
    stored = read_stories(root, ["story_id", "cluster_id"]).to_pylist()
    assert clustering["stories"] == len(stored) == 17
    assignments = read_clustering(root, clustering["clustering_id"]).to_pylist()
    assert {r["story_id"] for r in assignments} == {r["story_id"] for r in stored}
    # Same parameters as the streaming runs: the same clusters.
    assert clustering["changed_from_streaming"] == 0

    compaction = server.call("GET", f"/flow_runs/{maintenance.json()['id']}").json()
    assert compaction["state"]["type"] == "COMPLETED", json.dumps(compaction["state"], indent=2)
    keys = {a["key"] for a in _artifacts(server, compaction["id"])}
    assert "wiredup-maintenance-summary" in keys

    # Task runs reach the API as events, a moment after the run: wait for the good run's, so
    # that the bad run having none means something.
    deadline = time.monotonic() + 60
    while not _task_runs(server, run["id"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [t["task_key"] for t in _task_runs(server, run["id"])], "no task run recorded"

    failed = server.call("GET", f"/flow_runs/{bad.json()['id']}").json()
    assert failed["state"]["type"] == "FAILED"
    assert "date_to: must not be before date_from" in failed["state"]["message"]
    assert _task_runs(server, failed["id"]) == []
    assert "wiredup-backfill-summary" not in {a["key"] for a in _artifacts(server, failed["id"])}


def _worker_once(server: Server, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A worker started by hand in ``cwd``, as Prefect's docs show, for one poll of the pool;
    no WIREDUP_PROJECT_DIR in its environment."""
    env = {k: v for k, v in server.env.items() if k != "WIREDUP_PROJECT_DIR"}
    done = subprocess.run(
        [str(PREFECT), "worker", "start", "--pool", POOL, "--run-once"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"worker failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_deployments_record_the_project_folder_they_were_deployed_from(server: Server) -> None:
    for name in (INGEST, BACKFILL, MAINTENANCE):
        assert _deployment(server, name)["pull_steps"] == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(PROJECT)}}
        ]


def test_ingest_deployment_finds_the_project_folder_without_wiredup_project_dir(
    server: Server, tmp_path: Path
) -> None:
    ingest = _deployment(server, INGEST)
    root = tmp_path / "data"
    # sources_file stays the deployment's relative `sources.toml`: the project's.
    created = _create_run(server, ingest["id"], {"sources_file": "sources.toml", "root": str(root)})
    assert created.status_code == 201, created.text
    elsewhere = tmp_path / "worker"
    elsewhere.mkdir()
    _worker_once(server, elsewhere)

    run = server.call("GET", f"/flow_runs/{created.json()['id']}").json()
    assert run["state"]["type"] == "COMPLETED", json.dumps(run["state"], indent=2)
    stored = read_stories(StorageRoot(root), ["story_id", "source"]).to_pylist()
    assert len(stored) == 17
    assert {r["source"] for r in stored} == {"agence-fr", "wire-en", "partner"}
    assert not (elsewhere / "data").exists() and not (elsewhere / "sources.toml").exists()


def test_a_deployment_run_outside_the_project_folder_refuses_a_relative_root(
    server: Server, tmp_path: Path
) -> None:
    # A deployment made some other way than `prefect deploy` from the project folder: its pull
    # step leaves the run in a folder that is not the project's.
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    flow = server.call("GET", "/flows/name/wiredup-maintenance").json()
    made = server.call(
        "POST",
        "/deployments/",
        {
            "name": "outside-the-project",
            "flow_id": flow["id"],
            "entrypoint": "flows.maintenance:maintenance_flow",
            "work_pool_name": POOL,
            "pull_steps": [
                {"prefect.deployments.steps.set_working_directory": {"directory": str(nowhere)}}
            ],
        },
    )
    assert made.status_code in (200, 201), made.text
    deployment_id = made.json()["id"]
    try:
        created = _create_run(server, deployment_id, {"root": "data"})
        assert created.status_code == 201, created.text
        _worker_once(server, PROJECT)
        run = server.call("GET", f"/flow_runs/{created.json()['id']}").json()
        assert run["state"]["type"] == "FAILED", json.dumps(run["state"], indent=2)
        message = run["state"]["message"]
        assert "'data' is relative" in message, message
        assert f"works in {nowhere}" in message and "prefect deploy --all" in message
        # Refused before anything was read or written: no root was made in that folder.
        assert list(nowhere.iterdir()) == []
    finally:
        server.call("DELETE", f"/deployments/{deployment_id}")
