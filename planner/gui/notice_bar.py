"""Bars above the week: one says something needs the user's word, without a modal dialog;
the other says what the plan shown was made without.

Committing to an event that breaks a rule is the user's right; a modal
question would interrupt every such drag. The bar says which rule is broken
and offers to keep the decision or undo it, and stays out of the way otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
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


class ProblemsBar(QFrame):
    """What the user must know before trusting the plan shown, above the week.

    A calendar that could not be read is not in the plan, so it may propose an event
    that clashes with what that calendar holds; a routing server that did not answer
    leaves travel to the estimate. The status bar is too easy to miss for either, so the
    core's :func:`planner.core.planning.report.notices` are shown here, in a bar that
    stays while they hold. **Hide** puts it away until the notices change.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Amber whatever the palette: it is a warning, in light and dark themes alike.
        self.setStyleSheet(
            "#problemsBar { background: #fff3cd; border: 1px solid #e0b000; border-radius: 4px; }"
            " #problemsBar QLabel { color: #3d2e00; }"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            self.message.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.dismiss = QPushButton("Hide")
        self.dismiss.setToolTip("Hide until something else goes wrong")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dismiss)
        self.dismiss.clicked.connect(self._hide)
        self.setAccessibleName("Problems with this plan")
        self._notices: tuple[str, ...] = ()
        self._hidden: tuple[str, ...] = ()
        self.hide()

    @property
    def notices(self) -> tuple[str, ...]:
        return self._notices

    def show_notices(self, notices: Sequence[str]) -> None:
        """Show ``notices`` (one sentence each); none hides the bar."""
        self._notices = tuple(notices)
        text = "\n".join(f"⚠ {n}" for n in self._notices)
        self.message.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(self._notices) and self._notices != self._hidden)

    def _hide(self) -> None:
        self._hidden = self._notices
        self.hide()
