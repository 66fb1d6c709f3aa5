"""Issue #19's window speed by the timetable: a re-plan after a drag with 1,000 candidates
by transit (the first plan runs off the GUI thread, reading the feed into the cache
first). The feed is ``bench_transit_plan``'s, GO + TTC sized (~10 s to generate, ~10 s
to read): ~1,200 of the decisions' trips are timed by the timetable.

The target is the estimate's tenth of a second (tests/perf/test_planning_speed.py, 0.09 s
CPU on the 2-core machine); by the timetable it measured 0.11-0.12 s CPU (median of 5)
until the week view stopped measuring its font's line height a few hundred times a
re-plan, 0.093-0.094 s since. The bound here stays 0.15 s: the first plan's searches
leave the machine's caches cold, and a shared CI machine is noisier than that margin.

Measured in CPU seconds (the process's, all threads), printed beside the wall clock.
"""

import sys
import time
from pathlib import Path

import pytest

from planner import resources
from planner.core.demo import DEMO_WEEK
from planner.core.session import Session, calendar_loader
from planner.core.settings import load_settings
from planner.gui.main_window import MainWindow
from tests.perf.replan import replan_after_drags

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_startup import write_candidates
from bench_transit_plan import write_settings
from gen_gtfs import generate

pytestmark = pytest.mark.perf


def test_a_replan_by_the_timetable_after_a_drag_takes_under_a_tenth_of_a_second(qtbot, tmp_path):
    feed = tmp_path / "gta-small.zip"
    generate(feed, bus_routes=360)
    # The demo's settings by transit on this feed, as bench_transit_plan.py plans.
    settings = load_settings(write_settings(tmp_path, feed))
    candidates = tmp_path / "candidates.ics"
    write_candidates(1000, candidates)
    mine = tmp_path / "commitments.ics"
    mine.write_bytes(resources.read_bytes("demo", "commitments.ics"))
    session = Session(calendar_loader([mine], [candidates]), settings)
    window = MainWindow(session, DEMO_WEEK, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    began = time.perf_counter()
    with qtbot.waitSignal(window.planned, timeout=120_000):
        window.show()
    first = time.perf_counter() - began
    assert window.plan is not None and len(window.plan.decisions) == 1000
    trips = [t for d in window.plan.decisions for t in (d.trip_to, d.trip_from) if t]
    timed = [t for t in trips if t.source == "timetable"]
    assert timed, "no trip was timed by the timetable"
    wall, cpu = replan_after_drags(qtbot, window)
    print(
        f"by the timetable ({len(timed)} timed): first plan {first:.2f} s; re-plan after a "
        f"drag, 1,000 candidates: median {wall:.3f} s ({cpu:.3f} s CPU)"
    )
    assert cpu < 0.15
