"""Five stars in the candidate table's Value column, rated in place.

A rating is the user's most frequent correction ("I'd rather go to this
one"), so it takes one click on the cell rather than a dialog: clicking the
n-th star rates the event n, clicking the current last star clears it, and
with the cell current the keys 0-5, + and - rate it too. F2 (or a double
click beside the stars) opens a small editor where Left and Right move the
rating and Enter commits. Every path ends in ``model.setData``, so the model
decides what a rating does.

Stars are drawn as vector paths in the palette's text colour, so they stay
sharp at any device pixel ratio and readable in dark and light themes, and
follow the selection colour.
"""

from __future__ import annotations

import functools
import math
from functools import partial

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QWidget,
)

from planner.gui.candidate_model import MAX_STARS, STARS_ROLE

Index = QModelIndex | QPersistentModelIndex

_PAD = 4.0
_GAP = 2.0
_MIN_STAR = 6.0
_EMPTY_ALPHA = 0.55
_DIGITS = {str(n): n for n in range(MAX_STARS + 1)}


def first_line(option: QStyleOptionViewItem) -> QRectF:
    """The cell's first line: the list draws each row's reason on a second one."""
    rect = QRectF(option.rect)
    rect.setHeight(min(rect.height(), option.fontMetrics.height() + 6))
    return rect


def star_rects(rect: QRectF, font_height: float) -> list[QRectF]:
    """Where the stars go in a cell: font-sized, shrunk to fit a narrow column."""
    fit_width = (rect.width() - 2 * _PAD - (MAX_STARS - 1) * _GAP) / MAX_STARS
    size = max(_MIN_STAR, min(font_height, rect.height() - 4.0, fit_width))
    top = rect.center().y() - size / 2
    return [
        QRectF(rect.left() + _PAD + i * (size + _GAP), top, size, size) for i in range(MAX_STARS)
    ]


def star_at(rect: QRectF, font_height: float, x: float) -> int | None:
    """The star (1-5) under ``x``; the gaps belong to their neighbours so no click is lost."""
    rects = star_rects(rect, font_height)
    if x < rect.left() or x >= rects[-1].right() + _GAP / 2:
        return None
    for n, star in enumerate(rects, start=1):
        if x < star.right() + _GAP / 2:
            return n
    return None


def toggled(current: int | None, clicked: int) -> int:
    """Clicking the current rating again clears it, the only way to reach 0 by mouse."""
    return 0 if clicked == current else clicked


def star_path(box: QRectF) -> QPainterPath:
    """The star filling ``box`` (the one shape for its size, moved into place)."""
    return _star_of_size(box.width()).translated(box.topLeft())


@functools.lru_cache(maxsize=8)
def _star_of_size(width: float) -> QPainterPath:
    # A five-pointed star's points reach higher than its lower arms reach down;
    # shifting it by half the difference centres it optically in the box.
    radius = width / 2
    inner = radius * 0.4
    centre = QPointF(radius, radius) + QPointF(0, radius * (1 - math.cos(math.radians(36))) / 2)
    path = QPainterPath()
    for i in range(2 * MAX_STARS):
        r = radius if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        point = centre + QPointF(r * math.cos(angle), r * math.sin(angle))
        if i == 0:
            path.moveTo(point)
        else:
            path.lineTo(point)
    path.closeSubpath()
    return path


