"""How long ``planner plan`` takes for a week of 1,000 candidates by transit, on a
GTA-size timetable (the target: under 1.5 s with a warm cache).

The feed is generated (no real agency's data is bundled): ~10,000 stops on a grid over
the GTA, bus lines along its rows and columns and rail lines into downtown, ~150,000
trips and ~4 million stop times, weekdays from 05:00 to past midnight. The candidates are
``bench_plan``'s random GTA week (venues downtown, in North York, Markham, Mississauga,
Oshawa, Whitby); the commitments and rules are the demo's, with ``[travel] mode =
"transit"`` and the feed as ``[transit] gtfs``.

Reports: generating and first reading the feed (the compact copy in the cache), then
the whole ``planner plan --json`` command, cold (first read) and warm (median of
``--runs``), and, in one process, ``plan_week`` with the timetables loaded, with how
many trips it asked and how many were timed by the timetable.

Run: ``python benchmarks/bench_transit_plan.py [--runs 3] [--keep FOLDER]``
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench_startup import write_candidates

SOUTH, NORTH, WEST, EAST = 43.45, 44.05, -79.85, -78.80
ROWS, COLUMNS = 100, 100  # 10,000 stops
UNION = (43.6453, -79.3806)


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _stop_position(row: int, column: int) -> tuple[float, float]:
    return (
        SOUTH + (NORTH - SOUTH) * row / (ROWS - 1),
        WEST + (EAST - WEST) * column / (COLUMNS - 1),
    )


def _lines() -> list[tuple[str, str, list[int], int, int]]:
    """(route id, short name, stop indexes, headway s, seconds between stops) per line."""
    lines = []
    for row in range(0, ROWS, 2):  # east-west buses on every other row, in 4 pieces
        for piece in range(4):
            stops = [row * COLUMNS + c for c in range(piece * 25, piece * 25 + 25)]
            lines.append((f"R{row}-{piece}", f"{row}{'ABCD'[piece]}", stops, 720, 75))
    for column in range(0, COLUMNS, 2):  # north-south buses on every other column
        for piece in range(4):
            stops = [r * COLUMNS + column for r in range(piece * 25, piece * 25 + 25)]
            lines.append((f"C{column}-{piece}", f"{column}{'EFGH'[piece]}", stops, 720, 80))
    union_row = round((UNION[0] - SOUTH) / (NORTH - SOUTH) * (ROWS - 1))
    union_column = round((UNION[1] - WEST) / (EAST - WEST) * (COLUMNS - 1))
    for k, (row, column) in enumerate(((99, 99), (99, 0), (0, 0), (99, 50), (70, 99), (30, 0))):
        stops = []
        for step in range(13):  # 12 stations from the edge into downtown
            r = row + (union_row - row) * step // 12
            c = column + (union_column - column) * step // 12
            stops.append(r * COLUMNS + c)
        lines.append((f"GO{k}", f"GO {k}", stops, 1800, 240))
    return lines


def write_feed(path: Path) -> tuple[int, int, int]:
    """Write the generated feed; (stops, trips, stop times)."""
    stops = io.StringIO()
    stops.write("stop_id,stop_name,stop_lat,stop_lon\n")
    for row in range(ROWS):
        for column in range(COLUMNS):
            lat, lon = _stop_position(row, column)
            stops.write(f"S{row * COLUMNS + column},Stop {row}-{column},{lat:.6f},{lon:.6f}\n")
    routes = io.StringIO()
    routes.write("route_id,agency_id,route_short_name,route_type\n")
    trips = io.StringIO()
    trips.write("route_id,service_id,trip_id\n")
    times: list[str] = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"]
    trip_count = time_count = 0
    for route, name, line, headway, hop in _lines():
        agency = "GO" if route.startswith("GO") else "BUS"
        routes.write(f"{route},{agency},{name},{2 if agency == 'GO' else 3}\n")
        for direction, order in ((0, line), (1, line[::-1])):
            first = 5 * 3600 + (direction * headway) // 2
            for start in range(first, 25 * 3600 + 1800, headway):
                trip = f"{route}-{direction}-{start}"
                trips.write(f"{route},WK,{trip}\n")
                trip_count += 1
                rows = [
                    f"{trip},{_hms(start + i * hop)},{_hms(start + i * hop)},S{stop},{i + 1}\n"
                    for i, stop in enumerate(order)
                ]
                times.append("".join(rows))
                time_count += len(rows)
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
        "GO,Generated GO,https://example.org,America/Toronto\n"
        "BUS,Generated Bus,https://example.org,America/Toronto\n",
        "stops.txt": stops.getvalue(),
        "routes.txt": routes.getvalue(),
        "trips.txt": trips.getvalue(),
        "stop_times.txt": "".join(times),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20261101,20270131\n",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return ROWS * COLUMNS, trip_count, time_count


def write_settings(folder: Path, feed: Path) -> Path:
    root = Path(__file__).resolve().parents[1]
    demo = (root / "resources" / "demo" / "settings.toml").read_text(encoding="utf-8")
    assert 'mode = "drive"' in demo
    text = demo.replace('mode = "drive"', 'mode = "transit"')
    text += f'\n[transit]\ngtfs = ["{feed}"]\n'
    path = folder / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def in_process(settings_path: Path, candidates: Path) -> None:
    """plan_week with the timetables already loaded: the part a warm window re-plans."""
    from planner.core.demo import DEMO_WEEK
    from planner.core.planning.plan import plan_week
    from planner.core.planning.week import load_week
    from planner.core.settings import load_settings
    from planner.core.travel.service import TravelService

    root = Path(__file__).resolve().parents[1]
    settings = load_settings(settings_path)
    week = load_week(
        [root / "resources" / "demo" / "commitments.ics"], [candidates], settings, DEMO_WEEK
    )
    for label in ("first plan", "re-plan"):
        service = TravelService(settings)
        sources: list[str] = []
        asked = service.trip

        def counted(*args, asked=asked, sources=sources, **kwargs):  # type: ignore[no-untyped-def]
            found = asked(*args, **kwargs)
            sources.append(found.source)
            return found

        service.trip = counted  # type: ignore[method-assign]
        began = time.perf_counter()
        plan = plan_week(week.commitments, week.candidates, settings, DEMO_WEEK, travel=service)
        took = time.perf_counter() - began
        timetabled = sum(source == "timetable" for source in sources)
        print(
            f"plan_week in one process, {label} (timetables loaded): {took:.2f} s for "
            f"{len(week.candidates):,} candidates; {len(sources):,} trips asked, "
            f"{timetabled:,} by the timetable; {len(plan.chosen)} chosen"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the feed and settings here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-transit-plan-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PLANNER_CACHE_DIR=str(folder / "cache"),
        PLANNER_DATA_DIR=str(folder / "data"),
        PLANNER_CONFIG_DIR=str(folder / "config"),
    )
    os.environ.update({k: env[k] for k in ("PLANNER_CACHE_DIR", "PLANNER_DATA_DIR")})
    feed = folder / "gta-generated.zip"
    if not feed.exists():
        began = time.perf_counter()
        stops, trips, stop_times = write_feed(feed)
        print(
            f"generated feed: {stops:,} stops, {trips:,} trips, {stop_times:,} stop times, "
            f"{feed.stat().st_size / 1e6:.0f} MB zipped, in {time.perf_counter() - began:.0f} s"
        )
    candidates = folder / "candidates-1000.ics"
    write_candidates(1000, candidates)
    settings = write_settings(folder, feed)
    shutil.rmtree(folder / "cache", ignore_errors=True)
    planner = str(Path(sys.executable).with_name("planner"))
    mine = Path(__file__).resolve().parents[1] / "resources" / "demo" / "commitments.ics"
    command = [planner, "plan", "--commitments", str(mine), "--candidates", str(candidates)]
    command += ["--settings", str(settings), "--week", "2026-11-23", "--json"]
    if not Path(planner).exists():
        command = [sys.executable, "-m", "planner", *command[1:]]
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    print(
        f"planner plan, cold (reads the feed into the cache): {time.perf_counter() - began:.2f} s"
    )
    warm = []
    for _ in range(args.runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        warm.append(time.perf_counter() - began)
    print(
        f"planner plan, warm: median {statistics.median(warm):.2f} s "
        f"(min {min(warm):.2f}, max {max(warm):.2f}) over {args.runs} runs; target 1.5 s"
    )
    in_process(settings, candidates)


if __name__ == "__main__":
    main()
