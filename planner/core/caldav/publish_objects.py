"""What publishing writes: the week's attend-list as CalDAV objects, and how it differs
from what the calendar holds.

The entries are those of the .ics export (:func:`planner.core.calendars.attend_list.entries`:
each chosen or committed event with its leave-by alarm, and its travel blocks), one
object each. Each gets planner's own UID, derived from the source event's key and the
kind of block, so the same plan always writes the same UIDs and the same resource names;
``RELATED-TO`` names the source event's UID; ``X-PLANNER-WRITTEN`` marks the object as
planner's and ``X-PLANNER-WEEK`` says which week's plan wrote it. Only objects carrying
that marker, of the week being published, are ever updated or deleted: anything else in
the calendar (the user's own events, even with a UID that looks like planner's) is left
alone.

Comparing is by content, not by text: a server may refold lines, reorder properties or
rewrite a time with another TZID. :func:`fingerprint` keeps what a user would see (times
as instants, titles, places, alarms) and drops what changes on every write (DTSTAMP,
LAST-MODIFIED, SEQUENCE), so publishing an unchanged plan twice writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import icalendar

from planner.core.calendars import attend_list
from planner.core.calendars.attend_list import BlockKind
from planner.core.logs import log_failure
from planner.core.model import Plan
from planner.core.text import wording

_log = logging.getLogger(__name__)

MARKER = "X-PLANNER-WRITTEN"
"""The property that marks an object as written by planner (its value: the block kind)."""
WEEK = "X-PLANNER-WEEK"
"""The Monday (ISO date) of the week whose plan wrote the object."""
KINDS: tuple[BlockKind, ...] = ("event", "travel-to", "travel-from")

_VOLATILE = frozenset({"DTSTAMP", "LAST-MODIFIED", "CREATED", "SEQUENCE"})
"""Properties that change on every write, or that a server sets: not content."""

Fingerprint = tuple[object, ...]


def planner_uid(key: str, kind: BlockKind) -> str:
    """planner's UID for one block of one event: the same key and kind, the same UID.

    The key is hashed: a source UID may hold characters a resource name cannot (``/``,
    ``@``, spaces), and the UID must not pass for the source event's own.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"planner-{kind}-{digest}"


def week_id(plan_or_start: Plan | datetime | date) -> str:
    """The week as written in ``X-PLANNER-WEEK``: its Monday, ``2026-12-07``."""
    if isinstance(plan_or_start, Plan):
        plan_or_start = plan_or_start.week_start
    if isinstance(plan_or_start, datetime):
        plan_or_start = plan_or_start.date()
    return plan_or_start.isoformat()


def span_words(start: datetime, end: datetime) -> str:
    """``"Thu 10 Dec 18:00-20:00"``, in the times' own zone."""
    end = end.astimezone(start.tzinfo)
    until = wording.clock(end)
    if end.date() != start.date():
        until = f"{wording.day(end)} {until}"
    return f"{wording.short_date(start)} {wording.clock(start)}-{until}"


def _label(kind: str, summary: str, start: datetime, end: datetime) -> str:
    when = span_words(start, end)
    if kind == "event":
        return f"“{summary}” ({when})"
    return f"“{summary}” (travel, {when})"


