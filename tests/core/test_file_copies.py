"""The last read copy of each imported calendar file: kept when new or changed, read when
the file is missing, carried by a backup, bounded in size."""

import os
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.calendars import reading as ics_import
from planner.core.model import Source
from planner.core.storage.file_copies import MAX_COPY_BYTES, CopyOutcome
from planner.core.storage.store import Store, StoreError
from tests.feed_server import calendar, vevent

TORONTO = ZoneInfo("America/Toronto")
START = datetime(2026, 12, 6, tzinfo=TORONTO)
END = START + timedelta(days=8)
NOW = datetime(2026, 12, 6, 14, 2, tzinfo=TORONTO)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data" / "planner.sqlite3") as opened:
        yield opened


def work_calendar(summary: str = "Standup") -> bytes:
    return calendar(
        vevent("standup", summary, "20261207T090000", "20261207T093000"),
        vevent("review", "Review", "20261209T140000", "20261209T150000"),
    )


def imported(store: Store, path: Path, data: bytes) -> str:
    path.write_bytes(data)
    location = str(path.resolve())
    store.save_sources([Source(location, "commitments")])
    return location


def summaries(result) -> list[str]:
    return sorted(e.summary for e in result.events)


def test_the_first_read_keeps_the_copy_and_a_missing_file_is_read_from_it(store, tmp_path):
    location = imported(store, tmp_path / "work.ics", work_calendar())
    assert store.file_copy(location) is None

    first = store.read_calendar(location, TORONTO, START, END)
    assert summaries(first) == ["Review", "Standup"]
    assert first.problems == []
    kept = store.file_copy(location)
    assert kept is not None and kept.size == len(work_calendar())
    assert store.file_copy_body(location) == work_calendar()
    assert kept.stored_bytes < kept.size  # compressed
    assert store.copied_files() == {location}

    Path(location).unlink()
    missing = store.read_calendar(location, TORONTO, START, END)
    assert missing.events == first.events
    assert [str(p) for p in missing.problems] == [
        f"work.ics is not on this computer; using the copy from "
        f"{kept.read_at.astimezone(TORONTO):%a} {kept.read_at.astimezone(TORONTO).day} "
        f"{kept.read_at.astimezone(TORONTO):%b %H:%M}"
    ]


def test_an_unchanged_file_is_neither_copied_nor_parsed_again(store, tmp_path, monkeypatch):
    location = imported(store, tmp_path / "work.ics", work_calendar())
    store.read_calendar(location, TORONTO, START, END)
    kept = store.file_copy(location)

    parses = []
    real = ics_import.read_file
    monkeypatch.setattr(ics_import, "read_file", lambda *a, **k: parses.append(a) or real(*a, **k))
    again = store.read_calendar(location, TORONTO, START, END)
    assert summaries(again) == ["Review", "Standup"]
    assert parses == []  # the parse cache answered
    assert store.file_copy(location) == kept  # nothing written: same moment read


def test_a_changed_file_refreshes_its_copy(store, tmp_path):
    path = tmp_path / "work.ics"
    location = imported(store, path, work_calendar())
    store.read_calendar(location, TORONTO, START, END)

    path.write_bytes(work_calendar("Standup (moved)"))
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock
    changed = store.read_calendar(location, TORONTO, START, END)
    assert summaries(changed) == ["Review", "Standup (moved)"]
    assert store.file_copy_body(location) == work_calendar("Standup (moved)")

    path.unlink()
    from_copy = store.read_calendar(location, TORONTO, START, END)
    assert summaries(from_copy) == ["Review", "Standup (moved)"]


def test_a_touched_file_with_the_same_bytes_keeps_its_copy(store, tmp_path):
    path = tmp_path / "work.ics"
    location = imported(store, path, work_calendar())
    assert store.keep_file_copy(location, NOW).outcome is CopyOutcome.KEPT
    assert store.keep_file_copy(location, NOW).outcome is CopyOutcome.UNCHANGED
    os.utime(path, ns=(2, 2))
    assert store.keep_file_copy(location, NOW + timedelta(hours=1)).outcome is CopyOutcome.KEPT
    kept = store.file_copy(location)
    assert kept is not None and kept.mtime_ns == 2 and kept.read_at == NOW + timedelta(hours=1)
    assert store.file_copy_body(location) == work_calendar()


