"""Reading commitments and candidate events from iCalendar (.ics) data.

Parsing is icalendar's, Google's X-WR-TIMEZONE is normalised by
x-wr-timezone and recurrences are expanded by recurring-ical-events: the
messy parts of RFC 5545 are left to libraries that already handle them. This
module turns the expanded components into :class:`Event` objects and reduces
every failure to an :class:`IcsError` that names the file and the problem, so
that one broken event never costs the user the rest of the calendar.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from planner.core.calendars import plain
from planner.core.calendars import stream as ics_stream
from planner.core.calendars.event_places import audit_places, read_place
from planner.core.logs import log_failure
from planner.core.model import Event, Problem, Severity, Status

_log = logging.getLogger(__name__)

# Dates outside these years are data errors (Apple writes 1604 for birthdays without a year).
MIN_YEAR, MAX_YEAR = 1600, 2999


class IcsError(ValueError):
    """A calendar that cannot be read at all; its :attr:`problem` (an ERROR) names the source,
    and the message is that problem's sentence."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)


def unreadable(source: str, text: str) -> IcsError:
    """The error for a source nothing can be read from: ``source: text``, an ERROR."""
    return IcsError(Problem(source, text, severity=Severity.ERROR))


@dataclass(slots=True)
class ImportResult:
    """The events of one source, plus what was wrong with the ones skipped."""

    source: str
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_COST_LINE = re.compile(
    r"\b(?:cost|price|tickets?|admission|fee)\s*:?\s*(free|\$\s?\d+(?:\.\d{1,2})?)",
    re.IGNORECASE,
)
_DOLLARS = re.compile(r"\$\s?(\d+(?:\.\d{1,2})?)")


