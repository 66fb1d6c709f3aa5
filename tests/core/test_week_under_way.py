"""The week under way: what is over is never proposed, and the week that opens is the first
with candidates ahead (issue 16). ``now`` is injected: no test depends on the clock."""

from datetime import date, timedelta
from pathlib import Path

from planner.core.model import Choices, Reason, Source
from planner.core.planning.plan import plan_week
from planner.core.planning.week import SEEK_WEEKS, first_week_with
from planner.core.session import Session, State, calendar_loader
from planner.core.settings import Settings
from planner.core.storage.store import Store
from tests.core.week_builder import ONLINE, at, event, settings
from tests.feed_server import calendar, vevent

MONDAY = date(2026, 11, 23)


def decision(plan, uid):
    (d,) = [d for d in plan.decisions if d.event.uid == uid]
    return d


def test_an_event_over_in_the_week_under_way_is_left_out_as_over():
    candidates = [event("monday", 23, (19, 0), (21, 0)), event("thursday", 26, (19, 0), (21, 0))]
    plan = plan_week([], candidates, settings(), MONDAY, now=at(24, 12))
    over = decision(plan, "monday")
    assert not over.chosen and over.reason is Reason.PAST
    assert over.explanation == "it is over: it ended at Mon 23 Nov 21:00"
    assert decision(plan, "thursday").chosen


def test_an_event_that_has_started_is_left_out_as_started():
    plan = plan_week([], [event("now", 24, (18, 0), (20, 0))], settings(), MONDAY, now=at(24, 19))
    d = decision(plan, "now")
    assert d.reason is Reason.PAST
    assert d.explanation == "it has started: it began at Tue 24 Nov 18:00"


def test_an_event_you_would_have_had_to_leave_for_already_is_left_out():
    # Whitby to downtown takes over an hour: at 17:30 an 18:00 event downtown is out of reach.
    plan = plan_week(
        [], [event("soon", 24, (18, 0), (20, 0))], settings(), MONDAY, now=at(24, 17, 30)
    )
    d = decision(plan, "soon")
    assert d.reason is Reason.PAST
    assert d.explanation.startswith("it is too late to go: you would have had to leave home at")
    online = plan_week(
        [], [event("call", 24, (18, 0), (19, 0), ONLINE)], settings(), MONDAY, now=at(24, 17, 30)
    )
    assert decision(online, "call").chosen  # online: nothing to leave for


def test_an_event_you_committed_to_stays_when_it_is_over():
    mixer = event("mixer", 23, (19, 0), (21, 0))
    plan = plan_week(
        [], [mixer], settings(), MONDAY, Choices(pinned=frozenset({mixer.key})), now=at(25, 9)
    )
    d = decision(plan, "mixer")
    assert d.chosen and d.reason is Reason.PINNED and d.breaks == ""


def test_weeks_ahead_and_weeks_gone_by_are_not_cut():
    candidates = [event("monday", 23, (19, 0), (21, 0))]
    before = plan_week([], candidates, settings(), MONDAY, now=at(23, 9) - timedelta(days=3))
    after = plan_week([], candidates, settings(), MONDAY, now=at(23, 9) + timedelta(days=9))
    assert decision(before, "monday").chosen
    assert decision(after, "monday").chosen  # a look back shows the plan as it was


def test_an_event_over_is_never_recorded_as_planned_but_a_past_record_stays(tmp_path):
    store = Store.open(tmp_path / "planner.sqlite3")
    early = event("early", 23, (19, 0), (21, 0), ONLINE)
    later = event("later", 26, (19, 0), (21, 0), ONLINE)
    ahead = plan_week([], [early, later], settings(), MONDAY, now=at(23, 9))
    store.record_week(ahead)  # Monday morning: both planned
    week = (at(23, 0), at(30, 0))
    assert {e.uid for e in store.history(*week)} == {"early", "later"}
    store.record_week(plan_week([], [early, later], settings(), MONDAY, now=at(24, 9)))
    assert {e.uid for e in store.history(*week)} == {"early", "later"}  # it was planned
    other = tmp_path / "other.sqlite3"
    fresh = Store.open(other)
    fresh.record_week(plan_week([], [early, later], settings(), MONDAY, now=at(24, 9)))
    assert {e.uid for e in fresh.history(*week)} == {"later"}  # never planned once over
    store.close()
    fresh.close()


