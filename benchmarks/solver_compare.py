"""Compare OR-Tools CP-SAT and HiGHS on the planner's weekly event-selection model.

This script is the record of the measurement behind ``benchmarks/SOLVER_CHOICE.md``.

OR-Tools (>= 9.15) and highspy (>= 1.15) both ship ``libhighs.so.1`` and cannot be
loaded in one process, so every run measures ONE solver, imported lazily inside the
functions that need it, and each solver lives in its own virtual environment:

    python3 -m venv /tmp/venv-cpsat && /tmp/venv-cpsat/bin/pip install ortools
    python3 -m venv /tmp/venv-highs && /tmp/venv-highs/bin/pip install highspy numpy

    /tmp/venv-cpsat/bin/python benchmarks/solver_compare.py --solver cpsat --out /tmp/cpsat.json
    /tmp/venv-highs/bin/python benchmarks/solver_compare.py --solver highs --out /tmp/highs.json
    python3 benchmarks/solver_compare.py --report /tmp/cpsat.json /tmp/highs.json

The report step needs only the standard library: it merges the two result files,
checks that every proven optimum agrees across solvers and formulations, re-checks
every returned selection against the constraints, runs the greedy baseline and
prints Markdown tables.

The model (identical in both solvers), for N candidate events over one week:

* ``x_i`` binary: event i is chosen; ``y_d`` binary: an evening out on day d.
* No two chosen events overlap, travel included (event i occupies
  ``[start - travel/2, end + travel/2)``): one at-most-one constraint per maximal
  clique of the interval graph (``clique``), or, for CP-SAT only, one per
  overlapping pair (``pair``).
* ``sum (duration_i + travel_i) x_i <= 360``; at most 5 events a week, 2 a day.
* ``x_i <= y_day(i)`` for evening events, ``sum y_d <= 3``.
* At most 2 events of each category, at most 1 of the job-seeker category.
* ``sum cost_i x_i <= 80``.
* Objective ``lex``: maximise ``sum (value_i * BIG - travel_i * 1000 - cost_i) x_i``
  (value first, then less travel, then less money); objective ``value``: maximise
  ``sum value_i x_i``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# --------------------------------------------------------------------------- model data

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MINUTES_PER_DAY = 24 * 60
NUM_CATEGORIES = 7
JOB_SEEKER_CATEGORY = 0
EVENING_START = 17 * 60  # an event starting at or after 17:00 is an evening out

BUDGET_MINUTES = 6 * 60
MAX_EVENTS_PER_WEEK = 5
MAX_EVENTS_PER_DAY = 2
MAX_EVENINGS_OUT = 3
MAX_PER_CATEGORY = 2
MAX_JOB_SEEKER = 1
MONEY_CAP = 80

MAX_TRAVEL = 90
MAX_COST = 60
TRAVEL_WEIGHT = 1000  # > MONEY_CAP, so any minute of travel outweighs all money
# BIG must exceed the largest possible secondary term of any feasible selection.
BIG = MAX_EVENTS_PER_WEEK * (MAX_TRAVEL * TRAVEL_WEIGHT + MAX_COST) + 1

DEFAULT_SIZES = (50, 200, 1000, 5000)
DEFAULT_SEEDS = (0, 1, 2, 3, 4)
OBJECTIVES = ("lex", "value")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate event; times are minutes from Monday 00:00."""

    start: int
    duration: int
    category: int
    value: int
    travel: int
    cost: int

    @property
    def end(self) -> int:
        """End of the event itself (travel excluded)."""
        return self.start + self.duration

    @property
    def day(self) -> int:
        """Day index of the start, 0 = Monday."""
        return self.start // MINUTES_PER_DAY

    @property
    def evening(self) -> bool:
        """True when attending means an evening out on ``day``."""
        return self.start % MINUTES_PER_DAY >= EVENING_START

    @property
    def span2(self) -> tuple[int, int]:
        """Half-open occupied interval, travel included, in half-minutes (stays integral)."""
        return 2 * self.start - self.travel, 2 * self.end + self.travel

    def coefficient(self, objective: str) -> int:
        """Objective coefficient of ``x_i`` for ``objective`` (``lex`` or ``value``)."""
        if objective == "value":
            return self.value
        return self.value * BIG - (self.travel * TRAVEL_WEIGHT + self.cost)


