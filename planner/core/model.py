"""The domain objects every other module speaks in.

They are plain frozen dataclasses so that the optimiser, the exporters, the CLI
and the Qt models can share them without copying and without any of them
being able to change an event behind the others' backs. All datetimes are
timezone-aware: a naive datetime anywhere in the core is a bug.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Place:
    """Where something happens, as precisely as the source says.

    ``lat``/``lon`` are ``None`` when the position is not known yet; ``virtual``
    marks online events, which need no travel at all.
    """

    name: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    virtual: bool = False
    approximate: bool = False
    area: str = ""
    """For an approximate position, the town or area it is the centre of ("Toronto, ON,
    Canada"), when known: said to the user, who can then fix the place."""
    note: str = ""
    """How planner learnt the place when its calendar did not give it ("venue read from
    the event's page"), or why it does not know it ("location unknown: meetup.com did
    not answer within 30 s"): said wherever the place is shown. Not kept with events."""

    @property
    def has_position(self) -> bool:
        """True when the place can be used to compute a distance."""
        return self.lat is not None and self.lon is not None

    @property
    def label(self) -> str:
        """The shortest name a person recognises the place by."""
        if self.virtual:
            return "online"
        return self.name or self.address or "unknown place"


class Status(enum.Enum):
    """iCalendar STATUS, reduced to what changes the plan."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Event:
    """One occurrence of a calendar event (a recurring series is expanded).

    The same class holds commitments (what the user already has) and
    candidates (what they might attend); the role is given by the list an
    event is in, not by the event itself.
    """

    uid: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool = False
    place: Place = field(default_factory=Place)
    url: str = ""
    description: str = ""
    categories: tuple[str, ...] = ()
    priority: int = 0
    cost: float | None = None
    status: Status = Status.CONFIRMED
    transparent: bool = False
    recurrence_id: str = ""
    source: str = ""
    timezone: str = ""
    """The zone the source gave its times in (IANA name, "UTC"), "" for floating/dates."""

    @property
    def key(self) -> str:
        """Identity of this occurrence: the UID, plus the RECURRENCE-ID for a series.

        Decisions (pin, refuse, stars) attach to this key, so a recurring
        series can be attended on one day and refused on another. It holds
        nothing that an organiser changes when they move an event (a one-off's
        start, a title), so a decision stays with its event through updates.
        """
        return f"{self.uid}@{self.recurrence_id}" if self.recurrence_id else self.uid

    @property
    def duration(self) -> timedelta:
        """Elapsed time, exact across a DST change (aware datetimes in one zone
        subtract as wall clocks, which would make a night shift an hour off)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    @property
    def category(self) -> str:
        """The first category, which planner uses for weights and quotas."""
        return self.categories[0].lower() if self.categories else ""

    @property
    def busy(self) -> bool:
        """Whether, as a commitment, this event blocks time."""
        return self.status is not Status.CANCELLED and not self.transparent


FLEXIBLE_UID_PREFIX = "flexible:"
"""Starts the uid of every flexible block the planner places (no calendar's uid does)."""


def flexible_uid(name: str, start: datetime) -> str:
    """The uid of the flexible block ``name`` placed at ``start``."""
    return f"{FLEXIBLE_UID_PREFIX}{name}:{start.isoformat()}"


def is_flexible(event: Event) -> bool:
    """Whether ``event`` is flexible time the planner placed rather than an event out:
    it uses the hours budget but is no event, no quota and nothing to remember."""
    return event.uid.startswith(FLEXIBLE_UID_PREFIX)


class TravelMode(enum.Enum):
    DRIVE = "drive"
    TRANSIT = "transit"
    BIKE = "bike"
    WALK = "walk"


@dataclass(frozen=True, slots=True)
class Leg:
    """One part of a trip by the timetable: a walk or a drive to a stop, a ride, a
    walk between stops. Kept as words and times, so the details panel, the agenda and
    the exported travel block can name it ("GO LE 17:53 → 18:38 Union")."""

    mode: Literal["walk", "drive", "ride"]
    origin: str
    """Where the leg starts: a stop's name, or the place's own ("Home")."""
    destination: str
    depart: datetime
    arrive: datetime
    route: str = ""
    """The line as riders know it ("GO LE", "TTC 504"); empty for walks and drives."""

    def as_json(self) -> dict[str, str]:
        """Its parts, as the ``legs`` of ``planner travel --json`` and ``planner plan
        --json`` give them: times to the whole minute, as a timetable says them
        (departures down; arrivals up, as a trip's minutes round)."""
        return {
            "mode": self.mode,
            "from": self.origin,
            "to": self.destination,
            "depart": to_minute(self.depart).isoformat(),
            "arrive": to_minute(self.arrive, up=True).isoformat(),
            "route": self.route,
        }


def to_minute(when: datetime, *, up: bool = False) -> datetime:
    """``when`` to the whole minute, as a timetable and a clock say it: a walk's seconds
    are the router's arithmetic, not a time anyone keeps. Arrivals round up, as the
    trip's minutes do, so ``at + minutes`` and ``arrive`` agree; departures round down."""
    whole = when.replace(second=0, microsecond=0)
    if not (up and whole != when):
        return whole
    if when.tzinfo is None:
        return whole + timedelta(minutes=1)
    # A minute of real time: on the wall clock, 01:59 + 1 min is 02:00 even when clocks
    # go back at 02:00 EDT and the next minute is 01:00 EST.
    return (whole.astimezone(UTC) + timedelta(minutes=1)).astimezone(when.tzinfo)


@dataclass(frozen=True, slots=True)
class Trip:
    """One leg of travel, as estimated for a given departure time."""

    origin: Place
    destination: Place
    mode: TravelMode
    minutes: int
    distance_km: float
    rush_hour: bool = False
    assumed: bool = False
    """True when a place had no position and the configured assumption was used."""
    source: str = "estimate"
    """Where the minutes come from: "estimate", "override" (the user's own), "router"
    or "timetable" (a GTFS journey, whose parts are in :attr:`legs`)."""
    legs: tuple[Leg, ...] = ()
    """A timetable journey's walks and rides in order; empty for every other source."""
    overhead_minutes: int = 0
    """The part of :attr:`minutes` that is not moving: parking and walking to the car,
    walking to and from a stop, waiting for a train. The rest is the moving time, which
    is what a measured trip (a car's log, a router) can be compared with."""
    reachable: bool = True
    """False when the timetable has nothing running in time (after the last train home):
    :attr:`minutes` is then the estimate's, and the trip cannot be made by transit."""

    @property
    def label(self) -> str:
        """E.g. 'drive 65 min' — short enough for a calendar block."""
        return f"{self.mode.value} {self.minutes} min"


class Reason(enum.Enum):
    """Why a candidate is, or is not, in the plan (the issue's reason codes)."""

    CHOSEN = "chosen"
    PINNED = "pinned"
    CONFLICT = "conflict"
    TRAVEL = "travel"
    BUDGET = "budget"
    QUOTA = "quota"
    PROTECTED = "protected"
    LATEST_RETURN = "latest_return"
    EARLIEST_LEAVE = "earliest_leave"
    MAX_EVENTS = "max_events"
    MAX_PER_DAY = "max_per_day"
    EVENINGS = "evenings"
    MONEY = "money"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    OUTSIDE_WEEK = "outside_week"
    PAST = "past"
    """In the week under way, it has started (or you would have had to leave already)."""
    UNKNOWN_LOCATION = "unknown_location"
    LOWER_VALUE = "lower_value"
    NO_VALUE = "no_value"


@dataclass(frozen=True, slots=True)
class Decision:
    """What the optimiser concluded about one candidate occurrence."""

    event: Event
    chosen: bool
    reason: Reason
    explanation: str
    value: float
    trip_to: Trip | None
    trip_from: Trip | None
    leave_at: datetime
    back_at: datetime
    charged_minutes: int
    what_if: str = ""
    """For a left-out event: what would have to change for it to fit."""
    origin: str = "home"
    """Where the user sets off from: "home", a saved place ("office"), an event."""
    destination: str = "home"
    breaks: str = ""
    """For an event the user committed to: the rule it breaks ("" when it breaks none),
    so the window can ask whether to keep it anyway."""

    @property
    def travel_minutes(self) -> int:
        return (self.trip_to.minutes if self.trip_to else 0) + (
            self.trip_from.minutes if self.trip_from else 0
        )


@dataclass(frozen=True, slots=True)
class BudgetUse:
    """How much of each weekly/monthly allowance the plan uses."""

    limit_minutes: int
    used_minutes: int
    travel_minutes: int
    events: int
    max_events: int
    evenings: int
    max_evenings: int
    money: float
    money_limit: float | None
    committed_minutes: int = 0
    """What the events the user committed to charge: the plan keeps them whatever the
    budget, so they alone can take ``used_minutes`` over ``limit_minutes``."""

    @property
    def over_minutes(self) -> int:
        """How far the week is over its hours budget (0 when within it)."""
        return max(0, self.used_minutes - self.limit_minutes)


@dataclass(frozen=True, slots=True)
class Target:
    """A minimum the user aims for ("at least 1 professional event a week")."""

    category: str
    minimum: int
    achieved: int
    explanation: str

    @property
    def met(self) -> bool:
        return self.achieved >= self.minimum


@dataclass(frozen=True, slots=True)
class FlexibleResult:
    """How often a flexible block was placed, and why not more when short."""

    name: str
    wanted: int
    placed: int
    explanation: str


@dataclass(frozen=True, slots=True)
class Plan:
    """The optimiser's answer for one week."""

    week_start: datetime
    timezone: str
    commitments: tuple[Event, ...]
    decisions: tuple[Decision, ...]
    optimal: bool
    total_value: float
    budget: BudgetUse
    solve_seconds: float
    protected: tuple[tuple[datetime, datetime], ...] = ()
    targets: tuple[Target, ...] = ()
    flexible: tuple[FlexibleResult, ...] = ()
    problems: tuple[Problem, ...] = ()
    """What went wrong while planning, beyond reading the calendars (a routing server that
    did not answer, so travel times are estimates); said once per plan."""

    @property
    def chosen(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.chosen)

    @property
    def left_out(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if not d.chosen)

    @property
    def week_end(self) -> datetime:
        return self.week_start + timedelta(days=7)


Role = Literal["commitments", "candidates"]
"""What a calendar's events are to the user: times they are busy, or events they might go to."""
ROLES: tuple[Role, ...] = ("commitments", "candidates")

FEED_SCHEMES = frozenset({"http", "https", "webcal", "webcals"})
"""URL schemes of calendars that are fetched rather than read from a file."""


@dataclass(frozen=True, slots=True)
class Source:
    """A calendar the user imported (a file path, or a feed's URL), and what its events
    are to them."""

    path: str
    role: Role


Went = Literal["attended", "skipped"]
"""What the user said of an event that is over: they went, or they did not."""


@dataclass(frozen=True, slots=True)
class Mark:
    """Whether the user went to an event that is over, and their note on it (whom they
    met, what to follow up): the history counts what was attended, not only planned."""

    went: Went
    note: str = ""


@dataclass(frozen=True, slots=True)
class Choices:
    """The user's own decisions, keyed by :attr:`Event.key`."""

    pinned: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    stars: Mapping[str, int] = field(default_factory=dict)
    marks: Mapping[str, Mark] = field(default_factory=dict)
    """Attended or skipped, with a note, for events that are over."""


def is_feed(location: str) -> bool:
    """Whether an imported calendar is a URL to fetch rather than a file."""
    return urlsplit(location).scheme.lower() in FEED_SCHEMES


def source_name(location: str) -> str:
    """How a calendar is named to the user: a file's name, or a feed's host and path."""
    if is_feed(location):
        return location.split("://", 1)[-1].rstrip("/")
    return Path(location).name


class Severity(enum.Enum):
    """How much of a source a :class:`Problem` cost the user.

    The command line decides by it whether there was anything to plan (a
    week whose every file is an ERROR), so it says what was lost, not how
    the message sounds.
    """

    ERROR = "error"
    """A whole source could not be read: nothing from it is used (a file not found)."""
    WARNING = "warning"
    """Part of a source was skipped (one event, one unclosed block); the rest is used."""
    NOTE = "note"
    """Nothing was skipped, but something was assumed or corrected and is worth knowing
    ("not UTF-8; read as Latin-1", a position swapped back, a place placed roughly)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a calendar, said once and kept as data.

    Readers report what they met as Problems rather than sentences, so that a
    caller can act on the :class:`Severity` (and the line) instead of matching
    words. ``str()`` gives the sentence the user reads, which names the source
    (and line) first, as compilers do: ``work.ics: file not found``,
    ``feed.ics:12: skipped 'Mixer': it has no start time (DTSTART)``. ``source``
    is "" when the text already names what it is about (a feed's stored error, a
    note on a place shared by events of several calendars).
    """

    source: str
    text: str
    line: int | None = None
    severity: Severity = Severity.WARNING

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.text}" if where else self.text

    def as_json(self) -> dict[str, str | int | None]:
        """Its parts, so a tool can act on the severity and the line, and ``message``,
        the sentence the terminal shows (the ``problems`` of ``planner plan --json``)."""
        return {
            "source": self.source,
            "line": self.line,
            "severity": self.severity.value,
            "text": self.text,
            "message": str(self),
        }
