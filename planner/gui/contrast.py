"""Contrast between colours, as WCAG 2 measures it, and text colours that reach it.

Every text colour the window picks for itself (the list's proposed and committed
rows, the week's blocks and travel labels) is a hue the palette does not have: on
a dark palette the light theme's dark green reads at about 2:1. ``readable``
keeps the hue while the contrast is enough and otherwise blends it toward the
palette's own text colour until it reaches WCAG AA (4.5:1 for text).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor

AA_TEXT = 4.5
"""WCAG 2's level AA contrast for body text."""


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: QColor) -> float:
    """WCAG 2's relative luminance of ``color`` (0 black .. 1 white)."""
    r, g, b = (_channel(c) for c in (color.redF(), color.greenF(), color.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours: 1 (the same) .. 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(color: QColor, background: QColor, amount: float) -> QColor:
    """``amount`` of ``color`` over ``background``: greys and tints that suit any palette."""
    return QColor.fromRgbF(
        color.redF() * amount + background.redF() * (1 - amount),
        color.greenF() * amount + background.greenF() * (1 - amount),
        color.blueF() * amount + background.blueF() * (1 - amount),
    )


def readable(
    color: QColor, backgrounds: Iterable[QColor], toward: QColor, minimum: float = AA_TEXT
) -> QColor:
    """``color``, blended toward ``toward`` (the palette's text) just enough to reach
    ``minimum`` contrast on every one of ``backgrounds`` (a row and its alternate)."""
    grounds = list(backgrounds)
    for step in range(21):
        candidate = mix(toward, color, step / 20)
        if all(contrast(candidate, ground) >= minimum for ground in grounds):
            return candidate
    return QColor(toward)
