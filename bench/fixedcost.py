"""The fixed cost of one ``wiredup run``: what a run on the bundled samples spends, by phase.

Each turn is a fresh process, ``python -m flows run`` on ``sources.toml`` (what ``make run``
runs, without the install) into an empty root, timed from start to exit and cut into phases by
the stamps of its own log lines: before the flow run begins (imports, Prefect's temporary
server, the flow run's creation), the flow run, and after it (the command letting the server
record the run, stopping it, exiting). Beside it, in the same run, the floor Prefect sets: its
temporary server started alone (the command ``flows.server`` starts) until it answers its
health check. Prefect's home is a folder of the benchmark's, made by one untimed run first.
``--stories N`` runs on N files of ``bench.endtoend``'s corpus of real stories instead (every
k-th by name, so each corpus has its share; ``../shared`` needed), to show what a run of that
size adds.

    .venv/bin/python -m bench.fixedcost [--turns 3] [--sources FILE | --stories N]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.targets import print_targets

PROJECT = Path(__file__).resolve().parent.parent
_STAMP = re.compile(r"^(\d\d:\d\d:\d\d\.\d+) \| \w+ +\| (.*)$", re.MULTILINE)


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    return env


def _at(started: float, clock: str) -> float:
    # A log stamp (local time of day) as seconds since the process started.
    day = datetime.fromtimestamp(started)
    stamp = datetime.combine(day.date(), datetime.strptime(clock, "%H:%M:%S.%f").time())
    if stamp.timestamp() < started - 3600:  # the run crossed midnight
        stamp += timedelta(days=1)
    return stamp.timestamp() - started


def run_phases(sources: Path, root: Path, home: Path) -> dict[str, float]:
    """One ``wiredup run`` in a fresh process: its phases in seconds."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "flows", "run", "--sources", str(sources), "--root", str(root)],
        cwd=PROJECT,
        env=_env(home),
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.time() - started
    if done.returncode != 0:
        raise SystemExit(f"wiredup run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    lines = [(_at(started, clock), text) for clock, text in _STAMP.findall(done.stderr)]
    begin = next(t for t, text in lines if "Beginning flow run" in text)
    end = next(
        t for t, text in reversed(lines) if text.startswith("Flow run") and "Finished" in text
    )
    return {"total": total, "before": begin, "flow": end - begin, "after": total - end}


def server_alone(home: Path) -> float:
    """Seconds from starting Prefect's temporary server, as the command does, to its answer."""
    code = (
        "import time; t = time.monotonic()\n"
        "from flows.server import TemporaryServer\n"
        "server = TemporaryServer.start_early(); server.wait_ready()\n"
        "print(time.monotonic() - t); server.stop()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=_env(home), capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return float(done.stdout.split()[-1])


def _corpus_sources(work: Path, stories: int) -> Path:
    # Every k-th file of the end-to-end corpus (built there once), linked into one folder.
    from bench.corpus import require_shared
    from bench.endtoend import WORK, build_corpus, sources_file

    require_shared()
    build_corpus(WORK / "corpus")
    folder = work / "stories"
    folder.mkdir()
    files = sorted((WORK / "corpus").glob("*.txt"))
    for path in files[:: max(1, len(files) // stories)][:stories]:
        (folder / path.name).symlink_to(path)
    return sources_file(work, folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=3, help="timed runs (and server starts)")
    parser.add_argument("--sources", type=Path, default=PROJECT / "sources.toml")
    parser.add_argument("--stories", type=int, help="N files of bench.endtoend's corpus")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wiredup-fixedcost-") as work:
        home = Path(work) / "prefect"
        if args.stories:
            args.sources = _corpus_sources(Path(work), args.stories)
        run_phases(args.sources, Path(work) / "warm-up", home)  # Prefect's database, once
        runs, alone = [], []
        for turn in range(args.turns):
            runs.append(run_phases(args.sources, Path(work) / f"root-{turn}", home))
            alone.append(server_alone(home))
            print(
                f"turn {turn + 1}: wiredup run {runs[-1]['total']:.2f} s = before the flow "
                f"{runs[-1]['before']:.2f} + flow {runs[-1]['flow']:.2f} + after "
                f"{runs[-1]['after']:.2f}; temporary server alone {alone[-1]:.2f} s",
                flush=True,
            )
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    floor = statistics.median(alone)
    print(f"\nmedians of {args.turns} turns, {args.sources}:")
    print(f"  before the flow run begins   {median['before']:6.2f} s")
    print(f"  the flow run                 {median['flow']:6.2f} s")
    print(f"  after it (settle, stop, exit){median['after']:6.2f} s")
    print(f"  temporary server alone       {floor:6.2f} s (Prefect's floor for 'before')")
    print_targets(
        [
            ("wiredup run, whole process (s)", f"{median['total']:.2f}", "(for reference)", True),
            (
                "before the flow / server alone",
                f"{median['before'] / floor:.2f}x",
                "(ratio, same run)",
                True,
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
