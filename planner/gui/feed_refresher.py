"""Keeps the user's subscribed calendars fresh without ever freezing the window.

Feeds are fetched off the GUI thread (see :mod:`background`), one batch at a
time: on start, whenever a feed's own refresh time comes (checked every few
minutes; the publisher's REFRESH-INTERVAL / X-PUBLISHED-TTL sets it), and
when the user asks. A failed fetch keeps the last good copy; its reason is
reported, and the events already imported stay in the week.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from planner.core.model import Source, is_feed
from planner.core.storage.store import Store, StoreError
from planner.gui.background import Job, describe_error, run_in_background

CHECK_EVERY_MS = 5 * 60 * 1000


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What one batch of refreshes did, for the status bar and the changes list."""

    fetched: tuple[str, ...]
    changed: tuple[str, ...]
    errors: tuple[str, ...]
    passwords: tuple[tuple[str, str], ...] = ()
    """(calendar address, user) of CalDAV calendars whose password nothing holds: the
    window asks for it (once per start, when no keyring keeps it)."""

    @property
    def summary(self) -> str:
        if not self.fetched:
            return "No calendar feeds to refresh"
        parts = [f"Refreshed {len(self.fetched)} feed{'s' if len(self.fetched) != 1 else ''}"]
        if self.changed:
            parts.append(f"changed: {', '.join(self.changed)}")
        if self.errors:
            parts.append(f"{len(self.errors)} failed (the last copy is kept): {self.errors[0]}")
        return "; ".join(parts)


def refresh_all(store: Store, sources: Sequence[Source], now: datetime) -> Refreshed:
    """Refresh each feed in turn, each on its own (runs off the GUI thread; a feed that fails,
    even by a bug, is reported and the others are still fetched)."""
    from planner.core.caldav import refresh as sources_refresh
    from planner.core.caldav.sync import SyncResult

    fetched, changed, errors, passwords = [], [], [], []
    for source, result in sources_refresh.refresh_each(store, sources, now):
        name = sources_refresh.name_of(store, source.path)
        fetched.append(name)
        if result.changed:
            changed.append(name)
        if result.error:
            errors.append(result.error)
        if isinstance(result, SyncResult) and result.needs_password:
            passwords.append(result.needs_password)
    return Refreshed(tuple(fetched), tuple(changed), tuple(errors), tuple(passwords))


class FeedRefresher(QObject):
    """Refreshes the feeds among the session's calendars; ``refreshed`` reports each batch."""

    refreshed = Signal(object)
    """A :class:`Refreshed`, on the GUI thread."""

    def __init__(
        self,
        store: Store,
        sources: Callable[[], Sequence[Source]],
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC).astimezone(),
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._sources = sources
        self._now = now
        self._job: Job | None = None
        self._again: bool | None = None  # a request made while a batch ran (True: all)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(lambda: self.refresh(everything=False))

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        """Refresh what is due now, then check again every few minutes."""
        self.timer.start()
        self.refresh(everything=False)

    def refresh(self, everything: bool = True) -> bool:
        """Fetch the feeds (all of them, or only those due); False if there are none."""
        from planner.core.storage import feeds  # urllib and ssl: not on the start-up path

        wanted = [s for s in self._sources() if is_feed(s.path)]
        if not everything:
            try:
                due = {s.path for s in feeds.due(self._store, self._now())}
            except (sqlite3.Error, StoreError):  # an unreadable store: try every feed, not none
                due = {s.path for s in wanted}
            wanted = [s for s in wanted if s.path in due]
        if not wanted:
            return False
        if self._job is not None:
            self._again = bool(self._again) or everything
            return True
        now, store = self._now(), self._store
        self._job = run_in_background(
            lambda: refresh_all(store, wanted, now), self._done, self._failed, self
        )
        return True

    def _done(self, result: Refreshed) -> None:
        self._job = None
        self.refreshed.emit(result)
        self._next()

    def _failed(self, error: Exception) -> None:
        self._job = None
        problem = f"Could not refresh the feeds: {describe_error(error)}"
        self.refreshed.emit(Refreshed((), (), (problem,)))
        self._next()

    def _next(self) -> None:
        again, self._again = self._again, None
        if again is not None:
            self.refresh(everything=again)
