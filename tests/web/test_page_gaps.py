"""Two ways a page used to lose what it held: a relative calendar link on a page reached
by a redirect, and one broken JSON-LD script beside good ones. Served from 127.0.0.1."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner.core.web.reading import read_link
from tests.feed_server import Reply
from tests.web import pages

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 12, 1, 9, tzinfo=TORONTO)
HTML = "text/html; charset=utf-8"

RELATIVE_ADD_TO_CALENDAR = pages.html(
    body="<h1>Women in Tech Durham: December Social</h1>"
    '<p><a class="btn" href="wit-dec.ics">Add to calendar</a></p>',
)


def test_a_relative_calendar_link_is_read_from_where_the_redirect_led(site):
    # The short link redirects (same host) into the events folder; the page's "Add to
    # calendar" is relative to that folder, not to the short link.
    site.replies["/e/42"] = Reply(status=302, location="/events/2026/wit-dec/")
    site.replies["/events/2026/wit-dec/"] = Reply(RELATIVE_ADD_TO_CALENDAR, content_type=HTML)
    site.replies["/events/2026/wit-dec/wit-dec.ics"] = Reply(pages.ICS_ONLY)

    reading = read_link(site.url("/e/42"), TORONTO, REFERENCE)

    assert [p.event.summary for p in reading.events] == ["Women in Tech Durham: December Social"]
    assert reading.read_from == site.url("/events/2026/wit-dec/wit-dec.ics")
    assert "/e/wit-dec.ics" not in [path for path, _ in site.requests]


BROKEN_BESIDE_GOOD = pages.html(
    pages.json_ld(None, raw='{"@context": "https://schema.org", "@type": "WebSite", "name": ')
    + pages.TICKETING.decode().split("<title>Events</title>")[1].split("</head>")[0]
    + pages.json_ld(None, raw='{"@type": "BreadcrumbList", "itemListElement": [,]}'),
    "<h1>Durham Founders Night</h1>",
)


def test_one_broken_json_ld_script_costs_only_itself(site):
    site.replies["/e/founders"] = Reply(BROKEN_BESIDE_GOOD, content_type=HTML)

    reading = read_link(site.url("/e/founders"), TORONTO, REFERENCE)

    (item,) = reading.events
    assert item.event.summary == "Durham Founders & Funders Night: Pitch 'n' Mingle"
    assert item.event.place.name == "Spark Centre"
    assert len(reading.problems) == 1
    assert reading.problems[0].startswith("the page's JSON-LD cannot be read")


@pytest.mark.parametrize(
    "content_type", ["application/octet-stream", "text/plain; charset=utf-8", "text/html"]
)
def test_a_link_to_an_ics_file_served_as_another_type_is_read_as_a_calendar(site, content_type):
    # Storage buckets, code hosts and plain web servers often serve .ics files as
    # octet-stream or text; the file says what it is on its first line.
    site.replies["/files/wit-dec.ics"] = Reply(b"\r\n" + pages.ICS_ONLY, content_type=content_type)

    reading = read_link(site.url("/files/wit-dec.ics"), TORONTO, REFERENCE)

    assert [p.event.summary for p in reading.events] == ["Women in Tech Durham: December Social"]
    assert reading.read_from == site.url("/files/wit-dec.ics")


def test_a_webcal_add_to_calendar_link_is_read_over_https():
    # Apple's scheme for "subscribe": the same file over https, as planner's feeds read it.
    from planner.core.web.markup import calendar_links

    page = pages.html(
        body='<a href="webcal://events.example.org/wit/dec.ics">Add to calendar</a>'
        '<a href="WEBCALS://events.example.org/wit/all.ics">Subscribe</a>'
        '<a href="javascript:alert(1)">Add to calendar (.ics)</a>'
    ).decode()

    assert calendar_links(page, "https://events.example.org/wit/") == [
        "https://events.example.org/wit/dec.ics",
        "https://events.example.org/wit/all.ics",
    ]
