"""The router against a brute-force search on random small timetables.

The brute force scans every connection (one vehicle from one stop to the next) in
order of departure, as the Connection Scan Algorithm does: a vehicle can be taken when
the rider is on it already or stands at its stop in time (2 minutes after getting off
another). It shares nothing with RAPTOR's rounds, patterns or arrays.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.travel.transit import Timetables
from tests.transit.feeds import ROUTES_HEADER, Rows, at, line_feed, stop, write_feed

TORONTO = ZoneInfo("America/Toronto")
STOPS = 5
TRANSFER = 120
MIDNIGHT = datetime(2026, 12, 7, tzinfo=TORONTO)  # a Monday


@st.composite
def timetables(draw: st.DrawFn) -> list[tuple[str, list[tuple[int, int]]]]:
    """Trips as (route, [(stop, minute)]): a few routes, each a sequence of distinct
    stops, with trips that may overtake each other and run past midnight."""
    trips: list[tuple[str, list[tuple[int, int]]]] = []
    for route in range(draw(st.integers(2, 5))):
        stops = draw(st.lists(st.integers(0, STOPS - 1), min_size=2, max_size=5, unique=True))
        for _ in range(draw(st.integers(1, 6))):
            minute = draw(st.integers(17 * 60, 25 * 60))
            times = []
            for s in stops:
                times.append((s, minute))
                minute += draw(st.integers(1, 40))
            trips.append((f"R{route}", times))
    return trips


def brute_force(
    trips: list[tuple[str, list[tuple[int, int]]]], origin: int, target: int, start: int
) -> int | None:
    connections = sorted(
        (times[i][1] * 60, times[i + 1][1] * 60, times[i][0], times[i + 1][0], n)
        for n, (_, times) in enumerate(trips)
        for i in range(len(times) - 1)
    )
    ready = {origin: start}
    arrival: dict[int, int] = {}
    aboard: set[int] = set()
    for leave, reach, frm, to, trip in connections:
        if trip in aboard or ready.get(frm, 1 << 40) <= leave:
            aboard.add(trip)
            if reach < arrival.get(to, 1 << 40):
                arrival[to] = reach
                ready[to] = min(ready.get(to, 1 << 40), reach + TRANSFER)
    return arrival.get(target)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def random_feed(trips: list[tuple[str, list[tuple[int, int]]]]) -> dict[str, Rows | str]:
    """The feed's tables for ``trips`` (from :func:`timetables`): :data:`STOPS` stops 5 km
    apart, so no walks between them, and none instead of a ride."""
    stops = [stop(f"S{n}", f"Stop {n}", 5.0 * n) for n in range(STOPS)]
    routes = [ROUTES_HEADER, *([f"R{n}", "A", f"R{n}", "", "3"] for n in range(5))]
    return line_feed(
        stops,
        {f"t{n}": (route, "WD", [(f"S{s}", clock(m)) for s, m in times])
         for n, (route, times) in enumerate(trips)},
        routes=routes,
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    trips=timetables(),
    origin=st.integers(0, STOPS - 1),
    target=st.integers(0, STOPS - 1),
    start=st.integers(17 * 60, 23 * 60),
)
def test_earliest_arrival_matches_a_brute_force_search(
    trips: list[tuple[str, list[tuple[int, int]]]], origin: int, target: int, start: int
) -> None:
    if origin == target:
        return
    with tempfile.TemporaryDirectory() as folder:
        feed = write_feed(Path(folder) / "feed.zip", random_feed(trips))
        loaded, problems = Timetables.load([feed], cache_dir=Path(folder) / "cache")
    assert problems == []
    depart = MIDNIGHT + timedelta(minutes=start)
    journey = loaded.earliest_arrival(at(5.0 * origin), at(5.0 * target), depart)
    expected = brute_force(trips, origin, target, start * 60)
    if expected is not None and expected > 28 * 3600:  # after 04:00: "nothing tonight"
        expected = None
    if expected is None:
        assert journey is None
    else:
        assert journey is not None
        assert journey.arrive == MIDNIGHT + timedelta(seconds=expected)
        assert journey.depart >= depart
