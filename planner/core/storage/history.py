"""What the user planned and attended, week by week: monthly quotas and the streak need it.

A plan chooses events for one week, but quotas ("two meetups a month") and
the money budget span the month, and the streak spans weeks. So each plan's
chosen events are recorded (status "planned"); the ones the user went to are
marked "attended" and are never forgotten when a week is planned again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from planner.core.model import Event, Plan, Reason, is_flexible
from planner.core.storage.codec import event_from_json, event_to_json, utc_text
from planner.core.storage.database import Database

HistoryStatus = Literal["planned", "attended"]


def record_week(database: Database, plan: Plan) -> None:
    """Remember what the plan of a week chose (status "planned"), for monthly quotas
    and the streak; an event the new plan dropped is forgotten unless attended."""
    week = plan.week_start.date().isoformat()
    chosen = [d.event for d in plan.chosen if not is_flexible(d.event)]
    # An event over in the week under way is left out of the plan, but what was
    # recorded for it while it was ahead stays: it was planned.
    over = [d.event.key for d in plan.decisions if d.reason is Reason.PAST]
    with database.writing() as db:
        keys = [e.key for e in chosen] + over
        marks = ",".join("?" * len(keys))
        db.execute(
            "DELETE FROM history WHERE week_start = ? AND status = 'planned' "
            f"AND key NOT IN ({marks})",
            (week, *keys),
        )
        for e in chosen:
            db.execute(
                "INSERT INTO history (week_start, key, summary, category, starts_at, cost, "
                "status, event) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) "
                "ON CONFLICT (week_start, key) DO UPDATE SET summary = excluded.summary, "
                "category = excluded.category, starts_at = excluded.starts_at, "
                "cost = excluded.cost, event = excluded.event",
                (
                    week,
                    e.key,
                    e.summary,
                    e.category,
                    utc_text(e.start),
                    e.cost,
                    event_to_json(e),
                ),
            )


def mark_attended(database: Database, keys: Iterable[str]) -> int:
    """Mark recorded events as attended; returns how many rows that changed."""
    with database.writing() as db:
        return sum(
            db.execute(
                "UPDATE history SET status = 'attended' WHERE key = ? AND status != 'attended'",
                (key,),
            ).rowcount
            for key in keys
        )


def history(
    database: Database, start: datetime, end: datetime, status: HistoryStatus | None = None
) -> list[Event]:
    """Recorded events starting in [start, end), earliest first.

    For a month's quotas pass the local midnight of its first day and of the next
    month's; ``status`` keeps only planned or only attended events.
    """
    query = "SELECT event FROM history WHERE starts_at >= ? AND starts_at < ?"
    args: list[str] = [utc_text(start), utc_text(end)]
    if status:
        query += " AND status = ?"
        args.append(status)
    with database.reading() as db:
        rows = db.execute(query + " ORDER BY starts_at, key", args).fetchall()
    return [event_from_json(r["event"]) for r in rows]


def streak(database: Database, today: date, with_events: Iterable[date] = ()) -> int:
    """Weeks in a row with at least one planned or attended event, ending this week
    (or last week, so that a streak is not lost on a Monday before planning); the
    Mondays in ``with_events`` count as holding one."""
    with database.reading() as db:
        weeks = {
            date.fromisoformat(r[0]) for r in db.execute("SELECT DISTINCT week_start FROM history")
        }
    weeks |= set(with_events)
    monday = today - timedelta(days=today.weekday())
    if monday not in weeks:
        monday -= timedelta(weeks=1)
    count = 0
    while monday in weeks:
        count += 1
        monday -= timedelta(weeks=1)
    return count
