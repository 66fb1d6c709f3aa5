"""Journeys kept between runs: every answer the timetables give, in a small database in
the cache folder, so a week planned again (``planner plan`` run again, the window opened
again, the same candidates refreshed) asks the router nothing it answered before.

Why: the first plan of a week by transit searches the timetable ~1,500 times (seconds
on GO + TTC); the answers depend only on the feeds, planner's routing code and the
question, so they are as good the next time. One file per set of feeds (their content
hashes), minimum transfer time and routing code (:func:`routing_stamp`): a changed
feed, setting or planner version starts an empty file, and files nobody opened for
:data:`UNUSED_DAYS` days are removed. At most :data:`MAX_KEPT` answers (the oldest go).

A cache, never the user's data: written without waiting for the disk, and any failure
to read or write it (a read-only folder, another planner holding it, a damaged file)
costs only speed, logged once. The file holds the coordinates of the places asked
about (home, the office), so it is readable by its owner only, like the rest of the
cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

_log = logging.getLogger(__name__)

MAX_KEPT = 20_000
"""Answers kept (about 1.7 kB each on disk, so ~35 MB at most): a week of 1,000
candidates asks ~1,600, so a dozen such weeks."""
FLUSH_EVERY = 500
"""New answers written in one go (and the rest when the process ends)."""
UNUSED_DAYS = 30
"""A file of other feeds or settings not opened for this long is removed."""
_PREFIX = "journeys-"
_SUFFIX = ".sqlite"


def routing_sources() -> list[Path]:
    """The code whose answers are kept, where its source can be read: any change to it
    is a new file. Every module of this folder (a new helper is counted without being
    listed) and the walking and driving models the journeys are timed with
    (estimate.py: the walk to a stop, the drive to a park-and-ride station)."""
    here = Path(__file__).parent
    return [*sorted(here.glob("*.py")), here.parent / "estimate.py"]


def routing_stamp(feed_hashes: Sequence[str], min_transfer_minutes: int, zone: str = "") -> str:
    """What the kept answers depend on, as a short hash: the feeds' contents, the minimum
    transfer time, the zone their times are read in and planner's routing code (its
    source where it can be read, else planner's version: the bundled app)."""
    digest = hashlib.sha256()
    for feed in feed_hashes:
        digest.update(feed.encode() + b"\0")
    digest.update(f"{min_transfer_minutes}\0{zone}\0".encode())
    try:
        for source in routing_sources():
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    except OSError:
        from planner import __version__

        digest.update(f"planner {__version__}".encode())
    return digest.hexdigest()[:24]


class KeptJourneys:
    """The kept answers of one :func:`routing_stamp`: looked up one by one, written in
    batches of :data:`FLUSH_EVERY` and when the process ends. Thread-safe."""

    def __init__(self, folder: Path, stamp: str) -> None:
        self.path = folder / f"{_PREFIX}{stamp}{_SUFFIX}"
        self._folder = folder
        self._connection: sqlite3.Connection | None = None
        self._broken = False
        self._pending: dict[str, tuple[int, str]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        """The text kept for ``key`` (None when not kept)."""
        with self._lock:
            if key in self._pending:
                return self._pending[key][1]
            connection = self._open()
            if connection is None:
                return None
            try:
                row = connection.execute(
                    "SELECT answer FROM journeys WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as exc:
                self._give_up("reading", exc)
                return None
            return None if row is None else str(row[0])

    def knows_days(self, days: Iterable[int]) -> bool:
        """Whether answers are kept for any of these days (ordinals): a week planned
        before, whose questions will mostly be answered here."""
        wanted = sorted(days)
        if not wanted or not self.path.exists():
            return False
        with self._lock:
            connection = self._open()
            if connection is None:
                return False
            try:
                row = connection.execute(
                    "SELECT 1 FROM journeys WHERE day BETWEEN ? AND ? LIMIT 1",
                    (wanted[0], wanted[-1]),
                ).fetchone()
            except sqlite3.Error as exc:
                self._give_up("reading", exc)
                return False
            return row is not None

    def put(self, key: str, day: int, text: str) -> None:
        """Keep ``text`` for ``key`` (asked about transit day ``day``, an ordinal);
        written with the next batch."""
        with self._lock:
            if self._broken:
                return
            self._pending[key] = (day, text)
            if len(self._pending) >= FLUSH_EVERY:
                self._write()

    def flush(self) -> None:
        """Write the answers not written yet (at the end of a plan, and of the process)."""
        with self._lock:
            if self._pending and not self._broken:
                self._write()

    def close(self) -> None:
        """Write what is pending and close the file."""
        with self._lock:
            if self._pending and not self._broken:
                self._write()
            if self._connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    def _write(self) -> None:
        connection = self._open()
        if connection is None:
            return
        rows = [(key, day, text) for key, (day, text) in self._pending.items()]
        self._pending.clear()
        try:
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO journeys (key, day, answer) VALUES (?, ?, ?)", rows
                )
                (count,) = connection.execute("SELECT count(*) FROM journeys").fetchone()
                if count > MAX_KEPT:
                    connection.execute(
                        "DELETE FROM journeys WHERE rowid IN "
                        "(SELECT rowid FROM journeys ORDER BY rowid LIMIT ?)",
                        (count - MAX_KEPT,),
                    )
        except sqlite3.Error as exc:
            self._give_up("writing", exc)

    def _open(self) -> sqlite3.Connection | None:
        if self._connection is not None or self._broken:
            return self._connection
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
            fresh = not self.path.exists()
            if fresh:
                # Owner only from the start: it holds the places asked about.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            connection = sqlite3.connect(self.path, check_same_thread=False, timeout=1.0)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is a search
            connection.execute(
                "CREATE TABLE IF NOT EXISTS journeys "
                "(key TEXT PRIMARY KEY, day INTEGER NOT NULL, answer TEXT NOT NULL)"
            )
            connection.execute("CREATE INDEX IF NOT EXISTS journeys_day ON journeys (day)")
            if fresh:
                _remove_unused(self._folder, keep=self.path)
            else:
                os.utime(self.path)  # opened: not unused
        except (OSError, sqlite3.Error) as exc:
            self._give_up("opening", exc)
            return None
        self._connection = connection
        return connection

    def _give_up(self, doing: str, exc: Exception) -> None:
        """Stop using the file for this process: the answers are searched instead."""
        if not self._broken:
            _log.info("kept journeys: %s %s failed (%s); searching instead", doing, self.path, exc)
        self._broken = True
        self._pending.clear()
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None


def _remove_unused(folder: Path, keep: Path) -> None:
    """Remove the kept journeys of other feeds or settings not opened for
    :data:`UNUSED_DAYS` days (a feed updated leaves its old answers behind)."""
    cutoff = time.time() - UNUSED_DAYS * 86400
    for path in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
        if path == keep:
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    part.unlink(missing_ok=True)
