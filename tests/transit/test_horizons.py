"""Every search a plan's questions make, with its pruning (least times, horizons), finds
the same journey as the plain search: unpruned, all the way to the limit.

:meth:`Timetables._search` prunes a search to a destination asked before by the least
times to it, and runs it first only to a few horizons past the least time
(``HORIZONS``), each in turn until the answer is found by then. These tests check
every ``_search`` a run of questions makes against :func:`search` with no destination
and no bound (the same time, rounds, stop and traced journey), with the horizons as
planner has them and with tight ones that make the first tries fail, on the hand-made
feeds, on random grids and on random small timetables, with and without numba.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.travel.transit import Timetables
from planner.core.travel.transit import network as network_module
from planner.core.travel.transit import raptor as raptor_module
from planner.core.travel.transit import timetables as timetables_module
from planner.core.travel.transit.network import DayView
from planner.core.travel.transit.raptor import SearchResult, search, search_vectorised
from tests.transit.feeds import at, write_feed
from tests.transit.plan_feeds import UNION, WHITBY_GO, go_line
from tests.transit.test_property import STOPS, random_feed
from tests.transit.test_property import timetables as random_timetables
from tests.transit.test_repeated import GRID, grid_feed, place

MONDAY = date(2026, 12, 7)
TIGHT = ((1, 60), (1, 300), (2, 600))
"""Horizons that the first tries often miss (a few minutes past the least time)."""

Point = tuple[float, float]
Sources = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]


class Checked:
    """A Timetables whose every ``_search`` is compared with the plain search, counting
    the horizons its searches went to: (tries that found the answer, tries that did not)."""

    def __init__(self, loaded: Timetables) -> None:
        self.loaded = loaded
        self.compared = 0
        self.found = 0
        self.horizons = [0, 0]
        self._limits: list[int] = []
        original = loaded._search

        def compare(
            day: date, backwards: bool, sources: Sources, targets: Sources, limit: int
        ) -> tuple[SearchResult, tuple[int, int, int]]:
            self._limits.clear()
            result, best = original(day, backwards, sources, targets, limit)
            view = loaded.network.view(day, backwards)
            plain = plain_search(view, sources[0], sources[1].astype(np.int32), limit)
            expected = plain.best(*targets)
            assert best == expected
            if best[1]:
                assert result.trace(best[1], best[2]) == plain.trace(best[1], best[2])
                self.found += 1
            # Every search but the last went to a horizon short of the limit and missed.
            for tried in self._limits:
                if tried < limit:
                    self.horizons[tried >= best[0]] += 1
            self.compared += 1
            return result, best

        loaded._search = compare  # type: ignore[method-assign]

    @contextmanager
    def noting_limits(self) -> Iterator[None]:
        """While inside, the limit of every search the router runs is noted."""
        running = search  # what timetables calls

        def noted(
            view: DayView,
            stops: npt.NDArray[np.int32],
            times: npt.NDArray[np.int32],
            limit: int,
            targets: Sources | None = None,
            lower: npt.NDArray[np.int64] | None = None,
        ) -> SearchResult:
            self._limits.append(limit)
            return running(view, stops, times, limit, targets, lower)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timetables_module, "search", noted)
            yield


def plain_search(
    view: DayView, stops: npt.NDArray[np.int32], times: npt.NDArray[np.int32], limit: int
) -> SearchResult:
    """The reference: every stop's earliest arrival up to ``limit``, nothing pruned."""
    if network_module.compiled_available():
        return search(view, stops, times, limit)
    return search_vectorised(view, stops, times, limit)


def ask_a_plan(
    loaded: Timetables, venues: list[Point], home: Point, office: Point, seed: int
) -> list[object]:
    """A plan's questions: from the office or home to each venue by its start, from each
    venue home at its end, and the last way home, at times through the evening."""
    rng = random.Random(seed)
    answers: list[object] = []
    for n, venue in enumerate(venues):
        start = datetime(2026, 12, 7, 17, tzinfo=loaded.zone) + timedelta(
            minutes=rng.randrange(0, 300)
        )
        origin = office if n % 3 else home
        answers.append(loaded.latest_departure(origin, venue, start, need_ride=True))
        answers.append(loaded.earliest_arrival(venue, home, start + timedelta(hours=2)))
        answers.append(loaded.last_departure(venue, home, MONDAY))
    return answers


def checked_plan(
    feeds: list[Path],
    cache: Path,
    venues: list[Point],
    home: Point,
    office: Point,
    seed: int,
) -> Checked:
    loaded, problems = Timetables.load(feeds, cache_dir=cache)
    assert problems == []
    checked = Checked(loaded)
    with checked.noting_limits():
        ask_a_plan(loaded, venues, home, office, seed)
    return checked


