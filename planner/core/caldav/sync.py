"""A CalDAV calendar as a source: read incrementally, merged like a feed, never lost.

:func:`add` makes a calendar a source of the store (commitments or candidates)
and :func:`sync` brings it up to date, asking the server for as little as it can:

1. with a ``sync-token`` (RFC 6578), a ``sync-collection`` REPORT lists what
   changed and what was deleted since, and a ``calendar-multiget`` fetches the
   changed objects;
2. on a server without sync tokens, the CTag says whether anything changed at
   all, and a ``PROPFIND`` of the ETags says what (then the same multiget);
3. the whole calendar (``calendar-query``) only the first time, or when the
   server no longer knows the token (said in the log).

The objects are kept one by one (:mod:`planner.core.storage.caldav_state`), the
calendar they make is merged into the store exactly as a feed's download is
(:func:`planner.core.storage.feeds.merge_copy`: decisions stay with their UIDs,
changes to committed events are logged) and kept as the source's last good copy.
The sync state moves forward only after the merge, so a sync cut short is done
again. A failure (no answer, a timeout, 401/403, 5xx, a connection dropped
midway, an answer that does not read) changes nothing that was kept: it is
recorded in words with the source ("Work (cloud.example.com) did not answer
within 30 s; planning with the copy from Sun 6 Dec 19:58") and retried at the
next refresh.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from planner.core.caldav import credentials, dav
from planner.core.caldav.dav import CALDAV, CALSERVER, DAV
from planner.core.caldav.discovery import CalendarInfo
from planner.core.caldav.session import CalDAVError, Session, Timeouts, host_of, plain_url
from planner.core.logs import log_failure
from planner.core.model import Problem, Role, Source
from planner.core.storage.database import StoreError
from planner.core.storage.feeds import MERGE_AGAIN, FeedError, merge_copy, record_failure
from planner.core.storage.store import Store
from planner.core.text import wording

_log = logging.getLogger(__name__)

REFRESH = timedelta(minutes=30)
"""How often a CalDAV calendar is read again (an incremental read is a request or two)."""
MULTIGET_BATCH = 250
"""Objects asked for in one calendar-multiget."""


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync did, for the command line and the window."""

    changed: bool
    error: str
    next_refresh: datetime
    problems: tuple[Problem, ...] = ()
    kind: str = ""
    """How the calendar was read: "full", "sync-token", "etags" or "unchanged"."""
    new: int = 0
    updated: int = 0
    removed: int = 0
    fetched: int = 0
    """Calendar objects downloaded."""
    requests: int = 0
    """HTTP requests sent."""
    needs_password: tuple[str, str] | None = None
    """(calendar address, user) when no password was found for the account."""

    @property
    def detail(self) -> str:
        """``"1 new, 1 changed, 1 removed (incremental)"``, "no change", or the error."""
        if self.error:
            return self.error
        parts = [
            f"{count} {word}"
            for count, word in ((self.new, "new"), (self.updated, "changed"))
            if count
        ]
        if self.removed:
            parts.append(f"{self.removed} removed")
        how = "whole calendar read" if self.kind == "full" else "incremental"
        return f"{', '.join(parts)} ({how})" if parts else f"no change ({how})"


def location_of(calendar_url: str, user: str) -> str:
    """How a CalDAV calendar is kept as a source: its address with the user
    (``https://sam@cloud.example.com/remote.php/dav/calendars/sam/work/``)."""
    url = plain_url(calendar_url)
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{quote(user, safe='')}@{rest}"


def label(display_name: str, location: str) -> str:
    """``"Work (cloud.example.com)"``: how a CalDAV calendar is named to the user."""
    host = host_of(location)
    return f"{display_name} ({host})" if display_name else host


def add(store: Store, calendar: CalendarInfo, user: str, role: Role) -> Source:
    """Make ``calendar`` a source of the store (after the others; one known already keeps
    its place and role: changing roles is the session's job) and remember its account;
    :func:`sync` reads it."""
    source = Source(location_of(calendar.url, user), role)
    store.add_source(source)
    store.caldav.remember(source.path, user, calendar.name)
    return source


