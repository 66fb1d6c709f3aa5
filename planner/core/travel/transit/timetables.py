"""The timetables planner routes on: :class:`Timetables` (loading feeds, the three
questions a plan asks), :class:`Journey` (the answer) and :class:`FeedInfo`.

Repeated questions are what a plan asks (~4,000 for 1,000 candidates), and a search
(:mod:`.raptor`) is remembered (the last :data:`SEARCH_MEMO`) by where it starts and
when: every stop's arrival, up to the bound where it stopped for its destination. So
the questions that share a start are cheap after the first few:

- ``earliest_arrival(office, venue, 17:00)`` for 1,000 venues: a handful of searches
  (each new one only when a venue is reached later than any asked before);
- ``latest_departure(venue, home, 22:00)`` ("home by 22:00") from 1,000 venues: a
  handful of backward searches from home;
- ``earliest_arrival(venue, home, end of the event)`` or ``latest_departure(office,
  venue, start of the event)`` differ per venue: one search each, ~1.5 ms for GO + TTC
  (compiled rounds, :mod:`.compiled`; and as these ask the same few destinations, the
  searches are pruned by the least times to them, :meth:`Timetables._least_seconds`).

And every answer is remembered (the last :data:`ANSWER_MEMO`): a re-plan in the window
asks the same questions again.
"""

from __future__ import annotations

import logging
import math
import threading
import weakref
import zoneinfo
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from planner.core.logs import log_failure
from planner.core.model import Leg, Problem, Severity, TravelMode
from planner.core.travel.estimate import distance_km, free_flow_minutes
from planner.core.travel.geocode_cache import default_cache_path
from planner.core.travel.transit.compact import CompactFeed, file_fingerprint, load_or_build
from planner.core.travel.transit.gtfs import FeedError
from planner.core.travel.transit.journey import Journey, from_text, to_text
from planner.core.travel.transit.kept import KeptJourneys, routing_stamp
from planner.core.travel.transit.network import (
    INF,
    WALK_CIRCUITY,
    DayView,
    Network,
    compiled_available,
    walk_seconds,
)
from planner.core.travel.transit.raptor import SearchResult, Segment, search

Access = Literal["walk", "drive"]

MAX_WALK_KM = 1.2
"""The longest walk to or from a stop (along streets: straight line × circuity)."""
MAX_DIRECT_WALK_KM = 3.0
"""The longest walk offered instead of transit, when it is quicker (about 37 min)."""
MAX_DRIVE_KM = 15.0
"""Park-and-ride: rail stops (route_type 2) this close (straight line) may be driven to."""
MORNING_HOUR = 4
"""A day's searches end at 04:00 the next morning, and start at 04:00."""
SEARCH_MEMO = 48
"""Searches remembered (each up to ~1.3 MB for 10,000 stops: eight rounds of labels)."""
ANSWER_MEMO = 20_000
"""Answers remembered (a journey is 1-2 kB): a week's plan asks ~5,000."""
HORIZONS = ((1, 1500), (1, 3600), (2, 1800))
"""How far a search to a destination with known least times goes first, in turn until
its answer is found by then: (factor, slack) for the least time from its start times
``factor`` plus ``slack`` seconds; then all the way. Of a plan's searches (GO + TTC
size, bench_transit_plan.py) a third find their answer within 25 minutes of the least
time, 85% within an hour, 97% within twice it and half an hour; a search that goes only
so far scans a fraction of the timetable, and a failed one costs less than the longer
ones it spares the others: half the positions scanned in all (README, "How transit time
is computed"). One first horizon of an hour scanned as few there, one of 45 minutes a
quarter more: steps are the safer bet on other timetables."""
LOWER_MEMO = 64
"""Destinations whose least times are remembered (80 kB each for 10,000 stops)."""
REACH_MEMO = 4096
"""Points whose nearby stops are remembered."""

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedInfo:
    """One loaded feed, as the timetables dialog lists it."""

    path: Path
    agencies: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    size_bytes: int
    stops: int
    trips: int


