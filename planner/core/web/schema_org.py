"""A schema.org Event object as planner's :class:`Event`, and what had to be assumed.

The object is trusted for what it says and nothing is invented for what it does
not: a start without an offset is read in the user's zone, a missing end gets the
typed events' 90 minutes, a page that names no place gets none, and each of these
is marked as assumed, as a typed line's guesses are.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.core.model import Event, Place, Status
from planner.core.text.quick_add.results import Assumption, Parsed, Part
from planner.core.web.markup import types_of

SOURCE = "web page"
"""The :attr:`Event.source` of events read from a page (kept with the typed ones)."""

DEFAULT_MINUTES = 90
"""The length of an event whose page gives no end: the same as a typed line's."""

_CONCESSION = re.compile(
    r"\b(member|student|child|kid|senior|concession|youth|early[\s-]?bird|group|vip|donat)",
    re.IGNORECASE,
)
_GENERAL = re.compile(r"\bnon[-\s]?member|\bgeneral|\bguest|\bregular|\bstandard", re.IGNORECASE)
_DURATION = re.compile(r"^P(?:T)?(?:(\d+)H)?(?:(\d+)M)?$", re.IGNORECASE)


class NotAnEventError(ValueError):
    """An Event object planner cannot place in time (no name, no readable start)."""


@dataclass(slots=True)
class _Notes:
    items: list[Assumption] = field(default_factory=list)

    def add(self, part: Part, text: str) -> None:
        self.items.append(Assumption(part, text))


def event_from_object(
    node: dict[str, Any], page_url: str, zone: ZoneInfo, line_number: int = 1
) -> Parsed:
    """The event ``node`` describes, as a typed line's :class:`Parsed` (same fields, same
    preview, same JSON); :class:`NotAnEventError` when it has no name or no usable start."""
    notes = _Notes()
    title = _text(node.get("name"))
    if not title:
        raise NotAnEventError("an event without a name")
    start, all_day = _moment(node.get("startDate"), zone, "start", notes)
    if start is None:
        raise NotAnEventError(f"“{title}” has no start date planner can read")
    if not _usable(start):
        raise NotAnEventError(_unusable(title, node.get("startDate")))
    try:
        end = _end(node, start, all_day, zone, notes)
        end.astimezone(UTC)
    except OverflowError:
        raise NotAnEventError(_unusable(title, node.get("endDate"))) from None
    place = _place(node, notes)
    cost = _cost(node, notes)
    status = _status(node, notes)
    url = _text(node.get("url")) or page_url
    digest = hashlib.sha1(
        f"{url}|{title}|{start.isoformat()}".encode(), usedforsecurity=False
    ).hexdigest()[:16]
    event = Event(
        uid=f"web-{digest}",
        summary=title,
        start=start,
        end=end,
        all_day=all_day,
        place=place,
        url=url,
        description=_text(node.get("description"))[:2000],
        cost=cost,
        status=status,
        source=SOURCE,
        timezone="UTC" if start.utcoffset() == timedelta(0) and start.tzinfo is not zone else "",
    )
    return Parsed(event, line_number, page_url, tuple(notes.items))


def _text(value: Any) -> str:
    """A property's text: the first of a list, a node's name, "" when absent."""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or "")
    if value is None:
        return ""
    # Half of a surrogate pair escaped in the JSON ("\\ud83d") reads as a lone surrogate,
    # which no UTF-8 file or database takes: U+FFFD, as for any undecodable byte.
    return " ".join(_LONE_SURROGATE.sub("\ufffd", str(value)).split())


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _usable(moment: datetime) -> bool:
    """Whether a moment is far enough from year 1 and 9999 to be kept (as UTC) and
    planned around (a day either side); a page may say 9999-12-31 to mean "never"."""
    try:
        (moment - timedelta(days=2)).astimezone(UTC)
        (moment + timedelta(days=2)).astimezone(UTC)
    except OverflowError:
        return False
    return True


def _unusable(title: str, value: Any) -> str:
    return f"“{title}” has a date planner cannot use ({_text(value)[:40]})"


def _moment(value: Any, zone: ZoneInfo, part: Part, notes: _Notes) -> tuple[datetime | None, bool]:
    """An ISO 8601 date or date-time, aware; a date alone is an all-day event."""
    text = _text(value)
    if not text:
        return None, False
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(), tzinfo=zone), True
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, False
    if moment.tzinfo is None:
        notes.add(part, f"the page gives no time zone: {moment:%H:%M} read in {zone.key}")
        return moment.replace(tzinfo=zone), False
    return moment, False


