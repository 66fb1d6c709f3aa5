"""overhead_minutes for every mode, the [transit] settings, and feed dates in words:
what transit by the timetable needs that does not route."""

import json
from datetime import date, timedelta

import pytest

from planner.cli.main import main
from planner.core.model import Place, TravelMode
from planner.core.settings import Settings, load_settings
from planner.core.travel import estimate
from planner.core.travel.by_timetable import validity_note
from planner.core.travel.service import TravelService
from tests.core.week_builder import at

WHITBY = Place("Whitby", lat=43.8837, lon=-78.9538)
MARS = Place("MaRS", lat=43.6599, lon=-79.3883)


@pytest.mark.parametrize(
    ("mode", "overhead"),
    [(TravelMode.DRIVE, 6), (TravelMode.TRANSIT, 15), (TravelMode.BIKE, 3), (TravelMode.WALK, 0)],
)
def test_every_estimate_says_its_overhead_from_the_named_parts(mode, overhead):
    trip = TravelService(Settings()).trip(WHITBY, MARS, depart=at(24, 17), mode=mode)
    assert trip.overhead_minutes == overhead == sum(estimate.OVERHEAD_PARTS[mode].values())
    assert 0 <= trip.overhead_minutes < trip.minutes


def test_no_trip_no_overhead():
    trip = TravelService(Settings()).trip(WHITBY, WHITBY, depart=at(24, 17))
    assert trip.minutes == 0 and trip.overhead_minutes == 0


@pytest.mark.parametrize("mode", ["drive", "transit", "bike", "walk"])
def test_travel_json_of_every_mode_has_overhead_depart_arrive_and_legs(mode, capsys):
    code = main(
        [
            "travel",
            "43.8837,-78.9538",
            "43.6599,-79.3883",
            "--mode",
            mode,
            "--at",
            "2026-11-24T17:00",
            "--json",
        ]
    )
    answer = json.loads(capsys.readouterr().out)
    assert code == 0
    assert answer["overhead_minutes"] == estimate.overhead_minutes(TravelMode(mode))
    assert answer["source"] == "estimate" and answer["reachable"] is True
    assert answer["legs"] == []
    assert answer["depart"] == "2026-11-24T17:00:00-05:00"
    arrive = at(24, 17) + timedelta(minutes=answer["minutes"])
    assert answer["arrive"] == arrive.isoformat()


def test_transit_settings_are_read_and_paths_are_relative_to_the_settings_file(tmp_path):
    folder = tmp_path / "conf"
    folder.mkdir()
    file = folder / "settings.toml"
    file.write_text(
        '[transit]\ngtfs = ["feeds/go.zip", "/data/ttc.zip"]\naccess = "drive"\n'
        "min_transfer_minutes = 4\n"
    )
    transit = load_settings(file).transit
    assert transit.gtfs == (str(folder / "feeds" / "go.zip"), "/data/ttc.zip")
    assert transit.access == "drive" and transit.min_transfer_minutes == 4


def test_a_wrong_access_is_named(tmp_path):
    file = tmp_path / "settings.toml"
    file.write_text('[transit]\naccess = "boat"\n')
    with pytest.raises(ValueError, match=r"\[transit\] access: 'boat' is not walk or drive"):
        load_settings(file)


def test_without_timetables_transit_is_estimated_and_nothing_is_loaded():
    service = TravelService(Settings())
    assert service.timetables is None
    trip = service.trip(WHITBY, MARS, depart=at(24, 17), mode=TravelMode.TRANSIT)
    assert trip.source == "estimate" and trip.legs == ()
    assert service.routing_problems() == []


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "said"),
    [
        (date(2026, 11, 1), date(2027, 1, 31), ""),
        (None, None, ""),
        (date(2026, 9, 1), date(2026, 11, 20), "expired on 2026-11-20"),
        (date(2026, 9, 1), date(2026, 11, 25), "ends on 2026-11-25"),
        (date(2026, 11, 24), date(2027, 1, 31), "valid only from 2026-11-24"),
    ],
)
def test_a_feed_that_does_not_cover_the_week_is_said(valid_from, valid_until, said):
    note = validity_note(valid_from, valid_until, date(2026, 11, 23))
    assert note.startswith(said) and bool(note) == bool(said)
