"""Event pages written for the tests, modelled on the markup event sites publish.

Each imitates the *shape* of one kind of site (a ticketing page's single JSON-LD
object with an AggregateOffer, a meetup group's list of Organization and Event, a
community calendar's ``@graph``, an association's microdata, an RDFa page, a page
with only an "Add to calendar" link); the names, places and prices are invented.
"""

import json

from tests.feed_server import calendar, vevent


def html(head: str = "", body: str = "") -> bytes:
    """A page around its head and body, with the chrome such sites have."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Events</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css">
{head}</head>
<body><nav><a href="/">Home</a> <a href="/events">Events</a> <a href="/login">Log in</a></nav>
<main>{body}</main><footer>&copy; 2026 Example Events Inc.</footer></body></html>
""".encode()


def json_ld(value: object, *, raw: str | None = None) -> str:
    text = raw if raw is not None else json.dumps(value, indent=2)
    return f'<script type="application/ld+json">\n{text}\n</script>'


TICKETING = html(
    json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BusinessEvent",
            "name": "Durham Founders &amp; Funders Night: Pitch &#39;n&#39; Mingle",
            "description": "Meet founders &amp; investors from across Durham Region.",
            "url": "https://tickets.example.org/e/durham-founders-night-1234567",
            "startDate": "2026-12-10T18:30:00-05:00",
            "endDate": "2026-12-10T21:00:00-05:00",
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": "Spark Centre",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "2 Simcoe St S",
                    "addressLocality": "Oshawa",
                    "addressRegion": "ON",
                    "postalCode": "L1H 7N1",
                    "addressCountry": "CA",
                },
                "geo": {"@type": "GeoCoordinates", "latitude": 43.8971, "longitude": -78.8658},
            },
            "offers": [
                {
                    "@type": "AggregateOffer",
                    "lowPrice": "25.00",
                    "highPrice": "25.00",
                    "priceCurrency": "CAD",
                    "availability": "https://schema.org/InStock",
                    "url": "https://tickets.example.org/e/durham-founders-night-1234567",
                }
            ],
            "organizer": {"@type": "Organization", "name": "Durham Founders Club"},
        }
    ),
    "<h1>Durham Founders &amp; Funders Night</h1><button>Get tickets</button>",
)

GROUP_EVENT = html(
    json_ld(
        [
            {
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": "Toronto Python Night",
                "url": "https://groups.example.org/toronto-python-night/",
            },
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": "Remote Lightning Talks",
                "url": "https://groups.example.org/toronto-python-night/events/301234567/",
                "startDate": "2026-12-09T23:30:00Z",
                "endDate": "2026-12-10T01:00:00Z",
                "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
                "location": {
                    "@type": "VirtualLocation",
                    "url": "https://groups.example.org/toronto-python-night/events/301234567/",
                },
                "isAccessibleForFree": True,
                "organizer": {"@type": "Organization", "name": "Toronto Python Night"},
            },
        ]
    ),
    "<h1>Remote Lightning Talks</h1><p>Hosted by Toronto Python Night</p>",
)

COMMUNITY_GRAPH = html(
    json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "WebPage",
                    "name": "Holiday Mixer",
                    "url": "https://cal.example.org/mixer",
                },
                {
                    "@type": "SocialEvent",
                    "name": "Whitby Tech Holiday Mixer",
                    "startDate": "2026-12-17T18:00:00",
                    "location": {
                        "@type": "Place",
                        "name": "Brock Street Brewing",
                        "address": "244 Brock St S, Whitby, ON",
                    },
                    "isAccessibleForFree": "true",
                },
            ],
        }
    ),
    "<h1>Whitby Tech Holiday Mixer</h1>",
)

ASSOCIATION_MICRODATA = html(
    body="""
<h1>Upcoming chapter meetings</h1>
<article itemscope itemtype="https://schema.org/EducationEvent">
  <h2 itemprop="name">Estimating When Everything Is Uncertain</h2>
  <time itemprop="startDate" datetime="2026-12-08T18:00:00-05:00">Tue 8 Dec, 6 pm</time>
  <time itemprop="endDate" datetime="2026-12-08T20:30:00-05:00">8:30 pm</time>
  <div itemprop="location" itemscope itemtype="https://schema.org/Place">
    <span itemprop="name">Albany Club</span>
    <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
      <span itemprop="streetAddress">91 King St E</span>,
      <span itemprop="addressLocality">Toronto</span>
      <span itemprop="addressRegion">ON</span>
    </div>
  </div>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="name" content="Member"><meta itemprop="price" content="45">
    <meta itemprop="priceCurrency" content="CAD">
  </div>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="name" content="Non-member"><meta itemprop="price" content="65">
    <meta itemprop="priceCurrency" content="CAD">
  </div>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="name" content="Student"><meta itemprop="price" content="20">
    <meta itemprop="priceCurrency" content="CAD">
  </div>
</article>
<article itemscope itemtype="https://schema.org/EducationEvent">
  <h2 itemprop="name">Agile Portfolio Planning Workshop</h2>
  <time itemprop="startDate" datetime="2026-12-15T18:00:00-05:00">Tue 15 Dec</time>
  <meta itemprop="duration" content="PT2H">
  <div itemprop="location" itemscope itemtype="https://schema.org/Place">
    <span itemprop="name">Albany Club</span>
    <span itemprop="address">91 King St E, Toronto, ON</span>
  </div>
</article>
""",
)