def test_files_not_imported_are_read_but_not_copied(store, tmp_path):
    path = tmp_path / "given.ics"
    path.write_bytes(work_calendar())
    assert summaries(store.read_calendar(path, TORONTO, START, END)) == ["Review", "Standup"]
    assert store.copied_files() == set()
    assert store.keep_file_copy(str(path), NOW).outcome is CopyOutcome.NOT_IMPORTED
    path.unlink()
    with pytest.raises(ics_import.IcsError, match="file not found"):
        store.read_calendar(path, TORONTO, START, END)


def test_removing_a_calendar_drops_its_copy(store, tmp_path):
    location = imported(store, tmp_path / "work.ics", work_calendar())
    store.keep_file_copy(location, NOW)
    store.save_sources([])
    assert store.copied_files() == set()
    assert store.file_copy_body(location) is None


def test_a_file_over_the_bound_is_not_copied_and_says_why(store, tmp_path):
    path = tmp_path / "huge.ics"
    location = imported(store, path, b"")
    os.truncate(path, MAX_COPY_BYTES + 1)  # sparse: no 20 MB written
    kept = store.keep_file_copy(location, NOW)
    assert kept.outcome is CopyOutcome.TOO_BIG
    assert kept.sentence(location) == (
        "huge.ics is 20.0 MB, over the 20 MB planner copies: a backup holds only its "
        "location, so copy the file itself to move it"
    )
    assert store.copied_files() == set()


def test_a_missing_or_unreadable_file_says_its_copy_was_not_refreshed(store, tmp_path):
    location = str((tmp_path / "gone.ics").resolve())
    store.save_sources([Source(location, "candidates")])
    kept = store.keep_file_copy(location, NOW)
    assert kept.outcome is CopyOutcome.MISSING
    assert kept.sentence(location) == "gone.ics is not on this computer: its copy was not refreshed"
    folder = tmp_path / "folder.ics"
    folder.mkdir()
    assert store.keep_file_copy(str(folder), NOW).outcome is CopyOutcome.UNREADABLE


def test_a_backup_carries_the_copies(store, tmp_path):
    location = imported(store, tmp_path / "work.ics", work_calendar())
    store.keep_file_copy(location, NOW)
    backup = tmp_path / "backup.sqlite3"
    store.export_backup(backup)
    Path(location).unlink()
    with Store.open(tmp_path / "elsewhere" / "planner.sqlite3") as other:
        other.import_backup(backup)
        assert other.file_copy_body(location) == work_calendar()
        result = other.read_calendar(location, TORONTO, START, END)
        assert summaries(result) == ["Review", "Standup"]
        assert "work.ics is not on this computer; using the copy from Sun 6 Dec 14:02" in [
            str(p) for p in result.problems
        ]


def test_a_copy_that_inflates_past_the_bound_is_refused(store, tmp_path):
    import sqlite3
    import zlib

    location = imported(store, tmp_path / "work.ics", work_calendar())
    store.keep_file_copy(location, NOW)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE file_copies SET body = ?", (zlib.compress(bytes(MAX_COPY_BYTES + 10)),))
    with pytest.raises(StoreError, match="damaged"):
        store.file_copy_body(location)


def test_a_copy_that_cannot_be_written_costs_nothing_but_the_copy(store, tmp_path, monkeypatch):
    import sqlite3

    from planner.core.storage import file_copies

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(file_copies, "save_copy", read_only)
    location = imported(store, tmp_path / "work.ics", work_calendar())
    result = store.read_calendar(location, TORONTO, START, END)
    assert summaries(result) == ["Review", "Standup"]
    assert result.problems == []
    assert store.file_copy(location) is None
