"""The same inputs give the same story rows, run ids and times aside.

The golden rows were recorded with the command line before the pipeline was drawn out of the
flow; here the plain pipeline (``pipeline.run_ingest``) writes the same inputs, and the
command line does once more for the samples, so flow, command line and pipeline are one path.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest import load_sources
from pipeline import process_map, run_ingest
from storage import StorageRoot
from tests.golden.inputs import INPUTS, write_input
from tests.golden.rows import golden_rows, read_golden


@pytest.mark.parametrize("name", list(INPUTS))
def test_the_pipeline_writes_the_golden_rows(name: str, tmp_path: Path) -> None:
    needed = INPUTS[name]
    if needed is not None and not needed.exists():
        pytest.skip(f"{needed} is absent: this input needs ../shared beside the clone")
    sources = load_sources(write_input(name, tmp_path))
    root = tmp_path / "root"
    summary = run_ingest(sources, StorageRoot(str(root)), "golden", map_batches=process_map(2))
    assert summary.total.new == len(read_golden(name))
    assert golden_rows(root) == read_golden(name)


def test_the_command_line_writes_the_golden_rows_of_the_samples(tmp_path: Path) -> None:
    sources = write_input("samples", tmp_path)
    root = tmp_path / "root"
    subprocess.run(
        [sys.executable, "-m", "flows", "run", "--sources", str(sources), "--root", str(root),
         "--no-report"],
        check=True,
        capture_output=True,
        cwd=sources.parent,
    )  # fmt: skip
    assert golden_rows(root) == read_golden("samples")
