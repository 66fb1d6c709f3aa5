"""What publishing writes, and how it is compared with a calendar's content (no server)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from ical.calendar_stream import IcsCalendarStream

from planner.core.caldav import publish_objects as po
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Choices
from planner.core.planning.plan import plan_week
from planner.core.storage.store import Store

TZ = ZoneInfo("America/Toronto")
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def demo_plan(choices=None, shift=None):
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    candidates = week.candidates
    if shift is not None:
        key, delta = shift
        candidates = [
            replace(e, start=e.start + delta, end=e.end + delta) if e.key == key else e
            for e in candidates
        ]
    return plan_week(week.commitments, candidates, settings, DEMO_WEEK, choices)


def found_from(wanted, href="/cal/"):
    return [po.read_found(href + w.name, f'"{i}"', w.body) for i, w in enumerate(wanted)]


def test_each_event_and_travel_block_is_one_object_with_planners_uid_and_a_link():
    plan = demo_plan()
    wanted = po.wanted_objects(plan, now=NOW)
    by_key = {d.event.key: d for d in plan.chosen}
    assert {w.kind for w in wanted} == {"event", "travel-to", "travel-from"}
    for w in wanted:
        text = w.body.decode()
        assert "METHOD:" not in text  # forbidden in a CalDAV object (RFC 4791)
        (event,) = IcsCalendarStream.calendar_from_ics(text).events  # a strict parser reads it
        assert event.uid == w.uid
        parsed = icalendar.Calendar.from_ical(w.body)
        (vevent,) = parsed.walk("VEVENT")
        assert vevent["X-PLANNER-WRITTEN"] == w.kind
        assert vevent["X-PLANNER-WEEK"] == "2026-11-23"
        assert "RECURRENCE-ID" not in vevent
        decision = next(d for d in plan.chosen if d.event.uid == str(vevent["RELATED-TO"]))
        assert w.uid == po.planner_uid(decision.event.key, w.kind)
        if w.kind == "event" and decision.trip_to and decision.trip_to.minutes:
            (alarm,) = vevent.walk("VALARM")
            assert alarm.decoded("trigger") == decision.leave_at - decision.event.start
        if w.kind == "travel-to":
            assert (w.start, w.end) == (decision.leave_at, decision.event.start)
    assert len({w.uid for w in wanted}) == len(wanted)
    assert {w.related_to for w in wanted} == {d.event.uid for d in by_key.values()}


def test_the_same_plan_writes_the_same_uids_and_compares_unchanged():
    first = po.wanted_objects(demo_plan(), now=NOW)
    again = po.wanted_objects(demo_plan(), now=NOW + timedelta(days=3))  # another DTSTAMP
    assert [w.uid for w in first] == [w.uid for w in again]
    changes = po.compare(again, found_from(first), "2026-11-23")
    assert changes.writes == 0
    assert len(changes.unchanged) == len(first)


def test_a_server_rewriting_the_text_still_compares_unchanged():
    wanted = po.wanted_objects(demo_plan(), now=NOW)
    rewritten = []
    for w in wanted:
        cal = icalendar.Calendar.from_ical(w.body)
        for vevent in cal.walk("VEVENT"):
            for name in ("dtstart", "dtend"):  # the same instants, in UTC
                value = vevent.decoded(name).astimezone(UTC)
                del vevent[name]
                vevent.add(name, value)
            vevent["dtstamp"] = icalendar.vDDDTypes(datetime(2030, 1, 1, tzinfo=UTC))
            vevent.add("last-modified", datetime(2030, 1, 1, tzinfo=UTC))
        rewritten.append(po.read_found("/c/" + w.name, '"x"', cal.to_ical()))
    assert po.compare(wanted, rewritten, "2026-11-23").writes == 0


def test_a_moved_event_a_refused_one_and_a_new_one():
    chosen = [d.event for d in demo_plan().chosen]
    refused, moved, new = chosen
    plan = demo_plan(Choices(refused=frozenset({new.key})))
    before = po.wanted_objects(plan, now=NOW)
    after_plan = demo_plan(
        Choices(refused=frozenset({refused.key}), pinned=frozenset({moved.key})),
        shift=(moved.key, timedelta(minutes=30)),
    )
    after = po.wanted_objects(after_plan, now=NOW)
    changes = po.compare(after, found_from(before), "2026-11-23")
    assert {u.wanted.related_to for u in changes.update if u.moved} == {moved.uid}
    by_uid = {w.uid: w for w in before}
    assert {by_uid[f.uid].related_to for f in changes.remove} >= {refused.uid}
    assert new.uid in {w.related_to for w in changes.add}
    assert {w.related_to for w in changes.add} == {d.event.uid for d in after_plan.chosen} - {
        d.event.uid for d in plan.chosen
    }


def test_foreign_objects_are_never_planners_even_with_a_similar_uid():
    wanted = po.wanted_objects(demo_plan(), now=NOW)
    found = found_from(wanted)
    foreign = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{wanted[0].uid}-mine\r\nDTSTAMP:20261101T000000Z\r\n"
        "DTSTART:20261124T150000Z\r\nDTEND:20261124T160000Z\r\nSUMMARY:Dentist\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    other = po.read_found(f"/cal/{wanted[0].uid}-mine.ics", '"f"', foreign)
    assert not other.ours
    changes = po.compare(wanted, [*found, other], "2026-11-23")
    assert changes.writes == 0
    assert changes.foreign == 1
    # The same UID held by an event planner did not write: that entry is not written.
    squatter = po.read_found(
        "/cal/" + wanted[0].name, '"s"', foreign.replace(f"{wanted[0].uid}-mine", wanted[0].uid)
    )
    changes = po.compare(wanted, [*found[1:], squatter], "2026-11-23")
    assert [w.uid for w, _ in changes.blocked] == [wanted[0].uid]
    assert changes.writes == 0


def test_only_the_published_weeks_objects_are_removed():
    wanted = po.wanted_objects(demo_plan(), now=NOW)
    found = found_from(wanted)
    assert len(po.compare([], found, "2026-11-30").remove) == 0
    assert len(po.compare([], found, "2026-11-23").remove) == len(wanted)


def test_the_queue_keeps_what_was_not_written_per_week(tmp_path):
    store = Store.open(tmp_path / "planner.sqlite3")
    url = "http://127.0.0.1:1/sam/planner/"
    items = [
        po_waiting("a", "add", "“Mixer” (Tue 24 Nov 18:00-20:00)", "the server failed (503)"),
        po_waiting("b", "remove", "“Talk” (Wed 25 Nov 19:00-20:00)", "the server failed (503)"),
    ]
    store.keep_publish_queue(url, "sam", DEMO_WEEK, items, NOW)
    store.keep_publish_queue(url, "sam", DEMO_WEEK, items[:1], NOW + timedelta(hours=1))
    (week,) = store.publish_waiting()
    assert (week.calendar_url, week.user, week.week_start, week.attempts) == (
        url,
        "sam",
        DEMO_WEEK,
        2,
    )
    assert week.items == tuple(items[:1])
    assert week.first_queued == NOW
    assert (
        items[1].sentence == "“Talk” (Wed 25 Nov 19:00-20:00): not removed: the server failed (503)"
    )
    store.keep_publish_queue(url, "sam", DEMO_WEEK, [], NOW)
    assert store.publish_waiting() == []
    store.close()


def po_waiting(uid, action, label, reason):
    from planner.core.storage.publish_queue import Waiting

    return Waiting(uid, action, label, reason)
