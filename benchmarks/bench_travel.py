"""How long estimating 10,000 trips takes.

* in-process: ``TravelService.trip`` for 10,000 random GTA trips at random weekday times;
* the whole command ``planner travel --batch TRIPS.csv --json`` on 10,000 rows, once with
  coordinates and once with city names (placed by the offline gazetteer);
* placing 10,000 events whose addresses repeat 200 addresses in the geocoding cache
  (``PlaceResolver.resolve_events``, what loading a week does), the median of 5 runs.

Run: ``python benchmarks/bench_travel.py [--trips 10000]``
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from planner.core.model import Event, Place, TravelMode
from planner.core.settings import Settings
from planner.core.travel.geocode_cache import GeocodeCache
from planner.core.travel.places import PlaceResolver
from planner.core.travel.service import TravelService

CITIES = (
    "Whitby, ON",
    "Oshawa, ON",
    "Toronto, ON",
    "Markham, ON",
    "Mississauga, ON",
    "Pickering, ON",
    "Ajax, ON",
    "Vaughan, ON",
    "Brampton, ON",
    "Richmond Hill, ON",
)


def random_trips(n: int, rng: random.Random) -> list[tuple[Place, Place, TravelMode, datetime]]:
    zone = Settings().zone
    monday = datetime(2026, 11, 23, tzinfo=zone)
    out = []
    for _ in range(n):
        a = Place(lat=rng.uniform(43.55, 43.95), lon=rng.uniform(-79.7, -78.85))
        b = Place(lat=rng.uniform(43.55, 43.95), lon=rng.uniform(-79.7, -78.85))
        when = monday + timedelta(days=rng.randrange(7), minutes=rng.randrange(6 * 60, 22 * 60))
        out.append((a, b, rng.choice(list(TravelMode)), when))
    return out


def timed_command(rows: list[list[str]]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "trips.csv"
        with path.open("w", newline="") as handle:
            csv.writer(handle).writerows([["from", "to", "mode", "at"], *rows])
        planner = str(Path(sys.executable).with_name("planner"))
        env = dict(os.environ, PLANNER_CONFIG_DIR=tmp, PLANNER_CACHE_DIR=tmp)
        began = time.perf_counter()
        subprocess.run(
            [planner, "travel", "--batch", str(path), "--json"],
            check=True,
            capture_output=True,
            env=env,
        )
        return time.perf_counter() - began


def cached_places(events: int = 10_000, addresses: int = 200, runs: int = 5) -> float:
    """Median seconds to place ``events`` events whose addresses repeat ``addresses`` cached
    ones (a fresh resolver each run, so its memo starts empty, as for a new week)."""
    zone = Settings().zone
    start = datetime(2026, 11, 24, 18, 0, tzinfo=zone)
    texts = [f"{100 + i} King St W, Toronto, ON" for i in range(addresses)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "geocode.json"
        cache = GeocodeCache(path)
        with cache.batch():
            for i, text in enumerate(texts):
                cache.put(text, 43.6 + i / 10000, -79.4, "exact")
        week = [
            Event(
                f"uid-{n}",
                f"Event {n}",
                start,
                start + timedelta(hours=2),
                place=Place(f"Venue {n % addresses}", texts[n % addresses]),
            )
            for n in range(events)
        ]
        times = []
        for _ in range(runs):
            resolver = PlaceResolver(Settings(), cache=GeocodeCache(path))
            began = time.perf_counter()
            placed, _notes = resolver.resolve_events(week)
            times.append(time.perf_counter() - began)
            assert all(e.place.has_position for e in placed)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(1)
    trips = random_trips(args.trips, rng)
    service = TravelService(Settings())
    began = time.perf_counter()
    for a, b, mode, when in trips:
        service.trip(a, b, depart=when, mode=mode)
    inside = time.perf_counter() - began
    print(
        f"TravelService.trip, {args.trips:,} trips in-process: {inside:.2f} s "
        f"({inside / args.trips * 1e6:.0f} us a trip)"
    )
    coordinates = [
        [
            f"{a.lat:.5f},{a.lon:.5f}",
            f"{b.lat:.5f},{b.lon:.5f}",
            mode.value,
            when.strftime("%Y-%m-%dT%H:%M"),
        ]
        for a, b, mode, when in trips
    ]
    print(
        f"planner travel --batch, {args.trips:,} rows of coordinates: "
        f"{timed_command(coordinates):.2f} s (whole command)"
    )
    cities = [[rng.choice(CITIES), rng.choice(CITIES), mode.value, ""] for _, _, mode, _ in trips]
    print(
        f"planner travel --batch, {args.trips:,} rows of city names (gazetteer): "
        f"{timed_command(cities):.2f} s (whole command)"
    )
    print(
        f"PlaceResolver.resolve_events, 10,000 events over 200 cached addresses: "
        f"{cached_places() * 1000:.0f} ms (median of 5)"
    )


if __name__ == "__main__":
    main()
