"""Reading a GTFS feed (a .zip, or a folder of .txt files) into plain arrays.

A feed is read row by row with the standard ``csv`` module, never whole into memory:
each file is decompressed as a stream and read up to :data:`MAX_FILE_BYTES`, and
``stop_times.txt`` up to :data:`MAX_STOP_TIMES` rows, so a zip bomb or a 2 GB
``stop_times.txt`` costs a Problem ("read the first ... rows"), not the machine's memory.
What is kept is numbers in ``array`` columns (4 bytes a value) and the few strings
riders see (stop and route names).

Messy feeds are the rule: a byte-order mark, quoted fields, CRLF line ends, unknown
columns and missing optional files are read as they come; a bad row is skipped with a
:class:`~planner.core.model.Problem` naming the file and line (at most
:data:`MAX_PROBLEMS_PER_FILE` a file, then a count), and the rest is still read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from planner.core.model import Problem, Severity

MAX_FILE_BYTES = 1 << 30
"""Decompressed bytes read from one file of a feed (1 GiB): GO + TTC's stop_times.txt is
about 200 MB; beyond this a file is cut, which also disarms a zip bomb."""
MAX_STOP_TIMES = 12_000_000
"""Rows of stop_times.txt kept (three times GO + TTC): about 240 MB of arrays while the
compact form is built."""
MAX_PROBLEMS_PER_FILE = 20
"""Bad rows reported one by one per file; the rest are counted in one last Problem."""

REQUIRED = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


class FeedError(Exception):
    """The feed cannot be used at all (not a zip, a required file missing): one Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class FeedTables:
    """One feed as read: indices instead of ids, seconds instead of "HH:MM:SS"."""

    agency_names: list[str] = field(default_factory=list)
    timezone: str = ""
    stop_ids: list[str] = field(default_factory=list)
    stop_names: list[str] = field(default_factory=list)
    stop_lat: array[float] = field(default_factory=lambda: array("d"))
    stop_lon: array[float] = field(default_factory=lambda: array("d"))
    stop_parent: array[int] = field(default_factory=lambda: array("i"))
    route_labels: list[str] = field(default_factory=list)
    route_type: array[int] = field(default_factory=lambda: array("i"))
    trip_route: array[int] = field(default_factory=lambda: array("i"))
    trip_service: array[int] = field(default_factory=lambda: array("i"))
    service_ids: list[str] = field(default_factory=list)
    service_start: array[int] = field(default_factory=lambda: array("i"))
    """Proleptic ordinals (:meth:`date.toordinal`); 0 when calendar.txt does not name it."""
    service_end: array[int] = field(default_factory=lambda: array("i"))
    service_weekdays: array[int] = field(default_factory=lambda: array("i"))
    """Bit ``d`` set when the service runs on weekday ``d`` (Monday 0)."""
    exception_service: array[int] = field(default_factory=lambda: array("i"))
    exception_day: array[int] = field(default_factory=lambda: array("i"))
    exception_added: array[int] = field(default_factory=lambda: array("b"))
    st_trip: array[int] = field(default_factory=lambda: array("i"))
    st_sequence: array[int] = field(default_factory=lambda: array("i"))
    st_stop: array[int] = field(default_factory=lambda: array("i"))
    st_arrival: array[int] = field(default_factory=lambda: array("i"))
    """Seconds after the service day's start; -1 when the row leaves it blank (interpolated)."""
    st_departure: array[int] = field(default_factory=lambda: array("i"))
    freq_trip: array[int] = field(default_factory=lambda: array("i"))
    freq_start: array[int] = field(default_factory=lambda: array("i"))
    freq_end: array[int] = field(default_factory=lambda: array("i"))
    freq_headway: array[int] = field(default_factory=lambda: array("i"))
    freq_exact: array[int] = field(default_factory=lambda: array("b"))
    transfer_from: array[int] = field(default_factory=lambda: array("i"))
    transfer_to: array[int] = field(default_factory=lambda: array("i"))
    transfer_type: array[int] = field(default_factory=lambda: array("b"))
    transfer_seconds: array[int] = field(default_factory=lambda: array("i"))
    problems: list[Problem] = field(default_factory=list)


