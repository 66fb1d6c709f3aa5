"""Fitting text into a box by lines: the week's titles wrap instead of ending in "Durham T…".

Kept apart from the week view so that the painting code stays readable and the
rule is tested on its own. The rule, as a reader of a narrow calendar column wants it:

1. wrap at word boundaries (Qt's own line breaking, :class:`QTextLayout`, so hyphens
   and dashes break as in any Qt text);
2. when a single word is wider than the column, try the next, smaller font before
   breaking it;
3. only then break the word where it must, and elide what is left on the last line,
   at a word boundary when one fits ("Durham Tech…", not "Durham Tech Vi…").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTextBoundaryFinder
from PySide6.QtGui import QFont, QFontMetricsF, QTextLayout, QTextOption

_ELIDE = Qt.TextElideMode.ElideRight
_ELLIPSIS = "…"
_TRAILING = " \t–—-:;,·/&+"
"""Stripped before an ellipsis: "Durham Tech:…" reads as "Durham Tech…"."""


@dataclass(frozen=True, slots=True)
class Fitted:
    """Lines of text in one font, as they fit a box."""

    font: QFont
    lines: list[str]
    whole: bool
    """Every word shown is shown whole: none broken across lines or cut by the ellipsis."""
    shown: int
    """How many characters of the text (spaces aside) the lines show."""


def fit_lines(
    text: str,
    fonts: Sequence[QFont],
    width: float,
    height: float,
    first_line_less: float = 0.0,
) -> Fitted:
    """``text`` wrapped into ``width`` x ``height`` in the first of ``fonts`` (largest
    first) that shows its words whole, and all of it or at least two words ("Durham…"
    says little where a step smaller says "Durham Tech…"); when none does, the one that
    shows the most of it in whole words, or else the most of it.

    At least one line is given even when ``height`` holds less. ``first_line_less``
    keeps room at the end of the first line (for the pin marker).
    """
    text = " ".join(text.split())
    tried: list[Fitted] = []
    for font in fonts:
        # A line's descent may touch the box's edge: it is mostly empty.
        most = max(1, int((height + 1.0) // QFontMetricsF(font).height()))
        fitted = _wrap(text, font, width, most, first_line_less)
        if fitted.whole and (fitted.shown == _letters(text) or _words(fitted) >= 2):
            return fitted
        tried.append(fitted)
    if not tried:
        raise ValueError("fit_lines needs at least one font")
    # Nothing reads well: whole words first, then as much of the title as possible.
    return max(tried, key=lambda f: (f.whole, f.shown))


def _letters(text: str) -> int:
    return len(text) - text.count(" ")


def _words(fitted: Fitted) -> int:
    return sum(len(line.rstrip(_ELLIPSIS).split()) for line in fitted.lines)


def elide_words(text: str, fm: QFontMetricsF, width: float) -> tuple[str, bool]:
    """``text`` on one line of ``width``: whole, or cut at the last word boundary that
    leaves room for "…", or (when not even the first word fits) cut anywhere.
    Also says whether the words shown are whole."""
    if fm.horizontalAdvance(text) <= width:
        return text, True
    line, whole, _shown = _elide(text, _Breaks(text), 0, fm, width)
    return line, whole


class _Breaks:
    """Where ``text`` may be broken into lines (Unicode line breaking, as Qt lays out
    text), in Python indices; Qt's positions count UTF-16 units, so an emoji in a
    title shifts them."""

    def __init__(self, text: str) -> None:
        self.text = text
        wide = any(ord(c) > 0xFFFF for c in text)
        self._to_py: dict[int, int] | None = None
        if wide:
            self._to_py, unit = {}, 0
            for index, char in enumerate(text):
                self._to_py[unit] = index
                unit += 2 if ord(char) > 0xFFFF else 1
            self._to_py[unit] = len(text)
        finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
        found: list[int] = []
        while (position := finder.toNextBoundary()) != -1:
            found.append(self.py(position))
        self.at = frozenset(found)
        self.ordered = found

    def py(self, unit: int) -> int:
        """A Qt (UTF-16) position as a Python index."""
        return unit if self._to_py is None else self._to_py.get(unit, len(self.text))


def _wrap(text: str, font: QFont, width: float, most: int, first_less: float) -> Fitted:
    """All lines but the last laid out by Qt (breaking a word only where it must), the
    rest on the last line, elided at a word boundary."""
    fm = QFontMetricsF(font)
    if fm.horizontalAdvance(text) <= width - first_less:  # the usual short title
        return Fitted(font, [text] if text else [], True, _letters(text))
    breaks = _Breaks(text)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    whole, position = True, 0
    layout.beginLayout()
    while len(lines) < most - 1 and position < len(text):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width - (first_less if not lines else 0.0)))
        end = breaks.py(line.textStart() + line.textLength())
        if end <= position:
            break
        if end < len(text) and end not in breaks.at:
            whole = False  # a word wider than the line, broken where it had to be
        lines.append(text[position:end].strip())
        position = end
    layout.endLayout()
    shown = sum(_letters(line) for line in lines)
    if position < len(text):
        room = width - (first_less if not lines else 0.0)
        last, last_whole, last_shown = _elide(text, breaks, position, fm, room)
        whole = whole and last_whole
        shown += last_shown
        lines.append(last)
    return Fitted(font, [line for line in lines if line], whole, shown)


def _elide(
    text: str, breaks: _Breaks, start: int, fm: QFontMetricsF, width: float
) -> tuple[str, bool, int]:
    """The text from ``start`` on one line: the line, whether its words are whole, and
    how many characters it shows."""
    rest = text[start:].strip()
    if fm.horizontalAdvance(rest) <= width:
        return rest, True, _letters(rest)
    for end in reversed(breaks.ordered):
        if end <= start:
            break
        if not text[end - 1].isspace():
            continue  # after the hyphen of "Parent-teacher": "Parent-tea…" says more
        piece = text[start:end].rstrip(_TRAILING)
        if piece and fm.horizontalAdvance(piece + _ELLIPSIS) <= width:
            return piece + _ELLIPSIS, True, _letters(piece)
    cut = fm.elidedText(rest, _ELIDE, max(0.0, width))
    return cut, False, _letters(cut.rstrip(_ELLIPSIS))
