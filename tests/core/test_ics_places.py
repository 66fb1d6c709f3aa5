"""Where an event happens: GEO, Apple, Meetup, Outlook, Google and online events.

Each case is the text a real producer writes, parsed by icalendar as the
importer does, so that what icalendar does to it (a vGeo, a broken property,
a list for an unquoted parameter with commas) is part of the test.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.calendars import event_places as ics_places
from planner.core.calendars.event_places import (
    audit_places,
    place_from_component,
    read_place,
)
from planner.core.calendars.reading import read_bytes
from planner.core.model import Event, Place, Problem
from planner.core.travel.place_text import is_online_only, split_location

TZ = ZoneInfo("America/Toronto")
WEEK = datetime(2026, 11, 23, tzinfo=TZ)
END = WEEK + timedelta(days=7)

TEAMS_URL = (
    "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/"
    "19%3ameeting_NzQ1ZTk0MDAtYjM2%40thread.v2/0?context=%7b%22Tid%22%3a%22"
    "72f988bf%22%7d"
)
GOOGLE_CONFERENCE = "X-GOOGLE-CONFERENCE:https://meet.google.com/xvq-nmkd-pzr"
APPLE_MARS = (
    "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=101 College St\\\\nToronto ON "
    "M5G 1L7\\\\nCanada;X-APPLE-MAPKIT-HANDLE=CAESvAEIrk0QhdjqhLDq2PNBGhIJnZ4pV;"
    "X-APPLE-RADIUS=141.1748046875;X-APPLE-REFERENCEFRAME=1;"
    "X-TITLE=MaRS Discovery District:geo:43.659900,-79.388300"
)


def vevent(*lines: str, summary: str = "PMI Toronto: Holiday Mixer") -> icalendar.Event:
    """One VEVENT with these content lines, parsed from CRLF text like a real file."""
    body = "\r\n".join(lines)
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:mixer-1@example.org\r\nDTSTAMP:20261101T000000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        "DTSTART;TZID=America/Toronto:20261124T180000\r\n"
        "DTEND;TZID=America/Toronto:20261124T200000\r\n"
        f"{body}{chr(13) + chr(10) if body else ''}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (component,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    return component


def place(*lines: str) -> Place:
    return place_from_component(vevent(*lines))


def position(p: Place) -> tuple[float, float] | None:
    return (p.lat, p.lon) if p.lat is not None and p.lon is not None else None


# --- GEO ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected", "note"),
    [
        ("GEO:43.6599;-79.3883", (43.6599, -79.3883), ""),
        ("GEO:+43.6532;-79.3832", (43.6532, -79.3832), ""),
        ("GEO:+43.6532;+79.3832", (43.6532, 79.3832), ""),
        ("GEO:43.6532\\;-79.3832", (43.6532, -79.3832), ""),
        ("GEO:43.6532,-79.3832", (43.6532, -79.3832), ""),
        ("GEO:43,6532;-79,3832", (43.6532, -79.3832), ""),
        ("GEO: 43.6532 ; -79.3832 ", (43.6532, -79.3832), ""),
        ("GEO:0;0", None, "placeholder"),
        ("GEO:0.000000;0.000000", None, "placeholder"),
        ("GEO:95.5;200.1", None, "out of range"),
        ("GEO:43.6532;-200.0", None, "out of range"),
        ("GEO:-91.0;-181.0", None, "out of range"),
        ("GEO:unknown", None, "not a position"),
        ("GEO:abc;def", None, "not a position"),
        ("GEO:nan;nan", None, "not a position"),
        ("GEO:43.6532;-79.3832;76", None, "not a position"),
        ("GEO:", None, ""),
        # Vancouver with the numbers swapped: no latitude is -123, so the swap is certain.
        ("GEO:-123.1207;49.2827", (49.2827, -123.1207), "swapped"),
    ],
)
def test_geo(line, expected, note):
    found, notes = read_place(vevent(line))
    assert position(found) == expected
    if note:
        (message,) = notes
        assert note in message
        assert "'PMI Toronto: Holiday Mixer'" in message
    else:
        assert notes == []


def test_geo_with_the_event_location():
    found = place(
        "LOCATION:MaRS Discovery District\\, 101 College St\\, Toronto\\, ON M5G 1L7",
        "GEO:43.6599;-79.3883",
    )
    assert found == Place(
        "MaRS Discovery District", "101 College St, Toronto, ON M5G 1L7", 43.6599, -79.3883
    )


def test_meetups_two_decimal_geo_is_approximate():
    """Meetup rounds GEO to 0.01° (about a kilometre): usable, but not a venue's door."""
    found = place(
        "LOCATION:art club barcelona (bou de sant pere 8 bajos\\, Barcelona\\, Spain)",
        "GEO:41.40;2.17",
    )
    assert position(found) == (41.40, 2.17)
    assert found.approximate
    assert not place("GEO:43.6599;-79.3883").approximate


