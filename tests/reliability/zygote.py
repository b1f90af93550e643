"""The test side of tests/reliability/crashrun.py: start its servers, send them commands."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from tests.conftest import PROJECT

__all__ = ["Zygote", "Zygotes"]

T = TypeVar("T")
R = TypeVar("R")


class Zygote:
    """The ``crashrun`` server: one imported interpreter, one forked child per command."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crashrun"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(
        self,
        argv: list[str],
        work: Path,
        kill_at: int | None = None,
        env: dict[str, str] | None = None,
        fault_at: int | None = None,
        fault: list[str] | None = None,
    ) -> tuple[dict[str, int], list[tuple[int, str]], str]:
        """Run ``wiredup ARGV``; return how it ended, the steps it took and its output."""
        work.mkdir(parents=True, exist_ok=True)
        trace, out = work / "steps.jsonl", work / "output.txt"
        trace.unlink(missing_ok=True)
        out.unlink(missing_ok=True)
        request = {
            "argv": argv,
            "env": env or {},
            "kill_at": kill_at,
            "fault_at": fault_at,
            "fault": fault,
            "trace": str(trace),
            "out": str(out),
        }
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the crashrun server died:\n{out.read_text() if out.exists() else ''}"
        steps = (
            [tuple(json.loads(s)) for s in trace.read_text().splitlines()] if trace.exists() else []
        )
        return json.loads(line), steps, out.read_text() if out.exists() else ""  # type: ignore[return-value]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


class Zygotes:
    """A few crashrun servers, so kill points are tried in parallel (one per core)."""

    def __init__(self, env: dict[str, str], count: int) -> None:
        self.all = [Zygote(env) for _ in range(count)]
        self.free: queue.Queue[Zygote] = queue.Queue()
        for z in self.all:
            self.free.put(z)

    def map(self, work: Callable[[Zygote, T], R], items: list[T]) -> list[R]:
        """``work(zygote, item)`` for every item, each on a free server; results in order."""

        def on_free(item: T) -> R:
            z = self.free.get()
            try:
                return work(z, item)
            finally:
                self.free.put(z)

        with ThreadPoolExecutor(len(self.all)) as pool:
            return list(pool.map(on_free, items))

    def close(self) -> None:
        for z in self.all:
            z.close()
