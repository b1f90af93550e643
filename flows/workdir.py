"""Where a deployment's flow run resolves relative paths: its project folder, or nowhere.

A flow run of a deployment starts in the folder its pull step sets. Deployed from prefect.yaml
with ``prefect deploy``, that is the project folder, recorded as an absolute path, and the
relative paths of the parameters (``data``, ``sources.toml``) are the project's. Deployed some
other way (no pull step, or one that names a folder the worker lacks), a process worker runs the
flow in a temporary folder of its own; a relative root there would be a fresh, empty root that
an ingest fills and a maintenance run compacts, with nothing said. So in a deployment's run a
relative local path is refused at once unless the working folder is a Wiredup project folder
(it holds prefect.yaml). Runs of the command line resolve against the operator's own folder,
as any command does.
"""

from __future__ import annotations

from pathlib import Path

from record.errors import ConfigError

__all__ = ["PROJECT_MARKER", "check_relative_path", "relative_path_refusal"]

#: The file whose presence makes a folder a Wiredup project folder.
PROJECT_MARKER = "prefect.yaml"


def relative_path_refusal(
    path: str, *, field: str, cwd: Path, deployment_id: str | None
) -> ConfigError | None:
    """The error to raise for ``path`` in a run working in ``cwd``, or None if it is fine."""
    if deployment_id is None or "://" in path or Path(path).expanduser().is_absolute():
        return None
    if (cwd / PROJECT_MARKER).is_file():
        return None
    return ConfigError(
        f"{path!r} is relative, and this run of deployment {deployment_id} works in {cwd}, "
        f"which is not the Wiredup project folder (no {PROJECT_MARKER} there): run "
        "`prefect deploy --all` from the project folder, which records the folder in the "
        "deployment's pull step, or give an absolute path",
        field=field,
    )


def check_relative_path(path: str, *, field: str) -> None:
    """Raise ``ConfigError`` if a deployment's run would resolve ``path`` in a foreign folder."""
    from prefect.runtime import deployment

    refusal = relative_path_refusal(
        path, field=field, cwd=Path.cwd(), deployment_id=deployment.get_id()
    )
    if refusal is not None:
        raise refusal
