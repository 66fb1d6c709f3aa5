"""What the user decided, as one immutable :class:`State`, and each change as a :class:`Change`.

A change holds the whole state before and after it, so undo and redo in a
session are exact: undo restores the very objects that were there. The store
keeps less (:class:`~planner.core.storage.undo_log.Step`: only what a change
touched), so that two planners on one store never write over each other's
decisions; :func:`step_of` makes a step of a change, and :func:`rebuilt` makes
the changes of a session again from the steps a store holds, walking back (and
forward) from the state it holds. Used by :mod:`planner.core.session`.
"""

from __future__ import annotations

import logging
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from planner.core.logs import log_failure
from planner.core.model import Choices, Event, Source
from planner.core.planning.what_changed import short_title
from planner.core.settings import Settings, SettingsError
from planner.core.storage import undo_log
from planner.core.storage.undo_log import Kept, Step, Typed

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class State:
    """Everything the user decided; replaced as a whole on every change."""

    settings: Settings
    choices: Choices = field(default_factory=Choices)
    sources: tuple[Source, ...] = ()
    added: tuple[Event, ...] = ()
    """Candidates the user typed or pasted (quick add), kept with the session."""


@dataclass(frozen=True, slots=True)
class Change:
    """One undoable step, named as the Edit menu shows it ("Commit to HDI meeting")."""

    label: str
    before: State
    after: State
    day: date | None = None
    """A day of the week it was about (the event decided on), to re-plan that week."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Names the step in the store's shared history."""


def step_of(change: Change) -> Step:
    """What the store keeps of a change: only the parts it changed."""
    before, after = change.before, change.after
    settings = None
    if before.settings is not after.settings and before.settings != after.settings:
        settings = (
            undo_log.settings_text(before.settings),
            undo_log.settings_text(after.settings),
        )
    return Step(
        change.id,
        change.label,
        change.day,
        undo_log.choices_delta(before.choices, after.choices),
        (before.sources, after.sources) if before.sources != after.sources else None,
        Typed.between(before.added, after.added) if before.added != after.added else None,
        settings,
        undo_log.marks_delta(before.choices, after.choices),
    )


def _applied(state: State, step: Step, *, forward: bool, read: dict[str, Settings]) -> State:
    """``state`` with what ``step`` changed as it was after (or before) it; ``read``
    memoises the settings texts read (each step holds two, shared with its neighbours)."""
    side = 1 if forward else 0
    settings = state.settings
    if step.settings is not None:
        text = step.settings[side]
        try:
            settings = read[text] if text in read else undo_log.settings_from_text(text)
            read[text] = settings
        except (SettingsError, tomllib.TOMLDecodeError) as exc:  # written by another version
            log_failure(_log, "reading the settings of an undo step", exc)
    return State(
        settings,
        undo_log.choices_applied(state.choices, step, forward=forward),
        step.sources[side] if step.sources is not None else state.sources,
        step.added.applied(state.added, forward=forward) if step.added is not None else state.added,
    )


def rebuilt(state: State, kept: Kept) -> tuple[list[Change], list[Change]]:
    """The undo and redo stacks as changes between whole states, walked from ``state``
    (the store keeps only what each step changed)."""
    read: dict[str, Settings] = {}
    undo: list[Change] = []
    current = state
    for step in reversed(kept.undo):
        before = _applied(current, step, forward=False, read=read)
        undo.append(Change(step.label, before, current, step.day, step.id))
        current = before
    redo: list[Change] = []
    current = state
    for step in reversed(kept.redo):
        after = _applied(current, step, forward=True, read=read)
        redo.append(Change(step.label, current, after, step.day, step.id))
        current = after
    undo.reverse()
    redo.reverse()
    return undo, redo


def cause(change: Change, titles: Mapping[str, str], *, undone: bool = False) -> str:
    """What the user did, in words, to lead the sentence on what it changed ("you
    committed to Whitby Chamber of Commerce"); ``titles`` names events by key, and
    ``undone`` says the change was taken back (Undo) rather than made."""
    if undone:
        label = change.label.replace("“", "").replace("”", "")
        return f"you undid “{label}”"
    before, after = change.before.choices, change.after.choices

    def named(key: str) -> str:
        return short_title(titles.get(key, "an event"))

    for key in sorted(after.pinned - before.pinned):
        return f"you committed to {named(key)}"
    for key in sorted(after.refused - before.refused):
        return f"you refused {named(key)}"
    for key in sorted((before.pinned | before.refused) - (after.pinned | after.refused)):
        return f"you left {named(key)} to the planner"
    for key in sorted(set(before.stars) | set(after.stars)):
        if before.stars.get(key) != after.stars.get(key):
            stars = after.stars.get(key)
            if stars is None:
                return f"you cleared your stars for {named(key)}"
            return f"you rated {named(key)} {stars} star{'s' if stars != 1 else ''}"
    if change.before.settings != change.after.settings:
        return "you changed your settings"
    if change.before.sources != change.after.sources:
        return "your calendars changed"
    if change.before.added != change.after.added:
        return "the events you typed changed"
    return f"of “{change.label}”"


def decided_on(change: Change) -> str:
    """The key of the event ``change`` decided on (committed to, refused, rated), or ""
    when it was about no one event: the sentence on what it changed names it once, as
    the cause."""
    before, after = change.before.choices, change.after.choices
    keys = (before.pinned ^ after.pinned) | (before.refused ^ after.refused)
    keys |= {
        k for k in set(before.stars) | set(after.stars) if before.stars.get(k) != after.stars.get(k)
    }
    return next(iter(keys)) if len(keys) == 1 else ""
