"""The fast path for plain one-off events gives exactly icalendar's parse (Hypothesis).

Calendars are generated with the properties feeds use, values with the
characters that need escaping (commas, semicolons, backslashes, newlines,
colons, non-ASCII), dates in UTC, floating, with an IANA TZID or as all-day
dates, and now and then something that is not plain (a recurrence, an
alarm, a parameter, a property given twice, a bad date, a VTIMEZONE, Google's
X-WR-TIMEZONE). Either the fast path declines (and icalendar parses), or its
calendar (plain events built, the others parsed by icalendar, in the file's
order) is equal to icalendar's, serialises to the same text, and planner
reads the same events and problems from it.
"""

import io
from contextlib import contextmanager
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.calendars import plain, reading
from planner.core.calendars import stream as ics_stream

TZ = ZoneInfo("America/Toronto")
WINDOW = (datetime(2026, 11, 23, tzinfo=TZ), datetime(2026, 11, 30, tzinfo=TZ))

text_values = st.lists(
    st.sampled_from([*"abcXYZ 019,;:\\\"'é€-_/.$#@", "\\n", "\\,", "\\;", "Cost: $12"]),
    max_size=20,
).map("".join)


@st.composite
def when(draw):
    day = draw(st.integers(20, 31))
    hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))
    stamp = f"202611{day:02d}T{hour:02d}{minute:02d}00" if day <= 30 else "20261201T090000"
    form = draw(st.sampled_from(["utc", "floating", "tzid", "tzid", "tzid", "date"] * 3 + ["odd"]))
    if form == "utc":
        return "", stamp + "Z"
    if form == "floating":
        return "", stamp
    if form == "tzid":
        zone = draw(st.sampled_from(["America/Toronto"] * 4 + ["Europe/Paris", "UTC", "Eastern"]))
        return f";TZID={zone}", stamp
    if form == "date":
        return ";VALUE=DATE", stamp[:8]
    return "", draw(st.sampled_from(["2026-11-24", "20261324T100000", "", "20261124T1000"]))


