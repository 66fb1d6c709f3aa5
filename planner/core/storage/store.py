"""Everything the user decided, kept in one local SQLite database, so nothing is lost.

A decision is worth something only if it is still there after a crash, a
power cut or an update of planner. So every write here is one transaction
that has committed (``synchronous=FULL`` in WAL mode) before the method
returns: an acknowledged decision survives a killed process. The schema
carries its version in ``PRAGMA user_version`` and is brought forward by an
ordered list of SQL scripts, each applied in its own transaction; a database
written by a newer planner is refused untouched rather than "repaired" into
something the newer version cannot read. ``PRAGMA application_id`` marks the
file as planner's, so a backup import can tell a planner backup from any
other SQLite file.

Besides the session's own state (decisions, imported calendars, typed
events, the settings file, the week last shown) the store keeps what makes
live feeds and monthly quotas work: each feed's last good copy and HTTP
validators, the events merged from it and the changes to them, the history
of planned and attended events, and a cache of parsed calendar files keyed
by their size and modification time, because parsing is the slow part of
opening a week.

The database lives in the platform's data folder (``PLANNER_DATA_DIR``
overrides it, which the tests use). It never imports Qt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, cast
from zoneinfo import ZoneInfo

import platformdirs

import planner
from planner.core.model import Choices, Event, Place, Plan, Source, Status, is_flexible

if TYPE_CHECKING:
    from planner.core.calendars.reading import ImportResult

APPLICATION_ID = 0x504C4E52  # "PLNR": marks a SQLite file as planner's
DecisionKind = Literal["pinned", "refused", ""]
HistoryStatus = Literal["planned", "attended"]
DEFAULT_REFRESH = timedelta(hours=4)

# Each script brings the schema from version N to N + 1 (index N). Never edit a script
# once released: add a new one, so that every existing database follows the same path.
MIGRATIONS: tuple[str, ...] = (
    # 1: the session's own state.
    """
    PRAGMA application_id = 1347178066;  -- APPLICATION_ID, "PLNR"
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        location TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('commitments', 'candidates')),
        category TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE decisions (
        key TEXT PRIMARY KEY,
        decision TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'pinned', 'refused')),
        stars INTEGER CHECK (stars BETWEEN 0 AND 5),
        note TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    CREATE TABLE added (
        key TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        event TEXT NOT NULL
    );
    CREATE TABLE settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        path TEXT NOT NULL DEFAULT '',
        toml TEXT NOT NULL DEFAULT '',
        saved_at TEXT NOT NULL
    );
    CREATE TABLE app_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: live feeds, the history of planned weeks and the parsed-calendar cache.
    """
    ALTER TABLE sources ADD COLUMN etag TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN fetched_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN merged_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN refresh_seconds INTEGER NOT NULL DEFAULT 14400;
    ALTER TABLE sources ADD COLUMN next_refresh TEXT NOT NULL DEFAULT '';
    ALTER TABLE sources ADD COLUMN body BLOB;
    CREATE TABLE events (
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        recurrence_id TEXT NOT NULL DEFAULT '',
        sequence INTEGER NOT NULL DEFAULT 0,
        last_modified TEXT NOT NULL DEFAULT '',
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        event TEXT NOT NULL,
        present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (source_id, uid, recurrence_id)
    );
    CREATE TABLE event_changes (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT
    );
    CREATE INDEX event_changes_by_time ON event_changes (changed_at);
    CREATE TABLE history (
        week_start TEXT NOT NULL,
        key TEXT NOT NULL,
        summary TEXT NOT NULL,
        category TEXT NOT NULL DEFAULT '',
        starts_at TEXT NOT NULL,
        cost REAL,
        status TEXT NOT NULL CHECK (status IN ('planned', 'attended')),
        event TEXT NOT NULL,
        PRIMARY KEY (week_start, key)
    );
    CREATE INDEX history_by_start ON history (starts_at);
    CREATE TABLE parsed_cache (
        path TEXT NOT NULL,
        zone TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        parser TEXT NOT NULL,
        events TEXT NOT NULL,
        problems TEXT NOT NULL,
        used_at TEXT NOT NULL,
        PRIMARY KEY (path, zone, window_start, window_end)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# Feed events that ended this long before a refresh, and older logged changes, are dropped.
FEED_KEEP = timedelta(days=90)
# Windows kept per calendar file: a user pages through a few weeks, not hundreds.
CACHED_WINDOWS_PER_FILE = 12


class StoreError(Exception):
    """The database cannot be used as asked; the message says why and what was kept."""


def data_dir() -> Path:
    """Where planner keeps its data: ``PLANNER_DATA_DIR`` or the platform's data folder."""
    override = os.environ.get("PLANNER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("planner"))


def default_path() -> Path:
    return data_dir() / "planner.sqlite3"


# --- events as JSON ------------------------------------------------------------------------


def datetime_text(when: datetime) -> str:
    """An aware datetime as text that reads back to the same instant, wall clock and zone.

    A zone with an IANA name is written after the offset in brackets (the RFC 9557
    form, ``2024-11-03T01:30:00-05:00[America/Toronto]``): the offset fixes which of
    two repeated wall times was meant, the name keeps the zone, so arithmetic on
    the event after reading (a week later, across a DST change) stays right.
    Any other zone is kept as its offset at that moment.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"naive datetime {when.isoformat()}: every time in planner is aware")
    key = when.tzinfo.key if isinstance(when.tzinfo, ZoneInfo) else None
    return f"{when.isoformat()}[{key}]" if key else when.isoformat()


def datetime_from_text(text: str) -> datetime:
    """The datetime :func:`datetime_text` wrote."""
    head, bracket, rest = text.partition("[")
    at = datetime.fromisoformat(head)
    if at.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    if not bracket:
        return at
    zone = ZoneInfo(rest.removesuffix("]"))
    wall = at.replace(tzinfo=zone)
    if wall.utcoffset() != at.utcoffset():
        wall = wall.replace(fold=1)
    if wall.utcoffset() != at.utcoffset():
        raise ValueError(f"{text!r}: the offset is not one {zone.key} has at that time")
    return wall


def event_to_dict(event: Event) -> dict[str, Any]:
    """Every field of the event and its place, as JSON values."""
    place = event.place
    return {
        "uid": event.uid,
        "summary": event.summary,
        "start": datetime_text(event.start),
        "end": datetime_text(event.end),
        "all_day": event.all_day,
        "place": {
            "name": place.name,
            "address": place.address,
            "lat": place.lat,
            "lon": place.lon,
            "virtual": place.virtual,
            "approximate": place.approximate,
        },
        "url": event.url,
        "description": event.description,
        "categories": list(event.categories),
        "priority": event.priority,
        "cost": event.cost,
        "status": event.status.value,
        "transparent": event.transparent,
        "recurrence_id": event.recurrence_id,
        "source": event.source,
        "timezone": event.timezone,
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event :func:`event_to_dict` described; a missing optional field takes its default."""
    p = data.get("place") or {}
    place = Place(
        name=str(p.get("name", "")),
        address=str(p.get("address", "")),
        lat=_float_or_none(p.get("lat")),
        lon=_float_or_none(p.get("lon")),
        virtual=bool(p.get("virtual", False)),
        approximate=bool(p.get("approximate", False)),
    )
    return Event(
        uid=str(data["uid"]),
        summary=str(data["summary"]),
        start=datetime_from_text(data["start"]),
        end=datetime_from_text(data["end"]),
        all_day=bool(data.get("all_day", False)),
        place=place,
        url=str(data.get("url", "")),
        description=str(data.get("description", "")),
        categories=tuple(str(c) for c in data.get("categories", ())),
        priority=int(data.get("priority", 0)),
        cost=_float_or_none(data.get("cost")),
        status=Status(data.get("status", Status.CONFIRMED.value)),
        transparent=bool(data.get("transparent", False)),
        recurrence_id=str(data.get("recurrence_id", "")),
        source=str(data.get("source", "")),
        timezone=str(data.get("timezone", "")),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def event_to_json(event: Event) -> str:
    # Sorted keys: the same event always gives the same text, so comparing texts
    # tells whether a feed changed an event.
    return json.dumps(event_to_dict(event), sort_keys=True, ensure_ascii=False)


def event_from_json(text: str) -> Event:
    return event_from_dict(json.loads(text))


def utc_text(when: datetime) -> str:
    """A fixed-width UTC text: sorting these strings sorts the instants, in SQL too."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _now() -> str:
    return utc_text(datetime.now(UTC))


def _when(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# --- records -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredSettings:
    """The settings file the user works with, and its text when last saved."""

    path: str
    text: str
    saved_at: datetime


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


# --- the store -----------------------------------------------------------------------------


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, whole (a trigger's inner semicolons stay inside it).

    ``executescript`` would commit before running, which would split a migration
    across transactions; statements run one by one inside ours instead.
    """
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                yield buffer.strip()
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement: {buffer.strip()[:60]!r}")


def migrate(connection: sqlite3.Connection, migrations: Sequence[str] = MIGRATIONS) -> int:
    """Bring the schema up to ``len(migrations)``, one transaction per step; return it.

    A step that fails is rolled back whole, so the database stays at the last
    version that completed and keeps all its data. The version is re-read
    inside each step's write lock, so two planners starting at once do not
    both apply it.
    """
    while True:
        version = -1
        connection.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(connection)
            if version >= len(migrations):
                connection.execute("COMMIT")
                return version
            for statement in _statements(migrations[version]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException as exc:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and version < 0:
                raise StoreError(f"cannot read the database's schema version ({exc})") from exc
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"cannot update the database from schema {version} to {version + 1} "
                    f"({exc}); it was left at schema {version}, unchanged"
                ) from exc
            raise


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _check_version(connection: sqlite3.Connection, name: str) -> int:
    """The schema version, or a StoreError when the file is not ours or is newer."""
    try:
        version = _user_version(connection)
        app = int(connection.execute("PRAGMA application_id").fetchone()[0])
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{name} is not a planner database or is damaged ({exc})") from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{name} was written by a newer planner (database schema {version}; this "
            f"version knows schemas up to {SCHEMA_VERSION}). Update planner to open it; "
            "the file has not been changed."
        )
    if (version and app != APPLICATION_ID) or (not version and tables):
        raise StoreError(f"{name} is a SQLite database, but not planner's; it was not changed")
    return version


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit (isolation_level=None): transactions are explicit, so none stays open
    # by accident. One connection is shared with the feed-refresh worker, behind a lock.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    connection.row_factory = sqlite3.Row
    return connection


class Store:
    """The local database: open with :meth:`open`, close with :meth:`close` or ``with``.

    Every method that writes commits before it returns; the methods are safe to
    call from several threads (one lock serialises them).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection: sqlite3.Connection | None = connection
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating or updating) the database; a newer one raises :class:`StoreError`."""
        where = Path(path) if path is not None else default_path()
        where.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(where)
        try:
            _check_version(connection, str(where))
            # WAL: readers never block the writer, and a commit is one append + fsync.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            migrate(connection)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StoreError(f"{where} cannot be opened ({exc}); it was not changed") from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, where)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._reading() as db:
            return _user_version(db)

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is damaged."""
        with self._reading() as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None:
                raise StoreError(f"{self.path} is closed")
            yield self._connection

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._reading() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    # --- decisions ----------------------------------------------------------------------
    def set_decision(self, key: str, decision: DecisionKind, stars: int | None = None) -> None:
        """Record one event's decision and rating as they are now (its note is kept).

        Called when the user decides, so that the decision is on disk before the
        window shows it as made.
        """
        if decision not in ("pinned", "refused", ""):
            raise ValueError(f"unknown decision {decision!r}: pinned, refused or ''")
        with self._writing() as db:
            _put_decision(db, key, decision, stars)

    def set_note(self, key: str, note: str) -> None:
        """Keep the user's own words about an event (why they refused it, whom to meet)."""
        with self._writing() as db:
            db.execute(
                "INSERT INTO decisions (key, note, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET note = excluded.note, "
                "updated_at = excluded.updated_at",
                (key, note, _now()),
            )
            _drop_empty(db, key)

    def notes(self) -> dict[str, str]:
        with self._reading() as db:
            rows = db.execute("SELECT key, note FROM decisions WHERE note != ''").fetchall()
        return {r["key"]: r["note"] for r in rows}

    def save_choices(self, choices: Choices) -> None:
        """Make the stored decisions equal ``choices`` in one transaction (after an undo,
        several change at once); rows already equal are not rewritten, notes are kept."""
        _check_choices(choices)
        with self._writing() as db:
            _write_choices(db, choices)

    def load_choices(self) -> Choices:
        with self._reading() as db:
            rows = db.execute("SELECT key, decision, stars FROM decisions").fetchall()
        return Choices(
            pinned=frozenset(r["key"] for r in rows if r["decision"] == "pinned"),
            refused=frozenset(r["key"] for r in rows if r["decision"] == "refused"),
            stars={r["key"]: int(r["stars"]) for r in rows if r["stars"] is not None},
        )

    # --- sources, typed events, settings, the week shown --------------------------------
    def save_sources(self, sources: Sequence[Source]) -> None:
        """Keep the imported calendars in order; a removed one loses its feed copy and
        events (decisions about them stay), one kept keeps its validators and copy."""
        with self._writing() as db:
            _write_sources(db, sources)

    def add_source(self, source: Source) -> None:
        """Remember one calendar (after the others) unless it is known already."""
        with self._writing() as db:
            db.execute(
                "INSERT INTO sources (location, role, position) "
                "SELECT ?, ?, coalesce(max(position) + 1, 0) FROM sources "
                "WHERE true ON CONFLICT (location) DO NOTHING",
                (source.path, source.role),
            )

    def load_sources(self) -> tuple[Source, ...]:
        with self._reading() as db:
            rows = db.execute("SELECT location, role FROM sources ORDER BY position, id")
            return tuple(Source(r["location"], r["role"]) for r in rows)

    def set_source_category(self, location: str, category: str) -> None:
        """The category an imported calendar gives its events when they name none."""
        with self._writing() as db:
            db.execute("UPDATE sources SET category = ? WHERE location = ?", (category, location))

    def source_record(self, location: str) -> SourceRecord | None:
        with self._reading() as db:
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
            fetched_at=_when(row["fetched_at"]),
            merged_at=_when(row["merged_at"]),
            last_error=row["last_error"],
            content_hash=row["content_hash"],
            refresh=timedelta(seconds=row["refresh_seconds"]),
            next_refresh=_when(row["next_refresh"]),
            has_copy=bool(row["has_copy"]),
        )

    def save_added(self, events: Sequence[Event]) -> None:
        """Keep the events the user typed, in order, replacing the stored ones."""
        with self._writing() as db:
            _write_added(db, events)

    def save_state(
        self, choices: Choices, sources: Sequence[Source], added: Sequence[Event]
    ) -> None:
        """Make the stored decisions, calendars and typed events these, in one transaction:
        the session calls it after every change, undo and redo. (The settings file is kept
        by :meth:`save_settings` when it is written, since a :class:`Settings` object does
        not say which file it came from.)
        """
        _check_choices(choices)
        with self._writing() as db:
            _write_choices(db, choices)
            stored = tuple(
                (r["location"], r["role"])
                for r in db.execute("SELECT location, role FROM sources ORDER BY position, id")
            )
            if stored != tuple((s.path, s.role) for s in sources):
                _write_sources(db, sources)
            texts = [r["event"] for r in db.execute("SELECT event FROM added ORDER BY position")]
            if texts != [event_to_json(e) for e in added]:
                _write_added(db, added)

    def load_added(self) -> tuple[Event, ...]:
        with self._reading() as db:
            rows = db.execute("SELECT event FROM added ORDER BY position").fetchall()
        return tuple(event_from_json(r["event"]) for r in rows)

    def save_settings(self, path: Path | str, text: str | None = None) -> None:
        """Remember the settings file and its text (read from the file when not given), so a
        backup holds the user's rules even if the file itself is lost."""
        if text is None:
            text = Path(path).read_text(encoding="utf-8")
        with self._writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO settings (id, path, toml, saved_at) VALUES (1, ?, ?, ?)",
                (str(path), text, _now()),
            )

    def load_settings(self) -> StoredSettings | None:
        with self._reading() as db:
            row = db.execute("SELECT path, toml, saved_at FROM settings").fetchone()
        if row is None:
            return None
        return StoredSettings(row["path"], row["toml"], datetime.fromisoformat(row["saved_at"]))

    def save_week(self, day: date) -> None:
        """The week the window showed last, to open on it next time."""
        with self._writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO app_state (name, value) VALUES ('last_week', ?)",
                (day.isoformat(),),
            )

    def last_week(self) -> date | None:
        with self._reading() as db:
            row = db.execute("SELECT value FROM app_state WHERE name = 'last_week'").fetchone()
        return date.fromisoformat(row["value"]) if row else None

    def save_value(self, name: str, value: str) -> None:
        """Remember one small piece of the app's state (when changes were last seen)."""
        with self._writing() as db:
            db.execute(
                "INSERT OR REPLACE INTO app_state (name, value) VALUES (?, ?)", (name, value)
            )

    def value(self, name: str) -> str | None:
        with self._reading() as db:
            row = db.execute("SELECT value FROM app_state WHERE name = ?", (name,)).fetchone()
        return str(row["value"]) if row else None

    def changes_seen(self) -> datetime:
        """When the user last dismissed the list of feed changes (long ago if never)."""
        text = self.value("changes_seen")
        return datetime.fromisoformat(text) if text else datetime(2000, 1, 1, tzinfo=UTC)

    def mark_changes_seen(self, when: datetime) -> None:
        self.save_value("changes_seen", utc_text(when))

    # --- history ------------------------------------------------------------------------
    def record_week(self, plan: Plan) -> None:
        """Remember what the plan of a week chose (status "planned"), for monthly quotas
        and the streak; an event the new plan dropped is forgotten unless attended."""
        week = plan.week_start.date().isoformat()
        chosen = [d.event for d in plan.chosen if not is_flexible(d.event)]
        with self._writing() as db:
            keys = [e.key for e in chosen]
            marks = ",".join("?" * len(keys))
            db.execute(
                "DELETE FROM history WHERE week_start = ? AND status = 'planned' "
                f"AND key NOT IN ({marks})",
                (week, *keys),
            )
            for e in chosen:
                db.execute(
                    "INSERT INTO history (week_start, key, summary, category, starts_at, cost, "
                    "status, event) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) "
                    "ON CONFLICT (week_start, key) DO UPDATE SET summary = excluded.summary, "
                    "category = excluded.category, starts_at = excluded.starts_at, "
                    "cost = excluded.cost, event = excluded.event",
                    (
                        week,
                        e.key,
                        e.summary,
                        e.category,
                        utc_text(e.start),
                        e.cost,
                        event_to_json(e),
                    ),
                )

    def mark_attended(self, keys: Iterable[str]) -> int:
        """Mark recorded events as attended; returns how many rows that changed."""
        with self._writing() as db:
            return sum(
                db.execute(
                    "UPDATE history SET status = 'attended' WHERE key = ? AND status != 'attended'",
                    (key,),
                ).rowcount
                for key in keys
            )

    def history(
        self, start: datetime, end: datetime, status: HistoryStatus | None = None
    ) -> list[Event]:
        """Recorded events starting in [start, end), earliest first.

        For a month's quotas pass the local midnight of its first day and of the next
        month's; ``status`` keeps only planned or only attended events.
        """
        query = "SELECT event FROM history WHERE starts_at >= ? AND starts_at < ?"
        args: list[str] = [utc_text(start), utc_text(end)]
        if status:
            query += " AND status = ?"
            args.append(status)
        with self._reading() as db:
            rows = db.execute(query + " ORDER BY starts_at, key", args).fetchall()
        return [event_from_json(r["event"]) for r in rows]

    def streak(self, today: date) -> int:
        """Weeks in a row with at least one planned or attended event, ending this week
        (or last week, so that a streak is not lost on a Monday before planning)."""
        with self._reading() as db:
            weeks = {
                date.fromisoformat(r[0])
                for r in db.execute("SELECT DISTINCT week_start FROM history")
            }
        monday = today - timedelta(days=today.weekday())
        if monday not in weeks:
            monday -= timedelta(weeks=1)
        count = 0
        while monday in weeks:
            count += 1
            monday -= timedelta(weeks=1)
        return count

    # --- the parsed-calendar cache ------------------------------------------------------
    def cached_events(
        self, path: str, mtime_ns: int, size: int, zone: str, start: datetime, end: datetime
    ) -> ImportResult | None:
        """What reading ``path`` for [start, end) in ``zone`` gave last time, if the file
        has the same size and modification time and this planner version parsed it."""
        from planner.core.calendars.reading import ImportResult

        key = (path, zone, utc_text(start), utc_text(end))
        with self._reading() as db:
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
        events = [event_from_dict(d) for d in json.loads(row["events"])]
        return ImportResult(path, events, list(json.loads(row["problems"])))

    def cache_events(
        self,
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
        with self._writing() as db:
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
                    json.dumps(result.problems, ensure_ascii=False),
                    _now(),
                ),
            )
            db.execute(
                "DELETE FROM parsed_cache WHERE path = ? AND rowid NOT IN (SELECT rowid FROM "
                "parsed_cache WHERE path = ? ORDER BY used_at DESC LIMIT ?)",
                (path, path, CACHED_WINDOWS_PER_FILE),
            )

    # --- feeds --------------------------------------------------------------------------
    def save_fetch(
        self,
        location: str,
        *,
        body: bytes,
        etag: str,
        last_modified: str,
        fetched_at: datetime,
        refresh: timedelta,
    ) -> None:
        """Keep a feed's new good copy and its validators, and clear its last error."""
        with self._writing() as db:
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

    def save_not_modified(self, location: str, fetched_at: datetime) -> None:
        """The server confirmed the copy is current (HTTP 304)."""
        with self._writing() as db:
            row = _source_row(db, location)
            refresh = timedelta(seconds=row["refresh_seconds"])
            _update_source(
                db,
                location,
                fetched_at=utc_text(fetched_at),
                last_error="",
                next_refresh=utc_text(fetched_at + refresh),
            )

    def save_fetch_error(self, location: str, error: str, next_refresh: datetime) -> None:
        """Note why a refresh failed; the last good copy and its events stay as they were."""
        with self._writing() as db:
            _update_source(db, location, last_error=error, next_refresh=utc_text(next_refresh))

    def feed_body(self, location: str) -> bytes | None:
        """The last good copy of a feed, exactly as the server sent it."""
        with self._reading() as db:
            row = db.execute("SELECT body FROM sources WHERE location = ?", (location,)).fetchone()
        return bytes(row["body"]) if row is not None and row["body"] is not None else None

    def merge_feed(
        self,
        location: str,
        incoming: Sequence[VersionedEvent],
        start: datetime,
        end: datetime,
        now: datetime,
    ) -> MergeResult:
        """Merge a feed's events for [start, end) into the stored ones, by (UID, RECURRENCE-ID).

        A version older than the stored one never replaces it; stored events in the
        window that the feed no longer has are marked not present (kept, so that a
        decision about them can be explained); every change to a known event is
        logged for :meth:`feed_changes`.
        """
        new = updated = removed = kept = 0
        stamp = utc_text(now)
        with self._writing() as db:
            source_id = _source_row(db, location)["id"]
            stored = {
                (r["uid"], r["recurrence_id"]): r
                for r in db.execute("SELECT * FROM events WHERE source_id = ?", (source_id,))
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
            db.execute(
                "DELETE FROM events WHERE source_id = ? AND ends_at < ?", (source_id, forget)
            )
            db.execute(
                "DELETE FROM event_changes WHERE source_id = ? AND changed_at < ?",
                (source_id, forget),
            )
            _update_source(db, location, merged_at=stamp)
        return MergeResult(new, updated, removed, kept)

    def feed_events(self, location: str, start: datetime, end: datetime) -> list[Event]:
        """The present events of a feed touching [start, end), as merged."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT e.event FROM events e JOIN sources s ON s.id = e.source_id "
                "WHERE s.location = :location AND e.present = 1 AND e.starts_at < :end "
                "AND (e.ends_at > :start OR e.starts_at >= :start) ORDER BY e.starts_at, e.uid",
                {"location": location, "start": utc_text(start), "end": utc_text(end)},
            ).fetchall()
        return [event_from_json(r["event"]) for r in rows]

    def feed_changes(self, since: datetime) -> list[EventChange]:
        """Every logged change to a feed event after ``since``, oldest first."""
        with self._reading() as db:
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

    # --- backup -------------------------------------------------------------------------
    def export_backup(self, path: Path | str) -> None:
        """Write everything (decisions, calendars and feed copies, typed events, settings,
        history) to one self-contained SQLite file; the parse cache is left out, as it
        can be rebuilt. The file appears whole or not at all."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            with self._reading() as db:
                db.backup(copy)
            copy.execute("DELETE FROM parsed_cache")
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
            copy.execute("VACUUM")
        except BaseException:
            copy.close()
            partial.unlink(missing_ok=True)
            raise
        copy.close()
        with partial.open("rb+") as stream:
            os.fsync(stream.fileno())
        partial.replace(target)

    def import_backup(self, path: Path | str) -> None:
        """Replace everything with a backup, after checking it; on any doubt nothing changes.

        The backup is copied first (the user's file is never written to), checked
        (planner's file, a schema this planner knows, SQLite's integrity check),
        brought up to the current schema, and only then copied over the live
        database in a single transaction.
        """
        source = Path(path)
        if not source.is_file():
            raise StoreError(f"{source}: no such backup file")
        with tempfile.TemporaryDirectory(dir=self.path.parent, prefix=".import-") as folder:
            copy_path = Path(folder) / "backup.sqlite3"
            shutil.copyfile(source, copy_path)
            copy = _connect(copy_path)
            try:
                _validate_backup(copy, source)
                with self._reading() as db:
                    copy.backup(db)
                    db.execute("PRAGMA foreign_keys = ON")
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{source} cannot be imported ({exc}); nothing changed") from exc
            finally:
                copy.close()
        status = self.integrity_check()
        if status != "ok":
            raise StoreError(f"the database failed its check after importing {source}: {status}")


def _validate_backup(copy: sqlite3.Connection, source: Path) -> None:
    try:
        version = _check_version(copy, str(source))
        if version == 0:
            raise StoreError(f"{source} is not a planner backup (it holds no planner data)")
        status = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise StoreError(f"{source} is damaged ({status}); nothing was imported")
        migrate(copy)
        problems = copy.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise StoreError(f"{source} refers to calendars it does not hold; nothing imported")
        for table, column in (("decisions", "key"), ("added", "event"), ("history", "event")):
            copy.execute(f"SELECT {column} FROM {table} LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source} is not a planner backup or is damaged ({exc})") from exc


def _check_choices(choices: Choices) -> None:
    both = choices.pinned & choices.refused
    if both:
        raise ValueError(f"pinned and refused at once: {sorted(both)}")


def _write_choices(db: sqlite3.Connection, choices: Choices) -> None:
    wanted: dict[str, tuple[DecisionKind, int | None]] = {}
    for key in choices.pinned | choices.refused | set(choices.stars):
        kind: DecisionKind = (
            "pinned" if key in choices.pinned else "refused" if key in choices.refused else ""
        )
        wanted[key] = (kind, choices.stars.get(key))
    stored = {
        r["key"]: (r["decision"], r["stars"])
        for r in db.execute("SELECT key, decision, stars FROM decisions")
    }
    for key, (kind, stars) in wanted.items():
        if stored.get(key) != (kind, stars):
            _put_decision(db, key, kind, stars)
    for key, value in stored.items():
        if key not in wanted and value != ("", None):
            _put_decision(db, key, "", None)


def _write_sources(db: sqlite3.Connection, sources: Sequence[Source]) -> None:
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


def _write_added(db: sqlite3.Connection, events: Sequence[Event]) -> None:
    db.execute("DELETE FROM added")
    db.executemany(
        "INSERT OR REPLACE INTO added (key, position, event) VALUES (?, ?, ?)",
        [(e.key, i, event_to_json(e)) for i, e in enumerate(events)],
    )


def _put_decision(
    db: sqlite3.Connection, key: str, decision: DecisionKind, stars: int | None
) -> None:
    if stars is not None and not 0 <= stars <= 5:
        raise ValueError(f"stars must be 0 to 5, not {stars}")
    db.execute(
        "INSERT INTO decisions (key, decision, stars, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET decision = excluded.decision, "
        "stars = excluded.stars, updated_at = excluded.updated_at",
        (key, decision, stars, _now()),
    )
    _drop_empty(db, key)


def _drop_empty(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "DELETE FROM decisions WHERE key = ? AND decision = '' AND stars IS NULL AND note = ''",
        (key,),
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


def read_file_cached(
    store: Store, path: Path | str, zone: ZoneInfo, start: datetime, end: datetime
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
