"""Cluster assignment on real copy (the shared text fixtures, the project samples) and on
composed stories for each rule."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from dedupe import (
    DEFAULT_MINHASH,
    Match,
    Matcher,
    MatchParams,
    Member,
    Signer,
    matching_text,
    shingle_texts,
)
from dedupe.verify import overlap
from ingest import RawItem, Story, prepare
from tests.conftest import shared_path

FETCHED = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


def _prepare(raws: Iterable[RawItem]) -> list[Story]:
    stories, rejects = prepare(list(raws))
    assert rejects == []
    return stories


def _read(folder: Path, source: str) -> list[RawItem]:
    return [
        RawItem(
            source=source, item_id=p.stem, data=p.read_bytes(), fetched_at=FETCHED, location=str(p)
        )
        for p in sorted(folder.glob("*.txt"))
    ]


def _assign(stories: list[Story], signer: Signer, matcher: Matcher | None = None) -> list[Match]:
    matcher = Matcher(signer) if matcher is None else matcher
    shingles = shingle_texts(
        [matching_text(s.headline, s.body) for s in stories], DEFAULT_MINHASH.shingle_size
    )
    signatures = signer.sign_many(shingles)
    return [
        matcher.assign(s.story_id, s.content_hash, sh, sig)
        for s, sh, sig in zip(stories, shingles, signatures, strict=True)
    ]


def _partition(pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    """Group the first of each pair by the second: the clusters as sets of members."""
    groups: dict[str, set[str]] = defaultdict(set)
    for member, label in pairs:
        groups[label].add(member)
    return {frozenset(g) for g in groups.values()}


# -- the shared text fixtures: 20 versions of 7 reports ------------------------------------------


@pytest.fixture(scope="module")
def fixture_stories() -> list[Story]:
    stories = _prepare(_read(shared_path("fixtures", "text"), "fixtures"))
    assert len(stories) == 20
    return sorted(stories, key=lambda s: (s.published_at, s.item_id))


@pytest.fixture(scope="module")
def expected_fixture_partition() -> set[frozenset[str]]:
    with open(shared_path("fixtures", "text", "clusters.csv"), newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames is not None
        assert {"file", "cluster"} <= set(reader.fieldnames)
        return _partition((Path(row["file"]).stem, row["cluster"]) for row in reader)


def test_fixture_clusters_equal_the_expected_partition(
    fixture_stories, expected_fixture_partition, signer
):
    matches = _assign(fixture_stories, signer)

    found = _partition(
        (s.item_id, m.cluster_id) for s, m in zip(fixture_stories, matches, strict=True)
    )
    assert found == expected_fixture_partition
    assert len(found) == 7
    # Each cluster is named after the story that started it, which has no dup_kind.
    starters = {m.story_id for m in matches if m.dup_kind is None}
    assert {m.cluster_id for m in matches} == starters
    for match in matches:
        if match.dup_kind is not None:
            assert match.dup_kind in {"exact", "near", "containment"}
            assert match.dup_of is not None
            assert match.rule


def test_fixture_clusters_do_not_depend_on_input_order(fixture_stories, signer):
    reference = {m.story_id: m.cluster_id for m in _assign(fixture_stories, signer)}
    for seed in (1, 2, 3):
        shuffled = list(fixture_stories)
        random.Random(seed).shuffle(shuffled)
        ordered = sorted(shuffled, key=lambda s: (s.published_at, s.item_id))
        again = {m.story_id: m.cluster_id for m in _assign(ordered, signer)}
        assert again == reference


# -- the project's samples ---------------------------------------------------------------------


def test_samples_cluster_as_samples_clusters_csv(samples, signer):
    with open(samples / "clusters.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    expected = _partition(((r["source"], r["item_id"]), r["cluster"]) for r in rows)

    raws = []
    for source in sorted({r["source"] for r in rows}):
        raws += [r for r in _read(samples / source, source) if r.item_id != "corrupt_transmission"]
    stories = sorted(_prepare(raws), key=lambda s: (s.published_at, s.source, s.item_id))
    assert {(s.source, s.item_id) for s in stories} == {(r["source"], r["item_id"]) for r in rows}

    matches = _assign(stories, signer)

    found = _partition(
        ((s.source, s.item_id), m.cluster_id) for s, m in zip(stories, matches, strict=True)
    )
    assert found == expected


# -- each rule on composed copy -----------------------------------------------------------------

LONG = [
    "La fonction publique genevoise a observé jeudi une journée de grève contre le projet de "
    "budget 2027 présenté par le Conseil d'Etat, qui prévoit le gel des annuités.",
    "Selon les syndicats, plus de quatre mille employés ont défilé dans les rues de la ville "
    "entre la place Neuve et l'Hôtel de Ville, sous une pluie fine.",
    "Les enseignants, les infirmières des hôpitaux universitaires et le personnel des crèches "
    "étaient les plus nombreux dans le cortège, qui s'est déroulé sans incident.",
    "La conseillère d'Etat chargée des finances a répété que le canton devait réduire son "
    "déficit structurel et qu'aucune marge ne permettait d'indexer les salaires.",
    "Le cartel intersyndical réclame l'ouverture immédiate de négociations et menace de "
    "reconduire le mouvement la semaine prochaine si le gouvernement ne bouge pas.",
    "Les partis de gauche ont annoncé qu'ils déposeraient des amendements lors du débat "
    "budgétaire au Grand Conseil, prévu à la mi-décembre.",
    "La droite, majoritaire au parlement, soutient pour sa part les mesures d'économie et "
    "juge les revendications syndicales irréalistes dans le contexte actuel.",
    "Une nouvelle assemblée du personnel doit se tenir lundi soir pour décider de la suite "
    "à donner au mouvement, a précisé un porte-parole du cartel.",
]
UNRELATED = (
    "The storm brought winds of more than 120 kilometres an hour to the Cornish coast "
    "overnight, cutting power to thousands of homes and closing several main roads, the "
    "regional authorities said on Saturday morning."
)


def _story(item_id: str, text: str, day: int = 19, source: str = "agence-fr") -> Story:
    raw = RawItem(
        source=source,
        item_id=item_id,
        fetched_at=FETCHED,
        location=item_id,
        data=f" date 2026-11-{day:02d} {text}".encode(),
    )
    return _prepare([raw])[0]


def _member(story: Story, signer: Signer, cluster_id: str) -> Member:
    [shingles] = shingle_texts(
        [matching_text(story.headline, story.body)], DEFAULT_MINHASH.shingle_size
    )
    return Member(story.story_id, cluster_id, story.content_hash, shingles, signer.sign(shingles))


def test_same_text_with_other_credit_is_exact(signer):
    body = "\n\n".join(LONG[:3])
    original = _story("orig", f"{body} (ats/nxp)")
    copy = _story("copy", f"GENÈVE (ats) - {body} (ats/afp/nxp)", source="partner")
    assert original.content_hash == copy.content_hash

    first, second = _assign([original, copy], signer)

    assert first.dup_kind is None
    assert second.dup_kind == "exact"
    assert second.similarity == 1.0
    assert second.dup_of == original.story_id
    assert second.cluster_id == original.story_id


def test_brief_of_the_first_paragraphs_is_containment(signer):
    long = _story("long", "\n\n".join(LONG) + " (ats/nxp)")
    brief = _story("brief", "\n\n".join(LONG[:3]) + " (ats)", source="partner")
    [brief_shingles, long_shingles] = shingle_texts(
        [matching_text(brief.headline, brief.body), matching_text(long.headline, long.body)],
        DEFAULT_MINHASH.shingle_size,
    )
    o = overlap(brief_shingles, long_shingles)
    assert o.smaller >= 20
    assert o.jaccard < MatchParams().near_threshold  # not a near copy: the brief is too short

    _, match = _assign([long, brief], signer)

    assert match.dup_kind == "containment"
    assert match.cluster_id == long.story_id
    assert match.dup_of == long.story_id
    assert match.similarity == pytest.approx(o.containment, abs=1e-6)
    assert match.similarity >= MatchParams().containment_threshold


def test_brief_of_sixty_percent_is_near_because_near_is_tried_first(signer):
    long = _story("long", "\n\n".join(LONG))
    brief = _story("brief", "\n\n".join(LONG[:5]), source="partner")
    _, match = _assign([long, brief], signer)
    assert match.dup_kind == "near"
    assert match.cluster_id == long.story_id
    assert 0.5 <= match.similarity < 1.0


def test_contained_flash_under_min_shingles_starts_its_own_cluster(signer):
    long = _story("long", "\n\n".join(LONG[:2]))
    flash = _story("flash", LONG[0].split(",")[0] + ".", source="partner")
    [flash_shingles, long_shingles] = shingle_texts(
        [matching_text(flash.headline, flash.body), matching_text(long.headline, long.body)],
        DEFAULT_MINHASH.shingle_size,
    )
    o = overlap(flash_shingles, long_shingles)
    assert 0 < o.smaller < MatchParams().min_containment_shingles
    assert o.containment == 1.0
    assert o.jaccard < MatchParams().near_threshold
    # Lowering the floor makes the same pair match: the floor alone keeps them apart.
    loose = Matcher(signer, MatchParams(min_containment_shingles=1))

    _, strict_match = _assign([long, flash], signer)
    _, loose_match = _assign([long, flash], signer, loose)

    assert strict_match.dup_kind is None
    assert strict_match.cluster_id == flash.story_id
    assert loose_match.dup_kind == "containment"


def test_unrelated_story_starts_a_new_cluster(signer):
    first, second = _assign(
        [_story("greve", "\n\n".join(LONG)), _story("storm", UNRELATED, source="wire-en")], signer
    )
    assert second.cluster_id == second.story_id
    assert second.dup_kind is None
    assert second.dup_of is None
    assert second.similarity is None
    assert first.cluster_id != second.cluster_id


def test_history_members_are_matched_with_their_stored_cluster(signer):
    stored = _story("stored", "\n\n".join(LONG), day=18)
    history = [
        _member(stored, signer, cluster_id="cluster-from-last-week"),
        _member(_story("other", UNRELATED, day=18), signer, cluster_id="storm-cluster"),
    ]
    matcher = Matcher(signer, history=history)
    assert len(matcher) == 2
    edited = [*LONG[:6], "Le mouvement pourrait s'étendre aux autres cantons romands."]
    update = _story("update", "\n\n".join(edited), day=20)

    [match] = _assign([update], signer, matcher)

    assert match.dup_kind == "near"
    assert match.cluster_id == "cluster-from-last-week"
    assert match.dup_of == stored.story_id
    assert len(matcher) == 3


def test_story_already_a_member_keeps_its_cluster_without_dup_kind(signer):
    stored = _story("stored", "\n\n".join(LONG))
    matcher = Matcher(signer, history=[_member(stored, signer, cluster_id="kept-cluster")])

    [match] = _assign([stored], signer, matcher)

    assert match == Match(story_id=stored.story_id, cluster_id="kept-cluster")
    assert len(matcher) == 1


def test_best_match_is_the_highest_jaccard(signer):
    full = _story("full", "\n\n".join(LONG))
    half = _story("half", "\n\n".join(LONG[:4]) + "\n\nUn paragraphe tout à fait différent ici.")
    near_full = _story("near-full", "\n\n".join(LONG[:7]), day=20)
    matcher = Matcher(
        signer,
        history=[
            _member(half, signer, cluster_id="half-cluster"),
            _member(full, signer, cluster_id="full-cluster"),
        ],
    )
    [match] = _assign([near_full], signer, matcher)
    assert match.cluster_id == "full-cluster"
    assert match.jaccard is not None and match.jaccard > 0.5


def test_empty_signature_is_never_proposed(signer):
    empty = np.empty(0, dtype=np.uint32)
    matcher = Matcher(signer)
    first = matcher.assign("a", "hash-a", empty, signer.sign(empty))
    second = matcher.assign("b", "hash-b", empty, signer.sign(empty))
    assert (first.cluster_id, second.cluster_id) == ("a", "b")


def _bbc(name: str) -> RawItem:
    """A BBC corpus story, read where it lies, as a plain-text wire payload."""
    text = shared_path("corpora", "bbc", *name.split("/")).read_bytes().decode("utf-8", "replace")
    _headline, _, body = text.partition("\n")
    payload = f" date 2005-02-0{len(name) % 9 + 1} {body.strip()} (Reuters)".encode()
    return RawItem("bbc", name, payload, datetime(2026, 11, 25, tzinfo=UTC), name, "text")


@pytest.mark.parametrize(
    "pair",
    [
        # The attorney general's denial, then his renewed denial days later: one topic, two
        # reports, the closest different-report pair of the corpus (Jaccard 0.47).
        ("politics/327.txt", "politics/328.txt"),
    ],
)
def test_real_look_alike_reports_stay_apart(signer, pair):
    first, second = _assign(_prepare([_bbc(pair[0]), _bbc(pair[1])]), signer)
    assert second.dup_kind is None
    assert first.cluster_id != second.cluster_id


def test_template_notices_of_different_companies_stay_apart(signer):
    template = (
        " date 2026-11-2{d} OSLO (Reuters) - {company} reported third-quarter net profit of "
        "{profit} million crowns on {weekday}, {direction} from {before} million a year earlier, "
        "as revenue rose to {revenue} billion crowns.\n\nThe company kept its full-year outlook "
        "and said orders in {region} had grown by {growth} percent. Its shares {move} {pct} "
        "percent in early trading. (Reuters)"
    )
    facts = [
        ("Halvorsen Foods", 412, "Tuesday", "up", 380, 5.1, "Sweden", 7, "rose", 2.3),
        ("Kestrel Logistics", 97, "Wednesday", "down", 133, 1.8, "Denmark", 3, "fell", 4.1),
        ("Nordvik Shipping", 1250, "Thursday", "up", 990, 12.4, "Finland", 11, "rose", 0.6),
    ]
    raws = [
        RawItem(
            "wire",
            f"q3-{i}",
            template.format(
                d=i + 1,
                company=c,
                profit=p,
                weekday=w,
                direction=dr,
                before=b,
                revenue=r,
                region=rg,
                growth=g,
                move=m,
                pct=pc,
            ).encode(),
            datetime(2026, 11, 25, tzinfo=UTC),
            f"q3-{i}",
            "text",
        )
        for i, (c, p, w, dr, b, r, rg, g, m, pc) in enumerate(facts)
    ]
    matches = _assign(_prepare(raws), signer)
    assert [m.dup_kind for m in matches] == [None, None, None]


def test_match_order_is_oldest_first_then_by_source_item_and_version() -> None:
    import dataclasses
    from datetime import time, timedelta

    from dedupe import match_order
    from record import StoryBatch
    from tests.storage.builders import make_stories

    [base] = make_stories(1)
    rng = random.Random(5)
    noon = datetime(2026, 11, 20, 12, tzinfo=UTC)
    stories = []
    for i in range(300):
        published = rng.choice([None, noon, noon + timedelta(microseconds=rng.randrange(3))])
        day = (noon + timedelta(days=rng.randrange(-1, 2))).date()
        stories.append(
            dataclasses.replace(
                base,
                story_id=f"s{i}",
                source=rng.choice(["wire", "wïre", "Wire", "wire-b"]),
                item_id=rng.choice(["a", "b", "é", "Z"]),
                version=rng.randrange(3),
                published_at=published,
                story_date=day,
            )
        )
    batch = StoryBatch.of(stories)
    # The order by Python's own comparison of the same keys (a stable sort).
    keys = [
        (
            s.published_at or datetime.combine(s.story_date, time.min, UTC),
            s.source,
            s.item_id,
            s.version,
        )
        for s in stories
    ]
    assert match_order(batch) == sorted(range(len(keys)), key=keys.__getitem__)
