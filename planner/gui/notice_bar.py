"""A bar above the week that says something needs the user's word, without a modal dialog.

Committing to an event that breaks a rule is the user's right; a modal
question would interrupt every such drag. The bar says which rule is broken
and offers to keep the decision or undo it, and stays out of the way otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    """One message with up to two answers; hidden until :meth:`ask`."""

    accepted = Signal()
    rejected = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#noticeBar { background: palette(tool-tip-base); border-radius: 4px; }"
            " #noticeBar QLabel { color: palette(tool-tip-text); }"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.keep = QPushButton("Keep it")
        self.undo = QPushButton("Undo")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.keep)
        layout.addWidget(self.undo)
        self.keep.clicked.connect(self._keep)
        self.undo.clicked.connect(self._undo)
        self.setAccessibleName("Notice")
        self.hide()

    def ask(self, text: str, keep: str = "Keep it", undo: str = "Undo") -> None:
        self.message.setText(text)
        self.keep.setText(keep)
        self.undo.setText(undo)
        self.setAccessibleDescription(text)
        self.show()

    def _keep(self) -> None:
        self.hide()
        self.accepted.emit()

    def _undo(self) -> None:
        self.hide()
        self.rejected.emit()
