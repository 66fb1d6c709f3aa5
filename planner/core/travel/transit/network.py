"""Several compact feeds joined into one network, the walks between their stops, and
the timetable laid out for the search, with the patterns running each day
(:class:`DayView`).

Feeds are joined by offsetting their indices, so GO and TTC become one timetable; stops
of different feeds within :data:`FOOTPATH_KM` of each other (GO Union and TTC Union
station), stops of one parent station, and the pairs of transfers.txt are joined by
footpaths, each taking the walk or the minimum transfer time, whichever is longer.
"""

from __future__ import annotations

import importlib.util
import math
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.core.model import TravelMode
from planner.core.travel.estimate import EARTH_RADIUS_KM, MODES
from planner.core.travel.transit.compact import CompactFeed, build
from planner.core.travel.transit.gtfs import FeedTables

WALK_KMH = MODES[TravelMode.WALK].local_kmh
WALK_CIRCUITY = MODES[TravelMode.WALK].circuity
FOOTPATH_KM = 0.4
"""Stops this close (straight line) are joined by a walk: across the street, or from
one agency's platform to another's in the same station."""
VIEWS_KEPT = 32
"""Day views kept: each is a mask over the whole timetable and its running positions by
stop (under 1 MB for GO + TTC)."""
DAY = 86400
INF = 1 << 30
"""No time: larger than any time of a search (int32)."""
EARLY_HOURS = 6 * 3600
"""Trips of the next service day leaving before this are part of a day's search."""

IntArray = npt.NDArray[np.int32]
LongArray = npt.NDArray[np.int64]


def walk_seconds(km: float | npt.NDArray[np.float64]) -> Any:
    """Seconds to walk ``km`` of straight-line distance (stretched by the walk circuity)."""
    return np.rint(np.asarray(km) * WALK_CIRCUITY / WALK_KMH * 3600.0).astype(np.int32)


def distances_km(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], at_lat: float, at_lon: float
) -> npt.NDArray[np.float64]:
    """Haversine distances from one point to many (the formula of estimate.distance_km)."""
    p1, p2 = np.radians(lat), math.radians(at_lat)
    dp, dl = p2 - p1, np.radians(at_lon - lon)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))))


