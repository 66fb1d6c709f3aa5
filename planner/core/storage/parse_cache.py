"""Parsed calendar files, kept by their size and modification time: parsing is slow.

Opening a week means reading every imported calendar, and parsing a big
``.ics`` is the slow part (a year of events: a tenth of a second, every
time). The events a file gave for a window are kept with the file's size,
mtime and the planner version that parsed them; an unchanged file is then
answered from here. A few windows per file are kept, the least recently
cached dropped first, so the cache stays small.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import planner
from planner.core.storage.codec import (
    event_from_dict,
    event_to_dict,
    now_text,
    problem_from_dict,
    problem_to_dict,
    utc_text,
)
from planner.core.storage.database import Database

if TYPE_CHECKING:
    from planner.core.calendars.reading import ImportResult

# Windows kept per calendar file: a user pages through a few weeks, not hundreds.
CACHED_WINDOWS_PER_FILE = 12


def cached_events(
    database: Database,
    path: str,
    mtime_ns: int,
    size: int,
    zone: str,
    start: datetime,
    end: datetime,
) -> ImportResult | None:
    """What reading ``path`` for [start, end) in ``zone`` gave last time, if the file
    has the same size and modification time and this planner version parsed it."""
    from planner.core.calendars.reading import ImportResult

    key = (path, zone, utc_text(start), utc_text(end))
    with database.reading() as db:
        row = db.execute(
            "SELECT mtime_ns, size, parser, events, problems FROM parsed_cache "
            "WHERE path = ? AND zone = ? AND window_start = ? AND window_end = ?",
            key,
        ).fetchone()
    if row is None or (row["mtime_ns"], row["size"], row["parser"]) != (
        mtime_ns,
        size,
        planner.__version__,
    ):
        return None
    kept = json.loads(row["problems"])
    if not all(isinstance(p, dict) for p in kept):
        return None  # problems kept as sentences, before they were data: parse again
    events = [event_from_dict(d) for d in json.loads(row["events"])]
    return ImportResult(path, events, [problem_from_dict(p) for p in kept])


def cache_events(
    database: Database,
    path: str,
    mtime_ns: int,
    size: int,
    zone: str,
    start: datetime,
    end: datetime,
    result: ImportResult,
) -> None:
    """Keep a parse result; older versions of the file and the least recently cached
    windows are dropped, so the cache stays small."""
    events = json.dumps([event_to_dict(e) for e in result.events], ensure_ascii=False)
    with database.writing() as db:
        db.execute(
            "DELETE FROM parsed_cache WHERE path = ? AND (mtime_ns != ? OR size != ?)",
            (path, mtime_ns, size),
        )
        db.execute(
            "INSERT OR REPLACE INTO parsed_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                path,
                zone,
                utc_text(start),
                utc_text(end),
                mtime_ns,
                size,
                planner.__version__,
                events,
                json.dumps([problem_to_dict(p) for p in result.problems], ensure_ascii=False),
                now_text(),
            ),
        )
        db.execute(
            "DELETE FROM parsed_cache WHERE path = ? AND rowid NOT IN (SELECT rowid FROM "
            "parsed_cache WHERE path = ? ORDER BY used_at DESC LIMIT ?)",
            (path, path, CACHED_WINDOWS_PER_FILE),
        )


class EventCache(Protocol):
    """Where :func:`read_file_cached` keeps parse results: the :class:`Store` (typed by what
    it does, so that this module need not import the facade that imports it)."""

    def cached_events(
        self, path: str, mtime_ns: int, size: int, zone: str, start: datetime, end: datetime
    ) -> ImportResult | None: ...

    def cache_events(
        self,
        path: str,
        mtime_ns: int,
        size: int,
        zone: str,
        start: datetime,
        end: datetime,
        result: ImportResult,
    ) -> None: ...


def read_file_cached(
    store: EventCache, path: Path | str, zone: ZoneInfo, start: datetime, end: datetime
) -> ImportResult:
    """:func:`ics_import.read_file`, answered from the store when the file is unchanged.

    A file that cannot be read is left to ``read_file``, which names the problem.
    """
    from planner.core.calendars import reading as ics_import

    name = str(path)
    try:
        info = Path(path).stat()
    except OSError:
        return ics_import.read_file(path, zone, start, end)
    hit = store.cached_events(name, info.st_mtime_ns, info.st_size, zone.key, start, end)
    if hit is not None:
        return hit
    result = ics_import.read_file(path, zone, start, end)
    store.cache_events(name, info.st_mtime_ns, info.st_size, zone.key, start, end, result)
    return result
