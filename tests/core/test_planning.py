"""Planning a week: every reason a candidate is left out, in words, and the user's decisions."""

from datetime import date

from planner.core.model import Choices, Reason
from planner.core.planning.plan import plan_week
from planner.core.planning.report import plan_json, summary_line
from tests.core.week_builder import (
    DOWNTOWN,
    KING_WEST,
    OFFICE,
    ONLINE,
    WHITBY_LIBRARY,
    event,
    settings,
    workweek,
)

MONDAY = date(2026, 11, 23)


def plan(commitments, candidates, s=None, choices=None):
    return plan_week(commitments, candidates, s or settings(), MONDAY, choices)


def decision(p, uid):
    (d,) = [d for d in p.decisions if d.event.uid == uid]
    return d


def test_evening_event_after_work_travels_from_the_office():
    p = plan(workweek(), [event("mixer", 23, (18, 0), (20, 0), DOWNTOWN)])
    d = decision(p, "mixer")
    assert d.chosen and d.reason is Reason.CHOSEN
    assert d.origin == "office" and d.destination == "home"
    assert d.trip_to.rush_hour
    assert d.leave_at >= workweek()[0].end
    assert "leave the office at" in d.explanation
    assert p.optimal


def test_clash_with_a_commitment_names_it():
    course = event("econ", 24, (18, 30), (21, 30), DOWNTOWN, summary="ECON 204")
    p = plan([*workweek(), course], [event("alumni", 24, (19, 0), (21, 0))])
    d = decision(p, "alumni")
    assert d.reason is Reason.CONFLICT
    assert d.explanation == "clashes with ECON 204 (Tue 18:30-21:30)"
    assert "ECON 204" in d.what_if


def test_no_time_to_get_there_from_work_is_a_travel_reason():
    p = plan(workweek(), [event("early", 23, (17, 30), (19, 0), DOWNTOWN)])
    d = decision(p, "early")
    assert d.reason is Reason.TRAVEL
    assert d.explanation.startswith("you would arrive at 17:")
    assert "for a 17:30 start" in d.explanation
    assert "from the office in rush hour" in d.explanation


def test_home_too_late():
    p = plan(
        [], [event("late", 25, (20, 0), (22, 30), DOWNTOWN)], settings(rules__latest_home="22:00")
    )
    d = decision(p, "late")
    assert d.reason is Reason.LATEST_RETURN
    assert "after your 22:00 limit" in d.explanation


def test_weekend_is_protected():
    p = plan([], [event("sat", 28, (10, 0), (12, 0))])
    assert decision(p, "sat").reason is Reason.PROTECTED
    assert len(p.protected) == 2


def test_budget_reason_for_an_event_too_long_alone():
    p = plan([], [event("conf", 24, (9, 0), (17, 0))], settings(budget__weekly_hours=3))
    d = decision(p, "conf")
    assert d.reason is Reason.BUDGET
    assert "of your 3 h week" in d.explanation


def test_lower_value_names_the_better_event():
    good = event("good", 23, (18, 0), (20, 0), DOWNTOWN, priority=1, summary="PMI mixer")
    meh = event("meh", 23, (18, 30), (20, 30), KING_WEST, priority=9, summary="Pub night")
    p = plan(workweek(), [good, meh])
    assert decision(p, "good").chosen
    d = decision(p, "meh")
    assert d.reason is Reason.LOWER_VALUE
    assert "PMI mixer (Mon) is worth more" in d.explanation


def test_no_time_to_travel_between_two_events():
    first = event("first", 25, (18, 0), (19, 0), WHITBY_LIBRARY, priority=1)
    second = event("second", 25, (19, 10), (21, 0), DOWNTOWN, priority=5)
    p = plan([], [first, second])
    d = decision(p, "second")
    assert not d.chosen
    assert "no time to travel between them" in d.explanation


def test_two_events_in_one_evening_chain_without_going_home():
    first = event("first", 26, (17, 30), (18, 30), DOWNTOWN)
    second = event("second", 26, (19, 0), (21, 0), KING_WEST)
    p = plan([], [first, second])
    a, b = decision(p, "first"), decision(p, "second")
    assert a.chosen and b.chosen
    assert a.destination == "second" and b.origin == "first"
    assert b.leave_at == first.end
    # The shared leg is charged once, to the later event.
    assert p.budget.travel_minutes == a.trip_to.minutes + b.trip_to.minutes + b.trip_from.minutes


