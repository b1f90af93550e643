"""The match decision: its features, the time between two stories, the profile it reads, the
fit, and where the thresholds decide instead of the model."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa
import pytest

from dedupe import DEFAULT_MATCH, Entry, Matcher, MatchParams, Signer, _loops, shingle_texts, verify
from dedupe.batch import publication_seconds
from dedupe.decision import (
    FEATURES,
    WEIGHTS,
    ProfileColumns,
    decide,
    features,
    features_of_pairs,
    fit,
    gap_hours,
    gap_hours_many,
    probabilities,
)
from dedupe.profile import Profile, profile
from dedupe.recluster import DayBatch, recluster
from dedupe.verify import Overlap, SetColumn, overlap, pair_intersections
from dedupe.window import NO_TIME
from record.cache import CACHE_ENV

# Copy composed for these tests.
LEAD = "The city council approved the new tram line to the airport on Monday by 31 votes to 12."
REST = (
    "Construction of the 14 kilometre line will start in the spring and cost 420 million, the "
    "mayor Ana Ferreira said after the vote.\n\nThe opposition said the money would be better "
    "spent on buses, and the Green group abstained.\n\nThe first trams are due to run in 2029."
)


def _entry(story_id: str, headline: str, body: str, day: int, published: int | None) -> Entry:
    shingles = shingle_texts([f"{headline}\n\n{body}"], 5)[0]
    return Entry(
        story_id, f"h-{story_id}", shingles, Signer().sign(shingles), f"desk\x00{story_id}",
        day=day, profile=profile(headline, body, "LISBON"), published=published,
    )  # fmt: skip


def test_the_weights_name_every_feature_and_the_intercept() -> None:
    assert len(WEIGHTS) == len(FEATURES) + 1


def test_gap_hours_from_times_where_both_have_one_else_from_dates() -> None:
    assert gap_hours(1, 1, 0, 5400) == 1.5
    assert gap_hours(10, 12, None, 5400) == 48.0
    assert gap_hours(10, 12, 0, None) == 48.0
    assert gap_hours(None, 12, None, None) is None


def test_publication_seconds_keep_the_time_of_day_only_where_the_source_gave_one() -> None:
    noon = datetime(2026, 2, 2, 12, 0, 0, 700_000, tzinfo=UTC)
    early = datetime(1969, 12, 31, 23, 59, 58, 500_000, tzinfo=UTC)
    published = pa.array([noon, noon, noon, None, early], pa.timestamp("us", tz="UTC"))
    precision = pa.array(["second", "day", "month", "second", "second"])
    got = publication_seconds(published, precision).tolist()
    # Whole seconds, rounded down (before 1970 too), as the stored window reads them.
    assert got == [int(noon.timestamp()), NO_TIME, NO_TIME, NO_TIME, -2]


def test_a_profile_holds_the_lead_and_the_dateline() -> None:
    one = profile("Tram line approved", f"{LEAD}\n\n{REST}", "LISBON")
    assert one.lead.size == len(LEAD.split()) - 1  # the 2-shingles of the first paragraph
    assert np.array_equal(one.dateline, profile(None, "x", "Lisbon").dateline)
    assert profile(None, "x", None).dateline.size == 0
    assert profile(None, "x", "  ").dateline.size == 0


def test_features_are_in_the_unit_range_in_their_declared_order() -> None:
    a = _entry("a", "Tram line approved", f"{LEAD}\n\n{REST}", 740000, 0)
    b = _entry("b", "Tram line to the airport approved", REST, 740000, 6 * 3600)
    assert a.profile is not None and b.profile is not None
    x = features(overlap(a.shingles, b.shingles), a.profile, b.profile, 6.0, 7, True)
    assert x.shape == (len(FEATURES),)
    assert ((x >= 0) & (x <= 1)).all()
    named = dict(zip(FEATURES, x, strict=True))
    assert named["same_source"] == 1.0 and named["same_dateline"] == 1.0
    # b holds everything but a's lead: a's lead is told nowhere in b, b's lead all in a.
    assert named["lead"] == 1.0
    assert 0 < named["gap"] < 1


def test_the_rule_names_the_features_that_weighed_most() -> None:
    x = np.zeros(len(FEATURES))
    x[FEATURES.index("gap")] = 1.0
    decision = decide(x, threshold=0.5)
    assert not decision.same
    assert decision.rule.startswith(f"model p {decision.probability:.3f} < 0.5: gap 1.00 (")


def test_the_fit_is_deterministic_and_separates_what_is_separable() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((200, 3))
    y = (x[:, 0] > 0.5).astype(float)
    first, second = fit(x, y), fit(x, y)
    np.testing.assert_array_equal(first, second)
    assert first[0] > 0 and abs(first[0]) > abs(first[1]) and abs(first[0]) > abs(first[2])


def test_the_model_decides_a_pair_with_profiles() -> None:
    a = _entry("a", "Tram line approved", f"{LEAD}\n\n{REST}", 740000, 0)
    b = _entry("b", "Tram line to the airport approved", f"{LEAD}\n\n{REST}\n\nMore.", 740000, 60)
    [_, match] = Matcher(Signer(), DEFAULT_MATCH).assign_many([a, b])
    assert match.dup_of == "a" and str(match.rule).startswith("model p ")


def test_a_pair_under_min_model_shingles_is_decided_by_the_thresholds() -> None:
    a = _entry("a", "Tram line approved", f"{LEAD}\n\n{REST}", 740000, 0)
    b = _entry("b", "Tram line to the airport approved", f"{LEAD}\n\n{REST}\n\nMore.", 740000, 60)
    params = MatchParams(min_model_shingles=10_000)
    [_, match] = Matcher(Signer(), params).assign_many([a, b])
    assert match.dup_of == "a" and str(match.rule).startswith("jaccard ")


def test_the_model_adds_links_but_never_vetoes_what_the_thresholds_link() -> None:
    a = _entry("a", "Tram line approved", f"{LEAD}\n\n{REST}", 740000, 0)
    b = _entry("b", "Tram line to the airport approved", f"{LEAD}\n\n{REST}\n\nMore.", 740000, 60)
    # A probability the model never reaches: it says no, the near copy is linked all the same.
    strict = MatchParams(match_probability=0.999999)
    [_, match] = Matcher(Signer(), strict).assign_many([a, b])
    assert match.dup_of == "a" and match.dup_kind == "near"
    assert str(match.rule).startswith("jaccard ") and "the model alone: model p " in str(match.rule)
    # A pair neither the model nor the thresholds link stays apart.
    story = (
        "The harbour board chose a new ferry operator for the island route on Monday.\n\n"
        "Crossings will run every forty minutes from March, the board said."
    )
    other = _entry("c", "Ferry operator chosen", story, 740000, 60)
    [_, apart] = Matcher(Signer(), strict).assign_many([a, other])
    assert apart.dup_of is None


@pytest.mark.parametrize("value", [0, -1])
def test_min_model_shingles_must_be_positive(value: int) -> None:
    with pytest.raises(ValueError, match="min_model_shingles"):
        MatchParams(min_model_shingles=value)


def test_anchor_min_shared_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="anchor_min_shared"):
        MatchParams(anchor_min_shared=-1)


def test_re_clustering_keeps_what_the_model_reads_of_earlier_days() -> None:
    first, second = date(2026, 2, 2), date(2026, 2, 3)
    a = _entry("a", "Tram line approved", f"{LEAD}\n\n{REST}", first.toordinal(), 0)
    b = _entry(
        "b", "Tram line to the airport approved", f"{LEAD}\n\n{REST}\n\nMore.",
        second.toordinal(), 20 * 3600,
    )  # fmt: skip
    days = [DayBatch(first, [a]), DayBatch(second, [b])]
    out = list(recluster(days, Signer(), DEFAULT_MATCH))
    [match] = out[1][1]
    # The earlier day's story keeps its profile and time in the re-clustering's history.
    assert match.dup_of == "a" and str(match.rule).startswith("model p ")


def test_probabilities_of_many_pairs_are_each_pairs_decision() -> None:
    rng = np.random.default_rng(7)
    x = rng.random((20, len(FEATURES)))
    many = probabilities(x)
    assert many.shape == (20,)
    for row, p in zip(x, many, strict=True):
        assert decide(row).probability == pytest.approx(p)


def _versions() -> list[tuple[str, str, str | None]]:
    """(headline, body, dateline) of versions of the composed story and of other reports."""
    later = REST.replace("420 million", "430 million").replace("2029", "2030")
    return [
        ("Council backs airport tram", f"{LEAD}\n\n{REST}", "LISBON"),
        ("Council backs airport tram line", f"{LEAD}\n\n{later}", "LISBON"),
        ("Tram vote", LEAD, None),
        ("", f"{REST}\n\n{LEAD}", "PORTO"),
        ("Buses first, says opposition", "The opposition wants buses. The Greens abstained.", None),
        ("No headline words shared", "", None),
    ]


def _one_pair(a: Profile, b: Profile, five: Overlap, hours: float | None, same: bool) -> list:
    """The features of one pair, set operation by set operation: the oracle of the test below."""

    def new_share(x: np.ndarray, y: np.ndarray) -> float:
        smaller = min(x.size, y.size)
        return 1.0 - overlap(x, y).intersection / smaller if smaller else 0.0

    def told_in(lead: np.ndarray, text: np.ndarray) -> float:
        return overlap(lead, text).intersection / lead.size if lead.size else 0.0

    fine = overlap(a.fine, b.fine)
    span = 24.0 * 7
    larger = max(five.size_a, five.size_b)
    return [
        five.jaccard,
        five.containment,
        five.intersection / larger if larger else 0.0,
        fine.jaccard,
        fine.containment,
        min(math.log1p(five.intersection) / math.log1p(1000), 1.0),
        0.0 if hours is None else math.log1p(min(hours, span)) / math.log1p(span),
        new_share(a.numbers, b.numbers),
        new_share(a.names, b.names),
        overlap(a.headline, b.headline).jaccard
        if a.headline.size and b.headline.size
        else fine.containment,
        1.0 if same else 0.0,
        max(told_in(a.lead, b.fine), told_in(b.lead, a.fine)),
        1.0 if a.dateline.size and np.array_equal(a.dateline, b.dateline) else 0.0,
    ]


def _all_pairs() -> tuple:
    """Every ordered pair of ``_versions``, as ``features_of_pairs`` takes them."""
    stories = [
        (shingle_texts([f"{h}\n\n{b}" if h else b], 5)[0], profile(h or None, b, d))
        for h, b, d in _versions()
    ]
    count = len(stories)
    left, right = (g.ravel() for g in np.meshgrid(np.arange(count), np.arange(count)))
    rng = np.random.default_rng(3)
    hours = np.where(rng.random(left.size) < 0.3, np.nan, rng.random(left.size) * 400)
    same = rng.random(left.size) < 0.5
    shingles = SetColumn.of([s for s, _ in stories])
    inter = pair_intersections(shingles, shingles, left, right)
    columns = ProfileColumns.of([p for _, p in stories])
    sized = (inter, shingles.sizes[left], shingles.sizes[right], columns, columns, left, right)
    return stories, left, right, hours, same, sized


def test_the_features_of_many_pairs_equal_each_pairs_features() -> None:
    stories, left, right, hours, same, sized = _all_pairs()
    many = features_of_pairs(*sized, hours, 7, same)
    assert many.shape == (len(left), len(FEATURES))
    for k, row in enumerate(many):
        (a_shingles, a_profile), (b_shingles, b_profile) = stories[left[k]], stories[right[k]]
        five = overlap(a_shingles, b_shingles)
        h = None if np.isnan(hours[k]) else float(hours[k])
        oracle = _one_pair(a_profile, b_profile, five, h, bool(same[k]))
        # The logarithms are numpy's; everything else is exact.
        assert row.tolist() == pytest.approx(oracle, rel=1e-13, abs=0)
        assert np.array_equal(features(five, a_profile, b_profile, h, 7, bool(same[k])), row)


@pytest.mark.parametrize("threshold", [0.3, 0.89, 0.99])
def test_a_pair_left_without_its_costly_features_could_not_have_passed(threshold) -> None:
    _, left, _, hours, same, sized = _all_pairs()
    full = features_of_pairs(*sized, hours, 7, same)
    keep = np.arange(len(left)) % 3 == 0
    screened = features_of_pairs(*sized, hours, 7, same, threshold, keep)
    whole = ~np.isnan(screened).any(axis=1)
    assert np.array_equal(screened[whole], full[whole])
    assert whole[keep].all()
    # What was left out falls under the threshold with its real features; NaN passes nothing.
    assert (probabilities(full[~whole]) < threshold).all()
    assert not (probabilities(screened[~whole]) >= threshold).any()
    assert (~whole).sum() >= {0.3: 0, 0.89: 1, 0.99: 1}[threshold]


def test_gap_hours_of_many_pairs_are_each_pairs_gap() -> None:
    nan = np.nan
    pairs = [(1, 1, 0, 5400), (10, 12, None, 5400), (10, 12, 0, None), (None, 12, None, None)]
    columns = [
        np.array([nan if v is None else float(v) for v in column])
        for column in zip(*pairs, strict=True)
    ]
    many = gap_hours_many(*columns)
    assert [None if np.isnan(h) else h for h in many] == [gap_hours(*p) for p in pairs]
    assert many[:3].tolist() == [1.5, 48.0, 48.0]


def _random_sets(rng: np.random.Generator, count: int, shared_with: np.ndarray | None = None):
    out = []
    for _ in range(count):
        own = rng.integers(0, 2**32, rng.integers(0, 400), dtype=np.uint64)
        if shared_with is not None and len(shared_with):
            own = np.concatenate(
                [own, rng.choice(shared_with, rng.integers(0, len(shared_with) + 1))]
            )
        out.append(np.unique(own.astype(np.uint32)))
    return out


@pytest.mark.parametrize("way", ["numpy", "compiled", "threads"])
def test_every_way_of_counting_pair_intersections_counts_alike(monkeypatch, way) -> None:
    # The compiled merge in one thread or shared among threads (a small threshold makes this
    # small count a parallel one), and numpy's keyed search where no merge could be built.
    if way == "numpy":
        monkeypatch.setattr(verify, "compiled_merge", lambda: None)
    else:
        assert _loops.compiled_merge() is not None, "no C compiler: the CI installs one"
    if way == "threads":
        monkeypatch.setattr(_loops, "_PARALLEL_VALUES", 1000)
    # Small search passes, so that the numpy way cuts the pairs into several.
    monkeypatch.setattr(verify, "_SEARCH_CHUNK", 5000)
    rng = np.random.default_rng(5)
    base = _random_sets(rng, 40)
    others = _random_sets(rng, 60, np.concatenate(base))
    a, b = SetColumn.of(base), SetColumn.of(others)
    left = rng.integers(0, len(base), 3000)
    right = rng.integers(0, len(others), 3000)
    sizes = pair_intersections(a, b, left, right)
    expect = [np.intersect1d(base[i], others[j]).size for i, j in zip(left, right, strict=True)]
    assert sizes.tolist() == expect
    assert pair_intersections(a, b, left[:0], right[:0]).tolist() == []


def _forget_the_loops() -> None:
    for cached in (_loops._library, _loops.compiled_merge, _loops.compiled_sign):
        cached.cache_clear()


def test_the_loops_are_compiled_once_into_the_cache_and_loaded_from_it(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    _forget_the_loops()
    try:
        path = _loops.library_path()
        assert path.parent == tmp_path and not path.exists()
        assert _loops.compiled_merge() is not None
        built = path.stat().st_mtime_ns
        _forget_the_loops()
        assert _loops.compiled_merge() is not None
        assert path.stat().st_mtime_ns == built  # read, not built again
        assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    finally:
        _forget_the_loops()


def test_without_a_compiler_dedupe_counts_and_signs_with_numpy_and_says_so(
    tmp_path, monkeypatch, caplog
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(_loops, "_compiler", lambda: [str(tmp_path / "no-such-cc")])
    _forget_the_loops()
    try:
        with caplog.at_level("WARNING", logger="dedupe._loops"):
            assert _loops.compiled_merge() is None
            assert _loops.compiled_sign() is None
        assert caplog.text.count("no compiled loops") == 1
        assert list(tmp_path.iterdir()) == []
        a = SetColumn.of([np.array([1, 2, 3], np.uint32)])
        b = SetColumn.of([np.array([2, 3, 4], np.uint32)])
        assert pair_intersections(a, b, np.array([0]), np.array([0])).tolist() == [2]
        assert Signer().sign_many([np.array([7], np.uint32)]).shape == (1, 128)
    finally:
        _forget_the_loops()


def test_a_set_column_holds_each_set_in_turn() -> None:
    sets = [np.array([3, 9], np.uint32), np.empty(0, np.uint32), np.array([1], np.uint32)]
    column = SetColumn.of(sets)
    assert len(column) == 3 and column.sizes.tolist() == [2, 0, 1]
    for k, expected in enumerate(sets):
        got = column.values[column.offsets[k] : column.offsets[k + 1]]
        assert got.tolist() == expected.tolist()
    assert len(SetColumn.of([])) == 0
