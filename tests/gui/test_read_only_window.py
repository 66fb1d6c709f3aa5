"""The window over a data folder planner cannot write to: it opens on the planning kept
there, plans, and says once that decisions will not be kept (simulated read-only folder:
``os.access`` says so, as tests run as root; see tests/core/test_store_read_only.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.storage.store import Store
from planner.gui import app
from planner.gui.main_window import MainWindow
from tests.gui.test_store_window import NOW


def test_the_window_opens_and_plans_on_a_read_only_folder(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path))
    with saved.open_store(demo=True) as store:
        store.set_decision("nothing-yet", "refused")
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            not (mode & os.W_OK and Path(p).is_relative_to(tmp_path)) and real(p, mode, **kw)
        ),
    )
    store, problem = app._open_store(argparse.Namespace(screenshot=None, demo=True))
    assert isinstance(store, Store)
    reason = f"planner cannot write to {tmp_path} (read-only): decisions will not be kept"
    assert problem == f"{reason}."
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    try:
        session = saved.open_session(store, demo_settings(), demo=True)
        assert session.choices.refused == {"nothing-yet"}
        window = MainWindow(session, DEMO_WEEK, now=NOW, ask_consent=False, remember_layout=False)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.show()
        assert window.plan is not None and window.plan.chosen
        event = window.plan.decisions[0].event
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.session.refuse(event)
        assert event.key in window.session.choices.refused  # kept for this session
        assert len(warnings) == 1 and reason in warnings[0] and "damaged" not in warnings[0]
        window.close()
    finally:
        store.close()
