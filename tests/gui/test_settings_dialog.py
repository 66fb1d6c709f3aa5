"""The Settings dialog: generated from the schema, validated by the settings reader, saved
into the user's file without losing their comments."""

import difflib
from dataclasses import replace
from datetime import time

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QWidget,
)

from planner import resources
from planner.core.demo import demo_settings
from planner.core.model import TravelMode
from planner.core.session import Session, calendar_loader
from planner.core.settings import (
    SCHEMA,
    CategoryRule,
    GeocodingSettings,
    ProtectedTime,
    Settings,
    TravelOverride,
    load_settings,
)
from planner.gui.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot):
    def open_on(settings):
        window = SettingsDialog(settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_on


def widget(window, kind, name):
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def press_ok(qtbot, window):
    ok = window.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def show_page_of(window, editor):
    page = next(
        i for i in range(window.stack.count()) if window.stack.widget(i).isAncestorOf(editor)
    )
    window.pages.setCurrentRow(page)


def add_row(qtbot, window, table_name, cells):
    """Add a row as a user would: the button opens the first cell's editor, typed into."""
    table = widget(window, QTableWidget, table_name)
    show_page_of(window, table)
    qtbot.mouseClick(widget(window, QPushButton, f"{table_name}.add"), Qt.MouseButton.LeftButton)
    row = table.rowCount() - 1
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None and table.currentRow() == row
    if headers[0] in cells:
        editor.setText(cells[headers[0]])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    for header, text in cells.items():
        table.item(row, headers.index(header)).setText(text)


@pytest.mark.parametrize(
    "settings",
    [
        demo_settings(),
        Settings(),
        replace(
            demo_settings(),
            weekly_hours=4.333,
            rush_hour={17: 1.6},
            geocoding=GeocodingSettings(consent=True),
            overrides=(TravelOverride("home", "Toronto", 70, TravelMode.TRANSIT),),
            protected=(ProtectedTime((5, 6), time(0), time(23, 59, 59), "family"),),
        ),
    ],
)
def test_unchanged_input_comes_back_unchanged(dialog, qtbot, settings):
    window = dialog(settings)
    assert window.settings() == settings
    press_ok(qtbot, window)
    assert window.result() == QDialog.DialogCode.Accepted


def test_every_key_has_a_described_editor(dialog):
    window = dialog(demo_settings())
    for key in SCHEMA:
        editor = widget(window, QWidget, ".".join(key.path))
        assert editor.toolTip() == key.doc and editor.whatsThis() == key.doc
        assert editor.accessibleName()
    titles = [window.pages.item(i).text() for i in range(window.pages.count())]
    assert titles == [
        "Home & places",
        "Travel",
        "Budget",
        "Rules",
        "Categories",
        "Stars",
        "Protected times",
        "Flexible blocks",
        "Known trips",
        "Online services",
    ]


def test_edits_become_settings(dialog, qtbot):
    window = dialog(demo_settings())
    hours = widget(window, QDoubleSpinBox, "budget.weekly_hours")
    hours.setValue(4.5)
    mode = widget(window, QComboBox, "travel.mode")
    mode.setCurrentIndex(mode.findData("transit"))
    widget(window, QTimeEdit, "rules.latest_home").setTime(QTime(21, 30))
    widget(window, QLineEdit, "home.location").setText("100 Dundas St W, Whitby, ON")
    add_row(qtbot, window, "rules.protected", {"Days": "wed", "From": "18:00", "To": "21:00"})
    add_row(qtbot, window, "categories", {"Name": "Volunteering", "Max per month": "2"})
    add_row(qtbot, window, "travel.override", {"From": "home", "To": "Toronto", "Minutes": "70"})
    press_ok(qtbot, window)

    assert window.result() == QDialog.DialogCode.Accepted
    result = window.settings()
    assert result.weekly_hours == 4.5
    assert result.travel_mode is TravelMode.TRANSIT
    assert result.latest_home == time(21, 30)
    assert result.home_text == "100 Dundas St W, Whitby, ON"
    assert result.protected == (ProtectedTime((2,), time(18), time(21)),)
    assert result.categories["volunteering"] == CategoryRule(max_per_month=2)
    assert result.overrides == (TravelOverride("home", "Toronto", 70),)
    expected = replace(
        demo_settings(),
        weekly_hours=4.5,
        travel_mode=TravelMode.TRANSIT,
        latest_home=time(21, 30),
        home=result.home,
        home_text=result.home_text,
        protected=result.protected,
        categories={**demo_settings().categories, "volunteering": CategoryRule(max_per_month=2)},
        overrides=result.overrides,
    )
    assert result == expected  # nothing else changed


def test_a_bad_location_keeps_the_dialog_open_and_says_where(dialog, qtbot):
    window = dialog(demo_settings())
    location = widget(window, QLineEdit, "home.location")
    window.pages.setCurrentRow(2)
    location.setText("95.0, 10.0")
    press_ok(qtbot, window)

    assert window.isVisible() and window.result() == QDialog.DialogCode.Rejected
    assert window.problem.isVisibleTo(window)
    assert "[home] location" in window.problem.text()
    assert "not a valid latitude" in window.problem.text()
    assert window.pages.currentRow() == 0  # back on the page of the field
    assert window.focusWidget() is location

    location.setText("43.88, -78.95")
    press_ok(qtbot, window)
    assert window.result() == QDialog.DialogCode.Accepted
    assert not window.problem.isVisibleTo(window)


def test_a_bad_cell_is_selected(dialog, qtbot):
    window = dialog(demo_settings())
    add_row(qtbot, window, "rules.protected", {"Days": "wed", "From": "18:00", "To": "25:00"})
    press_ok(qtbot, window)
    assert window.isVisible() and window.result() == QDialog.DialogCode.Rejected
    assert '[[rules.protected]] #1 to: expected a time of day like "22:00"' in window.problem.text()
    table = widget(window, QTableWidget, "rules.protected")
    assert (table.currentRow(), table.currentColumn()) == (0, 2)
    assert window.stack.currentWidget().isAncestorOf(table)


def test_a_category_needs_a_name(dialog, qtbot):
    window = dialog(demo_settings())
    add_row(qtbot, window, "categories", {"Max per week": "1"})
    press_ok(qtbot, window)
    assert window.isVisible()
    assert "Categories, row 8: needs a name" in window.problem.text()
    table = widget(window, QTableWidget, "categories")
    assert (table.currentRow(), table.currentColumn()) == (7, 0)


def test_removing_rows(dialog, qtbot):
    window = dialog(demo_settings())
    table = widget(window, QTableWidget, "categories")
    window.pages.setCurrentRow(4)
    table.setCurrentCell(0, 0)
    qtbot.mouseClick(widget(window, QPushButton, "categories.remove"), Qt.MouseButton.LeftButton)
    assert "professional" not in window.settings().categories
    assert len(window.settings().categories) == 6


def test_consent_is_asked_clearly_and_undecided_stays_undecided(dialog, qtbot):
    window = dialog(Settings())
    consent = widget(window, QCheckBox, "geocoding.consent")
    assert consent.text() == "Look up addresses online (sends addresses to OpenStreetMap Nominatim)"
    assert consent.checkState() == Qt.CheckState.PartiallyChecked
    assert window.settings().geocoding.consent is None
    widget(window, QLineEdit, "geocoding.url").setText("http://127.0.0.1:8080")
    assert "sends addresses to http://127.0.0.1:8080" in consent.text()
    consent.setCheckState(Qt.CheckState.Unchecked)
    assert window.settings().geocoding.consent is False
    consent.setCheckState(Qt.CheckState.Checked)
    assert window.settings().geocoding == GeocodingSettings(
        consent=True, url="http://127.0.0.1:8080"
    )


def test_no_money_limit(dialog):
    window = dialog(replace(Settings(), monthly_money=None))
    money = widget(window, QDoubleSpinBox, "budget.monthly_money")
    assert money.text() == "no limit"
    money.setValue(40)
    assert window.settings().monthly_money == 40
    money.setValue(money.minimum())
    assert window.settings().monthly_money is None


def test_keyboard_moves_between_pages_and_cancel_changes_nothing(dialog, qtbot):
    window = dialog(demo_settings())
    window.pages.setFocus()
    qtbot.keyClick(window.pages, Qt.Key.Key_Down)
    assert window.stack.currentIndex() == 1
    widget(window, QDoubleSpinBox, "budget.weekly_hours").setValue(1)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.result() == QDialog.DialogCode.Rejected and not window.isVisible()


def test_a_change_made_in_the_dialog_keeps_the_comments_of_the_settings_file(
    dialog, qtbot, tmp_path
):
    path = tmp_path / "settings.toml"
    path.write_bytes(resources.read_bytes("demo", "settings.toml"))
    before = path.read_text(encoding="utf-8")
    session = Session(calendar_loader(demo=True), load_settings(path), settings_path=path)
    window = dialog(session.settings)
    widget(window, QDoubleSpinBox, "budget.weekly_hours").setValue(4.5)
    add_row(qtbot, window, "stars", {"Match": "Help Desk Institute", "Stars": "5"})
    press_ok(qtbot, window)
    session.set_settings(window.settings())  # as the main window does with an accepted dialog

    assert session.save_problem == ""
    after = path.read_text(encoding="utf-8")
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-weekly_hours = 6",
        "+weekly_hours = 4.5",
        "+",
        "+[[stars]]",
        '+match = "Help Desk Institute"',
        "+stars = 5",
    ]
    assert "# About 1-3 hours of networking a week" in after
    assert load_settings(path) == window.settings()


def test_an_editor_offers_the_range_the_file_accepts(dialog):
    window = dialog(demo_settings())
    stars = widget(window, QSpinBox, "rules.default_stars")
    assert (stars.minimum(), stars.maximum()) == (0, 5)
