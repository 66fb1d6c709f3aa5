"""Events and instants as text, so that what is read back is exactly what was written.

Every event the store keeps (typed events, a feed's merged events, the
history, the parse cache) goes through :func:`event_to_json` and
:func:`event_from_json`; every instant that SQL compares or sorts goes
through :func:`utc_text`. One codec for all of them means an event written
by one table reads back the same from any other, and comparing two texts
tells whether an event changed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner.core.model import Event, Place, Problem, Severity, Status


def datetime_text(when: datetime) -> str:
    """An aware datetime as text that reads back to the same instant, wall clock and zone.

    A zone with an IANA name is written after the offset in brackets (the RFC 9557
    form, ``2024-11-03T01:30:00-05:00[America/Toronto]``): the offset fixes which of
    two repeated wall times was meant, the name keeps the zone, so arithmetic on
    the event after reading (a week later, across a DST change) stays right.
    Any other zone is kept as its offset at that moment.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime {when.isoformat()}: every time in planner is aware")
    key = when.tzinfo.key if isinstance(when.tzinfo, ZoneInfo) else None
    return f"{when.isoformat()}[{key}]" if key else when.isoformat()


def datetime_from_text(text: str) -> datetime:
    """The datetime :func:`datetime_text` wrote."""
    head, bracket, rest = text.partition("[")
    at = datetime.fromisoformat(head)
    if at.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    if not bracket:
        return at
    zone = ZoneInfo(rest.removesuffix("]"))
    wall = at.replace(tzinfo=zone)
    if wall.utcoffset() != at.utcoffset():
        wall = wall.replace(fold=1)
    if wall.utcoffset() != at.utcoffset():
        raise ValueError(f"{text!r}: the offset is not one {zone.key} has at that time")
    return wall


def event_to_dict(event: Event) -> dict[str, Any]:
    """Every field of the event and its place, as JSON values (a place's ``note`` only
    when it has one: events kept before it existed read the same, so a feed's copy is
    not taken for a change)."""
    place = event.place
    where: dict[str, Any] = {
        "name": place.name,
        "address": place.address,
        "lat": place.lat,
        "lon": place.lon,
        "virtual": place.virtual,
        "approximate": place.approximate,
        "area": place.area,
    }
    if place.note:
        where["note"] = place.note
    return {
        "uid": event.uid,
        "summary": event.summary,
        "start": datetime_text(event.start),
        "end": datetime_text(event.end),
        "all_day": event.all_day,
        "place": where,
        "url": event.url,
        "description": event.description,
        "categories": list(event.categories),
        "priority": event.priority,
        "cost": event.cost,
        "status": event.status.value,
        "transparent": event.transparent,
        "recurrence_id": event.recurrence_id,
        "source": event.source,
        "timezone": event.timezone,
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event :func:`event_to_dict` described; a missing optional field takes its default."""
    p = data.get("place") or {}
    place = Place(
        name=str(p.get("name", "")),
        address=str(p.get("address", "")),
        lat=_float_or_none(p.get("lat")),
        lon=_float_or_none(p.get("lon")),
        virtual=bool(p.get("virtual", False)),
        approximate=bool(p.get("approximate", False)),
        area=str(p.get("area", "")),
        note=str(p.get("note", "")),
    )
    return Event(
        uid=str(data["uid"]),
        summary=str(data["summary"]),
        start=datetime_from_text(data["start"]),
        end=datetime_from_text(data["end"]),
        all_day=bool(data.get("all_day", False)),
        place=place,
        url=str(data.get("url", "")),
        description=str(data.get("description", "")),
        categories=tuple(str(c) for c in data.get("categories", ())),
        priority=int(data.get("priority", 0)),
        cost=_float_or_none(data.get("cost")),
        status=Status(data.get("status", Status.CONFIRMED.value)),
        transparent=bool(data.get("transparent", False)),
        recurrence_id=str(data.get("recurrence_id", "")),
        source=str(data.get("source", "")),
        timezone=str(data.get("timezone", "")),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def event_to_json(event: Event) -> str:
    # Sorted keys: the same event always gives the same text, so comparing texts
    # tells whether a feed changed an event.
    return json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False)


def event_from_json(text: str) -> Event:
    return event_from_dict(json.loads(text))


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """A :class:`Problem` as JSON-ready data (the parse cache keeps a file's problems)."""
    return {
        "source": problem.source,
        "text": problem.text,
        "line": problem.line,
        "severity": problem.severity.value,
    }


def problem_from_dict(data: dict[str, Any]) -> Problem:
    """The :class:`Problem` :func:`problem_to_dict` wrote."""
    line = data.get("line")
    return Problem(
        source=str(data["source"]),
        text=str(data["text"]),
        line=None if line is None else int(line),
        severity=Severity(data.get("severity", Severity.WARNING.value)),
    )


def utc_text(when: datetime) -> str:
    """A fixed-width UTC text: sorting these strings sorts the instants, in SQL too."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def now_text() -> str:
    """Now, as :func:`utc_text`: the ``updated_at`` and ``saved_at`` of a row."""
    return utc_text(datetime.now(UTC))


def datetime_or_none(text: str) -> datetime | None:
    """The instant a :func:`utc_text` column holds, None for "" (never happened)."""
    return datetime.fromisoformat(text) if text else None