class _Source:
    """The files of a feed, from a zip or a folder, each opened as decoded text."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_dir():
            self._names = {p.name.lower(): p.name for p in path.iterdir() if p.is_file()}
            return
        try:
            self._zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise FeedError(
                Problem(str(path), f"not a GTFS feed: {exc}", severity=Severity.ERROR)
            ) from exc
        for name in self._zip.namelist():
            # Some feeds put their files in a folder inside the zip: the last part counts.
            self._names.setdefault(name.rsplit("/", 1)[-1].lower(), name)

    def has(self, name: str) -> bool:
        return name in self._names

    def open(self, name: str) -> IO[bytes]:
        real = self._names[name]
        if self._zip is not None:
            return self._zip.open(real)
        return (self.path / real).open("rb")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


class _Bounded(io.RawIOBase):
    """A byte stream that ends after ``limit`` bytes and says so (:attr:`cut`)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw = raw
        self._left = limit
        self.cut = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            self.cut = bool(self._raw.read(1))
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        data = self._raw.read(len(view))
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)


class _Reader:
    """Rows of one file as lists, with its columns by name and each row's line."""

    def __init__(self, feed: FeedTables, source: _Source, name: str) -> None:
        self.feed = feed
        self.name = name
        self.where = f"{source.path}/{name}" if source.path.is_dir() else f"{source.path}:{name}"
        self._raw = source.open(name)
        self._bounded = _Bounded(self._raw, MAX_FILE_BYTES)
        text = io.TextIOWrapper(
            io.BufferedReader(self._bounded, 1 << 16),
            encoding="utf-8-sig",
            errors="replace",
            newline="",
        )
        self._csv = csv.reader(text)
        header = next(self._csv, [])
        self.columns = {name.strip().lower(): i for i, name in enumerate(header)}
        self.bad = 0

    @property
    def line(self) -> int:
        return self._csv.line_num

    def column(self, name: str) -> int:
        """The index of a column, or -1 when the file does not have it."""
        return self.columns.get(name, -1)

    def rows(self) -> Iterator[list[str]]:
        try:
            yield from self._csv
        except csv.Error as exc:
            self.problem(f"cannot read on: {exc}")
        finally:
            self.finish()

    def problem(self, text: str) -> None:
        self.bad += 1
        if self.bad <= MAX_PROBLEMS_PER_FILE:
            self.feed.problems.append(Problem(self.where, text, line=self.line))

    def finish(self) -> None:
        if self.bad > MAX_PROBLEMS_PER_FILE:
            more = self.bad - MAX_PROBLEMS_PER_FILE
            self.feed.problems.append(Problem(self.where, f"and {more} more rows skipped"))
            self.bad = MAX_PROBLEMS_PER_FILE
        if self._bounded.cut:
            self.feed.problems.append(
                Problem(self.where, f"read only the first {MAX_FILE_BYTES >> 20} MiB")
            )
            self._bounded.cut = False
        self._raw.close()


def _field(row: list[str], index: int) -> str:
    return row[index].strip() if 0 <= index < len(row) else ""


def parse_time(text: str) -> int:
    """Seconds of "H:MM:SS" (hours may pass 24: a trip belongs to its service day)."""
    hours, minutes, seconds = text.split(":")
    value = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    if not (0 <= int(minutes) < 60 and 0 <= int(seconds) < 60 and value >= 0):
        raise ValueError(text)
    return value


def _parse_day(text: str) -> int:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8])).toordinal()


def agency_label(name: str) -> str:
    """What riders call an agency: "GO Transit" → "GO", "Toronto Transit Commission" →
    "TTC", "MiWay" → "MiWay"."""
    words = name.split()
    if not words:
        return ""
    if len(words[0]) >= 2 and words[0].isupper():
        return words[0]
    if len(words) == 1:
        return words[0]
    return "".join(w[0] for w in words if w[0].isupper()) or words[0]


