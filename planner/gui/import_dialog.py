"""Choosing, per calendar file, whether it holds commitments or candidates.

Each file is previewed first (how many events, over which dates, what is
wrong with it), off the GUI thread and one file at a time, so that a 65 MB
export neither freezes the window nor stops the small files from showing.
Reading can be cancelled file by file. The role is preselected from the
last import of the same file, else from the preview's guess, and the
user's choice is remembered when they import.
"""

from __future__ import annotations

import html
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.core.calendars.preview import Preview, preview_file
from planner.core.calendars.reading import IcsError
from planner.core.model import ROLES, Problem, Role
from planner.core.storage.preferences import is_role, remember_role, remembered_role
from planner.core.text import wording
from planner.gui.background import ProgressJob, describe_error, run_with_progress

ROLE_LABELS = {"commitments": "Commitments", "candidates": "Candidates"}
ROLE_HELP = {
    "commitments": "Times you are busy: the plan works around them.",
    "candidates": "Events you might go to: the plan chooses among them.",
}
# The bar counts in thousandths: QProgressBar holds 32-bit ints, files can exceed 2 GB.
BAR_STEPS = 1000
PROBLEMS_IN_TOOLTIP = 10
EXPOSE_TRIES = 50  # of 10 ms each: how long to wait for the window to be on screen


class State(Enum):
    WAITING = "Waiting to be read…"
    READING = "Reading…"
    READ = ""
    FAILED = "Not imported"
    CANCELLED = "Cancelled: not imported"


def describe(preview: Preview) -> str:
    """One line saying what a file holds, e.g. "1,204 events (36 repeating), 3 Jan 2024 – …"."""
    if preview.events == 0:
        text = "No events"
    else:
        text = f"{preview.events:,} event{'s' if preview.events != 1 else ''}"
        if preview.series:
            text += f" ({preview.series:,} repeating"
            if preview.open_ended:
                text += f", {preview.open_ended:,} with no end"
            text += ")"
    if preview.first is not None and preview.last is not None:
        first, last = _day(preview.first), _day(preview.last)
        text += f", {first}" if first == last else f", {first} – {last}"
    count = preview.problem_count
    if count:
        text += f", {count:,} problem{'s' if count != 1 else ''}"
    return text


def _day(value: date) -> str:
    return wording.short_date(value, year=True, named=False)