def paint_stars(
    painter: QPainter,
    rect: QRectF,
    stars: int,
    palette: QPalette,
    font_height: float,
    *,
    selected: bool = False,
    enabled: bool = True,
) -> None:
    """Filled stars up to ``stars``, outlined ones after, in the palette's text colour."""
    group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    colour = palette.color(group, role)
    faint = QColor(colour)
    faint.setAlphaF(_EMPTY_ALPHA * colour.alphaF())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for n, box in enumerate(star_rects(rect, font_height), start=1):
        path = star_path(box)
        width = max(1.0, box.width() / 14)
        if n <= stars:
            painter.setPen(
                QPen(colour, width, c=Qt.PenCapStyle.RoundCap, j=Qt.PenJoinStyle.RoundJoin)
            )
            painter.setBrush(colour)
        else:
            painter.setPen(
                QPen(faint, width, c=Qt.PenCapStyle.RoundCap, j=Qt.PenJoinStyle.RoundJoin)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    painter.restore()


class StarsEditor(QWidget):
    """The open editor: a rating the keyboard can move before it is committed."""

    editingFinished = Signal()
    """A star was clicked: the rating is final, commit it now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stars = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Stars")
        self.setAccessibleDescription("0 to 5 stars: Left and Right, + and -, or a digit")

    def stars(self) -> int:
        return self._stars

    def set_stars(self, stars: int) -> None:
        stars = min(max(stars, 0), MAX_STARS)
        if stars != self._stars:
            self._stars = stars
            self.update()

    def sizeHint(self) -> QSize:
        height = float(self.fontMetrics().height())
        return QSize(math.ceil(2 * _PAD + MAX_STARS * height + (MAX_STARS - 1) * _GAP), 24)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.text() in _DIGITS:
            self.set_stars(_DIGITS[event.text()])
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Plus):
            self.set_stars(self._stars + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Minus):
            self.set_stars(self._stars - 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        height = float(self.fontMetrics().height())
        n = star_at(QRectF(self.rect()), height, event.position().x())
        if event.button() != Qt.MouseButton.LeftButton or n is None:
            super().mouseReleaseEvent(event)
            return
        self.set_stars(toggled(self._stars, n))
        event.accept()
        self.editingFinished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        height = float(self.fontMetrics().height())
        paint_stars(
            painter,
            QRectF(self.rect()),
            self._stars,
            self.palette(),
            height,
            enabled=self.isEnabled(),
        )
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            self.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter, self
            )
        painter.end()


class StarsDelegate(QStyledItemDelegate):
    """Paints and edits the rows' ``STARS_ROLE``; other cells are drawn as usual.

    Install it on the Value column (``view.setItemDelegateForColumn``). A row
    without stars (the model got none for it) is drawn as plain text.
    """

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        stars = index.data(STARS_ROLE)
        if not isinstance(stars, int):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        paint_stars(
            painter,
            first_line(opt),
            stars,
            opt.palette,
            float(opt.fontMetrics.height()),
            selected=bool(opt.state & QStyle.StateFlag.State_Selected),
            enabled=bool(opt.state & QStyle.StateFlag.State_Enabled),
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        if not isinstance(index.data(STARS_ROLE), int):
            return hint
        height = float(option.fontMetrics.height())
        width = math.ceil(2 * _PAD + MAX_STARS * height + (MAX_STARS - 1) * _GAP)
        return QSize(width, max(hint.height(), math.ceil(height) + 4))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if not isinstance(index.data(STARS_ROLE), int):
            return super().createEditor(parent, option, index)
        editor = StarsEditor(parent)
        editor.setFont(option.font)
        editor.editingFinished.connect(partial(self._finish, editor))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        stars = index.data(STARS_ROLE)
        if isinstance(editor, StarsEditor) and isinstance(stars, int):
            editor.set_stars(stars)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, StarsEditor):
            model.setData(index, editor.stars(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(first_line(option).toAlignedRect())

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        stars = index.data(STARS_ROLE)
        if not isinstance(stars, int) or not index.flags() & Qt.ItemFlag.ItemIsEditable:
            return super().editorEvent(event, model, option, index)
        if isinstance(event, QMouseEvent) and event.type() in (
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        ):
            clicked = star_at(
                first_line(option), float(option.fontMetrics.height()), event.position().x()
            )
            if event.button() != Qt.MouseButton.LeftButton or clicked is None:
                return False
            if event.type() == QEvent.Type.MouseButtonRelease:
                model.setData(index, toggled(stars, clicked), Qt.ItemDataRole.EditRole)
            # A double click on a star is two ratings, not a request for the editor.
            return True
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            wanted = self._key_rating(event, stars)
            if wanted is None:
                return False
            if wanted != stars:
                model.setData(index, wanted, Qt.ItemDataRole.EditRole)
            return True
        return False

    @staticmethod
    def _key_rating(event: QKeyEvent, stars: int) -> int | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers & ~Qt.KeyboardModifier.ShiftModifier:
            return None  # Ctrl+digit and the like are shortcuts, not ratings
        if event.text() in _DIGITS:
            return _DIGITS[event.text()]
        if event.key() == Qt.Key.Key_Plus:
            return min(stars + 1, MAX_STARS)
        if event.key() == Qt.Key.Key_Minus:
            return max(stars - 1, 0)
        return None

    def _finish(self, editor: StarsEditor) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
