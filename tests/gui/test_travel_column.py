"""The candidate table's Travel column holds a trip of hours whole: by transit, there and
back often takes "2 h 36 min", which the column once cut to "2 h 36…"."""

from __future__ import annotations

from PySide6.QtGui import QFont

from planner.core.text import wording
from planner.gui.candidate_model import COLUMNS, CandidateTableModel
from planner.gui.candidate_table import CandidateTable
from planner.gui.window_layout import _set_up_table


def test_a_trip_of_hours_is_shown_whole(qtbot) -> None:
    for size in (9, 11, 14):
        table = CandidateTable()
        qtbot.addWidget(table)
        table.setModel(CandidateTableModel(table))
        font = QFont(table.font())
        font.setPointSize(size)
        table.setFont(font)
        _set_up_table(table)
        width = table.columnWidth(COLUMNS.index("Travel"))
        shown = wording.minutes(2 * 60 + 36)
        assert shown == "2 h 36 min"
        assert table.fontMetrics().horizontalAdvance(shown) + 8 <= width, (size, width)
