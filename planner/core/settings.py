"""The user's rules and places, read from a TOML file.

One typed schema with defaults: every key the settings file may hold is a
field here, with its TOML section and name, so the file, the docs
(``planner settings-help``) and the code cannot drift apart. Unknown keys and
wrong types are reported by name instead of being silently ignored, because a
misspelt ``weekly_hours`` that quietly falls back to the default would plan a
different week than the user asked for.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import reduce
from pathlib import Path
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from planner.core.model import Place, TravelMode

SCHEMA_VERSION = 1


class SettingsError(ValueError):
    """A settings file that cannot be used, with the file and key named."""


_LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_place(name: str, text: str, where: str = "") -> Place:
    """A place from settings text: ``"lat, lon"`` or an address.

    An address without coordinates stays unresolved here; resolving it is the
    travel module's job (with the user's consent for geocoding). ``where``
    names the key in error messages (the place's name when not given).
    """
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SettingsError(f"{where or name}: {text!r} is not a valid latitude, longitude")
        return Place(name=name, lat=lat, lon=lon)
    return Place(name=name, address=text.strip())


def place_text(place: Place) -> str:
    """The settings text :func:`parse_place` reads back as ``place``.

    The address wins when there is one, because it is what the user wrote
    (coordinates found for it later come from the geocoder). Coordinates are
    written in positional notation: ``repr`` would give ``1e-05``, which
    reads back as an address.
    """
    if place.address:
        return place.address
    if place.lat is None or place.lon is None:
        return ""
    return f"{_decimal(place.lat)}, {_decimal(place.lon)}"


def _decimal(number: float) -> str:
    return format(Decimal(repr(number)), "f")


@dataclass(frozen=True, slots=True)
class SavedPlace:
    """A named place (office, campus) with optional coordinates and aliases.

    ``match`` lists words that, found in a commitment's LOCATION, mean the user
    is at this place (so "Office" or "Allstate Pkwy" both resolve to work).
    """

    place: Place
    match: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GeocodingSettings:
    """Turning addresses into positions: nothing is sent without ``consent``.

    ``consent`` is None until the user has been asked. ``url`` points at a
    self-hosted service (e.g. "http://127.0.0.1:8080"); the public Nominatim
    asks for a real user agent and at most one request a second.
    """

    consent: bool | None = None
    provider: str = "nominatim"
    url: str = ""
    user_agent: str = "planner/0.1 (desktop time-budget planner)"
    min_delay_seconds: float = 1.0
    timeout_seconds: float = 10.0

    @property
    def service(self) -> str:
        """Who would receive the addresses, in the words a consent question uses."""
        if self.url:
            return self.url
        if self.provider.lower() == "nominatim":
            return "OpenStreetMap Nominatim"
        return self.provider or "the geocoder"


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """An optional routing service (OSRM or Valhalla) for real road times; off by default."""

    provider: str = ""
    url: str = ""
    timeout_seconds: float = 3.0


@dataclass(frozen=True, slots=True)
class TravelOverride:
    """A trip the user knows: "Whitby to downtown Toronto by GO train: 70 min".

    ``origin`` and ``destination`` are place texts (saved place names,
    "lat, lon", addresses or city names); a trip matches when both ends are
    within ``radius_km`` of them and the mode matches (any mode if None).
    """

    origin: str
    destination: str
    minutes: int
    mode: TravelMode | None = None
    radius_km: float = 2.0


@dataclass(frozen=True, slots=True)
class CategoryRule:
    """Weight and weekly/monthly caps for one event category."""

    weight: float = 1.0
    max_per_week: int | None = None
    max_per_month: int | None = None
    min_per_week: int | None = None
    """A target, not a limit: met when the week allows, reported when it does not."""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class ProtectedTime:
    """A weekly time kept free ("Wednesday evenings are for the kids")."""

    days: tuple[int, ...]
    start: time
    end: time
    label: str = ""


@dataclass(frozen=True, slots=True)
class FlexibleBlock:
    """Time to place anywhere that fits: "a 1-hour coffee or call twice a week, 12-14"."""

    name: str
    minutes: int
    times_per_week: int
    days: tuple[int, ...]
    start: time
    end: time
    category: str = ""
    stars: int = 3
    place: str = ""
    """Where it happens: "" for a call or online work (no travel), else a saved place name."""


@dataclass(frozen=True, slots=True)
class KeywordStars:
    """Stars for every event whose title or description mentions ``match``."""

    match: str
    stars: int


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the planner needs to know about the user's rules."""

    timezone: str = "America/Toronto"
    home: Place = field(default_factory=lambda: Place(name="home"))
    home_text: str = ""
    places: tuple[SavedPlace, ...] = ()
    travel_mode: TravelMode = TravelMode.DRIVE
    unknown_place_minutes: int = 45
    rush_hour: dict[int, float] | None = None
    """Weekday congestion by local hour of departure; None: the built-in curve."""
    overrides: tuple[TravelOverride, ...] = ()
    geocoding: GeocodingSettings = field(default_factory=GeocodingSettings)
    routing: RoutingSettings = field(default_factory=RoutingSettings)
    weekly_hours: float = 3.0
    counts_travel: bool = True
    max_events_per_week: int = 3
    max_events_per_day: int = 1
    max_evenings_out: int = 3
    monthly_money: float | None = None
    earliest_leave: time = time(6, 0)
    latest_home: time = time(22, 0)
    protect_weekends: bool = True
    protected: tuple[ProtectedTime, ...] = ()
    tentative_is_busy: bool = True
    volunteer: bool = False
    keyword_stars: tuple[KeywordStars, ...] = ()
    flexible: tuple[FlexibleBlock, ...] = ()
    evening_starts: time = time(17, 0)
    default_stars: int = 3
    categories: dict[str, CategoryRule] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekly_minutes(self) -> int:
        return round(self.weekly_hours * 60)

    def category(self, name: str) -> CategoryRule:
        return self.categories.get(name.lower(), CategoryRule())


Kind = Literal["bool", "int", "float", "text", "time", "choice", "list", "table"]
"""What a key holds, which is also which editor a form gives it."""


class Key(NamedTuple):
    """One key of the settings file: where it sits, what it means, what it holds.

    The file reader's documentation (``planner settings-help``), the writer
    (:func:`settings_to_dict`) and the settings dialog all walk the same
    :data:`SCHEMA`, so a key added here appears in all three or the tests say
    which one is missing.

    ``attr`` is the attribute holding the value when it is not ``name``: on
    :class:`Settings` for a key (dotted for nested settings, e.g.
    ``geocoding.url``), on the row object for a table column. A table's
    ``NAME`` column without one holds the name a mapping files the row under.
    ``optional`` keys may be left out, which means "no limit" or "not
    decided"; ``limits`` bound an editor, not the file. A ``table`` holds rows
    of ``columns``: ``layout`` says whether they are named tables
    (``[places.office]``, the name in the ``NAME`` column), an array of tables
    (``[[stars]]``) or a mapping of one value per name (``rush_hour``).
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


def _table(
    section: str,
    doc: str,
    layout: Literal["named", "array"],
    attr: str,
    label: str,
    *columns: Key,
) -> Key:
    names = ", ".join(c.name for c in columns if c.name != "NAME")
    return Key(section, names, doc, "table", (), label, attr, columns=columns, layout=layout)


_MODES = tuple(m.value for m in TravelMode)
_PLACE_TEXT = 'a saved place name, "lat, lon", an address or a city'

# Every key the TOML file may hold, in the order of `planner settings-help`
# and of the file planner writes.
SCHEMA: tuple[Key, ...] = (
    Key(
        "general",
        "timezone",
        "IANA time zone of the user; floating times are read in it.",
        "text",
        label="Time zone",
    ),
    Key(
        "home",
        "location",
        'Home as "lat, lon", or an address (placed by the gazetteer offline, precisely'
        " with geocoding consent).",
        "text",
        label="Home",
        attr="home_text",
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
        ),
        Key(
            "places.NAME",
            "match",
            "Words in a commitment's LOCATION meaning you are at this place.",
            "list",
        ),
    ),
    Key(
        "travel",
        "mode",
        "drive, transit, bike or walk.",
        "choice",
        _MODES,
        label="Travel by",
        attr="travel_mode",
    ),
    Key(
        "travel",
        "unknown_place_minutes",
        "Minutes each way assumed when a venue has no position.",
        "int",
        label="Minutes to a venue with no position",
        limits=(0, 600),
    ),
    Key(
        "travel",
        "rush_hour",
        'Weekday traffic by hour of departure, e.g. { "17" = 1.6 }; left out: the built-in curve.',
        "table",
        label="Rush hour",
        optional=True,
        columns=(
            Key("travel.rush_hour", "hour", "Hour of departure, 0 to 23.", "int", limits=(0, 23)),
            Key(
                "travel.rush_hour",
                "factor",
                "How much slower than free flow, 0.5 to 5 (1.6: 60% slower).",
                "float",
                limits=(0.5, 5),
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
        ),
        Key(
            "travel.override",
            "mode",
            "The travel mode it is for; not set: any mode.",
            "choice",
            _MODES,
            optional=True,
        ),
        Key(
            "travel.override",
            "radius_km",
            "How close, in km, both ends must be to the places named (default 2).",
            "float",
            limits=(0, 100),
        ),
    ),
    Key("budget", "weekly_hours", "Hours a week for events.", "float", limits=(0, 168)),
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
    ),
    Key(
        "budget",
        "max_events_per_day",
        "At most this many events a day.",
        "int",
        label="Events a day, at most",
        limits=(0, 10),
    ),
    Key(
        "budget",
        "max_evenings_out",
        "At most this many evenings out a week.",
        "int",
        label="Evenings out a week, at most",
        limits=(0, 7),
    ),
    Key(
        "budget",
        "monthly_money",
        "Dollars a month for tickets (omit for no limit).",
        "float",
        label="Dollars a month for tickets",
        optional=True,
        limits=(0, 100_000),
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
        limits=(0, 5),
    ),
    _table(
        "rules.protected",
        'Weekly times kept free, e.g. days = ["wed"], from = "18:00" (array of tables).',
        "array",
        "protected",
        "Protected times",
        Key(
            "rules.protected",
            "days",
            "Days it applies to, e.g. mon, wed; not set: every day.",
            "list",
            WEEKDAYS,
        ),
        Key("rules.protected", "from", 'Start, "HH:MM" (default 00:00).', "time", attr="start"),
        Key("rules.protected", "to", 'End, "HH:MM" or "24:00" (the default).', "time", attr="end"),
        Key("rules.protected", "label", "What the time is for, shown in reasons.", "text"),
    ),
    _table(
        "categories.NAME",
        "Rules for the events of one category (CATEGORIES in the calendar).",
        "named",
        "categories",
        "Categories",
        Key("categories.NAME", "NAME", "The category, e.g. professional.", "text"),
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
    ),
    _table(
        "stars",
        'Stars for events mentioning a text, e.g. "Help Desk Institute".',
        "array",
        "keyword_stars",
        "Stars by keyword",
        Key("stars", "match", "Text in the event's title or description.", "text"),
        Key("stars", "stars", "Stars, 0 to 5.", "int", limits=(0, 5)),
    ),
    _table(
        "flexible",
        "Time the planner places where it fits, e.g. a 60-minute coffee twice a week, 12-14.",
        "array",
        "flexible",
        "Flexible blocks",
        Key("flexible", "name", "What the time is for.", "text"),
        Key("flexible", "minutes", "How long each time, in minutes.", "int"),
        Key("flexible", "times_per_week", "How many times a week, 1 to 7.", "int", limits=(1, 7)),
        Key(
            "flexible",
            "days",
            "Days it may go on, e.g. mon, tue; not set: every day.",
            "list",
            WEEKDAYS,
        ),
        Key("flexible", "from", 'Earliest start, "HH:MM".', "time", attr="start"),
        Key("flexible", "to", 'Latest end, "HH:MM".', "time", attr="end"),
        Key("flexible", "category", "Category it counts as (optional).", "text"),
        Key("flexible", "stars", "Stars, 0 to 5.", "int", limits=(0, 5)),
        Key("flexible", "place", 'A saved place name, or "" for a call (no travel).', "text"),
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
)


def _help_rows() -> Iterator[tuple[str, str, str]]:
    for key in SCHEMA:
        yield key.section, key.name, key.doc
        if key.layout in ("named", "array"):
            yield from ((key.section, c.name, c.doc) for c in key.columns if c.name != "NAME")


KEYS: tuple[tuple[str, str, str], ...] = tuple(_help_rows())
"""(section, key, description) for ``planner settings-help``: SCHEMA, tables with their columns."""


_KIND_NAMES = {
    int: "a whole number",
    float: "a number",
    str: "text in quotes",
    bool: "true or false",
    dict: "a [table]",
    list: "a list",
}


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    numeric = kind in (int, float, (int, float))
    name = _KIND_NAMES.get(kind, str(kind)) if isinstance(kind, type) else "a number"
    if (isinstance(value, bool) and numeric) or not isinstance(value, kind):
        raise SettingsError(f"{where}: expected {name}, got {value!r}")
    return value


def _clock(value: Any, where: str) -> time:
    text = _expect(value, str, where)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SettingsError(f'{where}: expected a time of day like "22:00", got {text!r}')
    return time(int(match.group(1)), int(match.group(2)))


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SettingsError(f"[{where}]: unknown key(s) {', '.join(unknown)}")


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    return dict(_expect(table, dict, f"[{name}]"))


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Build Settings from parsed TOML, validating every key."""
    sections = {
        "schema_version",
        "general",
        "home",
        "places",
        "travel",
        "budget",
        "rules",
        "geocoding",
        "routing",
        "stars",
        "flexible",
    }
    _check_keys(data, sections | {"categories"}, "top level")
    base = Settings()
    out: dict[str, Any] = {}

    general = _section(data, "general")
    _check_keys(general, {"timezone"}, "general")
    if "timezone" in general:
        tz = _expect(general["timezone"], str, "[general] timezone")
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"[general] timezone: unknown time zone {tz!r}") from exc
        out["timezone"] = tz

    home = _section(data, "home")
    _check_keys(home, {"location"}, "home")
    if "location" in home:
        text = _expect(home["location"], str, "[home] location")
        out["home"] = parse_place("home", text, "[home] location")
        out["home_text"] = text

    places = []
    for name, table in _section(data, "places").items():
        table = _expect(table, dict, f"[places.{name}]")
        _check_keys(table, {"location", "match"}, f"places.{name}")
        text = _expect(table.get("location", ""), str, f"[places.{name}] location")
        match = tuple(_expect(m, str, f"[places.{name}] match") for m in table.get("match", [name]))
        places.append(SavedPlace(parse_place(name, text, f"[places.{name}] location"), match))
    out["places"] = tuple(places)

    travel = _section(data, "travel")
    _check_keys(travel, {"mode", "unknown_place_minutes", "rush_hour", "override"}, "travel")
    if "rush_hour" in travel:
        out["rush_hour"] = _rush_hour(_expect(travel["rush_hour"], dict, "[travel] rush_hour"))
    out["overrides"] = tuple(
        _override(_expect(o, dict, "[[travel.override]]"), i)
        for i, o in enumerate(_expect(travel.get("override", []), list, "[[travel.override]]"))
    )
    out["geocoding"] = _geocoding(_section(data, "geocoding"))
    out["routing"] = _routing(_section(data, "routing"))
    if "mode" in travel:
        mode = _expect(travel["mode"], str, "[travel] mode")
        try:
            out["travel_mode"] = TravelMode(mode.lower())
        except ValueError as exc:
            choices = ", ".join(m.value for m in TravelMode)
            raise SettingsError(f"[travel] mode: {mode!r} is not one of {choices}") from exc
    if "unknown_place_minutes" in travel:
        out["unknown_place_minutes"] = _expect(
            travel["unknown_place_minutes"], int, "[travel] unknown_place_minutes"
        )

    budget = _section(data, "budget")
    numbers = {"weekly_hours": (int, float), "monthly_money": (int, float)}
    ints = ("max_events_per_week", "max_events_per_day", "max_evenings_out")
    _check_keys(budget, {*numbers, *ints, "counts_travel", "volunteer"}, "budget")
    if "volunteer" in budget:
        out["volunteer"] = _expect(budget["volunteer"], bool, "[budget] volunteer")
    for key, kind in numbers.items():
        if key in budget:
            value = float(_expect(budget[key], kind, f"[budget] {key}"))
            if value < 0:
                raise SettingsError(f"[budget] {key}: must not be negative, got {value}")
            out[key] = value
    for key in ints:
        if key in budget:
            value = _expect(budget[key], int, f"[budget] {key}")
            if value < 0:
                raise SettingsError(f"[budget] {key}: must not be negative, got {value}")
            out[key] = value
    if "counts_travel" in budget:
        out["counts_travel"] = _expect(budget["counts_travel"], bool, "[budget] counts_travel")

    rules = _section(data, "rules")
    clocks = ("earliest_leave", "latest_home", "evening_starts")
    _check_keys(
        rules,
        {*clocks, "protect_weekends", "tentative_is_busy", "default_stars", "protected"},
        "rules",
    )
    for key in clocks:
        if key in rules:
            out[key] = _clock(rules[key], f"[rules] {key}")
    if "tentative_is_busy" in rules:
        out["tentative_is_busy"] = _expect(
            rules["tentative_is_busy"], bool, "[rules] tentative_is_busy"
        )
    if "protect_weekends" in rules:
        out["protect_weekends"] = _expect(
            rules["protect_weekends"], bool, "[rules] protect_weekends"
        )
    if "default_stars" in rules:
        stars = _expect(rules["default_stars"], int, "[rules] default_stars")
        if not 0 <= stars <= 5:
            raise SettingsError(f"[rules] default_stars: must be 0 to 5, got {stars}")
        out["default_stars"] = stars

    categories = {}
    for name, table in _section(data, "categories").items():
        where = f"categories.{name}"
        table = _expect(table, dict, f"[{where}]")
        _check_keys(table, {"weight", "max_per_week", "max_per_month", "min_per_week"}, where)
        rule = CategoryRule(
            weight=float(_expect(table.get("weight", 1.0), (int, float), f"[{where}] weight")),
            max_per_week=table.get("max_per_week"),
            max_per_month=table.get("max_per_month"),
            min_per_week=table.get("min_per_week"),
        )
        for key in ("max_per_week", "max_per_month", "min_per_week"):
            if getattr(rule, key) is not None:
                _expect(getattr(rule, key), int, f"[{where}] {key}")
        categories[name.lower()] = rule
    out["categories"] = categories
    out["keyword_stars"] = tuple(
        _keyword(_expect(t, dict, "[[stars]]"), i)
        for i, t in enumerate(_expect(data.get("stars", []), list, "[[stars]]"))
    )
    out["flexible"] = tuple(
        _flexible(_expect(t, dict, "[[flexible]]"), i)
        for i, t in enumerate(_expect(data.get("flexible", []), list, "[[flexible]]"))
    )
    out["protected"] = tuple(
        _protected(_expect(t, dict, "[[rules.protected]]"), i)
        for i, t in enumerate(_expect(rules.get("protected", []), list, "[[rules.protected]]"))
    )
    return replace(base, **out)