class _BrokenGeo:
    """What an older icalendar keeps for ``GEO:43.6532\\;-79.3832``: .latitude raises."""

    @property
    def latitude(self) -> float:
        raise ValueError("Expected 'float;float'")

    longitude = latitude

    def to_ical(self) -> bytes:
        return b"43.6532\\;-79.3832"


class _GetRaises(icalendar.Event):
    """A component whose ``get`` raises for GEO, as some icalendar versions did."""

    def get(self, key, default=None):
        if str(key).upper() == "GEO":
            raise ValueError("broken GEO")
        return super().get(key, default)


@pytest.mark.parametrize(
    "value",
    [
        icalendar.vText("43.6532\\;-79.3832"),
        "43.6532;-79.3832",
        _BrokenGeo(),
    ],
    ids=["vText with escaped separator", "plain str", "latitude raises"],
)
def test_geo_is_read_from_the_raw_text_when_icalendar_could_not(value):
    component = icalendar.Event()
    component["SUMMARY"] = "Mixer"
    component["GEO"] = value
    assert position(place_from_component(component)) == (43.6532, -79.3832)


def test_geo_is_read_even_when_get_raises():
    component = _GetRaises()
    component["GEO"] = icalendar.vText("43.6532;-79.3832")
    assert position(place_from_component(component)) == (43.6532, -79.3832)


def test_a_component_that_cannot_be_read_at_all_gives_an_empty_place():
    class Hostile:
        def get(self, name, default=None):
            raise RuntimeError("nothing works")

    assert place_from_component(Hostile()) == Place()
    assert read_place(Hostile()) == (Place(), [])


# --- Apple Calendar --------------------------------------------------------------------


def test_apple_structured_location():
    """Apple Calendar writes the venue on LOCATION's first line and never writes GEO."""
    found = place(
        "LOCATION:MaRS Discovery District\\n101 College St\\, Toronto ON M5G 1L7\\, Canada",
        APPLE_MARS,
    )
    assert found == Place(
        "MaRS Discovery District", "101 College St, Toronto ON M5G 1L7, Canada", 43.6599, -79.3883
    )


@pytest.mark.parametrize(
    ("location", "name", "address"),
    [
        ("", "MaRS Discovery District", "101 College St, Toronto ON M5G 1L7, Canada"),
        (
            "LOCATION:101 College St\\, Toronto",
            "MaRS Discovery District",
            "101 College St, Toronto",
        ),
        (
            "LOCATION:MaRS Discovery District",
            "MaRS Discovery District",
            "101 College St, Toronto ON M5G 1L7, Canada",
        ),
        ("LOCATION:MaRS", "MaRS", "101 College St, Toronto ON M5G 1L7, Canada"),
    ],
    ids=["no LOCATION", "address only", "name only", "short name"],
)
def test_apple_fills_what_location_leaves_out(location, name, address):
    found = place(*[line for line in (location, APPLE_MARS) if line])
    assert (found.name, found.address) == (name, address)
    assert position(found) == (43.6599, -79.3883)


