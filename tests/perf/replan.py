"""The re-plan after a drag, timed the same way by every window speed check: five
left-out candidates committed to (each then in the plan) and undone again."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from planner.gui.main_window import MainWindow


def replan_after_drags(qtbot: QtBot, window: MainWindow) -> tuple[float, float]:
    """The median wall-clock and CPU seconds of five re-plans after a commit."""
    assert window.plan is not None
    left_out = [d.event.key for d in window.plan.decisions if not d.chosen][:5]
    rounds = []
    for key in left_out:
        began, cpu = time.perf_counter(), time.process_time()
        with qtbot.waitSignal(window.planned, timeout=60_000):
            window.decisions.pin(key)
        window.repaint()
        rounds.append((time.perf_counter() - began, time.process_time() - cpu))
        assert key in {d.event.key for d in window.plan.chosen}
        with qtbot.waitSignal(window.planned, timeout=60_000):
            window.decisions.undo()
    walls, cpus = sorted(r[0] for r in rounds), sorted(r[1] for r in rounds)
    return walls[2], cpus[2]
