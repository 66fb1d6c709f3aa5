"""The window and the terminal share one undo history: a decision made with
``planner refuse`` while the window is open shows in the window when it is activated,
its Edit > Undo names it, and undoing it there takes it back in the store too.

The terminal command runs in this process through ``planner.cli.main.main`` with the
test's own data and config folders, over its own connection to the store, as a second
process would.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from planner import resources
from planner.cli.main import main
from planner.core import saved
from planner.core.demo import DEMO_WEEK
from planner.core.model import Source
from planner.core.settings import load_settings
from planner.core.storage.store import Store
from planner.core.storage.writer import SerialWriter
from planner.gui.main_window import MainWindow

TALKS = "Durham Tech: Lightning Talks & Pizza"  # proposed in the demo week


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data and config folders, the demo week's calendars imported as files."""
    for name in ("DATA", "CONFIG", "CACHE", "LOG"):
        monkeypatch.setenv(f"PLANNER_{name}_DIR", str(tmp_path / name.lower()))
    settings = tmp_path / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(resources.read_text("demo", "settings.toml"), encoding="utf-8")
    sources = []
    for role in ("commitments", "candidates"):
        path = tmp_path / f"{role}.ics"
        path.write_bytes(resources.read_bytes("demo", f"{role}.ics"))
        sources.append(Source(str(path), role))
    with saved.open_store() as store:
        store.save_sources(sources)
    return tmp_path


def open_window(qtbot, store: Store, settings_file: Path) -> MainWindow:
    """The window as the app opens it: the user's session, the background writer."""
    session = saved.open_session(store, load_settings(settings_file), settings_path=settings_file)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=session.settings.zone)
    window = MainWindow(session, DEMO_WEEK, now=now, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    window.session.use_writer(SerialWriter(window.written.emit))
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def status_of(window: MainWindow, title: str) -> tuple[bool, str]:
    assert window.plan is not None
    decision = next(d for d in window.plan.decisions if d.event.summary == title)
    return decision.chosen, decision.reason.value


def test_a_refusal_made_in_the_terminal_is_undone_from_the_windows_undo_action(
    qtbot, folders, capsys
):
    settings_file = folders / "config" / "settings.toml"
    store = saved.open_store()
    window = open_window(qtbot, store, settings_file)
    assert status_of(window, TALKS) == (True, "chosen")
    assert not window.decisions.undo_action.isEnabled()
    window.store_watch.stop()  # this test is about activation (the watch has its own)

    assert main(["refuse", "lightning talks", "--week", DEMO_WEEK.isoformat()]) == 0
    assert capsys.readouterr().out.startswith(f"Refused “{TALKS}”")

    # Back to the window (the system tells it it is active again): it takes in the
    # terminal's decision, re-plans, and names it under Edit.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert window.decisions.undo_action.text() == f"&Undo Refuse “{TALKS}”"
    assert status_of(window, TALKS) == (False, "refused")

    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo_action.trigger()
    assert status_of(window, TALKS) == (True, "chosen")
    assert window.decisions.redo_action.text() == f"&Redo Refuse “{TALKS}”"
    window.session.flush()
    assert store.load_choices().refused == frozenset()

    # And the terminal sees the window's undo: redo there brings the refusal back.
    assert main(["redo"]) == 0
    assert capsys.readouterr().out.startswith(f"Redone: Refuse “{TALKS}”.")
    window.close()
    window.session.writer.close()
    store.close()
    with Store.open(folders / "data" / "planner.sqlite3") as again:
        assert len(again.load_choices().refused) == 1


def test_a_window_deciding_without_having_looked_keeps_the_terminals_decision(
    qtbot, folders, capsys
):
    settings_file = folders / "config" / "settings.toml"
    store = saved.open_store()
    window = open_window(qtbot, store, settings_file)
    assert window.plan is not None
    other = next(d.event for d in window.plan.decisions if not d.chosen)
    window.store_watch.stop()  # this test is about deciding before having looked

    assert main(["refuse", "lightning talks", "--week", DEMO_WEEK.isoformat()]) == 0
    capsys.readouterr()
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.pin(other.key)  # takes in the refusal first, then commits
    window.session.flush()
    choices = store.load_choices()
    assert choices.pinned == {other.key} and len(choices.refused) == 1
    assert window.session.choices == choices
    assert window.decisions.undo_action.text().startswith("&Undo Commit to “")
    window.close()
    window.session.writer.close()
    store.close()


def test_an_open_window_shows_the_terminals_decision_without_being_activated(
    qtbot, folders, capsys
):
    settings_file = folders / "config" / "settings.toml"
    store = saved.open_store()
    window = open_window(qtbot, store, settings_file)
    with qtbot.waitSignal(window.planned, timeout=30_000):  # the store's files changed
        assert main(["refuse", "lightning talks", "--week", DEMO_WEEK.isoformat()]) == 0
    capsys.readouterr()
    assert status_of(window, TALKS) == (False, "refused")
    assert window.decisions.undo_action.text() == f"&Undo Refuse “{TALKS}”"
    window.close()
    window.session.writer.close()
    store.close()