def test_weekly_caps_explained():
    cands = [event(f"e{d}", d, (18, 0), (19, 0), ONLINE) for d in range(23, 28)]
    p = plan([], cands, settings(budget__max_events_per_week=2))
    assert p.budget.events == 2
    assert {d.reason for d in p.left_out} == {Reason.MAX_EVENTS}
    p = plan([], cands, settings(budget__max_evenings_out=1))
    assert {d.reason for d in p.left_out} == {Reason.EVENINGS}


def test_category_quota_and_money():
    jobs = [event(f"j{d}", d, (18, 0), (19, 0), ONLINE, "job-seeker") for d in range(23, 27)]
    s = settings(**{"categories__job-seeker": {"max_per_month": 2}})
    p = plan([], jobs, s)
    assert p.budget.events == 2
    assert all(d.reason is Reason.QUOTA for d in p.left_out)
    pricey = [event(f"p{d}", d, (18, 0), (19, 0), ONLINE, cost=30.0) for d in range(23, 27)]
    p = plan([], pricey, settings(budget__monthly_money=70))
    assert p.budget.money == 60
    assert all(d.reason is Reason.MONEY for d in p.left_out)


def test_online_event_needs_no_travel():
    p = plan([], [event("web", 24, (12, 0), (13, 0), ONLINE)])
    d = decision(p, "web")
    assert d.chosen and d.trip_to is None and d.travel_minutes == 0
    assert d.charged_minutes == 60


def test_pinned_event_always_in_and_clash_reported():
    course = event("econ", 24, (18, 30), (21, 30), DOWNTOWN, summary="ECON 204")
    clash = event("alumni", 24, (19, 0), (21, 0))
    other = event("other", 24, (19, 0), (20, 0), KING_WEST)
    p = plan([course], [clash, other], choices=Choices(pinned=frozenset({clash.key})))
    d = decision(p, "alumni")
    assert d.chosen and d.reason is Reason.PINNED
    assert "although it clashes with ECON 204" in d.explanation
    o = decision(p, "other")
    assert not o.chosen  # it clashes with the course anyway
    p = plan([], [clash, other], choices=Choices(pinned=frozenset({clash.key})))
    assert decision(p, "other").reason is Reason.CONFLICT
    assert "which you committed to" in decision(p, "other").explanation


def test_refused_and_cancelled_never_chosen():
    from planner.core.model import Status

    a = event("a", 24, (12, 0), (13, 0), ONLINE)
    b = event("b", 25, (12, 0), (13, 0), ONLINE, status=Status.CANCELLED)
    p = plan([], [a, b], choices=Choices(refused=frozenset({a.key})))
    assert decision(p, "a").reason is Reason.REFUSED
    assert decision(p, "b").reason is Reason.CANCELLED
    assert not p.chosen


def test_stars_change_the_choice():
    a = event("a", 23, (18, 0), (20, 0), DOWNTOWN)
    b = event("b", 23, (18, 0), (20, 0), KING_WEST)
    first = plan([], [a, b])
    loser = next(d for d in first.decisions if not d.chosen).event
    p = plan([], [a, b], choices=Choices(stars={loser.key: 5}))
    assert decision(p, loser.uid).chosen


def test_json_contract():
    p = plan(workweek(), [event("mixer", 23, (18, 0), (20, 0)), event("x", 23, (9, 0), (10, 0))])
    data = plan_json(p)
    assert {"week_start", "timezone", "optimal", "total_value", "budget", "candidates"} <= set(data)
    assert data["week_start"] == "2026-11-23"
    assert {"limit_minutes", "used_minutes"} <= set(data["budget"])
    keys = {
        "uid",
        "summary",
        "start",
        "end",
        "status",
        "reason_code",
        "reason",
        "value",
        "charged_minutes",
        "travel_to_minutes",
        "travel_from_minutes",
        "leave_at",
        "back_at",
        "origin",
        "destination",
    }
    for c in data["candidates"]:
        assert keys <= set(c)
        assert c["status"] in ("chosen", "left_out")
    left = next(c for c in data["candidates"] if c["uid"] == "x")
    assert left["reason_code"] == "conflict"
    assert left["leave_at"] < left["start"]  # as if attended alone


def test_budget_counts_travel_only_when_asked():
    e = event("mixer", 23, (18, 0), (20, 0), DOWNTOWN)
    with_travel = plan([], [e]).budget
    without = plan([], [e], settings(budget__counts_travel=False)).budget
    assert with_travel.used_minutes == 120 + with_travel.travel_minutes
    assert without.used_minutes == 120


