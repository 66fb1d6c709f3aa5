"""The .ics files real producers write, read as planner must read them.

Each fixture in tests/fixtures/producers/ is written in the style of the
application that makes it: its PRODID, property order, folding, X- properties,
time-zone style and UIDs (Google, Outlook, Exchange Online, iCloud,
Thunderbird, Nextcloud, Proton, Fastmail, Meetup, Eventbrite, Luma, pretalx, a
university timetable, a holiday feed), plus files for the quirks of RFC 5545
that producers disagree on. Every test pins facts a person would check by
hand: how many occurrences a week holds, when each starts and ends in Toronto
time, whether it blocks time, and where it is when the producer says so.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.calendars.reading import ImportResult, dedupe, read_bytes
from planner.core.model import Event, Status

PRODUCERS = Path(__file__).resolve().parents[1] / "fixtures" / "producers"
TZ = ZoneInfo("America/Toronto")
UTC = ZoneInfo("UTC")
VANCOUVER = ZoneInfo("America/Vancouver")
WEEK = date(2026, 11, 23)  # a Monday, after the 2026-11-01 change to EST (UTC-5)


def read(
    name: str, first_day: date = WEEK, days: int = 7, zone: ZoneInfo = TZ, **options: bool
) -> ImportResult:
    """The occurrences of fixture ``name`` that touch [first_day, first_day + days) in ``zone``."""
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    data = (PRODUCERS / f"{name}.ics").read_bytes()
    return read_bytes(data, f"{name}.ics", zone, start, start + timedelta(days=days), **options)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    """A wall-clock time in Toronto."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def utc(moment: datetime) -> datetime:
    """The instant, for comparisons that must not depend on wall-clock arithmetic."""
    return moment.astimezone(UTC)


def named(result: ImportResult, summary: str) -> list[Event]:
    return [e for e in result.events if e.summary == summary]


def only(result: ImportResult, summary: str) -> Event:
    found = named(result, summary)
    titles = sorted(e.summary for e in result.events)
    assert len(found) == 1, f"{len(found)} occurrences of {summary!r} among {titles}"
    return found[0]


def spans(events: list[Event]) -> list[tuple[datetime, datetime]]:
    return sorted((e.start, e.end) for e in events)


# (fixture, first day of the window, days, occurrences in it)
WINDOWS = [
    ("google-calendar", WEEK, 7, 5),
    ("outlook-exchange", WEEK, 7, 8),
    ("office365", WEEK, 7, 10),
    ("apple-icloud", WEEK, 7, 5),
    ("thunderbird", WEEK, 7, 5),
    ("nextcloud", WEEK, 7, 4),
    ("proton", WEEK, 7, 4),
    ("fastmail", WEEK, 7, 4),
    ("meetup-group-feed", WEEK, 7, 3),
    ("meetup-single-event", WEEK, 7, 1),
    ("eventbrite", WEEK, 7, 1),
    ("luma", WEEK, 7, 3),
    ("pretalx", WEEK, 7, 8),
    ("university-timetable", WEEK, 7, 5),
    ("university-timetable", date(2026, 10, 12), 7, 0),  # reading week
    ("university-timetable", date(2026, 12, 7), 7, 2),  # the term ends on Dec 8
    ("holiday-feed", date(2026, 12, 21), 7, 2),
    ("holiday-feed", date(2026, 12, 28), 7, 1),
    ("holiday-feed", WEEK, 7, 0),
    ("rrule-thisandfuture", date(2026, 11, 9), 21, 3),
    ("rrule-no-end", WEEK, 7, 9),
    ("rrule-no-end", date(2031, 6, 2), 7, 9),
    ("duration-no-dtend", WEEK, 7, 11),
    ("no-dtend", WEEK, 7, 10),
    ("dst-change", date(2026, 10, 19), 21, 9),
    ("dst-change", date(2027, 3, 8), 14, 5),
    ("tentative", WEEK, 7, 4),
    ("transparent", WEEK, 7, 6),
    ("two-feeds-duplicate-a", WEEK, 7, 3),
    ("two-feeds-duplicate-b", WEEK, 7, 4),
]
WINDOW_IDS = [f"{name}-{first}" for name, first, _, _ in WINDOWS]


def test_every_fixture_is_exercised():
    on_disk = {p.stem for p in PRODUCERS.glob("*.ics")}
    assert on_disk == {name for name, *_ in WINDOWS}


