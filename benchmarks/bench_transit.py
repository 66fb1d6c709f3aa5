"""How fast the timetables are on a feed the size of GO Transit + TTC.

Generates the feed (:mod:`gen_gtfs`: ~10,000 stops, ~150,000 trips, ~4 million stop
times; deterministic, kept in ``--keep`` so later runs skip it), then, each in a fresh
process so the memory is its own:

* **build**: reading the zip into the compact form in an empty cache folder: time,
  peak memory (the process's maximum resident set), the cache file's size;
* **load**: the same from the warm cache;
* **queries**: 100 random point-to-point earliest arrivals at weekday evening times
  (17:00-22:00) between points near random stops, median and 95th percentile, after
  the day's view is built (its cost reported apart); the same for latest departures;
* **plan**: the trips a plan of 1,000 candidates asks: from home and from the office
  to 1,000 venues over a week (leaving at 17:30 and 17:00) and back (home and office by
  23:00: latest departures), 4,000 queries; and, for comparison, the way home asked
  the other way (earliest arrival leaving each venue at its own end time), 1,000 queries;
  then all 5,000 again in the same process (a re-plan in the window).

Wall-clock and CPU seconds are both printed: on a busy machine the CPU time is the
steadier figure. Run: ``python benchmarks/bench_transit.py [--keep DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TORONTO = ZoneInfo("America/Toronto")
MONDAY = date(2026, 12, 7)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_build(feed: Path, cache: Path) -> dict[str, float]:
    from planner.core.travel.transit import Timetables
    from planner.core.travel.transit.compact import cache_file

    wall, cpu = time.perf_counter(), time.process_time()
    timetables, problems = Timetables.load([feed], cache_dir=cache)
    assert not problems, problems
    return {
        "build_s": time.perf_counter() - wall,
        "build_cpu_s": time.process_time() - cpu,
        "build_peak_mb": _peak_mb(),
        "cache_mb": cache_file(cache, feed).stat().st_size / 1e6,
        "stops": timetables.feeds[0].stops,
        "trips": timetables.feeds[0].trips,
    }


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def phase_queries(feed: Path, cache: Path) -> dict[str, float]:
    from planner.core.travel.transit import Timetables

    wall, cpu = time.perf_counter(), time.process_time()
    timetables, _ = Timetables.load([feed], cache_dir=cache)
    out = {"load_s": time.perf_counter() - wall, "load_cpu_s": time.process_time() - cpu}
    out["load_peak_mb"] = _peak_mb()
    net = timetables.network
    rng = random.Random(19)

    def near_a_stop() -> tuple[float, float]:
        s = rng.randrange(net.stops)
        return float(net.stop_lat[s]) + rng.uniform(-0.003, 0.003), float(
            net.stop_lon[s]
        ) + rng.uniform(-0.004, 0.004)

    wednesday = MONDAY + timedelta(days=2)
    wall, cpu = time.perf_counter(), time.process_time()
    net.view(wednesday)
    out["day_view_s"], out["day_view_cpu_s"] = (
        time.perf_counter() - wall,
        time.process_time() - cpu,
    )
    for name, method in (("earliest", "earliest_arrival"), ("latest", "latest_departure")):
        walls, cpus, found = [], [], 0
        for _ in range(100):
            a, b = near_a_stop(), near_a_stop()
            at = datetime(2026, 12, 9, 17, tzinfo=TORONTO) + timedelta(minutes=rng.randrange(300))
            wall, cpu = time.perf_counter(), time.process_time()
            journey = getattr(timetables, method)(a, b, at)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            found += journey is not None
        out[f"{name}_median_ms"], out[f"{name}_p95_ms"] = _percentiles(walls)
        out[f"{name}_cpu_median_ms"], out[f"{name}_cpu_p95_ms"] = _percentiles(cpus)
        out[f"{name}_found"] = found
    return out


def phase_plan(feed: Path, cache: Path) -> dict[str, float]:
    from planner.core.travel.transit import Timetables

    timetables, _ = Timetables.load([feed], cache_dir=cache)
    net = timetables.network
    rng = random.Random(7)
    # Home near the outermost station of a rail line; the office downtown, near Union.
    rail = [s for s in range(net.stops) if net.stop_rail[s]]
    home_stop = max(rail, key=lambda s: abs(float(net.stop_lon[s]) + 79.38))
    home = (float(net.stop_lat[home_stop]) + 0.002, float(net.stop_lon[home_stop]))
    office = (43.6480, -79.3810)
    venues = []
    for _ in range(1000):
        s = rng.randrange(net.stops)
        venues.append((float(net.stop_lat[s]) + 0.002, float(net.stop_lon[s]) - 0.002))

    def plan() -> int:
        """The 4,000 questions of a week's plan; how many found a journey."""
        found = 0
        for n, venue in enumerate(venues):
            day = MONDAY + timedelta(days=n % 7)
            at = datetime(day.year, day.month, day.day, tzinfo=TORONTO)
            answers = (
                timetables.earliest_arrival(home, venue, at + timedelta(hours=17, minutes=30)),
                timetables.earliest_arrival(office, venue, at + timedelta(hours=17)),
                timetables.latest_departure(venue, home, at + timedelta(hours=23)),
                timetables.latest_departure(venue, office, at + timedelta(hours=23)),
            )
            found += sum(a is not None for a in answers)
        return found

    def home_at_end(rng: random.Random) -> None:
        """The 1,000 ways home after an event ending 20:00-22:00."""
        for n, venue in enumerate(venues):
            day = MONDAY + timedelta(days=n % 7)
            end = datetime(day.year, day.month, day.day, 20, tzinfo=TORONTO)
            timetables.earliest_arrival(venue, home, end + timedelta(minutes=rng.randrange(120)))

    out: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    found = plan()
    out["plan_4000_s"] = time.perf_counter() - wall
    out["plan_4000_cpu_s"] = time.process_time() - cpu
    out["plan_4000_found"] = found
    wall, cpu = time.perf_counter(), time.process_time()
    home_at_end(rng)
    out["home_at_end_1000_s"] = time.perf_counter() - wall
    out["home_at_end_1000_cpu_s"] = time.process_time() - cpu
    # A re-plan in the same process (the window after a drag): the same 5,000 questions.
    rng = random.Random(7)
    for _ in range(1000):
        rng.randrange(net.stops)
    wall, cpu = time.perf_counter(), time.process_time()
    plan()
    home_at_end(rng)
    out["replan_5000_s"] = time.perf_counter() - wall
    out["replan_5000_cpu_s"] = time.process_time() - cpu
    out["plan_peak_mb"] = _peak_mb()
    return out


PHASES = {"build": phase_build, "queries": phase_queries, "plan": phase_plan}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder for the generated feed and cache")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--feed", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.feed, args.cache)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-transit-"))
    folder.mkdir(parents=True, exist_ok=True)
    feed = folder / "gta.zip"
    if not feed.exists():
        from gen_gtfs import generate

        started = time.perf_counter()
        counts = generate(feed)
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s")
    print(f"feed: {feed} ({feed.stat().st_size / 1e6:.1f} MB)")
    cache = folder / "cache"
    for old in cache.glob("transit/*"):
        old.unlink()
    results: dict[str, float] = {}
    for phase in ("build", "queries", "plan"):
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                phase,
                "--feed",
                str(feed),
                "--cache",
                str(cache),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        results.update(json.loads(done.stdout.strip().splitlines()[-1]))
    for key, value in results.items():
        print(f"{key:28} {value:10.3f}" if isinstance(value, float) else f"{key:28} {value:10}")


if __name__ == "__main__":
    main()