def test_apple_quoted_parameters_and_a_city_sized_radius():
    """A 14 km radius is Apple's way of pinning a city: the point is approximate."""
    found = place(
        'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS="Toronto, ON, Canada";'
        'X-APPLE-RADIUS=14002.06;X-TITLE="Toronto":geo:43.653482,-79.383935'
    )
    assert (found.name, found.address) == ("Toronto", "Toronto, ON, Canada")
    assert position(found) == (43.653482, -79.383935)
    assert found.approximate


def test_apple_address_as_a_list_and_geo_first():
    """An unquoted X-ADDRESS with commas arrives as a list; a valid GEO wins over Apple's."""
    found = place(
        "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=620 King St W, Toronto;"
        "X-TITLE=Shopify Toronto:geo:43.6446,-79.3950",
        "GEO:43.6445;-79.3951",
    )
    assert (found.name, found.address) == ("Shopify Toronto", "620 King St W, Toronto")
    assert position(found) == (43.6445, -79.3951)


def test_apple_bad_geo_uri_keeps_the_names():
    found = place(
        "X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=Home:geo:0.000000,0.000000",
    )
    assert found.name == "Home"
    assert not found.has_position


# --- LOCATION that is a position --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "43.6532\\, -79.3832",
        "43.6532\\,-79.3832",
        "(43.6532\\, -79.3832)",
        "43.6532° N\\, 79.3832° W",
        "geo:43.6532\\,-79.3832",
    ],
)
def test_location_that_is_just_coordinates(text):
    found = place(f"LOCATION:{text}")
    assert position(found) == (43.6532, -79.3832)
    assert found.name  # shown as written, so the place is not "unknown"
    assert not found.address


def test_location_coordinates_swapped_beyond_90_are_corrected():
    assert position(place("LOCATION:-123.1207\\, 49.2827")) == (49.2827, -123.1207)


@pytest.mark.parametrize("text", ["12\\, 34", "Suite 12\\, 34 King St", "Room 43.5"])
def test_numbers_that_are_not_coordinates(text):
    assert not place(f"LOCATION:{text}").has_position


# --- Online events -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        ["LOCATION:Online event"],
        ["LOCATION:Online"],
        ["LOCATION:Virtual"],
        ["LOCATION:Webinar"],
        ["LOCATION:Online event (Zoom)"],
        ["LOCATION:Online event (Microsoft Teams\\, link sent after registration)"],
        ["LOCATION:https://us02web.zoom.us/j/85112345678?pwd=dGhpc2lzbm90YXJlYWw"],
        ["LOCATION:Zoom https://pmi-soc.zoom.us/j/86420135792"],
        ["LOCATION:Online: https://toronto-iiba.zoom.us/j/89051172634"],
        ["LOCATION:Online – Zoom https://utoronto.zoom.us/j/84127765310"],
        ["LOCATION:Zoom Meeting ID: 812 3456 7890 Passcode: 123456"],
        ["LOCATION:https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"],
        ["LOCATION:https://teams.live.com/meet/9358471200392"],
        ["LOCATION:Google Meet https://meet.google.com/kpd-wbsr-nqe"],
        ["LOCATION:https://acme.webex.com/acme/j.php?MTID=m7b8f0f1c2d3e4f5a6b7c8d9e0f1a2b3c"],
        ["LOCATION:https://whereby.com/torontojs"],
        ["LOCATION:https://global.gotomeeting.com/join/123456789"],
        ["LOCATION:https://meet.jit.si/TorontoPythonNight"],
        ["LOCATION:https://lu.ma/join/g-Xk3bq9LmP2aZrT"],
        # Outlook: the LOCATION it writes for a Teams meeting without a room.
        ["LOCATION:Microsoft Teams Meeting", TEAMS_URL],
        ["LOCATION:Microsoft Teams Meeting"],
        # Outlook and Google with no LOCATION at all.
        [TEAMS_URL],
        [GOOGLE_CONFERENCE],
        ["URL:https://lu.ma/join/g-Xk3bq9LmP2aZrT"],
        [
            "DESCRIPTION:Weekly sync.\\n\\nJoin with Google Meet: "
            "https://meet.google.com/xvq-nmkd-pzr\\nJoin by phone: +1 647-555-0199"
        ],
        ["DESCRIPTION:Toronto Product Managers\\nLocation: Online event\\nBring questions."],
    ],
)
def test_online_events(lines):
    found = place(*lines)
    assert found.virtual
    assert not found.has_position
    assert found.label == "online"


