"""Travel estimates: calibration, rush hour, modes, and unknown places."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core import travel
from planner.core.model import Place, TravelMode

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
