"""The Settings dialog, generated from the settings schema.

Every editor comes from a :class:`~planner.core.settings.Key` of ``SCHEMA``,
so a key added to the schema appears here without touching this file. The
dialog edits the TOML document rather than the dataclasses: it is filled from
:func:`settings_to_dict` and read back through :func:`settings_from_dict`, so
it accepts exactly what the settings file would, and the reader's messages
(which name the key, e.g. ``[budget] weekly_hours``) lead back to the field.
The settings it returns are saved by the session through
:func:`~planner.core.settings.save_settings`, which changes only what changed in
the user's file: their comments, blank lines and order of keys stay.
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner.core.settings import (
    SCHEMA,
    SCHEMA_VERSION,
    GeocodingSettings,
    Key,
    Settings,
    SettingsError,
    settings_from_dict,
    settings_to_dict,
)
from planner.gui.dialog_buttons import ok_cancel

Index = QModelIndex | QPersistentModelIndex

PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Home & places", ("general", "home", "places.NAME")),
    ("Travel", ("travel", "transit")),
    ("Budget", ("budget",)),
    ("Rules", ("rules",)),
    ("Categories", ("categories.NAME",)),
    ("Stars", ("stars",)),
    ("Protected times", ("rules.protected",)),
    ("Flexible blocks", ("flexible",)),
    ("Known trips", ("travel.override",)),
    ("Online services", ("geocoding", "routing", "web", "caldav")),
)
"""Which sections share a page; a section not named here gets a page of its own."""

GROUPS = {
    "geocoding": "Looking up addresses",
    "routing": "Road times from a routing server",
    "web": "Events from their web pages",
    "transit": "Transit by the timetable",
    "caldav": "Publishing to a CalDAV calendar",
}
"""Sections boxed under a heading, where a page holds more than one service."""

NOT_SET = "not set"
UNDECIDED = "Not decided yet: planner asks when it needs to know."
NO_LIMIT = "no limit"
DECIMALS = 2


class _Unset:
    """A key left out of the file (no limit, not decided): distinct from any TOML value."""


UNSET = _Unset()


class _FieldError(SettingsError):
    """A problem the dialog finds itself (a table row without a name), at a known cell."""

    def __init__(self, message: str, field: TableField, row: int, column: int) -> None:
        super().__init__(message)
        self.field, self.row, self.column = field, row, column


def _describe(widget: QWidget, key: Key, title: str) -> None:
    """Name the editor for screen readers and explain it on hover and with What's This."""
    widget.setObjectName(".".join(key.path))
    widget.setAccessibleName(title)
    widget.setAccessibleDescription(key.doc)
    widget.setToolTip(key.doc)
    widget.setWhatsThis(key.doc)


