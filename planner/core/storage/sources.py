"""The imported calendars, and for a feed what keeps it live: its copy, validators, events.

A calendar file is only its location and role; a feed (a URL) also has its
last good copy as the server sent it, the HTTP validators that let a refresh
ask only for what changed, and when to try again. The events merged from a
feed are kept by (UID, RECURRENCE-ID) with the SEQUENCE and LAST-MODIFIED
that order their versions (RFC 5546), so a stale mirror cannot undo an
organiser's update; events gone from the feed are marked, not deleted, and
every change to a known event is logged, so that the window can say "HDI
Toronto moved from Fri to Thu" about an event the user committed to.
Fetching is :mod:`planner.core.storage.feeds`' job; this module only keeps.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from planner.core.model import Event, Source
from planner.core.storage.codec import (
    datetime_or_none,
    event_from_json,
    event_to_json,
    utc_text,
)
from planner.core.storage.database import Database, StoreError

DEFAULT_REFRESH = timedelta(hours=4)
# Feed events that ended this long before a refresh, and older logged changes, are dropped.
FEED_KEEP = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """An imported calendar with what planner knows about fetching it."""

    location: str
    role: str
    category: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: datetime | None = None
    merged_at: datetime | None = None
    last_error: str = ""
    content_hash: str = ""
    refresh: timedelta = DEFAULT_REFRESH
    next_refresh: datetime | None = None
    has_copy: bool = False


@dataclass(frozen=True, slots=True)
class VersionedEvent:
    """An event from a feed with the two properties that order its versions."""

    event: Event
    sequence: int = 0
    last_modified: str = ""
    """LAST-MODIFIED as fixed-width UTC text (see :func:`utc_text`), "" when the feed omits it."""

    def is_older_than(self, sequence: int, last_modified: str) -> bool:
        """RFC 5546 ordering: SEQUENCE first, then LAST-MODIFIED when both copies have it."""
        if self.sequence != sequence:
            return self.sequence < sequence
        return bool(self.last_modified and last_modified and self.last_modified < last_modified)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a feed refresh did to the stored events."""

    new: int = 0
    updated: int = 0
    removed: int = 0
    kept_newer: int = 0
    """Events the feed sent an older version of; the stored newer one was kept."""

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.removed)


@dataclass(frozen=True, slots=True)
class EventChange:
    """One change a feed made to a known event; ``after`` is None when it was removed."""

    key: str
    changed_at: datetime
    before: Event
    after: Event | None


def save_sources(database: Database, sources: Sequence[Source]) -> None:
    """Keep the imported calendars in order; a removed one loses its feed copy and
    events (decisions about them stay), one kept keeps its validators and copy."""
    with database.writing() as db:
        write_sources(db, sources)


def add_source(database: Database, source: Source) -> None:
    """Remember one calendar (after the others) unless it is known already."""
    with database.writing() as db:
        db.execute(
            "INSERT INTO sources (location, role, position) "
            "SELECT ?, ?, coalesce(max(position) + 1, 0) FROM sources "
            "WHERE true ON CONFLICT (location) DO NOTHING",
            (source.path, source.role),
        )


def load_sources(database: Database) -> tuple[Source, ...]:
    with database.reading() as db:
        rows = db.execute("SELECT location, role FROM sources ORDER BY position, id")
        return tuple(Source(r["location"], r["role"]) for r in rows)


def set_source_category(database: Database, location: str, category: str) -> None:
    """The category an imported calendar gives its events when they name none."""
    with database.writing() as db:
        db.execute("UPDATE sources SET category = ? WHERE location = ?", (category, location))


