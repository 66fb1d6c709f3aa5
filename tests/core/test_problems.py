"""Problems as data: the sentence a user reads, and the severity a caller acts on."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.calendars.event_places import audit_places
from planner.core.calendars.reading import IcsError, read_bytes, read_file
from planner.core.model import Event, Place, Problem, Severity, Source
from planner.core.planning.plan import plan_week
from planner.core.planning.report import plan_json
from planner.core.planning.week import load_week
from planner.core.session import calendar_loader
from planner.core.settings import Settings
from planner.core.storage.codec import problem_from_dict, problem_to_dict
from planner.core.storage.parse_cache import read_file_cached
from planner.core.storage.store import Store

TZ = ZoneInfo("America/Toronto")
START = datetime(2026, 11, 23, tzinfo=TZ)
END = datetime(2026, 11, 30, tzinfo=TZ)


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


GOOD = "UID:good\r\nSUMMARY:Fine\r\nDTSTART:20261124T180000Z\r\nDTEND:20261124T190000Z"
NO_START = "UID:bad\r\nSUMMARY:No start"


# --- the type ------------------------------------------------------------------------------


def test_a_problem_reads_as_the_sentence_shown_before_it_was_data():
    assert str(Problem("work.ics", "file not found")) == "work.ics: file not found"
    skipped = Problem("feed.ics", "skipped 'X': it has no start time (DTSTART)", line=12)
    assert str(skipped) == "feed.ics:12: skipped 'X': it has no start time (DTSTART)"
    # A text that names what it is about on its own (a feed's stored error) has no source.
    assert str(Problem("", "meetup.com: HTTP 503")) == "meetup.com: HTTP 503"


def test_a_problem_is_a_warning_unless_said_otherwise_and_cannot_change():
    problem = Problem(source="a.ics", text="x")
    assert (problem.line, problem.severity) == (None, Severity.WARNING)
    assert Problem("a.ics", "x", 3, Severity.NOTE) == Problem(
        source="a.ics", text="x", line=3, severity=Severity.NOTE
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.text = "y"  # type: ignore[misc]


def test_a_problem_survives_the_parse_cache_codec():
    for problem in (
        Problem("a.ics", "skipped 'X': why", line=7),
        Problem("", "a note", severity=Severity.NOTE),
        Problem("b.ics", "file not found", severity=Severity.ERROR),
    ):
        assert problem_from_dict(problem_to_dict(problem)) == problem


# --- what readers report -------------------------------------------------------------------


def test_a_missing_file_is_an_error(tmp_path):
    missing = tmp_path / "work.ics"
    with pytest.raises(IcsError) as raised:
        read_file(missing, TZ, START, END)
    assert raised.value.problem == Problem(str(missing), "file not found", severity=Severity.ERROR)
    assert str(raised.value) == f"{missing}: file not found"
    week = load_week([missing], [], Settings(), date(2026, 11, 24))
    assert week.problems == [raised.value.problem]


def test_a_skipped_event_is_a_warning_at_its_line():
    result = read_bytes(calendar(GOOD, NO_START), "feed.ics", TZ, START, END)
    assert [e.uid for e in result.events] == ["good"]
    (problem,) = result.problems
    assert problem.severity is Severity.WARNING
    assert problem.line == 9
    assert str(problem) == "feed.ics:9: skipped 'No start': it has no start time (DTSTART)"


def test_what_was_assumed_is_a_note():
    latin = calendar("UID:a\r\nSUMMARY:Café\r\nDTSTART:20261124T180000Z").decode()
    result = read_bytes(latin.encode("cp1252"), "old.ics", TZ, START, END)
    assert result.problems == [
        Problem("old.ics", "not UTF-8; read as Latin-1/Windows-1252", severity=Severity.NOTE)
    ]
    swapped = Event("m", "Mixer", START, END, place=Place(lat=-123.12, lon=49.28), source="f.ics")
    _events, (note,) = audit_places([swapped])
    assert note.severity is Severity.NOTE
    assert str(note).startswith("f.ics: 'Mixer': latitude and longitude were swapped")


def test_the_parse_cache_gives_back_the_same_problems(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "feed.ics"
    path.write_bytes(calendar(GOOD, NO_START))
    with Store.open() as store:
        first = read_file_cached(store, path, TZ, START, END)
        again = read_file_cached(store, path, TZ, START, END)
    assert again.problems == first.problems
    assert [(p.line, p.severity) for p in again.problems] == [(9, Severity.WARNING)]


def test_the_json_problems_carry_their_parts_and_their_sentence():
    settings = Settings()
    plan = plan_week([], [], settings, date(2026, 11, 24))
    problems = [
        Problem("work.ics", "file not found", severity=Severity.ERROR),
        Problem("feed.ics", "skipped 'X': why", line=12),
    ]
    assert plan_json(plan, problems)["problems"] == [
        {
            "source": "work.ics",
            "line": None,
            "severity": "error",
            "text": "file not found",
            "message": "work.ics: file not found",
        },
        {
            "source": "feed.ics",
            "line": 12,
            "severity": "warning",
            "text": "skipped 'X': why",
            "message": "feed.ics:12: skipped 'X': why",
        },
    ]
    assert plan_json(plan)["problems"] == []


def test_a_feed_without_a_copy_is_an_error_and_a_failed_refresh_a_warning(tmp_path):
    url = "https://example.org/feed.ics"
    source = Source(url, "candidates")
    day, settings = date(2026, 11, 24), Settings()
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.add_source(source)
        load = calendar_loader(store=store)
        _s, week = load(day, settings, (source,))
        assert week.problems == [
            Problem("example.org/feed.ics", "not downloaded yet", severity=Severity.ERROR)
        ]
        failed = "example.org: HTTP 503; there is no earlier copy"
        store.save_fetch_error(url, failed, START)
        _s, week = load(day, settings, (source,))
        assert week.problems == [Problem("", failed, severity=Severity.ERROR)]
        store.save_fetch(
            url,
            body=calendar(GOOD),
            etag="",
            last_modified="",
            fetched_at=START,
            refresh=timedelta(hours=1),
        )
        store.save_fetch_error(url, "example.org: HTTP 503; keeping the copy", START)
        _s, week = load(day, settings, (source,))
        assert week.problems == [Problem("", "example.org: HTTP 503; keeping the copy")]
        assert week.problems[0].severity is Severity.WARNING
