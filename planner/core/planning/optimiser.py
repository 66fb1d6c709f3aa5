"""The exact choice of events: a 0/1 model solved by OR-Tools CP-SAT.

Each candidate that passed the single-event checks is an ``Option``; the
model picks the set with the most value that keeps every weekly rule.
Lexicographic objective: value first, then less travel, then less money,
folded into one integer objective so a single solve decides all three.

Overlaps are stated as one at-most-one constraint per maximal clique of
mutually overlapping events (found by a sweep, as interval graphs allow),
which CP-SAT handles far better than one constraint per overlapping pair;
pairs that do not overlap but are too close to travel between are added as
pairs. ``ortools`` is imported inside :func:`solve` because importing it
costs about a third of a second, which must not land on start-up.
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.core.model import Event
from planner.core.planning import cp_sat

VALUE_SCALE = 10
# Two events further apart than this never need a travel check between them.
MAX_GAP_CHECK = timedelta(hours=4)


@dataclass(frozen=True, slots=True)
class Option:
    """One candidate the solver may choose, with everything it costs."""

    index: int
    event: Event
    value: float
    charged_minutes: int
    travel_minutes: int
    cost: float
    day: date
    evening: bool
    category: str
    pinned: bool = False
    month: tuple[int, int] = (0, 0)
    """(year, month) of the event, for monthly quotas and money."""
    group: str = ""
    """A flexible block's name: its slots are placed at most N times, once a day."""

    @property
    def counts_as_event(self) -> bool:
        """Flexible time (a call, LinkedIn) uses the hours budget but is no event out."""
        return not self.group

    @property
    def score(self) -> int:
        return round(self.value * VALUE_SCALE)

    @property
    def tiebreak(self) -> int:
        """Less travel first, then less money: both small next to value."""
        return self.travel_minutes * 1000 + min(999, round(self.cost))


@dataclass(frozen=True, slots=True)
class Limits:
    """The rules; the solver subtracts what pinned events (and earlier weeks) use."""

    minutes: int | None
    events: int | None
    per_day: int | None
    evenings: int | None
    money: float | None
    """Per calendar month; ``money_spent`` holds what other weeks of a month already use."""
    per_category: dict[str, int]
    """Weekly caps by category."""
    per_category_month: dict[str, int] = field(default_factory=dict)
    history_count: dict[tuple[str, tuple[int, int]], int] = field(default_factory=dict)
    """Events of a category chosen or attended in other weeks, by (category, month)."""
    money_spent: dict[tuple[int, int], float] = field(default_factory=dict)
    minimums: dict[str, int] = field(default_factory=dict)
    """Targets ("at least 1 professional event a week"): met first when possible."""
    group_caps: dict[str, int] = field(default_factory=dict)
    """How many times a week each flexible block is wanted."""

    def month_room(self, category: str, month: tuple[int, int]) -> int | None:
        cap = self.per_category_month.get(category)
        return None if cap is None else cap - self.history_count.get((category, month), 0)

    def money_room(self, month: tuple[int, int]) -> float | None:
        return None if self.money is None else self.money - self.money_spent.get(month, 0.0)


@dataclass(frozen=True, slots=True)
class Solution:
    chosen: frozenset[int]
    optimal: bool
    seconds: float


# travel_between(a, b) -> minutes to go from a's venue to b's venue leaving at a's end.
TravelFn = Callable[[Event, Event], int]


def overlap_cliques(options: Sequence[Option]) -> list[list[int]]:
    """Maximal cliques of the interval graph of the options' [start, end).

    Sweep the endpoints in time order; each time an end follows a start, the
    set of open intervals is a maximal clique.
    """
    points = []
    for o in options:
        points.append((o.event.start, 1, o.index))
        points.append((o.event.end, 0, o.index))  # ends sort before starts: touching is fine
    points.sort(key=lambda p: (p[0], p[1]))
    open_now: set[int] = set()
    cliques = []
    last_was_start = False
    for _, is_start, index in points:
        if is_start:
            open_now.add(index)
            last_was_start = True
        else:
            if last_was_start and len(open_now) > 1:
                cliques.append(sorted(open_now))
            open_now.discard(index)
            last_was_start = False
    return cliques


