"""Where an event happens, from the messy ways .ics producers say it.

LOCATION text, GEO, meeting links: each producer writes them differently
(Meetup's ``Venue (street, city)``, Apple's structured location, online
events with a Zoom link in LOCATION). This module turns one VEVENT into a
:class:`Place`, trusting coordinates only where they are valid.
"""

from __future__ import annotations

import re
from typing import Any

from planner.core.model import Place

_ONLINE = re.compile(
    r"\b(online|virtual|webinar|livestream|zoom\.us|teams\.microsoft|meet\.google"
    r"|webex\.com|whereby\.com|gotomeeting|crowdcast|hopin)\b",
    re.IGNORECASE,
)
_MEETUP_VENUE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<address>[^()]+)\)\s*$")


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def place_from_component(component: Any) -> Place:
    """Venue, address, position and whether the event is online."""
    location = _text(component, "LOCATION")
    url = _text(component, "URL")
    virtual = bool(_ONLINE.search(location)) or (not location and bool(_ONLINE.search(url)))
    if virtual:
        return Place(name=location or "online", virtual=True)
    lat = lon = None
    geo = component.get("GEO")
    if geo is not None:
        lat, lon = _valid_geo(geo.latitude, geo.longitude)
    name, address = split_location(location)
    return Place(name=name, address=address, lat=lat, lon=lon)


def _valid_geo(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None, None
    if not (-90 <= flat <= 90 and -180 <= flon <= 180) or (flat == 0 and flon == 0):
        return None, None
    return flat, flon


def split_location(location: str) -> tuple[str, str]:
    """Split LOCATION into a venue name and a street address.

    Handles Meetup's ``Venue (street, city)`` and the common
    ``Venue, 123 Street, City`` forms; a LOCATION that starts with a house
    number is all address.
    """
    location = " ".join(location.split())
    if not location:
        return "", ""
    meetup = _MEETUP_VENUE.match(location)
    if meetup:
        return meetup.group("name").strip(), meetup.group("address").strip()
    head, _, rest = location.partition(",")
    if head[:1].isdigit():
        return "", location
    return head.strip(), rest.strip()
