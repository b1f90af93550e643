"""The secrets canary (issue 8): a credential never shows anywhere, at any log level.

A fresh random canary is the secret of every authenticated source (``auth = "env:NAME"`` with
the bearer, basic and ``header:X-Api-Key`` schemes) and the AWS secret key of an S3 root on a
loopback moto server. The real command line (``python -m flows run``) runs in subprocesses
against a real ``prefect server`` on 127.0.0.1, with Prefect, the root logger, httpx and
httpcore at DEBUG, through the success and the failure paths: 401 and 403 answers that echo
the request's headers in their body, a 500 storm, a redirect to another host, a next link to
another host, and an S3 root whose bucket does not exist (a failed run, with its exception).

Then the canary, and the base64 form that basic auth puts on the wire, is looked for in the
processes' stdout and stderr, every file under the storage roots (raw bytes, and Parquet read
back with pyarrow), the objects of the S3 bucket, the logs, artifacts, flow runs and task runs
the Prefect server stored (read through its REST API), and the server's database files. The
test also checks that the canary did reach the wire server and that httpcore's DEBUG lines are
in the captured output, so that a search finding nothing means something.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest

from tests.conftest import PROJECT
from tests.prefect_server import Server
from tests.reliability.figures import record
from tests.s3_server import S3Server, s3_fixture
from tests.wire_server import Handler, WireServer

s3_server_fixture = s3_fixture

CANARY = f"CANARY-{secrets.token_hex(16)}"
USER = "wireuser"
BASIC = base64.b64encode(f"{USER}:{CANARY}".encode()).decode()
#: What must never show: the canary as configured and as basic auth sends it.
FORMS = {
    "canary": CANARY,
    "base64 user:canary": BASIC,
    "base64 canary": base64.b64encode(CANARY.encode()).decode(),
}
TOKEN_ENV = "WIREDUP_SECRETS_CANARY"
BASIC_ENV = "WIREDUP_SECRETS_CANARY_BASIC"
ACCESS_KEY = "wiredup-secrets-key"
BIN = Path(sys.executable).parent


# ---------------------------------------------------------------------------------------------
# A real Prefect server on loopback, shared by the runs of this module


@dataclass(frozen=True)
class PrefectServer:
    api: str
    home: Path

    def post_all(self, path: str, body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every record of a ``/filter`` endpoint, page by page."""
        out: list[dict[str, Any]] = []
        while True:
            page = httpx.post(
                f"{self.api}{path}", json={**(body or {}), "limit": 200, "offset": len(out)}
            )
            page.raise_for_status()
            records = page.json()
            out += records
            if len(records) < 200:
                return out


@pytest.fixture(scope="module")
def secrets_server(prefect_server: Server) -> PrefectServer:
    """The session's real Prefect server: its stored logs and artifacts are searched too."""
    return PrefectServer(api=prefect_server.api, home=Path(prefect_server.env["PREFECT_HOME"]))


# ---------------------------------------------------------------------------------------------
# The wire side: guarded routes, echoing failures, and a second host


def _ninjs(uri: str, topic: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": "1",
        "versioncreated": "2026-09-14T08:00:00Z",
        "headline": f"Council backs {topic}",
        "body_text": (
            f"The county council backed the {topic} proposal on Monday by a wide margin. "
            f"Officials said work on the {topic} scheme would start in the spring and that "
            f"residents would be consulted on the details before the summer recess."
        ),
    }


def _json(h: Handler, status: int, body: Any) -> None:
    h.reply(status, json.dumps(body).encode(), {"Content-Type": "application/json"})


def _echo(status: int) -> Callable[[Handler], None]:
    """Refuse, echoing every request header (the credential included) in the body."""

    def serve(h: Handler) -> None:
        h.reply(status, json.dumps({"you sent": dict(h.headers.items())}).encode())

    return serve


def _guarded(header: str, value: str, body: Any) -> Callable[[Handler], None]:
    def serve(h: Handler) -> None:
        if h.headers.get(header) == value:
            _json(h, 200, body)
        else:
            h.reply(401, b"who are you")

    return serve


@dataclass(frozen=True)
class Wire:
    main: WireServer
    other: WireServer  # another host: localhost, another port