def make_week(n: int, seed: int) -> list[Candidate]:
    """Random, reproducible week of ``n`` candidates (pure stdlib, same in every process).

    70% start on a weekday evening between 17:00 and 20:30, 20% on a weekday between
    07:00 and 16:00, 10% on Saturday or Sunday between 07:00 and 22:00; starts are on
    a 15-minute grid, durations 30..180 min on the same grid.
    """
    rng = random.Random(1_000_003 * seed + n)
    week: list[Candidate] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.7:
            day, minute = rng.randrange(5), 17 * 60 + 15 * rng.randrange(15)
        elif kind < 0.9:
            day, minute = rng.randrange(5), 7 * 60 + 15 * rng.randrange(37)
        else:
            day, minute = 5 + rng.randrange(2), 7 * 60 + 15 * rng.randrange(61)
        week.append(
            Candidate(
                start=day * MINUTES_PER_DAY + minute,
                duration=15 * rng.randint(2, 12),
                category=rng.randrange(NUM_CATEGORIES),
                value=rng.randint(1, 50),
                travel=rng.randint(0, MAX_TRAVEL),
                cost=rng.randint(0, MAX_COST),
            )
        )
    return week


def maximal_cliques(week: Sequence[Candidate]) -> list[list[int]]:
    """Maximal cliques (size >= 2) of the interval graph, by a sweep over sorted endpoints.

    Ends sort before starts at the same coordinate (touching intervals do not
    overlap). The active set is a maximal clique exactly when an end follows a start.
    """
    points: list[tuple[int, int, int]] = []
    for i, cand in enumerate(week):
        lo, hi = cand.span2
        points.append((lo, 1, i))
        points.append((hi, 0, i))
    points.sort()
    active: set[int] = set()
    cliques: list[list[int]] = []
    last_was_start = False
    for _, is_start, i in points:
        if is_start:
            active.add(i)
            last_was_start = True
        else:
            if last_was_start and len(active) >= 2:
                cliques.append(sorted(active))
            last_was_start = False
            active.remove(i)
    return cliques


def overlapping_pairs(week: Sequence[Candidate]) -> list[tuple[int, int]]:
    """Every pair of candidates whose occupied intervals overlap."""
    order = sorted(range(len(week)), key=lambda i: week[i].span2)
    spans = [week[i].span2 for i in order]
    pairs: list[tuple[int, int]] = []
    for a, (_, hi) in enumerate(spans):
        b = a + 1
        while b < len(spans) and spans[b][0] < hi:
            pairs.append((order[a], order[b]))
            b += 1
    return pairs


def violations(week: Sequence[Candidate], chosen: Iterable[int]) -> list[str]:
    """Every constraint a selection breaks (empty list = feasible); solver-independent."""
    sel = sorted(set(chosen))
    out: list[str] = []
    for k, i in enumerate(sel):
        for j in sel[k + 1 :]:
            (alo, ahi), (blo, bhi) = week[i].span2, week[j].span2
            if alo < bhi and blo < ahi:
                out.append(f"overlap {i} {j}")
    if sum(week[i].duration + week[i].travel for i in sel) > BUDGET_MINUTES:
        out.append("time budget")
    if len(sel) > MAX_EVENTS_PER_WEEK:
        out.append("events per week")
    per_day: dict[int, int] = defaultdict(int)
    per_cat: dict[int, int] = defaultdict(int)
    for i in sel:
        per_day[week[i].day] += 1
        per_cat[week[i].category] += 1
    if any(v > MAX_EVENTS_PER_DAY for v in per_day.values()):
        out.append("events per day")
    if len({week[i].day for i in sel if week[i].evening}) > MAX_EVENINGS_OUT:
        out.append("evenings out")
    if any(v > MAX_PER_CATEGORY for v in per_cat.values()):
        out.append("category cap")
    if per_cat[JOB_SEEKER_CATEGORY] > MAX_JOB_SEEKER:
        out.append("job-seeker cap")
    if sum(week[i].cost for i in sel) > MONEY_CAP:
        out.append("money")
    return out


