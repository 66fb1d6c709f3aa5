"""The venues a feed leaves out, read from each event's page: with consent, once per
version of the event, politely (paced per host, robots.txt obeyed), kept in the store,
and used by the plan. Every page is served by a real HTTP server on 127.0.0.1."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Place, Source
from planner.core.planning.report import decision_json, plan_table
from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings
from planner.core.storage.feed_download import Limits
from planner.core.storage.feed_venues import READ_FROM_PAGE
from planner.core.storage.feeds import refresh
from planner.core.storage.store import Store
from planner.core.web.fetch import PAGE_LIMITS
from planner.core.web.polite import HostPacer
from planner.core.web.venues import fill_venues
from tests.feed_server import Reply
from tests.web.meetup import (
    BREWERY,
    HTML,
    SPARK,
    Venue,
    event_path,
    feed_event,
    pages_asked,
    serve_feed,
    serve_page,
)
from tests.web.pages import NO_EVENT

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=TORONTO)  # a Monday
WED = datetime(2026, 12, 9, 18, 0)  # wall clock, as the feed writes it
THU = datetime(2026, 12, 10, 18, 30)
FRI = datetime(2026, 12, 11, 12, 0)
HOME = Place(name="home", address="Oshawa", lat=43.8971, lon=-78.8658)


def aware(wall: datetime) -> datetime:
    return wall.replace(tzinfo=TORONTO)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def no_wait() -> HostPacer:
    return HostPacer(0)


def subscribe(store: Store, site, *events: str) -> Source:
    source = Source(serve_feed(site, *events), "candidates")
    result = refresh(store, source, NOW)
    assert result.error == "", result.error
    return source


def week_events(store: Store, source: Source):
    mine, theirs, problems = store.feed_copies(
        [source], NOW - timedelta(days=1), NOW + timedelta(days=7)
    )
    assert problems == []
    return {e.summary: e for e in mine + theirs}


def two_events_and_one_located(site) -> tuple[str, ...]:
    serve_page(site, 1, aware(WED), SPARK)
    serve_page(site, 2, aware(THU), BREWERY)
    serve_page(site, 3, aware(FRI), SPARK)
    return (
        feed_event(site, 1, WED),
        feed_event(site, 2, THU),
        feed_event(site, 3, FRI, "LOCATION:Library\\, 65 Queen St W\\, Toronto", title="Lunch"),
    )


# --- filling -------------------------------------------------------------------------------


def test_the_venue_is_read_from_each_page_and_an_event_with_a_place_is_never_fetched(store, site):
    source = subscribe(store, site, *two_events_and_one_located(site))
    site.requests.clear()

    filled = fill_venues(store, NOW, pacer=no_wait())

    assert filled.summary == "filled 2 venues from event pages"
    assert pages_asked(site) == ["/robots.txt", event_path(1), event_path(2)]
    agent = site.requests[1][1]["User-Agent"]
    assert agent.startswith("planner/")
    events = week_events(store, source)
    first = events["Founders Coffee #1"].place
    assert (first.name, first.address) == ("Spark Centre", "2 Simcoe St S, Oshawa, ON, ca")
    assert (first.lat, first.lon) == (SPARK.lat, SPARK.lon)
    assert first.note == READ_FROM_PAGE
    assert events["Founders Coffee #2"].place.name == "Brock Street Brewing"
    assert events["Lunch"].place.name == "Library"  # the feed's own place
    assert events["Lunch"].place.note == ""


def test_an_online_event_page_makes_the_event_online(store, site):
    serve_page(site, 1, aware(WED), None)
    source = subscribe(store, site, feed_event(site, 1, WED))
    assert fill_venues(store, NOW, pacer=no_wait()).summary == "filled 1 venue from event pages"
    place = week_events(store, source)["Founders Coffee #1"].place
    assert place.virtual and place.label == "online"


def test_a_page_listing_several_events_gives_the_one_with_this_start(store, site):
    # A group page listing its next events: the one that starts when the feed's does.
    from tests.web.meetup import event_page

    other = event_page(site, 9, aware(THU), BREWERY, title="Another")
    mine = event_page(site, 1, aware(WED), SPARK)
    both = mine.replace(
        b"</head>", other.split(b"<title>Events</title>")[1].split(b"</head>")[0] + b"</head>"
    )
    site.replies[event_path(1)] = Reply(both, 200, HTML)
    source = subscribe(store, site, feed_event(site, 1, WED))
    fill_venues(store, NOW, pacer=no_wait())
    assert week_events(store, source)["Founders Coffee #1"].place.name == "Spark Centre"


def test_a_page_showing_another_date_of_the_series_gives_no_venue(store, site):
    """A feed event whose link leads to the series' page, which shows only its next
    date: a group may meet somewhere else each time, so that venue is not taken."""
    serve_page(site, 1, aware(THU), BREWERY)  # the page: Thursday's meeting
    source = subscribe(store, site, feed_event(site, 1, WED))  # the feed: Wednesday's
    filled = fill_venues(store, NOW, pacer=no_wait())
    assert dict(filled.failed)["Founders Coffee #1"] == (
        "127.0.0.1: the page describes the event of Thu 10 Dec 18:30, not this one"
    )
    assert week_events(store, source)["Founders Coffee #1"].place.name == ""


def test_a_page_without_an_offset_a_few_hours_off_is_still_this_event(store, site):
    serve_page(site, 1, aware(WED) + timedelta(hours=5), SPARK)  # read in another zone
    source = subscribe(store, site, feed_event(site, 1, WED))
    fill_venues(store, NOW, pacer=no_wait())
    assert week_events(store, source)["Founders Coffee #1"].place.name == "Spark Centre"


def test_a_page_giving_only_the_day_of_the_event_is_still_this_event(store, site):
    """schema.org allows a date alone as the startDate: the evening event of that day is
    this one (its "start", midnight, is 18 hours before the feed's 18:00)."""
    serve_page(site, 1, WED.date(), SPARK)  # "startDate": "2026-12-09"
    source = subscribe(store, site, feed_event(site, 1, WED))
    fill_venues(store, NOW, pacer=no_wait())
    assert week_events(store, source)["Founders Coffee #1"].place.name == "Spark Centre"


def test_a_feed_event_giving_the_day_alone_takes_the_venue_of_that_day(store, site):
    serve_page(site, 1, aware(WED), SPARK)  # 18:00, 18 hours after the feed's midnight
    whole_day = "\r\n".join(
        [
            "BEGIN:VEVENT",
            "UID:event_301234501@meetup.com",
            "SUMMARY:Founders Coffee #1",
            "DTSTART;VALUE=DATE:20261209",
            "DTEND;VALUE=DATE:20261210",
            f"URL;VALUE=URI:{site.url(event_path(1))}",
            "END:VEVENT",
        ]
    )
    source = subscribe(store, site, whole_day)
    filled = fill_venues(store, NOW, pacer=no_wait())
    assert filled.failed == []
    assert week_events(store, source)["Founders Coffee #1"].place.name == "Spark Centre"


def test_a_venue_name_with_half_an_emoji_is_kept_not_a_crash(store, site):
    """JSON-LD may escape half of a surrogate pair ("Caf\\ud83d"): json reads it as a lone
    surrogate, which no UTF-8 database takes; the venue is kept with U+FFFD in its
    place, and fill_venues, which never raises, did raise UnicodeEncodeError."""
    odd = Venue("Caf\ud83d", SPARK.street, SPARK.city, SPARK.lat, SPARK.lon)
    serve_page(site, 1, aware(WED), odd)
    source = subscribe(store, site, feed_event(site, 1, WED))
    filled = fill_venues(store, NOW, pacer=no_wait())
    assert filled.failed == [] and filled.error == ""
    assert week_events(store, source)["Founders Coffee #1"].place.name == "Caf\ufffd"


def test_a_page_giving_only_another_day_is_another_date(store, site):
    serve_page(site, 1, THU.date(), BREWERY)
    source = subscribe(store, site, feed_event(site, 1, WED))
    filled = fill_venues(store, NOW, pacer=no_wait())
    assert dict(filled.failed)["Founders Coffee #1"] == (
        "127.0.0.1: the page describes the event of Thu 10 Dec, not this one"
    )
    assert week_events(store, source)["Founders Coffee #1"].place.name == ""


def test_one_run_reads_at_most_so_many_pages_and_the_next_run_goes_on(store, site):
    events = two_events_and_one_located(site)
    serve_page(site, 4, aware(FRI + timedelta(hours=6)), BREWERY)
    source = subscribe(store, site, *events, feed_event(site, 4, FRI + timedelta(hours=6)))

    first = fill_venues(store, NOW, pacer=no_wait(), max_pages=2)
    assert first.summary == (
        "filled 2 venues from event pages; 1 more is left for the next refresh"
    )
    second = fill_venues(store, NOW, pacer=no_wait(), max_pages=2)
    assert second.found == ["Founders Coffee #4"]
    assert week_events(store, source)["Founders Coffee #4"].place.name == "Brock Street Brewing"


# --- once per version -------------------------------------------------------------------------


def test_a_second_refresh_fetches_nothing_and_a_changed_event_is_fetched_again(store, site):
    events = two_events_and_one_located(site)
    source = subscribe(store, site, *events)
    fill_venues(store, NOW, pacer=no_wait())
    site.requests.clear()

    assert refresh(store, source, NOW + timedelta(hours=5)).error == ""
    again = fill_venues(store, NOW + timedelta(hours=5), pacer=no_wait())
    assert (again.summary, again.requests) == ("", 0)
    assert pages_asked(site) == []

    # The organiser moves event 2 to another venue and the feed's copy changes.
    serve_page(site, 2, aware(THU + timedelta(hours=1)), SPARK)
    moved = feed_event(site, 2, THU + timedelta(hours=1), "SEQUENCE:1")
    serve_feed(site, events[0], moved, events[2])
    assert refresh(store, source, NOW + timedelta(hours=10)).changed
    site.requests.clear()
    filled = fill_venues(store, NOW + timedelta(hours=10), pacer=no_wait())
    assert filled.summary == "filled 1 venue from event pages"
    assert pages_asked(site) == ["/robots.txt", event_path(2)]
    assert week_events(store, source)["Founders Coffee #2"].place.name == "Spark Centre"


def test_venues_are_kept_across_restarts(tmp_path, site):
    path = tmp_path / "planner.sqlite3"
    with Store.open(path) as first:
        source = subscribe(first, site, *two_events_and_one_located(site))
        fill_venues(first, NOW, pacer=no_wait())
    site.requests.clear()
    with Store.open(path) as second:
        assert second.venues_wanted(NOW) == []
        assert fill_venues(second, NOW, pacer=no_wait()).requests == 0
        assert week_events(second, source)["Founders Coffee #1"].place.name == "Spark Centre"
    assert site.requests == []


# --- failures -------------------------------------------------------------------------------


def test_each_failure_is_kept_with_its_reason_and_retried_only_after_a_day(store, site):
    serve_page(site, 1, aware(WED), SPARK)
    site.replies[event_path(2)] = Reply(b"gone", 404, "text/plain")
    site.replies[event_path(3)] = Reply(NO_EVENT, 200, HTML)
    site.replies[event_path(4)] = Reply(b"", 200, HTML, delay=5)
    source = subscribe(
        store,
        site,
        feed_event(site, 1, WED),
        feed_event(site, 2, WED + timedelta(hours=1)),
        feed_event(site, 3, THU),
        feed_event(site, 4, FRI),
    )
    quick = Limits(timeout=0.3, total_seconds=1, max_bytes=PAGE_LIMITS.max_bytes, noun="page")

    filled = fill_venues(store, NOW, pacer=no_wait(), limits=quick)

    assert filled.found == ["Founders Coffee #1"]
    reasons = dict(filled.failed)
    assert reasons["Founders Coffee #2"] == (
        "127.0.0.1 has no page at this address (HTTP 404 Not Found): it may have moved"
    )
    assert reasons["Founders Coffee #3"] == (
        "127.0.0.1: the page describes no event (no schema.org Event markup)"
    )
    assert reasons["Founders Coffee #4"] == "127.0.0.1 did not answer within 0.3 s"
    assert filled.summary.startswith("filled 1 venue from event pages; 3 could not be read: ")
    events = week_events(store, source)
    assert events["Founders Coffee #4"].place.note == (
        "location unknown: 127.0.0.1 did not answer within 0.3 s"
    )
    assert events["Founders Coffee #2"].place.label == "unknown place"

    site.requests.clear()
    assert (
        fill_venues(store, NOW + timedelta(hours=23), pacer=no_wait(), limits=quick).requests == 0
    )
    serve_page(site, 2, aware(WED + timedelta(hours=1)), BREWERY)
    later = fill_venues(store, NOW + timedelta(days=1, minutes=1), pacer=no_wait(), limits=quick)
    assert later.found == ["Founders Coffee #2"]
    assert sorted(pages_asked(site)) == sorted(
        ["/robots.txt", event_path(2), event_path(3), event_path(4)]
    )


def test_robots_txt_is_obeyed_and_read_once(store, site):
    site.replies["/robots.txt"] = Reply(
        b"User-agent: *\nDisallow: /durham-tech-founders/events/301234502/\n", 200, "text/plain"
    )
    serve_page(site, 1, aware(WED), SPARK)
    serve_page(site, 2, aware(THU), BREWERY)
    source = subscribe(store, site, feed_event(site, 1, WED), feed_event(site, 2, THU))
    site.requests.clear()

    filled = fill_venues(store, NOW, pacer=no_wait())

    assert pages_asked(site) == ["/robots.txt", event_path(1)]  # never the forbidden page
    assert filled.failed == [
        (
            "Founders Coffee #2",
            "127.0.0.1: the site asks programs not to read its event pages (robots.txt)",
        )
    ]
    place = week_events(store, source)["Founders Coffee #2"].place
    assert place.note.startswith("location unknown: 127.0.0.1: the site asks programs not")


def test_a_site_closed_to_planner_by_name_is_not_read(store, site):
    site.replies["/robots.txt"] = Reply(b"User-agent: planner\nDisallow: /\n", 200, "text/plain")
    serve_page(site, 1, aware(WED), SPARK)
    subscribe(store, site, feed_event(site, 1, WED))
    site.requests.clear()
    assert fill_venues(store, NOW, pacer=no_wait()).found == []
    assert pages_asked(site) == ["/robots.txt"]


def test_a_robots_txt_that_fails_leaves_the_site_alone_and_a_refused_one_closes_it(store, site):
    serve_page(site, 1, aware(WED), SPARK)
    subscribe(store, site, feed_event(site, 1, WED))
    site.replies["/robots.txt"] = Reply(b"down", 503, "text/plain")
    site.requests.clear()
    failed = fill_venues(store, NOW, pacer=no_wait())
    assert failed.failed == [
        (
            "Founders Coffee #1",
            "127.0.0.1 could not be asked which pages programs may read (127.0.0.1 had a "
            "server error (HTTP 503 Service Unavailable); this is usually temporary)",
        )
    ]
    site.replies["/robots.txt"] = Reply(b"", 403, "text/plain")  # as robotparser: closed
    refused = fill_venues(store, NOW + timedelta(days=2), pacer=no_wait())
    assert refused.failed[0][1].endswith("asks programs not to read its event pages (robots.txt)")
    assert pages_asked(site) == ["/robots.txt", "/robots.txt"]


def test_a_robots_txt_answered_with_slow_down_leaves_the_site_alone(store, site):
    # 429 says "too many requests", not "no robots.txt here": the site is left alone, as
    # after a server error, rather than read as if it allowed everything.
    serve_page(site, 1, aware(WED), SPARK)
    subscribe(store, site, feed_event(site, 1, WED))
    site.replies["/robots.txt"] = Reply(b"slow down", 429, "text/plain")
    site.requests.clear()

    filled = fill_venues(store, NOW, pacer=no_wait())

    assert pages_asked(site) == ["/robots.txt"]
    assert filled.failed == [
        (
            "Founders Coffee #1",
            "127.0.0.1 could not be asked which pages programs may read (127.0.0.1 asked "
            "planner to slow down (HTTP 429 Too Many Requests); it will try again later)",
        )
    ]


# --- politeness -----------------------------------------------------------------------------


class FakeClock:
    """A clock that moves only when the pacer sleeps: the sleeps are the spacing."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_the_pacer_spaces_requests_to_one_host_not_to_others():
    clock = FakeClock()
    pacer = HostPacer(1.0, clock=clock, sleep=clock.sleep)
    for host, took in (("a.example", 0.2), ("b.example", 0.0), ("A.example", 0.0)):
        with pacer.turn(host):
            clock.now += took
    assert clock.sleeps == [1.0]  # b was asked at once; a again only a second after its end
    clock.now += 5
    with pacer.turn("b.example"):
        pass
    assert clock.sleeps == [1.0]
    assert pacer.requests == {"a.example": 2, "b.example": 2}


def test_filling_waits_a_second_between_two_requests_to_one_site(store, site):
    serve_page(site, 1, aware(WED), SPARK)
    serve_page(site, 2, aware(THU), BREWERY)
    serve_page(site, 3, aware(FRI), SPARK)
    subscribe(
        store, site, feed_event(site, 1, WED), feed_event(site, 2, THU), feed_event(site, 3, FRI)
    )
    clock = FakeClock()
    filled = fill_venues(store, NOW, pacer=HostPacer(1.0, clock=clock, sleep=clock.sleep))
    assert filled.requests == 4  # robots.txt and three pages
    assert clock.sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize(("delay", "gap", "pages_read"), [("20", 20.0, 4), ("600", 30.0, 2)])
def test_a_crawl_delay_widens_the_gap_and_the_rest_waits_for_the_next_refresh(
    store, site, delay, gap, pages_read
):
    """robots.txt's Crawl-delay is kept (up to 30 s), and a run spends at most 90 s on a
    site: the events whose pages it did not reach are left for the next refresh, not
    kept as failures."""
    site.replies["/robots.txt"] = Reply(
        f"User-agent: *\nCrawl-delay: {delay}\n".encode(), 200, "text/plain"
    )
    days = [WED + timedelta(hours=n) for n in range(6)]
    for number, start in enumerate(days, 1):
        serve_page(site, number, aware(start), SPARK)
    subscribe(store, site, *(feed_event(site, n, start) for n, start in enumerate(days, 1)))
    clock = FakeClock()
    filled = fill_venues(store, NOW, pacer=HostPacer(1.0, clock=clock, sleep=clock.sleep))
    assert clock.sleeps == [gap] * pages_read
    assert len(filled.found) == pages_read and filled.failed == []
    assert filled.left == 6 - pages_read
    assert f"{6 - pages_read} more" in filled.summary
    again = fill_venues(store, NOW, pacer=HostPacer(1.0, clock=clock, sleep=clock.sleep))
    assert len(again.found) == min(pages_read, 6 - pages_read)


# --- the plan -------------------------------------------------------------------------------


def plan_of(store: Store, source: Source):
    session = Session(
        calendar_loader(store=store), Settings(home=HOME), sources=[source], store=store
    )
    _settings, _week, plan = session.plan(session.state, NOW.date(), NOW)
    return {d.event.summary: d for d in plan.decisions}


def test_the_plan_travels_to_the_venue_read_and_says_where_it_came_from(store, site):
    serve_page(site, 1, aware(WED), BREWERY)
    site.replies[event_path(2)] = Reply(b"gone", 404, "text/plain")
    source = subscribe(store, site, feed_event(site, 1, WED), feed_event(site, 2, THU))

    before = plan_of(store, source)["Founders Coffee #1"]
    assert before.trip_to is not None and before.trip_to.assumed

    fill_venues(store, NOW, pacer=no_wait())
    decisions = plan_of(store, source)
    found = decisions["Founders Coffee #1"]
    assert found.trip_to is not None and not found.trip_to.assumed
    assert found.trip_to.distance_km > 5  # Oshawa to Whitby, not the assumed minutes
    said = decision_json(found)
    assert (said["venue"], said["venue_note"]) == ("Brock Street Brewing", READ_FROM_PAGE)
    unknown = decision_json(decisions["Founders Coffee #2"])
    assert unknown["venue_note"] == (
        "location unknown: 127.0.0.1 has no page at this address (HTTP 404 Not Found): "
        "it may have moved"
    )
    assert unknown["travel_assumed"]


def test_the_table_names_the_venue_read_and_the_reason_a_place_is_unknown(store, site):
    serve_page(site, 1, aware(WED), BREWERY)
    site.replies[event_path(2)] = Reply(b"gone", 404, "text/plain")
    source = subscribe(store, site, feed_event(site, 1, WED), feed_event(site, 2, THU))
    fill_venues(store, NOW, pacer=no_wait())
    settings = Settings(home=HOME)
    session = Session(calendar_loader(store=store), settings, sources=[source], store=store)
    _s, _w, plan = session.plan(session.state, NOW.date(), NOW)
    table = " ".join(plan_table(plan, width=400).split())
    assert "Brock Street Brewing (venue read from the event's page)" in table
    assert "location unknown: 127.0.0.1 has no page at this address" in table


# --- a site that asks planner to stop, or does not answer ----------------------------------


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            Reply(b"slow down", 429, "text/plain", headers=(("Retry-After", "3600"),)),
            "127.0.0.1 asked planner to slow down (HTTP 429 Too Many Requests); it will try "
            "again later",
        ),
        (
            Reply(b"", 503, "text/plain"),
            "127.0.0.1 had a server error (HTTP 503 Service "
            "Unavailable); this is usually temporary",
        ),
        (Reply(b"", 200, HTML, delay=5), "127.0.0.1 did not answer within 0.3 s"),
    ],
    ids=["429", "503", "no answer"],
)
def test_a_site_that_says_slow_down_or_does_not_answer_is_asked_for_no_more_pages(
    store, site, reply, reason
):
    # Sixty events of one group on a site that is struggling: one failed request is
    # enough; the other fifty-nine pages wait for the next refresh, and another site's
    # pages are still read.
    from tests.feed_server import Site

    elsewhere = Site(base=site.base.replace("127.0.0.1", "localhost"))
    site.replies[event_path(1)] = reply
    serve_page(site, 2, aware(THU), BREWERY)
    serve_page(site, 3, aware(FRI), SPARK)
    serve_page(site, 4, aware(FRI), SPARK)
    subscribe(
        store,
        site,
        feed_event(site, 1, WED),
        feed_event(site, 2, THU),
        feed_event(site, 3, FRI),
        feed_event(elsewhere, 4, FRI + timedelta(hours=6)),
    )
    site.requests.clear()
    quick = Limits(timeout=0.3, total_seconds=1, max_bytes=PAGE_LIMITS.max_bytes, noun="page")

    filled = fill_venues(store, NOW, pacer=no_wait(), limits=quick)

    assert pages_asked(site) == ["/robots.txt", event_path(1), "/robots.txt", event_path(4)]
    assert filled.found == ["Founders Coffee #4"]
    assert dict(filled.failed) == {
        "Founders Coffee #1": reason,
        "Founders Coffee #2": reason,
        "Founders Coffee #3": reason,
    }
