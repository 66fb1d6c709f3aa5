"""Fixing an approximate place: type its address, or pick a saved place.

A calendar that says only "Toronto" (or a Meetup position rounded to the
city) is planned from the city centre; the user usually knows better. What
they give here is kept in the store under the calendar's location text
(:meth:`planner.core.storage.store.Store.fix_place`), so it holds for every
occurrence and every event written the same way, and survives restarts.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Place
from planner.core.settings import Settings
from planner.gui.dialog_buttons import ok_cancel


class PlaceFixDialog(QDialog):
    """Asks where an event at ``place`` really is; :meth:`fixed` is the answer."""

    def __init__(
        self, place: Place, settings: Settings, doubt: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fix the place")
        written = place.address or place.name
        intro = QLabel(
            f"“{written}”: {doubt}. Type its address (or “lat, lon”), or pick one of "
            "your places. Every event written this way will use it."
        )
        intro.setWordWrap(True)
        self.choice = QComboBox(self)
        self.choice.setEditable(True)
        self.choice.addItems(_saved_names(settings))
        self.choice.setEditText(written)
        self.choice.setAccessibleName("Address or saved place")
        if not settings.geocoding.consent:
            hint = QLabel(
                "Addresses are looked up only once you allow geocoding (Edit > Settings); "
                "until then a saved place or “lat, lon” is exact, an address its town."
            )
            hint.setWordWrap(True)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.choice)
        if not settings.geocoding.consent:
            layout.addWidget(hint)
        layout.addWidget(buttons)

    def fixed(self) -> str:
        """What the user gave: an address, "lat, lon" or a saved place's name."""
        return self.choice.currentText().strip()


def _saved_names(settings: Settings) -> list[str]:
    names = ["home"] if settings.home.has_position or settings.home_text else []
    return names + [p.place.name for p in settings.places if p.place.name]
