"""The selected event in full: when, where, how to get there, cost, and why.

Text from feeds is escaped and shown as plain text: a description is never
rendered as remote HTML, and the link opens only when clicked.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from planner.core.model import Decision
from planner.core.text import wording
from planner.core.text.prices import price_assumed
from planner.gui.contrast import mix, readable


def details_html(d: Decision, muted: str = "gray") -> str:
    e = d.event
    esc = html.escape
    rows = [f"<h3 style='margin:0'>{esc(e.summary)}</h3>", f"<b>{esc(wording.span(e))}</b>"]
    where = esc(", ".join(p for p in (e.place.label, e.place.address) if p))
    if e.place.note.startswith("location unknown"):  # why: a feed gave none, nor its page
        where = f"<i>{esc(e.place.note)}</i>"
    elif e.place.note:  # how planner learnt it ("venue read from the event's page")
        where += f" <i>({esc(e.place.note)})</i>"
    rows.append(where)
    guessed = place_in_doubt(d)
    if guessed:
        rows.append(f"<i>⚠ {esc(guessed)}</i> <a href='{FIX_PLACE}'>Fix the place…</a>")
    if d.trip_to is not None:
        back = "home" if d.destination == "home" else "at " + wording.place(d.destination)
        rows.append(
            f"Leave {esc(wording.place(d.origin))} at <b>{wording.clock(d.leave_at)}</b> "
            f"({esc(d.trip_to.label)}{', rush hour' if d.trip_to.rush_hour else ''}); "
            f"back {esc(back)} "
            f"by <b>{wording.clock(d.back_at)}</b>"
            + (" <i>(venue position unknown: travel assumed)</i>" if d.trip_to.assumed else "")
        )
    else:
        rows.append("Online: no travel")
    assumed = price_assumed(e.description, e.cost)
    rows.append(
        f"Cost: {esc(wording.money(e.cost))}"
        + (f" <i>(⚠ assumed: {esc(assumed)})</i>" if assumed else "")
        + f" &middot; value {d.value:g} &middot; "
        f"uses {esc(wording.minutes(d.charged_minutes))} of the budget"
    )
    verdict = "Proposed" if d.chosen else "Left out"
    rows.append(f"<b>{verdict}:</b> {esc(d.explanation)}")
    if d.what_if:
        rows.append(f"<i>What would make it fit:</i> {esc(d.what_if)}")
    if e.url:
        rows.append(f"<a href='{esc(e.url, quote=True)}'>{esc(e.url)}</a>")
    if e.description:
        described = esc(e.description).replace("\n", "<br>")
        rows.append(f"<span style='color:{muted}'>{described}</span>")
    return "<br>".join(rows)


FIX_PLACE = "planner:fix-place"
"""The details' own link that asks to fix the selected event's place."""


def place_in_doubt(d: Decision) -> str:
    """Why the event's position is a guess, in words ("" when it is not): "approximate
    location (city centre of Toronto, Canada)", or no position at all."""
    place = d.event.place
    if place.virtual or not (place.name or place.address):
        return ""
    if not place.has_position:
        return "no position for this place: travel is assumed"
    if place.approximate:
        return "approximate location" + (f" (city centre of {place.area})" if place.area else "")
    return ""


class DetailsPanel(QLabel):
    """Shows one decision; the link opens in the browser only on click, and "Fix the
    place…" asks for the place of an event placed approximately."""

    fixPlaceRequested = Signal(str)
    """The key of the event whose place the user wants to fix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._open)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMargin(8)
        self.show_decision(None)

    def _open(self, link: str) -> None:
        if link == FIX_PLACE:
            self.fixPlaceRequested.emit(self._key)
        else:
            QDesktopServices.openUrl(QUrl(link))

    def show_decision(self, d: Decision | None) -> None:
        self._key = d.event.key if d is not None else ""
        if d is None:
            self.setText(
                f"<span style='color:{self._muted()}'>Select an event in the week or the list "
                "to see where it is, how to get there and why it was or was not "
                "chosen.</span>"
            )
        else:
            self.setText(details_html(d, self._muted()))

    def _muted(self) -> str:
        """The description's quieter colour, from the palette and still 4.5:1 on it
        (a fixed grey read at about 2:1 on a dark palette)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        ground = palette.color(QPalette.ColorRole.Window)
        return readable(mix(text, ground, 0.6), [ground], text).name()
