"""Where the window's parts go, and the layout remembered between runs.

The week takes the left, the budget, the candidates and the details share the
right; the header says which week and moves between weeks. The sizes the user
gives the window and its splitters are kept in ``window.ini`` in planner's config
folder (a screenshot keeps nothing, so it looks the same on every machine); on
a first run the week and the list share the width.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QDate,
    QEvent,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.core.storage import preferences
from planner.gui.budget_panel import BudgetPanel
from planner.gui.candidate_model import COLUMNS
from planner.gui.candidate_table import CandidateTable
from planner.gui.changes_panel import ChangesPanel
from planner.gui.details_panel import DetailsPanel
from planner.gui.event_mime import can_take
from planner.gui.filter_bar import FilterBar
from planner.gui.notice_bar import NoticeBar, ProblemsBar
from planner.gui.quick_add_field import QuickAddField
from planner.gui.stars_delegate import StarsDelegate
from planner.gui.week_view import WeekView

# The short columns' widths; the event's title takes whatever width they leave, and
# its reason is drawn under the row, across all of them (see CandidateTable).
COLUMN_WIDTHS = {"When": 108, "Status": 84, "Travel": 58, "Cost": 44, "Value": 84}
WEEK_SHARE = 0.55
"""The week's share of the width on a first run: its titles wrap, the list's reasons
take a line of their own, so both read at 1280x720 and 1920x1080."""


@dataclass(frozen=True, slots=True)
class Parts:
    """The window's widgets, made by :func:`make_parts` and placed by :func:`arrange`."""

    headline: QLabel
    subline: QLabel
    date_picker: QDateEdit
    problems: ProblemsBar
    notice: NoticeBar
    changes: ChangesPanel
    week_view: WeekView
    budget: BudgetPanel
    streak: QLabel
    quick_add: QuickAddField
    filters: FilterBar
    table: CandidateTable
    details: DetailsPanel


def make_parts(proxy: QAbstractItemModel, now: datetime | None) -> Parts:
    """The window's widgets, each set up as the window shows it; the candidate table
    shows ``proxy``, and a fixed ``now`` (screenshots) is marked on the week."""
    headline = QLabel("Planning the week…")
    headline.setStyleSheet("font-size: 17px; font-weight: 600;")
    subline = QLabel("")
    subline.setWordWrap(True)
    subline.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    week_view = WeekView()
    week_view.accepts_mime = can_take
    if now is not None:
        week_view.set_now(now)
    table = CandidateTable()
    table.setItemDelegateForColumn(COLUMNS.index("Value"), StarsDelegate(table))
    table.setModel(proxy)
    streak = QLabel("")
    streak.setAccessibleName("Weeks in a row with networking")
    return Parts(
        headline=headline,
        subline=subline,
        date_picker=QDateEdit(),
        problems=ProblemsBar(),
        notice=NoticeBar(),
        changes=ChangesPanel(),
        week_view=week_view,
        budget=BudgetPanel(),
        streak=streak,
        quick_add=QuickAddField(),
        filters=FilterBar(),
        table=table,
        details=DetailsPanel(),
    )


@dataclass(frozen=True, slots=True)
class Arranged:
    """What the window keeps of its layout: the scrolled week and the two splitters."""

    week_scroll: QScrollArea
    split: QSplitter
    right_split: QSplitter


def arrange(
    window: QMainWindow, parts: Parts, day: date, go_week: Callable[[int], None]
) -> Arranged:
    """Lay the parts out in ``window``; ``go_week(step_days)`` moves (0: this week)."""
    header = QHBoxLayout()
    titles = QVBoxLayout()
    titles.addWidget(parts.headline)
    titles.addWidget(parts.subline)
    header.addLayout(titles, 1)
    header.addLayout(_navigation(parts.date_picker, day, go_week))

    scroll = QScrollArea()
    scroll.setWidget(parts.week_view)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the week inside takes focus, not a frame
    _set_up_table(parts.table)

    right = QSplitter(Qt.Orientation.Vertical)
    budget_box = QWidget()
    box = QVBoxLayout(budget_box)
    box.setContentsMargins(0, 0, 0, 0)
    title = QHBoxLayout()
    title.addWidget(QLabel("<b>This week's budget</b>"), 1)
    title.addWidget(parts.streak)
    box.addLayout(title)
    box.addWidget(parts.budget)
    list_box = QWidget()
    box = QVBoxLayout(list_box)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(
        QLabel(
            "<b>Candidates</b>: drag one onto the week to commit to it, "
            "or off the week to refuse it"
        )
    )
    box.addWidget(parts.quick_add)
    box.addWidget(parts.filters)
    box.addWidget(parts.table)
    details = QScrollArea()
    details.setWidget(parts.details)
    details.setWidgetResizable(True)
    details.setFrameShape(QScrollArea.Shape.NoFrame)
    right.addWidget(budget_box)
    right.addWidget(list_box)
    right.addWidget(details)
    right.setStretchFactor(1, 3)
    right.setStretchFactor(2, 1)
    right.setSizes([170, 420, 240])

    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(scroll)
    split.addWidget(right)
    split.setStretchFactor(0, 1)
    split.setStretchFactor(1, 1)
    split.setChildrenCollapsible(False)
    _name_regions(parts)

    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(10, 8, 10, 6)
    layout.addLayout(header)
    layout.addWidget(parts.problems)
    layout.addWidget(parts.notice)
    layout.addWidget(parts.changes)
    layout.addWidget(split, 1)
    window.setCentralWidget(body)
    return Arranged(scroll, split, right)