def greedy(week: Sequence[Candidate]) -> list[int]:
    """Baseline: by value / (duration + travel) descending, take each event that still fits."""
    order = sorted(
        range(len(week)), key=lambda i: (-week[i].value / (week[i].duration + week[i].travel), i)
    )
    chosen: list[int] = []
    for i in order:
        if not violations(week, [*chosen, i]):
            chosen.append(i)
            if len(chosen) == MAX_EVENTS_PER_WEEK:
                break
    return chosen


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class SolveResult:
    """One solve of one instance with one configuration."""

    solver: str
    config: str
    objective: str
    n: int
    seed: int
    num_constraints: int
    build_s: float
    solve_s: float
    status: str
    optimal: bool
    objective_value: int | None
    value_sum: int | None
    chosen: list[int] = field(default_factory=list)
    solver_reported_s: float | None = None


@dataclass(frozen=True, slots=True)
class Config:
    """A solver configuration to time."""

    name: str
    objective: str
    formulation: str  # "clique" or "pair"
    options: dict[str, Any]


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Run ``fn`` and return its result and its wall time in seconds."""
    t0 = time.perf_counter()
    res = fn()
    return res, time.perf_counter() - t0


def _objective_of(week: Sequence[Candidate], chosen: Sequence[int], objective: str) -> int:
    """Exact integer objective of a selection (recomputed, not the solver's float)."""
    return sum(week[i].coefficient(objective) for i in chosen)


# --------------------------------------------------------------------------- CP-SAT


def solve_cpsat(
    week: Sequence[Candidate],
    conflicts: Sequence[Sequence[int]],
    objective: str,
    workers: int,
    params: dict[str, Any],
    time_limit: float,
) -> tuple[str, bool, list[int], float, float, float]:
    """Build and solve the model with OR-Tools CP-SAT.

    ``conflicts`` are the at-most-one groups (maximal cliques or pairs); ``params``
    are extra ``SatParameters`` fields. Returns (status, proven optimal, chosen,
    build s, solve s, solver-reported wall s).
    """
    from ortools.sat.python import cp_model  # lazy: see module docstring

    t0 = time.perf_counter()
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(week))]
    y = [model.new_bool_var(f"y{d}") for d in range(7)]
    for group in conflicts:
        model.add_at_most_one(x[i] for i in group)
    model.add(sum((c.duration + c.travel) * x[i] for i, c in enumerate(week)) <= BUDGET_MINUTES)
    model.add(sum(x) <= MAX_EVENTS_PER_WEEK)
    by_day: dict[int, list[int]] = defaultdict(list)
    by_cat: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(week):
        by_day[c.day].append(i)
        by_cat[c.category].append(i)
        if c.evening:
            model.add_implication(x[i], y[c.day])  # x_i <= y_day(i)
    for members in by_day.values():
        model.add(sum(x[i] for i in members) <= MAX_EVENTS_PER_DAY)
    model.add(sum(y) <= MAX_EVENINGS_OUT)
    for cat, members in by_cat.items():
        cap = MAX_JOB_SEEKER if cat == JOB_SEEKER_CATEGORY else MAX_PER_CATEGORY
        model.add(sum(x[i] for i in members) <= cap)
    model.add(sum(c.cost * x[i] for i, c in enumerate(week)) <= MONEY_CAP)
    model.maximize(sum(c.coefficient(objective) * x[i] for i, c in enumerate(week)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    for name, value in params.items():
        setattr(solver.parameters, name, value)
    build = time.perf_counter() - t0

    status, solve = _timed(lambda: solver.solve(model))
    chosen: list[int] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [i for i in range(len(week)) if solver.boolean_value(x[i])]
    return (
        solver.status_name(status),
        status == cp_model.OPTIMAL,
        chosen,
        build,
        solve,
        solver.wall_time,
    )


def cpsat_default_workers() -> str:
    """What CP-SAT's default ``num_workers`` (0) turns into on this machine, from its log."""
    from ortools.sat.python import cp_model  # lazy: see module docstring

    lines: list[str] = []
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"z{i}") for i in range(4)]
    model.add(sum(z) <= 2)
    model.maximize(sum(z))
    solver = cp_model.CpSolver()
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    solver.log_callback = lines.append
    solver.solve(model)
    return next((ln.strip() for ln in lines if "number of workers" in ln), "not logged")


