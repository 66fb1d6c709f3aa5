"""An event read from its web page: each markup form, each bad page, the limits.

Every page is served by a real HTTP server on 127.0.0.1 (the ``site`` fixture);
nothing here touches the internet.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Status
from planner.core.storage.feed_download import Limits
from planner.core.web.fetch import PAGE_LIMITS, WebError, fetch_page
from planner.core.web.reading import read_link
from tests.feed_server import Reply
from tests.web import pages

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 12, 1, 9, tzinfo=TORONTO)
HTML = "text/html; charset=utf-8"


def serve(site, path: str, body: bytes, content_type: str = HTML, **more) -> str:
    site.replies[path] = Reply(body, content_type=content_type, **more)
    return site.url(path)


def read(site, path: str, body: bytes, **more):
    return read_link(serve(site, path, body, **more), TORONTO, REFERENCE)


def local(moment: datetime) -> str:
    return moment.astimezone(TORONTO).strftime("%a %d %b %H:%M")


# --- each markup form --------------------------------------------------------------------


def test_a_ticketing_page_json_ld_object_with_offset_place_geo_and_entities(site):
    reading = read(site, "/e/durham-founders-night-1234567", pages.TICKETING)
    assert reading.problems == []
    (item,) = reading.events
    event = item.event
    assert event.summary == "Durham Founders & Funders Night: Pitch 'n' Mingle"
    assert event.description == "Meet founders & investors from across Durham Region."
    assert event.start.isoformat() == "2026-12-10T18:30:00-05:00"
    assert event.end.isoformat() == "2026-12-10T21:00:00-05:00"
    assert event.place.name == "Spark Centre"
    assert event.place.address == "2 Simcoe St S, Oshawa, ON L1H 7N1, CA"
    assert (event.place.lat, event.place.lon) == (43.8971, -78.8658)
    assert not event.place.virtual
    assert event.cost == 25.0
    assert event.url == "https://tickets.example.org/e/durham-founders-night-1234567"
    assert event.status is Status.CONFIRMED
    assert item.assumed == ()  # everything was on the page
    assert event.uid.startswith("web-")


def test_a_group_page_json_ld_list_online_in_utc_and_free(site):
    reading = read(site, "/toronto-python-night/events/301234567/", pages.GROUP_EVENT)
    (item,) = reading.events  # the Organization beside it is no event
    event = item.event
    assert event.summary == "Remote Lightning Talks"
    assert event.start == datetime(2026, 12, 9, 23, 30, tzinfo=UTC)
    assert local(event.start) == "Wed 09 Dec 18:30"
    assert event.place.virtual
    assert event.cost == 0.0
    assert item.assumed == ()


def test_a_graph_with_no_offset_no_end_and_a_plain_address_says_what_it_assumed(site):
    (item,) = read(site, "/mixer", pages.COMMUNITY_GRAPH).events
    event = item.event
    assert event.summary == "Whitby Tech Holiday Mixer"
    assert event.start == datetime(2026, 12, 17, 18, tzinfo=TORONTO)
    assert event.start.tzinfo == TORONTO
    assert event.end == datetime(2026, 12, 17, 19, 30, tzinfo=TORONTO)
    assert (event.place.name, event.place.address) == (
        "Brock Street Brewing",
        "244 Brock St S, Whitby, ON",
    )
    assert event.place.lat is None
    assert event.cost == 0.0
    assert {a.part for a in item.assumptions} == {"start", "end"}
    assert "the page gives no time zone: 18:00 read in America/Toronto" in item.assumed
    assert "no end time on the page: 90 minutes assumed" in item.assumed


def test_microdata_with_several_events_reads_them_all_and_the_lowest_general_price(site):
    reading = read(site, "/chapter/meetings", pages.ASSOCIATION_MICRODATA)
    first, second = (item.event for item in reading.events)
    assert first.summary == "Estimating When Everything Is Uncertain"
    assert first.start.isoformat() == "2026-12-08T18:00:00-05:00"
    assert first.place.name == "Albany Club"
    assert first.place.address == "91 King St E, Toronto, ON"
    # Member $45, Non-member $65, Student $20: a guest pays 65, and that is marked.
    assert first.cost == 65.0
    (note,) = reading.events[0].assumed_about("cost")
    assert "the lowest general price of 3" in note
    assert second.summary == "Agile Portfolio Planning Workshop"
    assert second.end.isoformat() == "2026-12-15T20:00:00-05:00"  # PT2H
    assert second.place.address == "91 King St E, Toronto, ON"
    assert second.cost is None  # no price given: none invented


def test_rdfa(site):
    (item,) = read(site, "/bot/after-hours", pages.RDFA).events
    event = item.event
    assert event.summary == "Markham Board of Trade: Business After Hours"
    assert event.start.isoformat() == "2026-12-14T17:15:00-05:00"
    assert event.place.name == "Hilton Toronto/Markham Suites"
    assert event.place.address == "8500 Warden Ave, Markham"
    assert event.cost == 30.0


def test_mixed_attendance_keeps_the_venue(site):
    (item,) = read(site, "/devops", pages.MIXED).events
    assert not item.event.place.virtual
    assert item.event.place.name == "MaRS Discovery District"
    assert item.event.cost == 0.0


def test_cancelled_postponed_and_rescheduled(site):
    cancelled, postponed, rescheduled = read(site, "/statuses", pages.STATUSES).events
    assert cancelled.event.status is Status.CANCELLED
    assert "the page says this event is cancelled" in cancelled.assumed
    assert postponed.event.status is Status.TENTATIVE
    assert any("postponed" in text for text in postponed.assumed)
    assert rescheduled.event.status is Status.CONFIRMED
    assert rescheduled.event.start.isoformat() == "2026-12-16T18:00:00-05:00"
    assert any("rescheduled" in t and "2026-12-02" in t for t in rescheduled.assumed)
    assert cancelled.event.place.address == "65 Bagot St"


def test_a_page_with_only_a_calendar_link_reads_that_calendar(site):
    serve(site, "/events/wit-dec.ics", pages.ICS_ONLY, content_type="text/calendar")
    reading = read(site, "/events/wit-dec", pages.LINK_ALTERNATE)
    (item,) = reading.events
    assert item.event.summary == "Women in Tech Durham: December Social"
    assert item.event.start == datetime(2026, 12, 12, 14, tzinfo=TORONTO)
    place = item.event.place
    assert (place.name, place.address) == ("Regent Theatre", "50 King St E, Oshawa")
    assert reading.read_from == site.url("/events/wit-dec.ics")
    assert [path for path, _ in site.requests] == ["/events/wit-dec", "/events/wit-dec.ics"]


def test_an_add_to_calendar_link_is_followed_too(site):
    ics = "/events/wit-dec/ical?download=1&format=ics"
    serve(site, ics, pages.ICS_ONLY, content_type="text/calendar")
    (item,) = read(site, "/events/wit-dec", pages.ADD_TO_CALENDAR).events
    assert item.event.summary == "Women in Tech Durham: December Social"


def test_a_link_straight_to_an_ics_file(site):
    url = serve(site, "/wit.ics", pages.ICS_ONLY, content_type="text/calendar")
    (item,) = read_link(url, TORONTO, REFERENCE).events
    assert item.event.summary == "Women in Tech Durham: December Social"


# --- bad pages ---------------------------------------------------------------------------


def test_a_page_without_an_event_says_so_and_invents_nothing(site):
    with pytest.raises(WebError) as caught:
        read(site, "/blog/why-network", pages.NO_EVENT)
    assert str(caught.value) == (
        "127.0.0.1: no event found on the page: it has no schema.org Event markup "
        "and no calendar link"
    )


def test_a_page_whose_events_are_all_unusable_says_why_not_that_it_has_none(site):
    page = pages.html(
        pages.json_ld(
            {"@context": "https://schema.org", "@type": "Event", "name": "Mixer, date to come"}
        )
    )
    with pytest.raises(WebError) as caught:
        read(site, "/mixer", page)
    said = str(caught.value)
    assert said.startswith("127.0.0.1: no event planner can use on the page (")
    assert "Mixer, date to come" in said and "Event markup" not in said


def test_broken_json_ld_is_said(site):
    with pytest.raises(WebError, match=r"no event found.*JSON-LD cannot be read"):
        read(site, "/half", pages.BROKEN_JSON_LD)


def test_broken_json_ld_beside_good_microdata_costs_only_the_json_ld(site):
    reading = read(site, "/chapter", pages.BROKEN_JSON_LD_WITH_MICRODATA)
    assert len(reading.events) == 2
    assert reading.problems and "JSON-LD cannot be read" in reading.problems[0]


@pytest.mark.parametrize("length", [True, False], ids=["declared", "undeclared"])
def test_a_page_over_5_mb_is_refused(site, length):
    huge = pages.html(body="<p>" + "x" * (5 * 1024 * 1024) + "</p>")
    with pytest.raises(WebError, match=r"^127\.0\.0\.1 sent a page larger than 5 MB"):
        read(site, "/huge", huge, length=length)


def test_a_slow_page_is_stopped_at_the_total_limit(site):
    limits = Limits(timeout=5.0, total_seconds=0.5, max_bytes=PAGE_LIMITS.max_bytes, noun="page")
    url = serve(site, "/slow", pages.TICKETING, drip=0.05)
    with pytest.raises(WebError, match=r"took over 0.5 s in all to send the page"):
        read_link(url, TORONTO, REFERENCE, limits=limits)


def test_the_page_limits_are_those_promised():
    assert (PAGE_LIMITS.timeout, PAGE_LIMITS.total_seconds) == (10.0, 30.0)
    assert PAGE_LIMITS.max_bytes == 5 * 1024 * 1024


def test_a_redirect_to_file_is_refused(site):
    site.replies["/go"] = Reply(status=302, location="file:///etc/passwd")
    with pytest.raises(WebError, match=r"redirected to another kind of address \(file:\)"):
        read_link(site.url("/go"), TORONTO, REFERENCE)


@pytest.mark.parametrize("link", ["file:///etc/passwd", "javascript:alert(1)", "data:text/html,x"])
def test_other_schemes_are_refused_before_any_request(site, link):
    with pytest.raises(WebError, match="planner reads only http and https pages"):
        read_link(link, TORONTO, REFERENCE)
    assert site.requests == []


def test_too_many_redirects(site):
    for hop in range(7):
        site.replies[f"/r{hop}"] = Reply(status=302, location=f"/r{hop + 1}")
    with pytest.raises(WebError, match="redirected more than 5 times"):
        read_link(site.url("/r0"), TORONTO, REFERENCE)
    assert len(site.requests) == 6  # the first and five redirects followed


def test_a_missing_page(site):
    with pytest.raises(WebError, match=r"has no page at this address \(HTTP 404"):
        read_link(site.url("/gone"), TORONTO, REFERENCE)


def test_polite_no_cookies_no_credentials_planners_user_agent(site):
    site.replies["/login-wall"] = Reply(
        status=302, location="/e/1", headers=(("Set-Cookie", "session=abc; Path=/"),)
    )
    serve(site, "/e/1", pages.TICKETING)
    with_user = site.url("/login-wall").replace("http://", "http://sam:secret@")
    assert len(read_link(with_user, TORONTO, REFERENCE).events) == 1
    for _path, headers in site.requests:
        names = {name.lower() for name in headers}
        assert "cookie" not in names
        assert "authorization" not in names
        assert headers["User-Agent"].startswith("planner/")
        assert "text/html" in headers["Accept"]


def test_fetch_page_returns_the_bytes(site):
    page = fetch_page(serve(site, "/e/1", pages.TICKETING))
    assert page.body == pages.TICKETING
    assert page.content_type == "text/html"


def test_the_same_event_in_json_ld_and_microdata_is_one_event(site):
    both = pages.TICKETING.replace(
        b"</main>",
        b'<div itemscope itemtype="https://schema.org/BusinessEvent">'
        b"<span itemprop=\"name\">Durham Founders &amp; Funders Night: Pitch 'n' Mingle</span>"
        b'<meta itemprop="startDate" content="2026-12-10T18:30:00-05:00"></div></main>',
    )
    assert len(read(site, "/both", both).events) == 1
