"""The undo history, kept beside the state it changes, shared by every planner on the store.

A decision made in the terminal (``planner commit``) can be undone in the window
and the other way round, and the history survives a restart: each undoable
change is kept as a :class:`Step` holding what it changed, before and after
(the decisions of the events it touched, the calendars, the typed events, the
settings as TOML text), which is enough to put back the previous choices
exactly. A step is written in the same transaction as the change it describes,
so the history never disagrees with the state.

Writing a step applies only what it changed: the decisions of the events it
touched, not the whole set. Two planners open on the store at once (the window
and ``planner refuse`` in a terminal) therefore never write over each other's
decisions. Every write also counts a revision, so a session can tell, with one
small read, that another planner changed the store since it last looked (see
:meth:`planner.core.session.Session.sync`).

The undo stack keeps the last :data:`MAX_STEPS` steps; a new change clears the
redo stack, as in any editor. Each stack is ordered by ``seq``: undoing or
redoing a step moves it to the top of the other stack.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, cast

from planner.core.model import Choices, Event, Mark, Source, Went
from planner.core.settings import Settings
from planner.core.storage.codec import event_from_json, event_to_json, now_text
from planner.core.storage.database import Database
from planner.core.storage.decisions import DecisionKind, put_decision, put_mark, write_choices
from planner.core.storage.sources import write_sources
from planner.core.storage.state import load_added, write_added

MAX_STEPS = 100
"""How many changes can be undone (the oldest are forgotten first)."""

Stack = Literal["undo", "redo"]
Row = tuple[DecisionKind, int | None]
"""One event's decision and stars, as the decisions table holds them."""


@dataclass(frozen=True, slots=True)
class Typed:
    """How a change took the list of typed events from one state to the next: it removed
    ``removed`` (each with its position in the list before) and then appended
    ``appended``, as adding (an event typed again moves to the end) and deleting do."""

    removed: tuple[tuple[int, Event], ...]
    appended: tuple[Event, ...]

    @classmethod
    def between(cls, before: tuple[Event, ...], after: tuple[Event, ...]) -> Typed:
        """The removals and appends that take ``before`` to ``after``: the events of
        ``before`` that ``after`` starts with, in order, are kept; the rest is removed,
        and what ``after`` holds past them is appended."""
        kept = 0
        removed: list[tuple[int, Event]] = []
        for position, event in enumerate(before):
            if kept < len(after) and after[kept] == event:
                kept += 1
            else:
                removed.append((position, event))
        return cls(tuple(removed), after[kept:])

    def applied(self, events: tuple[Event, ...], *, forward: bool) -> tuple[Event, ...]:
        """``events`` taken forward (removed, then appended) or back. The events of the
        list that the change did not touch (another planner's, too) stay where they are."""
        if forward:
            gone = {e.key for _i, e in self.removed} | {e.key for e in self.appended}
            return tuple(e for e in events if e.key not in gone) + self.appended
        gone = {e.key for e in self.appended} | {e.key for _i, e in self.removed}
        back = [e for e in events if e.key not in gone]
        for position, event in self.removed:
            back.insert(min(position, len(back)), event)
        return tuple(back)


@dataclass(frozen=True, slots=True)
class Step:
    """One undoable change as kept: its name and what it changed, before and after.

    A part that the change left alone is None (``choices``: only the events it
    touched are listed).
    """

    id: str
    label: str
    day: date | None = None
    """A day of the week the change was about (the event decided on), for re-planning."""
    choices: Mapping[str, tuple[Row, Row]] = field(default_factory=dict)
    sources: tuple[tuple[Source, ...], tuple[Source, ...]] | None = None
    added: Typed | None = None
    """The typed events it removed and those it appended (the list can be long, and
    most changes touch one event)."""
    settings: tuple[str, str] | None = None
    """The settings as TOML text, before and after."""
    marks: Mapping[str, tuple[Mark | None, Mark | None]] = field(default_factory=dict)
    """Attended or skipped (with the note) of the events it touched, before and after."""


@dataclass(frozen=True, slots=True)
class Kept:
    """Everything a session starts from, read at one moment."""

    revision: int
    choices: Choices
    sources: tuple[Source, ...]
    added: tuple[Event, ...]
    undo: tuple[Step, ...]
    """Oldest first: the last is what Undo takes back."""
    redo: tuple[Step, ...]
    """The last is what Redo puts back."""


@dataclass(frozen=True, slots=True)
class Written:
    """A write's revisions: ``before`` is not the revision the writer last knew when
    another planner wrote in between."""

    before: int
    after: int


def choice_row(choices: Choices, key: str) -> Row:
    kind: DecisionKind = (
        "pinned" if key in choices.pinned else "refused" if key in choices.refused else ""
    )
    return kind, choices.stars.get(key)


