"""Reading .ics data: time zones, recurrences, places, costs, and bad input."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.calendars.reading import (
    IcsError,
    cost_from_text,
    dedupe,
    read_bytes,
    read_file,
)
from planner.core.model import Status
from planner.core.travel.place_text import split_location

TZ = ZoneInfo("America/Toronto")
WEEK = datetime(2026, 11, 23, tzinfo=TZ)
END = WEEK + timedelta(days=7)


def ics(*events: str, header: str = "") -> bytes:
    body = "\r\n".join(e.strip().replace("\n", "\r\n") for e in events)
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"{header}{body}\r\nEND:VCALENDAR\r\n"
    )
    return text.encode()


def read(data: bytes):
    return read_bytes(data, "test.ics", TZ, WEEK, END)


def test_timed_event_with_iana_tzid_and_geo():
    result = read(
        ics("""
BEGIN:VEVENT
UID:pmi-1@example.org
DTSTAMP:20261101T000000Z
SUMMARY:PMI Toronto: Holiday Mixer
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T200000
LOCATION:MaRS Discovery District\\, 101 College St\\, Toronto\\, ON M5G 1L7
GEO:43.6599;-79.3883
CATEGORIES:professional,networking
DESCRIPTION:Annual mixer.\\nCost: $25 (members $15)
PRIORITY:1
END:VEVENT
""")
    )
    assert not result.problems
    (event,) = result.events
    assert event.start == datetime(2026, 11, 24, 18, 0, tzinfo=TZ)
    assert event.end - event.start == timedelta(hours=2)
    assert event.place.name == "MaRS Discovery District"
    assert event.place.address == "101 College St, Toronto, ON M5G 1L7"
    assert (event.place.lat, event.place.lon) == (43.6599, -79.3883)
    assert event.categories == ("professional", "networking")
    assert event.category == "professional"
    assert event.cost == 25.0
    assert event.priority == 1


def test_floating_time_is_the_users_zone_and_utc_is_converted():
    result = read(
        ics(
            """
BEGIN:VEVENT
UID:float
SUMMARY:Floating
DTSTART:20261125T190000
DTEND:20261125T200000
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:utc
SUMMARY:UTC
DTSTART:20261125T230000Z
DTEND:20261126T000000Z
END:VEVENT
""",
        )
    )
    by_uid = {e.uid: e for e in result.events}
    assert by_uid["float"].start == datetime(2026, 11, 25, 19, 0, tzinfo=TZ)
    assert by_uid["utc"].start == datetime(2026, 11, 25, 18, 0, tzinfo=TZ)  # EST = UTC-5


def test_google_x_wr_timezone_moves_utc_recurrences_into_the_calendar_zone():
    # Google exports some recurring events in UTC with X-WR-TIMEZONE naming the real zone;
    # read naively, a weekly 19:00 event would drift by an hour across the DST change.
    data = ics(
        """
BEGIN:VEVENT
UID:weekly-google
SUMMARY:Weekly meetup
DTSTART:20261007T230000Z
DTEND:20261008T000000Z
RRULE:FREQ=WEEKLY
END:VEVENT
""",
        header="X-WR-TIMEZONE:America/Toronto\r\n",
    )
    (event,) = read(data).events
    assert event.start == datetime(2026, 11, 25, 19, 0, tzinfo=TZ)


def test_recurrence_with_moved_exception_and_exdate():
    result = read(
        ics(
            """
BEGIN:VEVENT
UID:hockey
SUMMARY:Hockey
DTSTART;TZID=America/Toronto:20260907T200000
DTEND;TZID=America/Toronto:20260907T213000
RRULE:FREQ=WEEKLY;BYDAY=MO,WE
EXDATE;TZID=America/Toronto:20261123T200000
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:hockey
RECURRENCE-ID;TZID=America/Toronto:20261125T200000
SUMMARY:Hockey (late ice)
DTSTART;TZID=America/Toronto:20261125T210000
DTEND;TZID=America/Toronto:20261125T223000
END:VEVENT
""",
        )
    )
    starts = [(e.summary, e.start) for e in result.events]
    assert starts == [("Hockey (late ice)", datetime(2026, 11, 25, 21, 0, tzinfo=TZ))]
    assert result.events[0].recurrence_id.startswith("2026-11-25T20:00")


def test_all_day_duration_and_missing_end():
    result = read(
        ics(
            """
BEGIN:VEVENT
UID:allday
SUMMARY:PD day
DTSTART;VALUE=DATE:20261127
DTEND;VALUE=DATE:20261128
TRANSP:TRANSPARENT
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:dur
SUMMARY:Coffee
DTSTART;TZID=America/Toronto:20261126T080000
DURATION:PT45M
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:noend
SUMMARY:Birthday
DTSTART;VALUE=DATE:20261129
END:VEVENT
""",
        )
    )
    by_uid = {e.uid: e for e in result.events}
    assert by_uid["allday"].all_day
    assert not by_uid["allday"].busy  # TRANSP:TRANSPARENT
    assert by_uid["dur"].end == datetime(2026, 11, 26, 8, 45, tzinfo=TZ)
    assert by_uid["noend"].end - by_uid["noend"].start == timedelta(days=1)


def test_cancelled_and_online_events():
    result = read(
        ics(
            """
