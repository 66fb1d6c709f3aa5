"""A CalDAV calendar as a source, read from real servers: first, incremental, faults."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.caldav import credentials, sync
from planner.core.caldav.discovery import discover
from planner.core.caldav.refresh import refresh_each
from planner.core.caldav.session import Session, Timeouts
from planner.core.model import Source
from planner.core.storage.feeds import RETRY_AFTER_ERROR, changes_since
from planner.core.storage.store import Store
from tests.caldav_servers import CalDAVServer, vevent

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=TORONTO)  # a Monday
QUICK = Timeouts(connect=1, total=2)

STANDUP = vevent("standup", "Standup", "20261208T090000", "20261208T093000")
REVIEW = vevent("review", "Design review", "20261209T140000", "20261209T150000")
CLASS = vevent("class", "Evening class", "20261210T180000", "20261210T210000", location="UofT")
CLASS_MOVED = vevent(
    "class", "Evening class", "20261211T180000", "20261211T210000", location="UofT", sequence=1
)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


@pytest.fixture(autouse=True)
def _password(caldav_server: CalDAVServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)


def added(server: CalDAVServer, store: Store, *events: str, role: str = "commitments") -> Source:
    url = server.make_calendar("work", events, display_name="Work")
    with Session(url, server.user, server.password, QUICK) as session:
        calendar = discover(session).calendars[0]
    return sync.add(store, calendar, server.user, role)  # type: ignore[arg-type]


def starts(store: Store, source: Source) -> dict[str, datetime]:
    events = store.feed_events(source.path, NOW - timedelta(days=7), NOW + timedelta(days=60))
    return {e.key: e.start for e in events}


def test_the_first_sync_reads_the_whole_calendar(caldav_server: CalDAVServer, store) -> None:
    source = added(caldav_server, store, STANDUP, REVIEW, CLASS)
    result = sync.sync(store, source, NOW, timeouts=QUICK)
    assert (result.error, result.kind, result.new, result.changed) == ("", "full", 3, True)
    assert starts(store, source) == {
        "standup": datetime(2026, 12, 8, 9, tzinfo=TORONTO),
        "review": datetime(2026, 12, 9, 14, tzinfo=TORONTO),
        "class": datetime(2026, 12, 10, 18, tzinfo=TORONTO),
    }
    mine, theirs, problems = store.feed_copies([source], NOW, NOW + timedelta(days=7))
    assert ([e.key for e in mine], theirs, problems) == (["standup", "review", "class"], [], [])
    assert source.path.startswith("http://sam@127.0.0.1:")
    assert store.caldav.state(source.path).sync_token  # both servers give one


def test_one_change_and_one_deletion_are_read_incrementally(
    caldav_server: CalDAVServer, store
) -> None:
    source = added(caldav_server, store, STANDUP, REVIEW, CLASS)
    sync.sync(store, source, NOW, timeouts=QUICK)
    caldav_server.put("work", CLASS_MOVED)
    caldav_server.delete("work", "review")

    result = sync.sync(store, source, NOW + timedelta(hours=1), timeouts=QUICK)
    # The sync-collection report and one multiget of the one changed object.
    assert (result.kind, result.requests, result.fetched) == ("sync-token", 2, 1)
    assert (result.updated, result.removed, result.new) == (1, 1, 0)
    assert result.detail == "1 changed, 1 removed (incremental)"
    assert starts(store, source) == {
        "standup": datetime(2026, 12, 8, 9, tzinfo=TORONTO),
        "class": datetime(2026, 12, 11, 18, tzinfo=TORONTO),
    }
    again = sync.sync(store, source, NOW + timedelta(hours=2), timeouts=QUICK)
    assert (again.kind, again.requests, again.changed) == ("sync-token", 1, False)


def test_without_a_sync_token_the_etags_say_what_changed(
    caldav_server: CalDAVServer, store
) -> None:
    source = added(caldav_server, store, STANDUP, REVIEW, CLASS)
    sync.sync(store, source, NOW, timeouts=QUICK)
    state = store.caldav.state(source.path)
    # As on a server that has CTags but no sync tokens.
    store.caldav.synced(source.path, sync_token="", ctag=state.ctag, kind="full", when=NOW)
    unchanged = sync.sync(store, source, NOW, timeouts=QUICK)
    assert (unchanged.kind, unchanged.requests) == ("unchanged", 1)

    store.caldav.synced(source.path, sync_token="", ctag=state.ctag, kind="full", when=NOW)
    caldav_server.put("work", CLASS_MOVED)
    caldav_server.delete("work", "standup")
    result = sync.sync(store, source, NOW, timeouts=QUICK)
    # CTag, the ETags, then one multiget.
    assert (result.kind, result.requests, result.fetched) == ("etags", 3, 1)
    assert (result.updated, result.removed) == (1, 1)
    assert set(starts(store, source)) == {"review", "class"}


def test_an_unknown_sync_token_reads_the_whole_calendar_and_says_so_in_the_log(
    caldav_server: CalDAVServer, store, caplog: pytest.LogCaptureFixture
) -> None:
    source = added(caldav_server, store, STANDUP, REVIEW)
    sync.sync(store, source, NOW, timeouts=QUICK)
    state = store.caldav.state(source.path)
    store.caldav.synced(
        source.path,
        sync_token=state.sync_token + "-unknown",
        ctag=state.ctag,
        kind="sync-token",
        when=NOW,
    )
    caldav_server.put("work", CLASS)
    with caplog.at_level(logging.INFO, logger="planner.core.caldav"):
        result = sync.sync(store, source, NOW, timeouts=QUICK)
    assert (result.error, result.kind, result.new) == ("", "full", 1)
    assert "no longer knows the sync-token" in caplog.text
    assert store.caldav.state(source.path).sync_token != state.sync_token + "-unknown"


def test_a_commitment_moved_on_the_server_is_listed_as_changed(
    caldav_server: CalDAVServer, store
) -> None:
    source = added(caldav_server, store, STANDUP, CLASS, role="candidates")
    sync.sync(store, source, NOW, timeouts=QUICK)
    store.set_decision("class", "pinned")
    caldav_server.put("work", CLASS_MOVED)
    sync.sync(store, source, NOW + timedelta(hours=1), timeouts=QUICK)
    assert [c.text for c in changes_since(store, NOW)] == [
        "Evening class moved from Thu 18:00 to Fri 18:00"
    ]
    assert store.load_choices().pinned == {"class"}


def faulted(server: CalDAVServer, store: Store, fault: str) -> tuple[Source, str]:
    source = added(server, store, STANDUP, REVIEW)
    sync.sync(store, source, NOW, timeouts=QUICK)
    server.put("work", CLASS)
    {
        "stall": server.stall,
        "503": server.unavailable,
        "drop": server.drop_midway,
        "garbled": server.garble,
    }.get(fault, server.stop)()
    result = sync.sync(store, source, NOW + timedelta(hours=1), timeouts=QUICK)
    return source, result.error


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("stall", "Work (127.0.0.1) did not answer within 2 s"),
        ("503", "Work (127.0.0.1) had a server error (503 Service Unavailable)"),
        ("drop", "Work (127.0.0.1) closed the connection midway through its answer"),
        ("stop", "Work (127.0.0.1) did not answer (the connection was refused)"),
        (
            "garbled",
            "Work (127.0.0.1) sent the list of changes in a form planner cannot read "
            "(malformed XML: no element found: line 1, column 71)",
        ),
    ],
)
def test_a_failing_server_keeps_the_last_good_copy_and_says_why(
    caldav_server: CalDAVServer, store, fault: str, words: str
) -> None:
    source, error = faulted(caldav_server, store, fault)
    assert error.startswith(words)
    assert error.endswith("; planning with the copy from Mon 7 Dec 09:00")
    mine, _theirs, problems = store.feed_copies([source], NOW, NOW + timedelta(days=7))
    assert [e.key for e in mine] == ["standup", "review"]
    assert [p.text for p in problems] == [error]
    record = store.source_record(source.path)
    assert record.next_refresh == NOW + timedelta(hours=1) + RETRY_AFTER_ERROR

    # Retried at the next refresh, once the server is back: the change arrives.
    if fault == "stop":
        caldav_server.start()
    else:
        caldav_server.heal()
    result = sync.sync(store, source, NOW + timedelta(hours=2), timeouts=QUICK)
    assert (result.error, result.new) == ("", 1)
    assert store.source_record(source.path).last_error == ""


def test_a_wrong_password_is_said_and_asked_for_again(
    caldav_server: CalDAVServer, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = added(caldav_server, store, STANDUP)
    monkeypatch.delenv(credentials.PASSWORD_VARIABLE)
    asked: list[str] = []

    def ask(account: str, host: str) -> str:
        asked.append(account)
        return "wrong" if len(asked) == 1 else caldav_server.password

    first = sync.sync(store, source, NOW, timeouts=QUICK, ask=ask)
    assert first.error == (
        "Work (127.0.0.1) refused the user name or password of sam (401); there is no earlier copy"
    )
    second = sync.sync(store, source, NOW, timeouts=QUICK, ask=ask)
    assert (second.error, second.new) == ("", 1)
    port = source.path.split(":")[2].split("/")[0]
    assert asked == [f"sam@127.0.0.1:{port}"] * 2
    third = sync.sync(store, source, NOW, timeouts=QUICK, ask=ask)  # kept for this run
    assert third.error == "" and len(asked) == 2


def test_no_password_anywhere_is_said(caldav_server: CalDAVServer, store, monkeypatch) -> None:
    source = added(caldav_server, store, STANDUP)
    monkeypatch.delenv(credentials.PASSWORD_VARIABLE)
    result = sync.sync(store, source, NOW, timeouts=QUICK)
    assert "planner has no password for sam@127.0.0.1" in result.error
    assert "PLANNER_CALDAV_PASSWORD" in result.error


def test_feeds_and_caldav_calendars_refresh_through_one_door(
    caldav_server: CalDAVServer, store, site
) -> None:
    from tests.feed_server import Reply, calendar
    from tests.feed_server import vevent as feed_event

    source = added(caldav_server, store, STANDUP)
    site.replies["/cal.ics"] = Reply(
        calendar(feed_event("meetup", "Meetup", "20261209T180000", "20261209T200000"))
    )
    feed = Source(site.url("/cal.ics"), "candidates")
    store.add_source(feed)
    results = dict(refresh_each(store, [source, feed], NOW, timeouts=QUICK))
    assert results[source].kind == "full"  # type: ignore[union-attr]
    assert results[feed].changed
    assert set(starts(store, feed)) == {"meetup"}


def test_an_answer_sent_a_byte_at_a_time_ends_at_the_deadline(
    caldav_server: CalDAVServer, store
) -> None:
    """A slow drip: each byte comes in good time, the whole answer long after the deadline
    (a socket timeout alone would wait for it to the end)."""
    many = [
        vevent(f"talk-{n}", f"Talk {n}", "20261208T090000", "20261208T093000") for n in range(40)
    ]
    source = added(caldav_server, store, *many)
    caldav_server.drip(0.001)
    result = sync.sync(store, source, NOW, timeouts=QUICK)
    caldav_server.heal()
    assert result.error == "Work (127.0.0.1) did not answer within 2 s; there is no earlier copy"
    proxy = caldav_server.proxy
    assert proxy is not None
    assert 0 < proxy.dripped < proxy.held  # planner stopped listening at its deadline
