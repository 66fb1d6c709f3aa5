"""Did you go? in the window (the bar at the top of the details, the context menu, the Edit
menu), and View > History: its charts' geometry matches the numbers, and it is not
imported on the window's start path."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QInputDialog

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Mark
from planner.core.storage.history import WeekNumbers
from planner.core.storage.store import Store
from planner.gui.history_chart import HistoryChart
from planner.gui.main_window import MainWindow

ZONE = demo_settings().zone
AFTER = datetime(2026, 11, 29, 23, 0, tzinfo=ZONE)  # the demo week's Sunday night: all over
BEFORE = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # its Monday morning: nothing over yet


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def open_window(qtbot, store: Store, now: datetime) -> MainWindow:
    session = saved.open_session(store, demo_settings(), demo=True)
    window = MainWindow(session, DEMO_WEEK, now=now, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def proposed_key(window: MainWindow) -> str:
    assert window.plan is not None and window.plan.chosen
    return window.plan.chosen[0].event.key


def planned_then_over(qtbot, store: Store) -> MainWindow:
    """The week planned on its Monday morning (recorded), then opened once it is over: in
    the week under way only what was planned while ahead stays proposed."""
    open_window(qtbot, store, BEFORE).close()
    return open_window(qtbot, store, AFTER)


def test_marking_a_past_event_from_the_details_bar_the_menu_and_undo(qtbot, store, monkeypatch):
    window = planned_then_over(qtbot, store)
    key = proposed_key(window)
    bar = window.attendance.bar
    window.select_event(key)
    assert bar.isVisible() and bar.text.text() == "Did you go? Not said yet."
    assert window.attendance.attended_action.isEnabled()

    with qtbot.waitSignal(window.planned, timeout=30_000):
        bar.attended.click()
    assert window.session.choices.marks == {key: Mark("attended")}
    assert bar.attended.isChecked() and not bar.skipped.isChecked()
    assert bar.text.text() == "You went."

    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *_args: ("Met Priya; send the deck", True)
    )
    with qtbot.waitSignal(window.planned, timeout=30_000):
        bar.note.click()
    assert bar.text.text() == "You went. Note: Met Priya; send the deck"

    menu = window.attendance.menu_for(key)
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["Did you go?", "&Attended", "&Skipped", "&Note…"]
    assert actions["&Attended"].isChecked() and not actions["&Skipped"].isChecked()
    with qtbot.waitSignal(window.planned, timeout=30_000):
        actions["&Skipped"].trigger()
    menu.deleteLater()
    window.session.flush()
    assert store.load_choices().marks == {key: Mark("skipped", "Met Priya; send the deck")}
    assert bar.text.text() == "You did not go. Note: Met Priya; send the deck"

    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo()
    assert window.session.choices.marks[key].went == "attended"
    window.session.flush()
    assert [r.outcome for r in store.recorded(AFTER - timedelta(days=7), AFTER)].count(
        "attended"
    ) == 1


def test_an_event_not_over_offers_no_marks(qtbot, store):
    window = open_window(qtbot, store, BEFORE)
    key = proposed_key(window)
    window.select_event(key)
    assert not window.attendance.bar.isVisible()
    assert window.attendance.menu_for(key) is None
    assert not window.attendance.attended_action.isEnabled()
    window.attendance.mark(key, "attended")  # nothing happens, even when asked
    assert window.session.choices.marks == {}


def test_the_history_view_opens_on_the_weeks_kept(qtbot, store):
    window = planned_then_over(qtbot, store)
    key = proposed_key(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.attendance.mark(key, "attended")
    window.show_history()
    dialog = window.history_dialog
    qtbot.waitExposed(dialog)
    weeks = dialog.chart.weeks()
    assert len(weeks) == 26 and weeks[-1].week_start == DEMO_WEEK
    assert weeks[-1].attended == 1 and weeks[-1].networked
    assert dialog.table.rowCount() == 26
    assert dialog.table.item(0, 0).text() == "23 Nov 2026"  # the latest week first
    assert dialog.table.item(0, 1).text() == "1"
    assert "1 attended" in dialog.chart.accessibleDescription()
    dialog.span.setCurrentText("Last 3 months")
    assert len(dialog.chart.weeks()) == 13
    dialog.close()


def week(day: int, hours: float, attended: int, skipped: int = 0, **categories: int):
    monday = date(2026, 9, 7) + timedelta(weeks=day)
    return WeekNumbers(monday, attended, 0, skipped, hours, dict(categories))


def test_the_charts_bars_are_as_high_as_their_numbers(qtbot):
    chart = HistoryChart()
    qtbot.addWidget(chart)
    weeks = [
        week(0, 3.0, 2, professional=1, social=1),
        week(1, 0.0, 0, skipped=1),
        week(2, 7.5, 3, professional=3),
        week(3, 1.5, 1, tech=1),
    ]
    chart.set_weeks(weeks)
    geo = chart.geometry_for(800.0, 500.0)
    assert geo.hours_top == 10 and geo.events_top == 5  # round tops over 7.5 h and 3
    room = geo.hour_area.height()
    for bar, numbers in zip(geo.hour_bars, weeks, strict=True):
        assert bar.height() == pytest.approx(numbers.hours / 10 * room)
        assert bar.bottom() == pytest.approx(geo.hour_area.bottom())
    assert [len(parts) for parts in geo.category_bars] == [2, 0, 1, 1]
    for parts, numbers in zip(geo.category_bars, weeks, strict=True):
        total = sum(rect.height() for _name, rect in parts)
        assert total == pytest.approx(numbers.events / 5 * geo.category_area.height())
        for name, rect in parts:
            assert rect.height() == pytest.approx(numbers.categories[name] / 5 * room)
    assert geo.categories == ("professional", "social", "tech")
    lefts = [bar.left() for bar in geo.hour_bars]
    assert lefts == sorted(lefts) and len(geo.squares) == 4
    assert [w.networked for w in weeks] == [True, False, True, True]
    colours = {chart.category_colour(n).name() for n in geo.categories}
    assert len(colours) == 3  # each category its own colour
    chart.resize(800, 500)
    chart.grab()  # paints without error


def test_the_history_view_is_not_imported_when_the_window_starts():
    code = (
        "import sys, planner.gui.main_window, planner.gui.app; "
        "print(sorted(m for m in sys.modules if m.startswith('planner.gui.history')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
