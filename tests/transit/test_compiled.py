"""The compiled RAPTOR rounds (the fast path every query takes) against the numpy rounds
(:func:`search_vectorised`, the one-at-a-time reference): the same labels, bit for bit,
for every stop and time asked, and so the same journeys, on the hand-made feeds and on
random small timetables (where trips overtake each other and tie)."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.settings import TransitSettings
from planner.core.travel.by_timetable import TimetableTravel, warm_up_in_background
from planner.core.travel.transit import Timetables
from planner.core.travel.transit import timetables as timetables_module
from planner.core.travel.transit.network import DayView
from planner.core.travel.transit.raptor import SearchResult, search, search_vectorised
from tests.transit.feeds import at, write_feed
from tests.transit.plan_feeds import go_line
from tests.transit.test_property import STOPS, random_feed
from tests.transit.test_property import timetables as random_timetables
from tests.transit.test_repeated import GRID, grid_feed, place
from tests.transit.test_router import _two_lines

MONDAY = date(2026, 12, 7)
LABELS = ("arrival", "alight", "board_rank", "ready", "ready_from")


@contextmanager
def numpy_rounds() -> Iterator[None]:
    """Queries answered by the numpy rounds, never pruned by least times (the
    reference), while inside."""
    compiled = timetables_module.search

    def unpruned(
        view: DayView,
        stops: npt.NDArray[np.int32],
        times: npt.NDArray[np.int32],
        limit: int,
        targets: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None = None,
        lower: npt.NDArray[np.int64] | None = None,
    ) -> SearchResult:
        return search_vectorised(view, stops, times, limit, targets)

    timetables_module.search = unpruned
    try:
        yield
    finally:
        timetables_module.search = compiled


def assert_same(fast: SearchResult, reference: SearchResult) -> None:
    assert fast.bound == reference.bound
    assert fast.sources == reference.sources
    for name in LABELS:
        mine, theirs = getattr(fast, name), getattr(reference, name)
        assert len(mine) == len(theirs), name
        for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert a.dtype == b.dtype, name
            assert np.array_equal(a, b), f"{name} differs in round {k}"


def every_search(view: DayView, rng: random.Random, limit: int) -> int:
    """Every stop as a start, at times through the evening, with and without a
    destination to prune for: the two implementations agree on each. Returns how many
    searches reached a stop by a ride."""
    n = view.n_stops
    rode = 0
    sign = -1 if limit <= 0 else 1
    for source in range(n):
        for minute in range(15 * 60, 26 * 60, 37):
            stops = np.array(sorted({source, rng.randrange(n)}), dtype=np.int32)
            times = sign * (minute * 60 + np.array([0, rng.randrange(300)][: len(stops)]))
            times = times.astype(np.int32)
            target = np.array([rng.randrange(n)], dtype=np.int32)
            extra = np.array([rng.randrange(600)], dtype=np.int32)
            for targets in (None, (target, extra)):
                fast = search(view, stops, times, limit, targets)
                assert_same(fast, search_vectorised(view, stops, times, limit, targets))
                rode += bool(fast.arrival)
    return rode


def views(loaded: Timetables, day: date) -> list[tuple[DayView, int]]:
    """The day's view forwards (limit 04:00 the next morning) and backwards (from 04:00)."""
    network = loaded.network
    return [(network.view(day, False), 28 * 3600), (network.view(day, True), -4 * 3600)]


@pytest.mark.parametrize("seed", [1, 3, 8])
def test_the_same_labels_on_random_grids(tmp_path: Path, seed: int) -> None:
    feed = write_feed(tmp_path / "grid.zip", grid_feed(seed))  # type: ignore[arg-type]
    loaded, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    rng = random.Random(seed)
    for view, limit in views(loaded, MONDAY):
        assert every_search(view, rng, limit) > 0


def test_the_same_labels_on_the_hand_made_feeds(tmp_path: Path) -> None:
    two = write_feed(tmp_path / "two.zip", _two_lines(None))  # type: ignore[arg-type]
    go = go_line(tmp_path / "go.zip")
    for n, feeds in enumerate(([two], [go], [two, go])):
        loaded, _ = Timetables.load(feeds, cache_dir=tmp_path / f"cache{n}")
        rng = random.Random(n)
        for day in (MONDAY, MONDAY + timedelta(days=5)):  # a weekday and a Saturday
            for view, limit in views(loaded, day):
                every_search(view, rng, limit)


def test_the_same_journeys_as_one_at_a_time(tmp_path: Path) -> None:
    """Every question of a plan (earliest arrival, latest departure, last departure)
    answered with the compiled rounds and again with the numpy ones: equal journeys."""
    feed = write_feed(tmp_path / "grid.zip", grid_feed(5))  # type: ignore[arg-type]
    fast, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    rng = random.Random(5)
    questions = []
    for _ in range(60):
        a, b = rng.sample(range(GRID**2), 2)
        hour = datetime(2026, 12, 7, rng.randrange(16, 23), rng.randrange(60), tzinfo=fast.zone)
        questions.append((place(a), place(b), hour))
    answers = [
        (
            fast.earliest_arrival(a, b, t),
            fast.latest_departure(a, b, t),
            fast.last_departure(a, b, MONDAY),
        )
        for a, b, t in questions
    ]
    with numpy_rounds():
        one_at_a_time, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
        expected = [
            (
                one_at_a_time.earliest_arrival(a, b, t),
                one_at_a_time.latest_departure(a, b, t),
                one_at_a_time.last_departure(a, b, MONDAY),
            )
            for a, b, t in questions
        ]
    assert answers == expected
    assert sum(j is not None for triple in answers for j in triple) > 60