@pytest.mark.parametrize(("name", "first_day", "days", "count"), WINDOWS, ids=WINDOW_IDS)
def test_fixture_reads_cleanly_in_its_window(name, first_day, days, count):
    result = read(name, first_day, days)
    assert result.problems == []
    assert len(result.events) == count, sorted((e.start, e.summary) for e in result.events)
    start = datetime.combine(first_day, time(0), tzinfo=TZ)
    end = start + timedelta(days=days)
    for event in result.events:
        assert event.uid and event.summary
        assert getattr(event.start.tzinfo, "key", None) == "America/Toronto"
        assert getattr(event.end.tzinfo, "key", None) == "America/Toronto"
        assert utc(event.start) <= utc(event.end)
        assert utc(event.start) < utc(end)
        assert utc(event.end) > utc(start) or event.start == event.end >= start


@pytest.mark.parametrize(("name", "first_day", "days", "count"), WINDOWS, ids=WINDOW_IDS)
def test_fast_path_reads_what_the_full_parse_reads(name, first_day, days, count):
    fast = read(name, first_day, days)
    full = read(name, first_day, days, prefilter=False)
    assert fast.events == full.events


# --- Google Calendar ---------------------------------------------------------------------------


def test_google_calendar():
    result = read("google-calendar")
    # A weekly series written in UTC (14:00Z, 10:00 EDT) under X-WR-TIMEZONE keeps 10:00 after
    # the change to EST; read as plain UTC it would drift to 09:00.
    sync = only(result, "Team sync")
    assert (sync.start, sync.end) == (at(24, 10), at(24, 10, 30))
    # Mon/Thu series: Monday moved from 15:30 to 17:00 by a RECURRENCE-ID, Thursday excluded.
    one_on_one = named(result, "1:1 Priya / Sam")
    assert spans(one_on_one) == [(at(23, 17), at(23, 17, 30))]
    assert one_on_one[0].recurrence_id.startswith("2026-11-23T15:30")
    offsite = only(result, "Team offsite")
    assert offsite.all_day
    assert (offsite.start, offsite.end) == (at(25), at(27))
    assert offsite.busy
    assert offsite.place.name == "Evergreen Brick Works"
    assert offsite.place.address == "550 Bayview Ave, Toronto, ON M4W 3X8, Canada"
    ooo = only(result, "Ahmed OOO")
    assert ooo.all_day
    assert (ooo.start, ooo.end) == (at(27), at(28))
    assert ooo.transparent
    assert not ooo.busy
    planning = only(result, "Quarterly planning")  # 18:00Z
    assert (planning.start, planning.end) == (at(26, 13), at(26, 15))
    assert planning.place.name == "Boardroom 4B"
    assert planning.place.address == "111 Richmond St W, Toronto, ON M5H 2G4, Canada"
    assert {e.status for e in result.events} == {Status.CONFIRMED}


# --- Outlook desktop and Exchange ----------------------------------------------------------------


def test_outlook_windows_zone_names_land_at_the_right_time():
    result = read("outlook-exchange")
    status = only(result, "Weekly status")  # TZID="Eastern Standard Time"
    assert (status.start, status.end) == (at(24, 10), at(24, 10, 45))
    assert status.priority == 5
    assert "Microsoft Teams Meeting" in status.place.name
    renewal = only(result, "Fabrikam renewal call")  # "(UTC-05:00) Eastern Time (US & Canada)"
    assert (renewal.start, renewal.end) == (at(25, 9), at(25, 9, 30))
    sales = only(result, "Regional sales review")  # "Customized Time Zone" with Central rules
    assert (sales.start, sales.end) == (at(26, 14), at(26, 15))
    doctor = only(result, "Doctor")  # CLASS:PRIVATE
    assert (doctor.start, doctor.end) == (at(23, 8), at(23, 9))


def test_outlook_zone_names_are_real_zones_not_the_users_zone():
    # Read by a user in Vancouver, Eastern and Central meetings move by 3 and 2 hours:
    # a TZID read as floating time would wrongly stay at its face value.
    result = read("outlook-exchange", zone=VANCOUVER)
    assert result.problems == []
    pacific = {e.summary: e.start for e in result.events}
    assert pacific["Weekly status"] == datetime(2026, 11, 24, 7, 0, tzinfo=VANCOUVER)
    assert pacific["Fabrikam renewal call"] == datetime(2026, 11, 25, 6, 0, tzinfo=VANCOUVER)
    assert pacific["Regional sales review"] == datetime(2026, 11, 26, 11, 0, tzinfo=VANCOUVER)


