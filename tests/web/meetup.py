"""A Meetup-like group: its iCal feed (a link to each event's page, no LOCATION) and the
event pages, modelled on what Meetup publishes: a JSON-LD ``Event`` with its ``Place``,
``PostalAddress`` and ``GeoCoordinates`` (or online), beside the group's
``Organization`` and a ``BreadcrumbList``. Names and places are invented."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.feed_server import Reply, Site, calendar, vevent
from tests.web.pages import html, json_ld

GROUP = "durham-tech-founders"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    city: str
    lat: float
    lon: float


SPARK = Venue("Spark Centre", "2 Simcoe St S", "Oshawa", 43.8971, -78.8658)
BREWERY = Venue("Brock Street Brewing", "244 Brock St S", "Whitby", 43.8731, -78.9415)


def event_path(number: int) -> str:
    return f"/{GROUP}/events/{301234500 + number}/"


def feed_event(
    site: Site, number: int, start: datetime, *extra: str, title: str = "", minutes: int = 120
) -> str:
    """One VEVENT as Meetup's group feed writes it: a URL to the page, no LOCATION."""
    return vevent(
        f"event_{301234500 + number}@meetup.com",
        title or f"Founders Coffee #{number}",
        start,
        start + timedelta(minutes=minutes),
        "CLASS:PUBLIC",
        f"URL;VALUE=URI:{site.url(event_path(number))}",
        "DESCRIPTION:Durham Tech Founders\\n\\nCoffee and demos.",
        *extra,
    )


def event_page(
    site: Site, number: int, start: datetime, venue: Venue | None, *, title: str = ""
) -> bytes:
    """The event's page: None as the venue makes it an online event."""
    location: dict[str, object]
    if venue is None:
        mode = "https://schema.org/OnlineEventAttendanceMode"
        location = {"@type": "VirtualLocation", "url": site.url(event_path(number))}
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
        location = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.street,
                "addressLocality": venue.city,
                "addressRegion": "ON",
                "addressCountry": "ca",
            },
            "geo": {"@type": "GeoCoordinates", "latitude": venue.lat, "longitude": venue.lon},
        }
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": title or f"Founders Coffee #{number}",
        "url": site.url(event_path(number)),
        "description": "Coffee and demos.",
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(hours=2)).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "organizer": {"@type": "Organization", "name": "Durham Tech Founders"},
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "CAD"},
    }
    group = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Durham Tech Founders",
        "url": site.url(f"/{GROUP}/"),
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Durham Tech Founders"},
            {"@type": "ListItem", "position": 2, "name": "Events"},
        ],
    }
    return html(
        json_ld(event) + json_ld(group) + json_ld(crumbs),
        f"<h1>{event['name']}</h1><p>Hosted by Durham Tech Founders</p><button>Attend</button>",
    )


def serve_page(site: Site, number: int, start: datetime, venue: Venue | None) -> None:
    site.replies[event_path(number)] = Reply(event_page(site, number, start, venue), 200, HTML)


def serve_feed(site: Site, *events: str, path: str = f"/{GROUP}/events/ical/") -> str:
    site.replies[path] = Reply(calendar(*events))
    return site.url(path)


def pages_asked(site: Site) -> list[str]:
    """The paths of the event pages and robots.txt asked for, in order."""
    return [path for path, _ in site.requests if not path.endswith("/ical/")]
