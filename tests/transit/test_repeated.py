"""Many questions from one place at one time (a plan's pattern) answer as single ones do.

A search pruned for one destination is kept and reused for the others reached before
its bound (:meth:`Timetables._search`); these tests ask a shared Timetables for every
destination, in an order that forces both reuse and new searches, and compare each
answer with a fresh Timetables that has remembered nothing.
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.core.travel.transit import Timetables
from tests.transit.feeds import ROUTES_HEADER, at, line_feed, stop, write_feed

TORONTO = ZoneInfo("America/Toronto")
GRID = 6


def grid_feed(seed: int) -> dict[str, object]:
    """36 stops 1.5 km apart (no walks between them), 10 random routes, trips every
    12 minutes from 16:00 to 23:00 with random running times."""
    rng = random.Random(seed)
    stops = [
        stop(f"S{i}", f"Stop {i}", 1.5 * (i // GRID), 1.5 * (i % GRID)) for i in range(GRID**2)
    ]
    trips: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    routes = [ROUTES_HEADER]
    for r in range(10):
        path = rng.sample(range(GRID**2), rng.randint(4, 9))
        routes.append([f"R{r}", "A", f"R{r}", "", "3"])
        gaps = [rng.randint(2, 9) for _ in path]
        for n, leave in enumerate(range(16 * 60, 23 * 60, 12)):
            minute, times = leave + rng.randint(0, 5), []
            for s, gap in zip(path, gaps, strict=True):
                times.append((f"S{s}", f"{minute // 60:02d}:{minute % 60:02d}"))
                minute += gap
            trips[f"R{r}-{n}"] = (f"R{r}", "WD", times)
    return line_feed(stops, trips, routes=routes)  # type: ignore[return-value]


def place(i: int) -> tuple[float, float]:
    return at(1.5 * (i // GRID), 1.5 * (i % GRID))


def test_one_origin_many_destinations(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "grid.zip", grid_feed(3))  # type: ignore[arg-type]
    shared, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
    leave = datetime(2026, 12, 7, 17, 0, tzinfo=TORONTO)
    order = list(range(1, GRID**2))
    random.Random(5).shuffle(order)
    reached = 0
    for target in order:
        fresh, _ = Timetables.load([feed], cache_dir=tmp_path / "cache")
        alone = fresh.earliest_arrival(place(0), place(target), leave)
        together = shared.earliest_arrival(place(0), place(target), leave)
        assert together == alone
        # Asked again (a re-plan): the same answer, remembered.
        assert shared.earliest_arrival(place(0), place(target), leave) is together
        reached += alone is not None
        # And the way back, arriving by 22:00: the backward search is shared too.
        by = leave.replace(hour=22)
        assert shared.latest_departure(place(target), place(0), by) == (
            fresh.latest_departure(place(target), place(0), by)
        )
    assert reached > 10
