"""A deployment's run resolves relative paths in its project folder or refuses them at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.roots import open_root
from flows.workdir import PROJECT_MARKER, relative_path_refusal
from ingest import ConfigError
from tests.conftest import PROJECT

DEPLOYMENT = "5f0c7e0e-1111-4a4a-9b9b-000000000001"


def test_a_deployment_run_in_a_foreign_folder_refuses_a_relative_path(tmp_path: Path) -> None:
    refusal = relative_path_refusal("data", field="root", cwd=tmp_path, deployment_id=DEPLOYMENT)
    assert isinstance(refusal, ConfigError)
    message = str(refusal)
    assert "root" in message and "'data' is relative" in message
    assert str(tmp_path) in message and DEPLOYMENT in message
    assert "prefect deploy --all" in message and "absolute path" in message


def test_the_project_folder_absolute_paths_and_uris_are_fine(tmp_path: Path) -> None:
    assert (PROJECT / PROJECT_MARKER).is_file()
    fine = [
        ("data", PROJECT, DEPLOYMENT),  # the folder `prefect deploy` records
        (str(tmp_path / "data"), tmp_path, DEPLOYMENT),
        ("s3://wire/prod", tmp_path, DEPLOYMENT),
        ("data", tmp_path, None),  # the command line: the operator's own folder
    ]
    for path, cwd, deployment in fine:
        assert relative_path_refusal(path, field="root", cwd=cwd, deployment_id=deployment) is None


def test_outside_a_deployment_open_root_takes_a_relative_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = open_root("data")
    assert root.local_path == (tmp_path / "data").resolve()
