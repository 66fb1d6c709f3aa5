"""Reading many pages of one site politely: spaced requests, and its robots.txt obeyed.

Filling the venues of a feed reads one page per event, mostly from one site
(meetup.com). :class:`HostPacer` keeps at least a given time (1 s by default)
between the end of one request to a host and the start of the next; its clock and
sleep are parameters, so a test can watch the spacing without waiting.
:class:`RobotsRules` reads each host's ``robots.txt`` once per run, under the same
pacing and with the same limits and user agent as the pages, and answers whether a
page may be read (the standard library's :mod:`urllib.robotparser` reads the rules); a
``Crawl-delay`` it gives widens that site's gap (up to :data:`MAX_CRAWL_DELAY`), and a
run then reads fewer of its pages (:data:`SECONDS_PER_RUN_PER_HOST`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from planner.core.storage.feed_download import USER_AGENT, FeedError, Limits, download

SECONDS_PER_HOST = 1.0
"""The least time between two requests to one host."""

MAX_CRAWL_DELAY = 30.0
"""The longest gap a site's robots.txt ``Crawl-delay`` gets (some ask for minutes)."""

SECONDS_PER_RUN_PER_HOST = 90.0
"""How long one run spends on a site's pages at most, its gaps included: a site asking
for 20 s between requests gets four this run, and the rest wait for the next."""

ROBOTS_MAX_BYTES = 512 * 1024
"""Google reads the first 500 KiB of a robots.txt; so does planner."""

ROBOTS_AGENT = "planner"
"""The name a robots.txt addresses planner by (``User-agent: planner``)."""


class HostPacer:
    """At least ``seconds`` between the end of one request to a host and the next."""

    def __init__(
        self,
        seconds: float = SECONDS_PER_HOST,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._asked: dict[str, float] = {}
        """The gaps sites asked for (robots.txt ``Crawl-delay``), when longer."""
        self.requests: dict[str, int] = {}
        """Requests made to each host, for reports and benchmarks."""

    def space(self, host: str, seconds: float) -> None:
        """Keep ``seconds`` (at most :data:`MAX_CRAWL_DELAY`) between requests to
        ``host``, as its robots.txt asks, when that is longer than the usual gap."""
        wanted = min(max(0.0, seconds), MAX_CRAWL_DELAY)
        if wanted > self.seconds:
            self._asked[host.lower()] = wanted

    def gap(self, host: str) -> float:
        """The time kept between two requests to ``host``."""
        return self._asked.get(host.lower(), self.seconds)

    def has_time(self, host: str) -> bool:
        """Whether one more request to ``host`` fits in this run's time for it
        (:data:`SECONDS_PER_RUN_PER_HOST`, at its gap)."""
        return self.requests.get(host.lower(), 0) * self.gap(host) < SECONDS_PER_RUN_PER_HOST

    @contextlib.contextmanager
    def turn(self, host: str) -> Iterator[None]:
        """Wait until ``host`` may be asked again, then hold its turn for one request."""
        key = host.lower()
        last = self._last.get(key)
        if last is not None and self.gap(key) > 0:
            gap = last + self.gap(key) - self._clock()
            if gap > 0:
                self._sleep(gap)
        self.requests[key] = self.requests.get(key, 0) + 1
        try:
            yield
        finally:
            self._last[key] = self._clock()


class RobotsRules:
    """Each site's robots.txt, read once (per instance: one run), paced like its pages."""

    def __init__(self, pacer: HostPacer, limits: Limits) -> None:
        self._pacer = pacer
        self._limits = replace(
            limits,
            max_bytes=min(limits.max_bytes, ROBOTS_MAX_BYTES),
            noun="robots.txt",
            accept="text/plain, */*;q=0.5",
        )
        self._sites: dict[str, RobotFileParser | str] = {}

    def refusal(self, url: str) -> str:
        """Why ``url`` must not be read ("" when it may): its site's robots.txt forbids
        it, or robots.txt could not be read (a server error, no answer), in which case
        the site is left alone for this run."""
        parts = urlsplit(url)
        host = parts.hostname or url
        site = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        rules = self._sites.get(site)
        if rules is None:
            rules = self._sites[site] = self._read(site, host)
        if isinstance(rules, str):
            return rules
        if rules.can_fetch(ROBOTS_AGENT, url):
            return ""
        return f"{host}: the site asks programs not to read its event pages (robots.txt)"

    def _read(self, site: str, host: str) -> RobotFileParser | str:
        rules = RobotFileParser(site + "/robots.txt")
        try:
            with self._pacer.turn(host):
                fetched = download(site + "/robots.txt", limits=self._limits)
        except FeedError as exc:
            if exc.status in (401, 403):  # as urllib.robotparser: the whole site is closed
                rules.parse(["User-agent: *", "Disallow: /"])
            elif 400 <= exc.status < 500 and exc.status != 429:  # no robots.txt (404 and the
                # like): all may be read; 429 ("too many requests") is the site busy, as a 5xx
                rules.parse([])
            else:  # a server error, "slow down" or no answer: the site is left alone this run
                return f"{host} could not be asked which pages programs may read ({exc})"
            return rules
        text = fetched.body.decode("utf-8", errors="replace") if fetched is not None else ""
        if fetched is not None and fetched.content_type == "text/html":
            text = ""  # a site's "page not found" page served with 200 holds no rules
        rules.parse(text.splitlines())
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._pacer.space(host, float(delay))
        return rules


__all__ = ["ROBOTS_AGENT", "SECONDS_PER_HOST", "USER_AGENT", "HostPacer", "RobotsRules"]
