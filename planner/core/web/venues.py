"""The venues feeds leave out, read from each event's own page, with consent.

A Meetup group's feed links each event to its page but gives no LOCATION, so
planner cannot plan the trip. With ``[web] fill_venues`` on, :func:`fill_venues`
(run after a refresh, by ``planner refresh`` and by the window's feed refresher,
never on the GUI thread) fetches the page of each candidate feed event that has a
link and no place, once per version of the event, reads the event on it (the
page's only event, or the one whose link, start or name is this one's) and keeps
its venue in the store (:mod:`planner.core.storage.feed_venues`), or why there is
none. Politely: planner's user agent and the page limits of :mod:`fetch`, at
least :data:`~planner.core.web.polite.SECONDS_PER_HOST` between two requests to
one host, and nothing its robots.txt forbids.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from planner.core.logs import log_failure
from planner.core.model import Event, Place
from planner.core.storage.database import StoreError
from planner.core.storage.feed_download import Limits
from planner.core.storage.feed_venues import VenueWanted
from planner.core.storage.store import Store
from planner.core.text import wording
from planner.core.web import polite
from planner.core.web.fetch import PAGE_LIMITS, WebError, fetch_page, host_of
from planner.core.web.polite import HostPacer, RobotsRules

_log = logging.getLogger(__name__)

SAME_START = timedelta(minutes=1)
"""A page's event starting this close to the feed's is the same event."""
SAME_OCCURRENCE = timedelta(hours=14)
"""A page's event further from the feed's start is another date (a page without an
offset read in another zone than the feed's may be up to 14 hours off)."""
MAX_PAGES = 60
"""Pages read in one run at most: a refresh stays about a minute at 1 s per site."""


@dataclass(slots=True)
class VenuesFilled:
    """What one fill did: venues found, pages that gave none (title, reason), requests."""

    found: list[str] = field(default_factory=list)
    """The titles of the events whose venue was read."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0
    """Requests made (pages and robots.txt files)."""
    error: str = ""
    """Why the fill stopped early (the store could not be used), "" when it did not."""
    left: int = 0
    """Events left for the next refresh (more pages wanted than one run reads)."""

    @property
    def summary(self) -> str:
        """``"filled 12 venues from event pages; 2 could not be read: …"``, "" when
        nothing was wanted."""
        if not self.found and not self.failed and not self.error:
            return ""
        count = len(self.found)
        parts = [f"filled {count} venue{'s' if count != 1 else ''} from event pages"]
        if self.failed:
            reasons = "; ".join(f"{title}: {why}" for title, why in self.failed[:3])
            more = f"; and {len(self.failed) - 3} more" if len(self.failed) > 3 else ""
            parts.append(f"{len(self.failed)} could not be read: {reasons}{more}")
        if self.left:
            verb = "is" if self.left == 1 else "are"
            parts.append(f"{self.left} more {verb} left for the next refresh")
        if self.error:
            parts.append(self.error)
        return "; ".join(parts)


def fill_venues(
    store: Store,
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    limits: Limits = PAGE_LIMITS,
    pacer: HostPacer | None = None,
    max_pages: int = MAX_PAGES,
) -> VenuesFilled:
    """Read the venue of every candidate feed event that needs one; never raises.

    Call it only with the user's consent (``settings.web.fill_venues``). A page is
    fetched once per run however many events link to it (a recurring event's
    occurrences); what each event's page gave, or why it gave nothing, is kept. The
    soonest events come first, and at most ``max_pages`` pages are read in one run
    (at 1 s per site, a minute or so): the others wait for the next refresh.
    """
    zone = zone or (now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC"))
    pacer = pacer or HostPacer(polite.SECONDS_PER_HOST)
    robots = RobotsRules(pacer, limits)
    done = VenuesFilled()
    pages: dict[str, list[dict[str, Any]] | str] = {}
    down: dict[str, str] = {}
    try:
        wanted = store.venues_wanted(now)
        for at, item in enumerate(wanted):
            if item.url not in pages and len(pages) >= max_pages:
                done.left += len(wanted) - at
                break
            if item.url not in pages and not pacer.has_time(host_of(item.url)):
                done.left += 1  # its site asks for long gaps: the next refresh goes on
                continue
            place, failure = _read_venue(item, pages, robots, pacer, limits, zone, down)
            store.keep_venue(item, place, failure, now)
            if place is not None:
                done.found.append(item.event.summary)
            else:
                done.failed.append((item.event.summary, failure))
    except (sqlite3.Error, StoreError) as exc:
        log_failure(_log, "keeping the venues read from event pages", exc)
        done.error = f"planner could not keep the venues it read ({exc})"
    done.requests = sum(pacer.requests.values())
    return done


def _read_venue(
    item: VenueWanted,
    pages: dict[str, list[dict[str, Any]] | str],
    robots: RobotsRules,
    pacer: HostPacer,
    limits: Limits,
    zone: ZoneInfo,
    down: dict[str, str],
) -> tuple[Place | None, str]:
    """The venue of one event from its page (read once per run), or why there is none."""
    try:
        if item.url not in pages:
            pages[item.url] = _page_events(item.url, robots, pacer, limits, down)
        return _venue(item.event, pages[item.url], zone)
    except Exception as exc:  # a bug on one page must not cost the other events theirs
        log_failure(_log, "reading the venue of a feed event from its page", exc)
        said = (
            f"planner failed while reading the page ({type(exc).__name__}, a bug: the "
            "details are in planner.log)"
        )
        pages.setdefault(item.url, said)  # not asked again in this run
        return None, said


def _page_events(
    url: str, robots: RobotsRules, pacer: HostPacer, limits: Limits, down: dict[str, str]
) -> list[dict[str, Any]] | str:
    """The Event objects of the page at ``url``, or why it could not be read.

    ``down`` holds the sites that failed as a whole in this run (no answer, a server
    error, "slow down"), with why: a struggling site is not asked for its other pages,
    and sixty pages that each wait 30 s would hold a refresh for half an hour."""
    from planner.core.web.markup import read_markup
    from planner.core.web.reading import decoded

    host = host_of(url)
    if host in down:  # it failed as a site this run: its other pages wait for the next
        return down[host]
    refused = robots.refusal(url)
    if refused:
        return refused
    try:
        with pacer.turn(host):
            page = fetch_page(url, limits)
    except WebError as exc:
        if exc.site_down:
            down[host] = str(exc)
        return str(exc)
    if page.content_type == "text/calendar":
        return f"{host} sent a calendar file, not the event's page"
    try:
        markup = read_markup(decoded(page), page.url)
    except Exception as exc:  # a page must never stop the others: logged, and said
        log_failure(_log, "reading an event's page", exc)
        return f"{host}: planner failed while reading the page ({type(exc).__name__})"
    if not markup.events:
        said = f" ({'; '.join(markup.problems)})" if markup.problems else ""
        return f"{host}: the page describes no event (no schema.org Event markup){said}"
    return [dict(node, **{"@page": page.url}) for node in markup.events]


def _venue(
    event: Event, found: list[dict[str, Any]] | str, zone: ZoneInfo
) -> tuple[Place | None, str]:
    """The venue of the page's event that is ``event`` (or why there is none)."""
    from planner.core.web.schema_org import NotAnEventError, event_from_object

    if isinstance(found, str):
        return None, found
    read: list[Event] = []
    for node in found:
        try:
            read.append(event_from_object(node, node["@page"], zone).event)
        except NotAnEventError:
            continue
    match = _matching(event, read)
    host = host_of(event.url)
    if match is None:
        if len(read) == 1:  # another date of a series: its venue may not be this one's
            other = read[0]
            when = wording.short_date(other.start) if other.all_day else wording.moment(other.start)
            return None, f"{host}: the page describes the event of {when}, not this one"
        return None, f"{host}: the page describes {len(read)} events and none is this one"
    place = match.place
    if not (place.virtual or place.name or place.address or place.has_position):
        return None, f"{host}: the event's page gives no place either"
    return Place(
        name=place.name,
        address=place.address,
        lat=place.lat,
        lon=place.lon,
        virtual=place.virtual,
    ), ""


def _matching(event: Event, read: Sequence[Event]) -> Event | None:
    """The page's event that is this one: the page's only event, else the one whose link,
    then start, then name is this event's (a group page may list the next few events);
    never one starting on another day (a series page showing its next date: a group
    may meet elsewhere each time, and a wrong venue is worse than none)."""
    read = [e for e in read if _same_occurrence(e, event)]
    if len(read) == 1:
        return read[0]
    tests = (
        lambda e: _same_link(e.url, event.url),
        lambda e: abs(e.start - event.start) < SAME_START,
        lambda e: e.summary.casefold() == event.summary.casefold(),
    )
    for test in tests:
        matches = [e for e in read if test(e)]
        if len(matches) == 1:
            return matches[0]
    return None


def _same_occurrence(page: Event, event: Event) -> bool:
    """Whether the page's event can be ``event`` by its date: a day (or days) alone, as
    schema.org and iCalendar allow, when the other starts on it; else a start within
    :data:`SAME_OCCURRENCE` of this one's."""
    if page.all_day:  # its start is midnight: an evening event is 18 hours after it
        return page.start <= event.start < page.end
    if event.all_day:
        return event.start <= page.start < event.end
    return abs(page.start - event.start) < SAME_OCCURRENCE


def _same_link(one: str, other: str) -> bool:
    """Whether two links name one page (scheme, host case and a final / aside)."""
    a, b = urlsplit(one), urlsplit(other)
    return (a.hostname or "", a.path.rstrip("/")) == (b.hostname or "", b.path.rstrip("/"))
