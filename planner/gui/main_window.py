"""The main window: the week, the candidates and why, the budget, the details.

Loading and planning run in the background (see :mod:`background`); the
window shows the previous plan until the new one arrives, so it never
freezes. Everything it shows comes from the core's Plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import __version__
from planner.core import attend_list, preferences, report
from planner.core.model import Plan
from planner.core.planning import plan_week, week_of
from planner.core.settings import Settings
from planner.core.week import WeekData
from planner.gui.background import Job, run_in_background
from planner.gui.budget_panel import BudgetPanel
from planner.gui.candidate_model import COLUMNS, KEY_ROLE, SORT_ROLE, CandidateTableModel
from planner.gui.consent_dialog import ask_geocoding_consent
from planner.gui.details_panel import DetailsPanel
from planner.gui.plan_items import items_for
from planner.gui.week_view import WeekView

Loader = Callable[[date], tuple[Settings, WeekData]]
"""Reads settings and the week's events for any day of a week (runs off the GUI thread)."""


def _plan_for(loader: Loader, day: date) -> tuple[Settings, WeekData, Plan]:
    settings, week = loader(day)
    plan = plan_week(week.commitments, week.candidates, settings, day)
    return settings, week, plan


class MainWindow(QMainWindow):
    """The planner window for one week at a time."""

    planned = Signal()
    """Emitted on the GUI thread each time a new plan is shown."""
    planFailed = Signal(str)

    def __init__(
        self,
        loader: Loader,
        week_day: date,
        *,
        now: datetime | None = None,
        ask_consent: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ask_consent = ask_consent
        self._loader = loader
        self._day = week_day
        self._plan: Plan | None = None
        self._week: WeekData | None = None
        self._settings: Settings | None = None
        self._jobs: set[Job] = set()
        self.setWindowTitle("planner")
        self.resize(1500, 940)

        self.headline = QLabel("Planning the week…")
        self.headline.setStyleSheet("font-size: 17px; font-weight: 600;")
        self.subline = QLabel("")
        self.subline.setStyleSheet("color: #555;")
        self.subline.setWordWrap(True)
        self.week_view = WeekView()
        if now is not None:
            self.week_view.set_now(now)
        self.model = CandidateTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.budget = BudgetPanel()
        self.details = DetailsPanel()
        self.filter = QLineEdit()
        self._build_layout()
        self._build_menus()
        self.week_view.itemActivated.connect(self.select_event)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.replan()

    # --- layout -------------------------------------------------------------------------
    def _build_layout(self) -> None:
        nav = QHBoxLayout()
        for text, tip, step in (
            ("◀", "Previous week", -7),
            ("Today", "This week", 0),
            ("▶", "Next week", 7),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setFixedWidth(64 if step == 0 else 36)
            button.clicked.connect(lambda _=False, s=step: self.go_week(s))
            nav.addWidget(button)
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
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        widths = {
            "When": 112,
            "Status": 68,
            "Event": 210,
            "Why": 380,
            "Travel": 70,
            "Cost": 48,
            "Value": 46,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(COLUMNS.index(column), width)
        self.filter.setPlaceholderText("Filter candidates: title, category, status, reason…")
        self.filter.setClearButtonEnabled(True)

        right = QSplitter(Qt.Orientation.Vertical)
        budget_box = QWidget()
        box = QVBoxLayout(budget_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>This week's budget</b>"))
        box.addWidget(self.budget)
        list_box = QWidget()
        box = QVBoxLayout(list_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>Candidates</b>: what planner proposes, and why not the others"))
        box.addWidget(self.filter)
        box.addWidget(self.table)
        right.addWidget(budget_box)
        right.addWidget(list_box)
        right.addWidget(self.details)
        right.setStretchFactor(1, 3)
        right.setStretchFactor(2, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([820, 680])

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.export_ics_action = self._action(
            file_menu, "Export attend-list (.ics)…", self.export_ics, QKeySequence("Ctrl+E")
        )
        self._action(file_menu, "Export attend-list (CSV)…", self.export_csv)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        view = self.menuBar().addMenu("&View")
        self._action(view, "&Previous week", lambda: self.go_week(-7), QKeySequence("Alt+Left"))
        self._action(view, "&Next week", lambda: self.go_week(7), QKeySequence("Alt+Right"))
        self._action(view, "&This week", lambda: self.go_week(0), QKeySequence("Alt+Home"))
        self._action(view, "&Re-plan", self.replan, QKeySequence.StandardKey.Refresh)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&About planner", self._about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # --- planning -----------------------------------------------------------------------
    @property
    def plan(self) -> Plan | None:
        return self._plan

    def go_week(self, step_days: int) -> None:
        """Move by ``step_days`` (0: back to the week holding today)."""
        if step_days == 0:
            self._day = self._today()
        else:
            self._day += timedelta(days=step_days)
        self.replan()

    def _today(self) -> date:
        if self._settings is None:
            return datetime.now(UTC).astimezone().date()
        return datetime.now(self._settings.zone).date()

    def replan(self) -> None:
        """Load and plan the current week in the background."""
        self.statusBar().showMessage("Planning…")
        loader, day = self._loader, self._day
        job: Job | None = None

        def done(result: tuple[Settings, WeekData, Plan]) -> None:
            self._jobs.discard(job)  # type: ignore[arg-type]
            if day != self._day:
                return  # the user moved on to another week meanwhile
            self._show(*result)

        def failed(message: str) -> None:
            self._jobs.discard(job)  # type: ignore[arg-type]
            self.statusBar().showMessage(f"Could not plan the week: {message}")
            self.planFailed.emit(message)

        job = run_in_background(lambda: _plan_for(loader, day), done, failed, self)
        self._jobs.add(job)

    def _show(self, settings: Settings, week: WeekData, plan: Plan) -> None:
        self._settings, self._week, self._plan = settings, week, plan
        selected = self.week_view.selected_key()
        self.week_view.set_week(plan.week_start.date(), settings.zone, items_for(plan))
        self.model.set_plan(plan)
        self.budget.set_budget(plan.budget, plan.targets)
        b = plan.budget
        start = week_of(self._day, settings)
        end = start + timedelta(days=6)
        self.headline.setText(
            f"Week of {start:%d %B %Y}: {b.events} event{'s' if b.events != 1 else ''} proposed"
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
        self._scroll_to_evening()
        self.select_event(selected)
        self.planned.emit()
        if week.pending_addresses and self._ask_consent:
            self._ask_consent = False  # once per session; the answer is remembered
            QTimer.singleShot(0, lambda: self.ask_geocoding(week.pending_addresses, settings))

    def ask_geocoding(self, addresses: list[str], settings: Settings) -> None:
        """Ask once whether addresses may be looked up online; remember; re-plan."""
        service = settings.geocoding.url or "OpenStreetMap Nominatim"
        allowed = ask_geocoding_consent(self, addresses, service)
        preferences.save("geocoding_consent", allowed)
        if allowed:
            self.statusBar().showMessage(f"Looking up {len(addresses)} addresses…")
            self.replan()

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
