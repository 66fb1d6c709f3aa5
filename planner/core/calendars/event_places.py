"""Where an event happens, from the messy ways .ics producers say it.

Every producer says "where" differently, and each heuristic here exists
because one of them does something specific:

* RFC 5545 GEO is ``lat;lon``. Some producers escape the separator
  (``43.65\\;-79.38``), write explicit signs (``+43.65;-79.38``), a comma,
  ``0;0`` as a placeholder, or swap the two numbers. icalendar then may keep
  GEO as a *broken* property whose ``.latitude`` raises, so the raw text is
  always the fallback.
* Apple Calendar writes ``X-APPLE-STRUCTURED-LOCATION`` (a ``geo:lat,lon``
  URI with ``X-TITLE``, ``X-ADDRESS`` and ``X-APPLE-RADIUS`` parameters) and a
  LOCATION of ``Venue\\nStreet, City``; it never writes GEO.
* Meetup writes ``Venue (street, city, ST zip)``; its recent feeds leave the
  street out of LOCATION and put it in DESCRIPTION (``Location: ...``). Its
  GEO has two decimals (about a kilometre), so such positions are flagged
  ``approximate``.
* Online events say so in words ("Online event"), with a meeting link in
  LOCATION (Zoom, Google Meet...), with Outlook's "Microsoft Teams Meeting",
  or only in X-MICROSOFT-SKYPETEAMSMEETINGURL / X-GOOGLE-CONFERENCE.
  A physical venue that is also streamed stays physical: a venue wrongly
  marked virtual gets no travel time and makes the user late, while the
  opposite mistake only costs a travel estimate.
* Some aggregator feeds give every event their city's centre as GEO, and
  some swap latitude and longitude; only the whole feed shows that, so
  :func:`audit_places` looks at one file's events together.

What a place text says on its own (online or not, venue and address) is
read by :mod:`planner.core.travel.place_text`, the same rules quick add and
the place resolver use; this module adds what only .ics data carries.

Nothing here raises on bad data: an unusable position becomes a
:class:`Place` without coordinates. The module never imports Qt.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Any

from planner.core.logs import log_failure
from planner.core.model import Event, Place, Problem, Severity
from planner.core.travel.estimate import distance_km
from planner.core.travel.place_text import (
    clean_physical,
    has_meeting_link,
    is_online_only,
    split_location,
)

_log = logging.getLogger(__name__)

# --- Online events -------------------------------------------------------------

_MEETING_PROPERTIES = (
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    "X-GOOGLE-CONFERENCE",
)
"""Outlook and Google say "online" here, with no LOCATION, when there is no room."""

# --- Addresses -----------------------------------------------------------------

_STREET_TYPES = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Way|Lane|Ln|Cres|Crescent|Crt|Ct"
    r"|Court|Pl|Place|Sq|Square|Pkwy|Parkway|Hwy|Highway|Ter|Terrace|Cir|Circle|Trl|Trail"
    r"|Row|Walk|Gate|Line|Quay|Plaza|Broadway|Esplanade|rue|chemin"
)
_STREET_LINE = re.compile(
    r"^\d{1,6}[A-Za-z]?(?:[-–]\d{1,6})?,?\s+(?:[\w.'’-]+\s+){0,5}?"
    rf"(?:{_STREET_TYPES})\b",
    re.IGNORECASE,
)
"""A line that starts with a North American (or Québec) street address."""
_LABELLED_PLACE = re.compile(
    r"^[^\w\n]*(?:location|venue|address|where|lieu|adresse)[*_\s]*[:：][*_\s]*(?P<value>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
"""Meetup's and many organisers' "Location: Venue, street, city" DESCRIPTION line."""
_PLACEHOLDER = re.compile(
    r"^(?:tba|tbd|to be (?:announced|determined|confirmed)|secret|n/?a|none|unknown"
    r"|.*visible (?:to|for) attendees|needs? a location|location not specified)\W*$",
    re.IGNORECASE,
)

# --- Coordinates ---------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_COORDINATE_TEXT = re.compile(
    r"^\s*(?:geo:)?\(?\s*(?P<lat>[+-]?[0-9]{1,3}\.[0-9]+)\s*[,;]\s*"
    r"(?P<lon>[+-]?[0-9]{1,3}\.[0-9]+)\s*\)?\s*$",
    re.IGNORECASE,
)
"""A LOCATION that is only a position, as pasted from a map: "43.6532, -79.3832"."""
_HEMISPHERE_TEXT = re.compile(
    r"^\s*(?P<lat>[0-9]{1,2}(?:\.[0-9]+)?)\s*°?\s*(?P<ns>[NS])\s*[,;]?\s*"
    r"(?P<lon>[0-9]{1,3}(?:\.[0-9]+)?)\s*°?\s*(?P<ew>[EW])\s*$",
    re.IGNORECASE,
)
"""The same with hemispheres: "43.6532° N, 79.3832° W"."""
_GEO_URI = re.compile(
    r"geo:\s*(?P<lat>[+-]?[0-9.]+)\s*,\s*(?P<lon>[+-]?[0-9.]+)",
    re.IGNORECASE,
)
"""RFC 5870 ``geo:lat,lon[,alt][;u=...]``, the value Apple puts in its structured location."""

_APPROXIMATE_RADIUS_M = 1000.0
"""Apple's X-APPLE-RADIUS beyond which a point stands for an area (a city), not a venue."""
_REGION_KM = 150.0
_FAR_KM = 1000.0


