"""The SQLite file itself: opening it, its schema and migrations, and one lock around it.

A decision is worth something only if it is still there after a crash, a
power cut or an update of planner. So every write is one transaction that
has committed (``synchronous=FULL`` in WAL mode) before the method returns:
an acknowledged decision survives a killed process. The schema carries its
version in ``PRAGMA user_version`` and is brought forward by an ordered list
of SQL scripts, each applied in its own transaction; a database written by a
newer planner is refused untouched rather than "repaired" into something the
newer version cannot read. ``PRAGMA application_id`` marks the file as
planner's, so a backup import can tell a planner backup from any other
SQLite file.

This module owns the connection and nothing about what the tables mean:
the other modules of :mod:`planner.core.storage` read and write through
:meth:`Database.reading` and :meth:`Database.writing`, so there is one place
where transactions begin, commit and roll back. The database lives in the
platform's data folder (``PLANNER_DATA_DIR`` overrides it, which the tests
use).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import platformdirs

APPLICATION_ID = 0x504C4E52  # "PLNR": marks a SQLite file as planner's

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
    # 3: the last read copy of each imported calendar file, so that a backup holds it.
    """
    CREATE TABLE file_copies (
        source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        read_at TEXT NOT NULL,
        body BLOB NOT NULL
    );
    """,
    # 4: the undo history, shared by the window and the terminal (storage/undo_log.py).
    """
    CREATE TABLE undo_steps (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        stack TEXT NOT NULL CHECK (stack IN ('undo', 'redo')),
        label TEXT NOT NULL,
        step TEXT NOT NULL,
        made_at TEXT NOT NULL
    );
    """,
    # 5: whether the user went to an event that is over; the note is the decision's note.
    """
    ALTER TABLE decisions ADD COLUMN went TEXT NOT NULL DEFAULT ''
        CHECK (went IN ('', 'attended', 'skipped'));
    """,
    # 6: venues read from the pages of feed events that give none (storage/feed_venues.py).
    """
    CREATE TABLE feed_venues (
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        uid TEXT NOT NULL,
        recurrence_id TEXT NOT NULL DEFAULT '',
        fingerprint TEXT NOT NULL,
        url TEXT NOT NULL,
        place TEXT NOT NULL DEFAULT '',
        failure TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (source_id, uid, recurrence_id)
    );
    """,
    # 7: CalDAV calendars as sources: the account's user (never its password), the server's
    # sync-token or CTag, and each resource's ETag and data (storage/caldav_state.py).
    """
    -- By location, not source: a calendar removed and brought back by Undo is still one.
    CREATE TABLE caldav_calendars (
        location TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        sync_token TEXT NOT NULL DEFAULT '',
        ctag TEXT NOT NULL DEFAULT '',
        synced_at TEXT NOT NULL DEFAULT '',
        last_kind TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE caldav_resources (
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        href TEXT NOT NULL,
        etag TEXT NOT NULL DEFAULT '',
        body BLOB NOT NULL,
        PRIMARY KEY (source_id, href)
    );
    """,
    # 8 (after the venues' 6 and CalDAV's 7): what publishing to a CalDAV calendar could
    # not write yet (storage/publish_queue.py).
    """
    CREATE TABLE publish_queue (
        calendar_url TEXT NOT NULL,
        user TEXT NOT NULL DEFAULT '',
        week_start TEXT NOT NULL,
        uid TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('add', 'move', 'update', 'remove', 'publish')),
        label TEXT NOT NULL,
        reason TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (calendar_url, week_start, uid)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The database cannot be used as asked; the message says why and what was kept."""


class ReadOnlyStoreError(StoreError):
    """The data folder cannot be written (a read-only mount, no permission): nothing is
    damaged, and nothing new can be kept."""


def read_only_reason(folder: Path) -> str:
    """What a user is told of a data folder planner cannot write to."""
    return f"planner cannot write to {folder} (read-only): decisions will not be kept"


def _writable(folder: Path) -> bool:
    """Whether planner may create and change files in ``folder`` (made if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return False
        raise
    return os.access(folder, os.W_OK)


def _refused_write(exc: sqlite3.Error, where: Path) -> bool:
    """Whether SQLite failed because the file or its folder may not be written."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY:
        return True
    return code == sqlite3.SQLITE_CANTOPEN and where.exists() and not os.access(where, os.W_OK)


def data_dir() -> Path:
    """Where planner keeps its data: ``PLANNER_DATA_DIR`` or the platform's data folder."""
    override = os.environ.get("PLANNER_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("planner"))


def default_path() -> Path:
    return data_dir() / "planner.sqlite3"


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
            version = user_version(connection)
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


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def check_version(connection: sqlite3.Connection, name: str) -> int:
    """The schema version, or a StoreError when the file is not ours or is newer."""
    try:
        version = user_version(connection)
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


def connect(path: Path) -> sqlite3.Connection:
    """A connection with explicit transactions, shareable between threads, rows by name."""
    # Autocommit (isolation_level=None): transactions are explicit, so none stays open
    # by accident. One connection is shared with the feed-refresh worker and the
    # session's writer, behind a lock.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    connection.row_factory = sqlite3.Row
    return connection


class Database:
    """The open file: one connection, used by one thread at a time (an ``RLock``).

    The store's modules get the connection only through :meth:`reading` and
    :meth:`writing`; a closed database raises :class:`StoreError` there.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection: sqlite3.Connection | None = connection
        self.path = path
        self._lock = threading.RLock()
        self.read_only = ""
        """Why nothing can be written ("" when it can): the folder is read-only."""
        self._glance: sqlite3.Connection | None = None  # see glancing()
        self._glance_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path | str | None = None) -> Database:
        """Open (creating or updating) the database; a newer one raises :class:`StoreError`."""
        where = Path(path) if path is not None else default_path()
        if not _writable(where.parent) or (where.exists() and not os.access(where, os.W_OK)):
            return cls._open_read_only(where)
        connection = connect(where)
        try:
            check_version(connection, str(where))
            # WAL: readers never block the writer, and a commit is one append + fsync.
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            migrate(connection)
        except (sqlite3.DatabaseError, StoreError) as exc:
            connection.close()
            cause = exc.__cause__ if isinstance(exc, StoreError) else exc
            if isinstance(cause, sqlite3.Error) and _refused_write(cause, where):
                return cls._open_read_only(where)
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{where} cannot be opened ({exc}); it was not changed") from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, where)

    @classmethod
    def _open_read_only(cls, where: Path) -> Database:
        """The planning kept in a folder planner cannot write to, to read; every write
        then raises :class:`ReadOnlyStoreError` (the window still opens and plans)."""
        reason = read_only_reason(where.parent)
        if not where.is_file():
            raise ReadOnlyStoreError(f"{reason} (nothing has been kept there yet)")
        # A WAL left by a crash must be read (mode=ro, which needs its -shm); without one,
        # "immutable" reads the file alone, as the -shm cannot be made in this folder.
        has_wal = where.with_name(where.name + "-wal").exists()
        uri = where.absolute().as_uri() + ("?mode=ro" if has_wal else "?immutable=1")
        try:
            connection = sqlite3.connect(
                uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10.0
            )
        except sqlite3.Error as exc:
            raise ReadOnlyStoreError(f"{reason} ({where}: {exc})") from exc
        connection.row_factory = sqlite3.Row
        try:
            version = check_version(connection, str(where))
            if version < SCHEMA_VERSION:
                raise ReadOnlyStoreError(
                    f"{reason} (and {where} is from an older planner, which cannot be "
                    "updated there)"
                )
        except BaseException:
            connection.close()
            raise
        database = cls(connection, where)
        database.read_only = reason
        return database

    def close(self) -> None:
        with self._glance_lock:
            if self._glance is not None:
                self._glance.close()
                self._glance = None
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    @property
    def schema_version(self) -> int:
        with self.reading() as db:
            return user_version(db)

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is damaged."""
        with self.reading() as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, held for the block (no transaction: each statement reads alone)."""
        with self._lock:
            if self._connection is None:
                raise StoreError(f"{self.path} is closed")
            yield self._connection

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyStoreError(self.read_only)
        with self.reading() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def glancing(self) -> Iterator[sqlite3.Connection]:
        """A second connection, for one small read that must not wait behind a write
        running on the first (the window asks whether another planner wrote before each
        decision; in WAL mode a reader never waits for the writer). It sees what is
        committed; the block must not write or hold a transaction open."""
        if self.read_only:
            # Nothing writes to a read-only store, so nothing can be waited behind; and a
            # second connection could not make its -shm file in a read-only folder.
            with self._lock:
                if self._connection is None:
                    raise StoreError(f"{self.path} is closed")
                yield self._connection
            return
        with self._glance_lock:
            if self._connection is None:
                raise StoreError(f"{self.path} is closed")
            if self._glance is None:
                self._glance = connect(self.path)
            yield self._glance
