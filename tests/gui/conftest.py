"""What every window test shares: no background work outlives the test that started it.

A plan, a feed refresh or a file read still running when a test ends would
report into the next test, or into widgets being torn down. After each test
this waits (processing events, as the app would) until the background pool
is idle and every job has reported (feed refreshes included: they are jobs),
then delivers what is left, before pytest-qt closes the test's widgets. And, as
in the app, Python's garbage collector runs on the GUI thread only.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from planner.gui import background
from planner.gui.background import GuiThreadCollector

DRAIN_TIMEOUT_MS = 30_000


def drain(qtbot) -> None:
    """Wait until no background work runs or waits to report, then let it report."""
    qtbot.waitUntil(background.idle, timeout=DRAIN_TIMEOUT_MS)
    QApplication.processEvents()


@pytest.fixture(scope="package", autouse=True)
def _garbage_collected_on_the_gui_thread(qapp):
    """As in the app: Python's cyclic collector never runs on a worker thread, where finding
    a widget's wrapper in a cycle would delete the widget off the GUI thread."""
    collector = GuiThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()


@pytest.fixture(autouse=True)
def _background_work_drained(qtbot):
    # pytest-qt closes a test's widgets before any fixture is torn down, in the order
    # they were registered: this first one, registered before the test's own, drains
    # the background work on its way out, while the test's widgets still stand.
    anchor = QWidget()
    qtbot.addWidget(anchor, before_close_func=lambda _anchor: drain(qtbot))
    yield
    drain(qtbot)  # and again after the teardown, for work started while closing
