"""The optimiser is exact and obeys every rule, on random small weeks (Hypothesis).

The rule checker and the brute force here are written independently of the
solver, so a modelling error in the solver cannot hide behind itself.
"""

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.baseline import greedy
from planner.core.model import Event
from planner.core.planning.optimiser import solve
from planner.core.planning.options import Limits, Option
from planner.core.planning.rules import overlap_cliques
from tests.core.week_builder import at

CATEGORIES = ("professional", "job-seeker", "alumni")


def travel_between(a: Event, b: Event) -> int:
    # Venues on a line: the uid carries the position in km, driven at 1 km/min.
    return abs(int(a.uid.split(":")[1]) - int(b.uid.split(":")[1]))


@st.composite
def options(draw):
    n = draw(st.integers(0, 12))
    out = []
    for i in range(n):
        day = draw(st.integers(23, 27))
        start = draw(st.integers(8 * 4, 21 * 4)) * 15
        length = draw(st.integers(2, 12)) * 15
        pos = draw(st.integers(0, 60))
        s = at(day, 0) + timedelta(minutes=start)
        ev = Event(f"e{i}:{pos}", f"e{i}", s, s + timedelta(minutes=length))
        travel = draw(st.integers(0, 90))
        out.append(
            Option(
                index=i,
                event=ev,
                value=draw(st.integers(1, 10)) * 1.0,
                charged_minutes=length + travel,
                travel_minutes=travel,
                cost=float(draw(st.sampled_from([0, 0, 10, 25, 60]))),
                day=date(2026, 11, day),
                evening=s.hour >= 17,
                category=draw(st.sampled_from(CATEGORIES)),
                pinned=draw(st.integers(0, 9)) == 0,
                month=(2026, 11) if day < 26 else (2026, 12),  # a week across two months
            )
        )
    return out


@st.composite
def limits(draw):
    return Limits(
        minutes=draw(st.sampled_from([None, 120, 240, 480])),
        events=draw(st.sampled_from([None, 1, 2, 4])),
        per_day=draw(st.sampled_from([None, 1, 2])),
        evenings=draw(st.sampled_from([None, 0, 1, 2])),
        money=draw(st.sampled_from([None, 0.0, 30.0, 80.0])),
        per_category=draw(st.sampled_from([{}, {"job-seeker": 1}, {"professional": 0}])),
        per_category_month=draw(st.sampled_from([{}, {"job-seeker": 2}, {"alumni": 1}])),
        history_count=draw(
            st.sampled_from([{}, {("job-seeker", (2026, 11)): 1}, {("alumni", (2026, 12)): 1}])
        ),
        money_spent=draw(st.sampled_from([{}, {(2026, 11): 25.0}])),
        minimums=draw(st.sampled_from([{}, {"professional": 1}, {"alumni": 2, "job-seeker": 1}])),
    )


def compatible(a: Option, b: Option) -> bool:
    first, second = sorted((a, b), key=lambda o: o.event.start)
    gap = (second.event.start - first.event.end).total_seconds() / 60
    return gap >= travel_between(first.event, second.event) and gap >= 0


def obeys(chosen: list[Option], lim: Limits) -> bool:
    """Every rule, for a set that contains all pinned options (pinned ones are exempt)."""
    free = [o for o in chosen if not o.pinned]
    pinned = [o for o in chosen if o.pinned]
    for a, b in itertools.combinations(chosen, 2):
        if not (a.pinned and b.pinned) and not compatible(a, b):
            return False

    def within(weight, limit, items=chosen, pinned_items=pinned):
        if limit is None:
            return True
        room = max(0, limit - sum(weight(o) for o in pinned_items))
        return sum(weight(o) for o in items if not o.pinned) <= room

    if not (within(lambda o: o.charged_minutes, lim.minutes) and within(lambda o: 1, lim.events)):
        return False
    for month in {o.month for o in chosen}:
        in_month = [o for o in chosen if o.month == month]
        pinned_month = [o for o in pinned if o.month == month]
        room = lim.money_room(month)
        if room is not None and not within(
            lambda o: round(o.cost * 100), round(room * 100), in_month, pinned_month
        ):
            return False
        for cat in lim.per_category_month:
            if not within(
                lambda o: 1,
                lim.month_room(cat, month),
                [o for o in in_month if o.category == cat],
                [o for o in pinned_month if o.category == cat],
            ):
                return False
    for day in {o.day for o in free}:
        if not within(
            lambda o: 1,
            lim.per_day,
            [o for o in chosen if o.day == day],
            [o for o in pinned if o.day == day],
        ):
            return False
    for cat, limit in lim.per_category.items():
        if not within(
            lambda o: 1,
            limit,
            [o for o in chosen if o.category == cat],
            [o for o in pinned if o.category == cat],
        ):
            return False
    if lim.evenings is not None:
        pinned_nights = {o.day for o in pinned if o.evening}
        new_nights = {o.day for o in free if o.evening} - pinned_nights
        if len(new_nights) > max(0, lim.evenings - len(pinned_nights)):
            return False
    return True


def targets_met(chosen: list[Option], lim: Limits) -> int:
    return sum(
        1 for cat, n in lim.minimums.items() if sum(1 for o in chosen if o.category == cat) >= n
    )


def brute_force(opts: list[Option], lim: Limits) -> tuple[int, float]:
    """The best (targets met, value): targets come first, as the user asked."""
    pinned = [o for o in opts if o.pinned]
    free = [o for o in opts if not o.pinned]
    best = (-1, 0.0)
    for r in range(len(free) + 1):
        for subset in itertools.combinations(free, r):
            chosen = pinned + list(subset)
            if obeys(chosen, lim):
                best = max(best, (targets_met(chosen, lim), sum(o.value for o in subset)))
    return best


@settings(max_examples=150, deadline=None)
@given(options(), limits())
def test_solver_is_optimal_and_obeys_every_rule(opts, lim):
    solution = solve(opts, lim, travel_between)
    chosen = [o for o in opts if o.index in solution.chosen]
    assert solution.optimal
    assert all(o.index in solution.chosen for o in opts if o.pinned)
    assert obeys(chosen, lim)
    found = (targets_met(chosen, lim), sum(o.value for o in chosen if not o.pinned))
    assert found == brute_force(opts, lim)


@settings(max_examples=100, deadline=None)
@given(options(), limits())
def test_greedy_baseline_obeys_the_rules_and_never_beats_the_optimum(opts, lim):
    chosen = [o for o in opts if o.index in greedy(opts, lim, travel_between)]
    optimum = [o for o in opts if o.index in solve(opts, lim, travel_between).chosen]
    assert obeys(chosen, lim)
    if not lim.minimums:  # greedy knows nothing of targets: compare value alone
        assert sum(o.value for o in chosen) <= sum(o.value for o in optimum)


@given(options())
def test_cliques_cover_every_overlapping_pair(opts):
    cliques = [set(c) for c in overlap_cliques(opts)]
    for a, b in itertools.combinations(opts, 2):
        if a.event.start < b.event.end and b.event.start < a.event.end:
            assert any({a.index, b.index} <= c for c in cliques)
    for clique in cliques:
        members = [o for o in opts if o.index in clique]
        assert max(o.event.start for o in members) < min(o.event.end for o in members)
