"""The compact form of one feed: trips grouped into patterns, kept as numpy arrays in
the cache folder, so that a feed is parsed once and loaded in milliseconds after.

A *pattern* is what RAPTOR calls a route: trips of one GTFS route and one service that
stop at the same stops in the same order, and never overtake each other (a trip that would overtake
starts a pattern of its own, so "the first trip leaving after t" is the first trip at
every later stop too). A pattern's times are kept position by position: for each of its
stops, the departures of its trips in order, then the next stop (column-major), which
turns "the first trip leaving stop i after t" into one ``searchsorted`` over all
patterns at once (:mod:`.raptor`).

Why numpy: it is already installed with planner (OR-Tools needs it), ``np.load`` of
an uncompressed ``.npz`` reads the ~60 MB of GO + TTC in tens of milliseconds, and the
search runs as a few array operations per round instead of a Python loop per stop
(the README's "How transit time is computed" has the numbers).

The file is ``<cache>/transit/<hash of the feed's path>.v<version>.npz``; it records
the feed's size, modification time and SHA-256, and is rebuilt when they change.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.core.model import Problem
from planner.core.travel.transit.gtfs import FeedTables, read_feed

FORMAT_VERSION = 4
"""Bumped whenever the arrays change meaning; an older file is then rebuilt."""

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

_ARRAYS = (
    "stop_lat", "stop_lon", "stop_parent", "stop_rail",
    "pattern_route", "pattern_stop_offset", "pattern_stops", "pattern_trip_offset",
    "pattern_elem_offset", "trip_service", "trip_first", "trip_last",
    "elem_dep", "elem_arr", "elem_trip",
    "service_start", "service_end", "service_weekdays",
    "exception_service", "exception_day", "exception_added",
    "transfer_from", "transfer_to", "transfer_type", "transfer_seconds",
)  # fmt: skip


@dataclass
class CompactFeed:
    """One feed ready to route on (see the module docstring for the layout)."""

    meta: dict[str, Any]
    """Strings and facts: agencies, timezone, stop and route names, validity, counts,
    the source's size, mtime and hash."""
    arrays: dict[str, npt.NDArray[Any]]

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.arrays[name]


