"""One typed line read part by part and assembled into an :class:`~planner.core.model.Event`.

The readers run in a fixed order, each masking what it took: links, tags
and prices first (their characters look like dates and times), then the
day, the times, the place, online words, and last the title from what is
left. What the line did not say is then chosen here (the evening start,
the default length, next week's weekday when this week's has begun) and
said in words, part by part, for the preview to mark.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from planner.core.model import Event, Place
from planner.core.settings import Settings
from planner.core.text.quick_add.days import day_text, read_day
from planner.core.text.quick_add.line import BULLET, TBD, Line, NotAnEventError, Reading
from planner.core.text.quick_add.place_and_title import (
    read_online,
    read_place,
    read_title_and_unmarked_place,
)
from planner.core.text.quick_add.results import SOURCE, Parsed, Span, Unparsed
from planner.core.text.quick_add.shapes import read_cost, read_tags, read_url
from planner.core.text.quick_add.times import in_zone, read_times


def _normalised(text: str) -> str:
    """The line as the event's uid sees it: the same event pasted twice gets one uid."""
    return " ".join(BULLET.sub("", text).casefold().split())


def parse_one(
    text: str,
    number: int,
    *,
    settings: Settings,
    reference: datetime,
    default_minutes: int,
    languages: tuple[str, ...],
    heading_day: tuple[date, str] | None,
) -> Parsed | Unparsed:
    """Line ``number`` read: the event and its assumptions, or why it is no event.

    ``heading_day`` is the day, and the words, of the day heading above the
    line in pasted text: a line that names no day of its own but a time is
    on that day.
    """
    line = Line(text)
    reading = Reading(line, settings, reference, languages)
    try:
        read_url(reading)
        read_tags(reading)
        read_cost(reading)
        read_day(reading)
        read_times(reading)
        read_place(reading)
        online_span = read_online(reading) if reading.place is None else None
        if online_span is not None:
            line.take("place", *online_span)
        title, title_span = read_title_and_unmarked_place(reading)
        if reading.day is None:
            if heading_day is None:
                raise NotAnEventError(_no_day_reason(reading, text))
            if reading.start is None:
                raise NotAnEventError(f"no time, under “{heading_day[1]}”: say when it starts")
            reading.day = heading_day[0]
            reading.note("day", f"the day from the heading “{heading_day[1]}”")
        if not title:
            raise NotAnEventError("no title: nothing says what the event is")
        event = _event(reading, title, default_minutes)
    except NotAnEventError as failure:
        return Unparsed(number, text, str(failure))
    if title_span is not None:
        line.spans.append(Span("title", *title_span))
    spans = tuple(sorted(line.spans, key=lambda s: (s.start, s.end)))
    return Parsed(event, number, text, tuple(reading.notes), spans)


def _no_day_reason(reading: Reading, text: str) -> str:
    if TBD.search(text):
        return "the date is still to be announced"
    if reading.start is not None:
        return "a time but no day: add one (“today”, “Thu”, “Nov 26”)"
    return "no date or day found"


def _event(reading: Reading, title: str, default_minutes: int) -> Event:
    settings = reading.settings
    zone = settings.zone
    assert reading.day is not None  # checked by the caller
    if reading.start is None:
        evening = time(19, 0) if reading.evening else settings.evening_starts
        reading.start = (evening.hour, evening.minute)
        why = "“tonight”" if reading.evening else "no start time"
        reading.note("start", f"{why}: {evening:%H:%M} assumed")
    start = datetime.combine(reading.day, time(*reading.start), tzinfo=zone)
    if reading.day_from_weekday and start < reading.reference:
        reading.day += timedelta(days=7)
        start += timedelta(days=7)
        reading.note(
            "day",
            f"“{reading.day_from_weekday}” read as next week's, {day_text(reading.day)}: "
            "today's has begun",
        )
    if reading.end is not None:
        end = datetime.combine(reading.day, time(*reading.end), tzinfo=zone)
        if end <= start:
            end += timedelta(days=1)
    else:
        minutes = reading.minutes or default_minutes
        end = _add_minutes(start, minutes)
        if reading.minutes is None:
            reading.note("end", f"no end time: {minutes} minutes assumed")
    if reading.zone_word:
        start, end = in_zone(reading, start, end)
    if reading.place is None:
        reading.note("place", "no place given")
    digest = hashlib.sha1(
        f"{_normalised(reading.line.text)}|{reading.day.isoformat()}".encode(),
        usedforsecurity=False,
    ).hexdigest()[:16]
    return Event(
        uid=f"quick-{digest}",
        summary=title,
        start=start,
        end=end,
        place=reading.place or Place(),
        url=reading.url,
        description=reading.line.text.strip(),
        categories=tuple(reading.tags),
        cost=reading.cost,
        source=SOURCE,
        timezone=settings.timezone,
    )


def _add_minutes(start: datetime, minutes: int) -> datetime:
    """Elapsed minutes, exact across a DST change (wall-clock addition is not)."""
    zone = start.tzinfo
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
