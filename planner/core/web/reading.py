"""A link to the events its page describes: the one entry point of :mod:`planner.core.web`.

Order of trust: the page's schema.org markup; else the calendar (.ics) it links to,
read by planner's own calendar reader; else nothing, said plainly. A link straight
to an .ics file (served as text/calendar, or any type when it begins as one) is read
as a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.core.calendars.reading import IcsError, read_bytes
from planner.core.model import Event
from planner.core.storage.feed_download import Limits
from planner.core.text import wording
from planner.core.text.quick_add.results import Parsed
from planner.core.web.fetch import PAGE_LIMITS, Page, WebError, fetch_page, host_of
from planner.core.web.markup import read_markup
from planner.core.web.schema_org import SOURCE, NotAnEventError, event_from_object

ICS_BEFORE = timedelta(days=31)
ICS_AFTER = timedelta(days=400)
"""The events of a linked calendar kept: from a month before the reference to a year on
(a group's calendar may hold years of past events)."""
MAX_EVENTS = 100
"""The events read from one link at most: a page claiming ten thousand would bury the
preview (and the store) in rows; a community calendar's page lists a few dozen."""
PROBLEMS_SAID = 3
"""The problems of one page said one by one; the others are counted."""


@dataclass(slots=True)
class WebReading:
    """What one link gave: its events (as typed lines give them) and what went wrong."""

    url: str
    events: list[Parsed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Parts of the page that could not be read, though others were."""
    read_from: str = ""
    """How the events were found: "JSON-LD/microdata", or the .ics address."""


def read_link(
    url: str,
    zone: ZoneInfo,
    reference: datetime,
    *,
    line_number: int = 1,
    limits: Limits = PAGE_LIMITS,
) -> WebReading:
    """The events of the page at ``url``; :class:`WebError` when there is none to read
    (the page cannot be fetched, or it describes no event), with the reason."""
    page = fetch_page(url, limits)
    if page.content_type == "text/calendar" or is_calendar(page.body):
        return _from_calendar(page, url, zone, reference, line_number)
    text = decoded(page)
    markup = read_markup(text, page.url)
    reading = WebReading(url, problems=list(markup.problems), read_from="markup")
    left_out = 0
    for node in markup.events:
        if len(reading.events) == MAX_EVENTS:
            break
        try:
            item = event_from_object(node, page.url, zone, line_number)
        except NotAnEventError as exc:
            reading.problems.append(str(exc))
            continue
        reach = _out_of_reach(item.event, reference)
        if reach:
            left_out += 1
            day = wording.short_date(item.event.start.date(), year=True)
            reading.problems.append(f"“{item.event.summary}” ({day}) is {reach}: left out")
        else:
            reading.events.append(item)
    reading.problems = _few(reading.problems)
    if len(reading.events) == MAX_EVENTS and len(markup.events) > MAX_EVENTS:
        reading.problems.insert(
            0,
            f"the page describes {len(markup.events)} events; planner read only the first "
            f"{MAX_EVENTS}",
        )
    if reading.events:
        return reading
    for link in markup.calendar_links[:3]:
        try:
            linked = _from_calendar(fetch_page(link, limits), url, zone, reference, line_number)
        except WebError as exc:
            reading.problems.append(f"its calendar link could not be read: {exc}")
            continue
        linked.problems[:0] = reading.problems
        return linked
    said = f" ({'; '.join(reading.problems)})" if reading.problems else ""
    host = host_of(page.url)
    if left_out:
        raise WebError(f"{host}: the page describes no event from a month ago on{said}")
    if markup.events:  # described, but not one of them usable: the reasons say why
        raise WebError(f"{host}: no event planner can use on the page{said}")
    raise WebError(
        f"{host}: no event found on the page: it has no schema.org Event markup "
        f"and no calendar link{said}"
    )


def _few(problems: list[str]) -> list[str]:
    """The first problems, and how many more: a page of ten thousand broken events is
    a sentence, not ten thousand lines."""
    if len(problems) <= PROBLEMS_SAID + 1:
        return problems
    return [*problems[:PROBLEMS_SAID], f"and {len(problems) - PROBLEMS_SAID} more like these"]


def _out_of_reach(event: Event, reference: datetime) -> str:
    """Why an event of the page is not one to plan ("long past"), "" when it is: outside
    the window a linked calendar's events are kept in. Event pages stay up for years,
    and last year's event is no candidate for this week."""
    if event.end < reference - ICS_BEFORE:
        return "long past"
    if event.start > reference + ICS_AFTER:
        return "more than a year ahead"
    return ""


def is_calendar(body: bytes) -> bool:
    """Whether bytes are an iCalendar file, whatever type the server gave them (storage
    buckets and code hosts serve .ics as application/octet-stream or text/plain)."""
    return body[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")


def decoded(page: Page) -> str:
    """The page as text, in the charset it declares as a browser finds it (w3lib, which
    extruct brings: a byte-order mark, the server's header, the page's ``<meta>``);
    undeclared, UTF-8 (the web's default) unless the bytes are not, then cp1252."""
    from w3lib.encoding import html_to_unicode

    header = f"text/html; charset={page.charset}" if page.charset else None
    _encoding, text = html_to_unicode(header, page.body, auto_detect_fun=_undeclared)
    return text


def _undeclared(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _from_calendar(
    page: Page, url: str, zone: ZoneInfo, reference: datetime, line_number: int
) -> WebReading:
    """The events of an .ics file: each becomes a candidate as a typed line would."""
    try:
        result = read_bytes(
            page.body, page.url, zone, reference - ICS_BEFORE, reference + ICS_AFTER
        )
    except IcsError as exc:
        raise WebError(f"{page.url}: the calendar cannot be read ({exc})") from None
    reading = WebReading(url, read_from=page.url)
    reading.problems += _few([p.text for p in result.problems])
    for event in result.events[:MAX_EVENTS]:
        reading.events.append(Parsed(replace(event, source=SOURCE), line_number, url))
    if len(result.events) > MAX_EVENTS:
        reading.problems.append(
            f"the calendar holds {len(result.events)} events from a month ago on; planner "
            f"read only the first {MAX_EVENTS}"
        )
    if not reading.events:
        raise WebError(f"{page.url}: the calendar holds no event from a month ago on")
    return reading
