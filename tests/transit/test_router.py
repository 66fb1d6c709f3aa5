"""The router on small hand-made feeds whose answers are known by hand.

The test area is a line going north (``at(km)``); 2026-12-07 is a Monday, 12-05 a
Saturday, 12-25 a Friday (Christmas).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.transit.conftest import LoadFeeds
from tests.transit.feeds import ROUTES_HEADER, at, line_feed, stop

TORONTO = ZoneInfo("America/Toronto")
MONDAY = date(2026, 12, 7)
SATURDAY = date(2026, 12, 5)
CHRISTMAS = date(2026, 12, 25)


def when(day: date, hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=TORONTO)


LINE = [stop("W", "Whitby", 0), stop("P", "Pickering", 15), stop("U", "Union", 40)]


def test_weekday_and_weekend_services(load: LoadFeeds) -> None:
    timetables, problems = load(
        line_feed(
            LINE,
            {
                "wd": ("LE", "WD", [("W", "17:53"), ("P", "18:10"), ("U", "18:38")]),
                "we": ("LE", "WE", [("W", "10:00"), ("P", "10:17"), ("U", "10:45")]),
            },
        )
    )
    assert problems == []
    monday = timetables.earliest_arrival(at(0), at(40), when(MONDAY, "17:00"))
    assert monday is not None
    assert (monday.depart, monday.arrive) == (when(MONDAY, "17:53"), when(MONDAY, "18:38"))
    assert monday.describe() == "GO LE 17:53 → 18:38 Union"
    saturday = timetables.earliest_arrival(at(0), at(40), when(SATURDAY, "08:00"))
    assert saturday is not None
    assert saturday.arrive == when(SATURDAY, "10:45")


def test_holiday_removed_and_special_service_added(load: LoadFeeds) -> None:
    extra = {
        "calendar_dates.txt": [
            ["service_id", "date", "exception_type"],
            ["WD", "20261225", "2"],
            ["XMAS", "20261225", "1"],
        ]
    }
    timetables, _ = load(
        line_feed(
            LINE,
            {
                "wd": ("LE", "WD", [("W", "17:53"), ("U", "18:38")]),
                "xmas": ("LE", "XMAS", [("W", "19:00"), ("U", "19:45")]),
            },
            extra=extra,
        )
    )
    christmas = timetables.earliest_arrival(at(0), at(40), when(CHRISTMAS, "17:00"))
    assert christmas is not None
    assert christmas.arrive == when(CHRISTMAS, "19:45")
    friday_before = timetables.earliest_arrival(at(0), at(40), when(date(2026, 12, 18), "17:00"))
    assert friday_before is not None
    assert friday_before.arrive == when(date(2026, 12, 18), "18:38")


def test_a_trip_past_midnight_belongs_to_its_service_day(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(LINE, {"late": ("LE", "WD", [("U", "24:20"), ("P", "24:45"), ("W", "25:10")])})
    )
    home = timetables.earliest_arrival(at(40), at(0), when(MONDAY, "23:00"))
    assert home is not None
    assert home.depart == when(date(2026, 12, 8), "00:20")
    assert home.arrive == when(date(2026, 12, 8), "01:10")
    # Asked after midnight, the trip of Monday's service still runs (Tuesday 00:30).
    from_pickering = timetables.earliest_arrival(at(15), at(0), when(date(2026, 12, 8), "00:30"))
    assert from_pickering is not None
    assert from_pickering.arrive == when(date(2026, 12, 8), "01:10")
    # Saturday night has no Friday... but Sunday 00:30 has no Saturday service: nothing.
    assert timetables.earliest_arrival(at(15), at(0), when(date(2026, 12, 6), "00:30")) is None


def _two_lines(transfer_rows: list[list[str]] | None) -> dict[str, object]:
    stops = [
        stop("A", "Ajax", 0),
        stop("X", "Exchange", 10),
        stop("X2", "Exchange east", 10, 0.1),
        stop("Z", "Zed", 30),
    ]
    trips = {
        "in": ("LE", "WD", [("A", "09:40"), ("X", "10:00")]),
        "tight": ("B1", "WD", [("X", "10:03"), ("Z", "10:30")]),
        "later": ("B1", "WD", [("X", "10:10"), ("Z", "10:37")]),
    }
    extra = {"transfers.txt": transfer_rows} if transfer_rows else None
    return line_feed(stops, trips, extra=extra)  # type: ignore[arg-type]


def test_the_default_minimum_transfer_time_makes_a_3_minute_change(load: LoadFeeds) -> None:
    timetables, _ = load(_two_lines(None))
    journey = timetables.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:30")
    assert [leg.route for leg in journey.legs if leg.mode == "ride"] == ["GO LE", "GO 1"]


def test_min_transfer_time_misses_a_tight_connection(load: LoadFeeds) -> None:
    header = ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
    timetables, _ = load(_two_lines([header, ["X", "X", "2", "300"]]))
    journey = timetables.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:37")
    # A default of 4 minutes misses it too, without transfers.txt.
    stricter, _ = load(_two_lines(None), min_transfer_minutes=4)
    later = stricter.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert later is not None
    assert later.arrive == when(MONDAY, "10:37")


def test_transfer_type_3_forbids_the_change(load: LoadFeeds) -> None:
    stops = [stop("A", "Ajax", 0), stop("X", "Exchange", 10), stop("X2", "East", 10, 0.1),
             stop("Z", "Zed", 30)]  # fmt: skip
    trips = {
        "in": ("LE", "WD", [("A", "09:40"), ("X", "10:00")]),
        "out": ("B1", "WD", [("X2", "10:10"), ("Z", "10:37")]),
    }
    header = ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
    allowed, _ = load(line_feed(stops, trips))
    journey = allowed.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:37")
    assert [leg.mode for leg in journey.legs] == ["ride", "walk", "ride"]
    forbidden, _ = load(
        line_feed(stops, trips, extra={"transfers.txt": [header, ["X", "X2", "3", ""]]})
    )
    assert forbidden.earliest_arrival(at(0), at(30), when(MONDAY, "09:30")) is None


def test_a_transfer_rule_for_some_routes_only_is_not_applied_to_every_route(
    load: LoadFeeds,
) -> None:
    """transfers.txt may forbid or time a change between two routes or trips only (the
    GTFS from_route_id / to_route_id / from_trip_id / to_trip_id columns); the router
    times changes stop to stop, so such a row must not forbid every change there."""
    header = ["from_stop_id", "to_stop_id", "from_route_id", "to_route_id", "from_trip_id",
              "to_trip_id", "transfer_type", "min_transfer_time"]  # fmt: skip
    rows = [
        header,
        ["X", "X", "LE", "B9", "", "", "3", ""],  # LE to another line: forbidden
        ["X", "X", "", "", "in", "later", "2", "900"],  # a timed change between two trips
    ]
    timetables, problems = load(_two_lines(rows))
    assert problems == []
    journey = timetables.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:30")  # the 3-minute change, as without them


def test_a_transfer_time_past_any_number_skips_that_row_only(load: LoadFeeds) -> None:
    """min_transfer_time "1e400" reads as infinity: that row is skipped and said, the feed
    and its other rows are read (it was the whole feed, as planner's own bug)."""
    header = ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
    rows = [header, ["X2", "X2", "2", "1e400"], ["X", "X", "2", "300"]]
    timetables, problems = load(_two_lines(rows))
    assert timetables.feeds
    assert [p.text for p in problems] == ["skipped a transfer: unknown stop or a bad transfer_type"]
    journey = timetables.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:37")  # the other row's 5 minutes kept


def test_frequencies_exact_and_not(load: LoadFeeds) -> None:
    stops = [stop("A", "Ajax", 0), stop("B", "Bay", 10)]
    for exact in ("1", "0"):
        timetables, problems = load(
            line_feed(
                stops,
                {"every10": ("B1", "WD", [("A", "06:00"), ("B", "06:12")])},
                extra={
                    "frequencies.txt": [
                        ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
                        ["every10", "07:00:00", "08:00:00", "600", exact],
                    ]
                },
            )
        )
        assert problems == []
        journey = timetables.earliest_arrival(at(0), at(10), when(MONDAY, "07:05"))
        assert journey is not None
        assert (journey.depart, journey.arrive) == (when(MONDAY, "07:10"), when(MONDAY, "07:22"))
        last = timetables.last_departure(at(0), at(10), MONDAY)
        assert last is not None
        assert last.depart == when(MONDAY, "07:50")  # 08:00 is the end, not a departure
        # The template's own 06:00 run is not a trip: frequencies replace it.
        early = timetables.earliest_arrival(at(0), at(10), when(MONDAY, "05:50"))
        assert early is not None
        assert early.depart == when(MONDAY, "07:00")


def test_stops_of_one_parent_station_are_walkable(load: LoadFeeds) -> None:
    stops = [
        stop("A", "Ajax", 0),
        stop("S", "Union Station", 10),
        stop("P1", "Union GO", 10, -0.3, parent="S"),
        stop("P2", "Union subway", 10, 0.3, parent="S"),
        stop("Z", "Zed", 30),
    ]
    trips = {
        "in": ("LE", "WD", [("A", "09:40"), ("P1", "10:00")]),
        "out": ("B1", "WD", [("P2", "10:15"), ("Z", "10:40")]),
    }
    timetables, _ = load(line_feed(stops, trips))
    journey = timetables.earliest_arrival(at(0), at(30), when(MONDAY, "09:30"))
    assert journey is not None
    assert journey.arrive == when(MONDAY, "10:40")
    walk = journey.legs[1]
    assert (walk.mode, walk.origin, walk.destination) == ("walk", "Union GO", "Union subway")
    # 600 m apart: beyond the 400 m of a footpath without the parent station.
    orphans = [[*row[:4], ""] for row in stops]
    alone, _ = load(line_feed(orphans, trips))
    assert alone.earliest_arrival(at(0), at(30), when(MONDAY, "09:30")) is None


def test_two_feeds_joined_by_a_walk(load: LoadFeeds) -> None:
    go = line_feed(
        [stop("W", "Whitby GO", 0), stop("U", "Union GO", 40)],
        {"le": ("LE", "WD", [("W", "17:53"), ("U", "18:38")])},
    )
    ttc = line_feed(
        [stop("U", "Union", 40, 0.15), stop("K", "King", 41.5, 0.15)],
        {"sub": ("1", "WD", [("U", "18:45"), ("K", "18:50")])},
        agency="Toronto Transit Commission",
        routes=[ROUTES_HEADER, ["1", "A", "1", "Yonge-University", "1"]],
    )
    timetables, problems = load(go, ttc)
    assert problems == []
    assert [f.agencies for f in timetables.feeds] == [
        ("GO Transit",),
        ("Toronto Transit Commission",),
    ]
    journey = timetables.earliest_arrival(at(0), at(41.5, 0.15), when(MONDAY, "17:30"))
    assert journey is not None
    assert (
        journey.describe() == "GO LE 17:53 → 18:38 Union GO · walk 3 min · TTC 1 18:45 → 18:50 King"
    )
    assert journey.arrive == when(MONDAY, "18:50")


def test_last_train_and_after_it(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            LINE,
            {
                "t1": ("LE", "WD", [("U", "22:55"), ("W", "23:40")]),
                "t2": ("LE", "WD", [("U", "23:55"), ("W", "24:40")]),
            },
        )
    )
    last = timetables.last_departure(at(40), at(0), MONDAY)
    assert last is not None
    assert (last.depart, last.arrive) == (when(MONDAY, "23:55"), when(date(2026, 12, 8), "00:40"))
    assert last.describe() == "GO LE 23:55 → 00:40 Whitby"
    assert timetables.earliest_arrival(at(40), at(0), when(MONDAY, "23:56")) is None
    # Home by 00:00: the 22:55.
    by_midnight = timetables.latest_departure(at(40), at(0), when(date(2026, 12, 8), "00:00"))
    assert by_midnight is not None
    assert by_midnight.depart == when(MONDAY, "22:55")


