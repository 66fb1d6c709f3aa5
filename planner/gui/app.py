"""Starting the desktop app (and its screenshot mode) from parsed CLI arguments."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from planner import __version__, resources
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings, SettingsError, load_settings
from planner.gui.main_window import MainWindow
from planner.gui.platform_check import missing_window_libraries, window_problem

SCREENSHOT_TIMEOUT_MS = 60_000


def make_session(args: argparse.Namespace, settings: Settings) -> Session:
    """The session over the calendars named on the command line (or the demo week)."""
    demo = args.demo and not (args.commitments or args.candidates)
    return Session(
        calendar_loader(args.commitments, args.candidates, demo=demo),
        settings,
        settings_path=args.settings,
    )


# Harmless notices of Qt's headless platform, which say nothing to a user.
QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if kind == QtMsgType.QtDebugMsg or message in QUIET_QT_MESSAGES:
        return
    print(f"qt: {message}", file=sys.stderr)


def run_app(args: argparse.Namespace) -> int:
    try:
        settings = (
            load_settings(args.settings)
            if args.settings
            else demo_settings()
            if args.demo
            else Settings()
        )
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
    week_day = args.week or (DEMO_WEEK if args.demo else datetime.now(settings.zone).date())
    now = None
    if args.screenshot:
        # A screenshot shows the week as on its Monday evening, whatever today is,
        # so the image is the same on every machine.
        now = datetime.combine(week_day, time(18, 0), tzinfo=settings.zone)
    window = MainWindow(
        make_session(args, settings),
        week_day,
        now=now,
        ask_consent=not args.screenshot,
        remember_layout=not args.screenshot,  # a screenshot looks the same on every machine
    )
    if args.screenshot:
        return _screenshot(app, window, args.screenshot, args.size)
    opened = [str(f) for f in getattr(args, "open", [])]
    if opened:
        QTimer.singleShot(0, lambda: window.import_files(opened))
    elif not (args.demo or args.commitments or args.candidates):
        window.statusBar().showMessage(
            "No calendars given: start with `planner --demo` to see an example week, "
            "or pass --commitments and --candidates .ics files."
        )
    window.show()
    return app.exec()


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
    window.planned.connect(lambda: QTimer.singleShot(50, grab))
    window.planFailed.connect(failed)
    QTimer.singleShot(
        SCREENSHOT_TIMEOUT_MS,
        lambda: (print("planner: timed out waiting for the plan", file=sys.stderr), app.quit()),
    )
    window.show()
    app.exec()
    return outcome["code"]
