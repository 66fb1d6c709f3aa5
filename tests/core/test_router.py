"""Real routing against OSRM- and Valhalla-speaking servers started on 127.0.0.1.

The servers answer like the real ones (OSRM's ``/route/v1``, Valhalla's
``/route``), computing times from the coordinates they are sent, so a swapped
latitude/longitude or a wrong profile shows up as a wrong number, and they
record every request so caching and the circuit breaker can be counted.
"""

from __future__ import annotations

import json
import math
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from planner import __version__
from planner.core.model import Place, TravelMode
from planner.core.settings import RoutingSettings
from planner.core.travel import estimate as travel
from planner.core.travel.router import (
    NoRouteError,
    OsrmRouter,
    RoutedTravel,
    RouterError,
    UnsupportedModeError,
    ValhallaRouter,
    make_router,
)

TZ = ZoneInfo("America/Toronto")
TIMEOUT = 0.3
WHITBY = Place("home", lat=43.8975, lon=-78.9429)
DOWNTOWN = Place("MaRS", "101 College St", lat=43.6599, lon=-79.3883)
MARKHAM = Place("office", lat=43.8561, lon=-79.3370)
NEARBY = Place("Library", lat=43.8770, lon=-78.9500)
ONLINE = Place("Zoom", virtual=True)
NOWHERE = Place("Somewhere", "12 Unknown Rd")

ROAD_FACTOR = 1.3
KMH = {"driving": 50.0, "cycling": 15.0, "foot": 5.0}
VALHALLA_KMH = {"auto": 50.0, "bicycle": 15.0, "pedestrian": 5.0}


def served(lat1: float, lon1: float, lat2: float, lon2: float, kmh: float) -> tuple[float, float]:
    """What the fake servers answer: (seconds, km), from the coordinates received."""
    km = travel.distance_km(lat1, lon1, lat2, lon2) * ROAD_FACTOR
    return round(km / kmh * 3600.0, 1), round(km, 3)


