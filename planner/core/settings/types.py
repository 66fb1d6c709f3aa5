"""What the settings hold: frozen dataclasses, one per part of the user's rules.

They are plain values so that the planner, the travel model, the dialog and
the store can share one :class:`Settings` without any of them changing it
behind the others' backs; a change is a new object (``dataclasses.replace``).
Their defaults are the defaults of the settings file: a key left out of the
file reads as the default given here, and the writer leaves out a key nobody
wrote whose value is this default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from zoneinfo import ZoneInfo

from planner.core.model import Place, TravelMode

SCHEMA_VERSION = 1
"""The version of the file's layout, written as ``schema_version``."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as the file writes them, Monday first (``date.weekday()`` order)."""


class SettingsError(ValueError):
    """A settings file that cannot be used, with the file and key named."""


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
class WebSettings:
    """Reading an event from its web page: nothing is requested without ``fetch``.

    A link given to ``planner add`` is fetched only with this consent (or ``--fetch``
    on the command), because fetching tells the site's owner who asked for the page.
    """

    fetch: bool = False
    fill_venues: bool = False
    """Whether a feed event that has a link but no place (Meetup's group feeds) may have
    its page fetched once to read the venue: a consent of its own, since every such
    event is one request to the site that publishes it."""


@dataclass(frozen=True, slots=True)
class CalDAVSettings:
    """The CalDAV calendar planner publishes the plan into (chosen in the window's CalDAV
    account dialog); the account's password is never here, only in the keyring."""

    publish_to: str = ""
    """The calendar's address ("" publishes nowhere)."""
    publish_user: str = ""
    publish_automatically: bool = False
    """Whether the window publishes after every change (off: the user's own calendar is
    written when they ask, by File › Publish to calendar or ``planner publish``)."""


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """An optional routing service (OSRM or Valhalla) for real road times; off by default."""

    provider: str = ""
    url: str = ""
    timeout_seconds: float = 3.0


@dataclass(frozen=True, slots=True)
class TransitSettings:
    """Travel by the timetable: GTFS feeds (zip files) and how to reach their stops.

    ``gtfs`` holds the feeds' paths; one written relative is relative to the settings
    file it is in (:func:`~planner.core.settings.load_settings` makes it absolute).
    ``access`` "drive" is park-and-ride: drive to the stop, then ride.
    """

    gtfs: tuple[str, ...] = ()
    access: str = "walk"
    min_transfer_minutes: int = 2


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
    late_minutes: int | None = None
    """Minutes late that are fine for this category's events (None: ``[rules]``'s)."""


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
    web: WebSettings = field(default_factory=WebSettings)
    transit: TransitSettings = field(default_factory=TransitSettings)
    caldav: CalDAVSettings = field(default_factory=CalDAVSettings)
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
    late_minutes: int = 0
    """Minutes late that are fine for an event (a mixer, not a talk's first minutes)."""
    categories: dict[str, CategoryRule] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def weekly_minutes(self) -> int:
        return round(self.weekly_hours * 60)

    def category(self, name: str) -> CategoryRule:
        return self.categories.get(name.lower(), CategoryRule())

    def late_allowed(self, category: str) -> int:
        """Minutes late that are fine for an event of ``category``: its own rule, else the
        default of ``[rules]``."""
        own = self.category(category).late_minutes if category else None
        return self.late_minutes if own is None else own