# --------------------------------------------------------------------------- HiGHS


def _linear_rows(
    week: Sequence[Candidate], cliques: Sequence[Sequence[int]]
) -> list[tuple[list[int], list[int], int]]:
    """The model's constraints as rows (column indices, coefficients, upper bound).

    Columns 0..N-1 are ``x_i``, columns N..N+6 are ``y_d``; every row is ``<=``.
    """
    n = len(week)
    rows: list[tuple[list[int], list[int], int]] = [
        (list(group), [1] * len(group), 1) for group in cliques
    ]
    rows.append(
        (list(range(n)), [c.duration + c.travel for c in week], BUDGET_MINUTES),
    )
    rows.append((list(range(n)), [1] * n, MAX_EVENTS_PER_WEEK))
    by_day: dict[int, list[int]] = defaultdict(list)
    by_cat: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(week):
        by_day[c.day].append(i)
        by_cat[c.category].append(i)
        if c.evening:
            rows.append(([i, n + c.day], [1, -1], 0))  # x_i - y_d <= 0
    for members in by_day.values():
        rows.append((members, [1] * len(members), MAX_EVENTS_PER_DAY))
    rows.append((list(range(n, n + 7)), [1] * 7, MAX_EVENINGS_OUT))
    for cat, members in by_cat.items():
        cap = MAX_JOB_SEEKER if cat == JOB_SEEKER_CATEGORY else MAX_PER_CATEGORY
        rows.append((members, [1] * len(members), cap))
    rows.append((list(range(n)), [c.cost for c in week], MONEY_CAP))
    return rows


