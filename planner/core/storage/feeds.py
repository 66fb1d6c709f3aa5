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

import io
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import icalendar

from planner.core.calendars import stream as ics_stream
from planner.core.calendars.reading import IcsError, read_bytes
from planner.core.logs import log_failure
from planner.core.model import (
    FEED_SCHEMES,
    Event,
    Place,
    Problem,
    Source,
    Status,
    is_feed,
    source_name,
)
from planner.core.storage import feed_credentials
from planner.core.storage.codec import utc_text
from planner.core.storage.database import StoreError
from planner.core.storage.feed_download import (
    DOWNLOAD_SECONDS,
    MAX_BYTES,
    MAX_REDIRECTS,
    TIMEOUT,
    FeedError,
    Fetched,
    Limits,
    basic_authorization,
    download,
    webcal_as_https,
    without_userinfo,
)
from planner.core.storage.sources import (
    DEFAULT_REFRESH,
    MergeResult,
    SourceRecord,
    VersionedEvent,
)
from planner.core.storage.store import Store
from planner.core.text import wording

_log = logging.getLogger(__name__)

__all__ = [
    "DOWNLOAD_SECONDS",
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "TIMEOUT",
    "FeedChange",
    "FeedError",
    "FeedResult",
    "changes_since",
    "due",
    "feed_url",
    "merge_copy",
    "moved_to",
    "record_failure",
    "refresh",
    "refresh_each",
    "refresh_interval",
]

MIN_REFRESH = timedelta(minutes=15)
RETRY_AFTER_ERROR = timedelta(minutes=15)
# The span of a feed merged into the store: last week (changes to what the user just
# attended) to half a year ahead (what anyone plans for).
WINDOW_BEFORE = timedelta(days=7)
WINDOW_AFTER = timedelta(days=183)
MERGE_AGAIN = timedelta(days=1)
"""An unchanged feed is merged again after this, as its window moves forward."""

ChangeKind = Literal["moved", "cancelled", "removed", "venue", "reinstated"]


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
        shown = without_userinfo(location.strip())
        raise FeedError(f"{shown}: only http, https and webcal addresses can be fetched")
    return webcal_as_https(urlunsplit(parts))


def refresh(
    store: Store,
    source: Source,
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    total_seconds: float = DOWNLOAD_SECONDS,
) -> FeedResult:
    """Fetch a feed if it changed and merge it into the store; never raises.

    ``zone`` reads floating times (default: ``now``'s zone). A source the store
    does not know yet is added to it. On failure (the network, the server, the
    calendar, or a bug of planner's own, logged with its traceback) the error is
    recorded with the source, the last good copy and its events stay, and the next
    attempt is due in :data:`RETRY_AFTER_ERROR`. So one feed never stops another.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = zone or (now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC"))
    limits = Limits(timeout=timeout, total_seconds=total_seconds, max_bytes=max_bytes)
    record: SourceRecord | None = None
    try:
        record = store.source_record(source.path)
        if record is None:
            store.add_source(source)
            record = store.source_record(source.path)
            assert record is not None
        return _refresh(store, record, now, zone, limits)
    except FeedError as exc:
        message = str(exc)
    except (sqlite3.Error, StoreError) as exc:
        log_failure(_log, "keeping a feed's download", exc)
        return FeedResult(False, f"planner could not keep this feed's download ({exc})", now)
    except Exception as exc:  # a bug on one feed's data must not stop the other feeds
        log_failure(_log, "refreshing a feed", exc)
        message = (
            f"planner failed while reading this feed ({type(exc).__name__}, a bug: the "
            "details are in planner.log)"
        )
    return _failed(store, source.path, record, message, now, zone)


def refresh_each(
    store: Store, sources: Iterable[Source], now: datetime, *, zone: ZoneInfo | None = None
) -> Iterator[tuple[Source, FeedResult]]:
    """Refresh feeds one after the other, each on its own: a failure of one (recorded
    with its reason and retry time) never keeps the next from being requested."""
    for source in sources:
        yield source, refresh(store, source, now, zone=zone)


def _refresh(
    store: Store, record: SourceRecord, now: datetime, zone: ZoneInfo, limits: Limits
) -> FeedResult:
    location = record.location
    url = feed_url(location)
    fetched = _fetch(url, location, record, limits)
    if fetched is None:  # 304 Not Modified: the copy we have is current
        store.save_not_modified(location, now)
        return _merge_again(store, record, now, zone)
    _check_calendar(fetched, urlsplit(url).hostname or url)
    # Merge before keeping the copy: a crash in between leaves the old validators,
    # so the next refresh downloads and merges again instead of trusting a 304.
    changed, problems, interval = _merge(store, location, fetched.body, now, zone)
    store.save_fetch(
        location,
        body=fetched.body,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        fetched_at=now,
        refresh=interval,
    )
    if fetched.moved_to != store.value(_MOVED + location) and (
        fetched.moved_to or store.value(_MOVED + location)
    ):
        store.save_value(_MOVED + location, fetched.moved_to)
    return FeedResult(changed, "", now + interval, problems)


_MOVED = "feed moved: "
"""The app-state name of where a feed was last read from, when a redirect took it to
another host."""


def moved_to(store: Store, location: str) -> str:
    """The address on another host a feed's server sent planner to ("" when none)."""
    return store.value(_MOVED + location) or ""