def _plain_tooltip(text: str) -> str:
    """A tooltip that shows file names and feed text as written, never as HTML."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


@dataclass(eq=False)
class _Row:
    path: Path
    size: int
    name: QLabel
    role: QComboBox
    status: QLabel
    cancel: QPushButton
    state: State = State.WAITING
    done: int = 0
    preview: Preview | None = None
    problems: tuple[Problem, ...] = ()
    user_chose: bool = False


class ImportDialog(QDialog):
    """One row per file: its name, its role and what is in it; Import takes the good ones."""

    previewsFinished = Signal()  # every file read, failed or cancelled

    def __init__(self, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import calendars")
        self.setMinimumWidth(680)
        self._rows: list[_Row] = []
        self._queue: deque[_Row] = deque()
        self._job: ProgressJob | None = None
        self._job_row: _Row | None = None

        intro = QLabel(
            "For each calendar, choose whether its events are <b>commitments</b> (times you "
            "are busy) or <b>candidates</b> (events you might go to). planner suggests one "
            "from what is in the file and remembers your choice for next time."
        )
        intro.setWordWrap(True)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        for column, title in enumerate(("File", "Role", "What is in it")):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        grid.setColumnStretch(2, 1)
        for number, path in enumerate(paths, start=1):
            row = self._make_row(Path(path))
            grid.addWidget(row.name, number, 0)
            grid.addWidget(row.role, number, 1)
            grid.addWidget(row.status, number, 2)
            grid.addWidget(row.cancel, number, 3)
            self._rows.append(row)
        grid.setRowStretch(len(paths) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setAccessibleName("Calendar files")

        self.progress = QProgressBar()
        self.progress.setRange(0, BAR_STEPS)
        self.progress.setAccessibleName("Reading the files")
        self.progress.setFormat("Reading the files: %p%")

        self.problems_label = QLabel("&Problems found in the files:")
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems found in the files")
        self.problems.setPlaceholderText("None so far.")
        self.problems.setMaximumHeight(110)
        self.problems_label.setBuddy(self.problems)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAccessibleName("Import the chosen calendars")
        self.import_button.setEnabled(False)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        close.setAccessibleName("Close without importing")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        # Enter imports; set once the button is in the dialog, which only then knows it.
        self.import_button.setDefault(True)

        self._total = sum(row.size for row in self._rows)
        self._queue.extend(self._rows)
        self._started = False

    def showEvent(self, event: QShowEvent) -> None:
        """Start reading once the dialog is on screen, not before.

        Its first paint calls into Python for every new widget, each time
        waiting for Python's lock: with a reader already holding that lock,
        the window would appear a fifth of a second late. So the window is
        painted first (or, if the system never shows it, after half a
        second), then the reading starts.
        """
        super().showEvent(event)
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self, lambda: self._read_once_painted(EXPOSE_TRIES))

    def _read_once_painted(self, tries: int) -> None:
        window = self.windowHandle()
        if tries > 0 and window is not None and not window.isExposed():
            QTimer.singleShot(10, self, lambda: self._read_once_painted(tries - 1))
            return
        self.repaint()
        self._start_next()

    # -- building ---------------------------------------------------------------------------

    def _make_row(self, path: Path) -> _Row:
        try:
            size = path.stat().st_size if path.is_file() else 0
        except OSError:
            size = 0  # the preview says what is wrong with it
        name = QLabel(path.name)
        name.setTextFormat(Qt.TextFormat.PlainText)
        name.setToolTip(_plain_tooltip(str(path)))
        name.setAccessibleName(f"File {path.name}")
        role = QComboBox()
        for key in ROLES:
            role.addItem(ROLE_LABELS[key], key)
            role.setItemData(role.count() - 1, ROLE_HELP[key], Qt.ItemDataRole.ToolTipRole)
        role.setPlaceholderText("Suggested once read")
        role.setCurrentIndex(-1)
        role.setAccessibleName(f"Role of {path.name}")
        role.setAccessibleDescription(" ".join(ROLE_HELP.values()))
        remembered = remembered_role(path)
        if remembered is not None:
            role.setCurrentIndex(role.findData(remembered))
        status = QLabel(State.WAITING.value)
        status.setTextFormat(Qt.TextFormat.PlainText)
        status.setWordWrap(True)
        status.setAccessibleName(f"What is in {path.name}")
        cancel = QPushButton("Cancel")
        cancel.setAccessibleName(f"Cancel reading {path.name}")
        cancel.setToolTip(f"Stop reading {path.name} and leave it out of the import")
        row = _Row(path, size, name, role, status, cancel, user_chose=remembered is not None)
        name.setBuddy(role)
        role.activated.connect(lambda _index: self._chose(row))
        cancel.clicked.connect(lambda: self.cancel_row(row))
        return row

    def _chose(self, row: _Row) -> None:
        row.user_chose = True

    # -- reading, one file at a time ----------------------------------------------------------

    def _start_next(self) -> None:
        while self._queue and self._queue[0].state is not State.WAITING:
            self._queue.popleft()  # cancelled while waiting
        if not self._queue:
            self._job = self._job_row = None
            self.progress.hide()
            self.previewsFinished.emit()
            return
        row = self._queue.popleft()
        self._set_state(row, State.READING)
        path = row.path

        def work(report: Callable[[int, int], bool]) -> Preview | IcsError:
            try:
                return preview_file(path, progress=report)
            except IcsError as exc:  # the file's own problem: shown in its row
                return exc

        self._job_row = row
        self._job = run_with_progress(
            work, self._read, self._crashed, self._progressed, self._stopped, self
        )

    def _progressed(self, done: int, total: int) -> None:
        row = self._job_row
        if row is not None and row.state is State.READING:
            row.done = min(done, row.size)
            self._update_bar()

    def _read(self, outcome: Preview | IcsError) -> None:
        row = self._job_row
        if row is not None and row.state is State.READING:  # else cancelled meanwhile
            if isinstance(outcome, IcsError):
                self._fail(row, str(outcome))
            else:
                self._show(row, outcome)
        self._start_next()

    def _show(self, row: _Row, outcome: Preview) -> None:
        row.preview = outcome
        row.problems = outcome.problems
        if not row.user_chose:
            row.role.setCurrentIndex(row.role.findData(outcome.suggested_role))
        self._set_state(row, State.READ)
        text = describe(outcome)
        row.status.setText(text)
        details = [str(row.path), text]
        if outcome.calendar_name:
            details.append(f"Calendar: {outcome.calendar_name}")
        if outcome.producer:
            details.append(f"Made by: {outcome.producer}")
        row.name.setToolTip(_plain_tooltip("\n".join(details)))
        if outcome.problems:
            shown = [str(p) for p in outcome.problems[:PROBLEMS_IN_TOOLTIP]]
            more = outcome.problem_count - len(shown)
            if more:
                shown.append(f"… and {more:,} more")
            row.status.setToolTip(_plain_tooltip("\n".join(shown)))
        self._after(row)

    def _crashed(self, error: Exception) -> None:
        row = self._job_row
        if row is not None and row.state is State.READING:
            self._fail(row, f"could not be read ({describe_error(error)})")
        self._start_next()

    def _stopped(self) -> None:
        self._start_next()  # the row was marked when Cancel was pressed

    def _fail(self, row: _Row, message: str) -> None:
        self._set_state(row, State.FAILED)
        shown = message.replace(str(row.path), row.path.name)
        row.status.setText(f"{State.FAILED.value}: {shown}")
        row.status.setToolTip(_plain_tooltip(message))
        self._after(row)

    def cancel_row(self, row: _Row) -> None:
        """Stop reading a file (or never start it) and leave it out of the import."""
        if row.state not in (State.WAITING, State.READING):
            return
        if row is self._job_row and self._job is not None:
            self._job.cancel()  # the reader stops at its next chunk
        self._set_state(row, State.CANCELLED)
        self._after(row)

    def _set_state(self, row: _Row, state: State) -> None:
        row.state = state
        row.status.setText(state.value)
        running = state in (State.WAITING, State.READING)
        row.cancel.setVisible(running)
        if state in (State.FAILED, State.CANCELLED):
            row.role.setPlaceholderText("Left out")
            row.role.setCurrentIndex(-1)
            row.role.setEnabled(False)
        if not running:
            row.done = row.size
            row.status.setToolTip("")

    def _after(self, row: _Row) -> None:
        self._update_bar()
        self._list_problems()
        self.import_button.setEnabled(any(r.state is State.READ for r in self._rows))

    def _update_bar(self) -> None:
        done = sum(row.done for row in self._rows)
        self.progress.setValue(round(BAR_STEPS * done / self._total) if self._total else 0)

    def _list_problems(self) -> None:
        lines = []
        for row in self._rows:
            if row.problems:
                lines.append(f"{row.path.name}:")
                lines += [f"  {problem}" for problem in row.problems]
                if row.preview is not None and row.preview.unlisted_problems:
                    lines.append(f"  … and {row.preview.unlisted_problems:,} more")
        self.problems.setPlainText("\n".join(lines))

    # -- the outcome ---------------------------------------------------------------------------

    def state_of(self, path: Path) -> State:
        """Where the file at ``path`` stands (tests, and callers that report on skipped files)."""
        return next(row.state for row in self._rows if row.path == Path(path))

    def preview_of(self, path: Path) -> Preview | None:
        return next(row.preview for row in self._rows if row.path == Path(path))

    def chosen(self) -> list[tuple[Path, Role]]:
        """The files read without error, with the role each was given."""
        picked: list[tuple[Path, Role]] = []
        for row in self._rows:
            role = row.role.currentData()
            if row.state is State.READ and is_role(role):
                picked.append((row.path, role))
        return picked

    def done(self, result: int) -> None:
        """Closing, either way, stops the reading; importing remembers the roles."""
        self._queue.clear()
        if self._job is not None:
            self._job.cancel()
        if result == QDialog.DialogCode.Accepted:
            for path, role in self.chosen():
                remember_role(path, role)
        super().done(result)