def test_online_event_ignores_a_geo_it_carries():
    """Meetup gives an online event its group's city as GEO; no travel is needed anyway."""
    found = place("LOCATION:Online event", "GEO:43.65;-79.38")
    assert found.virtual
    assert not found.has_position


@pytest.mark.parametrize(
    ("lines", "name", "address"),
    [
        (
            ["LOCATION:Online Marketing Institute\\, 123 King St W\\, Toronto\\, ON"],
            "Online Marketing Institute",
            "123 King St W, Toronto, ON",
        ),
        (
            ["LOCATION:Virtual Reality Lab\\, 200 University Ave\\, Toronto"],
            "Virtual Reality Lab",
            "200 University Ave, Toronto",
        ),
        (["LOCATION:Online Marketing Institute"], "Online Marketing Institute", ""),
        (
            ["LOCATION:MaRS Discovery District\\, 101 College St (also streamed on Zoom)"],
            "MaRS Discovery District",
            "101 College St",
        ),
        (
            ["LOCATION:Design Exchange\\, 234 Bay St\\, Toronto + livestream"],
            "Design Exchange",
            "234 Bay St, Toronto",
        ),
        (
            [
                "LOCATION:MaRS Discovery District (101 College St\\, Toronto) "
                "https://us02web.zoom.us/j/85112345678"
            ],
            "MaRS Discovery District",
            "101 College St, Toronto",
        ),
        # Outlook, a room and a Teams link: "; " separates its locations.
        (["LOCATION:Boardroom B\\; Microsoft Teams Meeting", TEAMS_URL], "Boardroom B", ""),
        # Google: a room with a Meet link is still a room.
        (
            ["LOCATION:Shopify Toronto\\, 620 King St W\\, Toronto", GOOGLE_CONFERENCE],
            "Shopify Toronto",
            "620 King St W, Toronto",
        ),
        (
            ["LOCATION:Steam Whistle Brewing (The Roundhouse)\\, 255 Bremner Blvd\\, Toronto"],
            "Steam Whistle Brewing (The Roundhouse)",
            "255 Bremner Blvd, Toronto",
        ),
        # An event page whose slug says "online" is not a meeting link.
        (
            ["URL:https://www.eventbrite.ca/e/online-marketing-mixer-tickets-1046283917625"],
            "",
            "",
        ),
        # A Luma event page (not /join) is used by in-person events too.
        (["URL:https://lu.ma/toronto-ai-mixer"], "", ""),
        # A physical position beats a meeting property.
        ([GOOGLE_CONFERENCE, "GEO:43.6599;-79.3883"], "", ""),
    ],
)
def test_physical_venues_that_mention_online_are_not_virtual(lines, name, address):
    found = place(*lines)
    assert not found.virtual
    assert (found.name, found.address) == (name, address)


@pytest.mark.parametrize(
    ("text", "online"),
    [
        ("Online event", True),
        ("Live stream", True),
        ("Remote", True),
        ("Online at the Library", False),
        ("Toronto (Online)", False),
        ("Hybrid: MaRS and Zoom", False),
        ("The Zoom Room, 12 Queen St", False),
        ("", False),
        ("TBA", False),
    ],
)
def test_is_online_only(text, online):
    assert is_online_only(text) is online


# --- Meetup ---------------------------------------------------------------------------------


def test_meetup_old_form_with_address_in_location():
    found = place(
        "LOCATION:Toronto Reference Library (789 Yonge St\\, Toronto\\, ON M4W 2G8)",
        "GEO:43.6718;-79.3867",
    )
    assert (found.name, found.address) == (
        "Toronto Reference Library",
        "789 Yonge St, Toronto, ON M4W 2G8",
    )


MEETUP_DESCRIPTION = (
    "DESCRIPTION:Toronto Python Meetup\\nTuesday\\, November 24 at 6:30 PM\\n\\n"
    "Lightning talks and pizza. Doors open at 6.\\n\\n{place}\\n\\n"
    "https://www.meetup.com/pythontoronto/events/311845270/"
)


