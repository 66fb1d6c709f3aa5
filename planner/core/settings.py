"""The user's rules and places, read from a TOML file.

One typed schema with defaults: every key the settings file may hold is a
field here, with its TOML section and name, so the file, the docs
(``planner settings-help``) and the code cannot drift apart. Unknown keys and
wrong types are reported by name instead of being silently ignored, because a
misspelt ``weekly_hours`` that quietly falls back to the default would plan a
different week than the user asked for.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.core.model import Place, TravelMode

SCHEMA_VERSION = 1


class SettingsError(ValueError):
    """A settings file that cannot be used, with the file and key named."""


_LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_place(name: str, text: str) -> Place:
    """A place from settings text: ``"lat, lon"`` or an address.

    An address without coordinates stays unresolved here; resolving it is the
    travel module's job (with the user's consent for geocoding).
    """
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SettingsError(f"{name}: {text!r} is not a valid latitude, longitude")
        return Place(name=name, lat=lat, lon=lon)
    return Place(name=name, address=text.strip())


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


# (section, key, description) for every key the TOML file may hold; the order
# is the order of `planner settings-help`.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("general", "timezone", "IANA time zone of the user; floating times are read in it."),
    (
        "home",
        "location",
        'Home as "lat, lon", or an address (placed by the gazetteer offline, precisely'
        " with geocoding consent).",
    ),
    ("places.NAME", "location", 'A saved place (office, campus): "lat, lon" or an address.'),
    ("places.NAME", "match", "Words in a commitment's LOCATION meaning you are at this place."),
    ("travel", "mode", "drive, transit, bike or walk."),
    ("travel", "unknown_place_minutes", "Minutes each way assumed when a venue has no position."),
    ("travel", "rush_hour", 'Weekday traffic by hour of departure, e.g. { "17" = 1.6 }.'),
    (
        "travel.override",
        "from, to, minutes, mode, radius_km",
        "A trip you know, which wins over estimates (array of tables).",
    ),
    ("geocoding", "consent", "Whether addresses may be sent to the geocoder (asked once)."),
    ("geocoding", "provider", "A geopy geocoder name (default nominatim)."),
    ("geocoding", "url", "A self-hosted geocoder, e.g. http://127.0.0.1:8080."),
    ("geocoding", "user_agent", "How planner introduces itself to the geocoder."),
    ("geocoding", "min_delay_seconds", "Seconds between requests (Nominatim: at least 1)."),
    ("geocoding", "timeout_seconds", "How long to wait for the geocoder."),
    ("routing", "provider", 'Real routing: "osrm" or "valhalla" (default off).'),
    ("routing", "url", "The routing service, e.g. http://127.0.0.1:5000."),
    ("routing", "timeout_seconds", "How long to wait before falling back to the estimate."),
    ("budget", "weekly_hours", "Hours a week for events."),
    ("budget", "counts_travel", "Whether travel time counts against weekly_hours."),
    ("budget", "max_events_per_week", "At most this many events a week."),
    ("budget", "max_events_per_day", "At most this many events a day."),
    ("budget", "max_evenings_out", "At most this many evenings out a week."),
    ("budget", "monthly_money", "Dollars a month for tickets (omit for no limit)."),
    ("rules", "earliest_leave", 'Leave home no earlier than this time, "HH:MM".'),
    ("rules", "latest_home", 'Be home no later than this time, "HH:MM".'),
    ("rules", "protect_weekends", "Propose nothing on Saturdays and Sundays."),
    ("rules", "tentative_is_busy", "Whether a TENTATIVE commitment blocks its time."),
    (
        "rules.protected",
        "days, from, to, label",
        'Weekly times kept free, e.g. days = ["wed"], from = "18:00" (array of tables).',
    ),
    ("budget", "volunteer", "You volunteer: events free for volunteers cost you nothing."),
    ("stars", "match, stars", 'Stars for events mentioning a text, e.g. "Help Desk Institute".'),
    (
        "flexible",
        "name, minutes, times_per_week, days, from, to, category, stars, place",
        "Time the planner places where it fits, e.g. a 60-minute coffee twice a week, 12-14.",
    ),
    ("rules", "evening_starts", 'An event ending after this time is an evening out, "HH:MM".'),
    ("rules", "default_stars", "Stars (1-5) of an event with no PRIORITY and no rating."),
    ("categories.NAME", "weight", "Multiplies the value of events of this category."),
    ("categories.NAME", "max_per_week", "At most this many events of this category a week."),
    ("categories.NAME", "max_per_month", "At most this many a calendar month."),
    ("categories.NAME", "min_per_week", "A target: at least this many a week when possible."),
)


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
        out["home"] = parse_place("home", text)
        out["home_text"] = text

    places = []
    for name, table in _section(data, "places").items():
        table = _expect(table, dict, f"[places.{name}]")
        _check_keys(table, {"location", "match"}, f"places.{name}")
        text = _expect(table.get("location", ""), str, f"[places.{name}] location")
        match = tuple(_expect(m, str, f"[places.{name}] match") for m in table.get("match", [name]))
        places.append(SavedPlace(parse_place(name, text), match))
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