RDFA = html(
    body="""
<div vocab="https://schema.org/" typeof="SocialEvent">
  <h1 property="name">Markham Board of Trade: Business After Hours</h1>
  <meta property="startDate" content="2026-12-14T17:15:00-05:00">
  <meta property="endDate" content="2026-12-14T19:00:00-05:00">
  <div property="location" typeof="Place">
    <span property="name">Hilton Toronto/Markham Suites</span>
    <div property="address" typeof="PostalAddress">
      <span property="streetAddress">8500 Warden Ave</span>,
      <span property="addressLocality">Markham</span>
    </div>
  </div>
  <div property="offers" typeof="Offer"><meta property="price" content="30"></div>
</div>
""",
)

MIXED = html(
    json_ld(
        {
            "@context": "https://schema.org",
            "@type": "EducationEvent",
            "name": "DevOps Days Toronto Meetup (in person and streamed)",
            "startDate": "2026-12-11T18:00:00-05:00",
            "endDate": "2026-12-11T20:00:00-05:00",
            "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
            "location": [
                {"@type": "VirtualLocation", "url": "https://stream.example.org/devops"},
                {
                    "@type": "Place",
                    "name": "MaRS Discovery District",
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": "101 College St",
                        "addressLocality": "Toronto",
                    },
                },
            ],
            "offers": {"@type": "Offer", "price": 0, "priceCurrency": "CAD"},
        }
    ),
)

STATUSES = html(
    json_ld(
        [
            {
                "@context": "https://schema.org",
                "@type": "Event",
                "name": name,
                "startDate": start,
                "endDate": end,
                "eventStatus": f"https://schema.org/{status}",
                "location": {"@type": "Place", "name": "Oshawa Library", "address": "65 Bagot St"},
                **extra,
            }
            for name, start, end, status, extra in (
                (
                    "Cancelled Breakfast",
                    "2026-12-08T07:30-05:00",
                    "2026-12-08T09:00-05:00",
                    "EventCancelled",
                    {},
                ),
                (
                    "Postponed Panel",
                    "2026-12-09T18:00-05:00",
                    "2026-12-09T19:30-05:00",
                    "EventPostponed",
                    {},
                ),
                (
                    "Rescheduled Social",
                    "2026-12-16T18:00-05:00",
                    "2026-12-16T20:00-05:00",
                    "EventRescheduled",
                    {"previousStartDate": "2026-12-02T18:00-05:00"},
                ),
            )
        ]
    ),
)

ICS_ONLY = calendar(
    vevent(
        "ics-linked-1@assoc.example.org",
        "Women in Tech Durham: December Social",
        "20261212T140000",
        "20261212T160000",
        "LOCATION:Regent Theatre\\, 50 King St E\\, Oshawa",
    )
)

LINK_ALTERNATE = html(
    '<link rel="alternate" type="text/calendar" title="iCal" href="/events/wit-dec.ics">',
    "<h1>Women in Tech Durham: December Social</h1><p>Saturday 12 December, 2-4 pm</p>",
)

ADD_TO_CALENDAR = html(
    body="<h1>Women in Tech Durham: December Social</h1>"
    '<p><a class="btn" href="/events/wit-dec/ical?download=1&amp;format=ics">'
    "Add to calendar</a></p>",
)

NO_EVENT = html(
    json_ld({"@context": "https://schema.org", "@type": "Article", "headline": "Why network?"}),
    "<article><h1>Why network?</h1><p>Ten reasons to meet people in 2027.</p></article>",
)

BROKEN_JSON_LD = html(
    json_ld(None, raw='{"@context": "https://schema.org", "@type": "Event", "name": "Half'),
    "<h1>Half an event</h1>",
)

BROKEN_JSON_LD_WITH_MICRODATA = html(
    json_ld(None, raw='{"@type": "Event", "name": '),
    ASSOCIATION_MICRODATA.decode().split("<main>")[1].split("</main>")[0],
)