def solve_highs(
    week: Sequence[Candidate],
    cliques: Sequence[Sequence[int]],
    objective: str,
    api: str,
    options: dict[str, Any],
    time_limit: float,
) -> tuple[str, bool, list[int], float, float, float]:
    """Build and solve the model with HiGHS (highspy).

    ``api`` is ``matrix`` (one ``passModel`` of a CSR matrix built with numpy) or
    ``expr`` (highspy's modelling layer: ``addBinaries``/``addConstr``/``qsum``).
    ``options`` are HiGHS options; see ``EXACT_GAP`` for why the gaps are set.
    Returns (status, proven optimal, chosen, build s, solve s, solver-reported s).
    """
    import highspy  # lazy: see module docstring
    import numpy as np

    n = len(week)
    t0 = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    for name, value in options.items():
        h.setOptionValue(name, value)
    if api == "matrix":
        rows = _linear_rows(week, cliques)
        starts = np.zeros(len(rows) + 1, dtype=np.int32)
        starts[1:] = np.cumsum([len(r[0]) for r in rows])
        lp = highspy.HighsLp()
        lp.num_col_ = n + 7
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.array([c.coefficient(objective) for c in week] + [0] * 7, dtype=float)
        lp.col_lower_ = np.zeros(n + 7)
        lp.col_upper_ = np.ones(n + 7)
        lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
        lp.row_upper_ = np.array([r[2] for r in rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n + 7
        lp.a_matrix_.num_row_ = len(rows)
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = np.fromiter((j for r in rows for j in r[0]), dtype=np.int32)
        lp.a_matrix_.value_ = np.fromiter((v for r in rows for v in r[1]), dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * (n + 7)
        lp.sense_ = highspy.ObjSense.kMaximize
        h.passModel(lp)
        columns = list(range(n))
    else:
        x = h.addBinaries(n)
        y = h.addBinaries(7)
        for group in cliques:
            h.addConstr(h.qsum(x[i] for i in group) <= 1)
        h.addConstr(
            h.qsum((c.duration + c.travel) * x[i] for i, c in enumerate(week)) <= BUDGET_MINUTES
        )
        h.addConstr(h.qsum(x[i] for i in range(n)) <= MAX_EVENTS_PER_WEEK)
        by_day: dict[int, list[int]] = defaultdict(list)
        by_cat: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(week):
            by_day[c.day].append(i)
            by_cat[c.category].append(i)
            if c.evening:
                h.addConstr(x[i] <= y[c.day])
        for members in by_day.values():
            h.addConstr(h.qsum(x[i] for i in members) <= MAX_EVENTS_PER_DAY)
        h.addConstr(h.qsum(y[d] for d in range(7)) <= MAX_EVENINGS_OUT)
        for cat, members in by_cat.items():
            cap = MAX_JOB_SEEKER if cat == JOB_SEEKER_CATEGORY else MAX_PER_CATEGORY
            h.addConstr(h.qsum(x[i] for i in members) <= cap)
        h.addConstr(h.qsum(c.cost * x[i] for i, c in enumerate(week)) <= MONEY_CAP)
        h.setObjective(
            h.qsum(c.coefficient(objective) * x[i] for i, c in enumerate(week)),
            sense=highspy.ObjSense.kMaximize,
        )
        columns = [x[i].index for i in range(n)]
    build = time.perf_counter() - t0

    _, solve = _timed(h.run)
    model_status = h.getModelStatus()
    chosen: list[int] = []
    if h.getInfo().primal_solution_status == 2:  # kSolutionStatusFeasible
        values = h.getSolution().col_value
        chosen = [i for i in range(n) if values[columns[i]] > 0.5]
    return (
        h.modelStatusToString(model_status),
        model_status == highspy.HighsModelStatus.kOptimal,
        chosen,
        build,
        solve,
        h.getRunTime(),
    )


# --------------------------------------------------------------------------- environment


def machine_info() -> dict[str, Any]:
    """Cores, CPU model, OS and Python version of this machine."""
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _requirement_closure(root: str) -> list[str]:
    """``root`` and every distribution it (transitively) requires, without extras."""
    seen: dict[str, str] = {}
    todo = [root]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = f"{dist.metadata['Name']}=={dist.version}"
        for req in dist.requires or []:
            if "extra ==" in req or "extra==" in req:
                continue
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
            if match:
                todo.append(match.group(1))
    return sorted(seen.values())


def installed_size(root: str) -> dict[str, Any]:
    """Bytes on disk of ``root`` and its dependency closure, from each RECORD file."""
    sizes: dict[str, int] = {}
    for spec in _requirement_closure(root):
        dist = metadata.distribution(spec.split("==")[0])
        total = 0
        for f in dist.files or []:
            path = Path(str(dist.locate_file(f)))
            if path.is_file():
                total += path.stat().st_size
        sizes[spec] = total
    return {"root": root, "per_distribution": sizes, "total": sum(sizes.values())}


def import_times(statement: str, repeats: int) -> list[float]:
    """Seconds to run ``statement`` in fresh interpreters (one warm-up run discarded)."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    out: list[float] = []
    for k in range(repeats + 1):
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        if k:
            out.append(float(res.stdout.strip()))
    return out


# --------------------------------------------------------------------------- benchmark


# The objective is integral, so a gap below 1 proves optimality. HiGHS's default
# mip_rel_gap (1e-4) of a ~1e8 `lex` objective would allow ~1e4 of slack, i.e. HiGHS
# could stop and say "Optimal" before settling travel and money.
EXACT_GAP: dict[str, Any] = {"mip_rel_gap": 0.0, "mip_abs_gap": 0.5}
# Lighter CP-SAT presolve: at N >= 1000 presolve (probing, clique merging) dominates.
LIGHT_PRESOLVE: dict[str, Any] = {
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
}


def configs_for(solver: str, workers: Sequence[int], pair_workers: Sequence[int]) -> list[Config]:
    """The configurations one solver is timed with."""
    if solver == "cpsat":
        cfgs = [
            Config(f"cpsat clique w={w}", obj, "clique", {"workers": w, "params": {}})
            for obj in OBJECTIVES
            for w in workers
        ]
        cfgs += [
            Config(
                f"cpsat clique w={w} light-presolve",
                "lex",
                "clique",
                {"workers": w, "params": LIGHT_PRESOLVE},
            )
            for w in (1, 2)
        ]
        cfgs += [
            Config(f"cpsat pair w={w}", "lex", "pair", {"workers": w, "params": {}})
            for w in pair_workers
        ]
        return cfgs
    return [
        Config("highs matrix", "lex", "clique", {"api": "matrix", "options": EXACT_GAP}),
        Config("highs matrix", "value", "clique", {"api": "matrix", "options": EXACT_GAP}),
        Config("highs expr", "lex", "clique", {"api": "expr", "options": EXACT_GAP}),
        Config(
            "highs matrix presolve=off",
            "lex",
            "clique",
            {"api": "matrix", "options": {**EXACT_GAP, "presolve": "off"}},
        ),
        Config("highs matrix default-gap", "lex", "clique", {"api": "matrix", "options": {}}),
    ]


def run_one(
    solver: str,
    cfg: Config,
    week: Sequence[Candidate],
    conflicts: Sequence[Sequence[int]],
    n: int,
    seed: int,
    time_limit: float,
) -> SolveResult:
    """Build and solve one instance with one configuration."""
    if solver == "cpsat":
        status, optimal, chosen, build, solve, reported = solve_cpsat(
            week,
            conflicts,
            cfg.objective,
            cfg.options["workers"],
            cfg.options["params"],
            time_limit,
        )
    else:
        status, optimal, chosen, build, solve, reported = solve_highs(
            week,
            conflicts,
            cfg.objective,
            cfg.options["api"],
            cfg.options["options"],
            time_limit,
        )
    return SolveResult(
        solver=solver,
        config=cfg.name,
        objective=cfg.objective,
        n=n,
        seed=seed,
        num_constraints=len(conflicts),
        build_s=build,
        solve_s=solve,
        status=status,
        optimal=optimal,
        objective_value=_objective_of(week, chosen, cfg.objective) if chosen else None,
        value_sum=sum(week[i].value for i in chosen) if chosen else None,
        chosen=chosen,
        solver_reported_s=reported,
    )


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Time one solver on every size and seed; return the JSON-ready record."""
    solver: str = args.solver
    t0 = time.perf_counter()
    if solver == "cpsat":
        from ortools.sat.python import cp_model  # noqa: F401  (first import, timed)

        versions = {"ortools": metadata.version("ortools")}
        root, statement = "ortools", "from ortools.sat.python import cp_model"
    else:
        import highspy  # noqa: F401  (first import, timed)

        versions = {"highspy": metadata.version("highspy")}
        root, statement = "highspy", "import highspy"
    first_import = time.perf_counter() - t0
    for dep in ("numpy", "protobuf", "pandas"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dep] = metadata.version(dep)

    cfgs = configs_for(solver, args.workers, args.pair_workers)
    # Warm-up solve, so one-off costs (lazy library set-up) are not charged to the first size.
    warm = make_week(50, 99)
    warm_cliques = maximal_cliques(warm)
    for cfg in cfgs:
        run_one(solver, cfg, warm, warm_cliques, 50, 99, args.time_limit)

    results: list[SolveResult] = []
    prep: list[dict[str, Any]] = []
    for n in args.sizes:
        for seed in args.seeds:
            week = make_week(n, seed)
            cliques, t_cliques = _timed(partial(maximal_cliques, week))
            pairs: list[tuple[int, int]] | None = None
            t_pairs = None
            if any(c.formulation == "pair" for c in cfgs) and n <= args.pair_max_n:
                pairs, t_pairs = _timed(partial(overlapping_pairs, week))
            prep.append(
                {
                    "n": n,
                    "seed": seed,
                    "cliques": len(cliques),
                    "clique_nnz": sum(map(len, cliques)),
                    "cliques_s": t_cliques,
                    "pairs": None if pairs is None else len(pairs),
                    "pairs_s": t_pairs,
                }
            )
            for cfg in cfgs:
                if cfg.formulation == "pair":
                    if pairs is None:
                        continue
                    conflicts: Sequence[Sequence[int]] = pairs
                else:
                    conflicts = cliques
                res = run_one(solver, cfg, week, conflicts, n, seed, args.time_limit)
                results.append(res)
                print(
                    f"{res.config:26s} {res.objective:5s} n={n:5d} seed={seed} "
                    f"build={res.build_s * 1e3:8.1f}ms solve={res.solve_s * 1e3:8.1f}ms "
                    f"{res.status:10s} obj={res.objective_value}",
                    file=sys.stderr,
                    flush=True,
                )
    return {
        "solver": solver,
        "machine": machine_info(),
        "versions": versions,
        "first_import_s": first_import,
        "fresh_import_s": import_times(statement, args.import_repeats),
        "import_statement": statement,
        "installed": installed_size(root),
        "default_workers": cpsat_default_workers() if solver == "cpsat" else None,
        "time_limit_s": args.time_limit,
        "prep": prep,
        "results": [asdict(r) for r in results],
    }


# --------------------------------------------------------------------------- report


def _ms(values: Sequence[float]) -> str:
    """'median / max' in milliseconds."""
    return f"{statistics.median(values) * 1e3:.1f} / {max(values) * 1e3:.1f}"


def report(paths: Sequence[str]) -> str:
    """Merge result files, cross-check optima and feasibility, and render Markdown."""
    runs = [json.loads(Path(p).read_text()) for p in paths]
    lines: list[str] = []
    m = runs[0]["machine"]
    lines += [
        f"Machine: {m['nproc']} cores (`nproc`), {m['cpu']}, {m['platform']}, "
        f"Python {m['python']}.",
        "",
        "| venv | versions | installed size (solver + dependencies) | first import, median "
        "of fresh processes |",
        "|---|---|---|---|",
    ]
    for run in runs:
        inst = run["installed"]
        parts = ", ".join(
            f"{k} {v / 2**20:.1f} MiB"
            for k, v in sorted(inst["per_distribution"].items(), key=lambda kv: -kv[1])
        )
        vers = ", ".join(f"{k} {v}" for k, v in run["versions"].items())
        lines.append(
            f"| {run['solver']} | {vers} | **{inst['total'] / 2**20:.0f} MiB** ({parts}) | "
            f"{statistics.median(run['fresh_import_s']) * 1e3:.0f} ms "
            f"(`{run['import_statement']}`) |"
        )

    # instance shape
    prep = runs[0]["prep"]
    lines += [
        "",
        "| N | maximal cliques (median) | clique nonzeros | overlapping pairs |",
        "|---|---|---|---|",
    ]
    for n in sorted({p["n"] for p in prep}):
        rows = [p for p in prep if p["n"] == n]
        pairs = [p["pairs"] for p in rows if p["pairs"] is not None]
        lines.append(
            f"| {n} | {statistics.median(p['cliques'] for p in rows):.0f} | "
            f"{statistics.median(p['clique_nnz'] for p in rows):.0f} | "
            + (f"{statistics.median(pairs):.0f} |" if pairs else "- |")
        )

    # timing table, one row per size and configuration
    results = [r for run in runs for r in run["results"]]
    groups: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        groups[(r["n"], r["config"], r["objective"])].append(r)
    sizes = sorted({r["n"] for r in results})
    lines += [
        "",
        "Times in ms, median / max over the seeds; `proven` = seeds proven optimal within the "
        f"{runs[0]['time_limit_s']:g} s limit.",
        "",
        "| N | configuration | objective | build | solve | build + solve | proven |",
        "|---|---|---|---|---|---|---|",
    ]
    for (n, cfg, obj), rs in sorted(groups.items(), key=lambda kv: kv[0][0]):
        lines.append(
            f"| {n} | {cfg} | {obj} | {_ms([r['build_s'] for r in rs])} | "
            f"{_ms([r['solve_s'] for r in rs])} | "
            f"{_ms([r['build_s'] + r['solve_s'] for r in rs])} | "
            f"{sum(r['optimal'] for r in rs)}/{len(rs)} |"
        )

    # correctness: proven optima agree; no selection is infeasible or beats an optimum
    lines += ["", "Correctness checks:", ""]
    weeks: dict[tuple[int, int], list[Candidate]] = {}
    optima: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    provers: dict[tuple[int, int, str], set[str]] = defaultdict(set)
    infeasible = 0
    for r in results:
        key = (r["n"], r["seed"])
        if key not in weeks:
            weeks[key] = make_week(*key)
        if r["chosen"] and violations(weeks[key], r["chosen"]):
            infeasible += 1
        if r["optimal"] and "default-gap" not in r["config"]:
            optima[(r["n"], r["seed"], r["objective"])].add(r["objective_value"])
            provers[(r["n"], r["seed"], r["objective"])].add(r["solver"])
    disagree = sorted(k for k, v in optima.items() if len(v) > 1)
    both = sum(len(v) > 1 for v in provers.values())
    beyond = [
        r
        for r in results
        if r["objective_value"] is not None
        and len(optima.get((r["n"], r["seed"], r["objective"]), ())) == 1
        and r["objective_value"] > next(iter(optima[(r["n"], r["seed"], r["objective"])]))
    ]
    lines.append(f"- selections breaking a constraint (re-checked in pure Python): {infeasible}")
    lines.append(
        f"- (instance, objective) pairs with a proven optimum: {len(optima)}, of which proven by "
        f"both solvers: {both}; pairs where proven optima disagree (across solvers, "
        f"formulations, worker counts): {len(disagree)}" + (f" {disagree}" if disagree else "")
    )
    lines.append(f"- selections claimed better than a proven optimum: {len(beyond)}")
    loose = [r for r in results if "default-gap" in r["config"] and r["optimal"]]
    if loose:
        worse = [
            r
            for r in loose
            if optima.get((r["n"], r["seed"], r["objective"]))
            and r["objective_value"] < max(optima[(r["n"], r["seed"], r["objective"])])
        ]
        lines.append(
            f"- HiGHS with its default gaps (mip_rel_gap=1e-4) on the `lex` objective: says "
            f"'Optimal' with a worse objective than the proven optimum on {len(worse)}/"
            f"{len(loose)} instances it finished"
            + "".join(
                f"; N={r['n']} seed={r['seed']}: value {r['value_sum']} "
                f"(lex {r['objective_value']} vs "
                f"{max(optima[(r['n'], r['seed'], r['objective'])])})"
                for r in worse
            )
        )

    # greedy baseline vs optimal total value
    lines += [
        "",
        "| N | greedy value / optimal value (mean) | worst | greedy time (median) |",
        "|---|---|---|---|",
    ]
    for n in sizes:
        ratios: list[float] = []
        times: list[float] = []
        for (nn, seed, obj), vals in sorted(optima.items()):
            if nn != n or obj != "value" or len(vals) != 1:
                continue
            (best,) = vals
            picked, t = _timed(partial(greedy, weeks[(n, seed)]))
            times.append(t)
            ratios.append(sum(weeks[(n, seed)][i].value for i in picked) / best)
        if ratios:
            lines.append(
                f"| {n} | {statistics.mean(ratios):.1%} (gap {1 - statistics.mean(ratios):.1%}) "
                f"| {min(ratios):.1%} | {statistics.median(times) * 1e3:.1f} ms |"
            )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--solver", choices=("cpsat", "highs"), help="benchmark one solver")
    mode.add_argument("--report", nargs="+", metavar="JSON", help="merge result files")
    p.add_argument("--out", type=Path, help="where --solver writes its JSON results")
    p.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    p.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds per solve")
    p.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2, 8],
        help="CP-SAT num_workers values for the clique model",
    )
    p.add_argument(
        "--pair-workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="CP-SAT num_workers values for the pairwise model",
    )
    p.add_argument(
        "--pair-max-n", type=int, default=5000, help="largest N the pairwise model is built for"
    )
    p.add_argument("--import-repeats", type=int, default=5)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.report:
        print(report(args.report))
        return 0
    record = benchmark(args)
    text = json.dumps(record, indent=1)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
