"""Calendars that cannot break planner: runaway recurrences, absurd values, special files,
and the leniency of the reference readers (issue #15).

Before these fixes, each input below hung planner past a minute (every second, an hourly
rule listing every minute and second, INTERVAL=0, a 1 MB line with one non-UTF-8 byte),
ended it with an OverflowError traceback that cost the other files of the command (absurd
durations, COUNT=1000000000), or lost the whole file (a bad VTIMEZONE offset, a bad
REFRESH-INTERVAL). The ones that hung run here through the command line in a subprocess
under a time and memory limit, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.core.calendars import guard
from planner.core.calendars.preview import preview_file
from planner.core.calendars.reading import IcsError, read_bytes, read_file
from planner.core.model import Severity

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("America/Toronto")
WEEK = datetime(2026, 12, 7, tzinfo=TZ)
END = WEEK + timedelta(days=7)
ALL_60 = ",".join(str(n) for n in range(60))


def event(uid: str, summary: str, *props: str) -> str:
    lines = [f"UID:{uid}", f"SUMMARY:{summary}", "DTSTAMP:20261201T000000Z", *props]
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


def calendar(*events: str, header: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + header
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


GOOD = calendar(event("good", "Good", "DTSTART:20261208T140000Z", "DTEND:20261208T150000Z"))


def read(data: bytes, end: datetime = END):
    return read_bytes(data, "work.ics", TZ, WEEK, end)


def texts(result) -> list[str]:
    return [str(p) for p in result.problems]


def run_planner(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m planner ARGS`` under 2 GiB of address space and ``timeout`` seconds."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "TZ": "UTC"}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- through the command line: what hung or crashed, with good calendars beside it ----------

RUNAWAY = {
    "secondly.ics": (
        ("DTSTART:20261207T090000Z", "DTEND:20261207T091500Z", "RRULE:FREQ=SECONDLY"),
        "secondly.ics:4: “Standup” repeats every second; more than 5,000 occurrences a week;"
        " skipped",
    ),
    "minutely.ics": (
        ("DTSTART:20261207T090000Z", "DTEND:20261207T090100Z", "RRULE:FREQ=MINUTELY"),
        "“Standup” repeats every minute; more than 5,000 occurrences a week; skipped",
    ),
    "every-minute-and-second.ics": (
        (
            "DTSTART:20261207T090000Z",
            "DTEND:20261207T090001Z",
            f"RRULE:FREQ=HOURLY;BYMINUTE={ALL_60};BYSECOND={ALL_60}",
        ),
        "“Standup” repeats every second; more than 5,000 occurrences a week; skipped",
    ),
    "interval-zero.ics": (
        ("DTSTART:20261207T090000Z", "DTEND:20261207T100000Z", "RRULE:FREQ=DAILY;INTERVAL=0"),
        "“Standup” has INTERVAL=0 in its RRULE (it must be 1 or more); skipped",
    ),
    "count-secondly.ics": (
        ("DTSTART:20261207T090000Z", "RRULE:FREQ=SECONDLY;COUNT=1000000000"),
        "“Standup” repeats every second; more than 5,000 occurrences a week; skipped",
    ),
    "never-matches.ics": (
        ("DTSTART:20200101T090000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"),
        "skipped 'Standup': expanding it took more than 1 s",
    ),
    "hourly-since-2000.ics": (
        ("DTSTART:20000101T090000Z", "RRULE:FREQ=HOURLY"),
        "“Standup” repeats every hour since 2000: more than 200,000 repetitions to go through"
        " before the dates read; skipped",
    ),
    "duration-days.ics": (
        ("DTSTART:20261207T090000Z", "DURATION:P99999999D"),
        "skipped 'Standup': its DURATION P99999999D would end after the year 9999",
    ),
    "duration-int.ics": (
        ("DTSTART:20261207T090000Z", "DURATION:P2147483648D"),
        "skipped 'Standup': its DURATION cannot be read (Impractical iCalendar duration:"
        " P2147483648D)",
    ),
    "duration-weeks.ics": (
        ("DTSTART:20261207T090000Z", "DURATION:P999999999999999999W", "RRULE:FREQ=DAILY"),
        "skipped 'Standup': its DURATION cannot be read (Impractical iCalendar duration:"
        " P999999999999999999W)",
    ),
}


def test_runaway_series_and_absurd_durations_are_reported_and_the_other_files_read(tmp_path):
    for name, (props, _) in RUNAWAY.items():
        (tmp_path / name).write_bytes(calendar(event(name, "Standup", *props)))
    (tmp_path / "good.ics").write_bytes(GOOD)
    (tmp_path / "count.ics").write_bytes(
        calendar(
            event("lots", "Lots", "DTSTART:20200101T090000Z", "RRULE:FREQ=DAILY;COUNT=1000000000")
        )
    )
    (tmp_path / "until-9999.ics").write_bytes(
        calendar(
            event(
                "forever",
                "Forever",
                "DTSTART:20261207T090000Z",
                "DTEND:20261207T100000Z",
                "RRULE:FREQ=DAILY;UNTIL=99991231T000000Z",
            )
        )
    )
    names = [*RUNAWAY, "good.ics", "count.ics", "until-9999.ics"]
    done = run_planner("events", *names, "--from", "2026-12-07", "--to", "2026-12-14", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "2026-12-08T14:00:00+00:00 Good  [good.ics]" in done.stdout
    assert done.stdout.count("Lots  [count.ics]") == 7
    assert done.stdout.count("Forever  [until-9999.ics]") == 7
    assert "Standup" not in done.stdout
    for name, (_, message) in RUNAWAY.items():
        assert f"planner: warning: {name}:4: " in done.stderr, name
        assert message in done.stderr, (name, done.stderr)


def test_a_calendar_that_fails_costs_only_itself_in_events_and_plan(tmp_path):
    (tmp_path / "good.ics").write_bytes(GOOD)
    (tmp_path / "candidates.ics").write_bytes(
        calendar(
            event(
                "mixer",
                "Mixer",
                "DTSTART:20261209T230000Z",
                "DTEND:20261210T010000Z",
                "LOCATION:online",
                "URL:https://example.org/mixer",
            )
        )
    )
    (tmp_path / "bad.ics").write_bytes(
        calendar(event("x", "Ping", "DTSTART:20261207T090000Z", "RRULE:FREQ=SECONDLY"))[:-40]
        + b"\x00\xff garbage"
    )
    (tmp_path / "folder.ics").mkdir()
    listed = run_planner(
        "events", "good.ics", "bad.ics", "folder.ics", "--from", "2026-12-07", cwd=tmp_path
    )
    assert listed.returncode == 1
    assert "Good  [good.ics]" in listed.stdout
    assert "folder.ics: is a folder, not a file" in listed.stderr
    assert "Traceback" not in listed.stderr
    planned = run_planner(
        "plan",
        "--commitments",
        "good.ics",
        "--candidates",
        "candidates.ics",
        "bad.ics",
        "folder.ics",
        "--week",
        "2026-12-07",
        "--json",
        cwd=tmp_path,
    )
    assert planned.returncode == 1, planned.stderr  # planned, and a calendar named not read
    assert "Traceback" not in planned.stderr
    assert '"summary": "Mixer"' in planned.stdout
    assert "folder.ics: is a folder, not a file" in planned.stdout
    assert "bad.ics:4: BEGIN:VEVENT is never closed; skipped" in planned.stdout


def test_special_files_are_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "pipe.ics")
    sparse = tmp_path / "huge.ics"
    with sparse.open("wb") as out:
        out.truncate(2 << 30)  # 2 GiB of nothing on disk
    (tmp_path / "good.ics").write_bytes(GOOD)
    done = run_planner(
        "events",
        "pipe.ics",
        "/dev/zero",
        "huge.ics",
        str(tmp_path),
        "good.ics",
        "--from",
        "2026-12-07",
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Good  [good.ics]" in done.stdout
    assert "pipe.ics: is a pipe (FIFO), not a file; save the calendar to a file first" in (
        done.stderr
    )
    assert "/dev/zero: is a device, not a file" in done.stderr
    assert "huge.ics: is 2.0 GiB; planner reads calendar files up to 512 MiB" in done.stderr
    assert f"{tmp_path}: is a folder, not a file" in done.stderr
    for path, message in (
        (sparse, "is 2.0 GiB"),
        (Path("/dev/zero"), "is a device"),
        (tmp_path, "is a folder"),
    ):
        with pytest.raises(IcsError, match=message):
            preview_file(path)
        with pytest.raises(IcsError, match=message):
            read_file(path, TZ, WEEK, END)


def test_a_pipe_is_refused_by_the_import_preview_without_opening_it(tmp_path):
    """Opening a FIFO blocks until something writes to it: the check runs on a thread
    that would stay blocked, and the test writes nothing."""
    pipe = tmp_path / "pipe.ics"
    os.mkfifo(pipe)
    outcome: list[BaseException | None] = []

    def preview() -> None:
        try:
            preview_file(pipe)
        except IcsError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=preview, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock it before failing, so no thread is left behind
        with pipe.open("wb"):
            pass
        pytest.fail("preview_file opened the FIFO")
    assert outcome
    assert "is a pipe (FIFO), not a file" in str(outcome[0])


def test_a_long_line_with_one_byte_that_is_not_utf8_reads_in_linear_time(tmp_path):
    """A 1 MB line and a Latin-1 byte elsewhere used to take minutes (a regex retried from
    every position of the long line); run in a subprocess with a time limit."""
    data = calendar(
        event("long", "Café", "DTSTART:20261208T140000Z", "DESCRIPTION:" + "x" * 1_000_000)
    ).replace("Café".encode(), "Café".encode("cp1252"))
    (tmp_path / "long.ics").write_bytes(data)
    done = run_planner("events", "long.ics", "--from", "2026-12-07", cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Café  [long.ics]" in done.stdout
    assert "not UTF-8; read as Latin-1/Windows-1252" in done.stderr


# --- in the reader: each message and what is kept ------------------------------------------


def test_counting_to_a_billion_or_until_9999_reads_the_week():
    result = read(
        calendar(
            event("a", "Lots", "DTSTART:20200101T090000Z", "RRULE:FREQ=DAILY;COUNT=1000000000"),
            event("b", "Until", "DTSTART:20261207T100000Z", "RRULE:FREQ=WEEKLY;UNTIL=99991231"),
        )
    )
    assert result.problems == []
    assert [e.summary for e in result.events].count("Lots") == 7
    assert [e.summary for e in result.events].count("Until") == 1


def test_an_end_in_the_year_9999_is_reported_like_a_start_in_it():
    result = read(
        calendar(
            event("a", "Long", "DTSTART:20261207T090000Z", "DTEND:99991231T100000Z"),
            event(
                "b",
                "Long series",
                "DTSTART:20261207T090000Z",
                "DTEND:99991231T100000Z",
                "RRULE:FREQ=WEEKLY",
            ),
        )
    )
    assert result.events == []
    assert texts(result) == [
        "work.ics:4: skipped 'Long': its end year 9999 is outside 1600-2999",
        "work.ics:11: skipped 'Long series': its end year 9999 is outside 1600-2999",
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",  # 168 a week
        "FREQ=MINUTELY;INTERVAL=15",  # 672
        "FREQ=MINUTELY;UNTIL=20261207T100000Z",  # an hour of minutes
        "FREQ=SECONDLY;COUNT=10",
        "FREQ=DAILY;BYHOUR=9,12,17;BYMINUTE=0,30",
        "FREQ=HOURLY;BYHOUR=9,17",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MINUTELY;INTERVAL=5;BYDAY=MO",  # 288 on Mondays
    ],
)
def test_busy_but_real_rules_are_expanded(rule):
    result = read(calendar(event("r", "Busy", "DTSTART:20261207T090000Z", f"RRULE:{rule}")))
    assert result.problems == []
    assert result.events


@pytest.mark.parametrize(
    ("rule", "pace"),
    [
        ("FREQ=SECONDLY", "repeats every second"),
        ("FREQ=SECONDLY;INTERVAL=30", "repeats every 30 seconds"),
        ("FREQ=MINUTELY;INTERVAL=2", "repeats every 2 minutes"),
        (f"FREQ=DAILY;BYHOUR=9,10;BYMINUTE={ALL_60}", "repeats up to 120 times a day"),
        (f"FREQ=HOURLY;BYMINUTE={ALL_60}", "repeats every minute"),
    ],
)
def test_runaway_rules_are_said_by_their_pace(rule, pace):
    if "BYHOUR=9,10" in rule:  # 840 a week: within the bound, so expanded
        assert guard.runaway_rule(icalendar.vRecur.from_ical(rule), WEEK, END) == ""
        return
    why = guard.runaway_rule(icalendar.vRecur.from_ical(rule), WEEK, END)
    assert why == f"{pace}; more than 5,000 occurrences a week"


def test_a_series_over_the_cap_or_the_deadline_is_skipped_and_named():
    budget = guard.Budget(series_occurrences=3)
    assert budget.take(lambda: iter(range(3))) == [0, 1, 2]
    assert budget.take(lambda: iter(range(10))) == "more than 3 occurrences in the dates read"
    assert budget.held == 3

    def tick() -> None:
        """A Python call, as dateutil's loop makes for each period."""

    def never_yields():
        while True:
            tick()
            yield from ()

    began = time.monotonic()
    slow = guard.Budget(series_seconds=0.05).take(never_yields)
    assert slow == "expanding it took more than 0.05 s"
    assert time.monotonic() - began < 30  # stopped, not run to the end (there is none)
    assert sys.gettrace() is None