@pytest.mark.parametrize(
    ("location", "described", "name", "address"),
    [
        (
            "LOCATION:Shopify Toronto",
            "Location: Shopify Toronto\\, 620 King St W\\, Toronto\\, ON",
            "Shopify Toronto",
            "620 King St W, Toronto, ON",
        ),
        (
            "",
            "Location: Shopify Toronto\\, 620 King St W\\, Toronto\\, ON",
            "Shopify Toronto",
            "620 King St W, Toronto, ON",
        ),
        (
            "LOCATION:Shopify Toronto",
            "Shopify Toronto\\n620 King St W\\, Toronto\\, ON M5V 1M6",
            "Shopify Toronto",
            "620 King St W, Toronto, ON M5V 1M6",
        ),
        (
            "LOCATION:Shopify Toronto",
            "Shopify Toronto\\, 620 King St W\\, Toronto\\, ON",
            "Shopify Toronto",
            "620 King St W, Toronto, ON",
        ),
        (
            "",
            "📍 Location: Shopify Toronto\\n620 King St W\\, Toronto\\, ON",
            "Shopify Toronto",
            "620 King St W, Toronto, ON",
        ),
        (
            "LOCATION:Shopify Toronto",
            "Venue: 620 King St W\\, Toronto\\, ON",
            "Shopify Toronto",
            "620 King St W, Toronto, ON",
        ),
        (
            "LOCATION:Le Livart",
            "Adresse : 1317 rue Sherbrooke O\\, Montréal\\, QC",
            "Le Livart",
            "1317 rue Sherbrooke O, Montréal, QC",
        ),
        # Not the venue: an address in a sentence, and a placeholder.
        (
            "LOCATION:Shopify Toronto",
            "Parking is free at 100 Queen St W after 6.",
            "Shopify Toronto",
            "",
        ),
        ("LOCATION:Shopify Toronto", "Location: TBA", "Shopify Toronto", ""),
        # LOCATION's own address wins.
        (
            "LOCATION:Shopify Toronto (620 King St W\\, Toronto)",
            "Location: Somewhere Else\\, 1 Yonge St",
            "Shopify Toronto",
            "620 King St W, Toronto",
        ),
    ],
)
def test_meetup_address_recovered_from_description(location, described, name, address):
    lines = [line for line in (location, MEETUP_DESCRIPTION.format(place=described)) if line]
    found = place(*lines)
    assert (found.name, found.address) == (name, address)
    assert not found.virtual


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            "MaRS Discovery District\n101 College St, Toronto ON M5G 1L7, Canada",
            ("MaRS Discovery District", "101 College St, Toronto ON M5G 1L7, Canada"),
        ),
        ("620 King St W\nToronto ON", ("", "620 King St W, Toronto ON")),
        ("  Boardroom B \n", ("Boardroom B", "")),
    ],
)
def test_split_location_apple_line_breaks(location, expected):
    assert split_location(location) == expected


# --- audit_places ---------------------------------------------------------------------------


def feed(*events: str) -> bytes:
    body = "\r\n".join(e.strip().replace("\n", "\r\n") for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Aggregator//Events//EN\r\n"
        f"{body}\r\nEND:VCALENDAR\r\n"
    ).encode()


def feed_event(uid: str, day: int, summary: str, location: str, geo: str) -> str:
    return f"""
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261101T000000Z
SUMMARY:{summary}
DTSTART;TZID=America/Toronto:202611{day:02d}T180000
DTEND;TZID=America/Toronto:202611{day:02d}T200000
LOCATION:{location}
GEO:{geo}
END:VEVENT
"""