def _keyword(table: dict[str, Any], index: int) -> KeywordStars:
    where = f"[[stars]] #{index + 1}"
    _check_keys(table, {"match", "stars"}, where.strip("[]"))
    match = _expect(table.get("match", ""), str, f"{where} match").strip()
    stars = _expect(table.get("stars"), int, f"{where} stars")
    if not match or not 0 <= stars <= 5:
        raise SettingsError(f"{where}: needs a match text and stars from 0 to 5")
    return KeywordStars(match, stars)


def _flexible(table: dict[str, Any], index: int) -> FlexibleBlock:
    where = f"[[flexible]] #{index + 1}"
    names = {
        "name",
        "minutes",
        "times_per_week",
        "days",
        "from",
        "to",
        "category",
        "stars",
        "place",
    }
    _check_keys(table, names, where.strip("[]"))
    window = _protected({k: table[k] for k in ("days", "from", "to") if k in table}, index, where)
    minutes = _expect(table.get("minutes"), int, f"{where} minutes")
    times = _expect(table.get("times_per_week", 1), int, f"{where} times_per_week")
    stars = _expect(table.get("stars", 3), int, f"{where} stars")
    span = datetime.combine(date.min, window.end) - datetime.combine(date.min, window.start)
    if not 5 <= minutes <= span.total_seconds() / 60:
        raise SettingsError(f"{where} minutes: must fit between 'from' and 'to'")
    if not 1 <= times <= 7 or not 0 <= stars <= 5:
        raise SettingsError(f"{where}: times_per_week is 1 to 7 and stars 0 to 5")
    return FlexibleBlock(
        name=_expect(table.get("name", "Flexible block"), str, f"{where} name"),
        minutes=minutes,
        times_per_week=times,
        days=window.days,
        start=window.start,
        end=window.end,
        category=_expect(table.get("category", ""), str, f"{where} category").lower(),
        stars=stars,
        place=_expect(table.get("place", ""), str, f"{where} place"),
    )


