"""Quick add's preview: what planner read from typed or pasted lines, to check before adding.

The lines are read by :func:`planner.core.text.quick_add.parse_lines` off the GUI
thread: its first call imports dateparser and loads the city gazetteer
(about half a second), and a pasted newsletter has many lines. The dialog
therefore opens at once, says it is reading, and fills in when the result
comes back.

Every part the parser had to assume (no end time, no year, no am/pm, no
place) is marked in its cell: italic, a warning icon, and the assumption in
words as the tooltip, so the user checks exactly those. Every cell can be
corrected; a corrected cell is no longer marked. Lines that could not be
read are listed with the reason, to fix and paste again. The model adapts
the parsed events and turns edits into new events; what a typed place or
price means is decided by the core (``read_place_text``, ``read_cost_text``).

A line that is a link is an event's web page, read by the core's one policy
(:func:`planner.core.web.links.read_links`, as ``planner add`` does) only with
consent: ``fetch`` (the user agreed when asked) or ``[web] fetch = true``. The
pages are read in a job of their own, so typed lines show at once while the
status says which site is being read, and Stop drops what the pages would bring.
Each event a page holds is its own row, its guesses marked as a typed line's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.core.model import Event, Place
from planner.core.settings import Settings
from planner.core.storage.feed_download import Limits
from planner.core.text import wording
from planner.core.text.quick_add import (
    Parsed,
    Part,
    Unparsed,
    parse_lines,
    read_cost_text,
    read_place_text,
)
from planner.core.web.fetch import PAGE_LIMITS
from planner.core.web.links import Links, read_links, split_links
from planner.gui.background import Job, describe_error, run_in_background

COLUMNS = ("Title", "Day", "Start", "End", "Place", "Cost", "Category")
PARTS: tuple[Part, ...] = ("title", "day", "start", "end", "place", "cost", "category")
"""The part of a parsed line each column shows, in column order."""
ASSUMED_ROLE = Qt.ItemDataRole.UserRole + 1
"""The assumptions behind a cell, as a tuple of sentences (empty when none)."""
NOT_ASKED = (
    "a link: its page was not read, as you chose; nothing was requested (paste it again "
    "to be asked again, or allow reading pages in Settings)"
)
STOPPED = "a link: you stopped reading its page; nothing from it was added"

Index = QModelIndex | QPersistentModelIndex


def day_text(day: date) -> str:
    return wording.short_date(day)


def place_text(place: Place) -> str:
    """A place as the user would type it back: "online", "venue, address"."""
    if place.virtual:
        return place.name or "online"
    return ", ".join(part for part in (place.name, place.address) if part)


def cost_text(cost: float | None) -> str:
    """The price as the cell edits it: no thousands separator (unlike ``wording.money``),
    so that what is shown reads back through ``read_cost_text``."""
    if cost is None:
        return ""
    if cost == 0:
        return "free"
    return f"${cost:.0f}" if cost == int(cost) else f"${cost:.2f}"


def end_text(event: Event) -> str:
    """The end's clock, with "(+1 day)" when it ends after midnight."""
    days = (event.end.date() - event.start.date()).days
    return f"{event.end:%H:%M}" + (f" (+{days} day{'s' if days > 1 else ''})" if days else "")


@dataclass(slots=True)
class _Row:
    event: Event
    line_number: int
    text: str
    assumed: dict[Part, tuple[str, ...]]
    checked: bool = True


def _row(parsed: Parsed) -> _Row:
    assumed = {part: parsed.assumed_about(part) for part in PARTS}
    return _Row(
        parsed.event,
        parsed.line_number,
        parsed.text,
        {part: said for part, said in assumed.items() if said},
    )


