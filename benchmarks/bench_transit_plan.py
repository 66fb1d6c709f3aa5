"""How long ``planner plan`` takes for a week of 1,000 candidates by transit, on a
GTA-size timetable (the target: under 1.5 s with a warm cache).

The feed is h-gtfs's generated GO + TTC sized one (``gen_gtfs.py``: ~10,000 stops,
~150,000 trips, ~4 million stop times; no real agency's data is bundled). The candidates are
``bench_plan``'s random GTA week (venues downtown, in North York, Markham, Mississauga,
Oshawa, Whitby); the commitments and rules are the demo's, with ``[travel] mode =
"transit"`` and the feed as ``[transit] gtfs``.

Reports: generating and first reading the feed (the compact copy in the cache), then
the whole ``planner plan --json`` command: cold (first read), for a week not planned
before (the compact copy warm, every journey searched: the journeys kept by the run
before are deleted first) and for the week planned again (every journey kept, as a
second ``planner plan`` of a week, or the window opened again, finds them), medians of
``--runs``; and, in one process, ``plan_week`` with the timetables loaded, with how
many trips it asked and how many were timed by the timetable, and the router's searches
(how many, and the seconds in them).

Run: ``python benchmarks/bench_transit_plan.py [--runs 3] [--keep FOLDER]
[--save-json PLAN.json] [--check-searches]`` (``--save-json`` keeps the plan, to compare
two versions' answers byte for byte; ``--check-searches`` only compares every search of a
first plan with the plain, unpruned one).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_startup import write_candidates
from gen_gtfs import generate


def write_settings(folder: Path, feed: Path) -> Path:
    root = Path(__file__).resolve().parents[1]
    demo = (root / "resources" / "demo" / "settings.toml").read_text(encoding="utf-8")
    assert 'mode = "drive"' in demo
    text = demo.replace('mode = "drive"', 'mode = "transit"')
    text += f'\n[transit]\ngtfs = ["{feed}"]\n'
    path = folder / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def check_searches(settings_path: Path, candidates: Path, kept: Path) -> None:
    """Every search of a first plan against the plain one (no destination, no least
    times, no horizon: all the way to its limit): the same time, rides, stop and traced
    journey, on the GTA-size feed (tests/transit/test_horizons.py does it on small ones).
    The journeys kept in ``kept`` by earlier runs are deleted first, so it searches."""
    import numpy as np

    from planner.core.demo import DEMO_WEEK
    from planner.core.planning.plan import plan_week
    from planner.core.travel.service import TravelService
    from planner.core.travel.transit.raptor import search
    from planner.core.travel.transit.timetables import Timetables

    settings, week = _week_searched_afresh(settings_path, candidates, kept)
    checked = [0, 0, 0]  # searches compared, with a journey, different
    asked = Timetables._search

    def compared(self, day, backwards, sources, targets, limit):  # type: ignore[no-untyped-def]
        found, best = asked(self, day, backwards, sources, targets, limit)
        view = self.network.view(day, backwards)
        plain = search(view, sources[0], sources[1].astype(np.int32), limit)
        expected = plain.best(*targets)
        same = best == expected
        if same and best[1]:
            same = found.trace(best[1], best[2]) == plain.trace(best[1], best[2])
            checked[1] += 1
        checked[0] += 1
        checked[2] += not same
        return found, best

    Timetables._search = compared  # type: ignore[method-assign]
    try:
        plan_week(
            week.commitments, week.candidates, settings, DEMO_WEEK, travel=TravelService(settings)
        )
    finally:
        Timetables._search = asked  # type: ignore[method-assign]
    print(
        f"every search of the first plan against the plain search: {checked[0]:,} compared "
        f"({checked[1]:,} with a journey), {checked[2]:,} different"
    )


def _week_searched_afresh(settings_path: Path, candidates: Path, kept: Path):  # type: ignore[no-untyped-def]
    """The settings and the demo week with ``candidates``, the journeys kept in ``kept``
    by earlier runs deleted first (so a plan searches every one)."""
    from planner.core.demo import DEMO_WEEK
    from planner.core.planning.week import load_week
    from planner.core.settings import load_settings

    for path in kept.glob("journeys-*"):
        path.unlink()
    root = Path(__file__).resolve().parents[1]
    settings = load_settings(settings_path)
    week = load_week(
        [root / "resources" / "demo" / "commitments.ics"], [candidates], settings, DEMO_WEEK
    )
    return settings, week


def in_process(settings_path: Path, candidates: Path, kept: Path) -> None:
    """plan_week with the timetables already loaded: the part a warm window re-plans
    (the journeys kept in ``kept`` by earlier runs deleted first, so it searches)."""
    from planner.core.demo import DEMO_WEEK
    from planner.core.planning.plan import plan_week
    from planner.core.travel.service import TravelService

    settings, week = _week_searched_afresh(settings_path, candidates, kept)
    sources: list[str] = []

    def counting(service: TravelService) -> TravelService:
        """The service, noting where each trip it answers came from."""
        asked = service.trip

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            found = asked(*args, **kwargs)
            sources.append(found.source)
            return found

        service.trip = counted  # type: ignore[method-assign]
        return service

    import planner.core.travel.transit.timetables as timetables_module

    searched = [0, 0.0]
    searching = timetables_module.search

    def timed_search(*args, **kwargs):  # type: ignore[no-untyped-def]
        """The router's searches, counted and timed."""
        began = time.perf_counter()
        found = searching(*args, **kwargs)
        searched[0] += 1
        searched[1] += time.perf_counter() - began
        return found

    timetables_module.search = timed_search
    kept = counting(TravelService(settings))
    # The window keeps its service from one plan to the next (it has no router).
    for label, service in (
        ("first plan", kept),
        ("re-plan, a new service", counting(TravelService(settings))),
        ("re-plan, the same service (as the window)", kept),
    ):
        sources.clear()
        searched[:] = [0, 0.0]
        began, cpu = time.perf_counter(), time.process_time()
        plan = plan_week(week.commitments, week.candidates, settings, DEMO_WEEK, travel=service)
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        timetabled = sum(source == "timetable" for source in sources)
        print(
            f"plan_week in one process, {label}: {took:.2f} s ({cpu:.2f} s CPU) for "
            f"{len(week.candidates):,} candidates; {len(sources):,} trips asked, "
            f"{timetabled:,} by the timetable; {len(plan.chosen)} chosen; "
            f"{searched[0]:,} router searches, {searched[1]:.2f} s"
        )