def sync(
    store: Store,
    source: Source,
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    timeouts: Timeouts | None = None,
    ask: credentials.Ask | None = None,
) -> SyncResult:
    """Bring one CalDAV calendar up to date; never raises (see the module's docstring).

    ``ask`` asks the user for a password nobody holds (a terminal prompt, a dialog);
    without it such a calendar fails with a sentence saying how to give one.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = zone or (now.tzinfo if isinstance(now.tzinfo, ZoneInfo) else ZoneInfo("UTC"))
    state = store.caldav.state(source.path)
    if state is None:
        return SyncResult(False, f"{source.path} is not a CalDAV calendar", now)
    name = label(state.display_name, source.path)
    url = plain_url(source.path)
    secret = credentials.password(url, state.user, ask)
    if secret is None:
        account = credentials.account(url, state.user)
        failed = _failed(
            store,
            source.path,
            f"{name}: planner has no password for {account} (give it with `planner sources "
            f"add` in a terminal, in the window, or in {credentials.PASSWORD_VARIABLE})",
            now,
            zone,
        )
        return dataclasses.replace(failed, needs_password=(url, state.user))
    session = Session(url, state.user, secret, timeouts or Timeouts(), label=name)
    try:
        with session:
            return _sync(store, source.path, session, now, zone)
    except CalDAVError as exc:
        if exc.kind == "auth":
            credentials.forget(url, state.user)
        message = session.error(exc)
    except FeedError as exc:
        message = f"{name}: {exc}"
    except (sqlite3.Error, StoreError) as exc:
        log_failure(_log, "keeping a CalDAV calendar", exc)
        return SyncResult(False, f"planner could not keep {name} ({exc})", now)
    except Exception as exc:  # one calendar's bug must not stop the other sources
        log_failure(_log, "reading a CalDAV calendar", exc)
        message = (
            f"planner failed while reading {name} ({type(exc).__name__}, a bug: the details "
            "are in planner.log)"
        )
    return _failed(store, source.path, message, now, zone)


def _sync(
    store: Store, location: str, session: Session, now: datetime, zone: ZoneInfo
) -> SyncResult:
    state = store.caldav.state(location)
    assert state is not None
    url = session.url
    kind, token, ctag = "full", state.sync_token, state.ctag
    changed: dict[str, tuple[str, bytes]] = {}
    deleted: set[str] = set()
    replace_all = False
    record = store.source_record(location)
    have_copy = record is not None and record.has_copy
    if have_copy and token:
        try:
            changed_keys, deleted, token = _changes_since(session, url, token)
        except CalDAVError as exc:
            if exc.kind not in ("forbidden", "refused", "missing"):
                raise
            _log.warning(
                "%s: the server no longer knows the sync-token (%s); reading the whole calendar",
                session.label,
                exc.text,
            )
            store.caldav.forget_token(location)
            token = ""
        else:
            kind = "sync-token"
            changed = _multiget(session, url, changed_keys, deleted)
    elif have_copy and ctag:
        now_ctag, now_token = _collection_tags(session, url)
        if now_ctag == ctag:
            kind = "unchanged"
        else:
            kind = "etags"
            listed = _etags(session, url)
            kept = store.caldav.etags(location)
            deleted = set(kept) - set(listed)
            wanted = [k for k, etag in listed.items() if kept.get(k) != etag or not etag]
            changed = _multiget(session, url, wanted, deleted)
        ctag, token = now_ctag, now_token
    if kind == "full":
        ctag, token = _collection_tags(session, url)
        changed = _query_all(session, url)
        replace_all = True
    merged_at = record.merged_at if record is not None else None
    recent = merged_at is not None and now - merged_at < MERGE_AGAIN
    if kind == "unchanged" or (kind != "full" and not changed and not deleted and recent):
        # Nothing to merge (once a day the copy is merged again, as its window moves on).
        store.save_not_modified(location, now)
        store.caldav.synced(location, sync_token=token, ctag=ctag, kind=kind, when=now)
        return SyncResult(False, "", now + REFRESH, kind=kind, requests=len(session.requests))
    # Merged within the day: only the UIDs of what changed are merged again (their old and
    # new versions), so one change costs its object, not the whole calendar's parse.
    affected: set[str] | None = None
    if kind != "full" and recent:
        before = store.caldav.bodies(location, [*changed, *deleted])
        affected = uids_of([*before, *(data for _etag, data in changed.values())])
    store.caldav.keep_resources(location, changed, deleted, replace_all=replace_all)
    body = combined(store.caldav.bodies(location))
    if affected is not None:
        part = combined(data for _etag, data in changed.values())
        merged, problems, _header = merge_copy(store, location, part, now, zone, affected)
    else:
        merged, problems, _header = merge_copy(store, location, body, now, zone)
    store.save_fetch(
        location, body=body, etag="", last_modified="", fetched_at=now, refresh=REFRESH
    )
    store.caldav.synced(location, sync_token=token, ctag=ctag, kind=kind, when=now)
    _log.info(
        "%s: %s read, %d objects fetched, %d deleted, %d requests",
        session.label,
        kind,
        len(changed),
        len(deleted),
        len(session.requests),
    )
    return SyncResult(
        merged.changed,
        "",
        now + REFRESH,
        problems,
        kind=kind,
        new=merged.new,
        updated=merged.updated,
        removed=merged.removed,
        fetched=len(changed),
        requests=len(session.requests),
    )


def _changes_since(session: Session, url: str, token: str) -> tuple[list[str], set[str], str]:
    """(changed hrefs, deleted hrefs, the new token) from a sync-collection REPORT."""
    answer = session.request("REPORT", url, dav.sync_collection(token), depth="0")
    listed = dav.read_multistatus(answer.body, "the list of changes")
    collection = dav.key_of(url).rstrip("/")
    changed, deleted = [], set()
    for resource in listed.resources:
        if resource.key.rstrip("/") == collection:
            continue
        if resource.status == 404:
            deleted.add(resource.key)
        elif not resource.key.endswith("/"):
            changed.append(resource.key)
    if not listed.sync_token:
        raise CalDAVError("listed its changes without a new sync-token", "malformed")
    return changed, deleted, listed.sync_token


def _collection_tags(session: Session, url: str) -> tuple[str, str]:
    """The calendar's (CTag, sync-token) now; "" for what the server does not have."""
    answer = session.request("PROPFIND", url, dav.propfind("cs:getctag", "d:sync-token"), depth="0")
    listed = dav.read_multistatus(answer.body, "the calendar's state")
    if not listed.resources:
        return "", ""
    first = listed.resources[0]
    return first.text(CALSERVER, "getctag"), first.text(DAV, "sync-token")


