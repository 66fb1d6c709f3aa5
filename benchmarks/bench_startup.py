"""Wall-clock costs a user feels: the `planner plan` command, and the window's start-up.

* ``planner plan --json`` on 1,000 random candidates written to an .ics file
  (import, travel, solve, report: the whole command, process start included);
* ``planner plan --demo``;
* the same command on 20 candidates, the yardstick for the 1,000 (issue #15:
  1,000 should cost at most 1.5x 20);
* the desktop window on the demo week, opened from its store as ``planner --demo``
  does (in a private data folder): time until the window is shown (usable) and
  until the first plan is on screen (planning runs in the background);
* the yardstick for start-up: a bare PySide6 window showing a 50-row table,
  painted (issue #15: the planned, painted demo week within 2.5x of it).

Run: ``python benchmarks/bench_startup.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import icalendar

sys.path.insert(0, str(Path(__file__).parent))
from bench_plan import random_candidates

from planner.core.demo import demo_settings

PROBE = """
import time, sys
t0, c0 = time.perf_counter(), time.process_time()
from PySide6.QtWidgets import QApplication
from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.gui.main_window import MainWindow
app = QApplication(sys.argv[:1])
settings = demo_settings()
store = saved.open_store(demo=True)  # as `planner --demo` does: restored from the store
win = MainWindow(saved.open_session(store, settings, demo=True), DEMO_WEEK, ask_consent=False)
win.show()
app.processEvents()
shown = time.perf_counter() - t0
def planned():
    win.repaint()  # painted, not only planned
    print(f"{shown:.3f} {time.perf_counter() - t0:.3f} {time.process_time() - c0:.3f}")
    app.quit()
win.planned.connect(planned)
app.exec()
"""

BARE = """
import time, sys
t0, c0 = time.perf_counter(), time.process_time()
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication(sys.argv[:1])
model = QStandardItemModel(50, 6)
for row in range(50):
    for column in range(6):
        model.setItem(row, column, QStandardItem(f"cell {row} {column}"))
view = QTableView()
view.setModel(model)
view.resize(1280, 720)
view.show()
app.processEvents()
view.repaint()
print(f"{time.perf_counter() - t0:.3f} {time.process_time() - c0:.3f}")
"""


def write_candidates(n: int, path: Path) -> None:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//planner benchmark//EN")
    cal.add("version", "2.0")
    for e in random_candidates(n, random.Random(n), demo_settings()):
        ev = icalendar.Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", e.start)
        ev.add("summary", e.summary)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end)
        ev.add("categories", list(e.categories))
        ev.add("description", f"Cost: ${e.cost:.0f}")
        if e.place.virtual:
            ev.add("location", "Online event")
        else:
            ev.add("location", f"{e.place.name}, {e.place.address}")
            ev.add("geo", (e.place.lat, e.place.lon))
        cal.add_component(ev)
    path.write_bytes(cal.to_ical())


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall-clock seconds of each run, and the CPU seconds (user + system) it used: on a
    machine shared with other work the CPU time moves far less than the wall clock."""
    wall, cpu = [], []
    for _ in range(runs):
        before = os.times()
        began = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        wall.append(time.perf_counter() - began)
        after = os.times()
        cpu.append(
            after.children_user
            - before.children_user
            + after.children_system
            - before.children_system
        )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    private = tempfile.mkdtemp(prefix="bench-startup-")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PLANNER_DATA_DIR=str(Path(private) / "data"),
        PLANNER_CONFIG_DIR=str(Path(private) / "config"),
    )
    planner = str(Path(sys.executable).with_name("planner"))
    with tempfile.TemporaryDirectory() as tmp:
        medians, cpu_medians = {}, {}
        for n in (20, 1000):
            cands = Path(tmp) / f"candidates-{n}.ics"
            write_candidates(n, cands)
            cmd = [
                planner,
                "plan",
                "--demo",
                "--candidates",
                str(cands),
                "--json",
                "--week",
                "2026-11-23",
            ]
            # --demo with files given: demo settings, only the files' events.
            whole, cpu = timed(cmd, args.runs, env)
            medians[n], cpu_medians[n] = statistics.median(whole), statistics.median(cpu)
            print(
                f"planner plan --json, {n:,} candidates: median {medians[n]:.2f} s "
                f"(min {min(whole):.2f}, max {max(whole):.2f}); CPU {cpu_medians[n]:.2f} s"
            )
        print(
            f"1,000 candidates / 20:                {medians[1000] / medians[20]:.2f}x "
            f"(CPU {cpu_medians[1000] / cpu_medians[20]:.2f}x)"
        )
    demo, demo_cpu = timed([planner, "plan", "--demo"], args.runs, env)
    print(
        f"planner plan --demo (49 candidates):   median {statistics.median(demo):.2f} s; "
        f"CPU {statistics.median(demo_cpu):.2f} s"
    )
    shown, planned, planned_cpu = [], [], []
    for _ in range(args.runs):
        result = subprocess.run(
            [sys.executable, "-c", PROBE], check=True, capture_output=True, text=True, env=env
        )
        a, b, c = result.stdout.split()
        shown.append(float(a))
        planned.append(float(b))
        planned_cpu.append(float(c))
    print(f"window shown (from imports on):        median {statistics.median(shown):.2f} s")
    print(
        f"first plan on screen:                  median {statistics.median(planned):.2f} s; "
        f"CPU {statistics.median(planned_cpu):.2f} s"
    )
    bare, bare_cpu = [], []
    for _ in range(args.runs):
        result = subprocess.run(
            [sys.executable, "-c", BARE], check=True, capture_output=True, text=True, env=env
        )
        wall, cpu = result.stdout.split()
        bare.append(float(wall))
        bare_cpu.append(float(cpu))
    print(
        f"bare PySide6 window, 50-row table:     median {statistics.median(bare):.2f} s; "
        f"CPU {statistics.median(bare_cpu):.2f} s"
    )
    print(
        "first plan on screen / bare window:    "
        f"{statistics.median(planned) / statistics.median(bare):.2f}x "
        f"(CPU {statistics.median(planned_cpu) / statistics.median(bare_cpu):.2f}x)"
    )


if __name__ == "__main__":
    main()
