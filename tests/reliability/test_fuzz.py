"""Fuzz every parser through the real entry points, seeded from the real fixture files.

For each of plain text, RSS/Atom, ninjs, NewsML-G2, NITF, NewsML 1.2, ANPA 1312, IPTC 7901,
AP Media API JSON, dpa digitalwires JSON, e-mail and a source that declares no format
(detection decides), hypothesis mutates the fixture files of ``../shared/fixtures`` (read where
they lie) and checks each input against the property of ``tests/reliability/fuzzing.py``: the
parser returns a ``ParseResult`` or raises ``ParseError``; ``prepare`` returns stories and
rejects and never needs its catch-all; no input runs past its time bound or grows peak memory
past its bound.

The whole file runs in about ``WIREDUP_FUZZ_SECONDS`` seconds (default 50, shared by the
parsers). CI runs are derandomized, so they are reproducible; ``bench/fuzz.py`` (``make fuzz``)
runs far longer with fresh random examples. Figures: inputs tried, seconds, crashes (0).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import shared_path
from tests.reliability.figures import record
from tests.reliability.fuzzing import FORMATS, fuzz, load_seeds

#: Seconds the whole file may spend fuzzing, shared equally by the parsers.
BUDGET = float(os.environ.get("WIREDUP_FUZZ_SECONDS", "50"))
#: Inputs a second each parser gets through on a 2-core CI machine (input generation included),
#: measured; ``max_examples`` is the budget times this, and a hard stop guards a slower machine.
RATES = {
    "text": 60, "rss": 25, "ninjs": 80, "newsml-g2": 70, "nitf": 70, "newsml-1.2": 70,
    "anpa": 60, "iptc7901": 60, "ap-media": 60, "dpa-digitalwires": 60, "email": 60, "auto": 70,
}  # fmt: skip
#: Inflation and nesting bound in CI (bytes); ``make fuzz`` goes to 256 KiB.
GROW = 64 * 1024
#: The base of each input's time bound, seconds (plus a linear allowance for its size).
TIME_LIMIT = 5.0
#: The bound on the peak resident memory one input may add, MiB.
MEMORY_LIMIT_MIB = 256.0


@pytest.fixture(scope="module")
def fixtures() -> Path:
    return shared_path("fixtures")


@pytest.fixture(scope="module")
def donors(fixtures: Path) -> list[bytes]:
    """Every fixture, of every format: the pieces that splicing puts into another format."""
    return [data for _, data in load_seeds(fixtures, "auto")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_parser_returns_records_or_rejects_on_mutated_fixtures(
    fmt: str, fixtures: Path, donors: list[bytes]
) -> None:
    seeds = load_seeds(fixtures, fmt)
    assert seeds, f"no fixture seeds for {fmt}"
    seconds = BUDGET / len(FORMATS)
    stats = fuzz(
        fmt,
        seeds,
        donors,
        max_examples=max(10, int(seconds * RATES[fmt])),
        budget_seconds=seconds * 1.5,
        time_limit=TIME_LIMIT,
        memory_limit_mib=MEMORY_LIMIT_MIB,
        grow=GROW,
        derandomize=True,
    )
    # A failing input raises inside ``fuzz`` (hypothesis shrinks it and prints the Case).
    note = (
        f"{stats.seconds:.1f} s in the parsers, {len(seeds)} seeds; "
        f"{stats.stories} stories, {stats.rejects} rejects, {stats.parse_errors} ParseErrors"
    )
    record("fuzz", f"{fmt}: inputs", stats.inputs, "inputs", note=note)
    record("fuzz", f"{fmt}: crashes, hangs, memory bound exceeded", 0, "", note="property held")
    record(
        "fuzz",
        f"{fmt}: slowest input",
        round(stats.max_input_seconds, 3),
        "s",
        note=f"largest input {stats.max_input_bytes} bytes",
    )
    record(
        "fuzz",
        f"{fmt}: largest peak-RSS growth of one input",
        round(stats.max_peak_growth_mib, 1),
        "MiB",
    )
    assert stats.inputs >= min(10, stats.inputs + stats.skipped_over_budget)
    # The mutations must reach both outcomes, or the fuzzer only ever tests the front door.
    assert stats.rejects > 0
    assert stats.stories > 0
