"""The one-line field where an event is typed the way people write it.

Enter submits the line; pasting several lines (a newsletter's list, a chat
thread) submits them all at once instead of squashing them into one line,
which is what a QLineEdit would otherwise do. A link to an event's page,
pasted into the empty field or dropped on it from a browser, is submitted at
once too: the preview asks to read the page. The owner opens the preview
(:class:`~planner.gui.quick_add_dialog.QuickAddDialog`) with what is
submitted, and clears the field once the events are added, so a cancelled
preview loses nothing the user typed.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from planner.core.web.fetch import is_web_link
from planner.gui.event_mime import web_links

PLACEHOLDER = "Add an event: PMI mixer next Thu 6-8pm @ 100 King St W $25 #professional"


def _is_several_lines(text: str) -> bool:
    return len([line for line in text.splitlines() if line.strip()]) > 1


class QuickAddField(QLineEdit):
    """A line edit that emits ``submitted(text)`` on Enter or on a multi-line paste or drop."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(PLACEHOLDER)
        self.setAccessibleName("Add an event")
        self.setAccessibleDescription(
            "Type an event as you would write it, with its day, time, place, price and #category,"
            " then press Enter. Pasting several lines adds them all; pasting or dropping a link"
            " to an event's page reads the event from it."
        )
        self.setClearButtonEnabled(True)
        self.returnPressed.connect(self._submit_line)

    def _submit_line(self) -> None:
        if self.text().strip():
            self.submitted.emit(self.text().strip())

    def paste_text(self, text: str) -> None:
        """Insert ``text`` as a paste does: several lines are submitted whole, with
        what the field already holds as their first line; a link pasted over nothing
        typed (an empty field, or all of it selected) is submitted alone."""
        replaced = not self.text().strip() or self.selectedText() == self.text()
        if _is_several_lines(text):
            typed = self.text().strip()
            self.submitted.emit(f"{typed}\n{text}" if typed else text)
        elif is_web_link(text.strip()) and replaced:
            self.setText(text.strip())
            self.submitted.emit(text.strip())
        else:
            self.insert(" ".join(text.split()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        """The standard menu, with Paste going through :meth:`paste_text`."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() == "edit-paste":
                action.triggered.disconnect()
                action.triggered.connect(
                    lambda: self.paste_text(QGuiApplication.clipboard().text())
                )
        return menu

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if web_links(event.mimeData()):  # a bare text/uri-list, which a line edit refuses
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if web_links(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """A drop of several lines is submitted whole, like a paste; a link from a
        browser is submitted once the drop is over (the browser waits for it)."""
        mime = event.mimeData()
        links = web_links(mime)
        if links:
            event.acceptProposedAction()
            text = "\n".join(links)
            QTimer.singleShot(0, self, lambda: self.submitted.emit(text))
            return
        if mime.hasText() and _is_several_lines(mime.text()):
            self.paste_text(mime.text())
            event.acceptProposedAction()
            return
        super().dropEvent(event)
