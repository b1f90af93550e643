"""The Prefect UI as an operator uses it: headless Chromium opens the backfill deployment,
fills its form (dates, storage root), starts a run, and a worker carries it out.

Needs Debian's chromium (`.ci/run` installs it) and a real `prefect server` on loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.e2e.conftest import POOL, PREFECT, Server

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_an_operator_starts_a_backfill_from_the_ui_form(
    prefect_server: Server, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    api, env = prefect_server.api, prefect_server.env
    today = datetime.now(UTC).date()
    # Stories dated today, so the form's "Today" fills both ends of the range.
    folder = tmp_path / "in"
    folder.mkdir()
    body = (
        "Le Conseil municipal a voté jeudi le budget de la ville pour l'an prochain, "
        "avec une hausse des investissements dans les écoles et les transports publics."
    )
    (folder / "budget.txt").write_text(f" date {today.isoformat()} {body} (ats/nxp)")
    (folder / "budget_copie.txt").write_text(f" date {today.isoformat()} {body} (ats)")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "desk"\nkind = "directory"\npath = "in"\n')
    root = tmp_path / "data"
    ingest = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--sources", str(sources), "--root", str(root)],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr[-2000:]

    ui = api.removesuffix("/api")
    shot = tmp_path / "backfill-form.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(f"{ui}/deployments", wait_until="networkidle")
        page.get_by_role("link", name="backfill").first.click()
        page.get_by_role("button", name="Run", exact=True).click()
        page.get_by_text("Custom run", exact=True).click()
        page.wait_for_load_state("networkidle")
        for left in (1, 0):  # Date From, then Date To
            page.get_by_text("Select date").first.click()
            page.get_by_role("button", name="Today").click()
            page.get_by_role("button", name="Apply").click()
            # The picker has closed and the field holds the date once its placeholder is gone.
            page.wait_for_function(
                f"document.body.innerText.split('Select date').length - 1 === {left}"
            )
        page.locator("textarea").first.fill(str(root))
        page.keyboard.press("Tab")  # leave the field, so the form takes its value
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("WIREDUP_DOCS_SCREENSHOTS"):
            shutil.copy(shot, PROJECT / "docs" / "images" / "ui-backfill-form.png")
        deployment_id = page.url.split("/deployments/deployment/")[1].split("/")[0]
        page.get_by_role("button", name="Submit").click()
        # The UI goes back to the deployment's runs once the run is created.
        try:
            page.wait_for_url("**/deployments/deployment/*?tab=Runs", timeout=60_000)
        except Exception:
            page.screenshot(path=str(tmp_path / "after-submit.png"), full_page=True)
            raise
        # The same browser opens the HTML report the ingest run left beside the data.
        report = root / "reports" / "latest.html"
        page.goto(report.as_uri(), wait_until="load")
        report_text = page.inner_text("body")
        report_shot = tmp_path / "report.png"
        page.screenshot(path=str(report_shot), full_page=True)
        browser.close()
    assert "budget_copie" in report_text and "budget" in report_text
    assert report_shot.stat().st_size > 10_000
    assert shot.stat().st_size > 10_000

    runs = prefect_server.call(
        "POST", "/flow_runs/filter", {"deployments": {"id": {"any_": [deployment_id]}}}
    ).json()
    assert isinstance(runs, list)
    # Other tests share the server: this test's run is the one writing this test's root.
    [run] = [r for r in runs if r["parameters"]["params"].get("root") == str(root)]
    run_id = run["id"]
    assert run["parameters"]["params"]["date_from"] == today.isoformat()
    assert run["parameters"]["params"]["date_to"] == today.isoformat()
    assert run["parameters"]["params"]["root"] == str(root)

    worker = subprocess.run(
        [str(PREFECT), "worker", "start", "--pool", POOL, "--run-once"],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert worker.returncode == 0, worker.stdout[-2000:] + worker.stderr[-2000:]
    run = prefect_server.call("GET", f"/flow_runs/{run_id}").json()
    assert isinstance(run, dict)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    manifests = list((root / "clusterings").glob("*/manifest.json"))
    assert len(manifests) == 1
    manifest = json.loads(manifests[0].read_text())
    assert manifest["stories"] == 2 and manifest["clusters"] == 1
    artifacts = prefect_server.call(
        "POST", "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run_id]}}}
    ).json()
    assert isinstance(artifacts, list)
    assert any(a["key"] == "wiredup-backfill-summary" for a in artifacts)