class QuickAddModel(QAbstractTableModel):
    """One row per understood line; every cell editable, assumed cells marked.

    The first column carries a check box: unchecked rows are not added.
    ``checkedCountChanged`` reports how many rows would be added.
    """

    checkedCountChanged = Signal(int)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._rows: list[_Row] = []
        self._warning = QIcon()

    def add_parsed(self, parsed: list[Parsed]) -> None:
        """More rows below those shown (a page read after the typed lines), keeping the
        edits already made to those."""
        if not parsed:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(parsed) - 1)
        self._rows += [_row(p) for p in parsed]
        self.endInsertRows()
        self.checkedCountChanged.emit(self.checked_count())

    def set_warning_icon(self, icon: QIcon) -> None:
        """The icon of an assumed cell (from the view's style, which the model has not)."""
        self._warning = icon

    def events(self) -> list[Event]:
        """The events of the checked rows, as edited."""
        return [row.event for row in self._rows if row.checked]

    def checked_count(self) -> int:
        return sum(row.checked for row in self._rows)

    # --- Qt model -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
                return COLUMNS[section]
            if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
                return str(self._rows[section].line_number)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Vertical
            and 0 <= section < len(self._rows)
        ):
            row = self._rows[section]
            return f"Line {row.line_number}: {row.text}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsEditable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        part = PARTS[index.column()]
        assumed = row.assumed.get(part, ())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row.event, part)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(row.event, part)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if row.checked else Qt.CheckState.Unchecked
        if role == ASSUMED_ROLE:
            return assumed
        if role == Qt.ItemDataRole.FontRole and assumed:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.DecorationRole and assumed:
            return self._warning
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            if assumed:
                return "Assumed: " + "; ".join(assumed) + ". Edit the cell to correct it."
            if role == Qt.ItemDataRole.ToolTipRole and part == "title":
                return f"Line {row.line_number}: {row.text}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            row.checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index, [role])
            self.checkedCountChanged.emit(self.checked_count())
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        part = PARTS[index.column()]
        try:
            event = self._edited(row.event, part, value)
        except (TypeError, ValueError):
            return False  # the editor keeps the old value: nothing half-applied
        if event is None:
            return False
        row.event = event
        row.assumed.pop(part, None)  # the user said it: no longer an assumption
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        return True

    # --- formatting and editing ---------------------------------------------------------
    def _display(self, event: Event, part: Part) -> str:
        if part == "title":
            return event.summary
        if part == "day":
            return day_text(event.start.date())
        if part == "start":
            return f"{event.start:%H:%M}"
        if part == "end":
            return end_text(event)
        if part == "place":
            return place_text(event.place)
        if part == "cost":
            return cost_text(event.cost)
        return event.category

    def _edit_value(self, event: Event, part: Part) -> Any:
        if part == "day":
            day = event.start.date()
            return QDate(day.year, day.month, day.day)
        if part in ("start", "end"):
            moment = event.start if part == "start" else event.end
            return QTime(moment.hour, moment.minute)
        return self._display(event, part)

    def _edited(self, event: Event, part: Part, value: Any) -> Event | None:
        """The event with one part replaced by what the user typed; None to refuse."""
        zone = self._settings.zone
        if part == "title":
            title = " ".join(str(value).split())
            return replace(event, summary=title) if title else None
        if part == "day":
            day = _as_date(value)
            shift = day - event.start.date()
            start = datetime.combine(day, event.start.time(), tzinfo=zone)
            end = datetime.combine(event.end.date() + shift, event.end.time(), tzinfo=zone)
            return replace(event, start=start, end=end)
        if part == "start":
            start = datetime.combine(event.start.date(), _as_time(value), tzinfo=zone)
            end = (start.astimezone(UTC) + event.duration).astimezone(zone)
            return replace(event, start=start, end=end)
        if part == "end":
            end = datetime.combine(event.start.date(), _as_time(value), tzinfo=zone)
            if end <= event.start:
                end += timedelta(days=1)  # "22:00 to 01:00" ends the next day
            return replace(event, end=end)
        if part == "place":
            return replace(event, place=read_place_text(str(value), self._settings))
        if part == "cost":
            cost = float(value) if isinstance(value, int | float) else read_cost_text(str(value))
            return replace(event, cost=cost)
        category = str(value).strip().lower()
        rest = event.categories[1:]
        return replace(event, categories=(category, *rest) if category else rest)


