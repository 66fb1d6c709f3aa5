"""What the store costs and saves: a decision's write, and reopening a week of a big calendar.

Four numbers, each the median of several runs in fresh processes' conditions:

- **a decision kept**: ``Store.save_state`` after one more event is committed (one
  transaction, fsync'd: what every change costs whichever thread writes it);
- **a decision on the calling thread**: ``Session.pin`` as the CLI makes it (the write
  inline) and as the window makes it (handed to the background writer, which is idle,
  as it is between two clicks: flushed after each pin, outside the timing);
- **first read**: the week of a year-long calendar, imported, read through the store
  (parsed, then cached, and the file's copy kept for backups);
- **reopened**: the same week from a new Store and loader, as at the next start (the
  file unchanged, so it is not parsed again).

Run: ``python benchmarks/bench_store.py [--events 2000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Source
from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings
from planner.core.storage.store import Store
from planner.core.storage.writer import InlineWriter, SerialWriter, Writer

HERE = Path(__file__).parent


def decision_write(folder: Path, runs: int) -> float:
    with Store.open(folder / "decisions.sqlite3") as store:
        session = Session(calendar_loader(demo=True), demo_settings(), store=store)
        _s, _w, plan = session.plan(session.state, DEMO_WEEK)
        events = [d.event for d in plan.decisions]
        times = []
        for n in range(runs * 10):
            state = session.state
            choices = replace(state.choices, pinned=state.choices.pinned | {events[n % 49].key})
            state = replace(state, choices=choices)
            started = time.perf_counter()
            store.save_state(state.choices, state.sources, state.added)
            times.append(time.perf_counter() - started)
            session._state = state  # the benchmark drives the store directly
        return statistics.median(times)


def decision_on_the_calling_thread(folder: Path, runs: int, writer: Writer) -> float:
    with Store.open(folder / f"{type(writer).__name__}.sqlite3") as store:
        session = Session(calendar_loader(demo=True), demo_settings(), store=store)
        session.use_writer(writer)
        _s, _w, plan = session.plan(session.state, DEMO_WEEK)
        events = [d.event for d in plan.decisions]
        times = []
        for n in range(runs * 10):
            event = events[n % len(events)]
            change = session.undecide if event.key in session.choices.pinned else session.pin
            started = time.perf_counter()
            change(event)
            times.append(time.perf_counter() - started)
            session.flush()
        assert session.flush() == ""
        writer.close()
        return statistics.median(times)


def week_reads(calendar: Path, folder: Path, runs: int) -> tuple[float, float]:
    first, again = [], []
    settings = Settings()
    sources = (Source(str(calendar), "commitments"),)
    day = date(2026, 6, 10)
    for run in range(runs):
        path = folder / f"cache-{run}.sqlite3"
        for target in (first, again):
            with Store.open(path) as store:
                store.save_sources(sources)  # imported, as the user does: its copy is kept
                load = calendar_loader(store=store)
                started = time.perf_counter()
                _settings, week = load(day, settings, sources)
                target.append(time.perf_counter() - started)
                assert week.commitments
    return statistics.median(first), statistics.median(again)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000, help="events in the year")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where to write (default: the temp folder; "
        "give a folder on the disk your data folder is on, as /tmp may be in memory)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as name:
        folder = Path(name)
        calendar = folder / "year.ics"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_calendar.py"),
                str(calendar),
                "--events",
                str(args.events),
                "--start",
                "2026-01-01",
                "--years",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        size = calendar.stat().st_size / 1e6
        write = decision_write(folder, args.runs)
        inline = decision_on_the_calling_thread(folder, args.runs, InlineWriter())
        handed = decision_on_the_calling_thread(folder, args.runs, SerialWriter())
        first, again = week_reads(calendar, folder, args.runs)
    print(f"a decision kept (save_state, fsync'd): {write * 1000:.1f} ms")
    print(
        f"a decision on the calling thread: written inline {inline * 1000:.2f} ms, "
        f"handed to the background writer {handed * 1000:.2f} ms"
    )
    print(f"week of a {args.events}-event year ({size:.1f} MB): first read {first:.3f} s, ", end="")
    print(f"reopened {again:.3f} s ({first / again:.0f}x faster)")


if __name__ == "__main__":
    main()
