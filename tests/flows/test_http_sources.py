"""HTTP sources through the whole flow, against a real server on 127.0.0.1.

Conditional GET across runs, cursors that move only after a durable write, paginated ninjs with
bearer auth, the Reuters usable/canceled pair in both orders, content types, and a canary token
that must not appear in any output.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client

from dedupe import DEFAULT_MINHASH
from flows.ingest import ingest_flow
from flows.params import IngestParameters
from ingest import StorageError
from pipeline.summary import RunSummary
from storage import (
    StorageRoot,
    load_window,
    read_cursor,
    read_kills,
    read_rejects,
    read_runs,
    read_stories,
)
from tests.conftest import shared_path
from tests.wire_server import Handler, WireServer

STORY_V1 = (
    " date 2026-11-20 Le Conseil d'Etat genevois a présenté mardi un plan de rénovation des "
    "écoles primaires du canton, qui prévoit la remise à neuf de quarante bâtiments.\n\n"
    "Le projet doit encore passer devant le Grand Conseil. (ats/nxp)"
)
STORY_V2 = (
    " date 2026-11-21 The city council of Leeds approved on Thursday a new cycling plan that "
    "adds forty kilometres of protected lanes across the northern districts by 2029. (Reuters)"
)
CANARY = "CANARY-wiredup-5b0e7c1d9a"


def _params(tmp_path: Path, body: str) -> IngestParameters:
    conf = tmp_path / "sources.toml"
    conf.write_text(body, encoding="utf-8")
    return IngestParameters(sources_file=str(conf), root=str(tmp_path / "data"))


def _versioned(state: dict[str, bytes | str]) -> Callable[[Handler], None]:
    """Serve ``state['body']`` with ETag ``state['etag']``, 304 when the client has it."""

    def serve(h: Handler) -> None:
        etag = str(state["etag"])
        if h.headers.get("If-None-Match") == etag:
            h.reply(304, headers={"ETag": etag})
        else:
            body = state["body"]
            assert isinstance(body, bytes)
            h.reply(200, body, {"ETag": etag, "Content-Type": str(state.get("type", "text/plain"))})

    return serve


def _ninjs_item(version: int, day: int, body: str) -> bytes:
    item = {
        "uri": "urn:wiredup-test:ecoles",
        "version": str(version),
        "versioncreated": f"2026-11-{day}T10:00:00Z",
        "headline": "Plan de rénovation des écoles",
        "body_text": body,
    }
    return json.dumps(item).encode()


def test_second_run_fetches_nothing_new_and_the_cursor_moves_after_writing(
    tmp_path: Path, wire_server: WireServer
) -> None:
    state: dict[str, bytes | str] = {"body": _ninjs_item(1, 20, STORY_V1[17:]), "etag": '"v1"'}
    url = wire_server.route("/flow/cond/item.json", _versioned(state))
    params = _params(
        tmp_path, f'[[source]]\nname = "wire"\nkind = "http"\nurl = "{url}"\nformat = "ninjs"\n'
    )
    root = StorageRoot(params.root)

    first = ingest_flow(params)
    assert (first.total.fetched, first.total.new, first.total.not_modified) == (1, 1, 0)
    cursor = read_cursor(root, "wire")
    assert cursor is not None and (cursor.url, cursor.etag) == (url, '"v1"')
    assert cursor.last_item_time is not None and cursor.last_item_time.day == 20

    second = ingest_flow(params)
    assert (second.total.fetched, second.total.new, second.total.not_modified) == (0, 0, 1)
    assert "not_modified" in second.table()
    assert read_cursor(root, "wire") == cursor  # nothing new: the cursor stays

    # Version 2 of the item, but the stories part cannot be written: the run fails and the
    # cursor stays where it was, so the next run fetches it again.
    state.update(body=_ninjs_item(2, 21, STORY_V1[17:] + " Mise à jour."), etag='"v2"')
    blocker = Path(params.root) / "stories" / "story_date=2026-11-21"
    blocker.write_bytes(b"not a folder")
    with pytest.raises(StorageError):
        ingest_flow(params)
    assert read_cursor(root, "wire") == cursor
    assert read_runs(root).column("status").to_pylist() == ["completed", "completed", "failed"]

    blocker.unlink()
    fourth = ingest_flow(params)
    assert (fourth.total.fetched, fourth.total.new) == (1, 1)
    moved = read_cursor(root, "wire")
    assert moved is not None and moved.etag == '"v2"'
    assert moved.last_item_time is not None and moved.last_item_time.day == 21
    # A new version is a new record of the same item, never a duplicate row.
    rows = read_stories(root, ["item_id", "version", "story_id"]).to_pylist()
    assert sorted((r["item_id"], r["version"]) for r in rows) == [
        ("urn:wiredup-test:ecoles", 1),
        ("urn:wiredup-test:ecoles", 2),
    ]


def test_content_type_is_a_hint_the_bytes_decide(tmp_path: Path, wire_server: WireServer) -> None:
    odd = wire_server.static(
        "/flow/type/odd.bin",
        STORY_V1.encode(),
        headers={"Content-Type": "application/octet-stream"},
    )
    html = b"<html><body><h1>Maintenance</h1></body></html>"
    page = wire_server.static("/flow/type/page.txt", html, headers={"Content-Type": "text/html"})
    params = _params(
        tmp_path,
        f'[[source]]\nname = "odd"\nkind = "http"\nurl = "{odd}"\n\n'
        f'[[source]]\nname = "page"\nkind = "http"\nurl = "{page}"\nformat = "text"\n',
    )
    summary = ingest_flow(params)
    assert summary.per_source["odd"].new == 1  # detected as text despite the content type
    assert summary.per_source["page"].rejected == 1
    root = StorageRoot(params.root)
    (reject,) = read_rejects(root).to_pylist()
    assert reject["source"] == "page" and reject["location"] == page
    assert root.read_bytes(reject["quarantine_path"]) == html  # nothing lost


def _ninjs_items() -> list[dict[str, object]]:
    folder = shared_path("fixtures", "ninjs")
    names = ["v2.1/dpa_text.json", "v2.1/ntb_text.json", "v3.0/tt_text_image_3.json"]
    return [json.loads((folder / n).read_text(encoding="utf-8")) for n in names]


def test_paginated_ninjs_with_bearer_auth_from_env(
    tmp_path: Path, wire_server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _ninjs_items()
    token = "tok-ninjs-123"
    monkeypatch.setenv("WIREDUP_TEST_NINJS_TOKEN", token)

    def page(n: int) -> Callable[[Handler], None]:
        def serve(h: Handler) -> None:
            if h.headers.get("Authorization") != f"Bearer {token}":
                h.reply(401, b"who are you")
                return
            nxt = f"/flow/ninjs/{n + 1}" if n < len(items) else None
            body = {"items": [items[n - 1]], "links": {"next": nxt}}
            h.reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

        return serve

    for n in range(1, len(items) + 1):
        wire_server.route(f"/flow/ninjs/{n}", page(n))
    params = _params(
        tmp_path,
        f'[[source]]\nname = "api"\nkind = "http"\nurl = "{wire_server.url("/flow/ninjs/1")}"\n'
        'format = "ninjs"\nauth = "env:WIREDUP_TEST_NINJS_TOKEN"\n',
    )
    summary = ingest_flow(params)
    assert summary.per_source["api"].fetched == 3
    assert summary.per_source["api"].rejected == 0, summary.reject_reasons
    assert summary.per_source["api"].new == 3
    cursor = read_cursor(StorageRoot(params.root), "api")
    # The cursor holds the first page's validators: the next run asks that page again.
    assert cursor is not None and cursor.url == wire_server.url("/flow/ninjs/1")


REUTERS = "newsml-g2/other-agencies/reuters_L1N14N0FF_v{}.xml"


@pytest.mark.parametrize("order", ["usable-then-canceled", "canceled-then-usable"])
def test_reuters_kill_in_either_order_leaves_the_window(
    tmp_path: Path, wire_server: WireServer, order: str
) -> None:
    usable = shared_path("fixtures", REUTERS.format("978556838_usable")).read_bytes()
    canceled = shared_path("fixtures", REUTERS.format("1542761538_canceled")).read_bytes()
    first, second = (usable, canceled) if order.startswith("usable") else (canceled, usable)
    state: dict[str, bytes | str] = {"body": first, "etag": '"1"', "type": "application/xml"}
    url = wire_server.route(f"/flow/reuters/{order}", _versioned(state))
    params = _params(
        tmp_path,
        f'[[source]]\nname = "reuters"\nkind = "http"\nurl = "{url}"\nformat = "newsml-g2"\n',
    )
    one = ingest_flow(params)
    state.update(body=second, etag='"2"')
    two = ingest_flow(params)
    assert (one.total.new, two.total.new) == (1, 1), (one.reject_reasons, two.reject_reasons)

    root = StorageRoot(params.root)
    stories = read_stories(root).to_pylist()
    assert len(stories) == 2 and len({s["story_id"] for s in stories}) == 2
    assert {s["item_id"] for s in stories} == {"tag:reuters.com,0000:newsml_L1N14N0FF"}
    assert sorted(s["pubstatus"] for s in stories) == ["canceled", "usable"]
    kills = read_kills(root).to_pylist()
    assert [(k["source"], k["item_id"]) for k in kills] == [
        ("reuters", "tag:reuters.com,0000:newsml_L1N14N0FF")
    ]
    dates = sorted(s["story_date"] for s in stories)
    window = load_window(root, DEFAULT_MINHASH, dates[0], dates[-1])
    assert len(window.story_ids) == 0
    # Either order, the two versions are one story: the later one joins the earlier's cluster.
    assert len({s["cluster_id"] for s in stories}) == 1, stories
    later = max(stories, key=lambda s: s["ingested_at"])
    assert later["dup_kind"] == "version", later


def _scan_outputs(root: Path) -> str:
    """Every byte under the storage root, Parquet decoded to its values, as one text."""
    parts = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        parts.append(data.decode("utf-8", "replace"))
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            parts.append(repr(table.to_pylist()))
            parts.append(repr(table.schema.metadata))
    return "\n".join(parts)


async def _prefect_logs_and_artifacts() -> str:
    async with get_client() as client:
        logs = await client.read_logs()
        artifacts = await client.read_artifacts()
        runs = await client.read_flow_runs()
        task_runs = await client.read_task_runs()
    return "\n".join(
        [repr(log.message) for log in logs]
        + [repr(a.data) for a in artifacts]
        + [repr(r.parameters) for r in runs]
        + [repr(r.state) for r in runs]
        + [repr(t.task_inputs) for t in task_runs]
    )


def test_canary_token_appears_in_no_output(
    tmp_path: Path,
    wire_server: WireServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("WIREDUP_TEST_CANARY", CANARY)
    Secret(value=CANARY).save("wiredup-test-canary", overwrite=True)
    authorised: list[str] = []

    def guarded(h: Handler) -> None:
        if h.headers.get("Authorization") == f"Bearer {CANARY}":
            authorised.append(h.path)
            h.reply(200, STORY_V1.encode(), {"ETag": '"c1"'})
        else:
            h.reply(401, b"denied")

    ok = wire_server.route("/flow/canary/ok.txt", guarded)
    key = wire_server.route(
        "/flow/canary/key.txt",
        lambda h: (
            h.reply(200, STORY_V2.encode())
            if h.headers.get("X-Api-Key") == CANARY
            else h.reply(403, b"no")
        ),
    )
    down = wire_server.static("/flow/canary/down.txt", b"oops", 500)
    denied = wire_server.static("/flow/canary/denied.txt", b"no", 401)
    blocks = [
        ("ok", ok, "env:WIREDUP_TEST_CANARY", "bearer", ""),
        ("key", key, "prefect-secret:wiredup-test-canary", "header:X-Api-Key", ""),
        ("down", down, "env:WIREDUP_TEST_CANARY", "bearer", "timeout_seconds = 1\n"),
        ("denied", denied, "env:WIREDUP_TEST_CANARY", "bearer", ""),
        ("missing", denied, "env:WIREDUP_TEST_NOT_SET", "bearer", ""),
    ]
    text = ""
    for name, url, auth, scheme, extra in blocks:
        text += (
            f'[[source]]\nname = "{name}"\nkind = "http"\nurl = "{url}"\nformat = "text"\n'
            f'auth = "{auth}"\nauth_scheme = "{scheme}"\n{extra}\n'
        )
    params = _params(tmp_path, text)
    summary: RunSummary = ingest_flow(params)

    # The token did its job: the guarded routes answered and produced stories.
    assert authorised and summary.per_source["ok"].new == 1
    assert summary.per_source["key"].new == 1
    assert summary.per_source["down"].rejected == 1
    assert summary.per_source["denied"].rejected == 1
    assert summary.per_source["missing"].rejected == 1
    reasons = " ".join(r for _, _, r in summary.reject_reasons)
    assert "HTTP 500" in reasons and "HTTP 401" in reasons and "WIREDUP_TEST_NOT_SET" in reasons

    outputs = {
        "storage root": _scan_outputs(Path(params.root)),
        "log records": caplog.text + "\n".join(repr(r.__dict__) for r in caplog.records),
        "prefect logs, artifacts, runs": asyncio.run(_prefect_logs_and_artifacts()),
        "summary": summary.table() + summary.markdown() + repr(summary),
        "stdout/stderr": "".join(capsys.readouterr()),
        "runs": repr(read_runs(StorageRoot(params.root)).to_pylist()),
    }
    leaks = [where for where, text in outputs.items() if CANARY in text]
    assert leaks == []
    # The scan itself can see what it looks for.
    assert (
        "HTTP 401" in outputs["storage root"] and "GET http://127.0.0.1" in outputs["log records"]
    )


def test_a_failed_run_error_carries_no_secret(
    tmp_path: Path, wire_server: WireServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREDUP_TEST_CANARY", CANARY)
    url = wire_server.static("/flow/canary-fail/x.txt", STORY_V1.encode())
    params = _params(
        tmp_path,
        f'[[source]]\nname = "x"\nkind = "http"\nurl = "{url}"\nformat = "text"\n'
        'auth = "env:WIREDUP_TEST_CANARY"\n',
    )
    blocker = Path(params.root) / "stories" / "story_date=2026-11-20"
    blocker.parent.mkdir(parents=True)
    blocker.write_bytes(b"a file where a folder must be")
    with pytest.raises(StorageError) as info:
        ingest_flow(params)
    chain = []
    exc: BaseException | None = info.value
    while exc is not None:
        chain.append(f"{exc!r} {exc}")
        exc = exc.__cause__ or exc.__context__
    assert all(CANARY not in text for text in chain)
    (run,) = read_runs(StorageRoot(params.root)).to_pylist()
    assert run["status"] == "failed" and CANARY not in (run["error"] or "")
    shutil.rmtree(params.root)
