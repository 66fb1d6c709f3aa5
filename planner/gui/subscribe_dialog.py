"""Asking for a calendar feed's address (Meetup group, association, public Google calendar)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from planner.core.model import Role
from planner.core.storage.feeds import FeedError, feed_url

ROLE_TEXTS: tuple[tuple[Role, str], ...] = (
    ("candidates", "Events I might attend"),
    ("commitments", "My commitments (busy times)"),
)


class SubscribeDialog(QDialog):
    """A URL (http, https or webcal) and what its events are to the user."""

    def __init__(self, parent: QWidget | None = None, url: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Subscribe to a calendar feed")
        self.setMinimumWidth(520)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://www.meetup.com/your-group/events/ical/")
        self.url.setAccessibleName("Feed address")
        self.role = QComboBox()
        for role, text in ROLE_TEXTS:
            self.role.addItem(text, role)
        self.role.setAccessibleName("What the events are")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        hint = QLabel(
            "planner downloads the feed now and then when the publisher asks (every few "
            "hours by default); if the server fails, the last copy is kept."
        )
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Subscribe")
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Address:", self.url)
        form.addRow("&Events:", self.role)
        form.addRow(hint)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def location(self) -> str:
        return self.url.text().strip()

    def chosen_role(self) -> Role:
        role: Role = self.role.currentData()
        return role

    def _check(self) -> None:
        try:
            feed_url(self.location())
        except FeedError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.accept()
