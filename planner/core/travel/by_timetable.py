"""Transit trips by the timetable: the user's GTFS feeds turned into :class:`Trip` s.

:mod:`planner.core.travel.transit` routes from a point to a point on the feeds;
this module asks it what a plan needs and answers in the plan's terms:

- leaving at a time (the way home from an event's end): the earliest arrival;
- arriving by a time (the way to an event's start): the latest departure;
- a trip's ``minutes`` count from the time asked to the other end, so the wait for
  the first train is in them (and in ``overhead_minutes``): ``event.end + minutes`` is
  when the user is home, ``event.start - minutes`` when they leave, as for estimates;
- nothing in time (after the last train home): an unreachable trip, which the plan
  leaves out with the last departure named (:meth:`TimetableTravel.last_ride`);
- outside the feeds' area, or on a day they run nothing: None, and the estimate is used.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.core.logs import log_failure
from planner.core.model import Leg, Place, Problem, TravelMode, Trip
from planner.core.settings import TransitSettings
from planner.core.travel import estimate

if TYPE_CHECKING:
    from planner.core.travel.transit import FeedInfo, Journey, Timetables

SERVICE_DAY_STARTS = time(4, 0)
"""A ride at 01:30 belongs to the day before: the transit day runs to ~04:00 (the
router's "next morning")."""


def timetable_cache_dir() -> Path:
    """Where the compact copies of the feeds go: the timetables' own choice (planner's
    cache folder; ``PLANNER_CACHE_DIR`` overrides it)."""
    from planner.core.travel.transit.timetables import default_cache_dir

    return default_cache_dir()


_log = logging.getLogger(__name__)
_DEFAULT_TRANSFER = TransitSettings().min_transfer_minutes
_own: dict[tuple[object, ...], tuple[Timetables, list[Problem]]] = {}
_own_lock = threading.Lock()


def _shared_timetables(transit: TransitSettings) -> tuple[Timetables, list[Problem]]:
    """The process's loaded timetables for ``[transit]``: :func:`timetables_for`'s with
    the default minimum transfer, else one kept here per transfer time and set of files
    (loaded again when a file changes), so a plan never reads the feeds again."""
    from planner.core.travel.transit import Timetables, timetables_for
    from planner.core.travel.transit.compact import file_fingerprint

    paths = [Path(p) for p in transit.gtfs]
    minutes = transit.min_transfer_minutes
    if minutes == _DEFAULT_TRANSFER:
        return timetables_for(paths, timetable_cache_dir())
    stamps: list[object] = []
    for path in paths:
        try:
            stamps.append(file_fingerprint(path))
        except OSError:
            stamps.append(None)
    key = (tuple(transit.gtfs), tuple(stamps), minutes)
    with _own_lock:
        if key not in _own:
            _own.clear()  # an older version of the files, or another transfer time
            _own[key] = Timetables.load(
                paths, cache_dir=timetable_cache_dir(), min_transfer_minutes=minutes
            )
        timetables, problems = _own[key]
    return timetables, list(problems)


def forget_own_timetables() -> None:
    """Drop the timetables kept for a transfer time of the user's (tests)."""
    with _own_lock:
        _own.clear()


def warm_up_in_background(
    transit: TransitSettings, days: Sequence[date]
) -> threading.Thread | None:
    """Load the timetables of ``[transit]`` and lay them out for ``days`` on a thread of
    their own (see :meth:`Timetables.warm_up`), while the caller reads the week: the
    plan's first transit question then finds them ready (it waits for the thread's lock
    otherwise). None without any feed. The thread is not a daemon: a process that ends
    before it is done waits for it (a second at most for GO + TTC)."""
    if not transit.gtfs:
        return None

    def prepare() -> None:
        try:
            timetables, _ = _shared_timetables(transit)
            timetables.warm_up(days)
        except Exception as exc:  # the plan reads them again and reports what fails
            log_failure(_log, "preparing the timetables", exc)

    thread = threading.Thread(target=prepare, name="timetables warm-up")
    thread.start()
    return thread


def service_day(when: datetime) -> date:
    """The transit day ``when`` falls in (an hour past midnight is still the evening)."""
    return (when - timedelta(hours=SERVICE_DAY_STARTS.hour)).date()


class TimetableTravel:
    """Transit trips on the timetables of ``settings`` (one loaded copy per process)."""

    def __init__(
        self, timetables: Timetables, access: Literal["walk", "drive"], home: Place | None = None
    ) -> None:
        """``access`` "drive" is park-and-ride from ``home``: the car is driven to a stop
        from home and picked up there on the way back; every other end is walked."""
        self.timetables = timetables
        self.access: Literal["walk", "drive"] = access
        self.home = home
        self._runs_on: dict[tuple[Place, Place, date], Journey | None] = {}

    @classmethod
    def for_settings(
        cls, transit: TransitSettings, home: Place | None = None
    ) -> tuple[TimetableTravel | None, list[Problem]]:
        """The timetables of ``[transit] gtfs`` (None without any feed that could be read),
        and a problem for each feed that could not be read."""
        if not transit.gtfs:
            return None, []
        timetables, problems = _shared_timetables(transit)
        if not timetables.feeds:
            return None, problems
        access: Literal["walk", "drive"] = "drive" if transit.access == "drive" else "walk"
        return cls(timetables, access, home), problems

    def covers(self, origin: Place, destination: Place) -> bool:
        """Whether both places are within reach of a stop of the feeds (home, for
        park-and-ride, is: the car reaches the stations)."""
        return all(
            self._end(place) == "drive" or self.timetables.covers(*_point(place))
            for place in (origin, destination)
        )

    def trip(
        self,
        origin: Place,
        destination: Place,
        *,
        depart: datetime | None = None,
        arrive: datetime | None = None,
    ) -> Trip | None:
        """The trip by the timetable, or None when the estimate must answer (outside the
        feeds' area, or nothing runs between the two that day at all)."""
        if not (origin.has_position and destination.has_position):
            return None
        if not self.covers(origin, destination):
            return None
        a, b = _point(origin), _point(destination)
        access, egress = self._end(origin), self._end(destination)
        names = (_name(origin, "start"), _name(destination, "destination"))
        if depart is not None:
            journey = self.timetables.earliest_arrival(
                a, b, depart, access=access, egress=egress, names=names
            )
            if journey is not None and journey.depart >= _next_morning(depart):
                journey = None  # the first train of the morning: the last one has gone
            asked = depart
        elif arrive is not None:
            journey = self.timetables.latest_departure(
                a, b, arrive, access=access, egress=egress, names=names
            )
            asked = arrive
        else:
            raise ValueError("trip() needs a departure or an arrival time")
        km = estimate.distance_km(a[0], a[1], b[0], b[1])
        if journey is None:
            if self.last_journey(origin, destination, service_day(asked)) is None:
                return None  # nothing runs there that day: the feeds' hours, not a last train
            guess = estimate.estimate(
                origin, destination, TravelMode.TRANSIT, depart=depart, arrive=arrive
            )
            return Trip(
                origin,
                destination,
                TravelMode.TRANSIT,
                guess.minutes,
                km,
                source="timetable",
                overhead_minutes=guess.overhead_minutes,
                reachable=False,
            )
        if depart is not None:
            spent = journey.arrive - depart
            waiting = journey.depart - depart  # at the door, for the first departure
        else:
            assert arrive is not None
            spent = arrive - journey.depart
            waiting = arrive - journey.arrive  # at the venue, arrived early
        minutes = math.ceil(spent.total_seconds() / 60 - 1e-9)
        waited = max(0, math.floor(waiting.total_seconds() / 60))
        return Trip(
            origin,
            destination,
            TravelMode.TRANSIT,
            minutes,
            km,
            source="timetable",
            legs=journey.legs,
            overhead_minutes=min(minutes, journey.overhead_minutes + waited),
        )

    def last_journey(self, origin: Place, destination: Place, day: date) -> Journey | None:
        """The last journey of transit day ``day`` between the two places (remembered)."""
        key = (origin, destination, day)
        if key not in self._runs_on:
            self._runs_on[key] = self.timetables.last_departure(
                _point(origin),
                _point(destination),
                day,
                access=self._end(origin),
                egress=self._end(destination),
                names=(_name(origin, "start"), _name(destination, "destination")),
            )
        return self._runs_on[key]

    def _end(self, place: Place) -> Literal["walk", "drive"]:
        """How this end of a trip meets the stops: by car only at home, for park-and-ride."""
        return "drive" if self.access == "drive" and place == self.home else "walk"

    def last_ride(self, origin: Place, destination: Place, day: date) -> Leg | None:
        """The ride that decides the last way home on ``day``: the longest ride of the
        day's last journey ("the last GO LE to Whitby GO leaves Union at 23:55")."""
        if not (origin.has_position and destination.has_position):
            return None
        journey = self.last_journey(origin, destination, day)
        if journey is None:
            return None
        return main_ride(journey.legs)


def main_ride(legs: Sequence[Leg]) -> Leg | None:
    """The longest ride of a journey (the train, not the bus to the station)."""
    rides = [leg for leg in legs if leg.mode == "ride"]
    return max(rides, key=lambda leg: leg.arrive - leg.depart, default=None)


def _next_morning(when: datetime) -> datetime:
    """The end of the transit day ``when`` is in (04:00 the next morning): a journey
    leaving after it is tomorrow's first, not a way home tonight."""
    day = service_day(when) + timedelta(days=1)
    return datetime.combine(day, SERVICE_DAY_STARTS, when.tzinfo)


def _name(place: Place, otherwise: str) -> str:
    """What a leg calls an end of the trip: the place's own name ("home", "MaRS")."""
    return place.name or place.address or otherwise


def _point(place: Place) -> tuple[float, float]:
    assert place.lat is not None and place.lon is not None
    return place.lat, place.lon


def validity_note(valid_from: date | None, valid_until: date | None, week: date) -> str:
    """What the user must know about a feed's dates for the week starting ``week``:
    "expired on 2026-11-30, ..." or "valid only from 2027-01-04, ..." ("" when it covers it).
    An expired timetable plans nothing by the timetable: its trips are estimated."""
    last_day = week + timedelta(days=6)
    if valid_until is not None and valid_until < last_day:
        ended = "expired" if valid_until < week else "ends"
        return f"{ended} on {valid_until.isoformat()}, before the end of the week shown"
    if valid_from is not None and valid_from > week:
        return f"valid only from {valid_from.isoformat()}, after the start of the week shown"
    return ""


def read_feeds(gtfs: Sequence[str], week: date) -> tuple[list[tuple[FeedInfo, str]], list[Problem]]:
    """Each readable feed of ``gtfs`` with what to say about its dates for ``week`` (see
    :func:`validity_note`), and a problem for each that cannot be read. Slow the first
    time a feed is seen (it is read into the cache), so the window runs it off its thread."""
    timetables, problems = _shared_timetables(TransitSettings(gtfs=tuple(gtfs)))
    rows = [(f, validity_note(f.valid_from, f.valid_until, week)) for f in timetables.feeds]
    return rows, problems
