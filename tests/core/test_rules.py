"""The weekly rules are one list: what the solver keeps, greedy keeps and explanations cite.

Random weeks with flexible blocks, caps, money, categories and per-day limits
are planned through ``plan_week``; every left-out event explained by a weekly
rule must name a rule that binds in the plan shown: adding the event to the
chosen set breaks exactly the rule cited. The solver and greedy baseline are
also held to a checker written independently of the rule objects, with
flexible time in the week.
"""

import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.baseline import greedy
from planner.core.model import Choices, Event, Reason, is_flexible
from planner.core.planning import optimiser
from planner.core.planning.optimiser import solve
from planner.core.planning.options import Limits, Option
from planner.core.planning.plan import plan_week
from planner.core.planning.rules import (
    Conflicts,
    EventsPerDay,
    FlexibleOncePerDay,
    FlexiblePerWeek,
    weekly_rules,
)
from planner.core.settings import FlexibleBlock
from tests.core.test_optimiser_properties import compatible, obeys, targets_met, travel_between
from tests.core.week_builder import DOWNTOWN, ONLINE, TZ, WHITBY_LIBRARY, event
from tests.core.week_builder import settings as week_settings

WEEKLY = {
    Reason.BUDGET,
    Reason.MAX_EVENTS,
    Reason.MAX_PER_DAY,
    Reason.EVENINGS,
    Reason.QUOTA,
    Reason.MONEY,
}
CATEGORIES = ("professional", "job-seeker", "coffee-chat", "")
DAYS = ("mon", "tue", "wed", "thu", "fri")
WINDOWS = (("08:00", "10:00"), ("12:00", "14:00"), ("18:00", "21:00"))


@st.composite
def weeks(draw):
    """Settings, candidates, history and pins for a week in one month or across two."""
    monday = draw(st.sampled_from([date(2026, 11, 23), date(2026, 11, 30)]))
    budget = {
        "weekly_hours": draw(st.sampled_from([3, 8, 12])),
        "max_events_per_week": draw(st.integers(2, 5)),
        "max_events_per_day": draw(st.integers(1, 2)),
        "max_evenings_out": draw(st.integers(1, 4)),
    }
    money = draw(st.sampled_from([20, None, 30]))
    if money is not None:
        budget["monthly_money"] = money
    categories = {
        "professional": {"max_per_week": draw(st.sampled_from([1, 2]))},
        "job-seeker": {"max_per_month": draw(st.sampled_from([1, 2]))},
        "coffee-chat": {"max_per_week": 1, "max_per_month": draw(st.sampled_from([1, 3]))},
    }
    blocks = []
    for i in range(draw(st.integers(0, 2))):
        start, end = draw(st.sampled_from(WINDOWS))
        blocks.append(
            {
                "name": f"Block {i}",
                "minutes": draw(st.sampled_from([30, 60])),
                "times_per_week": draw(st.integers(1, 3)),
                "days": draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)),
                "from": start,
                "to": end,
                "category": draw(st.sampled_from(CATEGORIES)),
                "stars": draw(st.integers(1, 5)),
            }
        )
    s = week_settings(budget=budget, categories=categories, flexible=blocks)
    candidates = []
    for i in range(draw(st.integers(1, 9))):
        day = monday + timedelta(days=draw(st.integers(0, 3)))
        start = datetime.combine(day, time(draw(st.integers(7, 20))), TZ)
        length = timedelta(minutes=draw(st.sampled_from([30, 60, 90])))
        candidates.append(
            Event(
                f"c{i}",
                f"Event {i}",
                start,
                start + length,
                place=draw(st.sampled_from([ONLINE, ONLINE, ONLINE, DOWNTOWN, WHITBY_LIBRARY])),
                categories=(draw(st.sampled_from(CATEGORIES)),),
                priority=draw(st.integers(0, 9)),
                cost=draw(st.sampled_from([None, 0.0, 10.0, 15.0, 20.0])),
            )
        )
    history = [
        event(f"old{i}", 9 + i, (18, 0), (19, 0), ONLINE, category, cost=cost)
        for i, (category, cost) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(CATEGORIES), st.sampled_from([0.0, 10.0])),
                    max_size=2,
                )
            )
        )
    ]
    pinned = draw(st.sets(st.sampled_from([c.key for c in candidates]), max_size=1))
    return monday, s, candidates, history, Choices(pinned=frozenset(pinned))