def _failed(
    store: Store,
    location: str,
    record: SourceRecord | None,
    message: str,
    now: datetime,
    zone: ZoneInfo,
) -> FeedResult:
    """Record a failed refresh with its reason and retry time (if the store can)."""
    if record is not None:
        message = _keeping(message, record, zone)
    message, retry = record_failure(
        store, location, message, now, _log, "recording a feed's failure"
    )
    _log.info("%s: %s", source_name(location), message)
    return FeedResult(False, message, retry)


def record_failure(
    store: Store, location: str, message: str, now: datetime, log: logging.Logger, what: str
) -> tuple[str, datetime]:
    """Record a failed refresh (a feed's or a CalDAV calendar's) with its retry time:
    the words as they end up (with the store's own failure, if it could not record
    them) and that time."""
    retry = now + RETRY_AFTER_ERROR
    try:
        store.save_fetch_error(location, message, retry)
    except (sqlite3.Error, StoreError) as exc:
        log_failure(log, what, exc)
        message = f"{message} (and the store could not record it: {exc})"
    return message, retry


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


def _fetch(url: str, location: str, record: SourceRecord, limits: Limits) -> Fetched | None:
    """The feed's bytes (None: our copy is current), with its password if it names a user."""
    user = feed_credentials.user_of(url)
    password = feed_credentials.split_password(url).password  # kept by an older planner
    if user is not None and password is None:
        password = feed_credentials.password_for(location)
    authorization = basic_authorization(user or "", password) if password is not None else ""
    # Validators without the copy they validate would be useless.
    etag = record.etag if record.has_copy else ""
    last_modified = record.last_modified if record.has_copy else ""
    try:
        return download(
            url,
            etag=etag,
            last_modified=last_modified,
            authorization=authorization,
            limits=limits,
        )
    except FeedError as exc:
        if user is not None and password is None:
            raise FeedError(
                f"{exc} (planner has no password for {user}: add the feed again with "
                f"user:password@ in its address, or set {feed_credentials.PASSWORD_VARIABLE})"
            ) from None
        raise


def _check_calendar(fetched: Fetched, host: str) -> None:
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
    merged, problems, header = merge_copy(store, location, body, now, zone)
    return merged.changed, problems, refresh_interval(header)


def merge_copy(
    store: Store,
    location: str,
    body: bytes,
    now: datetime,
    zone: ZoneInfo,
    uids: Set[str] | None = None,
) -> tuple[MergeResult, tuple[Problem, ...], list[str]]:
    """Merge a calendar's copy (a feed's download, a CalDAV calendar's objects) into the
    store the feeds' way: its window, by (UID, RECURRENCE-ID), versions honoured, events
    gone marked and changes logged. Returns what changed, the events that could not be
    read, and the calendar's header lines. With ``uids``, ``body`` holds all there is of
    those UIDs and the source's other events are left as they are. Raises
    :class:`FeedError` for an unreadable calendar."""
    start, end = now - WINDOW_BEFORE, now + WINDOW_AFTER
    try:
        result = read_bytes(body, location, zone, start, end)
    except IcsError as exc:
        raise FeedError(str(exc)) from None
    scan = ics_stream.scan(io.BytesIO(body), location, start, end, prefilter=False)
    versions = _Versions.of(scan, zone)
    incoming = [versions.of_event(e) for e in result.events]
    merged = store.merge_feed(location, incoming, start, end, now, uids)
    return merged, tuple(result.problems), scan.header


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
                int(sequence_text) if sequence_text.isascii() and sequence_text.isdigit() else 0,
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
