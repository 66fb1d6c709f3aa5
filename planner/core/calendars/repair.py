"""What a calendar with bad parts costs: only those parts.

icalendar rejects a whole file for one bad line, and recurring-ical-events
expands whatever it is given; these are the checks between the two. Parts
icalendar cannot parse are found by halves and left out with their reason;
an event that would crash the expander, expand without end or overflow a
date is skipped; one that ends before it starts is mended, as the reference
readers do. Each check returns what it found as words (or "" when the
event is fine), so the reader can say it with the file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import icalendar

from planner.core.calendars import guard
from planner.core.calendars import stream as ics_stream
from planner.core.model import Problem, Severity
from planner.core.text import wording

MIN_YEAR, MAX_YEAR = 1600, 2999
"""The years an event may start or end in: beyond them a date is a typo, and Python's
dates (years 1-9999) would overflow while a series is expanded."""


PARSE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)


T = TypeVar("T")


def parseable(
    parts: list[T], text: Callable[[list[T]], str]
) -> tuple[list[T], list[tuple[T, Exception]]]:
    """Split ``parts`` into those icalendar parses and those it fails on (with why).

    Halves are tried rather than each part alone: a big file with one bad
    event costs a few parses of shrinking halves, not one parse per event
    (each of which repeats the header and every time zone).
    """
    if not parts:
        return [], []
    try:
        icalendar.Calendar.from_ical(text(parts))
    except PARSE_ERRORS as exc:
        failure: Exception = exc
    else:
        return parts, []
    if len(parts) == 1:
        return [], [(parts[0], failure)]
    middle = len(parts) // 2
    good_first, bad_first = parseable(parts[:middle], text)
    good_last, bad_last = parseable(parts[middle:], text)
    return good_first + good_last, bad_first + bad_last


def drop_bad_header(found: ics_stream.Scan, source: str, problems: list[Problem]) -> None:
    """Leave out the calendar properties and time zones icalendar cannot parse, saying which."""
    found.header[:], bad_lines = parseable(
        found.header, lambda lines: ics_stream.Scan(header=lines).text()
    )
    for line, exc in bad_lines:  # the line's own problem, said as a note
        name = line.split(":", 1)[0].split(";", 1)[0][:40]
        problems.append(Problem(source, f"ignored its {name} ({exc})", severity=Severity.NOTE))
    found.timezones[:], bad_zones = parseable(
        found.timezones, lambda zones: ics_stream.Scan(timezones=zones).text()
    )
    for zone, exc in bad_zones:  # the zone's own problem: its events fall back
        tzid = ics_stream.property_value(zone.lines, "TZID")[:60]
        problems.append(
            Problem(
                source,
                f"ignored time zone {tzid!r} ({exc}); its events are read in your time zone",
                line=zone.line_number,
                severity=Severity.NOTE,
            )
        )


def rules(component: Any) -> list[Any]:
    rules = component.get("RRULE")
    return rules if isinstance(rules, list) else [rules] if rules is not None else []


def drop_nested(component: Any) -> str:
    """Remove what an event holds besides its alarms (BEGIN:VEVENT inside BEGIN:VEVENT, as
    deep as a file likes); what was removed, or "".

    The expander walks components recursively and would expand them as events
    nobody checked; a few thousand levels would also exhaust Python's stack.
    """
    inside = [c for c in component.subcomponents if getattr(c, "name", "") != "VALARM"]
    if not inside:
        return ""
    component.subcomponents[:] = [c for c in component.subcomponents if c not in inside]
    names = sorted({f"BEGIN:{getattr(c, 'name', '?')}" for c in inside})
    return f"{len(inside)} component{'s' if len(inside) > 1 else ''} ({', '.join(names)})"


def runaway(component: Any, end: datetime) -> str:
    """Why the event's recurrence rule is refused (:func:`guard.runaway_rule`), or ""."""
    try:
        for rule in rules(component):
            why = guard.runaway_rule(rule, component["DTSTART"].dt, end)
            if why:
                return why
    except (ValueError, TypeError, AttributeError, KeyError) as exc:  # icalendar's broken value
        return f"has an RRULE that cannot be read ({exc})"
    return ""


