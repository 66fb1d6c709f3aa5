"""The week the window opens on: the first from today with candidates ahead, on start and
after an import (issue 16), and never what is over in the week under way."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.core import saved
from planner.core.model import Reason, Source
from planner.core.settings import Settings
from planner.core.storage.store import Store
from planner.gui.main_window import MainWindow
from tests.feed_server import calendar, vevent

SETTINGS = Settings()
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=SETTINGS.zone)  # Tuesday morning
TWO_WEEKS_ON = date(2026, 12, 7)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def open_window(qtbot, store: Store, *, seek: bool) -> MainWindow:
    session = saved.open_session(store, SETTINGS)
    window = MainWindow(
        session,
        NOW.date(),
        now=NOW,
        ask_consent=False,
        remember_layout=False,
        seek_candidates=seek,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def write_meetups(tmp_path) -> str:
    path = tmp_path / "meetups.ics"
    path.write_bytes(
        calendar(
            vevent("mon", "Monday mixer", "20261123T190000", "20261123T210000", "LOCATION:online"),
            vevent("dec", "December talk", "20261209T183000", "20261209T203000", "LOCATION:online"),
        )
    )
    return str(path)


def test_on_start_the_window_opens_on_the_first_week_with_candidates_ahead(qtbot, store, tmp_path):
    # Monday's mixer is over and next week is empty: the talk's week, two weeks on, opens.
    store.add_source(Source(write_meetups(tmp_path), "candidates"))
    window = open_window(qtbot, store, seek=True)
    assert window.plan is not None
    assert window.plan.week_start.date() == TWO_WEEKS_ON
    assert window.date_picker.date().toPython() == TWO_WEEKS_ON
    assert [d.event.summary for d in window.plan.chosen] == ["December talk"]
    window.session.flush()
    assert store.last_week() == TWO_WEEKS_ON  # kept: reopening stays on it


def test_without_seeking_this_week_opens_and_what_is_over_is_left_out(qtbot, store, tmp_path):
    store.add_source(Source(write_meetups(tmp_path), "candidates"))
    window = open_window(qtbot, store, seek=False)
    assert window.plan is not None
    assert window.plan.week_start.date() == date(2026, 11, 23)
    (mixer,) = window.plan.decisions
    assert not mixer.chosen and mixer.reason is Reason.PAST
    assert "it is over" in window.model.decision(window.model.row_of(mixer.event.key)).explanation


def test_after_an_import_the_window_moves_to_the_week_of_its_events(qtbot, store, tmp_path):
    window = open_window(qtbot, store, seek=True)
    assert window.plan is not None
    assert window.plan.week_start.date() == date(2026, 11, 23)  # nothing anywhere: this week
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.add_sources([(write_meetups(tmp_path), "candidates")])
    assert window.plan.week_start.date() == TWO_WEEKS_ON
    assert window.date_picker.date().toPython() == TWO_WEEKS_ON


def test_an_import_keeps_a_week_on_screen_that_has_candidates_ahead(qtbot, store, tmp_path):
    late = tmp_path / "late.ics"
    late.write_bytes(
        calendar(
            vevent("fri", "Friday talk", "20261127T183000", "20261127T200000", "LOCATION:online")
        )
    )
    store.add_source(Source(str(late), "candidates"))
    window = open_window(qtbot, store, seek=True)
    assert window.plan is not None and window.plan.week_start.date() == date(2026, 11, 23)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.add_sources([(write_meetups(tmp_path), "candidates")])
    assert window.plan.week_start.date() == date(2026, 11, 23)  # Friday's talk is still ahead
