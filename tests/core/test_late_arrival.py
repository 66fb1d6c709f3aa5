"""Arriving a little late: a per-category and default tolerance (issue 16)."""

from datetime import date

import pytest

from planner.core.model import Place, Reason
from planner.core.planning.plan import plan_week
from planner.core.settings import SettingsError, settings_from_dict
from tests.core.week_builder import at, event, settings, workweek

MONDAY = date(2026, 11, 23)
# Work ends at 17:00 in Markham; a mixer at 17:15 about 4 km east is reached in rush hour
# some minutes after it starts.
MARKHAM = Place("Markham Civic Centre", "101 Town Centre Blvd", lat=43.8561, lon=-79.2870)


def mixer(category: str = "mixer"):
    return event("mixer", 23, (17, 15), (19, 0), MARKHAM, category)


def decide(s):
    (d,) = plan_week(workweek(), [mixer()], s, MONDAY, now=at(20, 9)).decisions
    return d


def test_without_a_tolerance_arriving_late_is_a_travel_reason():
    d = decide(settings())
    assert d.reason is Reason.TRAVEL
    assert "for a 17:15 start" in d.explanation and "late" not in d.explanation


def test_a_category_tolerance_makes_a_late_arrival_fit_and_says_so():
    d = decide(settings(categories={"mixer": {"late_minutes": 30}}))
    assert d.chosen and d.reason is Reason.CHOSEN
    assert d.leave_at == at(23, 17, 0)  # honest: when work ends, not 17:15 minus the trip
    arrive = d.trip_to.minutes  # minutes after 17:00
    assert d.explanation.startswith(
        f"fits: you would arrive at 17:{arrive:02d}, {arrive - 15} min late "
        "(you allow 30 min for mixer events): leave the office at 17:00"
    )


def test_the_default_tolerance_applies_to_every_category_and_a_category_can_lower_it():
    d = decide(settings(rules__late_minutes=30))
    assert d.chosen and "(you allow 30 min late)" in d.explanation
    strict = decide(settings(rules__late_minutes=30, categories={"mixer": {"late_minutes": 0}}))
    assert strict.reason is Reason.TRAVEL


def test_too_late_even_with_the_tolerance_says_by_how_much():
    d = decide(settings(rules__late_minutes=1))
    assert d.reason is Reason.TRAVEL
    assert "min late (you allow 1 min late)" in d.explanation


@pytest.mark.parametrize("value", [-1, 121, 1.5])
def test_the_tolerance_is_validated(value):
    with pytest.raises(SettingsError, match="late_minutes"):
        settings_from_dict({"rules": {"late_minutes": value}})
    with pytest.raises(SettingsError, match="late_minutes"):
        settings_from_dict({"categories": {"mixer": {"late_minutes": value}}})
