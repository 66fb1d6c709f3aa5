"""Did you go? Attended or skipped, with a note: kept like a decision (undoable, shared
with the terminal, after a restart), and counted by the history, the streak and the
per-week numbers the History view charts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import BudgetUse, Decision, Event, Mark, Place, Plan, Reason
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage.database import SCHEMA_VERSION, Database
from planner.core.storage.history import week_numbers
from planner.core.storage.store import Store

ZONE = ZoneInfo("America/Toronto")
FAR = (datetime(2000, 1, 1, tzinfo=ZONE), datetime(2100, 1, 1, tzinfo=ZONE))


def event(uid: str, day: int, hours: float = 2, category: str = "professional") -> Event:
    start = datetime(2026, 11, day, 18, 0, tzinfo=ZONE)
    return Event(
        uid,
        f"Mixer {uid}",
        start,
        start + timedelta(hours=hours),
        place=Place("online", virtual=True),
        categories=(category,),
    )


def never(*_args: object) -> None:
    raise AssertionError("these tests never load a week")


def opened(path: Path) -> tuple[Store, Session]:
    store = Store.open(path)
    return store, Session.restored(store, never, Settings())


def plan_of(monday: date, *events: Event) -> Plan:
    decisions = tuple(
        Decision(e, True, Reason.CHOSEN, "fits", 3.0, None, None, e.start, e.end, 120)
        for e in events
    )
    budget = BudgetUse(180, 120, 0, len(events), 3, 1, 3, 0.0, None)
    week_start = datetime.combine(monday, datetime.min.time(), tzinfo=ZONE)
    return Plan(week_start, "America/Toronto", (), decisions, True, 3.0, budget, 0.01)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "planner.sqlite3"


def test_a_mark_and_its_note_are_kept_after_a_restart_and_undone_exactly(path: Path) -> None:
    store, session = opened(path)
    hdi = event("hdi", 24)
    session.mark(hdi, "attended", "Met Priya (Shopify); send her the deck")
    session.mark(hdi, "attended", "Met Priya; deck sent")  # a new note, the same mark
    store.close()

    store, session = opened(path)
    assert session.choices.marks == {"hdi": Mark("attended", "Met Priya; deck sent")}
    assert session.undo() is not None
    assert session.choices.marks["hdi"].note == "Met Priya (Shopify); send her the deck"
    assert session.undo() is not None
    assert session.choices.marks == {}
    assert store.load_choices().marks == {}
    assert session.redo() is not None
    assert store.load_choices().marks == {
        "hdi": Mark("attended", "Met Priya (Shopify); send her the deck")
    }
    store.close()


def test_marking_twice_the_same_is_no_change_and_skipping_keeps_the_note(path: Path) -> None:
    store, session = opened(path)
    hdi = event("hdi", 24)
    assert session.mark(hdi, "attended", "Met Priya") is not None
    assert session.mark(hdi, "attended") is None
    change = session.mark(hdi, "skipped")
    assert change is not None and change.label == "Mark “Mixer hdi” skipped"
    assert session.choices.marks["hdi"] == Mark("skipped", "Met Priya")
    assert session.mark(hdi, None) is not None
    assert store.load_choices().marks == {}
    store.close()


def test_a_mark_keeps_the_commitment_and_stars_of_the_event(path: Path) -> None:
    store, session = opened(path)
    hdi = event("hdi", 24)
    session.pin(hdi)
    session.set_stars(hdi, 5)
    session.mark(hdi, "skipped", "ill")
    session.undo()
    choices = store.load_choices()
    assert choices.pinned == {"hdi"} and choices.stars == {"hdi": 5} and not choices.marks
    store.close()


def test_the_streak_counts_attended_and_planned_but_not_skipped(path: Path) -> None:
    store, session = opened(path)
    week1, week2, week3 = date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)
    a, b, c = event("a", 10), event("b", 17), event("c", 24)
    for monday, e in ((week1, a), (week2, b), (week3, c)):
        store.record_week(plan_of(monday, e))
    today = date(2026, 11, 25)
    assert store.streak(today) == 3
    session.mark(b, "skipped")
    assert store.streak(today) == 1  # the middle week holds nothing that counts
    assert [e.key for e in store.history(*FAR)] == ["a", "c"]  # nor for monthly quotas
    session.undo()
    assert store.streak(today) == 3
    store.close()


def test_an_event_attended_but_left_out_of_the_plan_counts_and_stays(path: Path) -> None:
    store, session = opened(path)
    monday = date(2026, 11, 23)
    planned, went = event("planned", 24), event("went", 25)
    store.record_week(plan_of(monday, planned))
    session.mark(went, "attended", "talked to the organiser")
    store.record_week(plan_of(monday))  # planned again: the plan now chooses nothing
    items = store.recorded(*FAR)
    assert [(i.event.key, i.outcome, i.note) for i in items] == [
        ("went", "attended", "talked to the organiser")
    ]
    assert store.streak(date(2026, 11, 26)) == 1
    store.close()


def test_week_numbers_count_what_was_attended_hours_and_categories(path: Path) -> None:
    store, session = opened(path)
    first, second = date(2026, 11, 16), date(2026, 11, 30)
    store.record_week(
        plan_of(first, event("a", 17, 2), event("b", 18, 1.5, "social"), event("c", 19, 1))
    )
    session.mark(event("a", 17), "attended")
    session.mark(event("c", 19), "skipped")
    numbers = week_numbers(store.recorded(*FAR), first, second)
    assert [w.week_start for w in numbers] == [first, date(2026, 11, 23), second]
    one = numbers[0]
    assert (one.attended, one.planned, one.skipped, one.events) == (1, 1, 1, 2)
    assert one.hours == pytest.approx(3.5)
    assert one.categories == {"professional": 1, "social": 1}
    assert not numbers[1].networked and numbers[1].hours == 0
    assert store.history_weeks(first, second) == numbers
    store.close()


def test_the_migration_brings_an_older_store_forward_with_its_decisions(path: Path) -> None:
    from planner.core.storage.database import MIGRATIONS, connect, migrate

    connection = connect(path)
    migrate(connection, MIGRATIONS[:-1])
    connection.execute(
        "INSERT INTO decisions (key, decision, stars, note, updated_at) "
        "VALUES ('hdi', 'pinned', 4, '', 'x')"
    )
    connection.close()
    database = Database.open(path)
    assert database.schema_version == SCHEMA_VERSION
    database.close()
    store = Store.open(path)
    choices = store.load_choices()
    assert choices.pinned == {"hdi"} and choices.stars == {"hdi": 4} and not choices.marks
    store.close()
