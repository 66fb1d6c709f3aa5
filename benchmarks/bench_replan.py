"""How long the window takes to re-plan after a drag, with 1,000 candidates.

The demo user's commitments and 1,000 random candidates (those of
``bench_startup.py``, as one .ics file) in the real window, offscreen. Each
round commits to a left-out candidate as a drag onto the week does
(``decisions.pin``), and times until the new plan is shown and painted: the
plan in the background, then the week, the table (sorted by status, as the
window opens), the budget and the details on the GUI thread. Then it undoes
the decision and takes the next candidate.

Run: ``python benchmarks/bench_replan.py [--rounds 7] [--candidates 1000] [--profile]``
(``--profile``: cProfile of the GUI thread's part of the rounds, top 25).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from bench_startup import write_candidates
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from planner import resources
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.session import Session, calendar_loader
from planner.gui.main_window import MainWindow


def wait_for_plan(app: QApplication, window: MainWindow) -> None:
    loop = QEventLoop()
    window.planned.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    window.planned.disconnect(loop.quit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "candidates.ics"
        write_candidates(args.candidates, feed)
        mine = Path(tmp) / "commitments.ics"
        mine.write_bytes(resources.read_bytes("demo", "commitments.ics"))
        settings = demo_settings()
        # The demo user's week, with the random candidates instead of the demo's 49.
        session = Session(calendar_loader([mine], [feed]), settings)
        window = MainWindow(session, DEMO_WEEK, ask_consent=False, remember_layout=False)
        window.resize(1280, 800)
        window.show()
        wait_for_plan(app, window)
        plan = window.plan
        assert plan is not None
        left_out = [d.event.key for d in plan.decisions if not d.chosen][: args.rounds]
        print(f"{len(plan.decisions)} candidates in the week; {len(plan.chosen)} proposed")
        times, gui = [], []
        real_show = window._show
        showing = {"seconds": 0.0}

        def timed_show(*args, showing=showing, real_show=real_show):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            real_show(*args)
            showing["seconds"] = time.perf_counter() - began

        window._show = timed_show  # type: ignore[method-assign]
        profiler = cProfile.Profile() if args.profile else None
        cpu: list[float] = []
        for key in left_out:
            began, cpu_began = time.perf_counter(), time.process_time()
            shown = {"at": 0.0}

            def mark(shown: dict[str, float] = shown) -> None:
                shown["at"] = time.perf_counter()

            window.planned.connect(mark)
            window.decisions.pin(key)
            if profiler is not None:
                profiler.enable()
            wait_for_plan(app, window)
            window.repaint()
            app.processEvents()
            if profiler is not None:
                profiler.disable()
            ended = time.perf_counter()
            cpu.append(time.process_time() - cpu_began)  # both threads: plan and window
            window.planned.disconnect(mark)
            times.append(ended - began)
            gui.append(showing["seconds"] + ended - shown["at"])  # applying it, then painting
            window.decisions.undo()
            wait_for_plan(app, window)
        print(
            f"re-plan after a drag: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f}) over {len(times)} rounds; "
            "on the GUI thread (showing the plan, painting): "
            f"median {statistics.median(gui):.3f} s; "
            f"CPU (both threads) median {statistics.median(cpu):.3f} s"
        )
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        window.close()


if __name__ == "__main__":
    main()