def _protected(table: dict[str, Any], index: int, where: str = "") -> ProtectedTime:
    where = where or f"[[rules.protected]] #{index + 1}"
    _check_keys(table, {"days", "from", "to", "label"}, where.strip("[]"))
    days = []
    for day in _expect(table.get("days", list(WEEKDAYS)), list, f"{where} days"):
        name = _expect(day, str, f"{where} days").strip().lower()[:3]
        if name not in WEEKDAYS:
            raise SettingsError(f"{where} days: {day!r} is not a day (mon ... sun)")
        days.append(WEEKDAYS.index(name))
    start = _clock(table.get("from", "00:00"), f"{where} from")
    end_text = table.get("to", "23:59")
    end = time(23, 59, 59) if end_text in ("24:00", "23:59") else _clock(end_text, f"{where} to")
    if end <= start:
        raise SettingsError(f"{where}: 'to' must be after 'from'")
    label = _expect(table.get("label", ""), str, f"{where} label")
    return ProtectedTime(tuple(days), start, end, label)


def _rush_hour(table: dict[str, Any]) -> dict[int, float]:
    curve = {}
    for hour, factor in table.items():
        where = f"[travel] rush_hour {hour!r}"
        if not str(hour).isdigit() or not 0 <= int(hour) <= 23:
            raise SettingsError(f'{where}: hours are 0 to 23, as text: "17" = 1.6')
        value = float(_expect(factor, (int, float), where))
        if not 0.5 <= value <= 5:
            raise SettingsError(f"{where}: a traffic factor is between 0.5 and 5, got {value}")
        curve[int(hour)] = value
    return curve