class Timetables:
    """GTFS feeds loaded together, answering door-to-door questions. Thread-safe."""

    def __init__(
        self,
        feeds: list[tuple[Path, CompactFeed]],
        min_transfer_minutes: int = 2,
        *,
        keep_in: Path | None = None,
    ) -> None:
        """``keep_in``: the cache folder whose ``transit`` folder keeps every answer for
        the next run (:mod:`.kept`); None keeps them only in memory."""
        self.network = Network([c for _, c in feeds], min_transfer_minutes * 60)
        self.feeds = tuple(_info(path, compact) for path, compact in feeds)
        zone_name = next((c.meta["timezone"] for _, c in feeds if c.meta["timezone"]), "")
        try:
            self.zone: tzinfo = zoneinfo.ZoneInfo(zone_name) if zone_name else _local_zone()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone = _local_zone()
        self._kept: KeptJourneys | None = None
        if keep_in is not None and feeds:
            stamp = routing_stamp(
                [c.meta.get("sha256", "") for _, c in feeds],
                min_transfer_minutes,
                zone=repr(self.zone),  # (without agency_timezone, this machine's offset)
            )
            self._kept = KeptJourneys(keep_in / "transit", stamp)
            weakref.finalize(self, self._kept.close)  # what is pending, when done with
        self._memo: OrderedDict[tuple[object, ...], SearchResult] = OrderedDict()
        self._answers: OrderedDict[tuple[object, ...], Journey | None] = OrderedDict()
        self._reached: OrderedDict[
            tuple[tuple[float, float], str],
            tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.bool_]],
        ] = OrderedDict()
        self._lower: OrderedDict[tuple[object, ...], npt.NDArray[np.int64] | None] = OrderedDict()
        self._hops: dict[
            bool, tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64]] | None
        ] = {}
        self._lock = threading.RLock()

    @classmethod
    def load(
        cls, paths: Sequence[Path], *, cache_dir: Path, min_transfer_minutes: int = 2
    ) -> tuple[Timetables, list[Problem]]:
        """The feeds at ``paths`` (each from its compact copy in ``cache_dir`` when it did
        not change); a feed that cannot be read is a Problem, and the others still load."""
        problems: list[Problem] = []
        loaded: list[tuple[Path, CompactFeed]] = []
        for path in paths:
            path = Path(path)
            try:
                compact, found = load_or_build(path, cache_dir)
            except FeedError as exc:
                problems.append(exc.problem)
                continue
            except OSError as exc:
                problems.append(
                    Problem(
                        str(path), f"cannot read: {exc.strerror or exc}", severity=Severity.ERROR
                    )
                )
                continue
            except Exception as exc:  # A feed that trips a bug of ours costs that feed only.
                log_failure(_log, f"reading GTFS feed {path}", exc)
                problems.append(
                    Problem(str(path), f"cannot read this feed ({exc})", severity=Severity.ERROR)
                )
                continue
            problems += found
            loaded.append((path, compact))
        zones = [c.meta["timezone"] for _, c in loaded if c.meta["timezone"]]
        for path, compact in loaded:
            if zones and compact.meta["timezone"] not in ("", zones[0]):
                problems.append(
                    Problem(
                        str(path),
                        f"its times are in {compact.meta['timezone']}, read as {zones[0]} "
                        "(the first feed's zone)",
                    )
                )
        return cls(loaded, min_transfer_minutes, keep_in=cache_dir), problems

    def warm_up(self, days: Sequence[date]) -> None:
        """Lay out the network as it runs on ``days``, both ways, and load the compiled
        rounds: what the first question of a plan would otherwise wait for (~1.5 s for
        GO + TTC), so a caller can do it beforehand, on another thread, while it reads
        the calendars (:func:`planner.core.travel.by_timetable.warm_up_in_background`)."""
        if not days:
            return
        if self._kept is not None and self._kept.knows_days(d.toordinal() for d in days):
            return  # a week planned before: its answers are kept, laid out only if missed
        with self._lock:
            forward = self.network.view(days[0], False)

            def compile_forward() -> None:
                # (Loading the compiled code, ~0.5 s, while the other way is laid out.)
                search(forward, np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
                self._hops[False] = _reversed_edges(forward)

            helper = threading.Thread(target=compile_forward, name="timetables warm-up")
            helper.start()
            try:
                for day in days:
                    backward = self.network.view(day, True)
                    self.network.view(day, False)
                self._hops[True] = _reversed_edges(backward)
            finally:
                helper.join()

    # Where the stops are --------------------------------------------------------------

    def covers(self, lat: float, lon: float) -> bool:
        """Whether a stop is within walking reach of the point (the stops remembered, as
        the question that follows asks for them: a plan asks this ~4,000 times)."""
        return bool(len(self._reach((lat, lon), "walk")[0]))

    def _walkable(
        self, lat: float, lon: float
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        stops, km = self.network.stops_within(lat, lon, MAX_WALK_KM / WALK_CIRCUITY)
        return stops, walk_seconds(km).astype(np.int32)

    def _reach(
        self, point: tuple[float, float], how: Access
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.bool_]]:
        """Stops reachable from (or to) a point: their indices, seconds, and whether by
        car. Remembered for the last few thousand points (a plan asks from home often)."""
        key = (point, how)
        with self._lock:
            found = self._reached.get(key)
        if found is not None:
            return found
        stops, seconds = self._walkable(*point)
        driven = np.zeros(len(stops), dtype=bool)
        if how == "drive":
            net = self.network
            near, km = net.stops_within(point[0], point[1], MAX_DRIVE_KM)
            rail = net.stop_rail[near]
            near, km = near[rail], km[rail]
            drive = np.array(
                [math.ceil(free_flow_minutes(float(k), TravelMode.DRIVE) * 60) for k in km],
                dtype=np.int32,
            )
            stops = np.concatenate((stops, near)).astype(np.int32)
            seconds = np.concatenate((seconds, drive)).astype(np.int32)
            driven = np.concatenate((driven, np.ones(len(near), dtype=bool)))
            order = np.lexsort((seconds, stops))
            stops, seconds, driven = stops[order], seconds[order], driven[order]
            first = np.ones(len(stops), dtype=bool)
            first[1:] = stops[1:] != stops[:-1]
            stops, seconds, driven = stops[first], seconds[first], driven[first]
        with self._lock:
            self._reached[key] = (stops, seconds, driven)
            while len(self._reached) > REACH_MEMO:
                self._reached.popitem(last=False)
        return stops, seconds, driven

    # The questions --------------------------------------------------------------------

    def earliest_arrival(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        depart: datetime,
        *,
        access: Access = "walk",
        egress: Access = "walk",
        names: tuple[str, str] = ("start", "destination"),
    ) -> Journey | None:
        """The journey arriving first, leaving ``depart`` or later (and as late as still
        arrives then). None when nothing gets there before 04:00 after the day of
        ``depart``; a direct walk when it is quicker.

        ``access="drive"`` drives from ``origin`` to a rail stop (park-and-ride);
        ``egress="drive"`` drives from the last stop to ``destination`` (the way home to
        the car). ``names`` name the two ends in the legs.
        """
        return self._answer_at(
            depart,
            ("earliest", origin, destination, access, egress, names),
            lambda: self._earliest(origin, destination, depart, access, egress, names),
        )

    def _earliest(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        depart: datetime,
        access: Access,
        egress: Access,
        names: tuple[str, str],
    ) -> Journey | None:
        zone = depart.tzinfo or self.zone
        local = self._local(depart)
        day = local.date()
        base = _day_start(day, self.zone)
        start = math.ceil(local.timestamp() - base)
        limit = int(_at_hour(day + timedelta(days=1), MORNING_HOUR, self.zone) - base)
        walk = self._direct_walk(origin, destination)
        best: tuple[int, int, list[Segment], dict[str, tuple[int, bool]]] | None = None
        a_stops, a_secs, a_drive = self._reach(origin, access)
        e_stops, e_secs, e_drive = self._reach(destination, egress)
        if len(a_stops) and len(e_stops):
            found, (time, rounds, stop) = self._search(
                day, False, (a_stops, start + a_secs), (e_stops, e_secs), limit
            )
            if rounds and time <= limit:
                segments = found.trace(rounds, stop)
                ends = {
                    "access": _pick(a_stops, a_secs, a_drive, segments[0].to_stop),
                    "egress": _pick(e_stops, e_secs, e_drive, stop),
                }
                best = (time, rounds, segments, ends)
        if walk is not None and start + walk <= limit and (best is None or start + walk <= best[0]):
            return self._walk_journey(base, start, start + walk, names, zone)
        if best is None:
            return None
        return self._journey(base, best[2], best[3], names, zone)

    def latest_departure(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        arrive_by: datetime,
        *,
        access: Access = "walk",
        egress: Access = "walk",
        names: tuple[str, str] = ("start", "destination"),
        need_ride: bool = False,
    ) -> Journey | None:
        """The journey leaving as late as possible that still arrives by ``arrive_by``
        (searching back to 04:00 that day); a direct walk when it leaves later. None when
        nothing arrives in time. ``need_ride`` leaves the direct walk out."""
        return self._answer_at(
            arrive_by,
            ("latest", origin, destination, access, egress, names, need_ride),
            lambda: self._latest_by(
                origin, destination, arrive_by, access, egress, names, need_ride
            ),
        )

    def _latest_by(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        arrive_by: datetime,
        access: Access,
        egress: Access,
        names: tuple[str, str],
        need_ride: bool,
    ) -> Journey | None:
        zone = arrive_by.tzinfo or self.zone
        local = self._local(arrive_by)
        day = local.date()
        if local.hour < MORNING_HOUR:
            day -= timedelta(days=1)
        by = int(local.timestamp() - _day_start(day, self.zone))
        return self._latest(origin, destination, day, by, access, egress, names, zone, need_ride)

    def last_departure(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        day: date,
        *,
        access: Access = "walk",
        egress: Access = "walk",
        names: tuple[str, str] = ("start", "destination"),
    ) -> Journey | None:
        """The last journey of ``day``'s service (arriving before 04:00 the next
        morning), riding at least once: "the last train to Whitby leaves Union at 23:55"."""
        base = _day_start(day, self.zone)
        end = int(_at_hour(day + timedelta(days=1), MORNING_HOUR, self.zone) - base)
        key = ("last", origin, destination, day, access, egress, names)
        return self._answer(
            key,
            lambda: self._latest(
                origin, destination, day, end, access, egress, names, self.zone, True
            ),
            day,
            self.zone,
        )

    def _local(self, when: datetime) -> datetime:
        """``when`` in the feeds' zone (a naive time is taken to be in it)."""
        return when.astimezone(self.zone) if when.tzinfo else when.replace(tzinfo=self.zone)

    def _answer_at(
        self,
        when: datetime,
        question: tuple[object, ...],
        compute: Callable[[], Journey | None],
    ) -> Journey | None:
        """:meth:`_answer` for a question asked at a moment: ``when`` goes into the key
        with its zone and fold (equal datetimes in two zones, or in the hour clocks go
        back twice, are different moments), and gives the day and the answer's zone."""
        return self._answer(
            (*question, when, when.tzinfo, when.fold),
            compute,
            self._local(when).date(),
            when.tzinfo or self.zone,
        )

    def _answer(
        self,
        key: tuple[object, ...],
        compute: Callable[[], Journey | None],
        day: date,
        zone: tzinfo,
    ) -> Journey | None:
        """The answer to a question asked before: in this process (the last
        :data:`ANSWER_MEMO`: a re-plan in the window asks the same thousands again), or
        in an earlier run (:mod:`.kept`: the week planned again); else computed, and
        kept. ``day`` is the transit day asked about, ``zone`` the question's."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
            text_key = repr(key)
            known, found = self._recall(text_key, zone)
            if not known:
                found = compute()
                if self._kept is not None:
                    self._kept.put(text_key, day.toordinal(), to_text(found))
            self._answers[key] = found
            while len(self._answers) > ANSWER_MEMO:
                self._answers.popitem(last=False)
            return found

    def _recall(self, text_key: str, zone: tzinfo) -> tuple[bool, Journey | None]:
        """(True, the answer) when kept by an earlier run; (False, None) otherwise, or
        when what was kept cannot be read (then it is searched again)."""
        kept = self._kept.get(text_key) if self._kept is not None else None
        if kept is None:
            return False, None
        try:
            return True, from_text(kept, zone)
        except (ValueError, TypeError, KeyError, OverflowError, OSError, RecursionError) as exc:
            # (A time beyond the clock's range, or JSON nested past the parser's depth.)
            _log.info("kept journey for %s unreadable (%s)", text_key, exc)
            return False, None

    def keep(self) -> None:
        """Write the answers not kept on disk yet (:mod:`.kept`; otherwise they are
        written in batches, and when the process ends)."""
        if self._kept is not None:
            self._kept.flush()

    def _latest(
        self,
        origin: tuple[float, float],
        destination: tuple[float, float],
        day: date,
        by: int,
        access: Access,
        egress: Access,
        names: tuple[str, str],
        zone: tzinfo,
        need_ride: bool,
    ) -> Journey | None:
        base = _day_start(day, self.zone)
        earliest = int(_at_hour(day, MORNING_HOUR, self.zone) - base)
        walk = None if need_ride else self._direct_walk(origin, destination)
        best = None
        a_stops, a_secs, a_drive = self._reach(origin, access)
        e_stops, e_secs, e_drive = self._reach(destination, egress)
        if len(a_stops) and len(e_stops):
            # Backwards: from the destination's stops, times negated.
            found, (time, rounds, stop) = self._search(
                day, True, (e_stops, -(by - e_secs)), (a_stops, a_secs), -earliest
            )
            if rounds and -time >= earliest:
                backwards = found.trace(rounds, stop)
                segments = [
                    Segment(
                        "egress" if s.kind == "access" else s.kind,
                        s.to_stop,
                        s.from_stop,
                        -s.end,
                        -s.start,
                        s.trip,
                    )
                    for s in reversed(backwards)
                ]
                ends = {
                    "access": _pick(a_stops, a_secs, a_drive, stop),
                    "egress": _pick(e_stops, e_secs, e_drive, segments[-1].from_stop),
                }
                best = (-time, segments, ends)
        if walk is not None and by - walk >= earliest and (best is None or by - walk >= best[0]):
            return self._walk_journey(base, by - walk, by, names, zone)
        if best is None:
            return None
        return self._journey(base, best[1], best[2], names, zone)

    # Helpers --------------------------------------------------------------------------

    def _direct_walk(self, a: tuple[float, float], b: tuple[float, float]) -> int | None:
        km = distance_km(a[0], a[1], b[0], b[1])
        return int(walk_seconds(km)) if km * WALK_CIRCUITY <= MAX_DIRECT_WALK_KM else None

    def _search(
        self,
        day: date,
        backwards: bool,
        sources: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]],
        targets: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]],
        limit: int,
    ) -> tuple[SearchResult, tuple[int, int, int]]:
        """The search from ``sources`` (stops, times) and the best (time, rounds, stop) at
        ``targets`` (stops, seconds to the destination).

        Remembered by where and when it starts: a search pruned for one destination
        still answers any other reached before its bound; otherwise it runs again for
        this one, and the result reaching further is kept.
        """
        stops, times = sources[0], sources[1].astype(np.int32)
        key = (day.toordinal(), backwards, stops.tobytes(), times.tobytes(), limit)
        for_target = (*key, targets[0].tobytes(), targets[1].tobytes())
        with self._lock:
            found = self._memo.get(key)
            if found is not None:
                self._memo.move_to_end(key)
                best = found.best(*targets)
                if found.answers(best[0], limit):
                    return found, best
            pruned = self._memo.get(for_target)
            if pruned is not None:
                self._memo.move_to_end(for_target)
                return pruned, pruned.best(*targets)
            view = self.network.view(day, backwards)
            lower = self._least_seconds(view, backwards, targets)
            fresh = None
            if lower is not None:
                # First only as far as each horizon: the answer, if found by then, is the
                # same journey as the whole search's (every label on it is earlier).
                start = int(times.min())
                least = int((times.astype(np.int64) + lower[stops]).min()) - start
                for factor, slack in HORIZONS:
                    horizon = start + factor * least + slack
                    if horizon >= limit:
                        break
                    fresh = search(view, stops, times, horizon, targets, lower)
                    if fresh.best(*targets)[0] <= horizon:
                        break
                    fresh = None
            if fresh is None:
                fresh = search(view, stops, times, limit, targets, lower)
            if lower is not None:
                self._memo[for_target] = fresh
            elif found is None or fresh.bound > found.bound:
                self._memo[key] = fresh
            while len(self._memo) > SEARCH_MEMO:
                self._memo.popitem(last=False)
            return fresh, fresh.best(*targets)

    def _least_seconds(
        self,
        view: DayView,
        backwards: bool,
        targets: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]],
    ) -> npt.NDArray[np.int64] | None:
        """Per stop, a least time from it to a destination asked before (None the first
        time: a destination asked once, such as a venue's last train home, is answered
        by the shared one-to-all searches instead).

        A plan asks the way home from every venue, and the way to every venue from home
        or the office: the same few destinations for ~1,000 searches. Their bounds (a
        Dijkstra over each hop's least time, ~3 ms) let those searches leave out the
        stops that cannot reach the destination before the best arrival found so far
        (:func:`.compiled.rounds`): the same journeys, for a third less time in the
        plan of bench_transit_plan.py (a third fewer positions scanned, a seventh of the
        boardings).
        """
        if not compiled_available():  # the bounds only prune the compiled rounds
            return None
        from planner.core.travel.transit.compiled import least_seconds_to  # numba: ~0.3 s

        key = (backwards, targets[0].tobytes(), targets[1].tobytes())
        if key not in self._lower:
            self._lower[key] = None
            return None
        found = self._lower[key]
        if found is None:
            graph = self._hops.get(backwards)
            if graph is None:
                graph = self._hops[backwards] = _reversed_edges(view)
            if graph is None:  # a trip going back in time: no bound holds
                return None
            found = least_seconds_to(
                view.n_stops, targets[0], targets[1].astype(np.int64), *graph, INF
            )
            self._lower[key] = found
        self._lower.move_to_end(key)
        while len(self._lower) > LOWER_MEMO:
            self._lower.popitem(last=False)
        return found

    def _walk_journey(
        self, base: float, start: int, end: int, names: tuple[str, str], zone: tzinfo
    ) -> Journey:
        leave, reach = _clock(base, start, zone), _clock(base, end, zone)
        return Journey(leave, reach, (Leg("walk", names[0], names[1], leave, reach),))

    def _journey(
        self,
        base: float,
        segments: list[Segment],
        ends: dict[str, tuple[int, bool]],
        names: tuple[str, str],
        zone: tzinfo,
    ) -> Journey:
        """Legs from the search's segments: the access leg ends when the first ride leaves
        and the egress leg starts when the last ride arrives (no waiting at either door)."""
        net = self.network
        rides = [s for s in segments if s.kind == "ride"]
        legs: list[Leg] = []
        access_secs, access_drive = ends["access"]
        first = rides[0]
        if access_secs > 0 or access_drive:
            legs.append(
                Leg(
                    "drive" if access_drive else "walk",
                    names[0],
                    net.stop_names[first.from_stop],
                    _clock(base, first.start - access_secs, zone),
                    _clock(base, first.start, zone),
                )
            )
        for s in segments:
            if s.kind == "ride":
                legs.append(
                    Leg(
                        "ride",
                        net.stop_names[s.from_stop],
                        net.stop_names[s.to_stop],
                        _clock(base, s.start, zone),
                        _clock(base, s.end, zone),
                        net.route_labels[int(net.trip_route[s.trip])],
                    )
                )
            elif s.kind == "walk" and s.from_stop != s.to_stop:
                km = distance_km(
                    float(net.stop_lat[s.from_stop]), float(net.stop_lon[s.from_stop]),
                    float(net.stop_lat[s.to_stop]), float(net.stop_lon[s.to_stop]),
                )  # fmt: skip
                # The walk starts on getting off (the wait, if any, is at the next stop).
                start = legs[-1].arrive.timestamp() - base if legs else s.start
                start = int(start)
                legs.append(
                    Leg(
                        "walk",
                        net.stop_names[s.from_stop],
                        net.stop_names[s.to_stop],
                        _clock(base, start, zone),
                        _clock(base, start + int(walk_seconds(km)), zone),
                    )
                )
        egress_secs, egress_drive = ends["egress"]
        last = rides[-1]
        if egress_secs > 0 or egress_drive:
            legs.append(
                Leg(
                    "drive" if egress_drive else "walk",
                    net.stop_names[last.to_stop],
                    names[1],
                    _clock(base, last.end, zone),
                    _clock(base, last.end + egress_secs, zone),
                )
            )
        return Journey(legs[0].depart, legs[-1].arrive, tuple(legs))


def _reversed_edges(
    view: DayView,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int64]] | None:
    """The hops (at their least time) and footpaths of a view, as the edges into each
    stop (offsets, from, seconds); None when a hop takes negative time, or a trip leaves a
    stop before it arrives there (the compiled rounds stop following a ride by these least
    times, which holds only when a trip's later stops are never earlier than the hops
    add up to)."""
    from planner.core.travel.transit.compiled import hop_seconds

    if bool((view.dep < view.arr).any()):
        return None

    frm, to, least = hop_seconds(
        view.pos_stop, view.pos_vpat, view.seg_start, view.seg_len, view.dep, view.arr
    )
    if len(least) and least[0] < 0:
        return None
    into = np.concatenate((to, view.edge_to))
    order = np.argsort(into, kind="stable")
    offsets = np.concatenate(([0], np.cumsum(np.bincount(into, minlength=view.n_stops))))
    sources = np.concatenate((frm, view.edge_from))[order].astype(np.int32)
    seconds = np.concatenate((least, view.edge_seconds.astype(np.int64)))[order]
    return offsets.astype(np.int64), sources, seconds


def _pick(
    stops: npt.NDArray[np.int32],
    seconds: npt.NDArray[np.int32],
    driven: npt.NDArray[np.bool_],
    stop: int,
) -> tuple[int, bool]:
    i = int(np.flatnonzero(stops == stop)[0])
    return int(seconds[i]), bool(driven[i])


def _info(path: Path, compact: CompactFeed) -> FeedInfo:
    meta = compact.meta
    valid_from = date.fromordinal(meta["valid_from"]) if meta["valid_from"] else None
    valid_until = date.fromordinal(meta["valid_until"]) if meta["valid_until"] else None
    return FeedInfo(
        path=path,
        agencies=tuple(meta["agencies"]),
        valid_from=valid_from,
        valid_until=valid_until,
        size_bytes=int(meta["size"]),
        stops=int(meta["stops"]),
        trips=int(meta["trips"]),
    )


def _local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _day_start(day: date, zone: tzinfo) -> float:
    """The start of GTFS service day ``day``: noon minus 12 hours (midnight, except on
    the days clocks change), as seconds since the epoch."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=zone).timestamp() - 43200


def _at_hour(day: date, hour: int, zone: tzinfo) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone).timestamp()


def _clock(base: float, seconds: int, zone: tzinfo) -> datetime:
    return datetime.fromtimestamp(base + seconds, tz=zone)


_shared: dict[tuple[object, ...], tuple[Timetables, list[Problem]]] = {}
_shared_lock = threading.Lock()


def default_cache_dir() -> Path:
    """planner's cache folder (``PLANNER_CACHE_DIR`` overrides it), where the compact
    forms go (in its ``transit`` folder), beside the geocoding cache."""
    return default_cache_path().parent


def timetables_for(
    paths: Sequence[Path], cache_dir: Path, *, min_transfer_minutes: int = 2
) -> tuple[Timetables, list[Problem]]:
    """One loaded :class:`Timetables` per process for these feed files, loaded again
    when one of them changes (its size or modification time) or the minimum transfer
    time does."""
    key: list[object] = [str(cache_dir), min_transfer_minutes]
    for path in paths:
        try:
            key.append((str(path), file_fingerprint(Path(path))))
        except OSError:
            key.append((str(path), None))
    frozen = tuple(key)
    with _shared_lock:
        found = _shared.get(frozen)
        if found is None:
            found = Timetables.load(
                [Path(p) for p in paths],
                cache_dir=cache_dir,
                min_transfer_minutes=min_transfer_minutes,
            )
            same_files = [k for k in _shared if _files(k) == _files(frozen)]
            for k in same_files:  # an older version of these files
                del _shared[k]
            _shared[frozen] = found
        return found[0], list(found[1])


def _files(key: tuple[object, ...]) -> tuple[object, ...]:
    """The cache folder and feed paths of a key, without their fingerprints."""
    return (key[0], *(entry[0] for entry in key[1:] if isinstance(entry, tuple)))


def forget_timetables() -> None:
    """Drop the shared timetables (tests that write feeds of their own)."""
    with _shared_lock:
        _shared.clear()
