"""How times, dates, durations and spans are written in explanations.

Every sentence planner shows a person goes through these few functions, so
the CLI, the GUI and the exports all say "Tue 18:30–21:30" and "Sun 6 Dec" the
same way: the day of the month without a leading zero, and English names
whatever the locale (strftime's ``%a`` and ``%B`` follow the C locale, which Qt
sets from the environment, and would mix languages in an English sentence).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime

from planner.core.model import Event, Leg, Trip

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def minutes(total: int | float) -> str:
    """``250`` -> ``"4 h 10 min"``; ``45`` -> ``"45 min"``; ``120`` -> ``"2 h"``."""
    total = round(total)
    hours, mins = divmod(abs(total), 60)
    sign = "-" if total < 0 else ""
    if hours and mins:
        return f"{sign}{hours} h {mins} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{mins} min"


def clock(when: datetime) -> str:
    return when.strftime("%H:%M")


def day(when: date) -> str:
    """``"Sun"``."""
    return WEEKDAYS[when.weekday()][:3]


def weekday(when: date) -> str:
    """``"Sunday"``."""
    return WEEKDAYS[when.weekday()]


def month(when: date) -> str:
    """``"December"``."""
    return MONTHS[when.month - 1]


def short_date(when: date, *, year: bool = False, named: bool = True) -> str:
    """``"Sun 6 Dec"``, ``"Sun 6 Dec 2026"`` with ``year``, ``"6 Dec 2026"`` without the
    day's name (``named=False``): how a day is written in lists, status lines and
    sentences."""
    text = f"{day(when)} {when.day} {month(when)[:3]}" if named else f"{when.day} {month(when)[:3]}"
    return f"{text} {when.year}" if year else text


def long_date(when: date, *, year: bool = True, named: bool = True) -> str:
    """``"Sunday 6 December 2026"`` (``year=False``: ``"Sunday 6 December"``;
    ``named=False``: ``"6 December 2026"``): headings."""
    text = f"{when.day} {month(when)}"
    text = f"{weekday(when)} {text}" if named else text
    return f"{text} {when.year}" if year else text


def moment(when: datetime, *, year: bool = False) -> str:
    """``"Sun 6 Dec 07:31"`` (``"Sun 6 Dec 2026 07:31"`` with ``year``)."""
    return f"{short_date(when, year=year)} {clock(when)}"


def span(event: Event) -> str:
    """``"Tue 18:30-21:30"``, or ``"all day Sat"`` for all-day events."""
    if event.all_day:
        return f"all day {day(event.start)}"
    return f"{day(event.start)} {clock(event.start)}-{clock(event.end)}"


def money(dollars: float | None) -> str:
    if dollars is None:
        return "price not stated"
    if dollars == 0:
        return "free"
    return f"${dollars:,.0f}" if dollars == int(dollars) else f"${dollars:,.2f}"


def a_clock(when: datetime) -> str:
    """``"an 18:00"``, ``"a 19:00"``: eight, eleven and eighteen start with a vowel sound."""
    text = clock(when)
    return ("an " if when.hour in (8, 11, 18) else "a ") + text


def place(name: str) -> str:
    """How a place reads in a sentence: "home", "the office", "PMI mixer"."""
    if name == "home" or not name or not name[0].islower():
        return name or "an unknown place"
    return f"the {name}"


_VERBS_WITHOUT_SUBJECT = frozenset({"clashes", "would", "costs", "is", "fits", "breaks"})


def although(reason: str) -> str:
    """``"although it clashes with …"``, ``"although you would arrive at …"``: a rule's
    reason after "although", with "it" only where the reason has no subject of its own
    (the rules write "clashes with …" for a list's Why column, "you would arrive …" for
    a sentence, and a commitment that breaks one must read as English either way)."""
    first = reason.split(" ", 1)[0]
    return f"although it {reason}" if first in _VERBS_WITHOUT_SUBJECT else f"although {reason}"


def leg(part: Leg) -> str:
    """``"walk 6 min"``, ``"drive 12 min"``, ``"GO LE 17:53 → 18:38 Union"``: one part of a
    trip by the timetable as a rider reads it on a platform sign."""
    if part.mode != "ride":
        took = math.ceil((part.arrive - part.depart).total_seconds() / 60 - 1e-9)
        return f"{part.mode} {max(took, 1)} min"
    route = part.route or "ride"
    return f"{route} {clock(part.depart)} → {clock(part.arrive)} {part.destination}"


def legs(parts: Sequence[Leg]) -> str:
    """``"walk 6 min · GO LE 17:53 → 18:38 Union · walk 8 min"``: the whole journey, as
    the details panel, the agenda and the exported travel block name it."""
    return " · ".join(leg(part) for part in parts)


def first_ride(parts: Sequence[Leg]) -> str:
    """``"the 17:53 GO LE"``: what the user leaves for ("" without a ride)."""
    for part in parts:
        if part.mode == "ride":
            return f"the {clock(part.depart)} {part.route or 'ride'}"
    return ""


def last_ride(ride: Leg) -> str:
    """``"the last GO LE to Whitby GO leaves Union Station at 23:55"``."""
    return (
        f"the last {ride.route or 'ride'} to {ride.destination} leaves {ride.origin} "
        f"at {clock(ride.depart)}"
    )


def journey(trip: Trip) -> str:
    """``"transit 64 min: walk 6 min · GO LE 17:53 → 18:38 Union · walk 8 min"`` for a
    trip by the timetable; the plain label ("drive 45 min") for any other."""
    if not trip.legs:
        return trip.label
    return f"{trip.label}: {legs(trip.legs)}"
