"""The details panel in words: an assumed price and an approximate place (issue 16)."""

from datetime import datetime

from planner.core.model import Decision, Event, Reason
from planner.gui.details_panel import details_html
from tests.core.week_builder import TZ


def test_the_details_say_when_the_price_was_assumed():
    start = datetime(2026, 11, 26, 18, tzinfo=TZ)
    event = Event(
        "m",
        "Mixer",
        start,
        start.replace(hour=20),
        description="Members free, guests $20",
        cost=20.0,
    )
    decision = Decision(event, False, Reason.BUDGET, "over", 3.0, None, None, start, start, 120)
    text = details_html(decision)
    assert "Cost: $20 <i>(⚠ assumed: the guest price of several (members free))</i>" in text
