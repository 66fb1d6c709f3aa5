"""Calendars that live at a URL: fetched politely, merged carefully, never lost.

A feed (Meetup, Luma, a university's events) changes under the user: events
are added, moved, cancelled, removed. A refresh asks the server only for
what changed (ETag / Last-Modified), gives up cleanly on a slow, huge or
broken answer and says why in words, and keeps the last good copy in the
store, so a failing server never empties the user's week. Events are merged
by (UID, RECURRENCE-ID) honouring SEQUENCE and LAST-MODIFIED, so a stale
mirror cannot undo an organiser's update; events gone from the feed are
marked, not deleted. Decisions stay attached because they are keyed by
:attr:`Event.key`, which an organiser moving an event does not change. For
the events the user committed to, :func:`changes_since` says what happened
("HDI Toronto moved from Fri 17:30 to Thu 18:00").

The standard library's urllib does the HTTP: a feed needs no more than a
GET with two headers, and every extra dependency is one more thing to ship.
"""

from __future__ import annotations

import http.client
import io
import logging
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import icalendar

import planner
from planner.core.calendars import stream as ics_stream
from planner.core.calendars.reading import IcsError, read_bytes
from planner.core.logs import log_failure
from planner.core.model import FEED_SCHEMES, Event, Place, Problem, Source, Status, is_feed
from planner.core.storage.codec import utc_text
from planner.core.storage.sources import DEFAULT_REFRESH, SourceRecord, VersionedEvent
from planner.core.storage.store import Store
from planner.core.text import wording

_log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = 20.0
"""Seconds to wait for the server to connect or send the next bytes."""
DOWNLOAD_SECONDS = 120.0
"""The whole download: a server trickling bytes must not hold a refresh forever."""
MIN_REFRESH = timedelta(minutes=15)
RETRY_AFTER_ERROR = timedelta(minutes=15)
# The span of a feed merged into the store: last week (changes to what the user just
# attended) to half a year ahead (what anyone plans for).
WINDOW_BEFORE = timedelta(days=7)
WINDOW_AFTER = timedelta(days=183)
MERGE_AGAIN = timedelta(days=1)
"""An unchanged feed is merged again after this, as its window moves forward."""

ChangeKind = Literal["moved", "cancelled", "removed", "venue", "reinstated"]


class FeedError(Exception):
    """A refresh that failed; the message is for the user."""


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What one refresh did: whether the feed's events changed, why it failed ("" if it
    did not) and when to refresh next."""

    changed: bool
    error: str
    next_refresh: datetime
    problems: tuple[Problem, ...] = ()
    """Events of the feed that could not be read (the others were)."""


@dataclass(frozen=True, slots=True)
class FeedChange:
    """Something that happened to an event the user committed to, in words."""

    key: str
    kind: ChangeKind
    text: str
    event: Event
    """The event as it is now (as it was, when it was removed)."""


def feed_url(location: str) -> str:
    """The URL to fetch: webcal:// is https:// (Apple's name for a subscription)."""
    parts = urlsplit(location.strip())
    scheme = parts.scheme.lower()
    if scheme not in FEED_SCHEMES or not parts.hostname:
        raise FeedError(f"{location}: only http, https and webcal addresses can be fetched")
    if scheme.startswith("webcal"):
        parts = parts._replace(scheme="https")
    return urlunsplit(parts)


