"""RAPTOR (Delling, Pajor & Werneck, "Round-Based Public Transit Routing", 2012) over a
:class:`~.network.DayView`: :func:`search` runs the rounds compiled (:mod:`.compiled`),
:func:`search_vectorised` as a handful of numpy operations each (the reference the
compiled rounds are tested against: the same labels, bit for bit).

Round ``k`` finds the earliest arrival at every stop with ``k`` rides. In each round,
every position whose stop was reached (and improved) in the round before asks for the
first trip of its pattern leaving after it can board there: a binary search within
that hour's departures, for all positions at once (:func:`_first_departure`). A rider
boarded at an earlier stop of a pattern rides the earliest trip boarded before each
later stop: a prefix minimum per pattern (patterns never overtake, so the first trip
is first everywhere). Arrivals then spread along footpaths (the walks and minimum
transfer times of :mod:`.network`).

A search is *one-to-all*: it keeps, for every round, every stop's arrival and how it
was reached, so one search from "the office at 17:00" answers every venue
(:class:`SearchResult`), and the backward search of a latest departure is the same
search on the reversed view. (Pruned by least times to one destination, it answers
only that one: see :func:`search`.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from planner.core.travel.transit.network import INF, DayView, compiled_available, ranges

MAX_ROUNDS = 8
"""Rides in one journey at most (seven transfers), far beyond what anyone would take."""
_NONE = np.int64(1) << 40


@dataclass(frozen=True)
class Segment:
    """One part of a found journey, in the direction of the search."""

    kind: str
    """"ride", "walk" (between stops) or "access" (from the start to the first stop)."""
    from_stop: int
    to_stop: int
    start: int
    end: int
    trip: int = -1


@dataclass
class SearchResult:
    """Every stop's arrival by round, and how it was reached (for tracing a journey)."""

    view: DayView
    sources: dict[int, int]
    """Stop → the time the rider can board there in round 1 (after the access leg)."""
    arrival: list[npt.NDArray[np.int32]]
    """Per round (from 1): arrival at each stop by a ride of that round, INF if not improved."""
    alight: list[npt.NDArray[np.int32]]
    board_rank: list[npt.NDArray[np.int32]]
    ready: list[npt.NDArray[np.int32]]
    """Per round (from 0): when a rider can board at each stop, INF if not improved."""
    ready_from: list[npt.NDArray[np.int32]]
    bound: int = INF
    """Every arrival before this is the earliest there is (later ones were not followed)."""
    table: npt.NDArray[np.int32] | None = None
    """:attr:`arrival` as one [rounds, stops] array, when the search made one (the
    compiled rounds): :meth:`best` reads every round at once from it."""

    def answers(self, time: int, limit: int) -> bool:
        """Whether a best ``time`` found here is the true one (see :attr:`bound`)."""
        return time < self.bound or self.bound > limit

    def best(
        self, targets: npt.NDArray[np.int32], extra: npt.NDArray[np.int32]
    ) -> tuple[int, int, int]:
        """(time, round, stop): the earliest time at the end of ``extra`` seconds from one
        of ``targets``; ties go to fewer rides. (INF, 0, -1) when none is reached."""
        if not self.arrival or not len(targets):
            return (INF, 0, -1)
        table = self.table if self.table is not None else np.stack(self.arrival)
        times = table[:, targets].astype(np.int64) + extra
        # The first least in round order: the fewest rides, then the first target.
        k, i = divmod(int(np.argmin(times)), len(targets))
        time = int(times[k, i])
        return (time, k + 1, int(targets[i])) if time < INF else (INF, 0, -1)

    def trace(self, rounds: int, stop: int) -> list[Segment]:
        """The segments of the journey ending with a ride of round ``rounds`` at ``stop``,
        first segment first (an "access" segment, then rides and walks)."""
        view = self.view
        segments: list[Segment] = []
        k, s = rounds, stop
        while k >= 1:
            p = int(self.alight[k - 1][s])
            r = int(self.board_rank[k - 1][s])
            first = int(view.vpat_first[view.pos_vpat[p]])
            ready = self.ready[k - 1]
            board = p - 1
            for i in range(p - 1, first - 1, -1):
                if ready[view.pos_stop[i]] <= view.dep[view.seg_start[i] + r]:
                    board = i
                    break
            b = int(view.pos_stop[board])
            leave = int(view.dep[view.seg_start[board] + r])
            reach = int(view.arr[view.seg_start[p] + r])
            segments.append(
                Segment("ride", b, s, leave, reach, int(view.elem_trip[view.seg_start[p] + r]))
            )
            if k == 1:
                segments.append(Segment("access", -1, b, self.sources[b], leave))
                break
            previous = int(self.ready_from[k - 1][b])
            if previous != b:
                start = int(self.arrival[k - 2][previous])
                segments.append(Segment("walk", previous, b, start, int(ready[b])))
            s = previous
            k -= 1
        segments.reverse()
        return segments


