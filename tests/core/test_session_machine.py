"""The session as a state machine: random sequences of decisions, undo, redo and reopening.

Hypothesis drives a :class:`Session` kept in a real :class:`Store` through
commit, refuse, leave-to-the-planner, stars, typed events, imported calendars,
undo, redo, reopening from the store, and a second planner (the terminal)
refusing or undoing on the same store, and checks after every step what
must hold whatever the user did: the session is what a plain model of those
steps says it is; nothing is committed and refused at once; the store reads
back exactly the session's state; undo followed by redo lands on the very
same state; and a re-plan chooses every committed event the week can plan
(and no refused one).

Planning is the slow part, so it is a step of its own rather than a check
after every step, on the bundled demo week read once for the whole run; every
other check reads only the state and the store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Event, Place, Role, Source
from planner.core.planning.week import WeekData
from planner.core.session import MAX_UNDO, Change, Session, calendar_loader
from planner.core.settings import Settings
from planner.core.storage.store import Store

TZ = ZoneInfo("America/Toronto")
ROLES: tuple[Role, ...] = ("candidates", "commitments")
MACHINE_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,  # the first plan of a run loads the solver
    suppress_health_check=[HealthCheck.too_slow],
)


def association_calendar(uid: str, summary: str, day: int) -> bytes:
    """A one-event calendar in the demo week, as an association's site would publish it."""
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nSUMMARY:{summary}\r\n"
        f"DTSTART;TZID=America/Toronto:202611{day:02d}T073000\r\n"
        f"DTEND;TZID=America/Toronto:202611{day:02d}T090000\r\n"
        "LOCATION:Online\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def typed(uid: str, start: datetime) -> Event:
    """An event the user typed (quick add): online, so placing it asks nobody."""
    return Event(
        uid,
        f"Typed {uid}",
        start,
        start + timedelta(minutes=45),
        place=Place("Online", virtual=True),
    )


class DemoLoader:
    """The app's loader over the demo week, each (week, calendars) read once for the
    whole run: sessions are reopened often, and reading is not what is tested here."""

    def __init__(self) -> None:
        self.base = calendar_loader(demo=True)
        self.read: dict[tuple[date, tuple[Source, ...]], tuple[Settings, WeekData]] = {}

    def __call__(
        self, day: date, settings: Settings, sources: tuple[Source, ...]
    ) -> tuple[Settings, WeekData]:
        key = (day, sources)
        if key not in self.read:
            self.read[key] = self.base(day, settings, sources)
        return self.read[key]


@dataclass(frozen=True)
class Model:
    """What the session's state must be, kept by the plainest possible rules."""

    pinned: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    stars: dict[str, int] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    added: tuple[Event, ...] = ()


@dataclass(frozen=True)
class World:
    """What every example shares: the settings, the loader, the events to decide about
    and the calendar files to import."""

    settings: Settings
    loader: DemoLoader
    events: tuple[Event, ...]
    typed: tuple[Event, ...]
    files: tuple[Path, ...]
    folder: Path


def imported_event(loader: DemoLoader, settings: Settings, path: Path, uid: str) -> Event:
    """The event of an association's calendar as the loader reads it once imported."""
    _placed, week = loader(DEMO_WEEK, settings, (Source(str(path.resolve()), "candidates"),))
    return next(e for e in week.candidates if e.uid == uid)


def make_world(folder: Path) -> World:
    settings = demo_settings()
    loader = DemoLoader()
    _placed, week = loader(DEMO_WEEK, settings, ())
    files = []
    for n, day in enumerate((24, 26)):
        path = folder / f"association-{n}.ics"
        path.write_bytes(association_calendar(f"assoc-{n}", f"Association breakfast {n}", day))
        files.append(path)
    imported = tuple(imported_event(loader, settings, f, f"assoc-{n}") for n, f in enumerate(files))
    candidates = sorted(week.candidates, key=lambda e: (e.start, e.key))
    typed_events = (
        typed("typed-in-week", datetime(2026, 11, 25, 12, 0, tzinfo=TZ)),
        typed("typed-later", datetime(2026, 12, 9, 12, 0, tzinfo=TZ)),  # another week
    )
    events = (
        *candidates[::6],  # spread over the week
        week.commitments[0],  # deciding about a commitment changes no plan
        *imported,
        *typed_events,
    )
    return World(settings, loader, events, typed_events, tuple(files), folder)


