"""Travel estimates: calibration, rush hour, modes, and unknown places."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.model import Place, TravelMode
from planner.core.settings import Settings
from planner.core.travel import estimate as travel
from planner.core.travel.service import TravelService

TZ = ZoneInfo("America/Toronto")
WHITBY = Place("home", lat=43.8975, lon=-78.9429)
MARKHAM_OFFICE = Place("office", lat=43.8561, lon=-79.3370)
DOWNTOWN = Place("MaRS", "101 College St", lat=43.6599, lon=-79.3883)
NEARBY = Place("Library", lat=43.8770, lon=-78.9500)


def trip(a, b, hour, mode=TravelMode.DRIVE, day=24):
    return travel.estimate(a, b, mode, depart=datetime(2026, 11, day, hour, 0, tzinfo=TZ))


def test_whitby_to_downtown_is_calibrated_against_real_commutes():
    off_peak = trip(WHITBY, DOWNTOWN, 11)
    peak = trip(WHITBY, DOWNTOWN, 17)
    assert 45 <= off_peak.minutes <= 65
    assert 70 <= peak.minutes <= 95
    assert peak.rush_hour and not off_peak.rush_hour
    assert 44 < off_peak.distance_km < 47


def test_weekend_has_no_rush_hour():
    saturday = trip(WHITBY, DOWNTOWN, 17, day=28)
    assert saturday.minutes == trip(WHITBY, DOWNTOWN, 11).minutes


@pytest.mark.parametrize("mode", list(TravelMode))
def test_every_mode_is_slower_for_longer_trips(mode):
    near = trip(WHITBY, NEARBY, 11, mode)
    far = trip(WHITBY, DOWNTOWN, 11, mode)
    assert 0 < near.minutes < far.minutes


def test_modes_are_ordered_by_speed_over_a_long_trip():
    minutes = {m: trip(WHITBY, DOWNTOWN, 11, m).minutes for m in TravelMode}
    assert minutes[TravelMode.DRIVE] < minutes[TravelMode.TRANSIT] < minutes[TravelMode.BIKE]
    assert minutes[TravelMode.BIKE] < minutes[TravelMode.WALK]


def test_walking_is_not_affected_by_traffic():
    assert (
        trip(WHITBY, NEARBY, 17, TravelMode.WALK).minutes
        == trip(WHITBY, NEARBY, 11, TravelMode.WALK).minutes
    )


def test_unknown_place_uses_the_assumption_never_zero():
    unknown = Place("Somewhere", "12 Unknown Rd")
    result = travel.estimate(
        WHITBY,
        unknown,
        TravelMode.DRIVE,
        depart=datetime(2026, 11, 24, 18, tzinfo=TZ),
        unknown_minutes=45,
    )
    assert result.minutes == 45
    assert result.assumed


def test_online_event_needs_no_travel():
    online = Place("Zoom", virtual=True)
    assert trip(WHITBY, online, 17).minutes == 0


def test_arrival_time_accounts_for_congestion_at_departure():
    arrive_1800 = travel.estimate(
        MARKHAM_OFFICE, DOWNTOWN, TravelMode.DRIVE, arrive=datetime(2026, 11, 24, 18, tzinfo=TZ)
    )
    arrive_2200 = travel.estimate(
        MARKHAM_OFFICE, DOWNTOWN, TravelMode.DRIVE, arrive=datetime(2026, 11, 24, 22, tzinfo=TZ)
    )
    assert arrive_1800.minutes > arrive_2200.minutes


def test_estimate_needs_a_time():
    with pytest.raises(ValueError, match="departure or an arrival"):
        travel.estimate(WHITBY, DOWNTOWN, TravelMode.DRIVE)


# --- the longest trip among a week's venues bounds every pair (the optimiser's horizon) ---

positions = st.tuples(st.floats(-70, 70), st.floats(-179.9, 179.9))


@settings(max_examples=200, deadline=None)
@given(st.lists(positions, min_size=2, max_size=8), st.sampled_from(list(TravelMode)))
def test_farthest_apart_bounds_every_pair(points, mode):
    places = [Place(f"p{i}", lat=lat, lon=lon) for i, (lat, lon) in enumerate(points)]
    bound = travel.farthest_apart_km(places)
    longest = travel.longest_estimate(bound, mode)
    for a in places:
        for b in places:
            assert travel.distance_km(a.lat, a.lon, b.lat, b.lon) <= bound + 1e-6
            for hour in (3, 8, 17):
                when = datetime(2026, 11, 24, hour, tzinfo=TZ)
                assert travel.estimate(a, b, mode, depart=when).minutes <= longest


def test_a_router_means_no_known_bound():
    service = TravelService(Settings())
    gta = [Place("Whitby", lat=43.88, lon=-78.94), Place("Mississauga", lat=43.59, lon=-79.64)]
    minutes = service.longest(gta)
    assert minutes is not None and 60 < minutes < 240
    service._router = object()  # type: ignore[assignment]  # any router: times unbounded
    assert service.longest(gta) is None


def test_an_unplaced_venue_counts_as_the_assumed_trip():
    service = TravelService(Settings())
    places = [Place("Whitby", lat=43.88, lon=-78.94), Place("somewhere unknown")]
    assert service.longest(places) >= Settings().unknown_place_minutes
    assert timedelta(minutes=service.longest(places))  # a usable horizon