def read_feed(path: Path) -> FeedTables:
    """The feed at ``path``: its tables, and a Problem for every row it had to skip.

    Raises :class:`FeedError` (one Problem) when the feed cannot be used at all.
    """
    source = _Source(path)
    try:
        missing = [name for name in REQUIRED if not source.has(name)]
        if missing:
            raise FeedError(
                Problem(
                    str(path),
                    f"not a GTFS feed: {', '.join(missing)} missing",
                    severity=Severity.ERROR,
                )
            )
        if not source.has("calendar.txt") and not source.has("calendar_dates.txt"):
            raise FeedError(
                Problem(
                    str(path),
                    "not a GTFS feed: neither calendar.txt nor calendar_dates.txt",
                    severity=Severity.ERROR,
                )
            )
        feed = FeedTables()
        agencies = _read_agencies(feed, source)
        if not feed.timezone:
            feed.problems.append(
                Problem(
                    str(path),
                    "no agency_timezone (agency.txt): times are read in this computer's time zone",
                )
            )
        stop_index = _read_stops(feed, source)
        route_index = _read_routes(feed, source, agencies)
        service_index: dict[str, int] = {}
        _read_calendar(feed, source, service_index)
        trip_index = _read_trips(feed, source, route_index, service_index)
        _read_stop_times(feed, source, trip_index, stop_index)
        _read_frequencies(feed, source, trip_index)
        _read_transfers(feed, source, stop_index)
        return feed
    finally:
        source.close()


def _read_agencies(feed: FeedTables, source: _Source) -> dict[str, str]:
    labels: dict[str, str] = {}
    if not source.has("agency.txt"):
        return labels
    reader = _Reader(feed, source, "agency.txt")
    c_id, c_name, c_zone = (
        reader.column(c) for c in ("agency_id", "agency_name", "agency_timezone")
    )
    for row in reader.rows():
        name = _field(row, c_name)
        if not name:
            continue
        feed.agency_names.append(name)
        labels[_field(row, c_id)] = agency_label(name)
        if not feed.timezone:
            feed.timezone = _field(row, c_zone)
    return labels


def _read_stops(feed: FeedTables, source: _Source) -> dict[str, int]:
    reader = _Reader(feed, source, "stops.txt")
    cols = [reader.column(c) for c in ("stop_id", "stop_name", "stop_lat", "stop_lon")]
    c_parent = reader.column("parent_station")
    index: dict[str, int] = {}
    parents: list[str] = []
    for row in reader.rows():
        stop_id, name, lat_text, lon_text = (_field(row, c) for c in cols)
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            # Entrances and boarding areas may have no position; they carry no trips.
            reader.problem(f"skipped stop {stop_id!r}: no position") if stop_id else None
            continue
        if not stop_id or not (-90 <= lat <= 90 and -180 <= lon <= 180) or stop_id in index:
            reader.problem(f"skipped stop {stop_id!r}: no id, a bad position or a repeated id")
            continue
        index[stop_id] = len(feed.stop_ids)
        feed.stop_ids.append(stop_id)
        feed.stop_names.append(name or stop_id)
        feed.stop_lat.append(lat)
        feed.stop_lon.append(lon)
        parents.append(_field(row, c_parent))
    feed.stop_parent = array("i", (index.get(p, -1) if p else -1 for p in parents))
    return index


def _read_routes(feed: FeedTables, source: _Source, agencies: dict[str, str]) -> dict[str, int]:
    reader = _Reader(feed, source, "routes.txt")
    c_id, c_agency, c_short, c_long, c_type = (
        reader.column(c)
        for c in ("route_id", "agency_id", "route_short_name", "route_long_name", "route_type")
    )
    default_agency = next(iter(agencies.values()), "") if len(agencies) == 1 else ""
    index: dict[str, int] = {}
    for row in reader.rows():
        route_id = _field(row, c_id)
        try:
            kind = int(_field(row, c_type))
        except ValueError:
            reader.problem(f"skipped route {route_id!r}: no route_type")
            continue
        if not route_id or route_id in index:
            reader.problem(f"skipped route {route_id!r}: no id or a repeated id")
            continue
        name = _field(row, c_short) or _field(row, c_long) or route_id
        agency = agencies.get(_field(row, c_agency), default_agency)
        index[route_id] = len(feed.route_labels)
        feed.route_labels.append(f"{agency} {name}".strip())
        feed.route_type.append(kind)
    return index