def file_fingerprint(path: Path) -> tuple[int, int]:
    """Size and modification time (ns) of a feed file, or of a folder's files together."""
    if path.is_dir():
        stats = [p.stat() for p in sorted(path.iterdir()) if p.is_file()]
        return sum(s.st_size for s in stats), max((s.st_mtime_ns for s in stats), default=0)
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def content_hash(path: Path) -> str:
    """SHA-256 of the feed's bytes (a folder: of its files' names and bytes)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode())
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def cache_file(cache_dir: Path, path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return cache_dir / "transit" / f"{key}.v{FORMAT_VERSION}.npz"


def load_or_build(path: Path, cache_dir: Path) -> tuple[CompactFeed, list[Problem]]:
    """The compact form of the feed at ``path``: from the cache when the feed did not
    change (same size and mtime, or else same content), else built and saved.

    The Problems are those met while reading (kept in the cache file, so they are said
    again on a warm start). Raises :class:`~.gtfs.FeedError` for a feed that cannot be read.
    """
    size, mtime = file_fingerprint(path)
    target = cache_file(cache_dir, path)
    cached = _load(target)
    if cached is not None and (cached.meta["size"], cached.meta["mtime_ns"]) == (size, mtime):
        return cached, _problems(cached)
    digest = content_hash(path)
    if cached is not None and cached.meta["sha256"] == digest:
        cached.meta.update(size=size, mtime_ns=mtime)
        _save(target, cached)
        return cached, _problems(cached)
    compact = build(read_feed(path))
    compact.meta.update(size=size, mtime_ns=mtime, sha256=digest, path=str(path))
    _save(target, compact)
    for older in target.parent.glob(target.name.split(".")[0] + ".v*.npz"):
        if older != target:  # the same feed in a format planner no longer reads
            with contextlib.suppress(OSError):
                older.unlink()
    return compact, _problems(compact)


def _problems(compact: CompactFeed) -> list[Problem]:
    return [Problem(p[0], p[1], line=p[2]) for p in compact.meta.get("problems", [])]


def _load(target: Path) -> CompactFeed | None:
    """The cached compact feed, or None when missing, of another version or damaged."""
    try:
        with np.load(target, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            if meta.get("version") != FORMAT_VERSION:
                return None
            arrays = {name: data[name] for name in _ARRAYS}
    except (OSError, KeyError, ValueError):
        return None
    return CompactFeed(meta, arrays)


def _save(target: Path, compact: CompactFeed) -> None:
    """Write the compact feed atomically (a crash leaves the old file or none); a cache
    folder that cannot be written costs only the next start's speed."""
    blob = np.frombuffer(json.dumps(compact.meta).encode("utf-8"), dtype=np.uint8)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, meta=blob, **compact.arrays)  # type: ignore[arg-type]
        Path(temporary).replace(target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            Path(temporary).unlink()


def build(feed: FeedTables) -> CompactFeed:
    """Patterns, trips and services of a read feed, as arrays (see the module docstring)."""
    problems = feed.problems
    trip_ids, dep, arr, stops, counts = _trip_rows(feed)
    trip_ids, dep, arr, stops, counts = _expand_frequencies(feed, trip_ids, dep, arr, stops, counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    route_of = np.frombuffer(feed.trip_route, dtype=np.int32)
    service_of = np.frombuffer(feed.trip_service, dtype=np.int32)

    # One pattern per route, stop sequence and service: a day's trips are then whole
    # patterns, switched on or off by their service (see network.Network.view).
    groups: dict[tuple[int, int, bytes], list[int]] = {}
    for n in range(len(trip_ids)):
        s, c = starts[n], counts[n]
        trip = trip_ids[n]
        key = (int(route_of[trip]), int(service_of[trip]), stops[s : s + c].tobytes())
        groups.setdefault(key, []).append(n)

    pattern_route: list[int] = []
    pattern_stops: list[IntArray] = []
    pattern_trips: list[int] = []
    elem_dep: list[IntArray] = []
    elem_arr: list[IntArray] = []
    elem_trip: list[IntArray] = []
    trips_so_far = 0
    trip_service: list[IntArray] = []
    for (route, _, _), members in groups.items():
        length = int(counts[members[0]])
        rows = starts[members][:, None] + np.arange(length)[None, :]
        d, a = dep[rows], arr[rows]
        order = np.lexsort((a[:, -1], d[:, 0]))
        for part in _overtake_free(d[order], a[order]):
            chosen = order[part]
            pattern_route.append(route)
            pattern_stops.append(stops[rows[0]])
            pattern_trips.append(len(chosen))
            elem_dep.append(d[chosen].T.ravel())
            elem_arr.append(a[chosen].T.ravel())
            # Each element's trip (numbered pattern by pattern), for the day's selection.
            elem_trip.append(np.tile(np.arange(len(chosen), dtype=np.int32) + trips_so_far, length))
            trips_so_far += len(chosen)
            trip_service.append(service_of[trip_ids[np.asarray(members)[chosen]]])

    lengths = np.array([len(s) for s in pattern_stops], dtype=np.int64)
    trips_per = np.array(pattern_trips, dtype=np.int64)
    all_dep = _cat(elem_dep)
    all_arr = _cat(elem_arr)
    services = _cat(trip_service)
    # First departure and last arrival of each trip, for choosing the day's trips.
    trip_first = _cat([e[:m] for e, m in zip(elem_dep, pattern_trips, strict=True)])
    trip_last = _cat([e[-m:] for e, m in zip(elem_arr, pattern_trips, strict=True)])

    route_type = np.frombuffer(feed.route_type, dtype=np.int32)
    n_stops = len(feed.stop_ids)
    rail = np.zeros(n_stops, dtype=bool)
    for route, stop_list in zip(pattern_route, pattern_stops, strict=True):
        if route_type[route] == 2:
            rail[stop_list] = True

    days = [day for column in (feed.service_start, feed.service_end) for day in column if day > 0]
    days += [d for d, on in zip(feed.exception_day, feed.exception_added, strict=True) if on]
    meta: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "agencies": feed.agency_names,
        "timezone": feed.timezone,
        "stop_names": feed.stop_names,
        "route_labels": feed.route_labels,
        "valid_from": min(days, default=0),
        "valid_until": max(days, default=0),
        "stops": n_stops,
        "trips": len(feed.trip_route),
        "problems": [[p.source, p.text, p.line] for p in problems],
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "stop_lat": np.frombuffer(feed.stop_lat, dtype=np.float64).copy(),
        "stop_lon": np.frombuffer(feed.stop_lon, dtype=np.float64).copy(),
        "stop_parent": _ints(feed.stop_parent),
        "stop_rail": rail,
        "pattern_route": np.array(pattern_route, dtype=np.int32),
        "pattern_stop_offset": _offsets(lengths),
        "pattern_stops": _cat(pattern_stops),
        "pattern_trip_offset": _offsets(trips_per),
        "pattern_elem_offset": _offsets(lengths * trips_per),
        "trip_service": services,
        "trip_first": trip_first,
        "trip_last": trip_last,
        "elem_dep": all_dep,
        "elem_arr": all_arr,
        "elem_trip": _cat(elem_trip),
        "service_start": _ints(feed.service_start),
        "service_end": _ints(feed.service_end),
        "service_weekdays": _ints(feed.service_weekdays),
        "exception_service": _ints(feed.exception_service),
        "exception_day": _ints(feed.exception_day),
        "exception_added": np.frombuffer(feed.exception_added, dtype=np.int8).astype(bool),
        "transfer_from": _ints(feed.transfer_from),
        "transfer_to": _ints(feed.transfer_to),
        "transfer_type": np.frombuffer(feed.transfer_type, dtype=np.int8).astype(np.int32),
        "transfer_seconds": _ints(feed.transfer_seconds),
    }
    return CompactFeed(meta, arrays)


def _ints(values: Any) -> IntArray:
    return np.asarray(values, dtype=np.int32)


def _cat(parts: list[IntArray]) -> IntArray:
    return np.concatenate(parts).astype(np.int32) if parts else np.zeros(0, dtype=np.int32)


def _offsets(sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)


def _trip_rows(
    feed: FeedTables,
) -> tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.int64]]:
    """Stop times sorted by trip and sequence, blanks interpolated, broken trips dropped.

    Returns the kept trips' indices, and their departures, arrivals and stops laid end
    to end (``counts`` rows each).
    """
    trip = np.frombuffer(feed.st_trip, dtype=np.int32)
    order = np.lexsort((np.frombuffer(feed.st_sequence, dtype=np.int32), trip))
    trip = trip[order]
    stops = np.frombuffer(feed.st_stop, dtype=np.int32)[order]
    arr = np.frombuffer(feed.st_arrival, dtype=np.int32)[order].copy()
    dep = np.frombuffer(feed.st_departure, dtype=np.int32)[order].copy()
    trip_ids, starts, counts = np.unique(trip, return_index=True, return_counts=True)
    for n in np.flatnonzero(np.add.reduceat(arr < 0, starts) if len(starts) else []):
        _interpolate(arr, dep, int(starts[n]), int(counts[n]))
    bad = np.zeros(len(trip_ids), dtype=bool)
    if len(trip):
        # A trip runs forward in time: no blank left, departure after arrival, each stop
        # after the one before (within the trip), and it has at least two stops.
        step = np.ones(len(trip), dtype=bool)
        step[1:] = arr[1:] >= dep[:-1]
        step[starts] = True
        ok = step & (dep >= arr) & (arr >= 0)
        bad = (np.add.reduceat(~ok, starts) > 0) | (counts < 2)
    if bad.any():
        feed.problems.append(
            Problem(
                "stop_times.txt",
                f"skipped {int(bad.sum())} trips whose times run backwards, are blank at "
                "either end, or that have fewer than two stops",
            )
        )
    keep_rows = np.repeat(~bad, counts)
    return (
        trip_ids[~bad].astype(np.int32),
        dep[keep_rows],
        arr[keep_rows],
        stops[keep_rows],
        counts[~bad].astype(np.int64),
    )
    return None


