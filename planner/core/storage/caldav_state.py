"""What planner keeps of a CalDAV calendar to read it again cheaply: never its password.

A CalDAV calendar is a source like a feed (its row in ``sources``, its merged
events, its last good copy as one calendar in ``sources.body``), plus what makes
the next refresh incremental: the server's ``sync-token`` (RFC 6578) or, on a
server without one, its CTag, and each calendar object's href, ETag and data, so
that only what changed is fetched again and the copy is rebuilt from the rest.
The account's user name is kept (it says whose password to ask the keyring for);
the password never is. Reading and merging are :mod:`planner.core.caldav.sync`'s
job; this module only keeps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from planner.core.storage.codec import datetime_or_none, utc_text
from planner.core.storage.database import Database, StoreError


@dataclass(frozen=True, slots=True)
class CalDAVState:
    """A CalDAV calendar's account and sync state."""

    location: str
    user: str
    display_name: str = ""
    sync_token: str = ""
    ctag: str = ""
    synced_at: datetime | None = None
    last_kind: str = ""
    """How the last sync read it: "full", "sync-token", "etags" or "unchanged"."""


class CalDAVCalendars:
    """The CalDAV rows of one database (see :attr:`planner.core.storage.store.Store.caldav`)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def remember(self, location: str, user: str, display_name: str) -> None:
        """Mark a source as a CalDAV calendar of ``user`` (its sync state is kept when it
        was one already). Kept by location, so that a calendar removed and brought back
        (Undo) is still read as one; its objects go with the source."""
        with self._db.writing() as db:
            db.execute(
                "INSERT INTO caldav_calendars (location, user, display_name) VALUES (?, ?, ?) "
                "ON CONFLICT (location) DO UPDATE SET user = excluded.user, "
                "display_name = excluded.display_name",
                (location, user, display_name),
            )

    def state(self, location: str) -> CalDAVState | None:
        """The calendar's sync state; None when the location is not a CalDAV calendar."""
        with self._db.reading() as db:
            row = db.execute(
                "SELECT * FROM caldav_calendars WHERE location = ?", (location,)
            ).fetchone()
        if row is None:
            return None
        return CalDAVState(
            location=location,
            user=row["user"],
            display_name=row["display_name"],
            sync_token=row["sync_token"],
            ctag=row["ctag"],
            synced_at=datetime_or_none(row["synced_at"]),
            last_kind=row["last_kind"],
        )

    def locations(self) -> set[str]:
        """Every imported source that is a CalDAV calendar."""
        with self._db.reading() as db:
            rows = db.execute(
                "SELECT c.location FROM caldav_calendars c JOIN sources s "
                "ON s.location = c.location"
            ).fetchall()
        return {r["location"] for r in rows}

    def etags(self, location: str) -> dict[str, str]:
        """Each kept calendar object's href and ETag."""
        with self._db.reading() as db:
            rows = db.execute(
                "SELECT r.href, r.etag FROM caldav_resources r JOIN sources s "
                "ON s.id = r.source_id WHERE s.location = ?",
                (location,),
            ).fetchall()
        return {r["href"]: r["etag"] for r in rows}

    def bodies(self, location: str, hrefs: Iterable[str] | None = None) -> list[bytes]:
        """The kept calendar objects' data (of ``hrefs`` only, when given), in href order."""
        with self._db.reading() as db:
            rows = db.execute(
                "SELECT r.href, r.body FROM caldav_resources r JOIN sources s "
                "ON s.id = r.source_id WHERE s.location = ? ORDER BY r.href",
                (location,),
            ).fetchall()
        wanted = set(hrefs) if hrefs is not None else None
        return [bytes(r["body"]) for r in rows if wanted is None or r["href"] in wanted]

    def keep_resources(
        self,
        location: str,
        changed: Mapping[str, tuple[str, bytes]],
        deleted: Iterable[str],
        *,
        replace_all: bool = False,
    ) -> None:
        """Keep the changed objects (href -> (ETag, data)) and drop the deleted ones; with
        ``replace_all`` the changed ones are the whole calendar."""
        with self._db.writing() as db:
            source_id = _source_id(db, location)
            if replace_all:
                db.execute("DELETE FROM caldav_resources WHERE source_id = ?", (source_id,))
            db.executemany(
                "DELETE FROM caldav_resources WHERE source_id = ? AND href = ?",
                [(source_id, href) for href in deleted],
            )
            db.executemany(
                "INSERT INTO caldav_resources (source_id, href, etag, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (source_id, href) DO UPDATE SET etag = excluded.etag, "
                "body = excluded.body",
                [(source_id, href, etag, body) for href, (etag, body) in changed.items()],
            )

    def synced(
        self, location: str, *, sync_token: str, ctag: str, kind: str, when: datetime
    ) -> None:
        """The sync that read the server up to ``sync_token``/``ctag`` is merged and kept."""
        with self._db.writing() as db:
            db.execute(
                "UPDATE caldav_calendars SET sync_token = ?, ctag = ?, last_kind = ?, "
                "synced_at = ? WHERE location = ?",
                (sync_token, ctag, kind, utc_text(when), location),
            )

    def forget_token(self, location: str) -> None:
        """The server no longer knows the token: the next sync reads the whole calendar."""
        with self._db.writing() as db:
            db.execute(
                "UPDATE caldav_calendars SET sync_token = '', ctag = '' WHERE location = ?",
                (location,),
            )


def _source_id(db: sqlite3.Connection, location: str) -> int:
    row = db.execute("SELECT id FROM sources WHERE location = ?", (location,)).fetchone()
    if row is None:
        raise StoreError(f"{location} is not an imported calendar")
    return int(row["id"])
