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


YOAST_GRAPH = pages.html(
    pages.json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "WebPage",
                    "@id": "https://wit.example.org/events/dec/#webpage",
                    "name": "December Social – Women in Tech Durham",
                },
                {
                    "@type": "Event",
                    "@id": "https://wit.example.org/events/dec/#event",
                    "name": "Women in Tech Durham: December Social",
                    "startDate": "2026-12-16T18:00:00-05:00",
                    "endDate": "2026-12-16T20:00:00-05:00",
                    "mainEntityOfPage": {"@id": "https://wit.example.org/events/dec/#webpage"},
                    "location": {"@id": "https://wit.example.org/#/schema/place/12"},
                    "organizer": {"@id": "https://wit.example.org/#/schema/organization"},
                    "offers": [{"@id": "https://wit.example.org/events/dec/#offer"}],
                },
                {
                    "@type": "Place",
                    "@id": "https://wit.example.org/#/schema/place/12",
                    "name": "The Brewery Lofts",
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": "1 Main St",
                        "addressLocality": "Whitby",
                        "addressRegion": "ON",
                    },
                    "geo": {"@type": "GeoCoordinates", "latitude": 43.87, "longitude": -78.94},
                },
                {
                    "@type": "Offer",
                    "@id": "https://wit.example.org/events/dec/#offer",
                    "price": "15",
                    "priceCurrency": "CAD",
                },
                {
                    "@type": "Organization",
                    "@id": "https://wit.example.org/#/schema/organization",
                    "name": "Women in Tech Durham",
                    "event": {"@id": "https://wit.example.org/events/dec/#event"},
                },
            ],
        }
    )
)


def test_a_graph_whose_event_names_its_place_and_offer_by_id_is_read_whole(site):
    # WordPress sites (Yoast's schema graph, which event plugins join) give each node once
    # in the @graph and refer to it by @id: the place is there, only elsewhere.
    site.replies["/events/dec/"] = Reply(YOAST_GRAPH, content_type=HTML)

    reading = read_link(site.url("/events/dec/"), TORONTO, REFERENCE)

    (item,) = reading.events
    place = item.event.place
    assert (place.name, place.address) == ("The Brewery Lofts", "1 Main St, Whitby, ON")
    assert (place.lat, place.lon) == (43.87, -78.94)
    assert item.event.cost == 15.0
    assert item.assumed == ()


def test_a_place_named_by_an_id_the_page_does_not_hold_is_said_to_be_missing(site):
    body = YOAST_GRAPH.replace(b"/#/schema/place/12", b"/#/schema/place/13", 1)
    site.replies["/events/dec/"] = Reply(body, content_type=HTML)

    (item,) = read_link(site.url("/events/dec/"), TORONTO, REFERENCE).events

    assert item.event.place.label == "unknown place"
    assert "the page gives no place" in item.assumed


def test_a_node_named_ten_thousand_times_is_taken_once():
    # Naming is cheap and copying is not: a page of references to one large node must not
    # multiply it in memory.
    import json

    from planner.core.web.markup import read_markup

    graph = json.loads(YOAST_GRAPH.decode().split('json">')[1].split("</script>")[0])
    event, offer = graph["@graph"][1], graph["@graph"][3]
    event["offers"] = [{"@id": offer["@id"]}] * 10_000
    event["location"] = [{"@id": "https://wit.example.org/#/schema/place/12"}] * 10_000
    offer["description"] = "x" * 1_000_000
    page = pages.html(pages.json_ld(graph)).decode()

    (found,) = read_markup(page, "https://wit.example.org/events/dec/").events

    assert len(found["offers"]) == 1 and found["offers"][0]["price"] == "15"
    assert [place["name"] for place in found["location"]] == ["The Brewery Lofts"]
