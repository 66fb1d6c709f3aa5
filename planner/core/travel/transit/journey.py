"""A journey by the timetable (:class:`Journey`) and its text form, in which
:mod:`.kept` keeps it between runs (:func:`to_text`, :func:`from_text`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, tzinfo

from planner.core.model import Leg


@dataclass(frozen=True)
class Journey:
    """A door-to-door journey by the timetable: when to leave, when you arrive, the legs."""

    depart: datetime
    arrive: datetime
    legs: tuple[Leg, ...]

    @property
    def minutes(self) -> int:
        """Door to door, rounded up."""
        return math.ceil((self.arrive - self.depart).total_seconds() / 60)

    @property
    def overhead_minutes(self) -> int:
        """What is not riding: walking to, from and between stops, driving to a
        park-and-ride stop, and waiting."""
        riding = sum(
            (leg.arrive - leg.depart).total_seconds() for leg in self.legs if leg.mode == "ride"
        )
        return self.minutes - math.floor(riding / 60)

    def describe(self) -> str:
        """The legs in words: "walk 6 min · GO LE 17:53 → 18:38 Union · walk 8 min"."""
        parts = []
        for leg in self.legs:
            if leg.mode == "ride":
                parts.append(
                    f"{leg.route} {leg.depart:%H:%M} → {leg.arrive:%H:%M} {leg.destination}"
                )
            else:
                minutes = math.ceil((leg.arrive - leg.depart).total_seconds() / 60)
                parts.append(f"{leg.mode} {minutes} min")
        return " · ".join(parts)


def to_text(journey: Journey | None) -> str:
    """The journey as JSON ("null" for none found), each time as seconds since the epoch:
    read back in the question's zone, it is the same journey (and quick to read)."""
    if journey is None:
        return "null"
    # ASCII: a name holding a lone surrogate (a place typed in a terminal that is not
    # UTF-8) is escaped, which the database takes, and read back as it was.
    return json.dumps([_leg_row(leg) for leg in journey.legs], separators=(",", ":"))


def _leg_row(leg: Leg) -> list[str | float]:
    return [
        leg.mode,
        leg.origin,
        leg.destination,
        leg.depart.timestamp(),
        leg.arrive.timestamp(),
        leg.route,
    ]


def from_text(text: str, zone: tzinfo) -> Journey | None:
    """The journey :func:`to_text` wrote, its times in ``zone`` (the question's)."""
    rows = json.loads(text)
    if rows is None:
        return None
    legs = tuple(
        Leg(
            mode,
            origin,
            destination,
            datetime.fromtimestamp(depart, tz=zone),
            datetime.fromtimestamp(arrive, tz=zone),
            route,
        )
        for mode, origin, destination, depart, arrive, route in rows
    )
    if not legs:
        raise ValueError("a kept journey without legs")
    return Journey(legs[0].depart, legs[-1].arrive, legs)
