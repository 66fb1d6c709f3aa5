"""The local store: schema and migrations, round trips, history, the parse cache, backups."""

import sqlite3
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.calendars import reading as ics_import
from planner.core.model import (
    BudgetUse,
    Choices,
    Decision,
    Event,
    Place,
    Plan,
    Reason,
    Source,
    Status,
)
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage.codec import (
    datetime_from_text,
    datetime_text,
    event_from_json,
    event_to_dict,
    event_to_json,
)
from planner.core.storage.database import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    default_path,
    migrate,
)
from planner.core.storage.parse_cache import read_file_cached
from planner.core.storage.store import Store, StoreError

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def store(data_dir):
    with Store.open() as opened:
        yield opened


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 5, day, hour, minute, tzinfo=TORONTO)


def event(uid: str, start: datetime, **kw) -> Event:
    return Event(
        uid=uid, summary=kw.pop("summary", uid), start=start, end=start + timedelta(hours=2), **kw
    )


def plan_of(week_start: datetime, events: list[Event]) -> Plan:
    decisions = tuple(
        Decision(e, True, Reason.CHOSEN, "fits", 3.0, None, None, e.start, e.end, 120)
        for e in events
    )
    budget = BudgetUse(180, 120, 0, len(events), 3, 1, 3, 0.0, None)
    return Plan(week_start, "America/Toronto", (), decisions, True, 3.0, budget, 0.01)


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


# --- opening, schema, migrations -------------------------------------------------------------


def test_opens_in_the_data_dir_with_wal_and_the_current_schema(store, data_dir):
    assert store.path == default_path() == data_dir / "planner.sqlite3"
    assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert store.integrity_check() == "ok"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()


def test_a_version_1_database_is_migrated_keeping_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, MIGRATIONS[:1]) == 1
    db.execute(
        "INSERT INTO decisions (key, decision, stars, note, updated_at) "
        "VALUES ('hdi', 'pinned', 5, 'meet Ana', '2025-01-01T00:00:00+00:00')"
    )
    db.execute("INSERT INTO sources (location, role) VALUES ('/cal/work.ics', 'commitments')")
    db.close()

    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load_choices() == Choices(frozenset({"hdi"}), frozenset(), {"hdi": 5})
        assert store.notes() == {"hdi": "meet Ana"}
        assert store.load_sources() == (Source("/cal/work.ics", "commitments"),)
        record = store.source_record("/cal/work.ics")
        assert record is not None
        assert record.refresh == timedelta(hours=4)
        assert (record.etag, record.has_copy, record.next_refresh) == ("", False, None)
        assert store.history(at(1, 0), at(31, 0)) == []
        assert store.file_copy("/cal/work.ics") is None  # no copy yet: read when next planned
        assert store.integrity_check() == "ok"


def test_a_failing_migration_leaves_the_database_at_its_last_version(tmp_path):
    path = tmp_path / "db.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO app_state VALUES ('last_week', '2025-05-05')")
    broken = (MIGRATIONS[0], "CREATE TABLE extra (a INTEGER); INSERT INTO missing VALUES (1);")
    with pytest.raises(StoreError, match=r"from schema 1 to 2.*left at schema 1"):
        migrate(db, broken)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in names
    assert db.execute("SELECT value FROM app_state").fetchone()[0] == "2025-05-05"
    db.close()


def test_a_database_from_a_newer_planner_is_refused_untouched(tmp_path):
    path = tmp_path / "new.sqlite3"
    with Store.open(path) as store:
        store.set_decision("hdi", "pinned")
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = file_bytes(path)
    with pytest.raises(StoreError, match=r"newer planner.*has not been changed"):
        Store.open(path)
    assert file_bytes(path) == before
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database, it is a note" * 200, None],
    ids=["garbage", "another-apps-sqlite"],
)
def test_a_file_that_is_not_plannerss_is_refused_untouched(tmp_path, content):
    path = tmp_path / "other.sqlite3"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE contacts (name TEXT)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    before = file_bytes(path)
    with pytest.raises(StoreError, match="not"):
        Store.open(path)
    assert file_bytes(path) == before


def test_a_closed_store_says_so(data_dir):
    store = Store.open()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load_choices()


# --- the session's state -----------------------------------------------------------------------


def test_decisions_are_kept_across_reopening(data_dir):
    with Store.open() as store:
        store.set_decision("a", "pinned")
        store.set_decision("b", "refused", stars=1)
        store.set_decision("c", "", stars=4)
        store.set_note("b", "too far")
    with Store.open() as store:
        assert store.load_choices() == Choices(frozenset({"a"}), frozenset({"b"}), {"b": 1, "c": 4})
        assert store.notes() == {"b": "too far"}


