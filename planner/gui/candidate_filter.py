"""Sorting and filtering the candidate table, on the model's own roles.

Sorting is the model's (:meth:`CandidateTableModel.sort`, in Python, once per
plan): the proxy hands a sort request down and keeps the model's order, so
that no re-plan makes it ask ``data()`` for every comparison.

The proxy reads what the model says about a row (``SEARCH_ROLE``,
``STATUS_ROLE``, the Category column) and never looks at the decision
behind it, so what a status or a category means stays decided in one place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from planner.gui.candidate_model import CATEGORY_COLUMN, SEARCH_ROLE, SORT_ROLE, STATUS_ROLE

Index = QModelIndex | QPersistentModelIndex


class CandidateFilterProxy(QSortFilterProxyModel):
    """Keeps the rows every filter accepts, in the model's order (sorted there).

    The free text is split into words and a row must contain all of them,
    anywhere in its title, category, status, reason or venue, so that
    "markham professional" finds what neither word alone narrows to.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: tuple[str, ...] = ()
        self._category: str | None = None
        self._status: str | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the model (which keeps the order for every later plan), not the proxy."""
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._begin_change()
            self._words = words
            self._end_change()

    def set_category(self, category: str | None) -> None:
        wanted = category.casefold() if category else None
        if wanted != self._category:
            self._begin_change()
            self._category = wanted
            self._end_change()

    def set_status(self, status: str | None) -> None:
        wanted = status or None
        if wanted != self._status:
            self._begin_change()
            self._status = wanted
            self._end_change()

    # Qt 6.10 added begin/endFilterChange, which keep the proxy consistent while the
    # filter changes; before that, invalidateRowsFilter. Columns are never filtered,
    # so only rows are re-examined (the header keeps its layout).
    def _begin_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if model is None:
            return False
        index = model.index(source_row, 0, source_parent)
        if self._status is not None and self._status not in (model.data(index, STATUS_ROLE) or ()):
            return False
        if self._category is not None:
            category = model.data(model.index(source_row, CATEGORY_COLUMN, source_parent))
            if str(category or "").casefold() != self._category:
                return False
        if self._words:
            text = str(model.data(index, SEARCH_ROLE) or "")
            return all(word in text for word in self._words)
        return True
