"""One helper for work that must not freeze the window, and cannot outlive its widget.

A plain function runs on Qt's global thread pool; its result (or the exception
it raised) comes back on the GUI thread, to the widget that asked for it, and
only while that widget lives: a dialog closed or deleted while its file is read
gets nothing, and nothing is said. A long read can also report its progress and
be stopped (:func:`run_with_progress`). This is the only place the GUI starts threads
(the store's background writer, :mod:`planner.core.storage.writer`, has its own one).

Why it is built this way (each rule once broke something):

* A worker thread never touches a Qt object that may be deleted: it reports
  through one relay that lives as long as the app, on the GUI thread, with
  queued signals carrying only the job's number. (A job that was its own
  QObject, parented to a dialog, was deleted with the dialog while its worker
  still emitted on it: "Signal source has been deleted".)
* A job is held by the relay, on the GUI thread, until it is delivered; the
  worker drops its own references before it reports. So the last reference to a
  job, its function and its callbacks (bound to widgets) always goes on the GUI
  thread: no Python wrapper of a Qt object is ever freed on a worker.
* The receiver is watched: when it is destroyed the job lets go of its callbacks
  at once, and a job that can stop is told to.
* A failure travels as the exception itself; its traceback is logged
  (``logging``, see :mod:`planner.core.logs`) where it happened, then dropped, so
  that no frame of the worker keeps the job alive in a reference cycle.
* Python's cyclic garbage collector may run on any thread, in the middle of a
  read; finding a widget's wrapper in a cycle there deletes the widget off the
  GUI thread and crashes. :class:`GuiThreadCollector` makes it run on the GUI
  thread only (as Anki and pyqtgraph do).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QMetaObject,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    """The exception in one line for the user (its type and message, no traceback)."""
    return "".join(traceback.format_exception_only(type(error), error)).strip()


class Job:
    """One call off the GUI thread, until it reports to its receiver (or is cancelled).

    Keep it to :meth:`cancel` it; it needs no keeping to report. Only the GUI
    thread calls its methods.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        receiver: QObject,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._fn: Callable[..., Any] | None = fn
        self._receiver: QObject | None = receiver
        self._on_done: Callable[[Any], None] | None = on_done
        self._on_error: Callable[[Exception], None] | None = on_error
        self._stop = threading.Event()
        self._result: Any = None
        self._error: Exception | None = None
        self._watch: QMetaObject.Connection | None = receiver.destroyed.connect(self._gone)

    @property
    def running(self) -> bool:
        """Not yet reported (or dropped): the function may still be running."""
        return self._fn is not None

    def cancel(self) -> None:
        """Report nothing of this call (a :class:`ProgressJob` says it stopped instead)."""
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _gone(self, *_destroyed: object) -> None:
        """The receiver is being destroyed: never call it, and let go of it now."""
        self._stop.set()
        self._watch = None  # the connection goes with the receiver
        self._drop_callbacks()

    def _drop_callbacks(self) -> None:
        self._receiver = None
        self._on_done = self._on_error = None

    def _call(self, report: Callable[[int, int], bool]) -> None:
        """Run the function (on a worker thread); keep what came of it for the GUI thread."""
        assert self._fn is not None
        self._run(self._fn)

    def _run(self, call: Callable[[], Any]) -> None:
        """Keep ``call``'s result, or the exception it raised, whatever it was: work on a
        worker thread has no caller to raise to, so the failure travels to the GUI thread
        (and its traceback to the log)."""
        try:
            self._result = call()
        except Exception as exc:
            if not self._stop.is_set():  # a failure after a cancel is the stop itself
                log.error("Background work failed: %s", describe_error(exc), exc_info=exc)
            # The traceback's frames hold this job: keep the exception, not the cycle.
            self._error = exc.with_traceback(None)

    def _outcome(self) -> Callable[[], None] | None:
        """What to call with the outcome, if anything."""
        if self._stop.is_set():
            return self._when_cancelled()
        if self._error is not None:
            return None if self._on_error is None else partial(self._on_error, self._error)
        return None if self._on_done is None else partial(self._on_done, self._result)

    def _when_cancelled(self) -> Callable[[], None] | None:
        """Cancelled by its owner: a plain job says nothing."""
        return None

    def _deliver(self) -> None:
        """On the GUI thread: hand the outcome to a live receiver, then let go of everything."""
        if self._watch is not None:
            QObject.disconnect(self._watch)
            self._watch = None
        receiver, call = self._receiver, self._outcome()
        self._fn = None
        self._result = self._error = None
        self._drop_callbacks()
        if call is not None and receiver is not None and shiboken6.isValid(receiver):
            call()


