"""Dropping dominated options and the pure-Python search never change the optimum.

Random weeks crowded onto few days (so that many options dominate others),
with pinned events, flexible blocks, evenings, categories with caps, monthly
quotas and targets, money and late events whose trips reach the next morning.
Each answer is compared with the plain CP-SAT model (no pruning, no search)
on the whole lexicographic objective: targets met, value, then travel and
money (the tie-break).
"""

import subprocess
import sys
from dataclasses import replace
from datetime import date, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.model import Event
from planner.core.planning.optimiser import solve
from planner.core.planning.options import Limits, Option
from planner.core.planning.prune import dominated
from planner.core.planning.rules import Conflicts, weekly_rules
from planner.core.planning.search import objective, search
from planner.core.settings import FlexibleBlock
from tests.core.test_optimiser_properties import obeys
from tests.core.week_builder import at

CATEGORIES = ("professional", "job-seeker", "alumni", "tech")
CALL = FlexibleBlock("Call", 60, 2, (0, 1, 2), time(12), time(14), "coffee", 3)


def travel_between(a: Event, b: Event) -> int:
    # Venues on a line: the uid carries the position in km, driven at 1 km/min.
    return abs(int(a.uid.split(":")[1]) - int(b.uid.split(":")[1]))


HORIZON = timedelta(minutes=121)  # longer than any trip above (positions 0-120)


@st.composite
def crowded_options(draw, most=24):
    n = draw(st.integers(0, most))
    out = []
    for i in range(n):
        flexible = draw(st.integers(0, 7)) == 0
        day = draw(st.sampled_from([23, 23, 23, 24, 24, 25]))
        start = draw(st.integers(6 * 4, 23 * 4)) * 15  # late events reach the next morning
        length = draw(st.integers(2, 12)) * 15
        pos = draw(st.integers(0, 120))
        s = at(day, 0) + timedelta(minutes=start)
        ev = Event(f"e{i}:{pos}", f"e{i}", s, s + timedelta(minutes=length))
        travel = draw(st.sampled_from([0, 15, 30, 30, 60]))
        out.append(
            Option(
                index=i,
                event=ev,
                value=draw(st.sampled_from([1.0, 2.0, 3.0, 3.0, 4.5])),
                charged_minutes=length + travel,
                travel_minutes=travel,
                cost=0.0 if flexible else float(draw(st.sampled_from([0, 0, 10, 12.5, 25]))),
                day=date(2026, 11, day),
                evening=not flexible and draw(st.booleans()),  # a flag to the rules
                category="coffee" if flexible else draw(st.sampled_from(CATEGORIES[:3])),
                pinned=not flexible and draw(st.integers(0, 11)) == 0,
                month=(2026, 11),
                flexible=CALL if flexible else None,
            )
        )
    return out


@st.composite
def limits(draw):
    return Limits(
        minutes=draw(st.sampled_from([None, 120, 240, 480])),
        events=draw(st.sampled_from([None, 1, 2, 3])),
        per_day=draw(st.sampled_from([1, 1, 1, 0, 2, None])),
        evenings=draw(st.sampled_from([None, 0, 1, 1, 2])),
        money=draw(st.sampled_from([None, 0.0, 30.0, 80.0])),
        per_category=draw(st.sampled_from([{}, {"job-seeker": 1}, {"professional": 0}])),
        per_category_month=draw(st.sampled_from([{}, {"job-seeker": 2}, {"alumni": 1}])),
        history_count=draw(st.sampled_from([{}, {("alumni", (2026, 11)): 1}])),
        money_spent=draw(st.sampled_from([{}, {(2026, 11): 25.0}])),
        minimums=draw(st.sampled_from([{}, {"professional": 1}, {"alumni": 2, "job-seeker": 1}])),
    )


def plain_cp_sat(opts: list[Option], lim: Limits) -> list[Option]:
    solution = solve(opts, lim, travel_between, horizon=HORIZON, prune=False, search_up_to=0)
    assert solution.optimal and solution.method in ("cp-sat", "none")
    return [o for o in opts if o.index in solution.chosen]


def obeys_where_it_can(chosen: list[Option], lim: Limits) -> bool:
    """The independent rule check of the optimiser's tests, which knows no flexible blocks."""
    return any(o.flexible for o in chosen) or obeys(chosen, lim)


@settings(max_examples=400, deadline=None)
@given(crowded_options(), limits())
def test_pruned_optimum_equals_the_unpruned_optimum(opts, lim):
    pruned = solve(opts, lim, travel_between, horizon=HORIZON, search_up_to=0)
    chosen = [o for o in opts if o.index in pruned.chosen]
    assert pruned.optimal
    assert all(o.index in pruned.chosen for o in opts if o.pinned)
    assert obeys_where_it_can(chosen, lim)
    assert objective(chosen, opts, lim) == objective(plain_cp_sat(opts, lim), opts, lim)


@settings(max_examples=200, deadline=None)
@given(crowded_options(), limits())
def test_search_optimum_equals_cp_sat(opts, lim):
    solution = solve(opts, lim, travel_between, horizon=HORIZON, prune=False)
    chosen = [o for o in opts if o.index in solution.chosen]
    assert solution.optimal
    assert solution.method in ("search", "none")
    assert all(o.index in solution.chosen for o in opts if o.pinned)
    assert obeys_where_it_can(chosen, lim)
    assert objective(chosen, opts, lim) == objective(plain_cp_sat(opts, lim), opts, lim)


@given(crowded_options(), limits())
def test_pruning_keeps_what_it_cannot_prove_unneeded(opts, lim):
    dropped = dominated(opts, lim, HORIZON)
    by_index = {o.index: o for o in opts}
    for i in dropped:
        o = by_index[i]
        assert o.counts_as_event and not o.pinned  # flexible and pinned options stay
    if lim.per_day is None or lim.per_day > 1:
        assert not dropped  # two events a day could both be needed


