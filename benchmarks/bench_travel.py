"""How long estimating 10,000 trips takes.

* in-process: ``TravelService.trip`` for 10,000 random GTA trips at random weekday times;
* the whole command ``planner travel --batch TRIPS.csv --json`` on 10,000 rows, once with
  coordinates and once with city names (placed by the offline gazetteer).

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

from planner.core.model import Place, TravelMode
from planner.core.settings import Settings
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


if __name__ == "__main__":
    main()