def _end(
    node: dict[str, Any], start: datetime, all_day: bool, zone: ZoneInfo, notes: _Notes
) -> datetime:
    end, _ = _moment(node.get("endDate"), zone, "end", notes)
    if all_day:
        return (end or start) + timedelta(days=1)
    if end is not None and end > start:
        return end
    duration = _DURATION.match(_text(node.get("duration")))
    if duration and any(duration.groups()):
        hours, minutes = (int(g or 0) for g in duration.groups())
        with contextlib.suppress(OverflowError):  # PT99999999999H: no duration at all
            return start + timedelta(hours=hours, minutes=minutes)
    notes.add("end", f"no end time on the page: {DEFAULT_MINUTES} minutes assumed")
    return start + timedelta(minutes=DEFAULT_MINUTES)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _place(node: dict[str, Any], notes: _Notes) -> Place:
    """The venue; online only when nothing physical is given or the mode says online
    (a mixed event keeps its venue: planner plans the trip)."""
    mode = _text(node.get("eventAttendanceMode")).lower()
    physical: list[Any] = []
    virtual = False
    for location in _as_list(node.get("location")):
        if isinstance(location, dict) and "VirtualLocation" in types_of(location):
            virtual = True
        elif location:
            physical.append(location)
    online = "onlineevent" in mode or (virtual and not physical)
    if online:
        return Place(virtual=True)
    if not physical:
        notes.add("place", "the page gives no place")
        return Place()
    location = physical[0]
    if not isinstance(location, dict):
        return Place(address=_text(location))
    name = _text(location.get("name"))
    address = _address(location.get("address"))
    lat, lon = _coordinates(location.get("geo"))
    place = Place(name=name, address=address if address != name else "", lat=lat, lon=lon)
    if not (place.name or place.address or place.has_position):  # a Place named by an @id
        notes.add("place", "the page gives no place")  # the page does not define
    return place


def _address(value: Any) -> str:
    """A PostalAddress in one line ("100 King St W, Toronto, ON M5X 1A9, CA"), or the
    address as the page wrote it."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, dict):
        return _text(value)
    region = " ".join(
        p for p in (_text(value.get("addressRegion")), _text(value.get("postalCode"))) if p
    )
    parts = (
        _text(value.get("streetAddress")),
        _text(value.get("addressLocality")),
        region,
        _text(value.get("addressCountry")),
    )
    return ", ".join(p for p in parts if p)


def _coordinates(value: Any) -> tuple[float | None, float | None]:
    geo = value[0] if isinstance(value, list) and value else value
    if not isinstance(geo, dict):
        return None, None
    try:
        lat, lon = float(geo.get("latitude", "")), float(geo.get("longitude", ""))
    except (TypeError, ValueError):
        return None, None
    if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180:
        return lat, lon
    return None, None


@dataclass(frozen=True, slots=True)
class _Price:
    amount: float
    name: str
    currency: str


def _prices(node: dict[str, Any]) -> list[_Price]:
    prices: list[_Price] = []
    for offer in _as_list(node.get("offers")):
        if not isinstance(offer, dict):
            continue
        name = _text(offer.get("name") or offer.get("category") or "")
        currency = _text(offer.get("priceCurrency"))
        for key in ("price", "lowPrice"):
            raw = _text(offer.get(key)).replace(",", "").lstrip("$€£ ")
            if not raw:
                continue
            if raw.lower() == "free":
                prices.append(_Price(0.0, name, currency))
                break
            try:
                amount = float(raw)
            except ValueError:
                continue
            if math.isfinite(amount) and amount >= 0:
                prices.append(_Price(amount, name, currency))
                break
    return prices


def _is_concession(name: str) -> bool:
    """A price only some pay (members, students, early birds), not a guest's."""
    return bool(_CONCESSION.search(name)) and not _GENERAL.search(name)


def _cost(node: dict[str, Any], notes: _Notes) -> float | None:
    """What a guest pays: free when the page says so, one price as given, of several the
    lowest general one (not a member's, student's or early bird's), marked assumed."""
    free = node.get("isAccessibleForFree")
    if free is True or str(free).lower() == "true":
        return 0.0
    prices = _prices(node)
    if not prices:
        return None
    if len({p.amount for p in prices}) == 1:
        return prices[0].amount
    general = [p for p in prices if not _is_concession(p.name)] or prices
    chosen = min(general, key=lambda p: p.amount)
    others = ", ".join(
        " ".join(part for part in (p.name or "another", f"{p.amount:g}") if part)
        for p in prices
        if p is not chosen
    )
    price = " ".join(part for part in (f"{chosen.amount:g}", chosen.currency) if part)
    notes.add("cost", f"{price}, the lowest general price of {len(prices)} ({others})")
    return chosen.amount


def _status(node: dict[str, Any], notes: _Notes) -> Status:
    status = _text(node.get("eventStatus")).lower()
    if "cancel" in status:
        notes.add("day", "the page says this event is cancelled")
        return Status.CANCELLED
    if "postpone" in status:
        notes.add("day", "the page says this event is postponed: the date shown may not hold")
        return Status.TENTATIVE
    if "reschedul" in status:
        previous = _text(node.get("previousStartDate"))
        was = f" (it was {previous})" if previous else ""
        notes.add("day", f"the page says this event was rescheduled to this date{was}")
    return Status.CONFIRMED
