"""One helper for work that must not freeze the window.

A plain function runs on Qt's global thread pool; its result (or the
exception it raised) comes back on the GUI thread through a signal. The
function never touches a widget. This is the only place threads are started.
"""

from __future__ import annotations

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
