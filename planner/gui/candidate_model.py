"""The candidate table: one row per candidate occurrence of the week.

A thin adapter over ``Plan.decisions``; it formats, it does not decide. The
``SORT_ROLE`` gives each column a sortable value so that the proxy model
sorts times as times and money as numbers, not as text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from planner.core import wording
from planner.core.model import Decision, Plan, Reason
from planner.gui.plan_items import decision_tooltip

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("When", "Status", "Event", "Why", "Travel", "Cost", "Value", "Category")
_PROPOSED = QColor("#1b5e20")
_PINNED = QColor("#0d47a1")
_LEFT_OUT = QColor("#6b6b6b")

Index = QModelIndex | QPersistentModelIndex


def status_text(d: Decision) -> str:
    if d.reason is Reason.PINNED:
        return "committed"
    return "proposed" if d.chosen else "left out"


class CandidateTableModel(QAbstractTableModel):
    """Adapts the plan's decisions to a sortable Qt table."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Decision] = []

    def set_plan(self, plan: Plan | None) -> None:
        self.beginResetModel()
        self._rows = list(plan.decisions) if plan else []
        self.endResetModel()

    def decision(self, row: int) -> Decision:
        return self._rows[row]

    def row_of(self, key: str) -> int:
        for row, d in enumerate(self._rows):
            if d.event.key == key:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        d = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(d, column)
        if role == SORT_ROLE:
            return self._sort_value(d, column)
        if role == KEY_ROLE:
            return d.event.key
        if role == Qt.ItemDataRole.ToolTipRole:
            return decision_tooltip(d)
        if role == Qt.ItemDataRole.ForegroundRole and column in ("Status", "Event"):
            if d.reason is Reason.PINNED:
                return QBrush(_PINNED)
            return QBrush(_PROPOSED if d.chosen else _LEFT_OUT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Travel", "Cost", "Value"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(d: Decision, column: str) -> str:
        e = d.event
        if column == "When":
            return wording.span(e)
        if column == "Event":
            return e.summary
        if column == "Category":
            return e.category
        if column == "Travel":
            return wording.minutes(d.travel_minutes) if d.trip_to is not None else "online"
        if column == "Cost":
            return wording.money(e.cost) if e.cost is not None else "?"
        if column == "Value":
            return f"{d.value:g}"
        if column == "Status":
            return status_text(d)
        return d.explanation

    @staticmethod
    def _sort_value(d: Decision, column: str) -> Any:
        if column == "When":
            return d.event.start.timestamp()
        if column == "Travel":
            return d.travel_minutes
        if column == "Cost":
            return -1.0 if d.event.cost is None else d.event.cost
        if column == "Value":
            return d.value
        if column == "Status":
            return (0.0 if d.chosen else 1e11) + d.event.start.timestamp()
        return CandidateTableModel._display(d, column).casefold()