def test_the_read_stops_expanding_at_its_own_bound():
    budget = guard.Budget(occurrences=5)
    assert budget.take(lambda: iter(range(4))) == [0, 1, 2, 3]
    assert budget.take(lambda: iter(range(4))) == (
        "not expanded: this read already holds 5 occurrences (the limit for one read)"
    )
    assert budget.take(lambda: iter(range(1))) == (
        "not expanded: this read already holds 5 occurrences (the limit for one read)"
    )


def test_digits_that_int_rejects_are_ignored_with_a_note():
    result = read(
        calendar(
            event(
                "sup",
                "Sup",
                "DTSTART:20261207T090000Z",
                "DTEND:20261207T100000Z",
                "SEQUENCE:²",
                "PRIORITY:²",
            )
        )
    )
    (kept,) = result.events
    assert kept.priority == 0
    assert texts(result) == ["work.ics: “Sup”: its PRIORITY '²' is not a number; ignored"]
    assert guard.whole_number("²") is None
    assert guard.whole_number("٣") is None
    assert guard.whole_number(" 12 ") == 12


def test_an_event_that_ends_before_it_starts_is_kept_with_its_times_swapped():
    result = read(
        calendar(
            event("a", "Backwards", "DTSTART:20261207T140000Z", "DTEND:20261207T130000Z"),
            event("b", "Backwards day", "DTSTART;VALUE=DATE:20261208", "DTEND;VALUE=DATE:20261207"),
            event(
                "c",
                "Negative",
                "DTSTART:20261209T140000Z",
                "DURATION:-PT1H",
                "RRULE:FREQ=DAILY;COUNT=2",
            ),
        )
    )
    by_title = {}
    for found in result.events:
        by_title.setdefault(found.summary, []).append(found)
    (swapped,) = by_title["Backwards"]  # as recurring-ical-events reads it: it blocks time
    assert (swapped.start, swapped.end) == (
        datetime(2026, 12, 7, 8, tzinfo=TZ),
        datetime(2026, 12, 7, 9, tzinfo=TZ),
    )
    (day,) = by_title["Backwards day"]
    assert (day.start.date(), day.end.date(), day.all_day) == (
        date(2026, 12, 7),
        date(2026, 12, 8),
        True,
    )
    negative = by_title["Negative"]
    assert [(e.start.day, e.start.hour, e.end.hour) for e in negative] == [(9, 8, 9), (10, 8, 9)]
    assert all(p.severity is Severity.NOTE for p in result.problems)
    assert texts(result) == [
        "work.ics:4: “Backwards” ends before it starts (DTEND 20261207T130000Z); kept with its"
        " start and end swapped",
        "work.ics:11: “Backwards day” ends before it starts (DTEND 20261207); kept with its start"
        " and end swapped",
        "work.ics:18: “Negative” ends before it starts (DURATION -PT1H); kept as the 1 h before",
    ]