def _interpolate(arr: IntArray, dep: IntArray, start: int, count: int) -> None:
    """Fill blank times of one trip linearly between its timed stops (GTFS allows blanks
    at stops that are not timepoints); blanks at either end stay blank (the trip is dropped)."""
    known = [i for i in range(start, start + count) if arr[i] >= 0]
    for before, after in itertools.pairwise(known):
        gap = after - before
        for i in range(before + 1, after):
            value = dep[before] + (arr[after] - dep[before]) * (i - before) // gap
            arr[i] = dep[i] = value


def _expand_frequencies(
    feed: FeedTables,
    trip_ids: IntArray,
    dep: IntArray,
    arr: IntArray,
    stops: IntArray,
    counts: npt.NDArray[np.int64],
) -> tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.int64]]:
    """Trips of frequencies.txt made into one trip per departure.

    The trip's own times give the running times; it leaves at ``start_time``, then every
    ``headway_secs`` while before ``end_time``. With ``exact_times`` 1 those are the
    timetable; with 0 the feed only promises a vehicle every headway, and planner
    takes the same departures (the usual reading; the wait at the first stop is then at
    most one headway, as riders are told).
    """
    if not len(feed.freq_trip):
        return trip_ids, dep, arr, stops, counts
    position = {int(t): n for n, t in enumerate(trip_ids)}
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    templated: set[int] = set()
    new_ids: list[int] = []
    new_dep: list[IntArray] = []
    new_arr: list[IntArray] = []
    new_stops: list[IntArray] = []
    for trip, begin, end, headway in zip(
        feed.freq_trip, feed.freq_start, feed.freq_end, feed.freq_headway, strict=True
    ):
        n = position.get(trip)
        if n is None:
            continue
        templated.add(n)
        s, c = starts[n], counts[n]
        base_dep, base_arr = dep[s : s + c] - dep[s], arr[s : s + c] - dep[s]
        for leave in range(begin, end, headway):
            new_ids.append(trip)
            new_dep.append(base_dep + leave)
            new_arr.append(base_arr + leave)
            new_stops.append(stops[s : s + c])
    keep = np.ones(len(trip_ids), dtype=bool)
    keep[sorted(templated)] = False
    rows = np.repeat(keep, counts)
    return (
        np.concatenate((trip_ids[keep], np.array(new_ids, dtype=np.int32))),
        np.concatenate([dep[rows], *new_dep]).astype(np.int32),
        np.concatenate([arr[rows], *new_arr]).astype(np.int32),
        np.concatenate([stops[rows], *new_stops]).astype(np.int32),
        np.concatenate((counts[keep], np.array([len(x) for x in new_stops], dtype=np.int64))),
    )


def _overtake_free(dep: IntArray, arr: IntArray) -> list[list[int]]:
    """Split trips (sorted by first departure) into groups where no trip overtakes the
    one before it at any stop, so each group's columns are sorted."""
    if (np.diff(dep, axis=0) >= 0).all() and (np.diff(arr, axis=0) >= 0).all():
        return [list(range(len(dep)))]  # the usual case: nobody overtakes
    groups: list[list[int]] = []
    last: list[int] = []
    for n in range(len(dep)):
        for g, previous in enumerate(last):
            if (dep[n] >= dep[previous]).all() and (arr[n] >= arr[previous]).all():
                groups[g].append(n)
                last[g] = n
                break
        else:
            groups.append([n])
            last.append(n)
    return groups
