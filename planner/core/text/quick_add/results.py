"""What reading a typed line gives: the event, what was assumed, where each part was.

These are the types callers of quick add see (the preview dialog, the
command line); the reading itself lives in the sibling modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from planner.core.model import Event

Part = Literal["title", "day", "start", "end", "place", "cost", "category", "url"]
"""The parts of a line, named as the preview's columns (plus the link)."""

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de")
"""Languages whose weekday, month and time words are read unless told otherwise."""

SOURCE = "quick add"
"""The :attr:`Event.source` of typed events, shown where a problem names its source."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the line a part was read: ``text[start:end]``."""

    part: Part
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Assumption:
    """Something the line did not say and the parser chose, in words, for one part."""

    part: Part
    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """A line understood as an event, with what was assumed and where each part was read."""

    event: Event
    line_number: int
    text: str
    assumptions: tuple[Assumption, ...] = ()
    spans: tuple[Span, ...] = ()

    @property
    def assumed(self) -> tuple[str, ...]:
        """The uncertain parts in words ("no end time: 90 minutes assumed")."""
        return tuple(a.text for a in self.assumptions)

    def assumed_about(self, part: Part) -> tuple[str, ...]:
        """What was assumed for one part (one column of the preview)."""
        return tuple(a.text for a in self.assumptions if a.part == part)

    def spans_of(self, part: Part) -> tuple[tuple[int, int], ...]:
        return tuple((s.start, s.end) for s in self.spans if s.part == part)


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A line that could not be understood, and why, so the user can fix it."""

    line_number: int
    text: str
    reason: str
