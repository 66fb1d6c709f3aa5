"""Reading feeds as they come: messy files, bad rows, missing files, bounds, the cache."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Severity
from planner.core.travel.transit import Timetables, default_cache_dir, timetables_for
from planner.core.travel.transit import gtfs as gtfs_module
from planner.core.travel.transit.compact import cache_file
from tests.transit.feeds import at, line_feed, stop, write_feed

TORONTO = ZoneInfo("America/Toronto")
MONDAY_17 = datetime(2026, 12, 7, 17, 0, tzinfo=TORONTO)


def simple_feed(departure: str = "17:53") -> dict[str, object]:
    return line_feed(
        [stop("W", "Whitby", 0), stop("U", "Union", 40)],
        {"a": ("LE", "WD", [("W", departure), ("U", "18:38")])},
    )


def test_bom_crlf_quotes_unknown_columns_and_a_bad_row(tmp_path: Path) -> None:
    tables = simple_feed()
    tables["stops.txt"] = (
        "\ufeffstop_id,stop_name,stop_lat,stop_lon,wheelchair_boarding,zone_id\r\n"
        f'W,"Whitby, GO",{at(0)[0]:.6f},{at(0)[1]:.6f},1,Z1\r\n'
        f'U,"Union ""Station""",{at(40)[0]:.6f},{at(40)[1]:.6f},1,Z2\r\n'
        "Q,Nowhere,north,west,0,Z3\r\n"
    )
    tables["stop_times.txt"] = (
        "\ufefftrip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\r\n"
        "a,17:53:00,17:53:00,W,1,0\r\n"
        "a,18:38:00,18:38:00,U,2,40\r\n"
        "a,18:99:00,18:99:00,U,3,41\r\n"
    )
    feed = write_feed(tmp_path / "messy.zip", tables)  # type: ignore[arg-type]
    timetables, problems = Timetables.load([feed], cache_dir=tmp_path / "cache")
    assert [(p.line, p.source.endswith("stops.txt")) for p in problems] == [(4, True), (4, False)]
    assert str(problems[1]).startswith(f"{feed}:stop_times.txt:4: skipped a stop time")
    journey = timetables.earliest_arrival(at(0), at(40), MONDAY_17)
    assert journey is not None
    assert journey.describe() == 'GO LE 17:53 → 18:38 Union "Station"'


def test_many_bad_rows_are_counted_not_listed(tmp_path: Path) -> None:
    tables = simple_feed()
    bad = "".join(f"zz{n},17:00:00,17:00:00,W,{n}\n" for n in range(100))
    tables["stop_times.txt"] = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "a,17:53:00,17:53:00,W,1\na,18:38:00,18:38:00,U,2\n" + bad
    )
    feed = write_feed(tmp_path / "bad.zip", tables)  # type: ignore[arg-type]
    timetables, problems = Timetables.load([feed], cache_dir=tmp_path / "cache")
    assert len(problems) == gtfs_module.MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].text == "and 80 more rows skipped"
    assert timetables.earliest_arrival(at(0), at(40), MONDAY_17) is not None


def test_missing_optional_files_and_a_folder_feed(tmp_path: Path) -> None:
    tables = simple_feed()
    del tables["agency.txt"]
    del tables["calendar.txt"]
    tables["calendar_dates.txt"] = [
        ["service_id", "date", "exception_type"],
        ["WD", "20261207", "1"],
    ]
    folder = write_feed(tmp_path / "feed", tables, folder=True)  # type: ignore[arg-type]
    timetables, problems = Timetables.load([folder], cache_dir=tmp_path / "cache")
    assert [p.text for p in problems] == [
        "no agency_timezone (agency.txt): times are read in this computer's time zone"
    ]
    assert timetables.feeds[0].valid_from == timetables.feeds[0].valid_until == date(2026, 12, 7)
    monday = datetime(2026, 12, 7, 17, 0)  # naive: in the feed's (here the computer's) zone
    assert timetables.earliest_arrival(at(0), at(40), monday) is not None
    assert timetables.earliest_arrival(at(0), at(40), monday.replace(day=8)) is None


def test_a_feed_that_cannot_be_read_is_a_problem_and_the_others_load(tmp_path: Path) -> None:
    good = write_feed(tmp_path / "good.zip", simple_feed())  # type: ignore[arg-type]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip")
    half = tmp_path / "half.zip"
    with zipfile.ZipFile(half, "w") as archive:
        archive.writestr("stops.txt", "stop_id\n")
    missing = tmp_path / "missing.zip"
    timetables, problems = Timetables.load(
        [broken, good, half, missing], cache_dir=tmp_path / "cache"
    )
    assert [p.severity for p in problems] == [Severity.ERROR] * 3
    assert problems[0].source == str(broken)
    assert "routes.txt, trips.txt, stop_times.txt missing" in problems[1].text
    assert problems[2].source == str(missing)
    assert [f.path for f in timetables.feeds] == [good]
    assert timetables.earliest_arrival(at(0), at(40), MONDAY_17) is not None


