"""Small GTFS feeds written by hand for the transit tests, zipped into a test's folder.

Stops sit on a line of longitude near Toronto, so distances are easy to reason about:
0.01° of latitude is 1.11 km. A feed is a dict of file name → rows (the header first),
merged over :func:`base_tables` (one agency, weekday and weekend services).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

LAT0, LON = 43.60, -79.40

Rows = list[list[str]]


def at(km_north: float, km_east: float = 0.0) -> tuple[float, float]:
    """A point ``km_north`` and ``km_east`` of the origin of the test area."""
    return LAT0 + km_north / 111.2, LON + km_east / 80.5


def stop(
    stop_id: str, name: str, km_north: float, km_east: float = 0.0, parent: str = ""
) -> list[str]:
    lat, lon = at(km_north, km_east)
    return [stop_id, name, f"{lat:.6f}", f"{lon:.6f}", parent]


STOPS_HEADER = ["stop_id", "stop_name", "stop_lat", "stop_lon", "parent_station"]


def base_tables(agency: str = "GO Transit") -> dict[str, Rows]:
    return {
        "agency.txt": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["A", agency, "https://example.org", "America/Toronto"],
        ],
        "calendar.txt": [
            ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
             "saturday", "sunday", "start_date", "end_date"],
            ["WD", "1", "1", "1", "1", "1", "0", "0", "20260101", "20271231"],
            ["WE", "0", "0", "0", "0", "0", "1", "1", "20260101", "20271231"],
        ],
    }  # fmt: skip


def trip_rows(trip_id: str, stops_and_times: list[tuple[str, str]]) -> Rows:
    """stop_times rows of one trip: (stop_id, "HH:MM") pairs, arrival = departure."""
    return [
        [trip_id, f"{time}:00", f"{time}:00", stop_id, str(n + 1)]
        for n, (stop_id, time) in enumerate(stops_and_times)
    ]


STOP_TIMES_HEADER = ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]


def write_feed(path: Path, tables: dict[str, Rows | str], *, folder: bool = False) -> Path:
    """The tables as a GTFS zip at ``path`` (or a folder); a str table is written as is."""
    texts: dict[str, str] = {}
    for name, rows in tables.items():
        if isinstance(rows, str):
            texts[name] = rows
            continue
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        texts[name] = out.getvalue()
    if folder:
        path.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (path / name).write_text(text, encoding="utf-8")
        return path
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(name, text)
    return path


ROUTES_HEADER = ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"]
TRIPS_HEADER = ["route_id", "service_id", "trip_id"]


def line_feed(
    stops: list[list[str]],
    trips: dict[str, tuple[str, str, list[tuple[str, str]]]],
    *,
    agency: str = "GO Transit",
    routes: Rows | None = None,
    extra: dict[str, Rows | str] | None = None,
) -> dict[str, Rows | str]:
    """A feed's tables: ``trips`` maps trip_id → (route_id, service_id, [(stop, "HH:MM")]).

    Routes default to one rail route "LE" (route_type 2) and one bus route "B1" (3).
    """
    tables: dict[str, Rows | str] = dict(base_tables(agency))
    tables["stops.txt"] = [STOPS_HEADER, *stops]
    tables["routes.txt"] = routes or [
        ROUTES_HEADER,
        ["LE", "A", "LE", "Lakeshore East", "2"],
        ["B1", "A", "1", "Yonge", "3"],
    ]
    tables["trips.txt"] = [TRIPS_HEADER] + [[r, s, t] for t, (r, s, _) in trips.items()]
    tables["stop_times.txt"] = [STOP_TIMES_HEADER] + [
        row for t, (_, _, times) in trips.items() for row in trip_rows(t, times)
    ]
    tables.update(extra or {})
    return tables
