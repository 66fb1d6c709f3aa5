"""The calendars planner reads: files and feeds, what they are for, how fresh they are.

A subscription that keeps failing, or a course timetable from last term,
must be easy to see and to drop. Removing a calendar goes through the
session, so it can be undone, and the decisions about its events are kept
(they come back with it).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import is_feed, source_name
from planner.core.session import Session
from planner.core.storage.sources import SourceRecord
from planner.core.text import wording

ROLE_NAMES = {"commitments": "My commitments", "candidates": "Events I might attend"}


def status_text(
    location: str, record: SourceRecord | None, now: datetime, moved_to: str = ""
) -> str:
    """How a calendar stands, in words ("downloaded 10:42; next at 14:42"); ``moved_to``:
    the address on another host its server redirects to."""
    if not is_feed(location):
        return "file"
    if record is None or (record.fetched_at is None and not record.last_error):
        return "not downloaded yet"
    parts = []
    if record.fetched_at is not None:
        parts.append(f"downloaded {_when(record.fetched_at, now)}")
    if record.last_error:
        parts.append(f"last try failed: {record.last_error}")
    if record.next_refresh is not None:
        parts.append(f"next {_when(record.next_refresh, now)}")
    if moved_to:
        parts.append(f"read from another host: {moved_to}")
    return "; ".join(parts)


def caldav_status(record: SourceRecord | None, last_kind: str, now: datetime) -> str:
    """How a CalDAV calendar stands ("synced 10:42 (incremental); next 11:12")."""
    if record is None or (record.fetched_at is None and not record.last_error):
        return "CalDAV, not read yet"
    parts = []
    if record.fetched_at is not None:
        how = {"full": "whole calendar read", "": ""}.get(last_kind, "incremental")
        parts.append(f"synced {_when(record.fetched_at, now)}" + (f" ({how})" if how else ""))
    if record.last_error:
        parts.append(f"last try failed: {record.last_error}")
    if record.next_refresh is not None:
        parts.append(f"next {_when(record.next_refresh, now)}")
    return "CalDAV: " + "; ".join(parts)


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(now.tzinfo)
    return wording.clock(local) if local.date() == now.date() else wording.moment(local)


class SourcesDialog(QDialog):
    """Lists the session's calendars; Remove drops the selected one (undoable)."""

    def __init__(self, session: Session, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._now = now
        self.setWindowTitle("Calendars")
        self.setMinimumSize(720, 320)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Calendar", "Events", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Imported calendars")
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 150)
        self.empty = QLabel(
            "No calendars imported yet: File › Import calendars (Ctrl+O) or "
            "File › Subscribe to feed (Ctrl+Shift+O)."
        )
        self.empty.setWordWrap(True)
        self.remove = QPushButton("&Remove")
        self.remove.setToolTip("Stop reading this calendar (Edit › Undo brings it back)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.remove, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.remove.clicked.connect(self.remove_selected)
        self.caldav = QPushButton("CalDAV &account…")
        self.caldav.setToolTip(
            "Read calendars from Nextcloud, Fastmail, iCloud or another CalDAV server, and "
            "choose the calendar the plan is published to"
        )
        self.caldav.setEnabled(session.store is not None)
        buttons.addButton(self.caldav, QDialogButtonBox.ButtonRole.ActionRole)
        self.caldav.clicked.connect(self.show_caldav)
        self.caldav_dialog: QDialog | None = None
        """The CalDAV account dialog while it is on screen (tests reach it here)."""
        self.tree.itemSelectionChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.fill()

    def fill(self) -> None:
        from planner.core.storage.feeds import moved_to  # urllib and ssl: only when asked

        self.tree.clear()
        store = self.session.store
        for source in self.session.state.sources:
            record = store.source_record(source.path) if store is not None else None
            caldav = store.caldav.state(source.path) if store is not None else None
            name = source_name(source.path)
            if caldav is not None:
                name = f"{caldav.display_name} ({urlsplit(source.path).hostname})"
                status = caldav_status(record, caldav.last_kind, self._now)
            else:
                moved = moved_to(store, source.path) if store is not None and record else ""
                status = status_text(source.path, record, self._now, moved)
            item = QTreeWidgetItem([name, ROLE_NAMES.get(source.role, source.role), status])
            item.setData(0, Qt.ItemDataRole.UserRole, source.path)
            item.setToolTip(0, source.path)
            item.setToolTip(2, status)
            self.tree.addTopLevelItem(item)
        self.empty.setVisible(self.tree.topLevelItemCount() == 0)
        self._update()

    def rows(self) -> list[list[str]]:
        """What the list shows, row by row (for tests and accessibility checks)."""
        out = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            assert item is not None
            out.append([item.text(column) for column in range(3)])
        return out

    def select(self, row: int) -> None:
        item = self.tree.topLevelItem(row)
        if item is not None:
            self.tree.setCurrentItem(item)

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        self.session.remove_source(item.data(0, Qt.ItemDataRole.UserRole))
        self.fill()

    def show_caldav(self) -> None:
        """The CalDAV account dialog; what it imported is listed here after."""
        from planner.gui.caldav_dialog import CalDAVAccountDialog

        dialog = CalDAVAccountDialog(self.session, self)
        self.caldav_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.caldav_dialog = None
            dialog.deleteLater()
        self.fill()

    def _update(self) -> None:
        self.remove.setEnabled(self.tree.currentItem() is not None)
