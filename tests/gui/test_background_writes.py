"""The window with the session's writes on a background writer, as the app runs it: a
failure is said once, on the GUI thread; closing, backing up and restoring wait for
every pending write."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QMessageBox

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.storage.store import Store
from planner.core.storage.writer import SerialWriter
from planner.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _background_work_done():
    yield
    QThreadPool.globalInstance().waitForDone(20_000)


def open_window(qtbot, store: Store) -> MainWindow:
    """The window over ``store``, writing as :func:`planner.gui.app.main` makes it."""
    session = saved.open_session(store, demo_settings(), demo=True)
    window = MainWindow(session, DEMO_WEEK, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    window.session.use_writer(SerialWriter(window.written.emit))
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def held(store: Store) -> threading.Event:
    """Make the store's state writes wait for the returned event, which a timer thread sets
    a moment later: whatever must wait for them (closing, backing up) can only pass if
    it really waits."""
    gate = threading.Event()

    def held_back(write):
        def slow(*args):
            gate.wait()
            return write(*args)

        return slow

    store.record_step, store.move_step = held_back(store.record_step), held_back(store.move_step)
    threading.Timer(0.2, gate.set).start()
    return gate


def test_a_failed_background_write_is_said_once_on_the_gui_thread(qtbot, tmp_path, monkeypatch):
    store = Store.open(tmp_path / "p.sqlite3")
    window = open_window(qtbot, store)
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda *args: warnings.append((threading.current_thread().name, args[2])),
    )
    store.close()
    first, second = window.plan.decisions[0].event, window.plan.decisions[1].event
    # Each change brings several writes (the decisions, then the re-planned week's history),
    # each reported by `written`: wait for what they lead to, not for one emission.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(first)
    qtbot.waitUntil(lambda: len(warnings) == 1, timeout=30_000)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(second)
    window.session.flush()
    QCoreApplication.processEvents()  # the queued `written` reports reach the window
    window.close()
    window.session.writer.close()
    assert len(warnings) == 1
    thread, text = warnings[0]
    assert thread == threading.main_thread().name
    assert "could not be saved" in text
    assert {first.key, second.key} <= window.session.choices.refused  # kept for this session


def test_closing_the_window_waits_for_every_pending_write(qtbot, tmp_path):
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        window = open_window(qtbot, store)
        events = [d.event for d in window.plan.decisions[:6]]
        gate = held(store)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            for event in events:
                window.session.refuse(event)
        window.close()
        assert gate.is_set()
        assert store.load_choices().refused == {e.key for e in events}
        window.session.writer.close()


def test_a_backup_holds_the_last_change_and_a_restore_is_not_overwritten(qtbot, tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        window = open_window(qtbot, store)
        first, second = window.plan.decisions[0].event, window.plan.decisions[1].event
        gate = held(store)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.session.refuse(first)
        backup = tmp_path / "backup.sqlite3"
        window.files.back_up(str(backup))
        assert gate.is_set()
        gate = held(store)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.session.refuse(second)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.files.restore(str(backup), confirm=False)
        assert gate.is_set()
        window.session.flush()
        assert window.session.choices.refused == {first.key}
        assert store.load_choices().refused == {first.key}
        assert window.session.save_problem == ""
        window.close()
        window.session.writer.close()
    with Store.open(backup) as kept:
        assert kept.load_choices().refused == {first.key}
