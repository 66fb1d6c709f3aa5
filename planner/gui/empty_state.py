"""What to do next, said in the window itself when there is nothing to plan.

A new user's empty grid and "0 of 0 events proposed" say nothing; a hint in
the status bar is gone as soon as the plan's numbers replace it. This panel
sits centred over an area (the week, the candidate list) while that area has
nothing to show: with no calendars at all, the ways to get some (import,
subscribe, type, set up); with candidates only in other weeks, where the
next ones are, and a button to go there. It follows its area's size, and
hides as soon as there is something to show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

Button = tuple[str, Callable[[], object]]
"""A button's text and what it does."""


class EmptyState(QFrame):
    """A short centred message with buttons, laid over ``area`` while shown."""

    def __init__(self, area: QWidget) -> None:
        super().__init__(area)
        self._area = area
        self.setObjectName("emptyState")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)  # the window's palette: readable light or dark
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._row = QHBoxLayout()
        self._row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.message)
        layout.addLayout(self._row)
        self.buttons: list[QPushButton] = []
        area.installEventFilter(self)
        self.hide()

    def say(self, message: str, buttons: Sequence[Button]) -> None:
        """Show ``message`` and ``buttons`` (in this order), centred over the area."""
        for old in self.buttons:
            self._row.removeWidget(old)
            old.deleteLater()
        self.buttons = []
        while self._row.count():
            self._row.takeAt(0)
        self._row.addStretch()
        for text, slot in buttons:
            button = QPushButton(text, self)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self._row.addWidget(button)
            self.buttons.append(button)
        self._row.addStretch()
        self.message.setText(message)
        self.setAccessibleName("What to do next")
        self.setAccessibleDescription(message)
        self.show()
        self.raise_()
        self._place()

    def clear(self) -> None:
        """Nothing to say: the area shows what it holds."""
        self.hide()

    def button(self, text: str) -> QPushButton:
        """The button whose text (without its & mark) is ``text``."""
        return next(b for b in self.buttons if b.text().replace("&", "") == text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._area and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        width = min(max(self._area.width() - 40, 200), 560)
        self.setFixedWidth(width)
        self.adjustSize()
        self.move(
            max(0, (self._area.width() - self.width()) // 2),
            max(0, (self._area.height() - self.height()) // 2),
        )