def test_the_first_week_with_candidates_from_a_day():
    today = date(2026, 11, 25)  # a Wednesday
    assert first_week_with(today, lambda day: True) == today
    assert first_week_with(today, lambda day: day >= date(2026, 12, 7)) == date(2026, 12, 7)
    asked: list[date] = []
    assert first_week_with(today, lambda day: asked.append(day) is not None) == today
    assert len(asked) == SEEK_WEEKS  # nothing ahead: this week, after looking 12 weeks


def _session(tmp_path: Path, *events: bytes) -> tuple[Session, State]:
    source = tmp_path / "meetups.ics"
    source.write_bytes(calendar(*events))
    s = Settings()
    session = Session(calendar_loader(), s, sources=(Source(str(source), "candidates"),))
    return session, session.state


def test_the_session_seeks_past_a_week_whose_candidates_are_over(tmp_path):
    session, state = _session(
        tmp_path,
        vevent("a", "Monday mixer", "20261123T190000", "20261123T210000"),
        vevent("b", "Meetup in two weeks", "20261209T183000", "20261209T203000"),
    )
    # Tuesday 24 Nov: Monday's mixer is over, next week is empty, the week after holds one.
    now = at(24, 9)
    assert session.first_week_with_candidates(state, now.date(), now) == date(2026, 12, 7)
    # Sunday 22 Nov: the week ending holds nothing; the mixer is ahead, in the coming week.
    sunday = at(22, 9)
    assert session.first_week_with_candidates(state, sunday.date(), sunday) == MONDAY
    monday = at(23, 9)
    assert session.first_week_with_candidates(state, MONDAY, monday) == MONDAY


def test_refused_and_cancelled_candidates_do_not_hold_a_week(tmp_path):
    session, state = _session(
        tmp_path,
        vevent("a", "Refused", "20261125T190000", "20261125T210000"),
        vevent("c", "Cancelled", "20261126T190000", "20261126T210000", "STATUS:CANCELLED"),
        vevent("b", "Next week", "20261202T183000", "20261202T203000"),
    )
    now = at(23, 9)
    _s, week = session.load(state, now.date())
    refused = next(e for e in week.candidates if e.summary == "Refused")
    state = State(state.settings, Choices(refused=frozenset({refused.key})), state.sources, ())
    assert session.first_week_with_candidates(state, now.date(), now) == date(2026, 11, 30)


def test_a_plan_of_the_week_under_way_through_the_session(tmp_path):
    session, state = _session(
        tmp_path, vevent("a", "Monday mixer", "20261123T190000", "20261123T210000")
    )
    _s, _week, plan = session.plan(state, MONDAY, at(24, 9))
    (d,) = plan.decisions
    assert d.reason is Reason.PAST


def test_an_event_planned_while_ahead_stays_in_the_plan_once_over():
    early = event("early", 23, (19, 0), (21, 0), ONLINE)
    later = event("later", 26, (19, 0), (21, 0), ONLINE)
    ahead = plan_week([], [early, later], settings(), MONDAY, now=at(23, 9))
    recorded = [d.event for d in ahead.chosen]
    plan = plan_week([], [early, later], settings(), MONDAY, now=at(24, 9), history=recorded)
    assert decision(plan, "early").chosen  # planned on Monday morning: it stays
    never = plan_week([], [early, later], settings(), MONDAY, now=at(24, 9))
    assert decision(never, "early").reason is Reason.PAST  # never planned: not proposed now