@pytest.fixture(params=["planner's horizons", "tight horizons"])
def horizons(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "tight horizons":
        monkeypatch.setattr(timetables_module, "HORIZONS", TIGHT)
    return str(request.param)


@pytest.fixture(params=["numba", "numpy"])
def rounds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The compiled rounds (and their pruning), or the numpy ones as in the bundled app."""
    if request.param == "numpy":
        for module in (network_module, raptor_module, timetables_module):
            monkeypatch.setattr(module, "compiled_available", lambda: False)
    return str(request.param)


@pytest.mark.parametrize("seed", [2, 7, 11])
def test_a_plans_searches_on_random_grids_are_the_plain_ones(
    tmp_path: Path, seed: int, horizons: str, rounds: str
) -> None:
    feed = write_feed(tmp_path / "grid.zip", grid_feed(seed))  # type: ignore[arg-type]
    venues = [place(i) for i in range(2, GRID**2)]
    checked = checked_plan([feed], tmp_path / "cache", venues, place(0), place(1), seed)
    assert checked.compared > GRID**2 and checked.found > GRID**2
    if rounds == "numpy":  # nothing is pruned without numba
        assert checked.horizons == [0, 0]
    elif horizons == "tight horizons":
        assert checked.horizons[0] > 0 and checked.horizons[1] > 0
    else:
        assert checked.horizons[1] > 0


def test_a_plans_searches_on_the_go_line_are_the_plain_ones(tmp_path: Path, horizons: str) -> None:
    """The hand-made GO line (hourly trains, the last at 23:55): venues around Union,
    home and the office around Whitby GO."""
    feed = go_line(tmp_path / "go.zip")

    def near(point: Point, n: int) -> Point:
        return (point[0] + 0.0008 * (n % 5), point[1] + 0.0008 * (n // 5))

    venues = [near(UNION, n) for n in range(12)]
    checked = checked_plan(
        [feed], tmp_path / "cache", venues, near(WHITBY_GO, 1), near(WHITBY_GO, 7), 3
    )
    assert checked.found > 12
    assert sum(checked.horizons) > 0


@settings(max_examples=30, deadline=None)
@given(trips=random_timetables(), seed=st.integers(0, 1000), tight=st.booleans())
def test_a_plans_searches_on_random_small_timetables_are_the_plain_ones(
    trips: list[tuple[str, list[tuple[int, int]]]], seed: int, tight: bool
) -> None:
    points = [at(5.0 * n) for n in range(STOPS)]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if tight:
            patch.setattr(timetables_module, "HORIZONS", TIGHT)
        feed = write_feed(Path(folder) / "feed.zip", random_feed(trips))
        for home in points:  # each stop in turn home, the others venues (and office)
            others = [p for p in points if p != home]
            checked = checked_plan(
                [feed], Path(folder) / f"cache{points.index(home)}", others * 2, home,
                others[seed % len(others)], seed,
            )  # fmt: skip
            assert checked.compared > 0


def test_the_answers_are_the_ones_without_pruning(tmp_path: Path) -> None:
    """The whole journeys too (legs, times) are those of the numpy rounds, never pruned."""
    feed = write_feed(tmp_path / "grid.zip", grid_feed(13))  # type: ignore[arg-type]
    venues = [place(i) for i in range(2, GRID**2)]
    pruned, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    answers = ask_a_plan(pruned, venues, place(0), place(1), 13)
    assert [v for v in pruned._lower.values() if v is not None], "no search was pruned"
    plain, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    reference: Callable[..., SearchResult] = lambda view, stops, times, limit, *_: (  # noqa: E731
        search_vectorised(view, stops, times, limit)
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timetables_module, "search", reference)
        assert ask_a_plan(plain, venues, place(0), place(1), 13) == answers
    assert sum(a is not None for a in answers) > GRID**2


def test_no_least_times_when_a_trip_leaves_a_stop_before_it_arrives(tmp_path: Path) -> None:
    """The rounds stop following a ride by the least times only because a trip's later
    stops are never earlier than its hops add up to: a timetable where a trip leaves a
    stop before arriving there (the reader skips such trips; a view is made here by hand)
    gets no least times, so no search is pruned by them."""
    from dataclasses import replace

    from planner.core.travel.transit.timetables import _reversed_edges

    feed = write_feed(tmp_path / "grid.zip", grid_feed(3))  # type: ignore[arg-type]
    loaded, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    for backwards in (False, True):
        view = loaded.network.view(MONDAY, backwards)
        assert _reversed_edges(view) is not None
        late = view.arr.copy()
        late[len(late) // 2] = view.dep[len(late) // 2] + 60
        assert _reversed_edges(replace(view, arr=late)) is None
