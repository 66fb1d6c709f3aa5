"""Did you go? Marking an event that is over as attended or skipped, with a note.

A past event of the week offers it three ways: the context menu of the week
and of the list, the Edit menu's actions (on the selected event), and a bar
at the top of the details (Attended / Skipped / Note…) that also shows the note. Each
goes through the core :class:`~planner.core.session.Session` (``mark``), so it is
undoable and kept like a decision; the history and the streak count it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Event, Mark, Went
from planner.core.session import Session
from planner.gui.actions import make_action
from planner.gui.candidate_model import KEY_ROLE
from planner.gui.candidate_table import CandidateTable
from planner.gui.week_view import WeekView

WENT_TEXT = {"attended": "You went", "skipped": "You did not go"}


def mark_text(mark: Mark | None) -> str:
    """What the details say of an event that is over: the mark and the note."""
    if mark is None:
        return "Did you go? Not said yet."
    said = WENT_TEXT[mark.went]
    return f"{said}. Note: {mark.note}" if mark.note else f"{said}."


class AttendanceBar(QWidget):
    """ "Did you go?" with Attended / Skipped / Note… and the note, at the top of the details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.attended = QPushButton("&Attended")
        self.skipped = QPushButton("&Skipped")
        self.note = QPushButton("&Note…")
        self.attended.setToolTip("You went: it counts in your history and your streak")
        self.skipped.setToolTip("You did not go: it counts for nothing in your history")
        self.note.setToolTip("Whom you met, what to follow up")
        for button in (self.attended, self.skipped):
            button.setCheckable(True)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("<b>Did you go?</b>"))
        for button in (self.attended, self.skipped, self.note):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.text)
        self.setAccessibleName("Did you go?")
        self.setAccessibleDescription("Mark the selected event, which is over, attended or skipped")
        self.hide()

    def show_mark(self, mark: Mark | None) -> None:
        self.attended.setChecked(mark is not None and mark.went == "attended")
        self.skipped.setChecked(mark is not None and mark.went == "skipped")
        self.text.setText(html.escape(mark_text(mark)))
        self.show()


class AttendanceController(QObject):
    """Attended, skipped and the note, for the events of the week that are over."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        week_view: WeekView,
        table: CandidateTable,
        *,
        event: Callable[[str], Event | None],
        clock: Callable[[], datetime],
    ) -> None:
        """``event(key)`` is the candidate of the week shown (None: not in it); ``clock``
        the time now (an event can be marked once it has ended)."""
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._status = status
        self._week_view = week_view
        self._table = table
        self._event = event
        self._clock = clock
        self.bar = AttendanceBar()
        self.bar.attended.clicked.connect(lambda: self.mark(self._selected(), "attended"))
        self.bar.skipped.clicked.connect(lambda: self.mark(self._selected(), "skipped"))
        self.bar.note.clicked.connect(lambda: self.edit_note(self._selected()))
        self.attended_action = make_action(
            parent, "Mark &attended", lambda: self.mark(self._selected(), "attended")
        )
        self.skipped_action = make_action(
            parent, "Mark s&kipped", lambda: self.mark(self._selected(), "skipped")
        )
        self.note_action = make_action(
            parent, "N&ote on the event…", lambda: self.edit_note(self._selected())
        )
        for view in (week_view, table):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        week_view.customContextMenuRequested.connect(self._week_menu)
        table.customContextMenuRequested.connect(self._table_menu)
        self.show_for("")

    def place_bar(self, details: QWidget) -> None:
        """Put the bar at the top of the details panel, inside the scroll area that holds it."""
        scroll = details.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        if scroll is None:
            return
        taken = scroll.takeWidget()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(taken, 1)
        scroll.setWidget(box)
        # Moving the details into the new box moved them in the focus chain too: Tab
        # from the list goes to the details again, not to the scroll area around them.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        QWidget.setTabOrder(self._table, details)

    # --- which event ----------------------------------------------------------------------
    def _selected(self) -> str:
        return self._week_view.selected_key()

    def over(self, key: str) -> Event | None:
        """The candidate ``key`` of the week shown, if it has ended; else None."""
        event = self._event(key) if key else None
        if event is None or event.end > self._clock():
            return None
        return event

    def show_for(self, key: str) -> None:
        """The selection changed (or the plan): offer the marks if the event is over."""
        event = self.over(key)
        for action in (self.attended_action, self.skipped_action, self.note_action):
            action.setEnabled(event is not None)
        if event is None:
            self.bar.hide()
        else:
            self.bar.show_mark(self._session.choices.marks.get(event.key))

    # --- marking ------------------------------------------------------------------------
    def mark(self, key: str, went: Went) -> None:
        """Mark the event ``key`` (clicking the mark it has already takes it back)."""
        event = self.over(key)
        if event is None:
            return
        self._session.sync()  # a mark made meanwhile in a terminal stays under this one
        old = self._session.choices.marks.get(event.key)
        change = self._session.mark(event, None if old is not None and old.went == went else went)
        if change is not None:
            self._status.showMessage(change.label)
        self.show_for(key)

    def edit_note(self, key: str) -> None:
        """Ask for the note (whom you met, what to follow up); an event with no mark yet
        is marked attended with it, as a note is most often about an event one went to."""
        event = self.over(key)
        if event is None:
            return
        old = self._session.choices.marks.get(event.key)
        text, accepted = QInputDialog.getMultiLineText(
            self._parent,
            "Note",
            f"“{event.summary}”: whom you met, what to follow up",
            old.note if old is not None else "",
        )
        if not accepted:
            return
        self._session.sync()
        change = self._session.mark(event, old.went if old is not None else "attended", text)
        if change is not None:
            self._status.showMessage(change.label)
        self.show_for(key)

    # --- context menus ------------------------------------------------------------------
    def menu_for(self, key: str) -> QMenu | None:
        """The "Did you go?" menu of an event that is over (None for any other)."""
        event = self.over(key)
        if event is None:
            return None
        mark = self._session.choices.marks.get(event.key)
        menu = QMenu(self._parent)
        menu.setTitle("Did you go?")
        heading = menu.addAction("Did you go?")
        heading.setEnabled(False)
        for went, text in (("attended", "&Attended"), ("skipped", "&Skipped")):
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(mark is not None and mark.went == went)
            action.triggered.connect(lambda _=False, w=went: self.mark(key, w))
        menu.addAction("&Note…").triggered.connect(lambda: self.edit_note(key))
        return menu

    def _week_menu(self, pos: QPoint) -> None:
        item = self._week_view.item_at(pos)
        self._popup(item.key if item is not None else "", self._week_view.mapToGlobal(pos))

    def _table_menu(self, pos: QPoint) -> None:
        index = self._table.indexAt(pos)
        key = str(index.data(KEY_ROLE) or "") if index.isValid() else ""
        self._popup(key, self._table.viewport().mapToGlobal(pos))

    def _popup(self, key: str, where: QPoint) -> None:
        menu = self.menu_for(key)
        if menu is not None:
            menu.exec(where)
            menu.deleteLater()
