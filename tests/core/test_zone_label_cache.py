"""The time-zone label lookups are cached: the cached answers are the computed ones.

A calendar exported from Exchange without VTIMEZONE names its zone by a
display label on every DTSTART and DTEND; matching a label against the
Windows zones took 10-40 ms, so the answers are cached (see
:func:`planner.core.calendars.stream.iana_for_label`). These tests check
that a cached answer never differs from one worked out afresh, and that a
calendar of many such events still lands every event at its time.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from planner.core.calendars import stream
from planner.core.calendars.reading import read_bytes

TZ = ZoneInfo("America/Toronto")
NEW_YORK = ZoneInfo("America/New_York")
LABELS = [
    "Eastern Standard Time",
    "(UTC-05:00) Eastern Time (US & Canada)",
    "(UTC-06:00) Central Time (US & Canada)",
    "(UTC-06:00) Saskatchewan",
    "(GMT+10:00) Canberra, Melbourne, Sydney",
    "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
    "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
    "(UTC) Coordinated Universal Time",
    "Pacific Time",
    "Customized Time Zone",
    "(UTC+14:00) Nowhere at all",
    "",
]


def fresh(label: str) -> str | None:
    """The answer worked out without the label cache."""
    return stream.iana_for_label.__wrapped__(label)  # type: ignore[attr-defined]


def test_every_zones_cached_standard_offset_is_the_computed_one():
    for iana in sorted({str(z) for z in WINDOWS_TO_OLSON.values()}):
        first = stream._standard_offset(iana)
        assert stream._standard_offset(iana) == first
        assert stream._standard_offset.__wrapped__(iana) == first  # type: ignore[attr-defined]


@pytest.mark.parametrize("label", LABELS)
def test_a_cached_label_gives_the_answer_it_gave_before(label):
    stream.iana_for_label.cache_clear()
    first = stream.iana_for_label(label)
    hits = stream.iana_for_label.cache_info().hits
    assert stream.iana_for_label(label) == first
    assert stream.iana_for_label.cache_info().hits == hits + 1  # answered from the cache
    assert fresh(label) == first


@settings(max_examples=60, deadline=None)
@given(
    windows=st.sampled_from(sorted(WINDOWS_TO_OLSON)),
    hours=st.integers(-12, 14),
    minutes=st.sampled_from([0, 30, 45]),
    gmt=st.booleans(),
)
def test_any_exchange_style_label_is_cached_as_computed(windows, hours, minutes, gmt):
    sign = "-" if hours < 0 else "+"
    label = f"({'GMT' if gmt else 'UTC'}{sign}{abs(hours):02d}:{minutes:02d}) {windows}"
    assert stream.iana_for_label(label) == fresh(label)
    assert stream.iana_for_label(label) == fresh(label)  # the second answer is the cache's


@pytest.mark.parametrize("name", ["America/Toronto", "UTC", "Eastern Standard Time", "", "x/y"])
def test_is_iana_cached_is_is_iana_computed(name):
    assert stream.is_iana(name) == stream.is_iana.__wrapped__(name)  # type: ignore[attr-defined]
    assert stream.is_iana(name) == stream.is_iana.__wrapped__(name)  # type: ignore[attr-defined]


def exchange_calendar(label: str, count: int) -> bytes:
    """What Exchange exports without VTIMEZONE: the display label on every time."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook//EN"]
    first = datetime(2026, 11, 23, 8, 0)
    for i in range(count):
        begin = first + timedelta(hours=i)
        lines += [
            "BEGIN:VEVENT",
            f"UID:exchange-{i}",
            f"SUMMARY:Meeting {i}",
            f'DTSTART;TZID="{label}":{begin:%Y%m%dT%H%M%S}',
            f'DTEND;TZID="{label}":{begin + timedelta(minutes=30):%Y%m%dT%H%M%S}',
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize(
    "label", ["(UTC-05:00) Eastern Time (US & Canada)", "Eastern Standard Time"]
)
def test_a_hundred_labelled_events_all_land_at_their_time(label):
    stream.iana_for_label.cache_clear()
    start = datetime(2026, 11, 23, tzinfo=TZ)
    found = read_bytes(exchange_calendar(label, 100), "x.ics", TZ, start, start + timedelta(7))
    assert found.problems == []
    assert len(found.events) == 100
    first = datetime(2026, 11, 23, 8, 0, tzinfo=NEW_YORK)
    for event in sorted(found.events, key=lambda e: int(e.uid.split("-")[1])):
        n = int(event.uid.split("-")[1])
        assert event.start == first + timedelta(hours=n)
        assert event.end - event.start == timedelta(minutes=30)
        assert event.timezone == "America/New_York"