def served_minutes(a: Place, b: Place, kmh: float) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return served(a.lat, a.lon, b.lat, b.lon, kmh)[0] / 60.0


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    """24 November 2026 is a Tuesday; the 28th a Saturday."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeRouting:
    """State shared by the handler threads: what to answer and what was asked."""

    def __init__(self) -> None:
        self.failure = ""
        self.osrm_error_status = 400
        self.delay = 0.0
        self.redirect_to = ""
        self.car_only = False
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.url = ""

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # Keep test output clean.

    def do_GET(self) -> None:
        self.handle_request(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.handle_request(json.loads(self.rfile.read(length)))

    def handle_request(self, body: Any) -> None:
        fake = self.server.fake
        with fake.lock:
            fake.requests.append(Seen(self.command, self.path, dict(self.headers), body))
        if fake.delay:
            fake.stop.wait(fake.delay)
        if fake.redirect_to or self.path.startswith("/old/"):
            self.send_response(302)
            target = fake.redirect_to + self.path if fake.redirect_to else self.path[4:]
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fake.failure == "500":
            self.send_error(500)
        elif fake.failure == "not_json":
            self.reply(200, b"<html><body>It works!</body></html>", "text/html")
        elif fake.failure == "slow":
            fake.stop.wait(2.0)
            self.reply_json(200, {"code": "Ok", "routes": []})
        elif fake.failure == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                if fake.stop.wait(0.02):
                    return
                self.wfile.write(b" ")
                self.wfile.flush()
        elif fake.failure == "huge":
            self.reply(200, b'{"code": "Ok", "pad": "' + b"x" * 1_200_000 + b'"}')
        elif self.path.startswith("/route/v1/"):
            self.osrm()
        elif self.path == "/route" and self.command == "POST":
            self.valhalla(body)
        else:
            self.reply_json(404, {"error": "Try any of: '/route'", "status_code": 404})

    def osrm(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        _, _, _, profile, coords = parts.path.split("/", 4)
        (lon1, lat1), (lon2, lat2) = (map(float, c.split(",")) for c in coords.split(";"))
        if fake.failure == "no_route":
            answer = {"code": "NoRoute", "message": "Impossible route between points"}
            self.reply_json(fake.osrm_error_status, answer)
            return
        kmh = KMH["driving"] if fake.car_only else KMH[profile]
        seconds, km = served(lat1, lon1, lat2, lon2, kmh)
        waypoints = [{"location": [lon1, lat1], "name": ""}, {"location": [lon2, lat2], "name": ""}]
        route = {"duration": seconds, "distance": km * 1000, "weight": seconds, "legs": []}
        self.reply_json(200, {"code": "Ok", "routes": [route], "waypoints": waypoints})

    def valhalla(self, body: Any) -> None:
        if self.server.fake.failure == "no_route":
            error = {"error_code": 442, "error": "No path could be found for input"}
            self.reply_json(400, {**error, "status_code": 400, "status": "Bad Request"})
            return
        a, b = body["locations"]
        seconds, km = served(a["lat"], a["lon"], b["lat"], b["lon"], VALHALLA_KMH[body["costing"]])
        summary = {"time": seconds, "length": km, "has_toll": False}
        trip = {"summary": summary, "status": 0, "units": "kilometers", "legs": []}
        self.reply_json(200, {"trip": trip})

    def reply_json(self, status: int, answer: Any) -> None:
        self.reply(status, json.dumps(answer).encode())

    def reply(self, status: int, data: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeRouting) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # A client that gave up (timeout, size limit) breaks the pipe: expected.


def start_server() -> Iterator[FakeRouting]:
    fake = FakeRouting()
    server = Server(fake)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield fake
    finally:
        fake.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


@pytest.fixture
def server() -> Iterator[FakeRouting]:
    yield from start_server()


@pytest.fixture
def other_server() -> Iterator[FakeRouting]:
    yield from start_server()


@pytest.fixture
def refused_url() -> str:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def osrm(fake: FakeRouting) -> OsrmRouter:
    return OsrmRouter(fake.url, timeout=TIMEOUT)


def valhalla(fake: FakeRouting) -> ValhallaRouter:
    return ValhallaRouter(fake.url, timeout=TIMEOUT)


# --- OSRM -----------------------------------------------------------------------


def test_osrm_url_puts_longitude_first_and_skips_the_geometry(server):
    result = osrm(server).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)
    (seen,) = server.requests
    assert seen.method == "GET"
    assert seen.path == "/route/v1/driving/-78.942900,43.897500;-79.388300,43.659900?overview=false"
    assert seen.headers["User-Agent"] == f"planner/{__version__}"
    assert result.minutes == pytest.approx(served_minutes(WHITBY, DOWNTOWN, KMH["driving"]))
    assert 55 < result.km < 62  # 45 km straight line, times the server's road factor


@pytest.mark.parametrize(
    ("mode", "profile"), [(TravelMode.BIKE, "cycling"), (TravelMode.WALK, "foot")]
)
def test_osrm_profile_follows_the_mode(server, mode, profile):
    result = osrm(server).route(WHITBY, NEARBY, mode)
    assert server.paths()[0].startswith(f"/route/v1/{profile}/")
    assert result.minutes == pytest.approx(served_minutes(WHITBY, NEARBY, KMH[profile]))


def test_osrm_trailing_slash_in_the_url_is_harmless(server):
    OsrmRouter(server.url + "/", timeout=TIMEOUT).route(WHITBY, NEARBY, TravelMode.DRIVE)
    assert server.paths()[0].startswith("/route/v1/driving/")


@pytest.mark.parametrize("status", [200, 400])
def test_osrm_no_route_is_a_no_route_error(server, status):
    server.failure = "no_route"
    server.osrm_error_status = status
    with pytest.raises(NoRouteError, match="no drive route"):
        osrm(server).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


def test_osrm_server_with_only_a_car_profile_is_not_believed_for_walking(server):
    """osrm-routed ignores the profile in the URL: a 50 km/h "walk" is a car route."""
    server.car_only = True
    with pytest.raises(UnsupportedModeError, match="does not route by walk"):
        osrm(server).route(WHITBY, NEARBY, TravelMode.WALK)
    assert osrm(server).route(WHITBY, NEARBY, TravelMode.DRIVE).km > 1


# --- Valhalla -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "costing"),
    [(TravelMode.DRIVE, "auto"), (TravelMode.BIKE, "bicycle"), (TravelMode.WALK, "pedestrian")],
)
def test_valhalla_posts_locations_costing_and_units(server, mode, costing):
    result = valhalla(server).route(WHITBY, DOWNTOWN, mode)
    (seen,) = server.requests
    assert (seen.method, seen.path) == ("POST", "/route")
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["User-Agent"] == f"planner/{__version__}"
    assert seen.body["locations"] == [
        {"lat": 43.8975, "lon": -78.9429},
        {"lat": 43.6599, "lon": -79.3883},
    ]
    assert (seen.body["costing"], seen.body["units"]) == (costing, "kilometers")
    assert seen.body["directions_type"] == "none"
    assert result.minutes == pytest.approx(served_minutes(WHITBY, DOWNTOWN, VALHALLA_KMH[costing]))
    assert result.km == pytest.approx(served(43.8975, -78.9429, 43.6599, -79.3883, 1)[1])


def test_valhalla_no_path_is_a_no_route_error(server):
    server.failure = "no_route"
    with pytest.raises(NoRouteError, match="No path could be found"):
        valhalla(server).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


def test_valhalla_unknown_path_is_an_error_not_a_missing_route(server):
    router = ValhallaRouter(server.url + "/wrong", timeout=TIMEOUT)
    with pytest.raises(RouterError) as caught:
        router.route(WHITBY, DOWNTOWN, TravelMode.DRIVE)
    assert not isinstance(caught.value, NoRouteError)


# --- Failures at the HTTP level, for both routers -------------------------------


ROUTERS = [pytest.param(OsrmRouter, id="osrm"), pytest.param(ValhallaRouter, id="valhalla")]


@pytest.mark.parametrize("router_class", ROUTERS)
@pytest.mark.parametrize(
    ("failure", "message"),
    [
        ("500", "answered HTTP 500"),
        ("not_json", "did not answer with JSON"),
        ("slow", r"did not answer within 0\.3 s"),
        ("trickle", r"did not answer within 0\.3 s"),
        ("huge", "larger than"),
    ],
)
def test_http_failures_are_router_errors(server, router_class, failure, message):
    server.failure = failure
    with pytest.raises(RouterError, match=message):
        router_class(server.url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


@pytest.mark.parametrize("router_class", ROUTERS)
def test_connection_refused_is_a_router_error(refused_url, router_class):
    with pytest.raises(RouterError, match="unreachable"):
        router_class(refused_url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


@pytest.mark.parametrize("router_class", ROUTERS)
def test_a_redirect_to_another_host_is_not_followed(server, other_server, router_class):
    server.redirect_to = other_server.url  # Same host name, another port: another server.
    with pytest.raises(RouterError, match="another host"):
        router_class(server.url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)
    assert other_server.count == 0


def test_a_redirect_within_the_server_is_followed(server):
    """E.g. a reverse proxy moving the service: same scheme, host and port."""
    result = OsrmRouter(server.url + "/old", timeout=TIMEOUT).route(
        WHITBY, NEARBY, TravelMode.DRIVE
    )
    assert result.km > 0
    assert [p.split("?")[0].rsplit("/", 1)[0] for p in server.paths()] == [
        "/old/route/v1/driving",
        "/route/v1/driving",
    ]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org", "localhost:5000"])
def test_only_http_urls_are_used(url):
    with pytest.raises(RouterError, match="not an http"):
        OsrmRouter(url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


@pytest.mark.parametrize("router_class", ROUTERS)
def test_transit_is_not_routed_and_sends_nothing(server, router_class):
    with pytest.raises(UnsupportedModeError) as caught:
        router_class(server.url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.TRANSIT)
    assert caught.value.by_design
    assert server.count == 0


# --- make_router ----------------------------------------------------------------


def test_make_router_is_off_by_default():
    assert make_router(RoutingSettings()) is None


def test_make_router_builds_the_configured_router_with_its_timeout(server):
    assert isinstance(make_router(RoutingSettings("osrm", server.url)), OsrmRouter)
    router = make_router(RoutingSettings("valhalla", server.url, TIMEOUT))
    assert isinstance(router, ValhallaRouter)
    server.failure = "slow"
    with pytest.raises(RouterError, match=r"within 0\.3 s"):
        router.route(WHITBY, DOWNTOWN, TravelMode.DRIVE)


# --- RoutedTravel: rush hour, overheads, caching --------------------------------


def test_router_minutes_get_the_estimates_rush_hour_and_overhead(server):
    routed = RoutedTravel(osrm(server))
    free = served_minutes(WHITBY, DOWNTOWN, KMH["driving"])
    overhead = travel.MODES[TravelMode.DRIVE].overhead_min

    off_peak, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "router"
    assert off_peak.minutes == math.ceil(overhead + free)
    assert not off_peak.rush_hour

    peak, _ = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert peak.minutes == math.ceil(overhead + free * 1.6)
    assert peak.rush_hour
    assert peak.distance_km == pytest.approx(off_peak.distance_km)
    assert 55 < peak.distance_km < 62

    saturday, _ = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17, day=28))
    assert saturday.minutes == off_peak.minutes


def test_rush_hour_counts_only_as_much_as_the_mode_is_sensitive_to_it(server):
    routed = RoutedTravel(valhalla(server))
    bike, _ = routed.trip(WHITBY, NEARBY, TravelMode.BIKE, depart=at(17))
    free = served_minutes(WHITBY, NEARBY, VALHALLA_KMH["bicycle"])
    assert bike.minutes == math.ceil(travel.MODES[TravelMode.BIKE].overhead_min + free)
    assert not bike.rush_hour


def test_the_users_rush_hour_curve_applies_to_router_and_estimate_alike(server):
    curve = {19: 2.0}
    routed = RoutedTravel(osrm(server), curve=curve)
    free = served_minutes(WHITBY, DOWNTOWN, KMH["driving"])
    evening, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(19))
    assert (evening.minutes, source) == (math.ceil(6 + free * 2.0), "router")
    five, _ = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert five.minutes == math.ceil(6 + free)  # Not in the user's curve: free flow.
    fallback, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.TRANSIT, depart=at(19))
    expected = travel.estimate(WHITBY, DOWNTOWN, TravelMode.TRANSIT, depart=at(19), curve=curve)
    assert (fallback, source) == (expected, "estimate")


def test_arrival_time_uses_the_congestion_at_the_implied_departure(server):
    routed = RoutedTravel(osrm(server))
    free = served_minutes(WHITBY, DOWNTOWN, KMH["driving"])
    # Arriving 18:30 after a ~70-minute drive means leaving in the 16:00 peak (1.6),
    # not at the arrival hour's 1.3.
    trip, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, arrive=at(18, 30))
    assert source == "router"
    assert trip.minutes == math.ceil(6 + free * 1.6)
    with pytest.raises(ValueError, match="departure or an arrival"):
        routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE)


def test_a_pair_is_asked_once_per_session_whatever_the_departure(server):
    routed = RoutedTravel(osrm(server))
    first, _ = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    again, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    later, _ = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert (again, source) == (first, "router")
    assert later.minutes > first.minutes
    assert server.count == 1


def test_cache_key_is_rounded_coordinates_direction_and_mode(server):
    routed = RoutedTravel(osrm(server))
    same_venue = Place("MaRS again", lat=43.6599 + 1e-7, lon=-79.3883 - 1e-7)
    routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    routed.trip(WHITBY, same_venue, TravelMode.DRIVE, depart=at(11))
    assert server.count == 1
    routed.trip(DOWNTOWN, WHITBY, TravelMode.DRIVE, depart=at(11))
    routed.trip(WHITBY, DOWNTOWN, TravelMode.BIKE, depart=at(11))
    assert server.count == 3


def test_virtual_unknown_and_same_places_never_reach_the_router(server):
    routed = RoutedTravel(osrm(server), unknown_minutes=30)
    online, source = routed.trip(WHITBY, ONLINE, TravelMode.DRIVE, depart=at(11))
    assert (online.minutes, source) == (0, "estimate")
    unknown, source = routed.trip(WHITBY, NOWHERE, TravelMode.DRIVE, depart=at(11))
    assert (unknown.minutes, unknown.assumed, source) == (30, True, "estimate")
    same, source = routed.trip(WHITBY, WHITBY, TravelMode.DRIVE, depart=at(11))
    assert (same.minutes, source) == (0, "estimate")
    assert server.count == 0
    assert routed.last_error == ""


def test_no_router_means_the_estimate():
    routed = RoutedTravel(None)
    trip, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert source == "estimate"
    assert trip == travel.estimate(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))


@pytest.mark.parametrize("router_class", ROUTERS)
def test_transit_uses_the_estimate_without_complaint(server, router_class):
    routed = RoutedTravel(router_class(server.url, timeout=TIMEOUT))
    trip, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.TRANSIT, depart=at(8))
    assert source == "estimate"
    assert trip == travel.estimate(WHITBY, DOWNTOWN, TravelMode.TRANSIT, depart=at(8))
    assert routed.last_error == ""
    assert server.count == 0
    _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(8))
    assert source == "router"


def test_a_car_only_osrm_server_leaves_walking_to_the_estimate_and_says_so(server):
    server.car_only = True
    routed = RoutedTravel(osrm(server))
    walk, source = routed.trip(WHITBY, NEARBY, TravelMode.WALK, depart=at(11))
    assert source == "estimate"
    assert walk == travel.estimate(WHITBY, NEARBY, TravelMode.WALK, depart=at(11))
    assert "does not route by walk" in routed.last_error
    _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.WALK, depart=at(11))
    assert source == "estimate"
    assert server.count == 1  # Walking is not asked again.
    _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "router"
    assert "does not route by walk" in routed.last_error  # Still true after a drive works.


# --- RoutedTravel: fallback and circuit breaker ---------------------------------


@pytest.mark.parametrize("router_class", ROUTERS)
@pytest.mark.parametrize("failure", ["500", "not_json", "no_route"])
def test_failures_fall_back_to_the_estimate_and_say_why(server, router_class, failure):
    server.failure = failure
    routed = RoutedTravel(router_class(server.url, timeout=TIMEOUT))
    trip, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert source == "estimate"
    assert trip == travel.estimate(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(17))
    assert routed.last_error.endswith("Using the estimate.")


def test_connection_refused_falls_back_to_the_estimate(refused_url):
    routed = RoutedTravel(OsrmRouter(refused_url, timeout=TIMEOUT))
    _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "estimate"
    assert "unreachable" in routed.last_error


def test_a_failed_pair_is_remembered_and_not_asked_again(server):
    server.failure = "500"
    routed = RoutedTravel(osrm(server))
    for _ in range(2):
        _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
        assert source == "estimate"
    assert server.count == 1


def test_breaker_stops_asking_a_dead_server_then_probes_it_again(server):
    server.failure = "500"
    clock = FakeClock()
    routed = RoutedTravel(osrm(server), breaker_seconds=60, clock=clock)
    pairs = [(WHITBY, DOWNTOWN), (WHITBY, MARKHAM), (WHITBY, NEARBY)]
    for a, b in pairs:
        routed.trip(a, b, TravelMode.DRIVE, depart=at(11))
    assert server.count == 3
    assert "paused for 60 s" in routed.last_error

    # Open: other pairs, both directions, go straight to the estimate.
    for a, b in pairs:
        _, source = routed.trip(b, a, TravelMode.DRIVE, depart=at(11))
        assert source == "estimate"
    clock.now += 59
    routed.trip(DOWNTOWN, MARKHAM, TravelMode.DRIVE, depart=at(11))
    assert server.count == 3

    # Window over and the server still dead: one probe, then open again.
    clock.now += 2
    routed.trip(DOWNTOWN, MARKHAM, TravelMode.DRIVE, depart=at(11))
    routed.trip(MARKHAM, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert server.count == 4

    # Server back: the next probe succeeds and routing resumes.
    server.failure = ""
    clock.now += 61
    _, source = routed.trip(MARKHAM, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "router"
    _, source = routed.trip(NEARBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "router"
    assert server.count == 6
    assert routed.last_error == ""


def test_breaker_costs_at_most_three_timeouts(server):
    server.failure = "slow"
    routed = RoutedTravel(osrm(server))
    destinations = [DOWNTOWN, MARKHAM, NEARBY] + [
        Place(f"venue {i}", lat=43.7 + i / 100, lon=-79.4) for i in range(5)
    ]
    for place in destinations:
        _, source = routed.trip(WHITBY, place, TravelMode.DRIVE, depart=at(11))
        assert source == "estimate"
    assert server.count == 3


def test_no_route_answers_do_not_trip_the_breaker(server):
    server.failure = "no_route"
    routed = RoutedTravel(valhalla(server))
    for place in (DOWNTOWN, MARKHAM, NEARBY, Place("Pickering", lat=43.8384, lon=-79.0868)):
        routed.trip(WHITBY, place, TravelMode.DRIVE, depart=at(11))
    assert server.count == 4
    assert "No path could be found" in routed.last_error
    server.failure = ""
    _, source = routed.trip(DOWNTOWN, WHITBY, TravelMode.DRIVE, depart=at(11))
    assert source == "router"
    assert routed.last_error == ""


# --- RoutedTravel: threads ------------------------------------------------------


def test_four_threads_share_one_request_per_pair(server):
    server.delay = 0.02  # Long enough for threads to ask for the same pair at once.
    routed = RoutedTravel(osrm(server))
    venues = [Place(f"venue {i}", lat=43.65 + i / 50, lon=-79.38 + i / 40) for i in range(10)]
    jobs = [(WHITBY if i % 2 else MARKHAM, venues[i % 5]) for i in range(50)]
    start = at(8)

    def plan(job: tuple[Place, Place]) -> tuple[int, str]:
        trip, source = routed.trip(*job, TravelMode.DRIVE, depart=start)
        return trip.minutes, source

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(plan, jobs))

    rush = travel.congestion(start)
    expected = [
        (math.ceil(6 + served_minutes(a, b, KMH["driving"]) * rush), "router") for a, b in jobs
    ]
    assert results == expected
    paths = server.paths()
    assert len(paths) == len(set(jobs)) == 10
    assert len(set(paths)) == len(paths)
    assert routed.last_error == ""


def test_arrive_and_depart_agree_on_the_router_time(server):
    routed = RoutedTravel(valhalla(server))
    there, _ = routed.trip(WHITBY, MARKHAM, TravelMode.DRIVE, depart=at(11))
    by, _ = routed.trip(WHITBY, MARKHAM, TravelMode.DRIVE, arrive=at(11) + timedelta(hours=1))
    assert there.minutes == by.minutes
    assert server.count == 1


# --- what a plan says about its router ------------------------------------------


def test_a_router_that_refuses_is_said_once_in_one_sentence(refused_url):
    routed = RoutedTravel(OsrmRouter(refused_url, timeout=TIMEOUT))
    for place in (DOWNTOWN, MARKHAM, NEARBY):
        routed.trip(WHITBY, place, TravelMode.DRIVE, depart=at(11))
    assert routed.problems() == [
        f"The router at {refused_url} did not answer (connection refused); "
        "travel times are estimates."
    ]


def test_the_sentence_names_the_server_without_credentials_or_path(server):
    server.failure = "500"
    routed = RoutedTravel(OsrmRouter(f"{server.url}/osrm", timeout=TIMEOUT))
    routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert routed.problems() == [
        f"The router at {server.url} answered HTTP 500; travel times are estimates."
    ]
    host = server.url.removeprefix("http://")
    secret = RoutedTravel(OsrmRouter(f"http://me:secret@{host}", timeout=TIMEOUT))
    secret.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    (said,) = secret.problems()
    assert said.startswith(f"The router at {server.url} ") and "secret" not in said


def test_a_router_that_failed_after_answering_says_some_times_are_estimates(server):
    routed = RoutedTravel(osrm(server))
    _, source = routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert source == "router" and routed.problems() == []
    server.failure = "slow"
    _, source = routed.trip(WHITBY, MARKHAM, TravelMode.DRIVE, depart=at(11))
    assert source == "estimate"
    assert routed.problems() == [
        f"The router at {server.url} did not answer within {TIMEOUT:g} s; "
        "some travel times are estimates."
    ]


def test_a_route_the_server_does_not_know_is_no_outage(server):
    server.failure = "no_route"
    routed = RoutedTravel(osrm(server))
    routed.trip(WHITBY, DOWNTOWN, TravelMode.DRIVE, depart=at(11))
    assert routed.problems() == []


def test_the_plan_carries_the_router_problem(refused_url):
    from datetime import date

    from planner.core.model import Event, Severity
    from planner.core.planning.plan import plan_week
    from planner.core.settings import Settings
    from planner.core.travel.service import TravelService

    settings = Settings(home=WHITBY, routing=RoutingSettings("osrm", refused_url, TIMEOUT))
    mixer = Event("m", "Mixer", at(18), at(20), place=DOWNTOWN)
    plan = plan_week([], [mixer], settings, date(2026, 11, 24))
    (problem,) = plan.problems
    assert problem.severity is Severity.WARNING and problem.source == ""
    assert problem.text.startswith(f"The router at {refused_url} did not answer")
    quiet = plan_week([], [mixer], Settings(home=WHITBY), date(2026, 11, 24))
    assert quiet.problems == ()
    assert TravelService(Settings()).routing_problems() == []


def test_each_plan_says_what_its_own_trips_met(server):
    """A shared router outlives plans: a plan made while the breaker is open says the
    server failed (without asking it), and one made after the server came back says
    nothing, although the router remembers the old failure."""
    from planner.core.travel.router import PlanRouting

    server.failure = "500"
    clock = FakeClock()
    shared = RoutedTravel(osrm(server), breaker_seconds=60, pair_retry_seconds=60, clock=clock)
    pairs = [(WHITBY, DOWNTOWN), (WHITBY, MARKHAM), (WHITBY, NEARBY)]
    first = PlanRouting(shared)
    for a, b in pairs:
        first.trip(a, b, TravelMode.DRIVE, depart=at(11))
    assert server.count == 3 and first.problems()[0].endswith("travel times are estimates.")

    second = PlanRouting(shared)
    _, source = second.trip(DOWNTOWN, MARKHAM, TravelMode.DRIVE, depart=at(11))
    assert source == "estimate" and server.count == 3  # the breaker answered, not the server
    assert second.problems() == first.problems()

    server.failure = ""
    clock.now += 61
    third = PlanRouting(shared)
    for a, b in pairs:
        _, source = third.trip(a, b, TravelMode.DRIVE, depart=at(11))
        assert source == "router"
    assert third.problems() == []
    assert shared.problems()[0].startswith("The router at")  # the process remembers