def source_record(database: Database, location: str) -> SourceRecord | None:
    with database.reading() as db:
        row = db.execute(
            f"SELECT {', '.join(_RECORD_COLUMNS)}, body IS NOT NULL AS has_copy "
            "FROM sources WHERE location = ?",
            (location,),
        ).fetchone()
    if row is None:
        return None
    return SourceRecord(
        location=row["location"],
        role=row["role"],
        category=row["category"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        fetched_at=datetime_or_none(row["fetched_at"]),
        merged_at=datetime_or_none(row["merged_at"]),
        last_error=row["last_error"],
        content_hash=row["content_hash"],
        refresh=timedelta(seconds=row["refresh_seconds"]),
        next_refresh=datetime_or_none(row["next_refresh"]),
        has_copy=bool(row["has_copy"]),
    )


def save_fetch(
    database: Database,
    location: str,
    *,
    body: bytes,
    etag: str,
    last_modified: str,
    fetched_at: datetime,
    refresh: timedelta,
) -> None:
    """Keep a feed's new good copy and its validators, and clear its last error."""
    with database.writing() as db:
        _update_source(
            db,
            location,
            body=body,
            content_hash=hashlib.sha256(body).hexdigest(),
            etag=etag,
            last_modified=last_modified,
            fetched_at=utc_text(fetched_at),
            last_error="",
            refresh_seconds=int(refresh.total_seconds()),
            next_refresh=utc_text(fetched_at + refresh),
        )


def save_not_modified(database: Database, location: str, fetched_at: datetime) -> None:
    """The server confirmed the copy is current (HTTP 304)."""
    with database.writing() as db:
        row = _source_row(db, location)
        refresh = timedelta(seconds=row["refresh_seconds"])
        _update_source(
            db,
            location,
            fetched_at=utc_text(fetched_at),
            last_error="",
            next_refresh=utc_text(fetched_at + refresh),
        )


def save_fetch_error(database: Database, location: str, error: str, next_refresh: datetime) -> None:
    """Note why a refresh failed; the last good copy and its events stay as they were."""
    with database.writing() as db:
        _update_source(db, location, last_error=error, next_refresh=utc_text(next_refresh))


def feed_body(database: Database, location: str) -> bytes | None:
    """The last good copy of a feed, exactly as the server sent it."""
    with database.reading() as db:
        row = db.execute("SELECT body FROM sources WHERE location = ?", (location,)).fetchone()
    return bytes(row["body"]) if row is not None and row["body"] is not None else None


def merge_feed(
    database: Database,
    location: str,
    incoming: Sequence[VersionedEvent],
    start: datetime,
    end: datetime,
    now: datetime,
    uids: Set[str] | None = None,
) -> MergeResult:
    """Merge a feed's events for [start, end) into the stored ones, by (UID, RECURRENCE-ID).

    A version older than the stored one never replaces it; stored events in the
    window that the feed no longer has are marked not present (kept, so that a
    decision about them can be explained); every change to a known event is
    logged for :meth:`feed_changes`. With ``uids``, ``incoming`` is all there is of
    those UIDs and the source's other events are left as they are (a CalDAV
    calendar's changed objects).
    """
    new = updated = removed = kept = 0
    stamp = utc_text(now)
    with database.writing() as db:
        source_id = _source_row(db, location)["id"]
        stored = {
            (r["uid"], r["recurrence_id"]): r
            for r in db.execute("SELECT * FROM events WHERE source_id = ?", (source_id,))
            if uids is None or r["uid"] in uids
        }
        seen = set()
        for item in incoming:
            e = item.event
            ident = (e.uid, e.recurrence_id)
            if ident in seen:
                continue
            seen.add(ident)
            text = event_to_json(e)
            row = stored.get(ident)
            if row is None:
                db.execute(
                    "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                    (
                        source_id,
                        e.uid,
                        e.recurrence_id,
                        item.sequence,
                        item.last_modified,
                        utc_text(e.start),
                        utc_text(e.end),
                        text,
                        stamp,
                    ),
                )
                new += 1
                continue
            if item.is_older_than(row["sequence"], row["last_modified"]):
                kept += 1
                if not row["present"]:
                    db.execute(
                        "UPDATE events SET present = 1, updated_at = ? WHERE source_id = ? "
                        "AND uid = ? AND recurrence_id = ?",
                        (stamp, source_id, *ident),
                    )
                    _log(db, source_id, e.key, stamp, row["event"], row["event"])
                continue
            if row["event"] != text or not row["present"]:
                _log(db, source_id, e.key, stamp, row["event"], text)
                updated += 1
            db.execute(
                "UPDATE events SET sequence = ?, last_modified = ?, starts_at = ?, "
                "ends_at = ?, event = ?, present = 1, updated_at = ? WHERE source_id = ? "
                "AND uid = ? AND recurrence_id = ?",
                (
                    item.sequence,
                    item.last_modified,
                    utc_text(e.start),
                    utc_text(e.end),
                    text,
                    stamp,
                    source_id,
                    *ident,
                ),
            )
        lo, hi = utc_text(start), utc_text(end)
        for ident, row in stored.items():
            if ident in seen or not row["present"]:
                continue
            if _touches(row["starts_at"], row["ends_at"], lo, hi):
                db.execute(
                    "UPDATE events SET present = 0, updated_at = ? WHERE source_id = ? "
                    "AND uid = ? AND recurrence_id = ?",
                    (stamp, source_id, *ident),
                )
                key = f"{ident[0]}@{ident[1]}" if ident[1] else ident[0]
                _log(db, source_id, key, stamp, row["event"], None)
                removed += 1
        # What ended long ago, and the log of old changes, explain nothing any more.
        forget = utc_text(min(start, now) - FEED_KEEP)
        db.execute("DELETE FROM events WHERE source_id = ? AND ends_at < ?", (source_id, forget))
        db.execute(
            "DELETE FROM event_changes WHERE source_id = ? AND changed_at < ?",
            (source_id, forget),
        )
        _update_source(db, location, merged_at=stamp)
    return MergeResult(new, updated, removed, kept)


