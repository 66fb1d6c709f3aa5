"""A custom-painted Monday-to-Sunday calendar of one week.

Why custom painting: a week can hold a thousand blocks (recurring commitments
plus every candidate event), and a QWidget or QGraphicsItem per block would be
slow to build and to relayout. Instead the view keeps two caches:

* segments: each item cut into per-day pieces, clipped to the week and the hour
  range and packed into side-by-side columns. They depend only on the items, the
  zone and the hour range, so only ``set_week``/``set_hour_range`` rebuild them.
* geometry: the pixel rectangles of the segments, rebuilt on resize, zoom and
  font change; each block's elided text is computed on its first paint and kept.

``paintEvent`` then only draws what intersects the exposed area.

The hours shown are the week's own: from its earliest timed block to its latest,
travel and the "home by" limit included (``hour_span``). The view is meant to live in
a QScrollArea (``widgetResizable=True``): the hours stretch to fill the viewport, and
its minimum height is those hours at the smallest readable hour height (two lines of
text), so the area scrolls only when they cannot all fit; a plain wheel is left to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from planner.core.text import wording
from planner.gui.block_text import BlockFonts, Line, block_lines
from planner.gui.calendar_item import (
    MIN_HOURS,
    CalendarItem,
    ItemKind,
    Segment,
    WeekSegments,
    hour_span,
    split_week,
)
from planner.gui.week_theme import STYLES, WHITE, Style, Theme

K = ItemKind
_BODY_PAD = 10.0  # room above the first and below the last hour line for their labels
_RADIUS = 4.0
_MIN_PPH, _MAX_PPH = 24.0, 120.0  # the zoom's limits, in pixels per hour
_NOW, _PIN = QColor("#d93025"), QColor("#ffc940")
_ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ELIDE = Qt.TextElideMode.ElideRight
_INDENT = 10.0  # how far right a block drawn over a longer one is shifted, per level
_EVENTS = frozenset({K.PROPOSED, K.PINNED})  # what the view opens scrolled to


_PAINT_ORDER = {K.COMMITMENT: 0, K.TRAVEL: 1, K.PROPOSED: 2, K.PINNED: 3}


def _paint_key(seg: Segment) -> tuple[int, int, float]:
    """A block drawn over a longer one (indented) comes after it, whatever their kinds."""
    return seg.indent, _PAINT_ORDER[seg.item.kind], seg.from_hour


@dataclass(slots=True)
class _Block:
    seg: Segment
    rect: QRectF
    lines: list[Line] | None = None  # elided on first paint
    patches: list[QRectF] = field(default_factory=list)  # behind a travel block's lines


@dataclass(slots=True)
class _Geometry:
    width: int
    height: int
    font: QFont
    bold: QFont
    small: QFont
    header_h: float = 0.0
    chip_h: float = 0.0
    top: float = 0.0  # y of the first hour line
    pph: float = _MIN_PPH
    day_w: float = 0.0
    gutter: float = 0.0  # width of the hour-label column
    blocks: list[_Block] = field(default_factory=list)  # timed, in paint order
    by_day: list[list[_Block]] = field(default_factory=list)
    chips: list[_Block] = field(default_factory=list)

    def x(self, day: float) -> float:
        """The left edge of a day column."""
        return self.gutter + day * self.day_w


def _patch(font: QFont, at: QPointF, text: str) -> QRectF:
    """The box behind a line of text drawn at baseline ``at``, with a little margin."""
    fm = QFontMetricsF(font)
    return QRectF(at.x() - 2, at.y() - fm.ascent(), fm.horizontalAdvance(text) + 4, fm.height())


def _alpha(color: QColor, alpha: int) -> QColor:
    result = QColor(color)
    result.setAlpha(alpha)
    return result


class WeekView(QWidget):
    """Seven day columns of commitments, proposals, pinned events, travel and protected time."""

    itemActivated = Signal(str)
    dragRequested = Signal(str)
    """The user started dragging a proposed or committed event (its key) out of the week."""
    dropped = Signal(QMimeData)
    """Something was dropped on the week (an event from the list or another app, files)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = datetime.now(UTC).date()
        self._week_start = today - timedelta(days=today.weekday())
        self._tz: tzinfo = UTC
        self._items: tuple[CalendarItem, ...] = ()
        self._first_hour, self._last_hour = 8, 22
        self._fixed_hours = False  # set_hour_range: the week's own span no longer applies
        self._home_by: time | None = None
        self._zoom_pph: float | None = None  # None: the hours fit the viewport
        self._selected = ""
        self._now: datetime | None = None
        self._pressed: str | None = None
        self._week: WeekSegments | None = None
        self._geo: _Geometry | None = None
        self._line_for: tuple[str, float] = ("", 0.0)  # (font key, line height)
        self._grid_cache: tuple[object, QPixmap] | None = None
        self._press_pos: QPoint | None = None
        self.setMouseTracking(True)  # for the pointing-hand cursor over items
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Week calendar")
        self.setAccessibleDescription(
            "Arrow keys move between events, Enter shows one; drop a candidate here to commit"
        )
        self.accepts_mime: Callable[[QMimeData], bool] = lambda _mime: False
        """Set by the owner: whether a drag's data is something it can take."""
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._t = Theme.of(self.palette())
        self._clock = QTimer(self)  # moves the now-line when showing the real time
        self._clock.timeout.connect(lambda: self._now is None and self.update())
        self._clock.start(60_000)

    # ---------------------------------------------------------------- public API
    def set_week(
        self,
        week_start: date,
        tz: ZoneInfo,
        items: Sequence[CalendarItem],
        home_by: time | None = None,
    ) -> None:
        """Show the seven days from ``week_start`` (a Monday) in ``tz``, over the hours
        from the earliest timed block to the latest, or to ``home_by`` (the latest
        return the rules allow) if later."""
        self._week_start, self._tz, self._items = week_start, tz, tuple(items)
        self._home_by = home_by
        self._fit_hours()
        self._content_changed(fit=False)

    def _fit_hours(self) -> None:
        if not self._fixed_hours:
            self._first_hour, self._last_hour = hour_span(
                self._items, self._week_start, self._tz, self._home_by, self._min_hours()
            )

    def hour_range(self) -> tuple[int, int]:
        """The first and last hour shown (the last one's line closes the day)."""
        return self._first_hour, self._last_hour

    def items(self) -> tuple[CalendarItem, ...]:
        """The items given to the last :meth:`set_week`, as given."""
        return self._items

    def set_hour_range(self, first_hour: int, last_hour: int) -> None:
        """Show the hours ``first_hour``..``last_hour`` (0..24) of each day, whatever the
        week holds."""
        if not 0 <= first_hour < last_hour <= 24:
            raise ValueError(f"bad hour range {first_hour}..{last_hour}")
        self._first_hour, self._last_hour = first_hour, last_hour
        self._fixed_hours = True
        self._content_changed(fit=True)

    def hour_y(self, hours: float) -> float:
        """The y of a time of day (``hours`` after midnight) in the current layout."""
        return self._y(self._layout(), hours)

    def events_scroll(self, viewport_height: int) -> int | None:
        """Where to scroll a viewport of ``viewport_height`` to show the week's proposed and
        committed events with their travel, by the hour of the day: all of them when they
        fit under the header, else the evening, where most are (the drive home included).
        ``None``: the week has none."""
        segs = [s for day in self._segments().timed for s in day if s.look in _EVENTS]
        if not segs:
            return None
        geo = self._layout()
        top = self._y(geo, min(s.from_hour for s in segs)) - _BODY_PAD
        bottom = self._y(geo, max(s.to_hour for s in segs)) + _BODY_PAD
        header = geo.top - _BODY_PAD  # stays at the top of the viewport
        room = viewport_height - header
        if bottom - top <= room:
            return max(0, round((top + bottom) / 2 - header - room / 2))
        return max(0, round(bottom - viewport_height))

    def select(self, key: str) -> None:
        """Highlight the item(s) with ``key`` and their travel; ``""`` clears."""
        if key != self._selected:
            self._selected = key
            self.update()

    def selected_key(self) -> str:
        return self._selected

    def set_now(self, now: datetime | None) -> None:
        """Fix the time of the now-line and today's header (``None``: the real time)."""
        self._now = now
        self.update()

    def item_at(self, pos: QPoint) -> CalendarItem | None:
        """The clickable item under ``pos``; protected time is background, never returned."""
        block = self._block_at(QPointF(pos))
        return block.seg.item if block else None

    def item_rect(self, key: str) -> QRectF | None:
        """The rectangle of the item itself (its first day if it spans several), not its travel."""
        geo, stuck = self._layout(), self._stuck()
        for block in geo.chips:
            if block.seg.item.key == key:
                return block.rect.translated(0, stuck)
        for block in geo.blocks:
            if block.seg.item.key == key and block.seg.item.kind is not K.TRAVEL:
                return QRectF(block.rect)
        return None

    def _stuck(self) -> float:
        """How far down the header (days and all-day strip) is drawn to stay at the top of
        the scroll area's viewport while the hours scroll under it."""
        return float(max(0, -self.y())) if self.parentWidget() is not None else 0.0

    def sizeHint(self) -> QSize:
        return QSize(900, self._content_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(60 + 7 * 48, self._content_height())

    # ------------------------------------------------------------------- caches
    def _content_changed(self, fit: bool) -> None:
        """Drop the caches; grow the height to the content (or fit it exactly, after a zoom).

        The resize matters when no layout manages the view (zooming out would
        otherwise be undone by stretching to the old height). In a resizable
        QScrollArea (the parent is its viewport) the view is sized at once as the
        area would size it later, no shorter than the viewport: what is asked of its
        geometry right after (where to scroll to) is then already true.
        """
        self._week, self._geo = None, None
        self.updateGeometry()
        needed = self._content_height()
        viewport = self.parentWidget()
        target = max(needed, viewport.height()) if viewport is not None else needed
        if self.height() < needed or ((fit or viewport is not None) and self.height() != target):
            self.resize(self.width(), target)
        self.update()

    def _line_height(self) -> float:
        """The height of a line of the view's font (asked a few hundred times a plan:
        measured once per font)."""
        font = self.font()
        key = font.key()
        if self._line_for[0] != key:
            self._line_for = (key, QFontMetricsF(font).height())
        return self._line_for[1]

    def _readable_pph(self) -> float:
        """The smallest hour height the hours are fitted to: an hour-long block shows its
        title and one more line; below it, the view scrolls."""
        return max(_MIN_PPH, 2 * self._line_height() + 2)

    def _min_hours(self) -> float:
        """How long a short block is laid out: one line of small text at the readable
        hour height (a 15-minute meeting shows its title, as calendars do)."""
        small = QFontMetricsF(self._fonts().small).height()
        return max(MIN_HOURS, (small + 3) / self._readable_pph())

    def _fonts(self) -> BlockFonts:
        font = QFont(self.font())
        bold, small = QFont(font), QFont(font)
        bold.setBold(True)
        if font.pointSizeF() > 0:
            small.setPointSizeF(max(6.5, font.pointSizeF() * 0.86))
        else:
            small.setPixelSize(max(9, round(font.pixelSize() * 0.86)))
        return BlockFonts(font, bold, small)

    def _metrics(self) -> tuple[float, float, float]:
        """Header height, all-day chip height and all-day strip height, from the font."""
        rows = self._segments().all_day_rows
        line = self._line_height()
        chip_h = line + 5
        return line + 22, chip_h, max(1, rows) * (chip_h + 2) + 6

    def _content_height(self) -> int:
        header_h, _, strip_h = self._metrics()
        hours = self._last_hour - self._first_hour
        pph = self._zoom_pph or self._readable_pph()
        return int(header_h + strip_h + 2 * _BODY_PAD + hours * pph + 0.999)

    def _segments(self) -> WeekSegments:
        """The week cut into days and packed (cached until the items or hours change)."""
        if self._week is None:
            first, last = self._first_hour, self._last_hour
            self._week = split_week(
                self._items, self._week_start, self._tz, first, last, self._min_hours()
            )
        return self._week

    def _layout(self) -> _Geometry:
        """Place every segment in pixels (cached until resize, zoom or new content)."""
        week = self._segments()
        geo = self._geo
        if geo is not None and (geo.width, geo.height) == (self.width(), self.height()):
            return geo
        fonts = self._fonts()
        geo = _Geometry(self.width(), self.height(), fonts.font, fonts.bold, fonts.small)
        geo.header_h, geo.chip_h, strip_h = self._metrics()
        geo.top = geo.header_h + strip_h + _BODY_PAD
        hours = self._last_hour - self._first_hour
        # Stretch to a taller viewport rather than leave an empty band under the last hour.
        least = self._zoom_pph or self._readable_pph()
        geo.pph = max(least, (geo.height - geo.top - _BODY_PAD) / hours)
        fm = QFontMetricsF(geo.small)
        geo.gutter = round(max(fm.horizontalAdvance(t) for t in ("00:00", "all-day")) + 20)
        geo.day_w = day_w = max(8.0, (geo.width - geo.gutter) / 7)
        right_pad = 6.0 if day_w > 60 else 1.0  # leaves room to click the empty day
        for day in week.timed:
            placed: list[_Block] = []
            for seg in sorted(day, key=_paint_key):
                col_w = (day_w - 1 - right_pad) / seg.columns
                left = geo.x(seg.day) + 1
                x0, x1 = round(left + seg.column * col_w), round(left + (seg.column + 1) * col_w)
                x0 += round(min(seg.indent * _INDENT, (x1 - x0) * 0.4))  # over a longer block
                x1 -= 2 if seg.column < seg.columns - 1 else 0  # gap between side-by-side blocks
                y0 = round(self._y(geo, seg.from_hour))
                y1 = max(y0 + 2, round(self._y(geo, seg.to_hour)) - 1)  # 1px gap to the next block
                rect = QRectF(x0, y0, max(2, x1 - x0), y1 - y0)
                if seg.item.kind is K.TRAVEL:
                    inset = min(6.0, round(rect.width() * 0.12))
                    rect.adjust(inset, 0, -inset, 0)
                placed.append(_Block(seg, rect))
            geo.by_day.append(placed)
            geo.blocks.extend(placed)
        geo.blocks.sort(key=lambda b: _paint_key(b.seg))
        for chip in week.all_day:
            x0 = round(geo.x(chip.day) + 2)
            x1 = round(geo.x(chip.last_day + 1) - 3)
            top = geo.header_h + 4 + chip.row * (geo.chip_h + 2)
            geo.chips.append(_Block(chip, QRectF(x0, top, max(2, x1 - x0), geo.chip_h)))
        self._geo = geo
        return geo

    def _y(self, geo: _Geometry, hours: float) -> float:
        return geo.top + (hours - self._first_hour) * geo.pph

    def _day_at(self, geo: _Geometry, pos: QPointF) -> int:
        return int((pos.x() - geo.gutter) // geo.day_w) if pos.x() >= geo.gutter else -1

    def _block_at(self, pos: QPointF) -> _Block | None:
        geo, stuck = self._layout(), self._stuck()
        if pos.y() < stuck + geo.top - _BODY_PAD:  # on the header, over the hours under it
            header = pos - QPointF(0, stuck)
            return next((b for b in reversed(geo.chips) if b.rect.contains(header)), None)
        day = self._day_at(geo, pos)
        candidates = geo.by_day[day] if 0 <= day < 7 else []
        return next((b for b in reversed(candidates) if b.rect.contains(pos)), None)

    def _protected_at(self, pos: QPointF) -> Segment | None:
        geo = self._layout()
        day, hours = self._day_at(geo, pos), self._first_hour + (pos.y() - geo.top) / geo.pph
        below = pos.y() >= max(geo.top, self._stuck() + geo.top - _BODY_PAD)
        spans = self._segments().protected[day] if 0 <= day < 7 and below else []
        return next((s for s in spans if s.from_hour <= hours < s.to_hour), None)

    def _today(self) -> tuple[int, float]:
        """Today's column (outside 0..6 if not in this week) and the current hour."""
        now = (self._now or datetime.now(self._tz)).astimezone(self._tz)
        return (now.date() - self._week_start).days, now.hour + now.minute / 60

    # ------------------------------------------------------------------- events
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._geo = None
        super().resizeEvent(event)

    def moveEvent(self, event: QMoveEvent) -> None:
        """Scrolled: the header is drawn again at the viewport's top, and where it was."""
        super().moveEvent(event)
        if self.parentWidget() is not None and event.oldPos().y() != event.pos().y():
            height = math.ceil(self._layout().top - _BODY_PAD) + 1
            for y in (event.oldPos().y(), event.pos().y()):
                self.update(QRect(0, max(0, -y), self.width(), height))

    def _style(self, look: ItemKind) -> Style:
        if look is K.COMMITMENT:
            return self._t.commitment
        return STYLES.get(look, STYLES[K.PROPOSED])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_hours()  # a short block's length is a line of the font
            self._content_changed(fit=True)
        elif event.type() == QEvent.Type.PaletteChange:
            self._t = Theme.of(self.palette())
            self._geo = None  # the elided lines hold their colours
            self.update()
        super().changeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms the hours; a plain wheel is left to the enclosing scroll area."""
        steps = event.angleDelta().y() / 120
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier or not steps:
            event.ignore()
            return
        self.zoom(steps)
        event.accept()

    def zoom(self, steps: float) -> None:
        """Make the hours taller (``steps`` > 0) or shorter, within readable limits; from
        the height shown, so the first step in a fitted view is seen. Hours that fit the
        viewport do not get shorter: there is nothing more to show."""
        shown = self._layout().pph
        pph = min(_MAX_PPH, max(_MIN_PPH, shown * 1.15**steps))
        if pph != shown:
            self._zoom_pph = pph
            self._content_changed(fit=True)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.item_at(event.position().toPoint())
            self._pressed = item.key if item else ""
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click (press and release on the same item) selects it and announces its key."""
        if event.button() == Qt.MouseButton.LeftButton and self._pressed is not None:
            item = self.item_at(event.position().toPoint())
            key = item.key if item else ""
            if key == self._pressed:
                self.select(key)
                self.itemActivated.emit(key)
            self._pressed = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            event.buttons() & Qt.MouseButton.LeftButton
            and self._pressed
            and self._press_pos is not None
            and (event.position().toPoint() - self._press_pos).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            key, self._pressed, self._press_pos = self._pressed, None, None
            if self._draggable(key):
                self.dragRequested.emit(key)
            return
        if self._block_at(event.position()) is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        super().mouseMoveEvent(event)

    def _draggable(self, key: str) -> bool:
        return any(i.key == key and i.kind in (K.PROPOSED, K.PINNED) for i in self._items)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepts_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.accepts_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self.accepts_mime(event.mimeData()):
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(event.mimeData())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows step through the week's events in time order; Enter announces the selection."""
        key = event.key()
        steps = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Up: -1,
        }
        if key in steps:
            self.step_selection(steps[Qt.Key(key)])
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected:
            self.itemActivated.emit(self._selected)
            event.accept()
        else:
            super().keyPressEvent(event)

    def step_selection(self, step: int) -> None:
        """Select the next (``step`` > 0) or previous event in time order and announce it."""
        order = sorted(
            (i for i in self._items if i.kind in (K.PROPOSED, K.PINNED, K.COMMITMENT)),
            key=lambda i: (i.start, i.title),
        )
        keys = list(dict.fromkeys(i.key for i in order))
        if not keys:
            return
        if self._selected in keys:
            index = (keys.index(self._selected) + step) % len(keys)
        else:
            index = 0 if step > 0 else len(keys) - 1
        self.select(keys[index])
        self.itemActivated.emit(keys[index])

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            block = self._block_at(QPointF(event.pos()))
            seg = block.seg if block else self._protected_at(QPointF(event.pos()))
            if seg is None:
                QToolTip.hideText()
                event.ignore()
            else:
                stuck = self._stuck() if block and block.seg.item.all_day else 0.0
                area = block.rect.translated(0, stuck).toAlignedRect() if block else self.rect()
                QToolTip.showText(event.globalPos(), self._tooltip(seg.item), self, area)
            return True
        return super().event(event)

    def _tooltip(self, item: CalendarItem) -> str:
        if item.tooltip:
            return item.tooltip
        if item.all_day:
            return f"{item.title}\nall day"
        s, e = item.start.astimezone(self._tz), item.end.astimezone(self._tz)
        text = f"{item.title}\n{wording.moment(s)}–{wording.clock(e)}"
        return f"{text}\n{item.detail}" if item.detail else text

    # ----------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        geo = self._layout()
        exposed = QRectF(event.rect())
        p = QPainter(self)
        p.drawPixmap(exposed, self._grid(geo), self._scaled(exposed))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        visible = [b for b in geo.blocks if b.rect.intersects(exposed)]
        # The selection is drawn last so that no neighbour covers its outline.
        selected = self._selected
        for block in sorted(visible, key=lambda b: bool(selected) and b.seg.item.key == selected):
            self._paint_block(p, block)
        self._paint_now(p, geo)
        stuck = self._stuck()
        if exposed.top() < stuck + geo.top - _BODY_PAD:
            p.translate(0, stuck)
            self._paint_header(p, geo)
        p.end()

    def _grid(self, geo: _Geometry) -> QPixmap:
        """The background, protected time, hour lines and labels, painted once for as long
        as they stay the same: a re-plan after a drag repaints the whole view, and the
        hatched weekend alone cost ~6 ms a paint, a tenth of the re-plan's budget."""
        protected = tuple(
            tuple((seg.from_hour, seg.to_hour, seg.item.title) for seg in segs)
            for segs in self._segments().protected
        )
        ratio = self.devicePixelRatioF()
        key = (
            (geo.width, geo.height, ratio, self._t, geo.small.key()),
            (self._first_hour, self._last_hour, geo.top, geo.pph, geo.gutter, geo.day_w),
            (geo.header_h, protected),
        )
        if self._grid_cache is not None and self._grid_cache[0] == key:
            return self._grid_cache[1]
        pixmap = QPixmap(round(geo.width * ratio), round(geo.height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self._t.bg)
        painter = QPainter(pixmap)
        self._paint_grid(painter, geo, QRectF(0, 0, geo.width, geo.height))
        painter.end()
        self._grid_cache = (key, pixmap)
        return pixmap

    def _scaled(self, rect: QRectF) -> QRectF:
        """``rect`` in the grid pixmap's own pixels."""
        ratio = self.devicePixelRatioF()
        return QRectF(
            rect.x() * ratio, rect.y() * ratio, rect.width() * ratio, rect.height() * ratio
        )

    def _paint_grid(self, p: QPainter, geo: _Geometry, exposed: QRectF) -> None:
        """Protected shading, hour and half-hour lines, day separators and hour labels."""
        fm = QFontMetricsF(geo.small)
        hatch = QBrush(self._t.protected_hatch, Qt.BrushStyle.BDiagPattern)
        labels: list[tuple[QPointF, str]] = []
        for day, segs in enumerate(self._segments().protected):
            x0, x1 = round(geo.x(day)), round(geo.x(day + 1))
            free_from = float("-inf")  # overlapping protected spans share one label
            for seg in segs:
                y0, y1 = round(self._y(geo, seg.from_hour)), round(self._y(geo, seg.to_hour))
                area = QRectF(x0, y0, x1 - x0, y1 - y0)
                if area.intersects(exposed):
                    p.fillRect(area, self._t.protected_fill)
                    p.fillRect(area, hatch)
                if y1 - y0 > fm.height() + 2 and y0 >= free_from:
                    title = seg.item.title  # the main window may already call it "protected"
                    plain = title.lower() in ("", "protected")
                    text = "protected" if plain else f"protected · {title}"
                    at = QPointF(x0 + 5, y0 + 3 + fm.ascent())
                    labels.append((at, fm.elidedText(text, _ELIDE, x1 - x0 - 10)))
                    free_from = y0 + 3 + fm.height()
        p.setFont(geo.small)
        p.setPen(self._t.label)
        for at, text in labels:
            p.drawText(at, text)

        def in_view(y: float) -> bool:
            return exposed.top() - 20 <= y <= exposed.bottom() + 20

        for hour in range(self._first_hour, self._last_hour + 1):
            y, half = (round(self._y(geo, hour + h)) + 0.5 for h in (0, 0.5))
            if in_view(y):
                p.setPen(self._t.grid)
                p.drawLine(QPointF(geo.gutter - 6, y), QPointF(geo.width, y))
            if hour < self._last_hour and in_view(half):
                p.setPen(self._t.grid_half)
                p.drawLine(QPointF(geo.gutter, half), QPointF(geo.width, half))
            if hour < 24 and in_view(y):
                p.setPen(self._t.label)
                box = QRectF(0, y - fm.height() / 2, geo.gutter - 10, fm.height())
                p.drawText(box, _ALIGN_RIGHT, f"{hour:02d}:00")
        p.setPen(self._t.grid)
        bottom = self._y(geo, self._last_hour) + _BODY_PAD
        for day in range(8):
            x = round(geo.x(day)) + 0.5
            p.drawLine(QPointF(x, geo.header_h), QPointF(x, bottom))

    def _paint_header(self, p: QPainter, geo: _Geometry) -> None:
        """Weekday and date row with today's accent circle, then the all-day strip."""
        strip_bottom = geo.top - _BODY_PAD
        p.fillRect(QRectF(0, 0, geo.width, strip_bottom), self._t.bg)
        today, _ = self._today()
        fm, fmb = QFontMetricsF(geo.font), QFontMetricsF(geo.bold)
        diameter, cy = fmb.height() + 6, geo.header_h / 2
        for day in range(7):
            when = self._week_start + timedelta(day)
            name = wording.day(when)
            total = fm.horizontalAdvance(name) + 6 + diameter
            x = geo.x(day) + (geo.day_w - total) / 2
            p.setFont(geo.font)
            p.setPen(
                self._t.accent
                if day == today
                else self._t.label
                if day >= 5
                else self._t.header_text
            )
            p.drawText(QPointF(x, cy - fm.height() / 2 + fm.ascent()), name)
            circle = QRectF(x + total - diameter, cy - diameter / 2, diameter, diameter)
            if day == today:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(self._t.accent)
                p.drawEllipse(circle)
            p.setFont(geo.bold)
            p.setPen(WHITE if day == today else self._t.header_text)
            p.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(when.day))
        p.setPen(self._t.grid)
        for day in range(8):
            x = round(geo.x(day)) + 0.5
            p.drawLine(QPointF(x, geo.header_h), QPointF(x, strip_bottom))
        p.drawLine(QPointF(0, geo.header_h - 0.5), QPointF(geo.width, geo.header_h - 0.5))
        p.setPen(self._t.grid)
        p.drawLine(QPointF(0, strip_bottom - 0.5), QPointF(geo.width, strip_bottom - 0.5))
        p.setFont(geo.small)
        p.setPen(self._t.label)
        p.drawText(
            QRectF(0, geo.header_h + 4, geo.gutter - 10, geo.chip_h), _ALIGN_RIGHT, "all-day"
        )
        for chip in geo.chips:
            self._paint_block(p, chip)

    def _paint_block(self, p: QPainter, block: _Block) -> None:
        rect, seg = block.rect, block.seg
        style, kind = self._style(seg.look), seg.item.kind
        inner = rect.adjusted(0.5, 0.5, -0.5, -0.5)
        if seg.indent:  # drawn over a longer block: a rim of the background keeps them apart
            p.setPen(QPen(self._t.bg, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), _RADIUS + 1, _RADIUS + 1)
        if kind is K.TRAVEL:  # a light, hatched wash of its event's colour
            p.setPen(QPen(_alpha(style.fill, 150), 1))
            p.setBrush(_alpha(style.fill, 28))
            p.drawRoundedRect(inner, _RADIUS, _RADIUS)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(_alpha(style.fill, 55), Qt.BrushStyle.BDiagPattern))
            p.drawRoundedRect(rect, _RADIUS, _RADIUS)
        elif seg.look is K.COMMITMENT and rect.width() > 12:
            # An accent bar on the left: the muted fill alone would fade into the grid.
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(style.border)
            p.drawRoundedRect(rect, _RADIUS, _RADIUS)
            p.setBrush(style.fill)
            p.drawRoundedRect(rect.adjusted(3, 0, 0, 0), _RADIUS, _RADIUS)
        else:
            p.setPen(QPen(style.border, 1))
            p.setBrush(style.fill)
            p.drawRoundedRect(inner, _RADIUS, _RADIUS)
        if self._selected and seg.item.key == self._selected:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(self._t.select, 2))
            p.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), _RADIUS + 1, _RADIUS + 1)
            if kind is not K.COMMITMENT:  # a white rim keeps dark fills apart from the outline
                p.setPen(QPen(_alpha(WHITE, 200), 1))
                p.drawRoundedRect(inner, _RADIUS, _RADIUS)
        if kind is K.PINNED and rect.width() >= 24 and rect.height() >= 14:
            cx, cy = rect.right() - 8, rect.top() + 6.5  # a drawn pin: no emoji font needed
            p.setPen(QPen(WHITE, 1.5))
            p.drawLine(QPointF(cx, cy + 2), QPointF(cx, cy + 7))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_PIN)
            p.drawEllipse(QPointF(cx, cy), 3.2, 3.2)
        if block.lines is None:
            block.lines = self._text_lines(block)
            if kind is K.TRAVEL:  # the label on a patch of background, not on the hatching
                block.patches = [_patch(font, at, text) for font, _c, at, text in block.lines]
        if block.patches:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._t.bg)
            for patch in block.patches:
                p.drawRoundedRect(patch, 2, 2)
        for font, color, at, text in block.lines:
            p.setFont(font)
            p.setPen(color)
            p.drawText(at, text)

    def _text_lines(self, block: _Block) -> list[Line]:
        """What the block says (see :mod:`planner.gui.block_text`), computed on its first
        paint and kept until the next layout: wrapping a thousand labels on every
        repaint is what would make scrolling stutter."""
        geo, seg = self._layout(), block.seg
        style = self._style(seg.look)
        travel = seg.item.kind is K.TRAVEL
        sub = self._t.travel_text.get(seg.look, style.border) if travel else style.subtext
        fonts = BlockFonts(geo.font, geo.bold, geo.small)
        return block_lines(block.rect, seg.item, seg.look, fonts, (style.text, sub), self._tz)

    def _paint_now(self, p: QPainter, geo: _Geometry) -> None:
        day, hour = self._today()
        if 0 <= day < 7 and self._first_hour <= hour <= self._last_hour:
            y, x = self._y(geo, hour), geo.x(day)
            p.setPen(QPen(_NOW, 2))
            p.drawLine(QPointF(x, y), QPointF(x + geo.day_w, y))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_NOW)
            p.drawEllipse(QPointF(x + 1, y), 5, 5)