def travel_pairs(
    options: Sequence[Option], travel_between: TravelFn, horizon: timedelta = MAX_GAP_CHECK
) -> list[tuple[int, int]]:
    """Pairs that do not overlap but leave too little time to get between venues.

    Only pairs less than ``horizon`` apart are asked about: no trip is longer.
    """
    ordered = sorted(options, key=lambda o: o.event.start)
    starts = [o.event.start for o in ordered]
    pairs = []
    for a in ordered:
        lo = bisect.bisect_left(starts, a.event.end)
        hi = bisect.bisect_left(starts, a.event.end + horizon)
        for b in ordered[lo:hi]:
            gap = b.event.start - a.event.end
            if gap < timedelta(minutes=travel_between(a.event, b.event)):
                pairs.append((a.index, b.index))
    return pairs


def incompatible(a: Option, b: Option, travel_between: TravelFn) -> bool:
    """Whether two options cannot both be attended (overlap or no time to travel)."""
    first, second = (a, b) if a.event.start <= b.event.start else (b, a)
    if first.event.end > second.event.start:
        return True
    gap = second.event.start - first.event.end
    if gap >= MAX_GAP_CHECK:
        return False
    return gap < timedelta(minutes=travel_between(first.event, second.event))


def solve(
    options: Sequence[Option],
    limits: Limits,
    travel_between: TravelFn,
    *,
    time_limit: float = 10.0,
    workers: int = 1,
    horizon: timedelta = MAX_GAP_CHECK,
) -> Solution:
    """Choose the best subset of ``options``; pinned ones are always chosen.

    ``horizon`` bounds every trip between two venues (see :func:`travel_pairs`).
    """
    began = time.perf_counter()
    free = [o for o in options if not o.pinned]
    pinned = {o.index for o in options if o.pinned}
    if not free:
        return Solution(frozenset(pinned), True, time.perf_counter() - began)

    cp_model = cp_sat.cp_model()  # imported on first use, not at start-up

    model = cp_model.CpModel()
    x = {o.index: model.new_bool_var(f"x{o.index}") for o in free}
    forced_out: set[int] = set()

    def add_conflict_group(group: Sequence[int]) -> None:
        if any(i in pinned for i in group):
            forced_out.update(i for i in group if i not in pinned)
        elif len(group) > 1:
            model.add_at_most_one(x[i] for i in group)

    for clique in overlap_cliques(options):
        add_conflict_group(clique)
    for pair in travel_pairs(options, travel_between, horizon):
        add_conflict_group(pair)
    for i in forced_out:
        model.add(x[i] == 0)

    def cap(items: Sequence[Option], limit: int | None, weight: Callable[[Option], int]) -> None:
        if limit is None:
            return
        room = limit - sum(weight(o) for o in items if o.pinned)
        model.add(sum(weight(o) * x[o.index] for o in items if not o.pinned) <= max(0, room))

    cap(options, limits.minutes, lambda o: o.charged_minutes)
    events_out = [o for o in options if o.counts_as_event]
    cap(events_out, limits.events, lambda o: 1)
    for group, times in limits.group_caps.items():
        slots = [o for o in options if o.group == group]
        cap(slots, times, lambda o: 1)
        for day in {o.day for o in slots}:
            cap([o for o in slots if o.day == day], 1, lambda o: 1)
    by_day: dict[date, list[Option]] = defaultdict(list)
    by_category: dict[str, list[Option]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Option]] = defaultdict(list)
    for o in options:
        if o.counts_as_event:
            by_day[o.day].append(o)
            by_category[o.category].append(o)
        by_month[o.month].append(o)
    for month, items in by_month.items():
        room = limits.money_room(month)
        if room is not None:
            # Cents, so that CP-SAT's integer arithmetic is exact for prices like $12.50.
            cap(items, round(room * 100), lambda o: round(o.cost * 100))
        for category in limits.per_category_month:
            members = [o for o in items if o.category == category]
            cap(members, limits.month_room(category, month), lambda o: 1)
    for items in by_day.values():
        cap(items, limits.per_day, lambda o: 1)
    for category, limit in limits.per_category.items():
        cap(by_category.get(category, []), limit, lambda o: 1)
    if limits.evenings is not None:
        busy_evenings = {o.day for o in options if o.pinned and o.evening}
        out = {}
        for day, items in by_day.items():
            evening = [o for o in items if o.evening and not o.pinned]
            if evening and day not in busy_evenings:
                out[day] = model.new_bool_var(f"evening{day}")
                for o in evening:
                    model.add_implication(x[o.index], out[day])
        model.add(sum(out.values()) <= max(0, limits.evenings - len(busy_evenings)))

    big = sum(o.tiebreak for o in free) + 1
    value = sum((o.score * big - o.tiebreak) * x[o.index] for o in free)
    # Targets come first: one more target met beats any amount of value.
    target_weight = sum(o.score * big for o in free) + 1
    met = []
    for category, minimum in limits.minimums.items():
        members = by_category.get(category, [])
        have = sum(1 for o in members if o.pinned)
        needed = minimum - have
        free_members = [o for o in members if not o.pinned]
        if needed <= 0 or len(free_members) < needed:
            continue  # met by what is pinned, or out of reach whatever is chosen
        flag = model.new_bool_var(f"target_{category}")
        model.add(sum(x[o.index] for o in free_members) >= needed * flag)
        met.append(flag)
    model.maximize(target_weight * sum(met) + value)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    # Measured (benchmarks/SOLVER_CHOICE.md): on these clique models a light presolve
    # proves optimality about 1.75x faster than CP-SAT's defaults.
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Cannot happen (choosing nothing is always feasible), but never crash a plan.
        return Solution(frozenset(pinned), False, time.perf_counter() - began)
    chosen = {i for i, var in x.items() if solver.boolean_value(var)} | pinned
    return Solution(frozenset(chosen), status == cp_model.OPTIMAL, time.perf_counter() - began)


