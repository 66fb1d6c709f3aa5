"""A menu action in one line: its text, what it does and its shortcut.

Each controller of the main window makes its own actions (they are its
commands) and the window places them in its menus; the actions are the
window's children, so their shortcuts work wherever the focus is in it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence


def make_action(
    parent: QObject,
    text: str,
    slot: Callable[..., object],
    shortcut: QKeySequence | None = None,
) -> QAction:
    """An action with ``text`` (``&`` marks its access key) that calls ``slot``."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(slot)
    return action
