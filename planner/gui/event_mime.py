"""What a dragged event carries, so it can cross between planner's views and other apps.

A drag holds the event as a real iCalendar payload (``text/calendar``), which
calendar apps and file managers understand, plus planner's own key for the
event (so a drop inside planner needs no parsing) and a line of plain text
for editors and chat windows. A drop can bring any of these, or .ics files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData

from planner.core.calendars.attend_list import events_to_ics
from planner.core.model import Event
from planner.core.text import wording

KEY_MIME = "application/x-planner-event-key"
ICS_MIME = "text/calendar"


def mime_for(event: Event) -> QMimeData:
    """The drag payload of one event."""
    mime = QMimeData()
    mime.setData(KEY_MIME, event.key.encode("utf-8"))
    mime.setData(ICS_MIME, events_to_ics([event], event.summary))
    start = event.start
    mime.setText(f"{event.summary} ({wording.moment(start)}–{wording.clock(event.end)})")
    return mime


@dataclass(slots=True)
class Dropped:
    """What a drop brought, most specific first."""

    key: str = ""
    calendar: bytes = b""
    files: list[Path] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.key or self.calendar or self.files)


def read_drop(mime: QMimeData) -> Dropped:
    """The event key, iCalendar data or .ics files in a drop (nothing else is taken)."""
    found = Dropped()
    if mime.hasFormat(KEY_MIME):
        found.key = bytes(mime.data(KEY_MIME).data()).decode("utf-8", "replace")
    if mime.hasFormat(ICS_MIME):
        found.calendar = bytes(mime.data(ICS_MIME).data())
    if mime.hasUrls():
        found.files = [
            Path(url.toLocalFile())
            for url in mime.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith((".ics", ".ical"))
        ]
    return found


def can_take(mime: QMimeData) -> bool:
    return not read_drop(mime).empty
