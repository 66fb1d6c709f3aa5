"""The main window on the bundled demo week: what a stranger sees."""

import html
from datetime import date, datetime

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Reason
from planner.core.session import Session, calendar_loader
from planner.gui.calendar_item import ItemKind
from planner.gui.candidate_model import COLUMNS, KEY_ROLE
from planner.gui.main_window import MainWindow

# The Sunday evening before the demo week: no week these tests show is under way.
BEFORE_THE_DEMO = datetime(2026, 11, 22, 18, 0, tzinfo=demo_settings().zone)


def demo_session() -> Session:
    return Session(calendar_loader(demo=True), demo_settings())


@pytest.fixture
def window(qtbot):
    win = MainWindow(demo_session(), DEMO_WEEK, now=BEFORE_THE_DEMO)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    return win


def test_window_shows_the_planned_demo_week(window):
    plan = window.plan
    assert plan is not None and plan.optimal
    assert len(plan.chosen) >= 2
    assert window.model.rowCount() == len(plan.decisions) >= 40
    assert "Week of 23 November 2026" in window.headline.text()
    assert f"{len(plan.chosen)} events planned" in window.headline.text()
    # Every proposed event is drawn on the week, with its travel before and after.
    for d in plan.chosen:
        assert window.week_view.item_rect(d.event.key) is not None
    kinds = [item.kind for item in window.week_view._items]
    assert kinds.count(ItemKind.PROPOSED) + kinds.count(ItemKind.PINNED) == len(plan.chosen)
    assert kinds.count(ItemKind.TRAVEL) >= len([d for d in plan.chosen if d.trip_to])
    assert ItemKind.COMMITMENT in kinds and ItemKind.PROTECTED in kinds


def test_every_left_out_candidate_says_why_in_the_table(window):
    model = window.model
    why = COLUMNS.index("Why")
    status = COLUMNS.index("Status")
    reasons = set()
    for row in range(model.rowCount()):
        d = model.decision(row)
        text = model.data(model.index(row, why))
        assert text and text == d.explanation
        assert model.data(model.index(row, status)) in ("proposed", "left out", "committed")
        if not d.chosen:
            reasons.add(d.reason)
    assert {Reason.CONFLICT, Reason.PROTECTED, Reason.TRAVEL} <= reasons
    clash = next(
        model.decision(r)
        for r in range(model.rowCount())
        if model.decision(r).reason is Reason.CONFLICT
    )
    assert clash.explanation.startswith("clashes with ")


def test_selecting_in_the_week_selects_the_row_and_shows_details(window, qtbot):
    chosen = next(d for d in window.plan.chosen if d.trip_to is not None)
    rect = window.week_view.item_rect(chosen.event.key)
    window.week_view.itemActivated.emit(chosen.event.key)
    current = window.table.currentIndex()
    assert window.proxy.data(current, KEY_ROLE) == chosen.event.key
    assert html.escape(chosen.event.summary) in window.details.text()
    assert "Leave" in window.details.text()
    assert rect is not None


def test_selecting_a_row_highlights_the_event(window):
    row = next(
        r
        for r in range(window.proxy.rowCount())
        if window.proxy.data(window.proxy.index(r, 0), KEY_ROLE)
    )
    window.table.selectRow(row)
    key = window.proxy.data(window.proxy.index(row, 0), KEY_ROLE)
    assert window.week_view.selected_key() == key


def test_filter_narrows_the_list(window):
    total = window.proxy.rowCount()
    window.filters.text.setText("protected")
    assert 0 < window.proxy.rowCount() < total
    window.filters.text.setText("")
    assert window.proxy.rowCount() == total


def test_next_week_replans_the_shifted_demo(window, qtbot):
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(7)
    assert window.plan.week_start.date() == date(2026, 11, 30)
    assert window.plan.chosen


def test_export_writes_the_attend_list(window, tmp_path):
    target = tmp_path / "attend.ics"
    window.files.export_ics(str(target))
    text = target.read_text()
    assert text.count("BEGIN:VEVENT") >= len(window.plan.chosen)
    assert "BEGIN:VALARM" in text
    csv_target = tmp_path / "attend.csv"
    window.files.export_csv(str(csv_target))
    assert len(csv_target.read_text().splitlines()) == len(window.plan.chosen) + 1


def test_all_three_exports_read_back(window, tmp_path):
    import csv

    import icalendar
    from pypdf import PdfReader

    chosen = window.plan.chosen
    window.files.export_ics(str(tmp_path / "attend.ics"))
    calendar = icalendar.Calendar.from_ical((tmp_path / "attend.ics").read_bytes())
    summaries = {str(c["SUMMARY"]) for c in calendar.walk("VEVENT")}
    assert {d.event.summary for d in chosen} <= summaries
    window.files.export_csv(str(tmp_path / "attend.csv"))
    with (tmp_path / "attend.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["title"] for r in rows] == [d.event.summary for d in chosen]
    window.files.export_pdf(str(tmp_path / "agenda.pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "agenda.pdf").pages)
    for d in chosen:
        assert d.leave_at.strftime("%H:%M") in text


def test_the_window_remembers_its_size_and_layout(qtbot):
    first = MainWindow(demo_session(), DEMO_WEEK)
    qtbot.addWidget(first)
    first.resize(760, 540)  # inside the offscreen screen (800x600)
    first.show()
    qtbot.waitExposed(first)
    first.split.setSizes([300, 440])
    sizes = first.split.sizes()
    first.close()
    second = MainWindow(demo_session(), DEMO_WEEK)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (760, 540)
    assert second.split.sizes() == sizes
    second.close()


def test_help_opens_the_log_folder_made_first(window, monkeypatch, tmp_path):
    folder = tmp_path / "logs" / "planner"
    monkeypatch.setenv("PLANNER_LOG_DIR", str(folder))
    opened = []

    def open_url(url):
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    [help_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    [action] = [a for a in help_menu.actions() if a.text() == "Open &log folder"]
    action.trigger()
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert folder.is_dir()