@dataclass
class DayView:
    """The timetable in search order, and which of its patterns run on one day.

    Positions are the stops of patterns; each position has the departures (``dep``) and
    arrivals (``arr``) of its pattern's trips, in one sorted segment (``seg_start``,
    ``seg_len``). Times count seconds from the start of the service day (noon minus
    12 h). Every pattern is here three times over: its own trips, the copy of its trips
    past midnight moved a day back (yesterday's late trips, as seen today) and the copy
    of its trips before 06:00 moved a day on; :meth:`Network.view` says which run on a
    given day (``pos_active``). :meth:`reversed` turns it into the same network run
    backwards (times negated), so the latest-departure search is the same code.
    """

    n_stops: int
    pos_stop: IntArray
    pos_vpat: IntArray
    vpat_first: LongArray
    """Per pattern of the view: its first position."""
    vpat_end: LongArray
    """Per pattern of the view: one past its last position."""
    vpat_weight: LongArray
    """Per position: a weight larger for earlier patterns, so one running minimum over
    all positions restarts at each pattern (see :mod:`.raptor`)."""
    seg_start: LongArray
    seg_len: LongArray
    pos_first_dep: IntArray
    pos_last_dep: IntArray
    """Per position: its last departure (a rider later than that cannot board there)."""
    hour_base: int
    hour_rank: npt.NDArray[np.integer[Any]]
    """Per position and hour from ``hour_base``: the rank of its first departure in that
    hour or later, so a search for "the first trip after t" looks within one hour."""
    stop_offset: LongArray
    stop_positions: LongArray
    """The positions at each stop: ``stop_positions[stop_offset[s]:stop_offset[s + 1]]``."""
    dep: IntArray
    arr: IntArray
    elem_trip: IntArray
    edge_offset: LongArray
    """The footpaths from each stop: ``edge_to[edge_offset[s]:edge_offset[s + 1]]``."""
    edge_to: IntArray
    edge_seconds: IntArray
    edge_from: IntArray
    vpat_service: IntArray
    """Per pattern of the view: the service whose days it runs."""
    vpat_shift: npt.NDArray[np.int8]
    """Per pattern of the view: -1 for the late trips of the day before (times a day
    earlier), 0 for the day's own trips, 1 for the next day's early trips."""
    pos_active: npt.NDArray[np.bool_]
    """Per position: whether its pattern runs on the view's day (see Network.view)."""
    arrivals_rise: bool = False
    """Whether every trip's arrivals rise along it (see :func:`.compiled.arrivals_rise`)."""

    @classmethod
    def build(
        cls,
        pos_stop: IntArray,
        pos_vpat: IntArray,
        seg_len: LongArray,
        dep: IntArray,
        arr: IntArray,
        elem_trip: IntArray,
        edges: tuple[IntArray, IntArray, IntArray],
        n_stops: int,
        vpat_service: IntArray,
        vpat_shift: npt.NDArray[np.int8],
    ) -> DayView:

        count = len(pos_stop)
        pos_first = np.ones(count, dtype=bool)
        pos_first[1:] = pos_vpat[1:] != pos_vpat[:-1]
        seg_start = np.concatenate(([0], np.cumsum(seg_len)[:-1])).astype(np.int64)
        vpat_first = np.flatnonzero(pos_first).astype(np.int64)
        base = int(dep.min()) // 3600 if len(dep) else 0
        hours = (int(dep.max()) // 3600 - base + 1) if len(dep) else 1
        slot = np.clip(dep // 3600 - base, 0, hours - 1) + 1
        slot += np.repeat(np.arange(count, dtype=np.int32) * np.int32(hours + 1), seg_len)
        counts = np.bincount(slot, minlength=count * (hours + 1))
        del slot
        hour_rank = np.cumsum(counts.reshape(count, hours + 1), axis=1, dtype=np.int32)
        del counts
        # Ranks within one position's trips of a day: 16 bits unless a pattern runs more
        # than 65,535 trips a day.
        narrow = np.uint16 if hour_rank.max(initial=0) < 1 << 16 else np.int32
        hour_rank = hour_rank.astype(narrow)
        by_stop = np.argsort(pos_stop, kind="stable").astype(np.int64)
        frm, to, seconds = edges
        by_from = np.argsort(frm, kind="stable")
        return cls(
            n_stops=n_stops,
            pos_stop=pos_stop,
            pos_vpat=pos_vpat,
            vpat_first=vpat_first,
            vpat_end=np.append(vpat_first[1:], count).astype(np.int64),
            vpat_weight=(len(vpat_first) - pos_vpat.astype(np.int64)) << 42,
            seg_start=seg_start,
            seg_len=seg_len,
            pos_first_dep=dep[seg_start] if count else np.zeros(0, np.int32),
            pos_last_dep=dep[seg_start + seg_len - 1] if count else np.zeros(0, np.int32),
            hour_base=base * 3600,
            hour_rank=hour_rank,
            stop_offset=_offsets(np.bincount(pos_stop, minlength=n_stops)),
            stop_positions=by_stop,
            dep=dep,
            arr=arr,
            elem_trip=elem_trip,
            edge_offset=_offsets(np.bincount(frm, minlength=n_stops)),
            edge_to=to[by_from],
            edge_seconds=seconds[by_from],
            edge_from=frm[by_from],
            vpat_service=vpat_service,
            vpat_shift=vpat_shift,
            pos_active=np.ones(count, dtype=bool),
            arrivals_rise=_arrivals_rise(pos_vpat, seg_start, seg_len, arr),
        )

    def reversed(self) -> DayView:
        """The network backwards: last stop first, latest trip first, times negated."""
        vpats = len(self.vpat_first)
        return DayView.build(
            self.pos_stop[::-1].copy(),
            (vpats - 1 - self.pos_vpat[::-1]).astype(np.int32),
            self.seg_len[::-1].copy(),
            (-self.arr[::-1]).astype(np.int32),
            (-self.dep[::-1]).astype(np.int32),
            self.elem_trip[::-1],  # a view: only read, when a journey is traced
            (self.edge_to, self.edge_from, self.edge_seconds),
            self.n_stops,
            self.vpat_service[::-1].copy(),
            self.vpat_shift[::-1].copy(),
        )


def _offsets(counts: npt.NDArray[np.int64]) -> LongArray:
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def ranges(offsets: LongArray, items: npt.NDArray[np.int64]) -> LongArray:
    """The indices ``offsets[i]:offsets[i + 1]`` of every ``i`` in ``items``, end to end."""
    starts = offsets[items]
    lengths = offsets[items + 1] - starts
    before = np.cumsum(lengths) - lengths
    return np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


class Network:
    """The feeds joined: stops, patterns, services, footpaths; day views on demand."""

    def __init__(self, feeds: list[CompactFeed], min_transfer_seconds: int) -> None:
        if not feeds:  # no timetable yet: an empty one, so every question has an answer
            feeds = [build(FeedTables())]
        self.feeds = feeds
        self.stop_names: list[str] = []
        self.route_labels: list[str] = []
        joined: dict[str, list[npt.NDArray[Any]]] = {}
        stop_base = route_base = service_base = trip_base = elem_base = pos_base = 0
        for feed in feeds:
            a = feed.arrays
            self.stop_names += feed.meta["stop_names"]
            self.route_labels += feed.meta["route_labels"]
            parts = {
                "stop_lat": a["stop_lat"],
                "stop_lon": a["stop_lon"],
                "stop_parent": np.where(a["stop_parent"] >= 0, a["stop_parent"] + stop_base, -1),
                "stop_rail": a["stop_rail"],
                "pattern_route": a["pattern_route"] + route_base,
                "pattern_stops": a["pattern_stops"] + stop_base,
                "pattern_stop_offset": a["pattern_stop_offset"][1:] + pos_base,
                "pattern_trip_offset": a["pattern_trip_offset"][1:] + trip_base,
                "pattern_elem_offset": a["pattern_elem_offset"][1:] + elem_base,
                "trip_service": a["trip_service"] + service_base,
                "trip_first": a["trip_first"],
                "trip_last": a["trip_last"],
                "elem_dep": a["elem_dep"],
                "elem_arr": a["elem_arr"],
                "elem_trip": a["elem_trip"] + trip_base,
                "service_start": a["service_start"],
                "service_end": a["service_end"],
                "service_weekdays": a["service_weekdays"],
                "exception_service": a["exception_service"] + service_base,
                "exception_day": a["exception_day"],
                "exception_added": a["exception_added"],
                "transfer_from": a["transfer_from"] + stop_base,
                "transfer_to": a["transfer_to"] + stop_base,
                "transfer_type": a["transfer_type"],
                "transfer_seconds": a["transfer_seconds"],
            }
            for name, values in parts.items():
                joined.setdefault(name, []).append(values)
            stop_base += len(a["stop_lat"])
            route_base += len(feed.meta["route_labels"])
            service_base += len(a["service_start"])
            trip_base += len(a["trip_service"])
            elem_base += len(a["elem_dep"])
            pos_base += len(a["pattern_stops"])
        self.a: dict[str, npt.NDArray[Any]] = {
            name: values[0] if len(values) == 1 else np.concatenate(values)
            for name, values in joined.items()
        }
        for name in ("pattern_stop_offset", "pattern_trip_offset", "pattern_elem_offset"):
            self.a[name] = np.concatenate(([0], self.a[name])).astype(np.int64)
        self.stop_lat = self.a["stop_lat"].astype(np.float64)
        self.stop_lon = self.a["stop_lon"].astype(np.float64)
        self.stop_rail = self.a["stop_rail"].astype(bool)
        self._by_lat = np.argsort(self.stop_lat, kind="stable").astype(np.int32)
        self._lat_sorted = self.stop_lat[self._by_lat]
        self.min_transfer_seconds = min_transfer_seconds
        self._layout()
        self._views: OrderedDict[tuple[bytes, bool], DayView] = OrderedDict()
        self._around: dict[int, tuple[list[npt.NDArray[np.bool_]], bytes]] = {}
        self._whole: DayView | None = None
        self._whole_backwards: DayView | None = None

    @cached_property
    def edges(self) -> tuple[IntArray, IntArray, IntArray]:
        """The footpaths (:meth:`_footpaths`), worked out when a search first needs them:
        a plan whose answers are all kept (:mod:`.kept`) never does."""
        return self._footpaths()

    @property
    def stops(self) -> int:
        return len(self.stop_lat)

    def stops_within(
        self, lat: float, lon: float, km: float
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """The stops within ``km`` (straight line) of a point, and their distances: those
        of the latitude band first (a binary search), then the exact distance."""
        band = km / 111.0
        lo, hi = np.searchsorted(self._lat_sorted, (lat - band, lat + band))
        near = self._by_lat[lo:hi]
        distance = distances_km(self.stop_lat[near], self.stop_lon[near], lat, lon)
        close = distance <= km
        return near[close].astype(np.int32), distance[close]

    def _layout(self) -> None:
        """Per position: its stop and pattern; per element: its position and trip."""
        a = self.a
        lengths = np.diff(a["pattern_stop_offset"])
        trips = np.diff(a["pattern_trip_offset"])
        patterns = len(lengths)
        self.pos_pattern = np.repeat(np.arange(patterns, dtype=np.int32), lengths)
        self.pos_stop = a["pattern_stops"].astype(np.int32)
        self.pos_trips = np.repeat(trips, lengths)
        positions = len(self.pos_stop)
        self.elem_pos = np.repeat(np.arange(positions, dtype=np.int32), self.pos_trips)
        self.elem_trip = a["elem_trip"].astype(np.int32)
        self.trip_route = np.repeat(a["pattern_route"], trips).astype(np.int32)

    def _footpaths(self) -> tuple[IntArray, IntArray, IntArray]:
        """Walks between stops: (from, to, seconds), including each stop to itself (the
        minimum transfer time), with transfers.txt's own times and its forbidden pairs."""
        lat, lon = self.stop_lat, self.stop_lon
        n = len(lat)
        origins: list[IntArray] = [np.arange(n, dtype=np.int32)]
        targets: list[IntArray] = [np.arange(n, dtype=np.int32)]
        # Near stops: each stop against the stops of its cell and the eight around it
        # (cells FOOTPATH_KM wide), found in the stops sorted by cell.
        cell_lat = FOOTPATH_KM / 111.2
        cell_lon = cell_lat / max(0.2, math.cos(math.radians(float(np.mean(lat))) if n else 1.0))
        cy = np.floor(lat / cell_lat).astype(np.int64)
        cx = np.floor(lon / cell_lon).astype(np.int64)
        width = int(cx.max() - cx.min()) + 3 if n else 1
        key = (cy - (cy.min() if n else 0) + 1) * width + (cx - (cx.min() if n else 0) + 1)
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        everyone = np.arange(n, dtype=np.int64)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                wanted = key + dy * width + dx
                lo = np.searchsorted(sorted_keys, wanted, side="left")
                hi = np.searchsorted(sorted_keys, wanted, side="right")
                bounds = np.empty(2 * n + 1, dtype=np.int64)
                # ranges() over pairs (lo, hi): offsets laid out as lo0, hi0, lo1, hi1, ...
                bounds[0 : 2 * n : 2], bounds[1 : 2 * n : 2] = lo, hi
                bounds[2 * n] = 0
                found = ranges(bounds, 2 * everyone)
                here = np.repeat(everyone, hi - lo)
                there = order[found]
                d = _pair_km(lat[here], lon[here], lat[there], lon[there])
                close = (d <= FOOTPATH_KM) & (here != there)
                origins.append(here[close].astype(np.int32))
                targets.append(there[close].astype(np.int32))
        # Stops of one station: the platforms and the station itself.
        parent = self.a["stop_parent"]
        child = np.flatnonzero(parent >= 0)
        groups: dict[int, list[int]] = {}
        for c in child.tolist():
            groups.setdefault(int(parent[c]), [int(parent[c])]).append(c)
        for group in groups.values():
            g = np.array(group, dtype=np.int32)
            origins.append(np.repeat(g, len(g)))
            targets.append(np.tile(g, len(g)))
        frm = np.concatenate(origins)
        to = np.concatenate(targets)
        km = _pair_km(lat[frm], lon[frm], lat[to], lon[to])
        seconds = np.maximum(walk_seconds(km), self.min_transfer_seconds).astype(np.int32)
        # transfers.txt has the last word on its pairs.
        t_from, t_to = self.a["transfer_from"], self.a["transfer_to"]
        t_type, t_secs = self.a["transfer_type"], self.a["transfer_seconds"]
        t_km = _pair_km(lat[t_from], lon[t_from], lat[t_to], lon[t_to])
        t_walk = walk_seconds(t_km)
        given = np.where(
            t_type == 2,
            t_secs,
            np.where(t_type == 1, t_walk, np.maximum(t_walk, self.min_transfer_seconds)),
        ).astype(np.int32)
        frm = np.concatenate((frm, t_from)).astype(np.int64)
        to = np.concatenate((to, t_to)).astype(np.int64)
        seconds = np.concatenate((seconds, given))
        explicit = np.concatenate((np.zeros(len(km), bool), np.ones(len(t_from), bool)))
        forbidden = np.concatenate((np.zeros(len(km), bool), t_type == 3))
        pair = frm * n + to
        order = np.lexsort((~explicit, pair))  # per pair, the explicit one first
        pair, seconds, forbidden = pair[order], seconds[order], forbidden[order]
        first = np.ones(len(pair), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        keep = first & ~forbidden
        return (
            (pair[keep] // max(n, 1)).astype(np.int32),
            (pair[keep] % max(n, 1)).astype(np.int32),
            seconds[keep].astype(np.int32),
        )

    def active_services(self, day: date) -> npt.NDArray[np.bool_]:
        """Which services run on ``day``: calendar.txt, then calendar_dates.txt's
        removals (holidays) and additions."""
        a = self.a
        ordinal = day.toordinal()
        active = (
            (a["service_start"] <= ordinal)
            & (ordinal <= a["service_end"])
            & ((a["service_weekdays"] >> day.weekday()) & 1).astype(bool)
        )
        today = a["exception_day"] == ordinal
        active[a["exception_service"][today & ~a["exception_added"]]] = False
        active[a["exception_service"][today & a["exception_added"]]] = True
        return np.asarray(active)

    def view(self, day: date, backwards: bool = False) -> DayView:
        """The network as it runs on ``day`` (see :class:`DayView`).

        Every pattern is laid out once (:meth:`_timetable`), with a copy of its trips
        past midnight shifted a day back and of its trips before 06:00 shifted a day
        on; a day only switches patterns on or off by their services that day, the day
        before and the day after. Kept for the last few sets of services asked.
        """
        runs, which = self._running_around(day.toordinal())
        key = (which, backwards)
        found = self._views.get(key)
        if found is not None:
            self._views.move_to_end(key)
            return found
        whole = self._timetable(backwards)
        active = np.zeros(len(whole.vpat_service), dtype=bool)
        for shift, services in zip((-1, 0, 1), runs, strict=True):
            kind = whole.vpat_shift == shift
            active[kind] = services[whole.vpat_service[kind]]
        pos_active = active[whole.pos_vpat]
        # The positions at each stop, of running patterns only: what a search asks.
        running = np.flatnonzero(pos_active)
        by_stop = running[np.argsort(whole.pos_stop[running], kind="stable")]
        found = replace(
            whole,
            pos_active=pos_active,
            stop_positions=by_stop.astype(np.int64),
            stop_offset=_offsets(np.bincount(whole.pos_stop[running], minlength=self.stops)),
        )
        self._views[key] = found
        while len(self._views) > VIEWS_KEPT:
            self._views.popitem(last=False)
        return found

    def _running_around(self, ordinal: int) -> tuple[list[npt.NDArray[np.bool_]], bytes]:
        """The services running the day before, the day and the day after, and the same
        as bytes (what views are kept by): worked out once per day, as every search of
        a plan asks for its day's view."""
        found = self._around.get(ordinal)
        if found is None:
            runs = [self.active_services(date.fromordinal(ordinal + shift)) for shift in (-1, 0, 1)]
            found = self._around[ordinal] = (
                runs,
                b"|".join(np.packbits(r).tobytes() for r in runs),
            )
        return found

    def _timetable(self, backwards: bool) -> DayView:
        """Every pattern, with its night copies, forwards or backwards (made once)."""
        if self._whole is None:
            self._whole = self._lay_out()
        if backwards:
            if self._whole_backwards is None:
                self._whole_backwards = self._whole.reversed()
            return self._whole_backwards
        return self._whole

    def _lay_out(self) -> DayView:
        a = self.a
        pattern_service = a["trip_service"][a["pattern_trip_offset"][:-1]].astype(np.int32)
        night: tuple[npt.NDArray[np.int64] | slice, ...] = (
            # The few elements of trips running past midnight or before 06:00: the only
            # ones the previous and next service days add to a day; all for the day.
            np.flatnonzero(a["trip_last"][self.elem_trip] >= DAY),
            slice(None),
            np.flatnonzero(a["trip_first"][self.elem_trip] < EARLY_HOURS),
        )
        blocks: list[tuple[npt.NDArray[Any], ...]] = []
        vpat_base = 0
        for shift, elem_keep in zip((-1, 0, 1), night, strict=True):
            if not len(self.elem_trip[elem_keep]):
                continue
            per_pos = np.bincount(self.elem_pos[elem_keep], minlength=len(self.pos_stop))
            pos_keep = per_pos > 0
            patterns, vpat = np.unique(self.pos_pattern[pos_keep], return_inverse=True)
            blocks.append(
                (
                    self.pos_stop[pos_keep],
                    (vpat + vpat_base).astype(np.int32),
                    per_pos[pos_keep].astype(np.int64),
                    _shifted(a["elem_dep"][elem_keep], shift),
                    _shifted(a["elem_arr"][elem_keep], shift),
                    self.elem_trip[elem_keep],
                    pattern_service[patterns],
                    np.full(len(patterns), shift, dtype=np.int8),
                )
            )
            vpat_base += len(patterns)
        if not blocks:
            empty = np.zeros(0, dtype=np.int32)
            return DayView.build(
                empty, empty, np.zeros(0, np.int64), empty, empty, empty, self.edges,
                self.stops, empty, np.zeros(0, np.int8),
            )  # fmt: skip
        columns = [np.concatenate(parts) for parts in zip(*blocks, strict=True)]
        return DayView.build(
            columns[0].astype(np.int32, copy=False),
            columns[1].astype(np.int32, copy=False),
            columns[2].astype(np.int64, copy=False),
            columns[3].astype(np.int32, copy=False),
            columns[4].astype(np.int32, copy=False),
            columns[5].astype(np.int32, copy=False),
            self.edges,
            self.stops,
            columns[6].astype(np.int32, copy=False),
            columns[7].astype(np.int8, copy=False),
        )


def _shifted(times: IntArray, days: int) -> IntArray:
    """Times moved by whole days (the night copies), without a copy for none."""
    return (times + np.int32(days * DAY)).astype(np.int32, copy=False) if days else times


def _pair_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> npt.NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))))


def _arrivals_rise(
    pos_vpat: IntArray,
    seg_start: npt.NDArray[np.int64],
    seg_len: npt.NDArray[np.int64],
    arr: IntArray,
) -> bool:
    """Whether every trip's arrivals rise along it; False (no shortcut taken) where the
    compiled rounds, the only ones to use it, cannot run."""
    if not compiled_available():
        return False
    from planner.core.travel.transit.compiled import arrivals_rise  # numba: ~0.3 s

    return bool(arrivals_rise(pos_vpat, seg_start, seg_len, arr))


@cache
def compiled_available() -> bool:
    """Whether the compiled rounds (:mod:`.compiled`, numba) can run here.

    pip installs numba with planner, and its machine code is kept after the first run. The
    bundled app leaves numba out (packaging/pyinstaller/planner.spec): with no source file
    to keep the code beside, it would compile for several seconds on every start, longer
    than the numpy rounds take for a week of ordinary size. Every answer is the same
    either way (tests/transit/test_compiled.py)."""
    return importlib.util.find_spec("numba") is not None