BEGIN:VEVENT
UID:cancel
SUMMARY:Cancelled mixer
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T200000
STATUS:CANCELLED
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:zoom
SUMMARY:Webinar
DTSTART;TZID=America/Toronto:20261124T120000
DTEND;TZID=America/Toronto:20261124T130000
LOCATION:https://us02web.zoom.us/j/123456789
END:VEVENT
""",
        )
    )
    by_uid = {e.uid: e for e in result.events}
    assert by_uid["cancel"].status is Status.CANCELLED
    assert not by_uid["cancel"].busy
    assert by_uid["zoom"].place.virtual


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            "Toronto Reference Library (789 Yonge St, Toronto, ON M4W 2G8)",
            ("Toronto Reference Library", "789 Yonge St, Toronto, ON M4W 2G8"),
        ),
        (
            "Station Gallery, 1450 Henry St, Whitby, ON",
            ("Station Gallery", "1450 Henry St, Whitby, ON"),
        ),
        ("405 Dundas St W, Whitby, ON", ("", "405 Dundas St W, Whitby, ON")),
        ("Boardroom B", ("Boardroom B", "")),
        ("", ("", "")),
    ],
)
def test_split_location(location, expected):
    assert split_location(location) == expected


@pytest.mark.parametrize(
    ("explicit", "description", "expected"),
    [
        ("", "Join us!\nCost: Free", 0.0),
        ("", "Tickets: $35.50 at the door", 35.5),
        ("", "Price: $ 20", 20.0),
        ("45", "", 45.0),
        ("CAD 12", "", 12.0),
        ("", "A talk about money ($$$ in tech)", None),
        ("", "", None),
    ],
)
def test_cost(explicit, description, expected):
    assert cost_from_text(explicit, description) == expected


def test_bad_geo_is_ignored_not_trusted():
    (event,) = read(
        ics("""
BEGIN:VEVENT
UID:geo0
SUMMARY:Nowhere
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T190000
GEO:0;0
END:VEVENT
""")
    ).events
    assert not event.place.has_position


def test_broken_file_names_the_file(tmp_path):
    path = tmp_path / "broken.ics"
    path.write_text("this is not a calendar")
    with pytest.raises(IcsError, match=r"broken\.ics.*not an iCalendar file"):
        read_file(path, TZ, WEEK, END)
    with pytest.raises(IcsError, match=r"missing\.ics: file not found"):
        read_file(tmp_path / "missing.ics", TZ, WEEK, END)
    empty = tmp_path / "empty.ics"
    empty.write_text("")
    with pytest.raises(IcsError, match="empty"):
        read_file(empty, TZ, WEEK, END)


def test_one_bad_event_does_not_cost_the_others():
    result = read(
        ics(
            """
BEGIN:VEVENT
UID:good
SUMMARY:Good
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T190000
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:nostart
SUMMARY:No start
DTEND;TZID=America/Toronto:20261124T170000
END:VEVENT
""",
            """
BEGIN:VEVENT
UID:garbage
SUMMARY:Garbage start
DTSTART:next tuesday
DTEND;TZID=America/Toronto:20261124T170000
END:VEVENT
""",
        )
    )
    assert [e.uid for e in result.events] == ["good"]
    assert any("'No start'" in str(p) and "no start time" in str(p) for p in result.problems)
    assert any("'Garbage start'" in str(p) and "test.ics" in str(p) for p in result.problems)


def test_same_event_from_two_feeds_appears_once():
    one = read(
        ics("""
BEGIN:VEVENT
UID:a@meetup
SUMMARY:Toronto Python
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T200000
LOCATION:Shopify\\, 620 King St W\\, Toronto
END:VEVENT
""")
    ).events
    other = read(
        ics("""
BEGIN:VEVENT
UID:different@luma
SUMMARY:toronto python
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T200000
LOCATION:Shopify\\, 620 King St W\\, Toronto
END:VEVENT
""")
    ).events
    assert len(dedupe(one + one + other)) == 1


def test_events_are_expanded_only_for_the_window():
    (event,) = read(
        ics("""
BEGIN:VEVENT
UID:daily
SUMMARY:Stand-up
DTSTART;TZID=America/Toronto:20261101T090000
DTEND;TZID=America/Toronto:20261101T091500
RRULE:FREQ=WEEKLY;BYDAY=TU
END:VEVENT
""")
    ).events
    assert event.start.date() == date(2026, 11, 24)


def test_same_url_at_the_same_time_is_one_event():
    def feed(uid, title):
        return read(
            ics(f"""
BEGIN:VEVENT
UID:{uid}
SUMMARY:{title}
DTSTART;TZID=America/Toronto:20261124T180000
DTEND;TZID=America/Toronto:20261124T200000
URL:https://www.meetup.com/toronto-python/events/123/
END:VEVENT
""")
        ).events

    assert len(dedupe(feed("a@meetup.com", "Python night") + feed("b@lu.ma", "Py Night"))) == 1


@pytest.mark.parametrize(
    ("lines", "all_day", "start_hour"),
    [
        ("DTSTART:20261124\r\nDTEND:20261125", True, 0),  # VALUE=DATE missing
        ("DTSTART;VALUE=DATE-TIME:20261124\r\nDTEND;VALUE=DATE-TIME:20261125", True, 0),
        ("DTSTART;VALUE=DATE:20261124T100000\r\nDTEND;VALUE=DATE:20261124T110000", False, 10),
    ],
    ids=["value-date-missing", "says-datetime-is-date", "says-date-is-datetime"],
)
def test_all_day_by_the_value_not_by_a_wrong_value_parameter(lines, all_day, start_hour):
    (event,) = read(
        ics(f"BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Holiday\r\n{lines}\r\nEND:VEVENT")
    ).events
    assert event.all_day is all_day
    assert event.start == datetime(2026, 11, 24, start_hour, tzinfo=TZ)