def test_outlook_cancelled_meetings_are_kept_but_do_not_block_time():
    result = read("outlook-exchange")
    # The series' Wednesday occurrence is replaced by its cancelled exception, not duplicated.
    (review,) = [e for e in result.events if "Design review" in e.summary]
    assert (review.start, review.end) == (at(25, 14), at(25, 15))
    assert review.status is Status.CANCELLED
    assert not review.busy
    assert review.recurrence_id.startswith("2026-11-25T14:00")
    # STATUS:CANCELLED alone frees the time, even though Outlook still says TRANSP:OPAQUE.
    demo = only(result, "Canceled: Vendor demo")
    assert demo.status is Status.CANCELLED
    assert not demo.transparent
    assert not demo.busy


def test_outlook_busy_states():
    result = read("outlook-exchange")
    guild = only(result, "Architecture guild")  # X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
    assert (guild.start, guild.end) == (at(26, 16), at(26, 17))
    assert guild.busy
    vacation = only(result, "Vacation day")  # all-day, BUSYSTATUS:OOF
    assert vacation.all_day
    assert (vacation.start, vacation.end) == (at(27), at(28))
    assert vacation.busy


# --- Exchange Online (Office 365) published calendar --------------------------------------------


def test_office365_travelling_user_meetings_in_other_zones():
    result = read("office365")
    workshop = only(result, "Customer workshop – Pacific region")  # 14:00 Pacific Standard Time
    assert (workshop.start, workshop.end) == (at(24, 17), at(24, 19))
    assert workshop.place.name == "Salesforce Tower"
    assert workshop.place.address == "415 Mission St, San Francisco, CA 94105"
    dinner = only(result, "Dinner with the Acme team")  # 19:00-21:00 Pacific ends at midnight
    assert (dinner.start, dinner.end) == (at(24, 22), at(25, 0))
    london = only(result, "Sync with the London office")  # 15:00 GMT Standard Time
    assert (london.start, london.end) == (at(26, 10), at(26, 10, 30))
    # Outlook lets a flight start in one zone and end in another.
    flight = only(result, "Flight AC 758 SFO → YYZ")
    assert (flight.start, flight.end) == (at(27, 10), at(27, 15, 28))
    standups = named(result, "Team stand-up")
    assert spans(standups) == [(at(d, 9, 30), at(d, 9, 45)) for d in range(23, 28)]
    travel = only(result, "Travel: YYZ → SFO")
    assert travel.all_day
    assert (travel.start, travel.end) == (at(23), at(24))
    assert not travel.busy


def test_office365_windows_zone_is_reported_as_its_iana_zone():
    result = read("office365")
    assert only(result, "Customer workshop – Pacific region").timezone == "America/Los_Angeles"
    assert only(result, "Sync with the London office").timezone == "Europe/London"


def test_office365_read_in_the_users_travel_zone():
    los_angeles = ZoneInfo("America/Los_Angeles")
    result = read("office365", zone=los_angeles)
    assert result.problems == []
    workshop = only(result, "Customer workshop – Pacific region")
    assert workshop.start == datetime(2026, 11, 24, 14, 0, tzinfo=los_angeles)
    standup = min(named(result, "Team stand-up"), key=lambda e: e.start)
    assert standup.start == datetime(2026, 11, 23, 6, 30, tzinfo=los_angeles)


# --- Apple iCloud --------------------------------------------------------------------------------


def test_apple_icloud():
    result = read("apple-icloud")
    dentist = only(result, "Dentist")
    assert (dentist.start, dentist.end) == (at(25, 8, 30), at(25, 9, 30))
    assert dentist.place.name == "Bloor West Dental"
    assert (dentist.place.lat, dentist.place.lon) == (43.64963, -79.48417)
    assert not dentist.place.virtual
    swim = named(result, "Kids' swim lessons")  # RRULE:FREQ=WEEKLY;INTERVAL=1 from Oct 3
    assert spans(swim) == [(at(28, 10), at(28, 10, 45))]
    dinner = only(result, "Anniversary dinner")  # with X-APPLE-TRAVEL-DURATION / -START
    assert (dinner.start, dinner.end) == (at(28, 19, 30), at(28, 21, 30))
    assert dinner.place.name
    birthday = only(result, "Mom's birthday")
    assert birthday.all_day
    assert (birthday.start, birthday.end) == (at(29), at(30))
    assert not birthday.busy
    call = only(result, "FaceTime with Avó (Lisbon)")  # 18:00 Europe/Lisbon (WET, UTC+0)
    assert (call.start, call.end) == (at(29, 13), at(29, 14))
    assert call.url == "facetime://+351210000000"


