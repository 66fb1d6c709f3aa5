"""The lines of text drawn on one block of the week: title, note, place and time.

Apart from the week view so that what a block says, and in which order it gives up
lines when it is small, reads in one place: the title first (wrapped, a step smaller
when a word does not fit, see :mod:`planner.gui.text_fit`), then the note ("Leave
17:15"), the place and the time, as many as fit. A travel block says "drive 15 min"
when that fits and "15 min" when only that does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from planner.gui.calendar_item import CalendarItem, ItemKind
from planner.gui.text_fit import elide_words, fit_lines

Line = tuple[QFont, QColor, QPointF, str]
"""A line to draw: its font, colour, baseline origin and text."""

_MARKER = 12.0  # the pin drawn at the top right of a committed event


@dataclass(frozen=True, slots=True)
class BlockFonts:
    """The week's three fonts: the palette's, its bold, and a step smaller."""

    font: QFont
    bold: QFont
    small: QFont


def block_lines(
    rect: QRectF,
    item: CalendarItem,
    look: ItemKind,
    fonts: BlockFonts,
    colors: tuple[QColor, QColor],
    tz: tzinfo,
) -> list[Line]:
    """What ``item``, drawn as ``look`` in ``rect``, says: ``colors`` are the title's and
    the quieter lines' (the note keeps the title's colour on an event)."""
    text_color, sub_color = colors
    travel = item.kind is ItemKind.TRAVEL
    title_font = (
        fonts.small if travel else fonts.font if look is ItemKind.COMMITMENT else fonts.bold
    )
    small_fm = QFontMetricsF(fonts.small)
    if small_fm.height() > rect.height() + 3:
        return []  # not even a small line: the tooltip says it all
    pad = 5.0 if rect.width() > 30 else 2.0
    left = pad + (3.0 if look is ItemKind.COMMITMENT else 0.0)  # past the accent bar
    width, room = rect.width() - left - pad, rect.height()
    if width < 3 * small_fm.averageCharWidth():
        return []  # a sliver among many overlapping blocks: a letter a line says nothing
    smaller = _smaller(title_font, fonts.small)
    title_fonts = [title_font] if title_font is fonts.small else [title_font, smaller]
    if QFontMetricsF(title_font).height() > room:  # a low block keeps its title, smaller
        title_fonts = [smaller]
    after: list[tuple[QFont, QColor, str]] = []
    if not item.all_day:
        if item.note:
            after.append((fonts.small, text_color, item.note))
        if item.detail:
            after.append((fonts.small, sub_color, item.detail))
        if not travel:
            s, e = item.start.astimezone(tz), item.end.astimezone(tz)
            after.append((fonts.small, sub_color, f"{s:%H:%M}–{e:%H:%M}"))
    # The title first, but a line is kept for the note when there is room for both.
    reserve = small_fm.height() if item.note and room >= 2 * small_fm.height() else 0.0
    title = _travel_title(item, fonts.small, width) if travel else item.title
    marker = _MARKER if item.kind is ItemKind.PINNED else 0.0
    fitted = fit_lines(title, title_fonts, width, room - reserve, first_line_less=marker)
    title_color = sub_color if travel else text_color
    fm = QFontMetricsF(fitted.font)
    chosen = [(fitted.font, title_color, fm, text) for text in fitted.lines]
    used = len(chosen) * fm.height()
    for font, color, text in after:
        line_fm = QFontMetricsF(font)
        if not chosen or used + line_fm.height() > room:
            break
        elided, _whole = elide_words(text, line_fm, width)
        if not elided:
            break
        chosen.append((font, color, line_fm, elided))
        used += line_fm.height()
    # The lines hang from the top edge, or are centred in a block they nearly fill.
    y = rect.top() + min(2.0, (rect.height() - used) / 2)
    if item.all_day:
        y = rect.top() + (rect.height() - used) / 2
    lines: list[Line] = []
    for font, color, line_fm, text in chosen:
        lines.append((font, color, QPointF(rect.left() + left, y + line_fm.ascent()), text))
        y += line_fm.height()
    return lines


def _smaller(font: QFont, small: QFont) -> QFont:
    """``font`` (bold on an event) at the size of ``small``."""
    if font.bold() == small.bold():
        return small
    result = QFont(small)
    result.setBold(font.bold())
    return result


def _travel_title(item: CalendarItem, font: QFont, width: float) -> str:
    """ "drive 15 min" when it fits on a line, else "15 min" (the item's short title)."""
    if not item.short_title or QFontMetricsF(font).horizontalAdvance(item.title) <= width:
        return item.title
    return item.short_title
