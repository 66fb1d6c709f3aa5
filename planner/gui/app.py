"""Starting the desktop app (and its screenshot mode) from parsed CLI arguments.

The window opens on the user's own planning, kept in the store: the same
decisions, calendars and week as last time. ``--demo`` keeps its own store, so
trying the demo never touches the user's; a screenshot keeps nothing, so the
picture is the same on every machine.

An exception nobody caught (in a Qt slot, on a thread) is a bug: the
:class:`BugReporter` keeps its traceback in planner.log and tells the user in one
sentence where that log is, instead of a traceback on a terminal they cannot see.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from datetime import datetime, time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import __version__, resources
from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.logs import LOG_FILE, log_dir
from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings, SettingsError, load_settings
from planner.core.storage.store import ReadOnlyStoreError, Store, StoreError
from planner.core.storage.writer import SerialWriter
from planner.gui.background import GuiThreadCollector
from planner.gui.main_window import MainWindow
from planner.gui.platform_check import missing_window_libraries, window_problem
from planner.gui.setup_controller import first_start

_log = logging.getLogger(__name__)

SCREENSHOT_TIMEOUT_MS = 60_000
DESKTOP_ID = "io.github.planner.Planner"


def make_session(
    args: argparse.Namespace,
    settings: Settings,
    store: Store | None = None,
    settings_path: Path | None = None,
) -> Session:
    """The session over the calendars named on the command line (or the demo week), and
    what the user imported and decided before when there is a store."""
    demo = args.demo and not (args.commitments or args.candidates)
    path = settings_path if settings_path is not None else args.settings
    if store is None:
        return Session(
            calendar_loader(args.commitments, args.candidates, demo=demo),
            settings,
            settings_path=path,
        )
    return saved.open_session(
        store,
        settings,
        settings_path=path,
        commitments=args.commitments,
        candidates=args.candidates,
        demo=demo,
    )


def _settings(args: argparse.Namespace) -> tuple[Settings, Path | None]:
    """The settings and the file a change to them is written to (raises SettingsError)."""
    if args.settings:
        return load_settings(args.settings), args.settings
    if args.demo:
        return demo_settings(), None  # the demo's rules are not the user's
    if args.screenshot:
        return Settings(), None
    return saved.user_settings(None)


def _open_store(args: argparse.Namespace) -> tuple[Store | None, str]:
    """The store for this run, or None with the reason (shown in the window)."""
    if args.screenshot:
        return None, ""
    try:
        store = saved.open_store(demo=bool(args.demo))
    except ReadOnlyStoreError as exc:  # says already that decisions will not be kept
        return None, f"{exc}."
    except (StoreError, OSError) as exc:
        return None, f"{exc}. Your decisions in this session will not be kept."
    # A read-only folder: the planning kept there is shown and planned, and nothing new kept.
    return store, f"{store.read_only}." if store.read_only else ""


# Harmless notices of Qt's headless platform, which say nothing to a user.
QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind == QtMsgType.QtDebugMsg or message in QUIET_QT_MESSAGES:
        return
    print(f"qt: {message}", file=sys.stderr)


class BugReporter(QObject):
    """The window's ``sys.excepthook`` and ``threading.excepthook``: an exception nobody
    caught is logged with its traceback and said in one sentence, in a message box.

    Qt calls a slot from its event loop, so an exception in one has nowhere to go but
    the hook; without it the window's user sees nothing at all. The box is shown on the
    GUI thread whichever thread failed (the signal is queued there), and one at a time:
    a slot failing on every repaint must not stack boxes. Without ``interactive`` (a
    screenshot, which nobody watches) the sentence goes to stderr instead of a box.
    """

    _failed = Signal()

    def __init__(self, parent: QObject | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self._failed.connect(self._show)
        self._interactive = interactive
        self._showing = False
        self._previous: tuple[object, object] | None = None

    def install(self) -> None:
        """Take over both hooks (until :meth:`uninstall`)."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def uninstall(self) -> None:
        """Give the hooks back as they were."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def excepthook(
        self,
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in the terminal: not a bug
            sys.__excepthook__(kind, error, trace)
            return
        _log.error("Unexpected error (a bug)", exc_info=(kind, error, trace))
        self._failed.emit()

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # a thread that chose to end: as Python's default
            return
        name = args.thread.name if args.thread is not None else "a thread"
        _log.error(
            "Unexpected error in %s (a bug)",
            name,
            exc_info=args.exc_value,  # its __traceback__ is the thread's
        )
        self._failed.emit()

    def _show(self) -> None:
        if not self._interactive:
            print(f"planner: {bug_message(log_dir())}", file=sys.stderr)
            return
        if self._showing:
            return
        self._showing = True
        try:
            QMessageBox.critical(
                QApplication.activeWindow(), "planner hit a bug", bug_message(log_dir())
            )
        finally:
            self._showing = False


def bug_message(folder: Path) -> str:
    """The sentence a bug gets in the window: no traceback, and where the details are."""
    return (
        "Something went wrong that planner did not expect (a bug). The details are in "
        f"{LOG_FILE} in {folder} (Help > Open log folder)."
    )


def run_app(args: argparse.Namespace) -> int:
    try:
        settings, settings_path = _settings(args)
    except SettingsError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return 2
    missing = missing_window_libraries()
    if missing:
        print(window_problem(missing), file=sys.stderr)
        return 2
    qInstallMessageHandler(_qt_messages)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("planner")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("planner")
    app.setWindowIcon(QIcon(str(resources.path("icons", "planner.svg"))))
    app.setDesktopFileName(DESKTOP_ID)  # Wayland and docks match the window to its .desktop
    reporter = BugReporter(app, interactive=not args.screenshot)
    reporter.install()
    try:
        return _run_window(app, args, settings, settings_path)
    finally:
        reporter.uninstall()


def _run_window(
    app: QApplication, args: argparse.Namespace, settings: Settings, settings_path: Path | None
) -> int:
    # Python's cyclic collector, never on a reading thread (see planner.gui.background).
    collector = GuiThreadCollector(app)
    store, store_problem = _open_store(args)
    today = datetime.now(settings.zone).date()
    kept = saved.kept_week(store, today) if store is not None else None
    week_day = args.week or (DEMO_WEEK if args.demo else kept or today)
    # No week asked for or kept from last time: open where the candidates are.
    seek = not (args.week or args.demo or args.screenshot or kept)
    now = None
    if args.screenshot:
        # A screenshot shows the week as on its Monday evening, whatever today is,
        # so the image is the same on every machine.
        now = datetime.combine(week_day, time(18, 0), tzinfo=settings.zone)
    window = MainWindow(
        make_session(args, settings, store, settings_path),
        week_day,
        now=now,
        ask_consent=not args.screenshot,
        remember_layout=not args.screenshot,  # a screenshot looks the same on every machine
        seek_candidates=seek,
    )
    if args.screenshot:
        return _screenshot(app, window, args.screenshot, args.size)
    if store is not None:  # a slow disk must not freeze the window: write on one worker
        window.session.use_writer(SerialWriter(window.written.emit))
    opened = [str(f) for f in getattr(args, "open", [])]
    if opened:
        QTimer.singleShot(0, lambda: window.files.import_files(opened))
    elif not (args.demo or args.commitments or args.candidates or args.settings) and first_start(
        window.session
    ):
        QTimer.singleShot(0, window.setup.run)  # the window first, then the setup over it
    window.show()
    if store_problem:
        QMessageBox.warning(window, "planner cannot keep your decisions", store_problem)
    try:
        return app.exec()
    finally:
        window.session.writer.close()  # writes what is still queued, then stops the worker
        collector.stop()
        if store is not None:
            store.close()


def _screenshot(
    app: QApplication, window: MainWindow, target: Path, size: tuple[int, int] | None = None
) -> int:
    outcome = {"code": 1}

    def grab() -> None:
        plan = window.plan
        if plan is not None and plan.chosen:
            # Show why the most valuable proposal was chosen, as a user would click it.
            best = max(plan.chosen, key=lambda d: (d.trip_to is not None, d.value))
            window.select_event(best.event.key)
        window.show()
        app.processEvents()
        if window.grab().save(str(target)):
            print(f"planner: screenshot saved to {target}")
            outcome["code"] = 0
        else:
            print(f"planner: could not write {target}", file=sys.stderr)
        app.quit()

    def failed(message: str) -> None:
        print(f"planner: planning failed: {message}", file=sys.stderr)
        app.quit()

    if size is not None:
        window.resize(*size)
    # Once the plan is shown and the events it posted (layout, selection) have run: grab()
    # renders the window itself, so no fixed delay is needed.
    window.planned.connect(lambda: QTimer.singleShot(0, grab))
    window.planFailed.connect(failed)
    QTimer.singleShot(
        SCREENSHOT_TIMEOUT_MS,
        lambda: (print("planner: timed out waiting for the plan", file=sys.stderr), app.quit()),
    )
    window.show()
    app.exec()
    return outcome["code"]
