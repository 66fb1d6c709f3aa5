"""The user's transit timetables (GTFS feeds): add, re-read, remove.

Each feed is listed with its agencies, the dates it is valid and its size, read off
the GUI thread (the first read of a big feed builds its compact copy in the cache
and takes a while); a feed that cannot be read says why, and one that has expired
or is not yet valid for the week shown says so, because its trips are then
estimated. What the dialog gives back is the new ``[transit] gtfs`` list, which the
settings controller keeps through the session like any other settings change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Problem
from planner.core.travel.by_timetable import read_feeds
from planner.gui.background import describe_error, run_in_background
from planner.gui.dialog_buttons import ok_cancel

if TYPE_CHECKING:
    from planner.core.travel.transit import FeedInfo

COLUMNS = ("Timetable", "Agencies", "Valid", "Size", "Note")


class TimetablesDialog(QDialog):
    """Lists ``gtfs`` (paths) for the week starting ``week``; :meth:`paths` is the answer."""

    def __init__(self, gtfs: Sequence[str], week: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Timetables")
        self._paths = list(gtfs)
        self._week = week
        intro = QLabel(
            "Transit trips are timed on these GTFS timetables (zip files from GO Transit, "
            "the TTC, YRT, MiWay, Durham Region Transit…); trips outside them are estimated."
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName("Timetables")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.add_button = QPushButton("&Add…", self)
        self.update_button = QPushButton("&Update", self)
        self.update_button.setToolTip("Read the files again (after downloading a newer one)")
        self.remove_button = QPushButton("&Remove", self)
        self.add_button.clicked.connect(self._choose)
        self.update_button.clicked.connect(self.refresh)
        self.remove_button.clicked.connect(self._remove_selected)
        row = QHBoxLayout()
        for button in (self.add_button, self.update_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 320)
        self.refresh()

    def paths(self) -> list[str]:
        """The timetables as the user left them, in order."""
        return list(self._paths)

    def add(self, paths: Sequence[str]) -> None:
        """Add feeds (those not listed yet) and read them."""
        for path in paths:
            if path not in self._paths:
                self._paths.append(path)
        self.refresh()

    def remove(self, path: str) -> None:
        if path in self._paths:
            self._paths.remove(path)
        self.refresh()

    def refresh(self) -> None:
        """Show every feed as "reading…", then what reading it found (off the GUI thread)."""
        self._show([(p, None, "reading…") for p in self._paths])
        if not self._paths:
            self.status.setText("No timetables: transit trips are estimated.")
            return
        self.status.setText(f"Reading {len(self._paths)} timetable(s)…")
        paths, week = list(self._paths), self._week
        run_in_background(lambda: read_feeds(paths, week), self._read, self._failed, self)

    def _read(self, found: tuple[list[tuple[FeedInfo, str]], list[Problem]]) -> None:
        feeds, problems = found
        by_path = {str(info.path): (info, note) for info, note in feeds}
        said = {p.source: p.text for p in problems}
        rows: list[tuple[str, FeedInfo | None, str]] = []
        for path in self._paths:
            info, note = by_path.get(path, (None, ""))
            if info is None:
                note = said.get(path) or said.get(Path(path).name) or "cannot be read"
            rows.append((path, info, note))
        self._show(rows)
        unread = sum(info is None for _, info, _ in rows)
        self.status.setText(
            f"{len(rows) - unread} timetable(s) read"
            + (f"; {unread} cannot be read (see Note)" if unread else "")
        )

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"The timetables could not be read: {describe_error(error)}")

    def _show(self, rows: Sequence[tuple[str, FeedInfo | None, str]]) -> None:
        self.table.clear()
        for path, info, note in rows:
            item = QTreeWidgetItem(
                [
                    Path(path).name,
                    ", ".join(info.agencies) if info else "",
                    _valid(info) if info else "",
                    _size(info.size_bytes) if info else "",
                    note,
                ]
            )
            item.setToolTip(0, path)
            item.setData(0, Qt.ItemDataRole.UserRole, path)
            self.table.addTopLevelItem(item)
        for column in range(len(COLUMNS) - 1):
            self.table.resizeColumnToContents(column)
        self.remove_button.setEnabled(bool(rows))
        self.update_button.setEnabled(bool(rows))

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self, "Add timetables", "", "GTFS timetables (*.zip);;All files (*)"
        )
        if chosen:
            self.add(chosen)

    def _remove_selected(self) -> None:
        item = self.table.currentItem()
        if item is not None:
            self.remove(str(item.data(0, Qt.ItemDataRole.UserRole)))


def _valid(info: FeedInfo) -> str:
    start = info.valid_from.isoformat() if info.valid_from else "?"
    end = info.valid_until.isoformat() if info.valid_until else "?"
    return f"{start} to {end}"


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB"