def search(
    view: DayView,
    stops: npt.NDArray[np.int32],
    times: npt.NDArray[np.int32],
    limit: int,
    targets: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None = None,
    lower: npt.NDArray[np.int64] | None = None,
) -> SearchResult:
    """Earliest arrival from ``stops`` (reached at ``times``) at every stop, up to ``limit``.

    With ``targets`` (stops and the seconds from each to the destination), arrivals no
    earlier than the best known at the destination are not followed (RAPTOR's target
    pruning): the result's :attr:`SearchResult.bound` says up to when it holds for
    every stop, so it can still answer other destinations reached before then.

    The rounds run compiled (:func:`.compiled.rounds`, ~2 ms on GO + TTC where
    :func:`search_vectorised` takes ~7 ms); the labels are the same.

    ``lower`` (per stop, a least time from it to the destination: see
    :func:`.compiled.least_seconds_to`) prunes further: the answer for ``targets`` is
    the same, but the other stops' labels are no longer all the earliest (do not ask
    the result about another destination).
    """
    if not compiled_available():
        # Without numba (the bundled app: see its definition) the numpy rounds give the
        # same labels; ``lower`` only prunes, so the answer for ``targets`` is the same.
        return search_vectorised(view, stops, times, limit, targets)
    from planner.core.travel.transit.compiled import rounds

    n = view.n_stops
    ready = np.full(n, INF, dtype=np.int32)
    np.minimum.at(ready, stops, times)
    sources = {int(s): int(ready[s]) for s in stops}
    if targets is None or not len(targets[0]):
        target_stops, target_extra = np.zeros(0, np.int32), np.zeros(0, np.int64)
    else:
        target_stops = targets[0].astype(np.int32)
        target_extra = targets[1].astype(np.int64)
    arrival, alight, board_rank, ready_k, ready_from, kept, bound = rounds(
        ready, int(limit), target_stops, target_extra,
        np.zeros(n, np.int64) if lower is None else lower, view.arrivals_rise, MAX_ROUNDS, INF,
        view.pos_stop, view.pos_vpat, view.vpat_end, view.seg_start, view.seg_len,
        view.pos_first_dep, view.pos_last_dep, int(view.hour_base), view.hour_rank,
        view.stop_offset, view.stop_positions, view.dep, view.arr,
        view.edge_offset, view.edge_to, view.edge_seconds,
    )  # fmt: skip
    return SearchResult(
        view,
        sources,
        [arrival[k] for k in range(kept)],
        [alight[k] for k in range(kept)],
        [board_rank[k] for k in range(kept)],
        [ready, *(ready_k[k] for k in range(kept))],
        [np.arange(n, dtype=np.int32), *(ready_from[k] for k in range(kept))],
        int(bound),
        arrival[:kept],
    )


