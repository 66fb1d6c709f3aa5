"""The last read copy of each imported calendar file, so that a backup moves a user.

An imported ``.ics`` file is the user's own file: planner reads it where it is,
and follows it when it changes. But a backup that held only the file's path
would be of little use on another computer (the path leads nowhere there), so
the store keeps the bytes planner last read, compressed, beside the path, as it
keeps a feed's last good copy. The copy is written when the file is first read
after an import and whenever it changed (its size or modification time, then
its SHA-256), never on a plan of an unchanged file, so planning stays a stat
and a small read of the store. When the file is missing (another computer, or
moved), the week is read from the copy and the plan says so once.

Files over :data:`MAX_COPY_BYTES` are read as before but not copied: a backup
holds only their path, and :func:`keep_copy` says why.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import sqlite3
import stat
import zlib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from planner.core.model import Problem, source_name
from planner.core.storage.codec import datetime_or_none, utc_text
from planner.core.storage.database import Database, StoreError
from planner.core.text import wording

if TYPE_CHECKING:
    from planner.core.calendars.reading import ImportResult
    from planner.core.storage.parse_cache import EventCache

_log = logging.getLogger(__name__)

MAX_COPY_BYTES = 20 * 1024 * 1024
"""The largest calendar file kept in the store (the same bound as a feed's download)."""


@dataclass(frozen=True, slots=True)
class FileCopy:
    """What the store knows of an imported file's kept copy (not the bytes)."""

    location: str
    mtime_ns: int
    size: int
    sha256: str
    read_at: datetime
    stored_bytes: int
    """The compressed size in the store."""


class CopyOutcome(enum.Enum):
    """What :func:`keep_copy` did."""

    KEPT = "copied"
    UNCHANGED = "unchanged since its copy"
    TOO_BIG = "too big to copy"
    MISSING = "not on this computer"
    UNREADABLE = "cannot be read"
    NOT_IMPORTED = "not an imported calendar"


@dataclass(frozen=True, slots=True)
class KeptCopy:
    outcome: CopyOutcome
    size: int = 0
    """The file's size in bytes, when it was looked at."""
    why: str = ""
    """For UNREADABLE: the system's reason."""

    def sentence(self, location: str) -> str:
        """The user's sentence for a copy not kept ("" when it is kept or unchanged)."""
        name = source_name(location)
        match self.outcome:
            case CopyOutcome.TOO_BIG:
                return (
                    f"{name} is {self.size / 1024 / 1024:.1f} MB, over the {MAX_COPY_BYTES >> 20}"
                    " MB planner copies: a backup holds only its location, so copy the file "
                    "itself to move it"
                )
            case CopyOutcome.MISSING:
                return f"{name} is not on this computer: its copy was not refreshed"
            case CopyOutcome.UNREADABLE:
                return f"{name} cannot be read ({self.why}): its copy was not refreshed"
        return ""


def copy_record(database: Database, location: str) -> FileCopy | None:
    """The kept copy's facts, or None when there is none."""
    with database.reading() as db:
        row = db.execute(
            "SELECT c.mtime_ns, c.size, c.sha256, c.read_at, length(c.body) AS stored "
            "FROM file_copies c JOIN sources s ON s.id = c.source_id WHERE s.location = ?",
            (location,),
        ).fetchone()
    if row is None:
        return None
    read_at = datetime_or_none(row["read_at"])
    assert read_at is not None
    return FileCopy(location, row["mtime_ns"], row["size"], row["sha256"], read_at, row["stored"])


def copied_locations(database: Database) -> set[str]:
    """The imported files whose copy the store holds."""
    with database.reading() as db:
        rows = db.execute(
            "SELECT s.location FROM file_copies c JOIN sources s ON s.id = c.source_id"
        ).fetchall()
    return {r["location"] for r in rows}


def copy_body(database: Database, location: str) -> bytes | None:
    """The kept bytes, as the file held them; None when there is no copy.

    The compressed copy may come from a restored backup, so it is inflated to at
    most :data:`MAX_COPY_BYTES` (a crafted copy cannot fill the memory).
    """
    with database.reading() as db:
        row = db.execute(
            "SELECT c.body FROM file_copies c JOIN sources s ON s.id = c.source_id "
            "WHERE s.location = ?",
            (location,),
        ).fetchone()
    if row is None:
        return None
    inflate = zlib.decompressobj()
    data = inflate.decompress(bytes(row["body"]), MAX_COPY_BYTES + 1)
    if len(data) > MAX_COPY_BYTES or not inflate.eof:
        raise StoreError(f"the copy of {source_name(location)} in the store is damaged")
    return data


def save_copy(database: Database, location: str, data: bytes, mtime_ns: int, now: datetime) -> bool:
    """Keep ``data`` as the copy of the imported file at ``location``; False when it is not
    an imported calendar. The same bytes as the kept copy only update its size, time and
    the moment they were read; the body is rewritten only when it changed."""
    digest = hashlib.sha256(data).hexdigest()
    with database.writing() as db:
        source = db.execute("SELECT id FROM sources WHERE location = ?", (location,)).fetchone()
        if source is None:
            return False
        kept = db.execute(
            "SELECT sha256 FROM file_copies WHERE source_id = ?", (source["id"],)
        ).fetchone()
        if kept is not None and kept["sha256"] == digest:
            db.execute(
                "UPDATE file_copies SET mtime_ns = ?, size = ?, read_at = ? WHERE source_id = ?",
                (mtime_ns, len(data), utc_text(now), source["id"]),
            )
            return True
        db.execute(
            "INSERT OR REPLACE INTO file_copies VALUES (?, ?, ?, ?, ?, ?)",
            (source["id"], mtime_ns, len(data), digest, utc_text(now), zlib.compress(data)),
        )
    return True


def keep_copy(database: Database, location: str, now: datetime) -> KeptCopy:
    """Bring the copy of an imported file up to date, reading the file only if it changed
    (its size or modification time): at import, and before a backup."""
    try:
        info = Path(location).stat()
    except FileNotFoundError:
        return KeptCopy(CopyOutcome.MISSING)
    except OSError as exc:
        return KeptCopy(CopyOutcome.UNREADABLE, why=exc.strerror or str(exc))
    if not stat.S_ISREG(info.st_mode):
        return KeptCopy(CopyOutcome.UNREADABLE, why="not a regular file")
    if info.st_size > MAX_COPY_BYTES:
        return KeptCopy(CopyOutcome.TOO_BIG, info.st_size)
    record = copy_record(database, location)
    if record is not None and (record.mtime_ns, record.size) == (info.st_mtime_ns, info.st_size):
        return KeptCopy(CopyOutcome.UNCHANGED, info.st_size)
    try:
        data = Path(location).read_bytes()
    except OSError as exc:
        return KeptCopy(CopyOutcome.UNREADABLE, why=exc.strerror or str(exc))
    if len(data) > MAX_COPY_BYTES:  # it grew since the stat
        return KeptCopy(CopyOutcome.TOO_BIG, len(data))
    if not save_copy(database, location, data, info.st_mtime_ns, now):
        return KeptCopy(CopyOutcome.NOT_IMPORTED, len(data))
    return KeptCopy(CopyOutcome.KEPT, len(data))


def read_kept(
    database: Database,
    cache: EventCache,
    path: Path | str,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> ImportResult:
    """Read a calendar file for [start, end) as the loader does, keeping its copy.

    An unchanged file is answered by the parse cache (a stat and a small read of
    the store); an imported file that is new or changed is read once, its copy kept
    and those very bytes parsed; a missing imported file is read from its copy, with
    a warning naming the moment of that copy. Anything else (a file not imported, too
    big, not a regular file) is read as before.
    """
    from planner.core.calendars.reading import read_bytes, read_file
    from planner.core.storage.parse_cache import read_file_cached

    name = str(path)
    try:
        info = Path(name).stat()
    except (FileNotFoundError, NotADirectoryError):
        return _from_copy(database, cache, name, zone, start, end)
    except OSError:
        return read_file(name, zone, start, end)  # names the problem
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_COPY_BYTES:
        return read_file_cached(cache, name, zone, start, end)
    with database.reading() as db:
        row = db.execute(
            "SELECT c.mtime_ns, c.size FROM sources s LEFT JOIN file_copies c "
            "ON c.source_id = s.id WHERE s.location = ?",
            (name,),
        ).fetchone()
    if row is None or (row["mtime_ns"], row["size"]) == (info.st_mtime_ns, info.st_size):
        return read_file_cached(cache, name, zone, start, end)  # not imported, or unchanged
    try:
        data = Path(name).read_bytes()
    except OSError:
        return read_file(name, zone, start, end)  # names the problem
    if len(data) <= MAX_COPY_BYTES:
        try:
            save_copy(database, name, data, info.st_mtime_ns, datetime.now(zone))
        except (sqlite3.Error, StoreError) as exc:  # a full disk, a read-only store: not a bug
            _log.warning("%s: its copy was not kept (%s); planning goes on", name, exc)
    hit = cache.cached_events(name, info.st_mtime_ns, len(data), zone.key, start, end)
    if hit is not None:
        return hit
    result = read_bytes(data, name, zone, start, end)
    cache.cache_events(name, info.st_mtime_ns, len(data), zone.key, start, end, result)
    return result


def copy_moment(when: datetime, zone: tzinfo | None = None) -> str:
    """``"Sun 6 Dec 14:02"``: when a copy was read, in ``zone`` (default: this computer's)."""
    return wording.moment(when.astimezone(zone))


def _from_copy(
    database: Database,
    cache: EventCache,
    name: str,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> ImportResult:
    from planner.core.calendars.reading import ImportResult, read_bytes, read_file

    record = copy_record(database, name)
    if record is None:
        return read_file(name, zone, start, end)  # raises: file not found
    result = cache.cached_events(name, record.mtime_ns, record.size, zone.key, start, end)
    if result is None:
        body = copy_body(database, name)
        if body is None:  # removed from the calendars a moment ago
            return read_file(name, zone, start, end)  # raises: file not found
        result = read_bytes(body, name, zone, start, end)
        cache.cache_events(name, record.mtime_ns, record.size, zone.key, start, end, result)
    note = Problem(
        "",
        f"{source_name(name)} is not on this computer; using the copy from "
        f"{copy_moment(record.read_at, zone)}",
    )
    return ImportResult(name, result.events, [note, *result.problems])