def test_office_is_recognised_from_the_commitment_location():
    meeting = event("client", 23, (15, 0), (17, 0), OFFICE, summary="Client meeting")
    p = plan([meeting], [event("mixer", 23, (18, 0), (20, 0))])
    assert decision(p, "mixer").origin == "office"


def test_tentative_commitment_is_busy_unless_the_user_says_otherwise():
    from dataclasses import replace

    from planner.core.model import Status

    maybe = replace(
        event("bbq", 25, (18, 0), (21, 0), DOWNTOWN, summary="BBQ"), status=Status.TENTATIVE
    )
    mixer = event("mixer", 25, (19, 0), (20, 0))
    assert decision(plan([maybe], [mixer]), "mixer").reason is Reason.CONFLICT
    relaxed = settings(rules__tentative_is_busy=False)
    assert decision(plan([maybe], [mixer], relaxed), "mixer").chosen


def test_keyword_rule_sets_the_stars():
    from planner.core.planning.plan import stars_of

    hdi = event("hdi", 23, (18, 0), (20, 0), summary="HDI (Help Desk Institute) Toronto mixer")
    other = event("other", 23, (18, 0), (20, 0), KING_WEST, priority=1, summary="Big mixer")
    s = settings(stars=[{"match": "help desk institute", "stars": 5}])
    assert stars_of(hdi, s, Choices()) == 5
    p = plan([], [hdi, other], s)
    assert decision(p, "hdi").chosen  # 5 stars by keyword; PRIORITY 1 is also 5: less travel
    s_low = settings(stars=[{"match": "Help Desk Institute", "stars": 1}])
    assert not decision(plan([], [hdi, other], s_low), "hdi").chosen


def test_protected_weekday_evening():
    s = settings(
        rules={
            "latest_home": "23:00",
            "protected": [{"days": ["wed"], "from": "18:00", "label": "the kids"}],
        }
    )
    p = plan(
        [],
        [
            event("wed", 25, (19, 0), (20, 0), WHITBY_LIBRARY),
            event("thu", 26, (19, 0), (20, 0), WHITBY_LIBRARY),
        ],
        s,
    )
    d = decision(p, "wed")
    assert d.reason is Reason.PROTECTED
    assert d.explanation == "Wednesday 18:00-23:59 is kept free for the kids in your rules"
    assert decision(p, "thu").chosen
    assert any(start.weekday() == 2 and start.hour == 18 for start, _ in p.protected)


def test_free_for_volunteers_costs_nothing_when_the_user_volunteers():
    gala = event(
        "gala",
        24,
        (18, 0),
        (20, 0),
        ONLINE,
        cost=60.0,
        description="Tickets $60. Free for volunteers who help with registration.",
    )
    assert not plan([], [gala], settings(budget__monthly_money=20)).chosen
    helping = settings(budget={"monthly_money": 20, "volunteer": True, "weekly_hours": 8})
    p = plan([], [gala], helping)
    assert decision(p, "gala").chosen and p.budget.money == 0


def test_monthly_quota_counts_earlier_weeks_of_the_month():
    s = settings(**{"categories__job-seeker": {"max_per_month": 2}})
    jobs = [event(f"j{d}", d, (18, 0), (19, 0), ONLINE, "job-seeker") for d in (23, 24)]
    earlier = [event(f"old{d}", d, (18, 0), (19, 0), ONLINE, "job-seeker") for d in (9,)]
    p = plan_week([], jobs, s, MONDAY, history=earlier)
    assert p.budget.events == 1  # one left for November
    (left,) = p.left_out
    assert left.reason is Reason.QUOTA
    assert "(1 in other weeks)" in left.explanation and "November" in left.explanation
    used_up = plan_week(
        [],
        jobs,
        s,
        MONDAY,
        history=[*earlier, event("old10", 10, (18, 0), (19, 0), ONLINE, "job-seeker")],
    )
    assert not used_up.chosen
    assert all("are used up (2 in other weeks)" in d.explanation for d in used_up.left_out)


def test_monthly_money_counts_earlier_weeks():
    s = settings(budget__monthly_money=50)
    paid = event("paid", 24, (18, 0), (19, 0), ONLINE, cost=30.0)
    spent = [event("old", 10, (18, 0), (19, 0), ONLINE, cost=25.0)]
    p = plan_week([], [paid], s, MONDAY, history=spent)
    d = decision(p, "paid")
    assert d.reason is Reason.MONEY
    assert "more than the $25 left of your $50 for November" in d.explanation


