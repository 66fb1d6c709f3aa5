"""The row above the candidate list that narrows it: words, a category, a status.

The bar only says what the user asked for; the proxy (``CandidateFilterProxy``)
decides which rows that keeps. Categories are offered only when the plan has
them, because choosing one with no events would empty the list for no reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from planner.gui.candidate_model import STATUSES

ALL_CATEGORIES = "All categories"
ALL_STATUSES = "All"


class FilterBar(QWidget):
    """A search field and two choosers; ``None`` from a chooser means "all"."""

    textChanged = Signal(str)
    categoryChanged = Signal(object)
    """The chosen category (str), or None for all of them."""
    statusChanged = Signal(object)
    """The chosen status ("proposed", "committed", "left out", "refused"), or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter candidates: title, category, status, reason, venue…")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Filter candidates")
        self.text.setToolTip("Rows containing every word you type are kept")
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.setToolTip("Show one category only")
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category.addItem(ALL_CATEGORIES, None)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.setToolTip("Show one status only")
        self.status.addItem(ALL_STATUSES, None)
        for status in STATUSES:
            self.status.addItem(status.capitalize(), status)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.category)
        layout.addWidget(self.status)

        self.text.textChanged.connect(self.textChanged)
        self.category.currentIndexChanged.connect(
            lambda _: self.categoryChanged.emit(self.current_category())
        )
        self.status.currentIndexChanged.connect(
            lambda _: self.statusChanged.emit(self.current_status())
        )

    def current_text(self) -> str:
        return self.text.text()

    def current_category(self) -> str | None:
        data = self.category.currentData()
        return data if isinstance(data, str) else None

    def current_status(self) -> str | None:
        data = self.status.currentData()
        return data if isinstance(data, str) else None

    def set_categories(self, categories: list[str]) -> None:
        """Offer ``categories``, keeping the current choice when the new week still has it.

        ``categoryChanged`` is emitted only when the choice had to fall back
        to all categories, so a re-plan does not re-filter the list for nothing.
        Events without a category are only listed under "All categories": an
        empty choice would be unreadable.
        """
        chosen = self.current_category()
        wanted = sorted({c for c in categories if c}, key=str.casefold)
        blocker = self.category.blockSignals(True)
        try:
            self.category.clear()
            self.category.addItem(ALL_CATEGORIES, None)
            for category in wanted:
                self.category.addItem(category, category)
            self.category.setCurrentIndex(max(self.category.findData(chosen), 0))
        finally:
            self.category.blockSignals(blocker)
        if self.current_category() != chosen:
            self.categoryChanged.emit(self.current_category())

    def focus_text(self) -> None:
        """Put the cursor in the search field with its text selected, to type over it."""
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()
