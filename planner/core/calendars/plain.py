"""A fast path for calendars of plain one-off events, equal to icalendar's parse.

A feed of 1,000 one-off events (a Meetup or Eventbrite export) spends most of
its reading time in icalendar's parser: splitting each content line character
by character, building parameter objects for every line, looking up value
types. For a plain event none of that can change the result, so
:func:`calendar_of` builds the same :class:`icalendar.Calendar` directly:

* the calendar's own lines and its VTIMEZONE blocks are still parsed by
  icalendar (so time zones are registered exactly as in a full parse);
* each VEVENT is built from its lines with icalendar's own value types
  (``from_ical`` of the type icalendar picks for the property, the same
  unescaping, the same ``add``), in the order of the file.

An event that is not plain is parsed by icalendar, with the calendar's header
and time zones, in the same call: one with a property outside
:data:`PLAIN_PROPERTIES` (a recurrence rule, an override, an alarm, an
organiser), a parameter other than a simple ``TZID`` or ``VALUE`` on a date, a
quote or backslash before a value, a property given twice. When a value is one
icalendar's type rejects, or icalendar reads the rest otherwise than block by
block, :func:`calendar_of` answers None and the caller parses the whole text
with icalendar. It never guesses.
``tests/core/test_plain_ics.py`` holds it to icalendar's own parse on
generated calendars, as components and as the events planner reads.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from icalendar import Calendar
from icalendar.parser.content_line import Contentline
from icalendar.parser.parameter import Parameters
from icalendar.parser.property import split_on_unescaped_comma, unescape_backslash

from planner.core.calendars import stream as ics_stream

if TYPE_CHECKING:
    from icalendar.cal import Component

PLAIN_PROPERTIES = frozenset(
    {
        "UID",
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DTSTAMP",
        "CREATED",
        "LAST-MODIFIED",
        "SEQUENCE",
        "LOCATION",
        "DESCRIPTION",
        "URL",
        "CATEGORIES",
        "GEO",
        "STATUS",
        "TRANSP",
        "PRIORITY",
        "CLASS",
        "X-COST",
    }
)
"""What a plain one-off event may hold: no recurrence, override, alarm or attendee."""

_DATES = frozenset({"DTSTART", "DTEND", "DTSTAMP", "CREATED", "LAST-MODIFIED"})
_DATETIME_NAMES = frozenset({"DTSTART", "DTEND"})  # the ones icalendar reads a TZID for
_NAME = re.compile(r"[A-Za-z0-9-]+\Z")
_PARAMETER = re.compile(r"(TZID|VALUE)=([A-Za-z0-9_+/-]+)\Z", re.IGNORECASE)


class NotPlainError(Exception):
    """Something in the calendar this fast path does not handle: parse it in full."""


def calendar_of(found: ics_stream.Scan) -> Calendar | None:
    """The calendar ``found.text()`` parses to, or None when no event in it is plain.

    The events that are not plain (a series, an override, an alarm) are parsed by
    icalendar with the calendar's header and time zones, as in a full parse; the
    plain ones are built, and every event keeps its place in the file's order.
    """
    if not found.events:
        return None
    tzids = {ics_stream.property_value(b.lines, "TZID") for b in found.timezones}
    split = [_plain_lines(block, tzids) for block in found.events]
    if all(lines is None for lines in split):
        return None
    rest = [block for block, lines in zip(found.events, split, strict=True) if lines is None]
    try:
        # The header, the time zones and what is not plain: by icalendar, as in full.
        calendar = Calendar.from_ical(found.text(rest))
        parsed = list(calendar.subcomponents)
        zones = len(found.timezones)
        if len(parsed) != zones + len(rest) or any(
            component.name != block.name.upper()
            for component, block in zip(parsed[zones:], rest, strict=True)
        ):
            return None  # icalendar read the blocks otherwise: let the full parse decide
        others = iter(parsed[zones:])
        events = [next(others) if lines is None else _event(lines) for lines in split]
    except (ValueError, TypeError, KeyError):
        return None
    calendar.subcomponents[:] = parsed[:zones] + events
    return calendar


Line = tuple[str, Parameters, str, str]
"""A plain content line: name, parameters, raw value, and the line itself."""


def _plain_lines(block: ics_stream.Block, tzids: set[str]) -> list[Line] | None:
    """The block's property lines when it is a plain event, else None."""
    lines = block.lines
    if len(lines) < 2 or lines[0].upper() != "BEGIN:VEVENT" or lines[-1].upper() != "END:VEVENT":
        return None
    out: list[Line] = []
    seen: set[str] = set()
    try:
        for line in lines[1:-1]:
            name, params, raw = _split(line, tzids)
            if name in seen:
                return None  # a property given twice: leave it to icalendar
            seen.add(name)
            out.append((name, params, raw, line))
    except NotPlainError:
        return None
    return out


def _event(lines: list[Line]) -> Component:
    component = Calendar._get_component_factory().get_component_class("VEVENT")()
    for name, params, raw, line in lines:
        _add(component, name, params, raw, line)
    return component


def _split(line: str, tzids: set[str]) -> tuple[str, Parameters, str]:
    """Name, parameters and raw value of a plain line, as icalendar's splitter gives them."""
    colon = line.find(":")
    if colon <= 0:
        raise NotPlainError(line[:40])
    head = line[:colon]
    name, *parameters = head.split(";")
    if not _NAME.match(name):
        raise NotPlainError(name)  # a quote, a backslash, spaces: icalendar's splitter decides
    name = name.upper()
    if name not in PLAIN_PROPERTIES:
        raise NotPlainError(name)
    params = Parameters()
    for parameter in parameters:
        match = _PARAMETER.match(parameter)
        if match is None or name not in _DATES:
            raise NotPlainError(parameter)
        key, value = match.group(1).upper(), match.group(2)
        if key in params:
            raise NotPlainError(parameter)
        # A TZID the file defines or that names an IANA zone is kept as written by the
        # scan (anything else it rewrites, so leave that to the full path).
        if key == "TZID" and value not in tzids and not ics_stream.is_iana(value):
            raise NotPlainError(value)
        params[key] = value
    return name, params, line[colon + 1 :]


def _add(component: Component, name: str, params: Parameters, raw: str, line: str) -> None:
    """Add one property as icalendar's parser does (``handle_property``)."""
    factory = _factory(name, params.value if params else None)
    if name == "CATEGORIES":
        value = factory(split_on_unescaped_comma(raw))
        _set_params(value, params)
        component.add("CATEGORIES", value, encode=False)
        return
    verbatim = getattr(factory, "get_value_from_content_line", None)
    # An unknown type (X-COST) keeps its value verbatim, as icalendar's parser reads it.
    content_line: Any = Contentline
    text = verbatim(content_line(line)) if verbatim is not None else unescape_backslash(raw)
    tzid = params.get("TZID") if name in _DATETIME_NAMES else None
    parsed = factory.from_ical(text, tzid) if tzid else factory.from_ical(text)
    value = factory(parsed)
    _set_params(value, params)
    component.add(name, value, encode=False)


_FACTORIES: dict[tuple[str, str | None], Any] = {}


def _factory(name: str, value_param: str | None) -> Any:
    """icalendar's value type for a property (a pure function of its name and VALUE)."""
    key = (name, value_param)
    found = _FACTORIES.get(key)
    if found is None:
        found = _FACTORIES[key] = Calendar.types_factory.for_property(name, value_param)
    return found


def _set_params(value: Any, params: Parameters) -> None:
    """The line's parameters, as the parser sets them; an empty set the value already
    has (most types start with one) is kept rather than replaced by another."""
    if params or value.params:
        value.params = params
