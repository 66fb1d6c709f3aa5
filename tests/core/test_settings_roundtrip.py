"""Writing settings back: what planner writes, it reads back unchanged, and a file the user
wrote keeps their comments, blank lines and order of keys."""

import os
import stat
import tomllib
from dataclasses import fields, replace
from datetime import time
from pathlib import Path

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from planner.core.demo import demo_settings
from planner.core.model import Place, TravelMode
from planner.core.settings import (
    HEADER,
    KEYS,
    SCHEMA,
    WEEKDAYS,
    CalDAVSettings,
    CategoryRule,
    FlexibleBlock,
    GeocodingSettings,
    KeywordStars,
    ProtectedTime,
    RoutingSettings,
    SavedPlace,
    Settings,
    SettingsError,
    TravelOverride,
    WebSettings,
    field_names,
    load_settings,
    parse_place,
    place_text,
    save_settings,
    settings_from_dict,
    settings_to_dict,
)

EVERYTHING = replace(
    demo_settings(),
    rush_hour={7: 1.5, 17: 1.75},
    overrides=(
        TravelOverride("home", "Toronto", 70, TravelMode.TRANSIT, 5.0),
        TravelOverride("office", "43.65, -79.38", 25),
    ),
    geocoding=GeocodingSettings(consent=False, url="http://127.0.0.1:8080"),
    routing=RoutingSettings("osrm", "http://127.0.0.1:5000", 2.5),
    protected=(
        ProtectedTime((2,), time(18, 0), time(21, 0), "kids"),
        ProtectedTime(tuple(range(7)), time(0, 0), time(23, 59, 59)),
    ),
    keyword_stars=(KeywordStars("Help Desk Institute", 5),),
    flexible=(
        FlexibleBlock("Coffee", 60, 2, (0, 1, 2, 3, 4), time(12), time(14), "coffee-chat", 4),
    ),
    volunteer=True,
    monthly_money=None,
    categories={**demo_settings().categories, "alumni": CategoryRule(1.0, 1, 3, 1)},
)


@pytest.mark.parametrize("settings", [Settings(), demo_settings(), EVERYTHING])
def test_dict_and_toml_round_trip(settings):
    data = settings_to_dict(settings)
    assert settings_from_dict(data) == settings
    assert settings_from_dict(tomllib.loads(tomlkit.dumps(data))) == settings


def test_what_is_left_out_is_what_the_reader_defaults():
    data = settings_to_dict(Settings())
    assert "home" not in data and "places" not in data and "stars" not in data
    assert "consent" not in data["geocoding"]  # never asked: stays unasked
    assert "monthly_money" not in data["budget"]  # no limit
    assert "rush_hour" not in data["travel"]  # the built-in curve
    empty_curve = replace(Settings(), rush_hour={})  # no rush hour at all is not the default
    assert settings_from_dict(settings_to_dict(empty_curve)).rush_hour == {}


def test_end_of_day_is_written_as_24_00():
    whole_week = settings_to_dict(EVERYTHING)["rules"]["protected"][-1]
    assert whole_week["to"] == "24:00"
    assert whole_week["days"] == list(WEEKDAYS)


def test_places_written_as_addresses_or_coordinates():
    assert place_text(Place("home", lat=1e-05, lon=-79.5)) == "0.00001, -79.5"
    assert place_text(Place("office", address="1 Yonge St, Toronto")) == "1 Yonge St, Toronto"
    resolved = Place("office", address="1 Yonge St, Toronto", lat=43.64, lon=-79.37)
    assert place_text(resolved) == "1 Yonge St, Toronto"  # what the user wrote wins
    assert place_text(Place("home")) == ""


