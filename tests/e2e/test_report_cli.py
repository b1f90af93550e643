"""``wiredup report`` end to end: plain Python over a stored dataset, no Prefect server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import wiredup

pytestmark = pytest.mark.e2e


def test_report_out_writes_a_page_without_a_server(tmp_path: Path) -> None:
    root = tmp_path / "data"
    run = wiredup("run", "--root", str(root), "--no-report", home=tmp_path / "prefect")
    assert run.returncode == 0, run.stderr[-3000:]
    assert not (root / "reports").exists()  # --no-report kept the run from drawing it
    out = tmp_path / "page" / "wires.html"
    report = wiredup("report", "--root", str(root), "--out", str(out), home=tmp_path / "prefect")
    assert report.returncode == 0, report.stderr[-3000:]
    assert str(out) in report.stdout
    text = out.read_text(encoding="utf-8")
    assert "<svg id='per-day'" in text and "<svg id='timeline'" in text
    # The command is plain Python: it starts no temporary Prefect server.
    assert "Starting temporary server" not in report.stderr + report.stdout


def test_report_defaults_into_the_root(tmp_path: Path) -> None:
    report = wiredup("report", "--root", str(tmp_path / "empty"), home=tmp_path / "prefect")
    assert report.returncode == 0, report.stderr[-3000:]
    assert "No story is stored yet" in (tmp_path / "empty" / "reports" / "latest.html").read_text(
        encoding="utf-8"
    )