def _as_date(value: Any) -> date:
    if isinstance(value, QDate):
        if not value.isValid():
            raise ValueError("not a date")
        return date(value.year(), value.month(), value.day())
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _as_time(value: Any) -> time:
    if isinstance(value, QTime):
        if not value.isValid():
            raise ValueError("not a time")
        return time(value.hour(), value.minute())
    if isinstance(value, time):
        return value
    return time.fromisoformat(str(value))


class QuickAddDialog(QDialog):
    """Reads ``text`` off the GUI thread, previews the events, adds the checked ones.

    ``reference`` is what relative days resolve against: the week on screen
    (its Monday 09:00, or now when now is later in that week). ``fetch``: the
    user agreed to read the pages of the links in ``text`` (``[web] fetch``
    agrees for good); ``page_limits`` bound each page's download. After
    :meth:`exec` returns Accepted, :meth:`events` gives the edited events
    to hand to ``Session.add_events``. ``parsingFinished`` is emitted once
    the preview is filled in (or the reading failed, or was stopped).
    """

    parsingFinished = Signal()

    def __init__(
        self,
        text: str,
        settings: Settings,
        reference: datetime,
        parent: QWidget | None = None,
        *,
        fetch: bool = False,
        page_limits: Limits = PAGE_LIMITS,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add events")
        self.setMinimumWidth(760)
        self._unparsed: list[Unparsed] = []
        self._parsed_count = 0
        links = split_links(text)
        self._links = links
        lines = sum(1 for line in links.rest.splitlines() if line.strip())
        self._reading_pages = bool(links.links) and (fetch or settings.web.fetch)

        self.status = QLabel(self._reading_text(lines))
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: one call, nothing to count
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Reading")

        self.model = QuickAddModel(settings, self)
        self.model.set_warning_icon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Events to add")
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)

        self.problems_title = QLabel()
        self.problems = QListWidget()
        self.problems.setAccessibleName("Lines not understood")
        self.problems.setMaximumHeight(120)
        self.problems_title.setBuddy(self.problems)
        for widget in (self.problems_title, self.problems):
            widget.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton("Add events")
        self.add_button.setEnabled(False)
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button = QPushButton("&Stop reading")
        self.stop_button.setToolTip("Stop reading the page: nothing more is asked of the site")
        self.buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button.setVisible(self._reading_pages)
        self.stop_button.clicked.connect(self.stop_reading)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.checkedCountChanged.connect(self._update_add_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self._job: Job | None = None
        self._pages_job: Job | None = None
        self._stop_pages = threading.Event()
        self._notes: list[str] = []
        self._failure = ""
        rest = links.rest
        if lines or not links.links:
            self._job = run_in_background(
                lambda: parse_lines(rest, settings=settings, reference=reference),
                self._parsed,
                self._failed,
                self,
            )
        if self._reading_pages:
            stop = self._stop_pages
            self._pages_job = run_in_background(
                lambda: read_links(
                    text,
                    fetch=True,
                    settings=settings,
                    reference=reference,
                    limits=page_limits,
                    stopped=stop.is_set,
                ),
                self._pages_read,
                self._pages_failed,
                self,
            )
        elif links.links:  # no consent: nothing is requested, and the lines say why
            self._show_read([], [Unparsed(n, link, NOT_ASKED) for n, link in links.links])
            QTimer.singleShot(0, self, self._finish_if_done)  # once the caller can listen

    def _reading_text(self, lines: int) -> str:
        """What is being read: the typed lines, and the site each page is asked of."""
        typed = f"{lines} line{'s' if lines != 1 else ''}"
        if not self._reading_pages:
            return f"Reading {typed}…"
        sites = ", ".join(self._links.hosts)
        if not lines:
            return f"Reading {sites}…"
        pages = "the page" if len(self._links.links) == 1 else "the pages"
        return f"Reading {typed} and {pages} from {sites}…"

    @property
    def reading(self) -> bool:
        """Lines or pages are still being read."""
        return self._job is not None or self._pages_job is not None

    def events(self) -> list[Event]:
        """The events to add: the checked rows, with the user's corrections."""
        return self.model.events()

    def unparsed(self) -> list[Unparsed]:
        """The lines that could not be read, with the reason for each."""
        return list(self._unparsed)

    def done(self, result: int) -> None:
        """Closing, either way, drops a reading still under way: nothing arrives after,
        and no further page is asked for."""
        self._stop_pages.set()
        for job in (self._job, self._pages_job):
            if job is not None:
                job.cancel()
        self._job = self._pages_job = None
        super().done(result)

    def stop_reading(self) -> None:
        """Stop reading the pages (the typed lines are kept): what they would bring is
        dropped, and no page not yet asked for is requested."""
        if self._pages_job is None:
            return
        self._stop_pages.set()
        self._pages_job.cancel()
        self._pages_job = None
        self._show_read([], [Unparsed(n, link, STOPPED) for n, link in self._links.links])
        self._finish_if_done()

    def _parsed(self, result: tuple[list[Parsed], list[Unparsed]]) -> None:
        self._job = None
        parsed, unparsed = result
        self._show_read(parsed, unparsed)
        self._finish_if_done()

    def _pages_read(self, read: Links) -> None:
        self._pages_job = None
        self._notes += [f"Line {n}: {note}" for n, _link, note in read.notes]
        self._show_read(read.parsed, read.unparsed)
        self._finish_if_done()

    def _pages_failed(self, error: Exception) -> None:
        self._pages_job = None
        reason = f"its page could not be read ({describe_error(error)})"
        self._show_read([], [Unparsed(n, link, reason) for n, link in self._links.links])
        self._finish_if_done()

    def _show_read(self, parsed: list[Parsed], unparsed: list[Unparsed]) -> None:
        """Rows for what was read, and the lines that were not, with the reason."""
        self.model.add_parsed(parsed)
        self._parsed_count += len(parsed)
        self._unparsed = sorted(self._unparsed + unparsed, key=lambda u: u.line_number)
        for item in unparsed:
            self.problems.addItem(f"Line {item.line_number}: {item.text.strip()} — {item.reason}")
        if self._unparsed:
            count = len(self._unparsed)
            self.problems_title.setText(
                f"&Not understood ({count} line{'s' if count != 1 else ''}): fix and paste again"
            )
            self.problems_title.show()
            self.problems.show()

    def _finish_if_done(self) -> None:
        """Once the lines and the pages are read: say what came of it."""
        if self.reading:
            return
        self.progress.hide()
        self.stop_button.hide()
        self.table.resizeColumnsToContents()
        assumed = sum(
            1
            for row in range(self.model.rowCount())
            if any(
                self.model.index(row, column).data(ASSUMED_ROLE) for column in range(len(COLUMNS))
            )
        )
        said = self._summary(self._parsed_count, len(self._unparsed), assumed)
        if self._failure:
            said = f"{self._failure}. {said}" if self._parsed_count else self._failure
        if self._notes:
            said += " Part of a page could not be read: " + "; ".join(self._notes) + "."
        self.status.setText(said)
        if self._parsed_count:
            self.table.setFocus()
        self.parsingFinished.emit()

    def _summary(self, parsed: int, unparsed: int, assumed: int) -> str:
        if not parsed:
            if unparsed == 1:  # one line, one reason: said where it is looked for first
                return f"No event could be read: {self._unparsed[0].reason}."
            return "No event could be read." if unparsed else "There was nothing to read."
        text = f"{parsed} event{'s' if parsed != 1 else ''} read"
        if assumed:
            text += f"; {assumed} with guesses, shown in italics with ⚠ (point at one to see it)"
        return text + ". Edit any cell to correct it."

    def _failed(self, error: Exception) -> None:
        self._job = None
        self._failure = f"Could not read the text: {describe_error(error)}"
        self._finish_if_done()

    def _update_add_button(self, count: int) -> None:
        self.add_button.setText(f"Add {count} event{'s' if count != 1 else ''}")
        self.add_button.setEnabled(count > 0)