def record(database: Database, step: Step) -> Written:
    """Apply a new change and put it on top of the undo stack; the redo stack is cleared
    and the oldest steps beyond :data:`MAX_STEPS` are forgotten. One transaction."""
    with database.writing() as db:
        _apply(db, step, forward=True)
        db.execute("DELETE FROM undo_steps WHERE stack = 'redo'")
        _put(db, step, "undo")
        db.execute(
            "DELETE FROM undo_steps WHERE stack = 'undo' AND seq NOT IN "
            "(SELECT seq FROM undo_steps WHERE stack = 'undo' ORDER BY seq DESC LIMIT ?)",
            (MAX_STEPS,),
        )
        return _bump(db)


def move(database: Database, step: Step, to: Stack) -> Written:
    """Undo (``to="redo"``) or redo (``to="undo"``) a step: what it changed is put back
    as it was before (or after) it, and the step goes on top of the other stack."""
    with database.writing() as db:
        _apply(db, step, forward=to == "undo")
        _put(db, step, to)
        return _bump(db)


def reset(
    database: Database, choices: Choices, sources: tuple[Source, ...], added: tuple[Event, ...]
) -> Written:
    """Replace the whole state (a backup was restored) and forget the history, which
    belonged to the state replaced."""
    with database.writing() as db:
        write_choices(db, choices)
        write_sources(db, sources)
        write_added(db, added)
        db.execute("DELETE FROM undo_steps")
        return _bump(db)


def forget(db: sqlite3.Connection) -> None:
    """Inside the caller's transaction: no history (after a backup replaced the state)."""
    db.execute("DELETE FROM undo_steps")
    _bump(db)


def revision(database: Database) -> int:
    """The store's revision, read without waiting for a write in progress on the session's
    own connection (its writer thread may be writing)."""
    with database.glancing() as db:
        return _revision(db)


def load(database: Database) -> Kept:
    """The state and both stacks, read in one snapshot (another planner may be writing)."""
    from planner.core.storage.decisions import load_choices
    from planner.core.storage.sources import load_sources

    with database.reading() as db:  # the lock is re-entrant: the reads below share it
        db.execute("BEGIN")  # one snapshot: another planner's commit waits for the next sync
        try:
            number = _revision(db)
            rows = db.execute(
                "SELECT id, label, stack, step FROM undo_steps ORDER BY seq"
            ).fetchall()
            choices = load_choices(database)
            sources = load_sources(database)
            added = load_added(database)
        finally:
            db.execute("COMMIT")
    # Steps of typed events each hold the whole list: the same event texts come back in
    # step after step, so each is decoded once.
    events: dict[str, Event] = {}
    undo = tuple(
        _decode(r["id"], r["label"], r["step"], events) for r in rows if r["stack"] == "undo"
    )
    redo = tuple(
        _decode(r["id"], r["label"], r["step"], events) for r in rows if r["stack"] == "redo"
    )
    return Kept(number, choices, sources, added, undo, redo)


