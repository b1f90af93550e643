"""The whole command line against a bare datasketch script, side by side in one run.

    .venv/bin/python -m bench.endtoend [--bbc-versions 4] [--repeats 1] [--profile]

The corpus is real copy read where it lies (every story of ``../shared/corpora``: BBC, AP
1989, AG News, Helsinki, 10kGNAD, 20 Minuten, ATS) plus, for each BBC story, versions of it
made by ``bench.quality``'s edit generator (a re-credited copy, a brief, a write-through, a
correction), about 21,700 plain-text wire files in all. They are written once under
``/tmp/wiredup-bench-endtoend`` (outside the project) as one directory source.

Two processes are timed from start to exit, each in a fresh interpreter:

- ours: ``wiredup run --sources <that one source> --root <an empty root>`` (Prefect flow,
  parse, normalize, sign, match, write Parquet, report), exactly what an operator runs;
- the baseline: a script that reads the same files, splits them into words, makes word
  5-shingles, signs them with datasketch's ``MinHash.bulk`` (xxhash, 128 permutations),
  buckets them in ``MinHashLSH`` at threshold 0.5 and joins what it finds with union-find. No
  parsing, normalizing, verification or writing.

``--profile`` also runs the flow's steps in this process with a timer on each (the pipeline's
own ``Steps``, not a copy), to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import PROJECT, SHARED, require_shared
from bench.targets import print_targets

__all__ = ["baseline", "build_corpus", "lsh_clusters", "main", "sources_file"]

WORK = Path(tempfile.gettempdir()) / "wiredup-bench-endtoend"
#: The edits of ``bench.quality`` each BBC story is repeated with.
EDITS = ("recredit", "brief", "write_through", "correction")


def build_corpus(directory: Path, bbc_versions: int = len(EDITS)) -> int:
    """Write the corpus as plain-text wire files under ``directory`` (once); return the count."""
    stamp = directory / f"_complete-{bbc_versions}"
    if stamp.exists():
        return int(stamp.read_text())
    from bench import quality
    from bench._corpus import read_bbc
    from bench.bodies import corpus_payloads

    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    count = 0
    for collection, raw in corpus_payloads(SHARED / "corpora"):
        name = f"{collection}-{raw.item_id}".replace("/", "-")
        (directory / f"{name}.txt").write_bytes(raw.data)
        count += 1
    rng = random.Random(16)
    day = date(2005, 3, 1)
    for story in read_bbc():
        if len(story.paragraphs) < 2:
            continue
        key = story.key.replace("/", "-")
        for edit in EDITS[:bbc_versions]:
            credit = rng.choice(quality._CREDITS)
            draft = getattr(quality, f"_edit_{edit}")(story, credit, rng)
            text = quality.wire_text(
                day + timedelta(days=draft.day_offset), draft.paragraphs, draft.credit,
                draft.dateline,
            )  # fmt: skip
            (directory / f"bbc-{key}-{edit}.txt").write_text(text, encoding="utf-8")
            count += 1
    stamp.write_text(str(count))
    return count


# -- the baseline --------------------------------------------------------------------------------


def lsh_clusters(signatures: Sequence[Any], num_perm: int) -> int:
    """The clusters datasketch's ``MinHashLSH`` at threshold 0.5 finds: each signature queried,
    then inserted, what it finds joined by union-find (bucketing alone, no verification)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=num_perm)
    parent = list(range(len(signatures)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, signature in enumerate(signatures):
        for j in lsh.query(signature):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
        lsh.insert(i, signature)
    return len({find(i) for i in range(len(signatures))})


def baseline(directory: Path) -> dict[str, Any]:
    """Sign every file with datasketch and bucket the signatures; no parsing or normalizing."""
    started = time.perf_counter()
    from datasketch import MinHash, MinHashLSH  # noqa: F401  (timed here, with the script)
    from xxhash import xxh32_intdigest

    imported = time.perf_counter()
    paths = sorted(p for p in directory.glob("*.txt"))
    sets = []
    for path in paths:
        words = path.read_bytes().decode("utf-8", errors="replace").lower().split()
        sets.append([" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)] or [b""])
    signatures = MinHash.bulk(sets, num_perm=128, seed=1, hashfunc=xxh32_intdigest)
    signed = time.perf_counter()
    clusters = lsh_clusters(signatures, 128)
    done = time.perf_counter()
    return {
        "stories": len(paths),
        "clusters": clusters,
        "imports": imported - started,
        "sign": signed - imported,
        "bucket": done - signed,
        "total": done - started,
    }


# -- the timed processes -------------------------------------------------------------------------


def sources_file(work: Path, directory: Path) -> Path:
    """A sources file under ``work`` naming ``directory``'s plain-text wire files as one
    directory source (what the benchmarks built on this corpus run)."""
    path = work / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "corpus"\nkind = "directory"\npath = "{directory}"\n'
        'pattern = "*.txt"\nformat = "text"\n',
        encoding="utf-8",
    )
    return path


def _timed_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"{argv[:3]} exited with {done.returncode}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def _ours(work: Path, sources: Path, turn: int) -> tuple[float, float]:
    root = work / f"root-{turn}"
    if root.exists():
        shutil.rmtree(root)
    wiredup = str(Path(sys.executable).with_name("wiredup"))
    return _timed_process([wiredup, "run", "--sources", str(sources), "--root", str(root)])


def _baseline_process(directory: Path) -> tuple[float, float, dict[str, Any]]:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    code = (
        "import json, sys; from pathlib import Path; from bench.endtoend import baseline; "
        f"Path({str(out)!r}).write_text(json.dumps(baseline(Path({str(directory)!r}))))"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    seconds, peak = _timed_process([sys.executable, "-c", code], env=env)
    figures = json.loads(out.read_text())
    out.unlink()
    return seconds, peak, figures


# -- the in-process profile ------------------------------------------------------------------------


def _profile(directory: Path, sources: Path, work: Path) -> None:
    """The pipeline's own steps, each under a timer, in this process (no Prefect)."""
    from ingest import load_sources
    from pipeline import PLAIN_STEPS, Steps, process_map, run_ingest
    from storage import StorageRoot

    times: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - started

        return run

    steps = Steps(
        read_source=timed("read", PLAIN_STEPS.read_source),
        prepare=timed("prepare and sign", PLAIN_STEPS.prepare),
        match=timed("match", PLAIN_STEPS.match),
        commit=timed("write", PLAIN_STEPS.commit),
    )
    root_dir = work / "root-profile"
    if root_dir.exists():
        shutil.rmtree(root_dir)
    started = time.perf_counter()
    summary = run_ingest(
        load_sources(sources), StorageRoot(root_dir), "bench-endtoend",
        map_batches=process_map(os.cpu_count() or 1), steps=steps,
    )  # fmt: skip
    total = time.perf_counter() - started
    stories = summary.total.new
    print(f"\nin-process profile (pipeline steps, no Prefect), {stories} stories:")
    for name, seconds in times.items():
        print(f"  {name:<18} {seconds:7.2f} s")
    other = total - sum(times.values())
    print(f"  {'other':<18} {other:7.2f} s  (stored ids, lock, run row)")
    print(f"  {'total':<18} {total:7.2f} s  {stories / total:.0f} stories/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bbc-versions", type=int, default=len(EDITS))
    parser.add_argument("--repeats", type=int, default=1, help="turns of each process")
    parser.add_argument("--profile", action="store_true", help="also time each step")
    args = parser.parse_args(argv)
    require_shared()
    WORK.mkdir(parents=True, exist_ok=True)
    directory = WORK / "corpus"
    count = build_corpus(directory, args.bbc_versions)
    sources = sources_file(WORK, directory)
    print(f"corpus: {count} plain-text wire files under {directory}")
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    figures: dict[str, Any] = {}
    for turn in range(args.repeats):
        # Alternate which runs first, so neither always finds the page cache warm.
        if turn % 2 == 0:
            seconds, peak, figures = _baseline_process(directory)
            base.append((seconds, peak))
            ours.append(_ours(WORK, sources, turn))
        else:
            ours.append(_ours(WORK, sources, turn))
            seconds, peak, figures = _baseline_process(directory)
            base.append((seconds, peak))
        print(
            f"turn {turn + 1}: wiredup run {ours[-1][0]:.1f} s (peak {ours[-1][1]:.0f} MiB), "
            f"baseline {base[-1][0]:.1f} s (peak {base[-1][1]:.0f} MiB)"
        )
    best_ours, best_base = min(s for s, _ in ours), min(s for s, _ in base)
    print(
        f"baseline inside: imports {figures['imports']:.2f} s, sign {figures['sign']:.2f} s, "
        f"bucket {figures['bucket']:.2f} s; {figures['clusters']} clusters"
    )
    if args.profile:
        _profile(directory, sources, WORK)
    ratio = best_ours / best_base
    print_targets(
        [
            ("stories", str(count), ">= 20000", count >= 20000),
            ("wiredup run (s)", f"{best_ours:.1f}", "(reference)", True),
            ("datasketch sign-and-bucket (s)", f"{best_base:.1f}", "(reference)", True),
            ("ratio wiredup / baseline", f"{ratio:.2f}", "<= 1.00", ratio <= 1.0),
        ]
    )
    if ratio > 1.0:
        print(f"missed by {ratio - 1:.0%}: the whole run takes {best_ours - best_base:.1f} s more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
