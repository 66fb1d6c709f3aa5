"""The candidate list's view: rows can be dragged onto the week, and events dropped back.

Dragging a row onto the week commits to that event; dragging an event from the
week onto the list gives it back (refuses it). The view only reports these
gestures by key; the window decides what they mean.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QWidget

from planner.gui.candidate_model import KEY_ROLE
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
            "Every candidate of the week with its status and the reason; "
            "drag one onto the week to commit to it"
        )

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