def test_save_choices_writes_the_difference_and_keeps_notes(store):
    store.save_choices(Choices(frozenset({"a", "b"}), frozenset({"c"}), {"a": 5}))
    store.set_note("b", "bring cards")
    store.save_choices(Choices(frozenset({"a"}), frozenset(), {"d": 2}))
    assert store.load_choices() == Choices(frozenset({"a"}), frozenset(), {"d": 2})
    assert store.notes() == {"b": "bring cards"}
    with pytest.raises(ValueError, match="pinned and refused"):
        store.save_choices(Choices(frozenset({"x"}), frozenset({"x"})))
    with pytest.raises(ValueError, match="stars"):
        store.set_decision("a", "pinned", stars=6)
    assert store.load_choices().stars == {"d": 2}


def test_sources_keep_order_role_and_feed_state(store):
    sources = (
        Source("/cal/work.ics", "commitments"),
        Source("https://example.org/events.ics", "candidates"),
    )
    store.save_sources(sources)
    store.save_fetch(
        sources[1].path,
        body=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        etag='"v1"',
        last_modified="",
        fetched_at=datetime(2025, 5, 1, tzinfo=UTC),
        refresh=timedelta(hours=1),
    )
    store.set_source_category(sources[1].path, "professional")
    reordered = (sources[1], Source("/cal/work.ics", "candidates"))
    store.save_sources(reordered)
    assert store.load_sources() == reordered
    record = store.source_record(sources[1].path)
    assert record is not None
    assert (record.etag, record.category, record.has_copy) == ('"v1"', "professional", True)
    assert record.next_refresh == datetime(2025, 5, 1, 1, tzinfo=UTC)
    store.save_sources(reordered[:1])
    assert store.load_sources() == reordered[:1]
    store.save_sources(())
    assert store.load_sources() == ()


def test_added_events_settings_and_the_last_week_round_trip(store, tmp_path):
    typed = (
        event("typed-1", at(6, 18), place=Place("MaRS", "101 College St", 43.66, -79.39)),
        event("typed-2", at(7, 12), categories=("volunteer",), cost=15.0),
    )
    store.save_added(typed)
    assert store.load_added() == typed
    settings = tmp_path / "planner.toml"
    settings.write_text('[general]\ntimezone = "America/Toronto"\n', encoding="utf-8")
    store.save_settings(settings)
    stored = store.load_settings()
    assert stored is not None
    assert (stored.path, stored.text) == (str(settings), settings.read_text(encoding="utf-8"))
    assert store.last_week() is None
    store.save_week(date(2025, 5, 5))
    assert store.last_week() == date(2025, 5, 5)


# --- events as JSON ------------------------------------------------------------------------------


def test_every_event_and_place_field_is_written():
    data = event_to_dict(event("x", at(6, 18)))
    assert set(data) == {f.name for f in fields(Event)}
    assert set(data["place"]) == {f.name for f in fields(Place)} - {"note"}
    # A place's note (how planner learnt it) is written only when there is one, so the
    # events kept before it existed read as unchanged.
    noted = replace(event("x", at(6, 18)), place=Place(name="Hall", note="read from its page"))
    assert event_from_json(event_to_json(noted)) == noted


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        datetime_text(datetime(2025, 5, 6, 18))


def test_repeated_and_skipped_wall_times_keep_their_fold():
    first = datetime(2025, 11, 2, 1, 30, tzinfo=TORONTO)
    second = first.replace(fold=1)
    for when in (first, second, datetime(2025, 3, 9, 2, 30, tzinfo=TORONTO, fold=1)):
        back = datetime_from_text(datetime_text(when))
        assert (back.replace(tzinfo=None), back.fold, back.tzinfo) == (
            when.replace(tzinfo=None),
            when.fold,
            when.tzinfo,
        )
        assert back.utcoffset() == when.utcoffset()
    assert datetime_text(second).endswith("-05:00[America/Toronto]")


