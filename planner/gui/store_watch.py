"""Noticing that another planner (``planner refuse`` in a terminal) wrote the store while
the window is open, so that the window shows it without waiting to be activated.

A :class:`QFileSystemWatcher` on the database and its write-ahead log wakes a short
timer; when it fires, the core session is asked to :meth:`~planner.core.session.Session.sync`,
which reads one number and re-reads the planning only when another planner changed it
(the window's own writes wake the timer too, and cost that one read). Activating the
window and deciding in it ask the same, so nothing depends on the watcher being told.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from planner.core.session import Session

SETTLE_MS = 250
"""A burst of writes (a command's transaction and checkpoint) is taken in once."""


class StoreWatch(QObject):
    """Asks ``session`` to take in other planners' changes when its store's files change."""

    def __init__(self, session: Session, parent: QObject) -> None:
        super().__init__(parent)
        self._session = session
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._session.sync)
        self._watcher.fileChanged.connect(self._changed)
        self._paths: list[str] = []
        if session.store is not None:
            database = Path(session.store.path)
            self._paths = [str(database), f"{database}-wal"]
            self._watch()

    def _watch(self) -> None:
        """Watch the files that exist (the log comes and goes with checkpoints)."""
        missing = [p for p in self._paths if p not in self._watcher.files() and Path(p).exists()]
        if missing:
            self._watcher.addPaths(missing)

    def _changed(self, _path: str) -> None:
        self._watch()  # a file replaced or recreated is watched again
        self._timer.start()

    def stop(self) -> None:
        """The window is closing: no sync after this (the store may be closed next)."""
        self._timer.stop()
        self._paths = []
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
