"""How long from A to B: the user's known trips, then a router, then the estimate.

Every trip planner plans goes through :class:`TravelService`, so that an
override the user wrote ("Whitby to downtown Toronto by GO train: 70 min")
wins everywhere (the plan, the explanations, the CLI), and a configured
routing service is used everywhere or nowhere. Each :class:`Trip` says where
its minutes came from (``source``), so the user can tell a known trip from a
guess.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from planner.core.model import Leg, Place, Problem, Severity, TravelMode, Trip
from planner.core.settings import Settings, TravelOverride
from planner.core.travel import estimate as travel
from planner.core.travel.by_timetable import TimetableTravel, service_day

if TYPE_CHECKING:
    from planner.core.travel.places import PlaceResolver
    from planner.core.travel.router import PlanRouting, RoutedTravel

_shared_routers: dict[tuple[object, ...], RoutedTravel] = {}
"""One :class:`RoutedTravel` per routing setup for the life of the process: its answers
and its breaker outlive a plan, so re-planning after a drag neither asks again for the
week's legs nor waits again for a server known to be down."""
_shared_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _KnownTrip:
    origin: Place
    destination: Place
    rule: TravelOverride


MEMO_SIZE = 200_000
"""Estimated trips remembered by one service before it starts afresh (a few tens of MB)."""