def _override(table: dict[str, Any], index: int) -> TravelOverride:
    where = f"[[travel.override]] #{index + 1}"
    _check_keys(table, {"from", "to", "minutes", "mode", "radius_km"}, where.strip("[]"))
    for key in ("from", "to", "minutes"):
        if key not in table:
            raise SettingsError(f"{where}: {key!r} is missing")
    minutes = _expect(table["minutes"], int, f"{where} minutes")
    if minutes <= 0:
        raise SettingsError(f"{where} minutes: must be positive, got {minutes}")
    mode = None
    if "mode" in table:
        text = _expect(table["mode"], str, f"{where} mode")
        try:
            mode = TravelMode(text.lower())
        except ValueError as exc:
            raise SettingsError(f"{where} mode: {text!r} is not a travel mode") from exc
    return TravelOverride(
        origin=_expect(table["from"], str, f"{where} from"),
        destination=_expect(table["to"], str, f"{where} to"),
        minutes=minutes,
        mode=mode,
        radius_km=float(_expect(table.get("radius_km", 2.0), (int, float), f"{where} radius_km")),
    )


def _geocoding(table: dict[str, Any]) -> GeocodingSettings:
    names = {"consent", "provider", "url", "user_agent", "min_delay_seconds", "timeout_seconds"}
    _check_keys(table, names, "geocoding")
    base = GeocodingSettings()
    return GeocodingSettings(
        consent=_expect(table["consent"], bool, "[geocoding] consent")
        if "consent" in table
        else None,
        provider=_expect(table.get("provider", base.provider), str, "[geocoding] provider"),
        url=_expect(table.get("url", base.url), str, "[geocoding] url"),
        user_agent=_expect(table.get("user_agent", base.user_agent), str, "[geocoding] user_agent"),
        min_delay_seconds=float(
            _expect(
                table.get("min_delay_seconds", base.min_delay_seconds),
                (int, float),
                "[geocoding] min_delay_seconds",
            )
        ),
        timeout_seconds=float(
            _expect(
                table.get("timeout_seconds", base.timeout_seconds),
                (int, float),
                "[geocoding] timeout_seconds",
            )
        ),
    )


