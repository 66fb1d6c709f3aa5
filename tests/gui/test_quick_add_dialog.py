"""Quick add in the window: the field, and the preview that reads off the GUI thread."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QEvent, QMimeData, QPointF, Qt, QTime
from PySide6.QtGui import QDropEvent, QFont, QGuiApplication
from PySide6.QtWidgets import QLineEdit

from planner.core.settings import CategoryRule, Settings
from planner.core.text import quick_add
from planner.gui import background, quick_add_dialog
from planner.gui.quick_add_dialog import (
    ASSUMED_ROLE,
    COLUMNS,
    QuickAddDialog,
    QuickAddModel,
)
from planner.gui.quick_add_field import PLACEHOLDER, QuickAddField

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 11, 23, 9, 0, tzinfo=TORONTO)  # the Monday of the week on screen
SETTINGS = Settings(categories={"professional": CategoryRule(), "tech": CategoryRule()})
TITLE, DAY, START, END, PLACE, COST, CATEGORY = range(len(COLUMNS))

PASTED = """\
asdf qwer
**Thursday, November 26**
- PMI mixer 6-8pm @ 100 King St W $25 #professional
- Founders drinks at 8 #tech
- Networking drinks, details to follow
AI Tinkerers Fri Nov 27 7-9pm, MaRS, 101 College St
"""


def open_dialog(qtbot, text=PASTED, *, wait=True):
    dialog = QuickAddDialog(text, SETTINGS, REFERENCE)
    qtbot.addWidget(dialog)
    if wait:
        with qtbot.waitSignal(dialog.parsingFinished, timeout=20_000):
            dialog.show()
    else:
        dialog.show()
    return dialog


def cell(dialog, row, column, role=Qt.ItemDataRole.DisplayRole):
    return dialog.model.index(row, column).data(role)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TORONTO)


# --- The preview ------------------------------------------------------------------------


def test_the_preview_shows_one_row_per_event_read(qtbot):
    dialog = open_dialog(qtbot)

    rows = [
        [cell(dialog, row, column) for column in range(len(COLUMNS))]
        for row in range(dialog.model.rowCount())
    ]
    assert rows == [
        ["PMI mixer", "Thu 26 Nov", "18:00", "20:00", "100 King St W", "$25", "professional"],
        ["Founders drinks", "Thu 26 Nov", "20:00", "21:30", "", "", "tech"],
        ["AI Tinkerers", "Fri 27 Nov", "19:00", "21:00", "MaRS, 101 College St", "", ""],
    ]
    assert dialog.add_button.text() == "Add 3 events"
    assert dialog.add_button.isEnabled()
    assert not dialog.progress.isVisible()
    assert dialog.status.text().startswith("3 events read")


def test_assumed_parts_are_italic_with_a_warning_icon_and_the_assumption_as_tooltip(qtbot):
    dialog = open_dialog(qtbot)
    drinks = 1  # "Founders drinks at 8": no am/pm, no end, no place; day from the heading

    for column in (DAY, START, END, PLACE):
        font = cell(dialog, drinks, column, Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont)
        assert font.italic()
        assert not cell(dialog, drinks, column, Qt.ItemDataRole.DecorationRole).isNull()
    assert cell(dialog, drinks, START, ASSUMED_ROLE) == ("no am/pm: 8 read as 20:00",)
    assert "no end time: 90 minutes assumed" in cell(
        dialog, drinks, END, Qt.ItemDataRole.ToolTipRole
    )
    assert "no place given" in cell(dialog, drinks, PLACE, Qt.ItemDataRole.ToolTipRole)
    assert "the day from the heading" in cell(dialog, drinks, DAY, Qt.ItemDataRole.ToolTipRole)
    assert "Assumed" in cell(dialog, drinks, START, Qt.ItemDataRole.AccessibleDescriptionRole)

    # What the line said is not marked.
    for column in (TITLE, CATEGORY):
        assert cell(dialog, drinks, column, Qt.ItemDataRole.FontRole) is None
        assert cell(dialog, drinks, column, Qt.ItemDataRole.DecorationRole) is None
    assert cell(dialog, 0, START, Qt.ItemDataRole.FontRole) is None


def test_the_misreads_of_the_report_are_read_right_and_their_guesses_marked(qtbot):
    dialog = open_dialog(
        qtbot,
        "Drinks with Sam tonight 9pm\n"
        "Agile Tour Thu 09:00-17:00 $150 #professional\n"
        "Party 10/12 7pm\n"
        "Standup Fri 9am on Whereby\n",
    )
    rows = [
        [cell(dialog, row, column) for column in (TITLE, DAY, START, PLACE, COST)]
        for row in range(dialog.model.rowCount())
    ]
    assert rows == [
        ["Drinks with Sam", "Mon 23 Nov", "21:00", "", ""],
        ["Agile Tour", "Thu 26 Nov", "09:00", "", "$150"],
        ["Party", "Thu 10 Dec", "19:00", "", ""],
        ["Standup", "Fri 27 Nov", "09:00", "Whereby", ""],
    ]
    party = 2
    assert not cell(dialog, party, DAY, Qt.ItemDataRole.DecorationRole).isNull()
    assert "read as day/month, 10 December: nearer than 12 October 2027" in cell(
        dialog, party, DAY, Qt.ItemDataRole.ToolTipRole
    )
    # What the lines said is not marked: Sam's day, the price, the platform.
    assert cell(dialog, 0, DAY, Qt.ItemDataRole.DecorationRole) is None
    assert cell(dialog, 1, COST, Qt.ItemDataRole.DecorationRole) is None
    assert cell(dialog, 3, PLACE, Qt.ItemDataRole.DecorationRole) is None


def test_lines_that_could_not_be_read_are_listed_with_the_reason(qtbot):
    dialog = open_dialog(qtbot)

    items = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert items == [
        "Line 1: asdf qwer — no date or day found",
        "Line 5: - Networking drinks, details to follow — no time, under “Thursday, November"
        " 26”: say when it starts",
    ]
    assert dialog.problems.isVisible()
    assert "Not understood (2 lines)" in dialog.problems_title.text()
    assert [u.line_number for u in dialog.unparsed()] == [1, 5]


def test_a_multi_line_paste_into_the_field_opens_a_preview_of_every_line(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    QGuiApplication.clipboard().setText(PASTED)
    with qtbot.waitSignal(field.submitted) as submitted:
        field.setFocus()
        qtbot.keySequence(field, "Ctrl+V")
    assert submitted.args == [PASTED]
    assert field.text() == ""  # nothing squashed into the line

    dialog = open_dialog(qtbot, submitted.args[0])
    assert dialog.model.rowCount() == 3
    assert dialog.problems.count() == 2


# --- Editing ----------------------------------------------------------------------------


def test_editing_cells_changes_the_events(qtbot):
    dialog = open_dialog(qtbot)
    model = dialog.model

    assert model.setData(model.index(1, TITLE), "Founders' drinks (YC alumni)")
    assert model.setData(model.index(1, DAY), QDate(2026, 11, 27))
    assert model.setData(model.index(1, START), QTime(19, 30))
    assert model.setData(model.index(1, PLACE), "Bar Raval, 505 College St")
    assert model.setData(model.index(1, COST), "free")
    assert model.setData(model.index(2, PLACE), "online")
    assert model.setData(model.index(2, END), QTime(0, 30))

    drinks, tinkerers = dialog.events()[1:]
    assert drinks.summary == "Founders' drinks (YC alumni)"
    assert (drinks.start, drinks.end) == (at("2026-11-27 19:30"), at("2026-11-27 21:00"))
    assert (drinks.place.name, drinks.place.address) == ("Bar Raval", "505 College St")
    assert drinks.cost == 0
    assert tinkerers.place.virtual
    assert tinkerers.end == at("2026-11-28 00:30")
    assert cell(dialog, 2, END) == "00:30 (+1 day)"
    # A corrected cell is no longer marked as a guess; the others still are.
    assert cell(dialog, 1, START, ASSUMED_ROLE) == ()
    assert cell(dialog, 1, START, Qt.ItemDataRole.FontRole) is None
    assert cell(dialog, 1, END, ASSUMED_ROLE) == ("no end time: 90 minutes assumed",)


def test_an_edit_that_makes_no_sense_is_refused(qtbot):
    dialog = open_dialog(qtbot)
    model = dialog.model

    assert not model.setData(model.index(0, COST), "cheap")
    assert not model.setData(model.index(0, TITLE), "   ")
    assert dialog.events()[0].cost == 25
    assert dialog.events()[0].summary == "PMI mixer"


def test_typing_in_a_cell_edits_it(qtbot):
    dialog = open_dialog(qtbot)
    index = dialog.model.index(0, CATEGORY)
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    (editor,) = dialog.table.viewport().findChildren(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Social")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn

    qtbot.waitUntil(lambda: dialog.events()[0].categories == ("social",))
    assert cell(dialog, 0, CATEGORY) == "social"


def test_unchecked_rows_are_not_added(qtbot):
    dialog = open_dialog(qtbot)
    model = dialog.model

    model.setData(
        model.index(1, TITLE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert dialog.add_button.text() == "Add 2 events"
    assert [e.summary for e in dialog.events()] == ["PMI mixer", "AI Tinkerers"]
    for row in (0, 2):
        model.setData(
            model.index(row, TITLE), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
        )
    assert not dialog.add_button.isEnabled()


def test_add_accepts_the_dialog(qtbot):
    dialog = open_dialog(qtbot)
    with qtbot.waitSignal(dialog.accepted):
        dialog.add_button.click()
    assert len(dialog.events()) == 3


def test_the_model_passes_the_model_tester(qtbot, qtmodeltester):
    dialog = open_dialog(qtbot)
    qtmodeltester.check(dialog.model, force_py=True)
    qtmodeltester.check(QuickAddModel(SETTINGS), force_py=True)


# --- Off the GUI thread -----------------------------------------------------------------


def test_the_dialog_is_shown_before_the_parse_finishes(qtbot, monkeypatch):
    release = threading.Event()
    threads: list[int] = []

    def slow_parse(text, **kwargs):
        threads.append(threading.get_ident())
        assert release.wait(10)
        return quick_add.parse_lines(text, **kwargs)

    monkeypatch.setattr(quick_add_dialog, "parse_lines", slow_parse)
    dialog = open_dialog(qtbot, wait=False)

    qtbot.waitUntil(lambda: bool(threads))
    qtbot.wait(50)  # the GUI keeps processing events while the parse waits
    assert dialog.isVisible()
    assert dialog.status.text() == "Reading 6 lines…"
    assert dialog.progress.isVisible()
    assert dialog.model.rowCount() == 0
    assert not dialog.add_button.isEnabled()

    with qtbot.waitSignal(dialog.parsingFinished, timeout=20_000):
        release.set()
    assert threads != [threading.get_ident()]
    assert dialog.model.rowCount() == 3


def test_a_failed_parse_is_reported_not_raised(qtbot, monkeypatch):
    def broken(text, **kwargs):
        raise RuntimeError("the parser broke")

    monkeypatch.setattr(quick_add_dialog, "parse_lines", broken)
    dialog = open_dialog(qtbot)
    assert "the parser broke" in dialog.status.text()
    assert not dialog.add_button.isEnabled()


@pytest.mark.parametrize("ending", ["closed", "deleted", "closed and deleted"])
def test_a_dialog_gone_while_it_reads_gets_nothing_and_nothing_is_said(
    qtbot, monkeypatch, caplog, ending
):
    started, release = threading.Event(), threading.Event()

    def slow_parse(text, **kwargs):
        started.set()
        assert release.wait(10)
        return quick_add.parse_lines(text, **kwargs)

    delivered: list[object] = []
    monkeypatch.setattr(quick_add_dialog, "parse_lines", slow_parse)
    monkeypatch.setattr(QuickAddDialog, "_parsed", lambda self, result: delivered.append(result))
    monkeypatch.setattr(QuickAddDialog, "_failed", lambda self, error: delivered.append(error))
    dialog = QuickAddDialog(PASTED, SETTINGS, REFERENCE)
    dialog.show()
    assert started.wait(10)
    if "closed" in ending:
        dialog.reject()
    if "deleted" in ending:
        dialog.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(dialog)
    release.set()  # the parse finishes after the dialog is gone
    qtbot.waitUntil(background.idle, timeout=10_000)
    QCoreApplication.processEvents()
    assert delivered == []
    assert not caplog.records
    if shiboken6.isValid(dialog):
        dialog.deleteLater()


def test_fast_quick_adds_each_let_go_of_their_dialog(qtbot):
    """Many previews opened and closed while their parse runs: each is deleted on the GUI
    thread, and none is reported to."""
    for _ in range(20):
        dialog = QuickAddDialog(PASTED, SETTINGS, REFERENCE)
        dialog.show()
        dialog.reject()
        dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(background.idle, timeout=30_000)
    QCoreApplication.processEvents()


# --- The field --------------------------------------------------------------------------


def test_the_field_says_what_to_type_and_submits_on_enter(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    assert field.placeholderText() == PLACEHOLDER
    assert field.accessibleName() == "Add an event"

    qtbot.keyClicks(field, "PMI mixer next Thu 6-8pm")
    with qtbot.waitSignal(field.submitted) as submitted:
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert submitted.args == ["PMI mixer next Thu 6-8pm"]
    assert field.text() == "PMI mixer next Thu 6-8pm"  # kept until the owner adds the events


def test_an_empty_field_submits_nothing(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    with qtbot.assertNotEmitted(field.submitted):
        qtbot.keyClicks(field, "   ")
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_one_line_paste_is_inserted_and_a_multi_line_one_keeps_what_was_typed(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    QGuiApplication.clipboard().setText("Thu 6pm\n")
    qtbot.keyClicks(field, "Mixer ")
    qtbot.keySequence(field, "Ctrl+V")
    assert field.text() == "Mixer Thu 6pm"

    with qtbot.waitSignal(field.submitted) as submitted:
        field.paste_text("Coffee Fri 8am\nLunch Sat noon")
    assert submitted.args == ["Mixer Thu 6pm\nCoffee Fri 8am\nLunch Sat noon"]


def test_paste_from_the_context_menu_and_a_drop_submit_several_lines(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    QGuiApplication.clipboard().setText("Coffee Fri 8am\nLunch Sat noon")
    menu = field.context_menu()
    (paste,) = [a for a in menu.actions() if a.objectName() == "edit-paste"]
    with qtbot.waitSignal(field.submitted) as submitted:
        paste.trigger()
    assert submitted.args == ["Coffee Fri 8am\nLunch Sat noon"]
    menu.deleteLater()

    mime = QMimeData()
    mime.setText("Drinks Thu 6pm\nTalks Fri 7pm")
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(field.submitted) as submitted:
        field.dropEvent(drop)
    assert submitted.args == ["Drinks Thu 6pm\nTalks Fri 7pm"]