@dataclass(slots=True)
class _Reading:
    """What one component says about its place, gathered before deciding."""

    summary: str
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(f"{self.summary!r}: {text}")


def place_from_component(component: Any) -> Place:
    """Venue, address, position and whether the event is online.

    ``component`` is an (expanded) icalendar VEVENT; anything with a
    ``get(name)`` works. Never raises: what cannot be read is left out.
    """
    return read_place(component)[0]


def read_place(component: Any) -> tuple[Place, list[str]]:
    """:func:`place_from_component`, plus notes on what was corrected or ignored.

    The notes name the event by its SUMMARY (e.g. "'Mixer': its GEO
    0.0;0.0 is a placeholder (0, 0), not a position; ignored") so that an
    importer can show them beside its other problems, prefixed with the
    file. A GEO whose latitude is beyond ±90° while its longitude is a valid
    latitude can only be a swap, so it is corrected here; swaps that only the
    rest of the feed reveals are :func:`audit_places`' job.
    """
    try:
        return _read_place(component)
    except Exception as exc:  # never let one odd event cost the user the calendar
        log_failure(_log, "reading an event's place", exc)
        return Place(), []


def _read_place(component: Any) -> tuple[Place, list[str]]:
    reading = _Reading(_text(component, "SUMMARY") or "an event without a title")
    location = _unescape(_text(component, "LOCATION"))
    if location and is_online_only(location):
        return Place(name=" ".join(location.split()), virtual=True), reading.notes

    coordinates_text = _coordinates_in_text(location)
    physical = "" if coordinates_text else clean_physical(location)
    name, address = split_location(physical)
    apple = _apple_location(component)
    if apple is not None:
        title_name, title_address = split_location(apple.title)
        name = name or title_name
        address = address or apple.address or title_address
    description = _unescape(searched_part(_text(component, "DESCRIPTION")))
    described_online = False
    if not address:
        found_name, found_address, described_online = _place_in_description(description, name)
        name = name or found_name
        address = found_address

    position = _geo(component, reading)
    if position is None and apple is not None and apple.position is not None:
        position = _checked(*apple.position, "structured location", reading, apple.approximate)
    if position is None and coordinates_text is not None:
        position = _checked(*coordinates_text, "LOCATION", reading, False)

    if not (name or address or position) and (
        described_online or _online_elsewhere(component, description)
    ):
        return Place(name="online", virtual=True), reading.notes
    if not (name or address) and coordinates_text is not None:
        name = " ".join(location.split())
    lat, lon, approximate = position if position else (None, None, False)
    return Place(name, address, lat, lon, approximate=approximate), reading.notes