def test_the_search_gives_up_rather_than_guess():
    """A tree bigger than its node budget is handed back (to CP-SAT), never answered."""
    opts = [
        Option(
            index=i,
            event=Event(f"e{i}:0", f"e{i}", at(23 + i % 5, 8 + i), at(23 + i % 5, 8 + i, 30)),
            value=1.0 + i % 3,
            charged_minutes=30,
            travel_minutes=0,
            cost=0.0,
            day=date(2026, 11, 23 + i % 5),
            evening=False,
            category="",
        )
        for i in range(14)
    ]
    lim = Limits(None, None, None, None, None, {})
    conflicts = Conflicts(travel_between, HORIZON)
    groups, forced = conflicts.groups(opts)
    assert search(opts, lim, groups, forced, weekly_rules(lim), max_nodes=50) is None
    everything = search(opts, lim, groups, forced, weekly_rules(lim))
    assert everything == frozenset(range(14))  # nothing clashes: all of them


def test_a_crowded_free_week_is_pruned_and_still_optimal():
    """Hundreds of contenders for a few evenings, one event a day: most are dominated."""
    opts = []
    for i in range(600):
        day = 23 + i % 5
        start = at(day, 17) + timedelta(minutes=15 * (i % 12))
        travel = 10 + (i * 7) % 50
        length = 60 + 15 * (i % 5)
        opts.append(
            Option(
                index=i,
                event=Event(f"e{i}:{i % 40}", f"e{i}", start, start + timedelta(minutes=length)),
                value=float(1 + i % 5),
                charged_minutes=length + 2 * travel,
                travel_minutes=2 * travel,
                cost=float((i * 3) % 4 * 10),
                day=date(2026, 11, day),
                evening=True,
                category=CATEGORIES[i % 4],
                month=(2026, 11),
            )
        )
    lim = Limits(360, 3, 1, 2, 80.0, {"professional": 1}, minimums={"tech": 1})
    pruned = solve(opts, lim, travel_between, horizon=HORIZON)
    assert pruned.considered < len(opts) // 5
    chosen = [o for o in opts if o.index in pruned.chosen]
    assert objective(chosen, opts, lim) == objective(plain_cp_sat(opts, lim), opts, lim)


def test_planning_the_demo_week_never_imports_the_solver():
    """The window's first plan and `planner plan --demo` stay off OR-Tools' import."""
    code = (
        "import sys\n"
        "from planner.core.demo import DEMO_WEEK, demo_settings, load_demo\n"
        "from planner.core.model import Choices\n"
        "from planner.core.planning.plan import plan_week\n"
        "settings = demo_settings()\n"
        "demo = load_demo(DEMO_WEEK, settings)\n"
        "plan = plan_week(demo.commitments, demo.candidates, settings, DEMO_WEEK, Choices())\n"
        "assert plan.optimal and plan.chosen\n"
        "print('ortools' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _option(index: int, hour: int, minutes: int, travel: int, *, evening: bool) -> Option:
    start = at(23, hour)
    return Option(
        index=index,
        event=Event(f"e{index}:0", f"e{index}", start, start + timedelta(minutes=minutes)),
        value=3.0,
        charged_minutes=minutes + travel,
        travel_minutes=travel,
        cost=0.0,
        day=date(2026, 11, 23),
        evening=evening,
        category="",
        month=(2026, 11),
    )


def test_less_time_does_not_dominate_less_travel():
    """Shorter but farther is no better: the tie-break prefers less travel."""
    short_far = _option(0, 18, 30, 60, evening=True)
    long_near = _option(1, 18, 120, 10, evening=True)
    lim = Limits(None, None, 1, None, None, {})
    assert dominated([short_far, long_near], lim, HORIZON) == set()
    assert solve([short_far, long_near], lim, travel_between, horizon=HORIZON).chosen == {1}


def test_an_evening_out_does_not_dominate_a_daytime_event():
    """With no evening left, only the daytime event can be planned."""
    evening = _option(0, 18, 30, 0, evening=True)
    daytime = _option(1, 10, 60, 10, evening=False)
    lim = Limits(None, None, 1, 0, None, {})
    assert dominated([evening, daytime], lim, HORIZON) == set()
    assert solve([evening, daytime], lim, travel_between, horizon=HORIZON).chosen == {1}
    lim = Limits(None, None, 1, 1, None, {})
    assert dominated([evening, daytime], lim, HORIZON) == set()  # the rule, not the limit
    assert dominated([daytime, _option(2, 18, 90, 20, evening=True)], lim, HORIZON) == {2}


def test_money_is_compared_as_the_rules_and_the_tie_break_count_it():
    """$1.50 and $1.4999 are the same 150 cents for the budget, but round to $2 and $1 in
    the tie-break: the cheaper-rounding one is not dominated."""
    cheap = replace(_option(0, 18, 60, 10, evening=True), cost=1.4999)
    dear = replace(_option(1, 18, 60, 10, evening=True), cost=1.5)
    lim = Limits(None, None, 1, None, None, {})
    assert dominated([dear, cheap], lim, HORIZON) == set()
    assert solve([dear, cheap], lim, travel_between, horizon=HORIZON).chosen == {0}


def test_a_day_where_nothing_dominates_anything_is_kept_whole():
    """Value rising with length: every option is on the frontier, none is dropped."""
    opts = [
        replace(_option(i, 18, 30 + i, 10, evening=True), value=1.0 + i / 10) for i in range(400)
    ]
    lim = Limits(None, None, 1, None, None, {})
    assert dominated(opts, lim, HORIZON) == set()
