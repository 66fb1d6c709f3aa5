"""The user's settings from the window: the settings dialog, and the one question planner
asks about them by itself (may addresses be looked up online?).

A change goes through the core's :class:`Session`, which writes the settings
file and keeps the change undoable; the window re-plans because the session
changed. Geocoding consent is asked once per session, the first time a week
has addresses to look up, and remembered among planner's own preferences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QStatusBar, QWidget

from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage import preferences
from planner.gui.actions import make_action
from planner.gui.consent_dialog import ask_geocoding_consent


class SettingsController:
    """The settings dialog and the geocoding question, for one window over one session."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        *,
        reload: Callable[[], None],
        ask_consent: bool = True,
        week: Callable[[], date] | None = None,
    ) -> None:
        """``reload`` reads the calendars again and re-plans (addresses may now be looked
        up); ``ask_consent`` False never asks (screenshots, tests); ``week`` is the Monday
        of the week shown (the timetables dialog says which feeds do not cover it)."""
        self._session = session
        self._parent = parent
        self._status = status
        self._reload = reload
        self._ask_consent = ask_consent
        self._week = week or (lambda: datetime.now(session.settings.zone).date())
        self.settings_action = make_action(
            parent, "&Settings…", self.edit_settings, QKeySequence("Ctrl+,")
        )
        self.timetables_action = make_action(parent, "&Timetables…", self.edit_timetables)

    def edit_settings(self) -> None:
        """Show the settings dialog; a change is kept (or it is said why not)."""
        from planner.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self._session.settings, self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self._session.set_settings(dialog.settings()) is None:
            return
        if self._session.save_problem:
            QMessageBox.warning(self._parent, "Settings not saved", self._session.save_problem)
        elif self._session.settings_path is None:
            self._status.showMessage(
                "Settings changed for this session (start planner with --settings FILE.toml "
                "to keep them)"
            )

    def edit_timetables(self) -> None:
        """Show the timetables dialog; the feeds the user leaves there become
        ``[transit] gtfs`` (kept, undoable, re-planned like any settings change)."""
        from planner.gui.timetables_dialog import TimetablesDialog

        settings = self._session.settings
        dialog = TimetablesDialog(settings.transit.gtfs, self._week(), self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        transit = replace(settings.transit, gtfs=tuple(dialog.paths()))
        changed = self._session.set_settings(
            replace(settings, transit=transit), "Change timetables"
        )
        if changed is not None and self._session.save_problem:
            QMessageBox.warning(self._parent, "Settings not saved", self._session.save_problem)

    def offer_geocoding(self, addresses: list[str], settings: Settings) -> None:
        """A plan with addresses to look up: ask, once per session, soon after it is shown."""
        if addresses and self._ask_consent:
            self._ask_consent = False  # once per session; the answer is remembered
            QTimer.singleShot(0, lambda: self.ask_geocoding(addresses, settings))

    def ask_geocoding(self, addresses: list[str], settings: Settings) -> None:
        """Ask whether addresses may be looked up online; remember; re-plan."""
        service = settings.geocoding.service
        allowed = ask_geocoding_consent(self._parent, addresses, service)
        preferences.save("geocoding_consent", allowed)
        if allowed:
            self._status.showMessage(f"Looking up {len(addresses)} addresses…")
            self._reload()