# --- Online ---------------------------------------------------------------------


def _online_elsewhere(component: Any, description: str) -> bool:
    """Online, said outside LOCATION: Outlook's and Google's meeting properties, or a link.

    Only consulted when nothing physical is known (no LOCATION, no Apple
    structured location, no address in DESCRIPTION, no position).
    """
    if any(_text(component, name) for name in _MEETING_PROPERTIES):
        return True
    return has_meeting_link(_text(component, "URL")) or has_meeting_link(description)


SEARCHED_CHARS = 10_000
"""How much of each end of a description is searched for a place, a price or a link."""


def searched_part(description: str) -> str:
    """The description's first and last :data:`SEARCHED_CHARS` characters.

    The venue, address, price and meeting link of a real description are in
    its opening or closing lines; searching all of a description of megabytes
    for every occurrence of its series took seconds a week.
    """
    if len(description) <= 2 * SEARCHED_CHARS:
        return description
    return description[:SEARCHED_CHARS] + "\n" + description[-SEARCHED_CHARS:]


# --- Names and addresses -------------------------------------------------------------


def _place_in_description(description: str, venue: str) -> tuple[str, str, bool]:
    """(name, street address, says online) recovered from DESCRIPTION.

    Recent Meetup feeds write the venue name (or nothing) in LOCATION and the
    address in DESCRIPTION, as a "Location: Venue, 620 King St W, Toronto"
    line, a line after it, a line that starts with the venue's name, or a
    line that starts with a house number and a street type ("620 King St
    W..."). Addresses mentioned mid-sentence ("parking at 100 Queen St")
    are not taken: they are rarely the venue.
    """
    if not description:
        return "", "", False
    lines = [" ".join(line.split()) for line in description.splitlines()]
    online = False
    for match in _LABELLED_PLACE.finditer("\n".join(lines)):
        value = match.group("value").strip(" *_")
        if not value or _PLACEHOLDER.match(value):
            continue
        if is_online_only(value):
            online = True
            continue
        name, address = split_location(clean_physical(value))
        if not address:
            address = _street_after(lines, match.group(0).strip())
        if name or address:
            return name, address, False
    folded = venue.casefold()
    for line in lines:
        if _STREET_LINE.match(line):
            return "", line.rstrip(" ."), online
        if folded and line.casefold().startswith(folded):
            rest = line[len(venue) :]
            address = rest.strip(" ,-–:()")
            if rest[:1] in {",", "(", "-", "–", ":"} and any(c.isdigit() for c in address):
                return "", address, online
    return "", "", online


def _street_after(lines: Sequence[str], labelled: str) -> str:
    """The address on the line after a "Location: Venue" line, if it is one."""
    for index, line in enumerate(lines):
        if line == " ".join(labelled.split()):
            following = next((n for n in lines[index + 1 :] if n), "")
            return following.rstrip(" .") if _STREET_LINE.match(following) else ""
    return ""


# --- Apple's structured location -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AppleLocation:
    title: str
    address: str
    position: tuple[float, float] | None
    approximate: bool


def _apple_location(component: Any) -> _AppleLocation | None:
    """Apple Calendar's X-APPLE-STRUCTURED-LOCATION, the first that can be read.

    Apple writes e.g. ``X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-ADDRESS=101
    College St\\\\nToronto ON M5G 1L7\\\\nCanada;X-APPLE-RADIUS=141.17;
    X-TITLE=MaRS Discovery District:geo:43.659900,-79.388300``: the address
    lines are separated by a literal backslash-n, and an unquoted parameter
    with commas reaches us as a list.
    """
    for value in _values(component, "X-APPLE-STRUCTURED-LOCATION"):
        params = getattr(value, "params", None) or {}
        title = _param(params, "X-TITLE")
        address = ", ".join(
            line.strip(" ,") for line in _param(params, "X-ADDRESS").splitlines() if line.strip()
        )
        position = None
        uri = _GEO_URI.search(_raw(value))
        if uri:
            pair = _numbers(uri.group("lat"), uri.group("lon"))
            position = pair[:2] if pair else None
        radius = _float(_param(params, "X-APPLE-RADIUS"))
        approximate = radius is not None and radius > _APPROXIMATE_RADIUS_M
        if title or address or position:
            return _AppleLocation(title, address, position, approximate)
    return None


