"""The long fuzz run: every parser, fresh random examples, for as many minutes as asked.

    python -m bench.fuzz --minutes 10        # what `make fuzz` runs

The strategies and the property are those of the CI run (``tests/reliability/fuzzing.py``),
with inflation up to 256 KiB (``--grow``) instead of 64 KiB, and new random seeds each round.
The parsers take turns in rounds of ``--round`` inputs until the time is up. A failing input
is printed as found (seed file, mutations, hypothesis reproduction blob), counted as a crash,
and the run goes on. At the end: one line per parser (inputs, seconds, crashes, slowest input,
largest memory growth) and the table of figures against their targets. Reads
``../shared/fixtures`` in place.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

from bench.memory import peak_rss_mib
from bench.targets import print_targets
from tests.reliability.fuzzing import FORMATS, FuzzStats, fuzz, load_seeds

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"
#: Targets: no crash, no input past its time bound, peak RSS of the whole run.
PEAK_RSS_TARGET_MIB = 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--round", type=int, default=200, help="inputs per parser per round")
    parser.add_argument("--grow", type=int, default=256 * 1024, help="inflation bound, bytes")
    parser.add_argument("--time-limit", type=float, default=5.0, help="base bound an input, s")
    parser.add_argument("--memory-limit", type=float, default=512.0, help="MiB an input")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: random)")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args(argv)
    if not args.fixtures.is_dir():
        print(f"{args.fixtures} is absent: the fuzzer is seeded from ../shared/fixtures")
        return 2
    seeds = {fmt: load_seeds(args.fixtures, fmt) for fmt in FORMATS}
    donors = [data for _, data in seeds["auto"]]
    rng = random.Random(args.seed)
    totals = {fmt: FuzzStats(fmt) for fmt in FORMATS}
    failures: dict[str, str] = {}
    started = time.perf_counter()
    end = started + args.minutes * 60
    print(
        f"fuzzing {', '.join(FORMATS)} for {args.minutes:g} min "
        f"({sum(len(s) for s in seeds.values())} seeds, rounds of {args.round})"
    )
    rounds = 0
    while time.perf_counter() < end:
        rounds += 1
        for fmt in FORMATS:
            left = end - time.perf_counter()
            if left <= 0:
                break
            seed = rng.randrange(2**32)
            try:
                stats = fuzz(
                    fmt,
                    seeds[fmt],
                    donors,
                    max_examples=args.round,
                    budget_seconds=left,
                    time_limit=args.time_limit,
                    memory_limit_mib=args.memory_limit,
                    grow=args.grow,
                    derandomize=False,
                    seed=seed,
                    # Shrinking a slow input re-runs it hundreds of times; the failing input
                    # is printed as found (its seed file and mutations), with its blob.
                    shrink=False,
                )
            except Exception as exc:  # a property failure, shrunk by hypothesis
                text = "".join(traceback.format_exception(exc))
                key = f"{fmt}: {str(exc).splitlines()[0][:160]}"
                partial = getattr(exc, "fuzz_stats", None)
                if isinstance(partial, FuzzStats):
                    totals[fmt].merge(partial)
                totals[fmt].crashes.append(key)
                if key not in failures:
                    failures[key] = text
                    print(f"\nFAILURE ({fmt}, seed {seed}):\n{text[-4000:]}", file=sys.stderr)
                continue
            totals[fmt].merge(stats)
        print(
            f"round {rounds}: {sum(t.inputs for t in totals.values())} inputs, "
            f"{sum(len(t.crashes) for t in totals.values())} failures, "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
    elapsed = time.perf_counter() - started
    print(
        f"\n{'parser':<10} {'inputs':>8} {'s in parsers':>12} {'stories':>8} {'rejects':>8} "
        f"{'crashes':>7} {'slowest s':>9} {'max +MiB':>8}"
    )
    for fmt, t in totals.items():
        print(
            f"{fmt:<10} {t.inputs:>8} {t.seconds:>12.1f} {t.stories:>8} {t.rejects:>8} "
            f"{len(t.crashes):>7} {t.max_input_seconds:>9.2f} {t.max_peak_growth_mib:>8.1f}"
        )
    crashes = sum(len(t.crashes) for t in totals.values())
    peak = peak_rss_mib()
    print(f"\n{elapsed:.0f} s, {sum(t.inputs for t in totals.values())} inputs in all")
    for key in failures:
        print(f"distinct failure: {key}")
    rows = [
        (f"{fmt}: inputs / crashes", f"{t.inputs} / {len(t.crashes)}", "0 crashes", not t.crashes)
        for fmt, t in totals.items()
    ]
    rows.append(("crashes, hangs, memory bound (all)", str(crashes), "0", crashes == 0))
    rows.append(
        ("peak RSS of the run", f"{peak:.0f} MiB", f"<= {PEAK_RSS_TARGET_MIB:.0f} MiB",
         peak <= PEAK_RSS_TARGET_MIB)
    )  # fmt: skip
    print_targets(rows)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
