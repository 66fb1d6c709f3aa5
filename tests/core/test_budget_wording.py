"""A plan never exceeds the hours budget with events it chose; events the user committed to
are kept whatever they cost, and the summary says when they take the week over, by how
much and why."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Choices, Event, Place, Reason
from planner.core.planning.plan import plan_week
from planner.core.planning.report import over_budget, plan_json, summary_line
from planner.core.settings import Settings
from planner.core.text import wording

TZ = ZoneInfo("America/Toronto")
ONLINE = Place("Zoom", virtual=True)
DAY = date(2026, 11, 24)  # a Tuesday


def online(uid: str, start: int, end: int, day: int = 24) -> Event:
    return Event(
        uid,
        f"Webinar {uid}",
        datetime(2026, 11, day, start, tzinfo=TZ),
        datetime(2026, 11, day, end, 10, tzinfo=TZ),
        place=ONLINE,
    )


def test_a_committed_event_over_the_budget_is_kept_and_said():
    settings = Settings(weekly_hours=6)
    long_one, short_one = online("long", 9, 16), online("short", 12, 13, day=25)
    plan = plan_week(
        [], [long_one, short_one], settings, DAY, Choices(pinned=frozenset({long_one.key}))
    )
    (chosen,) = plan.chosen
    assert chosen.event.key == long_one.key and chosen.reason is Reason.PINNED
    b = plan.budget
    assert (b.used_minutes, b.limit_minutes, b.committed_minutes, b.over_minutes) == (
        430,
        360,
        430,
        70,
    )
    assert over_budget(b) == "over by 1 h 10 min because of events you committed to"
    assert summary_line(plan) == (
        "1 of 2 events proposed (optimal): 7 h 10 min of your 6 h (travel 0 min): over by "
        "1 h 10 min because of events you committed to; 0 of 3 evenings out."
    )
    assert plan_json(plan)["budget"]["committed_minutes"] == 430
    # The short one would fit alone; it is left out because the committed one took it all.
    (left,) = plan.left_out
    assert left.reason is Reason.BUDGET


def test_within_the_budget_nothing_is_said():
    settings = Settings(weekly_hours=6)
    plan = plan_week([], [online("long", 9, 16)], settings, DAY)
    assert plan.chosen == ()  # 7 h 10 min does not fit in 6 h: the planner never goes over
    assert plan.budget.over_minutes == 0 and over_budget(plan.budget) == ""
    assert "over by" not in summary_line(plan)
    fits = plan_week([], [online("short", 12, 13)], settings, DAY)
    assert "of your 6 h (travel 0 min), 0 of 3 evenings out." in summary_line(fits)
    assert fits.budget.committed_minutes == 0


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("clashes with Work (Fri 08:30-17:00)", "although it clashes with Work (Fri 08:30-17:00)"),
        ("would use 2 h of your 1 h", "although it would use 2 h of your 1 h"),
        ("costs $40, more than the $10 left", "although it costs $40, more than the $10 left"),
        (
            "you would arrive at 17:16 for a 17:15 start",
            "although you would arrive at 17:16 for a 17:15 start",
        ),
        (
            "Sat is protected: your rules keep weekends free",
            "although Sat is protected: your rules keep weekends free",
        ),
        (
            "it is on Mon 30 Nov, outside the week planned",
            "although it is on Mon 30 Nov, outside the week planned",
        ),
        ("your rules allow no social events", "although your rules allow no social events"),
    ],
)
def test_a_commitment_that_breaks_a_rule_reads_as_a_sentence(reason, said):
    """Not "although it you would arrive …": every rule's reason reads after "although"."""
    assert wording.although(reason) == said


def test_a_week_without_candidates_says_so_instead_of_0_of_0():
    empty = plan_week([], [], Settings(), date(2026, 11, 23))
    assert summary_line(empty) == "No candidate events this week, so nothing to propose."
