"""How fast planner plans a week, and how much better than greedy the exact plan is.

Random weeks around Toronto (venues spread over the GTA, most events on
weekday evenings, the demo user's commitments and rules), planned through the
real ``plan_week`` path. Reports, per size: solver seconds (model + CP-SAT),
whole ``plan_week`` seconds, whether the optimum was proven, and the value of
a greedy baseline (best value per minute first) relative to the optimum.

Run: ``python benchmarks/bench_plan.py [--sizes 50 200 1000 5000] [--seeds 3] [--free-week]``
(``--free-week``: no commitments, the hard case where most candidates reach the solver).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import datetime, timedelta

from baseline import greedy

from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Choices, Event, Place
from planner.core.planning.options import Limits, Option
from planner.core.planning.plan import plan_week
from planner.core.settings import Settings

CATEGORIES = (
    "professional",
    "job-seeker",
    "tech-meetup",
    "alumni",
    "conference",
    "workshop",
    "coffee-chat",
)
# (name, lat, lon, spread in degrees): where GTA networking events happen.
AREAS = (
    ("downtown Toronto", 43.652, -79.385, 0.02),
    ("North York", 43.768, -79.412, 0.02),
    ("Markham", 43.856, -79.337, 0.03),
    ("Mississauga", 43.593, -79.643, 0.03),
    ("Oshawa", 43.897, -78.865, 0.02),
    ("Whitby", 43.877, -78.942, 0.02),
)


def random_candidates(n: int, rng: random.Random, settings: Settings) -> list[Event]:
    monday = datetime.combine(DEMO_WEEK, datetime.min.time(), tzinfo=settings.zone)
    events = []
    for i in range(n):
        kind = rng.random()
        day = rng.randrange(5) if kind < 0.9 else rng.randrange(5, 7)
        if kind < 0.7:
            start_min = rng.randrange(17 * 60, 20 * 60 + 31, 15)
        else:
            start_min = rng.randrange(7 * 60, 16 * 60, 15)
        start = monday + timedelta(days=day, minutes=start_min)
        length = timedelta(minutes=rng.randrange(30, 181, 15))
        if rng.random() < 0.1:
            place = Place("Online event", virtual=True)
        else:
            area, lat, lon, spread = rng.choice(AREAS)
            place = Place(
                f"Venue {i}",
                area,
                lat + rng.uniform(-spread, spread),
                lon + rng.uniform(-spread, spread),
            )
        events.append(
            Event(
                f"bench-{i}",
                f"Event {i}",
                start,
                start + length,
                place=place,
                categories=(rng.choice(CATEGORIES),),
                priority=rng.choice((0, 0, 1, 3, 5, 7, 9)),
                cost=float(rng.choice((0, 0, 0, 10, 15, 20, 25, 35, 60))),
            )
        )
    return events


def greedy_value(plan_options: list[Option], limits: Limits, between, horizon) -> float:  # type: ignore[no-untyped-def]
    chosen = greedy(plan_options, limits, between, horizon)
    return sum(o.value for o in plan_options if o.index in chosen)


def run(sizes: list[int], seeds: int, *, free_week: bool = False) -> None:
    from planner.core.planning import optimiser
    from planner.core.planning import plan as planning

    settings = demo_settings()
    commitments = [] if free_week else load_demo(DEMO_WEEK, settings).commitments
    print(
        f"{'n':>6} {'to solver':>9} {'after pruning':>13} {'solved by':>10} "
        f"{'solver s (median/max)':>22} {'plan_week s':>12} {'CPU s':>6} {'optimal':>8} "
        f"{'greedy/optimum':>15}"
    )
    for n in sizes:
        solver_times, plan_times, proven, ratios, sizes_in = [], [], [], [], []
        considered: list[int] = []
        cpu_times: list[float] = []
        methods: set[str] = set()
        for seed in range(seeds):
            rng = random.Random(seed * 1000 + n)
            candidates = random_candidates(n, rng, settings)
            captured: dict[str, object] = {}
            real_solve = optimiser.solve

            def spy(options, limits, between, captured=captured, real_solve=real_solve, **kw):  # type: ignore[no-untyped-def]
                captured.update(options=list(options), limits=limits, between=between, **kw)
                solution = real_solve(options, limits, between, **kw)
                captured.update(solution=solution)
                return solution

            planning.solve = spy  # type: ignore[assignment]
            try:
                began, cpu_began = time.perf_counter(), time.process_time()
                plan = plan_week(commitments, candidates, settings, DEMO_WEEK, Choices())
                plan_times.append(time.perf_counter() - began)
                cpu_times.append(time.process_time() - cpu_began)
            finally:
                planning.solve = real_solve  # type: ignore[assignment]
            solver_times.append(plan.solve_seconds)
            sizes_in.append(len(captured["options"]))  # type: ignore[arg-type]
            # (getattr: a build from before pruning and the search can be measured too.)
            solution = captured["solution"]
            considered.append(getattr(solution, "considered", len(captured["options"])))  # type: ignore[arg-type]
            methods.add(getattr(solution, "method", "cp-sat"))
            proven.append(plan.optimal)
            g = greedy_value(
                captured["options"],
                captured["limits"],  # type: ignore[arg-type]
                captured["between"],
                captured["horizon"],
            )
            ratios.append(g / plan.total_value if plan.total_value else 1.0)
        print(
            f"{n:>6} {statistics.median(sizes_in):>9.0f} {statistics.median(considered):>13.0f} "
            f"{'/'.join(sorted(methods)):>10} "
            f"{statistics.median(solver_times):>12.3f} / {max(solver_times):<7.3f} "
            f"{statistics.median(plan_times):>12.3f} {statistics.median(cpu_times):>6.3f} "
            f"{all(proven)!s:>8} "
            f"{statistics.mean(ratios):>14.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 1000, 5000])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--free-week",
        action="store_true",
        help="no commitments: every candidate that fits the rules reaches the solver",
    )
    args = parser.parse_args()
    # Warm up: the first solve pays for importing ortools (~0.3 s), not a re-plan's cost.
    import ortools.sat.python.cp_model  # noqa: F401

    run(args.sizes, args.seeds, free_week=args.free_week)


if __name__ == "__main__":
    main()