# --- Thunderbird ---------------------------------------------------------------------------------


def test_thunderbird():
    result = read("thunderbird")
    club = only(result, "Book club: The Ministry of Time")
    assert (club.start, club.end) == (at(26, 19), at(26, 21))
    assert club.categories == ("Personal", "Books")
    assert club.place.name == "Another Story Bookshop"
    runs = named(result, "Morning run")  # floating time: the user's own 06:30
    assert spans(runs) == [(at(24, 6, 30), at(24, 7, 15)), (at(26, 6, 30), at(26, 7, 15))]
    assert {e.timezone for e in runs} == {""}
    berlin = only(result, "Call with the Berlin team")  # TZID=/mozilla.org/20070129_1/...
    assert (berlin.start, berlin.end) == (at(25, 10), at(25, 11))
    passport = only(result, "Renew passport")
    assert passport.all_day
    assert (passport.start, passport.end) == (at(23), at(24))
    assert passport.categories == ("Errands",)
    assert not passport.busy


def test_thunderbird_floating_times_follow_the_user_but_zoned_times_do_not():
    result = read("thunderbird", zone=VANCOUVER)
    run = min(named(result, "Morning run"), key=lambda e: e.start)
    assert run.start == datetime(2026, 11, 24, 6, 30, tzinfo=VANCOUVER)
    berlin = only(result, "Call with the Berlin team")
    assert berlin.start == datetime(2026, 11, 25, 7, 0, tzinfo=VANCOUVER)


def test_thunderbird_mozilla_tzid_is_reported_as_its_iana_zone():
    berlin = only(read("thunderbird"), "Call with the Berlin team")
    assert berlin.timezone == "Europe/Berlin"


# --- Nextcloud -----------------------------------------------------------------------------------


def test_nextcloud():
    result = read("nextcloud")
    (open_house,) = named(result, "Hacklab open house")
    assert (open_house.start, open_house.end) == (at(24, 18, 30), at(24, 21))
    assert open_house.categories == ("Community", "Hobbies")
    assert open_house.place.name == "Hacklab.TO"
    assert open_house.place.address == "1266 Queen St W, Toronto, ON M6K 1L3"
    # The December 1 occurrence was moved into this week.
    moved = only(result, "Hacklab open house (moved to Thursday)")
    assert (moved.start, moved.end) == (at(26, 18, 30), at(26, 21))
    assert moved.recurrence_id.startswith("2026-12-01T18:30")
    workshop = only(result, "Hacklab: soldering workshop")  # RELATED-TO the open house
    assert (workshop.start, workshop.end) == (at(28, 13), at(28, 16))
    assert workshop.cost == 20.0
    assert workshop.categories == ("Community", "Workshop")
    cottage = only(result, "Cottage weekend 🍂")
    assert cottage.all_day
    assert (cottage.start, cottage.end) == (at(27), at(30))
    assert cottage.busy


def test_nextcloud_moved_occurrence_is_gone_from_its_old_week():
    result = read("nextcloud", date(2026, 11, 30))
    assert [e.summary for e in result.events if "open house" in e.summary] == []


# --- Proton --------------------------------------------------------------------------------------


def test_proton():
    result = read("proton")
    therapy = named(result, "Therapy")  # COUNT=12 from Sep 14: this is the 11th
    assert spans(therapy) == [(at(23, 17), at(23, 17, 50))]
    shift = only(result, "Volunteer shift – food bank")
    assert (shift.start, shift.end) == (at(28, 9), at(28, 13))
    assert shift.place.name == "Daily Bread Food Bank"
    assert shift.place.address == "191 New Toronto St, Etobicoke, ON M8V 2E7"
    party = only(result, "Grey Cup party")
    assert (party.start, party.end) == (at(29, 18), at(29, 22))
    coffee = only(result, "Coffee with Jordan")
    assert coffee.status is Status.CANCELLED
    assert not coffee.busy


def test_proton_count_ends_the_series():
    assert len(named(read("proton", date(2026, 11, 30)), "Therapy")) == 1  # the 12th
    assert named(read("proton", date(2026, 12, 7)), "Therapy") == []


# --- Fastmail (Cyrus) ----------------------------------------------------------------------------


