"""One helper for work that must not freeze the window.

A plain function runs on Qt's global thread pool; its result (or the
exception it raised) comes back on the GUI thread through a signal. The
function never touches a widget. A long read can also report its progress
and be stopped (:func:`run_with_progress`). This is the only place threads
are started.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Job(QObject):
    """The signals of one background call; keep a reference until it reports."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)


class _Runner(QRunnable):
    def __init__(self, job: Job, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.job = job
        self.fn = fn

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI, never lost in a thread
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self.job.failed.emit(detail)
        else:
            self.job.finished.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
    parent: QObject | None = None,
) -> Job:
    """Run ``fn()`` off the GUI thread; call ``on_done`` or ``on_error`` on it."""
    job = Job(parent)
    job.finished.connect(on_done)
    job.failed.connect(on_error)
    QThreadPool.globalInstance().start(_Runner(job, fn))
    return job


class ProgressJob(Job):
    """A background call that reports how far it got and can be asked to stop.

    The function polls :meth:`report` (on its own thread); the GUI thread
    receives ``progressed`` and may call :meth:`cancel`. Once cancelled, the
    job reports ``cancelled`` instead of ``finished`` or ``failed``: whatever
    the function did after the request is of no more use to the caller.
    """

    progressed = Signal(object, object)  # done, total: Python ints, so files over 2 GB fit
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def report(self, done: int, total: int) -> bool:
        """Called by the function: tell the GUI, and learn whether to go on."""
        self.progressed.emit(done, total)
        return not self._stop.is_set()


class _ProgressRunner(QRunnable):
    def __init__(self, job: ProgressJob, fn: Callable[[Callable[[int, int], bool]], Any]) -> None:
        super().__init__()
        self.job = job
        self.fn = fn

    def run(self) -> None:
        try:
            result = self.fn(self.job.report)
        except Exception as exc:  # reported to the GUI, never lost in a thread
            if self.job.is_cancelled():
                self.job.cancelled.emit()
                return
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self.job.failed.emit(detail)
        else:
            if self.job.is_cancelled():
                self.job.cancelled.emit()
            else:
                self.job.finished.emit(result)


def run_with_progress(
    fn: Callable[[Callable[[int, int], bool]], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
    on_progress: Callable[[int, int], None],
    on_cancelled: Callable[[], None],
    parent: QObject | None = None,
) -> ProgressJob:
    """Run ``fn(report)`` off the GUI thread, like :func:`run_in_background`, but stoppable.

    ``fn`` calls ``report(done, total)`` now and then and stops (by raising)
    when it returns False, which it does after :meth:`ProgressJob.cancel`.
    """
    job = ProgressJob(parent)
    job.finished.connect(on_done)
    job.failed.connect(on_error)
    job.progressed.connect(on_progress)
    job.cancelled.connect(on_cancelled)
    QThreadPool.globalInstance().start(_ProgressRunner(job, fn))
    return job
