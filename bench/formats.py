"""The wire formats: stories by detection per fixture family, and parse speed against G2.

    .venv/bin/python -m bench.formats [--rounds 200]

Reads ../shared/fixtures in place, through the project's own ``ingest.formats.parse_payload``
with no declared format (detection decides). "Text-bearing" files are those that carry story
text: for NITF and NewsML 1.x every file of the format but the media-only items; for ANPA the
framed transmissions (SOH or ZCZC: the AAP AsiaNet releases, weather bulletins and results
tables beside them are plain files of other layouts, not ANPA); for 7901 every file but the
Impressum service message; for digitalwires the items whose ``article_html`` is not empty; for
AP the text items whose response carries text inline or a ``description_summary``. Speed is
microseconds per item parsed (detection, decoding and parsing, best of ``--rounds`` runs per
file), beside the NewsML-G2 parser on its own fixtures in the same run.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench._corpus import SHARED
from bench.targets import print_targets
from ingest.formats import parse_payload
from record.errors import ParseError
from record.story import RawItem

FIXTURES = SHARED / "fixtures"
#: Targets of the formats issue: share of text-bearing files that become stories, and parse
#: time per item over the NewsML-G2 parser's.
TARGET_SHARE = 0.95
TARGET_SPEED_RATIO = 2.0
_MEDIA_ONLY = ("_audio.xml", "_audio2.xml", "_video.xml")


def _raw(path: Path) -> RawItem:
    return RawItem("figures", path.stem, path.read_bytes(), datetime.now(UTC), str(path))


def _framed(path: Path) -> bool:
    head = path.read_bytes().lstrip(b"\r\n \t\x16")[:4]
    return head.upper() == b"ZCZC" or head[:1] == b"\x01"


def _dw_text(path: Path) -> bool:
    return bool(json.loads(path.read_bytes()).get("article_html"))


def _ap_text(path: Path) -> bool:
    item = json.loads(path.read_bytes())["data"]["item"]
    return item.get("type") == "text" and bool(item.get("description_summary"))


def _newsml_1(path: Path) -> bool:
    return b"<NewsML" in path.read_bytes()[:1024] and not path.name.endswith(_MEDIA_ONLY)


def _nitf(path: Path) -> bool:
    return b"<nitf" in path.read_bytes()[:512]


FAMILIES: dict[str, tuple[tuple[str, ...], Callable[[Path], bool]]] = {
    "nitf": (("dpa-digitalwires/*.xml", "superdesk-agencies/*/*.xml"), _nitf),
    "newsml-1.2": (("newsml-1.2/*.xml", "superdesk-agencies/*/*.xml"), _newsml_1),
    "anpa": (("anpa/*.tst", "superdesk-agencies/superdesk-aap/*.tst"), _framed),
    "iptc7901": (("anpa/*.txt", "dpa-digitalwires/*.iptc"), lambda p: "copyright" not in p.name),
    "dpa-digitalwires": (("dpa-digitalwires/*input*.json",), _dw_text),
    "ap-media": (("superdesk-agencies/superdesk-cp/*_ap_*.json",), _ap_text),
    "email": (("superdesk-agencies/superdesk-belga/*email*.txt",), lambda p: True),
}


def _files(patterns: tuple[str, ...]) -> list[Path]:
    return sorted({p for pattern in patterns for p in FIXTURES.glob(pattern) if p.is_file()})


def _speed(paths: list[Path], rounds: int) -> tuple[float, int]:
    """Microseconds per item (best of ``rounds`` per file) and the items counted."""
    total, items = 0.0, 0
    for path in paths:
        raw = _raw(path)
        try:
            count = len(parse_payload(raw).items)
        except ParseError:
            continue
        if not count:
            continue
        best = min(_timed(raw) for _ in range(rounds))
        total += best
        items += count
    return (total / items * 1e6 if items else float("nan")), items


def _timed(raw: RawItem) -> float:
    started = time.perf_counter()
    parse_payload(raw)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        raise SystemExit(f"{FIXTURES} is absent: this benchmark reads ../shared beside the clone")
    g2_speed, g2_items = _speed(_files(("newsml-g2/*/*.xml",)), args.rounds)
    print(f"{'format':<17} {'files':>5} {'text':>5} {'stories':>7} {'share':>7} {'us/item':>8}")
    targets = []
    for fmt, (patterns, text_bearing) in FAMILIES.items():
        paths = [
            p for p in _files(patterns) if fmt not in ("nitf", "newsml-1.2") or text_bearing(p)
        ]
        bearing = [p for p in paths if text_bearing(p)]
        became = 0
        for path in bearing:
            try:
                result = parse_payload(_raw(path))  # no declared format: detection decides
            except ParseError:
                continue
            became += bool(result.items) and all(i.format == fmt for i in result.items)
        speed, _items = _speed(bearing, args.rounds)
        share = became / len(bearing) if bearing else float("nan")
        print(
            f"{fmt:<17} {len(paths):>5} {len(bearing):>5} {became:>7} {share:>7.1%} {speed:>8.0f}"
        )
        ratio = speed / g2_speed
        targets.append((f"{fmt}: text-bearing files as stories", f"{share:.1%}",
                        f">= {TARGET_SHARE:.0%}", share >= TARGET_SHARE))  # fmt: skip
        targets.append((f"{fmt}: time per item / NewsML-G2", f"{ratio:.2f}x",
                        f"<= {TARGET_SPEED_RATIO:.1f}x", ratio <= TARGET_SPEED_RATIO))  # fmt: skip
    print(f"{'newsml-g2':<17} {'':>5} {'':>5} {g2_items:>7} {'':>7} {g2_speed:>8.0f}")
    print_targets(targets)


if __name__ == "__main__":
    main()