def test_save_is_readable_and_keeps_the_opening_comment(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("# my planner\n# second line\n\n[budget]\nweekly_hours = 2 # tuned\n")
    save_settings(EVERYTHING, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my planner\n# second line\n\nschema_version = 1\n")
    assert load_settings(path) == EVERYTHING
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no temporary left


def test_a_new_file_gets_the_default_header(tmp_path):
    path = tmp_path / "new.toml"
    save_settings(Settings(), path)
    assert path.read_text(encoding="utf-8").startswith(HEADER)
    save_settings(Settings(), path, header="written by a test")
    assert path.read_text(encoding="utf-8").startswith("# written by a test\n\n")


def test_save_replaces_atomically_and_keeps_permissions(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    save_settings(demo_settings(), path)
    path.chmod(0o600)
    replaced = []
    real_replace = os.replace

    def spy(source, target):
        replaced.append((os.fspath(source), os.fspath(target)))
        assert load_settings(source) == Settings()  # complete before it takes the name
        assert load_settings(target) == demo_settings()  # the old file until then
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    save_settings(Settings(), path)
    ((source, target),) = replaced
    assert Path(source).parent == tmp_path and target == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path) == Settings()


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    save_settings(demo_settings(), path)

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_settings(Settings(), path)
    assert load_settings(path) == demo_settings()
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_settings_that_would_not_read_back_are_not_written(tmp_path):
    path = tmp_path / "settings.toml"
    bad = replace(Settings(), home=Place("home", lat=95.0, lon=10.0))
    with pytest.raises(SettingsError, match=r"\[home\] location: .* not a valid latitude"):
        save_settings(bad, path)
    assert not path.exists()


def test_a_symlinked_file_stays_a_link(tmp_path):
    real = tmp_path / "dotfiles" / "planner.toml"
    real.parent.mkdir()
    save_settings(Settings(), real)
    link = tmp_path / "settings.toml"
    link.symlink_to(real)
    save_settings(demo_settings(), link)
    assert link.is_symlink() and load_settings(real) == demo_settings()


def test_the_schema_covers_every_setting():
    covered = {key.field.split(".")[0] for key in SCHEMA}
    assert covered == set(field_names()) - {"home"}  # home is read from home_text
    nested = {key.field for key in SCHEMA if "." in key.field}
    assert nested == {f"geocoding.{f.name}" for f in fields(GeocodingSettings)} | {
        f"routing.{f.name}" for f in fields(RoutingSettings)
    } | {f"web.{f.name}" for f in fields(WebSettings)} | {
        f"caldav.{f.name}" for f in fields(CalDAVSettings)
    }
    rows = {
        "places": SavedPlace,
        "overrides": TravelOverride,
        "protected": ProtectedTime,
        "categories": CategoryRule,
        "keyword_stars": KeywordStars,
        "flexible": FlexibleBlock,
    }
    for key in SCHEMA:
        if key.field in rows:
            attributes = {c.field.split(".")[0] for c in key.columns if c.field != "NAME"}
            assert attributes == {f.name for f in fields(rows[key.field])}, key.field


def test_every_key_has_an_editor_kind_and_documentation():
    kinds = {"bool", "int", "float", "text", "time", "choice", "list", "table"}
    for key in SCHEMA:
        assert key.kind in kinds and key.doc and key.title
        assert (key.kind == "table") == bool(key.columns), key.name
        assert (key.kind == "choice") <= bool(key.choices)
        for column in key.columns:
            assert column.kind in kinds - {"table"} and column.doc
    assert ("budget", "weekly_hours", "Hours a week for events.") in KEYS
    assert ("travel.override", "minutes", "How long the trip takes, in minutes.") in KEYS


def test_parse_place_names_the_key():
    with pytest.raises(SettingsError, match=r"^\[places\.gym\] location: '91, 0'"):
        settings_from_dict({"places": {"gym": {"location": "91, 0"}}})
    with pytest.raises(SettingsError, match=r"^gym: "):
        parse_place("gym", "91, 0")


def test_the_consent_question_names_the_service():
    assert GeocodingSettings().service == "OpenStreetMap Nominatim"
    assert GeocodingSettings(url="http://127.0.0.1:8080").service == "http://127.0.0.1:8080"
    assert GeocodingSettings(provider="photon").service == "photon"


coordinate = st.floats(-90, 90, allow_nan=False)
longitude = st.floats(-180, 180, allow_nan=False)
clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))
name = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
number = st.floats(0, 1000, allow_nan=False, allow_infinity=False)
counts = st.none() | st.integers(0, 20)


@st.composite
def settings_strategy(draw):
    home = place_text(Place(lat=draw(coordinate), lon=draw(longitude)))
    office = draw(st.sampled_from(["1 Yonge St, Toronto", "Markham", ""]))
    start = draw(clock)
    # 23:59 is not written: a protected time "to 23:59" means the end of the day.
    end = draw(clock.filter(lambda t: start < t < time(23, 59)))
    return replace(
        Settings(),
        home=parse_place("home", home),
        home_text=home,
        places=(SavedPlace(parse_place("office", office), tuple(draw(st.lists(name)))),),
        travel_mode=draw(st.sampled_from(TravelMode)),
        rush_hour=draw(st.none() | st.dictionaries(st.integers(0, 23), st.floats(0.5, 5))),
        weekly_hours=draw(st.floats(0, 168, allow_nan=False)),
        counts_travel=draw(st.booleans()),
        monthly_money=draw(st.none() | number),
        latest_home=draw(clock.filter(lambda t: t > Settings().earliest_leave)),
        protected=(ProtectedTime(tuple(sorted(draw(st.sets(st.integers(0, 6))))), start, end),),
        categories=draw(
            st.dictionaries(name, st.builds(CategoryRule, number, counts, counts, counts))
        ),
        geocoding=GeocodingSettings(consent=draw(st.none() | st.booleans())),
    )


@given(settings_strategy())
def test_round_trip_property(settings):
    data = settings_to_dict(settings)
    assert settings_from_dict(data) == settings
    assert settings_from_dict(tomllib.loads(tomlkit.dumps(data))) == settings
