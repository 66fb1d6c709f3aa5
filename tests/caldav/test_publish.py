"""Publishing the plan into real CalDAV servers (Radicale and Xandikos on 127.0.0.1)."""

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from planner.core.caldav import publish_objects as po
from planner.core.caldav.publish import (
    PublishError,
    describe_calendar,
    publish_and_queue,
    publish_queued,
    publish_week,
    read_week,
)
from planner.core.caldav.session import Session, Timeouts
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Choices
from planner.core.storage.store import Store
from tests.caldav.test_publish_objects import demo_plan
from tests.caldav_servers import CalDAVServer, vevent

QUICK = Timeouts(connect=2, total=5)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    kept = Store.open(tmp_path / "planner.sqlite3")
    yield kept
    kept.close()


def session(server: CalDAVServer) -> Session:
    return Session(server.url, server.user, server.password, QUICK)


def plans():
    """Plan A, then plan B: one event moved (committed to, half an hour later), one
    refused, one new."""
    refused, moved, new = (d.event for d in demo_plan().chosen)
    a = demo_plan(Choices(refused=frozenset({new.key})))
    b = demo_plan(
        Choices(refused=frozenset({refused.key}), pinned=frozenset({moved.key})),
        shift=(moved.key, timedelta(minutes=30)),
    )
    return a, b, (refused, moved, new)


def a_published(server: CalDAVServer):  # type: ignore[no-untyped-def]
    """:func:`plans`' A published to the server's "planner" calendar: B (what to publish
    next) and the calendar's URL."""
    a, b, _events = plans()
    url = server.calendar_url("planner")
    with session(server) as s:
        publish_week(s, url, a, now=NOW)
    return b, url


def on_server(server: CalDAVServer, url: str, plan) -> dict[str, icalendar.Event]:
    """planner's objects of the plan's week as the server holds them, by UID."""
    with session(server) as s:
        found = read_week(s, url, plan)
    return {f.uid: f for f in found if f.ours}


def test_first_publish_makes_the_calendar_and_writes_the_attend_list(
    caldav_server: CalDAVServer,
) -> None:
    plan = demo_plan()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        report = publish_week(s, url, plan, now=NOW)
    wanted = po.wanted_objects(plan, now=NOW)
    assert report.ok
    assert report.created
    assert report.added == len(wanted) == 7
    assert (report.moved, report.removed, report.unchanged) == (0, 0, 0)
    status, body = caldav_server.request("GET", caldav_server.home + "planner/" + wanted[1].name)
    assert status == 200
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["RELATED-TO"]) == plan.chosen[1].event.uid
    assert str(event["X-PLANNER-WRITTEN"]) == "event"
    assert set(on_server(caldav_server, url, plan)) == {w.uid for w in wanted}
    assert report.sentence == (
        f"Published week of Mon 23 Nov to planner (127.0.0.1): {len(wanted)} added, "
        "0 moved, 0 removed, 0 unchanged."
    )


def test_publishing_twice_writes_nothing(caldav_server: CalDAVServer) -> None:
    plan = demo_plan()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_week(s, url, plan, now=NOW)
    with session(caldav_server) as s:
        again = publish_week(s, url, demo_plan(), now=NOW + timedelta(hours=5))
        sent = list(s.requests)
    assert again.ok
    assert again.writes == 0
    assert [method for method, _path in sent] == ["PROPFIND", "REPORT"]
    assert (again.added, again.moved, again.removed, again.unchanged) == (0, 0, 0, 7)


def test_a_moved_event_is_updated_a_refused_one_removed_a_new_one_added(
    caldav_server: CalDAVServer,
) -> None:
    a, b, (refused, moved, new) = plans()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_week(s, url, a, now=NOW)
        report = publish_week(s, url, b, now=NOW)
    assert report.ok
    assert report.moved >= 1  # the event and its travel blocks that moved with it
    assert report.removed >= 1
    assert report.added >= 1
    held = on_server(caldav_server, url, b)
    wanted = {w.uid: w for w in po.wanted_objects(b, now=NOW)}
    assert set(held) == set(wanted)
    assert all(held[u].fingerprint == po.fingerprint(w.body) for u, w in wanted.items())
    moved_uid = po.planner_uid(moved.key, "event")
    assert held[moved_uid].start == moved.start + timedelta(minutes=30)
    assert po.planner_uid(refused.key, "event") not in held
    assert po.planner_uid(new.key, "event") in held
    with session(caldav_server) as s:
        assert publish_week(s, url, b, now=NOW).writes == 0


