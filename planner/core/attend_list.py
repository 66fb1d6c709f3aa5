"""Exporting the chosen events: an .ics for the user's own calendar, and CSV.

The .ics holds each chosen event plus its travel as separate busy blocks
("Travel to ...", "Travel home"), and a reminder at the time to leave, so the
user's phone says "leave now" without planner running.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import icalendar

from planner import __version__
from planner.core import wording
from planner.core.model import Decision, Plan

PRODID = f"-//planner//planner {__version__}//EN"


def _vevent(
    uid: str, summary: str, start: datetime, end: datetime, stamp: datetime, **extra: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    for key, value in extra.items():
        if value:
            event.add(key.replace("_", "-"), value)
    return event


def to_ics(plan: Plan, *, now: datetime | None = None) -> bytes:
    """The attend-list as iCalendar bytes, with travel blocks and leave-by alarms."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"planner: week of {plan.week_start:%Y-%m-%d}")
    for d in plan.chosen:
        event = d.event
        vevent = _vevent(
            f"planner-{event.uid}",
            event.summary,
            event.start,
            event.end,
            stamp,
            location=", ".join(p for p in (event.place.name, event.place.address) if p),
            url=event.url,
            description=_description(d),
        )
        if event.place.has_position:
            vevent.add("geo", (event.place.lat, event.place.lon))
        if d.trip_to is not None and d.trip_to.minutes:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Leave now for {event.summary} ({d.trip_to.label})")
            alarm.add("trigger", d.leave_at - event.start, parameters={"RELATED": "START"})
            vevent.add_component(alarm)
        cal.add_component(vevent)
        for trip, start, end, name in (
            (d.trip_to, d.leave_at, event.start, f"Travel to {event.summary}"),
            (d.trip_from, event.end, d.back_at, f"Travel to {d.destination}"),
        ):
            if trip is None or trip.minutes == 0:
                continue
            cal.add_component(
                _vevent(
                    f"planner-travel-{'to' if start < event.start else 'from'}-{event.uid}",
                    name,
                    start,
                    end,
                    stamp,
                    description=f"{trip.label}, {trip.distance_km:.0f} km (estimated by planner)",
                    transp="OPAQUE",
                )
            )
    return bytes(cal.to_ical())


def _description(d: Decision) -> str:
    lines = [d.explanation[:1].upper() + d.explanation[1:] + "."]
    if d.event.cost is not None:
        lines.append(f"Cost: {wording.money(d.event.cost)}")
    if d.event.description:
        lines += ["", d.event.description]
    return "\n".join(lines)


CSV_FIELDS = (
    "day",
    "start",
    "end",
    "summary",
    "venue",
    "address",
    "leave_at",
    "back_at",
    "travel_to_min",
    "travel_from_min",
    "cost",
    "category",
    "url",
)


def to_csv(plan: Plan) -> str:
    """The attend-list as CSV, one row per chosen event, for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for d in plan.chosen:
        e = d.event
        writer.writerow(
            [
                f"{e.start:%a %Y-%m-%d}",
                f"{e.start:%H:%M}",
                f"{e.end:%H:%M}",
                e.summary,
                e.place.label,
                e.place.address,
                f"{d.leave_at:%H:%M}",
                f"{d.back_at:%H:%M}",
                d.trip_to.minutes if d.trip_to else 0,
                d.trip_from.minutes if d.trip_from else 0,
                "" if e.cost is None else f"{e.cost:.2f}",
                e.category,
                e.url,
            ]
        )
    return out.getvalue()