def read_file(
    path: Path | str, zone: ZoneInfo, start: datetime, end: datetime, *, prefilter: bool = True
) -> ImportResult:
    """Read one .ics file and expand the occurrences that touch [start, end).

    The file is streamed: only what can touch the window is kept in memory
    (see :mod:`ics_stream`), so even a file of hundreds of MB reads quickly.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            found = ics_stream.scan(stream, str(path), start, end, prefilter=prefilter)
    except FileNotFoundError as exc:
        raise unreadable(str(path), "file not found") from exc
    except IsADirectoryError as exc:
        raise unreadable(str(path), "is a folder, not a file") from exc
    except OSError as exc:
        raise unreadable(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    return _expand(found, str(path), zone, start, end)


def read_bytes(
    data: bytes,
    source: str,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    *,
    prefilter: bool = True,
) -> ImportResult:
    """Parse iCalendar bytes; ``source`` names them in every message.

    ``prefilter=False`` parses every event (the slow, obviously correct path
    that tests compare the fast one against).
    """
    found = ics_stream.scan(io.BytesIO(data), source, start, end, prefilter=prefilter)
    return _expand(found, source, zone, start, end)


def _expand(
    found: ics_stream.Scan, source: str, zone: ZoneInfo, start: datetime, end: datetime
) -> ImportResult:
    if found.calendars == 0:
        if found.lines == 0:
            raise unreadable(source, "the file is empty")
        raise unreadable(source, "not an iCalendar file (no BEGIN:VCALENDAR)")
    result = ImportResult(source, problems=list(found.problems))
    calendar = _parse(found, source, result.problems)
    if "X-WR-TIMEZONE" in calendar:  # Google's calendar-wide zone (x-wr-timezone: 9 ms import)
        import x_wr_timezone

        try:
            calendar = x_wr_timezone.to_standard(calendar)
        except Exception as exc:  # a library error must not become a traceback
            log_failure(_log, "applying X-WR-TIMEZONE", exc)
            result.problems.append(Problem(source, f"X-WR-TIMEZONE could not be applied ({exc})"))
    lines = {b.uid: b.line_number for b in found.events}
    _drop_broken(calendar, source, lines, result.problems)
    recurring = {
        str(c.get("UID", ""))
        for c in calendar.walk("VEVENT")
        if any(name in c for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    }
    series = SeriesFacts.of(calendar)
    place_notes: list[str] = []
    one_offs = _take_one_offs(calendar, recurring)
    expanded = _occurrences(calendar, source, lines, start, end, result.problems)
    for number, component in enumerate([*expanded, *one_offs]):
        try:
            event = event_from_component(component, source, zone, place_notes, series)
            if event.recurrence_id and event.uid not in recurring:
                # The expander stamps every occurrence; a one-off event has no recurrence.
                event = replace(event, recurrence_id="")
            if number >= len(expanded) and not _touches(event, start, end):
                continue
            result.events.append(event)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            result.problems.append(_skipped(source, lines, component, str(exc)))
    # A series repeats its place's notes for every occurrence: say each once.
    result.problems += [
        Problem(source, note, severity=Severity.NOTE) for note in dict.fromkeys(place_notes)
    ]
    result.events, audit = audit_places(result.events)
    result.problems += audit
    result.events.sort(key=lambda e: (e.start, e.summary))
    return result


def _take_one_offs(calendar: icalendar.Calendar, recurring: set[str]) -> list[Any]:
    """Remove and return the events that occur once and that no other event amends.

    Most candidates in a feed are one-offs; the expander would copy each one
    to report it as its own single occurrence (about 0.1 ms an event), so
    they skip it and are checked against the window directly (:func:`_touches`).
    """
    uids: dict[str, int] = {}
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("UID", ""))
        uids[uid] = uids.get(uid, 0) + 1
    one_offs: list[Any] = []
    kept: list[Any] = []
    for component in calendar.subcomponents:
        uid = str(component.get("UID", ""))
        if (
            getattr(component, "name", "") == "VEVENT"
            and uid
            and uid not in recurring
            and uids[uid] == 1
        ):
            one_offs.append(component)
        else:
            kept.append(component)
    calendar.subcomponents[:] = kept
    return one_offs


def _touches(event: Event, start: datetime, end: datetime) -> bool:
    """Whether a one-off event overlaps [start, end); an instant counts at its moment."""
    if event.end == event.start:
        return start <= event.start < end
    return event.start < end and event.end > start


def _occurrences(
    calendar: icalendar.Calendar,
    source: str,
    lines: dict[str, int],
    start: datetime,
    end: datetime,
    problems: list[Problem],
) -> list[Any]:
    """Expand the calendar; if that fails, series by series, skipping the failing ones."""
    try:
        return list(recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end))
    except Exception as exc:  # then series by series, to find and skip the failing ones
        log_failure(_log, "expanding a calendar's recurrences", exc)
    by_uid: dict[str, list[Any]] = {}
    others = []
    for component in calendar.subcomponents:
        if getattr(component, "name", "") == "VEVENT":
            by_uid.setdefault(str(component.get("UID", "")), []).append(component)
        else:
            others.append(component)
    found = []
    for members in by_uid.values():
        single = icalendar.Calendar()
        for key, value in calendar.property_items(recursive=False)[1:-1]:
            single.add(key, value)
        single.subcomponents.extend(others + members)
        try:
            query = recurring_ical_events.of(single, skip_bad_series=True)
            found.extend(query.between(start, end))
        except Exception as exc:
            log_failure(_log, "expanding one series", exc)
            problems.append(_skipped(source, lines, members[0], f"cannot expand it ({exc})"))
    return found


def _summary(component: Any) -> str:
    return str(component.get("SUMMARY", "an event without a title"))


def _skipped(source: str, lines: dict[str, int], component: Any, why: str) -> Problem:
    """The WARNING for an event left out, at its line in the file when it is known."""
    line = lines.get(str(component.get("UID", ""))) or None
    return Problem(source, f"skipped {_summary(component)!r}: {why}", line=line)


def _parse(found: ics_stream.Scan, source: str, problems: list[Problem]) -> icalendar.Calendar:
    """Parse the kept blocks at once; if that fails, block by block to skip the bad ones."""
    fast = plain.calendar_of(found)  # plain one-off events: the same calendar, built faster
    if fast is not None:
        return fast
    try:
        return icalendar.Calendar.from_ical(found.text())
    except Exception as exc:
        if not found.events:
            raise unreadable(source, f"not valid iCalendar data ({exc})") from exc
    good = []
    for block in found.events:
        try:
            icalendar.Calendar.from_ical(found.text([block]))
        except Exception as exc:
            log_failure(_log, "parsing one event", exc)
            summary = ics_stream.property_value(block.lines, "SUMMARY") or "an event"
            problems.append(Problem(source, f"skipped {summary!r}: {exc}", line=block.line_number))
        else:
            good.append(block)
    try:
        return icalendar.Calendar.from_ical(found.text(good))
    except Exception as exc:
        raise unreadable(source, f"not valid iCalendar data ({exc})") from exc


def _drop_broken(
    calendar: icalendar.Calendar, source: str, lines: dict[str, int], problems: list[Problem]
) -> None:
    """Remove events the expander would crash on or skip silently, saying which."""
    keep = []
    for component in calendar.subcomponents:
        if getattr(component, "name", "") == "VEVENT":
            why = _broken(component)
            if why:
                problems.append(_skipped(source, lines, component, why))
                continue
        keep.append(component)
    calendar.subcomponents[:] = keep


def _is_date(prop: Any) -> bool:
    try:
        return isinstance(prop.dt, date)
    except (AttributeError, KeyError, TypeError, ValueError):  # icalendar could not parse it
        return False


def _broken(component: Any) -> str:
    if "DTSTART" not in component:
        return "it has no start time (DTSTART)"
    if not _is_date(component["DTSTART"]):
        return f"its start time {str(component['DTSTART'])[:40]!r} is not a date or time"
    year = component["DTSTART"].dt.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"its start year {year} is outside {MIN_YEAR}-{MAX_YEAR}"
    for name in ("DTEND", "RECURRENCE-ID"):
        if name in component and not _is_date(component[name]):
            return f"its {name} is not a date or time"
    if getattr(component, "errors", None):
        prop, message = component.errors[0]
        if prop in ("DTSTART", "DTEND", "RRULE", "DURATION"):
            return f"its {prop} cannot be read ({message})"
    return ""


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    """Floating times are the user's local time; dates start at local midnight."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
        # Through UTC: astimezone() to the same zone object would keep a wall time that
        # does not exist (02:30 on the day clocks go forward) instead of normalising it.
        return value.astimezone(UTC).astimezone(zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def exact_end(start: datetime, duration: timedelta) -> datetime:
    """RFC 5545 3.3.6: days and weeks are nominal (wall clock), hours to seconds exact.

    A PT8H night shift from 22:00 on the night clocks go back ends at 05:00,
    eight real hours later, not at 06:00.
    """
    days = timedelta(days=duration.days)
    wall = start + days
    return (wall.astimezone(UTC) + (duration - days)).astimezone(start.tzinfo)


@dataclass(slots=True)
class SeriesFacts:
    """What the expander's copies of occurrences lose, collected before expansion.

    Copies carry a DTEND computed on the wall clock instead of the DURATION,
    and every occurrence after a RANGE=THISANDFUTURE override carries that
    override's RECURRENCE-ID; both are restored from here.
    """

    durations: dict[tuple[str, Any], timedelta | None] = field(default_factory=dict)
    shifts: dict[str, list[tuple[Any, timedelta]]] = field(default_factory=dict)

    @classmethod
    def of(cls, calendar: icalendar.Calendar) -> SeriesFacts:
        facts = cls()
        components: list[Any] = calendar.walk("VEVENT")
        for c in components:
            uid = str(c.get("UID", ""))
            rid_prop = c.get("RECURRENCE-ID")
            rid = rid_prop.dt if rid_prop is not None else None
            has_duration = "DURATION" in c and "DTEND" not in c
            try:
                facts.durations[(uid, rid)] = c["DURATION"].dt if has_duration else None
                if (
                    rid_prop is not None
                    and str(rid_prop.params.get("RANGE", "")).upper() == "THISANDFUTURE"
                ):
                    shift = c["DTSTART"].dt - rid
                    facts.shifts.setdefault(uid, []).append((rid, shift))
            # A broken DURATION or DTSTART: the expander's answer stands.
            except (AttributeError, KeyError, TypeError, ValueError):
                continue
        return facts

    def duration(self, uid: str, rid: Any) -> timedelta | None:
        if (uid, rid) in self.durations:
            return self.durations[(uid, rid)]
        return self.durations.get((uid, None))

    def original_slot(self, uid: str, rid: Any, start: datetime) -> datetime | None:
        """For an occurrence moved by a THISANDFUTURE override, where it was."""
        for override_rid, shift in self.shifts.get(uid, []):
            if _same_instant(rid, override_rid):
                return start - shift
        return None


def _same_instant(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except TypeError:
        return False


def _occurrence_id(
    start: datetime, rid: Any, uid: str, series: SeriesFacts | None, zone: ZoneInfo
) -> str:
    if rid is None:
        return ""
    original = series.original_slot(uid, rid, start) if series else None
    if original is not None:
        return _aware(original, zone).isoformat()
    return _aware(rid, zone).isoformat()


def _zone_name(value: date | datetime) -> str:
    """The IANA name (or "UTC") of the zone a source time was given in."""
    tz = getattr(value, "tzinfo", None)
    if tz is None:
        return ""
    key = getattr(tz, "key", None) or getattr(tz, "zone", None)
    if key:
        return str(key)
    # A zone built from the file's VTIMEZONE (dateutil's tzicalvtz) only knows its TZID:
    # a Windows name, Mozilla's "/mozilla.org/20070129_1/Europe/Berlin", or an IANA name.
    tzid = str(getattr(tz, "_tzid", "") or "")
    tail = tzid.rsplit("/", 2)
    for candidate in (tzid, "/".join(tail[-2:]), tail[-1]):
        if candidate and ics_stream.is_iana(candidate):
            return candidate
    mapped = ics_stream.iana_for_label(tzid) if tzid else None
    if mapped:
        return mapped
    return "UTC" if value.utcoffset() == timedelta(0) else tzid or str(tz)  # type: ignore[union-attr]


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def event_from_component(
    component: Any,
    source: str,
    zone: ZoneInfo,
    notes: list[str] | None = None,
    series: SeriesFacts | None = None,
) -> Event:
    """One expanded VEVENT as an Event, in the user's time zone.

    What was odd about its place (a placeholder GEO, swapped coordinates) is
    appended to ``notes``.
    """
    dtstart = component.get("DTSTART")
    if dtstart is None:
        raise ValueError("it has no start time (DTSTART)")
    raw_start = dtstart.dt
    all_day = not isinstance(raw_start, datetime)
    start = _aware(raw_start, zone)
    dtend = component.get("DTEND")
    uid = _text(component, "UID")
    recurrence = component.get("RECURRENCE-ID")
    rid = recurrence.dt if recurrence is not None else None
    duration = series.duration(uid, rid) if series else None
    if duration is not None:
        end = exact_end(start, duration)
    elif dtend is not None:
        end = _aware(dtend.dt, zone)
    elif component.get("DURATION") is not None:
        end = exact_end(start, component["DURATION"].dt)
    else:
        # RFC 5545 3.6.1: no DTEND and no DURATION means a day for a date, an instant otherwise.
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    if end < start:
        raise ValueError("it ends before it starts")

    place, place_problems = read_place(component)
    if notes is not None:
        notes.extend(place_problems)
    status_text = _text(component, "STATUS").upper()
    status = Status(status_text) if status_text in Status.__members__ else Status.CONFIRMED
    categories: list[str] = []
    for entry in _as_list(component.get("CATEGORIES")):
        categories.extend(str(c).strip() for c in getattr(entry, "cats", [entry]) if str(c))
    priority_text = _text(component, "PRIORITY")
    description = _text(component, "DESCRIPTION")
    url = _text(component, "URL")
    return Event(
        uid=_text(component, "UID") or f"{source}#{start.isoformat()}",
        summary=_text(component, "SUMMARY") or "(no title)",
        start=start,
        end=end,
        all_day=all_day,
        place=place,
        url=url,
        description=description,
        categories=tuple(categories),
        priority=int(priority_text) if priority_text.isdigit() else 0,
        cost=cost_from_text(_text(component, "X-COST"), description),
        status=status,
        transparent=_text(component, "TRANSP").upper() == "TRANSPARENT",
        recurrence_id=_occurrence_id(start, rid, uid, series, zone),
        source=source,
        timezone=_zone_name(raw_start),
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def cost_from_text(explicit: str, description: str) -> float | None:
    """The ticket price in dollars, 0.0 for free, ``None`` when not stated."""
    for text in (explicit, description):
        if not text:
            continue
        line = _COST_LINE.search(text)
        if line:
            token = line.group(1).lower()
            return 0.0 if token == "free" else float(token.lstrip("$ "))
        if text is explicit:
            dollars = _DOLLARS.search(text) or re.search(r"(\d+(?:\.\d{1,2})?)", text)
            if dollars:
                return float(dollars.group(1))
            if "free" in text.lower():
                return 0.0
    return None


def dedupe(events: Iterable[Event]) -> list[Event]:
    """The same occurrence arriving from two feeds appears once (first wins).

    Same means: the same UID and occurrence, or the same URL at the same
    start (Meetup and Luma list one event under different UIDs), or the same
    title, start and venue.
    """
    seen: set[tuple[str, ...]] = set()
    out = []
    for event in events:
        start = event.start.isoformat()
        keys = {(event.key,), (event.summary.casefold(), start, event.place.label.casefold())}
        if event.url:
            keys.add(("url", event.url.rstrip("/").casefold(), start))
        if seen & keys:
            continue
        seen |= keys
        out.append(event)
    return out
