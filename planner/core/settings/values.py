"""Single values of the settings file: how a text, a clock or a place is read and written.

The schema names these functions for the keys that need more than a type
check (a time zone that must exist, a place given as "lat, lon" or an
address, a day name), so the reader, the writer and the dialog share one
reading of each. Every reader takes the value and ``where`` (the key, as
``[budget] weekly_hours``) and raises :class:`SettingsError` naming it.
"""

from __future__ import annotations

import re
import reprlib
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.core.model import Place, TravelMode
from planner.core.settings.types import WEEKDAYS, SettingsError

# Any two plain numbers are coordinates (and "999, 999" is refused as such), not an address.
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
END_OF_DAY = time(23, 59, 59)
"""A time "to 24:00" (or "to 23:59"): the last second of the day."""

_KIND_NAMES = {
    int: "a whole number",
    float: "a number",
    str: "text in quotes",
    bool: "true or false",
    dict: "a [table]",
    list: "a list",
}


def expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    """``value`` when it is of ``kind``; a bool is not a number, though Python says so."""
    numeric = kind in (int, float, (int, float))
    name = _KIND_NAMES.get(kind, str(kind)) if isinstance(kind, type) else "a number"
    if (isinstance(value, bool) and numeric) or not isinstance(value, kind):
        raise SettingsError(f"{where}: expected {name}, got {shown(value)}")
    return value


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel = 3
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlist = _SHOWN.maxdict = 4


def shown(value: Any) -> str:
    """A value as an error message quotes it: short, however long or deep it is."""
    return _SHOWN.repr(value)


def parse_place(name: str, text: str, where: str = "") -> Place:
    """A place from settings text: ``"lat, lon"`` or an address.

    An address without coordinates stays unresolved here; resolving it is the
    travel module's job (with the user's consent for geocoding). ``where``
    names the key in error messages (the place's name when not given).
    """
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SettingsError(f"{where or name}: {text!r} is not a valid latitude, longitude")
        return Place(name=name, lat=lat, lon=lon)
    return Place(name=name, address=text.strip())


def place_text(place: Place) -> str:
    """The settings text :func:`parse_place` reads back as ``place``.

    The address wins when there is one, because it is what the user wrote
    (coordinates found for it later come from the geocoder). Coordinates are
    written in positional notation: ``repr`` would give ``1e-05``, which
    reads back as an address.
    """
    if place.address:
        return place.address
    if place.lat is None or place.lon is None:
        return ""
    return f"{_decimal(place.lat)}, {_decimal(place.lon)}"


def _decimal(number: float) -> str:
    from decimal import Decimal  # only the writer needs it: kept off the start-up path

    return format(Decimal(repr(number)), "f")


def clock(text: str, where: str) -> time:
    """A time of day from ``"HH:MM"``."""
    match = _CLOCK.fullmatch(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SettingsError(f'{where}: expected a time of day like "22:00", got {text!r}')
    return time(int(match.group(1)), int(match.group(2)))


def clock_text(value: time) -> str:
    """The ``"HH:MM"`` :func:`clock` reads back; the end of the day is "24:00"."""
    return "24:00" if value == END_OF_DAY else f"{value.hour:02d}:{value.minute:02d}"


def end_of_day(text: str, where: str) -> time:
    """The end of a time range: "24:00" and "23:59" both mean the end of the day."""
    return END_OF_DAY if text in ("24:00", "23:59") else clock(text, where)


def day(text: str, where: str) -> int:
    """A weekday number (Monday 0) from a day name; "Wednesday" is as good as "wed"."""
    name = text.strip().lower()[:3]
    if name not in WEEKDAYS:
        raise SettingsError(f"{where}: {text!r} is not a day (mon ... sun)")
    return WEEKDAYS.index(name)


def time_zone(text: str, where: str) -> str:
    """An IANA time zone name that this machine knows."""
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"{where}: unknown time zone {text!r}") from exc
    return text


def home_text(text: str, where: str) -> str:
    """Home as the user wrote it, once it is known to read as a place."""
    parse_place("home", text, where)
    return text


def saved_place(text: str, where: str) -> Place:
    """A saved place's position or address; its name comes from its table's name."""
    return parse_place("", text, where)


def travel_mode(text: str, where: str) -> TravelMode:
    """A travel mode from its name (already checked to be one of them)."""
    return TravelMode(text)


def lower(text: str, where: str) -> str:
    """Names compared without case (categories) are kept in lower case."""
    return text.lower()


def words(text: str, where: str) -> str:
    """Text to look for in events: surrounding blanks are no part of it, and it cannot be empty."""
    text = text.strip()
    if not text:
        raise SettingsError(f"{where}: needs a match text")
    return text
