"""Known trips, the router and the estimate, in that order; and `planner travel` queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Place, TravelMode, Trip
from planner.core.settings import Settings, settings_from_dict
from planner.core.storage import preferences
from planner.core.travel.query import QueryError, TripQuery, batch, parse_at, parse_mode
from planner.core.travel.service import TravelService

TZ = ZoneInfo("America/Toronto")
HOME = Place("home", lat=43.8837, lon=-78.9538)
UNION = Place("Union Station", lat=43.6453, lon=-79.3806)
MARS = Place("MaRS", lat=43.6599, lon=-79.3883)
TUESDAY_5PM = datetime(2026, 11, 24, 17, 0, tzinfo=TZ)


def settings(**sections):
    data = {
        "home": {"location": "43.8837, -78.9538"},
        "places": {"union": {"location": "43.6453, -79.3806"}},
    }
    data.update(sections)
    return settings_from_dict(data)


def test_known_trip_wins_in_both_directions_within_its_radius():
    known = settings(
        travel={
            "override": [
                {"from": "home", "to": "union", "mode": "drive", "minutes": 70, "radius_km": 3}
            ]
        }
    )
    service = TravelService(known)
    there = service.trip(HOME, MARS, depart=TUESDAY_5PM)  # MaRS is 1.7 km from Union
    back = service.trip(MARS, HOME, depart=TUESDAY_5PM)
    assert (there.minutes, there.source) == (70, "override")
    assert (back.minutes, back.source) == (70, "override")
    far = service.trip(HOME, Place("Mississauga", lat=43.59, lon=-79.64), depart=TUESDAY_5PM)
    assert far.source == "estimate"


def test_known_trip_for_one_mode_only():
    known = settings(
        travel={
            "mode": "drive",
            "override": [{"from": "home", "to": "union", "mode": "transit", "minutes": 70}],
        }
    )
    service = TravelService(known)
    assert service.trip(HOME, UNION, depart=TUESDAY_5PM).source == "estimate"
    transit = service.trip(HOME, UNION, depart=TUESDAY_5PM, mode=TravelMode.TRANSIT)
    assert transit.source == "override"


def test_a_known_trip_that_cannot_be_placed_is_reported():
    service = TravelService(
        settings(travel={"override": [{"from": "home", "to": "Nowhere Special Rd", "minutes": 10}]})
    )
    (problem,) = service.problems
    assert "cannot place 'Nowhere Special Rd'" in problem


def test_the_users_rush_hour_curve_is_used():
    mild = TravelService(settings(travel={"rush_hour": {"17": 1.0}}))
    default = TravelService(settings())
    assert (
        mild.trip(HOME, MARS, depart=TUESDAY_5PM).minutes
        < default.trip(HOME, MARS, depart=TUESDAY_5PM).minutes
    )


def test_router_answers_when_configured_and_says_so():
    class FakeRouted:
        def trip_explained(self, a, b, mode, *, depart=None, arrive=None):
            return Trip(a, b, mode, 33, 40.0), "router", None

    service = TravelService(settings(), router=FakeRouted())
    trip = service.trip(HOME, MARS, depart=TUESDAY_5PM)
    assert (trip.minutes, trip.source) == (33, "router")
    online = service.trip(HOME, Place("Zoom", virtual=True), depart=TUESDAY_5PM)
    assert online.minutes == 0


def test_query_resolves_names_coordinates_and_cities_offline():
    query = TripQuery.for_settings(settings())
    answer = query.answer("home", "Toronto, ON", None, TUESDAY_5PM)
    assert answer["from"]["resolved_by"] == "saved"
    assert answer["to"]["precision"] == "city"
    assert answer["source"] == "estimate" and answer["rush_hour"]
    assert {"minutes", "km", "mode", "from", "to", "source"} <= set(answer)
    unknown = query.answer("home", "12 Nowhere Lane", None, TUESDAY_5PM)
    assert unknown["assumed"] and unknown["minutes"] == 45
    assert unknown["to"]["precision"] == "unknown"


def test_batch_answers_every_row_in_order_and_reports_bad_rows():
    query = TripQuery.for_settings(settings())
    text = (
        "from,to,mode,at\n"
        "home,union,drive,2026-11-24T17:00\n"
        "home,union,teleport,\n"
        "union,home,transit,2026-11-24 08:00\n"
        "home,43.66 -79.39,,not-a-time\n"
    )
    rows = list(batch(query, text, TUESDAY_5PM))
    assert [r[0] for r in rows] == [2, 3, 4, 5]
    assert rows[0][1]["minutes"] > 0 and rows[2][1]["mode"] == "transit"
    assert "not one of" in rows[1][2] and "not like" in rows[3][2]
    with pytest.raises(QueryError, match="columns from and to"):
        list(batch(query, "origin,destination\na,b\n", TUESDAY_5PM))


def test_parsers():
    assert parse_mode("Transit") is TravelMode.TRANSIT
    assert parse_mode("") is None
    assert parse_at("2026-11-24T17:00", Settings(), TUESDAY_5PM) == TUESDAY_5PM
    assert parse_at("", Settings(), TUESDAY_5PM) is TUESDAY_5PM


def test_remembered_consent_applies_only_where_the_settings_are_silent():
    preferences.save("geocoding_consent", True)
    try:
        assert preferences.apply(Settings()).geocoding.consent is True
        refused = settings_from_dict({"geocoding": {"consent": False}})
        assert preferences.apply(refused).geocoding.consent is False
    finally:
        preferences.save("geocoding_consent", None)


@pytest.mark.parametrize(
    ("utc", "rush"),
    [
        # Monday after the November change: 22:00 UTC is 17:00 EST (rush hour).
        (datetime(2026, 11, 2, 22, 0, tzinfo=ZoneInfo("UTC")), True),
        # Monday after the March change: 21:00 UTC is 17:00 EDT (rush hour)...
        (datetime(2027, 3, 15, 21, 0, tzinfo=ZoneInfo("UTC")), True),
        # ...and 22:00 UTC is 18:00 EDT, past the worst of it.
        (datetime(2027, 3, 15, 23, 30, tzinfo=ZoneInfo("UTC")), False),
    ],
)
def test_rush_hour_follows_the_local_clock_across_dst(utc, rush):
    trip = TravelService(settings()).trip(HOME, MARS, depart=utc)
    assert trip.rush_hour is rush


def test_a_home_written_as_an_address_is_placed_for_planning():
    from planner.core.planning.week import place_settings
    from planner.core.travel.places import PlaceResolver

    s = settings_from_dict({"home": {"location": "12 Main St, Whitby, ON L1N 1A1"}})
    placed = place_settings(s, PlaceResolver(s))
    assert placed.home.has_position and placed.home.approximate  # Whitby, city level
    assert abs(placed.home.lat - 43.88) < 0.1


def test_a_service_remembers_its_estimates_and_they_equal_a_fresh_one():
    """A re-plan asks for the same trips again: the kept answer is the one a new service gives."""
    service = TravelService(settings())
    first = service.trip(HOME, MARS, depart=TUESDAY_5PM)
    assert service.trip(HOME, MARS, depart=TUESDAY_5PM) is first
    fresh = TravelService(settings())
    assert first == fresh.trip(HOME, MARS, depart=TUESDAY_5PM)
    # Another time (rush hour differs), direction or mode is another trip.
    later = service.trip(HOME, MARS, depart=TUESDAY_5PM.replace(hour=21))
    assert later == fresh.trip(HOME, MARS, depart=TUESDAY_5PM.replace(hour=21))
    assert later.minutes < first.minutes
    assert service.trip(MARS, HOME, depart=TUESDAY_5PM) == fresh.trip(
        MARS, HOME, depart=TUESDAY_5PM
    )
    bike = service.trip(HOME, MARS, depart=TUESDAY_5PM, mode=TravelMode.BIKE)
    assert bike.mode is TravelMode.BIKE and bike != first