@pytest.fixture(scope="module")
def wire(wire_server: WireServer) -> Iterator[Wire]:
    other = WireServer()
    try:
        yield Wire(wire_server, other)
    finally:
        other.close()


def _sources(wire: Wire, tag: str, names: list[str] | None = None) -> str:
    """The sources of one run, their routes registered under ``/secrets/<tag>/``."""
    main, other = wire.main, wire.other
    host = f"http://localhost:{other.base.rsplit(':', 1)[1]}"
    p = f"/secrets/{tag}"
    other.route(f"{p}/landing.json", lambda h: _json(h, 200, _ninjs(f"urn:{tag}:moved", "harbour")))
    other.route(
        f"{p}/page2.json",
        lambda h: _json(h, 200, {"items": [_ninjs(f"urn:{tag}:p2", "tramway")], "links": {}}),
    )
    blocks: dict[str, tuple[str, str, str]] = {
        "bearer-ok": (
            main.route(
                f"{p}/bearer.json",
                _guarded("Authorization", f"Bearer {CANARY}", _ninjs(f"urn:{tag}:b", "library")),
            ),
            TOKEN_ENV,
            "bearer",
        ),
        "basic-ok": (
            main.route(
                f"{p}/basic.json",
                _guarded("Authorization", f"Basic {BASIC}", _ninjs(f"urn:{tag}:c", "bridge")),
            ),
            BASIC_ENV,
            "basic",
        ),
        "header-ok": (
            main.route(
                f"{p}/key.json",
                _guarded(
                    "X-Api-Key",
                    CANARY,
                    {
                        "items": [_ninjs(f"urn:{tag}:k", "stadium")],
                        "links": {"next": f"{host}{p}/page2.json"},  # to another host
                    },
                ),
            ),
            TOKEN_ENV,
            "header:X-Api-Key",
        ),
        "echo-401": (main.route(f"{p}/e401.json", _echo(401)), TOKEN_ENV, "bearer"),
        "echo-403": (main.route(f"{p}/e403.json", _echo(403)), TOKEN_ENV, "header:X-Api-Key"),
        "echo-500-storm": (main.route(f"{p}/e500.json", _echo(500)), BASIC_ENV, "basic"),
        "redirect-away": (
            main.route(
                f"{p}/redirect.json",
                lambda h: h.reply(302, b"", {"Location": f"{host}{p}/landing.json"}),
            ),
            TOKEN_ENV,
            "bearer",
        ),
    }
    text = ""
    for name, (url, env, scheme) in blocks.items():
        if names is not None and name not in names:
            continue
        text += (
            f'[[source]]\nname = "{name}"\nkind = "http"\nurl = "{url}"\nformat = "ninjs"\n'
            f'auth = "env:{env}"\nauth_scheme = "{scheme}"\ntimeout_seconds = 1.5\n\n'
        )
    return text


# ---------------------------------------------------------------------------------------------
# The runs


@dataclass
class Run:
    name: str
    args: list[str]
    root: str
    process: subprocess.Popen[str] | None = None
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


