"""What reading an event from its web page costs: ``planner add --fetch URL``'s core.

The pages are the tests' (``tests/web/pages.py``), served by the tests' HTTP server
on 127.0.0.1, so the network is loopback and the time is planner's own: the fetch,
extruct's reading of the markup, and turning the schema.org objects into events.

- **import**: ``planner.core.web.reading`` and extruct in a fresh process (what the
  first link of a ``planner add`` pays once; never on the window's start path);
- **read**: ``read_link`` on each page, warm, median of ``--runs``; "ticketing, 600 KB"
  is the ticketing page with 600 KB of page furniture around it, the size real
  ticketing pages have.

Run: ``python benchmarks/bench_web_page.py [--runs 20]`` from the repository's root.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

from child_timing import median_printed_seconds

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.web.reading import read_link
from tests.feed_server import Reply, Site, handler_for
from tests.web import pages

IMPORT = (
    "import time; t = time.perf_counter(); import planner.core.web.reading, extruct; "
    "print(time.perf_counter() - t)"
)
FURNITURE = "".join(
    f'<div class="card"><a href="/e/{n}">Related event {n}</a><p>{"Lorem ipsum " * 20}</p></div>'
    for n in range(2000)
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    html = "text/html; charset=utf-8"
    big = pages.TICKETING.replace(b"</main>", FURNITURE.encode() + b"</main>")
    served = {
        "ticketing (JSON-LD object)": ("/t", pages.TICKETING),
        "ticketing, 600 KB": ("/big", big),
        "group (JSON-LD list)": ("/g", pages.GROUP_EVENT),
        "association (microdata, 2 events)": ("/m", pages.ASSOCIATION_MICRODATA),
        "RDFa": ("/r", pages.RDFA),
        "calendar link (page + .ics)": ("/l", pages.LINK_ALTERNATE),
    }
    for path, body in served.values():
        site.replies[path] = Reply(body, content_type=html)
    site.replies["/events/wit-dec.ics"] = Reply(pages.ICS_ONLY)
    zone = ZoneInfo("America/Toronto")
    reference = datetime(2026, 12, 1, 9, tzinfo=zone)
    imported = median_printed_seconds(IMPORT, 5)
    print(f"import planner.core.web.reading + extruct: {imported * 1000:.0f} ms")
    read_link(site.url("/t"), zone, reference)  # warm: imports, lxml's first parse
    for name, (path, body) in served.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            reading = read_link(site.url(path), zone, reference)
            times.append(time.perf_counter() - start)
        ms = statistics.median(times) * 1000
        size = len(body) / 1024
        print(f"{name:<36} {size:7.0f} KB  {len(reading.events)} event(s)  {ms:6.1f} ms")
    server.shutdown()


if __name__ == "__main__":
    main()
