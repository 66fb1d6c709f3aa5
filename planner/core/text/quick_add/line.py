"""The line being read, and what has been read from it so far.

Every reader (:mod:`.shapes`, :mod:`.days`, :mod:`.times`,
:mod:`.place_and_title`) takes a :class:`Reading`, finds its part in the
line's masked text, records it and masks it out, so that what is left at
the end is the title. The few patterns and words more than one reader needs
are here too, written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from planner.core.model import Place
from planner.core.settings import Settings
from planner.core.text.prices import DASH as DASH  # re-exported: every reader of a line uses it
from planner.core.text.quick_add.results import Assumption, Part, Span


class NotAnEventError(Exception):
    """Raised inside the parser with the reason a line is not an event."""


BULLET = re.compile(r"^\s*(?:[-*•·>]+|\d{1,2}[.)](?=\s))\s*")
"""A list's bullet or number at the start of a pasted line ("- ", "• ", "3. ")."""
TBD = re.compile(
    r"\b(?:tbd|tba|tbc|to be (?:announced|determined|confirmed)|à confirmer|a confirmer"
    r"|por confirmar|por anunciar|noch offen|steht noch nicht fest)\b",
    re.IGNORECASE,
)
"""Words saying a part is still to be announced, in the four languages."""
WORD_NUMBERS = {
    **dict.fromkeys(("a", "an", "one", "un", "une", "una", "ein", "eine"), 1.0),
    **dict.fromkeys(("two", "deux", "dos", "zwei"), 2.0),
    **dict.fromkeys(("three", "trois", "tres", "drei"), 3.0),
    **dict.fromkeys(("four", "vier"), 4.0),
    **dict.fromkeys(("half an", "half a", "½"), 0.5),
}
"""Counts written as words, for durations ("two hours") and days ("in two weeks")."""


class Line:
    """One line, with the parts already read masked out (same length, so spans hold)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = text.replace("\xa0", " ").replace("\t", " ")
        self.spans: list[Span] = []

    def take(self, part: Part, start: int, end: int) -> None:
        self.spans.append(Span(part, start, end))
        self.mask(start, end)

    def mask(self, start: int, end: int) -> None:
        self.masked = self.masked[:start] + "\x00" * (end - start) + self.masked[end:]


@dataclass(slots=True)
class Reading:
    """What has been read so far from one line."""

    line: Line
    settings: Settings
    reference: datetime
    languages: tuple[str, ...]
    notes: list[Assumption] = field(default_factory=list)
    url: str = ""
    tags: list[str] = field(default_factory=list)
    cost: float | None = None
    day: date | None = None
    day_from_weekday: str = ""
    """The weekday words the day came from, when it came from nothing else."""
    evening: bool = False
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    minutes: int | None = None
    place: Place | None = None
    zone_word: str = ""
    """A zone written after the time ("EST"), whose clock the times are in."""

    def note(self, part: Part, text: str) -> None:
        self.notes.append(Assumption(part, text))
