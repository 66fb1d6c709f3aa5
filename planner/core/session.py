"""One planning session: the settings, the calendars and the user's decisions, undoable.

Every change the user makes (commit to an event, refuse one, rate it,
import a calendar, change a setting) replaces the session's immutable
:class:`State` and is recorded as a :class:`Change` holding the state before
and after, so undo and redo are exact and cannot drift: undo restores the
very objects that were there. The window and the CLI both work through this
class; it never imports Qt.

Reading calendars is the slow part of planning, so the events of a week are
cached per (week, calendars, settings): a re-plan after a decision reuses them
and costs only the optimiser.

With a :class:`~planner.core.storage.store.Store` the session is kept: every change
(and every undo and redo) is written in one transaction with its step of the undo
history (:mod:`planner.core.storage.undo_log`), a new session starts from what
was stored, history included, and the events planned or attended in other weeks
count toward monthly quotas. The history is shared: a decision made with
``planner commit`` is undone in the window and the other way round. A write
applies only what its change touched, so two planners open on one store (the
window and a terminal) never write over each other's decisions, and
:meth:`Session.sync` takes in what another one wrote. Its
:class:`~planner.core.storage.writer.Writer` decides where that write runs: by
default at once, before anyone hears of the change (the CLI, the tests); the
window gives a serial background writer, so that a slow disk never freezes it,
and :meth:`Session.flush` waits for it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.core.calendars.reading import IcsError, dedupe
from planner.core.changes import Change, State, rebuilt, step_of
from planner.core.logs import log_failure
from planner.core.model import (
    ROLES,
    Choices,
    Event,
    Mark,
    Plan,
    Problem,
    Role,
    Severity,
    Source,
    Went,
    is_feed,
    source_name,
)
from planner.core.planning.plan import plan_week, week_of
from planner.core.planning.week import WeekData, ahead, first_week_with, load_week
from planner.core.settings import Settings, SettingsError
from planner.core.storage import undo_log
from planner.core.storage.database import StoreError
from planner.core.storage.undo_log import Kept, Written
from planner.core.storage.writer import InlineWriter, Writer
from planner.core.travel.service import TravelService

if TYPE_CHECKING:
    from planner.core.storage.store import Store

BaseLoader = Callable[[date, Settings, tuple["Source", ...]], tuple[Settings, WeekData]]
"""Reads the week of a day with the given settings and imported calendars; returns the
settings as used (home placed) and the week. Runs off the GUI thread."""

_log = logging.getLogger(__name__)

__all__ = ["ELSEWHERE", "MAX_UNDO", "Change", "Session", "State", "calendar_loader"]

MAX_UNDO = undo_log.MAX_STEPS
STATE_WRITE = "state"
"""The writer's key for the state's writes (each holds one change: never replaced)."""
ELSEWHERE = "Changes made elsewhere"
"""The name of what :meth:`Session.sync` takes in (never an undo step of its own)."""


def _short(event: Event) -> str:
    title = event.summary if len(event.summary) <= 40 else event.summary[:39] + "…"
    return f"“{title}”"


class Session:
    """The state of one user's planning, with undo and redo.

    ``listeners`` are called (with the change) after every change, undo and
    redo; the window re-plans from there.
    """

    def __init__(
        self,
        base: BaseLoader,
        settings: Settings,
        *,
        choices: Choices | None = None,
        sources: Sequence[Source] = (),
        added: Sequence[Event] = (),
        settings_path: Path | None = None,
        store: Store | None = None,
        writer: Writer | None = None,
    ) -> None:
        self._base = base
        self.settings_path = settings_path
        """Where a settings change is written (None: kept for this session only, as for
        the demo)."""
        self.store = store
        """Where every change is kept (None: this session only, as for screenshots)."""
        self.writer: Writer = writer if writer is not None else InlineWriter()
        """Runs the store's writes (see :meth:`use_writer`)."""
        self.save_problem = ""
        """Why the last change could not be written ("" when it was). With a background
        writer it is known once the write ran: see :meth:`take_written`."""
        self._state_problem = ""
        self._settings_problem = ""
        self.kept_problem = ""
        """Why something kept beside the decisions (see :meth:`keep`) could not be written;
        the window says it once and clears it."""
        self._state = State(settings, choices or Choices(), tuple(sources), tuple(added))
        self._undo: list[Change] = []
        self._redo: list[Change] = []
        self._revision: int | None = None  # the store's, as this session last knew it
        self._stale = False  # another planner wrote between two of this session's writes
        self._settings_seen: str | None = None  # the store's copy of the settings file
        self._unsaved = False  # a state write failed: the next one writes the whole state
        self._cache: dict[tuple[date, tuple[Source, ...], int], tuple[Settings, WeekData]] = {}
        self._cache_settings: dict[int, Settings] = {}
        self._placed_cache: dict[tuple[tuple[Event, ...], int], tuple[Settings, list[Event]]] = {}
        self._travel: tuple[Settings, TravelService | None] | None = None
        """The travel service of the last plan's settings: a re-plan of the same week asks
        for the same trips again, and it remembers them. None with a routing server: each
        plan then has its own service, which says what that plan's trips met."""
        self._lock = threading.Lock()
        self.listeners: list[Callable[[Change], None]] = []

    @classmethod
    def restored(
        cls,
        store: Store,
        base: BaseLoader,
        settings: Settings,
        *,
        settings_path: Path | None = None,
        writer: Writer | None = None,
    ) -> Session:
        """The session the user left: decisions, calendars, typed events and the undo
        history from ``store``, kept there from now on."""
        kept = store.load_kept()
        session = cls(
            base,
            settings,
            choices=kept.choices,
            sources=kept.sources,
            added=kept.added,
            settings_path=settings_path,
            store=store,
            writer=writer,
        )
        stored = store.load_settings()
        session._settings_seen = stored.text if stored is not None else None
        session._take_kept(kept)
        return session

    def use_writer(self, writer: Writer) -> None:
        """Write through ``writer`` from now on; what the old one holds is written first,
        so no write overtakes an older one."""
        self.flush()
        self.writer.close()
        self.writer = writer

    def flush(self) -> str:
        """Wait until every change so far is on disk (before a backup, a restore, quitting);
        returns :attr:`save_problem` as it then is."""
        self.writer.flush()
        self.take_written()
        return self.save_problem

    def take_written(self) -> bool:
        """Take in what the writer did since last asked (call it on the thread that makes
        the changes, e.g. when a background writer says it wrote): True when that
        changed :attr:`save_problem`."""
        path = self.store.path if self.store is not None else ""
        for outcome in self.writer.outcomes():
            if outcome.key == STATE_WRITE:
                self._state_problem = (
                    f"{path}: your last change could not be saved ({outcome.error})"
                    if outcome.error is not None
                    else ""
                )
            elif outcome.error is not None:
                self.kept_problem = f"could not keep {outcome.key} ({outcome.error})"
        problem = "; ".join(p for p in (self._state_problem, self._settings_problem) if p)
        changed = problem != self.save_problem
        self.save_problem = problem
        return changed

    def reset(self, state: State, label: str = "") -> None:
        """Replace everything (a backup was restored): the undo history is dropped, as it
        belongs to the state that was replaced. The settings file is left as the restore
        left it (see :func:`planner.core.saved.restore_backup`), comments and all."""
        self._undo.clear()
        self._redo.clear()
        change = Change(label or "Restore", self._state, state)
        self._state = state
        self.forget_loaded()
        store = self.store
        self._notify(
            change,
            None
            if store is None
            else lambda: self._wrote(store.reset_state(state.choices, state.sources, state.added)),
            settings_written=True,
        )

    # --- reading ------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def settings(self) -> Settings:
        return self._state.settings

    @property
    def choices(self) -> Choices:
        return self._state.choices

    def decision_of(self, key: str) -> Literal["pinned", "refused", ""]:
        if key in self._state.choices.pinned:
            return "pinned"
        if key in self._state.choices.refused:
            return "refused"
        return ""

    # --- changing -----------------------------------------------------------------------
    def pin(self, event: Event) -> Change | None:
        """Commit to ``event``: it is in every plan from now on, whatever the rules say."""
        c = self.choices
        if event.key in c.pinned:
            return None
        choices = replace(c, pinned=c.pinned | {event.key}, refused=c.refused - {event.key})
        return self._apply(f"Commit to {_short(event)}", _day(event), choices=choices)

    def refuse(self, event: Event) -> Change | None:
        """Refuse ``event``: it is never proposed again."""
        c = self.choices
        if event.key in c.refused:
            return None
        choices = replace(c, pinned=c.pinned - {event.key}, refused=c.refused | {event.key})
        return self._apply(f"Refuse {_short(event)}", _day(event), choices=choices)

    def undecide(self, event: Event) -> Change | None:
        """Leave ``event`` to the optimiser again (neither committed nor refused)."""
        c = self.choices
        if event.key not in c.pinned and event.key not in c.refused:
            return None
        choices = replace(c, pinned=c.pinned - {event.key}, refused=c.refused - {event.key})
        return self._apply(f"Leave {_short(event)} to the planner", _day(event), choices=choices)

    def set_stars(self, event: Event, stars: int) -> Change | None:
        """Rate ``event`` 0-5 stars (0: not interested); its value follows."""
        stars = max(0, min(5, int(stars)))
        c = self.choices
        if c.stars.get(event.key) == stars:
            return None
        rated = dict(c.stars)
        rated[event.key] = stars
        label = f"Rate {_short(event)} {stars} star{'s' if stars != 1 else ''}"
        return self._apply(label, _day(event), choices=replace(c, stars=rated))

    def clear_stars(self, event: Event) -> Change | None:
        """Forget the user's own rating of ``event``: its stars come from their keyword
        rules or the default again (``planner rate EVENT 0``)."""
        c = self.choices
        if event.key not in c.stars:
            return None
        rated = {key: stars for key, stars in c.stars.items() if key != event.key}
        label = f"Clear the stars of {_short(event)}"
        return self._apply(label, _day(event), choices=replace(c, stars=rated))

    def mark(self, event: Event, went: Went | None, note: str | None = None) -> Change | None:
        """Say whether the user went to ``event`` (None: forget it); ``note`` (whom they
        met, what to follow up) replaces the note, None keeps it. Undoable, and kept
        like a decision; the history and the streak count what was attended."""
        c = self.choices
        old = c.marks.get(event.key)
        text = (note if note is not None else old.note if old is not None else "").strip()
        new = Mark(went, text) if went is not None else None
        if new == old:
            return None
        marks = {key: mark for key, mark in c.marks.items() if key != event.key}
        if new is not None:
            marks[event.key] = new
        if new is None:
            label = f"Forget whether you went to {_short(event)}"
        elif old is not None and old.went == new.went:
            label = f"Note on {_short(event)}"
        else:
            label = f"Mark {_short(event)} {new.went}"
        change = self._apply(label, _day(event), choices=replace(c, marks=marks))
        store = self.store
        if new is not None and store is not None:
            day = event.start.astimezone(self.settings.zone).date()
            monday = week_of(day, self.settings).date()
            self.keep(f"{_short(event)} in the history", lambda: store.record_event(event, monday))
        return change

    def add_sources(self, sources: Iterable[tuple[Path | str, Role]]) -> Change | None:
        """Import calendars; a file imported again takes its new role."""
        added = [Source(_location(p), role) for p, role in sources]
        if not added:
            return None
        for source in added:
            if source.role not in ROLES:
                raise ValueError(f"unknown role {source.role!r}: commitments or candidates")
        paths = {s.path for s in added}
        kept = tuple(s for s in self._state.sources if s.path not in paths)
        new = kept + tuple(added)
        if new == self._state.sources:
            return None
        names = ", ".join(source_name(s.path) for s in added)
        return self._apply(f"Import {names}", None, sources=new)

    def remove_source(self, path: Path | str) -> Change | None:
        """Stop reading an imported calendar (decisions about its events are kept)."""
        target = _location(path)
        kept = tuple(s for s in self._state.sources if s.path != target)
        if kept == self._state.sources:
            return None
        return self._apply(f"Remove {source_name(target)}", None, sources=kept)

    def add_events(self, events: Sequence[Event]) -> Change | None:
        """Add candidates the user typed; an event with the same key replaces the old one."""
        if not events:
            return None
        keys = {e.key for e in events}
        kept = tuple(e for e in self._state.added if e.key not in keys)
        label = f"Add {_short(events[0])}" if len(events) == 1 else f"Add {len(events)} events"
        return self._apply(
            label, _day(min(events, key=lambda e: e.start)), added=kept + tuple(events)
        )

    def remove_event(self, event: Event) -> Change | None:
        """Delete a typed candidate (events from calendars are refused instead)."""
        kept = tuple(e for e in self._state.added if e.key != event.key)
        if kept == self._state.added:
            return None
        return self._apply(f"Delete {_short(event)}", _day(event), added=kept)

    def set_settings(self, settings: Settings, label: str = "Change settings") -> Change | None:
        if settings == self._state.settings:
            return None
        return self._apply(label, None, settings=settings)

    def _apply(self, label: str, day: date | None, **parts: object) -> Change:
        before = self._state
        after = replace(before, **parts)  # type: ignore[arg-type]
        change = Change(label, before, after, day)
        self._state = after
        self._undo.append(change)
        del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._notify(change, self._step_write(change, "record"))
        return change

    def _save_settings(self, settings: Settings) -> str:
        """Write the settings file (and its text into the store); why not, or ""."""
        from planner.core.settings import SettingsError, save_settings

        assert self.settings_path is not None
        try:
            save_settings(settings, self.settings_path)
            if self.store is not None:
                text = self.settings_path.read_text(encoding="utf-8")
                self.store.save_settings(self.settings_path, text)
                self._settings_seen = text  # this session's own, not news for its sync
        except (OSError, SettingsError) as exc:
            return f"{self.settings_path}: settings not saved ({exc})"
        except (sqlite3.Error, StoreError) as exc:  # the store's copy of the file
            return f"{self.store.path if self.store else ''}: settings not kept ({exc})"
        return ""

    def keep(self, what: str, write: Callable[[], None]) -> None:
        """Write something the app keeps beside the decisions (the week shown, the week's
        history, when changes were seen) through the same writer, so that with the window's
        background writer it never waits for the disk either. ``what`` names it in a
        failure ("the week's history"); a write still queued under the same name is
        replaced, as each such write holds the whole of its value."""
        try:
            self.writer.submit(write, what)
        except RuntimeError as exc:  # the writer was closed (the window is quitting)
            self.kept_problem = f"could not keep {what} ({exc})"

    def _step_write(
        self, change: Change, how: Literal["record", "undo", "redo"]
    ) -> Callable[[], None] | None:
        """The store's write of ``change`` (made, undone or redone), with its step of the
        shared history; None without a store.

        A step applies only what it changed, so after a write that failed (a full disk)
        the next one first writes the whole state, as the session holds it then, so
        that nothing the user decided meanwhile stays off the disk.
        """
        store = self.store
        if store is None:
            return None
        step, state = step_of(change), self._state
        target: Literal["undo", "redo"] = "redo" if how == "undo" else "undo"

        def write() -> None:
            with self._lock:
                catch_up = self._unsaved
            try:
                if catch_up:
                    store.save_state(state.choices, state.sources, state.added)
                if how == "record":
                    written = store.record_step(step)
                else:
                    written = store.move_step(step, target)
            except BaseException:
                with self._lock:
                    self._unsaved = True
                raise
            with self._lock:
                self._unsaved = False
            self._wrote(written)

        return write

    def _wrote(self, written: Written) -> None:
        """On the writer's thread: note the store's revision, and whether another planner
        wrote since this session last knew it (then :meth:`sync` reads again)."""
        with self._lock:
            if self._revision is not None and written.before != self._revision:
                self._stale = True
            self._revision = written.after

    def _save_state(self, write: Callable[[], None] | None) -> None:
        """Hand a write to the writer: the inline writer keeps it before anyone is told of
        the change; a background one soon after, in order. Each holds one change, so none
        replaces another."""
        if write is None or self.store is None:
            return
        try:
            self.writer.submit(write, STATE_WRITE, replaceable=False)
        except RuntimeError as exc:  # the writer was closed (the window is quitting)
            self._state_problem = f"{self.store.path}: your last change could not be saved ({exc})"

    # --- another planner on the same store ----------------------------------------------
    def sync(self) -> Change | None:
        """Take in what another planner wrote to the store since this session last looked
        (a decision made with ``planner commit`` while the window is open): the state
        and both history stacks are read again, so that undo takes back the latest
        change, wherever it was made. Listeners hear of it as a change named
        :data:`ELSEWHERE`, which is not itself undoable. Returns it, or None when nothing
        changed (one small read) or the store cannot be read (logged; tried next time)."""
        store = self.store
        if store is None:
            return None
        try:
            with self._lock:
                known, stale = self._revision, self._stale
            if not stale and known is not None and store.revision() == known:
                return None
            self.writer.flush()  # this session's own writes first: they are part of it
            self.take_written()
            kept = store.load_kept()
            settings = self._stored_settings(store)
        except (sqlite3.Error, StoreError) as exc:
            log_failure(_log, "reading what another planner changed", exc)
            return None
        before = self._state
        self._take_kept(kept, settings)
        change = Change(ELSEWHERE, before, self._state)
        for listener in list(self.listeners):
            listener(change)
        return change

    def _take_kept(self, kept: Kept, settings: Settings | None = None) -> None:
        """Make the state and the history what the store holds."""
        state = State(settings or self._state.settings, kept.choices, kept.sources, kept.added)
        if state == self._state:
            state = self._state  # the same objects: nothing to re-read or re-plan
        elif state.settings == self._state.settings:
            state = replace(state, settings=self._state.settings)
        self._state = state
        self._undo, self._redo = rebuilt(state, kept)
        with self._lock:
            self._revision, self._stale = kept.revision, False

    def _stored_settings(self, store: Store) -> Settings | None:
        """The settings another planner wrote to this session's settings file (an undo
        of a settings change in the terminal), else None."""
        stored = store.load_settings()
        if stored is None or stored.text == self._settings_seen or self.settings_path is None:
            return None
        self._settings_seen = stored.text
        if Path(stored.path) != self.settings_path:
            return None
        try:  # what another planner wrote to the file (a restore stores a text it does not)
            if self.settings_path.read_text(encoding="utf-8") != stored.text:
                return None
        except (OSError, UnicodeDecodeError):
            return None
        try:
            return undo_log.settings_from_text(stored.text)
        except (SettingsError, tomllib.TOMLDecodeError) as exc:
            log_failure(_log, "reading the settings another planner wrote", exc)
            return None

    # --- undo ---------------------------------------------------------------------------
    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> Change | None:
        """Take back the last change; returns it (None when there is nothing to undo)."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(change)
        self._state = change.before
        self._notify(change, self._step_write(change, "undo"))
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(change)
        self._state = change.after
        self._notify(change, self._step_write(change, "redo"))
        return change

    @property
    def undo_day(self) -> date | None:
        """A day of the week the change Undo would take back was about (None: no week)."""
        return self._undo[-1].day if self._undo else None

    @property
    def redo_day(self) -> date | None:
        return self._redo[-1].day if self._redo else None

    def _notify(
        self,
        change: Change,
        write: Callable[[], None] | None,
        *,
        settings_written: bool = False,
    ) -> None:
        self._save_state(write)
        # The settings file is written here, not by the writer: the settings dialog says at
        # once whether it was, and the store's copy of it shares no row with the state. After
        # a restore the file is as the restore left it (settings_written), comments and all.
        self._settings_problem = ""
        settings_changed = change.before.settings is not change.after.settings
        if settings_changed and self.settings_path and not settings_written:
            self._settings_problem = self._save_settings(self._state.settings)
        self.take_written()
        for listener in list(self.listeners):
            listener(change)

    # --- loading and planning (safe off the GUI thread: they take a State) ------------------
    def load(self, state: State, day: date) -> tuple[Settings, WeekData]:
        """The week's settings and events for ``state``, read once per week and calendars."""
        monday = week_of(day, state.settings).date()
        key = (monday, state.sources, id(state.settings))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and self._cache_settings.get(id(state.settings)) is state.settings:
                return hit
        settings, week = self._base(day, state.settings, state.sources)
        with self._lock:
            if len(self._cache) > 16:
                self._cache.clear()
            self._cache[key] = (settings, week)
            self._cache_settings[id(state.settings)] = state.settings
        return settings, week

    def forget_loaded(self) -> None:
        """Drop the cached weeks (a calendar file changed on disk, or geocoding was allowed)."""
        with self._lock:
            self._cache.clear()
            self._placed_cache.clear()

    def plan(
        self, state: State, day: date, now: datetime | None = None
    ) -> tuple[Settings, WeekData, Plan]:
        """The plan of the week of ``day``; ``now`` (default: the clock) decides what is
        over in the week under way."""
        settings, week, candidates = self._candidates(state, day)
        plan = plan_week(
            week.commitments,
            candidates,
            settings,
            day,
            state.choices,
            travel=self._travel_for(settings),
            history=self.history(day, settings),
            now=now,
        )
        return settings, week, plan

    def first_week_with_candidates(
        self, state: State, from_day: date, now: datetime | None = None
    ) -> date:
        """The week to show after a start or an import: the first from ``from_day`` with a
        candidate still ahead that the user did not refuse (``from_day`` when none is)."""
        moment = now if now is not None else datetime.now(state.settings.zone)
        return first_week_with(from_day, lambda day: self.holds_candidates(state, day, moment))

    def holds_candidates(self, state: State, day: date, now: datetime) -> bool:
        """Whether the week of ``day`` has a candidate the plan can still propose."""
        settings, _week, candidates = self._candidates(state, day)
        return ahead(candidates, week_of(day, settings), now, state.choices.refused)

    def _candidates(self, state: State, day: date) -> tuple[Settings, WeekData, list[Event]]:
        """The week's settings, events, and candidates with the typed ones among them."""
        settings, week = self.load(state, day)
        start = week_of(day, settings)
        typed = [e for e in state.added if e.end > start and e.start < start + timedelta(days=7)]
        typed = self._placed(typed, settings) if typed else []
        return settings, week, _merge(week.candidates, typed)

    def _travel_for(self, settings: Settings) -> TravelService | None:
        """One travel service per settings object (the loaded week's, cached with it), kept
        from plan to plan when it estimates alone (None: each plan makes its own)."""
        with self._lock:
            if self._travel is None or self._travel[0] is not settings:
                service = TravelService(settings)
                self._travel = (settings, service if service.estimates_alone else None)
            return self._travel[1]

    def _placed(self, events: list[Event], settings: Settings) -> list[Event]:
        """Typed events placed once per settings: placing builds the gazetteer's index
        (0.7 s), which a re-plan after every decision must not pay again."""
        key = (tuple(events), id(settings))
        with self._lock:
            hit = self._placed_cache.get(key)
            if hit is not None and hit[0] is settings:
                return hit[1]
        placed = _placed(events, settings)
        with self._lock:
            if len(self._placed_cache) > 16:
                self._placed_cache.clear()
            self._placed_cache[key] = (settings, placed)
        return placed

    def history(self, day: date, settings: Settings) -> list[Event]:
        """The events recorded for the other weeks of the months the week of ``day``
        touches: they count toward monthly quotas and the money budget."""
        if self.store is None:
            return []
        monday = week_of(day, settings).date()
        first = monday.replace(day=1)
        last = monday + timedelta(days=6)
        after = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
        zone = settings.zone
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(after, datetime.min.time(), tzinfo=zone)
        try:
            return self.store.history(start, end)
        except Exception as exc:  # a store that cannot be read costs the quotas, never the plan
            log_failure(_log, "reading the history for monthly quotas", exc)
            return []