class ScalarField:
    """The editor of one key that holds a single value, by the key's kind."""

    def __init__(self, key: Key, value: Any) -> None:
        self.key = key
        self._initial = value
        self.hint: QLabel | None = None
        builder = getattr(self, f"_make_{key.kind}")
        self.widget: QWidget = builder(value)
        _describe(self.widget, key, key.title)

    def _make_bool(self, value: Any) -> QWidget:
        box = QCheckBox(self.key.title)
        if self.key.optional:
            # Half-checked is "not decided": for consent, planner asks before sending anything.
            box.setTristate(True)
            self.hint = QLabel(UNDECIDED)
            self.hint.setWordWrap(True)
            box.checkStateChanged.connect(self._show_hint)
        if value is UNSET:
            box.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            box.setChecked(bool(value))
        if self.hint is not None and value is not UNSET:
            self.hint.hide()  # hidden before it has a parent: showing it now would open a window
        return box

    def _show_hint(self, state: Qt.CheckState) -> None:
        if self.hint is not None:
            self.hint.setVisible(state == Qt.CheckState.PartiallyChecked)

    def _range(self, value: Any) -> tuple[float, float]:
        """The editor's range: the key's, widened to what the file holds.

        A box that clamped a value outside its range would change the
        settings without the user touching them.
        """
        low, high = self.key.editor_range or (0, 1_000_000)
        if isinstance(value, int | float):
            low, high = min(low, math.floor(value)), max(high, math.ceil(value))
        return low, high

    def _make_int(self, value: Any) -> QWidget:
        low, high = self._range(value)
        spin = QSpinBox()
        # An optional number's "no limit" is the value just below its range.
        spin.setRange(int(low) - (1 if self.key.optional else 0), int(high))
        if self.key.optional:
            spin.setSpecialValueText(NO_LIMIT)
        spin.setValue(spin.minimum() if value is UNSET else int(value))
        return spin

    def _make_float(self, value: Any) -> QWidget:
        low, high = self._range(value)
        step = 0.5 if high >= 10 else 0.1
        spin = QDoubleSpinBox()
        spin.setDecimals(DECIMALS)
        spin.setSingleStep(step)
        spin.setRange(low - (step if self.key.optional else 0), high)
        if self.key.optional:
            spin.setSpecialValueText(NO_LIMIT)
        spin.setValue(spin.minimum() if value is UNSET else float(value))
        return spin

    def _make_time(self, value: Any) -> QWidget:
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        edit.setTime(QTime.fromString(str(value), "HH:mm"))
        return edit

    def _make_choice(self, value: Any) -> QWidget:
        combo = QComboBox()
        choices = ("", *self.key.choices) if self.key.optional else self.key.choices
        for choice in choices:
            combo.addItem(choice or NOT_SET, choice)
        current = "" if value is UNSET else str(value)
        if combo.findData(current) < 0:  # keep what the file says, for the reader to judge
            combo.addItem(current, current)
        combo.setCurrentIndex(combo.findData(current))
        return combo

    def _make_text(self, value: Any) -> QWidget:
        return QLineEdit("" if value is UNSET else str(value))

    def _make_list(self, value: Any) -> QWidget:
        return QLineEdit("" if value is UNSET else _cell_text(value))

    def value(self) -> Any:
        """The TOML value the editor holds, or UNSET when the key is left out."""
        widget, kind = self.widget, self.key.kind
        if isinstance(widget, QCheckBox):
            state = widget.checkState()
            if state == Qt.CheckState.PartiallyChecked:
                return UNSET
            return state == Qt.CheckState.Checked
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            number = widget.value()
            if self.key.optional and number == widget.minimum():
                return UNSET
            if isinstance(widget, QDoubleSpinBox):
                # The box shows two decimals: an untouched 4.333 stays 4.333.
                initial = self._initial
                if isinstance(initial, int | float) and abs(initial - number) < 0.5 / 10**DECIMALS:
                    return float(initial)
                return float(number)
            return int(number)
        if isinstance(widget, QTimeEdit):
            return widget.time().toString("HH:mm")
        if isinstance(widget, QComboBox):
            data = widget.currentData()
            return UNSET if self.key.optional and not data else data
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if kind == "list":
            return _split(text)
        return UNSET if self.key.optional and not text else text

    def locate(self, message: str) -> tuple[int, int] | None:
        """Where in the editor ``message`` (the reader's wording) is about, if it is this key."""
        section, name = re.escape(self.key.section), re.escape(self.key.name)
        return (0, 0) if re.match(rf"\[{section}\] {name}\b", message) else None

    def select(self, row: int, column: int) -> None:
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)


def _cell_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _cell_value(text: str, column: Key) -> Any:
    """The TOML value of a cell; text that is not a number stays text for the reader to name."""
    text = text.strip()
    if column.kind == "list":
        return _split(text)
    if column.kind == "int" and re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if column.kind == "float":
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    return text


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a column of fixed choices (a travel mode) with a combo box."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices

    def displayText(self, value: Any, locale: Any) -> str:
        return str(value) if value else NOT_SET

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for choice in self._choices:
            combo.addItem(choice or NOT_SET, choice)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data() or "")))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())