def greedy(options: Sequence[Option], limits: Limits, travel_between: TravelFn) -> frozenset[int]:
    """A simple baseline for benchmarks: best value per minute first, take what fits."""
    chosen: list[Option] = []
    minutes = events = 0
    money: dict[tuple[int, int], float] = defaultdict(float)
    per_day: dict[date, int] = defaultdict(int)
    per_cat: dict[str, int] = defaultdict(int)
    per_cat_month: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    evenings: set[date] = set()

    def fits(o: Option) -> bool:
        if any(incompatible(o, c, travel_between) for c in chosen):
            return False
        cat_limit = limits.per_category.get(o.category)
        month_room = limits.month_room(o.category, o.month)
        money_room = limits.money_room(o.month)
        new_evening = o.evening and o.day not in evenings
        if o.group:
            times = limits.group_caps.get(o.group, 7)
            same = [c for c in chosen if c.group == o.group]
            return not (
                len(same) >= times
                or any(c.day == o.day for c in same)
                or (limits.minutes is not None and minutes + o.charged_minutes > limits.minutes)
            )
        return not (
            (limits.minutes is not None and minutes + o.charged_minutes > limits.minutes)
            or (limits.events is not None and events + 1 > limits.events)
            or (money_room is not None and money[o.month] + o.cost > money_room + 1e-9)
            or (month_room is not None and per_cat_month[(o.category, o.month)] + 1 > month_room)
            or (limits.per_day is not None and per_day[o.day] + 1 > limits.per_day)
            or (cat_limit is not None and per_cat[o.category] + 1 > cat_limit)
            or (limits.evenings is not None and new_evening and len(evenings) >= limits.evenings)
        )

    pinned = [o for o in options if o.pinned]
    rest = sorted(
        (o for o in options if not o.pinned),
        key=lambda o: -o.value / max(1, o.charged_minutes),
    )
    for o in pinned + rest:
        if not (o.pinned or fits(o)):
            continue
        chosen.append(o)
        minutes += o.charged_minutes
        if o.group:
            continue
        events += 1
        money[o.month] += o.cost
        per_day[o.day] += 1
        per_cat[o.category] += 1
        per_cat_month[(o.category, o.month)] += 1
        if o.evening:
            evenings.add(o.day)
    return frozenset(o.index for o in chosen)
