"""What the window must show above the week, not only in the status bar: a calendar that
could not be read, a router that did not answer; and the budget bar when events the user
committed to take the week over its hours."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Event, Place
from planner.core.session import Session, calendar_loader
from planner.core.settings import RoutingSettings
from planner.core.text import wording
from planner.gui.budget_panel import time_bar
from planner.gui.main_window import MainWindow

DEMO = Path(__file__).parents[2] / "resources" / "demo"
TZ = ZoneInfo("America/Toronto")


def open_window(qtbot, session: Session) -> MainWindow:
    win = MainWindow(session, DEMO_WEEK, ask_consent=False, remember_layout=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    return win


@pytest.fixture
def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_calendar_that_cannot_be_read_is_said_above_the_week(qtbot, tmp_path):
    missing = tmp_path / "work.ics"
    loader = calendar_loader([missing], [DEMO / "candidates.ics"])
    win = open_window(qtbot, Session(loader, demo_settings()))
    assert win.problems.isVisible()
    (notice,) = win.problems.notices
    assert notice == f"Not read, so this plan is made without it: {missing}: file not found"
    assert notice in win.problems.message.text()
    assert win.plan is not None and win.plan.chosen  # the rest is still planned


def test_the_agenda_the_window_writes_says_what_the_plan_was_made_without(qtbot, tmp_path):
    from pypdf import PdfReader

    missing = tmp_path / "work.ics"
    loader = calendar_loader([missing], [DEMO / "candidates.ics"])
    win = open_window(qtbot, Session(loader, demo_settings()))
    pdf = tmp_path / "agenda.pdf"
    win.files.export_pdf(str(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    # The long temporary path may wrap; its start and its end are on paper.
    assert "⚠ Not read, so this plan is made without it: /" in text
    assert "work.ics: file not found" in text


def test_a_router_that_does_not_answer_is_said_above_the_week(qtbot, refused_url):
    settings = replace(demo_settings(), routing=RoutingSettings("osrm", refused_url, 0.3))
    loader = calendar_loader([DEMO / "commitments.ics"], [DEMO / "candidates.ics"])
    win = open_window(qtbot, Session(loader, settings))
    assert win.problems.isVisible()
    assert win.problems.notices == (
        f"The router at {refused_url} did not answer (connection refused); "
        "travel times are estimates.",
    )


def test_hide_puts_the_bar_away_until_something_else_goes_wrong(qtbot, tmp_path):
    missing = tmp_path / "work.ics"
    loader = calendar_loader([missing], [DEMO / "candidates.ics"])
    win = open_window(qtbot, Session(loader, demo_settings()))
    qtbot.mouseClick(win.problems.dismiss, Qt.MouseButton.LeftButton)
    assert not win.problems.isVisible()
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.reload()
    assert not win.problems.isVisible()  # the same notice: still put away
    win.problems.show_notices(["Something else"])
    assert win.problems.isVisible()
    win.problems.show_notices([])
    assert not win.problems.isVisible()


def test_everything_read_shows_no_bar(qtbot):
    loader = calendar_loader([DEMO / "commitments.ics"], [DEMO / "candidates.ics"])
    win = open_window(qtbot, Session(loader, demo_settings()))
    assert not win.problems.isVisible()
    assert win.problems.notices == ()


def test_the_budget_bar_says_when_committed_events_take_the_week_over(qtbot, tmp_path):
    """The demo user has 6 h a week; committing to a 7-hour online course takes it over."""
    course = Event(
        "course",
        "All-day online course",
        datetime(2026, 11, 24, 9, tzinfo=TZ),
        datetime(2026, 11, 24, 16, 10, tzinfo=TZ),
        place=Place("Zoom", virtual=True),
    )
    loader = calendar_loader([DEMO / "commitments.ics"], [DEMO / "candidates.ics"])
    session = Session(loader, demo_settings(), added=[course])
    win = open_window(qtbot, session)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        session.pin(course)
    assert win.plan is not None
    budget = win.plan.budget
    assert budget.used_minutes > budget.limit_minutes == 360
    over = budget.used_minutes - 360
    (time,) = [bar for bar in win.budget.bars() if bar.label == "Time"]
    assert time == time_bar(budget)
    assert time.text.endswith(f": over by {minutes(over)}")
    assert time.tip.endswith(f"over by {minutes(over)} because of events you committed to.")
    assert f"over by {minutes(over)} because of events you committed to" in win.subline.text()
    # The whole story on hover over the bar (the first row), none below the bars.
    assert win.budget.tip_at(4 + win.budget.ROW // 2) == time.tip
    assert win.budget.tip_at(4 + win.budget.ROW * 50) == ""


def minutes(total: int) -> str:
    return wording.minutes(total)
