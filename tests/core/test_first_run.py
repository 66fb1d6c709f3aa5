"""The setup's answers as settings (no Qt): what the user answered changes, nothing else,
and the file written keeps the user's comments."""

from __future__ import annotations

from datetime import time

import pytest

from planner.core.model import TravelMode
from planner.core.settings import (
    ProtectedTime,
    SavedPlace,
    Settings,
    SettingsError,
    load_settings,
    parse_place,
    save_settings,
)
from planner.core.settings.first_run import (
    WORK_HOURS_LABEL,
    SetupAnswers,
    apply_answers,
    current_answers,
    is_first_start,
)


def test_every_page_skipped_changes_nothing():
    settings = Settings(weekly_hours=5.0, protect_weekends=False)
    assert apply_answers(settings, SetupAnswers()) == settings


def test_the_answers_become_settings():
    answers = SetupAnswers(
        home="120 Brock St S, Whitby, ON",
        office="43.8492, -79.3652",
        office_days=(0, 1, 2, 3),
        office_start=time(8, 30),
        office_end=time(16, 30),
        commute=TravelMode.TRANSIT,
        weekly_hours=6.0,
        max_evenings_out=2,
        latest_home=time(21, 30),
        protect_weekends=False,
    )
    settings = apply_answers(Settings(), answers)
    assert settings.home_text == "120 Brock St S, Whitby, ON"
    assert settings.home.address == "120 Brock St S, Whitby, ON"
    office = next(p for p in settings.places if p.place.name == "office")
    assert (office.place.lat, office.place.lon) == (43.8492, -79.3652)
    assert "Office" in office.match
    assert settings.protected == (
        ProtectedTime((0, 1, 2, 3), time(8, 30), time(16, 30), WORK_HOURS_LABEL),
    )
    assert settings.travel_mode is TravelMode.TRANSIT
    assert (settings.weekly_hours, settings.max_evenings_out) == (6.0, 2)
    assert settings.latest_home == time(21, 30)
    assert settings.protect_weekends is False
    # Asked again, the pages show these answers, and taking them changes nothing.
    assert apply_answers(settings, current_answers(settings)) == settings


def test_setting_up_again_keeps_what_was_not_asked_and_other_protected_times():
    kids = ProtectedTime((2,), time(17, 0), time(21, 0), "kids")
    campus = SavedPlace(parse_place("campus", "43.9, -78.9"), ("Campus",))
    before = Settings(protected=(kids,), places=(campus,), max_events_per_day=2)
    first = apply_answers(before, SetupAnswers(office="Toronto", office_start=time(9, 0)))
    again = apply_answers(first, SetupAnswers(weekly_hours=4.0))
    assert kids in again.protected
    assert campus in again.places
    assert again.max_events_per_day == 2
    assert again.weekly_hours == 4.0
    assert [p.place.name for p in again.places] == ["campus", "office"]


def test_home_can_be_a_saved_place():
    office = SavedPlace(parse_place("office", "43.8492, -79.3652"), ("Office",))
    settings = apply_answers(Settings(places=(office,)), SetupAnswers(home="Office"))
    assert (settings.home.lat, settings.home.lon) == (43.8492, -79.3652)


def test_answers_that_cannot_be_settings_name_the_question():
    with pytest.raises(SettingsError, match="Office hours"):
        apply_answers(Settings(), SetupAnswers(office_start=time(17), office_end=time(9)))
    with pytest.raises(SettingsError, match="Home by"):
        apply_answers(Settings(), SetupAnswers(latest_home=time(5, 0)))
    with pytest.raises(SettingsError, match="Home"):
        apply_answers(Settings(), SetupAnswers(home="999, 999"))


def test_a_new_user_sees_sensible_defaults():
    shown = current_answers(Settings())
    assert shown.home == ""
    assert shown.office_days == (0, 1, 2, 3, 4)
    assert (shown.office_start, shown.office_end) == (time(9), time(17))
    assert shown.weekly_hours == 3.0
    assert shown.protect_weekends is True


def test_the_settings_file_keeps_its_comments(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        "# my own note about this file\n"
        "schema_version = 1\n\n"
        "[budget]\n"
        "# keep it small while the baby is young\n"
        "weekly_hours = 2\n",
        encoding="utf-8",
    )
    settings = apply_answers(
        load_settings(path), SetupAnswers(home="43.88, -78.95", weekly_hours=5.0)
    )
    save_settings(settings, path)
    text = path.read_text(encoding="utf-8")
    assert "# my own note about this file" in text
    assert "# keep it small while the baby is young" in text
    assert load_settings(path) == settings


def test_first_start_is_no_settings_file_and_nothing_imported(tmp_path):
    path = tmp_path / "settings.toml"
    assert is_first_start(path, 0, 0)
    assert not is_first_start(path, 1, 0)
    assert not is_first_start(path, 0, 2)
    path.write_text("schema_version = 1\n", encoding="utf-8")
    assert not is_first_start(path, 0, 0)
