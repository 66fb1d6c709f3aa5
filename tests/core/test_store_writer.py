"""Where the session's writes run: inline before anyone hears of a change, or in order on
one worker thread that the window can wait for, with every failure still said."""

import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Choices, Event
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage import undo_log
from planner.core.storage.store import Store
from planner.core.storage.undo_log import Step, Written
from planner.core.storage.writer import InlineWriter, Outcome, SerialWriter

TORONTO = ZoneInfo("America/Toronto")


def never(*args):
    raise AssertionError("these tests do not load weeks")


def event(uid: str, day: int = 6) -> Event:
    start = datetime(2025, 5, day, 18, tzinfo=TORONTO)
    return Event(uid, uid, start, start + timedelta(hours=2))


@pytest.fixture
def writer():
    serial = SerialWriter()
    yield serial
    serial.close()


class FlakyStore:
    """A store whose writes fail while ``broken`` is set; keeps the decisions it was given
    (after each write that went through) and the threads that wrote."""

    def __init__(self) -> None:
        self.path = Path("/flaky/planner.sqlite3")
        self.broken = False
        self.choices = Choices()
        self.saved: list[frozenset[str]] = []
        self.threads: set[str] = set()
        self.revision = 0

    def _write(self, step: Step, *, forward: bool) -> Written:
        self.threads.add(threading.current_thread().name)
        if self.broken:
            raise OSError("disk full")
        self.choices = undo_log.choices_applied(self.choices, step, forward=forward)
        self.saved.append(self.choices.pinned)
        self.revision += 1
        return Written(self.revision - 1, self.revision)

    def save_state(self, choices, sources, added) -> None:
        """The whole state, written after a failed write."""
        self.threads.add(threading.current_thread().name)
        if self.broken:
            raise OSError("disk full")
        self.choices = choices

    def record_step(self, step: Step) -> Written:
        return self._write(step, forward=True)

    def move_step(self, step: Step, to: str) -> Written:
        return self._write(step, forward=to == "undo")


# --- the serial writer ------------------------------------------------------------------


def test_writes_run_in_the_order_given_on_one_worker_thread(writer):
    ran: list[tuple[int, str]] = []
    for n in range(50):
        writer.submit(lambda n=n: ran.append((n, threading.current_thread().name)), key=f"w{n}")
    assert writer.flush()
    assert [n for n, _ in ran] == list(range(50))
    threads = {name for _, name in ran}
    assert len(threads) == 1
    assert threads.pop().startswith("planner-writer")
    assert writer.outcomes() == [Outcome(f"w{n}", None) for n in range(50)]
    assert writer.outcomes() == []  # taken once


def test_flush_waits_for_every_pending_write(writer):
    gate = threading.Event()
    ran: list[str] = []
    writer.submit(lambda: (gate.wait(), ran.append("slow")), key="slow")
    writer.submit(lambda: ran.append("next"), key="next")
    assert not writer.flush(timeout=0.01)  # the first write cannot have finished
    assert ran == []
    gate.set()
    assert writer.flush()
    assert ran == ["slow", "next"]


def test_a_waiting_write_is_replaced_by_a_newer_one_of_the_same_key_only(writer):
    gate = threading.Event()
    ran: list[str] = []
    writer.submit(gate.wait, key="gate")  # holds the worker: what follows waits in the queue
    for n in range(10):
        writer.submit(lambda n=n: ran.append(f"state {n}"), key="state")
    writer.submit(lambda: ran.append("week"), key="week")
    writer.submit(lambda: ran.append("state 10"), key="state")
    gate.set()
    assert writer.flush()
    # The tenth state replaced the nine before it; "week" came between, so the last
    # state could not replace the tenth without running before "week".
    assert ran == ["state 9", "week", "state 10"]


def test_a_failed_write_is_recorded_and_the_next_ones_still_run():
    woken: list[str] = []
    serial = SerialWriter(lambda: woken.append(threading.current_thread().name))
    problem = OSError("disk full")

    def fail() -> None:
        raise problem

    ran: list[str] = []
    serial.submit(fail, key="a")
    serial.submit(lambda: ran.append("b"), key="b")
    serial.close()
    assert ran == ["b"]
    assert serial.outcomes() == [Outcome("a", problem), Outcome("b", None)]
    assert len(woken) == 2 and all(name.startswith("planner-writer") for name in woken)
    with pytest.raises(RuntimeError):
        serial.submit(lambda: None)


def test_the_inline_writer_runs_each_write_before_returning():
    inline = InlineWriter()
    ran: list[int] = []
    inline.submit(lambda: ran.append(1), key="state")
    assert ran == [1]
    assert inline.flush()
    assert inline.outcomes() == [Outcome("state", None)]


# --- the session over a writer ----------------------------------------------------------


