"""The candidate table: one row per candidate occurrence of the week.

A thin adapter over ``Plan.decisions``; it formats, it does not decide. The
``SORT_ROLE`` gives each column a sortable value so that the proxy model
sorts times as times and money as numbers, not as text.

The stars a row shows are handed in by the window (computed by core's
``planning.stars_of``), because a decision only carries the value, which is
the stars times a category weight the model does not know. Rating a row does
not change the plan here: the model reports it (``starsEdited``) and the
window records it as an undoable decision, re-plans and hands in the new plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from planner.core.model import Choices, Decision, Plan, Reason, is_flexible
from planner.core.planning.plan import stars_of
from planner.core.settings import Settings
from planner.core.text import wording
from planner.gui.contrast import mix, readable
from planner.gui.plan_items import decision_tooltip

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
STARS_ROLE = Qt.ItemDataRole.UserRole + 3
"""The row's stars (int 0-5), or None when the window gave none for it."""
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4
"""Every status the row counts as, general first: ("left out", "refused")."""
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5
"""The row's searchable text (title, category, status, reason, venue), casefolded."""

COLUMNS = ("When", "Status", "Event", "Why", "Travel", "Cost", "Value", "Category")
VALUE_COLUMN = COLUMNS.index("Value")
CATEGORY_COLUMN = COLUMNS.index("Category")
STATUSES = ("proposed", "committed", "left out", "refused")
MAX_STARS = 5

_PROPOSED = QColor("#1b5e20")
_PINNED = QColor("#0d47a1")


def status_colours(palette: QPalette) -> dict[str, QColor]:
    """The text colours of proposed, committed and left-out rows under ``palette``.

    The hues (green proposed, blue committed, grey left out) are blended toward the
    palette's text until they reach WCAG AA on both the row and its alternate, so a
    dark palette reads as well as a light one.
    """
    text = palette.color(QPalette.ColorRole.Text)
    rows = [palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.AlternateBase)]
    return {
        "proposed": readable(_PROPOSED, rows, text),
        "committed": readable(_PINNED, rows, text),
        "left out": readable(mix(text, rows[0], 0.6), rows, text),
    }


@lru_cache(maxsize=4)
def _colours_of(palette_key: int) -> dict[str, QColor]:
    """``status_colours`` of the application's palette, made once per palette."""
    return status_colours(QGuiApplication.palette())


def _status_colour(status: str) -> QColor:
    return _colours_of(QGuiApplication.palette().cacheKey())[status]


Index = QModelIndex | QPersistentModelIndex


def status_text(d: Decision) -> str:
    if d.reason is Reason.PINNED:
        return "committed"
    return "proposed" if d.chosen else "left out"


def statuses_of(d: Decision) -> tuple[str, ...]:
    """A refusal is one way of being left out, so filtering on "left out" keeps it."""
    general = status_text(d)
    if d.reason is Reason.REFUSED and not d.chosen:
        return (general, "refused")
    return (general,)


def plan_stars(plan: Plan, settings: Settings, choices: Choices) -> dict[str, int]:
    """The stars to hand to :meth:`CandidateTableModel.set_plan` with ``plan``.

    Flexible blocks are left out: their stars come from the settings, so a
    rating could not change them and their rows must not offer one.
    """
    return {
        d.event.key: stars_of(d.event, settings, choices)
        for d in plan.decisions
        if not is_flexible(d.event)
    }


def star_text(stars: int) -> str:
    return "★" * stars + "☆" * (MAX_STARS - stars)


def _search_text(d: Decision) -> str:
    e = d.event
    parts = (
        e.summary,
        e.category,
        " ".join(statuses_of(d)),
        d.explanation,
        d.reason.value,
        e.place.label,
        e.place.address,
    )
    return "\n".join(parts).casefold()