class TravelService:
    """Trips for one set of settings; safe to share between threads (the memo of
    estimates only ever gains entries that any thread would compute alike; the
    router keeps its own state, which locks).

    Estimates and known trips are remembered: a re-plan after a decision asks for
    the same few thousand trips again (a week of 1,000 candidates: ~3,800), and a
    service kept across plans (see :class:`planner.core.session.Session`) answers
    them from memory. A router's answers are not kept here: the shared router keeps them
    (and knows when it is down), and a routed service serves one plan
    (:attr:`estimates_alone`).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: PlaceResolver | None = None,
        router: RoutedTravel | None = None,
    ) -> None:
        self.settings = settings
        self._router = _plan_routing(router if router is not None else _router_for(settings))
        self._known, self.problems = _resolve_overrides(settings, resolver)
        self.timetables, self._timetable_problems = TimetableTravel.for_settings(
            settings.transit, settings.home
        )
        self._outside_timetables: set[tuple[Place, Place]] = set()
        self._memo: dict[
            tuple[Place, Place, datetime | None, datetime | None, tuple[int, ...], TravelMode],
            Trip,
        ] = {}

    def trip(
        self,
        origin: Place,
        destination: Place,
        *,
        depart: datetime | None = None,
        arrive: datetime | None = None,
        mode: TravelMode | None = None,
    ) -> Trip:
        """The trip from ``origin`` to ``destination`` leaving at ``depart`` or arriving by
        ``arrive``, in ``mode`` (default: the user's)."""
        mode = mode or self.settings.travel_mode
        # Rush hour is a matter of the local clock, whatever zone the caller's times are in.
        zone = self.settings.zone
        depart = depart.astimezone(zone) if depart is not None else None
        arrive = arrive.astimezone(zone) if arrive is not None else None
        if origin.virtual or destination.virtual:
            return Trip(origin, destination, mode, 0, 0.0)
        routed = self._router is not None and origin.has_position and destination.has_position
        # (With the folds: the hour clocks go back holds two equal, distinct 01:05s.)
        folds = tuple(when.fold if when is not None else 0 for when in (depart, arrive))
        key = (origin, destination, depart, arrive, folds, mode)
        if not routed:
            remembered = self._memo.get(key)
            if remembered is not None:
                return remembered
        known = self._known_trip(origin, destination, mode)
        timetabled = None
        if known is None and mode is TravelMode.TRANSIT and self.timetables is not None:
            timetabled = self.timetables.trip(origin, destination, depart=depart, arrive=arrive)
            if timetabled is None:
                self._outside_timetables.add((origin, destination))
        if known is not None:
            km = _km(origin, destination)
            found = Trip(
                origin,
                destination,
                mode,
                known.rule.minutes,
                km,
                source="override",
                overhead_minutes=min(known.rule.minutes, travel.overhead_minutes(mode)),
            )
        elif timetabled is not None:
            found = timetabled
        elif routed:
            assert self._router is not None
            found, source = self._router.trip(
                origin, destination, mode, depart=depart, arrive=arrive
            )
            return replace(found, source=source)
        else:
            found = travel.estimate(
                origin,
                destination,
                mode,
                depart=depart,
                arrive=arrive,
                unknown_minutes=self.settings.unknown_place_minutes,
                curve=self.settings.rush_hour,
            )
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found

    @property
    def estimates_alone(self) -> bool:
        """Whether no routing server answers here: such a service may serve plan after
        plan (a routed one reports what its own plan's trips met, so it serves one)."""
        return self._router is None

    def routing_problems(self) -> list[Problem]:
        """What went wrong with the routing server in the trips asked so far (it did not
        answer, it does not serve a mode), each once; a timetable that could not be read;
        and a note when transit trips fell outside the timetables' area or hours."""
        found = list(self._timetable_problems)
        if self._outside_timetables:
            count = len(self._outside_timetables)
            found.append(
                Problem(
                    "",
                    f"{count} transit trip{'s' if count != 1 else ''} outside your timetables' "
                    "area or hours: estimated, not timetabled",
                    severity=Severity.NOTE,
                )
            )
        if self._router is None:
            return found
        # The sentence names the router and says what it means; it has no source file.
        return found + [Problem("", text) for text in self._router.problems()]

    def keep(self) -> None:
        """Write the timetable answers found so far for the next run (see
        :mod:`planner.core.travel.transit.kept`): after each plan, so a window that
        ends badly or a ``planner plan`` run beside it loses none."""
        if self.timetables is not None:
            self.timetables.timetables.keep()

    def last_ride(self, trip: Trip, when: datetime) -> Leg | None:
        """For a trip by the timetable asked at ``when``, the main ride of that transit
        day's last journey between its two ends ("the last GO LE to Whitby GO leaves
        Union at 23:55"); None for any other trip."""
        if trip.source != "timetable" or self.timetables is None:
            return None
        return self.timetables.last_ride(trip.origin, trip.destination, service_day(when))

    def longest(self, places: Sequence[Place], mode: TravelMode | None = None) -> int | None:
        """An upper bound on any trip between two of ``places``, in minutes, at any hour;
        None when a routing service answers (its times have no bound known in advance).

        The optimiser checks whether two events leave time to travel between them
        only for pairs closer in time than this, which skips most pairs in a big week.
        """
        mode = mode or self.settings.travel_mode
        if self._router is not None or (mode is TravelMode.TRANSIT and self.timetables is not None):
            return None
        bound = travel.longest_estimate(
            travel.farthest_apart_km(places), mode, self.settings.rush_hour
        )
        if any(not p.virtual and not p.has_position for p in places):
            bound = max(bound, self.settings.unknown_place_minutes)
        return max([bound, *(known.rule.minutes for known in self._known)])

    def _known_trip(self, a: Place, b: Place, mode: TravelMode) -> _KnownTrip | None:
        if not (a.has_position and b.has_position):
            return None
        for known in self._known:
            if known.rule.mode is not None and known.rule.mode is not mode:
                continue
            radius = known.rule.radius_km
            # Known trips work both ways: the GO train home takes as long as the one in.
            for x, y in ((a, b), (b, a)):
                if _km(x, known.origin) <= radius and _km(y, known.destination) <= radius:
                    return known
        return None


def _km(a: Place, b: Place) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return travel.distance_km(a.lat, a.lon, b.lat, b.lon)


def _resolver(settings: Settings, resolver: PlaceResolver | None) -> PlaceResolver:
    if resolver is not None:
        return resolver
    from planner.core.travel.places import PlaceResolver  # local: only when overrides exist

    return PlaceResolver(settings)


def _resolve_overrides(
    settings: Settings, resolver: PlaceResolver | None
) -> tuple[list[_KnownTrip], list[str]]:
    """The user's known trips with both ends placed, and a message for each that is not."""
    if not settings.overrides:
        return [], []
    places = _resolver(settings, resolver)
    known, problems = [], []
    for rule in settings.overrides:
        a = places.resolve_text(rule.origin).place
        b = places.resolve_text(rule.destination).place
        if a.has_position and b.has_position:
            known.append(_KnownTrip(a, b, rule))
        else:
            missing = rule.origin if not a.has_position else rule.destination
            problems.append(
                f"[[travel.override]] {rule.origin!r} to {rule.destination!r}: cannot place "
                f"{missing!r}, so this known trip is not used"
            )
    return known, problems


def _router_for(settings: Settings) -> RoutedTravel | None:
    """The process's router for these settings (made on first use), None without one."""
    if not settings.routing.provider:
        return None
    from planner.core.travel.router import RoutedTravel, make_router  # local: only when configured

    curve = settings.rush_hour
    key = (
        settings.routing,
        settings.unknown_place_minutes,
        None if curve is None else tuple(sorted(curve.items())),
    )
    with _shared_lock:
        shared = _shared_routers.get(key)
        if shared is None:
            shared = RoutedTravel(
                make_router(settings.routing),
                unknown_minutes=settings.unknown_place_minutes,
                curve=curve,
            )
            _shared_routers[key] = shared
        return shared


def _plan_routing(shared: RoutedTravel | None) -> PlanRouting | None:
    if shared is None:
        return None
    from planner.core.travel.router import PlanRouting  # local: only when configured

    return PlanRouting(shared)


def forget_routers() -> None:
    """Drop the shared routers (their answers and breakers): for tests that start a
    fresh server on a port an earlier test's dead server had, and for a settings
    change that should ask the server again at once."""
    with _shared_lock:
        _shared_routers.clear()
