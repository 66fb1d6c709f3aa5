"""Ordinal weekdays of a month: "the second Wednesday of January", "le dernier vendredi du mois".

Meetups and chapters announce themselves this way ("every 2nd Tuesday of the
month"). dateparser does not read it in any language, and the words around
a weekday would otherwise leave "the second" in the title and the event on
this week's Wednesday: a date a month or more away read as one this week.
The month must be said (a name, "the month", "next month"): "last Friday"
alone is the one before today in English and is no ordinal of a month.

What the line leaves open is chosen and noted: the year (the next such day
from the reference day), which month "the month" is (this one, or the next
once this one's has passed), and the next one of a series ("every ...").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.core.text.quick_add.day_words import (
    LAST_WORDS,
    MONTHS,
    ORDINALS,
    WEEKDAYS,
    alternation,
    fold,
    month_words,
    weekday_words,
)
from planner.core.text.quick_add.line import NotAnEventError, Reading

_EVERY = r"every|each|chaque|tous\s+les|cada|todos\s+los|jeden|jedem|jeweils\s+am"
_ARTICLE = r"(?:on\s+)?the|le|la|el|am|den|der|die"
_CONNECTOR = r"of(?:\s+the)?|in|de|d['’]|du|del|des|im|en"
_THIS_MONTH = (
    r"this\s+month|month|ce\s+mois(?:-ci)?|mois|este\s+mes|mes|diesem\s+monat|dieses\s+monats"
    r"|monats|monat"
)
_EACH_MONTH = r"each\s+month|every\s+month|chaque\s+mois|cada\s+mes|jeden\s+monats?"
_NEXT_MONTH = (
    r"next\s+month|mois\s+prochain|prochain\s+mois|mes\s+que\s+viene|pr[óo]ximo\s+mes"
    r"|n[äa]chsten\s+monat|kommenden\s+monat|n[äa]chsten\s+monats"
)
_ORDINAL_NAMES = ("first", "second", "third", "fourth", "fifth")


@dataclass(frozen=True, slots=True)
class _Words:
    pattern: re.Pattern[str]
    ordinals: dict[str, int]
    """Folded ordinal -> 0 for the first ... 4 for the fifth."""
    weekdays: dict[str, int]
    """Folded weekday word -> Monday=0."""
    months: dict[str, int]
    """Folded month word -> 1 to 12."""


_CACHE: dict[tuple[str, ...], _Words] = {}


def _words(languages: Sequence[str]) -> _Words:
    key = tuple(languages)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    ordinals = {
        word.casefold(): index
        for lang in key
        for index, names in enumerate(ORDINALS.get(lang, ()))
        for word in names
    }
    weekdays = {
        fold(word): index
        for lang in key
        for index, names in enumerate(WEEKDAYS.get(lang, ()))
        for word in names
    }
    months = {
        fold(word): index
        for lang in key
        for index, names in enumerate(MONTHS.get(lang, ()), start=1)
        for word in names
    }
    ordinal = alternation(ordinals)
    pattern = re.compile(
        rf"(?<![\w])(?:(?P<every>{_EVERY})\s+)?(?:(?:{_ARTICLE})\s+)?"
        rf"(?:(?P<ord>{ordinal})|(?P<last>{LAST_WORDS}))(?![\w])\s*"
        rf"(?P<wd>{alternation(weekday_words(key))})\b\.?"
        rf"\s+(?:{_CONNECTOR})\s*"
        rf"(?:(?P<next>{_NEXT_MONTH})|(?P<each>{_EACH_MONTH})|(?P<this>{_THIS_MONTH})"
        rf"|(?P<month>{alternation(month_words(key))})\b\.?(?:,?\s+(?P<year>(?:19|20)\d\d))?)"
        r"(?![\w])",
        re.IGNORECASE,
    )
    words = _Words(pattern, ordinals, weekdays, months)
    _CACHE[key] = words
    return words


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (0 first, -1 last) ``weekday`` (Monday=0) of a month; None if none."""
    if nth < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    found = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * nth)
    return found if found.month == month else None


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def read_nth_weekday(reading: Reading) -> bool:
    """Read "the second Wednesday of January" and the like into ``reading.day``.

    True when one was read (and masked); False when the line has none.
    Raises when the month has no such day ("the fifth Monday of February 2027").
    """
    words = _words(reading.languages)
    match = words.pattern.search(reading.line.masked)
    if match is None:
        return False
    today = reading.reference.date()
    weekday = words.weekdays[fold(match.group("wd"))]
    nth = -1 if match.group("last") else words.ordinals[match.group("ord").casefold()]
    said = " ".join(match.group(0).split())
    which = "last" if nth < 0 else _ORDINAL_NAMES[nth]
    day_name = calendar.day_name[weekday]
    if match.group("month"):
        month = words.months[fold(match.group("month"))]
        if match.group("year"):
            year = int(match.group("year"))
            found = nth_weekday(year, month, weekday, nth)
            if found is None:
                raise NotAnEventError(
                    f"“{said}”: {calendar.month_name[month]} {year} has no {which} {day_name}"
                )
        else:
            found = _next_from(today, today.year, month, weekday, nth, step_years=True)
            if found is None:
                raise NotAnEventError(
                    f"“{said}”: {calendar.month_name[month]} has no {which} {day_name}"
                    " this year or next"
                )
            reading.note("day", f"no year: the next one, {_day_text(found)}")
    else:
        year, month = today.year, today.month
        if match.group("next"):
            year, month = _month_after(year, month)
        found = _next_from(today, year, month, weekday, nth, step_years=False)
        if found is None:  # never: a fifth weekday comes within three months
            raise NotAnEventError(f"“{said}”: no such day in the coming year")
        if match.group("this") or (found.year, found.month) != (year, month):
            reading.note("day", f"“{said}” read as {found:%B}'s: {_day_text(found)}")
    if match.group("every") or match.group("each"):
        reading.note("day", f"a series: the next one, {_day_text(found)}, taken")
    reading.day = found
    reading.line.take("day", match.start(), match.end())
    return True


def _next_from(
    today: date, year: int, month: int, weekday: int, nth: int, *, step_years: bool
) -> date | None:
    """The first such day on or after ``today`` from ``year``/``month`` on: this year's
    or next year's (a named month), or within twelve months ("the month"); else None.
    A fifth Monday of February comes once in years: that is no date to guess."""
    for _ in range(2 if step_years else 12):
        found = nth_weekday(year, month, weekday, nth)
        if found is not None and found >= today:
            return found
        year, month = (year + 1, month) if step_years else _month_after(year, month)
    return None


def _day_text(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"
