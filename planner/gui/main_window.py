"""The main window: the week, the candidates and why, the budget, the details.

Loading and planning run in the background (see :mod:`background`); the
window shows the previous plan until the new one arrives, so it never
freezes. Everything it shows comes from the core's Plan, and everything the
user decides goes through the core's :class:`Session`, which makes it
undoable and, with a store, keeps it: the window re-plans whenever the
session changes.

The window shows the week and moves between weeks; the rest is done by
controllers it makes and hands what each needs, one job each:
:class:`FilesController` (import, export, print, backup, restore),
:class:`FeedsController` (subscriptions, refreshes, the changes list),
:class:`DecisionsController` (commit, refuse, rate, type events, undo),
:class:`SettingsController` (the settings dialog, geocoding consent) and
:class:`HelpController`. Where the parts go is :mod:`window_layout`'s.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QWidget

from planner.core.logs import setup_logging
from planner.core.model import Plan, Severity, is_feed, is_flexible
from planner.core.planning import report
from planner.core.planning.plan import week_of
from planner.core.planning.quotas import quota_use
from planner.core.planning.week import WeekData
from planner.core.session import Change, Session, State
from planner.core.settings import Settings
from planner.core.storage.store import StoreError
from planner.core.text import wording
from planner.core.travel.place_text import location_key
from planner.gui.attendance import AttendanceController
from planner.gui.background import describe_error, run_in_background
from planner.gui.candidate_filter import CandidateFilterProxy
from planner.gui.candidate_model import KEY_ROLE, CandidateTableModel, plan_stars
from planner.gui.decisions_controller import DecisionsController
from planner.gui.details_panel import place_in_doubt
from planner.gui.event_mime import read_drop
from planner.gui.feeds_controller import FeedsController
from planner.gui.files_controller import FilesController
from planner.gui.help_controller import HelpController
from planner.gui.menus import fill_menus
from planner.gui.plan_items import items_for
from planner.gui.publish_controller import PublishController
from planner.gui.settings_controller import SettingsController
from planner.gui.setup_controller import SetupController
from planner.gui.store_watch import StoreWatch
from planner.gui.what_changed import WhatChangedController
from planner.gui.window_layout import LayoutMemory, arrange, make_parts

Planned = tuple[date, tuple[Settings, WeekData, Plan]]


def _plan_for(
    session: Session, state: State, day: date, now: datetime, seek: date | None
) -> Planned:
    """The plan of the week of ``day``, with the day planned. With ``seek`` (on start and
    after an import), a week on screen with no candidate ahead gives way to the first
    week from ``seek`` that has one."""
    if seek is not None and not session.holds_candidates(state, day, now):
        day = session.first_week_with_candidates(state, seek, now)
    return day, session.plan(state, day, now)


class MainWindow(QMainWindow):
    """The planner window for one week at a time, over one :class:`Session`."""

    planned = Signal()
    """Emitted on the GUI thread each time a new plan is shown."""
    planFailed = Signal(str)
    written = Signal()
    """Emitted by the session's background writer (on its thread) after each write; queued
    to the GUI thread, where the outcome is taken and a failure said."""

    def __init__(
        self,
        session: Session,
        week_day: date,
        *,
        now: datetime | None = None,
        ask_consent: bool = True,
        remember_layout: bool = True,
        seek_candidates: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``seek_candidates``: open on the first week from ``week_day`` with candidates
        ahead (no week kept from last time), rather than on ``week_day``'s."""
        super().__init__(parent)
        setup_logging()
        self.session = session
        self._day = week_day
        self._plan: Plan | None = None
        self._week: WeekData | None = None
        self._settings: Settings | None = None
        self._generation = 0
        self._now = now  # a fixed "now" (screenshots); None: the clock
        self._decided = False  # a decision since the last plan: record even a past week
        self._warned = ""  # the last save problem shown, not to repeat it on every change
        # The next plan looks for the first week from this day with candidates ahead.
        self._seek: date | None = week_day if seek_candidates else None
        self._seek_after_feeds = False  # a feed was added: seek once its first copy is in
        self.setWindowTitle("planner")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.model = CandidateTableModel(self)
        self.proxy = CandidateFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        parts = make_parts(self.proxy, now)
        self.headline, self.subline, self.date_picker = (
            parts.headline,
            parts.subline,
            parts.date_picker,
        )
        self.notice, self.changes, self.week_view = parts.notice, parts.changes, parts.week_view
        self.problems = parts.problems
        self.budget, self.streak, self.quick_add = parts.budget, parts.streak, parts.quick_add
        self.filters, self.table, self.details = parts.filters, parts.table, parts.details
        arranged = arrange(self, parts, week_day, self.go_week)
        self.week_scroll, self.split, self.right_split = (
            arranged.week_scroll,
            arranged.split,
            arranged.right_split,
        )
        self._layout = LayoutMemory(self, arranged, remember=remember_layout)

        status = self.statusBar()
        self.feeds = FeedsController(
            session,
            self,
            status,
            self.changes,
            self.notice,
            clock=self._clock,
            reload=self._feeds_refreshed,
            show_event=self.show_event,
        )
        self.files = FilesController(
            session,
            self,
            status,
            plan=lambda: self._plan,
            clock=self._clock,
            after_restore=self.feeds.show_changes,
            notices=lambda: self.problems.notices,
        )
        self.decisions = DecisionsController(
            session,
            self,
            status,
            self.week_view,
            self.notice,
            self.quick_add,
            plan=lambda: self._plan,
            settings=lambda: self._settings or self.session.settings,
            week_day=lambda: self._day,
            clock=self._clock,
            show_week=self.show_week,
        )
        self.attendance = AttendanceController(
            session,
            self,
            status,
            self.week_view,
            self.table,
            event=self.decisions.event,
            clock=self._clock,
        )
        self.attendance.place_bar(self.details)
        self.settings = SettingsController(
            session,
            self,
            status,
            reload=self.reload,
            ask_consent=ask_consent,
            week=self._week_shown,
        )
        self.help = HelpController(self, status)
        self.setup = SetupController(
            session,
            self,
            status,
            self.week_scroll,
            clock=self._clock,
            show_week=self.show_week,
            import_files=lambda: self.files.import_files(),
            subscribe=lambda: self.feeds.subscribe(),
            type_event=lambda: self.quick_add.setFocus(Qt.FocusReason.OtherFocusReason),
            add_typed=self.decisions.add_typed,
        )
        self.what_changed = WhatChangedController(
            self.notice,
            self.week_view,
            self.table,
            self.proxy,
            self.model,
            undo=self.decisions.undo,
            redo=self.decisions.redo,
        )
        # How the planning went sits apart, on the right: a message said to the user (what
        # an import did, "Undone: …") stays until the next one, not overwritten by a re-plan.
        self.plan_status = QLabel()
        self.plan_status.setAccessibleName("Planning")
        status.addPermanentWidget(self.plan_status)
        self.store_watch = StoreWatch(session, self)  # the terminal's decisions, shown live
        self.publisher = PublishController(
            session,
            self,
            status,
            plan=lambda: self._plan,
            settings=lambda: self._settings or self.session.settings,
            clock=self._clock,
            ask_password=lambda account, host: self.feeds.ask_password(account, host),
        )
        fill_menus(
            self,
            files=self.files,
            feeds=self.feeds,
            decisions=self.decisions,
            settings=self.settings,
            help_=self.help,
            find=self.filters.focus_text,
            go_week=self.go_week,
            go_to_date=self._focus_date,
            zoom=self.week_view.zoom,
            replan=self.reload,
            attendance=self.attendance,
            history=self.show_history,
            publish=self.publisher.publish_action,
        )
        self.setup.add_to_menu(self.menuBar())

        self.date_picker.dateChanged.connect(self._picked)
        self.week_view.itemActivated.connect(self.select_event)
        self.week_view.dragRequested.connect(
            lambda key: self.decisions.drag_event(key, self.week_view)
        )
        self.week_view.dropped.connect(self.take_drop)
        self.table.dragRequested.connect(lambda key: self.decisions.drag_event(key, self.table))
        self.table.returned.connect(self.decisions.refuse)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.starsEdited.connect(self.decisions.rate)
        self.details.fixPlaceRequested.connect(self.fix_place)
        self.filters.textChanged.connect(self.proxy.set_text)
        self.filters.categoryChanged.connect(self.proxy.set_category)
        self.filters.statusChanged.connect(self.proxy.set_status)
        self.session.listeners.append(self._session_changed)
        self.written.connect(self._say_save_problem)
        self._layout.restore()
        self.decisions.update_undo_actions()
        self._remember_week()
        self.planned.connect(self._after_first_plan)
        self.replan()

    def _after_first_plan(self) -> None:
        """The feeds' news and refreshes wait for the first plan: the window comes first."""
        self.planned.disconnect(self._after_first_plan)
        self.feeds.start()
        self.publisher.start()  # the weeks waiting in the publish queue

    # --- window state -------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        self._layout.shown()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to the window (from a terminal, say): take in what another planner
        changed in the store meanwhile (``planner commit``), so the week and Undo show it."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.session.sync()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.store_watch.stop()
        self._say_save_problem(wait=True)  # every change on disk before the window goes
        self._layout.save()
        super().closeEvent(event)

    # --- drops on the window ------------------------------------------------------------
    def take_drop(self, mime: QMimeData) -> None:
        """A drop on the week: a candidate is committed to, .ics data or files are imported,
        a link from a browser is previewed as if pasted into the add field."""
        dropped = read_drop(mime)
        if dropped.key and self.decisions.event(dropped.key) is not None:
            self.decisions.pin(dropped.key)
        elif dropped.files:
            self.files.import_files([str(f) for f in dropped.files])
        elif dropped.calendar:
            self.files.import_dropped_calendar(dropped.calendar)
        elif dropped.links:
            self.add_links(dropped.links)

    def add_links(self, links: list[str]) -> None:
        """Links dropped on the window: the add preview reads their pages (with consent),
        once the drop is over (the browser waits for the drop to end, not the dialog)."""
        text = "\n".join(links)
        QTimer.singleShot(0, self, lambda: self.decisions.add_typed(text, typed=False))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        dropped = read_drop(event.mimeData())
        if dropped.files or dropped.links:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = read_drop(event.mimeData())
        if dropped.files:
            event.acceptProposedAction()
            self.files.import_files([str(f) for f in dropped.files])
        elif dropped.links:
            event.acceptProposedAction()
            self.add_links(dropped.links)

    # --- the week shown -----------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        return self._plan

    def go_week(self, step_days: int) -> None:
        """Move by ``step_days`` (0: back to the week holding today)."""
        if step_days == 0:
            self.show_week(self._today())
        else:
            self.show_week(self._day + timedelta(days=step_days))

    def _week_shown(self) -> date:
        """The Monday of the week shown (this week's before the first plan)."""
        if self._plan is not None:
            return self._plan.week_start.date()
        today = self._clock().astimezone(self.session.settings.zone).date()
        return today - timedelta(days=today.weekday())

    def show_week(self, day: date) -> None:
        self._day = day
        picked = QDate(day.year, day.month, day.day)
        if self.date_picker.date() != picked:
            self.date_picker.blockSignals(True)
            self.date_picker.setDate(picked)
            self.date_picker.blockSignals(False)
        self._remember_week()
        self.replan()

    def show_event(self, key: str, day: date) -> None:
        """Select event ``key`` on ``day``, moving to its week first if need be."""
        if week_of(day, self.session.settings) != week_of(self._day, self.session.settings):
            self.show_week(day)

            def select() -> None:
                self.planned.disconnect(select)
                self.select_event(key)

            self.planned.connect(select)
        else:
            self.select_event(key)

    def _remember_week(self) -> None:
        """Keep the week shown, to open on it next time."""
        store, day = self.session.store, self._day
        if store is not None:
            self.session.keep("the week shown", lambda: store.save_week(day))

    def _clock(self) -> datetime:
        return self._now or datetime.now(UTC).astimezone()

    def _picked(self, picked: QDate) -> None:
        day = date(picked.year(), picked.month(), picked.day())
        if day != self._day:
            self.show_week(day)

    def _focus_date(self) -> None:
        self.date_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.date_picker.selectAll()

    def _today(self) -> date:
        """Today where the user plans (by the window's clock: fixed for a screenshot)."""
        now = self._clock()
        return now.date() if self._settings is None else now.astimezone(self._settings.zone).date()

    # --- planning -----------------------------------------------------------------------
    def reload(self) -> None:
        """Read the calendars again (they may have changed on disk) and re-plan."""
        self.session.forget_loaded()
        self.replan()

    def _feeds_refreshed(self) -> None:
        """Feeds were downloaded: read again, and after a new subscription's first copy,
        show the first week with candidates."""
        if self._seek_after_feeds:
            self._seek_after_feeds = False
            self._seek_from_today()
        self.reload()

    def _seek_from_today(self) -> None:
        """Have the next plan show, unless the week on screen has candidates ahead, the
        first week from today that has."""
        self._seek = self._today()

    def replan(self) -> None:
        """Plan the current week in the background; only the newest request is shown."""
        self.plan_status.setText("Planning…")
        self._generation += 1
        generation, state, day = self._generation, self.session.state, self._day
        seek, self._seek = self._seek, None

        def done(result: Planned) -> None:
            if generation == self._generation:
                planned, shown = result
                if planned != self._day:
                    self._go_quietly(planned)
                self._show(*shown)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                message = describe_error(error)
                self.plan_status.setText("")
                self.statusBar().showMessage(f"Could not plan the week: {message}")
                self.planFailed.emit(message)

        session, now = self.session, self._clock()
        run_in_background(lambda: _plan_for(session, state, day, now, seek), done, failed, self)

    def _go_quietly(self, day: date) -> None:
        """Move to the week of ``day`` found by a seek: the plan for it is the one at hand."""
        self._day = day
        self.date_picker.blockSignals(True)
        self.date_picker.setDate(QDate(day.year, day.month, day.day))
        self.date_picker.blockSignals(False)
        self._remember_week()

    def _show(self, settings: Settings, week: WeekData, plan: Plan) -> None:
        self._settings, self._week, self._plan = settings, week, plan
        selected = self.week_view.selected_key()
        self.week_view.set_week(
            plan.week_start.date(), settings.zone, items_for(plan), settings.latest_home
        )
        self.model.set_plan(plan, plan_stars(plan, settings, self.session.choices))
        self.filters.set_categories(sorted({d.event.category for d in plan.decisions}))
        self.budget.set_budget(plan.budget, plan.targets, quota_use(plan, settings))
        b = plan.budget
        start = week_of(self._day, settings)
        end = start + timedelta(days=6)
        heading = wording.long_date(start, named=False)
        self.headline.setText(
            f"Week of {heading}: {b.events} event{'s' if b.events != 1 else ''} planned"
            if plan.decisions
            else f"Week of {heading}: no candidate events"
        )
        days = f"{wording.short_date(start)} – {wording.short_date(end)}"
        self.subline.setText(f"{report.summary_line(plan)}  ({days})")
        self.setWindowTitle(
            f"planner — week of {wording.short_date(start, year=True, named=False)}"
        )
        proof = "optimal" if plan.optimal else "best found (time limit), not proven optimal"
        took = "under 0.01 s" if plan.solve_seconds < 0.005 else f"{plan.solve_seconds:.2f} s"
        message = f"Planned {len(plan.decisions)} candidates in {took}: {proof}"
        # Places in doubt are said on each event, with a way to fix them, not counted here.
        reading = [p for p in week.problems if p.source or p.severity is not Severity.NOTE]
        if reading:
            message += f" · {len(reading)} problem(s) reading calendars (see tooltip)"
        doubtful = len({location_key(d.event.place) for d in plan.decisions if place_in_doubt(d)})
        if doubtful:
            message += (
                f" · {doubtful} place{'s' if doubtful != 1 else ''} only roughly known: "
                "select an event to fix its place"
            )
        self.plan_status.setToolTip("\n".join(str(p) for p in week.problems))
        self.plan_status.setText(message)
        self.problems.show_notices(report.notices(plan, week.problems))
        if not selected:
            self._scroll_to_evening()
        self.select_event(selected)
        self.decisions.check_pin(plan)
        self.setup.plan_shown(plan, self._day)
        self.what_changed.planned(plan)
        self._record(plan)
        self.publisher.plan_shown()
        self.planned.emit()
        self.settings.offer_geocoding(week.pending_addresses, settings)

    def _record(self, plan: Plan) -> None:
        """Keep the week's plan in the history (monthly quotas, the streak).

        A week that is over keeps what was recorded while it was ahead, unless the
        user changed a decision in it (refused an event they did not go to).
        """
        decided, self._decided = self._decided, False
        store = self.session.store
        if store is None:
            self.streak.setText("")
            return
        now = self._clock()
        recorded: list[date] = []
        if decided or plan.week_start + timedelta(days=7) > now:
            # One name per week: a queued record of another week is never replaced by this.
            week = plan.week_start.date().isoformat()
            self.session.keep(f"the history of the week of {week}", lambda: store.record_week(plan))
            if any(not is_flexible(d.event) for d in plan.chosen):
                recorded.append(plan.week_start.date())
        try:
            weeks = store.streak(
                now.astimezone(plan.week_start.tzinfo).date(), with_events=recorded
            )
        except (sqlite3.Error, StoreError) as exc:
            self.streak.setText("")
            self.statusBar().showMessage(f"Could not keep the week's history: {exc}")
            return
        self.streak.setText(
            f"{weeks} week{'s' if weeks != 1 else ''} in a row with networking" if weeks else ""
        )
        self.streak.setToolTip(
            "Weeks in a row (up to this one) with at least one event planned or attended: "
            "networking steadily is the point, not only when a job is lost."
        )

    def show_history(self) -> None:
        """View > History: the last months charted (imported now, not at start-up)."""
        from planner.gui.history_view import HistoryDialog

        store = self.session.store
        if store is None:
            self.statusBar().showMessage("No history: this window keeps nothing (a demo shot)")
            return
        self.session.flush()  # the week's history and the marks, written first
        zone = (self._settings or self.session.settings).zone
        dialog = HistoryDialog(store, self._clock().astimezone(zone).date(), self)
        self.history_dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _scroll_to_evening(self) -> None:
        """When the hours do not all fit, show the week's events: all of them if their
        hours fit, else the evening, where most are (the drive home included)."""
        value = self.week_view.events_scroll(self.week_scroll.viewport().height())
        if value is not None:
            self.week_scroll.verticalScrollBar().setValue(value)

    def _session_changed(self, change: Change) -> None:
        # Something else was done: the last message goes (what did it says its own after).
        self.statusBar().clearMessage()
        undone = self.session.state is change.before and change.before is not change.after
        self.what_changed.decided(change, self._plan, undone=undone)
        self.decisions.update_undo_actions()
        self._say_save_problem()
        before, after = change.before.choices, change.after.choices
        if replace(before, marks=after.marks) != after:  # not only a mark (did you go?)
            self._decided = True
        added = set(change.after.sources) - set(change.before.sources)
        if added:  # an import: show where its events are (a feed's once it is downloaded)
            self._seek_from_today()
            self._seek_after_feeds = any(is_feed(s.path) for s in added)
        self.publisher.decided()  # with automatic publishing, the new plan is published
        self.replan()
        if change.before.sources != change.after.sources:
            self.feeds.sources_changed()  # a new feed is fetched at once
        if change.after.settings.web.fill_venues and not change.before.settings.web.fill_venues:
            self.feeds.venues_allowed()  # the venues feeds leave out are read at once

    def _say_save_problem(self, *, wait: bool = False) -> None:
        """Warn once about changes that could not be kept (``wait``: after every pending
        write ran, as before quitting)."""
        if wait:
            self.session.flush()
        else:
            self.session.take_written()
        problem = self.session.save_problem
        if problem and problem != self._warned:
            QMessageBox.warning(self, "Not saved", problem)
        self._warned = problem
        if self.session.kept_problem:  # the week shown, the history: worth a word, no more
            self.statusBar().showMessage(self.session.kept_problem.capitalize())
            self.session.kept_problem = ""

    # --- selection ----------------------------------------------------------------------
    def select_event(self, key: str) -> None:
        """Select one event everywhere: week, table and details ("" clears)."""
        self.week_view.select(key)
        self.attendance.show_for(key)
        row = self.model.row_of(key) if key else -1
        if row < 0:
            self.details.show_decision(None)
            self.table.clearSelection()
            return
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if proxy_index.isValid():
            self.table.selectionModel().setCurrentIndex(
                proxy_index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(proxy_index)
        self.details.show_decision(self.model.decision(row))

    def fix_place(self, key: str, fixed: str | None = None) -> None:
        """Ask where event ``key`` really is (or take ``fixed``), keep the answer for every
        event written at the same place, and plan again."""
        row = self.model.row_of(key) if key else -1
        store = self.session.store
        if row < 0:
            return
        decision = self.model.decision(row)
        if store is None:
            self.statusBar().showMessage("A place can be fixed only with your saved planning")
            return
        if fixed is None:
            from planner.gui.place_fix_dialog import PlaceFixDialog

            settings = self._settings or self.session.settings
            dialog = PlaceFixDialog(decision.event.place, settings, place_in_doubt(decision), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            fixed = dialog.fixed()
        location = location_key(decision.event.place)
        # An event fixed before shows the fixed text: the fix is filed under the original.
        fixes = store.place_fixes()
        originals = [k for k, v in fixes.items() if v.casefold() == location] or [location]
        answer = fixed

        def write() -> None:
            for original in originals:
                store.fix_place(original, answer)

        self.session.keep("the place's fix", write)
        self.session.flush()  # the next plan reads the fix
        self.statusBar().showMessage(f"Every event at “{originals[0]}” is now at “{answer}”")
        self.reload()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        key = self.proxy.data(current, KEY_ROLE)
        if key and key != self.week_view.selected_key():
            self.week_view.select(key)
            self.attendance.show_for(key)
            self.details.show_decision(self.model.decision(self.model.row_of(key)))
