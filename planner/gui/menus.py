"""The window's menus: which action goes where, and the window's own few.

The controllers make their actions (their commands, with their shortcuts);
this places them, in the order a user finds them: File, Edit, View, Help.
The View menu's actions move through the weeks and zoom, which is the
window's own business, so they call back into it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from planner.gui.actions import make_action
from planner.gui.attendance import AttendanceController
from planner.gui.decisions_controller import DecisionsController
from planner.gui.feeds_controller import FeedsController
from planner.gui.files_controller import FilesController
from planner.gui.help_controller import HelpController
from planner.gui.settings_controller import SettingsController


def fill_menus(
    window: QMainWindow,
    *,
    files: FilesController,
    feeds: FeedsController,
    decisions: DecisionsController,
    settings: SettingsController,
    help_: HelpController,
    find: Callable[[], None],
    go_week: Callable[[int], None],
    go_to_date: Callable[[], None],
    zoom: Callable[[int], None],
    replan: Callable[[], None],
    attendance: AttendanceController | None = None,
    history: Callable[[], None] | None = None,
    publish: QAction | None = None,
) -> None:
    """Fill ``window``'s menu bar; ``go_week(step_days)`` moves (0: this week)."""
    keys = QKeySequence.StandardKey
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions(
        [files.import_action, feeds.subscribe_action, feeds.sources_action, feeds.refresh_action]
    )
    file_menu.addSeparator()
    if publish is not None:  # into a CalDAV calendar (planner/gui/publish_controller.py)
        file_menu.addAction(publish)
    file_menu.addActions(
        [
            files.export_ics_action,
            files.export_csv_action,
            files.export_pdf_action,
            files.print_action,
        ]
    )
    file_menu.addSeparator()
    file_menu.addActions([files.backup_action, files.restore_action])
    file_menu.addSeparator()
    file_menu.addAction(make_action(window, "&Quit", window.close, QKeySequence(keys.Quit)))

    edit = bar.addMenu("&Edit")
    edit.addActions([decisions.undo_action, decisions.redo_action])
    edit.addSeparator()
    edit.addActions([decisions.pin_action, decisions.refuse_action, decisions.undecide_action])
    if attendance is not None:  # did you go? (an event that is over)
        edit.addSeparator()
        edit.addActions(
            [attendance.attended_action, attendance.skipped_action, attendance.note_action]
        )
    edit.addSeparator()
    edit.addActions(
        [
            decisions.add_action,
            make_action(window, "F&ind candidates", find, QKeySequence(keys.Find)),
            settings.settings_action,
            settings.timetables_action,
        ]
    )

    view = bar.addMenu("&View")
    for text, slot, shortcut in (
        ("&Previous week", lambda: go_week(-7), QKeySequence("Alt+Left")),
        ("&Next week", lambda: go_week(7), QKeySequence("Alt+Right")),
        ("&This week", lambda: go_week(0), QKeySequence("Alt+Home")),
        ("&Go to date…", go_to_date, QKeySequence("Ctrl+G")),
        ("", None, None),
        ("Zoom &in", lambda: zoom(1), QKeySequence(keys.ZoomIn)),
        ("Zoom &out", lambda: zoom(-1), QKeySequence(keys.ZoomOut)),
        ("&Re-plan", replan, QKeySequence(keys.Refresh)),
    ):
        if slot is None:
            view.addSeparator()
        else:
            view.addAction(make_action(window, text, slot, shortcut))
    if history is not None:
        view.addSeparator()
        view.addAction(make_action(window, "&History…", history, QKeySequence("Ctrl+H")))

    help_menu = bar.addMenu("&Help")
    help_menu.addActions([help_.about_action, help_.log_folder_action])