def _routing(table: dict[str, Any]) -> RoutingSettings:
    _check_keys(table, {"provider", "url", "timeout_seconds"}, "routing")
    provider = _expect(table.get("provider", ""), str, "[routing] provider").lower()
    if provider not in ("", "osrm", "valhalla"):
        raise SettingsError(f"[routing] provider: {provider!r} is not osrm or valhalla")
    url = _expect(table.get("url", ""), str, "[routing] url")
    if provider and not url:
        raise SettingsError("[routing] url: needed when a provider is set")
    return RoutingSettings(
        provider,
        url,
        float(
            _expect(table.get("timeout_seconds", 3.0), (int, float), "[routing] timeout_seconds")
        ),
    )


def load_settings(path: Path | str) -> Settings:
    """Read and validate a settings file; errors name the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"{path}: settings file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    return load_settings_text(data, str(path))


def load_settings_text(data: dict[str, Any], origin: str) -> Settings:
    """Validate already-parsed TOML, prefixing errors with where it came from."""
    try:
        return settings_from_dict(data)
    except SettingsError as exc:
        raise SettingsError(f"{origin}: {exc}") from exc


def field_names() -> list[str]:
    """The Settings attributes, for tests that check KEYS covers the schema."""
    return [f.name for f in fields(Settings)]


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The TOML document that :func:`settings_from_dict` reads back as ``settings``.

    It is built by walking :data:`SCHEMA`, so a key the reader knows and the
    writer forgets fails the round-trip tests instead of vanishing from the
    user's file. Every key is written, defaults included, so the file says
    exactly what planner plans with; optional keys that are not set (no money
    limit, consent not decided) and empty tables are left out, as a person
    would. Settings built by hand rather than read from a file round-trip as
    long as they are what some file would give (category names in lower case,
    times in whole minutes).
    """
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key in SCHEMA:
        value = _home_text(settings) if key.field == "home_text" else _attr(settings, key.field)
        if value is None or (key.kind == "table" and not value and key.layout != "mapping"):
            continue
        toml = _table_to_toml(key, value) if key.kind == "table" else _toml_value(value, key)
        *sections, name = key.path
        table = data
        for section in sections:
            table = table.setdefault(section, {})
        table[name] = toml
    return data