def test_events_without_a_calendar_around_them_are_read_with_a_note(tmp_path):
    bare = event("bare", "Bare", "DTSTART:20261208T140000Z", "DTEND:20261208T150000Z").encode()
    result = read(bare)
    assert [e.summary for e in result.events] == ["Bare"]
    assert texts(result) == [
        "work.ics: its events are not inside BEGIN:VCALENDAR ... END:VCALENDAR; read them anyway"
    ]
    path = tmp_path / "clipboard.ics"
    path.write_bytes(bare)
    preview = preview_file(path)
    assert preview.events == 1
    assert "read them anyway" in str(preview.problems[0])
    with pytest.raises(IcsError, match=r"not an iCalendar file \(no BEGIN:VCALENDAR\)"):
        read(b"SUMMARY:just a line\r\n")


def test_one_bad_time_zone_or_calendar_property_costs_only_itself():
    zone = (
        "BEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701101T020000\r\n"
        "TZOFFSETFROM:-0400\r\nTZOFFSETTO:+99999\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    result = read(
        calendar(
            event(
                "a",
                "In the zone",
                "DTSTART;TZID=Custom Zone:20261208T090000",
                "DTEND;TZID=Custom Zone:20261208T100000",
            ),
            event("b", "In UTC", "DTSTART:20261208T140000Z"),
            header="REFRESH-INTERVAL;VALUE=DURATION:P²D\r\n" + zone,
        )
    )
    assert {e.summary: e.start for e in result.events} == {
        "In the zone": datetime(2026, 12, 8, 9, tzinfo=TZ),  # read in the user's zone
        "In UTC": datetime(2026, 12, 8, 9, tzinfo=TZ),
    }
    assert texts(result) == [
        "work.ics: ignored its REFRESH-INTERVAL (Invalid iCalendar duration: P²D)",
        "work.ics:5: ignored time zone 'Custom Zone' (Offset must be less than 24 hours, was"
        " +99999); its events are read in your time zone",
    ]


