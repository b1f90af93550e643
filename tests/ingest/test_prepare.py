"""Payloads to stories and rejects: one bad payload costs itself only."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from ingest import RawItem, make_story_id, prepare, sha256_hex

FETCHED = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)

GOOD = (
    " date 2026-11-19 GENÈVE (ats) - La fonction publique genevoise a fait grève jeudi contre "
    "le projet de budget du Conseil d'Etat.\n\nLes syndicats annoncent une nouvelle journée "
    "d'action la semaine prochaine. (ats/nxp)"
).encode()
#: Broken UTF-8 of a damaged transmission: no charset reads these bytes as text.
BAD = b" date 2026-11-19 Markets opened \xff\xfe\x80 lower as inves\xc3(tors weighed\x9d\x81 data"


def _raw(item_id: str, data: bytes, source: str = "agence-fr", fmt: str | None = None) -> RawItem:
    return RawItem(
        source=source,
        item_id=item_id,
        data=data,
        fetched_at=FETCHED,
        location=f"/feeds/{source}/{item_id}.txt",
        format=fmt,
    )


def test_one_good_and_one_bad_payload():
    stories, rejects = prepare([_raw("bad", BAD), _raw("good", GOOD)])

    [story] = stories
    assert story.item_id == "good"
    assert story.source == "agence-fr"
    assert story.dateline == "GENÈVE"
    assert story.agencies == ("ats",)
    assert story.body.startswith("La fonction publique genevoise")

    [reject] = rejects
    assert reject.item_id == "bad"
    assert reject.source == "agence-fr"
    assert reject.sha256 == hashlib.sha256(BAD).hexdigest()
    assert reject.size == len(BAD)
    assert "not valid utf-8" in reject.reason
    assert reject.location == "/feeds/agence-fr/bad.txt"
    assert reject.fetched_at == FETCHED


def test_payloads_without_parser_or_detectable_format_are_rejected():
    stories, rejects = prepare(
        [
            _raw("feed", b"<wire><item>not a known format</item></wire>"),
            _raw("declared", GOOD, fmt="newsml-g2"),
        ]
    )
    assert stories == []
    assert [r.item_id for r in rejects] == ["feed", "declared"]
    assert "could not be detected" in rejects[0].reason
    assert "'newsml-g2'" in rejects[1].reason
    assert rejects[1].sha256 == sha256_hex(GOOD)


def test_story_id_is_stable_across_calls():
    first = prepare([_raw("good", GOOD)])[0][0]
    again = prepare([_raw("good", GOOD)])[0][0]
    assert first == again
    assert first.story_id == make_story_id("agence-fr", "good", 1)
    assert len(first.story_id) == 32
    int(first.story_id, 16)


def test_make_story_id_differs_by_source_item_and_version():
    base = make_story_id("agence-fr", "20261119_greve", 1)
    assert base == make_story_id("agence-fr", "20261119_greve", 1)
    others = {
        make_story_id("partner", "20261119_greve", 1),
        make_story_id("agence-fr", "20261119_greve_bref", 1),
        make_story_id("agence-fr", "20261119_greve", 2),
        # The separator keeps ("ab", "c") and ("a", "bc") apart.
        make_story_id("agence-fr2", "0261119_greve", 1),
    }
    assert base not in others
    assert len(others) == 4


def test_same_item_from_two_sources_gives_two_stories():
    stories, _ = prepare([_raw("good", GOOD, source="agence-fr"), _raw("good", GOOD, "partner")])
    assert len({s.story_id for s in stories}) == 2
    assert len({s.content_hash for s in stories}) == 1
