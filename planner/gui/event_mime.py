"""What a dragged event carries, so it can cross between planner's views and other apps.

A drag holds the event as a real iCalendar payload (``text/calendar``), which
calendar apps and file managers understand, plus planner's own key for the
event (so a drop inside planner needs no parsing) and a line of plain text
for editors and chat windows. A drop can bring any of these, or .ics files, or
a link to an event's web page dragged from a browser: as ``text/uri-list`` (every
browser), Firefox's ``text/x-moz-url`` (the link, then its title, in UTF-16), or
plain text that is one link and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData

from planner.core.calendars.attend_list import events_to_ics
from planner.core.model import Event
from planner.core.text import wording
from planner.core.web.fetch import is_web_link

KEY_MIME = "application/x-planner-event-key"
ICS_MIME = "text/calendar"
MOZ_URL_MIME = "text/x-moz-url"


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
    links: list[str] = field(default_factory=list)
    """http(s) links (an event's page, or an .ics on the web), each once, in order."""

    @property
    def empty(self) -> bool:
        return not (self.key or self.calendar or self.files or self.links)


def read_drop(mime: QMimeData) -> Dropped:
    """The event key, iCalendar data, .ics files or web links in a drop (nothing else
    is taken)."""
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
    found.links = web_links(mime)
    return found


def web_links(mime: QMimeData) -> list[str]:
    """The http(s) links a browser put in a drag: its URL list, Firefox's own format, or
    plain text that is a link and nothing else."""
    links = [
        bytes(url.toEncoded().data()).decode("ascii", "replace")  # %20 stays %20: one word
        for url in mime.urls()
        if not url.isLocalFile()
    ]
    if mime.hasFormat(MOZ_URL_MIME):  # "link\ntitle", UTF-16 as Firefox writes it
        raw = bytes(mime.data(MOZ_URL_MIME).data())
        text = raw.decode("utf-16", "replace") if b"\x00" in raw else raw.decode("utf-8", "replace")
        links += text.splitlines()[:1]
    if not links and mime.hasText():
        links.append(mime.text())
    kept = [link.strip() for link in links if is_web_link(link.strip())]
    return list(dict.fromkeys(kept))


def can_take(mime: QMimeData) -> bool:
    return not read_drop(mime).empty