def test_a_feed_with_odd_digits_and_a_bad_refresh_interval_is_merged(site, tmp_path):
    from planner.core.model import Source
    from planner.core.storage.feeds import refresh
    from planner.core.storage.store import Store
    from tests.feed_server import Reply, vevent
    from tests.feed_server import calendar as feed_calendar

    now = datetime(2025, 5, 5, 9, 0, tzinfo=TZ)
    mixer = vevent("mixer", "Mixer", "20250507T180000", "20250507T200000", "SEQUENCE:²")
    site.replies["/cal.ics"] = Reply(
        feed_calendar(mixer, header=("REFRESH-INTERVAL;VALUE=DURATION:P²D",))
    )
    source = Source(site.url("/cal.ics"), "candidates")
    with Store.open(tmp_path / "planner.sqlite3") as store:
        result = refresh(store, source, now)
        assert result.error == ""
        assert result.next_refresh == now + timedelta(hours=4)  # the default interval
        events = store.feed_events(source.path, now, now + timedelta(days=7))
    assert [e.summary for e in events] == ["Mixer"]
    assert [p.text for p in result.problems] == [
        "ignored its REFRESH-INTERVAL (Invalid iCalendar duration: P²D)"
    ]


def test_a_description_of_megabytes_is_searched_at_its_ends():
    filler = "Agenda and notes. " * 120_000  # 2 MB
    result = read(
        calendar(
            event(
                "meetup",
                "Meetup",
                "DTSTART:20261208T230000Z",
                "RRULE:FREQ=DAILY;COUNT=5",
                f"DESCRIPTION:{filler}\\nLocation: Spacing\\, 401 Richmond St W\\, Toronto",
            )
        )
    )
    assert len(result.events) == 5
    assert {e.place.address for e in result.events} == {"401 Richmond St W, Toronto"}


def test_a_start_in_other_digits_is_reported_not_dropped_unseen():
    result = read(
        calendar(
            event("a", "Twice", "DTSTART:20261208T090000Z", "DTSTART:٢٠٢٦١٢٠٨T090000Z"),
        )
    )
    assert result.events == []
    assert [p.text[:40] for p in result.problems] == ["skipped 'Twice': its start time '[vDDDTy"]
