"""The candidate list's view: rows can be dragged onto the week, and events dropped back.

Dragging a row onto the week commits to that event; dragging an event from the
week onto the list gives it back (refuses it). The view only reports these
gestures by key; the window decides what they mean.

Each row has two lines: the cells on the first, and the reason (why the event is
proposed or left out) on the second, across the whole row. The reason is what a
busy person trusts the plan for, and a column of its own was too narrow to read
next to the week at 1280x720. Tab leaves the table (arrows move inside it), and
the digits 0-5 rate the selected row from any column.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from planner.gui.candidate_model import COLUMNS, KEY_ROLE, MAX_STARS, VALUE_COLUMN
from planner.gui.contrast import mix, readable
from planner.gui.event_mime import KEY_MIME, read_drop


class CandidateTable(QTableView):
    """A sortable table of candidates that starts drags and takes events back."""

    dragRequested = Signal(str)
    """A row (its event key) is being dragged out."""
    returned = Signal(str)
    """An event from the week (its key) was dropped on the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: QPoint | None = None
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setAccessibleName("Candidate events")
        self.setAccessibleDescription(
            "Every candidate of the week with its status and, under it, the reason; "
            "digits 0 to 5 rate the selected event; drag one onto the week to commit to it"
        )
        self.setTabKeyNavigation(False)  # Tab goes on to the details; arrows move in here
        self._fit_rows()

    # ----------------------------------------------------------- the reason line
    def first_line_height(self) -> int:
        """The height of a row's first line, where its cells are drawn."""
        return QFontMetrics(self.font()).height() + 6

    def _fit_rows(self) -> None:
        line = QFontMetrics(self.font()).height()
        self.verticalHeader().setDefaultSectionSize(self.first_line_height() + line + 4)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_rows()
        super().changeEvent(event)

    def reason_colours(self) -> tuple[QColor, QColor]:
        """The reason line's text colour, and on a selected row (both reach WCAG AA)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        rows = [
            palette.color(QPalette.ColorRole.Base),
            palette.color(QPalette.ColorRole.AlternateBase),
        ]
        return (
            readable(mix(text, rows[0], 0.75), rows, text),
            palette.color(QPalette.ColorRole.HighlightedText),
        )

    def reason_rect(self, row: int) -> QRect:
        """Where row ``row``'s reason is drawn, in the viewport: its second line, across."""
        top = self.rowViewportPosition(row) + self.first_line_height()
        height = self.rowHeight(row) - self.first_line_height()
        return QRect(6, top, self.viewport().width() - 12, max(0, height - 2))

    def reason_text(self, row: int) -> str:
        model = self.model()
        return str(model.data(model.index(row, COLUMNS.index("Why"))) or "") if model else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        first = max(0, self.rowAt(event.rect().top()))
        last = self.rowAt(event.rect().bottom())
        last = model.rowCount() - 1 if last < 0 else last
        normal, selected = self.reason_colours()
        selection = self.selectionModel()
        painter = QPainter(self.viewport())
        fm = painter.fontMetrics()
        for row in range(first, last + 1):
            rect = self.reason_rect(row)
            if self.isRowHidden(row) or not rect.intersects(event.rect()):
                continue
            chosen = selection is not None and selection.isRowSelected(row, self.rootIndex())
            painter.setPen(selected if chosen else normal)
            text = fm.elidedText(self.reason_text(row), Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text
            )
        painter.end()

    # ------------------------------------------------------------------- rating
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """0-5 rate the selected row whichever column is current (the stars cell
        takes them itself); other keys as a table takes them."""
        stars = _digit(event)
        current = self.currentIndex()
        model = self.model()
        if (
            stars is not None
            and current.isValid()
            and model is not None
            and current.column() != VALUE_COLUMN
        ):
            target = model.index(current.row(), VALUE_COLUMN)
            if model.flags(target) & Qt.ItemFlag.ItemIsEditable:
                model.setData(target, stars, Qt.ItemDataRole.EditRole)
            event.accept()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            event.buttons() & Qt.MouseButton.LeftButton
            and self._press is not None
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            index = self.indexAt(self._press)
            self._press = None
            key = index.data(KEY_ROLE) if index.isValid() else None
            if key:
                self.dragRequested.emit(str(key))
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def _takes(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        # Only planner's own events, and not a row dragged within the list itself.
        return event.source() is not self and event.mimeData().hasFormat(KEY_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._takes(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._takes(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._takes(event):
            event.ignore()
            return
        event.acceptProposedAction()
        self.returned.emit(read_drop(event.mimeData()).key)


def _digit(event: QKeyEvent) -> int | None:
    """The rating a key press types (0-5, keypad too), or None for any other key."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers & ~Qt.KeyboardModifier.ShiftModifier:
        return None  # Ctrl+digit and the like are shortcuts
    text = event.text()
    return int(text) if len(text) == 1 and text.isdigit() and int(text) <= MAX_STARS else None
