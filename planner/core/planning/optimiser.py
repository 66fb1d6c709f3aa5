"""The exact choice of events: a 0/1 model solved by OR-Tools CP-SAT.

Each candidate that passed the single-event checks is an ``Option``; the
model picks the set with the most value that keeps every weekly rule. The
rules state themselves (:mod:`rules`): this module only builds the model from
them, adds the targets and the objective, and solves. Lexicographic objective:
targets met first, then value, then less travel, then less money, folded into
one integer objective so a single solve decides them all.

``ortools`` is imported on the first solve that needs it (:mod:`cp_sat`),
because importing it costs about a third of a second, which must not land on
start-up. Before that, options that the optimum never needs are dropped
(:mod:`prune`), and a small choice is solved exactly in pure Python
(:mod:`search`); CP-SAT takes what is left.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from planner.core.planning import cp_sat
from planner.core.planning.options import Limits, Option, TravelFn
from planner.core.planning.prune import dominated, same_day_exclusive
from planner.core.planning.rules import MAX_GAP_CHECK, Conflicts, Model, weekly_rules
from planner.core.planning.search import search

SEARCH_UP_TO = 120
"""Free options the pure-Python search is tried on before CP-SAT (it also stops
after :data:`search.MAX_NODES` nodes and hands over)."""


@dataclass(frozen=True, slots=True)
class Solution:
    chosen: frozenset[int]
    optimal: bool
    seconds: float
    method: str = "cp-sat"
    """Who proved it: ``"cp-sat"``, ``"search"`` (pure Python) or ``"none"`` (nothing to choose)."""
    considered: int = 0
    """Options left after dropping the dominated ones."""


def solve(
    options: Sequence[Option],
    limits: Limits,
    travel_between: TravelFn,
    *,
    time_limit: float = 10.0,
    workers: int = 1,
    horizon: timedelta = MAX_GAP_CHECK,
    prune: bool = True,
    search_up_to: int = SEARCH_UP_TO,
) -> Solution:
    """Choose the best subset of ``options``; pinned ones are always chosen.

    ``horizon`` bounds every trip between two venues (see :class:`rules.Conflicts`).
    ``prune`` drops dominated options first; ``search_up_to`` is the most free
    options the pure-Python search is tried on (0: CP-SAT always). Neither
    changes the optimum (property tests hold them to the plain CP-SAT model).
    """
    began = time.perf_counter()
    if prune:
        dropped = dominated(options, limits, horizon)
        options = [o for o in options if o.index not in dropped]
    free = [o for o in options if not o.pinned]
    pinned = {o.index for o in options if o.pinned}
    if not free:
        return Solution(frozenset(pinned), True, time.perf_counter() - began, "none")

    conflicts = Conflicts(travel_between, horizon, exclusive_days=same_day_exclusive(limits))
    rules = weekly_rules(limits)
    if len(free) <= search_up_to:
        groups, forced_out = conflicts.groups(options)
        found = search(options, limits, groups, forced_out, rules)
        if found is not None:
            return Solution(found, True, time.perf_counter() - began, "search", len(options))

    cp_model = cp_sat.cp_model()  # imported on first use, not at start-up
    model = Model(cp_model, options)
    conflicts.add_to(model, options)
    for rule in rules:
        rule.add_to(model, options)

    x = model.x
    big = sum(o.tiebreak for o in free) + 1
    value = sum((o.score * big - o.tiebreak) * x[o.index] for o in free)
    # Targets come first: one more target met beats any amount of value.
    target_weight = sum(o.score * big for o in free) + 1
    by_category: dict[str, list[Option]] = defaultdict(list)
    for o in options:
        if o.counts_as_event:
            by_category[o.category].append(o)
    met = []
    for category, minimum in limits.minimums.items():
        members = by_category.get(category, [])
        needed = minimum - sum(1 for o in members if o.pinned)
        free_members = [o for o in members if not o.pinned]
        if needed <= 0 or len(free_members) < needed:
            continue  # met by what is pinned, or out of reach whatever is chosen
        flag = model.model.new_bool_var(f"target_{category}")
        model.model.add(sum(x[o.index] for o in free_members) >= needed * flag)
        met.append(flag)
    model.model.maximize(target_weight * sum(met) + value)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    # Measured (benchmarks/SOLVER_CHOICE.md): on these clique models a light presolve
    # proves optimality about 1.75x faster than CP-SAT's defaults.
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Cannot happen (choosing nothing is always feasible), but never crash a plan.
        return Solution(frozenset(pinned), False, time.perf_counter() - began, "cp-sat")
    chosen = {i for i, var in x.items() if solver.boolean_value(var)} | pinned
    return Solution(
        frozenset(chosen),
        status == cp_model.OPTIMAL,
        time.perf_counter() - began,
        "cp-sat",
        len(options),
    )