def test_reading_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb's stop_times.txt: a few kB compressed, read only up to the bounds."""
    tables = simple_feed()
    rows = "a,19:00:00,19:00:00,U,3\n" * 300_000
    tables["stop_times.txt"] = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "a,17:53:00,17:53:00,W,1\na,18:38:00,18:38:00,U,2\n" + rows
    )
    feed = write_feed(tmp_path / "bomb.zip", tables)  # type: ignore[arg-type]
    assert feed.stat().st_size < 200_000  # about 7 MB once decompressed
    monkeypatch.setattr(gtfs_module, "MAX_FILE_BYTES", 1 << 20)
    _, problems = Timetables.load([feed], cache_dir=tmp_path / "cache")
    assert any(p.text == "read only the first 1 MiB" for p in problems)
    monkeypatch.setattr(gtfs_module, "MAX_STOP_TIMES", 1000)
    _, problems = Timetables.load([feed], cache_dir=tmp_path / "other")
    assert any(p.text == "read only the first 1,000 rows" for p in problems)


def test_the_compact_copy_is_reused_and_rebuilt_when_the_feed_changes(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "go.zip", simple_feed("17:53"))  # type: ignore[arg-type]
    cache = tmp_path / "cache"
    first, _ = Timetables.load([feed], cache_dir=cache)
    compact = cache_file(cache, feed)
    assert compact.exists()
    built = compact.stat().st_mtime_ns
    again, _ = Timetables.load([feed], cache_dir=cache)
    assert compact.stat().st_mtime_ns == built  # read, not written
    assert again.feeds == first.feeds
    # Touched but the same bytes: kept (its fingerprint updated).
    os.utime(feed, ns=(built + 10**9, built + 10**9))
    Timetables.load([feed], cache_dir=cache)
    # A new timetable: rebuilt.
    write_feed(feed, simple_feed("17:58"))  # type: ignore[arg-type]
    changed, _ = Timetables.load([feed], cache_dir=cache)
    journey = changed.earliest_arrival(at(0), at(40), MONDAY_17)
    assert journey is not None
    assert journey.depart == MONDAY_17.replace(minute=58)


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "go.zip", simple_feed())  # type: ignore[arg-type]
    cache = tmp_path / "cache"
    Timetables.load([feed], cache_dir=cache)
    cache_file(cache, feed).write_bytes(b"garbage")
    timetables, problems = Timetables.load([feed], cache_dir=cache)
    assert problems == []
    assert timetables.earliest_arrival(at(0), at(40), MONDAY_17) is not None


def test_the_default_cache_folder_is_planners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"


def test_timetables_for_shares_and_reloads(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "go.zip", simple_feed("17:53"))  # type: ignore[arg-type]
    cache = tmp_path / "cache"
    one, _ = timetables_for([feed], cache)
    two, _ = timetables_for([feed], cache)
    assert one is two
    write_feed(feed, simple_feed("17:58 "))  # type: ignore[arg-type]
    os.utime(feed, ns=(1, 1))  # a different mtime even on a coarse clock
    three, _ = timetables_for([feed], cache)
    assert three is not one
    assert timetables_for([feed], cache, min_transfer_minutes=5)[0] is not three
    journey = three.earliest_arrival(at(0), at(40), MONDAY_17)
    assert journey is not None
    assert journey.depart == MONDAY_17.replace(minute=58)


def test_no_feeds_or_no_trips_answer_without_failing(tmp_path: Path) -> None:
    nothing, problems = Timetables.load([], cache_dir=tmp_path / "cache")
    assert (nothing.feeds, problems, nothing.covers(*at(0))) == ((), [], False)
    assert nothing.earliest_arrival(at(0), at(40), MONDAY_17) is None
    assert nothing.last_departure(at(0), at(40), MONDAY_17.date()) is None
    walk = nothing.earliest_arrival(at(0), at(0.5), MONDAY_17)
    assert walk is not None
    assert [leg.mode for leg in walk.legs] == ["walk"]
    tables = simple_feed()
    tables["stop_times.txt"] = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    empty = write_feed(tmp_path / "empty.zip", tables)  # type: ignore[arg-type]
    no_trips, problems = Timetables.load([empty], cache_dir=tmp_path / "cache")
    assert problems == []
    assert no_trips.covers(*at(0))
    assert no_trips.earliest_arrival(at(0), at(40), MONDAY_17) is None


def test_a_compact_copy_of_an_older_format_is_replaced(tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "go.zip", simple_feed())  # type: ignore[arg-type]
    cache = tmp_path / "cache"
    current = cache_file(cache, feed)
    older = current.with_name(current.name.split(".")[0] + ".v0.npz")
    older.parent.mkdir(parents=True)
    older.write_bytes(b"an older format")
    Timetables.load([feed], cache_dir=cache)
    assert sorted(p.name for p in current.parent.iterdir()) == [current.name]
