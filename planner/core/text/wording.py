"""How times, durations and spans are written in explanations.

Every sentence planner shows a person goes through these few functions, so
the CLI, the GUI and the exports all say "Tue 18:30–21:30" the same way.
"""

from __future__ import annotations

from datetime import datetime

from planner.core.model import Event


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


def day(when: datetime) -> str:
    return when.strftime("%a")


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
