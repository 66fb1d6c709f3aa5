"""Timeouts, the rate limiter and the circuit breaker on the wall clock.

The unit tests (tests/core/test_places.py, tests/core/test_router.py) check
that a slow service gives the right error, that requests are spaced on the
limiter's clock and that the breaker stops asking; these check that the waits
really are as short (or, for the limiter, as long) as promised.
"""

import time

import pytest

from planner.core.model import Place, TravelMode
from planner.core.settings import RoutingSettings
from planner.core.travel.places import GeocodeCache, PlaceResolver
from planner.core.travel.router import (
    OsrmRouter,
    RoutedTravel,
    RouterError,
    ValhallaRouter,
    make_router,
)
from tests.core.test_places import (
    CITY_HALL,
    GALLERY,
    NOWHERE,
    SLOW,
    WHITBY_TOWN,
    event,
    settings,
)
from tests.core.test_router import DOWNTOWN, MARKHAM, NEARBY, TIMEOUT, WHITBY, at, osrm

pytestmark = pytest.mark.perf
ROUTERS = [pytest.param(OsrmRouter, id="osrm"), pytest.param(ValhallaRouter, id="valhalla")]


# --- geocoding ----------------------------------------------------------------------------


def test_a_geocoder_timeout_returns_within_its_budget(server, tmp_path):
    resolver = PlaceResolver(settings(server, timeout=0.25), cache=GeocodeCache(tmp_path / "g"))
    # What is timed is the timeout, not loading geopy or the offline gazetteer's index
    # (0.7 s, built once a process), as in the unit run where earlier tests load them.
    resolver.resolve_text(GALLERY)
    PlaceResolver(settings(consent=False)).resolve_text(NOWHERE)
    started = time.perf_counter()
    got = resolver.resolve_text(SLOW)
    elapsed = time.perf_counter() - started
    print(f"geocoder timeout of 0.25 s: answered in {elapsed:.2f} s")
    assert "timed out" in got.note
    assert elapsed < 1.5


def test_rate_limiter_spaces_requests_on_the_wall_clock(server, tmp_path):
    resolver = PlaceResolver(settings(server, delay=0.2), cache=GeocodeCache(tmp_path / "g.json"))
    started = time.perf_counter()
    for text in (GALLERY, CITY_HALL, WHITBY_TOWN):
        resolver.resolve_text(text)
    elapsed = time.perf_counter() - started
    print(f"three requests 0.2 s apart: {elapsed:.2f} s")
    assert elapsed >= 0.4
    assert len(server.queries()) == 3


def test_ten_thousand_cached_places_resolve_fast(tmp_path):
    path = tmp_path / "geocode.json"
    addresses = [f"{100 + i} King St W, Toronto, ON" for i in range(200)]
    writer = GeocodeCache(path)
    with writer.batch():
        for i, address in enumerate(addresses):
            writer.put(address, 43.6 + i / 10000, -79.4, "exact")
    events = [event(i, Place(f"Venue {i % 200}", addresses[i % 200])) for i in range(10_000)]
    resolver = PlaceResolver(settings(), cache=GeocodeCache(path), geocoder=lambda query: None)
    started = time.perf_counter()
    out, _notes = resolver.resolve_events(events)
    one_by_one = [resolver.resolve_place(e.place) for e in events]
    elapsed = time.perf_counter() - started
    print(f"10,000 cached places: {elapsed:.3f} s")
    assert all(r.source == "cache" for r in one_by_one) and len(out) == 10_000
    assert elapsed < 1.0, f"{elapsed:.3f} s"


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize("router_class", ROUTERS)
@pytest.mark.parametrize("failure", ["500", "not_json", "slow", "trickle", "huge"])
def test_a_router_failure_is_reported_within_its_budget(routing, router_class, failure):
    routing.failure = failure
    started = time.monotonic()
    with pytest.raises(RouterError):
        router_class(routing.url, timeout=TIMEOUT).route(WHITBY, DOWNTOWN, TravelMode.DRIVE)
    elapsed = time.monotonic() - started
    print(f"{router_class.__name__}, {failure}: {elapsed:.2f} s")
    assert elapsed < 1.5


def test_make_routers_timeout_is_the_configured_one(routing):
    router = make_router(RoutingSettings("valhalla", routing.url, TIMEOUT))
    assert router is not None
    routing.failure = "slow"
    started = time.monotonic()
    with pytest.raises(RouterError):
        router.route(WHITBY, DOWNTOWN, TravelMode.DRIVE)
    elapsed = time.monotonic() - started
    print(f"a {TIMEOUT} s timeout: {elapsed:.2f} s")
    assert elapsed < 1.0


def test_breaker_costs_at_most_three_timeouts(routing):
    routing.failure = "slow"
    routed = RoutedTravel(osrm(routing))
    destinations = [DOWNTOWN, MARKHAM, NEARBY] + [
        Place(f"venue {i}", lat=43.7 + i / 100, lon=-79.4) for i in range(5)
    ]
    started = time.monotonic()
    for place in destinations:
        routed.trip(WHITBY, place, TravelMode.DRIVE, depart=at(11))
    elapsed = time.monotonic() - started
    print(f"eight trips, the router timing out: {elapsed:.2f} s")
    assert routing.count == 3
    assert elapsed < 3 * TIMEOUT + 0.5