class TableField(QWidget):
    """The editor of a table key: one row per place, category, rule or trip.

    Cells hold the text of their TOML value; a row left blank is no row. The
    rows written last are remembered so that a message about
    ``[[stars]] #2`` can select the second non-blank row.
    """

    def __init__(self, key: Key, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._written: list[int] = []
        doc = QLabel(key.doc)
        doc.setWordWrap(True)
        self.table = QTableWidget(0, len(key.columns))
        _describe(self.table, key, key.title)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        for i, column in enumerate(key.columns):
            header = QTableWidgetItem("Name" if column.name == "NAME" else column.title)
            header.setToolTip(column.doc)
            self.table.setHorizontalHeaderItem(i, header)
            if column.kind == "choice":
                choices = ("", *column.choices) if column.optional else column.choices
                self.table.setItemDelegateForColumn(i, ChoiceDelegate(choices, self.table))
        for row in self._rows(value):
            self._append([_cell_text(cell) if cell is not None else "" for cell in row])
        self.table.horizontalHeader().setMinimumSectionSize(64)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.add_button = QPushButton("&Add row")
        self.add_button.setObjectName(f"{self.table.objectName()}.add")
        self.add_button.setAccessibleName(f"Add a row to {key.title}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("&Remove row")
        self.remove_button.setObjectName(f"{self.table.objectName()}.remove")
        self.remove_button.setAccessibleName(f"Remove the selected rows from {key.title}")
        self.remove_button.clicked.connect(self.remove_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(doc)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _rows(self, value: Any) -> list[list[Any]]:
        if value is UNSET:
            return []
        names = [c.name for c in self.key.columns]
        if self.key.layout == "mapping":
            return [[name, number] for name, number in value.items()]
        if self.key.layout == "named":
            return [[name] + [row.get(n) for n in names[1:]] for name, row in value.items()]
        return [[row.get(n) for n in names] for row in value]

    def _append(self, cells: list[str]) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))
        return row

    def add_row(self) -> None:
        """Add a blank row and start editing its first cell."""
        row = self._append([""] * self.table.columnCount())
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0) or QTableWidgetItem())

    def remove_rows(self) -> None:
        """Remove every row with a selected cell, or the current row."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        if not rows and self.table.currentRow() >= 0:
            rows = {self.table.currentRow()}
        for row in sorted(rows, reverse=True):
            self.table.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def value(self) -> Any:
        """The table's TOML value, or UNSET when it has no rows."""
        columns = self.key.columns
        self._written = []
        rows: list[tuple[int, dict[str, Any]]] = []
        for row in range(self.table.rowCount()):
            cells = {
                c.name: _cell_value(self._text(row, i), c)
                for i, c in enumerate(columns)
                if self._text(row, i)
            }
            if cells:
                self._written.append(row)
                rows.append((row, cells))
        if not rows:
            return UNSET
        if self.key.layout == "array":
            return [cells for _, cells in rows]
        named: dict[str, Any] = {}
        for row, cells in rows:
            name = self._text(row, 0)
            if not name:
                where = f"{self.key.title}, row {row + 1}"
                raise _FieldError(f"{where}: needs a {self._name_title()}", self, row, 0)
            if name.lower() in (n.lower() for n in named):
                raise _FieldError(f"{self.key.title}: {name!r} is listed twice", self, row, 0)
            cells.pop(columns[0].name)
            if self.key.layout == "named":
                named[name] = cells
            elif columns[1].name in cells:  # a mapping: one value per name
                named[name] = cells[columns[1].name]
            else:
                where = f"{self.key.title}, row {row + 1}"
                raise _FieldError(f"{where}: needs a {columns[1].name}", self, row, 1)
        return named

    def _name_title(self) -> str:
        column = self.key.columns[0]
        return "name" if column.name == "NAME" else column.title.lower()

    def select(self, row: int, column: int) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if row < self.table.rowCount():
            self.table.setCurrentCell(row, column)
            self.table.scrollTo(self.table.model().index(row, column))

    def locate(self, message: str) -> tuple[int, int] | None:
        """The cell ``message`` (the reader's wording) is about, if it is in this table."""
        row, column = self._locate(message)
        return None if row is None else (row, column)

    def _column(self, name: str | None) -> int:
        names = [c.name for c in self.key.columns]
        return names.index(name) if name in names else 0

    def _row_named(self, name: str) -> int | None:
        for row in range(self.table.rowCount()):
            if self._text(row, 0).lower() == name.lower():
                return row
        return None

    def _locate(self, message: str) -> tuple[int | None, int]:
        section = re.escape(self.key.section)
        if self.key.layout == "array":
            found = re.match(rf"\[\[{section}\]\] #(\d+)(?: (\w+))?", message)
            if not found:
                return None, 0
            index = int(found.group(1)) - 1
            rows = self._written
            row = rows[index] if index < len(rows) else None
            return row, self._column(found.group(2))
        if self.key.layout == "named":
            prefix = re.escape(self.key.section.removesuffix(".NAME"))
            found = re.match(rf"\[{prefix}\.([^\]]+)\](?: (\w+))?", message)
            if not found:
                return None, 0
            return self._row_named(found.group(1)), self._column(found.group(2))
        found = re.match(rf"\[{section}\] {re.escape(self.key.name)}(?: '([^']*)')?", message)
        if not found:
            return None, 0
        if found.group(1) is None:  # about the whole table
            return 0, 0
        return self._row_named(found.group(1)), 0 if "hours are" in message else 1


Field = ScalarField | TableField


