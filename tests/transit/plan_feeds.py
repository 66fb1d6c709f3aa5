"""A small hand-made GTFS feed whose answers are known, for the plans' tests.

One GO-like line, "LE", between Whitby GO and Union Station: towards Union on weekdays
at :53 past each hour from 06:53 to 21:53, back to Whitby at :55 past each hour from
07:55 to 23:55 (the last train, arriving at 24:40:00, i.e. 00:40), 45 minutes each
way, valid from 1 November 2026 to 31 January 2027. HOME_NEAR and VENUE_NEAR are a
few minutes' walk from the two stations; FAR_AWAY is nowhere near a stop.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from planner.core.model import Place

WHITBY_GO = (43.8650, -78.9380)
UNION = (43.6453, -79.3806)
HOME_NEAR = Place("home", lat=43.8668, lon=-78.9400)
VENUE_NEAR = Place("Union venue", "65 Front St W, Toronto", lat=43.6462, lon=-79.3790)
FAR_AWAY = Place("Sudbury hall", "Sudbury", lat=46.4917, lon=-80.9930)


def _hms(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def go_line(
    path: Path,
    *,
    start: str = "20261101",
    end: str = "20270131",
    last_home: int = 23 * 60 + 55,
) -> Path:
    """Write the feed to ``path`` (a .zip) and return it; ``last_home`` is the last
    train's departure from Union, in minutes after midnight."""
    trips = [["route_id", "service_id", "trip_id", "trip_headsign"]]
    times = [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]]
    for hour in range(6, 22):
        trip = f"W{hour}"
        leave = hour * 60 + 53
        trips.append(["LE", "WK", trip, "Union Station"])
        times += [[trip, _hms(leave), _hms(leave), "WH", "1"]]
        times += [[trip, _hms(leave + 45), _hms(leave + 45), "UN", "2"]]
    leave = 7 * 60 + 55
    while leave <= last_home:
        trip = f"E{leave}"
        trips.append(["LE", "WK", trip, "Whitby GO"])
        times += [[trip, _hms(leave), _hms(leave), "UN", "1"]]
        times += [[trip, _hms(leave + 45), _hms(leave + 45), "WH", "2"]]
        leave += 60
    files = {
        "agency.txt": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["GO", "GO Transit", "https://www.gotransit.com", "America/Toronto"],
        ],
        "stops.txt": [
            ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            ["WH", "Whitby GO", str(WHITBY_GO[0]), str(WHITBY_GO[1])],
            ["UN", "Union Station", str(UNION[0]), str(UNION[1])],
        ],
        "routes.txt": [
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
            ["LE", "GO", "LE", "Lakeshore East", "2"],
        ],
        "trips.txt": trips,
        "stop_times.txt": times,
        "calendar.txt": [
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            ["WK", "1", "1", "1", "1", "1", "0", "0", start, end],
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in files.items():
            archive.writestr(name, _csv(rows))
    return path