def test_fastmail_duration_and_dtend_in_one_account():
    result = read("fastmail")
    lunch = only(result, "Lunch with Marguerite")  # DURATION:PT1H
    assert (lunch.start, lunch.end) == (at(24, 12, 30), at(24, 13, 30))
    assert lunch.place.name == "Pai Northern Thai Kitchen"
    market = only(result, "Farmers' market")  # DATE + DURATION:P1D
    assert market.all_day
    assert (market.start, market.end) == (at(28), at(29))
    assert not market.busy
    yoga = named(result, "Yoga")  # Mon/Wed, DURATION:PT1H15M, Wednesday excluded
    assert spans(yoga) == [(at(23, 18), at(23, 19, 15))]
    dinner = only(result, "Dinner party at ours")
    assert (dinner.start, dinner.end) == (at(28, 19), at(28, 23))


# --- Meetup --------------------------------------------------------------------------------------


def test_meetup_group_feed_in_utc():
    result = read("meetup-group-feed")
    night = only(result, "Python Project Night")  # 23:00Z
    assert (night.start, night.end) == (at(24, 18), at(24, 20, 30))
    assert night.url == "https://www.meetup.com/pythontoronto/events/312004417/"
    assert night.place.name == "Shopify"
    assert night.place.address == "620 King St W, Toronto, ON M5V 1M6"
    assert (night.place.lat, night.place.lon) == (43.644657, -79.402794)
    # 00:00Z on Thursday is Wednesday evening in Toronto.
    office_hours = only(result, "Online: monthly office hours")
    assert (office_hours.start, office_hours.end) == (at(25, 19), at(25, 20))
    assert office_hours.place.virtual
    pandas = only(result, "Intro to pandas workshop")
    assert (pandas.start, pandas.end) == (at(28, 10), at(28, 13))
    assert pandas.place.name == "Toronto Reference Library"
    assert pandas.place.address == "789 Yonge St, Toronto, ON M4W 2G8"
    assert pandas.url == "https://www.meetup.com/pythontoronto/events/312004650/"


def test_meetup_single_event_download():
    (event,) = read("meetup-single-event").events
    assert event.summary == "PyData Toronto: November meetup"
    assert (event.start, event.end) == (at(25, 18), at(25, 21))
    assert event.uid == "event_305551234@meetup.com"
    assert event.url == "https://www.meetup.com/pydata-toronto/events/305551234/"
    assert event.place.name == "MaRS Centre, Auditorium"
    assert event.place.address == "101 College St, Toronto, ON M5G 1L7"
    assert (event.place.lat, event.place.lon) == (43.659886, -79.388311)


# --- Eventbrite ----------------------------------------------------------------------------------


def test_eventbrite_single_download():
    (event,) = read("eventbrite").events
    assert event.summary == "Toronto Startup Pitch Night – Winter Edition"
    # 00:00Z on Saturday is Friday 19:00 in Toronto.
    assert (event.start, event.end) == (at(27, 19), at(27, 22))
    assert event.url == (
        "https://www.eventbrite.ca/e/toronto-startup-pitch-night-winter-edition-tickets-987654321012"
    )
    assert event.place.name == "The Great Hall"
    assert event.place.address == "1087 Queen St W, Toronto, ON M6J 1H3, Canada"
    assert "The Great Hall, 1087 Queen St W" in event.description
    assert event.busy


# --- Luma ----------------------------------------------------------------------------------------


def test_luma_in_person_and_online():
    result = read("luma")
    mixer = only(result, "AI Founders Mixer")
    assert (mixer.start, mixer.end) == (at(24, 18), at(24, 21))
    assert mixer.place.name == "The Drake Hotel"
    assert (mixer.place.lat, mixer.place.lon) == (43.643162, -79.424667)
    assert not mixer.place.virtual
    agents = only(result, "Building agents with open models")  # LOCATION is the Zoom link
    assert (agents.start, agents.end) == (at(25, 12), at(25, 13))
    assert agents.place.virtual
    ama = only(result, "Design systems AMA")  # LOCATION is the lu.ma event page
    assert (ama.start, ama.end) == (at(26, 16), at(26, 17))


# --- pretalx -------------------------------------------------------------------------------------


def test_pretalx_conference_day_in_several_rooms():
    # pretalx writes through vobject, which names the zone after its abbreviation (TZID:EST).
    result = read("pretalx")
    assert {e.start.date() for e in result.events} == {date(2026, 11, 27)}
    assert {e.place.name for e in result.events} == {"Main Hall", "Room 201", "Room 202"}
    at_ten = {e.place.name: e.summary for e in result.events if e.start == at(27, 10)}
    assert at_ten == {
        "Main Hall": "Type hints at scale - Luc Tremblay",
        "Room 201": "Async without tears - Mei Chen, Ravi Patel",
        "Room 202": "Packaging in 2026: what changed - Sofia Rossi",
    }
    keynote = only(result, "Opening keynote: Python in the public service - Amara Okafor")
    assert (keynote.start, keynote.end) == (at(27, 9), at(27, 9, 45))
    assert keynote.url == "https://pretalx.com/pyconca-2026/talk/K9QXLM/"
    assert keynote.place.name == "Main Hall"
    lightning = only(result, "Lightning talks - Various speakers")
    assert (lightning.start, lightning.end) == (at(27, 16, 30), at(27, 17, 15))
    assert len({e.uid for e in result.events}) == 8


