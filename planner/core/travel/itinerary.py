"""Where the user is before and after an event, and the trips in between.

A networking event at 18:00 downtown is reached from the office the user
leaves at 17:00, not from home; the trip back goes home, or straight to the
next commitment when there is no time to go home first. This module answers
"from where, leaving when, back where, at what time" for one event on its
own, which the feasibility checks and the explanations both rely on.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.core.model import Event, Place, Status, Trip
from planner.core.settings import Settings
from planner.core.travel.service import TravelService

# Going home between two places is only worth it with this much time to spare there.
HOME_SLACK = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Legs:
    """The trips around one event when it is attended on its own."""

    trip_to: Trip | None
    trip_from: Trip | None
    origin: str
    destination: str
    leave_at: datetime
    back_at: datetime
    came_from: Event | None
    """The commitment the user leaves to go to the event, when not home."""
    goes_to: Event | None
    """The commitment the user goes to after the event, when not home."""
    late: int = 0
    """Minutes after the start the user arrives, within what their rules allow for the
    event (``leave_at`` is then when the commitment before it ends, or by the timetable
    the departure from the door for the first journey after it)."""


class Whereabouts:
    """The user's busy commitments, indexed by day, with their places."""

    def __init__(
        self, commitments: list[Event], settings: Settings, travel: TravelService | None = None
    ) -> None:
        self.settings = settings
        self.travel = travel or TravelService(settings)
        self.home = settings.home
        self.busy = [
            c
            for c in commitments
            if c.busy and (settings.tentative_is_busy or c.status is not Status.TENTATIVE)
        ]
        self._by_day: dict[date, list[Event]] = defaultdict(list)
        for c in self.busy:
            if not c.all_day:
                self._by_day[c.start.date()].append(c)
        for events in self._by_day.values():
            events.sort(key=lambda e: e.end)
        self._all_day = [c for c in self.busy if c.all_day]
        self._starts = sorted(self.busy, key=lambda e: e.start)
        self._start_keys = [e.start for e in self._starts]
        self._longest = max((e.duration for e in self.busy), default=timedelta(0))

    def place_of(self, commitment: Event) -> tuple[Place, str]:
        """Where a commitment happens and what to call it.

        Saved places (the office) win over the event's own GEO so that trips
        from work use the user's own coordinates; an online commitment or one
        without a location is taken to happen at home.
        """
        if commitment.place.virtual:
            return self.home, "home"
        where = f"{commitment.place.name} {commitment.place.address} {commitment.summary}".lower()
        for saved in self.settings.places:
            if any(word.lower() in where for word in saved.match):
                place = saved.place
                if not place.has_position and commitment.place.has_position:
                    place = commitment.place
                return place, saved.place.name
        if commitment.place.has_position or commitment.place.address:
            return commitment.place, commitment.place.name or commitment.summary
        return self.home, "home"

    def before(self, when: datetime) -> Event | None:
        """The last timed commitment of that day that ends by ``when``."""
        events = self._by_day.get(when.date(), [])
        i = bisect.bisect_right([e.end for e in events], when)
        return events[i - 1] if i else None

    def after(self, when: datetime) -> Event | None:
        """The first timed commitment of that day that starts at or after ``when``."""
        best = None
        for e in self._by_day.get(when.date(), []):
            if e.start >= when and (best is None or e.start < best.start):
                best = e
        return best

    def clashes(self, start: datetime, end: datetime) -> list[Event]:
        """Busy commitments overlapping [start, end), earliest first."""
        lo = bisect.bisect_left(self._start_keys, start - self._longest)
        hi = bisect.bisect_left(self._start_keys, end)
        found = [e for e in self._starts[lo:hi] if e.start < end and e.end > start]
        return sorted(found, key=lambda e: e.start)

    def trip(
        self, a: Place, b: Place, *, depart: datetime | None = None, arrive: datetime | None = None
    ) -> Trip:
        return self.travel.trip(a, b, depart=depart, arrive=arrive)

    def legs(self, event: Event) -> Legs:
        """Trips to and from ``event`` attended on its own (origin-aware)."""
        if event.place.virtual:
            return Legs(None, None, "online", "online", event.start, event.end, None, None)
        venue = event.place
        origin, origin_name, came_from = self.home, "home", None
        prev = self.before(event.start)
        if prev is not None:
            place, name = self.place_of(prev)
            if place is not self.home:
                # The same for every event of the day; the trip from home is asked only
                # when it decides (by the timetable, each trip asked is a search).
                home_first = self.trip(place, self.home, depart=prev.end)
                if _too_short(event.start - prev.end, home_first) or _too_short(
                    event.start - prev.end,
                    home_first,
                    self.trip(self.home, venue, arrive=event.start),
                ):
                    origin, origin_name, came_from = place, name, prev
        trip_to = self.trip(origin, venue, arrive=event.start)

        destination, dest_name, goes_to = self.home, "home", None
        nxt = self.after(event.end)
        if nxt is not None:
            place, name = self.place_of(nxt)
            if place is not self.home:
                home_then = self.trip(self.home, place, arrive=nxt.start)  # one a day
                if _too_short(nxt.start - event.end, home_then) or _too_short(
                    nxt.start - event.end,
                    home_then,
                    self.trip(venue, self.home, depart=event.end),
                ):
                    destination, dest_name, goes_to = place, name, nxt
        trip_from = self.trip(venue, destination, depart=event.end)
        leave_at = leave_at_on_time(event, trip_to)
        late = 0
        free_at = self._free_in_time(event, leave_at)
        if free_at is not None:
            by_timetable = bool(trip_to.legs and trip_to.reachable)
            later = self.later_trip(trip_to, free_at) if by_timetable else None
            if later is not None or not by_timetable:  # (else nothing runs in time after)
                arrive = back_at(free_at, later) if later else free_at + (event.start - leave_at)
                minutes_late = math.ceil((arrive - event.start).total_seconds() / 60)
                if minutes_late <= self.settings.late_allowed(event.category):
                    late = minutes_late
                    trip_to = later or trip_to
                    leave_at = leave_at_on_time(event, later) if later else free_at
        return Legs(
            trip_to,
            trip_from,
            origin_name,
            dest_name,
            leave_at,
            back_at(event.end, trip_from),
            came_from,
            goes_to,
            late,
        )

    def later_trip(self, trip_to: Trip, free_at: datetime) -> Trip | None:
        """By the timetable, the journey leaving when a commitment lets the user go
        (``free_at``): the next train, which may arrive an hour later than the one
        missed. None for every other kind of trip (the same trip, ``free_at`` later)."""
        if not (trip_to.legs and trip_to.reachable):
            return None
        later = self.trip(trip_to.origin, trip_to.destination, depart=free_at)
        if not (later.legs and later.reachable):
            return None
        # Timed from the door, as the trip it replaces: the wait before leaving is not travel.
        return self.trip(trip_to.origin, trip_to.destination, depart=later.legs[0].depart)

    def _free_in_time(self, event: Event, leave_at: datetime) -> datetime | None:
        """When a commitment keeps the user past ``leave_at``, ends before ``event``
        starts and the rules allow arriving late for it: when it ends (the honest time
        to leave; the caller checks how late that arrives). None otherwise."""
        if not self.settings.late_allowed(event.category):
            return None
        blocking = self.clashes(leave_at, event.start)
        if not blocking:
            return None
        free_at = max(c.end for c in blocking)
        if free_at >= event.start or self.clashes(free_at, event.start):
            return None
        return free_at


def _too_short(gap: timedelta, *trips: Trip) -> bool:
    """Whether ``gap`` is too short to go home between two places by ``trips`` (with
    :data:`HOME_SLACK` to spare there)."""
    return gap < timedelta(minutes=sum(t.minutes for t in trips)) + HOME_SLACK


def leave_at_on_time(event: Event, trip: Trip) -> datetime:
    """When to leave to arrive at ``event``'s start: by the timetable, the journey's
    departure from the door (the walk to the 17:53 train starts at 17:42)."""
    if trip.legs and trip.reachable:
        return trip.legs[0].depart
    return event.start - timedelta(minutes=trip.minutes)


def back_at(end: datetime, trip: Trip) -> datetime:
    """When a trip leaving at ``end`` arrives: by the timetable, the journey's arrival
    (the first train may leave a while after ``end``)."""
    if trip.legs and trip.reachable:
        return trip.legs[-1].arrive
    return end + timedelta(minutes=trip.minutes)