def _etags(session: Session, url: str) -> dict[str, str]:
    """Every object of the calendar with its ETag (PROPFIND, depth 1)."""
    answer = session.request(
        "PROPFIND", url, dav.propfind("d:getetag", "d:resourcetype"), depth="1"
    )
    listed = dav.read_multistatus(answer.body, "the calendar's contents")
    collection = dav.key_of(url).rstrip("/")
    return {
        r.key: r.text(DAV, "getetag")
        for r in listed.resources
        if r.key.rstrip("/") != collection and not r.is_collection()
    }


def _multiget(
    session: Session, url: str, keys: list[str], deleted: set[str]
) -> dict[str, tuple[str, bytes]]:
    """The data and ETags of ``keys``; one the server says is gone joins ``deleted``."""
    out: dict[str, tuple[str, bytes]] = {}
    for first in range(0, len(keys), MULTIGET_BATCH):
        batch = keys[first : first + MULTIGET_BATCH]
        answer = session.request("REPORT", url, dav.multiget(batch), depth="1")
        listed = dav.read_multistatus(answer.body, "the changed events")
        found = _objects(listed.resources)
        out.update(found)
        deleted.update(k for k in batch if k not in found)
    return out


def _query_all(session: Session, url: str) -> dict[str, tuple[str, bytes]]:
    answer = session.request("REPORT", url, dav.calendar_query(), depth="1")
    return _objects(dav.read_multistatus(answer.body, "the calendar's events").resources)


def _objects(resources: Iterable[dav.Resource]) -> dict[str, tuple[str, bytes]]:
    out = {}
    for resource in resources:
        data = resource.text(CALDAV, "calendar-data")
        if resource.status != 200 or not data:
            continue
        out[resource.key] = (resource.text(DAV, "getetag"), data.encode("utf-8"))
    return out


def combined(bodies: Iterable[bytes]) -> bytes:
    """One calendar made of many calendar objects: their events and time zones (each
    TZID once), in the order given; lines kept as they were (folding included)."""
    events: list[str] = []
    zones: dict[str, str] = {}
    for body in bodies:
        for block in _components(body.decode("utf-8", errors="replace")):
            if block.startswith("BEGIN:VTIMEZONE"):
                tzid = next(
                    (ln[5:].strip() for ln in block.splitlines() if ln.startswith("TZID:")), ""
                )
                zones.setdefault(tzid, block)
            else:
                events.append(block)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planner//CalDAV copy//EN\r\n"
    return (head + "".join(zones.values()) + "".join(events) + "END:VCALENDAR\r\n").encode()


def uids_of(bodies: Iterable[bytes]) -> set[str] | None:
    """The UIDs of these calendar objects' events; None when one has an event without a
    UID (planner names such an event by its start: only a whole merge finds it again)."""
    found: set[str] = set()
    for body in bodies:
        for block in _components(body.decode("utf-8", errors="replace")):
            if not block.upper().startswith("BEGIN:VEVENT"):
                continue
            unfolded = block.replace("\r\n ", "").replace("\r\n\t", "")
            uid = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in unfolded.split("\r\n")
                    if line.upper().startswith("UID:") or line.upper().startswith("UID;")
                ),
                "",
            )
            if not uid:
                return None
            found.add(uid)
    return found


def _components(text: str) -> list[str]:
    """The top-level components (VEVENT, VTIMEZONE, …) of one calendar object, each as
    CRLF text."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line:
            continue
        upper = line.upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 2:
                current = []
        if depth >= 2:
            current.append(line)
        if upper.startswith("END:"):
            if depth == 2 and current:
                out.append("\r\n".join(current) + "\r\n")
                current = []
            depth -= 1
    return out


def _failed(store: Store, location: str, message: str, now: datetime, zone: ZoneInfo) -> SyncResult:
    """Record a failed sync in words with the copy planning uses meanwhile."""
    record = store.source_record(location)
    if record is not None and record.has_copy and record.fetched_at is not None:
        when = wording.moment(record.fetched_at.astimezone(zone))
        message = f"{message}; planning with the copy from {when}"
    else:
        message = f"{message}; there is no earlier copy"
    what = "recording a CalDAV calendar's failure"
    message, retry = record_failure(store, location, message, now, _log, what)
    _log.info("%s", message)
    return SyncResult(False, message, retry)
