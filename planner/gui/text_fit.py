"""Fitting text into a box by lines: the week's titles wrap instead of ending in "Durham T…".

Kept apart from the week view so that the painting code stays readable and the
rule (break at spaces, elide what is left on the last line) is tested on its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

_ELIDE = Qt.TextElideMode.ElideRight


def wrap_text(
    text: str, fm: QFontMetricsF, width: float, most: int, first_line_less: float = 0.0
) -> list[str]:
    """``text`` broken at spaces into at most ``most`` lines of ``width``; what does not
    fit is elided on the last line, and a word too long for a line is elided there."""
    if width <= 0 or most <= 0:
        return []
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < most:
        room = width - (first_line_less if not lines else 0.0)
        if len(lines) == most - 1:  # the last line: the rest, elided
            lines.append(fm.elidedText(" ".join(words), _ELIDE, room))
            break
        line = words.pop(0)
        while words and fm.horizontalAdvance(f"{line} {words[0]}") <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(fm.elidedText(line, _ELIDE, room))
    return [line for line in lines if line]