# --- inside a transaction ------------------------------------------------------------------
def _revision(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM app_state WHERE name = 'revision'").fetchone()
    return int(row["value"]) if row else 0


def _bump(db: sqlite3.Connection) -> Written:
    before = _revision(db)
    db.execute(
        "INSERT OR REPLACE INTO app_state (name, value) VALUES ('revision', ?)", (str(before + 1),)
    )
    return Written(before, before + 1)


def _apply(db: sqlite3.Connection, step: Step, *, forward: bool) -> None:
    """What ``step`` changed, made as it was after it (``forward``) or before it.

    The calendars are a list: when the store holds what the step started from, the
    list it leads to is written as it is (order included); when another planner changed
    the list meanwhile, only the calendars the step added, removed or changed are, and
    the other planner's stay. Typed events are kept as what the step removed and
    appended (:class:`Typed`), which leaves the other planner's alone by itself.
    """
    side = 1 if forward else 0
    for key, rows in step.choices.items():
        kind, stars = rows[side]
        put_decision(db, key, kind, stars)
    for key, marks in step.marks.items():
        put_mark(db, key, marks[side])
    if step.sources is not None:
        stored = tuple(
            Source(r["location"], r["role"])
            for r in db.execute("SELECT location, role FROM sources ORDER BY position, id")
        )
        start, end = step.sources[1 - side], step.sources[side]
        write_sources(db, _merged(stored, start, end, lambda s: s.path))
    if step.added is not None:
        texts = [r["event"] for r in db.execute("SELECT event FROM added ORDER BY position")]
        events = tuple(event_from_json(t) for t in texts)
        write_added(db, step.added.applied(events, forward=forward))


def _merged(
    stored: tuple[Source, ...],
    start: tuple[Source, ...],
    end: tuple[Source, ...],
    key: Callable[[Source], str],
) -> tuple[Source, ...]:
    """``stored`` taken from ``start`` to ``end``: ``end`` itself when ``stored`` is
    ``start``, else ``stored`` with the items that differ between the two made as in
    ``end`` (removed, replaced in place, or added at the end)."""
    if stored == start:
        return end
    before = {key(item): item for item in start}
    after = {key(item): item for item in end}
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    kept = tuple(after.get(key(item), item) if key(item) in differing else item for item in stored)
    kept = tuple(item for item in kept if key(item) not in differing or key(item) in after)
    present = {key(item) for item in kept}
    return kept + tuple(item for item in end if key(item) in differing and key(item) not in present)


def _put(db: sqlite3.Connection, step: Step, stack: Stack) -> None:
    top = db.execute("SELECT coalesce(max(seq), 0) FROM undo_steps").fetchone()[0]
    db.execute(
        "INSERT INTO undo_steps (id, seq, stack, label, step, made_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, stack = excluded.stack",
        (step.id, int(top) + 1, stack, step.label, _encode(step), now_text()),
    )


def _encode(step: Step) -> str:
    data: dict[str, Any] = {
        "choices": {
            key: [list(before), list(after)] for key, (before, after) in step.choices.items()
        }
    }
    if step.day is not None:
        data["day"] = step.day.isoformat()
    if step.sources is not None:
        data["sources"] = [[[s.path, s.role] for s in side] for side in step.sources]
    if step.added is not None:
        data["added"] = {
            "removed": [[i, event_to_json(e)] for i, e in step.added.removed],
            "appended": [event_to_json(e) for e in step.added.appended],
        }
    if step.settings is not None:
        data["settings"] = list(step.settings)
    if step.marks:
        data["marks"] = {
            key: [None if m is None else [m.went, m.note] for m in sides]
            for key, sides in step.marks.items()
        }
    return json.dumps(data, ensure_ascii=False)


def _decode(step_id: str, label: str, text: str, events: dict[str, Event]) -> Step:
    """A step as :func:`_encode` wrote it; ``events`` memoises the events decoded."""
    data = json.loads(text)

    def event(text: str) -> Event:
        found = events.get(text)
        if found is None:
            found = events[text] = event_from_json(text)
        return found

    def row(value: list[Any]) -> Row:
        return cast(DecisionKind, value[0]), None if value[1] is None else int(value[1])

    def mark(value: list[str] | None) -> Mark | None:
        return None if value is None else Mark(cast(Went, value[0]), str(value[1]))

    choices = {key: (row(b), row(a)) for key, (b, a) in data.get("choices", {}).items()}
    marks = {key: (mark(b), mark(a)) for key, (b, a) in data.get("marks", {}).items()}
    sources = data.get("sources")
    added = data.get("added")
    settings = data.get("settings")
    day = data.get("day")
    return Step(
        step_id,
        label,
        date.fromisoformat(day) if day else None,
        choices,
        None
        if sources is None
        else (
            tuple(Source(p, r) for p, r in sources[0]),
            tuple(Source(p, r) for p, r in sources[1]),
        ),
        None
        if added is None
        else Typed(
            tuple((int(i), event(t)) for i, t in added["removed"]),
            tuple(event(t) for t in added["appended"]),
        ),
        None if settings is None else (str(settings[0]), str(settings[1])),
        marks,
    )


# --- what a step changes, for the session ---------------------------------------------------
def choices_delta(before: Choices, after: Choices) -> dict[str, tuple[Row, Row]]:
    """The events whose decision or stars differ, with their rows before and after."""
    keys = (before.pinned ^ after.pinned) | (before.refused ^ after.refused)
    if before.stars is not after.stars:  # a decision keeps the same mapping: nothing to walk
        rated = set(before.stars) | set(after.stars)
        keys |= {key for key in rated if before.stars.get(key) != after.stars.get(key)}
    return {key: (choice_row(before, key), choice_row(after, key)) for key in keys}


def marks_delta(before: Choices, after: Choices) -> dict[str, tuple[Mark | None, Mark | None]]:
    """The events whose mark (attended, skipped, the note) differs, before and after."""
    if before.marks is after.marks:
        return {}
    keys = set(before.marks) | set(after.marks)
    return {
        key: (before.marks.get(key), after.marks.get(key))
        for key in keys
        if before.marks.get(key) != after.marks.get(key)
    }


def choices_applied(choices: Choices, step: Step, *, forward: bool) -> Choices:
    """``choices`` with the events ``step`` touched as they were after (or before) it."""
    if not step.choices and not step.marks:
        return choices
    side = 1 if forward else 0
    marks = dict(choices.marks)
    for key, sides in step.marks.items():
        marks.pop(key, None)
        mark = sides[side]
        if mark is not None:
            marks[key] = mark
    pinned, refused, stars = set(choices.pinned), set(choices.refused), dict(choices.stars)
    for key, rows in step.choices.items():
        kind, rated = rows[side]
        pinned.discard(key)
        refused.discard(key)
        if kind == "pinned":
            pinned.add(key)
        elif kind == "refused":
            refused.add(key)
        stars.pop(key, None)
        if rated is not None:
            stars[key] = rated
    return Choices(frozenset(pinned), frozenset(refused), stars, marks)


def settings_text(settings: Settings) -> str:
    """Settings as the TOML a step keeps (every key, so it reads back the same)."""
    import tomlkit

    from planner.core.settings import settings_to_dict

    return tomlkit.dumps(settings_to_dict(settings))


def settings_from_text(text: str) -> Settings:
    """The settings :func:`settings_text` wrote (or a settings file's text); raises
    SettingsError or tomllib.TOMLDecodeError."""
    import tomllib

    from planner.core.settings import settings_from_dict

    return settings_from_dict(tomllib.loads(text))
