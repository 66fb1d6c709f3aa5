"""Export: round trips through planner and through an independent parser (ical)."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from planner.core.calendars.attend_list import CSV_FIELDS, events_to_ics, to_csv, to_ics
from planner.core.calendars.reading import read_bytes
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Event, Place, Status
from planner.core.planning.plan import plan_week

TZ = ZoneInfo("America/Toronto")
WEEK = datetime(2026, 11, 23, tzinfo=TZ)
WORDS = [
    "mixer",
    "talk",
    "Caf\u00e9",
    "Toronto",
    "d\u00e9j\u00e0",
    "PMI",
    "A&B",
    "semi;colon",
    "back\\slash",
    'quote"d',
    "\u6771\u4eac",
    "line\nbreak",
    "emoji \U0001f389",
    "x" * 90,
]


def text(min_words=1):
    return st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=6).map(" ".join)


@st.composite
def places(draw):
    kind = draw(st.sampled_from(["venue", "address-only", "online", "none"]))
    if kind == "online":
        return Place("Online event", virtual=True)
    if kind == "none":
        return Place()
    name = draw(st.sampled_from(["MaRS Discovery District", "Caf\u00e9 Nero", "Room 101"]))
    address = draw(st.sampled_from(["101 College St, Toronto, ON M5G 1L7", "Whitby, ON"]))
    lat = draw(st.one_of(st.none(), st.floats(43.0, 44.5).map(lambda v: round(v, 5))))
    lon = None if lat is None else draw(st.floats(-80.0, -78.0).map(lambda v: round(v, 5)))
    return Place("" if kind == "address-only" else name, address, lat, lon)


def _distinct(place: Place, i: int) -> Place:
    """Each event its own position: several events sharing one GEO at different venues is
    a city centroid, which the importer rightly refuses to trust."""
    if place.lat is None or place.lon is None:
        return place
    return Place(place.name, place.address, round(place.lat + 0.001 * i, 5), place.lon)


@st.composite
def events(draw):
    out = []
    for i in range(draw(st.integers(1, 8))):
        all_day = draw(st.booleans()) and i % 3 == 0
        day = WEEK + timedelta(days=draw(st.integers(0, 6)))
        if all_day:
            start = day
            end = day + timedelta(days=draw(st.integers(1, 2)))
        else:
            start = day + timedelta(minutes=15 * draw(st.integers(24, 88)))
            end = start + timedelta(minutes=15 * draw(st.integers(1, 12)))
        recurring = draw(st.booleans()) and not all_day
        out.append(
            Event(
                uid=f"uid-{i}@example.org",
                summary=draw(text()),
                start=start,
                end=end,
                all_day=all_day,
                place=_distinct(draw(places()), i),
                url=draw(st.sampled_from(["", "https://example.org/e?a=1&b=2"])),
                description=draw(st.one_of(st.just(""), text())),
                categories=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(["professional", "job-seeker"]), max_size=2, unique=True
                        )
                    )
                ),
                priority=draw(st.sampled_from([0, 1, 5, 9])),
                cost=draw(st.sampled_from([None, 0.0, 12.5, 60.0])),
                status=draw(st.sampled_from(list(Status))),
                transparent=draw(st.booleans()),
                recurrence_id=start.isoformat() if recurring else "",
            )
        )
    return out


def comparable(e: Event):
    # LOCATION is one text: its split into venue and address is a reading, not data.
    location = ", ".join(p for p in (e.place.name, e.place.address) if p)
    return (
        e.uid,
        e.summary,
        e.start,
        e.end,
        e.all_day,
        location,
        e.place.lat,
        e.place.lon,
        e.place.virtual,
        e.url,
        e.description,
        e.categories,
        e.priority,
        e.cost,
        e.status,
        e.transparent,
        e.recurrence_id,
    )


@settings(max_examples=80, deadline=None)
@given(events())
def test_events_round_trip_through_ics(generated):
    data = events_to_ics(generated, "round trip")
    back = read_bytes(data, "rt.ics", TZ, WEEK, WEEK + timedelta(days=8))
    assert not back.problems
    assert sorted(map(comparable, back.events), key=repr) == sorted(
        map(comparable, generated), key=repr
    )
    # An independent parser reads the same events and times.
    other = IcsCalendarStream.calendar_from_ics(data.decode())
    assert sorted(e.uid for e in other.events) == sorted(e.uid for e in generated)
    for e in other.events:
        mine = next(g for g in generated if g.uid == e.uid)
        if mine.all_day:
            assert e.dtstart == mine.start.date()
        else:
            assert e.dtstart == mine.start


def demo_plan():
    settings_ = demo_settings()
    week = load_demo(DEMO_WEEK, settings_)
    return plan_week(week.commitments, week.candidates, settings_, DEMO_WEEK)


def test_attend_list_keeps_the_events_and_adds_travel_and_alarms():
    plan = demo_plan()
    data = to_ics(plan, now=datetime(2026, 11, 22, 12, tzinfo=TZ))
    other = IcsCalendarStream.calendar_from_ics(data.decode())
    by_uid = {e.uid: e for e in other.events}
    for d in plan.chosen:
        exported = by_uid[d.event.uid]
        assert exported.summary == d.event.summary
        assert exported.dtstart == d.event.start
        if d.trip_to and d.trip_to.minutes:
            (alarm,) = exported.alarm
            assert alarm.trigger == d.leave_at - d.event.start
            travel = by_uid[f"planner-travel-to-{d.event.key}"]
            assert travel.summary == f"Travel to {d.event.summary}"
            assert (travel.dtstart, travel.dtend) == (d.leave_at, d.event.start)
        if d.trip_from and d.trip_from.minutes:
            back = by_uid[f"planner-travel-from-{d.event.key}"]
            assert back.dtend == d.back_at
            if d.destination == "home":
                assert back.summary == "Travel home"
    # Re-importing the attend-list into planner gives the same chosen events.
    again = read_bytes(data, "attend.ics", TZ, plan.week_start, plan.week_end)
    chosen = {comparable(d.event) for d in plan.chosen}
    assert chosen <= {comparable(e) for e in again.events}
    travel_blocks = [e for e in again.events if e.uid.startswith("planner-travel-")]
    assert all(e.busy for e in travel_blocks)


def test_csv_has_the_documented_columns():
    plan = demo_plan()
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == len(plan.chosen)
    first, d = rows[0], plan.chosen[0]
    assert date.fromisoformat(first["date"]) == d.event.start.date()
    assert first["title"] == d.event.summary
    assert first["leave_at"] == f"{d.leave_at:%H:%M}"


def test_a_venue_read_from_the_events_page_is_said_in_the_exported_event():
    from dataclasses import replace

    plan = demo_plan()
    d = next(c for c in plan.chosen if not c.event.place.virtual)
    place = replace(d.event.place, note="venue read from the event's page")
    noted = replace(plan, decisions=(replace(d, event=replace(d.event, place=place)),))
    other = IcsCalendarStream.calendar_from_ics(to_ics(noted).decode())
    (exported,) = [e for e in other.events if e.uid == d.event.uid]
    assert exported.location == f"{place.name}, {place.address}"  # what a map app reads
    assert exported.description.endswith("\n\nVenue read from the event's page.")