# --- University timetable ------------------------------------------------------------------------


LECTURE = "CPS 109 – Computer Science I (LEC 011)"
TUTORIAL = "MTH 207 – Calculus and Computational Methods (TUT 042)"
LAB = "CPS 109 – Computer Science I (LAB 023)"


def test_university_timetable_week():
    result = read("university-timetable")
    # Mon/Wed lectures plus the Friday make-up session given by RDATE.
    lectures = named(result, LECTURE)
    assert spans(lectures) == [(at(d, 10), at(d, 11, 50)) for d in (23, 25, 27)]
    assert {e.categories for e in lectures} == {("Lecture",)}
    assert lectures[0].place.name == "KHE 117"
    assert spans(named(result, TUTORIAL)) == [(at(24, 14), at(24, 15, 50))]
    # Every second Thursday from Sep 17.
    assert spans(named(result, LAB)) == [(at(26, 16), at(26, 17, 50))]


def test_university_timetable_reading_week_and_end_of_term():
    assert read("university-timetable", date(2026, 10, 12)).events == []
    last_week = read("university-timetable", date(2026, 12, 7))
    assert sorted((e.summary, e.start) for e in last_week.events) == [
        (LECTURE, at(7, 10, month=12)),
        (TUTORIAL, at(8, 14, month=12)),
    ]


def test_university_timetable_keeps_wall_clock_after_the_change_to_est():
    result = read("university-timetable", date(2026, 11, 2))
    assert spans(named(result, LECTURE)) == [(at(d, 10), at(d, 11, 50)) for d in (2, 4)]


# --- Holiday feed --------------------------------------------------------------------------------


def test_holiday_feed():
    result = read("holiday-feed", date(2026, 12, 21))
    holidays = {e.summary: e for e in result.events}
    assert set(holidays) == {"Christmas Day", "Boxing Day"}
    christmas = holidays["Christmas Day"]
    assert (christmas.start, christmas.end) == (at(25, month=12), at(26, month=12))
    assert christmas.url == "https://www.officeholidays.com/holidays/canada/christmas-day"
    # DTEND:20261227 without VALUE=DATE is still a date.
    boxing = holidays["Boxing Day"]
    assert (boxing.start, boxing.end) == (at(26, month=12), at(27, month=12))
    for holiday in holidays.values():
        assert holiday.all_day
        assert holiday.transparent
        assert not holiday.busy
    # No DTEND at all: one day.
    (new_year,) = read("holiday-feed", date(2026, 12, 28)).events
    assert new_year.summary == "New Year's Day"
    assert new_year.all_day
    assert (new_year.start, new_year.end) == (at(1, month=1, year=2027), at(2, month=1, year=2027))


# --- RECURRENCE-ID;RANGE=THISANDFUTURE ----------------------------------------------------------


def test_thisandfuture_moves_the_rest_of_the_series():
    before = read("rrule-thisandfuture", date(2026, 11, 9))
    assert [(e.summary, e.start, e.end) for e in before.events] == [
        ("Choir rehearsal", at(11, 19), at(11, 21))
    ]
    changed = read("rrule-thisandfuture", date(2026, 11, 16))
    assert [(e.summary, e.start, e.end) for e in changed.events] == [
        ("Choir rehearsal (new time)", at(18, 18, 30), at(18, 20, 30))
    ]
    after = read("rrule-thisandfuture")
    assert [(e.summary, e.start, e.end) for e in after.events] == [
        ("Choir rehearsal (new time)", at(25, 18, 30), at(25, 20, 30))
    ]


def test_thisandfuture_occurrences_keep_their_own_identity():
    # Decisions attach to Event.key: the Nov 18 override must not lend its RECURRENCE-ID
    # to every later rehearsal, or they would all be one occurrence to planner.
    events = read("rrule-thisandfuture", date(2026, 11, 9), 21).events
    assert len({e.key for e in events}) == 3
    assert len(dedupe(events)) == 3
    (nov_25,) = [e for e in events if e.start.date() == date(2026, 11, 25)]
    assert nov_25.recurrence_id.startswith("2026-11-25")


