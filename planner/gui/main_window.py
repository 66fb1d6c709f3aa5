"""The main window: the week, the candidates and why, the budget, the details.

Loading and planning run in the background (see :mod:`background`); the
window shows the previous plan until the new one arrives, so it never
freezes. Everything it shows comes from the core's Plan, and everything the
user decides goes through the core's :class:`Session`, which makes it
undoable and, with a store, keeps it: the window re-plans whenever the
session changes. Subscribed feeds are refreshed in the background
(:class:`FeedRefresher`) and what changed for committed events is listed
(:class:`ChangesPanel`) rather than silently re-planned.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QCursor,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner import __version__
from planner.core.calendars import attend_list
from planner.core.model import Event, Plan
from planner.core.planning import report
from planner.core.planning.plan import week_of
from planner.core.planning.quotas import quota_use
from planner.core.planning.week import WeekData
from planner.core.session import Change, Session, State
from planner.core.settings import Settings
from planner.core.storage import preferences
from planner.gui.background import Job, describe_error, run_in_background
from planner.gui.budget_panel import BudgetPanel
from planner.gui.candidate_filter import CandidateFilterProxy
from planner.gui.candidate_model import COLUMNS, KEY_ROLE, CandidateTableModel, plan_stars
from planner.gui.candidate_table import CandidateTable
from planner.gui.changes_panel import ChangesPanel
from planner.gui.consent_dialog import ask_geocoding_consent
from planner.gui.details_panel import DetailsPanel
from planner.gui.event_mime import can_take, mime_for, read_drop
from planner.gui.feed_refresher import FeedRefresher, Refreshed
from planner.gui.filter_bar import FilterBar
from planner.gui.notice_bar import NoticeBar
from planner.gui.plan_items import items_for
from planner.gui.quick_add_field import QuickAddField
from planner.gui.stars_delegate import StarsDelegate
from planner.gui.week_view import WeekView


def _plan_for(session: Session, state: State, day: date) -> tuple[Settings, WeekData, Plan]:
    return session.plan(state, day)


class MainWindow(QMainWindow):
    """The planner window for one week at a time, over one :class:`Session`."""

    planned = Signal()
    """Emitted on the GUI thread each time a new plan is shown."""
    planFailed = Signal(str)

    def __init__(
        self,
        session: Session,
        week_day: date,
        *,
        now: datetime | None = None,
        ask_consent: bool = True,
        remember_layout: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ask_consent = ask_consent
        self._remember_layout = remember_layout
        self.session = session
        self._day = week_day
        self._plan: Plan | None = None
        self._week: WeekData | None = None
        self._settings: Settings | None = None
        self._jobs: set[Job] = set()
        self._generation = 0
        self._watch_pin = ""  # a key just committed to: say if it breaks a rule
        self._now = now  # a fixed "now" (screenshots); None: the clock
        self._decided = False  # a decision since the last plan: record even a past week
        self._warned = ""  # the last save problem shown, not to repeat it on every change
        self.setWindowTitle("planner")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.headline = QLabel("Planning the week…")
        self.headline.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.subline = QLabel("")
        self.subline.setWordWrap(True)
        self.subline.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.notice = NoticeBar()
        self.week_view = WeekView()
        self.week_view.accepts_mime = can_take
        if now is not None:
            self.week_view.set_now(now)
        self.model = CandidateTableModel(self)
        self.proxy = CandidateFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = CandidateTable()
        self.table.setItemDelegateForColumn(COLUMNS.index("Value"), StarsDelegate(self.table))
        self.budget = BudgetPanel()
        self.details = DetailsPanel()
        self.filters = FilterBar()
        self.quick_add = QuickAddField()
        self.changes = ChangesPanel()
        self.streak = QLabel("")
        self.streak.setAccessibleName("Weeks in a row with networking")
        self.date_picker = QDateEdit()
        self._build_layout()
        self._build_menus()
        self.week_view.itemActivated.connect(self.select_event)
        self.week_view.dragRequested.connect(lambda key: self.drag_event(key, self.week_view))
        self.week_view.dropped.connect(self.take_drop)
        self.table.dragRequested.connect(lambda key: self.drag_event(key, self.table))
        self.table.returned.connect(self._refuse_key)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.starsEdited.connect(self._rate_key)
        self.filters.textChanged.connect(self.proxy.set_text)
        self.filters.categoryChanged.connect(self.proxy.set_category)
        self.filters.statusChanged.connect(self.proxy.set_status)
        self.notice.rejected.connect(self.undo)
        self.quick_add.submitted.connect(self.add_typed)
        self.changes.seen.connect(self._changes_seen)
        self.changes.eventActivated.connect(self._show_changed)
        self.session.listeners.append(self._session_changed)
        self.refresher: FeedRefresher | None = None
        if session.store is not None:
            self.refresher = FeedRefresher(
                session.store, lambda: self.session.state.sources, self, now=self._clock
            )
            self.refresher.refreshed.connect(self._feeds_refreshed)
        self._restore_geometry()
        self._update_undo_actions()
        self._remember_week()
        self.planned.connect(self._after_first_plan)
        self.replan()

    def _after_first_plan(self) -> None:
        """The feeds' news and refreshes wait for the first plan: the window comes first."""
        self.planned.disconnect(self._after_first_plan)
        self._show_changes()
        if self.refresher is not None:
            self.refresher.start()

    # --- layout -------------------------------------------------------------------------
    def _build_layout(self) -> None:
        nav = QHBoxLayout()
        for text, tip, step in (
            ("◀", "Previous week (Alt+Left)", -7),
            ("Today", "This week (Alt+Home)", 0),
            ("▶", "Next week (Alt+Right)", 7),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.setFixedWidth(64 if step == 0 else 36)
            button.clicked.connect(lambda _=False, s=step: self.go_week(s))
            nav.addWidget(button)
        self.date_picker.setCalendarPopup(True)
        self.date_picker.setDisplayFormat("ddd d MMM yyyy")
        self.date_picker.setDate(QDate(self._day.year, self._day.month, self._day.day))
        self.date_picker.setToolTip("Go to the week of a date (Ctrl+G)")
        self.date_picker.setAccessibleName("Week of date")
        self.date_picker.dateChanged.connect(self._picked)
        nav.addWidget(self.date_picker)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.headline)
        titles.addWidget(self.subline)
        header.addLayout(titles, 1)
        header.addLayout(nav)

        scroll = QScrollArea()
        scroll.setWidget(self.week_view)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.week_scroll = scroll

        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("Status"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {
            "When": 100,
            "Status": 66,
            "Event": 170,
            "Travel": 62,
            "Cost": 44,
            "Value": 84,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(COLUMNS.index(column), width)
        # The reason is the longest text: it takes whatever width the short columns leave
        # (all of it is in the tooltip and the details). The category is in the filter.
        head.setStretchLastSection(False)
        head.setSectionResizeMode(COLUMNS.index("Why"), QHeaderView.ResizeMode.Stretch)
        head.moveSection(head.visualIndex(COLUMNS.index("Why")), len(COLUMNS) - 2)
        self.table.setColumnHidden(COLUMNS.index("Category"), True)

        right = QSplitter(Qt.Orientation.Vertical)
        budget_box = QWidget()
        box = QVBoxLayout(budget_box)
        box.setContentsMargins(0, 0, 0, 0)
        title = QHBoxLayout()
        title.addWidget(QLabel("<b>This week's budget</b>"), 1)
        title.addWidget(self.streak)
        box.addLayout(title)
        box.addWidget(self.budget)
        list_box = QWidget()
        box = QVBoxLayout(list_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(
            QLabel(
                "<b>Candidates</b>: drag one onto the week to commit to it, "
                "or off the week to refuse it"
            )
        )
        box.addWidget(self.quick_add)
        box.addWidget(self.filters)
        box.addWidget(self.table)
        details = QScrollArea()
        details.setWidget(self.details)
        details.setWidgetResizable(True)
        details.setFrameShape(QScrollArea.Shape.NoFrame)
        right.addWidget(budget_box)
        right.addWidget(list_box)
        right.addWidget(details)
        right.setStretchFactor(1, 3)
        right.setStretchFactor(2, 1)
        right.setSizes([190, 400, 260])
        self.right_split = right

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        self.split = split
        self._split_restored = False

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.changes)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)

    def _build_menus(self) -> None:
        keys = QKeySequence.StandardKey
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Import calendars…", self.import_files, QKeySequence(keys.Open))
        self.subscribe_action = self._action(
            file_menu, "&Subscribe to feed…", self.subscribe, QKeySequence("Ctrl+Shift+O")
        )
        self._action(file_menu, "&Calendars…", self.show_sources, QKeySequence("Ctrl+Shift+K"))
        self.refresh_action = self._action(
            file_menu, "Re&fresh feeds", self.refresh_feeds, QKeySequence("Ctrl+R")
        )
        file_menu.addSeparator()
        self.export_ics_action = self._action(
            file_menu, "&Export attend-list (.ics)…", self.export_ics, QKeySequence("Ctrl+E")
        )
        self._action(file_menu, "Export attend-list (&CSV)…", self.export_csv)
        self._action(file_menu, "Export &agenda (PDF)…", self.export_pdf)
        self._action(file_menu, "&Print agenda…", self.print_agenda, QKeySequence(keys.Print))
        file_menu.addSeparator()
        self.backup_action = self._action(file_menu, "&Back up everything…", self.back_up)
        self.restore_action = self._action(file_menu, "&Restore from backup…", self.restore)
        for action in (
            self.subscribe_action,
            self.refresh_action,
            self.backup_action,
            self.restore_action,
        ):
            action.setEnabled(self.session.store is not None)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence(keys.Quit))

        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.undo, QKeySequence(keys.Undo))
        self.redo_action = self._action(edit, "&Redo", self.redo, QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(keys.Redo)])
        edit.addSeparator()
        self.pin_action = self._action(
            edit, "&Commit to event", self.pin_selected, QKeySequence("Ctrl+Return")
        )
        self.refuse_action = self._action(
            edit, "Re&fuse event", self.refuse_selected, QKeySequence(keys.Delete)
        )
        self.undecide_action = self._action(
            edit, "&Leave to the planner", self.undecide_selected, QKeySequence("Ctrl+Backspace")
        )
        edit.addSeparator()
        self._action(edit, "&Add events…", self._focus_quick_add, QKeySequence(keys.New))
        self._action(edit, "&Find candidates", self.filters.focus_text, QKeySequence(keys.Find))
        self._action(edit, "&Settings…", self.edit_settings, QKeySequence("Ctrl+,"))

        view = self.menuBar().addMenu("&View")
        self._action(view, "&Previous week", lambda: self.go_week(-7), QKeySequence("Alt+Left"))
        self._action(view, "&Next week", lambda: self.go_week(7), QKeySequence("Alt+Right"))
        self._action(view, "&This week", lambda: self.go_week(0), QKeySequence("Alt+Home"))
        self._action(view, "&Go to date…", self._focus_date, QKeySequence("Ctrl+G"))
        view.addSeparator()
        self._action(view, "Zoom &in", lambda: self.week_view.zoom(1), QKeySequence(keys.ZoomIn))
        self._action(view, "Zoom &out", lambda: self.week_view.zoom(-1), QKeySequence(keys.ZoomOut))
        self._action(view, "&Re-plan", self.reload, QKeySequence(keys.Refresh))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About planner", self._about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- window state -------------------------------------------------------------------
    def _qsettings(self) -> QSettings:
        return QSettings(str(preferences.config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        if not self._remember_layout:
            return
        stored = self._qsettings()
        geometry = stored.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        for name, splitter in (("split", self.split), ("right_split", self.right_split)):
            state = stored.value(name)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
                self._split_restored = True

    def showEvent(self, event: QShowEvent) -> None:
        if not self._split_restored:  # first run: the week and the list share the width
            self._split_restored = True
            QTimer.singleShot(0, self._share_width)
        super().showEvent(event)

    def _share_width(self) -> None:
        width = sum(self.split.sizes())
        self.split.setSizes([int(width * 0.52), width - int(width * 0.52)])

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._remember_layout:
            super().closeEvent(event)
            return
        stored = self._qsettings()
        stored.setValue("geometry", self.saveGeometry())
        stored.setValue("split", self.split.saveState())
        stored.setValue("right_split", self.right_split.saveState())
        stored.sync()
        super().closeEvent(event)

    # --- planning -----------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        return self._plan

    def go_week(self, step_days: int) -> None:
        """Move by ``step_days`` (0: back to the week holding today)."""
        if step_days == 0:
            self.show_week(self._today())
        else:
            self.show_week(self._day + timedelta(days=step_days))

    def show_week(self, day: date) -> None:
        self._day = day
        picked = QDate(day.year, day.month, day.day)
        if self.date_picker.date() != picked:
            self.date_picker.blockSignals(True)
            self.date_picker.setDate(picked)
            self.date_picker.blockSignals(False)
        self._remember_week()
        self.replan()

    def _remember_week(self) -> None:
        """Keep the week shown, to open on it next time."""
        store = self.session.store
        if store is not None:
            try:
                store.save_week(self._day)
            except Exception as exc:  # worth a word, not a lost window
                self.statusBar().showMessage(f"Could not remember the week: {exc}")

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
        if self._settings is None:
            return datetime.now(UTC).astimezone().date()
        return datetime.now(self._settings.zone).date()

    def reload(self) -> None:
        """Read the calendars again (they may have changed on disk) and re-plan."""
        self.session.forget_loaded()
        self.replan()

    def replan(self) -> None:
        """Plan the current week in the background; only the newest request is shown."""
        self.statusBar().showMessage("Planning…")
        self._generation += 1
        generation, state, day = self._generation, self.session.state, self._day
        job: Job | None = None

        def done(result: tuple[Settings, WeekData, Plan]) -> None:
            self._jobs.discard(job)  # type: ignore[arg-type]
            if generation == self._generation:
                self._show(*result)

        def failed(error: Exception) -> None:
            self._jobs.discard(job)  # type: ignore[arg-type]
            if generation == self._generation:
                message = describe_error(error)
                self.statusBar().showMessage(f"Could not plan the week: {message}")
                self.planFailed.emit(message)

        session = self.session
        job = run_in_background(lambda: _plan_for(session, state, day), done, failed, self)
        self._jobs.add(job)

    def _show(self, settings: Settings, week: WeekData, plan: Plan) -> None:
        self._settings, self._week, self._plan = settings, week, plan
        selected = self.week_view.selected_key()
        self.week_view.set_week(plan.week_start.date(), settings.zone, items_for(plan))
        self.model.set_plan(plan, plan_stars(plan, settings, self.session.choices))
        self.filters.set_categories(sorted({d.event.category for d in plan.decisions}))
        self.budget.set_budget(plan.budget, plan.targets, quota_use(plan, settings))
        b = plan.budget
        start = week_of(self._day, settings)
        end = start + timedelta(days=6)
        self.headline.setText(
            f"Week of {start:%d %B %Y}: {b.events} event{'s' if b.events != 1 else ''} planned"
            if plan.decisions
            else f"Week of {start:%d %B %Y}: no candidate events"
        )
        self.subline.setText(report.summary_line(plan) + f"  ({start:%a %d %b} – {end:%a %d %b})")
        self.setWindowTitle(f"planner — week of {start:%d %b %Y}")
        proof = "optimal" if plan.optimal else "best found (time limit), not proven optimal"
        message = f"Planned {len(plan.decisions)} candidates in {plan.solve_seconds:.2f} s: {proof}"
        if week.problems:
            message += f" · {len(week.problems)} problem(s) reading calendars (see tooltip)"
            self.statusBar().setToolTip("\n".join(week.problems))
        self.statusBar().showMessage(message)
        if not selected:
            self._scroll_to_evening()
        self.select_event(selected)
        self._check_watched_pin(plan)
        self._record(plan)
        self.planned.emit()
        if week.pending_addresses and self._ask_consent:
            self._ask_consent = False  # once per session; the answer is remembered
            QTimer.singleShot(0, lambda: self.ask_geocoding(week.pending_addresses, settings))

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
        try:
            if decided or plan.week_start + timedelta(days=7) > now:
                store.record_week(plan)
            weeks = store.streak(now.astimezone(plan.week_start.tzinfo).date())
        except Exception as exc:
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

    def _check_watched_pin(self, plan: Plan) -> None:
        key, self._watch_pin = self._watch_pin, ""
        pinned = next((d for d in plan.decisions if d.event.key == key), None)
        if pinned is not None and pinned.breaks:
            self.notice.ask(
                f"“{html.escape(pinned.event.summary)}” breaks a rule: it "
                f"{html.escape(pinned.breaks)}. Keep it in your week anyway?",
                keep="Keep it",
                undo="Undo",
            )

    def ask_geocoding(self, addresses: list[str], settings: Settings) -> None:
        """Ask once whether addresses may be looked up online; remember; re-plan."""
        service = settings.geocoding.service
        allowed = ask_geocoding_consent(self, addresses, service)
        preferences.save("geocoding_consent", allowed)
        if allowed:
            self.statusBar().showMessage(f"Looking up {len(addresses)} addresses…")
            self.reload()

    def _scroll_to_evening(self) -> None:
        rect = (
            self.week_view.item_rect(self.plan.chosen[0].event.key)
            if (self.plan and self.plan.chosen)
            else None
        )
        if rect is not None:
            self.week_scroll.ensureVisible(
                0, int(rect.center().y()), 0, int(self.week_scroll.height() / 2)
            )

    # --- decisions ----------------------------------------------------------------------
    def _session_changed(self, change: Change) -> None:
        self._update_undo_actions()
        problem = self.session.save_problem
        if problem and problem != self._warned:
            QMessageBox.warning(self, "Not saved", problem)
        self._warned = problem
        if change.before.choices != change.after.choices:
            self._decided = True
        self.replan()
        if change.before.sources != change.after.sources and self.refresher is not None:
            self.refresher.refresh(everything=False)  # a new feed is fetched at once

    # --- feeds and their changes --------------------------------------------------------
    def subscribe(self, url: str = "") -> None:
        """Ask for a feed's address and subscribe; it is fetched at once, in the background."""
        from planner.gui.subscribe_dialog import SubscribeDialog

        dialog = SubscribeDialog(self, url)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self.session.add_sources([(dialog.location(), dialog.chosen_role())]) is not None:
            self.statusBar().showMessage(f"Subscribed; downloading {dialog.location()}…")

    def show_sources(self) -> None:
        """List the calendars read, with each feed's state; remove one (undoable)."""
        from planner.gui.sources_dialog import SourcesDialog

        dialog = SourcesDialog(self.session, self._clock(), self)
        self._sources_dialog = dialog  # for tests: the dialog on screen
        dialog.exec()

    def refresh_feeds(self) -> None:
        """Fetch every subscribed feed now (only what changed is downloaded)."""
        if self.refresher is None or not self.refresher.refresh(everything=True):
            self.statusBar().showMessage("No calendar feeds to refresh")
        else:
            self.statusBar().showMessage("Refreshing feeds…")

    def _feeds_refreshed(self, result: Refreshed) -> None:
        self.statusBar().showMessage(result.summary)
        if result.errors:
            self.statusBar().setToolTip("\n".join(result.errors))
        if result.changed:
            self.notice.hide()  # its question was about the event as it was; see the list
        if result.fetched:
            # A first download, a change, or an error to report with the week: read again.
            self.session.forget_loaded()
            self.replan()
        self._show_changes()

    def _show_changes(self) -> None:
        from planner.core.storage.feeds import changes_since

        store = self.session.store
        if store is None:
            return
        try:
            self.changes.set_changes(changes_since(store, store.changes_seen()))
        except Exception as exc:
            self.statusBar().showMessage(f"Could not read the feeds' changes: {exc}")

    def _changes_seen(self) -> None:
        store = self.session.store
        if store is not None:
            store.mark_changes_seen(self._clock())

    def _show_changed(self, key: str, day: date) -> None:
        if week_of(day, self.session.settings) != week_of(self._day, self.session.settings):
            self.show_week(day)
            self.planned.connect(self._select_once(key))
        else:
            self.select_event(key)

    def _select_once(self, key: str) -> Callable[[], None]:
        def select() -> None:
            self.planned.disconnect(select)
            self.select_event(key)

        return select

    # --- typed events -------------------------------------------------------------------
    def _focus_quick_add(self) -> None:
        self.quick_add.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.quick_add.selectAll()

    def add_typed(self, text: str) -> None:
        """Preview what was typed or pasted (read off the GUI thread), then add it."""
        from planner.gui.quick_add_dialog import QuickAddDialog

        settings = self._settings or self.session.settings
        dialog = QuickAddDialog(text, settings, self._reference(settings), self)
        self._quick_add_dialog = dialog  # for tests: the dialog on screen
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        events = dialog.events()
        if events and self.session.add_events(events) is not None:
            self.quick_add.clear()
            self.statusBar().showMessage(
                f"Added {len(events)} event{'s' if len(events) != 1 else ''}"
            )
            first = min(events, key=lambda e: e.start)
            if week_of(first.start.date(), settings) != week_of(self._day, settings):
                self.show_week(first.start.date())

    def _reference(self, settings: Settings) -> datetime:
        """What "next Thursday" is relative to: now, in the week on screen; else its Monday."""
        now = self._clock().astimezone(settings.zone)
        monday = week_of(self._day, settings)
        if monday <= now < monday + timedelta(days=7):
            return now
        return monday.replace(hour=9)

    # --- backup -------------------------------------------------------------------------
    def back_up(self, path: str | None = None) -> None:
        """Write everything planner keeps (decisions, calendars, feeds, history) to one file."""
        store = self.session.store
        if store is None:
            return
        if not path:
            stamp = self._clock().strftime("%Y-%m-%d")
            path, _ = QFileDialog.getSaveFileName(
                self,
                "Back up everything",
                str(Path.home() / f"planner-backup-{stamp}.sqlite3"),
                "planner backup (*.sqlite3)",
            )
        if not path:
            return
        try:
            store.export_backup(path)
        except Exception as exc:
            QMessageBox.warning(self, "Backup failed", f"Could not write {path}:\n{exc}")
            return
        self.statusBar().showMessage(f"Backed up everything to {path}")

    def restore(self, path: str | None = None, *, confirm: bool = True) -> None:
        """Replace everything with a backup (after asking); a bad file changes nothing."""
        from planner.core.settings import SettingsError, load_settings_text

        store = self.session.store
        if store is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Restore from backup", str(Path.home()), "planner backup (*.sqlite3);;All (*)"
            )
        if not path:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Restore from backup",
                f"Replace all your decisions, calendars, typed events, history and settings "
                f"with those in {Path(path).name}? This cannot be undone (back up first to "
                "keep them).",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            store.import_backup(path)
        except Exception as exc:
            QMessageBox.warning(self, "Restore failed", str(exc))
            return
        settings = self.session.settings
        kept = store.load_settings()
        if kept is not None and kept.text.strip():
            import tomllib

            try:
                settings = load_settings_text(tomllib.loads(kept.text), f"{path} (settings)")
            except (SettingsError, tomllib.TOMLDecodeError) as exc:
                self.statusBar().showMessage(f"Settings in the backup not used: {exc}")
        self.session.reset(
            State(settings, store.load_choices(), store.load_sources(), store.load_added()),
            f"Restore {Path(path).name}",
        )
        self._update_undo_actions()
        self.statusBar().showMessage(f"Restored everything from {path}")
        self._show_changes()

    def _update_undo_actions(self) -> None:
        for action, verb, label in (
            (self.undo_action, "Undo", self.session.undo_label),
            (self.redo_action, "Redo", self.session.redo_label),
        ):
            action.setEnabled(bool(label))
            action.setText(f"&{verb} {label}" if label else f"&{verb}")

    def undo(self) -> None:
        self.notice.hide()
        change = self.session.undo()
        if change is not None:
            self.statusBar().showMessage(f"Undone: {change.label}")

    def redo(self) -> None:
        change = self.session.redo()
        if change is not None:
            self.statusBar().showMessage(f"Redone: {change.label}")

    def _event(self, key: str) -> Event | None:
        if self._plan is None or not key:
            return None
        return next((d.event for d in self._plan.decisions if d.event.key == key), None)

    def pin(self, key: str) -> None:
        """Commit to a candidate: it stays in the plan, which is re-made around it."""
        event = self._event(key)
        if event is not None and self.session.pin(event) is not None:
            self._watch_pin = key
            self.week_view.select(key)

    def _refuse_key(self, key: str) -> None:
        event = self._event(key)
        if event is not None:
            self.session.refuse(event)

    def _rate_key(self, key: str, stars: int) -> None:
        event = self._event(key)
        if event is not None:
            self.session.set_stars(event, stars)

    def pin_selected(self) -> None:
        self.pin(self.week_view.selected_key())

    def refuse_selected(self) -> None:
        self._refuse_key(self.week_view.selected_key())

    def undecide_selected(self) -> None:
        event = self._event(self.week_view.selected_key())
        if event is not None:
            self.session.undecide(event)

    # --- drag and drop ------------------------------------------------------------------
    def drag_event(self, key: str, source: QWidget) -> Qt.DropAction:
        """Drag an event out of the week or the list, carrying it as .ics.

        Dropped on the week it is committed to (see :meth:`take_drop`); an event
        dragged out of the week and let go anywhere that does not take it (the
        list, the desktop) is refused; another app that takes the .ics gets a copy.
        """
        event = self._event(key)
        if event is None:
            return Qt.DropAction.IgnoreAction
        drag = QDrag(source)
        drag.setMimeData(mime_for(event))
        result = drag.exec(Qt.DropAction.CopyAction | Qt.DropAction.MoveAction)
        self.finish_drag(key, source, result)
        return result

    def finish_drag(self, key: str, source: QWidget, result: Qt.DropAction) -> None:
        if source is self.week_view and result == Qt.DropAction.IgnoreAction:
            inside = self.week_view.rect().contains(self.week_view.mapFromGlobal(QCursor.pos()))
            if not inside:
                self._refuse_key(key)

    def take_drop(self, mime: QMimeData) -> None:
        """A drop on the week: a candidate is committed to, .ics data or files are imported."""
        dropped = read_drop(mime)
        if dropped.key and self._event(dropped.key) is not None:
            self.pin(dropped.key)
        elif dropped.files:
            self.import_files([str(f) for f in dropped.files])
        elif dropped.calendar:
            self._import_dropped_calendar(dropped.calendar)

    def _import_dropped_calendar(self, data: bytes) -> None:
        """An event dragged from another app: kept as a file planner reads, then offered."""
        folder = preferences.config_dir() / "dropped"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = folder / f"dropped-{stamp}.ics"
        target.write_bytes(data)
        self.import_files([str(target)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if read_drop(event.mimeData()).files:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = read_drop(event.mimeData()).files
        if files:
            event.acceptProposedAction()
            self.import_files([str(f) for f in files])

    # --- import and settings ------------------------------------------------------------
    def import_files(self, paths: Sequence[str] | None = None) -> None:
        """Ask which calendars to import and as what, preview them, then re-plan."""
        from planner.gui.import_dialog import ImportDialog

        if not paths:
            chosen, _ = QFileDialog.getOpenFileNames(
                self, "Import calendars", str(Path.home()), "iCalendar (*.ics *.ical);;All (*)"
            )
            paths = chosen
        if not paths:
            return
        dialog = ImportDialog([Path(p) for p in paths], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        picked = dialog.chosen()
        if picked and self.session.add_sources(picked) is not None:
            names = ", ".join(p.name for p, _ in picked)
            self.statusBar().showMessage(f"Imported {names}")

    def edit_settings(self) -> None:
        from planner.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session.settings, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self.session.set_settings(dialog.settings()) is None:
            return
        if self.session.save_problem:
            QMessageBox.warning(self, "Settings not saved", self.session.save_problem)
        elif self.session.settings_path is None:
            self.statusBar().showMessage(
                "Settings changed for this session (start planner with --settings FILE.toml "
                "to keep them)"
            )

    # --- selection ----------------------------------------------------------------------
    def select_event(self, key: str) -> None:
        """Select one event everywhere: week, table and details ("" clears)."""
        self.week_view.select(key)
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

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        key = self.proxy.data(current, KEY_ROLE)
        if key and key != self.week_view.selected_key():
            self.week_view.select(key)
            self.details.show_decision(self.model.decision(self.model.row_of(key)))

    # --- export -------------------------------------------------------------------------
    def export_ics(self, path: str | None = None) -> None:
        """Write the chosen events, travel and leave-by alarms as .ics."""
        if self._plan is not None:
            data = attend_list.to_ics(self._plan)
            self._export("attend.ics", "iCalendar (*.ics)", path, lambda p: p.write_bytes(data))

    def export_csv(self, path: str | None = None) -> None:
        """Write the chosen events as CSV."""
        if self._plan is not None:
            text = attend_list.to_csv(self._plan)
            self._export(
                "attend.csv", "CSV (*.csv)", path, lambda p: p.write_text(text, encoding="utf-8")
            )

    def export_pdf(self, path: str | None = None) -> None:
        """Write the printable agenda (leave-by times, addresses, links) as PDF."""
        from planner.gui.agenda_printer import write_pdf

        plan = self._plan
        if plan is not None:
            self._export("agenda.pdf", "PDF (*.pdf)", path, lambda p: write_pdf(plan, p))

    def print_agenda(self) -> None:
        from planner.gui.agenda_printer import print_agenda

        if self._plan is not None and print_agenda(self._plan, self):
            self.statusBar().showMessage("Agenda sent to the printer")

    def _export(
        self, name: str, kinds: str, path: str | None, write: Callable[[Path], object]
    ) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export attend-list", str(Path.home() / name), kinds
            )
        if not path or self._plan is None:
            return
        try:
            write(Path(path))
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"Could not write {path}:\n{exc}")
            return
        self.statusBar().showMessage(f"Exported {len(self._plan.chosen)} events to {path}")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About planner",
            f"<b>planner {__version__}</b><br>Proposes which networking events "
            "fit your week, travel included, and says why.",
        )
