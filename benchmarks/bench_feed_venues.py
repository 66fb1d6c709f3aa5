"""What filling the venues of a Meetup-like feed costs: ``planner refresh`` with
``[web] fill_venues = true``.

A group feed of 50 events, each with a link to its page and no LOCATION, and the 50
pages (the tests' Meetup-like pages, ``tests/web/meetup.py``, with ``--page-kb`` of
page furniture around the markup, as real event pages have), served by the tests'
HTTP server on 127.0.0.1: the network is loopback and the time is planner's own.

- **first fill**: every page fetched and read, its venue kept in a fresh store,
  with no pacing (the raw cost), median of ``--runs`` fresh stores;
- **what politeness costs**: the same at 1 s between the end of one request to a host
  and the next, which for one site is about 1 s per request after the first (a page is
  read while the pacer waits; measured once with ``--polite``: it takes about a minute);
- **second refresh**: the feed unchanged (a 304) and the fill after it: nothing is
  fetched, median of ``--runs``.

Run: ``python benchmarks/bench_feed_venues.py [--runs 5] [--page-kb 200] [--polite]``
from the repository's root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.model import Source
from planner.core.storage.feeds import refresh
from planner.core.storage.store import Store
from planner.core.web.polite import HostPacer
from planner.core.web.venues import fill_venues
from tests.feed_server import Reply, Site, calendar, handler_for
from tests.web.meetup import BREWERY, HTML, SPARK, event_page, event_path, feed_event

ZONE = ZoneInfo("America/Toronto")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=ZONE)
EVENTS = 50


def furniture(kb: int) -> bytes:
    card = '<div class="card"><a href="/e/{n}">Related event {n}</a><p>{text}</p></div>'
    text = "Lorem ipsum dolor sit amet " * 8
    out, n = [], 0
    while sum(len(c) for c in out) < kb * 1024:
        out.append(card.format(n=n, text=text))
        n += 1
    return "".join(out).encode()


def serve(page_kb: int) -> tuple[Site, ThreadingHTTPServer, str]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    extra = furniture(page_kb)
    events = []
    for n in range(1, EVENTS + 1):
        start = datetime(2026, 12, 8, 18, 0, tzinfo=ZONE) + timedelta(days=n * 2 // 3)
        wall = start.replace(tzinfo=None)  # as the feed writes it, with its TZID
        venue = SPARK if n % 2 else BREWERY
        page = event_page(site, n, start, venue)
        page = page.replace(b"</main>", extra + b"</main>")
        site.replies[event_path(n)] = Reply(page, 200, HTML)
        events.append(feed_event(site, n, wall))
    site.replies["/feed.ics"] = Reply(calendar(*events), etag='"v1"')
    return site, server, site.url("/feed.ics")


def first_fill(url: str, folder: Path, pacer: HostPacer) -> tuple[float, float, int, int]:
    """(refresh seconds, fill seconds, venues filled, requests) in a fresh store."""
    with Store.open(folder / f"{time.perf_counter_ns()}.sqlite3") as store:
        source = Source(url, "candidates")
        start = time.perf_counter()
        assert refresh(store, source, NOW).error == ""
        fetched = time.perf_counter()
        filled = fill_venues(store, NOW, pacer=pacer)
        done = time.perf_counter()
        assert not filled.failed, filled.failed
        return fetched - start, done - fetched, len(filled.found), filled.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-kb", type=int, default=200)
    parser.add_argument("--polite", action="store_true", help="also measure at 1 s per host")
    args = parser.parse_args()
    site, server, url = serve(args.page_kb)
    page_kb = len(site.replies[event_path(1)].body) / 1024
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        first_fill(url, folder, HostPacer(0))  # warm: imports, lxml's first parse
        runs = [first_fill(url, folder, HostPacer(0)) for _ in range(args.runs)]
        feed_s = statistics.median(r[0] for r in runs)
        fill_s = statistics.median(r[1] for r in runs)
        _, _, found, requests = runs[0]
        print(f"{EVENTS} events, pages of {page_kb:.0f} KB, {requests} requests (robots.txt once)")
        print(f"feed refresh (download and merge):      {feed_s * 1000:7.0f} ms")
        print(f"first fill, no pacing ({found} venues):     {fill_s * 1000:7.0f} ms")
        print(
            f"  at 1 s between requests to one host:  {max(fill_s, requests - 1):7.1f} s or more "
            f"({requests - 1} pauses of 1 s; each page is read during the pause after it)"
        )
        if args.polite:
            _, polite_s, _, _ = first_fill(url, folder, HostPacer(1.0))
            print(f"  measured at 1 s per host:             {polite_s:7.1f} s")
        with Store.open(folder / "second.sqlite3") as store:
            source = Source(url, "candidates")
            refresh(store, source, NOW)
            fill_venues(store, NOW, pacer=HostPacer(0))
            times, asked = [], []
            for n in range(args.runs):
                later = NOW + timedelta(hours=5 * (n + 1))
                before = len(site.requests)
                start = time.perf_counter()
                refresh(store, source, later)
                again = fill_venues(store, later, pacer=HostPacer(0))
                times.append(time.perf_counter() - start)
                asked.append((len(site.requests) - before, again.requests))
        print(
            f"second refresh + fill (feed unchanged): {statistics.median(times) * 1000:7.1f} ms, "
            f"{max(a[1] for a in asked)} page requests ({max(a[0] for a in asked)} in all: "
            "the feed's conditional GET)"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
