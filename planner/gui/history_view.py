"""View > History: the last months charted, and the same numbers as a table.

Imported when the user opens it, never on the window's start path (its charts
are painted by :mod:`planner.gui.history_chart`). The numbers come from the
core (:meth:`planner.core.storage.store.Store.history_weeks`): what was
attended counts, planned-and-not-marked counts as planned, skipped counts for
nothing, as in ``planner history``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.core.storage.history import WeekNumbers
from planner.core.storage.store import Store
from planner.core.text import wording
from planner.gui.history_chart import HistoryChart, categories_of, describe

SPANS = {"Last 3 months": 13, "Last 6 months": 26, "Last 12 months": 52}
"""The spans offered, in weeks up to the week of today."""


def weeks_up_to(store: Store, today: date, count: int) -> list[WeekNumbers]:
    """The ``count`` weeks ending with the week of ``today``, empty ones included."""
    monday = today - timedelta(days=today.weekday())
    return store.history_weeks(monday - timedelta(weeks=count - 1), monday)


class HistoryDialog(QDialog):
    """The weeks with networking, hours per week and events per category."""

    def __init__(self, store: Store, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History")
        self._store, self._today = store, today
        self.span = QComboBox()
        self.span.addItems(list(SPANS))
        self.span.setCurrentText("Last 6 months")
        self.span.setAccessibleName("Weeks shown")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = HistoryChart()
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("History by week")
        tabs = QTabWidget()
        tabs.addTab(self.chart, "&Charts")
        tabs.addTab(self.table, "&Table")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.span)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.span.currentTextChanged.connect(lambda _text: self.refresh())
        self.resize(820, 560)
        self.refresh()

    def refresh(self) -> None:
        weeks = weeks_up_to(self._store, self._today, SPANS[self.span.currentText()])
        self.show_weeks(weeks)

    def show_weeks(self, weeks: Sequence[WeekNumbers]) -> None:
        self.chart.set_weeks(weeks)
        said = describe(weeks)
        self.summary.setText(said)
        self.summary.setAccessibleName(said)
        names = categories_of(weeks)
        headers = ["Week of", "Attended", "Planned", "Skipped", "Hours"]
        headers += [name or "no category" for name in names]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(weeks))
        for row, week in enumerate(reversed(weeks)):  # the latest first
            cells = [
                wording.short_date(week.week_start, year=True, named=False),
                str(week.attended),
                str(week.planned),
                str(week.skipped),
                f"{week.hours:.1f}",
                *(str(week.categories.get(name, 0)) for name in names),
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
