"""The closing table every speed benchmark prints: each figure beside its target."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["print_targets"]


def print_targets(rows: Sequence[tuple[str, str, str, bool]]) -> None:
    """Print (figure, measured, target, met) rows as one aligned table."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows))
        for i, h in enumerate(("figure", "measured", "target"))
    ]
    print(f"\n{'figure':<{widths[0]}} {'measured':>{widths[1]}} {'target':>{widths[2]}}  met")
    for label, value, target, met in rows:
        print(
            f"{label:<{widths[0]}} {value:>{widths[1]}} {target:>{widths[2]}}  "
            f"{'yes' if met else 'NO'}"
        )
