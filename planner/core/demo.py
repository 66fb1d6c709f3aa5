"""The bundled demo week, movable to any week.

The demo files describe the week of Monday 2026-11-23. To show the demo on
another week, the occurrences of that week are moved by whole weeks in local
wall time, so that an 18:30 course stays at 18:30 across a DST change.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date, datetime, timedelta

from planner import resources
from planner.core.model import Event
from planner.core.planning.week import WeekData, load_week
from planner.core.settings import Settings, load_settings_text

DEMO_WEEK = date(2026, 11, 23)


def demo_settings() -> Settings:
    text = resources.read_text("demo", "settings.toml")
    return load_settings_text(tomllib.loads(text), "demo settings.toml")


def _shift(event: Event, delta: timedelta) -> Event:
    zone = event.start.tzinfo
    start = (event.start + delta).astimezone(zone)  # wall-time arithmetic (zoneinfo)
    end = (event.end + delta).astimezone(zone)
    recurrence = ""
    if event.recurrence_id:
        recurrence = (datetime.fromisoformat(event.recurrence_id) + delta).isoformat()
    return replace(event, start=start, end=end, recurrence_id=recurrence)


def load_demo(week_day: date | None = None, settings: Settings | None = None) -> WeekData:
    """The demo commitments and candidates, moved to the week of ``week_day``."""
    settings = settings or demo_settings()
    week = load_week(
        [("demo commitments.ics", resources.read_bytes("demo", "commitments.ics"))],
        [("demo candidates.ics", resources.read_bytes("demo", "candidates.ics"))],
        settings,
        DEMO_WEEK,
    )
    target = week_day or DEMO_WEEK
    weeks = ((target - timedelta(days=target.weekday())) - DEMO_WEEK).days // 7
    if weeks:
        delta = timedelta(weeks=weeks)
        week.commitments = [_shift(e, delta) for e in week.commitments]
        week.candidates = [_shift(e, delta) for e in week.candidates]
    week.week_day = target
    return week