def _day(event: Event) -> date:
    return event.start.date()


def _location(path: Path | str) -> str:
    """A feed's URL as given; a file as its absolute path (so it is found from anywhere)."""
    text = str(path).strip()
    return text if is_feed(text) else str(Path(path).resolve())


def _placed(events: list[Event], settings: Settings) -> list[Event]:
    """Typed events with their addresses placed (cache, consented geocoder, gazetteer)."""
    from planner.core.storage import preferences
    from planner.core.travel.places import PlaceResolver

    placed, _notes = PlaceResolver(preferences.apply(settings)).resolve_events(events)
    return placed


def _merge(first: list[Event], second: list[Event]) -> list[Event]:
    """Candidates from two sources, the same event (by key) only once."""
    seen = {e.key for e in first}
    return first + [e for e in second if e.key not in seen]


def calendar_loader(
    commitments: Sequence[Path | str] = (),
    candidates: Sequence[Path | str] = (),
    *,
    demo: bool = False,
    store: Store | None = None,
) -> BaseLoader:
    """The loader of the app and the CLI: the given files (or the bundled demo week) plus
    what the user imported, every place given a position where one can be found.

    With a ``store``, a file already read for the week is not parsed again unless it
    changed, an imported file's copy is kept when it is new or changed and read when the
    file is missing (another computer), and an imported feed gives the events of its last
    good copy (fetching is :func:`planner.core.storage.feeds.refresh`'s job, never the
    loader's). Each call re-reads
    the remembered geocoding consent, so answering the question takes effect on the
    next plan.
    """
    from planner.core.demo import load_demo
    from planner.core.planning.week import apply_fixes, place_events, place_settings
    from planner.core.storage import preferences
    from planner.core.travel.places import PlaceResolver

    reader = _cached_reader(store) if store is not None else None

    def load(
        day: date, settings: Settings, sources: tuple[Source, ...]
    ) -> tuple[Settings, WeekData]:
        resolver = PlaceResolver(preferences.apply(settings))
        current = place_settings(resolver.settings, resolver)
        files = [s for s in sources if not is_feed(s.path)]
        mine = [Path(s.path) for s in files if s.role == "commitments"]
        theirs = [Path(s.path) for s in files if s.role == "candidates"]
        given = ([], []) if demo else (list(commitments), list(candidates))
        kwargs = {"reader": reader} if reader is not None else {}
        week = load_week([*given[0], *mine], [*given[1], *theirs], current, day, **kwargs)
        if demo:
            example = load_demo(day, current)
            week.commitments = example.commitments + week.commitments
            week.candidates = dedupe(example.candidates + week.candidates)
            week.problems = example.problems + week.problems
        feeds = [s for s in sources if is_feed(s.path)]
        if feeds:
            _add_feed_events(week, feeds, store, current, day)
        if store is not None:  # the places the user fixed, for every occurrence
            fixes = store.place_fixes()
            week.commitments = apply_fixes(week.commitments, fixes)
            week.candidates = apply_fixes(week.candidates, fixes)
        return current, place_events(week, resolver)

    return load


def _cached_reader(store: Store):  # type: ignore[no-untyped-def]
    def read(path, zone, start, end):  # type: ignore[no-untyped-def]
        try:
            return store.read_calendar(path, zone, start, end)
        except IcsError:  # the file's own problem, which load_week reports
            raise
        except Exception as exc:  # the cache is an optimisation: a broken store still reads files
            log_failure(_log, "reading the parse cache", exc)
            from planner.core.calendars.reading import read_file

            return read_file(path, zone, start, end)

    return read


def _add_feed_events(
    week: WeekData, feeds: list[Source], store: Store | None, settings: Settings, day: date
) -> None:
    """The week's events of each feed, as last merged into the store (see
    :meth:`~planner.core.storage.store.Store.feed_copies`)."""
    from planner.core.planning.week import read_window

    if store is None:
        alone = "a feed is read only with planner's store"
        week.problems += [
            Problem(source_name(f.path), alone, severity=Severity.ERROR) for f in feeds
        ]
        return
    mine, theirs, problems = store.feed_copies(feeds, *read_window(day, settings))
    week.commitments.extend(mine)
    week.candidates = dedupe(week.candidates + theirs)
    week.problems += problems
