"""Importing from the window: file dialog, import dialog, re-plan; and no frozen window."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.session import Session, calendar_loader
from planner.gui import files_controller
from planner.gui.import_dialog import ImportDialog, State
from planner.gui.main_window import MainWindow

TZ = ZoneInfo("America/Toronto")


@pytest.fixture
def window(qtbot):
    # On the demo week's Monday morning: the week on screen has candidates ahead, so an
    # import keeps it.
    now = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    win = MainWindow(Session(calendar_loader(demo=True), demo_settings()), DEMO_WEEK, now=now)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    return win


def meetup_feed(path: Path, count: int = 1, start: datetime | None = None) -> Path:
    """A Meetup-style feed (its PRODID makes the dialog suggest "candidates")."""
    first = start or datetime(2026, 11, 25, 7, 0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Meetup//Meetup Events v1.0//EN"]
    for i in range(count):
        begin = first + timedelta(hours=7 * i)
        lines += [
            "BEGIN:VEVENT",
            f"UID:feed-{i}@meetup.com",
            f"SUMMARY:Imported breakfast {i}",
            f"DTSTART;TZID=America/Toronto:{begin:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=America/Toronto:{begin + timedelta(minutes=45):%Y%m%dT%H%M%S}",
            "LOCATION:Online event",
            f"URL:https://www.meetup.com/durham-tech/events/{1000 + i}/",
            "DESCRIPTION:A morning coffee hour for people in tech around Durham Region.",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def accept_the_dialog_once_read(qtbot, path: Path) -> None:
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog) and w.isVisible()
    )
    qtbot.waitUntil(lambda: dialog.state_of(path) is State.READ, timeout=20_000)
    dialog.accept()


def test_file_import_offers_the_preview_and_replans_with_the_new_events(
    window, qtbot, monkeypatch, tmp_path
):
    feed = meetup_feed(tmp_path / "durham-tech.ics")
    monkeypatch.setattr(
        files_controller.QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *args, **kwargs: ([str(feed)], "")),
    )
    QTimer.singleShot(0, lambda: accept_the_dialog_once_read(qtbot, feed))
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.files.import_files()
    assert any(d.event.uid == "feed-0@meetup.com" for d in window.plan.decisions)
    assert window.session.state.sources[0].role == "candidates"
    assert window.decisions.undo_action.text().startswith("&Undo Import durham-tech.ics")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo_action.trigger()
    assert not any(d.event.uid == "feed-0@meetup.com" for d in window.plan.decisions)


def test_a_cancelled_import_changes_nothing(window, qtbot, tmp_path):
    feed = meetup_feed(tmp_path / "feed.ics")

    def cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog))
        dialog.reject()

    QTimer.singleShot(0, cancel)
    window.files.import_files([str(feed)])
    assert window.session.state.sources == ()
    assert window.session.undo_label == ""


def test_a_big_calendar_imported_from_the_window_is_planned(window, qtbot, tmp_path):
    """A year of a busy feed: 1,250 events, 40 of them in the week on screen. (That the
    window never stalls meanwhile is measured in tests/perf, ``pytest -m perf``.)"""
    feed = meetup_feed(tmp_path / "big.ics", 1250, datetime(2026, 8, 3, 7, 0))
    QTimer.singleShot(0, lambda: accept_the_dialog_once_read(qtbot, feed))
    with qtbot.waitSignal(window.planned, timeout=60_000):
        window.files.import_files([str(feed)])
    assert sum(1 for d in window.plan.decisions if d.event.uid.startswith("feed-")) >= 20