def test_city_centroid_geo_is_dropped_once_for_the_feed():
    data = feed(
        feed_event(
            "a", 23, "AI Tinkerers", "Shopify\\, 620 King St W\\, Toronto", "43.6532;-79.3832"
        ),
        feed_event("b", 24, "PM Mixer", "MaRS\\, 101 College St\\, Toronto", "43.6532;-79.3832"),
        feed_event("c", 25, "UX Night", "DMZ\\, 10 Dundas St E\\, Toronto", "43.6532;-79.3832"),
        feed_event("d", 26, "Online AMA", "Online event", "43.6532;-79.3832"),
    )
    # read_bytes audits each file's places itself.
    result = read_bytes(data, "aggregator.ics", TZ, WEEK, END)
    events = result.events
    problems = [str(p) for p in result.problems if "centre" in str(p)]
    assert [e.uid for e in events] == ["a", "b", "c", "d"]
    assert not any(e.place.has_position for e in events)
    assert [e.place.name for e in events if not e.place.virtual] == ["Shopify", "MaRS", "DMZ"]
    assert events[0].place.address == "620 King St W, Toronto"
    (problem,) = problems
    assert problem.startswith("aggregator.ics: 3 events ('AI Tinkerers', 'PM Mixer', 'UX Night')")
    assert "city's centre" in problem


@pytest.mark.parametrize(
    "locations",
    [
        # One venue, a weekly series: same GEO, same LOCATION.
        ["MaRS\\, 101 College St"] * 3,
        # Rooms of one building: the address is the same.
        [
            "MaRS Auditorium\\, 101 College St",
            "MaRS Room 2\\, 101 College St",
            "MaRS Atrium\\, 101 College St",
        ],
    ],
    ids=["same venue", "rooms of one building"],
)
def test_a_shared_geo_for_one_venue_is_kept(locations):
    data = feed(
        *(
            feed_event(f"u{i}", 23 + i, f"Talk {i}", loc, "43.6599;-79.3883")
            for i, loc in enumerate(locations)
        )
    )
    events, problems = audit_places(read_bytes(data, "mars.ics", TZ, WEEK, END).events)
    assert problems == []
    assert all(position(e.place) == (43.6599, -79.3883) for e in events)


def test_two_events_are_too_few_to_call_a_centroid():
    data = feed(
        feed_event("a", 23, "One", "Shopify\\, 620 King St W", "43.6532;-79.3832"),
        feed_event("b", 24, "Two", "MaRS\\, 101 College St", "43.6532;-79.3832"),
    )
    events, problems = audit_places(read_bytes(data, "x.ics", TZ, WEEK, END).events)
    assert problems == []
    assert all(e.place.has_position for e in events)


def ev(summary: str, lat: float | None, lon: float | None, uid: str = "", day: int = 23) -> Event:
    start = datetime(2026, 11, day, 18, tzinfo=TZ)
    return Event(
        uid=uid or summary,
        summary=summary,
        start=start,
        end=start + timedelta(hours=2),
        place=Place(name=summary, lat=lat, lon=lon),
        source="feed.ics",
    )


TORONTO = [
    ev("MaRS", 43.6599, -79.3883),
    ev("Shopify", 43.6446, -79.3950),
    ev("Whitby Library", 43.8779, -78.9382),
    ev("Markham Civic Centre", 43.8561, -79.3370),
]


def test_swap_revealed_by_the_feeds_region_is_corrected():
    swapped = ev("Design Exchange", -79.3806, 43.6478)
    events, problems = audit_places([*TORONTO, swapped])
    assert events[:4] == TORONTO
    assert position(events[4].place) == (43.6478, -79.3806)
    assert events[4].place.name == "Design Exchange"
    (problem,) = map(str, problems)
    assert problem.startswith("feed.ics: 'Design Exchange': ")
    assert "swapped" in problem


def test_a_recurring_swap_is_corrected_everywhere_and_said_once():
    series = [ev("Hockey", -79.0, 43.9, uid="hockey", day=d) for d in (24, 26)]
    events, problems = audit_places([*TORONTO, *series])
    assert [position(e.place) for e in events[4:]] == [(43.9, -79.0)] * 2
    assert len(problems) == 1