def planned(monday, s, candidates, history, choices):
    """The plan, with the options, limits and horizon its solver was given."""
    seen = {}

    def spy(options, limits, between, **kw):
        seen.update(options=list(options), limits=limits, between=between, horizon=kw["horizon"])
        return optimiser.solve(options, limits, between, **kw)

    with mock.patch("planner.core.planning.plan.solve", spy):
        plan = plan_week([], candidates, s, monday, choices, history=history)
    return plan, seen


@settings(max_examples=40, deadline=None)
@given(weeks())
def test_every_weekly_explanation_names_a_rule_that_binds_in_the_plan(week):
    plan, seen = planned(*week)
    options = {o.event.key: o for o in seen["options"]}
    chosen_keys = {d.event.key for d in plan.chosen}
    chosen = [o for o in seen["options"] if o.event.key in chosen_keys]
    rules = weekly_rules(seen["limits"])
    conflicts = Conflicts(seen["between"], seen["horizon"])
    for c in chosen:  # the plan keeps every rule, as the rule objects check it
        if not c.pinned:
            others = [o for o in chosen if o is not c]
            assert all(rule.keeps(c, others) for rule in rules)
            assert conflicts.clash(c, others) is None
    for d in plan.left_out:
        if d.reason not in WEEKLY or d.event.key not in options:
            continue  # a single-event rule, checked before the solver
        o = options[d.event.key]
        broken = [rule for rule in rules if not rule.keeps(o, chosen)]
        cited = [
            rule
            for rule in broken
            if rule.reason is d.reason and rule.explain(o, chosen).text == d.explanation
        ]
        assert len(cited) == 1, d.explanation  # adding it breaks exactly the rule cited
        assert conflicts.clash(o, chosen) is None


# --- the solver and greedy with flexible time, against an independent checker ---------------

BLOCKS = (
    FlexibleBlock("Coffee", 60, 2, (0, 1, 2, 3, 4), time(12), time(14), "job-seeker"),
    FlexibleBlock("LinkedIn", 30, 1, (0, 1, 2, 3, 4), time(7), time(9)),
)


@st.composite
def options_with_flexible(draw):
    out = []
    for i in range(draw(st.integers(0, 7))):
        day = draw(st.integers(23, 27))
        start = datetime(2026, 11, day, tzinfo=TZ) + timedelta(
            minutes=draw(st.integers(32, 84)) * 15
        )
        length = draw(st.integers(2, 8)) * 15
        pos = draw(st.integers(0, 60))
        travel = draw(st.integers(0, 60))
        out.append(
            Option(
                index=i,
                event=Event(f"e{i}:{pos}", f"e{i}", start, start + timedelta(minutes=length)),
                value=draw(st.integers(1, 10)) * 1.0,
                charged_minutes=length + travel,
                travel_minutes=travel,
                cost=float(draw(st.sampled_from([0, 10, 25]))),
                day=start.date(),
                evening=start.hour >= 17,
                category=draw(st.sampled_from(("job-seeker", "alumni"))),
                pinned=draw(st.integers(0, 9)) == 0,
                month=(2026, 11),
            )
        )
    for i in range(len(out), len(out) + draw(st.integers(0, 4))):
        block = draw(st.sampled_from(BLOCKS))
        start = datetime.combine(date(2026, 11, draw(st.integers(23, 27))), block.start, TZ)
        out.append(
            Option(
                index=i,
                event=Event(f"f{i}:0", block.name, start, start + timedelta(minutes=block.minutes)),
                value=draw(st.integers(1, 10)) * 1.0,
                charged_minutes=block.minutes,
                travel_minutes=0,
                cost=0.0,
                day=start.date(),
                evening=False,
                category=block.category,
                month=(2026, 11),
                flexible=block,
            )
        )
    return out


@st.composite
def limits_for_flexible(draw):
    return Limits(
        minutes=draw(st.sampled_from([None, 120, 240])),
        events=draw(st.sampled_from([None, 1, 2])),
        per_day=draw(st.sampled_from([None, 1])),
        evenings=draw(st.sampled_from([None, 1])),
        money=draw(st.sampled_from([None, 20.0])),
        per_category=draw(st.sampled_from([{}, {"job-seeker": 1}])),
        per_category_month=draw(st.sampled_from([{}, {"job-seeker": 1}])),
        minimums=draw(st.sampled_from([{}, {"job-seeker": 1}])),
    )