@st.composite
def vevent(draw, n):
    lines = ["BEGIN:VEVENT", f"UID:{draw(st.sampled_from([f'u{n}', f'u{n}', 'same']))}"]
    params, start = draw(when())
    lines.append(f"DTSTART{params}:{start}")
    if draw(st.booleans()):
        params, end = draw(when())
        lines.append(f"DTEND{params}:{end}")
    lines.append("DTSTAMP:20261101T120000Z")
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "X-COST"):
        if draw(st.integers(0, 3)):
            lines.append(f"{name}:{draw(text_values)}")
    if draw(st.booleans()):
        cats = draw(st.lists(st.sampled_from(["tech", "job-seeker", "a\\,b", "volunteer"])))
        lines.append("CATEGORIES:" + ",".join(cats))
    if draw(st.booleans()):
        lines.append(
            "GEO:" + draw(st.sampled_from(["43.65;-79.38", "-79.38;43.65", "0;0", "x;y", "43.6"]))
        )
    if draw(st.booleans()):
        lines.append("STATUS:" + draw(st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"])))
    if draw(st.booleans()):
        lines.append("URL:" + draw(st.sampled_from(["https://zoom.us/j/1", "https://x.org/a?b=c"])))
    if draw(st.booleans()):
        lines.append("PRIORITY:" + draw(st.sampled_from(["1", "5", "9", "x"])))
    if draw(st.booleans()):
        lines.append("TRANSP:" + draw(st.sampled_from(["OPAQUE", "TRANSPARENT"])))
    if draw(st.integers(0, 15)) == 0:  # something that is not plain
        lines.append(
            draw(
                st.sampled_from(
                    [
                        "RRULE:FREQ=WEEKLY;COUNT=3",
                        "RECURRENCE-ID:20261124T100000Z",
                        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM",
                        'ORGANIZER;CN="Sam":mailto:sam@example.org',
                        "SUMMARY:twice",
                        'LOCATION;ALTREP="http://x":Hall',
                        "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=Hall:geo:43.6,-79.4",
                        "summary:lower case name",
                    ]
                )
            )
        )
    lines.append("END:VEVENT")
    return lines


@st.composite
def calendars(draw):
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if draw(st.integers(0, 6)) == 0:
        head.append("X-WR-TIMEZONE:America/Toronto")
    if draw(st.integers(0, 6)) == 0:
        head += [
            "BEGIN:VTIMEZONE",
            "TZID:Eastern",
            "BEGIN:STANDARD",
            "DTSTART:19701101T020000",
            "TZOFFSETFROM:-0400",
            "TZOFFSETTO:-0500",
            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    body = []
    for n in range(draw(st.integers(1, 4))):
        body += draw(vevent(n))
    return ("\r\n".join([*head, *body, "END:VCALENDAR"]) + "\r\n").encode()


def _decoded(value):
    """A property's decoded date, or what icalendar says of one it could not read."""
    try:
        return ("dt", getattr(value, "dt", None))
    except Exception as exc:  # icalendar's BrokenCalendarProperty for a value it rejected
        return ("broken", str(exc))


def _facts(value):
    """Type, parameters and decoded value of a property (each one when given twice)."""
    values = value if isinstance(value, list) else [value]
    return [(type(v), dict(v.params), _decoded(v)) for v in values]


@contextmanager
def full_parse_only():
    with mock.patch.object(plain, "calendar_of", return_value=None):
        yield


def _read(data: bytes):
    try:
        result = reading.read_bytes(data, "test.ics", TZ, *WINDOW)
    except reading.IcsError as exc:
        return ("error", str(exc))
    return (result.events, result.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_the_fast_calendar_is_icalendars(data):
    found = ics_stream.scan(io.BytesIO(data), "test.ics", *WINDOW, prefilter=False)
    fast = plain.calendar_of(found)
    if fast is None:
        return  # declined: icalendar parses it
    full = icalendar.Calendar.from_ical(found.text())
    assert fast == full
    assert fast.to_ical() == full.to_ical()
    for a, b in zip(fast.walk("VEVENT"), full.walk("VEVENT"), strict=True):
        for name in a:
            assert _facts(a[name]) == _facts(b[name])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_planner_reads_the_same_events_either_way(data):
    fast = _read(data)
    with full_parse_only():
        full = _read(data)
    assert fast == full


def test_a_feed_of_plain_events_takes_the_fast_path():
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n in range(50):
        lines += [
            "BEGIN:VEVENT",
            f"UID:plain-{n}",
            "DTSTAMP:20261101T120000Z",
            f"DTSTART;TZID=America/Toronto:2026112{4 + n % 4}T180000",
            f"DTEND;TZID=America/Toronto:2026112{4 + n % 4}T200000",
            f"SUMMARY:Meetup {n}\\, with pizza",
            "LOCATION:MaRS\\, 101 College St\\, Toronto",
            "GEO:43.6599;-79.3883",
            "CATEGORIES:tech,networking",
            "DESCRIPTION:Cost: $10\\nBring a friend",
            "END:VEVENT",
        ]
    data = ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()
    found = ics_stream.scan(io.BytesIO(data), "feed.ics", *WINDOW)
    assert plain.calendar_of(found) is not None
    events, problems = _read(data)
    assert len(events) == 50
    assert events[0].summary == "Meetup 0, with pizza"
    assert events[0].place.lat == 43.6599
    assert events[0].cost == 10.0
    with full_parse_only():
        assert _read(data) == (events, problems)


def test_a_recurring_event_is_left_to_icalendar():
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:r\r\n"
        b"DTSTART:20261124T100000Z\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = ics_stream.scan(io.BytesIO(data), "series.ics", *WINDOW)
    assert plain.calendar_of(found) is None
    events, _ = _read(data)
    assert len(events) == 3


def test_a_feed_with_one_series_builds_the_rest_and_keeps_the_order():
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for n in range(6):
        lines += [
            "BEGIN:VEVENT",
            f"UID:mixed-{n}",
            f"DTSTART;TZID=America/Toronto:2026112{4 + n % 3}T180000",
            "DURATION:PT1H" if n == 3 else "DTEND;TZID=America/Toronto:20261127T200000",
            "SUMMARY:Same title",
            *(["RRULE:FREQ=DAILY;COUNT=2"] if n == 2 else []),
            "END:VEVENT",
        ]
    data = ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()
    found = ics_stream.scan(io.BytesIO(data), "mixed.ics", *WINDOW, prefilter=False)
    fast = plain.calendar_of(found)
    assert fast is not None
    full = icalendar.Calendar.from_ical(found.text())
    assert fast == full and fast.to_ical() == full.to_ical()
    assert [str(c["UID"]) for c in fast.walk("VEVENT")] == [f"mixed-{n}" for n in range(6)]
    events, problems = _read(data)
    with full_parse_only():
        assert _read(data) == (events, problems)