def search_vectorised(
    view: DayView,
    stops: npt.NDArray[np.int32],
    times: npt.NDArray[np.int32],
    limit: int,
    targets: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]] | None = None,
) -> SearchResult:
    """:func:`search` as numpy operations over all the positions of a round: the
    reference the compiled rounds are tested against (the same labels, bit for bit)."""
    n = view.n_stops
    ready = np.full(n, INF, dtype=np.int32)
    np.minimum.at(ready, stops, times)
    sources = {int(s): int(ready[s]) for s in stops}
    best_arrival = np.full(n, INF, dtype=np.int32)
    best_ready = ready.copy()
    result = SearchResult(view, sources, [], [], [], [ready.copy()], [np.arange(n, dtype=np.int32)])
    bound = limit + 1
    if not len(view.pos_stop):
        result.bound = bound
        return result
    weights = view.vpat_weight
    for _ in range(MAX_ROUNDS):
        marked = np.flatnonzero(ready < bound)
        asked = ranges(view.stop_offset, marked)
        if not len(asked):
            break
        asked = view.stop_positions[asked]
        at_stop = ready[view.pos_stop[asked]]
        # (The view's positions by stop are those of the patterns running that day.)
        keep = (at_stop <= view.pos_last_dep[asked]) & (view.pos_first_dep[asked] < bound)
        asked = np.sort(asked[keep])
        if not len(asked):
            break
        # The positions to scan: from each pattern's first asked position to its end.
        vpats = view.pos_vpat[asked]
        opens = np.ones(len(asked), dtype=bool)
        opens[1:] = vpats[1:] != vpats[:-1]
        starts = asked[opens]
        lengths = view.vpat_end[vpats[opens]] - starts
        offsets = np.cumsum(lengths) - lengths
        scan = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        asked_at = ready[view.pos_stop[scan]]
        q = asked_at
        can = np.flatnonzero(q < bound)
        at = scan[can]
        rank = _first_departure(view, at, q[can])
        boarded = np.full(len(scan) + 1, _NONE, dtype=np.int64)
        # Shifted by one: a trip boarded at a position is ridden from the next one on.
        boarded[can + 1] = np.where(rank < view.seg_len[at], rank, _NONE)
        before = boarded[:-1]
        before[offsets] = _NONE
        weight = weights[scan]
        trip = np.minimum.accumulate(before + weight) - weight
        ridden = np.flatnonzero(trip < _NONE)
        if not len(ridden):
            break
        rides = scan[ridden]
        rank_there = trip[ridden]
        reach = view.arr[view.seg_start[rides] + rank_there]
        stop_there = view.pos_stop[rides]
        arrival = np.full(n, INF, dtype=np.int32)
        np.minimum.at(arrival, stop_there, reach)
        improved = (arrival < best_arrival) & (arrival < bound)
        winners = improved[stop_there] & (reach == arrival[stop_there])
        alight = np.zeros(n, dtype=np.int32)
        board_rank = np.zeros(n, dtype=np.int32)
        alight[stop_there[winners]] = rides[winners]
        board_rank[stop_there[winners]] = rank_there[winners]
        arrival = np.where(improved, arrival, INF).astype(np.int32)
        best_arrival = np.minimum(best_arrival, arrival)
        if targets is not None and len(targets[0]):
            bound = min(bound, int((arrival[targets[0]].astype(np.int64) + targets[1]).min()))
        # Footpaths (and the transfer time at the same stop) from the improved stops.
        walks = ranges(view.edge_offset, np.flatnonzero(improved))
        frm, to = view.edge_from[walks], view.edge_to[walks]
        then = arrival[frm] + view.edge_seconds[walks]
        ready = np.full(n, INF, dtype=np.int32)
        np.minimum.at(ready, to, then)
        ready_from = np.zeros(n, dtype=np.int32)
        won = then == ready[to]
        ready_from[to[won]] = frm[won]
        better = (ready < best_ready) & (ready < bound)
        ready = np.where(better, ready, INF).astype(np.int32)
        best_ready = np.minimum(best_ready, ready)
        result.arrival.append(arrival)
        result.alight.append(alight)
        result.board_rank.append(board_rank)
        result.ready.append(ready)
        result.ready_from.append(ready_from)
        if not better.any():
            break
    result.bound = bound
    return result


def _first_departure(
    view: DayView, positions: npt.NDArray[np.int64], times: npt.NDArray[np.int32]
) -> npt.NDArray[np.int64]:
    """For each position, the rank of its first trip leaving at ``times`` or later (the
    segment's length when none does).

    The view's hour index narrows each search to the departures of one hour (a dozen
    at most, even for a subway), then a binary search runs in all of them at once. (A
    global ``searchsorted`` over the millions of times was six times slower, for its
    cache misses.)
    """
    hours = view.hour_rank.shape[1] - 1
    hour = np.clip((times - view.hour_base) // 3600, 0, hours - 1)
    lo = view.hour_rank[positions, hour].astype(np.int64)
    hi = view.hour_rank[positions, hour + 1].astype(np.int64)
    start = view.seg_start[positions]
    dep = view.dep
    open_ = np.flatnonzero(lo < hi)
    while len(open_):
        low, high = lo[open_], hi[open_]
        mid = (low + high) >> 1
        early = dep[start[open_] + mid] < times[open_]
        lo[open_] = np.where(early, mid + 1, low)
        hi[open_] = np.where(early, high, mid)
        open_ = open_[lo[open_] < hi[open_]]
    return lo
