"""Loading everything one week's plan needs, from files or bytes.

Each source is read on its own: a file that cannot be read becomes a
:class:`Problem` (an ERROR) naming it, and the other sources still load, because
one broken feed must never cost the user their whole week.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from planner.core.calendars.reading import IcsError, ImportResult, dedupe, read_bytes, read_file
from planner.core.model import Event, Place, Problem, Severity, Status
from planner.core.planning.plan import week_of

if TYPE_CHECKING:
    from planner.core.travel.places import PlaceResolver
from planner.core.settings import Settings
from planner.core.travel.place_text import location_key

FileReader = Callable[[Path | str, ZoneInfo, datetime, datetime], ImportResult]
"""Reads one file's events in a window (:func:`read_file`, or the store's cached read)."""

# Events that started before the week but run into it still matter (a
# commitment from Sunday night, a multi-day conference), so read a day early.
LEAD_IN = timedelta(days=1)


@dataclass(slots=True)
class WeekData:
    """Commitments and candidates touching one week, plus what went wrong."""

    week_day: date
    commitments: list[Event] = field(default_factory=list)
    candidates: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pending_addresses: list[str] = field(default_factory=list)
    """Addresses that could be placed precisely if the user allowed geocoding."""


Source = Path | str | tuple[str, bytes]
"""A path, or ``(name, data)`` for bytes that did not come from a file."""


def read_window(week_day: date, settings: Settings) -> tuple[datetime, datetime]:
    """The span read for the week of ``week_day``: the week and the day before it."""
    start = week_of(week_day, settings) - LEAD_IN
    return start, start + LEAD_IN + timedelta(days=7)


def _read(source: Source, settings: Settings, week_day: date, reader: FileReader) -> ImportResult:
    start, end = read_window(week_day, settings)
    if isinstance(source, tuple):
        name, data = source
        return read_bytes(data, name, settings.zone, start, end)
    return reader(source, settings.zone, start, end)


def load_week(
    commitments: Iterable[Source],
    candidates: Iterable[Source],
    settings: Settings,
    week_day: date,
    *,
    reader: FileReader = read_file,
) -> WeekData:
    """Read every source; problems are collected, never raised."""
    week = WeekData(week_day)
    for sources, target in ((commitments, week.commitments), (candidates, week.candidates)):
        for source in sources:
            try:
                result = _read(source, settings, week_day, reader)
            except IcsError as exc:
                week.problems.append(exc.problem)
                continue
            target.extend(result.events)
            week.problems.extend(result.problems)
    week.candidates = dedupe(week.candidates)
    return week


SEEK_WEEKS = 12
"""How many weeks ahead the window looks for candidates before staying on this one."""


def first_week_with(from_day: date, has_candidates: Callable[[date], bool]) -> date:
    """The first week from ``from_day`` (its own, then the next ``SEEK_WEEKS - 1``) that
    ``has_candidates``: ``from_day`` itself when it does or none does, else that week's
    Monday. A window that opens on an empty week, while the events imported are next
    week, looks as if nothing was imported."""
    for ahead in range(SEEK_WEEKS):
        day = from_day if ahead == 0 else from_day + timedelta(days=7 * ahead - from_day.weekday())
        if has_candidates(day):
            return day
    return from_day


def ahead(
    candidates: Iterable[Event], week: datetime, now: datetime, refused: frozenset[str]
) -> bool:
    """Whether a candidate of the week starting ``week`` is still ahead of ``now``, not
    cancelled and not refused: one a plan can still propose."""
    return any(
        week <= e.start < week + timedelta(days=7)
        and e.start >= now
        and e.status is not Status.CANCELLED
        and e.key not in refused
        for e in candidates
    )


def apply_fixes(events: list[Event], fixes: dict[str, str]) -> list[Event]:
    """Events whose location the user fixed, given the fixed text to place instead (an
    address, "lat, lon" or a saved place's name), with the calendar's name kept."""
    if not fixes:
        return events
    out = []
    for event in events:
        fixed = None if event.place.virtual else fixes.get(location_key(event.place))
        if fixed is not None:
            event = replace(event, place=Place(name=event.place.name or fixed, address=fixed))
        out.append(event)
    return out


def place_settings(settings: Settings, resolver: PlaceResolver) -> Settings:
    """Settings whose home and saved places have positions where they can be found
    (an address in the settings file is placed like any other: cache, consented
    geocoder, gazetteer)."""
    home = settings.home
    if not home.has_position and home.address:
        found = resolver.resolve_text(home.address).place
        if found.has_position:
            home = replace(home, lat=found.lat, lon=found.lon, approximate=found.approximate)
    places = []
    for saved in settings.places:
        place = saved.place
        if not place.has_position and place.address:
            found = resolver.resolve_text(place.address).place
            if found.has_position:
                place = replace(place, lat=found.lat, lon=found.lon, approximate=found.approximate)
        places.append(replace(saved, place=place))
    return replace(settings, home=home, places=tuple(places))


def place_events(week: WeekData, resolver: PlaceResolver) -> WeekData:
    """Give events without a position one: from the cache, the geocoder (with consent),
    or the offline gazetteer; what stays unknown is noted, never treated as zero travel."""
    week.commitments, notes = resolver.resolve_events(week.commitments)
    week.candidates, more = resolver.resolve_events(week.candidates)
    # A note names the events it concerns, which may come from several calendars.
    week.problems += [Problem("", n, severity=Severity.NOTE) for n in dict.fromkeys(notes + more)]
    week.pending_addresses = resolver.pending_addresses() if resolver.needs_consent else []
    return week
