"""Publishing a week's plan into one CalDAV calendar, kept in step with every change.

:func:`publish_week` reads what the calendar holds for the week (ETags and planner's
markers: one ``calendar-query`` REPORT), compares it with the plan
(:mod:`.publish_objects`), then writes only the difference: a new object with
``If-None-Match: *``, a changed one with ``If-Match`` its ETag, and deletes planner's
objects of that week that the plan no longer holds. Publishing an unchanged plan sends no
request that writes. An object changed on the server since it was read (412) is read
again and the write tried once more. A server that is down, slow, refuses the password
or fails midway loses nothing: each object not written is said in words and handed back
in :attr:`Published.waiting`, which the caller keeps in the store's publish queue
(:mod:`planner.core.storage.publish_queue`) and publishes again later.

The HTTP itself is the caller's :class:`Http` (the CalDAV session: timeouts, credentials,
no redirect to another host); this module only decides what to send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import urljoin, urlsplit

from planner.core.caldav import dav
from planner.core.caldav.publish_objects import (
    Changes,
    Found,
    Wanted,
    compare,
    fingerprint,
    read_found,
    wanted_objects,
    week_id,
)
from planner.core.caldav.session import Answer, CalDAVError, Session
from planner.core.model import Plan
from planner.core.storage.publish_queue import Waiting
from planner.core.text import wording

if TYPE_CHECKING:
    from planner.core.caldav.credentials import Ask
    from planner.core.storage.store import Store

ICS = "text/calendar; charset=utf-8"
XML = "application/xml; charset=utf-8"

Action = Literal["add", "move", "update", "remove", "publish"]
"""What was to be done to an object: ``publish`` when the calendar could not even be read."""


ANY_STATUS = tuple(range(100, 600))
"""Publishing reads every status itself: a 412 or a 404 is an answer, not a failure."""


class Http(Protocol):
    """How publishing talks to the server: :class:`~planner.core.caldav.session.Session`
    (timeouts, the password, no redirect to another host); a failure to get a whole answer
    is a :class:`~planner.core.caldav.session.CalDAVError`."""

    def request(
        self,
        method: str,
        url: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        depth: str | None = None,
        ok: tuple[int, ...] = (200, 207),
    ) -> Answer: ...

    def close(self) -> None: ...


@dataclass
class Published:
    """What publishing a week did, object by object (events and travel blocks)."""

    calendar_url: str
    calendar_name: str
    week_start: datetime
    added: int = 0
    moved: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    left_alone: int = 0
    """Objects of the calendar planner did not write (never touched)."""
    created: bool = False
    """Whether the calendar was made (MKCALENDAR) by this publish."""
    found: bool = False
    """Whether the calendar was there (or was made) for this publish."""
    retried: int = 0
    """Writes answered 412 (changed on the server since read) and tried again."""
    password_refused: bool = False
    """The server refused the user name or password (401): a password kept for this run
    is wrong, and is forgotten so that the user is asked again."""
    waiting: list[Waiting] = field(default_factory=list)
    """What could not be written: kept in the publish queue, tried again later."""
    requests: list[str] = field(default_factory=list)
    """Every request sent, ``"PUT name"``, in order (what the tests and benchmark count)."""

    @property
    def ok(self) -> bool:
        """Whether the calendar now matches the plan."""
        return not self.waiting

    @property
    def writes(self) -> int:
        """Requests that change the calendar (PUT, DELETE, MKCALENDAR)."""
        return sum(1 for r in self.requests if r.split(" ", 1)[0] in _WRITING)

    @property
    def host(self) -> str:
        return urlsplit(self.calendar_url).hostname or self.calendar_url

    @property
    def sentence(self) -> str:
        """ "Published week of Mon 7 Dec to planner (cloud.example.com): 3 added, 1 moved,
        2 removed, 4 unchanged." (", 1 updated" when the content of one changed in place)."""
        counts = [f"{self.added} added", f"{self.moved} moved"]
        if self.updated:
            counts.append(f"{self.updated} updated")
        counts += [f"{self.removed} removed", f"{self.unchanged} unchanged"]
        done = self.added + self.moved + self.updated + self.removed + self.unchanged
        verb = "Published" if self.ok else "Published part of" if done else "Could not publish"
        return (
            f"{verb} week of {wording.short_date(self.week_start)} to {self.calendar_name} "
            f"({self.host}): {', '.join(counts)}."
        )


