"""The publish queue: what publishing to a CalDAV calendar could not write yet.

A server that is down, slow or refusing must not lose a change to the user's calendar.
Each object publishing could not write (add, move, update, remove, or a whole week when
the calendar could not even be read) is kept here, per calendar and week, with the
reason in words. The next ``planner publish``, ``planner refresh`` and the next start of
the window publish those weeks again from the plan as it is then: the plan, not the
queue, says what the calendar should hold, so a change made meanwhile is never
overwritten by an old one. A week published whole leaves the queue.

No password is kept here: the user name says whose password to ask the keyring for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from planner.core.storage.codec import datetime_or_none, utc_text
from planner.core.storage.database import Database


@dataclass(frozen=True, slots=True)
class Waiting:
    """One object publishing could not write, and why, in words."""

    uid: str
    action: str
    """``add``, ``move``, ``update``, ``remove``, or ``publish`` (the calendar was not read)."""
    label: str
    """The event as a message names it: ``“Meetup” (Thu 10 Dec 18:00-20:00)``."""
    reason: str

    @property
    def sentence(self) -> str:
        verb = {"remove": "not removed", "publish": "not published"}.get(self.action, "not written")
        return f"{self.label}: {verb}: {self.reason}"


@dataclass(frozen=True, slots=True)
class QueuedWeek:
    """A week of one calendar with objects still to publish."""

    calendar_url: str
    user: str
    week_start: date
    items: tuple[Waiting, ...]
    first_queued: datetime | None
    attempts: int
    """How many publishes in a row failed to write this week whole."""


def keep(
    database: Database,
    calendar_url: str,
    user: str,
    week_start: date,
    items: Sequence[Waiting],
    now: datetime,
) -> None:
    """Make the week's queue what this publish left unwritten (none: the week leaves the
    queue), counting the attempts, in one transaction."""
    week = week_start.isoformat()
    with database.writing() as db:
        row = db.execute(
            "SELECT max(attempts), min(queued_at) FROM publish_queue "
            "WHERE calendar_url = ? AND week_start = ?",
            (calendar_url, week),
        ).fetchone()
        attempts = int(row[0] or 0) + 1
        since = row[1] or utc_text(now)
        db.execute(
            "DELETE FROM publish_queue WHERE calendar_url = ? AND week_start = ?",
            (calendar_url, week),
        )
        db.executemany(
            "INSERT OR REPLACE INTO publish_queue (calendar_url, user, week_start, uid, "
            "action, label, reason, queued_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (calendar_url, user, week, i.uid, i.action, i.label, i.reason, since, attempts)
                for i in items
            ],
        )


def waiting(database: Database, calendar_url: str | None = None) -> list[QueuedWeek]:
    """The weeks waiting to be published (of one calendar, or all), oldest week first."""
    query = (
        "SELECT calendar_url, user, week_start, uid, action, label, reason, queued_at, "
        "attempts FROM publish_queue"
    )
    arguments: tuple[str, ...] = ()
    if calendar_url is not None:
        query += " WHERE calendar_url = ?"
        arguments = (calendar_url,)
    with database.reading() as db:
        rows = db.execute(query + " ORDER BY week_start, calendar_url, label", arguments)
        return _weeks(rows.fetchall())


def _weeks(rows: Iterable[tuple[str, ...]]) -> list[QueuedWeek]:
    grouped: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for row in rows:
        grouped.setdefault((row[0], row[2]), []).append(row)
    weeks: list[QueuedWeek] = []
    for (url, week), members in grouped.items():
        weeks.append(
            QueuedWeek(
                calendar_url=url,
                user=members[0][1],
                week_start=date.fromisoformat(week),
                items=tuple(Waiting(m[3], m[4], m[5], m[6]) for m in members),
                first_queued=datetime_or_none(min(m[7] for m in members)),
                attempts=max(int(m[8]) for m in members),
            )
        )
    return sorted(weeks, key=lambda w: (w.week_start, w.calendar_url))


def count(database: Database) -> int:
    """How many objects wait, over all calendars and weeks."""
    with database.reading() as db:
        return int(db.execute("SELECT count(*) FROM publish_queue").fetchone()[0])
