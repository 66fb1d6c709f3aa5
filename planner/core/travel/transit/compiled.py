"""The RAPTOR rounds of :func:`.raptor.search` as one compiled loop (numba).

:func:`.raptor.search_vectorised` does a round in ~60 numpy operations over every
position it scans; on a GO + TTC size network that is ~7 ms a search, and a week of
1,000 candidates by transit asks ~1,450 searches. The same rounds written as plain
loops and compiled by numba touch each position once, with no temporary arrays: the
labels are the same, bit for bit, including which of equal arrivals is kept (the last in
position order, as numpy's fancy assignment keeps it), so a traced journey is the same.
tests/transit/test_compiled.py checks that on the hand-made feeds and on random small
timetables.

Compiled once per machine: numba keeps the machine code in its cache (the package's
``__pycache__``, else the user's cache folder), so a warm ``planner plan`` only loads it
(~0.5 s, on the warm-up thread: :meth:`.timetables.Timetables.warm_up`).
"""

from __future__ import annotations

import heapq
from pathlib import Path

import numba
import numpy as np
import numpy.typing as npt

_CACHE = Path(__file__).is_file()
"""numba keeps machine code beside a source file it can read: not in the bundled app
(packaging/), which compiles once per run instead (a few seconds, off the GUI thread)."""
_NONE = 1 << 40
"""No trip boarded (larger than any rank)."""


@numba.njit(cache=_CACHE, nogil=True)  # type: ignore[untyped-decorator]
def _first_departure(
    hour_rank: npt.NDArray[np.integer],
    hour_base: int,
    dep: npt.NDArray[np.int32],
    seg_start: npt.NDArray[np.int64],
    position: int,
    time: int,
) -> int:  # pragma: no cover (compiled: coverage cannot see it; tested through search)
    """The rank of the position's first trip leaving at ``time`` or later (its segment's
    length when none does): a binary search within that hour's departures."""
    hours = hour_rank.shape[1] - 1
    hour = (time - hour_base) // 3600
    if hour < 0:
        hour = 0
    if hour > hours - 1:
        hour = hours - 1
    # (As int64: numba would mix the index's unsigned ranks and ints into floats.)
    lo = np.int64(hour_rank[position, hour])
    hi = np.int64(hour_rank[position, hour + 1])
    start = seg_start[position]
    while lo < hi:
        mid = (lo + hi) >> 1
        if dep[start + mid] < time:
            lo = mid + 1
        else:
            hi = mid
    return int(lo)


