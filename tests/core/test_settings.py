"""The settings schema: defaults, validation messages, and documentation coverage."""

import re
from datetime import time

import pytest

from planner.core.model import TravelMode
from planner.core.settings import (
    KEYS,
    SCHEMA,
    ProtectedTime,
    Settings,
    SettingsError,
    field_names,
    load_settings,
    settings_from_dict,
)


def test_defaults_are_usable():
    s = Settings()
    assert s.weekly_minutes == 180
    assert s.latest_home == time(22, 0)
    assert s.travel_mode is TravelMode.DRIVE


def test_full_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("""
[general]
timezone = "America/Toronto"
[home]
location = "43.8975, -78.9429"
[places.office]
location = "43.8561,-79.3370"
match = ["Allstate", "Office"]
[travel]
mode = "transit"
[budget]
weekly_hours = 4.5
counts_travel = false
max_events_per_week = 2
monthly_money = 60
[rules]
latest_home = "21:30"
protect_weekends = false
[categories.job-seeker]
weight = 1.5
max_per_month = 2
""")
    s = load_settings(path)
    assert s.home.lat == 43.8975
    assert s.places[0].place.name == "office"
    assert s.places[0].match == ("Allstate", "Office")
    assert s.travel_mode is TravelMode.TRANSIT
    assert s.weekly_minutes == 270
    assert not s.counts_travel
    assert s.latest_home == time(21, 30)
    assert s.category("Job-Seeker").max_per_month == 2
    assert s.category("unknown").weight == 1.0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"budget": {"weekly_hour": 3}},
            r"\[budget\]: unknown key\(s\) weekly_hour \(did you mean weekly_hours\?\)$",
        ),
        ({"rules": {"latest_return": "22:00"}}, r"latest_return \(did you mean latest_home\?\)"),
        ({"budget": {"weekly_hours": "three"}}, r"\[budget\] weekly_hours: expected a number"),
        ({"budget": {"max_events_per_week": True}}, "expected a whole number"),
        ({"budget": {"weekly_hours": -1}}, "must be 0 to 168, got -1"),
        ({"travel": {"mode": "teleport"}}, "'teleport' is not one of drive, transit"),
        ({"rules": {"latest_home": "10pm"}}, r'expected a time of day like "22:00"'),
        ({"general": {"timezone": "Mars/Olympus"}}, "unknown time zone"),
        ({"home": {"location": "95.0, 10.0"}}, "not a valid latitude"),
        ({"colours": {}}, "unknown key"),
    ],
)
def test_errors_name_the_key(data, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_dict(data)


def test_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[budget\nweekly_hours = 3")
    with pytest.raises(SettingsError, match=r"bad\.toml: not valid TOML"):
        load_settings(bad)
    with pytest.raises(SettingsError, match=r"nope\.toml: settings file not found"):
        load_settings(tmp_path / "nope.toml")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[budget]\nweekly_hours = 'x'\n")
    with pytest.raises(SettingsError, match=r"wrong\.toml: \[budget\] weekly_hours"):
        load_settings(wrong)


def test_every_documented_key_is_read_and_every_setting_documented():
    documented = {key for _, key, _ in KEYS}
    sections = {
        "home",
        "home_text",
        "places",
        "categories",
        "travel_mode",
        "overrides",
        "geocoding",
        "routing",
        "web",
        "transit",
        "caldav",
        "keyword_stars",
        "protected",
        "flexible",
    }
    settable = set(field_names()) - sections
    assert settable <= documented | {"timezone"}
    assert {
        "location",
        "mode",
        "weekly_hours",
        "counts_travel",
        "max_events_per_week",
    } <= documented


def test_travel_geocoding_and_routing_sections():
    s = settings_from_dict(
        {
            "travel": {
                "rush_hour": {"17": 1.8, "8": 1.3},
                "override": [
                    {
                        "from": "home",
                        "to": "downtown Toronto",
                        "mode": "transit",
                        "minutes": 70,
                        "radius_km": 3,
                    }
                ],
            },
            "geocoding": {"consent": True, "url": "http://127.0.0.1:8080", "min_delay_seconds": 0},
            "routing": {"provider": "osrm", "url": "http://127.0.0.1:5000"},
        }
    )
    assert s.rush_hour == {17: 1.8, 8: 1.3}
    (o,) = s.overrides
    assert (o.origin, o.destination, o.minutes, o.mode, o.radius_km) == (
        "home",
        "downtown Toronto",
        70,
        TravelMode.TRANSIT,
        3.0,
    )
    assert s.geocoding.consent is True and s.geocoding.min_delay_seconds == 0
    assert Settings().geocoding.consent is None  # never asked: nothing is sent
    assert s.routing.provider == "osrm"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"travel": {"rush_hour": {"25": 1.2}}}, "hours are 0 to 23"),
        ({"travel": {"rush_hour": {"17": 9}}}, "between 0.5 and 5"),
        ({"travel": {"override": [{"from": "a", "to": "b"}]}}, "'minutes' is missing"),
        (
            {"travel": {"override": [{"from": "a", "to": "b", "minutes": 5, "mode": "boat"}]}},
            "not a travel mode",
        ),
        ({"routing": {"provider": "osrm"}}, "needed when a provider is set"),
        ({"routing": {"provider": "google"}}, "not osrm or valhalla"),
        ({"geocoding": {"consent": "yes"}}, "expected true or false"),
    ],
)
def test_travel_settings_errors(data, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_dict(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"stars": [{"match": "x", "stars": 1, "colour": 2}]},
            r"^\[\[stars\]\] #1: unknown key\(s\) colour$",
        ),
        ({"places": {"gym": {"match": "Gym"}}}, r"^\[places\.gym\] match: expected a list"),
        ({"stars": [{"match": " ", "stars": 1}]}, r"^\[\[stars\]\] #1 match: needs a match text"),
        (
            {"stars": [{"match": "x", "stars": 6}]},
            r"^\[\[stars\]\] #1 stars: must be 0 to 5, got 6$",
        ),
        ({"flexible": [{"minutes": 30, "from": "14:00", "to": "12:00"}]}, "'to' must be after"),
        ({"flexible": [{"minutes": 300, "from": "12:00", "to": "14:00"}]}, "minutes: must fit"),
        ({"flexible": [{"from": "12:00"}]}, r"^\[\[flexible\]\] #1: 'minutes' is missing$"),
        ({"rules": {"protected": [{"days": ["someday"]}]}}, "'someday' is not a day"),
        ({"travel": {"override": [{"from": "a", "to": "b", "minutes": 0}]}}, "must be positive"),
    ],
)
def test_rows_are_checked_cell_by_cell_and_named(data, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_dict(data)


def test_a_cell_left_out_reads_as_its_declared_default():
    s = settings_from_dict({"rules": {"protected": [{"label": "always"}]}, "places": {"gym": {}}})
    assert s.protected == (ProtectedTime(tuple(range(7)), time(0), time(23, 59, 59), "always"),)
    assert s.places[0].match == ("gym",)  # a saved place is found by its own name
    (block,) = settings_from_dict({"flexible": [{"minutes": 60}]}).flexible
    assert (block.name, block.times_per_week, block.stars) == ("Flexible block", 1, 3)


VALID_ROWS = {
    "travel.override": {"from": "a", "to": "b", "minutes": 5},
    "stars": {"match": "x", "stars": 1},
    "flexible": {"minutes": 30},
}


def _bounded():
    for key in SCHEMA:
        for column in key.columns or (key,):
            if column.bounds is not None and column.bounds[0] is not None:
                yield pytest.param(key, column, id=f"{column.section}.{column.name}")


@pytest.mark.parametrize(("key", "column"), list(_bounded()))
def test_every_declared_bound_is_checked_and_names_the_key(key, column):
    low = column.bounds[0] - 1
    if key.layout == "mapping":
        cells = {"17": low} if column.name != key.columns[0].name else {"25": 1.0}
        data, where = {"travel": {"rush_hour": cells}}, "[travel] rush_hour"
    elif key.layout == "array":
        row = VALID_ROWS[key.section] | {column.name: low}
        *parents, name = key.path
        data = {parents[0]: {name: [row]}} if parents else {name: [row]}
        where = f"[[{key.section}]] #1 {column.name}"
    elif key.layout == "named":
        *parents, _name = column.section.split(".")
        data = {parents[0]: {"mixer": {column.name: low}}}
        where = f"[{parents[0]}.mixer] {column.name}"
    else:
        data, where = {key.section: {key.name: low}}, f"[{key.section}] {key.name}"
    with pytest.raises(SettingsError, match=re.escape(where)):
        settings_from_dict(data)