def test_latest_departure_arrives_in_time(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("U", "Union", 40)],
            {
                "a": ("LE", "WD", [("W", "07:50"), ("U", "08:35")]),
                "b": ("LE", "WD", [("W", "08:05"), ("U", "08:50")]),
                "c": ("LE", "WD", [("W", "08:25"), ("U", "09:10")]),
            },
        )
    )
    # Venue 480 m north of Union: a 7 minute walk (0.48 km × 1.25 at 4.8 km/h = 7.5 min).
    journey = timetables.latest_departure(at(0), at(40.48), when(MONDAY, "09:00"))
    assert journey is not None
    assert journey.depart == when(MONDAY, "08:05")
    assert journey.arrive <= when(MONDAY, "09:00")
    assert [leg.mode for leg in journey.legs] == ["ride", "walk"]
    assert timetables.latest_departure(at(0), at(40.48), when(MONDAY, "08:30")) is None


def test_access_by_drive_to_a_rail_stop(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("U", "Union", 40)],
            {
                "a": ("LE", "WD", [("W", "07:50"), ("U", "08:35")]),
                "back": ("LE", "WD", [("U", "18:10"), ("W", "18:55")]),
            },
        )
    )
    home = at(-8)  # 8 km south of Whitby station: too far to walk
    assert not timetables.covers(*home)
    assert timetables.covers(*at(0.5))
    assert timetables.earliest_arrival(home, at(40), when(MONDAY, "07:00")) is None
    journey = timetables.earliest_arrival(home, at(40), when(MONDAY, "07:00"), access="drive")
    assert journey is not None
    drive = journey.legs[0]
    assert (drive.mode, drive.destination, drive.arrive) == (
        "drive",
        "Whitby",
        when(MONDAY, "07:50"),
    )
    assert journey.arrive == when(MONDAY, "08:35")
    assert journey.overhead_minutes == journey.minutes - 45
    assert journey.describe().startswith("drive ")
    # Home again by car from the station: the drive is at the destination's end.
    back = timetables.latest_departure(at(40), home, when(MONDAY, "20:00"), egress="drive")
    assert back is not None
    assert [leg.mode for leg in back.legs] == ["ride", "drive"]
    assert back.depart == when(MONDAY, "18:10")
    assert back.legs[-1].depart == when(MONDAY, "18:55")


