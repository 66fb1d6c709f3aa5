"""What the weekly rules speak about: the options a plan may hold, and the limits.

An :class:`Option` is one candidate (or one start of a flexible block) that
passed the single-event checks, with everything it costs; :class:`Limits` are
the user's weekly and monthly rules with what other weeks of the month already
used. Both live below :mod:`rules`, :mod:`optimiser` and :mod:`plan`, which
all read them, so that none of those has to import another just for a type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from planner.core.model import Event
from planner.core.settings import FlexibleBlock

VALUE_SCALE = 10
"""Values are stars x weight (one decimal at most); the solver works in tenths."""

# travel_between(a, b) -> minutes to go from a's venue to b's venue leaving at a's end.
TravelFn = Callable[[Event, Event], int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Option:
    """One candidate the solver may choose, with everything it costs.

    Keyword-only: a dozen fields of which several are ints and dates, where a
    positional slip would silently swap two of them.
    """

    index: int
    event: Event
    value: float
    charged_minutes: int
    travel_minutes: int
    cost: float
    day: date
    evening: bool
    category: str
    pinned: bool = False
    month: tuple[int, int] = (0, 0)
    """(year, month) of the event, for monthly quotas and money."""
    flexible: FlexibleBlock | None = None
    """The flexible block this is one possible start of (None for an event): its
    starts are placed at most ``times_per_week`` times, once a day."""

    @property
    def counts_as_event(self) -> bool:
        """Flexible time (a call, LinkedIn) uses the hours budget but is no event out."""
        return self.flexible is None

    @property
    def score(self) -> int:
        return round(self.value * VALUE_SCALE)

    @property
    def tiebreak(self) -> int:
        """Less travel first, then less money: both small next to value."""
        return self.travel_minutes * 1000 + min(999, round(self.cost))


@dataclass(frozen=True, slots=True)
class Limits:
    """The rules; the solver subtracts what pinned events (and earlier weeks) use."""

    minutes: int | None
    events: int | None
    per_day: int | None
    evenings: int | None
    money: float | None
    """Per calendar month; ``money_spent`` holds what other weeks of a month already use."""
    per_category: dict[str, int]
    """Weekly caps by category."""
    per_category_month: dict[str, int] = field(default_factory=dict)
    history_count: dict[tuple[str, tuple[int, int]], int] = field(default_factory=dict)
    """Events of a category chosen or attended in other weeks, by (category, month)."""
    money_spent: dict[tuple[int, int], float] = field(default_factory=dict)
    minimums: dict[str, int] = field(default_factory=dict)
    """Targets ("at least 1 professional event a week"): met first when possible."""

    def month_room(self, category: str, month: tuple[int, int]) -> int | None:
        cap = self.per_category_month.get(category)
        return None if cap is None else cap - self.history_count.get((category, month), 0)

    def money_room(self, month: tuple[int, int]) -> float | None:
        return None if self.money is None else self.money - self.money_spent.get(month, 0.0)