class SettingsDialog(QDialog):
    """Every setting of the settings file, one page per part of the week's rules.

    ``settings()`` is the validated result; OK keeps the dialog open while the
    input cannot be read back, with the reader's message shown and the field
    it names selected.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        document = settings_to_dict(settings)
        self._fields: list[tuple[int, Field]] = []

        self.pages = QListWidget()
        self.pages.setObjectName("pages")
        self.pages.setAccessibleName("Settings pages")
        self.stack = QStackedWidget()
        for title, keys in self._pages():
            index = self.stack.count()
            self.pages.addItem(title)
            self.stack.addWidget(self._page(index, keys, document))
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.pages.setCurrentRow(0)
        self.pages.setMaximumWidth(
            self.pages.sizeHintForColumn(0) + 4 * self.pages.frameWidth() + 24
        )

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        self.problem_box = QFrame()
        self.problem_box.setFrameShape(QFrame.Shape.StyledPanel)
        problem_layout = QHBoxLayout(self.problem_box)
        problem_layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        problem_layout.addWidget(self.problem, 1)
        self.problem_box.hide()

        self.buttons = ok_cancel(self)

        body = QHBoxLayout()
        body.addWidget(self.pages)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem_box)
        layout.addWidget(self.buttons)
        self.resize(820, 560)

        for field in self._scalars():
            if field.key.path[0] == "geocoding" and isinstance(field.widget, QLineEdit):
                field.widget.textChanged.connect(self._name_the_geocoder)
        self._name_the_geocoder()

    @staticmethod
    def _pages() -> list[tuple[str, list[Key]]]:
        pages: dict[str, list[Key]] = {title: [] for title, _ in PAGES}
        where = {section: title for title, sections in PAGES for section in sections}
        for key in SCHEMA:
            pages.setdefault(where.get(key.section, key.section), []).append(key)
        return [(title, keys) for title, keys in pages.items() if keys]

    def _page(self, index: int, keys: list[Key], document: dict[str, Any]) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        forms: dict[str, QFormLayout] = {}
        for key in keys:
            value = _lookup(document, key.path)
            if key.kind == "table":
                table = TableField(key, value)
                box = QGroupBox(key.title)
                QVBoxLayout(box).addWidget(table)
                layout.addWidget(box, 1)
                self._fields.append((index, table))
                continue
            field = ScalarField(key, value)
            self._fields.append((index, field))
            if key.section not in forms:
                forms[key.section] = QFormLayout()
                if key.section in GROUPS:
                    box = QGroupBox(GROUPS[key.section])
                    box.setLayout(forms[key.section])
                    layout.addWidget(box)
                else:
                    layout.addLayout(forms[key.section])
            form = forms[key.section]
            if isinstance(field.widget, QCheckBox):
                form.addRow(field.widget)
                if field.hint is not None:
                    form.addRow(field.hint)
            else:
                label = QLabel(f"{key.title}:")
                label.setBuddy(field.widget)
                label.setToolTip(key.doc)
                form.addRow(label, field.widget)
        if not any(key.kind == "table" for key in keys):
            layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _name_the_geocoder(self) -> None:
        """Say in the consent question where addresses would go, as the user types it."""
        texts = {field.key.path: field.value() for field in self._scalars()}
        provider, url = texts.get(("geocoding", "provider")), texts.get(("geocoding", "url"))
        service = GeocodingSettings(
            provider=provider if isinstance(provider, str) else "",
            url=url if isinstance(url, str) else "",
        ).service
        for field in self._scalars():
            if "{service}" in field.key.title and isinstance(field.widget, QCheckBox):
                text = field.key.title.format(service=service)
                field.widget.setText(text)
                field.widget.setAccessibleName(text)

    def _where(self, page: int, field: Field, row: int, column: int) -> str:
        """The page, field and cell a message is about, as the user sees them."""
        parts = [self.pages.item(page).text()]
        title = field.key.title.format(service="the geocoder")
        if title != parts[0]:
            parts.append(title)
        if isinstance(field, TableField) and row < field.table.rowCount():
            header = field.table.horizontalHeaderItem(column)
            parts += [f"row {row + 1}", header.text() if header is not None else ""]
        return ", ".join(part for part in parts if part)

    def _scalars(self) -> list[ScalarField]:
        return [field for _, field in self._fields if isinstance(field, ScalarField)]

    def document(self) -> dict[str, Any]:
        """The TOML document the editors hold, as the settings file would have it."""
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for _, field in self._fields:
            value = field.value()
            if value is UNSET:
                continue
            *sections, name = field.key.path
            table = data
            for section in sections:
                table = table.setdefault(section, {})
            table[name] = value
        return data

    def settings(self) -> Settings:
        """The settings as edited.

        Raises:
            SettingsError: naming the key, when the input is not valid.
        """
        return settings_from_dict(self.document())

    def accept(self) -> None:
        try:
            self.settings()
        except SettingsError as exc:
            self.show_problem(exc)
            return
        self.problem_box.hide()
        super().accept()

    def show_problem(self, error: SettingsError) -> None:
        """Show the message next to the buttons and select the field it names."""
        message = str(error)
        for index, field in self._fields:
            if isinstance(error, _FieldError):
                cell = (error.row, error.column) if field is error.field else None
            else:
                cell = field.locate(message)
            if cell is not None:
                self.pages.setCurrentRow(index)  # first, so that the field can take the focus
                field.select(*cell)
                message = f"{self._where(index, field, *cell)}: {message}"
                break
        self.problem.setText(message)
        self.problem_box.show()


def _lookup(document: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = document
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return UNSET
        value = value[part]
    return value