def test_a_direct_walk_when_it_is_quicker(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("N", "Next", 0.6)],
            {"a": ("B1", "WD", [("W", "08:30"), ("N", "08:32")])},
        )
    )
    journey = timetables.earliest_arrival(at(0), at(0.6), when(MONDAY, "08:00"))
    assert journey is not None
    assert [leg.mode for leg in journey.legs] == ["walk"]
    assert journey.minutes == 10  # 0.6 km × 1.25 at 4.8 km/h = 9.4 min
    assert journey.overhead_minutes == 10


def test_journey_minutes_and_overhead(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("U", "Union", 40)],
            {"a": ("LE", "WD", [("W", "17:53"), ("U", "18:38")])},
        )
    )
    # 0.5 km south of Whitby station, 0.5 km north of Union: two walks of 7.8 min.
    journey = timetables.earliest_arrival(at(-0.5), at(40.5), when(MONDAY, "17:00"))
    assert journey is not None
    assert journey.describe() == "walk 8 min · GO LE 17:53 → 18:38 Union · walk 8 min"
    assert journey.minutes == 61
    assert journey.overhead_minutes == 16
    assert journey.depart.tzinfo is TORONTO


def test_answers_in_the_zone_asked(load: LoadFeeds) -> None:
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("U", "Union", 40)],
            {"a": ("LE", "WD", [("W", "17:53"), ("U", "18:38")])},
        )
    )
    utc = ZoneInfo("UTC")
    journey = timetables.earliest_arrival(at(0), at(40), datetime(2026, 12, 7, 22, 0, tzinfo=utc))
    assert journey is not None
    assert journey.depart == datetime(2026, 12, 7, 22, 53, tzinfo=utc)
    assert journey.depart.tzinfo is utc


def test_times_on_the_days_clocks_change(load: LoadFeeds) -> None:
    """GTFS counts from noon minus 12 hours: on both days the clocks change in Toronto
    (2026-03-08 and 2026-11-01, Sundays), a 13:00 train leaves at 13:00 on the clock."""
    timetables, _ = load(
        line_feed(
            [stop("W", "Whitby", 0), stop("U", "Union", 40)],
            {"sun": ("LE", "WE", [("W", "13:00"), ("U", "13:45")])},
        )
    )
    for day in (date(2026, 3, 8), date(2026, 11, 1)):
        journey = timetables.earliest_arrival(at(0), at(40), when(day, "12:00"))
        assert journey is not None
        assert (journey.depart, journey.arrive) == (when(day, "13:00"), when(day, "13:45"))
        assert journey.minutes == 45
