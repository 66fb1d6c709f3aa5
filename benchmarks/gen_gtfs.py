"""A GTFS feed the size of GO Transit + TTC, generated (deterministic, never committed).

About 10,000 stops, 150,000 trips and 4 million stop times over the GTA: seven GO-like
rail lines into Union (route_type 2), two subway lines, and ~360 bus routes of 20-35
stops each, with weekday, Saturday and Sunday services (a holiday in
calendar_dates.txt), service running to 01:00 (times past 24:00:00).

Run: ``python benchmarks/gen_gtfs.py OUT.zip [--seed 7]``
"""

from __future__ import annotations

import argparse
import io
import math
import random
import zipfile
from pathlib import Path

UNION = (43.6453, -79.3806)
AREA = ((43.58, 43.90), (-79.65, -78.90))
SERVICES = (("WD", "1111100", 1.0), ("SAT", "0000010", 1.5), ("SUN", "0000001", 2.0))
"""Service id, the days it runs (Monday first), and its headway factor."""


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def generate(out: Path, seed: int = 7, bus_routes: int = 360) -> dict[str, int]:
    """Write the feed to ``out``; returns its counts."""
    rng = random.Random(seed)
    stops: list[str] = []
    routes: list[str] = []
    trips: list[str] = []
    stop_times = io.StringIO()
    counts = {"trips": 0, "stop_times": 0}

    def add_stop(name: str, lat: float, lon: float) -> str:
        stop_id = f"S{len(stops)}"
        stops.append(f'{stop_id},"{name}",{lat:.6f},{lon:.6f}\n')
        return stop_id

    def add_route(route_id: str, agency: str, short: str, kind: int, line: list[str],
                  seconds_between: list[int], headway: int, first: int,
                  last: int) -> None:  # fmt: skip
        routes.append(f"{route_id},{agency},{short},,{kind}\n")
        for direction in (0, 1):
            order = list(range(len(line))) if direction == 0 else list(range(len(line)))[::-1]
            gaps = seconds_between if direction == 0 else seconds_between[::-1]
            for service, _, factor in SERVICES:
                step = int(headway * factor)
                start = first + rng.randrange(step)
                while start < last:
                    trip_id = f"{route_id}_{direction}_{service}_{start}"
                    trips.append(f"{route_id},{service},{trip_id}\n")
                    t = start
                    for n, index in enumerate(order):
                        stop_times.write(
                            f"{trip_id},{_clock(t)},{_clock(t)},{line[index]},{n + 1}\n"
                        )
                        if n < len(gaps):
                            t += gaps[n]
                    counts["trips"] += 1
                    counts["stop_times"] += len(order)
                    start += step

    # GO-like rail: seven lines from the edges of the area into Union.
    for n in range(7):
        angle = math.radians(-20 + n * 40)
        far = 45 + rng.uniform(0, 15)
        stations = 10 + rng.randrange(6)
        line = []
        for i in range(stations):
            km = far * (1 - i / (stations - 1))
            lat = UNION[0] + km * math.sin(angle) / 111.2 * 0.6
            line.append(
                add_stop(f"GO {n} station {i}", lat, UNION[1] + km * math.cos(angle) / 80.5)
            )
        gaps = [int(far / (stations - 1) / 70 * 3600) + 60] * (stations - 1)
        add_route(f"GO{n}", "GO", f"L{n}", 2, line, gaps, 20 * 60, 5 * 3600, 24 * 3600 + 1800)
    # Subway: two lines crossing downtown.
    for n, (dlat, dlon) in enumerate(((1, 0), (0, 1))):
        line = [add_stop(f"Subway {n} stop {i}", UNION[0] + dlat * (i - 5) * 0.009 + 0.002,
                         UNION[1] + dlon * (i - 15) * 0.012) for i in range(30)]  # fmt: skip
        add_route(
            f"SUB{n}", "TTC", str(n + 1), 1, line, [120] * 29, 4 * 60, 6 * 3600, 25 * 3600 + 1800
        )
    # Buses: straight lines across the area, stops ~350 m apart.
    for n in range(bus_routes):
        length = 20 + rng.randrange(16)
        lat = rng.uniform(*AREA[0])
        lon = rng.uniform(*AREA[1])
        heading = rng.uniform(0, math.pi)
        line = []
        for i in range(length):
            line.append(add_stop(f"Bus {n} stop {i}", lat + 0.35 * i * math.sin(heading) / 111.2,
                                 lon + 0.35 * i * math.cos(heading) / 80.5))  # fmt: skip
        gaps = [60 + rng.randrange(60) for _ in range(length - 1)]
        add_route(f"B{n}", "TTC", str(n + 5), 3, line, gaps, (9 + rng.randrange(9)) * 60,
                  5 * 3600, 25 * 3600)  # fmt: skip

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "agency.txt",
            "agency_id,agency_name,agency_url,agency_timezone\n"
            "GO,GO Transit,https://example.org/go,America/Toronto\n"
            "TTC,Toronto Transit Commission,https://example.org/ttc,America/Toronto\n",
        )
        archive.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(stops))
        archive.writestr(
            "routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\n"
            + "".join(routes)
        )  # fmt: skip
        archive.writestr("trips.txt", "route_id,service_id,trip_id\n" + "".join(trips))
        archive.writestr(
            "calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            + "".join(f"{s},{','.join(days)},20260101,20271231\n" for s, days, _ in SERVICES),
        )
        archive.writestr(
            "calendar_dates.txt",
            "service_id,date,exception_type\nWD,20261225,2\nSUN,20261225,1\n",
        )
        archive.writestr(
            "stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + stop_times.getvalue(),
        )
    return {"stops": len(stops), "routes": len(routes), **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.seed))


if __name__ == "__main__":
    main()