def _param(params: Any, name: str) -> str:
    try:
        value = params.get(name)
    except (AttributeError, KeyError, TypeError, ValueError):
        return ""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v).strip() for v in value)
    return _unescape(str(value)).strip()


# --- Coordinates -------------------------------------------------------------------------


def _geo(component: Any, reading: _Reading) -> tuple[float, float, bool] | None:
    """The GEO property, however it was written or parsed.

    icalendar parses ``lat;lon`` into a vGeo; anything else (a comma, an
    extra escape with older versions, text) becomes a broken property whose
    ``.latitude`` raises, or ``get`` itself may raise: the raw text is then
    read here instead.
    """
    for value in _values(component, "GEO"):
        raw = _raw(value)
        pair: tuple[float, float, int] | None = None
        try:
            lat, lon = float(value.latitude), float(value.longitude)
            pair = (lat, lon, max(_decimals(repr(lat)), _decimals(repr(lon))))
        except (AttributeError, KeyError, TypeError, ValueError):  # a GEO icalendar kept as broken
            pair = _parse_pair(raw)
        if pair is None:
            if raw.strip():
                reading.note(f"its GEO {raw.strip()[:40]!r} is not a position; ignored")
            continue
        lat, lon, decimals = pair
        checked = _checked(lat, lon, f"GEO {raw.strip()[:40]}", reading, decimals <= 2)
        if checked is not None:
            return checked
    return None