def obeys_with_flexible(chosen: list[Option], lim: Limits) -> bool:
    """Flexible time uses the hours and must not clash, is placed at most as often as
    asked and once a day, and is no event out: no events, days, evenings or quotas."""
    events = [o for o in chosen if o.flexible is None]
    blocks = [o for o in chosen if o.flexible is not None]
    if not obeys(events, replace(lim, minutes=None)):
        return False
    if lim.minutes is not None:
        pinned = sum(o.charged_minutes for o in chosen if o.pinned)
        free = sum(o.charged_minutes for o in chosen if not o.pinned)
        if free > max(0, lim.minutes - pinned):
            return False
    if any(a is not b and not compatible(a, b) for a, b in itertools.product(blocks, chosen)):
        return False
    for block in BLOCKS:
        mine = [o for o in blocks if o.flexible == block]
        if len(mine) > block.times_per_week or len({o.day for o in mine}) < len(mine):
            return False
    return True


def events_targets(chosen: list[Option], lim: Limits) -> int:
    return targets_met([o for o in chosen if o.flexible is None], lim)


@settings(max_examples=60, deadline=None)
@given(options_with_flexible(), limits_for_flexible())
def test_solver_and_greedy_treat_flexible_time_as_hours_not_events(opts, lim):
    solution = solve(opts, lim, travel_between)
    chosen = [o for o in opts if o.index in solution.chosen]
    assert solution.optimal and obeys_with_flexible(chosen, lim)
    pinned = [o for o in opts if o.pinned]
    best = max(
        (events_targets(pinned + list(subset), lim), sum(o.value for o in subset))
        for r in range(len(opts) + 1)
        for subset in itertools.combinations([o for o in opts if not o.pinned], r)
        if obeys_with_flexible(pinned + list(subset), lim)
    )
    assert (events_targets(chosen, lim), sum(o.value for o in chosen if not o.pinned)) == best
    baseline = [o for o in opts if o.index in greedy(opts, lim, travel_between)]
    assert obeys_with_flexible(baseline, lim)


# --- single cases ---------------------------------------------------------------------------


def test_flexible_caps_are_rules_like_any_other():
    block = BLOCKS[0]
    noon = datetime(2026, 11, 23, 12, tzinfo=TZ)

    def slot(i, day):
        start = noon + timedelta(days=day)
        return Option(
            index=i,
            event=Event(f"f{i}", block.name, start, start + timedelta(hours=1)),
            value=1.0,
            charged_minutes=60,
            travel_minutes=0,
            cost=0.0,
            day=start.date(),
            evening=False,
            category=block.category,
            flexible=block,
        )

    monday, monday_late, tuesday, wednesday = slot(0, 0), slot(1, 0), slot(2, 1), slot(3, 2)
    assert not FlexibleOncePerDay().keeps(monday_late, [monday])
    assert FlexiblePerWeek().keeps(tuesday, [monday])
    assert not FlexiblePerWeek().keeps(wednesday, [monday, tuesday])
    verdict = FlexiblePerWeek().explain(wednesday, [monday, tuesday])
    assert verdict.text == "Coffee is already placed 2 times this week, as often as you asked"
    assert EventsPerDay(1).keeps(slot(4, 0), [monday])  # flexible time is no event out


def test_no_events_a_day_is_explained_without_naming_an_event():
    p = plan_week(
        [],
        [event("a", 24, (12, 0), (13, 0), ONLINE)],
        week_settings(budget__max_events_per_day=0),
        date(2026, 11, 23),
    )
    (d,) = p.decisions
    assert d.reason is Reason.MAX_PER_DAY
    assert d.explanation == "your rules allow no events a day"


def test_flexible_time_is_told_apart_by_its_uid():
    s = week_settings(
        flexible=[{"name": "Call", "minutes": 30, "days": ["mon"], "from": "12:00", "to": "12:30"}]
    )
    p = plan_week([], [event("a", 24, (12, 0), (13, 0), ONLINE)], s, date(2026, 11, 23))
    assert {d.event.uid: is_flexible(d.event) for d in p.chosen} == {
        "a": False,
        f"flexible:Call:{datetime(2026, 11, 23, 12, tzinfo=TZ).isoformat()}": True,
    }
