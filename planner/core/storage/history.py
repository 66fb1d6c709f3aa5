"""What the user planned and attended, week by week: monthly quotas and the streak need it.

A plan chooses events for one week, but quotas ("two meetups a month") and
the money budget span the month, and the streak spans weeks. So each plan's
chosen events are recorded (status "planned"); the ones the user went to are
marked "attended" and are never forgotten when a week is planned again.

What the user said of an event that is over (attended or skipped, with a note)
is a decision (the ``went`` and ``note`` columns of ``decisions``, undoable
like the others): it is joined here by the event's key, so a planned event
marked skipped counts for nothing (streak, quotas, charts), one marked attended
counts even if a later plan of its week dropped it, and one never marked
counts as planned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from planner.core.model import Event, Plan, Reason, is_flexible
from planner.core.storage.codec import event_from_json, event_to_json, utc_text
from planner.core.storage.database import Database

HistoryStatus = Literal["planned", "attended"]
Outcome = Literal["planned", "attended", "skipped"]
"""A recorded event as it stands: planned and not marked yet, or marked by the user."""

_MARKED = "LEFT JOIN decisions d ON d.key = h.key"
_NOT_SKIPPED = "coalesce(d.went, '') != 'skipped'"


@dataclass(frozen=True, slots=True)
class Recorded:
    """One event of the history with the user's word on it."""

    event: Event
    week_start: date
    outcome: Outcome
    note: str = ""


@dataclass(frozen=True, slots=True)
class WeekNumbers:
    """What one week of the history holds, for the History view's charts."""

    week_start: date
    attended: int = 0
    planned: int = 0
    """Planned and not marked (they count, as the user may simply not have said)."""
    skipped: int = 0
    hours: float = 0.0
    """Hours of the events that count (attended or planned), travel not included."""
    categories: dict[str, int] = field(default_factory=dict)
    """Events that count, by category ("" for none)."""

    @property
    def events(self) -> int:
        """The events that count: attended, or planned and not marked skipped."""
        return self.attended + self.planned

    @property
    def networked(self) -> bool:
        return self.events > 0


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
            f"AND key NOT IN ({marks}) "
            "AND key NOT IN (SELECT key FROM decisions WHERE went != '')",
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


def record_event(database: Database, event: Event, week_start: date) -> None:
    """Keep ``event`` in the history of its week if no plan recorded it (the user says
    they went to an event that was left out, or to a week never planned here)."""
    with database.writing() as db:
        db.execute(
            "INSERT INTO history (week_start, key, summary, category, starts_at, cost, "
            "status, event) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) "
            "ON CONFLICT (week_start, key) DO NOTHING",
            (
                week_start.isoformat(),
                event.key,
                event.summary,
                event.category,
                utc_text(event.start),
                event.cost,
                event_to_json(event),
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
    query = (
        f"SELECT h.event FROM history h {_MARKED} WHERE h.starts_at >= ? AND h.starts_at < ? "
        f"AND {_NOT_SKIPPED}"
    )
    args: list[str] = [utc_text(start), utc_text(end)]
    if status == "attended":
        query += " AND (h.status = 'attended' OR d.went = 'attended')"
    elif status == "planned":
        query += " AND h.status = 'planned' AND coalesce(d.went, '') = ''"
    with database.reading() as db:
        rows = db.execute(query + " ORDER BY h.starts_at, h.key", args).fetchall()
    return [event_from_json(r["event"]) for r in rows]


def recorded(database: Database, start: datetime, end: datetime) -> list[Recorded]:
    """Every recorded event starting in [start, end), skipped ones included, with the
    user's mark and note, earliest first."""
    where = "h.starts_at >= ? AND h.starts_at < ?"
    return _recorded_where(database, where, (utc_text(start), utc_text(end)))


def recorded_weeks(database: Database, first: date, last: date) -> list[WeekNumbers]:
    """The numbers of each week from the Monday ``first`` to the Monday ``last`` (the
    History view's charts): what was attended, planned, skipped, hours and categories."""
    where = "h.week_start >= ? AND h.week_start <= ?"
    items = _recorded_where(database, where, (first.isoformat(), last.isoformat()))
    return week_numbers(items, first, last)


def _recorded_where(database: Database, where: str, params: tuple[str, str]) -> list[Recorded]:
    """The recorded events matching ``where`` with the user's mark and note, earliest first."""
    query = (
        "SELECT h.week_start, h.status, h.event, coalesce(d.went, '') AS went, "
        f"coalesce(d.note, '') AS note FROM history h {_MARKED} "
        f"WHERE {where} ORDER BY h.starts_at, h.key"
    )
    with database.reading() as db:
        rows = db.execute(query, params).fetchall()
    return [
        Recorded(
            event_from_json(r["event"]),
            date.fromisoformat(r["week_start"]),
            r["went"] or r["status"],
            r["note"],
        )
        for r in rows
    ]


def week_numbers(items: Iterable[Recorded], first: date, last: date) -> list[WeekNumbers]:
    """The numbers of each week from the Monday ``first`` to the Monday ``last``, empty
    weeks included (a gap in the habit is what the chart is there to show)."""
    by_week: dict[date, list[Recorded]] = {}
    for item in items:
        by_week.setdefault(item.week_start, []).append(item)
    weeks: list[WeekNumbers] = []
    monday = first
    while monday <= last:
        found = by_week.get(monday, [])
        counted = [i for i in found if i.outcome != "skipped"]
        weeks.append(
            WeekNumbers(
                monday,
                attended=sum(1 for i in counted if i.outcome == "attended"),
                planned=sum(1 for i in counted if i.outcome == "planned"),
                skipped=len(found) - len(counted),
                hours=sum(i.event.duration.total_seconds() for i in counted) / 3600,
                categories=dict(Counter(i.event.category for i in counted)),
            )
        )
        monday += timedelta(weeks=1)
    return weeks


def streak(database: Database, today: date, with_events: Iterable[date] = ()) -> int:
    """Weeks in a row with at least one planned or attended event (not one the user
    skipped), ending this week (or last week, so that a streak is not lost on a Monday
    before planning); the Mondays in ``with_events`` count as holding one."""
    with database.reading() as db:
        rows = db.execute(
            f"SELECT DISTINCT h.week_start FROM history h {_MARKED} WHERE {_NOT_SKIPPED}"
        )
        weeks = {date.fromisoformat(r[0]) for r in rows}
    weeks |= set(with_events)
    monday = today - timedelta(days=today.weekday())
    if monday not in weeks:
        monday -= timedelta(weeks=1)
    count = 0
    while monday in weeks:
        count += 1
        monday -= timedelta(weeks=1)
    return count