def _checked(
    lat: float, lon: float, what: str, reading: _Reading, approximate: bool
) -> tuple[float, float, bool] | None:
    """A position if it is one, the swap corrected where it is certain, else None."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        reading.note(f"its {what} is not a position; ignored")
        return None
    if lat == 0 and lon == 0:
        reading.note(f"its {what} is a placeholder (0, 0), not a position; ignored")
        return None
    valid_lat, valid_lon = _valid_geo(lat, lon)
    if valid_lat is not None and valid_lon is not None:
        return valid_lat, valid_lon, approximate
    if _swap_is_certain(lat, lon):
        reading.note(
            f"its {what} has latitude and longitude swapped (a latitude cannot be beyond "
            f"±90°); using {_fmt(lon)}, {_fmt(lat)}"
        )
        return lon, lat, approximate
    reading.note(f"its {what} is out of range; ignored")
    return None


def _valid_geo(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    """Both as floats when they make a position, else (None, None); 0,0 is a placeholder."""
    try:
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError, OverflowError):
        return None, None
    if not (-90 <= flat <= 90 and -180 <= flon <= 180) or (flat == 0 and flon == 0):
        return None, None
    return flat, flon


def _fmt(degrees: float) -> str:
    """Degrees as a person would write them: ``-79.3832``, not ``-79.38320000``."""
    return f"{degrees:.6f}".rstrip("0").rstrip(".")


def _swap_is_certain(lat: float, lon: float) -> bool:
    return 90 < abs(lat) <= 180 and abs(lon) <= 90 and lon != 0


def _parse_pair(text: str) -> tuple[float, float, int] | None:
    """``lat;lon`` as written, with ``\\;``, ``+`` signs, a comma, or decimal commas."""
    text = re.sub(r"\\+([;,])", r"\1", text.strip())
    if text.count(";") == 1:
        first, second = text.split(";")
    elif text.count(",") == 1:
        first, second = text.split(",")
    else:
        return None
    return _numbers(first, second)


def _numbers(first: str, second: str) -> tuple[float, float, int] | None:
    first, second = first.strip().replace(",", "."), second.strip().replace(",", ".")
    if not (_NUMBER.match(first) and _NUMBER.match(second)):
        return None
    return float(first), float(second), max(_decimals(first), _decimals(second))


def _decimals(number: str) -> int:
    _, _, fraction = number.partition(".")
    return len(fraction.rstrip("0")) if "e" not in number.lower() else 99


def _coordinates_in_text(location: str) -> tuple[float, float] | None:
    """The position when LOCATION is nothing but one ("43.6532, -79.3832")."""
    match = _COORDINATE_TEXT.match(location)
    if match:
        return float(match.group("lat")), float(match.group("lon"))
    match = _HEMISPHERE_TEXT.match(location)
    if match:
        lat = float(match.group("lat")) * (-1 if match.group("ns").upper() == "S" else 1)
        lon = float(match.group("lon")) * (-1 if match.group("ew").upper() == "W" else 1)
        return lat, lon
    return None


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


# --- Reading properties without trusting them ---------------------------------------


def _values(component: Any, name: str) -> list[Any]:
    """Every value of a property; [] when absent or when reading it fails."""
    try:
        value = component.get(name)
    except (AttributeError, KeyError, TypeError, ValueError):
        try:
            value = dict.get(component, name) if isinstance(component, dict) else None
        except (AttributeError, KeyError, TypeError, ValueError):
            return []
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _raw(value: Any) -> str:
    """A property's text as written (vGeo's ``str`` is its repr, hence ``to_ical``)."""
    if isinstance(value, str):
        return str(value)
    try:
        ical = value.to_ical()
        return ical.decode("utf-8", "replace") if isinstance(ical, bytes) else str(ical)
    except (AttributeError, KeyError, TypeError, ValueError, UnicodeError):
        try:
            return str(value)
        except (AttributeError, KeyError, TypeError, ValueError, UnicodeError):
            return ""


def _text(component: Any, name: str) -> str:
    values = _values(component, name)
    return _raw(values[0]).strip() if values else ""


def _unescape(text: str) -> str:
    """Undo escapes some producers apply twice (Meetup's ``\\,``) and Apple's ``\\n``."""
    if "\\" not in text:
        return text
    text = re.sub(r"\\+[nN]", "\n", text)
    return re.sub(r"\\+([,;:\\])", r"\1", text)


# --- The feed as a whole ---------------------------------------------------------------


def audit_places(events: list[Event]) -> tuple[list[Event], list[Problem]]:
    """Correct what only a whole feed reveals; one file's events at a time.

    Returns the events (a Place corrected with ``dataclasses.replace``, the
    others unchanged, in the same order) and one NOTE per finding, naming the
    event(s) (the events are kept, only a position changed):

    1. Out-of-range positions (from anywhere): swapped back when the swap is
       certain (latitude beyond ±90° while the longitude is a valid
       latitude), dropped otherwise.
    2. City centroid: when at least 3 events (distinct UIDs) have a position,
       all positions are identical and the events' locations differ (two
       different addresses, or two different names when none has one), the
       feed put its city's centre on every event. The coordinates are
       dropped, names and addresses kept, and it is said once.
    3. Swaps within range: when at least 3 positioned events, a majority of
       them, lie within 150 km of the feed's median point, an event more
       than 1000 km away whose swapped coordinates land within 150 km of it
       is swapped back. A real event would have to be at the transposed
       point (for Toronto, in Antarctica) to be mistaken; places near the
       lat = lon diagonal, whose swap moves them less than 1000 km, are
       never touched. Limits: a feed spread over a continent has no region
       and is left alone, and medians do not handle the antimeridian.
    """
    out = list(events)
    problems: list[Problem] = []
    try:
        _audit_ranges(out, problems)
        _audit_centroid(out, problems)
        _audit_region_swaps(out, problems)
    except Exception as exc:  # an audit must never cost the user the import
        log_failure(_log, "auditing the places of a calendar", exc)
        return list(events), []
    return out, problems


def _note(event: Event, text: str) -> Problem:
    """A NOTE about one event's position, naming the event in its file."""
    return Problem(event.source, f"{event.summary!r}: {text}", severity=Severity.NOTE)


