"""Saying in the window what a decision changed: one line above the week, with Undo, and
the changed blocks and rows outlined for a moment.

Committing to one event can push another out of the week; without a word the user finds
their best proposal gone and does not know why. After the re-plan that follows a
decision (a commit, a refusal, stars, undo or redo, a settings change), the core's
:mod:`planner.core.planning.what_changed` compares the plan shown before with the new
one and says it in a sentence led by the cause; this module shows that sentence in a bar
(the notice bar's pattern, not the status bar, which the next message would overwrite),
replaced by the next decision's line, and outlines the changed items on the week and in
the list for about 1.5 s. The fading is a :class:`QVariantAnimation` owned by the
outline widget: it ends with it, and no timer outlives the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QObject,
    QRect,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QWidget,
)

from planner.core.changes import Change, cause, decided_on
from planner.core.model import Plan
from planner.core.planning.what_changed import PlanChanges, compare, sentence, titles
from planner.gui.candidate_filter import CandidateFilterProxy
from planner.gui.candidate_model import CandidateTableModel
from planner.gui.week_view import WeekView

FLASH_MS = 1500
"""How long the changed items stay outlined, fading out."""


class ChangedBar(QFrame):
    """The last decision's line, with Undo (Redo after an undo) and a close button."""

    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#changedBar { background: palette(alternate-base); border-radius: 4px; }"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo = QPushButton("Undo")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this line")
        self.close_button.setAccessibleName("Hide what changed")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.undo)
        layout.addWidget(self.close_button)
        self.undo.clicked.connect(self._answer)
        self.close_button.clicked.connect(self.hide)
        self.setAccessibleName("What changed")
        self._redo = False
        self.hide()

    def say(self, text: str, *, redo: bool = False) -> None:
        """Show ``text``; its button redoes (the line is about an undo) or undoes."""
        self._redo = redo
        self.message.setText(text)
        self.undo.setText("Redo" if redo else "Undo")
        self.undo.setToolTip("Make it again" if redo else "Take back what you just did")
        self.setAccessibleDescription(text)
        self.show()

    def _answer(self) -> None:
        self.hide()
        (self.redoRequested if self._redo else self.undoRequested).emit()


class FlashOutline(QWidget):
    """An outline over the rectangles ``rects`` gives, fading out over :data:`FLASH_MS`.

    It covers ``target`` (resized with it), lets every click through, and paints in the
    palette's highlight colour.
    """

    def __init__(self, target: QWidget, rects: Callable[[frozenset[str]], list[QRect]]) -> None:
        super().__init__(target)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._rects = rects
        self.keys: frozenset[str] = frozenset()
        """What is outlined now (empty once the outline has faded)."""
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(1.0)
        self.animation.setEndValue(0.0)
        self.animation.setDuration(FLASH_MS)
        self.animation.setEasingCurve(QEasingCurve.Type.InQuad)
        self.animation.valueChanged.connect(lambda _value: self.update())
        self.animation.finished.connect(self._faded)
        target.installEventFilter(self)
        self.hide()

    def flash(self, keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)
        self.animation.stop()
        if not self.keys:
            self._faded()
            return
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.animation.start()

    def _faded(self) -> None:
        self.keys = frozenset()
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if event.type() == QEvent.Type.Resize and parent is not None and watched is parent:
            self.setGeometry(parent.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        running = self.animation.state() == QAbstractAnimation.State.Running
        strength = float(self.animation.currentValue()) if running else 0.0
        if not self.keys or strength <= 0:
            return
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        fill = QColor(color)
        fill.setAlphaF(0.25 * strength)
        color.setAlphaF(strength)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(color, 3))
        p.setBrush(fill)
        for rect in self._rects(self.keys):
            p.drawRoundedRect(rect.adjusted(1, 1, -2, -2), 4, 4)
        p.end()


class WhatChangedController:
    """Remembers the plan shown when a decision is made, and says what the next plan of
    that week changed."""

    def __init__(
        self,
        notice: QWidget,
        week_view: WeekView,
        table: QAbstractItemView,
        proxy: CandidateFilterProxy,
        model: CandidateTableModel,
        *,
        undo: Callable[[], None],
        redo: Callable[[], None],
    ) -> None:
        """The bar goes right under ``notice`` (above the week), in its layout."""
        self.bar = ChangedBar()
        holder = notice.parentWidget()
        layout = holder.layout() if holder is not None else None
        if layout is not None:
            layout.insertWidget(layout.indexOf(notice) + 1, self.bar)  # type: ignore[attr-defined]
        self.bar.undoRequested.connect(undo)
        self.bar.redoRequested.connect(redo)
        self._table, self._proxy, self._model = table, proxy, model
        self.week_outline = FlashOutline(week_view, lambda keys: _week_rects(week_view, keys))
        self.list_outline = FlashOutline(table.viewport(), self._row_rects)
        self._pending: tuple[Change, Plan | None, bool] | None = None
        self.changes = PlanChanges()
        """What the last line said changed (tests read it)."""

    def decided(self, change: Change, shown: Plan | None, *, undone: bool) -> None:
        """A decision was made (or undone) while ``shown`` was on screen."""
        if self._pending is None:  # several changes before one plan: from the first plan
            self._pending = (change, shown, undone)
        else:
            self._pending = (change, self._pending[1], undone)

    def planned(self, plan: Plan) -> None:
        """A new plan is on screen: say what the decision before it changed."""
        if self._pending is None:
            return
        change, before, undone = self._pending
        self._pending = None
        if before is None or before.week_start != plan.week_start:
            return  # another week: nothing on screen to compare with
        changes = compare(before, plan)
        named = cause(change, titles([before, plan]), undone=undone)
        self.changes = changes
        self.bar.say(sentence(changes.without(decided_on(change)), plan, named), redo=undone)
        self.week_outline.flash(changes.keys)
        self.list_outline.flash(changes.keys)

    def _row_rects(self, keys: frozenset[str]) -> list[QRect]:
        rects: list[QRect] = []
        columns = self._proxy.columnCount()
        for key in keys:
            row = self._model.row_of(key)
            if row < 0 or columns == 0:
                continue
            first = self._proxy.mapFromSource(self._model.index(row, 0))
            if not first.isValid():
                continue  # filtered out of the list
            # Every column's rectangle: the last ones (Why, Category) are hidden, and a
            # hidden column's is empty, which left the outline around When alone.
            row_rect = QRect()
            for column in range(columns):
                row_rect = row_rect.united(self._table.visualRect(first.siblingAtColumn(column)))
            rects.append(row_rect)
        return rects


def _week_rects(week_view: WeekView, keys: frozenset[str]) -> list[QRect]:
    rects = (week_view.item_rect(key) for key in keys)
    return [r.toAlignedRect() for r in rects if r is not None]
