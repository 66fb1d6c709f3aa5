"""The week view's colours: strong fills for proposed and committed events, and the
rest (background, grid, labels, muted commitments, protected time) blended from the
palette, light or dark, each text colour checked to reach WCAG AA on what it is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from planner.gui.calendar_item import ItemKind
from planner.gui.contrast import mix as _mix
from planner.gui.contrast import readable

K = ItemKind
WHITE = QColor("#ffffff")
_ACCENT_LIGHT = QColor("#1a73e8")


@dataclass(frozen=True, slots=True)
class Style:
    """How one kind of block is painted."""

    fill: QColor
    border: QColor  # also the accent bar of commitments and the text of travel blocks
    text: QColor
    subtext: QColor


def _strong(fill: str, border: str, subtext: str) -> Style:
    """A strong fill with white text; its second lines blended to reach AA on the fill."""
    back = QColor(fill)
    return Style(back, QColor(border), WHITE, readable(QColor(subtext), [back], WHITE))


STYLES = {
    K.PROPOSED: _strong("#2e7d32", "#23692a", "#d7ecd8"),
    K.PINNED: _strong("#1f4fa0", "#173d80", "#d5e1f5"),
}
_COMMITMENT_HUE = QColor("#5d7ba3")


@dataclass(frozen=True, slots=True)
class Theme:
    """The view's colours, derived from the system palette (light or dark).

    Proposed and committed events keep their strong colours with white text,
    which read on both; everything else (background, grid, labels, the muted
    commitments, protected time) is a mix of the palette's text and base.
    """

    bg: QColor
    grid: QColor
    grid_half: QColor
    label: QColor
    header_text: QColor
    accent: QColor
    protected_fill: QColor
    protected_hatch: QColor
    select: QColor
    commitment: Style
    travel_text: dict[ItemKind, QColor]
    """The text of travel labels, per look, on their label's background (``bg``)."""

    @classmethod
    def of(cls, palette: QPalette) -> Theme:
        bg = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = bg.lightnessF() < 0.5
        accent = palette.color(QPalette.ColorRole.Highlight)
        fill = _mix(_COMMITMENT_HUE, bg, 0.30 if dark else 0.16)
        return cls(
            bg=bg,
            grid=_mix(text, bg, 0.13),
            grid_half=_mix(text, bg, 0.06),
            label=_mix(text, bg, 0.55),
            header_text=_mix(text, bg, 0.85),
            accent=accent if accent.isValid() else _ACCENT_LIGHT,
            protected_fill=_mix(text, bg, 0.045),
            protected_hatch=_mix(text, bg, 0.12),
            select=text,
            commitment=Style(
                fill,
                _mix(_COMMITMENT_HUE, bg, 0.85 if dark else 0.65),
                readable(_mix(text, bg, 0.85), [fill], text),
                readable(_mix(text, bg, 0.6), [fill], text),
            ),
            travel_text={look: readable(style.fill, [bg], text) for look, style in STYLES.items()},
        )
