"""The geocoder: an address sent to geopy's provider, and what its answer is worth.

Only the resolver (:mod:`planner.core.travel.places`) calls it, and only with
the user's consent. Here is what talking to the service takes: the
:data:`Geocode` contract, :class:`GeopyGeocoder` (Nominatim by default,
rate-limited once per process, biased towards home), how precise an answer
is (:func:`precision_from_raw`: a house or a town's centre), and which
failures mean the service is unusable for the session
(:func:`gives_up_at_once`).

geopy is imported when the first geocoder is built, not with this module
(about 50 ms that start-up need not pay).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from planner.core.settings import GeocodingSettings

Geocode = Callable[[str], tuple[float, float, str] | None]
"""A geocoder: address -> (lat, lon, kind), None when it knows no such place.

``kind`` is a precision ("exact", "city") or a feature kind the precision is
derived from ("house", "town", "administrative": see :func:`precision_for`).
A geocoder *raises* when it could not answer (network down, timeout, HTTP
error): that is not "not found" and is never cached as such.
"""

_BIAS_DEGREES = 0.75
"""Half the side of the viewbox around home, in degrees (about 80 km)."""


# --- Precision -------------------------------------------------------------------------

_AREA_KINDS = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "municipality",
        "county",
        "state",
        "state_district",
        "region",
        "province",
        "country",
        "continent",
        "suburb",
        "neighbourhood",
        "neighborhood",
        "quarter",
        "city_district",
        "district",
        "borough",
        "postcode",
        "postalcode",
        "postal_code",
        "administrative",
        "locality",
        "localadmin",
        "island",
        "archipelago",
        "macroregion",
        "macrocounty",
        "macrohood",
        "dependency",
        "political",
        "sublocality",
        "colloquial_area",
    }
)
"""Feature kinds (Nominatim addresstype/type, Photon type, Pelias layer, Google
types) whose position is an area's centre, not a venue's door."""


def precision_for(kind: str) -> str:
    """ "city" for an area kind (town, administrative, postcode...), else "exact".

    "exact" and "city" map to themselves, so a geocoder may answer with a
    precision directly. Roads count as exact, as the issue asks: a street's
    midpoint is usually within walking distance of the venue.
    """
    kind = kind.strip().lower()
    if kind in ("exact", "city"):
        return kind
    if kind in _AREA_KINDS or kind.startswith(("administrative_area", "sublocality")):
        return "city"
    return "exact"


def precision_from_raw(raw: Mapping[str, Any]) -> str:
    """The precision of one geocoder result from its raw JSON.

    Nominatim: ``addresstype`` (newer servers) names what the result *is*;
    otherwise ``type``, and ``class``/``category`` "boundary" is an area.
    Photon and Pelias keep the kind in ``properties``; Google lists
    ``types`` and flags area centres with ``location_type`` APPROXIMATE.
    An unknown shape counts as exact: geocoders answer an address query with
    the address when they have it.
    """
    addresstype = raw.get("addresstype")
    if isinstance(addresstype, str) and addresstype:
        return precision_for(addresstype)
    category = raw.get("class", raw.get("category"))
    kind = raw.get("type")
    if category == "boundary" or (isinstance(kind, str) and precision_for(kind) == "city"):
        return "city"
    if isinstance(kind, str):
        return "exact"
    properties = raw.get("properties")
    if isinstance(properties, Mapping):
        for key in ("type", "layer", "osm_value"):
            value = properties.get(key)
            if isinstance(value, str) and value:
                return precision_for(value)
    types = raw.get("types")
    if isinstance(types, list) and types:
        precise = {"street_address", "premise", "subpremise", "establishment", "route"}
        if precise & {str(t) for t in types}:
            return "exact"
        return "city" if any(precision_for(str(t)) == "city" for t in types) else "exact"
    geometry = raw.get("geometry")
    if isinstance(geometry, Mapping) and geometry.get("location_type") == "APPROXIMATE":
        return "city"
    return "exact"


# --- The geocoder --------------------------------------------------------------------


class GeocoderSetupError(RuntimeError):
    """The configured geocoder cannot be built (unknown provider, needs an API key...)."""


_LIMITERS: dict[tuple[str, str, str, float, float], tuple[Any, bool]] = {}
_LIMITERS_LOCK = threading.Lock()


def _shared_limiter(geo: GeocodingSettings) -> tuple[Any, bool]:
    """geopy's geocoder behind a RateLimiter, one per service per process.

    Sharing it means two resolvers (the GUI's and a background refresh) still
    send at most one request per ``min_delay_seconds`` together. Returns the
    limiter and whether the geocoder is Nominatim (which takes a viewbox).
    """
    key = (
        geo.provider.strip().lower() or "nominatim",
        geo.url.strip(),
        geo.user_agent.strip() or GeocodingSettings().user_agent,
        float(geo.timeout_seconds),
        max(0.0, float(geo.min_delay_seconds)),
    )
    with _LIMITERS_LOCK:
        if key not in _LIMITERS:
            _LIMITERS[key] = _build_limiter(*key)
        return _LIMITERS[key]


def _build_limiter(
    provider: str, url: str, user_agent: str, timeout: float, delay: float
) -> tuple[Any, bool]:
    import inspect

    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim, get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(provider)
    except GeopyError as exc:
        raise GeocoderSetupError(f"unknown geocoding provider {provider!r}") from exc
    accepted = inspect.signature(cls.__init__).parameters
    kwargs: dict[str, Any] = {}
    if "user_agent" in accepted:
        kwargs["user_agent"] = user_agent
    if "timeout" in accepted:
        kwargs["timeout"] = timeout
    if "adapter_factory" in accepted:
        # geopy prefers requests when it is installed (extruct brings it), whose timeouts
        # come back as "unavailable" after urllib3's retries; the standard library's
        # adapter says "timed out" and asks once, whatever else is installed.
        from geopy.adapters import URLLibAdapter

        kwargs["adapter_factory"] = URLLibAdapter
    if url:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if "domain" not in accepted:
            # Never fall back to the public service when the user named their own.
            raise GeocoderSetupError(f"geocoding provider {provider!r} cannot use url {url!r}")
        kwargs["domain"] = parts.netloc + parts.path.rstrip("/")
        if "scheme" in accepted:
            kwargs["scheme"] = parts.scheme
    try:
        geolocator = cls(**kwargs)
    except Exception as exc:  # e.g. a provider that needs an API key
        raise GeocoderSetupError(f"geocoding provider {provider!r}: {exc}") from exc
    limiter = RateLimiter(
        geolocator.geocode,
        min_delay_seconds=delay,
        max_retries=1,
        error_wait_seconds=2 * delay,
        swallow_exceptions=False,
    )
    return limiter, isinstance(geolocator, Nominatim)


class GeopyGeocoder:
    """The default :data:`Geocode`: geopy's provider, rate-limited, biased to home.

    Nominatim by default with planner's user agent; ``url`` points it at a
    self-hosted server (``domain`` and ``scheme``). One retry after an error
    (``max_retries=1``, waiting twice the delay); then the error is raised,
    for the resolver to report without caching it.
    """

    def __init__(
        self,
        geo: GeocodingSettings,
        *,
        near: Callable[[], tuple[float, float] | None] | None = None,
    ) -> None:
        self._limiter, self._nominatim = _shared_limiter(geo)
        self._near = near

    def __call__(self, query: str) -> tuple[float, float, str] | None:
        kwargs: dict[str, Any] = {"exactly_one": True}
        point = self._near() if (self._nominatim and self._near is not None) else None
        if point is not None:
            lat, lon = point
            d = _BIAS_DEGREES
            # Clamped rather than wrapped: a box across the antimeridian would
            # be read inside out, biasing towards the far side of the world.
            south, north = max(-90.0, lat - d), min(90.0, lat + d)
            west, east = max(-180.0, lon - d), min(180.0, lon + d)
            kwargs["viewbox"] = [(south, west), (north, east)]
            kwargs["bounded"] = False
        location = self._limiter(query, **kwargs)
        if location is None:
            return None
        raw = location.raw if isinstance(location.raw, Mapping) else {}
        return float(location.latitude), float(location.longitude), precision_from_raw(raw)


_GIVE_UP_AT_ONCE = frozenset(
    {
        "GeocoderTimedOut",
        "GeocoderUnavailable",
        "GeocoderRateLimited",
        "GeocoderAuthenticationFailure",
        "GeocoderInsufficientPrivileges",
        "GeocoderQuotaExceeded",
        "GeocoderSetupError",
        "TimeoutError",
        "ConnectionError",
    }
)
_OFFLINE_WORDS = re.compile(
    r"refused|unreachable|name or service|nodename|resolution|network is down|timed out", re.I
)
MAX_FAILURES = 3
"""Failures in a row (HTTP 500s and the like) after which a resolver stops asking."""


def gives_up_at_once(exc: BaseException) -> bool:
    """Whether one such error means the service is unusable for this session.

    A timeout already cost two waits (the retry); offline, refused, rate
    limited or forbidden will not change within seconds. An HTTP 500 for one
    query may be that query's problem, so those are only given up on after
    ``MAX_FAILURES`` in a row.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & _GIVE_UP_AT_ONCE) or bool(_OFFLINE_WORDS.search(str(exc)))


def describe_failure(exc: BaseException) -> str:
    """The error in a few words for a note: its message (cut at 120 characters) or its type."""
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
