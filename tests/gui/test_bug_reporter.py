"""A bug in the window: its traceback in the log, one sentence in a message box."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer

from planner.core import logs
from planner.gui import app as gui_app
from planner.gui.app import BugReporter


class BoomError(Exception):
    """What the tests make planner's code raise, so nothing else matches it."""


@pytest.fixture
def reporter(qapp, monkeypatch, tmp_path):
    """A reporter holding the hooks for one test; the boxes it shows are recorded, not shown."""
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "logs"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        gui_app.QMessageBox,
        "critical",
        lambda _parent, title, text: shown.append((title, text)),
    )
    hooks = BugReporter()
    hooks.shown = shown  # type: ignore[attr-defined]
    hooks.install()
    yield hooks
    hooks.uninstall()
    hooks.deleteLater()


def _raise() -> None:
    raise BoomError("the plan has no week")


def test_an_exception_in_a_slot_is_logged_and_said_in_one_sentence(reporter, qtbot, caplog):
    caplog.set_level(logging.ERROR, logger="planner")
    QTimer.singleShot(0, _raise)
    qtbot.waitUntil(lambda: bool(reporter.shown))
    ((title, text),) = reporter.shown
    assert title == "planner hit a bug"
    assert "did not expect (a bug)" in text
    assert f"planner.log in {logs.log_dir()}" in text
    assert "Traceback" not in text and "BoomError" not in text
    (record,) = [r for r in caplog.records if r.exc_info]
    assert record.exc_info[0] is BoomError
    assert record.name == "planner.gui.app"


def test_an_exception_on_a_thread_is_shown_on_the_gui_thread(reporter, qtbot, caplog):
    caplog.set_level(logging.ERROR, logger="planner")
    worker = threading.Thread(target=_raise, name="reader")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(reporter.shown))
    assert len(reporter.shown) == 1
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "reader" in record.getMessage()
    assert isinstance(record.exc_info[1], BoomError)


def test_the_traceback_goes_to_planner_log(reporter, qtbot, monkeypatch, tmp_path):
    logger = logging.getLogger("planner")
    kept = list(logger.handlers)
    for handler in kept:
        logger.removeHandler(handler)
    try:
        path = logs.setup_logging()
        assert path == tmp_path / "logs" / "planner.log"
        try:
            _raise()
        except BoomError:
            reporter.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: bool(reporter.shown))
        for handler in logger.handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "Traceback" in text and "BoomError: the plan has no week" in text
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        for handler in kept:
            logger.addHandler(handler)


def test_the_hooks_are_given_back(qapp):
    before = (sys.excepthook, threading.excepthook)
    hooks = BugReporter()
    hooks.install()
    assert sys.excepthook == hooks.excepthook
    hooks.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    hooks.deleteLater()


def test_without_a_watcher_the_sentence_goes_to_stderr(qapp, capsys):
    hooks = BugReporter(interactive=False)
    hooks.install()
    try:
        try:
            _raise()
        except BoomError:
            sys.excepthook(*sys.exc_info())
        assert "did not expect (a bug)" in capsys.readouterr().err
    finally:
        hooks.uninstall()
        hooks.deleteLater()