def test_the_ways_home_and_to_every_venue_as_one_at_a_time(tmp_path: Path) -> None:
    """A plan's questions: from every venue home at its end, and from home to every venue
    by its start. From the second on, the searches to home (and back to it) are pruned
    by the least times to it and go first only to a horizon: the journeys are the same."""
    feed = write_feed(tmp_path / "grid.zip", grid_feed(11))  # type: ignore[arg-type]
    home = place(0)

    def ask(loaded: Timetables) -> list[object]:
        evening = datetime(2026, 12, 7, 18, tzinfo=loaded.zone)
        answers: list[object] = []
        for venue in range(1, GRID**2):
            end = evening + timedelta(minutes=7 * venue % 240)
            answers.append(loaded.earliest_arrival(place(venue), home, end))
            answers.append(loaded.latest_departure(home, place(venue), end - timedelta(hours=2)))
        return answers

    fast, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    answers = ask(fast)
    assert [v for v in fast._lower.values() if v is not None], "no search was pruned"
    with numpy_rounds():
        one_at_a_time, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
        assert answers == ask(one_at_a_time)
    assert sum(a is not None for a in answers) > GRID**2


@settings(max_examples=40, deadline=None)
@given(trips=random_timetables(), seed=st.integers(0, 1000))
def test_the_same_labels_on_random_small_timetables(
    trips: list[tuple[str, list[tuple[int, int]]]], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        feed = write_feed(Path(folder) / "feed.zip", random_feed(trips))
        loaded, problems = Timetables.load([feed], cache_dir=Path(folder) / "cache")
        assert problems == []
        rng = random.Random(seed)
        for view, limit in views(loaded, MONDAY):
            every_search(view, rng, limit)
        points = [at(5.0 * n) for n in range(STOPS)]
        when = datetime(2026, 12, 7, 17, tzinfo=loaded.zone) + timedelta(minutes=seed % 420)
        asked = [(a, b) for a in points for b in points if a != b]
        fast = [loaded.earliest_arrival(a, b, when) for a, b in asked]
        fast += [loaded.latest_departure(a, b, when + timedelta(hours=2)) for a, b in asked]
        with numpy_rounds():
            reference, _ = Timetables.load([feed], cache_dir=Path(folder) / "cache")
            expected = [reference.earliest_arrival(a, b, when) for a, b in asked]
            expected += [
                reference.latest_departure(a, b, when + timedelta(hours=2)) for a, b in asked
            ]
    assert fast == expected


def test_warming_up_beforehand_lays_out_the_days_and_changes_no_answer(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "grid.zip", grid_feed(2))  # type: ignore[arg-type]
    transit = TransitSettings(gtfs=(str(feed),))
    assert warm_up_in_background(TransitSettings(), [MONDAY]) is None  # no feed: nothing
    thread = warm_up_in_background(transit, [MONDAY, MONDAY + timedelta(days=1)])
    assert thread is not None
    thread.join()
    travel, problems = TimetableTravel.for_settings(transit)
    assert travel is not None and problems == []
    warm = travel.timetables
    assert warm.network._whole is not None and warm.network._whole_backwards is not None
    assert set(warm._hops) == {False, True}
    cold, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    leave = datetime(2026, 12, 7, 18, tzinfo=cold.zone)
    for target in range(1, GRID**2, 5):
        assert warm.earliest_arrival(place(0), place(target), leave) == cold.earliest_arrival(
            place(0), place(target), leave
        )


def test_without_numba_as_in_the_bundled_app_the_journeys_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled app leaves numba out: every place that would call the compiled code
    takes the numpy rounds (and no pruning), and the answers do not change."""
    from planner.core.travel.transit import network, raptor

    feed = write_feed(tmp_path / "grid.zip", grid_feed(4))  # type: ignore[arg-type]
    zone = Timetables.load([feed], cache_dir=tmp_path / "cache")[0].zone
    rng = random.Random(11)
    questions = []
    for _ in range(40):
        a, b = rng.sample(range(GRID**2), 2)
        hour = datetime(2026, 12, 7, rng.randrange(16, 23), rng.randrange(60), tzinfo=zone)
        questions.append((place(a), place(b), hour))

    def answers() -> list[object]:
        loaded, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
        # Each destination twice: the second asks of the least-time bounds, when they run.
        return [
            (loaded.earliest_arrival(a, b, t), loaded.latest_departure(a, b, t))
            for a, b, t in questions * 2
        ]

    compiled = answers()
    for module in (network, raptor, timetables_module):
        monkeypatch.setattr(module, "compiled_available", lambda: False)
    assert answers() == compiled
    assert sum(j is not None for pair in compiled for j in pair) > 40