@dataclass(frozen=True, slots=True)
class Wanted:
    """One object the plan puts in the calendar."""

    uid: str
    kind: BlockKind
    related_to: str
    """The source event's UID."""
    summary: str
    start: datetime
    end: datetime
    body: bytes
    """The whole VCALENDAR, as PUT."""

    @property
    def name(self) -> str:
        """The resource name in the calendar collection."""
        return f"{self.uid}.ics"

    @property
    def label(self) -> str:
        """How a message names it: ``“Meetup” (Thu 10 Dec 18:00-20:00)``."""
        return _label(self.kind, self.summary, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Found:
    """One object read from the calendar (any object: planner's own or not)."""

    href: str
    etag: str
    uid: str
    ours: bool
    """Whether it carries planner's marker."""
    week: str
    kind: str
    summary: str
    start: datetime | None
    end: datetime | None
    fingerprint: Fingerprint

    @property
    def label(self) -> str:
        if self.start is None or self.end is None:
            return f"“{self.summary}”"
        return _label(self.kind, self.summary, self.start, self.end)


def wanted_objects(plan: Plan, *, now: datetime | None = None) -> list[Wanted]:
    """The week's attend-list as CalDAV objects, one per event and travel block."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    week = week_id(plan)
    # The zones' rules around the week, not since 1970: a tenth of the text, and of the time.
    span = (
        (plan.week_start - timedelta(days=60)).date(),
        (plan.week_end + timedelta(days=60)).date(),
    )
    wanted: list[Wanted] = []
    for entry in attend_list.entries(plan, stamp):
        event = entry.decision.event
        vevent = entry.component
        uid = planner_uid(event.key, entry.kind)
        vevent["uid"] = uid
        # An occurrence of a series becomes a plain event of its own: a RECURRENCE-ID
        # without its series would be an orphan override.
        vevent.pop("recurrence-id", None)
        vevent.add("related-to", event.uid)
        vevent.add(MARKER.lower(), entry.kind)
        vevent.add(WEEK.lower(), week)
        cal = attend_list.new_calendar(f"planner: week of {week}")
        # A calendar object resource must not carry METHOD (RFC 4791, 4.1).
        cal.pop("method", None)
        cal.pop("x-wr-calname", None)
        cal.add_component(vevent)
        start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
        if not isinstance(start, datetime):  # an all-day event: its days at midnight
            start = datetime.combine(start, datetime.min.time(), tzinfo=event.start.tzinfo)
            end = datetime.combine(end, datetime.min.time(), tzinfo=event.start.tzinfo)
        wanted.append(
            Wanted(
                uid=uid,
                kind=entry.kind,
                related_to=event.uid,
                summary=str(vevent.get("summary", "")),
                start=start,
                end=end,
                body=attend_list.finish(cal, span),
            )
        )
    return wanted


def _value(prop: object) -> object:
    """A property's value as compared: an instant in UTC for times, else its text."""
    dt = getattr(prop, "dt", None)
    if isinstance(dt, datetime):
        return dt.astimezone(UTC).isoformat() if dt.tzinfo is not None else dt.isoformat()
    if isinstance(dt, date):
        return dt.isoformat()
    to_ical = getattr(prop, "to_ical", None)
    raw = to_ical() if callable(to_ical) else prop
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _component_print(component: icalendar.cal.Component) -> Fingerprint:
    props: list[tuple[str, str, object]] = []
    for name, prop in component.property_items(recursive=False):
        name = name.upper()
        if name in _VOLATILE or name in ("BEGIN", "END"):
            continue
        params = getattr(prop, "params", {})
        kept = sorted(
            (str(k).upper(), str(v)) for k, v in params.items() if str(k).upper() not in ("TZID",)
        )
        if name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            kept = [(k, v) for k, v in kept if k != "VALUE"]
        props.append((name, repr(kept), _value(prop)))
    children = tuple(_component_print(c) for c in component.subcomponents)
    return (component.name, tuple(sorted(props, key=repr)), tuple(sorted(children, key=repr)))


def _event_of(calendar: icalendar.Calendar) -> icalendar.Event | None:
    for component in calendar.walk("VEVENT"):
        if isinstance(component, icalendar.Event):
            return component
    return None


def fingerprint(body: bytes | str) -> Fingerprint:
    """What a user sees of an object, comparable across servers' rewriting; ``()`` when the
    text cannot be read as a calendar with an event."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except Exception as exc:  # a server's odd object must not stop publishing
        log_failure(_log, "reading an object of the calendar published to", exc)
        return ()
    event = _event_of(calendar)
    return () if event is None else _component_print(event)


def _when(event: icalendar.Event, name: str) -> datetime | None:
    try:
        value = event.decoded(name)
    except KeyError:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), tzinfo=UTC)
    return None


def read_found(href: str, etag: str, body: bytes | str) -> Found:
    """An object as read from the server; one that cannot be read counts as not planner's
    (and is never touched)."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
        event = _event_of(calendar)
    except Exception as exc:  # any text at all can sit in someone's calendar
        log_failure(_log, "reading an object of the calendar published to", exc)
        event = None
    if event is None:
        return Found(href, etag, "", False, "", "", "", None, None, ())
    marker = str(event.get(MARKER, ""))
    return Found(
        href=href,
        etag=etag,
        uid=str(event.get("uid", "")),
        ours=marker in KINDS,
        week=str(event.get(WEEK, "")),
        kind=marker,
        summary=str(event.get("summary", "")),
        start=_when(event, "dtstart"),
        end=_when(event, "dtend"),
        fingerprint=_component_print(event),
    )


@dataclass(frozen=True, slots=True)
class Update:
    """An object of planner's whose content differs from the plan's."""

    wanted: Wanted
    found: Found

    @property
    def moved(self) -> bool:
        """Whether its times changed (said "moved"; other changes are "updated")."""
        return (self.found.start, self.found.end) != (self.wanted.start, self.wanted.end)


@dataclass(frozen=True, slots=True)
class Changes:
    """What publishing a week has to do to the calendar, and what it leaves."""

    add: tuple[Wanted, ...] = ()
    update: tuple[Update, ...] = ()
    remove: tuple[Found, ...] = ()
    unchanged: tuple[Wanted, ...] = ()
    blocked: tuple[tuple[Wanted, Found], ...] = ()
    """Objects the plan wants whose UID is held by an object planner did not write."""
    foreign: int = 0
    """Objects of the calendar that are not planner's (left alone)."""
    notes: tuple[str, ...] = field(default=())

    @property
    def writes(self) -> int:
        return len(self.add) + len(self.update) + len(self.remove)


def name_of(href: str) -> str:
    """The last segment of a resource's path."""
    return href.rstrip("/").rsplit("/", 1)[-1]


def compare(wanted: Sequence[Wanted], found: Iterable[Found], week: str) -> Changes:
    """What to add, update and remove so that planner's objects of ``week`` match the plan.

    An object is planner's by its marker only: one without it is counted and left alone,
    even when its UID or resource name is one planner would use (then that entry of the
    plan is not written, and said so).
    """
    ours: dict[str, Found] = {}
    foreign: dict[str, Found] = {}
    for there in found:
        if there.ours:
            ours.setdefault(there.uid, there)
        else:
            foreign[there.uid] = there
            foreign[name_of(there.href)] = there
    add: list[Wanted] = []
    update: list[Update] = []
    unchanged: list[Wanted] = []
    blocked: list[tuple[Wanted, Found]] = []
    for item in wanted:
        mine = ours.pop(item.uid, None)
        taken = foreign.get(item.uid) or foreign.get(item.name)
        if mine is None and taken is not None:
            blocked.append((item, taken))
        elif mine is None:
            add.append(item)
        elif mine.fingerprint == fingerprint(item.body):
            unchanged.append(item)
        else:
            update.append(Update(item, mine))
    remove = tuple(f for f in ours.values() if f.week == week)
    foreign_count = len({id(f) for f in foreign.values()})
    return Changes(
        add=tuple(add),
        update=tuple(update),
        remove=remove,
        unchanged=tuple(unchanged),
        blocked=tuple(blocked),
        foreign=foreign_count,
    )