def mend_backwards(component: Any) -> str:
    """An event that ends before it starts is kept with its start and end swapped.

    recurring-ical-events does the same, and it is what such an event almost
    always is: two times typed in the wrong boxes ("Work 17:00 to 08:30"). A
    lost commitment is worse than an odd one, and one kept as an instant would
    block no time. Where the two are not of one kind (a date and a time), the
    end is dropped instead (RFC 5545 then reads an instant, or the day). Says
    what was done, or "" when the event was fine.
    """
    start = component["DTSTART"].dt
    try:
        if "DTEND" in component:
            end = component["DTEND"].dt
            backwards = _compare_key(end) < _compare_key(start)
        elif "DURATION" in component:
            backwards = component["DURATION"].dt < timedelta(0)
        else:
            return ""
    except (TypeError, ValueError, AttributeError):
        return ""
    if not backwards:
        return ""
    given = "DTEND" if "DTEND" in component else "DURATION"
    raw = component[given].to_ical()
    shown = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    said = f"ends before it starts ({given} {shown})"
    if given == "DURATION":
        length = component["DURATION"].dt
        try:
            component["DTSTART"] = icalendar.vDDDTypes(start + length)
        except (OverflowError, ValueError):
            del component["DURATION"]
        else:
            component["DURATION"] = icalendar.vDuration(-length)
            return f"{said}; kept as the {wording.minutes(-length.total_seconds() / 60)} before"
    elif isinstance(start, datetime) == isinstance(end, datetime):
        component["DTSTART"], component["DTEND"] = component.pop("DTEND"), component.pop("DTSTART")
        return f"{said}; kept with its start and end swapped"
    else:
        del component[given]
    kept = "for the day" if not isinstance(start, datetime) else "as an instant at its start"
    return f"{said}; kept {kept}"


def _compare_key(value: date | datetime) -> datetime:
    """A date or time as a UTC instant to compare (floating times and dates as UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def is_date(prop: Any) -> bool:
    try:
        return isinstance(prop.dt, date)
    except (AttributeError, KeyError, TypeError, ValueError):  # icalendar could not parse it
        return False


def broken(component: Any) -> str:
    if "DTSTART" not in component:
        return "it has no start time (DTSTART)"
    if not is_date(component["DTSTART"]):
        return f"its start time {str(component['DTSTART'])[:40]!r} is not a date or time"
    year = component["DTSTART"].dt.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"its start year {year} is outside {MIN_YEAR}-{MAX_YEAR}"
    for name in ("DTEND", "RECURRENCE-ID"):
        if name in component and not is_date(component[name]):
            return f"its {name} is not a date or time"
    for prop, message in getattr(component, "errors", None) or ():
        if prop in ("DTSTART", "DTEND", "RRULE", "DURATION"):
            return f"its {prop} cannot be read ({message})"
    if "DTEND" in component and not MIN_YEAR <= component["DTEND"].dt.year <= MAX_YEAR:
        return f"its end year {component['DTEND'].dt.year} is outside {MIN_YEAR}-{MAX_YEAR}"
    if "DURATION" in component and "DTEND" not in component:
        return absurd_duration(component)
    return ""


def absurd_duration(component: Any) -> str:
    """Why the event's DURATION cannot be right (it ends after the year 2999), or ""."""
    prop = component["DURATION"]
    raw = prop.to_ical() if hasattr(prop, "to_ical") else prop
    shown = (raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw))[:40]
    try:
        duration = prop.dt
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        return f"its DURATION {shown} cannot be read ({exc})"
    try:
        end = component["DTSTART"].dt + duration
    except OverflowError:
        return f"its DURATION {shown} would end after the year 9999"
    except (ValueError, TypeError) as exc:
        return f"its DURATION {shown} cannot be read ({exc})"
    if not isinstance(duration, timedelta):
        return f"its DURATION {shown} is not a duration"
    if not MIN_YEAR <= end.year <= MAX_YEAR:
        return f"its DURATION {shown} ends in the year {end.year}, after {MAX_YEAR}"
    return ""
