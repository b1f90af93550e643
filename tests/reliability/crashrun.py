"""Run `wiredup` commands in child processes that SIGKILL themselves at a chosen write step.

``python -m tests.reliability.crashrun`` imports the project once and then serves requests
read as JSON lines on stdin, one child process per request (``os.fork``): starting Python and
importing Prefect costs seconds, and a crash campaign runs the command line a hundred times.
Each child is a real process running ``flows.cli.main`` against a real Prefect server
(``PREFECT_API_URL``) and a real storage root; nothing in the write path is faked.

The only thing added in the child is a counter at the storage seam. Every step that changes
the storage root is numbered, written to the request's ``trace`` file and, when its number is
the request's ``kill_at``, preceded by ``SIGKILL`` to the child itself: no ``finally``, no
``atexit``, no flush, exactly as if an operator or the kernel killed it there. The steps:

- ``put <relpath>``: ``StorageRoot.write_bytes`` is about to write a file (local root: before
  its temporary file is written; object store: before the PUT);
- ``rename <relpath>``: local root only, the temporary file is written and synced and is about
  to be renamed into place;
- ``delete <relpath>``: ``StorageRoot.delete`` is about to delete a file;
- ``lock <what>``: the writer lock is about to be created (``link``) or taken over (``rename``).

A request may also name a fault instead of (or before) a kill: ``fault_at`` is a step number
and ``fault`` a command run just before that step (say, filling the disk under the root or
remounting it read-only), after which the step goes ahead and meets the fault.

Request: ``{"argv": [...], "env": {...}, "kill_at": N | null, "fault_at": N | null,
"fault": [...] | null, "trace": path, "out": path}``.
Reply: ``{"exit": code}`` or ``{"signal": number}``, one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main"]


class _Counter:
    def __init__(
        self, kill_at: int | None, trace: str, fault_at: int | None, fault: list[str] | None
    ) -> None:
        self.kill_at = kill_at
        self.fault_at = fault_at
        self.fault = fault
        self.trace = trace
        self.count = 0

    def step(self, label: str) -> None:
        self.count += 1
        with open(self.trace, "a", encoding="utf-8") as out:
            out.write(json.dumps([self.count, label]) + "\n")
        if self.count == self.fault_at and self.fault:
            # The fault happens to the root under the running process (a full disk, a
            # read-only remount), then the step goes on and meets it.
            subprocess.run(self.fault, check=True, capture_output=True)
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)


class _Os:
    """The ``os`` module with a step before the calls that change the root."""

    def __init__(self, before: dict[str, Callable[..., str]], counter: _Counter) -> None:
        self._before = before
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        label = self._before.get(name)
        if label is None:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self._counter.step(label(*args))
            return real(*args, **kwargs)

        return call


def _tail(path: Any, parts: int = 3) -> str:
    return "/".join(Path(os.fspath(path)).parts[-parts:])


def _install(counter: _Counter) -> None:
    import storage.lock
    import storage.root
    from storage.root import StorageRoot

    write_bytes = StorageRoot.write_bytes
    delete = StorageRoot.delete

    def counted_write(self: StorageRoot, relpath: str, data: bytes) -> None:
        counter.step(f"put {relpath}")
        write_bytes(self, relpath, data)

    def counted_delete(self: StorageRoot, relpath: str) -> None:
        counter.step(f"delete {relpath}")
        delete(self, relpath)

    StorageRoot.write_bytes = counted_write  # type: ignore[method-assign]
    StorageRoot.delete = counted_delete  # type: ignore[method-assign]
    storage.root.os = _Os(  # type: ignore[attr-defined]
        {"replace": lambda src, dst: f"rename {_tail(dst)}"}, counter
    )
    storage.lock.os = _Os(  # type: ignore[attr-defined]
        {"link": lambda src, dst: "lock create", "rename": lambda src, dst: "lock take-over"},
        counter,
    )


def _child(request: dict[str, Any]) -> None:
    out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(out, 1)
    os.dup2(out, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os.environ.update(request.get("env") or {})
    code = 1
    try:
        _install(
            _Counter(
                request.get("kill_at"),
                request["trace"],
                request.get("fault_at"),
                request.get("fault"),
            )
        )
        from flows.cli import main as wiredup

        code = wiredup(request["argv"])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def main() -> None:
    # Everything a run needs, imported once before the first fork.
    import flows.backfill
    import flows.cli
    import flows.ingest
    import flows.maintenance  # noqa: F401

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            reply = {"signal": os.WTERMSIG(status)}
        else:
            reply = {"exit": os.WEXITSTATUS(status)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