def _home_text(settings: Settings) -> str | None:
    # home_text is what the user wrote; settings made in code may only have the Place.
    return settings.home_text or place_text(settings.home) or None


def _attr(obj: object, dotted: str) -> Any:
    return reduce(getattr, dotted.split("."), obj)


def _toml_value(value: Any, key: Key) -> Any:
    if isinstance(value, Place):
        return place_text(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, time):
        return _clock_text(value)
    if isinstance(value, tuple | list):
        return [key.choices[v] if key.choices and isinstance(v, int) else v for v in value]
    return value


def _clock_text(value: time) -> str:
    # A protected time "to 24:00" is read as the last second of the day.
    return "24:00" if value == time(23, 59, 59) else f"{value.hour:02d}:{value.minute:02d}"


def _table_to_toml(key: Key, value: Any) -> Any:
    if key.layout == "mapping":
        return {str(name): number for name, number in value.items()}
    named = value.items() if isinstance(value, dict) else (("", row) for row in value)
    rows = []
    for name, row in named:
        cells = {}
        for column in key.columns:
            cell = name if column.field == "NAME" else _attr(row, column.field)
            if cell is not None:
                cells[column.name] = _toml_value(cell, column)
        rows.append(cells)
    if key.layout == "named":
        return {row.pop("NAME"): row for row in rows}
    return rows


