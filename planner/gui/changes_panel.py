"""The list of what happened to the user's committed events since they last looked.

An organiser moves or cancels an event the user committed to; a feed refresh
brings the news. planner does not silently re-plan around it: the change is
listed here, in words ("HDI Toronto moved from Fri 17:30 to Thu 18:00"),
until the user says they have seen it. Activating a line shows the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # the feeds module (urllib, ssl) is not needed to show the window
    from planner.core.storage.feeds import FeedChange

KEY_ROLE = Qt.ItemDataRole.UserRole
DAY_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_ROWS = 4


class ChangesPanel(QFrame):
    """Hidden while there is nothing to say; ``seen`` when the user dismisses the list."""

    seen = Signal()
    eventActivated = Signal(str, object)
    """The key of the changed event and the day it is (or was) on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.list = QListWidget()
        self.list.setAccessibleName("Changes to events you committed to")
        self.list.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustIgnored)
        self.list.setWordWrap(True)
        self.dismiss = QPushButton("Seen")
        self.dismiss.setToolTip("Hide these changes until something else changes")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.dismiss)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.dismiss.clicked.connect(self._dismiss)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.hide()

    def set_changes(self, changes: Sequence[FeedChange]) -> None:
        """Show ``changes`` (the panel hides itself when there are none)."""
        self.list.clear()
        for change in changes:
            item = QListWidgetItem(change.text)
            item.setData(KEY_ROLE, change.key)
            item.setData(DAY_ROLE, change.event.start.date())
            item.setToolTip(f"{change.kind}: {change.text}")
            self.list.addItem(item)
        count = len(changes)
        self.title.setText(
            f"<b>{count} change{'s' if count != 1 else ''} to events you committed to</b>"
            " since you last looked (your plan keeps them until you decide)"
        )
        self._fit(count)
        self.setVisible(count > 0)

    def _fit(self, count: int) -> None:
        """As tall as the lines, up to four (then it scrolls): the week keeps the room."""
        row = self.list.sizeHintForRow(0) if count else 0
        frame = 2 * self.list.frameWidth()
        self.list.setFixedHeight(frame + row * min(max(count, 1), MAX_ROWS) + 2)

    def texts(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def _dismiss(self) -> None:
        self.hide()
        self.seen.emit()

    def _activated(self, item: QListWidgetItem) -> None:
        self.eventActivated.emit(item.data(KEY_ROLE), item.data(DAY_ROLE))