def test_events_planner_did_not_write_are_never_touched(caldav_server: CalDAVServer) -> None:
    a, _b, _events = plans()
    look_alike = po.planner_uid(a.chosen[0].event.key, "event") + "-mine"
    squatter = po.planner_uid(a.chosen[1].event.key, "travel-to")
    url = caldav_server.make_calendar(
        "planner",
        [
            vevent("dentist-1", "Dentist", "20261124T090000", "20261124T100000"),
            vevent(look_alike, "My own copy", "20261125T190000", "20261125T200000"),
            vevent(squatter, "Not planner's", "20261125T180000", "20261125T183000"),
        ],
    )
    paths = [caldav_server.home + f"planner/{uid}.ics" for uid in ("dentist-1", look_alike)]
    paths.append(caldav_server.home + f"planner/{squatter}.ics")
    before = [caldav_server.request("GET", p) for p in paths]
    with session(caldav_server) as s:
        first = publish_week(s, url, a, now=NOW)
        # Everything refused: every object planner wrote goes, and only those.
        everything = frozenset(d.event.key for d in a.decisions)
        emptied = publish_week(s, url, demo_plan(Choices(refused=everything)), now=NOW)
    assert first.left_alone == 3
    (blocked,) = first.waiting  # the UID another event holds: not written, said
    assert blocked.uid == squatter
    assert "not planner's" in blocked.reason
    assert emptied.removed == first.added
    assert emptied.ok
    assert [caldav_server.request("GET", p) for p in paths] == before


class ChangedBetweenReadAndWrite:
    """A second client: changes an object on the server just before planner writes it
    (between planner's read and its write), as another device publishing would."""

    def __init__(self, http: Session, server: CalDAVServer, method: str) -> None:
        self.http = http
        self.server = server
        self.method = method
        self.changed: list[str] = []

    def request(self, method, url, body=b"", headers=None, **options):
        if (
            method == self.method
            and not self.changed
            and headers
            and ("If-Match" in headers or "If-None-Match" in headers)
        ):
            path = url.split(str(self.server.backend_port), 1)[-1]
            path = "/" + url.split("/", 3)[3]
            text = body.decode() if body else ""
            if method == "PUT" and "If-None-Match" in headers:
                changed = text  # the other device published the same plan first
            else:
                status, held = self.server.request("GET", path)
                assert status == 200
                changed = held.decode().replace("SUMMARY:", "SUMMARY:Edited ", 1)
            status, _ = self.server.request(
                "PUT", path, changed, {"Content-Type": "text/calendar; charset=utf-8"}
            )
            assert status in (201, 204)
            self.changed.append(path)
        return self.http.request(method, url, body, headers, **options)

    def close(self) -> None:
        self.http.close()


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_object_changed_on_the_server_since_read_is_read_again_and_written(
    caldav_server: CalDAVServer, method: str
) -> None:
    a, b, _events = plans()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_week(s, url, a, now=NOW)
        racing = ChangedBetweenReadAndWrite(s, caldav_server, method)
        report = publish_week(racing, url, b, now=NOW)
    assert racing.changed
    assert report.retried == 1
    assert report.ok, [w.sentence for w in report.waiting]
    held = on_server(caldav_server, url, b)
    wanted = {w.uid: w for w in po.wanted_objects(b, now=NOW)}
    assert set(held) == set(wanted)
    assert all(held[u].fingerprint == po.fingerprint(w.body) for u, w in wanted.items())


