"""Costs in words: the price a calendar event's description states fills its cost
(issue 16), read by the same reader as quick add's."""

from datetime import datetime

import pytest

from planner.core.calendars.reading import cost_from_text, read_bytes
from planner.core.text.prices import price_assumed, stated_price
from tests.core.week_builder import TZ
from tests.feed_server import calendar, vevent


@pytest.mark.parametrize(
    ("description", "cost", "assumed"),
    [
        ("Tickets $15", 15.0, ""),
        ("$25 at the door", 25.0, ""),
        ("Cost: 10 CAD", 10.0, ""),
        ("Cost: Free\nDetails and registration: https://example.org", 0.0, ""),
        ("Entrée : 12 €", 12.0, ""),
        ("Members free, guests $20", 20.0, "the guest price of several (members free)"),
        ("Early bird $10, regular $15", 15.0, "the regular price of several (early bird $10)"),
        ("$20 members / $30 non-members", 30.0, "the non-member price of several (members $20)"),
        ("Students $5\nTickets $12", 12.0, "the general price of several (students $5)"),
        ("Bring a friend. Free parking after 17:00.", None, ""),
        ("We raised $5,000 for the food bank last year", None, ""),
        ("Admission 19+ only", None, ""),
        ("", None, ""),
    ],
)
def test_a_price_stated_in_words_is_read_for_a_non_member(description, cost, assumed):
    assert cost_from_text("", description) == cost
    stated = stated_price(description)
    assert (stated.amount if stated else None) == cost
    assert price_assumed(description, cost) == assumed


def test_x_cost_wins_over_the_description():
    assert cost_from_text("$8", "Members free, guests $20") == 8.0


def test_a_calendar_events_cost_comes_from_its_description():
    data = calendar(
        vevent(
            "m",
            "Mixer",
            "20261126T180000",
            "20261126T200000",
            "DESCRIPTION:Members free\\, guests $20. RSVP on the site.",
        )
    )
    (event,) = read_bytes(
        data, "mixers.ics", TZ, datetime(2026, 11, 23, tzinfo=TZ), datetime(2026, 11, 30, tzinfo=TZ)
    ).events
    assert event.cost == 20.0
