"""The user's decisions: which events they committed to or refused, their stars, their notes.

A decision is keyed by :attr:`Event.key`, so it stays attached to an event
that an organiser moves. A row that says nothing (no decision, no stars, no
note) is deleted rather than kept empty, so the table holds only what the
user said. Writing a whole :class:`Choices` rewrites only the rows that
differ: after an undo several decisions change at once, in one transaction.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from planner.core.model import Choices, Mark
from planner.core.storage.codec import now_text
from planner.core.storage.database import Database

DecisionKind = Literal["pinned", "refused", ""]


def set_decision(
    database: Database, key: str, decision: DecisionKind, stars: int | None = None
) -> None:
    """Record one event's decision and rating as they are now (its note is kept)."""
    if decision not in ("pinned", "refused", ""):
        raise ValueError(f"unknown decision {decision!r}: pinned, refused or ''")
    with database.writing() as db:
        put_decision(db, key, decision, stars)


def set_note(database: Database, key: str, note: str) -> None:
    """Keep the user's own words about an event (why they refused it, whom to meet)."""
    with database.writing() as db:
        db.execute(
            "INSERT INTO decisions (key, note, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET note = excluded.note, "
            "updated_at = excluded.updated_at",
            (key, note, now_text()),
        )
        _drop_empty(db, key)


def notes(database: Database) -> dict[str, str]:
    with database.reading() as db:
        rows = db.execute("SELECT key, note FROM decisions WHERE note != ''").fetchall()
    return {r["key"]: r["note"] for r in rows}


def save_choices(database: Database, choices: Choices) -> None:
    """Make the stored decisions equal ``choices`` in one transaction; rows already equal
    are not rewritten, notes are kept."""
    check_choices(choices)
    with database.writing() as db:
        write_choices(db, choices)


def load_choices(database: Database) -> Choices:
    with database.reading() as db:
        rows = db.execute("SELECT key, decision, stars, went, note FROM decisions").fetchall()
    return Choices(
        pinned=frozenset(r["key"] for r in rows if r["decision"] == "pinned"),
        refused=frozenset(r["key"] for r in rows if r["decision"] == "refused"),
        stars={r["key"]: int(r["stars"]) for r in rows if r["stars"] is not None},
        marks={r["key"]: Mark(r["went"], r["note"]) for r in rows if r["went"]},
    )


def check_choices(choices: Choices) -> None:
    """Refuse, before any write, choices that pin and refuse the same event."""
    both = choices.pinned & choices.refused
    if both:
        raise ValueError(f"pinned and refused at once: {sorted(both)}")


def write_choices(db: sqlite3.Connection, choices: Choices) -> None:
    """Inside the caller's transaction: the rows that differ from ``choices``, rewritten."""
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
            put_decision(db, key, kind, stars)
    for key, value in stored.items():
        if key not in wanted and value != ("", None):
            put_decision(db, key, "", None)
    marked = {
        r["key"]: Mark(r["went"], r["note"])
        for r in db.execute("SELECT key, went, note FROM decisions WHERE went != ''")
    }
    for key, mark in choices.marks.items():
        if marked.get(key) != mark:
            put_mark(db, key, mark)
    for key in marked.keys() - choices.marks.keys():
        put_mark(db, key, None)


def put_decision(
    db: sqlite3.Connection, key: str, decision: DecisionKind, stars: int | None
) -> None:
    """Inside the caller's transaction: one row's decision and stars (its note is kept)."""
    if stars is not None and not 0 <= stars <= 5:
        raise ValueError(f"stars must be 0 to 5, not {stars}")
    db.execute(
        "INSERT INTO decisions (key, decision, stars, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET decision = excluded.decision, "
        "stars = excluded.stars, updated_at = excluded.updated_at",
        (key, decision, stars, now_text()),
    )
    _drop_empty(db, key)


def put_mark(db: sqlite3.Connection, key: str, mark: Mark | None) -> None:
    """Inside the caller's transaction: whether the user went to one event, and their
    note on it (None: neither, as before they said)."""
    went, note = (mark.went, mark.note) if mark is not None else ("", "")
    if went not in ("", "attended", "skipped"):
        raise ValueError(f"unknown mark {went!r}: attended or skipped")
    db.execute(
        "INSERT INTO decisions (key, went, note, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET went = excluded.went, note = excluded.note, "
        "updated_at = excluded.updated_at",
        (key, went, note, now_text()),
    )
    _drop_empty(db, key)


def _drop_empty(db: sqlite3.Connection, key: str) -> None:
    db.execute(
        "DELETE FROM decisions WHERE key = ? AND decision = '' AND stars IS NULL AND note = '' "
        "AND went = ''",
        (key,),
    )
