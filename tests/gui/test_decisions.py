"""Deciding in the window: drag to commit, drag off or Delete to refuse, undo and redo."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Reason
from planner.core.session import Session, calendar_loader
from planner.gui.event_mime import ICS_MIME, KEY_MIME, mime_for, read_drop
from planner.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot):
    win = MainWindow(Session(calendar_loader(demo=True), demo_settings()), DEMO_WEEK)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    return win


def decision(window, key):
    return next(d for d in window.plan.decisions if d.event.key == key)


def drop_on(widget, mime: QMimeData, qtbot, window) -> None:
    """Deliver a drag through Qt's own drag-enter and drop events, as a real drag does."""
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.planned, timeout=30_000):
        QApplication.sendEvent(widget, drop)


def test_the_drag_payload_is_real_icalendar(window):
    event = window.plan.decisions[0].event
    mime = mime_for(event)
    assert mime.hasFormat(ICS_MIME) and mime.hasFormat(KEY_MIME)
    ics = bytes(mime.data(ICS_MIME).data())
    assert ics.startswith(b"BEGIN:VCALENDAR") and f"UID:{event.uid}".encode() in ics
    assert read_drop(mime).key == event.key


def test_dropping_a_candidate_on_the_week_commits_to_it_and_replans(window, qtbot):
    left_out = next(d for d in window.plan.decisions if not d.chosen and d.event.place.virtual)
    drop_on(window.week_view, mime_for(left_out.event), qtbot, window)
    pinned = decision(window, left_out.event.key)
    assert pinned.chosen and pinned.reason is Reason.PINNED
    assert (
        window.decisions.undo_action.isEnabled()
        and "Commit to" in window.decisions.undo_action.text()
    )
    # Undo and redo, through the menu actions the shortcuts trigger.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo_action.trigger()
    assert decision(window, left_out.event.key).reason is not Reason.PINNED
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.redo_action.trigger()
    assert decision(window, left_out.event.key).reason is Reason.PINNED


def test_committing_to_a_clash_says_which_rule_and_undo_takes_it_back(window, qtbot):
    clash = next(d for d in window.plan.decisions if d.reason is Reason.CONFLICT)
    drop_on(window.week_view, mime_for(clash.event), qtbot, window)
    assert window.notice.isVisible()
    assert "breaks a rule" in window.notice.message.text()
    assert "clashes with" in window.notice.message.text()
    with qtbot.waitSignal(window.planned, timeout=30_000):
        qtbot.mouseClick(window.notice.undo, Qt.MouseButton.LeftButton)
    assert not window.notice.isVisible()
    assert decision(window, clash.event.key).reason is Reason.CONFLICT


def test_keeping_a_clash_keeps_it(window, qtbot):
    clash = next(d for d in window.plan.decisions if d.reason is Reason.CONFLICT)
    drop_on(window.week_view, mime_for(clash.event), qtbot, window)
    qtbot.mouseClick(window.notice.keep, Qt.MouseButton.LeftButton)
    assert not window.notice.isVisible()
    assert decision(window, clash.event.key).chosen


def test_dragging_an_event_off_the_week_onto_the_list_refuses_it(window, qtbot):
    proposed = window.plan.chosen[0]
    drop_on(window.table.viewport(), mime_for(proposed.event), qtbot, window)
    assert decision(window, proposed.event.key).reason is Reason.REFUSED


def test_a_drag_out_of_the_week_let_go_nowhere_refuses(window, qtbot, monkeypatch):
    proposed = window.plan.chosen[0]
    from planner.gui import decisions_controller

    monkeypatch.setattr(
        decisions_controller.QDrag, "exec", lambda self, *a, **k: Qt.DropAction.IgnoreAction
    )
    outside = window.week_view.mapToGlobal(QPoint(-50, -50))
    monkeypatch.setattr(decisions_controller.QCursor, "pos", staticmethod(lambda: outside))
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.week_view.dragRequested.emit(proposed.event.key)
    assert decision(window, proposed.event.key).reason is Reason.REFUSED


def test_a_drag_let_go_back_on_the_week_changes_nothing(window, qtbot, monkeypatch):
    proposed = window.plan.chosen[0]
    from planner.gui import decisions_controller

    monkeypatch.setattr(
        decisions_controller.QDrag, "exec", lambda self, *a, **k: Qt.DropAction.IgnoreAction
    )
    inside = window.week_view.mapToGlobal(QPoint(20, 20))
    monkeypatch.setattr(decisions_controller.QCursor, "pos", staticmethod(lambda: inside))
    window.week_view.dragRequested.emit(proposed.event.key)
    assert window.session.undo_label == ""


def test_delete_refuses_the_selected_event_and_undo_brings_it_back(window, qtbot):
    proposed = window.plan.chosen[0]
    window.select_event(proposed.event.key)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.refuse_action.trigger()
    assert decision(window, proposed.event.key).reason is Reason.REFUSED
    assert window.decisions.refuse_action.shortcut().toString() == "Del"
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo_action.trigger()
    assert decision(window, proposed.event.key).chosen


def test_rating_in_the_list_is_an_undoable_decision(window, qtbot):
    event = window.plan.chosen[0].event  # fits: only its stars can leave it out
    row = window.model.row_of(event.key)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.model.starsEdited.emit(event.key, 0)
    assert window.session.choices.stars[event.key] == 0
    assert decision(window, event.key).reason is Reason.NO_VALUE
    assert row >= 0
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo_action.trigger()
    assert event.key not in window.session.choices.stars
    assert decision(window, event.key).chosen


def test_keyboard_steps_through_the_week(window, qtbot):
    window.week_view.setFocus()
    window.week_view.select("")
    qtbot.keyClick(window.week_view, Qt.Key.Key_Right)
    first = window.week_view.selected_key()
    assert first and window.details.text()  # the details follow the keyboard
    qtbot.keyClick(window.week_view, Qt.Key.Key_Right)
    assert window.week_view.selected_key() != first
    qtbot.keyClick(window.week_view, Qt.Key.Key_Left)
    assert window.week_view.selected_key() == first


def test_dropping_ics_files_on_the_window_offers_them_for_import(window, monkeypatch, tmp_path):
    offered = []
    monkeypatch.setattr(window.files, "import_files", lambda paths=None: offered.append(paths))
    calendar = tmp_path / "meetup.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(calendar)), QUrl.fromLocalFile(str(tmp_path / "x.txt"))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    assert offered == [[str(calendar)]]