def _children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes so far: on a machine
    shared with other work, steadier than the wall clock."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the feed and settings here")
    parser.add_argument("--skip-cli", action="store_true", help="only plan_week in one process")
    parser.add_argument(
        "--check-searches",
        action="store_true",
        help="only compare every search of a first plan with the plain, unpruned one",
    )
    parser.add_argument(
        "--save-json",
        type=Path,
        help="write the JSON of a plan of the week not planned before (every journey "
        "searched) here, to compare two versions' plans: cmp A B",
    )
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
        counts = generate(feed)
        print(
            f"generated feed ({', '.join(f'{v:,} {k}' for k, v in counts.items())}), "
            f"{feed.stat().st_size / 1e6:.0f} MB zipped, in {time.perf_counter() - began:.0f} s"
        )
    candidates = folder / "candidates-1000.ics"
    write_candidates(1000, candidates)
    settings = write_settings(folder, feed)
    if args.check_searches:
        check_searches(settings, candidates, folder / "cache" / "transit")
        return
    if args.skip_cli:
        in_process(settings, candidates, folder / "cache" / "transit")
        return
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
    kept = folder / "cache" / "transit"

    def timed(label: str, forget: bool) -> None:
        """``--runs`` runs of the command: median wall time and CPU (all threads)."""
        walls, cpus = [], []
        for _ in range(args.runs):
            if forget:  # the journeys kept by the run before (transit/kept.py)
                for path in kept.glob("journeys-*"):
                    path.unlink()
            began, cpu = time.perf_counter(), _children_cpu()
            done = subprocess.run(command, check=True, capture_output=True, env=env)
            walls.append(time.perf_counter() - began)
            cpus.append(_children_cpu() - cpu)
            if forget and args.save_json:  # a plan whose every journey was searched
                args.save_json.write_bytes(done.stdout)
        print(
            f"planner plan, {label}: median {statistics.median(walls):.2f} s "
            f"(min {min(walls):.2f}, max {max(walls):.2f}) over {args.runs} runs, CPU median "
            f"{statistics.median(cpus):.2f} s (all threads)"
        )

    timed("a week not planned before (compact copy warm, every journey searched)", True)
    timed("the week planned again (its journeys kept; target 1.5 s)", False)
    in_process(settings, candidates, kept)


if __name__ == "__main__":
    main()
