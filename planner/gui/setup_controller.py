"""The first start and Edit > Set up again…, and what the window says when it is empty.

:meth:`SetupController.run` shows the :class:`SetupAssistant` over the user's
current settings; when it is done, the answers become settings in the core
(:func:`planner.core.settings.first_run.apply_answers`) and are kept through
the session, which updates the user's settings file in place (comments
kept), as the Settings dialog does. The calendars named are added as File >
Import and Subscribe add them (a password typed in a feed's address goes to
the keyring, never the store), typed events go through quick add's preview,
and the window shows the week of today, planned.

After each plan, :meth:`plan_shown` lays an :class:`EmptyState` over the week
when there is nothing in it to plan: the ways to get calendars when there
are none, or where the next candidates are when other weeks have some.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMenuBar, QMessageBox, QStatusBar, QWidget

from planner.core import saved
from planner.core.model import Plan, Role
from planner.core.session import Session
from planner.core.settings import SettingsError
from planner.core.settings.first_run import apply_answers, is_first_start
from planner.core.storage import preferences
from planner.core.text import wording
from planner.gui.actions import make_action
from planner.gui.background import run_in_background
from planner.gui.consent_dialog import ask_geocoding_consent
from planner.gui.empty_state import EmptyState

if TYPE_CHECKING:  # the assistant itself is imported when shown: not on the start path
    from planner.gui.setup_assistant import SetupAssistant, SetupOutcome

OFFERED = "setup_offered"
"""The preference set once the setup was shown on a first start (finished or not)."""


def first_start(session: Session) -> bool:
    """Whether to open the setup by itself: planner's own settings file not written yet,
    nothing imported or typed, and the setup not offered before."""
    path = session.settings_path or saved.default_settings_path()
    state = session.state
    return is_first_start(path, len(state.sources), len(state.added)) and not bool(
        preferences.load().get(OFFERED)
    )


class SetupController:
    """The setup assistant and the window's empty states, for one window over one session."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        week_area: QWidget,
        *,
        clock: Callable[[], datetime],
        show_week: Callable[[date], None],
        import_files: Callable[[], None],
        subscribe: Callable[[], None],
        type_event: Callable[[], None],
        add_typed: Callable[[str], None],
    ) -> None:
        self._session = session
        self._parent = parent
        self._status = status
        self._clock = clock
        self._show_week = show_week
        self._add_typed = add_typed
        self._actions = (import_files, subscribe, type_event)
        self.setup_action = make_action(parent, "Set u&p again…", self.run)
        self.empty = EmptyState(week_area)
        self.assistant: SetupAssistant | None = None
        """The assistant while it is on screen (tests fill it in here)."""
        self._asked = 0  # which plan the last search for the next candidates was for

    def add_to_menu(self, bar: QMenuBar) -> None:
        """Put Set up again… in the Edit menu, after Settings…."""
        for action in bar.actions():
            menu = action.menu()
            if menu is not None and action.text().replace("&", "") == "Edit":
                menu.addAction(self.setup_action)  # type: ignore[attr-defined]

    # --- the assistant ------------------------------------------------------------------
    def run(self) -> None:
        """Show the assistant (window-modal); its answers are taken when it is done."""
        if self.assistant is not None:
            self.assistant.raise_()
            return
        preferences.save(OFFERED, True)
        from planner.gui.setup_assistant import SetupAssistant  # local: only when shown

        self.assistant = SetupAssistant(self._session.settings, self._parent, self._ask_online)
        self.assistant.finished.connect(self._finished)
        self.assistant.open()

    def _ask_online(self, addresses: list[str]) -> None:
        service = self._session.settings.geocoding.service
        allowed = ask_geocoding_consent(self.assistant or self._parent, addresses, service)
        preferences.save("geocoding_consent", allowed)
        if self.assistant is not None:
            self.assistant.home_page.found.setText(
                "It will be looked up online when the week is planned."
                if allowed
                else "Kept offline: the town's centre is used where one is found."
            )

    def _finished(self, result: int) -> None:
        assistant, self.assistant = self.assistant, None
        if assistant is None:
            return
        assistant.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self.apply(assistant.outcome())

    def apply(self, outcome: SetupOutcome) -> None:
        """Keep the answers, add the calendars, then show today's week planned."""
        session = self._session
        try:
            settings = apply_answers(session.settings, outcome.answers)
        except SettingsError as exc:
            QMessageBox.warning(self._parent, "Setup not saved", str(exc))
            return
        session.set_settings(settings, "Set up planner")
        if session.save_problem:
            QMessageBox.warning(self._parent, "Settings not saved", session.save_problem)
        elif session.settings_path is not None and not session.settings_path.exists():
            from planner.core.settings import save_settings

            try:  # every page skipped: the file says the setup was done, with the defaults
                save_settings(session.settings, session.settings_path)
            except (OSError, SettingsError) as exc:
                QMessageBox.warning(self._parent, "Settings not saved", str(exc))
        sources = [*self._sources(outcome.calendars, "commitments")]
        sources += self._sources(outcome.candidates, "candidates")
        if sources and session.add_sources(sources) is not None:
            self._status.showMessage(f"Added {len(sources)} calendar{'s' * (len(sources) > 1)}")
        self._show_week(self._clock().astimezone(session.settings.zone).date())
        if outcome.typed:
            self._add_typed(outcome.typed)

    @staticmethod
    def _sources(locations: list[str], role: Role) -> list[tuple[Path | str, Role]]:
        from planner.core.model import is_feed
        from planner.core.storage import feed_credentials

        found: list[tuple[Path | str, Role]] = []
        for location in locations:
            if is_feed(location):  # as Subscribe: a password typed in the address is kept apart
                typed = feed_credentials.split_password(location)
                if typed.password is not None:
                    feed_credentials.keep_password(typed.location, typed.password)
                location = typed.location
            found.append((location, role))
        return found

    # --- empty states -------------------------------------------------------------------
    def plan_shown(self, plan: Plan, day: date) -> None:
        """Say what to do next over the week when it has nothing to plan."""
        self._asked += 1
        if plan.decisions:
            self.empty.clear()
            return
        import_files, subscribe, type_event = self._actions
        state = self._session.state
        if not state.sources and not state.added:
            self.empty.say(
                "No calendars yet. Bring in your own calendar (busy times) and the events "
                "you might attend, or type one; planner then proposes the best of them.",
                [
                    ("Import your calendar…", import_files),
                    ("Subscribe to a feed…", subscribe),
                    ("Type an event…", type_event),
                    ("Set up…", self.run),
                ],
            )
            return
        asked, session = self._asked, self._session

        def found(monday: date | None) -> None:
            if asked == self._asked:
                self._say_next(monday, import_files, subscribe)

        run_in_background(
            lambda: saved.next_candidates_week(session, state, day),
            found,
            lambda _error: found(None),
            self._parent,
        )

    def _say_next(
        self, monday: date | None, import_files: Callable[[], None], subscribe: Callable[[], None]
    ) -> None:
        if monday is None:
            self.empty.say(
                "No candidate events this week, nor in the 12 weeks after it.",
                [("Import events…", import_files), ("Subscribe to a feed…", subscribe)],
            )
            return
        when = wording.short_date(monday)
        self.empty.say(
            f"No candidate events this week. Next candidates: week of {when}.",
            [(f"Go to the week of {when}", lambda: self._show_week(monday))],
        )
