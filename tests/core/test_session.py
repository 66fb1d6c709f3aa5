"""The session: decisions, imports and settings changes, each undoable, and a cached week."""

from dataclasses import replace

import pytest

from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Reason
from planner.core.session import Session, calendar_loader


@pytest.fixture
def session():
    return Session(calendar_loader(demo=True), demo_settings())


def planned(session):
    return session.plan(session.state, DEMO_WEEK)[2]


def decision(plan, key):
    return next(d for d in plan.decisions if d.event.key == key)


def test_pin_refuse_stars_undo_redo_are_exact(session):
    plan = planned(session)
    left_out = next(d.event for d in plan.decisions if not d.chosen)
    proposed = plan.chosen[0].event
    start = session.state

    session.pin(left_out)
    session.refuse(proposed)
    session.set_stars(left_out, 5)
    assert session.undo_label.startswith("Rate “") and session.undo_label.endswith("” 5 stars")
    after = planned(session)
    assert decision(after, left_out.key).chosen
    assert decision(after, left_out.key).reason is Reason.PINNED
    assert decision(after, proposed.key).reason is Reason.REFUSED

    for _ in range(3):
        session.undo()
    assert session.state is start
    assert session.undo() is None
    assert [d.chosen for d in planned(session).decisions] == [d.chosen for d in plan.decisions]
    for _ in range(3):
        session.redo()
    assert session.state.choices.stars == {left_out.key: 5}
    assert decision(planned(session), proposed.key).reason is Reason.REFUSED


def test_a_new_change_clears_redo_and_no_op_changes_are_not_recorded(session):
    event = planned(session).decisions[0].event
    session.pin(event)
    assert session.pin(event) is None  # already committed: nothing to undo
    session.undo()
    assert session.redo_label
    session.refuse(event)
    assert session.redo_label == ""
    assert session.undo_label.startswith("Refuse")


def test_pinning_an_event_that_breaks_a_rule_says_which(session):
    plan = planned(session)
    clash = next(d for d in plan.decisions if d.reason is Reason.CONFLICT)
    session.pin(clash.event)
    pinned = decision(planned(session), clash.event.key)
    assert pinned.chosen and pinned.breaks == clash.explanation


def test_listeners_hear_every_change_undo_and_redo(session):
    heard = []
    session.listeners.append(lambda change: heard.append(change.label))
    event = planned(session).decisions[0].event
    session.refuse(event)
    session.undo()
    session.redo()
    assert len(heard) == 3 and len(set(heard)) == 1


def test_importing_a_calendar_adds_its_events_and_undo_removes_them(session, tmp_path):
    extra = tmp_path / "association.ics"
    extra.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:assoc-1\r\n"
        b"SUMMARY:Association breakfast\r\nDTSTART;TZID=America/Toronto:20261125T073000\r\n"
        b"DTEND;TZID=America/Toronto:20261125T090000\r\nLOCATION:Online\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    before = len(planned(session).decisions)
    session.add_sources([(extra, "candidates")])
    assert session.undo_label == "Import association.ics"
    plan = planned(session)
    assert len(plan.decisions) == before + 1
    assert any(d.event.uid == "assoc-1" for d in plan.decisions)
    session.add_sources([(extra, "commitments")])  # the same file again, now as busy time
    assert [s.role for s in session.state.sources] == ["commitments"]
    assert len(planned(session).decisions) == before
    session.undo()
    session.undo()
    assert session.state.sources == ()
    assert len(planned(session).decisions) == before


def test_a_broken_import_is_a_problem_not_a_failure(session, tmp_path):
    broken = tmp_path / "broken.ics"
    broken.write_text("this is not a calendar")
    session.add_sources([(broken, "candidates")])
    _, week, plan = session.plan(session.state, DEMO_WEEK)
    assert any("broken.ics" in str(p) for p in week.problems)
    assert plan.decisions  # the demo week is still planned


def test_settings_change_is_undoable_and_replans(session):
    tighter = replace(demo_settings(), max_events_per_week=1)
    session.set_settings(tighter)
    assert planned(session).budget.events <= 1
    session.undo()
    assert planned(session).budget.events == 3


def test_the_week_is_read_once_until_calendars_or_settings_change(monkeypatch):
    calls = []

    def counting(day, settings, sources):
        calls.append(day)
        return settings, load_demo(day, settings)

    session = Session(counting, demo_settings())
    event = planned(session).decisions[0].event
    session.pin(event)
    planned(session)
    session.refuse(event)
    planned(session)
    assert len(calls) == 1  # decisions re-plan from the cached week
    session.set_settings(replace(demo_settings(), max_events_per_week=2))
    planned(session)
    assert len(calls) == 2


def test_undo_history_is_bounded(session):
    from planner.core import session as module

    event = planned(session).decisions[0].event
    for stars in range(module.MAX_UNDO + 20):
        session.set_stars(event, stars % 6)
    steps = 0
    while session.undo() is not None:
        steps += 1
    assert steps <= module.MAX_UNDO


def test_typed_events_join_their_week_and_undo_removes_them(session):
    from datetime import datetime

    from planner.core.model import Event, Place

    zone = demo_settings().zone
    typed = Event(
        "typed-1",
        "PMI Toronto chapter mixer",
        datetime(2026, 11, 26, 7, 0, tzinfo=zone),
        datetime(2026, 11, 26, 7, 45, tzinfo=zone),
        place=Place("Online", virtual=True),
    )
    later = replace(typed, uid="typed-2", start=typed.start.replace(month=12, day=10))
    later = replace(later, end=later.start.replace(hour=8))
    session.add_events([typed, later])
    assert session.undo_label == "Add 2 events"
    keys = {d.event.key for d in planned(session).decisions}
    assert "typed-1" in keys and "typed-2" not in keys  # only the week on screen
    session.remove_event(typed)
    assert "typed-1" not in {d.event.key for d in planned(session).decisions}
    session.undo()
    session.undo()
    assert session.state.added == ()


def test_a_settings_change_is_written_to_the_settings_file_and_undo_writes_it_back(tmp_path):
    from planner import resources
    from planner.core.settings import load_settings

    path = tmp_path / "settings.toml"
    path.write_bytes(resources.read_bytes("demo", "settings.toml"))
    original = load_settings(path)
    session = Session(calendar_loader(demo=True), original, settings_path=path)
    session.set_settings(replace(original, max_events_per_week=1))
    assert load_settings(path).max_events_per_week == 1
    session.undo()
    assert load_settings(path) == original
    assert session.save_problem == ""


def test_a_settings_file_that_cannot_be_written_is_reported_not_raised(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    session = Session(calendar_loader(demo=True), demo_settings(), settings_path=folder)
    session.set_settings(replace(demo_settings(), max_events_per_week=1))
    assert "settings not saved" in session.save_problem
    assert session.settings.max_events_per_week == 1  # the session still uses the change


def test_a_session_keeps_its_travel_service_from_plan_to_plan_only_without_a_router():
    """Re-planning asks for the same trips: an estimating service is kept and remembers
    them; a routed one serves one plan, which says what its own trips met."""
    from planner.core.demo import DEMO_WEEK, demo_settings
    from planner.core.session import Session, calendar_loader
    from planner.core.settings import settings_from_dict

    session = Session(calendar_loader(demo=True), demo_settings())
    settings, _week = session.load(session.state, DEMO_WEEK)
    kept = session._travel_for(settings)
    assert kept is not None and session._travel_for(settings) is kept
    routed = settings_from_dict(
        {"routing": {"provider": "osrm", "url": "http://127.0.0.1:9", "timeout_seconds": 1}}
    )
    assert session._travel_for(routed) is None
