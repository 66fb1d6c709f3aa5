"""The session's own state besides decisions: typed events, the settings file, small values.

:func:`save_state` is what the session calls after every change, undo and
redo: decisions, imported calendars and typed events made equal to the
session's in one transaction, each part rewritten only when it differs, so
a decision costs one small write. The settings file's text is kept too, so
that a backup holds the user's rules even if the file itself is lost, and
the week the window showed last, so that it opens there next time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from planner.core.model import Choices, Event, Source
from planner.core.storage.codec import event_from_json, event_to_json, now_text, utc_text
from planner.core.storage.database import Database
from planner.core.storage.decisions import check_choices, write_choices
from planner.core.storage.sources import write_sources


@dataclass(frozen=True, slots=True)
class StoredSettings:
    """The settings file the user works with, and its text when last saved."""

    path: str
    text: str
    saved_at: datetime


def save_added(database: Database, events: Sequence[Event]) -> None:
    """Keep the events the user typed, in order, replacing the stored ones."""
    with database.writing() as db:
        write_added(db, events)


def save_state(
    database: Database, choices: Choices, sources: Sequence[Source], added: Sequence[Event]
) -> None:
    """Make the stored decisions, calendars and typed events these, in one transaction:
    the session calls it after every change, undo and redo. (The settings file is kept
    by :func:`save_settings` when it is written, since a :class:`Settings` object does
    not say which file it came from.)
    """
    check_choices(choices)
    with database.writing() as db:
        write_choices(db, choices)
        stored = tuple(
            (r["location"], r["role"])
            for r in db.execute("SELECT location, role FROM sources ORDER BY position, id")
        )
        if stored != tuple((s.path, s.role) for s in sources):
            write_sources(db, sources)
        texts = [r["event"] for r in db.execute("SELECT event FROM added ORDER BY position")]
        if texts != [event_to_json(e) for e in added]:
            write_added(db, added)


def load_added(database: Database) -> tuple[Event, ...]:
    with database.reading() as db:
        rows = db.execute("SELECT event FROM added ORDER BY position").fetchall()
    return tuple(event_from_json(r["event"]) for r in rows)


def save_settings(database: Database, path: Path | str, text: str | None = None) -> None:
    """Remember the settings file and its text (read from the file when not given), so a
    backup holds the user's rules even if the file itself is lost."""
    if text is None:
        text = Path(path).read_text(encoding="utf-8")
    with database.writing() as db:
        db.execute(
            "INSERT OR REPLACE INTO settings (id, path, toml, saved_at) VALUES (1, ?, ?, ?)",
            (str(path), text, now_text()),
        )


def load_settings(database: Database) -> StoredSettings | None:
    with database.reading() as db:
        row = db.execute("SELECT path, toml, saved_at FROM settings").fetchone()
    if row is None:
        return None
    return StoredSettings(row["path"], row["toml"], datetime.fromisoformat(row["saved_at"]))


def save_week(database: Database, day: date) -> None:
    """The week the window showed last, to open on it next time."""
    with database.writing() as db:
        db.execute(
            "INSERT OR REPLACE INTO app_state (name, value) VALUES ('last_week', ?)",
            (day.isoformat(),),
        )


def last_week(database: Database) -> date | None:
    with database.reading() as db:
        row = db.execute("SELECT value FROM app_state WHERE name = 'last_week'").fetchone()
    return date.fromisoformat(row["value"]) if row else None


def save_value(database: Database, name: str, value: str) -> None:
    """Remember one small piece of the app's state (when changes were last seen)."""
    with database.writing() as db:
        db.execute("INSERT OR REPLACE INTO app_state (name, value) VALUES (?, ?)", (name, value))


def value(database: Database, name: str) -> str | None:
    with database.reading() as db:
        row = db.execute("SELECT value FROM app_state WHERE name = ?", (name,)).fetchone()
    return str(row["value"]) if row else None


PLACE_FIXES = "place_fixes"


def place_fixes(database: Database) -> dict[str, str]:
    """The user's fixes of approximate places: location text -> the address, "lat, lon"
    or saved place they gave. A damaged value counts as none: it only costs precision."""
    try:
        data = json.loads(value(database, PLACE_FIXES) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v.strip() for k, v in data.items() if isinstance(v, str) and v.strip()}


def fix_place(database: Database, location: str, fixed: str) -> None:
    """File ``fixed`` for every place written ``location`` ("" removes the fix)."""
    fixes = place_fixes(database)
    if fixed.strip():
        fixes[location] = fixed.strip()
    else:
        fixes.pop(location, None)
    save_value(database, PLACE_FIXES, json.dumps(fixes, sort_keys=True))


def changes_seen(database: Database) -> datetime:
    """When the user last dismissed the list of feed changes (long ago if never)."""
    text = value(database, "changes_seen")
    return datetime.fromisoformat(text) if text else datetime(2000, 1, 1, tzinfo=UTC)


def mark_changes_seen(database: Database, when: datetime) -> None:
    save_value(database, "changes_seen", utc_text(when))


def write_added(db: sqlite3.Connection, events: Sequence[Event]) -> None:
    """Inside the caller's transaction: the typed events, in order, replacing the stored ones."""
    db.execute("DELETE FROM added")
    db.executemany(
        "INSERT OR REPLACE INTO added (key, position, event) VALUES (?, ?, ?)",
        [(e.key, i, event_to_json(e)) for i, e in enumerate(events)],
    )