def _environ(server: PrefectServer, home: Path, s3: S3Server) -> dict[str, str]:
    env = {
        **os.environ,
        "PREFECT_API_URL": server.api,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # Everything at DEBUG: Prefect's own loggers, the root logger (httpx, httpcore, ...),
        # and the library loggers shipped to the API as well as printed.
        "PREFECT_LOGGING_LEVEL": "DEBUG",
        "PREFECT_LOGGING_ROOT_LEVEL": "DEBUG",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "ingest,dedupe,storage,pipeline,record,httpx,httpcore",
        "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
        TOKEN_ENV: CANARY,
        BASIC_ENV: f"{USER}:{CANARY}",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": CANARY,
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": s3.endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return env


def _bucket(s3: S3Server) -> str:
    name = f"wiredup-secrets-{uuid.uuid4().hex[:8]}"
    _s3fs(s3).create_dir(name)
    return name


def _s3fs(s3: S3Server) -> pafs.S3FileSystem:
    return pafs.S3FileSystem(
        access_key=ACCESS_KEY,
        secret_key=CANARY,
        region="us-east-1",
        endpoint_override=s3.endpoint.removeprefix("http://"),
        scheme="http",
        allow_bucket_creation=True,
    )


@dataclass
class Outcome:
    runs: dict[str, Run]
    places: dict[str, str]  # where -> everything found there, as text
    lines: int  # log lines scanned
    requests_main: list[tuple[str, dict[str, str]]]
    requests_other: list[tuple[str, dict[str, str]]]
    api_logs: list[dict[str, Any]]
    tag: str


@pytest.fixture(scope="module")
def outcome(
    tmp_path_factory: pytest.TempPathFactory,
    secrets_server: PrefectServer,
    wire: Wire,
    s3_server: S3Server,
) -> Outcome:
    base = tmp_path_factory.mktemp("secrets")
    tag = base.name
    conf_all = base / "sources.toml"
    conf_all.write_text(_sources(wire, tag), encoding="utf-8")
    conf_s3 = base / "sources-s3.toml"
    conf_s3.write_text(_sources(wire, f"{tag}-s3", ["bearer-ok", "echo-401"]), encoding="utf-8")
    bucket = _bucket(s3_server)
    runs = {
        "local": Run("local", ["--sources", str(conf_all)], str(base / "data")),
        "s3": Run("s3", ["--sources", str(conf_s3)], f"s3://{bucket}/wire"),
        "s3-missing-bucket": Run(
            "s3-missing-bucket",
            ["--sources", str(conf_s3), "--no-report"],
            f"s3://wiredup-absent-{uuid.uuid4().hex[:8]}/wire",
        ),
    }
    for run in runs.values():  # in parallel: they share nothing but the servers
        run.process = subprocess.Popen(
            [sys.executable, "-m", "flows", "run", *run.args, "--root", run.root],
            cwd=PROJECT,
            env=_environ(secrets_server, base / f"prefect-{run.name}", s3_server),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    for run in runs.values():
        assert run.process is not None
        run.stdout, run.stderr = run.process.communicate(timeout=300)
        run.returncode = run.process.returncode

    places: dict[str, str] = {}
    lines = 0
    for run in runs.values():
        places[f"output {run.name} stdout"] = run.stdout
        places[f"output {run.name} stderr"] = run.stderr
        lines += len(run.stdout.splitlines()) + len(run.stderr.splitlines())
    for path in sorted((base / "data").rglob("*")):
        if path.is_file():
            places[f"root-file {path.relative_to(base)}"] = _file_text(path.read_bytes(), path.name)
    fs = _s3fs(s3_server)
    for info in fs.get_file_info(pafs.FileSelector(bucket, recursive=True)):
        if info.type == pafs.FileType.File:
            with fs.open_input_file(info.path) as fh:
                places[f"s3-object {info.path}"] = _file_text(fh.read(), info.path)
    for path in sorted(base.glob("prefect-*/**/*")):
        if path.is_file():
            places[f"client-home {path.relative_to(base)}"] = path.read_bytes().decode("latin-1")

    # What the Prefect server stored, through its REST API. The logs are shipped in batches:
    # they are all in once the processes have exited.
    server = secrets_server
    api_logs = server.post_all("/logs/filter")
    lines += len(api_logs)
    places["prefect-api logs"] = "\n".join(json.dumps(log) for log in api_logs)
    for kind in ("artifacts", "flow_runs", "task_runs"):
        places[f"prefect-api {kind}"] = "\n".join(
            json.dumps(r) for r in server.post_all(f"/{kind}/filter")
        )
    for path in sorted(server.home.rglob("*")):
        if path.is_file():
            places[f"server-home {path.name}"] = path.read_bytes().decode("latin-1")
    return Outcome(
        runs=runs,
        places=places,
        lines=lines,
        requests_main=[r for r in wire.main.requests if r[0].startswith(f"/secrets/{tag}")],
        requests_other=[r for r in wire.other.requests if r[0].startswith(f"/secrets/{tag}")],
        api_logs=api_logs,
        tag=tag,
    )


def _file_text(data: bytes, name: str) -> str:
    """The raw bytes as text, and a Parquet file's values and metadata read back."""
    parts = [data.decode("latin-1")]
    if name.endswith(".parquet"):
        table = pq.read_table(pa.BufferReader(data))
        parts += [repr(table.to_pylist()), repr(table.schema.metadata)]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# The checks


def test_the_runs_took_the_paths_they_were_meant_to(outcome: Outcome) -> None:
    local, s3, missing = (outcome.runs[n] for n in ("local", "s3", "s3-missing-bucket"))
    assert local.returncode == 0, local.stderr[-3000:]
    assert s3.returncode == 0, s3.stderr[-3000:]
    assert missing.returncode != 0, missing.stderr[-3000:]
    # The failed run's exception text, as the command line prints it, names the bucket.
    assert "wiredup: cannot write s3://wiredup-absent-" in missing.stderr, missing.stderr[-3000:]
    table = local.stdout
    # Authenticated sources landed their stories; the failures are rejects naming their cause.
    assert "bearer-ok/: " not in table and "Rejected:" in table
    for name, cause in [
        ("echo-401", "HTTP 401"),
        ("echo-403", "HTTP 403"),
        ("echo-500-storm", "HTTP 500"),
    ]:
        assert f"{name}/: fetch failed: GET" in table and cause in table, table
    stored = [p for p in outcome.places if p.startswith("root-file data/stories/")]
    assert stored, "no story was written"


def test_the_canary_went_on_the_wire_and_never_to_another_host(outcome: Outcome) -> None:
    sent = [h for _, h in outcome.requests_main]
    assert any(h.get("Authorization") == f"Bearer {CANARY}" for h in sent)
    assert any(h.get("Authorization") == f"Basic {BASIC}" for h in sent)
    assert any(h.get("X-Api-Key") == CANARY for h in sent)
    # The redirect and the next link went to localhost:<other port>, without the credential.
    paths = {p.rsplit("/", 1)[-1] for p, _ in outcome.requests_other}
    assert {"landing.json", "page2.json"} <= paths
    foreign = json.dumps(outcome.requests_other)
    assert all(form not in foreign for form in FORMS.values())
    assert all("authorization" not in {k.lower() for k in h} for _, h in outcome.requests_other)


def test_the_search_can_see_debug_lines(outcome: Outcome) -> None:
    stderr = outcome.places["output local stderr"]
    assert "httpcore.http11 - send_request_headers" in stderr
    assert "httpcore.connection - connect_tcp" in stderr
    assert "| DEBUG   |" in stderr
    assert "HTTP Request: GET http://127.0.0.1:" in stderr  # httpx's own line
    levels = {log["level"] for log in outcome.api_logs}
    assert 10 in levels, levels  # DEBUG records reached the server too
    assert any(log["name"].startswith("httpcore") for log in outcome.api_logs)
    assert any(
        "fetch failed" in text for where, text in outcome.places.items() if "rejects" in where
    )
    assert "wiredup-ingest-summary" in outcome.places["prefect-api artifacts"]
    # The failed run's exception is in its state, where the search looks.
    assert "cannot write s3://wiredup-absent-" in outcome.places["prefect-api flow_runs"]


def test_the_canary_appears_nowhere(outcome: Outcome) -> None:
    found = {
        f"{form} in {where}": text.count(value)
        for where, text in outcome.places.items()
        for form, value in FORMS.items()
        if value in text
    }
    kinds: dict[str, int] = {}
    for where in outcome.places:
        kind = where.split(" ", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    record(
        "secrets",
        "canary: places searched",
        len(outcome.places),
        "places",
        note=", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())),
    )
    carrying = [
        path
        for path, headers in outcome.requests_main
        if any(form in value for value in headers.values() for form in FORMS.values())
    ]
    record(
        "secrets",
        "canary: requests that carried it to the wire server",
        len(carrying),
        "requests",
        note="bearer, basic and X-Api-Key; 0 to the other host",
    )
    record(
        "secrets",
        "canary: log lines scanned",
        outcome.lines,
        "lines",
        note="stdout/stderr of 3 CLI runs at DEBUG + log records stored by the Prefect server",
    )
    record(
        "secrets",
        "canary: occurrences found",
        sum(found.values()),
        "",
        note=f"forms searched: {', '.join(FORMS)}",
    )
    assert found == {}
