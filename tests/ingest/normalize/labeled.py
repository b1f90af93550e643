"""Run one labeled case: read its input where it lies, normalize it, compare."""

from __future__ import annotations

from pathlib import Path

from ingest.normalize import NormalizedBody, normalize_body
from tests.ingest.normalize.cases import Case
from tests.ingest.normalize.readers import read_body


def case_input(case: Case, shared: Path) -> str:
    """The raw text of ``case``: its fixture under ``shared`` or its own text, re-credited."""
    if case.fixture is not None:
        assert case.reader is not None
        text = read_body(case.reader, shared / case.fixture)
    else:
        assert case.text is not None
        text = case.text
    if case.prefix or case.suffix:
        # Re-crediting works on clean text, the way a partner newsroom handles copy.
        text = case.prefix + normalize_body(text).body + case.suffix
    return text


def mismatches(case: Case, result: NormalizedBody) -> list[str]:
    """What in ``result`` differs from the case's expectations (empty when handled exactly)."""
    problems: list[str] = []
    if case.body is not None and result.body != case.body:
        problems.append(f"body {result.body!r} != {case.body!r}")
    if not result.body.startswith(case.start):
        problems.append(f"start {result.body[:60]!r} does not start with {case.start!r}")
    if not result.body.endswith(case.end):
        problems.append(f"end {result.body[-60:]!r} does not end with {case.end!r}")
    for name in ("agencies", "editors", "dateline", "copyright", "flags"):
        got, want = getattr(result, name), getattr(case, name)
        if got != want:
            problems.append(f"{name} {got!r} != {want!r}")
    return problems