class ProgressJob(Job):
    """A background call that reports how far it got and can be asked to stop.

    The function polls the ``report`` it is given (on its own thread); the GUI
    thread receives ``on_progress`` and may call :meth:`cancel`. Once cancelled,
    the job calls ``on_cancelled`` instead of ``on_done`` or ``on_error``: whatever
    the function did after the request is of no more use to the caller.
    """

    def __init__(
        self,
        fn: Callable[[Callable[[int, int], bool]], Any],
        receiver: QObject,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        on_progress: Callable[[int, int], None],
        on_cancelled: Callable[[], None],
    ) -> None:
        super().__init__(fn, receiver, on_done, on_error)
        self._on_progress: Callable[[int, int], None] | None = on_progress
        self._on_cancelled: Callable[[], None] | None = on_cancelled

    def _call(self, report: Callable[[int, int], bool]) -> None:
        assert self._fn is not None
        self._run(partial(self._fn, report))

    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self._stop.is_set():
            receiver = self._receiver
            if receiver is not None and shiboken6.isValid(receiver):
                self._on_progress(done, total)

    def _drop_callbacks(self) -> None:
        super()._drop_callbacks()
        self._on_progress = self._on_cancelled = None

    def _when_cancelled(self) -> Callable[[], None] | None:
        return self._on_cancelled


class _Relay(QObject):
    """Carries the workers' reports to the GUI thread, and holds every job until then.

    One for the whole app, never deleted: a worker may report at any time, so what
    it reports through must outlive every widget.
    """

    settled = Signal(int)
    progressed = Signal(int, object, object)  # done, total: Python ints, so files over 2 GB fit

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[int, Job] = {}
        self.numbers = itertools.count(1)
        queued = Qt.ConnectionType.QueuedConnection
        self.settled.connect(self._settle, queued)
        self.progressed.connect(self._progress, queued)

    @Slot(int)
    def _settle(self, number: int) -> None:
        job = self.jobs.pop(number, None)
        if job is not None:
            job._deliver()

    @Slot(int, object, object)
    def _progress(self, number: int, done: int, total: int) -> None:
        job = self.jobs.get(number)
        if isinstance(job, ProgressJob):
            job._progress(done, total)


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None and _relay.thread() != app.thread():
            _relay.moveToThread(app.thread())  # reports are handled on the GUI thread
    return _relay


def _work(relay: _Relay, number: int, stop: threading.Event) -> None:
    """The worker's part: run the job, drop every reference to it, then report its number."""
    job = relay.jobs.get(number)
    if job is not None:
        job._call(partial(_report, relay, number, stop))
        del job  # before reporting: the GUI thread must hold the last reference
    with contextlib.suppress(RuntimeError):  # the app is gone (quit while this ran): no one to tell
        relay.settled.emit(number)


def _report(relay: _Relay, number: int, stop: threading.Event, done: int, total: int) -> bool:
    """Called by a function on its worker: tell the GUI, and learn whether to go on."""
    try:
        relay.progressed.emit(number, done, total)
    except RuntimeError:  # the app is gone (quit while this ran): stop
        return False
    return not stop.is_set()


def _start(job: Job) -> None:
    relay = _the_relay()
    number = next(relay.numbers)
    relay.jobs[number] = job
    QThreadPool.globalInstance().start(partial(_work, relay, number, job._stop))


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    receiver: QObject,
) -> Job:
    """Run ``fn()`` off the GUI thread; call ``on_done`` or ``on_error`` on it, while
    ``receiver`` (the widget or object the callbacks belong to) lives.

    ``fn`` must not touch a widget. ``on_error`` gets the exception (its traceback is
    logged); :func:`describe_error` words it for the user.
    """
    job = Job(fn, receiver, on_done, on_error)
    _start(job)
    return job


def run_with_progress(
    fn: Callable[[Callable[[int, int], bool]], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    on_progress: Callable[[int, int], None],
    on_cancelled: Callable[[], None],
    receiver: QObject,
) -> ProgressJob:
    """Run ``fn(report)`` off the GUI thread, like :func:`run_in_background`, but stoppable.

    ``fn`` calls ``report(done, total)`` now and then and stops (by raising)
    when it returns False, which it does after :meth:`ProgressJob.cancel`.
    """
    job = ProgressJob(fn, receiver, on_done, on_error, on_progress, on_cancelled)
    _start(job)
    return job


def idle() -> bool:
    """No background work running or waiting to report (tests wait for this)."""
    pending = _relay is not None and bool(_relay.jobs)
    return not pending and QThreadPool.globalInstance().activeThreadCount() == 0


class GuiThreadCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread only.

    Automatic collection is turned off; a timer checks the collector's counts
    (as Python would on each allocation) and collects the generations due. A
    worker can then never be the thread that finds a widget's wrapper in a cycle
    and deletes the widget. :meth:`stop` turns automatic collection back on.
    """

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the oldest generation whose count passed its threshold (as Python does)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
