"""Settings an adversary (or a slip of the keyboard) writes: infinities, NaN, huge
numbers, odd digits, nesting deep enough to break a recursive parser, impossible places
and times. Each is a SettingsError naming the file, the key and the value; never a
traceback, a hang or a week silently planned with nonsense."""

from __future__ import annotations

import re

import pytest

from planner.core.settings import SettingsError, load_settings

HOSTILE = [
    (
        "[budget]\nweekly_hours = 1e308",
        "[budget] weekly_hours: a week has 168 hours: must be 0 to 168, got 1e+308",
    ),
    ("[budget]\nweekly_hours = inf", "[budget] weekly_hours: expected a finite number, got inf"),
    ("[budget]\nweekly_hours = -inf", "[budget] weekly_hours: expected a finite number, got -inf"),
    ("[budget]\nweekly_hours = nan", "[budget] weekly_hours: expected a finite number, got nan"),
    ("[budget]\nmonthly_money = inf", "[budget] monthly_money: expected a finite number, got inf"),
    (
        "[budget]\nmonthly_money = 1e308",
        "[budget] monthly_money: must be at most 1,000,000, got 1e+308",
    ),
    (
        "[budget]\nmax_events_per_week = 1e20",
        "[budget] max_events_per_week: expected a whole number, got 1e+20",
    ),
    (
        "[budget]\nmax_events_per_week = 100000000000000000000",
        "[budget] max_events_per_week: must be at most 1,000,000, got 1e+20",
    ),
    (
        "[travel]\nunknown_place_minutes = -5",
        "[travel] unknown_place_minutes: must be 0 to 1440, got -5",
    ),
    ('[travel]\nrush_hour = { "²" = 1.5 }', "[travel] rush_hour '²': hours are 0 to 23"),
    (
        '[travel]\nrush_hour = { "7" = nan }',
        "[travel] rush_hour '7': expected a finite number, got nan",
    ),
    (
        '[home]\nlocation = "999, 999"',
        "[home] location: '999, 999' is not a valid latitude, longitude",
    ),
    (
        '[rules]\nearliest_leave = "18:00"\nlatest_home = "07:00"',
        "[rules] latest_home: 07:00 is not after earliest_leave 18:00",
    ),
    (
        "[categories.work]\nweight = nan",
        "[categories.work] weight: expected a finite number, got nan",
    ),
    (
        "[categories.work]\nmax_per_week = -1",
        "[categories.work] max_per_week: must not be negative, got -1",
    ),
    (
        '[[travel.override]]\nfrom = "home"\nto = "Toronto"\nminutes = 70\nradius_km = inf',
        "[[travel.override]] #1 radius_km: expected a finite number, got inf",
    ),
    (
        "[geocoding]\ntimeout_seconds = nan",
        "[geocoding] timeout_seconds: expected a finite number, got nan",
    ),
    (
        "[budget]\nweekly_hours = " + "[" * 50 + "]" * 50,
        "[budget] weekly_hours: expected a number, got [[[[...]]]]",
    ),
    ("x = " + "[" * 100_000 + "]" * 100_000, "tables or lists nested too deeply to be settings"),
    (
        "[travel]\nrush_hour = " + "{a=" * 5000 + "1" + "}" * 5000,
        "tables or lists nested too deeply to be settings",
    ),
]
IDS = [
    "weekly_hours-1e308",
    "weekly_hours-inf",
    "weekly_hours-minus-inf",
    "weekly_hours-nan",
    "monthly_money-inf",
    "monthly_money-1e308",
    "events-1e20-float",
    "events-1e20-integer",
    "unknown_place_minutes-negative",
    "rush_hour-superscript-two",
    "rush_hour-nan",
    "home-999-999",
    "home-before-leaving",
    "weight-nan",
    "quota-negative",
    "override-radius-inf",
    "timeout-nan",
    "nested-value",
    "nested-100000-lists",
    "nested-5000-tables",
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=IDS)
def test_each_hostile_value_is_an_error_naming_the_key_and_the_value(tmp_path, text, message):
    path = tmp_path / "settings.toml"
    path.write_text(text + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: {message}" or str(caught.value).startswith(
        f"{path}: {message}"
    ), str(caught.value)


def test_the_message_for_a_long_value_is_short(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[budget]\nweekly_hours = "' + "x" * 100_000 + '"\n')
    with pytest.raises(SettingsError, match=re.escape("expected a number, got 'xxxx")) as caught:
        load_settings(path)
    assert len(str(caught.value)) < 200 + len(str(path))


def test_the_error_names_the_line_of_the_key(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        '[general]\ntimezone = "America/Toronto"\n\n'
        '[[travel.override]]\nfrom = "home"\nto = "A"\nminutes = 5\n\n'
        '[[travel.override]]\nfrom = "home"\nto = "B"\nminutes = 5\nradius_km = nan\n'
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == (
        f"{path}: [[travel.override]] #2 radius_km: expected a finite number, got nan (line 13)"
    )