def _audit_ranges(events: list[Event], problems: list[Problem]) -> None:
    noted: set[str] = set()
    for index, event in enumerate(events):
        place = event.place
        if place.lat is None or place.lon is None:
            continue
        lat, lon = place.lat, place.lon
        if _valid_geo(lat, lon) != (None, None):
            continue
        first = event.uid not in noted
        noted.add(event.uid)
        if math.isfinite(lat) and math.isfinite(lon) and _swap_is_certain(lat, lon):
            events[index] = replace(event, place=replace(place, lat=lon, lon=lat))
            if first:
                problems.append(
                    _note(
                        event,
                        f"latitude and longitude were swapped ({_fmt(lat)}, {_fmt(lon)}); "
                        f"using {_fmt(lon)}, {_fmt(lat)}",
                    )
                )
        else:
            events[index] = replace(event, place=replace(place, lat=None, lon=None))
            if first:
                problems.append(_note(event, f"position {lat}, {lon} is not a valid one; ignored"))


def _positioned(events: Sequence[Event]) -> list[int]:
    return [i for i, e in enumerate(events) if e.place.has_position and not e.place.virtual]


def _location_key(place: Place) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", place.address or place.name).casefold().split())


def _audit_centroid(events: list[Event], problems: list[Problem]) -> None:
    indexes = _positioned(events)
    positions = {
        (round(events[i].place.lat or 0, 5), round(events[i].place.lon or 0, 5)) for i in indexes
    }
    if len(positions) != 1 or len({events[i].uid for i in indexes}) < 3:
        return
    locations = {_location_key(events[i].place) for i in indexes} - {""}
    if len(locations) < 2:
        return
    for i in indexes:
        place = events[i].place
        events[i] = replace(events[i], place=replace(place, lat=None, lon=None, approximate=False))
    (lat, lon) = positions.pop()
    examples = _examples(events[i].summary for i in indexes)
    source = events[indexes[0]].source
    problems.append(
        Problem(
            source,
            f"{len(indexes)} events ({examples}) all have the position {_fmt(lat)}, {_fmt(lon)} "
            "although their locations differ: that is the city's centre, not the venues, so it "
            "was ignored",
            severity=Severity.NOTE,
        )
    )


def _examples(summaries: Iterable[str], limit: int = 3) -> str:
    distinct = list(dict.fromkeys(summaries))
    shown = ", ".join(repr(s) for s in distinct[:limit])
    return shown + (f" and {len(distinct) - limit} more" if len(distinct) > limit else "")


def _audit_region_swaps(events: list[Event], problems: list[Problem]) -> None:
    indexes = _positioned(events)
    if len(indexes) < 4:
        return

    points = {i: (events[i].place.lat or 0.0, events[i].place.lon or 0.0) for i in indexes}
    centre = (median(p[0] for p in points.values()), median(p[1] for p in points.values()))
    near = [i for i in indexes if distance_km(*points[i], *centre) <= _REGION_KM]
    if len(near) < 3 or 2 * len(near) <= len(indexes):
        return
    noted: set[str] = set()
    for i in indexes:
        lat, lon = points[i]
        if abs(lon) > 90 or distance_km(lat, lon, *centre) < _FAR_KM:
            continue
        if distance_km(lon, lat, *centre) > _REGION_KM:
            continue
        event = events[i]
        events[i] = replace(event, place=replace(event.place, lat=lon, lon=lat))
        if event.uid not in noted:
            noted.add(event.uid)
            problems.append(
                _note(
                    event,
                    f"its position {_fmt(lat)}, {_fmt(lon)} is far from the feed's other events "
                    f"but {_fmt(lon)}, {_fmt(lat)} is among them: latitude and longitude were "
                    "swapped; corrected",
                )
            )