def _service(feed: FeedTables, index: dict[str, int], service_id: str) -> int:
    found = index.get(service_id)
    if found is None:
        found = index[service_id] = len(feed.service_ids)
        feed.service_ids.append(service_id)
        feed.service_start.append(0)
        feed.service_end.append(0)
        feed.service_weekdays.append(0)
    return found


def _read_calendar(feed: FeedTables, source: _Source, index: dict[str, int]) -> None:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    if source.has("calendar.txt"):
        reader = _Reader(feed, source, "calendar.txt")
        c_id, c_start, c_end = (reader.column(c) for c in ("service_id", "start_date", "end_date"))
        c_days = [reader.column(d) for d in days]
        for row in reader.rows():
            service_id = _field(row, c_id)
            try:
                start, end = _parse_day(_field(row, c_start)), _parse_day(_field(row, c_end))
                mask = sum(1 << d for d, c in enumerate(c_days) if _field(row, c) == "1")
            except ValueError:
                reader.problem(f"skipped service {service_id!r}: bad start_date or end_date")
                continue
            at = _service(feed, index, service_id)
            feed.service_start[at], feed.service_end[at] = start, end
            feed.service_weekdays[at] = mask
    if source.has("calendar_dates.txt"):
        reader = _Reader(feed, source, "calendar_dates.txt")
        c_id, c_day, c_type = (reader.column(c) for c in ("service_id", "date", "exception_type"))
        for row in reader.rows():
            service_id, kind = _field(row, c_id), _field(row, c_type)
            try:
                day = _parse_day(_field(row, c_day))
            except ValueError:
                reader.problem(f"skipped a date of service {service_id!r}: bad date")
                continue
            if kind not in ("1", "2") or not service_id:
                reader.problem(
                    f"skipped a date of service {service_id!r}: exception_type not 1 or 2"
                )
                continue
            feed.exception_service.append(_service(feed, index, service_id))
            feed.exception_day.append(day)
            feed.exception_added.append(1 if kind == "1" else 0)


def _read_trips(
    feed: FeedTables, source: _Source, routes: dict[str, int], services: dict[str, int]
) -> dict[str, int]:
    reader = _Reader(feed, source, "trips.txt")
    c_trip, c_route, c_service = (reader.column(c) for c in ("trip_id", "route_id", "service_id"))
    index: dict[str, int] = {}
    for row in reader.rows():
        trip_id, route_id = _field(row, c_trip), _field(row, c_route)
        service_id = _field(row, c_service)
        route = routes.get(route_id)
        if route is None or not trip_id or trip_id in index or service_id not in services:
            reader.problem(f"skipped trip {trip_id!r}: unknown route or service, or a repeated id")
            continue
        index[trip_id] = len(feed.trip_route)
        feed.trip_route.append(route)
        feed.trip_service.append(services[service_id])
    return index