_WRITING = frozenset({"PUT", "DELETE", "MKCALENDAR"})


class PublishError(Exception):
    """Publishing cannot start: the URL is not a calendar (said in words)."""


# --- what the server says, in words ------------------------------------------------------


def status_words(reply: Answer) -> str:
    """A failed answer as a user reads it."""
    status = reply.status
    if status == 401:
        return "the server refused the user name or password (401)"
    if status == 403:
        return "the server does not allow planner to write there (403 Forbidden)"
    if status == 404:
        return "the server has no such calendar (404 Not Found)"
    if status == 409:
        return "the server refused the event: another one in the calendar has its UID (409)"
    if status == 412:
        return "the event kept changing on the server while planner wrote it (412)"
    if status == 507:
        return "the calendar is full on the server (507 Insufficient Storage)"
    if status >= 500:
        later = reply.headers.get("retry-after", "")
        wait = f"; it asks to try again in {later} s" if later.isdigit() else ""
        return f"the server failed ({status}){wait}"
    return f"the server answered {status}"


def _stops_everything(reply: Answer) -> bool:
    """An answer that would be the same for every object: stop and queue the rest."""
    return reply.status in (401, 404, 407) or reply.status >= 500


# --- reading the calendar --------------------------------------------------------------


def _report_body(start: datetime, end: datetime) -> bytes:
    """RFC 4791 calendar-query: the events touching ``start``..``end``, data and ETags."""
    return dav.calendar_query().replace(
        b'<c:comp-filter name="VEVENT"/>',
        f'<c:comp-filter name="VEVENT"><c:time-range start="{_utc(start)}" '
        f'end="{_utc(end)}"/></c:comp-filter>'.encode(),
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def describe_calendar(http: Http, url: str) -> tuple[str, bool]:
    """The calendar's display name, and whether ``url`` is a calendar at all (False: 404).

    Raises :class:`PublishError` when the URL names something that is not a calendar.
    """
    body = dav.propfind("d:displayname", "d:resourcetype")
    reply = http.request("PROPFIND", url, body, {"Content-Type": XML}, depth="0", ok=ANY_STATUS)
    if reply.status == 404:
        return _last_segment(url), False
    if _stops_everything(reply) or reply.status == 403:
        raise _ReadRefusedError(reply)  # the server's state, not the URL's: queued
    if reply.status != 207:
        raise PublishError(f"{url}: {status_words(reply)}")
    for resource in dav.read_multistatus(reply.body, "what the calendar is").resources:
        if resource.status == 404:  # Xandikos says "nothing there" inside a 207
            return _last_segment(url), False
        if not resource.is_calendar():
            raise PublishError(f"{url}: not a calendar (a CalDAV calendar collection is needed)")
        return resource.text(dav.DAV, "displayname") or _last_segment(url), True
    raise PublishError(f"{url}: the server said nothing about it")


def _last_segment(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or url


def create_calendar(http: Http, url: str, display_name: str = "planner") -> Answer:
    """Make a calendar collection (events only) at ``url`` (MKCALENDAR)."""
    body = dav.mkcalendar(display_name)
    return http.request("MKCALENDAR", url, body, {"Content-Type": XML}, ok=ANY_STATUS)


def read_week(http: Http, url: str, plan: Plan) -> list[Found]:
    """Every object of the calendar that touches the week (a day either side: a trip home
    after midnight), with its ETag; planner's own are told apart by their marker."""
    start = plan.week_start - timedelta(days=1)
    end = plan.week_end + timedelta(days=1)
    body = _report_body(start, end)
    reply = http.request("REPORT", url, body, {"Content-Type": XML}, depth="1", ok=ANY_STATUS)
    if reply.status != 207:
        raise _ReadRefusedError(reply)
    found: list[Found] = []
    for resource in dav.read_multistatus(reply.body, "the calendar's events").resources:
        data = resource.text(dav.CALDAV, "calendar-data")
        if not data:
            continue
        href = urljoin(url, dav.quoted(resource.key))
        found.append(read_found(href, resource.text(dav.DAV, "getetag"), data))
    return found


class _ReadRefusedError(Exception):
    def __init__(self, reply: Answer) -> None:
        super().__init__(status_words(reply))
        self.reply = reply


# --- writing ---------------------------------------------------------------------------


_AS_PLANNED = "\0as planned"
"""What a write says when the server held the object as planned already (another device
published the same plan between planner's read and its write): counted unchanged."""


class _Writer:
    """The writes of one publish, with the 412 retry and the stop on a dead server."""

    def __init__(self, http: Http, url: str, report: Published) -> None:
        self.http = http
        self.url = url if url.endswith("/") else url + "/"
        self.report = report
        self.stopped = ""
        """Why no more requests are sent ("" while the server answers)."""

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None = None
    ) -> Answer:
        self.report.requests.append(f"{method} {url.rsplit('/', 1)[-1]}")
        return self.http.request(method, url, body or b"", dict(headers), ok=ANY_STATUS)

    def get(self, url: str) -> tuple[Answer, Found | None]:
        reply = self.send("GET", url, {})
        if reply.status != 200:
            return reply, None
        return reply, read_found(url, reply.headers.get("etag", ""), reply.body)

    def put(self, wanted: Wanted, url: str, condition: Mapping[str, str]) -> Answer:
        return self.send("PUT", url, {"Content-Type": ICS, **condition}, wanted.body)

    def write(self, wanted: Wanted, found: Found | None) -> str:
        """Add or update one object; "" when done, else why not."""
        url = found.href if found is not None else self.url + wanted.name
        condition = {"If-Match": found.etag} if found is not None and found.etag else {}
        if found is None:
            condition = {"If-None-Match": "*"}
        reply = self.put(wanted, url, condition)
        if reply.status == 412:
            self.report.retried += 1
            again, now = self.get(url)
            if again.status == 404:
                reply = self.put(wanted, url, {"If-None-Match": "*"})
            elif now is None:
                return self._failed(again)
            elif not now.ours:
                return "another event, not planner's, is at its place in the calendar; left alone"
            elif now.fingerprint == fingerprint(wanted.body):
                return _AS_PLANNED
            else:
                reply = self.put(wanted, url, {"If-Match": now.etag})
        if reply.status in (200, 201, 204):
            return ""
        return self._failed(reply)

    def delete(self, found: Found) -> str:
        reply = self.send("DELETE", found.href, {"If-Match": found.etag} if found.etag else {})
        if reply.status == 412:
            self.report.retried += 1
            again, now = self.get(found.href)
            if again.status == 404:
                return ""
            if now is None:
                return self._failed(again)
            if not now.ours or now.week != found.week:
                return ""  # no longer planner's object of this week: not ours to delete
            reply = self.send("DELETE", found.href, {"If-Match": now.etag})
        if reply.status in (200, 204, 404):
            return ""
        return self._failed(reply)

    def _failed(self, reply: Answer) -> str:
        words = status_words(reply)
        self.report.password_refused |= reply.status == 401
        if _stops_everything(reply):
            self.stopped = words
        return words


def publish_week(
    http: Http,
    calendar_url: str,
    plan: Plan,
    *,
    create: bool = True,
    now: datetime | None = None,
) -> Published:
    """Make planner's objects of the plan's week in the calendar at ``calendar_url`` match
    the plan; nothing else in the calendar is touched.

    Raises :class:`PublishError` when the URL is not a calendar (and ``create`` is False or
    it cannot be made). Everything else, the server down included, is in the answer.
    """
    report = Published(calendar_url, _last_segment(calendar_url), plan.week_start)
    wanted = wanted_objects(plan, now=now)
    try:
        report.requests.append(f"PROPFIND {_last_segment(calendar_url)}")
        name, exists = describe_calendar(http, calendar_url)
        report.calendar_name = name
        report.found = exists
        if not exists:
            if not create:
                raise PublishError(
                    f"{calendar_url}: no calendar there (it was deleted; publish to it by hand "
                    "to make it again)"
                )
            report.requests.append(f"MKCALENDAR {name}")
            made = create_calendar(http, calendar_url, name)
            if made.status not in (200, 201):
                why = status_words(made)
                raise PublishError(f"{calendar_url}: cannot make a calendar there: {why}")
            report.created = report.found = True
        report.requests.append(f"REPORT {name}")
        found = read_week(http, calendar_url, plan)
    except CalDAVError as exc:
        report.waiting = _not_read(wanted, plan, exc.sentence("the server"))
        return report
    except _ReadRefusedError as exc:
        report.password_refused = exc.reply.status == 401
        report.waiting = _not_read(wanted, plan, str(exc))
        return report
    changes = compare(wanted, found, week_id(plan))
    _apply(http, calendar_url, changes, report)
    return report


def _not_read(wanted: list[Wanted], plan: Plan, reason: str) -> list[Waiting]:
    """Everything of the week, waiting, when the calendar could not be read: each entry
    of the plan, or the week itself when the plan has none (planner's entries from an
    earlier plan may still be there to remove)."""
    if not wanted:
        week = f"The week of {wording.short_date(plan.week_start)}"
        return [Waiting("", "publish", week, reason)]
    return [Waiting(w.uid, "publish", w.label, reason) for w in wanted]


def _apply(http: Http, url: str, changes: Changes, report: Published) -> None:
    writer = _Writer(http, url, report)
    report.unchanged = len(changes.unchanged)
    report.left_alone = changes.foreign
    for wanted, _taken in changes.blocked:
        report.waiting.append(
            Waiting(
                wanted.uid,
                "add",
                wanted.label,
                "another event, not planner's, has its UID in the calendar; left alone",
            )
        )
    steps: list[tuple[Action, str, str, Callable[[], str]]] = []
    for item in changes.add:
        steps.append(("add", item.uid, item.label, partial(writer.write, item, None)))
    for change in changes.update:
        action: Action = "move" if change.moved else "update"
        write = partial(writer.write, change.wanted, change.found)
        steps.append((action, change.wanted.uid, change.wanted.label, write))
    for gone in changes.remove:
        steps.append(("remove", gone.uid, gone.label, partial(writer.delete, gone)))
    for action, uid, label, step in steps:
        if writer.stopped:
            report.waiting.append(Waiting(uid, action, label, writer.stopped))
            continue
        try:
            problem = step()
        except CalDAVError as exc:
            writer.stopped = exc.sentence("the server")
            problem = writer.stopped
        if problem == _AS_PLANNED:
            report.unchanged += 1
            continue
        if problem:
            report.waiting.append(Waiting(uid, action, label, problem))
            continue
        match action:
            case "add":
                report.added += 1
            case "move":
                report.moved += 1
            case "update":
                report.updated += 1
            case "remove":
                report.removed += 1


def publish_and_queue(
    store: Store,
    http: Http,
    calendar_url: str,
    user: str,
    plan: Plan,
    *,
    now: datetime,
    create: bool = True,
) -> Published:
    """:func:`publish_week`, then the publish queue made what it could not write (a week
    published whole leaves the queue)."""
    report = publish_week(http, calendar_url, plan, create=create, now=now)
    if report.found and not was_found(store, calendar_url):
        store.save_value(_FOUND + calendar_url, now.astimezone(UTC).isoformat())
    store.keep_publish_queue(calendar_url, user, plan.week_start.date(), report.waiting, now)
    return report


_FOUND = "caldav calendar found "
"""The store's note (app state) that planner found, or made, the calendar at an address."""


def was_found(store: Store, calendar_url: str) -> bool:
    """Whether a publish ever found (or made) the calendar at ``calendar_url``: if it is
    missing now, the user deleted it, and the queue does not make it again."""
    return store.value(_FOUND + calendar_url) is not None


def publish_queued(
    store: Store,
    connect: Callable[[str, str], Http | None],
    plan_for: Callable[[date], Plan],
    *,
    now: datetime,
    done: Iterable[tuple[str, date]] = (),
) -> list[Published]:
    """Publish again each week waiting in the queue, from the plan as it is now (a calendar
    is made again only if it was never found: one deleted to undo publishing stays deleted).

    ``connect(calendar_url, user)`` gives the session for that calendar, or None when its
    password cannot be had without asking (that week stays queued); ``done`` names the
    (calendar, week) pairs just published, not to be sent twice.
    """
    skip = set(done)
    reports: list[Published] = []
    for queued in store.publish_waiting():
        if (queued.calendar_url, queued.week_start) in skip:
            continue
        http = connect(queued.calendar_url, queued.user)
        if http is None:
            continue
        plan = plan_for(queued.week_start)
        # The calendar is made only if planner never found it: one the user deleted (to undo
        # publishing) is not made again by a week left in the queue, even one whose entries
        # wait as "publish" because the calendar could not be read at the time.
        never_reached = all(item.action == "publish" for item in queued.items)
        create = never_reached and not was_found(store, queued.calendar_url)
        try:
            report = publish_and_queue(
                store, http, queued.calendar_url, queued.user, plan, now=now, create=create
            )
        except PublishError as exc:
            # The calendar is gone or is no calendar now: said, and kept for the user to see.
            waiting = [Waiting(i.uid, i.action, i.label, str(exc)) for i in queued.items]
            store.keep_publish_queue(
                queued.calendar_url, queued.user, queued.week_start, waiting, now
            )
            report = Published(queued.calendar_url, queued.calendar_url, plan.week_start)
            report.waiting = waiting
        reports.append(report)
    return reports


def publish_with_queue(
    store: Store,
    http: Http,
    calendar_url: str,
    user: str,
    plan: Plan,
    plan_for: Callable[[date], Plan],
    *,
    now: datetime,
    create: bool = True,
) -> list[Published]:
    """Publish the plan's week, then every other week of the same calendar still queued
    (the command line's and the window's Publish); the first report is the week's.
    ``create`` False: a missing calendar is a :class:`PublishError`, not made."""
    first = publish_and_queue(store, http, calendar_url, user, plan, now=now, create=create)
    rest = publish_queued(
        store,
        lambda url, _user: http if url == calendar_url else None,
        plan_for,
        now=now,
        done=[(calendar_url, plan.week_start.date())],
    )
    return [first, *rest]


def connect(calendar_url: str, user: str, ask: Ask | None = None) -> Session | None:
    """A CalDAV session for the calendar as ``user``, None when no password is at hand
    (``ask``, when given, is asked; the window and ``planner refresh`` never ask)."""
    from planner.core.caldav import credentials

    password = credentials.password(calendar_url, user, ask)
    return None if password is None else Session(calendar_url, user, password)


def publish_waiting_weeks(
    store: Store, plan_for: Callable[[date], Plan], *, now: datetime
) -> list[Published]:
    """Publish again every queued week whose password is at hand without asking (the
    window's start, ``planner refresh``)."""
    sessions: dict[tuple[str, str], Session | None] = {}

    def opened(url: str, user: str) -> Http | None:
        if (url, user) not in sessions:
            sessions[url, user] = connect(url, user)
        return sessions[url, user]

    try:
        return publish_queued(store, opened, plan_for, now=now)
    finally:
        for http in sessions.values():
            if http is not None:
                http.close()