# --- Rules without an end ------------------------------------------------------------------------


def test_rules_without_end_keep_going():
    result = read("rrule-no-end")
    # Evolution's /freeassociation.sourceforge.net/ TZID, weekly since 2019.
    club = named(result, "Toastmasters – Downtown Speakers club")
    assert spans(club) == [(at(26, 19), at(26, 20, 30))]
    bins = named(result, "Blue bin day")  # every second Monday since 2018-01-01
    assert spans(bins) == [(at(23), at(24))]
    assert bins[0].all_day
    pills = named(result, "Take medication")  # daily since 2020
    assert spans(pills) == [(at(d, 8), at(d, 8, 5)) for d in range(23, 30)]
    assert not any(p.busy for p in pills)
    later = read("rrule-no-end", date(2031, 6, 2))
    club = named(later, "Toastmasters – Downtown Speakers club")
    assert spans(club) == [(at(5, 19, month=6, year=2031), at(5, 20, 30, month=6, year=2031))]


# --- DURATION instead of DTEND, and no end at all -----------------------------------------------


def test_duration_instead_of_dtend():
    result = read("duration-no-dtend")
    breakfast = only(result, "Breakfast with a mentor")  # PT45M
    assert (breakfast.start, breakfast.end) == (at(24, 8), at(24, 8, 45))
    show = only(result, "Late show at the Rex")  # PT2H30M past midnight
    assert (show.start, show.end) == (at(26, 22), at(27, 0, 30))
    cottage = only(result, "Working from the cottage")  # DATE + P1D
    assert cottage.all_day
    assert (cottage.start, cottage.end) == (at(23), at(24))
    ski = only(result, "Ski trip")  # DATE + P2D
    assert ski.all_day
    assert (ski.start, ski.end) == (at(27), at(29))
    fair = only(result, "Book fair week")  # DATE + P1W
    assert fair.all_day
    assert (fair.start, fair.end) == (at(23), at(30))
    hackathon = only(result, "Hackathon")  # P1DT2H
    assert (hackathon.start, hackathon.end) == (at(25, 9), at(26, 11))
    standups = named(result, "Daily stand-up")  # recurring, PT15M
    assert spans(standups) == [(at(d, 9, 15), at(d, 9, 30)) for d in range(23, 28)]


def test_no_dtend_and_no_duration():
    result = read("no-dtend")
    # RFC 5545 3.6.1: a date-time start alone is an instant; a date alone is one day.
    parcel = only(result, "Parcel delivery window opens")
    assert (parcel.start, parcel.end) == (at(24, 10), at(24, 10))
    assert not parcel.all_day
    payday = only(result, "Pay day")
    assert payday.all_day
    assert (payday.start, payday.end) == (at(27), at(28))
    green = named(result, "Green bin day")
    assert spans(green) == [(at(25), at(26))]
    pills = named(result, "Evening pills")
    assert spans(pills) == [(at(d, 21), at(d, 21)) for d in range(23, 30)]


# --- Daylight saving time in Toronto: 2026-11-01 and 2027-03-14 ---------------------------------

FALL = date(2026, 10, 19)  # three weeks around Sunday 2026-11-01 02:00 EDT -> 01:00 EST
SPRING = date(2027, 3, 8)  # two weeks around Sunday 2027-03-14 02:00 EST -> 03:00 EDT


def test_dst_zoned_series_keeps_its_wall_clock():
    brunch = named(read("dst-change", FALL, 21), "Sunday brunch")
    assert spans(brunch) == [
        (at(25, 11, month=10), at(25, 12, 30, month=10)),
        (at(1, 11), at(1, 12, 30)),
        (at(8, 11), at(8, 12, 30)),
    ]
    assert [utc(e.start).hour for e in sorted(brunch, key=lambda e: e.start)] == [15, 16, 16]
    spring = named(read("dst-change", SPRING, 14), "Sunday brunch")
    assert spans(spring) == [
        (at(14, 11, month=3, year=2027), at(14, 12, 30, month=3, year=2027)),
        (at(21, 11, month=3, year=2027), at(21, 12, 30, month=3, year=2027)),
    ]