class CandidateTableModel(QAbstractTableModel):
    """Adapts the plan's decisions to a sortable Qt table."""

    starsEdited = Signal(str, int)
    """The user rated an event (its key, 0-5 stars); the plan is unchanged until re-planned."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Decision] = []
        self._in_plan: list[Decision] = []
        """The rows in the plan's order, which a sort starts from."""
        self._stars: dict[str, int] = {}
        self._search: list[str] | None = None
        """Each row's searchable text, made when a filter first asks (None: not yet)."""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        """The column and order the rows are kept in (None: the plan's own order)."""

    def set_plan(self, plan: Plan | None, stars: Mapping[str, int] | None = None) -> None:
        """Show ``plan``; ``stars`` maps event keys to their current stars.

        A row whose key has no stars shows its value as a number and cannot be
        rated (a flexible block's stars come from the settings, not a rating).
        """
        self.beginResetModel()
        self._in_plan = list(plan.decisions) if plan else []
        self._rows = self._sorted()
        self._stars = {key: min(max(int(n), 0), MAX_STARS) for key, n in (stars or {}).items()}
        self._search = None
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows sorted by ``column`` (its ``SORT_ROLE`` value), now and in every
        later plan; equal rows keep the plan's order, as a stable sort of it."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [id(self._rows[i.row()]) for i in before]
        self._sort = (column, order)
        self._rows = self._sorted()
        self._search = None
        where = {id(d): row for row, d in enumerate(self._rows)}
        self.changePersistentIndexList(
            before, [self.index(where[d], i.column()) for d, i in zip(held, before, strict=True)]
        )
        self.layoutChanged.emit()

    def _sorted(self) -> list[Decision]:
        """The plan's rows in the kept order, as Qt's sorting proxy ordered them: a stable
        sort of the plan's order, reversed whole for a descending one (ties too)."""
        if self._sort is None:
            return list(self._in_plan)
        column, order = self._sort
        name = COLUMNS[column]
        rows = sorted(self._in_plan, key=lambda d: self._sort_value(d, name))
        return rows[::-1] if order == Qt.SortOrder.DescendingOrder else rows

    def decision(self, row: int) -> Decision:
        return self._rows[row]

    def row_of(self, key: str) -> int:
        for row, d in enumerate(self._rows):
            if d.event.key == key:
                return row
        return -1

    def stars(self, row: int) -> int | None:
        return self._stars.get(self._rows[row].event.key)

    def categories(self) -> list[str]:
        """The categories present, for the filter bar's choices."""
        return sorted({d.event.category for d in self._rows if d.event.category})

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

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            index.isValid()
            and index.column() == VALUE_COLUMN
            and 0 <= index.row() < len(self._rows)
            and self.stars(index.row()) is not None
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        d = self._rows[row]
        e = d.event
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(d, column, self.stars(row))
        if role == SORT_ROLE:
            return self._sort_value(d, column)
        if role == KEY_ROLE:
            return d.event.key
        if role == STARS_ROLE:
            return self.stars(row)
        if role == STATUS_ROLE:
            return statuses_of(d)
        if role == SEARCH_ROLE:
            if self._search is None:
                self._search = [_search_text(d) for d in self._rows]
            return self._search[row]
        if column == "Value":
            value = self._value_data(d, self.stars(row), role)
            if value is not None:
                return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return decision_tooltip(d)
        if role == Qt.ItemDataRole.ForegroundRole and column in ("Status", "Event"):
            return QBrush(_status_colour(status_text(d)))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # The row's first line: the reason is drawn under it, across the row.
            side = (
                Qt.AlignmentFlag.AlignRight
                if column in ("Travel", "Cost", "Value")
                else (Qt.AlignmentFlag.AlignLeft)
            )
            return int(side | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == "Event":
            return f"{e.summary}, {status_text(d)}: {d.explanation}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Report a rating instead of storing it: the plan, not the model, holds the truth."""
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not self.flags(index) & Qt.ItemFlag.ItemIsEditable
            or isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_STARS
        ):
            return False
        if value != self.stars(index.row()):
            self.starsEdited.emit(self._rows[index.row()].event.key, value)
        return True

    @staticmethod
    def _value_data(d: Decision, stars: int | None, role: int) -> Any:
        if stars is None:
            return None
        if role == Qt.ItemDataRole.EditRole:
            return stars
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{stars} of {MAX_STARS} stars: value {d.value:g} "
                "(stars × the category's weight)\n"
                "Click a star or type 0-5 to rate it; click the last filled star to clear."
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{stars} of {MAX_STARS} stars, value {d.value:g}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    @staticmethod
    def _display(d: Decision, column: str, stars: int | None = None) -> str:
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
            return star_text(stars) if stars is not None else f"{d.value:g}"
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
