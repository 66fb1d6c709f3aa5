"""``planner travel``: one trip, or a CSV of them, answered as documented JSON.

Checking a list of venues ("how far is each of these from home at 17:00?")
should be one command, not hundreds: the batch form resolves each distinct
place once and answers every row in order, reporting a row it cannot answer
instead of stopping.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from planner.core.model import Problem, TravelMode, Trip, to_minute
from planner.core.settings import Settings
from planner.core.travel.places import PlaceResolver, Resolved
from planner.core.travel.service import TravelService

BATCH_COLUMNS = ("from", "to", "mode", "at")


class QueryError(ValueError):
    """A trip that cannot be asked as given (bad mode, bad time)."""


@dataclass(slots=True)
class TripQuery:
    """Answers trips for one set of settings, resolving each place text once."""

    settings: Settings
    resolver: PlaceResolver
    service: TravelService

    @classmethod
    def for_settings(cls, settings: Settings) -> TripQuery:
        resolver = PlaceResolver(settings)
        return cls(settings, resolver, TravelService(settings, resolver=resolver))

    def answer(
        self,
        origin: str,
        destination: str,
        mode: TravelMode | None,
        at: datetime,
        *,
        problems: bool = True,
    ) -> dict[str, Any]:
        """The documented object: minutes, km, mode, from, to, source, and more.

        ``problems`` lists what went wrong with the routing server (it did not answer, so
        the time is an estimate); a batch leaves it out of each row and says it once
        (:meth:`problems`)."""
        a = self._resolve(origin)
        b = self._resolve(destination)
        mode = mode or self.settings.travel_mode
        trip = self.service.trip(a.place, b.place, depart=at, mode=mode)
        notes = [n for n in (a.note, b.note) if n]
        if trip.assumed:
            notes.append(
                f"no position for one end: assumed {self.settings.unknown_place_minutes} min"
            )
        if not trip.reachable:
            ride = self.service.last_ride(trip, at)
            last = (
                f": the last {ride.route} left {ride.origin} at {ride.depart:%H:%M}" if ride else ""
            )
            notes.append(f"nothing runs there before the morning{last}")
        depart, arrive = _ends(trip, at)
        return {
            "minutes": trip.minutes,
            "overhead_minutes": trip.overhead_minutes,
            "km": round(trip.distance_km, 1),
            "mode": mode.value,
            "at": at.isoformat(),
            "depart": depart.isoformat() if trip.reachable else None,
            "arrive": arrive.isoformat() if trip.reachable else None,
            "reachable": trip.reachable,
            "legs": [leg.as_json() for leg in trip.legs],
            "rush_hour": trip.rush_hour,
            "source": trip.source,
            "assumed": trip.assumed,
            "from": _place_json(origin, a),
            "to": _place_json(destination, b),
            "notes": notes,
            **({"problems": [p.as_json() for p in self.problems()]} if problems else {}),
        }

    def problems(self) -> list[Problem]:
        """The routing server's trouble in the trips answered so far, each said once."""
        return self.service.routing_problems()

    def _resolve(self, text: str) -> Resolved:
        if not text.strip():
            raise QueryError("a place is empty")
        return self.resolver.resolve_text(text)


def _ends(trip: Trip, at: datetime) -> tuple[datetime, datetime]:
    """When the trip leaves the door and arrives: the journey's own times by the
    timetable (the first train may leave after ``at``), else ``at`` and ``at + minutes``."""
    if trip.legs:
        return to_minute(trip.legs[0].depart), to_minute(trip.legs[-1].arrive, up=True)
    return at, at + timedelta(minutes=trip.minutes)


def _place_json(text: str, found: Resolved) -> dict[str, Any]:
    place = found.place
    return {
        "query": text,
        "name": place.name or place.address or text,
        "lat": place.lat,
        "lon": place.lon,
        "precision": found.precision,
        "resolved_by": found.source,
    }


def parse_mode(text: str | None) -> TravelMode | None:
    if not text:
        return None
    try:
        return TravelMode(text.strip().lower())
    except ValueError as exc:
        choices = ", ".join(m.value for m in TravelMode)
        raise QueryError(f"mode {text!r} is not one of {choices}") from exc


def parse_at(text: str | None, settings: Settings, default: datetime) -> datetime:
    """``YYYY-MM-DDTHH:MM`` (or with a space) in the user's zone; ``default`` when empty."""
    if not text or not text.strip():
        return default
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise QueryError(f"time {text!r} is not like 2026-11-24T17:00") from exc
    return when.replace(tzinfo=settings.zone) if when.tzinfo is None else when


def batch(
    query: TripQuery, text: str, default_at: datetime
) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """Per CSV row (numbered from 2, after the header): (row, answer, error)."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower() for c in (reader.fieldnames or [])}
    missing = {"from", "to"} - columns
    if missing:
        raise QueryError(
            f"the CSV needs the columns from and to (missing: {', '.join(sorted(missing))})"
        )
    for number, row in enumerate(reader, 2):
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            answer = query.answer(
                cells.get("from", ""),
                cells.get("to", ""),
                parse_mode(cells.get("mode")),
                parse_at(cells.get("at"), query.settings, default_at),
                problems=False,
            )
        except QueryError as exc:
            yield number, None, str(exc)
        else:
            yield number, answer, ""