def test_a_target_is_met_before_value_and_reported_when_it_cannot_be():
    s = settings(
        **{"categories__professional": {"min_per_week": 1}, "budget__max_events_per_week": 1}
    )
    pro = event("pro", 23, (18, 0), (19, 0), ONLINE, "professional", priority=9)
    fun = event("fun", 24, (18, 0), (19, 0), ONLINE, "tech-meetup", priority=1)
    p = plan([], [pro, fun], s)
    assert decision(p, "pro").chosen  # worth less, but it meets the target
    (target,) = p.targets
    assert target.met and target.explanation == "met: pro"
    course = event("c", 23, (17, 0), (21, 0), ONLINE, summary="Course")
    missed = plan([course], [pro, fun], s)
    (target,) = missed.targets
    assert not target.met
    assert target.explanation == (
        "not met: of the 1 professional events this week, 1 clash with your commitments"
    )
    assert plan_json(missed)["targets"][0]["met"] is False


def test_a_time_limit_returns_the_best_plan_found_marked_not_proven():
    import random

    rng = random.Random(3)
    places = [DOWNTOWN, KING_WEST, WHITBY_LIBRARY, ONLINE]
    cands = [
        event(
            f"e{i}",
            rng.randrange(23, 28),
            (rng.randrange(17, 21), 0),
            (21, 30),
            rng.choice(places),
            priority=rng.randrange(1, 10),
        )
        for i in range(400)
    ]
    p = plan_week([], cands, settings(budget__max_events_per_week=5), MONDAY, time_limit=0.0001)
    assert not p.optimal
    assert "not proven optimal" in summary_line(p)


def test_flexible_block_is_placed_in_free_time():
    coffee = {
        "name": "Coffee or call",
        "minutes": 60,
        "times_per_week": 2,
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "from": "12:00",
        "to": "14:00",
        "category": "coffee-chat",
        "stars": 4,
    }
    lunch_meetings = [
        event(f"m{d}", d, (12, 0), (14, 0), OFFICE, summary="Lunch meeting") for d in (23, 24, 25)
    ]
    p = plan(lunch_meetings, [], settings(flexible=[coffee]))
    placed = [d for d in p.chosen if d.event.uid.startswith("flexible:")]
    assert sorted(d.event.start.day for d in placed) == [26, 27]  # the two free days
    assert all(d.trip_to is None and d.event.duration.total_seconds() == 3600 for d in placed)
    (result,) = p.flexible
    assert (result.wanted, result.placed) == (2, 2)
    assert p.budget.events == 0  # flexible time is not an event out...
    assert p.budget.used_minutes == 120  # ...but it uses the hours budget
    busy = plan(
        [*lunch_meetings, event("m26", 26, (12, 0), (14, 0), OFFICE, summary="Lunch meeting")],
        [],
        settings(flexible=[coffee]),
    )
    (result,) = busy.flexible
    assert result.placed == 1
    assert result.explanation.startswith(
        "placed 1 of 2: only 1 of your chosen days have 60 min free in 12:00-14:00"
    )
    assert "clashes with Lunch meeting" in result.explanation
    data = plan_json(busy)
    assert data["flexible"][0]["placed"] == 1
    assert [c["kind"] for c in data["candidates"]] == ["flexible"]


def test_a_mixer_left_out_for_money_is_not_blamed_on_a_flexible_block():
    """Flexible time is no event out: it never fills the events-a-day limit, so the
    explanation must name the money budget, which is what binds."""
    coffee = {
        "name": "Coffee or call",
        "minutes": 60,
        "times_per_week": 2,
        "days": ["wed", "thu"],
        "from": "12:00",
        "to": "14:00",
        "category": "coffee-chat",
        "stars": 4,
    }
    s = settings(
        budget={"max_events_per_day": 1, "max_events_per_week": 5, "monthly_money": 20},
        flexible=[coffee],
    )
    wed = event("wed", 25, (18, 0), (20, 0), ONLINE, cost=15.0, summary="Wednesday mixer")
    thu = event("thu", 26, (18, 0), (20, 0), ONLINE, cost=10.0, summary="Thursday mixer")
    p = plan([], [wed, thu], s)
    (left,) = [d for d in p.left_out if d.event.uid in ("wed", "thu")]
    (kept,) = [d for d in p.chosen if d.event.uid in ("wed", "thu")]
    same_day = [d for d in p.chosen if d.event.start.date() == kept.event.start.date()]
    assert len(same_day) == 2  # the kept mixer shares its day with a coffee block
    assert left.reason is Reason.MONEY
    assert left.explanation == "would bring November's tickets to $25, over your $20 a month"
    assert "Coffee or call" not in left.explanation