def test_another_device_publishing_the_same_first_is_no_failure(
    caldav_server: CalDAVServer,
) -> None:
    plan = demo_plan()
    url = caldav_server.make_calendar("planner")
    with session(caldav_server) as s:
        racing = ChangedBetweenReadAndWrite(s, caldav_server, "PUT")
        report = publish_week(racing, url, plan, now=NOW)
    assert report.ok
    assert report.retried == 1
    assert report.added == 6  # the seventh was there already, as planned


def test_a_stopped_server_loses_nothing_and_the_queue_publishes_when_it_is_back(
    caldav_server: CalDAVServer, store: Store
) -> None:
    a, b, _events = plans()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_and_queue(store, s, url, caldav_server.user, a, now=NOW)
    assert store.publish_waiting() == []
    caldav_server.stop()
    with session(caldav_server) as s:
        down = publish_and_queue(store, s, url, caldav_server.user, b, now=NOW)
    assert not down.ok
    assert len(down.waiting) == len(po.wanted_objects(b, now=NOW))
    assert all("connection was refused" in w.reason for w in down.waiting)
    (queued,) = store.publish_waiting()
    assert (queued.calendar_url, queued.week_start) == (url, DEMO_WEEK)
    caldav_server.start()
    with session(caldav_server) as s:
        (again,) = publish_queued(store, lambda _url, _user: s, lambda _day: b, now=NOW)
    assert again.ok
    assert store.publish_waiting() == []
    assert set(on_server(caldav_server, url, b)) == {w.uid for w in po.wanted_objects(b, now=NOW)}


def test_a_server_answering_503_midway_queues_the_rest_in_words(
    caldav_server: CalDAVServer, store: Store
) -> None:
    b, url = a_published(caldav_server)

    class FailsAfterTheRead:
        def __init__(self, http: Session) -> None:
            self.http = http

        def request(self, method, url, body=b"", headers=None, **options):
            if method in ("PUT", "DELETE"):
                caldav_server.unavailable()
            return self.http.request(method, url, body, headers, **options)

        def close(self) -> None:
            self.http.close()

    with session(caldav_server) as s:
        report = publish_and_queue(store, FailsAfterTheRead(s), url, caldav_server.user, b, now=NOW)
    assert not report.ok
    assert {w.reason for w in report.waiting} == {
        "the server failed (503); it asks to try again in 120 s"
    }
    assert report.writes == 1  # the first write failed, the rest were not sent
    assert report.sentence.startswith("Could not publish week of Mon 23 Nov to planner")
    caldav_server.heal()
    (queued,) = store.publish_waiting()
    assert {i.uid for i in queued.items} == {w.uid for w in report.waiting}


def test_an_address_that_is_no_calendar_is_said(caldav_server: CalDAVServer) -> None:
    with session(caldav_server) as s, pytest.raises(PublishError, match="not a calendar"):
        publish_week(s, caldav_server.url.rstrip("/") + caldav_server.home, demo_plan())


@pytest.mark.parametrize(
    ("fault", "words"),
    # A drop within the answer's head reads as an empty answer: "cannot read" it.
    [("stall", "did not answer within 1.5 s"), ("drop", "closed the connection|cannot read")],
)
def test_a_slow_or_dropping_server_is_said_and_queued(
    caldav_server: CalDAVServer, store: Store, fault: str, words: str
) -> None:
    url = caldav_server.calendar_url("planner")
    if fault == "stall":
        caldav_server.stall()
    else:
        caldav_server.drop_midway(after=60)
    impatient = Session(
        caldav_server.url,
        caldav_server.user,
        caldav_server.password,
        Timeouts(connect=1, total=1.5),
    )
    with impatient:
        report = publish_and_queue(store, impatient, url, caldav_server.user, demo_plan(), now=NOW)
    caldav_server.heal()
    assert not report.ok
    assert all(re.search(words, w.reason) and w.action == "publish" for w in report.waiting)
    assert len(store.publish_waiting()[0].items) == 7