HEADER = (
    "# planner settings: `planner settings-help` explains every key.\n"
    "# planner rewrites this file when you change its settings; only this\n"
    "# opening comment is kept.\n"
)


def save_settings(settings: Settings, path: Path | str, header: str | None = None) -> None:
    """Write ``settings`` as TOML, atomically, keeping the file's opening comment.

    The text goes to a temporary file next to the target, which then replaces
    it in one step: a crash or a full disk leaves the old file, never half a
    file that would stop planner from starting. What would be written is
    validated first, so planner never writes a file it would then refuse.
    The opening comment block of an existing file (or ``header``, or
    :data:`HEADER` for a new file) is kept; comments further down are lost,
    since the settings hold no comments. A symbolic link is followed, so a
    settings file kept in a dotfiles folder stays there.

    Raises:
        SettingsError: when the settings would not read back.
        OSError: when the file cannot be written.
    """
    data = settings_to_dict(settings)
    settings_from_dict(data)
    target = Path(path).resolve()
    if header is None:
        header = _opening_comment(target) or HEADER
    lines = [line if line.startswith("#") else f"# {line}".rstrip() for line in header.splitlines()]
    text = "\n".join(lines) + "\n\n" + tomli_w.dumps(data)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileNotFoundError):
            shutil.copymode(target, temporary)
        Path(temporary).replace(target)  # os.replace: atomic
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _opening_comment(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    lines = []
    for line in text.lstrip("\ufeff").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)
