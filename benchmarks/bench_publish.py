"""What publishing a week into a CalDAV calendar costs, against a local Radicale (and Xandikos).

Three numbers per server, each the median of ``--runs`` runs, each run in a calendar of
its own on a server started for the benchmark on 127.0.0.1 (tests/caldav_servers.py, no
fault injected), the demo week's plan (3 events: 7 objects with the travel blocks):

- **first publish**: the calendar made (MKCALENDAR) and every object written;
- **again, unchanged**: the same plan published again (one PROPFIND, one REPORT, no write);
- **after one change**: the last event refused (its object and travel blocks removed, what the
  plan puts in its place added), the week published again.

The plan is made once, outside the timing: this measures publishing, not planning.

Run: ``python benchmarks/bench_publish.py [--runs 5] [--servers radicale xandikos]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # tests.caldav_servers, from a checkout

from planner.core.caldav.publish import Published, publish_week  # noqa: E402
from planner.core.caldav.session import Session  # noqa: E402
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo  # noqa: E402
from planner.core.model import Choices, Plan  # noqa: E402
from planner.core.planning.plan import plan_week  # noqa: E402
from tests.caldav_servers import CalDAVServer, running  # noqa: E402

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def plans() -> tuple[Plan, Plan]:
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    first = plan_week(week.commitments, week.candidates, settings, DEMO_WEEK)
    refused = Choices(refused=frozenset({first.chosen[-1].event.key}))  # with travel
    return first, plan_week(week.commitments, week.candidates, settings, DEMO_WEEK, refused)


def timed(http: Session, url: str, plan: Plan) -> tuple[float, Published]:
    started = time.perf_counter()
    report = publish_week(http, url, plan, now=NOW)
    return time.perf_counter() - started, report


def measure(server: CalDAVServer, runs: int, first: Plan, changed: Plan) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"first": [], "again": [], "changed": []}
    for run in range(runs):
        url = server.calendar_url(f"planner-{run}")
        with Session(server.url, server.user, server.password) as http:
            took, report = timed(http, url, first)
            assert report.ok and report.created and report.added == 7, report
            times["first"].append(took)
            took, report = timed(http, url, first)
            assert report.ok and report.writes == 0, report
            times["again"].append(took)
            took, report = timed(http, url, changed)
            assert report.ok and report.writes > 0, report
            times["changed"].append(took)
            if run == 0:
                print(f"  after one change: {report.sentence} ({report.writes} writes)")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--servers", nargs="+", default=["radicale", "xandikos"])
    args = parser.parse_args()
    first, changed = plans()
    for kind in args.servers:
        with tempfile.TemporaryDirectory() as folder, running(kind, Path(folder)) as server:
            print(f"{kind} on 127.0.0.1, the demo week (7 objects), {args.runs} runs:")
            times = measure(server, args.runs, first, changed)
        for name, label in (
            ("first", "first publish (calendar made, 7 written)"),
            ("again", "again, unchanged (no write)"),
            ("changed", "after one change"),
        ):
            print(f"  {label:<42} {statistics.median(times[name]) * 1000:7.1f} ms (median)")


if __name__ == "__main__":
    main()
