"""What the user decides in the window: commit to an event, refuse it, rate it, leave it
to the planner, type new ones, and undo or redo any of it.

Every decision goes through the core's :class:`Session`, which keeps it and makes
it undoable; the window re-plans when the session says it changed. The undo
history is the one the terminal's ``planner undo`` shares: before deciding or
undoing, the session takes in what another planner changed meanwhile. Committing
to an event that breaks a rule is the user's right: the plan that follows says
which rule, in the notice bar, with a one-click undo. Events are dragged as
.ics: onto the week to commit, off it to refuse. Typed lines may hold links to
events' pages (pasted, or dropped from a browser): before a page is requested the
user is asked, unless ``[web] fetch`` already allows it, and "always" is written
to the settings file as ``[web] fetch = true``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QDrag, QKeySequence
from PySide6.QtWidgets import QDialog, QStatusBar, QWidget

from planner.core.model import Event, Plan
from planner.core.planning.plan import week_of
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.web.links import split_links
from planner.gui.actions import make_action
from planner.gui.consent_dialog import WebConsent, ask_web_consent
from planner.gui.event_mime import mime_for
from planner.gui.notice_bar import NoticeBar
from planner.gui.quick_add_field import QuickAddField
from planner.gui.week_view import WeekView


class DecisionsController:
    """Commit, refuse, rate, add, undo and redo, for one window over one session."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        week_view: WeekView,
        notice: NoticeBar,
        quick_add: QuickAddField,
        *,
        plan: Callable[[], Plan | None],
        settings: Callable[[], Settings],
        week_day: Callable[[], date],
        clock: Callable[[], datetime],
        show_week: Callable[[date], None],
    ) -> None:
        """``plan`` is the plan on screen (its events are what can be decided on),
        ``settings`` the settings it was made with, ``week_day`` a day of the week
        shown, ``show_week`` moves the window to another week."""
        self._session = session
        self._parent = parent
        self._status = status
        self._week_view = week_view
        self._notice = notice
        self._quick_add = quick_add
        self._plan = plan
        self._settings = settings
        self._week_day = week_day
        self._clock = clock
        self._show_week = show_week
        self._watch_pin = ""  # a key just committed to: say if it breaks a rule
        keys = QKeySequence.StandardKey
        self.undo_action = make_action(parent, "&Undo", self.undo, QKeySequence(keys.Undo))
        self.redo_action = make_action(parent, "&Redo", self.redo, QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(keys.Redo)])
        self.pin_action = make_action(
            parent, "&Commit to event", self.pin_selected, QKeySequence("Ctrl+Return")
        )
        self.refuse_action = make_action(
            parent, "Re&fuse event", self.refuse_selected, QKeySequence(keys.Delete)
        )
        self.undecide_action = make_action(
            parent, "&Leave to the planner", self.undecide_selected, QKeySequence("Ctrl+Backspace")
        )
        self.add_action = make_action(
            parent, "A&dd events…", self._focus_quick_add, QKeySequence(keys.New)
        )
        notice.rejected.connect(self.undo)
        quick_add.submitted.connect(self.add_typed)
        self.quick_add_dialog: QDialog | None = None
        """The quick-add preview while it is on screen (tests reach it here)."""

    # --- undo and redo ------------------------------------------------------------------
    def update_undo_actions(self) -> None:
        """Name what Undo and Redo would take back (the session changed)."""
        for action, verb, label in (
            (self.undo_action, "Undo", self._session.undo_label),
            (self.redo_action, "Redo", self._session.redo_label),
        ):
            action.setEnabled(bool(label))
            action.setText(f"&{verb} {label}" if label else f"&{verb}")

    def undo(self) -> None:
        self._notice.hide()
        self._session.sync()  # the last change may have been made in a terminal
        change = self._session.undo()
        if change is not None:
            self._status.showMessage(f"Undone: {change.label}")

    def redo(self) -> None:
        self._session.sync()
        change = self._session.redo()
        if change is not None:
            self._status.showMessage(f"Redone: {change.label}")

    # --- decisions ----------------------------------------------------------------------
    def event(self, key: str) -> Event | None:
        """The event ``key`` among the plan's candidates (None: not in the week shown)."""
        plan = self._plan()
        if plan is None or not key:
            return None
        return next((d.event for d in plan.decisions if d.event.key == key), None)

    def _to_decide(self, key: str) -> Event | None:
        """The event a decision is about to be made on; first the session takes in any
        decision made meanwhile in a terminal, so this one lands on top of it in the
        shared history (and never hides it)."""
        event = self.event(key)
        if event is not None:
            self._session.sync()
        return event

    def pin(self, key: str) -> None:
        """Commit to a candidate: it stays in the plan, which is re-made around it."""
        event = self._to_decide(key)
        if event is not None and self._session.pin(event) is not None:
            self._watch_pin = key
            self._week_view.select(key)

    def refuse(self, key: str) -> None:
        event = self._to_decide(key)
        if event is not None:
            self._session.refuse(event)

    def rate(self, key: str, stars: int) -> None:
        event = self._to_decide(key)
        if event is not None:
            self._session.set_stars(event, stars)

    def pin_selected(self) -> None:
        self.pin(self._week_view.selected_key())

    def refuse_selected(self) -> None:
        self.refuse(self._week_view.selected_key())

    def undecide_selected(self) -> None:
        event = self._to_decide(self._week_view.selected_key())
        if event is not None:
            self._session.undecide(event)

    def check_pin(self, plan: Plan) -> None:
        """A new plan: if the event just committed to breaks a rule, say which, and offer undo."""
        key, self._watch_pin = self._watch_pin, ""
        pinned = next((d for d in plan.decisions if d.event.key == key), None)
        if pinned is not None and pinned.breaks:
            self._notice.ask(
                f"“{html.escape(pinned.event.summary)}” breaks a rule: it "
                f"{html.escape(pinned.breaks)}. Keep it in your week anyway?",
                keep="Keep it",
                undo="Undo",
            )

    # --- drag and drop ------------------------------------------------------------------
    def drag_event(self, key: str, source: QWidget) -> Qt.DropAction:
        """Drag an event out of the week or the list, carrying it as .ics.

        Dropped on the week it is committed to (the window's drop goes to
        :meth:`pin`); an event dragged out of the week and let go anywhere that
        does not take it (the list, the desktop) is refused; another app that
        takes the .ics gets a copy.
        """
        event = self.event(key)
        if event is None:
            return Qt.DropAction.IgnoreAction
        drag = QDrag(source)
        drag.setMimeData(mime_for(event))
        result = drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
        self.finish_drag(key, source, result)
        return result

    def finish_drag(self, key: str, source: QWidget, result: Qt.DropAction) -> None:
        if source is self._week_view and result == Qt.DropAction.IgnoreAction:
            view = self._week_view
            if not view.rect().contains(view.mapFromGlobal(QCursor.pos())):
                self.refuse(key)

    # --- typed events -------------------------------------------------------------------
    def _focus_quick_add(self) -> None:
        self._quick_add.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._quick_add.selectAll()

    def add_typed(self, text: str, *, typed: bool = True) -> None:
        """Preview what was typed or pasted (read off the GUI thread), then add it; the
        add field is cleared once added, unless the text came from elsewhere (``typed``
        False: a link dropped on the window)."""
        from planner.gui.quick_add_dialog import QuickAddDialog

        settings = self._settings()
        fetch = self.consent_to_read(text)
        dialog = QuickAddDialog(text, settings, self.reference(settings), self._parent, fetch=fetch)
        self.quick_add_dialog = dialog
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            events = dialog.events()
        finally:
            self.quick_add_dialog = None
            dialog.deleteLater()  # one preview per quick add: none piles up in the window
        if events and self._session.add_events(events) is not None:
            if typed:
                self._quick_add.clear()
            self._status.showMessage(f"Added {len(events)} event{'s' if len(events) != 1 else ''}")
            first = min(events, key=lambda e: e.start)
            if week_of(first.start.date(), settings) != week_of(self._week_day(), settings):
                self._show_week(first.start.date())

    def consent_to_read(self, text: str) -> bool:
        """Whether the links in ``text`` may be read: ``[web] fetch`` says so, or the user
        agrees when asked (always: written to the settings file, comments kept)."""
        links = split_links(text)
        if not links.links:
            return False
        if self._session.settings.web.fetch:
            return True  # allowed for good (the plan's settings may not say so yet)
        answer = ask_web_consent(self._parent, links.hosts, len(links.links))
        if answer is WebConsent.ALWAYS:
            settings = self._session.settings
            allowed = replace(settings, web=replace(settings.web, fetch=True))
            self._session.set_settings(allowed, "Allow reading events' web pages")
            if self._session.save_problem:
                self._status.showMessage(self._session.save_problem)
            elif self._session.settings_path is None:
                self._status.showMessage(
                    "Pages will be read for this session (start planner with --settings "
                    "FILE.toml to keep it)"
                )
        return answer is not WebConsent.NO

    def reference(self, settings: Settings) -> datetime:
        """What "next Thursday" is relative to: now, in the week on screen; else its Monday."""
        now = self._clock().astimezone(settings.zone)
        monday = week_of(self._week_day(), settings)
        if monday <= now < monday + timedelta(days=7):
            return now
        return monday.replace(hour=9)