def test_by_default_the_state_is_on_disk_before_listeners_hear_of_the_change(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session(never, Settings(), store=store)
        assert isinstance(session.writer, InlineWriter)
        heard: list[frozenset[str]] = []
        session.listeners.append(lambda change: heard.append(store.load_choices().pinned))
        session.pin(event("hdi"))
        session.pin(event("pmi"))
        session.undo()
        assert heard == [{"hdi"}, {"hdi", "pmi"}, {"hdi"}]


def test_by_default_a_failure_is_said_before_listeners_hear_of_the_change(tmp_path):
    store = Store.open(tmp_path / "p.sqlite3")
    session = Session(never, Settings(), store=store)
    store.close()
    said: list[str] = []
    session.listeners.append(lambda change: said.append(session.save_problem))
    session.pin(event("hdi"))
    assert len(said) == 1 and "could not be saved" in said[0] and "is closed" in said[0]


def test_with_the_serial_writer_every_change_is_kept_in_order_off_the_callers_thread(
    tmp_path, writer
):
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session(never, Settings(), store=store, writer=writer)
        written_on: list[str] = []
        record_step, move_step = store.record_step, store.move_step

        def recording(write):
            def written(*args):
                written_on.append(threading.current_thread().name)
                return write(*args)

            return written

        store.record_step, store.move_step = recording(record_step), recording(move_step)
        keys = [f"e{n}" for n in range(30)]
        for key in keys:
            session.pin(event(key))
        session.refuse(event("e3"))
        session.add_events([event("typed", 7)])
        session.undo()
        session.redo()
        session.set_stars(event("e4"), 2)
        assert session.flush() == ""
        assert store.load_choices() == session.choices
        assert store.load_added() == session.state.added
        assert written_on and threading.current_thread().name not in written_on
        assert all(name.startswith("planner-writer") for name in written_on)


def test_a_failing_background_write_is_reported_once_known_and_cleared_by_a_good_one(writer):
    store = FlakyStore()
    session = Session(never, Settings(), store=store, writer=writer)
    store.broken = True
    session.pin(event("hdi"))
    session.flush()
    assert session.save_problem == (
        "/flaky/planner.sqlite3: your last change could not be saved (disk full)"
    )
    assert not session.take_written()  # nothing new since
    session.pin(event("pmi"))
    assert "could not be saved" in session.save_problem  # still the last known outcome
    store.broken = False
    session.refuse(event("ipa"))
    session.flush()
    assert session.save_problem == ""
    assert store.saved[-1] == {"hdi", "pmi"}
    assert store.threads and threading.current_thread().name not in store.threads


def test_the_writers_news_is_taken_on_the_sessions_thread_when_it_wakes_it():
    store = FlakyStore()
    store.broken = True
    wakes: list[str] = []
    both = threading.Event()

    def written() -> None:  # on the worker, as the window's signal is emitted
        wakes.append(threading.current_thread().name)
        if len(wakes) == 2:
            both.set()

    serial = SerialWriter(written)
    session = Session(never, Settings(), store=store, writer=serial)
    gate = threading.Event()
    try:
        serial.submit(gate.wait, key="gate")
        session.pin(event("hdi"))
        assert session.save_problem == ""  # not written yet: nothing known
        gate.set()
        assert both.wait(10)
        assert session.take_written()  # the outcome was recorded before the worker woke us
        assert "disk full" in session.save_problem
        assert threading.current_thread().name not in wakes
    finally:
        serial.close()


def test_changing_the_writer_writes_what_the_old_one_holds_first(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session(never, Settings(), store=store, writer=SerialWriter())
        for n in range(10):
            session.pin(event(f"e{n}"))
        session.use_writer(InlineWriter())
        assert store.load_choices() == session.choices
        session.refuse(event("late"))
        assert "late" in store.load_choices().refused


def test_a_change_after_the_writer_closed_is_said(writer):
    store = FlakyStore()
    session = Session(never, Settings(), store=store, writer=writer)
    writer.close()
    session.pin(event("hdi"))
    assert "could not be saved" in session.save_problem
    assert "hdi" in session.choices.pinned  # kept for this session


# --- what the app keeps beside the decisions -----------------------------------------------


def test_what_the_app_keeps_beside_the_decisions_goes_through_the_writer(tmp_path, writer):
    """The week shown and when changes were seen are written off the caller's thread too,
    in order with the decisions; the last of each name wins."""
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session(never, Settings(), store=store, writer=writer)
        threads: list[str] = []
        save_week = store.save_week

        def recording(day) -> None:
            threads.append(threading.current_thread().name)
            save_week(day)

        store.save_week = recording
        for day in (1, 8, 15):
            monday = datetime(2025, 12, day).date()
            session.keep("the week shown", lambda monday=monday: store.save_week(monday))
        seen = datetime(2025, 12, 3, 9, tzinfo=TORONTO)
        session.keep("when changes were seen", lambda: store.mark_changes_seen(seen))
        assert session.flush() == ""
        assert store.last_week() == datetime(2025, 12, 15).date()
        assert store.changes_seen() == seen
        assert threads and all(name.startswith("planner-writer") for name in threads)
        assert session.kept_problem == ""


def test_a_failure_to_keep_something_is_said_by_its_name(writer):
    session = Session(never, Settings(), store=FlakyStore(), writer=writer)

    def full_disk() -> None:
        raise OSError("disk full")

    session.keep("the week shown", full_disk)
    session.flush()
    assert session.kept_problem == "could not keep the week shown (disk full)"
    assert session.save_problem == ""  # the decisions themselves are not in question


def test_the_streak_counts_a_week_whose_record_is_still_queued(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        monday = datetime(2025, 12, 8).date()
        assert store.streak(monday) == 0
        assert store.streak(monday, with_events=[monday]) == 1