def test_a_calendar_deleted_to_undo_is_not_made_again_by_the_queue(
    caldav_server: CalDAVServer, store: Store
) -> None:
    b, url = a_published(caldav_server)
    caldav_server.unavailable()
    with session(caldav_server) as s:
        publish_and_queue(store, s, url, caldav_server.user, b, now=NOW)  # 503 at the read
    caldav_server.heal()
    status, _ = caldav_server.request("DELETE", caldav_server.home + "planner/")
    assert status in (200, 204)
    # A week queued after planner had read the calendar (it existed then):
    (queued,) = store.publish_waiting()
    store.keep_publish_queue(
        url,
        caldav_server.user,
        queued.week_start,
        [replace(i, action="add") for i in queued.items],
        NOW,
    )
    with session(caldav_server) as s:
        (again,) = publish_queued(store, lambda _url, _user: s, lambda _day: b, now=NOW)
    assert not again.ok
    assert "no calendar there" in again.waiting[0].reason
    with session(caldav_server) as s:
        assert describe_calendar(s, url) == ("planner", False)  # not made again


def test_a_refused_password_is_said_and_queued(caldav_server: CalDAVServer, store: Store) -> None:
    url = caldav_server.calendar_url("planner")
    with Session(caldav_server.url, caldav_server.user, "not it", QUICK) as wrong:
        report = publish_and_queue(store, wrong, url, caldav_server.user, demo_plan(), now=NOW)
    assert report.password_refused
    assert not report.ok
    assert report.waiting[0].reason == "the server refused the user name or password (401)"
    assert len(store.publish_waiting()[0].items) == 7


def test_a_week_with_nothing_left_to_publish_is_queued_when_the_server_is_down(
    caldav_server: CalDAVServer, store: Store
) -> None:
    """Every event refused: publishing has only planner's old entries to remove, and a
    server that cannot be read then must still keep the week to publish again."""
    a = demo_plan()
    candidates = load_demo(DEMO_WEEK, demo_settings()).candidates
    none_left = demo_plan(Choices(refused=frozenset(e.key for e in candidates)))
    assert po.wanted_objects(none_left, now=NOW) == []
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_and_queue(store, s, url, caldav_server.user, a, now=NOW)
    caldav_server.unavailable()
    with session(caldav_server) as s:
        down = publish_and_queue(store, s, url, caldav_server.user, none_left, now=NOW)
    caldav_server.heal()
    assert not down.ok
    assert down.sentence.startswith("Could not publish week of Mon 23 Nov")
    assert [w.sentence for w in down.waiting] == [
        "The week of Mon 23 Nov: not published: the server failed (503); it asks to try "
        "again in 120 s"
    ]
    (queued,) = store.publish_waiting()
    assert queued.week_start == DEMO_WEEK
    with session(caldav_server) as s:
        (again,) = publish_queued(store, lambda _url, _user: s, lambda _day: none_left, now=NOW)
    assert again.ok
    assert again.removed == 7
    assert store.publish_waiting() == []
    assert on_server(caldav_server, url, none_left) == {}


def test_a_calendar_deleted_while_a_week_waits_unread_is_not_made_again(
    caldav_server: CalDAVServer, store: Store
) -> None:
    """The server was down at the read (each entry waits as "publish"), then the user
    deleted the calendar to undo publishing: the queue must not make it again."""
    a, b, _events = plans()
    url = caldav_server.calendar_url("planner")
    with session(caldav_server) as s:
        publish_and_queue(store, s, url, caldav_server.user, a, now=NOW)
    caldav_server.unavailable()
    with session(caldav_server) as s:
        publish_and_queue(store, s, url, caldav_server.user, b, now=NOW)
    caldav_server.heal()
    (queued,) = store.publish_waiting()
    assert {i.action for i in queued.items} == {"publish"}
    status, _ = caldav_server.request("DELETE", caldav_server.home + "planner/")
    assert status in (200, 204)
    with session(caldav_server) as s:
        (again,) = publish_queued(store, lambda _url, _user: s, lambda _day: b, now=NOW)
    assert not again.ok
    assert "no calendar there" in again.waiting[0].reason
    with session(caldav_server) as s:
        assert describe_calendar(s, url) == ("planner", False)  # not made again
