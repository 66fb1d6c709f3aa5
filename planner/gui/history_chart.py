"""The History view's charts, painted with QPainter (QtCharts is not in PySide6-Essentials).

Three charts of the same weeks, one column per week: a row of squares (filled: a
week with networking, attended or planned), the hours of each week (bars), and
the events of each week by category (stacked bars). Where each square and bar
goes is computed by :meth:`HistoryChart.chart_geometry` from the numbers alone, so the
tests check the geometry, not pixels. Colours come from the palette (light or
dark); categories get hues turned from the palette's highlight. The numbers are
also said in words (the accessible description), and the dialog beside it holds
them as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from planner.core.storage.history import WeekNumbers
from planner.core.text import wording

_MARGIN = 8.0
_LABEL = 18.0  # the height of a chart's title line
_SQUARES = 18.0  # the squares' row
_AXIS = 40.0  # the left margin for the numbers of the axis
_GAP = 12.0  # between two charts


@dataclass(frozen=True, slots=True)
class ChartGeometry:
    """Where everything goes, for a size: one entry per week, in order."""

    squares: tuple[QRectF, ...]
    hour_area: QRectF
    hour_bars: tuple[QRectF, ...]
    hours_top: float
    """The number of hours the top of the hour chart stands for."""
    category_area: QRectF
    category_bars: tuple[tuple[tuple[str, QRectF], ...], ...]
    """Per week, one (category, rectangle) per category, stacked from the bottom."""
    events_top: int
    """The number of events the top of the category chart stands for."""
    categories: tuple[str, ...]


def categories_of(weeks: Sequence[WeekNumbers]) -> tuple[str, ...]:
    """Every category met, most frequent first (ties by name); "" (none) last."""
    totals: dict[str, int] = {}
    for week in weeks:
        for name, count in week.categories.items():
            totals[name] = totals.get(name, 0) + count
    return tuple(sorted(totals, key=lambda n: (n == "", -totals[n], n)))


def describe(weeks: Sequence[WeekNumbers]) -> str:
    """The charts in words, for a screen reader."""
    if not weeks:
        return "No weeks to show."
    networked = sum(1 for w in weeks if w.networked)
    hours = sum(w.hours for w in weeks)
    attended = sum(w.attended for w in weeks)
    skipped = sum(w.skipped for w in weeks)
    first = wording.short_date(weeks[0].week_start, year=True)
    totals = ", ".join(
        f"{name or 'no category'} {sum(w.categories.get(name, 0) for w in weeks)}"
        for name in categories_of(weeks)
    )
    return (
        f"{len(weeks)} weeks from the week of {first}: {networked} with networking; "
        f"{wording.minutes(hours * 60)} of events in all; {attended} attended, {skipped} skipped"
        + (f"; by category: {totals}." if totals else ".")
    )


def _nice_top(value: float) -> float:
    """A round number at least ``value`` for the top of an axis (1, 2, 5, 10, 20, ...)."""
    top = 1.0
    while top < value:
        for step in (2.0, 2.5, 2.0):
            top *= step
            if top >= value:
                break
    return top


class HistoryChart(QWidget):
    """The weeks with networking, hours per week and events per category, painted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[WeekNumbers, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("History charts")
        self.setMinimumSize(420, 320)

    def set_weeks(self, weeks: Sequence[WeekNumbers]) -> None:
        self._weeks = tuple(weeks)
        self.setAccessibleDescription(describe(self._weeks))
        self.setToolTip(describe(self._weeks))
        self.update()

    def weeks(self) -> tuple[WeekNumbers, ...]:
        return self._weeks

    def sizeHint(self) -> QSize:
        return QSize(760, 460)

    def geometry_for(self, width: float, height: float) -> ChartGeometry:
        """Where each square and bar goes in a ``width`` x ``height`` widget."""
        weeks = self._weeks
        count = max(1, len(weeks))
        left, right = _MARGIN + _AXIS, width - _MARGIN
        column = max(1.0, (right - left) / count)
        top = _MARGIN + _LABEL
        side = min(_SQUARES, column - 2)
        squares = tuple(
            QRectF(left + i * column + (column - side) / 2, top, side, side)
            for i in range(len(weeks))
        )
        charts_top = top + _SQUARES + _GAP + _LABEL
        room = max(20.0, (height - _MARGIN - charts_top - _GAP - _LABEL - _LABEL) / 2)
        hour_area = QRectF(left, charts_top, right - left, room)
        category_area = QRectF(left, hour_area.bottom() + _GAP + _LABEL, right - left, room)
        hours_top = _nice_top(max((w.hours for w in weeks), default=0.0))
        events_top = int(_nice_top(float(max((w.events for w in weeks), default=0))))
        bar = column * 0.7
        hour_bars = tuple(
            QRectF(
                left + i * column + (column - bar) / 2,
                hour_area.bottom() - w.hours / hours_top * room,
                bar,
                w.hours / hours_top * room,
            )
            for i, w in enumerate(weeks)
        )
        names = categories_of(weeks)
        stacked: list[tuple[tuple[str, QRectF], ...]] = []
        for i, w in enumerate(weeks):
            y = category_area.bottom()
            parts: list[tuple[str, QRectF]] = []
            for name in names:
                n = w.categories.get(name, 0)
                if n:
                    h = n / events_top * room
                    y -= h
                    parts.append((name, QRectF(left + i * column + (column - bar) / 2, y, bar, h)))
            stacked.append(tuple(parts))
        return ChartGeometry(
            squares,
            hour_area,
            hour_bars,
            hours_top,
            category_area,
            tuple(stacked),
            events_top,
            names,
        )

    def chart_geometry(self) -> ChartGeometry:
        return self.geometry_for(float(self.width()), float(self.height()))

    def category_colour(self, name: str) -> QColor:
        """A hue per category, turned from the palette's highlight (its lightness kept, so
        each reads on the palette's base as the highlight does)."""
        base = self.palette().color(QPalette.ColorRole.Highlight)
        names = categories_of(self._weeks)
        index = names.index(name) if name in names else 0
        if name == "":
            return self.palette().color(QPalette.ColorRole.Mid)
        turned = (max(base.hsvHueF(), 0.0) + index * 0.61803) % 1.0
        return QColor.fromHsvF(turned, max(base.hsvSaturationF(), 0.45), base.valueF())

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        fill = palette.color(QPalette.ColorRole.Highlight)
        empty = palette.color(QPalette.ColorRole.Mid)
        geo = self.chart_geometry()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        p.setPen(text)
        title_left = _MARGIN
        p.drawText(
            QRectF(title_left, _MARGIN, self.width(), _LABEL),
            "Weeks with networking (solid: you went; pale: planned, not marked; hollow: none)",
        )
        p.drawText(
            QRectF(title_left, geo.hour_area.top() - _LABEL, self.width(), _LABEL),
            f"Hours per week (events; axis to {geo.hours_top:g} h)",
        )
        p.drawText(
            QRectF(title_left, geo.category_area.top() - _LABEL, self.width(), _LABEL),
            f"Events per category (axis to {geo.events_top})",
        )
        pale = QColor(fill)
        pale.setAlphaF(0.4)
        for rect, week in zip(geo.squares, self._weeks, strict=True):
            if week.networked:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(fill if week.attended else pale)
                p.drawRect(rect)
            else:  # a week without: hollow, so it reads as a gap on light and dark alike
                p.setPen(empty)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        for area, top in ((geo.hour_area, f"{geo.hours_top:g}"), (geo.category_area, "")):
            p.setPen(empty)
            p.drawLine(area.bottomLeft(), area.bottomRight())
            p.drawLine(area.topLeft(), area.bottomLeft())
            p.setPen(text)
            label = top or str(geo.events_top)
            p.drawText(
                QRectF(_MARGIN, area.top() - 2, _AXIS - 6, _LABEL),
                Qt.AlignmentFlag.AlignRight,
                label,
            )
            p.drawText(
                QRectF(_MARGIN, area.bottom() - _LABEL + 2, _AXIS - 6, _LABEL),
                Qt.AlignmentFlag.AlignRight,
                "0",
            )
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        for rect in geo.hour_bars:
            p.drawRect(rect)
        for parts in geo.category_bars:
            for name, rect in parts:
                p.setBrush(self.category_colour(name))
                p.drawRect(rect)
        self._paint_weeks(p, geo, text)
        self._paint_legend(p, geo, text)
        p.end()

    def _paint_weeks(self, p: QPainter, geo: ChartGeometry, text: QColor) -> None:
        """Under the category chart: the date of every few weeks (as many as fit)."""
        if not geo.squares:
            return
        column = geo.hour_area.width() / len(geo.squares)
        every = max(1, int(70 // max(column, 1.0)) + 1)
        p.setPen(text)
        for i, week in enumerate(self._weeks):
            x = geo.category_area.left() + i * column
            if i % every or x + 60 > self.width():  # as many as fit, none cut
                continue
            p.drawText(
                QRectF(x, geo.category_area.bottom() + 2, 70, _LABEL),
                wording.short_date(week.week_start, named=False),
            )

    def _paint_legend(self, p: QPainter, geo: ChartGeometry, text: QColor) -> None:
        x = geo.category_area.right()
        y = geo.category_area.top() - _LABEL
        metrics = p.fontMetrics()
        for name in reversed(geo.categories):
            label = name or "no category"
            width = metrics.horizontalAdvance(label) + 16
            x -= width + 8
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.category_colour(name))
            p.drawRect(QRectF(x, y + 4, 10, 10))
            p.setPen(text)
            p.drawText(QRectF(x + 14, y, width, _LABEL), label)
