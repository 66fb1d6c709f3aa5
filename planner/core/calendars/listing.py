"""``planner events``: the occurrences of .ics files as plain rows (a documented contract).

Cancelled occurrences are listed with their status, so that counts can be
compared with other tools, even though they are never planned.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.core.calendars.reading import IcsError, read_file
from planner.core.model import Event, Problem


def local_zone() -> ZoneInfo:
    """The system's time zone as an IANA zone, honouring the TZ environment variable."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            try:
                return ZoneInfo(target.split("zoneinfo/", 1)[1])
            except (ZoneInfoNotFoundError, ValueError):
                pass
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        try:
            return ZoneInfo(timezone_file.read_text(encoding="utf-8").strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return ZoneInfo("UTC")


def event_row(event: Event, source: str) -> dict[str, Any]:
    """One occurrence as the JSON object ``planner events --json`` prints."""
    place = event.place
    location = ", ".join(p for p in (place.name, place.address) if p) or (
        place.name if place.virtual else ""
    )
    return {
        "source": source,
        "uid": event.uid,
        "summary": event.summary,
        "start": event.start.date().isoformat() if event.all_day else event.start.isoformat(),
        "end": event.end.date().isoformat() if event.all_day else event.end.isoformat(),
        "all_day": event.all_day,
        "timezone": event.timezone or None,
        "location": location,
        "geo": [place.lat, place.lon] if place.has_position else None,
        "virtual": place.virtual,
        "url": event.url,
        "status": event.status.value,
        "busy": event.busy,
        "recurrence_id": event.recurrence_id or None,
        "categories": list(event.categories),
        "cost": event.cost,
    }


def list_events(
    files: Iterable[Path], zone: ZoneInfo, first: date, last: date
) -> Iterator[tuple[str, list[dict[str, Any]], list[Problem], Problem | None]]:
    """Per file: (source, rows, problems, error); ``error`` (an ERROR) is set when the file
    was rejected."""
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last, time(0), tzinfo=zone)
    for path in files:
        try:
            result = read_file(path, zone, start, end)
        except IcsError as exc:
            yield str(path), [], [], exc.problem
            continue
        rows = [
            event_row(e, str(path))
            for e in result.events
            if e.end > start or (e.start >= start and e.end == e.start)
        ]
        yield str(path), rows, result.problems, None
