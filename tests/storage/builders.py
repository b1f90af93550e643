"""Real stories written the way the ingest flow writes them, one part per call."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dedupe import DEFAULT_MINHASH, Matcher, Signer, shingle_texts
from ingest import RawItem, Story, prepare
from storage import (
    StorageRoot,
    load_window,
    write_batch,
)

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
DATES = (date(2026, 11, 1), date(2026, 11, 30))
_PLACES = ["Genève", "Lausanne", "Sion", "Berne", "Bâle", "Zurich", "Lugano", "Coire", "Fribourg"]


def make_stories(count: int, day: int = 20) -> list[Story]:
    """``count`` distinct stories of 2026-11-``day`` (their texts share little)."""
    raws = []
    for i in range(count):
        place = _PLACES[i % len(_PLACES)]
        text = (
            f" date 2026-11-{day:02d} Le conseil communal de {place} a voté le point {i} "
            f"de l'ordre du jour numéro {i * 7919 % 1000}, séance {i}, budget {i * 31} francs, "
            f"rapporteur {i * 13} et commission {i * 17}. (ats/nxp)"
        )
        raws.append(RawItem("wire", f"item-{day}-{i:03d}", text.encode(), NOW, f"/w/{i}.txt"))
    stories, rejects = prepare(raws)
    assert rejects == []
    return stories


def store(root: StorageRoot, stories: list[Story], run_id: str = "run-1") -> None:
    """What the flow's write step does: signatures, kills, then the stories part."""
    signer = Signer()
    shingles = shingle_texts(
        [matching_text(s.headline, s.body) for s in stories], DEFAULT_MINHASH.shingle_size
    )
    signatures = signer.sign_many(shingles)
    matcher = Matcher(signer, history=load_window(root, DEFAULT_MINHASH, *DATES))
    matches = [
        matcher.assign(s.story_id, s.content_hash, sh, sig)
        for s, sh, sig in zip(stories, shingles, signatures, strict=True)
    ]
    write_batch(root, DEFAULT_MINHASH, stories, matches, shingles, signatures, run_id, NOW)
