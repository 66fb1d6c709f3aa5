"""The main flow by keyboard alone (issue #16): a user who never touches the mouse.

Every key goes to the widget that has the focus (``QApplication.focusWidget()``, or
the open menu), as a keyboard would send it; the shortcuts are the ones the menus
define. From the demo window: Tab to the list, Down to a left-out event, Ctrl+Enter
commits it (the plan changes and the what-changed line says so), Ctrl+Z undoes it, a
digit rates, Delete refuses, Shift+Tab reaches the filter where typing filters, Down
goes back to the list; Ctrl+H opens the History and Escape closes it; Alt+E and the
accelerator open Set up again, and Escape cancels it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Reason
from planner.core.storage.store import Store
from planner.gui.candidate_model import COLUMNS, KEY_ROLE
from planner.gui.main_window import MainWindow

MOST_TABS = 20
"""From anywhere in the window, the list is fewer Tabs away than this."""


@pytest.fixture
def window(qtbot, tmp_path) -> Iterator[MainWindow]:
    """The demo window over a store of its own (History needs one), active, at a laptop's size."""
    store = Store.open(tmp_path / "planner.sqlite3")
    session = saved.open_session(store, demo_settings(), demo=True)
    win = MainWindow(session, DEMO_WEEK, ask_consent=False, remember_layout=False)
    qtbot.addWidget(win, before_close_func=lambda w: w.session.flush())
    win.resize(1280, 720)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    store.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the keyboard has nowhere to go"
    return widget


def press(qtbot, key: Qt.Key | str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """One key, sent where the keyboard sends it: the open menu, else the focused widget."""
    target = QApplication.activePopupWidget() or focused()
    qtbot.keyClick(target, key, modifier)


def current_key(window: MainWindow) -> str:
    return str(window.table.currentIndex().siblingAtColumn(0).data(KEY_ROLE) or "")


def decision(window: MainWindow, key: str):
    assert window.plan is not None
    return next(d for d in window.plan.decisions if d.event.key == key)


# The headless platform cannot raise a popup menu nor grab the keyboard for it; the
# menu still takes the keys sent to it.
@pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
def test_the_main_flow_by_keyboard_alone(window, qtbot):
    # Tab to the list, through the regions on the way.
    passed: list[QWidget] = []
    while focused() is not window.table:
        assert len(passed) < MOST_TABS, f"Tab never reaches the list: {passed}"
        press(qtbot, Qt.Key.Key_Tab)
        passed.append(focused())
    assert window.week_view in passed and window.filters.text in passed

    # Down to a left-out event that committing to pushes others out.
    whitby = next(d for d in window.plan.decisions if "Whitby Chamber" in d.event.summary)
    assert not whitby.chosen
    key = whitby.event.key
    for _ in range(window.proxy.rowCount()):
        if current_key(window) == key:
            break
        press(qtbot, Qt.Key.Key_Down)
    assert current_key(window) == key
    assert window.week_view.selected_key() == key  # the week and details follow the list

    # Ctrl+Enter commits to it: the plan changes and the line says what moved, outlined.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert decision(window, key).chosen and key in window.session.choices.pinned
    bar = window.what_changed.bar
    assert bar.isVisible()
    assert bar.message.text().startswith("Because you committed to Whitby Chamber")
    assert "left out" in bar.message.text()
    outline = window.what_changed.list_outline
    pushed = next(k for k in outline.keys if k != key)
    rect = next(iter(outline._rects(frozenset({pushed}))))
    assert rect.width() > window.table.columnWidth(COLUMNS.index("When")) * 3  # the whole row
    assert focused() is window.table  # the keyboard stays where it was

    # Ctrl+Z undoes it.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not decision(window, key).chosen and window.session.choices.pinned == frozenset()

    # A digit rates the selected row.
    stars = 2 if window.session.choices.stars.get(key) != 2 else 4
    with qtbot.waitSignal(window.planned, timeout=30_000):
        press(qtbot, str(stars))
    assert window.session.choices.stars[key] == stars

    # Delete refuses it.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        press(qtbot, Qt.Key.Key_Delete)
    assert key in window.session.choices.refused
    assert decision(window, key).reason is Reason.REFUSED

    # Shift+Tab back to the filter; typing filters the list; Down returns to it.
    for _ in range(MOST_TABS):
        if focused() is window.filters.text:
            break
        press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is window.filters.text
    qtbot.keyClicks(focused(), "coffee")
    rows = window.proxy.rowCount()
    assert 0 < rows < len(window.plan.decisions)
    titles = [window.proxy.index(r, COLUMNS.index("Event")).data() for r in range(rows)]
    assert any("Coffee" in t for t in titles)
    press(qtbot, Qt.Key.Key_Down)
    assert focused() is window.table and window.table.currentIndex().isValid()

    # Ctrl+H opens the History; Escape closes it, back to the list.
    press(qtbot, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    history = window.history_dialog
    qtbot.waitUntil(lambda: history.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not history.isVisible())

    # The headless platform has no window manager to give the window back its activation
    # when the dialog closes: this does what the desktop's would.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert focused() is window.table  # back where the keyboard was

    # Alt+E opens the Edit menu; its accelerator opens Set up again; Escape cancels it.
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and menu.title() == "&Edit"
    accelerator = window.setup.setup_action.text().split("&")[1][0]
    press(qtbot, accelerator)
    qtbot.waitUntil(lambda: window.setup.assistant is not None)
    assistant = window.setup.assistant
    qtbot.waitUntil(lambda: assistant.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.setup.assistant is None)
    assert window.session.choices.refused == frozenset({key})  # cancelling changed nothing


def test_every_menu_item_has_its_own_access_key(window):
    """Alt+letter then a letter reaches every item: two items with the same letter in one
    menu only move between them (Qt selects, does not trigger)."""
    for bar_action in window.menuBar().actions():
        menu = bar_action.menu()
        if menu is None:
            continue
        letters = [
            a.text().split("&")[1][0].lower()
            for a in menu.actions()
            if not a.isSeparator() and "&" in a.text()
        ]
        doubled = {letter for letter in letters if letters.count(letter) > 1}
        assert not doubled, f"{bar_action.text()}: {doubled} used twice"