def feed_events(database: Database, location: str, start: datetime, end: datetime) -> list[Event]:
    """The present events of a feed touching [start, end), as merged."""
    with database.reading() as db:
        rows = db.execute(
            "SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id "
            "WHERE s.location = :location AND e.present = 1 AND e.starts_at < :end "
            "AND (e.ends_at > :start OR e.starts_at >= :start) ORDER BY e.starts_at, e.uid",
            {"location": location, "start": utc_text(start), "end": utc_text(end)},
        ).fetchall()
    return [event_from_json(r["event"]) for r in rows]


def feed_changes(database: Database, since: datetime) -> list[EventChange]:
    """Every logged change to a feed event after ``since``, oldest first."""
    with database.reading() as db:
        rows = db.execute(
            "SELECT key, changed_at, before, after FROM event_changes "
            "WHERE changed_at > ? ORDER BY id",
            (utc_text(since),),
        ).fetchall()
    return [
        EventChange(
            r["key"],
            datetime.fromisoformat(r["changed_at"]),
            event_from_json(r["before"]),
            event_from_json(r["after"]) if r["after"] is not None else None,
        )
        for r in rows
    ]


def write_sources(db: sqlite3.Connection, sources: Sequence[Source]) -> None:
    """Inside the caller's transaction: the calendars, in this order; one not listed is
    deleted, and its feed copy, events and logged changes with it (ON DELETE CASCADE)."""
    locations = [s.path for s in sources]
    marks = ",".join("?" * len(locations))
    db.execute(f"DELETE FROM sources WHERE location NOT IN ({marks})", locations)
    for position, source in enumerate(sources):
        db.execute(
            "INSERT INTO sources (location, role, position) VALUES (?, ?, ?) "
            "ON CONFLICT (location) DO UPDATE SET role = excluded.role, "
            "position = excluded.position",
            (source.path, source.role, position),
        )


def _source_row(db: sqlite3.Connection, location: str) -> sqlite3.Row:
    # Not SELECT *: the body (the feed's copy) can be megabytes.
    row = db.execute(
        "SELECT id, refresh_seconds FROM sources WHERE location = ?", (location,)
    ).fetchone()
    if row is None:
        raise StoreError(f"{location} is not an imported calendar")
    return cast(sqlite3.Row, row)


_RECORD_COLUMNS = (
    "location",
    "role",
    "category",
    "etag",
    "last_modified",
    "fetched_at",
    "merged_at",
    "last_error",
    "content_hash",
    "refresh_seconds",
    "next_refresh",
)
_SOURCE_COLUMNS = {
    "body",
    "content_hash",
    "etag",
    "last_modified",
    "fetched_at",
    "merged_at",
    "last_error",
    "refresh_seconds",
    "next_refresh",
}


def _update_source(db: sqlite3.Connection, location: str, **values: object) -> None:
    unknown = set(values) - _SOURCE_COLUMNS
    if unknown:
        raise ValueError(f"not a source column: {sorted(unknown)}")
    _source_row(db, location)
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(f"UPDATE sources SET {assignments} WHERE location = ?", (*values.values(), location))


def _touches(starts_at: str, ends_at: str, lo: str, hi: str) -> bool:
    """Whether a stored event overlaps [lo, hi), as the expander decides (an instant
    counts at its moment)."""
    return starts_at < hi and (ends_at > lo or starts_at >= lo)


def _log(
    db: sqlite3.Connection, source_id: int, key: str, stamp: str, before: str, after: str | None
) -> None:
    db.execute(
        "INSERT INTO event_changes (source_id, key, changed_at, before, after) "
        "VALUES (?, ?, ?, ?, ?)",
        (source_id, key, stamp, before, after),
    )