@pytest.mark.parametrize(
    "events",
    [
        # No region: a continent-wide feed says nothing about what is swapped.
        [
            ev("Toronto", 43.65, -79.38),
            ev("Vancouver", 49.28, -123.12),
            ev("Halifax", 44.65, -63.58),
            ev("Calgary", 51.05, -114.07),
            ev("Odd", -79.38, 43.65),
        ],
        # Near the lat = lon diagonal a swap moves a point only ~400 km: Armavir is real.
        [
            ev("Tbilisi 1", 41.7151, 44.8271),
            ev("Tbilisi 2", 41.6938, 44.8015),
            ev("Tbilisi 3", 41.7250, 44.7900),
            ev("Armavir", 45.0, 41.1),
        ],
        # A genuinely distant event whose swap lands nowhere near the region.
        [*TORONTO, ev("Berlin conference", 52.52, 13.405)],
    ],
    ids=["no region", "near the diagonal", "distant but real"],
)
def test_no_swap_without_certainty(events):
    assert audit_places(events) == (events, [])


@pytest.mark.parametrize(
    ("lat", "lon", "expected", "word"),
    [
        (-123.1207, 49.2827, (49.2827, -123.1207), "swapped"),
        (95.0, 200.0, None, "not a valid"),
        (float("nan"), -79.38, None, "not a valid"),
        (43.65, float("inf"), None, "not a valid"),
    ],
)
def test_out_of_range_positions_from_anywhere(lat, lon, expected, word):
    events, problems = audit_places([ev("Mixer", lat, lon)])
    assert position(events[0].place) == expected
    (problem,) = map(str, problems)
    assert word in problem
    assert "'Mixer'" in problem


def test_audit_of_nothing_and_of_online_events():
    assert audit_places([]) == ([], [])
    online = [
        Event(
            uid=f"o{i}",
            summary=f"Webinar {i}",
            start=WEEK,
            end=WEEK + timedelta(hours=1),
            place=Place(name="online", virtual=True),
        )
        for i in range(4)
    ]
    assert audit_places(online) == (online, [])


# --- Never raises ----------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=60)
_GEOISH = st.one_of(
    _TEXT,
    st.builds(
        lambda a, sep, b: f"{a}{sep}{b}",
        st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), _TEXT),
        st.sampled_from([";", "\\;", ",", "\\\\;", " ; ", ";;"]),
        st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), _TEXT),
    ),
)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _valid_place(found: Place) -> None:
    if found.has_position:
        assert found.lat is not None and found.lon is not None
        assert -90 <= found.lat <= 90
        assert -180 <= found.lon <= 180
        assert (found.lat, found.lon) != (0, 0)
    if found.virtual:
        assert not found.has_position


@settings(max_examples=300, deadline=None)
@given(geo=_GEOISH, location=_TEXT, title=_TEXT.filter(lambda t: '"' not in t))
def test_place_from_component_never_raises(geo, location, title):
    component = vevent(
        f"GEO:{geo}",
        f"LOCATION:{_escaped(location)}",
        f'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE="{title}":geo:{geo.replace(";", ",")}',
    )
    # The guard in read_place is a last resort: the parsing itself must not need it.
    found, notes = ics_places._read_place(component)
    _valid_place(found)
    assert all(isinstance(n, str) for n in notes)
    _valid_place(place_from_component(component))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.sampled_from(["A, 1 King St", "B, 2 Queen St", "C", ""]),
        ),
        max_size=8,
    )
)
def test_audit_places_never_raises_and_leaves_only_valid_positions(rows):
    events = [
        Event(
            uid=f"u{i}",
            summary=f"Event {i}",
            start=WEEK,
            end=WEEK + timedelta(hours=1),
            place=Place(*split_location(loc), lat=lat, lon=lon),
        )
        for i, (lat, lon, loc) in enumerate(rows)
    ]
    audited, problems = audit_places(events)
    assert len(audited) == len(events)
    for before, after in zip(events, audited, strict=True):
        assert after.uid == before.uid
        assert (after.place.name, after.place.address) == (before.place.name, before.place.address)
        if after.place.lat is not None and after.place.lon is not None:
            assert -90 <= after.place.lat <= 90
            assert -180 <= after.place.lon <= 180
    assert all(isinstance(p, Problem) for p in problems)
