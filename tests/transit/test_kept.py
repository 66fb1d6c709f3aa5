"""Answers kept between runs (:mod:`planner.core.travel.transit.kept`): a second run asks
the router nothing the first answered, gives the same journeys, and starts afresh when
the feed, the minimum transfer or the routing code changes. The file is a cache: a
damaged, locked or read-only one costs speed, never an answer."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import sqlite3
import stat
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import grimp
import pytest

import planner.core.travel.transit.kept as kept_module
import planner.core.travel.transit.timetables as timetables_module
from planner.core.travel.transit import Journey, Timetables, forget_timetables
from planner.core.travel.transit.journey import from_text, to_text
from planner.core.travel.transit.raptor import SearchResult, search
from tests.transit.feeds import at, line_feed, stop, write_feed

TORONTO = ZoneInfo("America/Toronto")
MONDAY = date(2026, 12, 7)
LINE = [stop("W", "Whitby", 0), stop("P", "Pickering", 15), stop("U", "Union", 40)]
TRIPS = {
    "t1": ("LE", "WD", [("W", "17:53"), ("P", "18:10"), ("U", "18:38")]),
    "t2": ("LE", "WD", [("W", "18:23"), ("P", "18:40"), ("U", "19:08")]),
    "back1": ("LE", "WD", [("U", "21:55"), ("P", "22:20"), ("W", "22:40")]),
    "back2": ("LE", "WD", [("U", "23:55"), ("P", "24:20"), ("W", "24:40")]),
}


def when(hhmm: str, day: date = MONDAY) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=TORONTO)


def ask_all(timetables: Timetables) -> list[Journey | None]:
    """The three kinds of question a plan asks, and one with no answer."""
    return [
        timetables.earliest_arrival(at(0), at(40.3), when("17:30"), names=("home", "MaRS")),
        timetables.latest_departure(at(0), at(40.3), when("19:00")),
        timetables.earliest_arrival(at(40.3), at(0), when("21:00")),
        timetables.last_departure(at(40.3), at(0), MONDAY),
        timetables.earliest_arrival(at(40.3), at(0), when("23:59")),  # after the last train
    ]


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the router searched (the real search, counted)."""
    count = [0]

    def counted(*args: Any, **kwargs: Any) -> SearchResult:
        count[0] += 1
        return search(*args, **kwargs)

    monkeypatch.setattr(timetables_module, "search", counted)
    return count


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return write_feed(tmp_path / "go.zip", line_feed(LINE, TRIPS))


def a_run(feed: Path, cache: Path, minutes: int = 2) -> Timetables:
    """What a new process would load: nothing remembered in memory."""
    forget_timetables()
    timetables, problems = Timetables.load([feed], cache_dir=cache, min_transfer_minutes=minutes)
    assert not problems
    return timetables


def kept_files(cache: Path) -> list[Path]:
    return sorted((cache / "transit").glob("journeys-*.sqlite"))


def planned_once(feed: Path, cache: Path) -> list[Journey | None]:
    """A first run: every question asked and its answers written to the cache."""
    first = a_run(feed, cache)
    answers = ask_all(first)
    first.keep()
    return answers


def kept_count(cache: Path) -> int:
    """How many answers the cache's one kept-journeys file holds."""
    (path,) = kept_files(cache)
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM journeys").fetchone()
    connection.close()
    return int(count)


