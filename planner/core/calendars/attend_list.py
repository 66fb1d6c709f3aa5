"""Exporting the chosen events: an .ics for the user's own calendar, and CSV.

The .ics holds each chosen event plus its travel as separate busy blocks
("Travel to ...", "Travel home"), and a reminder at the time to leave, so the
user's phone says "leave now" without planner running.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

import icalendar

from planner import __version__
from planner.core.model import Decision, Event, Plan, Trip
from planner.core.text import wording

PRODID = f"-//planner//planner {__version__}//EN"


def _block(
    uid: str, summary: str, start: datetime, end: datetime, stamp: datetime, description: str
) -> icalendar.Event:
    """A busy block planner adds (travel), with its own UID."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("description", description)
    event.add("transp", "OPAQUE")
    return event


def event_component(event: Event, stamp: datetime) -> icalendar.Event:
    """One event as a VEVENT that reads back as the same Event.

    It keeps the source's UID, and the RECURRENCE-ID of an occurrence of a
    series, so that importing the file next to the original feed updates the
    same occurrence instead of duplicating it.
    """
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.summary)
    if event.all_day:
        vevent.add("dtstart", event.start.date())
        vevent.add("dtend", event.end.date())
    else:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
    if event.recurrence_id:
        original = datetime.fromisoformat(event.recurrence_id).astimezone(event.start.tzinfo)
        vevent.add("recurrence-id", original.date() if event.all_day else original)
    place = event.place
    location = (
        place.name if place.virtual else ", ".join(p for p in (place.name, place.address) if p)
    )
    description = event.description
    if place.note:  # how planner learnt the venue, or why it is unknown
        said = place.note[:1].upper() + place.note[1:] + "."
        description = f"{description}\n\n{said}" if description else said
    optional = {
        "location": location,
        "url": event.url,
        "description": description,
        "priority": event.priority or None,
        "x-cost": None if event.cost is None else f"{event.cost:.2f}",
    }
    for key, value in optional.items():
        if value:
            vevent.add(key, value)
    if place.has_position and not place.virtual:
        vevent.add("geo", (place.lat, place.lon))
    if event.categories:
        vevent.add("categories", list(event.categories))
    vevent.add("status", event.status.value)
    vevent.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
    return vevent


def new_calendar(name: str) -> icalendar.Calendar:
    """An empty VCALENDAR with planner's PRODID: the export's, and each published object's."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def finish(cal: icalendar.Calendar, span: tuple[date, date] | None = None) -> bytes:
    """The calendar as bytes. ``span``: the days its times fall in, when known (a
    published week): its VTIMEZONEs then hold those years' rules only, not 1970-2038's."""
    # VTIMEZONE blocks for every TZID used, so that Outlook and others can read the times.
    if span is None:
        cal.add_missing_timezones()
    else:
        cal.add_missing_timezones(*span)
    return bytes(cal.to_ical())


def events_to_ics(events: Iterable[Event], name: str, *, now: datetime | None = None) -> bytes:
    """A plain calendar of events (used for round trips and the drag-and-drop payload)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = new_calendar(name)
    for event in events:
        cal.add_component(event_component(event, stamp))
    return finish(cal)


BlockKind = Literal["event", "travel-to", "travel-from"]
"""What an entry of the attend-list is: the event itself, the trip there, the trip back."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One VEVENT of the attend-list and what it stands for: the .ics export writes them
    all into one file, publishing writes each into a CalDAV calendar as its own object."""

    decision: Decision
    kind: BlockKind
    component: icalendar.Event


def entries(plan: Plan, stamp: datetime) -> Iterator[Entry]:
    """The attend-list, entry by entry: each chosen event (with a leave-by alarm when
    there is travel) followed by its busy travel blocks ("Travel to ...", "Travel home")."""
    for d in plan.chosen:
        event = d.event
        vevent = event_component(event, stamp)
        if d.trip_to is not None and d.trip_to.minutes:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                f"Leave {wording.place(d.origin)} now for {event.summary} "
                f"({wording.journey(d.trip_to)})",
            )
            alarm.add("trigger", d.leave_at - event.start, parameters={"RELATED": "START"})
            vevent.add_component(alarm)
        yield Entry(d, "event", vevent)
        legs: tuple[tuple[Trip | None, datetime, datetime, str, BlockKind], ...] = (
            (d.trip_to, d.leave_at, event.start, f"Travel to {event.summary}", "travel-to"),
            (d.trip_from, event.end, d.back_at, _home_or(d.destination), "travel-from"),
        )
        for trip, start, end, name, kind in legs:
            if trip is None or trip.minutes == 0:
                continue
            note = _travel_note(trip)
            way = kind.removeprefix("travel-")
            yield Entry(
                d, kind, _block(f"planner-travel-{way}-{event.key}", name, start, end, stamp, note)
            )


def to_ics(plan: Plan, *, now: datetime | None = None) -> bytes:
    """The attend-list: chosen events, a busy block per trip, and a leave-by alarm."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = new_calendar(f"planner: week of {plan.week_start:%Y-%m-%d}")
    for entry in entries(plan, stamp):
        cal.add_component(entry.component)
    return finish(cal)


def _travel_note(trip: Trip) -> str:
    """The travel block's description: by the timetable its legs, else the estimate."""
    if trip.legs:
        return f"{wording.journey(trip)} (by the timetable, {trip.distance_km:.0f} km)"
    return f"{trip.label}, {trip.distance_km:.0f} km, estimated by planner" + (
        " (rush hour)" if trip.rush_hour else ""
    )


def _home_or(destination: str) -> str:
    return "Travel home" if destination == "home" else f"Travel to {wording.place(destination)}"


CSV_FIELDS = (
    "date",
    "start",
    "end",
    "leave_at",
    "back_at",
    "travel_to_minutes",
    "travel_from_minutes",
    "title",
    "venue",
    "address",
    "url",
    "cost",
    "category",
)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list, with the
full-width forms some spreadsheets also take)."""


def neutralised(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs: a feed's organiser writes the
    titles, and ``=HYPERLINK(...)`` or ``@SUM(...)`` must not become a live formula on the
    user's computer (OWASP: prefix such a cell with a single quote)."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def to_csv(plan: Plan) -> str:
    """The attend-list as CSV, one row per chosen event, for spreadsheets; text from the
    calendars is :func:`neutralised` (times, minutes and prices are planner's own)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for d in plan.chosen:
        e = d.event
        writer.writerow(
            [
                e.start.date().isoformat(),
                f"{e.start:%H:%M}",
                f"{e.end:%H:%M}",
                f"{d.leave_at:%H:%M}",
                f"{d.back_at:%H:%M}",
                d.trip_to.minutes if d.trip_to else 0,
                d.trip_from.minutes if d.trip_from else 0,
                neutralised(e.summary),
                neutralised(e.place.label),
                neutralised(e.place.address),
                neutralised(e.url),
                "" if e.cost is None else f"{e.cost:.2f}",
                neutralised(e.category),
            ]
        )
    return out.getvalue()
