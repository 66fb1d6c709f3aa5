"""Travel time between two places, estimated offline.

No routing service is needed: the straight-line (great-circle) distance
is stretched by a circuity factor to approximate the road network, then
driven at a local speed for the first kilometres and a faster one beyond
(highways, rail), plus a fixed overhead (parking, walking to the stop,
waiting), and slowed by a rush-hour curve for the departure time.

Calibration and sources:

* Circuity (road distance / straight-line distance) is about 1.2-1.3 in North
  American metros: Ballou, Rahardja & Sakai (2002), "Selected country
  circuity factors for road travel distance estimation", Transportation
  Research Part A 36(9); Boeing (2019), "Urban spatial order: street network
  orientation, configuration, and entropy", Applied Network Science 4. We use
  1.25 for cars and bikes and 1.35 for transit, whose lines detour more.
* Speeds: urban arterial travel in Toronto averages around 30 km/h door to
  door; 400-series highways and GO trains average 70-90 km/h and 50-60 km/h
  including stops outside the peak. Walking 4.8 km/h and urban cycling
  16 km/h are the usual planning figures.
* Rush hour: the TomTom Traffic Index puts Toronto among the most congested
  North American cities, with peak trips taking roughly 1.5 times their
  free-flow time; the curve below uses 1.45 in the morning and 1.6 in the
  afternoon peak on weekdays.

Calibration check (geodesic Whitby to downtown Toronto is about 45 km): the
model gives ~55 min by car off-peak and ~80 min leaving at 17:00, in line
with what commuters on Highway 401 report.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from planner.core.model import Place, TravelMode, Trip


@dataclass(frozen=True, slots=True)
class ModeModel:
    """How one mode of travel turns a straight-line distance into minutes."""

    circuity: float
    local_kmh: float
    local_km: float
    far_kmh: float
    overhead_min: float
    rush_sensitivity: float
    """0: unaffected by traffic (walking), 1: fully (driving)."""


OVERHEAD_PARTS: dict[TravelMode, dict[str, float]] = {
    TravelMode.DRIVE: {"walk to the car": 2.0, "park and walk to the door": 4.0},
    TravelMode.TRANSIT: {"walk to and from the stops": 10.0, "average wait": 5.0},
    TravelMode.BIKE: {"unlock and lock the bike": 3.0},
    TravelMode.WALK: {},
}
"""What each mode's fixed overhead is made of, in minutes. A router reports moving
time only and a measured trip (a car's trip log) counts door to door, so planner
says this part apart (``overhead_minutes``): moving time = minutes - overhead. The
transit figures assume a stop within ~800 m at each end (10 min of walking in all)
and half the headway of a 10-minute line."""

MODES: dict[TravelMode, ModeModel] = {
    mode: ModeModel(circuity, local, local_km, far, sum(OVERHEAD_PARTS[mode].values()), rush)
    for mode, circuity, local, local_km, far, rush in (
        (TravelMode.DRIVE, 1.25, 30.0, 6.0, 85.0, 1.0),
        (TravelMode.TRANSIT, 1.35, 16.0, 8.0, 55.0, 0.35),
        (TravelMode.BIKE, 1.25, 16.0, math.inf, 16.0, 0.0),
        (TravelMode.WALK, 1.25, 4.8, math.inf, 4.8, 0.0),
    )
}


def overhead_minutes(mode: TravelMode) -> int:
    """The whole minutes of a door-to-door trip in ``mode`` that are not moving
    (:data:`OVERHEAD_PARTS`); the estimate and a router's trips both carry it."""
    return math.ceil(MODES[mode].overhead_min)


# Weekday congestion multipliers by local hour of departure (a large North
# American metro). Hours not listed are free-flow (1.0).
WEEKDAY_RUSH: dict[int, float] = {
    6: 1.15,
    7: 1.45,
    8: 1.45,
    9: 1.2,
    15: 1.25,
    16: 1.6,
    17: 1.6,
    18: 1.3,
}
RUSH_THRESHOLD = 1.2


def congestion(when: datetime, curve: Mapping[int, float] | None = None) -> float:
    """Traffic multiplier for a departure at ``when`` (local time) on a weekday.

    ``curve`` maps hours to multipliers (the user's ``[travel] rush_hour``);
    weekends are free-flow.
    """
    if when.weekday() >= 5:
        return 1.0
    return (WEEKDAY_RUSH if curve is None else curve).get(when.hour, 1.0)


def rush_factor(
    mode: TravelMode, when: datetime, curve: Mapping[int, float] | None = None
) -> float:
    """How much slower than free flow a trip in ``mode`` leaving at ``when`` is."""
    return 1.0 + (congestion(when, curve) - 1.0) * MODES[mode].rush_sensitivity


@functools.lru_cache(maxsize=65536)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance on a sphere of the Earth's mean radius, cached.

    This is what geopy's ``great_circle`` computes, without its point parsing:
    ~1 us a call against ~10 us (and ~110 us for the ellipsoidal ``geodesic``).
    Over a metro area the sphere is ~0.2% off the ellipsoid, far below the
    uncertainty of the circuity factor, and planning 1,000 candidates makes
    tens of thousands of these calls. geopy stays what geocodes addresses.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, as geopy uses


def free_flow_minutes(km: float, mode: TravelMode) -> float:
    """Minutes for ``km`` of straight-line distance outside rush hour."""
    model = MODES[mode]
    road_km = km * model.circuity
    local = min(road_km, model.local_km)
    far = max(0.0, road_km - model.local_km)
    return model.overhead_min + 60.0 * (local / model.local_kmh + far / model.far_kmh)


def farthest_apart_km(places: Iterable[Place]) -> float:
    """An upper bound on the distance between any two of ``places`` (those with a position).

    The path north-south along a meridian, then east-west along the parallel
    nearest the equator, is never shorter than the great circle, so the
    bounding box's height plus its widest width bounds every pair: O(n) where
    checking every pair would be O(n^2).
    """
    lats = [p.lat for p in places if p.lat is not None and p.lon is not None]
    lons = [p.lon for p in places if p.lat is not None and p.lon is not None]
    if len(lats) < 2:
        return 0.0
    north, south, east, west = max(lats), min(lats), max(lons), min(lons)
    widest = min(abs(north), abs(south)) if north * south > 0 else 0.0
    span_lon = min(east - west, 180.0)  # no two meridians are more than 180 degrees apart
    km_per_degree = math.pi * EARTH_RADIUS_KM / 180
    return km_per_degree * ((north - south) + span_lon * math.cos(math.radians(widest)))


def longest_estimate(km: float, mode: TravelMode, curve: Mapping[int, float] | None = None) -> int:
    """The most minutes :func:`estimate` can give for trips of at most ``km``, at any hour."""
    peak = max([1.0, *(WEEKDAY_RUSH if curve is None else curve).values()])
    model = MODES[mode]
    factor = 1.0 + (peak - 1.0) * model.rush_sensitivity
    return math.ceil(
        model.overhead_min + (free_flow_minutes(km, mode) - model.overhead_min) * factor
    )


def estimate(
    origin: Place,
    destination: Place,
    mode: TravelMode,
    *,
    depart: datetime | None = None,
    arrive: datetime | None = None,
    unknown_minutes: int = 45,
    curve: Mapping[int, float] | None = None,
) -> Trip:
    """Estimate one trip leaving at ``depart`` or arriving by ``arrive``.

    A place without a position is not treated as zero travel: the user's
    assumption (``unknown_minutes``) is used and the trip is marked assumed.
    """
    if destination.virtual or origin.virtual:
        return Trip(origin, destination, mode, 0, 0.0)
    if not (origin.has_position and destination.has_position):
        return Trip(origin, destination, mode, unknown_minutes, 0.0, assumed=True)
    assert origin.lat is not None and origin.lon is not None
    assert destination.lat is not None and destination.lon is not None
    km = distance_km(origin.lat, origin.lon, destination.lat, destination.lon)
    if km < 0.05:
        return Trip(origin, destination, mode, 0, km)
    base = free_flow_minutes(km, mode)
    model = MODES[mode]
    if depart is None:
        if arrive is None:
            raise ValueError("estimate() needs a departure or an arrival time")
        # The congestion that matters is at departure, which depends on the trip length.
        depart = arrive - timedelta(minutes=base * congestion(arrive, curve))
    factor = rush_factor(mode, depart, curve)
    moving = base - model.overhead_min
    minutes = math.ceil(model.overhead_min + moving * factor)
    return Trip(
        origin,
        destination,
        mode,
        minutes,
        km,
        rush_hour=factor >= RUSH_THRESHOLD,
        overhead_minutes=overhead_minutes(mode),
    )