def _name_regions(parts: Parts) -> None:
    """Tab goes region to region (week, add field, filter, list, details), Down from the
    filter field goes to the list, and each region has a name for a screen reader."""
    parts.budget.setAccessibleName("This week's budget")
    parts.budget.setAccessibleDescription(
        "How much of each weekly allowance the plan uses: time with travel, events, "
        "evenings out, tickets and category quotas"
    )
    parts.details.setAccessibleName("Selected event")
    parts.details.setAccessibleDescription(
        "When and where the selected event is, when to leave, what it costs, and why it "
        "was proposed or left out"
    )
    parts.details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    order = [
        parts.week_view,
        parts.quick_add,
        parts.filters.text,
        parts.filters.category,
        parts.filters.status,
        parts.table,
        parts.details,
    ]
    for before, after in itertools.pairwise(order):
        QWidget.setTabOrder(before, after)
    parts.filters.text.installEventFilter(DownToList(parts.table, parts.filters.text))


class DownToList(QObject):
    """Down in the filter field moves to the list (its current row, or the first)."""

    def __init__(self, table: CandidateTable, parent: QObject) -> None:
        super().__init__(parent)
        self._table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            table, model = self._table, self._table.model()
            if model is not None and model.rowCount() and not table.currentIndex().isValid():
                table.setCurrentIndex(model.index(0, COLUMNS.index("Event")))
            table.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)


def _navigation(date_picker: QDateEdit, day: date, go_week: Callable[[int], None]) -> QHBoxLayout:
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
        button.clicked.connect(lambda _=False, s=step: go_week(s))
        nav.addWidget(button)
    date_picker.setCalendarPopup(True)
    date_picker.setDisplayFormat("ddd d MMM yyyy")
    date_picker.setDate(QDate(day.year, day.month, day.day))
    date_picker.setToolTip("Go to the week of a date (Ctrl+G)")
    date_picker.setAccessibleName("Week of date")
    nav.addWidget(date_picker)
    return nav


def _set_up_table(table: CandidateTable) -> None:
    table.setSortingEnabled(True)
    table.sortByColumn(COLUMNS.index("Status"), Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)  # the reason line runs under the columns: no lines across it
    table.verticalHeader().setVisible(False)
    head = table.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in COLUMN_WIDTHS.items():
        table.setColumnWidth(COLUMNS.index(column), width)
    # A trip by transit, there and back, often takes hours: "2 h 36 min" whole, in the
    # table's own font.
    longest = table.fontMetrics().horizontalAdvance("10 h 55 min") + 14
    travel = COLUMNS.index("Travel")
    table.setColumnWidth(travel, max(COLUMN_WIDTHS["Travel"], longest))
    # The title takes whatever width the short columns leave; the reason has the row's
    # second line, the whole width (CandidateTable draws it), so its column is hidden.
    # The category is in the filter.
    head.setStretchLastSection(False)
    head.setSectionResizeMode(COLUMNS.index("Event"), QHeaderView.ResizeMode.Stretch)
    table.setColumnHidden(COLUMNS.index("Why"), True)
    table.setColumnHidden(COLUMNS.index("Category"), True)


class LayoutMemory:
    """The window's size and its splitters' positions, kept between runs."""

    def __init__(self, window: QMainWindow, arranged: Arranged, *, remember: bool) -> None:
        """``remember`` False keeps nothing and reads nothing (screenshots, tests)."""
        self._window = window
        self._splitters = {"split": arranged.split, "right_split": arranged.right_split}
        self._remember = remember
        self._restored = False

    @staticmethod
    def _stored() -> QSettings:
        return QSettings(str(preferences.config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def restore(self) -> None:
        """Give the window the size and splitters it had last time."""
        if not self._remember:
            return
        stored = self._stored()
        geometry = stored.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self._window.restoreGeometry(geometry)
        for name, splitter in self._splitters.items():
            state = stored.value(name)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
                self._restored = True

    def shown(self) -> None:
        """The window is shown: on a first run the week and the list share the width."""
        if not self._restored:
            self._restored = True
            QTimer.singleShot(0, self._share_width)

    def _share_width(self) -> None:
        split = self._splitters["split"]
        width = sum(split.sizes())
        split.setSizes([int(width * WEEK_SHARE), width - int(width * WEEK_SHARE)])

    def save(self) -> None:
        """Keep the size and splitters for next time (the window is closing)."""
        if not self._remember:
            return
        stored = self._stored()
        stored.setValue("geometry", self._window.saveGeometry())
        for name, splitter in self._splitters.items():
            stored.setValue(name, splitter.saveState())
        stored.sync()