def refresh(
    store: Store,
    source: Source,
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> FeedResult:
    """Fetch a feed if it changed and merge it into the store; never raises for the network.

    ``zone`` reads floating times (default: ``now``'s zone). A source the store
    does not know yet is added to it. On failure the error is recorded with the
    source, the last good copy and its events stay, and the next attempt is due
    in :data:`RETRY_AFTER_ERROR`.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = zone or (now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC"))
    location = source.path
    record = store.source_record(location)
    if record is None:
        store.add_source(source)
        record = store.source_record(location)
        assert record is not None
    try:
        url = feed_url(location)
        fetched = _fetch(url, record, timeout, max_bytes)
        if fetched is None:  # 304 Not Modified: the copy we have is current
            store.save_not_modified(location, now)
            return _merge_again(store, record, now, zone)
        _check_calendar(fetched, urlsplit(url).hostname or url)
        # Merge before keeping the copy: a crash in between leaves the old validators,
        # so the next refresh downloads and merges again instead of trusting a 304.
        changed, problems, interval = _merge(store, location, fetched.body, now, zone)
    except FeedError as exc:
        message = _keeping(str(exc), record, zone)
        retry = now + RETRY_AFTER_ERROR
        store.save_fetch_error(location, message, retry)
        return FeedResult(False, message, retry)
    store.save_fetch(
        location,
        body=fetched.body,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        fetched_at=now,
        refresh=interval,
    )
    return FeedResult(changed, "", now + interval, problems)


def _merge_again(store: Store, record: SourceRecord, now: datetime, zone: ZoneInfo) -> FeedResult:
    """After a 304: merge the kept copy again once a day, as the merged window moves on."""
    next_refresh = now + record.refresh
    body = store.feed_body(record.location)
    if body is None or (record.merged_at is not None and now - record.merged_at < MERGE_AGAIN):
        return FeedResult(False, "", next_refresh)
    changed, problems, _ = _merge(store, record.location, body, now, zone)
    return FeedResult(changed, "", next_refresh, problems)


def due(store: Store, now: datetime) -> list[Source]:
    """The imported feeds whose next refresh time has come (or that were never fetched)."""
    out = []
    for source in store.load_sources():
        if not is_feed(source.path):
            continue
        record = store.source_record(source.path)
        if record is None or record.next_refresh is None or record.next_refresh <= now:
            out.append(source)
    return out


# --- fetching ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Fetched:
    body: bytes
    etag: str
    last_modified: str
    content_type: str


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS


def _fetch(url: str, record: SourceRecord, timeout: float, max_bytes: int) -> _Fetched | None:
    """The feed's bytes, or None when the server says our copy is current."""
    host = urlsplit(url).hostname or url
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"planner/{planner.__version__} (desktop event planner)",
            "Accept": "text/calendar, */*;q=0.5",
        },
    )
    if record.has_copy:  # validators without the copy they validate would be useless
        if record.etag:
            request.add_header("If-None-Match", record.etag)
        if record.last_modified:
            request.add_header("If-Modified-Since", record.last_modified)
    opener = urllib.request.build_opener(_Redirects)
    started = time.monotonic()
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FeedError(_too_big(host, max_bytes))
            body = _read(response, host, max_bytes, started)
            return _Fetched(
                body,
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
                response.headers.get_content_type(),
            )
    except urllib.error.HTTPError as exc:
        try:
            if exc.code == 304:
                return None
            raise FeedError(_http_message(host, exc)) from None
        finally:
            exc.close()
    except urllib.error.URLError as exc:
        raise FeedError(_network_message(host, exc.reason, timeout)) from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedError(_network_message(host, exc, timeout)) from None