def test_a_second_run_searches_nothing_and_answers_the_same(
    feed: Path, tmp_path: Path, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    first = a_run(feed, cache)
    answers = ask_all(first)
    assert answers[0] is not None and answers[-1] is None
    assert answers[0].describe() == "GO LE 17:53 → 18:38 Union · walk 5 min"
    assert searches[0] > 0
    first.keep()
    searched = searches[0]
    second = a_run(feed, cache)
    again = ask_all(second)
    assert again == answers
    assert [a.legs if a else None for a in again] == [a.legs if a else None for a in answers]
    assert searches[0] == searched  # every answer, the empty one too, came from the file
    assert second.network._whole is None  # nor was the timetable laid out


def test_answers_are_written_when_the_timetables_are_done_with(
    feed: Path, tmp_path: Path, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    answers = ask_all(a_run(feed, cache))  # never flushed by hand: written when collected
    forget_timetables()
    searched = searches[0]
    assert ask_all(a_run(feed, cache)) == answers
    assert searches[0] == searched


def test_a_changed_feed_or_transfer_time_is_searched_again(
    feed: Path, tmp_path: Path, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    answers = planned_once(feed, cache)
    searched = searches[0]
    a_run(feed, cache, minutes=5).earliest_arrival(at(0), at(40.3), when("17:30"))
    assert searches[0] > searched
    # The feed changes: the 17:53 now leaves at 17:43 (and the file is another one).
    changed = dict(TRIPS)
    changed["t1"] = ("LE", "WD", [("W", "17:43"), ("P", "18:00"), ("U", "18:28")])
    write_feed(feed, line_feed(LINE, changed))
    searched = searches[0]
    now = a_run(feed, cache).earliest_arrival(
        at(0), at(40.3), when("17:30"), names=("home", "MaRS")
    )
    assert searches[0] > searched
    assert now is not None and answers[0] is not None
    assert now.arrive < answers[0].arrive
    assert len(kept_files(cache)) >= 2


def test_the_routing_code_is_part_of_what_answers_depend_on() -> None:
    stamp = kept_module.routing_stamp(["abc"], 2)
    assert stamp == kept_module.routing_stamp(["abc"], 2)
    assert stamp != kept_module.routing_stamp(["abd"], 2)
    assert stamp != kept_module.routing_stamp(["abc"], 3)
    assert stamp != kept_module.routing_stamp(["abc", "def"], 2)
    assert stamp != kept_module.routing_stamp(["abc"], 2, zone="datetime.timezone.utc")


def test_the_file_is_readable_by_its_owner_only(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    timetables = a_run(feed, cache)
    ask_all(timetables)
    timetables.keep()
    (path,) = kept_files(cache)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_file_costs_only_speed(
    feed: Path, tmp_path: Path, searches: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    answers = planned_once(feed, cache)
    (path,) = kept_files(cache)
    forget_timetables()
    path.write_bytes(b"this is not a database" * 100)
    searched = searches[0]
    with caplog.at_level(logging.INFO, logger="planner.core.travel.transit.kept"):
        assert ask_all(a_run(feed, cache)) == answers
    assert searches[0] > searched
    assert "searching instead" in caplog.text


def test_a_damaged_answer_is_searched_again(
    feed: Path, tmp_path: Path, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    answers = planned_once(feed, cache)
    (path,) = kept_files(cache)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE journeys SET answer = '[[1, 2]]'")
    connection.close()
    searched = searches[0]
    assert ask_all(a_run(feed, cache)) == answers
    assert searches[0] > searched


@pytest.mark.parametrize(
    "damaged",
    [
        '[["walk", "a", "b", 1e300, 1e300, ""]]',  # beyond any clock: OverflowError
        '[["walk", "a", "b", 1e18, 1e18, ""]]',  # beyond the platform's: OSError
        "[" * 100_000,  # nested past the parser's depth: RecursionError
    ],
)
def test_an_answer_damaged_beyond_reading_is_searched_again(
    feed: Path, tmp_path: Path, searches: list[int], damaged: str
) -> None:
    cache = tmp_path / "cache"
    answers = planned_once(feed, cache)
    (path,) = kept_files(cache)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE journeys SET answer = ?", (damaged,))
    connection.close()
    searched = searches[0]
    assert ask_all(a_run(feed, cache)) == answers
    assert searches[0] > searched


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_cache_folder_costs_only_speed(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = ask_all(a_run(feed, tmp_path / "elsewhere"))
    a_run(feed, cache)  # the compact copy
    (cache / "transit").chmod(0o500)
    try:
        timetables = a_run(feed, cache)
        assert ask_all(timetables) == expected
        timetables.keep()
        assert kept_files(cache) == []
    finally:
        (cache / "transit").chmod(0o700)


def test_a_folder_that_is_a_file_costs_only_speed(feed: Path, tmp_path: Path) -> None:
    """(The read-only case as root, who may write anywhere: the folder cannot be made.)"""
    expected = ask_all(a_run(feed, tmp_path / "elsewhere"))
    keeper = kept_module.KeptJourneys(tmp_path / "not-a-folder" / "transit", "stamp")
    (tmp_path / "not-a-folder").write_text("a file")
    assert keeper.get("key") is None
    keeper.put("key", MONDAY.toordinal(), to_text(expected[0]))
    keeper.flush()
    keeper.close()
    assert keeper.get("key") is None


def test_at_most_max_kept_answers(
    monkeypatch: pytest.MonkeyPatch, feed: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(kept_module, "MAX_KEPT", 10)
    monkeypatch.setattr(kept_module, "FLUSH_EVERY", 4)
    cache = tmp_path / "cache"
    timetables = a_run(feed, cache)
    for minute in range(30):
        timetables.earliest_arrival(at(0), at(40.3), when(f"17:{minute:02d}"))
    timetables.keep()
    assert kept_count(cache) == 10


def test_unused_files_of_other_feeds_are_removed(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    folder = cache / "transit"
    folder.mkdir(parents=True)
    old = folder / "journeys-0123456789abcdef01234567.sqlite"
    recent = folder / "journeys-76543210fedcba9876543210.sqlite"
    for path in (old, recent):
        path.write_bytes(b"")
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    timetables = a_run(feed, cache)
    ask_all(timetables)
    timetables.keep()
    assert not old.exists()
    assert recent.exists()
    assert len(kept_files(cache)) == 2


def test_warm_up_lays_out_only_a_week_not_planned_before(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = a_run(feed, cache)
    week = [MONDAY + timedelta(days=n) for n in range(7)]
    first.warm_up(week)
    assert first.network._whole is not None
    ask_all(first)
    first.keep()
    second = a_run(feed, cache)
    second.warm_up(week)
    assert second.network._whole is None  # its answers are kept
    second.warm_up([MONDAY + timedelta(days=7 + n) for n in range(7)])
    assert second.network._whole is not None  # the next week's are not


def test_a_journey_reads_back_in_the_zone_it_was_asked_in(feed: Path, tmp_path: Path) -> None:
    timetables = a_run(feed, tmp_path / "cache")
    journey = timetables.earliest_arrival(at(0), at(40.3), when("17:30"), names=("home", "MaRS"))
    assert journey is not None
    utc = from_text(to_text(journey), UTC)
    assert utc is not None
    assert utc == journey  # the same instants
    assert utc.depart.tzinfo is UTC
    again = from_text(to_text(journey), TORONTO)
    assert again is not None and again.legs == journey.legs
    assert [leg.depart.tzinfo for leg in journey.legs] == [TORONTO] * len(journey.legs)
    assert from_text(to_text(None), TORONTO) is None


def _stamp_of_copy(travel: Path) -> str:
    """The routing stamp as kept.py computes it from the sources beside it in ``travel``
    (a copy of planner/core/travel)."""
    spec = importlib.util.spec_from_file_location("kept_copy", travel / "transit" / "kept.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stamp: str = module.routing_stamp(["abc"], 2)
    return stamp


def test_a_change_to_any_code_an_answer_runs_is_a_new_stamp(tmp_path: Path) -> None:
    """Every module of planner.core.travel the timetables import computes answers (the
    walking speed and the park-and-ride drive are in estimate.py): a new planner whose
    code there changed must not read the answers of the old one."""
    travel_source = Path(kept_module.__file__).parents[1]
    travel = tmp_path / "travel"
    shutil.copytree(travel_source, travel, ignore=shutil.ignore_patterns("__pycache__"))
    before = _stamp_of_copy(travel)
    graph = grimp.build_graph("planner")
    runs = graph.find_upstream_modules("planner.core.travel.transit.timetables")
    runs |= {"planner.core.travel.transit.timetables", "planner.core.travel.transit"}
    not_answers = {
        "planner.core.travel.geocode_cache",  # only where the cache folder is
        "planner.core.travel.place_text",  # (imported by geocode_cache)
    }
    modules = sorted(m for m in runs - not_answers if m.startswith("planner.core.travel."))
    assert "planner.core.travel.estimate" in modules
    for name in modules:
        relative = Path(*name.split(".")[3:])
        path = travel / relative / "__init__.py"
        if not path.exists():
            path = travel / relative.with_suffix(".py")
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        try:
            assert _stamp_of_copy(travel) != before, name
        finally:
            path.write_bytes(original)


def test_a_name_that_is_not_utf_8_is_kept_and_read_back(
    feed: Path, tmp_path: Path, searches: list[int]
) -> None:
    """A place typed in a terminal that is not UTF-8 reaches Python as a lone surrogate
    ("Caf\\udce9", the byte 0xE9): it is kept and read back as it was, instead of an
    UnicodeEncodeError from the database when the answers are written."""
    cache = tmp_path / "cache"
    first = a_run(feed, cache)
    names = ("home", "Caf\udce9")
    journey = first.earliest_arrival(at(0), at(40.3), when("17:30"), names=names)
    assert journey is not None and journey.legs[-1].destination == "Caf\udce9"
    first.keep()
    searched = searches[0]
    again = a_run(feed, cache).earliest_arrival(at(0), at(40.3), when("17:30"), names=names)
    assert again == journey and again.legs == journey.legs
    assert searches[0] == searched


def test_the_repeated_hour_when_clocks_go_back_is_two_questions(tmp_path: Path) -> None:
    """01:05 happens twice on 1 Nov 2026 in Toronto (EDT, then EST an hour later), and
    the two times compare equal in one zone: the second is not answered with the first's
    journey, which left before it (or arrived after it)."""
    night = {
        "n1": ("LE", "WE", [("W", "00:30"), ("U", "01:15")]),  # Sunday's: 01:30 EDT
        "n2": ("LE", "WE", [("W", "01:10"), ("U", "01:55")]),  # 01:10 EST
        "s1": ("LE", "WE", [("W", "24:40"), ("U", "25:20")]),  # Saturday's: to 01:20 EDT
        "s3": ("LE", "WE", [("W", "26:00"), ("U", "26:40")]),  # to 01:40 EST
    }
    feed = write_feed(tmp_path / "night.zip", line_feed(LINE, night))
    first = datetime(2026, 11, 1, 1, 5, tzinfo=TORONTO)
    second = first.replace(fold=1)
    assert second == first and second.timestamp() - first.timestamp() == 3600
    timetables = a_run(feed, tmp_path / "cache")
    edt = timetables.earliest_arrival(at(0), at(40.3), first)
    est = timetables.earliest_arrival(at(0), at(40.3), second)
    assert edt is not None and est is not None
    assert edt.depart.timestamp() >= first.timestamp()
    assert est.depart.timestamp() >= second.timestamp()
    by = first.replace(minute=45)
    by_edt = timetables.latest_departure(at(0), at(40.3), by)
    by_est = timetables.latest_departure(at(0), at(40.3), by.replace(fold=1))
    assert by_edt is not None and by_est is not None
    assert by_edt.arrive.timestamp() <= by.timestamp()
    assert by_est.depart.timestamp() - by_edt.depart.timestamp() > 1800


def test_a_plan_writes_its_answers_when_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only at the end of the process: a window that ends badly, or a ``planner plan``
    run beside it, finds the answers of every plan made."""
    from planner.core.planning.plan import plan_week
    from tests.core.week_builder import at as week_at
    from tests.core.week_builder import event, settings
    from tests.transit.plan_feeds import HOME_NEAR, VENUE_NEAR, go_line

    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    feed = go_line(tmp_path / "go.zip")
    rules = settings(
        home={"location": f"{HOME_NEAR.lat}, {HOME_NEAR.lon}"},
        travel={"mode": "transit"},
        transit={"gtfs": [str(feed)]},
    )
    talk = event("talk", 24, (19, 0), (21, 0), VENUE_NEAR)
    plan_week([], [talk], rules, week_at(23, 0).date())
    assert kept_count(tmp_path / "cache") >= 2  # there, and back