def _read_stop_times(
    feed: FeedTables, source: _Source, trips: dict[str, int], stops: dict[str, int]
) -> None:
    """The biggest file (4 million rows for GO + TTC): ids and times looked up as
    written (stripped only when that fails), each distinct time parsed once. The csv
    module's own parsing is most of the ~9 s this takes for GO + TTC."""
    reader = _Reader(feed, source, "stop_times.txt")
    c_trip, c_arr, c_dep, c_stop, c_seq = (
        reader.column(c)
        for c in ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence")
    )
    c_arr, c_dep = (c_arr if c_arr >= 0 else c_dep), (c_dep if c_dep >= 0 else c_arr)
    if min(c_trip, c_stop, c_seq, c_arr) < 0:
        reader.problem("no trip_id, stop_id, stop_sequence or time columns")
        reader.finish()
        return
    times: dict[str, int] = {}

    def seconds(text: str) -> int:
        value = times[text] = parse_time(text.strip()) if text.strip() else -1
        return value

    add_trip, add_sequence, add_stop = (
        feed.st_trip.append,
        feed.st_sequence.append,
        feed.st_stop.append,
    )
    add_arrival, add_departure = feed.st_arrival.append, feed.st_departure.append
    left = MAX_STOP_TIMES
    for row in reader.rows():
        if not left:
            feed.problems.append(
                Problem(reader.where, f"read only the first {MAX_STOP_TIMES:,} rows")
            )
            break
        try:
            text = row[c_trip]
            trip = trips.get(text)
            if trip is None:
                trip = trips[text.strip()]
            text = row[c_stop]
            stop = stops.get(text)
            if stop is None:
                stop = stops[text.strip()]
            arr_text, dep_text = row[c_arr], row[c_dep]
            arrival = times.get(arr_text)
            if arrival is None:
                arrival = seconds(arr_text)
            if dep_text == arr_text:
                departure = arrival
            else:
                known = times.get(dep_text)
                departure = seconds(dep_text) if known is None else known
            sequence = int(row[c_seq])
        except (KeyError, ValueError, IndexError):
            reader.problem("skipped a stop time: unknown trip or stop, or a bad time or sequence")
            continue
        if arrival < 0:
            arrival = departure
        elif departure < 0:
            departure = arrival
        add_trip(trip)
        add_sequence(sequence)
        add_stop(stop)
        add_arrival(arrival)
        add_departure(departure)
        left -= 1


def _read_frequencies(feed: FeedTables, source: _Source, trips: dict[str, int]) -> None:
    if not source.has("frequencies.txt"):
        return
    reader = _Reader(feed, source, "frequencies.txt")
    c_trip, c_start, c_end, c_head, c_exact = (
        reader.column(c)
        for c in ("trip_id", "start_time", "end_time", "headway_secs", "exact_times")
    )
    for row in reader.rows():
        try:
            trip = trips[_field(row, c_trip)]
            start, end = parse_time(_field(row, c_start)), parse_time(_field(row, c_end))
            headway = int(_field(row, c_head))
            if headway <= 0 or end <= start:
                raise ValueError("empty window")
        except (KeyError, ValueError):
            reader.problem("skipped a frequency: unknown trip, bad times or headway")
            continue
        feed.freq_trip.append(trip)
        feed.freq_start.append(start)
        feed.freq_end.append(end)
        feed.freq_headway.append(headway)
        feed.freq_exact.append(1 if _field(row, c_exact) == "1" else 0)


def _read_transfers(feed: FeedTables, source: _Source, stops: dict[str, int]) -> None:
    if not source.has("transfers.txt"):
        return
    reader = _Reader(feed, source, "transfers.txt")
    c_from, c_to, c_type, c_min = (
        reader.column(c)
        for c in ("from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time")
    )
    narrower = [
        reader.column(c) for c in ("from_route_id", "to_route_id", "from_trip_id", "to_trip_id")
    ]
    for row in reader.rows():
        if any(_field(row, c) for c in narrower):
            # A rule for some routes or trips only (a change forbidden between two lines,
            # a timed connection): the router times changes stop to stop, so it keeps the
            # stops' own rule rather than apply this one to every route there.
            continue
        try:
            origin, target = stops[_field(row, c_from)], stops[_field(row, c_to)]
            kind = int(_field(row, c_type) or "0")
            seconds = int(float(_field(row, c_min) or "0"))
        except (KeyError, ValueError, OverflowError):  # (OverflowError: "1e400" seconds)
            reader.problem("skipped a transfer: unknown stop or a bad transfer_type")
            continue
        if kind not in (0, 1, 2, 3):
            continue  # In-seat transfers (4, 5) of newer feeds: riding on is already a trip.
        feed.transfer_from.append(origin)
        feed.transfer_to.append(target)
        feed.transfer_type.append(kind)
        feed.transfer_seconds.append(max(0, seconds))