def _read(response: Any, host: str, max_bytes: int, started: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = response.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise FeedError(_too_big(host, max_bytes))
        if time.monotonic() - started > DOWNLOAD_SECONDS:
            raise FeedError(
                f"{host} sent the calendar too slowly (over {DOWNLOAD_SECONDS:.0f} s); stopped"
            )
        chunks.append(chunk)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    return f"{max(1, round(count / 1024))} KB"


def _too_big(host: str, max_bytes: int) -> str:
    return f"{host} sent a calendar larger than {_size(max_bytes)}; planner stopped downloading it"


def _http_message(host: str, exc: urllib.error.HTTPError) -> str:
    code, reason = exc.code, str(exc.reason).strip()
    status = f"HTTP {code} {http.client.responses.get(code, '')}".strip()
    if reason.startswith(urllib.request.HTTPRedirectHandler.inf_msg.strip()):
        return f"{host} redirected more than {MAX_REDIRECTS} times; planner stopped following"
    if 300 <= code < 400:
        return f"{host} redirected to an address planner cannot follow ({reason})"
    if code in (401, 403):
        return f"{host} refused access ({status}): the link may be private or need a login"
    if code in (404, 410):
        return f"{host} has no calendar at this address ({status}): it may have moved"
    if code == 429:
        return f"{host} asked planner to slow down ({status}); it will try again later"
    if code >= 500:
        return f"{host} had a server error ({status}); this is usually temporary"
    return f"{host} answered {status}"


def _network_message(host: str, reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"{host} did not answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"cannot find the server {host}: check the address and your internet connection"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection: the service may be down"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"{host} has an invalid security certificate ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection to {host} failed ({reason.reason or reason})"
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return f"{host} broke off the connection ({type(reason).__name__})"
    return f"cannot reach {host} ({reason})"


def _check_calendar(fetched: _Fetched, host: str) -> None:
    """Refuse what is not a calendar (a login page, an error page) before it replaces one."""
    head = fetched.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        return
    if not fetched.body.strip():
        raise FeedError(f"{host} sent an empty answer instead of the calendar")
    if fetched.content_type == "text/html" or head.startswith((b"<!DOCTYPE", b"<HTML", b"<")):
        raise FeedError(
            f"{host} sent a web page, not a calendar: the link may need a login, or be the "
            "page about the calendar rather than its feed (.ics or webcal://) address"
        )
    raise FeedError(
        f"{host} sent {fetched.content_type} data, not an iCalendar file (no BEGIN:VCALENDAR)"
    )


def _keeping(message: str, record: SourceRecord, zone: ZoneInfo) -> str:
    if record.has_copy and record.fetched_at is not None:
        when = record.fetched_at.astimezone(zone)
        return f"{message}; keeping the copy from {wording.moment(when)}"
    return f"{message}; there is no earlier copy"


# --- merging -------------------------------------------------------------------------------


def _merge(
    store: Store, location: str, body: bytes, now: datetime, zone: ZoneInfo
) -> tuple[bool, tuple[Problem, ...], timedelta]:
    """Parse a feed, merge its window into the store; (changed, problems, refresh interval)."""
    start, end = now - WINDOW_BEFORE, now + WINDOW_AFTER
    try:
        result = read_bytes(body, location, zone, start, end)
    except IcsError as exc:
        raise FeedError(str(exc)) from None
    scan = ics_stream.scan(io.BytesIO(body), location, start, end, prefilter=False)
    versions = _Versions.of(scan, zone)
    incoming = [versions.of_event(e) for e in result.events]
    merged = store.merge_feed(location, incoming, start, end, now)
    return merged.changed, tuple(result.problems), refresh_interval(scan.header)


_STAMP = re.compile(r"^(\d{8}T\d{6})(Z?)$")


def _last_modified(text: str) -> str:
    """LAST-MODIFIED as :func:`store.utc_text`; "" when absent or unreadable (RFC 5545
    requires UTC; a time without Z is read as UTC too)."""
    match = _STAMP.match(text.strip().upper())
    if not match:
        return ""
    try:
        stamp = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return ""
    return utc_text(stamp)


def _instant(value: date | datetime, zone: ZoneInfo) -> str:
    """A RECURRENCE-ID as the instant it names, read as :mod:`ics_import` reads it."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=zone)
    else:
        aware = datetime.combine(value, datetime.min.time(), tzinfo=zone)
    return utc_text(aware)


@dataclass(slots=True)
class _Versions:
    """(SEQUENCE, LAST-MODIFIED) of each series or one-off, and of each override."""

    masters: dict[str, tuple[int, str]]
    overrides: dict[tuple[str, str], tuple[int, str]]

    @classmethod
    def of(cls, scan: ics_stream.Scan, zone: ZoneInfo) -> _Versions:
        found = cls({}, {})
        for block in scan.events:
            sequence_text = ics_stream.property_value(block.lines, "SEQUENCE")
            version = (
                int(sequence_text) if sequence_text.isdigit() else 0,
                _last_modified(ics_stream.property_value(block.lines, "LAST-MODIFIED")),
            )
            if not ics_stream.property_value(block.lines, "RECURRENCE-ID"):
                found.masters[block.uid] = max(version, found.masters.get(block.uid, (0, "")))
                continue
            # Only overrides are parsed, with the calendar's time zones, for their
            # RECURRENCE-ID: a TZID may name a VTIMEZONE rather than an IANA zone.
            try:
                calendar = icalendar.Calendar.from_ical(scan.text([block]))
                component: Any = calendar.walk("VEVENT")[0]
                rid = component["RECURRENCE-ID"].dt
                if not isinstance(rid, date):
                    continue
                ident = (block.uid, _instant(rid, zone))
            except Exception as exc:  # an unreadable override keeps the series' version
                log_failure(_log, "reading a feed's override", exc)
                continue
            found.overrides[ident] = max(version, found.overrides.get(ident, (0, "")))
        return found

    def of_event(self, event: Event) -> VersionedEvent:
        version = self.masters.get(event.uid, (0, ""))
        if event.recurrence_id:
            slot = utc_text(datetime.fromisoformat(event.recurrence_id))
            version = self.overrides.get((event.uid, slot), version)
        return VersionedEvent(event, *version)


def refresh_interval(header: list[str]) -> timedelta:
    """How often the publisher asks to be fetched (REFRESH-INTERVAL, RFC 7986, or Microsoft's
    X-PUBLISHED-TTL), never more often than every 15 minutes; 4 hours when unsaid."""
    for name in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        text = ics_stream.property_value(header, name)
        if not text:
            continue
        parse: Any = icalendar.vDuration.from_ical  # untyped in icalendar
        try:
            value = parse(text.strip().upper())
        except (ValueError, TypeError):  # not a duration: the default interval stands
            continue
        if isinstance(value, timedelta) and value > timedelta(0):
            return max(MIN_REFRESH, value)
    return DEFAULT_REFRESH


# --- what changed for the user -------------------------------------------------------------


def changes_since(store: Store, when: datetime) -> list[FeedChange]:
    """What feeds did after ``when`` to the events the user committed to, in words.

    Several refreshes in between are summed up: an event moved twice is reported
    once, from where it was at ``when`` to where it is now; one moved and moved
    back is not reported.
    """
    pinned = store.load_choices().pinned
    first: dict[str, Event] = {}
    last: dict[str, Event | None] = {}
    for change in store.feed_changes(when):
        if change.key in pinned:
            first.setdefault(change.key, change.before)
            last[change.key] = change.after
    out = []
    for key, before in first.items():
        out.extend(_describe(key, before, last[key]))
    out.sort(key=lambda c: (c.event.start, c.key, c.kind))
    return out


def _describe(key: str, before: Event, after: Event | None) -> list[FeedChange]:
    if after is None:
        text = f"{before.summary} ({_moment(before)}) was removed from its calendar"
        return [FeedChange(key, "removed", text, before)]
    title = after.summary
    was_cancelled = before.status is Status.CANCELLED
    if after.status is Status.CANCELLED and not was_cancelled:
        return [FeedChange(key, "cancelled", f"{title} ({_moment(before)}) was cancelled", after)]
    out = []
    if was_cancelled and after.status is not Status.CANCELLED:
        text = f"{title} ({_moment(after)}) is on again"
        out.append(FeedChange(key, "reinstated", text, after))
    if before.start != after.start:
        text = f"{title} moved from {_moment(before, after)} to {_moment(after, before)}"
        out.append(FeedChange(key, "moved", text, after))
    elif before.end != after.end:
        end = after.end.astimezone(before.end.tzinfo)
        text = f"{title} now ends at {end:%H:%M} instead of {before.end:%H:%M}"
        out.append(FeedChange(key, "moved", text, after))
    old, new = before.place, after.place
    if (old.label, old.address, old.virtual) != (new.label, new.address, new.virtual):
        was, now = _venue(old), _venue(new)
        if was == now:
            was, now = old.address or was, new.address or now
        text = f"{title} changed venue from {was} to {now}"
        out.append(FeedChange(key, "venue", text, after))
    return out


def _venue(place: Place) -> str:
    return "online" if place.virtual else place.label


def _moment(event: Event, other: Event | None = None) -> str:
    """``"Fri 17:30"``; with the date ("Fri 24 May 17:30") when ``other`` is in another week."""
    start = event.start
    text = wording.day(start)
    if other is not None and _monday(start) != _monday(other.start.astimezone(start.tzinfo)):
        text = wording.short_date(start)
    return text if event.all_day else f"{text} {wording.clock(start)}"


def _monday(when: datetime) -> date:
    return when.date() - timedelta(days=when.weekday())