class SessionMachine(RuleBasedStateMachine):
    """One user's session, kept in its own store, under random steps."""

    world: World

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=self.world.folder, prefix="store-"))
        self.path = self.folder / "planner.sqlite3"
        self.store = Store.open(self.path)
        self.session = Session.restored(self.store, self.world.loader, self.world.settings)
        self.model = Model()
        self.done: list[tuple[Model, Model]] = []
        """The model before and after each step the session can undo, oldest first."""
        self.undone: list[tuple[Model, Model]] = []

    def teardown(self) -> None:
        self.store.close()

    # --- the model ----------------------------------------------------------------------
    def expect(self, change: Change | None, after: Model) -> None:
        """``change`` is what the session recorded for a step the model says leads to
        ``after``: nothing when it changes nothing, else a new undo step."""
        if after == self.model:
            assert change is None, f"{change.label!r} changed nothing yet was recorded"
            return
        assert change is not None, "a change was not recorded"
        self.record(after)

    def record(self, after: Model) -> None:
        self.done.append((self.model, after))
        del self.done[:-MAX_UNDO]
        self.undone.clear()
        self.model = after

    def event(self, index: int) -> Event:
        return self.world.events[index % len(self.world.events)]

    # --- decisions ----------------------------------------------------------------------
    @rule(index=st.integers(0, 99))
    def commit(self, index: int) -> None:
        key = self.event(index).key
        m = self.model
        after = replace(m, pinned=m.pinned | {key}, refused=m.refused - {key})
        self.expect(self.session.pin(self.event(index)), after)

    @rule(index=st.integers(0, 99))
    def refuse(self, index: int) -> None:
        key = self.event(index).key
        m = self.model
        after = replace(m, pinned=m.pinned - {key}, refused=m.refused | {key})
        self.expect(self.session.refuse(self.event(index)), after)

    @rule(index=st.integers(0, 99))
    def leave_to_the_planner(self, index: int) -> None:
        key = self.event(index).key
        m = self.model
        after = replace(m, pinned=m.pinned - {key}, refused=m.refused - {key})
        self.expect(self.session.undecide(self.event(index)), after)

    @rule(index=st.integers(0, 99), stars=st.integers(-1, 6))
    def rate(self, index: int, stars: int) -> None:
        key = self.event(index).key
        rated = {**self.model.stars, key: max(0, min(5, stars))}
        after = replace(self.model, stars=rated) if rated != self.model.stars else self.model
        self.expect(self.session.set_stars(self.event(index), stars), after)

    # --- typed events and calendars -----------------------------------------------------
    @rule(index=st.integers(0, 1))
    def type_an_event(self, index: int) -> None:
        event = self.world.typed[index]
        kept = tuple(e for e in self.model.added if e.key != event.key)
        # Adding is always a step, even of an event already there (it replaces it).
        assert self.session.add_events([event]) is not None
        self.record(replace(self.model, added=(*kept, event)))

    @rule(index=st.integers(0, 1))
    def delete_a_typed_event(self, index: int) -> None:
        event = self.world.typed[index]
        kept = tuple(e for e in self.model.added if e.key != event.key)
        self.expect(self.session.remove_event(event), replace(self.model, added=kept))

    @rule(index=st.integers(0, 1), role=st.sampled_from(ROLES))
    def import_a_calendar(self, index: int, role: Role) -> None:
        path = self.world.files[index]
        location = str(path.resolve())
        kept = tuple(s for s in self.model.sources if s.path != location)
        after = replace(self.model, sources=(*kept, Source(location, role)))
        self.expect(self.session.add_sources([(path, role)]), after)

    @rule(index=st.integers(0, 1))
    def remove_a_calendar(self, index: int) -> None:
        location = str(self.world.files[index].resolve())
        kept = tuple(s for s in self.model.sources if s.path != location)
        self.expect(self.session.remove_source(location), replace(self.model, sources=kept))

    # --- undo, redo, reopening ----------------------------------------------------------
    @rule()
    def undo_the_last_step(self) -> None:
        change = self.session.undo()
        if not self.done:
            assert change is None
            return
        assert change is not None
        step = self.done.pop()
        self.undone.append(step)
        self.model = step[0]

    @rule()
    def redo_the_last_undone_step(self) -> None:
        change = self.session.redo()
        if not self.undone:
            assert change is None
            return
        assert change is not None
        step = self.undone.pop()
        self.done.append(step)
        self.model = step[1]

    @rule()
    def reopen(self) -> None:
        """Quit and start again: the state and the undo history come back from the store."""
        self.store.close()
        self.store = Store.open(self.path)
        self.session = Session.restored(self.store, self.world.loader, self.world.settings)

    @rule(index=st.integers(0, 99))
    def refuse_in_another_planner(self, index: int) -> None:
        """``planner refuse`` in a terminal while this session is open: one shared history."""
        with Store.open(self.path) as store:
            other = Session.restored(store, self.world.loader, self.world.settings)
            key = self.event(index).key
            m = self.model
            after = replace(m, pinned=m.pinned - {key}, refused=m.refused | {key})
            self.expect(other.refuse(self.event(index)), after)
        self.session.sync()

    @rule()
    def undo_in_another_planner(self) -> None:
        """``planner undo`` in a terminal takes back the last change, wherever it was made."""
        with Store.open(self.path) as store:
            change = Session.restored(store, self.world.loader, self.world.settings).undo()
        self.session.sync()
        if not self.done:
            assert change is None
            return
        assert change is not None
        step = self.done.pop()
        self.undone.append(step)
        self.model = step[0]

    @precondition(lambda self: bool(self.model.pinned or self.model.refused))
    @rule()
    def replan(self) -> None:
        """Every committed event the week can plan is chosen; no refused one is."""
        state = self.session.state
        _settings, week, plan = self.session.plan(state, DEMO_WEEK)
        start, end = plan.week_start, plan.week_start + timedelta(days=7)
        offered = [*week.candidates, *state.added]
        planable = {e.key for e in offered if start <= e.start < end}
        chosen = {d.event.key for d in plan.decisions if d.chosen}
        assert state.choices.pinned & planable <= chosen
        assert not state.choices.refused & chosen

    # --- after every step ---------------------------------------------------------------
    @invariant()
    def the_session_is_what_the_model_says(self) -> None:
        state = self.session.state
        m = self.model
        assert (state.choices.pinned, state.choices.refused) == (m.pinned, m.refused)
        assert dict(state.choices.stars) == m.stars
        assert (state.sources, state.added) == (m.sources, m.added)
        assert bool(self.session.undo_label) == bool(self.done)
        assert bool(self.session.redo_label) == bool(self.undone)

    @invariant()
    def nothing_is_committed_and_refused_at_once(self) -> None:
        choices = self.session.state.choices
        assert not choices.pinned & choices.refused

    @invariant()
    def the_store_reads_back_the_state(self) -> None:
        state = self.session.state
        assert self.session.save_problem == ""
        assert self.store.load_choices() == state.choices
        assert self.store.load_sources() == state.sources
        assert self.store.load_added() == state.added

    @invariant()
    def undo_then_redo_is_the_same_state(self) -> None:
        if not self.session.undo_label:
            return
        before = self.session.state
        undone = self.session.undo()
        assert undone is not None and self.session.state is undone.before
        redone = self.session.redo()
        assert redone is undone
        assert self.session.state is before
        assert self.store.load_choices() == before.choices


def machine_for(world: World) -> Callable[[], SessionMachine]:
    """The machine's class over ``world`` (Hypothesis builds a fresh machine per example)."""
    return type("DemoSessionMachine", (SessionMachine,), {"world": world})


def test_the_session_keeps_its_invariants_whatever_the_user_does(tmp_path: Path) -> None:
    run_state_machine_as_test(machine_for(make_world(tmp_path)), settings=MACHINE_SETTINGS)
