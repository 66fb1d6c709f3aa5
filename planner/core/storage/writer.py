"""Where the session's writes run: at once on the caller's thread, or in order on one worker.

Every change the user makes is written to the store before it counts as kept
(fsync'd: about half a millisecond on a laptop's disk, but 100 ms or more on
a slow disk or a network home folder). The CLI and the tests want that write
done before the change returns, as it always was: :class:`InlineWriter`. The
window must not freeze for it, so it hands writes to :class:`SerialWriter`:
one worker thread that applies them in the order given, never reorders or
drops one, and whose :meth:`~SerialWriter.flush` waits until all are on disk
(on quit, and before a backup or a restore reads or replaces the file).

Each write is the whole state, so a write still waiting when another with
the same ``key`` arrives may be replaced by it: the file ends the same, with
fewer fsyncs. Only the last write waiting can be replaced, so the order of
writes with different keys is kept.

A write that fails is not raised to whoever is waiting on the worker; it is
recorded as an :class:`Outcome`, which the session takes on its own thread
(:meth:`Writer.outcomes`), and the ``written`` callback given to
:class:`SerialWriter` is called on the worker after each write, to wake that
thread (the window emits a Qt signal from it; this module never imports Qt).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol

from planner.core.logs import log_failure

_log = logging.getLogger(__name__)

Write = Callable[[], None]
"""One write: a call to the store that commits before it returns, or raises."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one write ended: ``error`` is None when it committed."""

    key: str
    error: Exception | None


class Writer(Protocol):
    """Runs the session's writes, in the order they were given."""

    def submit(self, write: Write, key: str = "", *, replaceable: bool = True) -> None:
        """Run ``write`` after every write given before it; its outcome is recorded.
        ``replaceable=False``: a later write of the same ``key`` never replaces it (each
        holds one change, not the whole of a value)."""

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write given so far has run; False if ``timeout`` ran out first."""

    def outcomes(self) -> list[Outcome]:
        """The outcomes recorded since the last call, oldest first."""

    def close(self) -> None:
        """Run what is waiting, then accept no more writes."""


class InlineWriter:
    """Each write runs on the caller's thread before :meth:`submit` returns (CLI, tests)."""

    def __init__(self) -> None:
        self._outcomes: list[Outcome] = []

    def submit(self, write: Write, key: str = "", *, replaceable: bool = True) -> None:
        try:
            write()
        except Exception as exc:  # sqlite3.Error, StoreError, OSError: said by the session
            log_failure(_log, "saving the planning", exc)
            self._outcomes.append(Outcome(key, exc))
        else:
            self._outcomes.append(Outcome(key, None))

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def outcomes(self) -> list[Outcome]:
        taken, self._outcomes = self._outcomes, []
        return taken

    def close(self) -> None:
        """Nothing waits: every write ran when it was given."""


class SerialWriter:
    """One worker thread runs the writes in order; :meth:`submit` returns at once.

    ``written`` is called on the worker after each write that ran, so that the
    thread owning the session can take the :meth:`outcomes`; it must be quick
    and must not touch anything that thread owns (emitting a Qt signal is right).
    """

    def __init__(self, written: Callable[[], None] | None = None) -> None:
        # One worker: the executor's queue keeps the order, and a write still queued
        # can be cancelled, which is how a newer one replaces it.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planner-writer")
        self._written = written
        self._lock = threading.Lock()
        self._pending: list[Future[None]] = []
        self._last: tuple[str, Future[None]] | None = None
        self._outcomes: list[Outcome] = []

    def submit(self, write: Write, key: str = "", *, replaceable: bool = True) -> None:
        """Queue ``write``; a queued write of the same ``key`` that was the last one given,
        and has not started, is replaced by it, unless either is not ``replaceable``.
        Raises RuntimeError once closed."""
        with self._lock:
            if replaceable and key and self._last is not None and self._last[0] == key:
                self._last[1].cancel()  # False when it started: then both run, in order
            future = self._executor.submit(self._run, key, write)
            self._last = (key, future) if replaceable else None
            self._pending = [f for f in self._pending if not f.done()] + [future]

    def _run(self, key: str, write: Write) -> None:
        try:
            write()
        except Exception as exc:  # recorded for the session's thread, never lost here
            log_failure(_log, "saving the planning in the background", exc)
            outcome = Outcome(key, exc)
        else:
            outcome = Outcome(key, None)
        with self._lock:
            self._outcomes.append(outcome)
        if self._written is not None:
            self._written()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write given so far has run (or was replaced by a later one)."""
        with self._lock:
            pending = list(self._pending)
        _done, waiting = wait(pending, timeout)
        return not waiting

    def outcomes(self) -> list[Outcome]:
        with self._lock:
            taken, self._outcomes = self._outcomes, []
        return taken

    def close(self) -> None:
        """Run every queued write, then stop the worker; later writes raise RuntimeError."""
        self._executor.shutdown(wait=True)
