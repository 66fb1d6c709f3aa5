"""What View > History costs: importing it, and opening it on a year of history.

The view is imported when opened, never on the window's start path; this measures
what that first opening costs:

- **import**: ``planner.gui.history_view`` (and the chart it paints with) in a fresh
  process that has already imported the main window, as the app has when the user
  opens it (the median of several processes);
- **open**: the dialog built on a store holding 52 weeks of 0 to 6 events (3 a week
  on average; the first of each week marked attended, the second skipped every fourth
  week) (the store read, the per-week numbers, the
  table filled, the chart painted once offscreen), for 13, 26 and 52 weeks.

Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_history_view.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SIZES = (0, 2, 3, 6, 4, 1, 5)
"""Events in a week, week after week: gaps included, as a real history has."""
IMPORT = (
    "import time, planner.gui.main_window; t = time.perf_counter(); "
    "import planner.gui.history_view; print(time.perf_counter() - t)"
)


def fill_history(path: Path, today: datetime) -> None:
    """A year of weeks with 0 to 6 events, some marked attended or skipped (store API);
    the screenshots' ``history`` picture shows this store too."""
    from planner.core.model import BudgetUse, Decision, Event, Place, Plan, Reason
    from planner.core.planning.week import WeekData
    from planner.core.session import Session
    from planner.core.settings import Settings
    from planner.core.storage.store import Store

    def never(*_args: object) -> tuple[Settings, WeekData]:
        raise AssertionError("no week is loaded")

    titles = ("Tech meetup", "Chamber mixer", "Founders breakfast", "Design talk", "Alumni night")
    store = Store.open(path)
    session = Session.restored(store, never, Settings())
    monday = today - timedelta(days=today.weekday())
    for weeks_back in range(52):
        start = monday - timedelta(weeks=weeks_back)
        events = [
            Event(
                f"w{weeks_back}-e{n}",
                titles[n % len(titles)],
                start + timedelta(days=n % 5, hours=18),
                start + timedelta(days=n % 5, hours=20),
                place=Place("online", virtual=True),
                categories=(("professional", "social", "tech")[n % 3],),
            )
            for n in range(SIZES[weeks_back % len(SIZES)])
        ]
        decisions = tuple(
            Decision(e, True, Reason.CHOSEN, "fits", 3.0, None, None, e.start, e.end, 120)
            for e in events
        )
        budget = BudgetUse(360, 240, 0, 6, 6, 3, 3, 0.0, None)
        store.record_week(Plan(start, "UTC", (), decisions, True, 3.0, budget, 0.01))
        if events and weeks_back % 3:
            session.mark(events[0], "attended", "met someone")
        if len(events) > 1 and weeks_back % 4 == 0:
            session.mark(events[1], "skipped")
    session.flush()
    store.close()


def open_seconds(path: Path, today: datetime, runs: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from planner.core.storage.store import Store
    from planner.gui.history_view import HistoryDialog

    app = QApplication.instance() or QApplication([])
    results: dict[str, float] = {}
    with Store.open(path) as store:
        for span in ("Last 3 months", "Last 6 months", "Last 12 months"):
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                dialog = HistoryDialog(store, today.date())
                dialog.span.setCurrentText(span)
                dialog.chart.resize(800, 480)
                dialog.chart.grab()
                times.append(time.perf_counter() - started)
                dialog.deleteLater()
                app.processEvents()
            results[span] = statistics.median(times)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from child_timing import median_printed_seconds  # (fill_history is imported alone)

    imported = median_printed_seconds(IMPORT, args.runs)
    print(f"import planner.gui.history_view after the window: {imported * 1000:.0f} ms")
    today = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "planner.sqlite3"
        fill_history(path, today)
        for span, seconds in open_seconds(path, today, args.runs).items():
            print(f"open the History view, {span.lower()}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