def test_dst_utc_series_keeps_utc():
    # DTSTART in UTC with no X-WR-TIMEZONE: the instant repeats, so Toronto sees it move.
    fall = named(read("dst-change", FALL, 21), "Global all-hands")
    assert [e.start for e in sorted(fall, key=lambda e: e.start)] == [
        at(22, 12, month=10),
        at(29, 12, month=10),
        at(5, 11),
    ]
    spring = named(read("dst-change", SPRING, 14), "Global all-hands")
    assert [e.start for e in sorted(spring, key=lambda e: e.start)] == [
        at(11, 11, month=3, year=2027),
        at(18, 12, month=3, year=2027),
    ]


def test_dst_duration_is_exact_time_across_the_change():
    # RFC 5545 3.3.6: PT8H is eight real hours. From 22:00 EDT (02:00Z) that is 10:00Z,
    # 05:00 EST; adding 8 hours to the wall clock would give 06:00 EST, nine hours.
    shift = only(read("dst-change", FALL, 21), "Night shift")
    assert utc(shift.start) == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
    assert utc(shift.end) == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    assert utc(shift.end) - utc(shift.start) == timedelta(hours=8)


def test_dst_ambiguous_time_is_the_first_occurrence():
    # RFC 5545 3.3.5: 01:30 on 2026-11-01 happens twice; it means the first (EDT, 05:30Z).
    train = only(read("dst-change", FALL, 21), "Late train home")
    assert utc(train.start) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert utc(train.end) == datetime(2026, 11, 1, 7, 15, tzinfo=UTC)


def test_dst_all_day_on_the_change_day_lasts_25_hours():
    day = only(read("dst-change", FALL, 21), "Clocks go back")
    assert day.all_day
    assert (day.start, day.end) == (at(1), at(2))
    assert utc(day.end) - utc(day.start) == timedelta(hours=25)


def test_dst_nonexistent_time_moves_forward():
    # RFC 5545 3.3.5: 02:30 on 2027-03-14 does not exist; it is read with the offset before
    # the gap (EST): 07:30Z, which Toronto clocks show as 03:30 EDT.
    maintenance = only(read("dst-change", SPRING, 14), "Server maintenance")
    assert utc(maintenance.start) == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    assert utc(maintenance.end) == datetime(2027, 3, 14, 8, 0, tzinfo=UTC)
    assert (maintenance.start.hour, maintenance.start.minute) == (3, 30)
    assert maintenance.start.utcoffset() == timedelta(hours=-4)


# --- Tentative and transparent -------------------------------------------------------------------


def test_tentative():
    result = read("tentative")
    lunch = only(result, "Lunch & learn: accessibility")
    assert lunch.status is Status.TENTATIVE
    assert lunch.busy
    runs = sorted(named(result, "Run club"), key=lambda e: e.start)
    assert [(e.start, e.status) for e in runs] == [
        (at(24, 7), Status.TENTATIVE),
        (at(26, 7), Status.CONFIRMED),  # the confirmed exception of a tentative series
    ]
    gallery = only(result, "Maybe: gallery opening")
    assert gallery.status is Status.TENTATIVE
    assert gallery.transparent
    assert not gallery.busy


def test_transparent():
    result = read("transparent")
    busy = {e.summary: e.busy for e in result.events}
    assert busy == {
        "Focus time": False,  # TRANSP:TRANSPARENT
        "Client call": True,  # TRANSP:OPAQUE
        "Physio": True,  # no TRANSP: opaque by default
        "Weekend away": False,
        "Team lunch": False,  # cancelled, though opaque
        "Office hours (drop-in)": False,  # every occurrence of a transparent series
    }
    assert not only(result, "Physio").transparent
    assert not only(result, "Team lunch").transparent
    assert only(result, "Team lunch").status is Status.CANCELLED
    weekend = only(result, "Weekend away")
    assert weekend.all_day
    assert (weekend.start, weekend.end) == (at(28), at(30))


# --- The same event from two feeds ---------------------------------------------------------------


def test_two_feeds_list_each_event_once():
    meetup = read("two-feeds-duplicate-a").events
    digest = read("two-feeds-duplicate-b").events
    merged = dedupe(meetup + digest)
    assert sorted(e.summary for e in merged) == [
        "Data science study group",  # same venue and start, another event
        "Intro to Rust workshop",  # the digest's copy has another title but the same URL
        "Rust study group",
        "Toronto Python: Holiday Social",  # the digest's copy has the same title, start, venue
        "Workshop: Intro to Rust, part 2 (Rust Toronto)",  # same URL, another day
    ]
    assert {e.source for e in merged if e.uid.startswith("event_")} == {"two-feeds-duplicate-a.ics"}
    assert len(dedupe(digest + meetup)) == 5
