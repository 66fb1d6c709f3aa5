"""The undo history kept in the store: it survives a restart, holds enough to put the
previous choices back exactly, is bounded, and is shared by two planners open on one
store at once (the window and ``planner refuse`` in a terminal), neither of which loses
or overwrites the other's decisions.

Each "planner" here is a :class:`Session` over its own connection to the same file, as
the window and a terminal command are; the window's uses the background writer it uses
in the app.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.model import Choices, Event, Place
from planner.core.session import ELSEWHERE, MAX_UNDO, Session
from planner.core.settings import Settings, load_settings, save_settings
from planner.core.storage.store import Store
from planner.core.storage.undo_log import MAX_STEPS, Typed
from planner.core.storage.writer import SerialWriter

ZONE = ZoneInfo("America/Toronto")


def event(uid: str, day: int = 24) -> Event:
    start = datetime(2026, 11, day, 18, 0, tzinfo=ZONE)
    return Event(
        uid, f"Mixer {uid}", start, start + timedelta(hours=2), place=Place("online", virtual=True)
    )


def never(*_args):
    raise AssertionError("these tests never load a week")


def opened(path: Path, settings: Settings | None = None, **kwargs) -> tuple[Store, Session]:
    store = Store.open(path)
    return store, Session.restored(store, never, settings or Settings(), **kwargs)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "planner.sqlite3"


def test_the_history_survives_a_restart_and_undo_puts_back_the_choices_exactly(path):
    store, session = opened(path)
    hdi, pmi = event("hdi"), event("pmi", 26)
    session.set_stars(hdi, 4)
    session.pin(hdi)
    session.refuse(pmi)
    session.pin(pmi)  # refused, then committed: undo must bring the refusal back
    states = [session.choices]
    store.close()

    store, again = opened(path)
    assert again.choices == states[-1]
    assert again.undo_label == "Commit to “Mixer pmi”"
    assert again.undo_day == pmi.start.date()
    again.undo()
    assert again.choices == Choices(frozenset({"hdi"}), frozenset({"pmi"}), {"hdi": 4})
    again.undo()
    again.undo()
    assert again.choices == Choices(stars={"hdi": 4})
    assert store.load_choices() == again.choices
    store.close()

    store, third = opened(path)  # the redo stack is kept too, in its order
    assert third.redo_label == "Commit to “Mixer hdi”"
    third.redo()
    third.redo()
    third.redo()
    assert third.choices == states[-1] == store.load_choices()
    assert third.redo_label == ""
    store.close()


def test_the_history_keeps_the_last_hundred_changes(path):
    store, session = opened(path)
    for n in range(MAX_STEPS + 5):
        session.set_stars(event(f"e{n}"), 1 + n % 5)
    store.close()
    store, again = opened(path)
    undone = 0
    while again.undo() is not None:
        undone += 1
    assert undone == MAX_STEPS == MAX_UNDO == 100
    # The five oldest ratings cannot be undone any more: they stay.
    assert again.choices.stars == {f"e{n}": 1 + n % 5 for n in range(5)}
    store.close()


def test_a_change_made_in_the_terminal_is_undone_in_the_window(path):
    window_store, window = opened(path)
    window.use_writer(SerialWriter())
    window.pin(event("hdi"))
    window.flush()

    terminal_store, terminal = opened(path)
    assert terminal.undo_label == "Commit to “Mixer hdi”"  # the window's change, seen here
    terminal.refuse(event("pmi"))
    terminal_store.close()

    heard: list[str] = []
    window.listeners.append(lambda change: heard.append(change.label))
    change = window.sync()
    assert change is not None and change.label == ELSEWHERE and heard == [ELSEWHERE]
    assert window.choices.refused == {"pmi"}
    assert window.undo_label == "Refuse “Mixer pmi”"
    window.undo()  # takes back the terminal's refusal, not the window's own commit
    window.flush()
    assert window.choices == Choices(pinned=frozenset({"hdi"}))
    assert window_store.load_choices() == window.choices
    assert window.sync() is None  # nothing new since: one small read, no re-plan
    window.writer.close()
    window_store.close()

    terminal_store, terminal = opened(path)
    assert terminal.redo_label == "Refuse “Mixer pmi”"
    assert terminal.undo_label == "Commit to “Mixer hdi”"
    terminal_store.close()


def test_a_window_that_did_not_look_neither_loses_nor_overwrites_the_terminals_decision(path):
    window_store, window = opened(path)
    window.use_writer(SerialWriter())
    window.pin(event("hdi"))
    window.flush()

    with Store.open(path) as terminal_store:  # `planner refuse pmi` while the window is open
        Session.restored(terminal_store, never, Settings()).refuse(event("pmi"))

    window.set_stars(event("ipa"), 5)  # the window has not synced: it does not know of pmi
    window.flush()
    assert window_store.load_choices() == Choices(
        frozenset({"hdi"}), frozenset({"pmi"}), {"ipa": 5}
    )
    window.sync()  # it noticed another planner wrote in between, and reads it all
    assert window.choices == window_store.load_choices()
    assert [window.undo_label, window.undo() and window.undo_label] == [
        "Rate “Mixer ipa” 5 stars",
        "Refuse “Mixer pmi”",
    ]
    window.writer.close()
    window_store.close()


def test_a_settings_change_undone_in_the_terminal_reaches_the_file_and_the_window(tmp_path):
    path, settings_file = tmp_path / "planner.sqlite3", tmp_path / "settings.toml"
    save_settings(Settings(), settings_file)
    window_store, window = opened(path, load_settings(settings_file), settings_path=settings_file)
    more = Settings(weekly_hours=9)
    window.set_settings(more, "Change the weekly hours")
    assert load_settings(settings_file).weekly_hours == 9

    terminal_store, terminal = opened(
        path, load_settings(settings_file), settings_path=settings_file
    )
    assert terminal.undo_label == "Change the weekly hours"
    terminal.undo()
    terminal_store.close()
    assert load_settings(settings_file) == Settings()

    window.sync()
    assert window.settings == Settings()
    window.redo()  # and back, from the window
    assert load_settings(settings_file).weekly_hours == 9
    window_store.close()


def test_a_restored_backup_starts_a_new_history(path, tmp_path):
    store, session = opened(path)
    session.pin(event("hdi"))
    store.export_backup(tmp_path / "backup.sqlite3")
    session.refuse(event("pmi"))
    store.import_backup(tmp_path / "backup.sqlite3")
    store.close()
    store, again = opened(path)
    assert again.choices.pinned == {"hdi"} and not again.choices.refused
    assert again.undo_label == again.redo_label == ""
    store.close()


def test_calendars_imported_in_two_planners_at_once_are_both_kept(path, tmp_path):
    work, meetups, chapter = (tmp_path / f"{name}.ics" for name in ("work", "meetups", "chapter"))
    window_store, window = opened(path)
    window.add_sources([(work, "commitments")])
    with Store.open(path) as terminal_store:  # `planner sources add meetups.ics` meanwhile
        Session.restored(terminal_store, never, Settings()).add_sources([(meetups, "candidates")])
    window.add_sources([(chapter, "candidates")])  # the window had not looked
    assert [Path(s.path).name for s in window_store.load_sources()] == [
        "work.ics",
        "meetups.ics",
        "chapter.ics",
    ]
    window.undo()  # its own import: the terminal's stays
    assert [Path(s.path).name for s in window_store.load_sources()] == ["work.ics", "meetups.ics"]
    window.sync()
    assert window.state.sources == window_store.load_sources()
    window_store.close()


def test_a_restore_in_the_terminal_does_not_give_the_window_settings_the_file_lacks(tmp_path):
    path, settings_file = tmp_path / "planner.sqlite3", tmp_path / "settings.toml"
    save_settings(Settings(weekly_hours=9), settings_file)
    with Store.open(tmp_path / "other.sqlite3") as elsewhere:  # a backup with other settings
        elsewhere.save_settings(settings_file)
        elsewhere.export_backup(tmp_path / "backup.sqlite3")
    save_settings(Settings(weekly_hours=4), settings_file)
    window_store, window = opened(path, load_settings(settings_file), settings_path=settings_file)
    with Store.open(path) as terminal_store:  # `planner restore backup.sqlite3`
        terminal_store.import_backup(tmp_path / "backup.sqlite3")
    window.sync()
    assert window.settings.weekly_hours == 4  # the file's, which the restore left alone
    window_store.close()


def test_asking_whether_another_planner_wrote_never_waits_behind_a_write(path):
    """The window asks before each decision; its own writer thread may be mid-write then."""
    store, session = opened(path)
    session.pin(event("hdi"))
    writing, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with store._db.writing():  # a write in progress on the session's connection
            writing.set()
            release.wait(30)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(30)
        answered: list[int] = []
        reader = threading.Thread(target=lambda: answered.append(store.revision()))
        reader.start()
        reader.join(30)
        assert answered == [1]  # read while the write is still held
        assert session.sync() is None  # nothing changed: no reload, no wait
    finally:
        release.set()
        writer.join()
    store.close()


@given(
    before=st.lists(st.sampled_from(range(8)), unique=True, max_size=8),
    after=st.lists(st.sampled_from(range(12)), unique=True, max_size=10),
    changed=st.sets(st.sampled_from(range(12))),
)
def test_a_step_of_typed_events_takes_any_list_to_any_other_and_back(before, after, changed):
    """Whatever two lists of typed events (an event may also come back changed), the step
    between them leads from one to the other exactly, order included, both ways."""
    first = tuple(event(f"t{n}") for n in before)
    second = tuple(
        replace(event(f"t{n}"), summary="changed") if n in changed else event(f"t{n}")
        for n in after
    )
    typed = Typed.between(first, second)
    assert typed.applied(first, forward=True) == second
    assert typed.applied(second, forward=False) == first


def test_events_typed_in_two_planners_at_once_are_both_kept(path):
    window_store, window = opened(path)
    window.add_events([event("mine")])
    with Store.open(path) as terminal_store:  # `planner add "..."` meanwhile
        Session.restored(terminal_store, never, Settings()).add_events([event("theirs")])
    window.add_events([event("later")])
    assert [e.uid for e in window_store.load_added()] == ["mine", "theirs", "later"]
    window.undo()
    window.undo()
    assert [e.uid for e in window_store.load_added()] == ["theirs"]
    window_store.close()
