"""The user's planning kept in the store: restored as left, saved on every change,
feeds read from their last good copy, history counted toward monthly quotas."""

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from planner.core import saved
from planner.core.calendars import reading as ics_import
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Reason
from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings
from planner.core.storage.feeds import refresh
from planner.core.storage.store import Store
from tests.feed_server import Reply, calendar, vevent

PEEL = "1049905527614@eventbrite.com"  # a job-seeker mixer in the demo week (Fri 18:30)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def demo_session(store: Store) -> Session:
    return saved.open_session(store, demo_settings(), demo=True)


def event_of(session: Session, key: str):
    _settings, _week, plan = session.plan(session.state, DEMO_WEEK)
    return next(d for d in plan.decisions if d.event.key == key)


def test_every_change_is_kept_and_a_new_session_starts_from_it(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = demo_session(store)
        _s, _w, plan = session.plan(session.state, DEMO_WEEK)
        first, second = plan.decisions[0].event, plan.decisions[1].event
        session.pin(first)
        session.refuse(second)
        session.set_stars(second, 1)
        session.undo()  # the rating is taken back: the store follows the undo
        assert store.load_choices() == session.choices
    with Store.open(tmp_path / "p.sqlite3") as store:
        again = demo_session(store)
        assert again.choices.pinned == {first.key}
        assert again.choices.refused == {second.key}
        assert second.key not in again.choices.stars
        assert again.save_problem == ""


def test_typed_events_and_calendars_are_restored(store, tmp_path):
    session = demo_session(store)
    _s, _w, plan = session.plan(session.state, DEMO_WEEK)
    typed = dataclasses.replace(plan.decisions[0].event, uid="typed-1", summary="Typed mixer")
    session.add_events([typed])
    calendar_file = tmp_path / "extra.ics"
    calendar_file.write_bytes(calendar())
    session.add_sources(
        [(calendar_file, "candidates"), ("webcal://example.org/x.ics", "candidates")]
    )
    again = demo_session(store)
    assert [e.summary for e in again.state.added] == ["Typed mixer"]
    assert [s.path for s in again.state.sources] == [
        str(calendar_file.resolve()),
        "webcal://example.org/x.ics",  # a feed's address is kept as given, not as a path
    ]


def test_a_store_that_fails_is_reported_and_the_change_still_made(tmp_path):
    store = Store.open(tmp_path / "p.sqlite3")
    session = demo_session(store)
    event = event_of(session, PEEL).event
    store.close()
    session.pin(event)
    assert PEEL in session.choices.pinned
    assert "could not be saved" in session.save_problem


def test_history_of_other_weeks_counts_toward_the_monthly_quota(store):
    session = demo_session(store)
    assert event_of(session, PEEL).reason is not Reason.QUOTA
    _s, _w, plan = session.plan(session.state, DEMO_WEEK)
    seekers = [d.event for d in plan.decisions if d.event.category == "job-seeker"][:2]
    earlier = [
        dataclasses.replace(
            e, uid=f"earlier-{n}", start=e.start - timedelta(14), end=e.end - timedelta(14)
        )
        for n, e in enumerate(seekers)
    ]
    store.record_week(
        SimpleNamespace(
            week_start=plan.week_start - timedelta(days=14),
            chosen=[SimpleNamespace(event=e) for e in earlier],
            decisions=[],
        )
    )
    decision = event_of(session, PEEL)
    assert decision.reason is Reason.QUOTA
    assert "2 in other weeks" in decision.explanation
    session.pin(decision.event)
    assert "job-seeker" in event_of(session, PEEL).breaks


def test_a_feed_is_planned_from_its_last_good_copy(store, site):
    mixer = vevent("mixer", "Feed mixer", "20261124T180000", "20261124T200000", "LOCATION:online")
    site.replies["/feed.ics"] = Reply(calendar(mixer), etag='"1"')
    url = site.url("/feed.ics")
    session = saved.open_session(store, demo_settings(), demo=True)
    session.add_sources([(url, "candidates")])
    _s, week, _p = session.plan(session.state, DEMO_WEEK)
    assert any("not downloaded yet" in str(p) for p in week.problems)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=demo_settings().zone)
    assert refresh(store, session.state.sources[-1], now).changed
    session.forget_loaded()
    _s, week, plan = session.plan(session.state, DEMO_WEEK)
    assert "mixer" in {d.event.key for d in plan.decisions}
    site.replies["/feed.ics"] = Reply(b"down", 503, "text/plain")
    refresh(store, session.state.sources[-1], now + timedelta(hours=5))
    session.forget_loaded()
    _s, week, plan = session.plan(session.state, DEMO_WEEK)
    assert "mixer" in {d.event.key for d in plan.decisions}  # the last copy is kept
    assert any("503" in str(p) for p in week.problems)


def test_a_calendar_already_read_is_not_parsed_again(store, tmp_path, monkeypatch):
    source = tmp_path / "mine.ics"
    source.write_bytes(calendar(vevent("a", "Course", "20261124T090000", "20261124T100000")))
    reads = []
    real = ics_import.read_file
    monkeypatch.setattr(ics_import, "read_file", lambda *a: reads.append(a) or real(*a))
    settings = Settings()
    load = calendar_loader([source], [], store=store)
    for _ in range(3):
        _settings, week = load(DEMO_WEEK, settings, ())
        assert [e.summary for e in week.commitments] == ["Course"]
    assert len(reads) == 1
    source.write_bytes(calendar(vevent("a", "Course moved", "20261124T090000", "20261124T100000")))
    _settings, week = load(DEMO_WEEK, settings, ())
    assert len(reads) == 2


@pytest.mark.parametrize(
    ("last", "today", "opened"),
    [
        (None, date(2026, 11, 22), date(2026, 11, 22)),
        (date(2026, 12, 2), date(2026, 11, 22), date(2026, 12, 2)),  # a week ahead: kept
        (date(2026, 11, 16), date(2026, 11, 22), date(2026, 11, 16)),  # this week (Mon 16)
        (date(2026, 11, 1), date(2026, 11, 22), date(2026, 11, 22)),  # over: this week
    ],
)
def test_the_window_opens_on_the_week_shown_last_unless_it_is_over(store, last, today, opened):
    if last is not None:
        store.save_week(last)
    assert saved.opening_week(store, today) == opened


def test_planners_own_settings_file_is_used_when_none_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_CONFIG_DIR", str(tmp_path / "config"))
    settings, path = saved.user_settings(None)
    assert settings == Settings()
    assert path == Path(tmp_path / "config" / "settings.toml")
    assert saved.store_path(demo=True).name == "demo.sqlite3"
    assert saved.store_path().name == "planner.sqlite3"
