"""A broad catch keeps its traceback in the log, a few per place, so a bug is never hidden
and a hostile file cannot flood the log."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core import logs
from planner.core.calendars.reading import read_bytes
from planner.core.model import Severity, Source
from planner.core.session import calendar_loader
from planner.core.settings import Settings
from planner.core.storage.store import Store


def failure(n: int) -> ValueError:
    try:
        raise ValueError(f"bad value {n}")
    except ValueError as exc:
        return exc


def test_the_first_failures_of_a_place_keep_their_traceback(caplog):
    logger = logging.getLogger("planner.test")
    where = "a place that fails (test 1)"
    with caplog.at_level(logging.WARNING, logger="planner"):
        for n in range(10 * logs.TRACEBACKS_PER_PLACE):
            logs.log_failure(logger, where, failure(n))
    with_tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(with_tracebacks) == logs.TRACEBACKS_PER_PLACE
    assert "bad value 0" in with_tracebacks[0].getMessage()
    assert with_tracebacks[0].exc_info[0] is ValueError
    counted = [r for r in caplog.records if not r.exc_info]
    assert [r.getMessage() for r in counted] == [
        f"{where}: {10 * logs.TRACEBACKS_PER_PLACE} failures so far (tracebacks of the first kept)"
    ]


def test_each_place_has_its_own_allowance(caplog):
    logger = logging.getLogger("planner.test")
    with caplog.at_level(logging.WARNING, logger="planner"):
        for n in range(logs.TRACEBACKS_PER_PLACE + 3):
            logs.log_failure(logger, "place A (test 2)", failure(n))
        logs.log_failure(logger, "place B (test 2)", failure(99))
    assert sum(1 for r in caplog.records if "place B" in r.getMessage() and r.exc_info) == 1


@pytest.mark.parametrize("lines", [1, 30])
def test_a_calendar_with_broken_events_is_read_and_the_failures_logged(caplog, lines):
    broken = "".join(
        f"BEGIN:VEVENT\r\nUID:bad-{n}\r\nDTSTART:2026120\r\nSUMMARY:Broken {n}\r\nEND:VEVENT\r\n"
        for n in range(lines)
    )
    good = (
        "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20261208T180000Z\r\nDTEND:20261208T190000Z\r\n"
        "SUMMARY:Good\r\nEND:VEVENT\r\n"
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{broken}{good}END:VCALENDAR\r\n".encode()
    with caplog.at_level(logging.WARNING, logger="planner"):
        result = read_bytes(
            data,
            "broken.ics",
            ZoneInfo("America/Toronto"),
            datetime(2026, 12, 7, tzinfo=UTC),
            datetime(2026, 12, 14, tzinfo=UTC),
        )
    assert [e.summary for e in result.events] == ["Good"]
    assert len(result.problems) == lines
    assert len([r for r in caplog.records if r.exc_info]) <= logs.TRACEBACKS_PER_PLACE * 2


def test_a_broken_parse_cache_is_logged_and_the_file_read_all_the_same(
    tmp_path, caplog, monkeypatch
):
    def damaged(*_args):
        raise ValueError("a cache row that is not JSON")

    monkeypatch.setattr(Store, "cached_events", damaged)
    path = tmp_path / "mine.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:good\r\n"
        b"DTSTART:20261124T180000Z\r\nDTEND:20261124T190000Z\r\nSUMMARY:Good\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    sources = (
        Source(str(path), "candidates"),
        Source(str(tmp_path / "gone.ics"), "candidates"),
    )
    with Store.open(tmp_path / "p.sqlite3") as store, caplog.at_level(logging.WARNING, "planner"):
        _settings, week = calendar_loader(store=store)(date(2026, 11, 24), Settings(), sources)
    assert [e.uid for e in week.candidates] == ["good"]
    (logged,) = [r for r in caplog.records if r.exc_info]
    assert "reading the parse cache" in logged.getMessage()
    assert logged.exc_info[0] is ValueError
    # A file that is not there is the user's problem, said in the week, not a logged bug.
    assert [(str(p), p.severity) for p in week.problems] == [
        (f"{tmp_path / 'gone.ics'}: file not found", Severity.ERROR)
    ]