zones = st.one_of(
    st.timezones(),
    st.just(UTC),
    st.builds(
        timezone,
        st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(
            lambda d: timedelta(minutes=d // timedelta(minutes=1))
        ),
    ),
)
moments = st.datetimes(
    min_value=datetime(1600, 1, 1), max_value=datetime(2999, 12, 31), timezones=zones
)
texts = st.text(max_size=30)
floats = st.none() | st.floats(allow_nan=False, allow_infinity=False)
places = st.builds(Place, texts, texts, floats, floats, st.booleans(), st.booleans())
events = st.builds(
    Event,
    uid=texts,
    summary=texts,
    start=moments,
    end=moments,
    all_day=st.booleans(),
    place=places,
    url=texts,
    description=texts,
    categories=st.lists(texts, max_size=3).map(tuple),
    priority=st.integers(0, 9),
    cost=floats,
    status=st.sampled_from(Status),
    transparent=st.booleans(),
    recurrence_id=texts,
    source=texts,
    timezone=texts,
)


def same_moment(a: datetime, b: datetime) -> bool:
    return (
        a == b
        and a.replace(tzinfo=None) == b.replace(tzinfo=None)
        and a.utcoffset() == b.utcoffset()
        and (a.tzinfo is b.tzinfo or (not isinstance(a.tzinfo, ZoneInfo) and a.tzinfo == b.tzinfo))
    )


@given(events)
def test_events_round_trip_exactly_through_json(original):
    back = event_from_json(event_to_json(original))
    assert back == original
    assert same_moment(back.start, original.start)
    assert same_moment(back.end, original.end)
    assert event_to_json(back) == event_to_json(original)


# --- history ------------------------------------------------------------------------------------


def test_history_records_planned_weeks_and_attendance(store):
    week = datetime(2025, 5, 5, tzinfo=TORONTO)
    hdi = event("hdi", at(6, 18), categories=("professional",), cost=20.0)
    pmi = event("pmi", at(8, 17), categories=("professional",))
    flexible = event("flexible:coffee:x", at(7, 12))
    store.record_week(plan_of(week, [hdi, pmi, flexible]))
    assert store.history(at(1, 0), datetime(2025, 6, 1, tzinfo=TORONTO)) == [hdi, pmi]
    assert store.mark_attended(["hdi", "unknown"]) == 1
    # Re-planned: pmi dropped (forgotten), hdi attended (kept whatever the plan says).
    store.record_week(plan_of(week, []))
    assert store.history(at(1, 0), at(31, 0)) == [hdi]
    assert store.history(at(1, 0), at(31, 0), status="attended") == [hdi]
    assert store.history(at(1, 0), at(31, 0), status="planned") == []
    assert store.history(at(7, 0), at(31, 0)) == []


def test_streak_counts_weeks_in_a_row_ending_this_week_or_last(store):
    def week(monday: date) -> None:
        start = datetime.combine(monday, datetime.min.time(), TORONTO)
        store.record_week(plan_of(start, [event(f"e-{monday}", start + timedelta(hours=18))]))

    assert store.streak(date(2025, 5, 14)) == 0
    for monday in (date(2025, 4, 14), date(2025, 4, 28), date(2025, 5, 5)):
        week(monday)
    assert store.streak(date(2025, 5, 11)) == 2  # this week and the one before
    assert store.streak(date(2025, 5, 14)) == 2  # nothing yet this week: last week's counts
    assert store.streak(date(2025, 5, 21)) == 0  # a whole week missed
    week(date(2025, 4, 21))
    assert store.streak(date(2025, 5, 12)) == 4


# --- the parsed-calendar cache -------------------------------------------------------------------

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:hdi-1
SUMMARY:HDI Toronto
DTSTART;TZID=America/Toronto:20250506T173000
DTEND;TZID=America/Toronto:20250506T200000
LOCATION:MaRS Centre
END:VEVENT
BEGIN:VEVENT
UID:weekly
SUMMARY:Standup
DTSTART;TZID=America/Toronto:20250505T090000
DURATION:PT30M
RRULE:FREQ=WEEKLY
END:VEVENT
END:VCALENDAR
"""


def test_an_unchanged_file_is_not_parsed_again(store, tmp_path, monkeypatch):
    calls = []
    real = ics_import.read_file

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(ics_import, "read_file", counting)
    path = tmp_path / "cal.ics"
    path.write_text(ICS, encoding="utf-8", newline="\r\n")
    start, end = at(4, 0), at(12, 0)

    first = read_file_cached(store, path, TORONTO, start, end)
    again = read_file_cached(store, path, TORONTO, start, end)
    assert len(calls) == 1
    assert again.events == first.events and again.problems == first.problems
    assert {e.key for e in first.events} >= {"hdi-1"}

    read_file_cached(store, path, TORONTO, start + timedelta(days=7), end + timedelta(days=7))
    assert len(calls) == 2  # another window is another parse

    path.write_text(ICS.replace("HDI Toronto", "HDI Toronto (moved)"), encoding="utf-8")
    changed = read_file_cached(store, path, TORONTO, start, end)
    assert len(calls) == 3
    assert "HDI Toronto (moved)" in {e.summary for e in changed.events}

    with pytest.raises(ics_import.IcsError, match="not found"):
        read_file_cached(store, tmp_path / "missing.ics", TORONTO, start, end)


# --- backup ------------------------------------------------------------------------------------


def fill(store: Store, tmp_path: Path) -> None:
    store.save_choices(Choices(frozenset({"hdi"}), frozenset({"spam"}), {"hdi": 5}))
    store.set_note("hdi", "ask about the job")
    store.save_sources((Source("/cal/work.ics", "commitments"),))
    store.save_added((event("typed", at(7, 18)),))
    store.save_settings(tmp_path / "planner.toml", 'timezone = "America/Toronto"\n')
    store.record_week(plan_of(datetime(2025, 5, 5, tzinfo=TORONTO), [event("hdi", at(6, 18))]))
    store.save_week(date(2025, 5, 5))


def snapshot(store: Store) -> tuple:
    return (
        store.load_choices(),
        store.notes(),
        store.load_sources(),
        store.load_added(),
        store.load_settings(),
        store.history(at(1, 0), at(31, 0)),
        store.last_week(),
    )


def test_backup_export_and_import_restore_everything(store, tmp_path):
    fill(store, tmp_path)
    kept = snapshot(store)
    backup = tmp_path / "backups" / "planner-backup.sqlite3"
    store.export_backup(backup)
    assert backup.is_file()
    assert not Path(f"{backup}-wal").exists() and not Path(f"{backup}.part").exists()

    store.save_choices(Choices())
    store.save_sources(())
    store.save_added(())
    store.record_week(plan_of(datetime(2025, 5, 5, tzinfo=TORONTO), []))
    assert snapshot(store) != kept

    store.import_backup(backup)
    assert snapshot(store) == kept
    assert store.integrity_check() == "ok"
    with Store.open(store.path) as reopened:
        assert snapshot(reopened) == kept


def corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[page + 8 : 2 * page] = b"\xa5" * (page - 8)
    path.write_bytes(bytes(data))


def newer_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()


def another_apps_database(path: Path) -> None:
    path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE decisions (key TEXT)")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b"not a backup at all" * 100), "not a planner backup|damaged"),
        (lambda p: p.write_bytes(p.read_bytes()[:6000]), "damaged|malformed|not a planner"),
        (corrupt_page, "damaged|malformed|not a planner"),
        (newer_schema, "newer planner"),
        (another_apps_database, "not planner's"),
        (lambda p: p.unlink(), "no such backup"),
    ],
    ids=["garbage", "truncated", "corrupt-page", "newer", "other-app", "missing"],
)
def test_a_bad_backup_is_rejected_and_nothing_changes(store, tmp_path, damage, message):
    fill(store, tmp_path)
    kept = snapshot(store)
    backup = tmp_path / "backup.sqlite3"
    store.export_backup(backup)
    damage(backup)
    before = backup.read_bytes() if backup.exists() else None
    with pytest.raises(StoreError, match=message):
        store.import_backup(backup)
    assert snapshot(store) == kept
    assert store.integrity_check() == "ok"
    assert (backup.read_bytes() if backup.exists() else None) == before
    assert [p.name for p in store.path.parent.iterdir() if p.name.startswith(".import")] == []


def test_an_older_backup_is_migrated_on_import(store, tmp_path):
    old = tmp_path / "v1-backup.sqlite3"
    db = sqlite3.connect(old, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO decisions (key, decision, updated_at) VALUES ('x', 'refused', '')")
    db.close()
    store.import_backup(old)
    assert store.load_choices().refused == {"x"}
    assert store.schema_version == SCHEMA_VERSION


def test_a_session_listener_keeps_the_store_equal_to_the_session(data_dir, tmp_path):
    def never(*args):
        raise AssertionError("the store does not load weeks")

    session = Session(never, Settings())
    hdi, pmi = event("hdi", at(6, 18)), event("pmi", at(8, 17))
    calendar = tmp_path / "work.ics"
    with Store.open() as store:
        session.listeners.append(
            lambda change: store.save_state(
                session.state.choices, session.state.sources, session.state.added
            )
        )
        session.pin(hdi)
        session.refuse(pmi)
        session.set_stars(hdi, 5)
        session.add_events([event("typed", at(7, 12))])
        session.add_sources([(calendar, "commitments")])
        session.undo()  # the import
        session.undo()  # the typed event
        session.redo()
        session.undecide(pmi)
    with Store.open() as store:
        assert store.load_choices() == session.choices
        assert store.load_sources() == session.state.sources == ()
        assert store.load_added() == session.state.added
        assert [e.key for e in store.load_added()] == ["typed"]
