"""Every key of the settings file, declared once: :data:`SCHEMA`.

A :class:`Key` says where a value sits in the file, what it means, what type
and range it takes, what it is when left out and, for a table, which row
class its rows become. The reader (:mod:`.reading`), the writer
(:mod:`.writing`), ``planner settings-help`` (:data:`KEYS`) and the settings
dialog all walk this one tuple, so a key added here is read, validated,
written, documented and editable, or the tests say which part is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import MISSING, fields
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from planner.core.model import TravelMode
from planner.core.settings import values
from planner.core.settings.types import (
    WEEKDAYS,
    CategoryRule,
    FlexibleBlock,
    KeywordStars,
    ProtectedTime,
    SavedPlace,
    Settings,
    SettingsError,
    TravelOverride,
)

Kind = Literal["bool", "int", "float", "text", "time", "choice", "list", "table"]
"""What a key holds, which is also which editor a form gives it."""

Reader = Callable[[Any, str], Any]
"""Turns a checked file value into the setting, naming ``where`` when it cannot."""


class Key(NamedTuple):
    """One key of the settings file: where it sits, what it means, what it holds.

    ``attr`` is the attribute holding the value when it is not ``name``: on
    :class:`Settings` for a key (dotted for nested settings, e.g.
    ``geocoding.url``), on the row object for a table column (dotted to set
    a part of one, e.g. ``place.name``). A table's ``NAME`` column without
    one holds the name a mapping files the row under.

    What the file may hold: ``kind`` (a ``choice`` is one of ``choices``, in
    any case; a ``list`` of ``choices`` holds their indexes); ``bounds``, the
    range a number must be in, with ``problem`` the words said when it is not
    (or when a choice is not one of ``choices``; ``{value}`` is the value);
    ``read`` turns the checked text into the setting (a ``time`` is read as
    "HH:MM" without one). A key left out of the file reads as the default of
    its attribute on :class:`Settings`; a column left out of a row reads as
    its ``default`` (a file value, or a function of the row's name), else as
    the row class's default, else the row is missing it. ``optional`` keys
    may be left out to mean "no limit" or "not decided"; ``limits`` bound an
    editor where ``bounds`` would not (the dialog uses ``bounds`` otherwise).

    A ``table`` holds rows of ``columns``: ``layout`` says whether they are
    named tables (``[places.office]``, the name in the ``NAME`` column), an
    array of tables (``[[stars]]``) or a mapping of one value per name
    (``rush_hour``). Named and array rows become ``row`` objects, which
    ``check`` may then judge as a whole (a time range's end after its start).
    """

    section: str
    name: str
    doc: str
    kind: Kind
    choices: tuple[str, ...] = ()
    label: str = ""
    attr: str = ""
    optional: bool = False
    limits: tuple[float, float] | None = None
    columns: tuple[Key, ...] = ()
    layout: Literal["", "named", "array", "mapping"] = ""
    bounds: tuple[float | None, float | None] | None = None
    problem: str = ""
    read: Reader | None = None
    default: Any = MISSING
    row: Callable[..., Any] | None = None
    check: Callable[[Any, str], None] | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """Where the value sits in the parsed TOML document."""
        parts = tuple(p for p in self.section.split(".") if p and p != "NAME")
        if self.kind == "table" and self.layout != "mapping":
            return parts
        return (*parts, self.name)

    @property
    def field(self) -> str:
        """The attribute holding the value."""
        return self.attr or self.name

    @property
    def title(self) -> str:
        """The words a form shows for the key."""
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def editor_range(self) -> tuple[float, float] | None:
        """The range an editor offers: ``limits``, else ``bounds`` when both ends are set."""
        if self.limits is not None:
            return self.limits
        if self.bounds is not None:
            low, high = self.bounds
            if low is not None and high is not None:
                return low, high
        return None


def _table(
    section: str,
    doc: str,
    layout: Literal["named", "array"],
    attr: str,
    label: str,
    *columns: Key,
    row: Callable[..., Any],
    check: Callable[[Any, str], None] | None = None,
) -> Key:
    names = ", ".join(c.name for c in columns if c.name != "NAME")
    return Key(
        section,
        names,
        doc,
        "table",
        (),
        label,
        attr,
        columns=columns,
        layout=layout,
        row=row,
        check=check,
    )


def _window(row: ProtectedTime | FlexibleBlock, where: str) -> None:
    if row.end <= row.start:
        raise SettingsError(f"{where}: 'to' must be after 'from'")


def _fits(block: FlexibleBlock, where: str) -> None:
    _window(block, where)
    span = datetime.combine(date.min, block.end) - datetime.combine(date.min, block.start)
    if not 5 <= block.minutes <= span.total_seconds() / 60:
        raise SettingsError(f"{where} minutes: must fit between 'from' and 'to'")


def _routing_needs_url(settings: Settings) -> None:
    if settings.routing.provider and not settings.routing.url:
        raise SettingsError("[routing] url: needed when a provider is set")


def _home_after_leaving(settings: Settings) -> None:
    # Both are times of one day: home before leaving would rule out every event, silently.
    if settings.latest_home <= settings.earliest_leave:
        raise SettingsError(
            f"[rules] latest_home: {settings.latest_home:%H:%M} is not after earliest_leave "
            f"{settings.earliest_leave:%H:%M}"
        )


RULES: tuple[Callable[[Settings], None], ...] = (_routing_needs_url, _home_after_leaving)
"""Rules across keys of different sections, checked once every key has been read."""

_MODES = tuple(m.value for m in TravelMode)
_PLACE_TEXT = 'a saved place name, "lat, lon", an address or a city'
_STARS = (0, 5)
_LATE = (0, 120)


def _days(section: str, doc: str) -> Key:
    return Key(section, "days", doc, "list", WEEKDAYS, read=values.day, default=list(WEEKDAYS))


def _one_word(name: str) -> list[str]:
    # A saved place without `match` is found by its own name.
    return [name]


# Every key the TOML file may hold, in the order of `planner settings-help`
# and of the file planner writes.
SCHEMA: tuple[Key, ...] = (
    Key(
        "general",
        "timezone",
        "IANA time zone of the user; floating times are read in it.",
        "text",
        label="Time zone",
        read=values.time_zone,
    ),
    Key(
        "home",
        "location",
        'Home as "lat, lon", or an address (placed by the gazetteer offline, precisely'
        " with geocoding consent).",
        "text",
        label="Home",
        attr="home_text",
        read=values.home_text,
    ),
    _table(
        "places.NAME",
        "Saved places (office, campus): a commitment whose location or title mentions"
        " one of a place's words puts you there.",
        "named",
        "places",
        "Saved places",
        Key("places.NAME", "NAME", "The place's name, e.g. office.", "text", attr="place.name"),
        Key(
            "places.NAME",
            "location",
            'A saved place (office, campus): "lat, lon" or an address.',
            "text",
            attr="place",
            read=values.saved_place,
            default="",
        ),
        Key(
            "places.NAME",
            "match",
            "Words in a commitment's LOCATION meaning you are at this place.",
            "list",
            default=_one_word,
        ),
        row=SavedPlace,
    ),
    Key(
        "travel",
        "mode",
        "drive, transit, bike or walk.",
        "choice",
        _MODES,
        label="Travel by",
        attr="travel_mode",
        read=values.travel_mode,
    ),
    Key(
        "travel",
        "unknown_place_minutes",
        "Minutes each way assumed when a venue has no position.",
        "int",
        label="Minutes to a venue with no position",
        limits=(0, 600),
        bounds=(0, 24 * 60),
    ),
    Key(
        "travel",
        "rush_hour",
        'Weekday traffic by hour of departure, e.g. { "17" = 1.6 }; left out: the built-in curve.',
        "table",
        label="Rush hour",
        optional=True,
        columns=(
            Key(
                "travel.rush_hour",
                "hour",
                "Hour of departure, 0 to 23.",
                "int",
                bounds=(0, 23),
                problem='hours are 0 to 23, as text: "17" = 1.6',
            ),
            Key(
                "travel.rush_hour",
                "factor",
                "How much slower than free flow, 0.5 to 5 (1.6: 60% slower).",
                "float",
                bounds=(0.5, 5),
                problem="a traffic factor is between 0.5 and 5, got {value}",
            ),
        ),
        layout="mapping",
    ),
    _table(
        "travel.override",
        "A trip you know, which wins over estimates (array of tables).",
        "array",
        "overrides",
        "Known trips",
        Key(
            "travel.override",
            "from",
            f"Where the trip starts: {_PLACE_TEXT}.",
            "text",
            attr="origin",
        ),
        Key("travel.override", "to", f"Where it ends: {_PLACE_TEXT}.", "text", attr="destination"),
        Key(
            "travel.override",
            "minutes",
            "How long the trip takes, in minutes.",
            "int",
            limits=(1, 1440),
            bounds=(1, None),
            problem="must be positive, got {value}",
        ),
        Key(
            "travel.override",
            "mode",
            "The travel mode it is for; not set: any mode.",
            "choice",
            _MODES,
            optional=True,
            problem="{value!r} is not a travel mode",
            read=values.travel_mode,
        ),
        Key(
            "travel.override",
            "radius_km",
            "How close, in km, both ends must be to the places named (default 2).",
            "float",
            limits=(0, 100),
        ),
        row=TravelOverride,
    ),
    Key(
        "budget",
        "weekly_hours",
        "Hours a week for events.",
        "float",
        limits=(0, 168),
        bounds=(0, 168),
        problem="a week has 168 hours: must be 0 to 168, got {value}",
    ),
    Key(
        "budget",
        "counts_travel",
        "Whether travel time counts against weekly_hours.",
        "bool",
        label="Travel counts against the weekly hours",
    ),
    Key(
        "budget",
        "max_events_per_week",
        "At most this many events a week.",
        "int",
        label="Events a week, at most",
        limits=(0, 50),
        bounds=(0, None),
    ),
    Key(
        "budget",
        "max_events_per_day",
        "At most this many events a day.",
        "int",
        label="Events a day, at most",
        limits=(0, 10),
        bounds=(0, None),
    ),
    Key(
        "budget",
        "max_evenings_out",
        "At most this many evenings out a week.",
        "int",
        label="Evenings out a week, at most",
        limits=(0, 7),
        bounds=(0, None),
    ),
    Key(
        "budget",
        "monthly_money",
        "Dollars a month for tickets (omit for no limit).",
        "float",
        label="Dollars a month for tickets",
        optional=True,
        limits=(0, 100_000),
        bounds=(0, None),
    ),
    Key(
        "budget",
        "volunteer",
        "You volunteer: events free for volunteers cost you nothing.",
        "bool",
        label="I volunteer (events free for volunteers cost nothing)",
    ),
    Key(
        "rules",
        "earliest_leave",
        'Leave home no earlier than this time, "HH:MM".',
        "time",
        label="Leave home no earlier than",
    ),
    Key(
        "rules",
        "latest_home",
        'Be home no later than this time, "HH:MM".',
        "time",
        label="Be home no later than",
    ),
    Key(
        "rules",
        "evening_starts",
        'An event ending after this time is an evening out, "HH:MM".',
        "time",
        label="Evening starts at",
    ),
    Key(
        "rules",
        "protect_weekends",
        "Propose nothing on Saturdays and Sundays.",
        "bool",
        label="Keep weekends free",
    ),
    Key(
        "rules",
        "tentative_is_busy",
        "Whether a TENTATIVE commitment blocks its time.",
        "bool",
        label="Tentative commitments block their time",
    ),
    Key(
        "rules",
        "default_stars",
        "Stars (0-5) of an event with no PRIORITY and no rating.",
        "int",
        label="Stars of an unrated event",
        bounds=_STARS,
    ),
    Key(
        "rules",
        "late_minutes",
        "Minutes late that are fine when the trip cannot arrive on time (0-120).",
        "int",
        label="Arriving late is fine by (min)",
        bounds=_LATE,
    ),
    _table(
        "rules.protected",
        'Weekly times kept free, e.g. days = ["wed"], from = "18:00" (array of tables).',
        "array",
        "protected",
        "Protected times",
        _days("rules.protected", "Days it applies to, e.g. mon, wed; not set: every day."),
        Key(
            "rules.protected",
            "from",
            'Start, "HH:MM" (default 00:00).',
            "time",
            attr="start",
            default="00:00",
        ),
        Key(
            "rules.protected",
            "to",
            'End, "HH:MM" or "24:00" (the default).',
            "time",
            attr="end",
            read=values.end_of_day,
            default="24:00",
        ),
        Key("rules.protected", "label", "What the time is for, shown in reasons.", "text"),
        row=ProtectedTime,
        check=_window,
    ),
    _table(
        "categories.NAME",
        "Rules for the events of one category (CATEGORIES in the calendar).",
        "named",
        "categories",
        "Categories",
        Key(
            "categories.NAME",
            "NAME",
            "The category, e.g. professional.",
            "text",
            read=values.lower,
        ),
        Key(
            "categories.NAME",
            "weight",
            "Multiplies the value of events of this category.",
            "float",
            limits=(0, 10),
        ),
        Key(
            "categories.NAME",
            "max_per_week",
            "At most this many events of this category a week.",
            "int",
            optional=True,
        ),
        Key(
            "categories.NAME",
            "max_per_month",
            "At most this many a calendar month.",
            "int",
            optional=True,
        ),
        Key(
            "categories.NAME",
            "min_per_week",
            "A target: at least this many a week when possible.",
            "int",
            optional=True,
        ),
        Key(
            "categories.NAME",
            "late_minutes",
            "Minutes late that are fine for this category (0-120; default [rules]'s).",
            "int",
            optional=True,
            bounds=_LATE,
        ),
        row=CategoryRule,
    ),
    _table(
        "stars",
        'Stars for events mentioning a text, e.g. "Help Desk Institute".',
        "array",
        "keyword_stars",
        "Stars by keyword",
        Key(
            "stars",
            "match",
            "Text in the event's title or description.",
            "text",
            read=values.words,
        ),
        Key("stars", "stars", "Stars, 0 to 5.", "int", bounds=_STARS),
        row=KeywordStars,
    ),
    _table(
        "flexible",
        "Time the planner places where it fits, e.g. a 60-minute coffee twice a week, 12-14.",
        "array",
        "flexible",
        "Flexible blocks",
        Key("flexible", "name", "What the time is for.", "text", default="Flexible block"),
        Key("flexible", "minutes", "How long each time, in minutes.", "int"),
        Key(
            "flexible",
            "times_per_week",
            "How many times a week, 1 to 7.",
            "int",
            bounds=(1, 7),
            default=1,
        ),
        _days("flexible", "Days it may go on, e.g. mon, tue; not set: every day."),
        Key("flexible", "from", 'Earliest start, "HH:MM".', "time", attr="start", default="00:00"),
        Key(
            "flexible",
            "to",
            'Latest end, "HH:MM".',
            "time",
            attr="end",
            read=values.end_of_day,
            default="24:00",
        ),
        Key("flexible", "category", "Category it counts as (optional).", "text", read=values.lower),
        Key("flexible", "stars", "Stars, 0 to 5.", "int", bounds=_STARS),
        Key("flexible", "place", 'A saved place name, or "" for a call (no travel).', "text"),
        row=FlexibleBlock,
        check=_fits,
    ),
    Key(
        "geocoding",
        "consent",
        "Whether addresses may be sent to the geocoder (asked once while not set).",
        "bool",
        label="Look up addresses online (sends addresses to {service})",
        attr="geocoding.consent",
        optional=True,
    ),
    Key(
        "geocoding",
        "provider",
        "A geopy geocoder name (default nominatim).",
        "text",
        label="Geocoder",
        attr="geocoding.provider",
    ),
    Key(
        "geocoding",
        "url",
        "A self-hosted geocoder, e.g. http://127.0.0.1:8080.",
        "text",
        label="Geocoder address",
        attr="geocoding.url",
    ),
    Key(
        "geocoding",
        "user_agent",
        "How planner introduces itself to the geocoder.",
        "text",
        label="User agent",
        attr="geocoding.user_agent",
    ),
    Key(
        "geocoding",
        "min_delay_seconds",
        "Seconds between requests (Nominatim: at least 1).",
        "float",
        label="Seconds between requests",
        attr="geocoding.min_delay_seconds",
        limits=(0, 60),
    ),
    Key(
        "geocoding",
        "timeout_seconds",
        "How long to wait for the geocoder.",
        "float",
        label="Geocoder timeout (seconds)",
        attr="geocoding.timeout_seconds",
        limits=(0, 600),
    ),
    Key(
        "routing",
        "provider",
        'Real routing: "osrm" or "valhalla" (default off).',
        "choice",
        ("", "osrm", "valhalla"),
        label="Routing service",
        attr="routing.provider",
        problem="{value!r} is not osrm or valhalla",
    ),
    Key(
        "routing",
        "url",
        "The routing service, e.g. http://127.0.0.1:5000.",
        "text",
        label="Routing service address",
        attr="routing.url",
    ),
    Key(
        "routing",
        "timeout_seconds",
        "How long to wait before falling back to the estimate.",
        "float",
        label="Routing timeout (seconds)",
        attr="routing.timeout_seconds",
        limits=(0, 600),
    ),
    Key(
        "web",
        "fetch",
        "Whether `planner add` and the window's add field may fetch an event's web page from "
        "a link (default: --fetch each time; the window asks).",
        "bool",
        label="Read events from their web pages (fetches the page from its site)",
        attr="web.fetch",
    ),
    Key(
        "web",
        "fill_venues",
        "Whether a refresh may fetch the page of a feed event that gives no place (Meetup "
        "group feeds) to read its venue, once per version of the event (default false).",
        "bool",
        label="Read missing venues from the events' pages (fetches each page once)",
        attr="web.fill_venues",
    ),
    Key(
        "transit",
        "gtfs",
        "GTFS timetables (zip files: GO Transit, TTC, ...) for transit by the timetable; "
        "a path relative to this file is read from its folder.",
        "list",
        label="Timetables (GTFS zip files)",
        attr="transit.gtfs",
    ),
    Key(
        "transit",
        "access",
        'How you reach the first stop: "walk", or "drive" (park-and-ride).',
        "choice",
        ("walk", "drive"),
        label="To the first stop",
        attr="transit.access",
        problem="{value!r} is not walk or drive",
    ),
    Key(
        "transit",
        "min_transfer_minutes",
        "Minutes at least between two rides when the feed gives no transfer time.",
        "int",
        label="Minutes to change trains",
        attr="transit.min_transfer_minutes",
        bounds=(0, 60),
    ),
    Key(
        "caldav",
        "publish_to",
        "The CalDAV calendar the plan is published into (its address; chosen in the "
        "window's CalDAV account dialog).",
        "text",
        label="Publish the plan to (CalDAV calendar)",
        attr="caldav.publish_to",
    ),
    Key(
        "caldav",
        "publish_user",
        "The user name of that calendar's account (its password stays in the keyring).",
        "text",
        label="Publishing account's user",
        attr="caldav.publish_user",
    ),
    Key(
        "caldav",
        "publish_automatically",
        "Whether the window publishes the week into that calendar after every change "
        "(default false: File › Publish to calendar, or `planner publish`).",
        "bool",
        label="Publish to your calendar after every change",
        attr="caldav.publish_automatically",
    ),
)


def _help_rows() -> Iterator[tuple[str, str, str]]:
    for key in SCHEMA:
        yield key.section, key.name, key.doc
        if key.layout in ("named", "array"):
            yield from ((key.section, c.name, c.doc) for c in key.columns if c.name != "NAME")


KEYS: tuple[tuple[str, str, str], ...] = tuple(_help_rows())
"""(section, key, description) for ``planner settings-help``: SCHEMA, tables with their columns."""


def field_names() -> list[str]:
    """The Settings attributes, for tests that check KEYS covers the schema."""
    return [f.name for f in fields(Settings)]