@numba.njit(cache=_CACHE, nogil=True)  # type: ignore[untyped-decorator]
def rounds(
    ready0: npt.NDArray[np.int32],
    limit: int,
    target_stops: npt.NDArray[np.int32],
    target_extra: npt.NDArray[np.int64],
    lower: npt.NDArray[np.int64],
    rising: bool,
    max_rounds: int,
    inf: int,
    pos_stop: npt.NDArray[np.int32],
    pos_vpat: npt.NDArray[np.int32],
    vpat_end: npt.NDArray[np.int64],
    seg_start: npt.NDArray[np.int64],
    seg_len: npt.NDArray[np.int64],
    pos_first_dep: npt.NDArray[np.int32],
    pos_last_dep: npt.NDArray[np.int32],
    hour_base: int,
    hour_rank: npt.NDArray[np.integer],
    stop_offset: npt.NDArray[np.int64],
    stop_positions: npt.NDArray[np.int64],
    dep: npt.NDArray[np.int32],
    arr: npt.NDArray[np.int32],
    edge_offset: npt.NDArray[np.int64],
    edge_to: npt.NDArray[np.int32],
    edge_seconds: npt.NDArray[np.int32],
) -> tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    int,
    int,
]:  # pragma: no cover (compiled: coverage cannot see it; tested through search)
    """The rounds of :func:`.raptor.search_vectorised` from the boarding times
    ``ready0``: per round, arrival, alight, board_rank, ready and ready_from (rows of
    ``[max_rounds, stops]`` arrays), the number of rounds kept, and the final bound.

    ``lower`` is, per stop, a least time from it to the destination (zeros: none
    known): a stop whose rider could not reach the destination before the bound even
    so is not boarded from (the A* idea in RAPTOR's rounds). With a bound that holds
    (:func:`least_seconds_to`), the best journey to the destination, and every label
    on it, is the same as without (tests/transit/test_compiled.py). ``rising``: arrivals
    never go back in time along a trip (:func:`arrivals_rise`), so a ride past the bound
    is not followed further; nor, with ``lower``, a ride whose arrival plus the least time
    from there reaches the bound: every later stop of the trip is as far off, the hops'
    least times being no longer than the trip's (:func:`hop_seconds`; a timetable with a
    trip leaving a stop before arriving there gets no least times). Past a pattern's last
    position asked this round nothing boards, so a pattern's scan ends there unless a
    ride is still followed: the labels are the same."""
    n = len(ready0)
    arrival_k = np.full((max_rounds, n), inf, dtype=np.int32)
    alight_k = np.zeros((max_rounds, n), dtype=np.int32)
    board_k = np.zeros((max_rounds, n), dtype=np.int32)
    ready_k = np.full((max_rounds, n), inf, dtype=np.int32)
    ready_from_k = np.zeros((max_rounds, n), dtype=np.int32)
    ready = ready0.copy()
    best_arrival = np.full(n, inf, dtype=np.int32)
    best_ready = ready0.copy()
    vpats = len(vpat_end)
    scan_from = np.full(vpats, np.int64(-1), dtype=np.int64)
    scan_to = np.full(vpats, np.int64(-1), dtype=np.int64)
    touched = np.empty(vpats, dtype=np.int64)
    bound = limit + 1
    kept = 0
    if len(pos_stop) == 0:
        return arrival_k, alight_k, board_k, ready_k, ready_from_k, kept, bound
    for k in range(max_rounds):
        # The patterns to scan, each from its first position asked this round.
        count = 0
        asked_any = False
        for s in range(n):
            at = ready[s]
            # (Nothing from here reaches the destination before the bound.)
            if at + lower[s] >= bound:
                continue
            for j in range(stop_offset[s], stop_offset[s + 1]):
                asked_any = True
                p = stop_positions[j]
                if at <= pos_last_dep[p] and pos_first_dep[p] < bound:
                    v = pos_vpat[p]
                    if scan_from[v] < 0:
                        touched[count] = v
                        count += 1
                        scan_from[v] = p
                        scan_to[v] = p
                    elif p < scan_from[v]:
                        scan_from[v] = p
                    elif p > scan_to[v]:
                        scan_to[v] = p
        if not asked_any or count == 0:
            for i in range(count):
                scan_from[touched[i]] = -1
            break
        patterns = np.sort(touched[:count])
        arrival = arrival_k[k]
        alight = alight_k[k]
        board = board_k[k]
        ridden = False
        for i in range(count):
            v = patterns[i]
            trip = _NONE
            spent = False
            last = scan_to[v]
            for p in range(scan_from[v], vpat_end[v]):
                # Past the last position asked, nothing boards: only a ride still
                # followed needs the rest of the pattern.
                if p > last and (trip == _NONE or spent):
                    break
                if trip < _NONE:
                    ridden = True
                    if not spent:
                        reach = arr[seg_start[p] + trip]
                        s = pos_stop[p]
                        # A ride reaching a stop at the bound or later, or too late to
                        # reach the destination before it even at the least times, is
                        # never kept; with arrivals rising, nor is the rest of it.
                        if reach + lower[s] >= bound:
                            spent = rising
                        # The last of equal arrivals in position order (numpy's assignment).
                        elif reach <= arrival[s]:
                            arrival[s] = reach
                            alight[s] = p
                            board[s] = trip
                q = ready[pos_stop[p]]
                # Boarding here only matters for a trip earlier than the one ridden: when
                # the one before it leaves before the rider is there, none is (the
                # departures at a position are sorted), and the search is skipped.
                if q < bound and trip > 0 and (trip == _NONE or dep[seg_start[p] + trip - 1] >= q):
                    rank = _first_departure(hour_rank, hour_base, dep, seg_start, p, q)
                    if rank < seg_len[p] and rank < trip:
                        trip = rank
                        spent = False
            scan_from[v] = -1
            scan_to[v] = -1
        if not ridden:
            arrival[:] = inf
            alight[:] = 0
            board[:] = 0
            break
        for s in range(n):
            if arrival[s] < best_arrival[s] and arrival[s] < bound:
                best_arrival[s] = arrival[s]
            else:
                arrival[s] = inf
                alight[s] = 0
                board[s] = 0
        for t in range(len(target_stops)):
            reached = int(arrival[target_stops[t]]) + int(target_extra[t])
            if reached < bound:
                bound = reached
        # Footpaths (and the transfer time at the same stop) from the improved stops.
        ready = ready_k[k]
        ready_from = ready_from_k[k]
        for s in range(n):
            if arrival[s] >= inf:
                continue
            for e in range(edge_offset[s], edge_offset[s + 1]):
                then = arrival[s] + edge_seconds[e]
                to = edge_to[e]
                if then <= ready[to]:
                    ready[to] = then
                    ready_from[to] = s
        better = False
        for s in range(n):
            if ready[s] < best_ready[s] and ready[s] < bound:
                best_ready[s] = ready[s]
                better = True
            else:
                ready[s] = inf
        kept = k + 1
        if not better:
            break
    return arrival_k, alight_k, board_k, ready_k, ready_from_k, kept, bound


