"""Reading commitments and candidate events from iCalendar (.ics) data.

Parsing is icalendar's, Google's X-WR-TIMEZONE is normalised by
x-wr-timezone and recurrences are expanded by recurring-ical-events: the
messy parts of RFC 5545 are left to libraries that already handle them. This
module turns the expanded components into :class:`Event` objects and reduces
every failure to an :class:`IcsError` that names the file and the problem, so
that one broken event never costs the user the rest of the calendar.
"""

from __future__ import annotations

import functools
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

from planner.core.calendars import guard, plain, repair
from planner.core.calendars import stream as ics_stream
from planner.core.calendars.event_places import audit_places, read_place, searched_part
from planner.core.logs import log_failure
from planner.core.model import Event, Problem, Severity, Status
from planner.core.text.prices import stated_price

_log = logging.getLogger(__name__)

# Dates outside these years are data errors (Apple writes 1604 for birthdays without a year).


class IcsError(ValueError):
    """A calendar that cannot be read at all; its :attr:`problem` (an ERROR) names the source,
    and the message is that problem's sentence. :attr:`internal` is planner's own failure
    when that, not the data, is why (logged; the fuzz test treats it as a bug)."""

    def __init__(self, problem: Problem, internal: BaseException | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.internal = internal

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
    What is not a regular file of a sane size is refused before it is opened
    (:func:`guard.refusal`), and whatever goes wrong inside costs this file
    only: it becomes an :class:`IcsError`, never an exception that would stop
    the caller from reading the next file.
    """
    path = Path(path)
    source = str(path)
    refused = guard.refusal(path)
    if refused:
        raise unreadable(source, refused)
    try:
        with path.open("rb") as stream:
            found = ics_stream.scan(stream, source, start, end, prefilter=prefilter)
        return _expand(found, source, zone, start, end)
    except FileNotFoundError as exc:
        raise unreadable(source, "file not found") from exc
    except IsADirectoryError as exc:
        raise unreadable(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise unreadable(source, f"cannot be read ({exc.strerror or exc})") from exc
    except IcsError:
        raise
    except Exception as exc:  # planner's bug, but one file's: the other files are still read
        raise _failed(source, exc) from exc


def _failed(source: str, exc: Exception) -> IcsError:
    """The error for a file planner itself failed on (logged with its traceback)."""
    log_failure(_log, f"reading {source}", exc)
    text = f"planner failed to read it ({type(exc).__name__}; planner.log has the details)"
    return IcsError(Problem(source, text, severity=Severity.ERROR), internal=exc)


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
    try:
        found = ics_stream.scan(io.BytesIO(data), source, start, end, prefilter=prefilter)
        return _expand(found, source, zone, start, end)
    except IcsError:
        raise
    except Exception as exc:  # as in read_file: one source's failure is that source's problem
        raise _failed(source, exc) from exc


def _expand(
    found: ics_stream.Scan, source: str, zone: ZoneInfo, start: datetime, end: datetime
) -> ImportResult:
    if found.calendars == 0:
        if found.lines == 0:
            raise unreadable(source, "the file is empty")
        if not (found.seen_events or found.timezones):
            raise unreadable(source, "not an iCalendar file (no BEGIN:VCALENDAR)")
        # What apps put on the clipboard or in an e-mail: the events alone.
        found.problems.append(
            Problem(
                source,
                "its events are not inside BEGIN:VCALENDAR ... END:VCALENDAR; read them anyway",
                severity=Severity.NOTE,
            )
        )
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
    _drop_broken(calendar, source, lines, result.problems, end)
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
    """Expand the calendar within :class:`guard.Budget`; if the expander cannot even be set
    up for it, UID by UID, skipping the ones it fails on."""
    budget = guard.Budget()
    masters = {
        str(c.get("UID", "")): c for c in calendar.walk("VEVENT") if "RECURRENCE-ID" not in c
    }
    try:
        query = recurring_ical_events.of(calendar, skip_bad_series=True)
    except Exception as exc:  # then series by series, to find and skip the failing ones
        log_failure(_log, "expanding a calendar's recurrences", exc)
    else:
        return _bounded(query, budget, source, lines, masters, start, end, problems)
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
        except Exception as exc:
            log_failure(_log, "expanding one series", exc)
            problems.append(_skipped(source, lines, members[0], f"cannot expand it ({exc})"))
            continue
        found += _bounded(query, budget, source, lines, masters, start, end, problems)
    return found


def _bounded(
    query: Any,
    budget: guard.Budget,
    source: str,
    lines: dict[str, int],
    masters: dict[str, Any],
    start: datetime,
    end: datetime,
    problems: list[Problem],
) -> list[Any]:
    """The occurrences of each of the query's series in [start, end), each within the budget.

    This is what ``query.between`` does (the series' lazy ``between``, then
    ``as_component``), one series at a time, so that a series that runs too
    long or too far is stopped and named, and the others are kept.
    """
    found: list[Any] = []
    known_errors = tuple(query.suppressed_errors)
    for series in query.series:
        uid = str(series.uid)
        component = masters.get(uid) or icalendar.Event(UID=uid)
        stalls = any(guard.may_stall(rule) for rule in repair.rules(component))
        try:
            taken = budget.take(functools.partial(series.between, start, end), stalls=stalls)
        except known_errors as exc:  # the expander's own verdict on a broken series
            problems.append(_skipped(source, lines, component, f"cannot expand it ({exc})"))
            continue
        except Exception as exc:
            log_failure(_log, "expanding one series", exc)
            problems.append(_skipped(source, lines, component, f"cannot expand it ({exc})"))
            continue
        if isinstance(taken, str):
            problems.append(_skipped(source, lines, component, taken))
            continue
        try:
            found += [occurrence.as_component(False) for occurrence in taken]
        except Exception as exc:
            log_failure(_log, "copying a series' occurrences", exc)
            problems.append(_skipped(source, lines, component, f"cannot expand it ({exc})"))
    return found


def _summary(component: Any) -> str:
    return str(component.get("SUMMARY", "an event without a title"))


def _skipped(source: str, lines: dict[str, int], component: Any, why: str) -> Problem:
    """The WARNING for an event left out, at its line in the file when it is known."""
    line = lines.get(str(component.get("UID", ""))) or None
    return Problem(source, f"skipped {_summary(component)!r}: {why}", line=line)


def _parse(found: ics_stream.Scan, source: str, problems: list[Problem]) -> icalendar.Calendar:
    """Parse the kept blocks at once; if that fails, part by part to skip the bad ones.

    A calendar property (a bad REFRESH-INTERVAL) or a time zone (an offset of
    99 hours) that icalendar rejects costs only itself, with a note: the
    events given in that zone are read in the user's (as a TZID without a
    VTIMEZONE is), not the whole file lost.
    """
    fast = plain.calendar_of(found)  # plain one-off events: the same calendar, built faster
    if fast is not None:
        return fast
    try:
        return icalendar.Calendar.from_ical(found.text())
    except Exception as exc:
        if not found.events:
            raise unreadable(source, f"not valid iCalendar data ({exc})") from exc
    repair.drop_bad_header(found, source, problems)
    good, bad = repair.parseable(found.events, lambda blocks: found.text(blocks))
    for block, failure in bad:
        log_failure(_log, "parsing one event", failure)
        summary = ics_stream.property_value(block.lines, "SUMMARY") or "an event"
        problems.append(Problem(source, f"skipped {summary!r}: {failure}", line=block.line_number))
    try:
        return icalendar.Calendar.from_ical(found.text(good))
    except Exception as exc:
        raise unreadable(source, f"not valid iCalendar data ({exc})") from exc


# What icalendar raises on data it cannot read (InvalidCalendar is a ValueError); anything
# else is a bug, which the file-wide handler logs.
def _drop_broken(
    calendar: icalendar.Calendar,
    source: str,
    lines: dict[str, int],
    problems: list[Problem],
    end: datetime,
) -> None:
    """Remove events the expander would crash on, skip silently or expand without end,
    saying which; mend the ones that end before they start."""
    keep = []
    for component in calendar.subcomponents:
        if getattr(component, "name", "") == "VEVENT":
            nested = repair.drop_nested(component)
            if nested:
                line = lines.get(str(component.get("UID", ""))) or None
                text = f"“{_summary(component)}” holds {nested} inside it; left out"
                problems.append(Problem(source, text, line=line))
            why = repair.broken(component)
            if why:
                problems.append(_skipped(source, lines, component, why))
                continue
            runaway = repair.runaway(component, end)
            if runaway:
                line = lines.get(str(component.get("UID", ""))) or None
                text = f"“{_summary(component)}” {runaway}; skipped"
                problems.append(Problem(source, text, line=line))
                continue
            mended = repair.mend_backwards(component)
            if mended:
                line = lines.get(str(component.get("UID", ""))) or None
                note = f"“{_summary(component)}” {mended}"
                problems.append(Problem(source, note, line=line, severity=Severity.NOTE))
        keep.append(component)
    calendar.subcomponents[:] = keep


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
            has_duration = "DURATION" in c and "DTEND" not in c
            try:
                rid = rid_prop.dt if rid_prop is not None else None
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
    priority = guard.whole_number(priority_text)
    if priority_text and priority is None and notes is not None:
        title = _text(component, "SUMMARY") or "an event without a title"
        notes.append(f"“{title}”: its PRIORITY {priority_text[:20]!r} is not a number; ignored")
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
        priority=priority or 0,
        cost=cost_from_text(_text(component, "X-COST")[:200], searched_part(description)),
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
    """The ticket price in dollars, 0.0 for free, ``None`` when not stated: an X-COST
    value ("15", "$15", "free"), else the price the description states for a non-member
    (:func:`planner.core.text.prices.stated_price`)."""
    if explicit:
        line = _COST_LINE.search(explicit)
        if line:
            token = line.group(1).lower()
            return 0.0 if token == "free" else float(token.lstrip("$ "))
        dollars = _DOLLARS.search(explicit) or re.search(r"(\d+(?:\.\d{1,2})?)", explicit)
        if dollars:
            return float(dollars.group(1))
        if "free" in explicit.lower():
            return 0.0
    stated = stated_price(description) if description else None
    return stated.amount if stated is not None else None


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
