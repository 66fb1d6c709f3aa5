"""What reading a CalDAV calendar costs, against a local Radicale (tests/caldav_servers.py).

- **first sync**: a calendar of 2,000 events (one a calendar object, spread over the
  next 26 weeks, a tenth of them weekly series) read whole into a fresh store
  (PROPFIND, calendar-query, the copy merged and kept);
- **incremental, one change**: one event moved on the server, then the sync
  (sync-collection REPORT with the token, one calendar-multiget, the merge);
- **incremental, nothing changed**: the sync-collection REPORT alone.

Each is the median of ``--runs`` runs (a fresh store for each first sync). The server
runs in its own process on 127.0.0.1; the calendar is made once, its 2,000 calendar
object files written into Radicale's own folder (as Radicale keeps them: uploading 2,000
objects over HTTP takes Radicale about two minutes, which is not what is measured).

Run: ``python benchmarks/bench_caldav.py [--events 2000] [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ZONE = ZoneInfo("America/Toronto")


def event_text(number: int, start: datetime, sequence: int = 0) -> str:
    end = start + timedelta(hours=1)
    lines = [
        "BEGIN:VEVENT",
        f"UID:bench-{number}@planner",
        "DTSTAMP:20261201T120000Z",
        f"DTSTART;TZID=America/Toronto:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID=America/Toronto:{end:%Y%m%dT%H%M%S}",
        f"SUMMARY:Meeting {number}",
        f"LOCATION:Room {number % 40}",
        f"SEQUENCE:{sequence}",
    ]
    if number % 10 == 0:
        lines.append("RRULE:FREQ=WEEKLY;COUNT=8")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def starts(count: int, now: datetime) -> list[datetime]:
    first = now.replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return [first + timedelta(days=(i * 182) // count, hours=i % 10) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from planner.core.caldav import credentials, sync
    from planner.core.caldav.dav import calendar_query
    from planner.core.caldav.discovery import CalendarInfo
    from planner.core.storage.store import Store
    from tests.caldav_servers import running, wrap

    now = datetime.now(ZONE)
    times = starts(args.events, now)
    folder = Path(tempfile.mkdtemp(prefix="bench-caldav-"))
    with running("radicale", folder / "server") as server:
        os.environ[credentials.PASSWORD_VARIABLE] = server.password
        url = server.make_calendar("bench", display_name="Bench")
        # Straight into Radicale's folder, one file an object as Radicale keeps them:
        # uploading 2,000 objects over HTTP takes Radicale about two minutes.
        kept = folder / "server" / "collections" / "collection-root" / server.user / "bench"
        for number, start in enumerate(times):
            text = wrap(event_text(number, start))
            (kept / f"bench-{number}@planner.ics").write_text(text, encoding="utf-8")
        # Radicale reads new object files once (vobject, about 15 ms each) into its cache:
        # done here, so that the runs measure a server as it is day to day.
        began = time.perf_counter()
        status, _ = server.request(
            "REPORT",
            server.home + "bench/",
            calendar_query().decode(),
            {"Depth": "1", "Content-Type": "application/xml"},
            timeout=900,
        )
        assert status == 207, status
        print(
            f"(Radicale read its new objects into its cache in {time.perf_counter() - began:.0f} s)"
        )
        calendar = CalendarInfo(url, "Bench")

        first, first_result = [], None
        for run in range(args.runs):
            with Store.open(folder / f"first-{run}.sqlite3") as store:
                source = sync.add(store, calendar, server.user, "commitments")
                began = time.perf_counter()
                first_result = sync.sync(store, source, now)
                first.append(time.perf_counter() - began)
                assert first_result.error == "", first_result.error
        assert first_result is not None

        changed, unchanged, change_result = [], [], None
        with Store.open(folder / "incremental.sqlite3") as store:
            source = sync.add(store, calendar, server.user, "commitments")
            sync.sync(store, source, now)
            for run in range(args.runs):
                moved = times[7] + timedelta(days=1, hours=run + 1)
                server.put("bench", event_text(7, moved, sequence=run + 1))
                began = time.perf_counter()
                change_result = sync.sync(store, source, now)
                changed.append(time.perf_counter() - began)
                assert change_result.error == "" and change_result.updated == 1, change_result
                began = time.perf_counter()
                nothing = sync.sync(store, source, now)
                unchanged.append(time.perf_counter() - began)
                assert nothing.kind == "sync-token" and not nothing.changed
        assert change_result is not None
        size = sum(p.stat().st_size for p in kept.glob("*.ics"))

    print(f"Radicale on 127.0.0.1, {args.events:,} events ({size / 1e6:.1f} MB), {args.runs} runs")
    print(
        f"first sync:                  {statistics.median(first):6.2f} s  "
        f"({first_result.requests} requests, {first_result.new:,} events merged)"
    )
    print(
        f"incremental, one change:     {statistics.median(changed):6.2f} s  "
        f"({change_result.requests} requests, {change_result.fetched} object fetched)"
    )
    print(f"incremental, nothing changed: {statistics.median(unchanged):6.3f} s  (1 request)")


if __name__ == "__main__":
    main()
