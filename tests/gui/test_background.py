"""Background work: results reach only live receivers, on the GUI thread; a job is let go of
on the GUI thread; a failure arrives as the exception, its traceback in the log."""

from __future__ import annotations

import gc
import logging
import threading
import weakref

import shiboken6
from PySide6.QtCore import QObject

from planner.gui import background
from planner.gui.background import GuiThreadCollector, run_in_background, run_with_progress


class Receiver(QObject):
    """Records what it was handed, and on which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []
        self.threads: list[threading.Thread] = []

    def done(self, result: object) -> None:
        self.got.append(result)
        self.threads.append(threading.current_thread())

    def failed(self, error: Exception) -> None:
        self.got.append(error)


def test_the_result_comes_back_on_the_gui_thread(qtbot):
    receiver = Receiver()
    workers: list[threading.Thread] = []

    def work() -> int:
        workers.append(threading.current_thread())
        return 42

    job = run_in_background(work, receiver.done, receiver.failed, receiver)
    qtbot.waitUntil(lambda: receiver.got == [42], timeout=10_000)
    assert workers != [threading.main_thread()]
    assert receiver.threads == [threading.main_thread()]
    assert not job.running


def test_a_failure_arrives_as_the_exception_and_its_traceback_is_logged(qtbot, caplog):
    receiver = Receiver()

    def work() -> None:
        raise ValueError("no such week")

    with caplog.at_level(logging.ERROR, logger="planner.gui.background"):
        run_in_background(work, receiver.done, receiver.failed, receiver)
        qtbot.waitUntil(lambda: bool(receiver.got), timeout=10_000)
    [error] = receiver.got
    assert isinstance(error, ValueError) and str(error) == "no such week"
    assert background.describe_error(error) == "ValueError: no such week"
    [record] = caplog.records
    assert record.levelno == logging.ERROR and "no such week" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[1] is error
    assert "in work" in caplog.text  # the traceback, down to the function that failed
    assert error.__traceback__ is None  # kept without the worker's frames


def test_a_receiver_deleted_while_its_job_runs_gets_nothing(qtbot, caplog):
    release = threading.Event()
    receiver = Receiver()
    got = receiver.got

    def work() -> str:
        assert release.wait(10)
        return "too late"

    job = run_in_background(work, receiver.done, receiver.failed, receiver)
    shiboken6.delete(receiver)  # as a parent deleting a dialog does
    assert job.is_cancelled()
    release.set()
    qtbot.waitUntil(background.idle, timeout=10_000)
    assert got == []
    assert not caplog.records


def test_the_last_reference_to_a_job_goes_on_the_gui_thread(qtbot):
    """Whatever the job holds (its function, its callbacks and what they hold) is freed
    on the GUI thread, even when the worker is the last to touch the job."""
    freed: list[threading.Thread] = []
    release = threading.Event()

    class Held:
        pass

    held = Held()
    weakref.finalize(held, lambda: freed.append(threading.current_thread()))
    receiver = Receiver()

    def work(thing: Held = held) -> None:
        assert release.wait(10)

    run_in_background(work, receiver.done, receiver.failed, receiver)
    del work, held
    release.set()
    qtbot.waitUntil(lambda: bool(freed), timeout=10_000)
    assert freed == [threading.main_thread()]


def test_progress_reaches_the_receiver_and_a_cancel_is_said_once(qtbot):
    receiver = Receiver()
    progress: list[tuple[int, int]] = []
    cancelled: list[bool] = []
    started = threading.Event()
    go_on = threading.Event()

    def work(report) -> str:
        report(1, 3)
        started.set()
        assert go_on.wait(10)
        if not report(2, 3):
            raise InterruptedError("asked to stop")
        return "all of it"

    job = run_with_progress(
        work,
        receiver.done,
        receiver.failed,
        lambda done, total: progress.append((done, total)),
        lambda: cancelled.append(True),
        receiver,
    )
    assert started.wait(10)
    qtbot.waitUntil(lambda: progress == [(1, 3)], timeout=10_000)
    job.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: cancelled == [True], timeout=10_000)
    qtbot.waitUntil(background.idle, timeout=10_000)
    assert receiver.got == []  # neither a result nor the stop's exception
    assert progress == [(1, 3)]  # nothing after the cancel


def test_a_plain_job_cancelled_reports_nothing(qtbot):
    receiver = Receiver()
    release = threading.Event()
    job = run_in_background(lambda: release.wait(10), receiver.done, receiver.failed, receiver)
    job.cancel()
    release.set()
    qtbot.waitUntil(background.idle, timeout=10_000)
    assert receiver.got == []


def test_the_collector_collects_on_the_gui_thread_only(qtbot):
    was_enabled = gc.isenabled()
    collector = GuiThreadCollector(interval_ms=10)
    try:
        assert not gc.isenabled()  # no collection can start on a worker now

        class Cycle:
            pass

        collected: list[threading.Thread] = []
        for _ in range(3):
            loop = Cycle()
            loop.me = loop  # type: ignore[attr-defined]
            weakref.finalize(loop, lambda: collected.append(threading.current_thread()))
            del loop
        # Objects kept alive: the count of the youngest generation passes its threshold.
        kept = [Cycle() for _ in range(gc.get_threshold()[0] + 1)]
        qtbot.waitUntil(lambda: len(collected) == 3, timeout=10_000)
        del kept
        assert set(collected) == {threading.main_thread()}
    finally:
        collector.stop()
        shiboken6.delete(collector)
    assert gc.isenabled() == was_enabled