@numba.njit(cache=_CACHE, nogil=True)  # type: ignore[untyped-decorator]
def hop_seconds(
    pos_stop: npt.NDArray[np.int32],
    pos_vpat: npt.NDArray[np.int32],
    seg_start: npt.NDArray[np.int64],
    seg_len: npt.NDArray[np.int64],
    dep: npt.NDArray[np.int32],
    arr: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Every hop of a pattern (a stop to the next) with the least time any of its trips
    takes for it, counted from leaving the first stop to leaving the next one, or to
    arriving there if sooner: a ride's time is never less than its hops' sum. A negative
    hop (times going back along a trip) makes it -1 (no bound can be drawn)."""
    count = len(pos_stop)
    frm = np.empty(count, dtype=np.int32)
    to = np.empty(count, dtype=np.int32)
    least = np.empty(count, dtype=np.int64)
    hops = 0
    for p in range(count - 1):
        if pos_vpat[p + 1] != pos_vpat[p]:
            continue
        best = np.int64(1) << 40
        for r in range(seg_len[p]):
            leave = dep[seg_start[p] + r]
            took = min(dep[seg_start[p + 1] + r], arr[seg_start[p + 1] + r]) - leave
            if took < best:
                best = took
        if best < 0:
            least[0] = -1
            return frm[:1], to[:1], least[:1]
        frm[hops] = pos_stop[p]
        to[hops] = pos_stop[p + 1]
        least[hops] = best
        hops += 1
    return frm[:hops], to[:hops], least[:hops]


@numba.njit(cache=_CACHE, nogil=True)  # type: ignore[untyped-decorator]
def least_seconds_to(
    n: int,
    targets: npt.NDArray[np.int32],
    extra: npt.NDArray[np.int64],
    into_offset: npt.NDArray[np.int64],
    into_from: npt.NDArray[np.int32],
    into_seconds: npt.NDArray[np.int64],
    inf: int,
) -> npt.NDArray[np.int64]:
    """Per stop, the least time from it to the destination (a target stop, then its
    ``extra`` seconds) over hops and footpaths at their least: Dijkstra from the
    targets over the edges reversed (``into_*``: the edges into each stop)."""
    least = np.full(n, np.int64(inf), dtype=np.int64)
    heap = [(np.int64(0), np.int32(0)) for _ in range(0)]
    for t in range(len(targets)):
        if extra[t] < least[targets[t]]:
            least[targets[t]] = extra[t]
            heapq.heappush(heap, (extra[t], targets[t]))
    while len(heap):
        d, s = heapq.heappop(heap)
        if d > least[s]:
            continue
        for e in range(into_offset[s], into_offset[s + 1]):
            other = into_from[e]
            through = d + into_seconds[e]
            if through < least[other]:
                least[other] = through
                heapq.heappush(heap, (through, other))
    return least


@numba.njit(cache=_CACHE, nogil=True)  # type: ignore[untyped-decorator]
def arrivals_rise(
    pos_vpat: npt.NDArray[np.int32],
    seg_start: npt.NDArray[np.int64],
    seg_len: npt.NDArray[np.int64],
    arr: npt.NDArray[np.int32],
) -> bool:  # pragma: no cover (compiled: coverage cannot see it; tested through search)
    """Whether every trip arrives at each stop no earlier than at the one before (true of
    any sane feed; a search relies on it only to stop following a ride past its bound)."""
    for p in range(len(pos_vpat) - 1):
        if pos_vpat[p + 1] != pos_vpat[p]:
            continue
        here, there = seg_start[p], seg_start[p + 1]
        for r in range(seg_len[p]):
            if arr[there + r] < arr[here + r]:
                return False
    return True
