"""Progress of long work (fetching each source, signing each batch), shown where it is useful.

The flow reports progress to whatever sink the caller installed for the current context: the
command line installs a rich progress display on a terminal; anywhere else (a worker, a
deployment, a pipe) progress becomes plain log lines, which is what a log file can keep.
A context variable rather than a flow parameter, because a display is not a parameter the
Prefect UI could render or a deployment could store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.progress import TaskID

__all__ = ["LogProgress", "ProgressSink", "RichProgress", "current", "installed"]


class ProgressSink(Protocol):
    """Where progress goes: ``update(stage, done, total, detail)``, then ``close()``."""

    def update(self, stage: str, done: int, total: int, detail: str = "") -> None: ...

    def close(self) -> None: ...


class LogProgress:
    """Progress as log lines: one per update, on the given logger."""

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[logging.Logger]) -> None:
        self._logger = logger

    def update(self, stage: str, done: int, total: int, detail: str = "") -> None:
        """Log one line: ``stage: done/total (detail)``."""
        self._logger.info("%s: %d/%d%s", stage, done, total, f" ({detail})" if detail else "")

    def close(self) -> None:
        """Nothing to release."""


class RichProgress:
    """A rich progress display (one bar per stage) on a terminal stream, stderr by default."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        # Imported here: rich is only needed where a terminal shows the bars.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(file=stream, stderr=stream is None)
        self._progress = Progress(
            TextColumn("{task.description:<36}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            # The bars leave the screen once done: the run ends with the per-source table.
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}
        self._progress.start()

    def update(self, stage: str, done: int, total: int, detail: str = "") -> None:
        """Move the bar of ``stage`` (created on first use) to ``done`` of ``total``."""
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._progress.add_task(stage, total=total)
        description = f"{stage} {detail}" if detail else stage
        self._progress.update(task, completed=done, total=total, description=description)

    def close(self) -> None:
        """Stop the display."""
        self._progress.stop()


_SINK: ContextVar[ProgressSink | None] = ContextVar("wiredup_progress", default=None)


def current() -> ProgressSink | None:
    """The sink installed for this context, if any."""
    return _SINK.get()


@contextmanager
def installed(sink: ProgressSink) -> Iterator[ProgressSink]:
    """Install ``sink`` for the code run inside the block, and close it at the end."""
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)
        sink.close()
