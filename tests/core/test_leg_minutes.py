"""A leg's times to the whole minute (``Leg.as_json``, ``planner travel --json`` and
``planner plan --json``): departures down, arrivals up, and up means the next minute of
real time, also in the hour clocks go back."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.core.model import Leg, to_minute

TORONTO = ZoneInfo("America/Toronto")


def test_arrivals_round_up_and_departures_down() -> None:
    leg = Leg(
        "walk",
        "Union Station",
        "venue",
        datetime(2026, 12, 7, 18, 38, 20, tzinfo=TORONTO),
        datetime(2026, 12, 7, 18, 43, 1, tzinfo=TORONTO),
    )
    said = leg.as_json()
    assert (said["depart"], said["arrive"]) == (
        "2026-12-07T18:38:00-05:00",
        "2026-12-07T18:44:00-05:00",
    )
    whole = datetime(2026, 12, 7, 18, 44, tzinfo=TORONTO)
    assert to_minute(whole, up=True) == whole


def test_rounding_up_in_the_last_minute_before_clocks_go_back() -> None:
    """01:59:30 EDT on 1 Nov 2026: the next whole minute is 01:00 EST, 30 s later (not
    02:00 EST, an hour and 30 s later)."""
    arrive = datetime(2026, 11, 1, 1, 59, 30, tzinfo=TORONTO)
    up = to_minute(arrive, up=True)
    assert up.timestamp() - arrive.timestamp() == 30
    assert up.isoformat() == "2026-11-01T01:00:00-05:00"
    again = datetime(2026, 11, 1, 1, 30, 30, fold=1, tzinfo=TORONTO)  # 01:30:30 EST
    assert to_minute(again, up=True).timestamp() - again.timestamp() == 30
    assert to_minute(again).timestamp() - again.timestamp() == -30


def test_a_time_without_a_zone_rounds_on_its_clock() -> None:
    naive = datetime(2026, 12, 7, 18, 43, 1)
    assert to_minute(naive, up=True) == naive.replace(second=0) + timedelta(minutes=1)
