"""The soak, CI-sized: a growing wire feed through repeated scheduled runs, one process each.

The same code as ``python -m bench.soak`` (which `make soak` runs with 200,000 stories; the
figures are in docs/soak.md), on a few thousand stories: every distinct item served ends up
in the dataset exactly once, each run's peak RSS stays near the others', and the history
window each run loads is bounded by the stories dated within ``window_days`` of its own, not
by the history. ``WIREDUP_SOAK_STORIES`` and ``WIREDUP_SOAK_RUNS`` size it.
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest

from bench.soak import SoakConfig, SoakResult, run_soak
from tests.prefect_server import Server
from tests.reliability.figures import record

pytestmark = pytest.mark.e2e

STORIES = int(os.environ.get("WIREDUP_SOAK_STORIES", "3000"))
RUNS = int(os.environ.get("WIREDUP_SOAK_RUNS", "4"))
#: A run's stories span 5 simulated days and the window reaches 7 days either side of them:
#: from the third run on, the window holds less than the history, so a window that grew with
#: the history would exceed its bound.
CONFIG = SoakConfig(stories=STORIES, runs=RUNS, days_per_tick=5.0, window_days=7, run_timeout=300)
#: No run may peak above this multiple of the median run: loose enough that noise cannot
#: flake, tight enough for memory that grows with the stored history.
PEAK_BOUND = 1.5


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory, prefect_server: Server) -> SoakResult:
    workdir: Path = tmp_path_factory.mktemp("soak")
    result = run_soak(CONFIG, workdir, say=lambda line: None, api=prefect_server.api)
    peaks = result.peaks()
    windows = [r.window or 0 for r in result.runs]
    record("soak", "stories fed (distinct source/item_id/version)", result.fed)
    record("soak", "scheduled runs (one process each)", len(result.runs))
    if peaks:
        record(
            "soak",
            "peak RSS per run, min/median/max",
            f"{min(peaks):.0f}/{statistics.median(peaks):.0f}/{max(peaks):.0f}",
            "MiB",
        )
    record("soak", "window max", max(windows, default=0), "stories", f"history {result.fed}")
    record("soak", "lost", result.lost)
    record("soak", "duplicated", result.duplicated)
    record("soak", "wall", f"{result.seconds:.0f}", "s", f"{STORIES} stories, {RUNS} runs")
    return result


def test_every_run_completes_and_sees_new_and_stored_stories(soak: SoakResult) -> None:
    assert len(soak.runs) == RUNS, [(r.run, r.returncode, r.log) for r in soak.runs]
    for run in soak.runs:
        assert run.returncode == 0, run.log
        # Each run stores exactly what its tick published; the feed's overlap is already stored.
        assert run.new == run.published, run.log
        assert run.already == run.fed - run.published, run.log
        assert run.rejected == 0, run.log
    assert soak.runs[-1].already, "the feeds never showed an already stored story"


def test_dataset_holds_every_distinct_item_fed_exactly_once(soak: SoakResult) -> None:
    assert soak.fed == soak.published == STORIES
    assert soak.in_dataset_duckdb == soak.distinct_duckdb == soak.fed
    assert soak.in_dataset == soak.fed
    assert (soak.lost, soak.duplicated, soak.unexpected, soak.rejected) == (0, 0, 0, 0)
    assert soak.run_rows == RUNS
    assert soak.run_rows_new == soak.fed


def test_peak_memory_stays_flat_across_runs(soak: SoakResult) -> None:
    peaks = soak.peaks()
    assert len(peaks) >= 3
    median = statistics.median(peaks[1:])
    assert max(peaks) <= PEAK_BOUND * median, [f"{p:.0f} MiB" for p in peaks]


def test_history_window_is_bounded_by_dates_not_history(soak: SoakResult) -> None:
    later = soak.runs[1:]
    assert later
    for run in later:
        assert run.window is not None, run.log
        # Never more than the stories dated within window_days of the run's own ...
        assert run.window <= run.window_bound, (run.run, run.window, run.window_bound)
        # ... and all of them but the killed items' versions: the run matched against history.
        assert run.window >= 0.95 * run.window_bound, (run.run, run.window, run.window_bound)
    # The bound is below the history at the end, so a window that grew with it would show.
    assert later[-1].window_bound < later[-1].stored_before
