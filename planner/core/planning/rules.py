"""The weekly rules, each written once.

A weekly rule limits the chosen set as a whole (the hours budget, events a
week and a day, evenings out, category caps, money, how often a flexible
block is placed). Each is one object that can

* say whether a chosen set plus one more option still keeps it (:meth:`Rule.keeps`),
* add itself to the CP-SAT model (:meth:`Rule.add_to`), and
* explain itself when it is what leaves an option out (:meth:`Rule.explain`).

The solver (:mod:`optimiser`), the "why it was left out" text (:mod:`plan`)
and the greedy baseline (``benchmarks/baseline.py``) all go through
:func:`weekly_rules`, so a rule added there is checked, solved and explained
alike, and the three can no longer disagree about what a rule counts.

Overlaps and trips between events are pairwise rather than counts; they are
the one :class:`Conflicts` object, shared the same way.

Pinned options are always in the plan, even when they alone break a rule;
such a rule then leaves room for nothing else. ``keeps`` and ``add_to`` count
alike: what the free options weigh must fit in what the pinned ones leave.
"""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from planner.core.model import Reason
from planner.core.planning.options import Limits, Option, TravelFn
from planner.core.settings import FlexibleBlock
from planner.core.text import wording

if TYPE_CHECKING:
    from types import ModuleType

    from ortools.sat.python.cp_model import CpModel, IntVar

K = TypeVar("K", bound=Hashable)

# Two events further apart than this never need a travel check between them.
MAX_GAP_CHECK = timedelta(hours=4)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why an event is in or out: a reason code, the sentence, and what would change it."""

    reason: Reason
    text: str
    what_if: str = ""
    breaks: str = ""


class Model:
    """The CP-SAT model being built: one 0/1 variable per free option.

    Pinned options have no variable: they are in whatever is chosen.
    """

    def __init__(self, cp_model: ModuleType, options: Sequence[Option]) -> None:
        self.model: CpModel = cp_model.CpModel()
        self.x: dict[int, IntVar] = {
            o.index: self.model.new_bool_var(f"x{o.index}") for o in options if not o.pinned
        }

    def cap(self, items: Sequence[Option], limit: int, weight: Callable[[Option], int]) -> None:
        """The free ``items`` weigh at most what the pinned ones leave of ``limit``."""
        free = sum(weight(o) * self.x[o.index] for o in items if not o.pinned)
        self.model.add(free <= _room(items, limit, weight))


def _room(items: Sequence[Option], limit: int, weight: Callable[[Option], int]) -> int:
    """What the free ``items`` may weigh: what the pinned ones leave of ``limit``, at least 0."""
    return max(0, limit - sum(weight(o) for o in items if o.pinned))


def _fits(items: Sequence[Option], limit: int, weight: Callable[[Option], int]) -> bool:
    """Whether ``items`` keep ``limit`` the way :meth:`Model.cap` states it."""
    return sum(weight(o) for o in items if not o.pinned) <= _room(items, limit, weight)


class Rule(ABC):
    """One weekly rule: checked, solved and explained from one definition."""

    reason: Reason

    @abstractmethod
    def keeps(self, option: Option, chosen: Sequence[Option]) -> bool:
        """Whether ``chosen`` plus ``option`` still keeps this rule."""

    @abstractmethod
    def add_to(self, model: Model, options: Sequence[Option]) -> None:
        """State this rule over all ``options`` in the CP-SAT ``model``."""

    @abstractmethod
    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        """Why ``option`` cannot join ``chosen`` under this rule (when it cannot)."""


class Cap(Rule, Generic[K]):
    """A rule that counts: the options of one group weigh at most a limit together.

    A subclass says which group an option counts in (None: not counted), what
    it weighs, and the limit of a group (None: no limit).
    """

    @abstractmethod
    def group(self, o: Option) -> K | None: ...

    @abstractmethod
    def limit(self, group: K) -> int | None: ...

    def weight(self, o: Option) -> int:
        return 1

    def members(self, option: Option, chosen: Sequence[Option]) -> list[Option]:
        """The chosen options counted with ``option``."""
        key = self.group(option)
        return [] if key is None else [c for c in chosen if self.group(c) == key]

    def keeps(self, option: Option, chosen: Sequence[Option]) -> bool:
        key = self.group(option)
        limit = None if key is None else self.limit(key)
        if limit is None:
            return True
        return _fits([*self.members(option, chosen), option], limit, self.weight)

    def add_to(self, model: Model, options: Sequence[Option]) -> None:
        groups: dict[K, list[Option]] = defaultdict(list)
        for o in options:
            key = self.group(o)
            if key is not None:
                groups[key].append(o)
        for key, items in groups.items():
            limit = self.limit(key)
            if limit is not None and not all(o.pinned for o in items):
                model.cap(items, limit, self.weight)


@dataclass(frozen=True, slots=True)
class WeeklyMinutes(Cap[str]):
    """The hours budget: every option's minutes, travel included when the user says so."""

    minutes: int
    reason = Reason.BUDGET

    def group(self, o: Option) -> str | None:
        return "week"

    def limit(self, group: str) -> int | None:
        return self.minutes

    def weight(self, o: Option) -> int:
        return o.charged_minutes

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        total = sum(c.charged_minutes for c in chosen) + option.charged_minutes
        return Verdict(
            self.reason,
            f"would bring the week to {wording.minutes(total)} of your "
            f"{wording.minutes(self.minutes)} budget; better-valued events use it",
            f"fits with {wording.minutes(total - self.minutes)} more in the weekly budget",
        )


@dataclass(frozen=True, slots=True)
class EventsPerWeek(Cap[str]):
    """At most so many events out a week (flexible time is no event out)."""

    events: int
    reason = Reason.MAX_EVENTS

    def group(self, o: Option) -> str | None:
        return "week" if o.counts_as_event else None

    def limit(self, group: str) -> int | None:
        return self.events

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        return Verdict(
            self.reason,
            f"the plan already has {len(self.members(option, chosen))} events, your weekly maximum",
            "fits if you allowed one more event a week",
        )


@dataclass(frozen=True, slots=True)
class EventsPerDay(Cap[date]):
    """At most so many events out a day (flexible time is no event out)."""

    per_day: int
    reason = Reason.MAX_PER_DAY

    def group(self, o: Option) -> date | None:
        return o.day if o.counts_as_event else None

    def limit(self, group: date) -> int | None:
        return self.per_day

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        same_day = self.members(option, chosen)
        text = (
            f"{same_day[0].event.summary} is already planned that day "
            f"(at most {self.per_day} a day)"
            if same_day
            else "your rules allow no events a day"
        )
        return Verdict(self.reason, text, "fits if you allowed more events a day")


@dataclass(frozen=True, slots=True)
class CategoryPerWeek(Cap[str]):
    """At most so many events of a category a week."""

    caps: dict[str, int]
    reason = Reason.QUOTA

    def group(self, o: Option) -> str | None:
        return o.category if o.counts_as_event and o.category in self.caps else None

    def limit(self, group: str) -> int | None:
        return self.caps[group]

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        n = len(self.members(option, chosen))
        return Verdict(
            self.reason,
            f"already {n} {option.category} event(s) this week, your weekly limit",
            f"fits if you allowed more {option.category} events a week",
        )


@dataclass(frozen=True, slots=True)
class CategoryPerMonth(Cap[tuple[str, tuple[int, int]]]):
    """At most so many events of a category a month, other weeks of the month included."""

    limits: Limits
    reason = Reason.QUOTA

    def group(self, o: Option) -> tuple[str, tuple[int, int]] | None:
        wanted = o.counts_as_event and o.category in self.limits.per_category_month
        return (o.category, o.month) if wanted else None

    def limit(self, group: tuple[str, tuple[int, int]]) -> int | None:
        return self.limits.month_room(*group)

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        done = self.limits.history_count.get((option.category, option.month), 0)
        n = len(self.members(option, chosen))
        return Verdict(
            self.reason,
            f"{n + done} {option.category} event(s) in {wording.month(option.event.start)} already "
            f"({done} in other weeks), your limit is "
            f"{self.limits.per_category_month[option.category]} a month",
            f"fits if you allowed more {option.category} events a month",
        )


@dataclass(frozen=True, slots=True)
class MoneyPerMonth(Cap[tuple[int, int]]):
    """Tickets a calendar month, other weeks of the month included; counted in cents
    so that CP-SAT's integer arithmetic is exact for prices like $12.50."""

    limits: Limits
    reason = Reason.MONEY

    def group(self, o: Option) -> tuple[int, int] | None:
        return o.month

    def limit(self, group: tuple[int, int]) -> int | None:
        room = self.limits.money_room(group)
        return None if room is None else round(room * 100)

    def weight(self, o: Option) -> int:
        return round(o.cost * 100)

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        spent = self.limits.money_spent.get(option.month, 0.0)
        tickets = sum(c.cost for c in self.members(option, chosen)) + option.cost + spent
        return Verdict(
            self.reason,
            f"would bring {wording.month(option.event.start)}'s tickets to "
            f"{wording.money(tickets)},"
            f" over your {wording.money(self.limits.money)} a month",
        )


@dataclass(frozen=True, slots=True)
class FlexiblePerWeek(Cap[FlexibleBlock]):
    """A flexible block is placed at most as often a week as the user asked."""

    reason = Reason.QUOTA

    def group(self, o: Option) -> FlexibleBlock | None:
        return o.flexible

    def limit(self, group: FlexibleBlock) -> int | None:
        return group.times_per_week

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        name = option.event.summary  # a flexible block's starts are named after it
        return Verdict(
            self.reason,
            f"{name} is already placed {len(self.members(option, chosen))} times "
            "this week, as often as you asked",
            f"fits if you wanted {name} more often",
        )


@dataclass(frozen=True, slots=True)
class FlexibleOncePerDay(Cap[tuple[FlexibleBlock, date]]):
    """A flexible block is placed at most once a day."""

    reason = Reason.QUOTA

    def group(self, o: Option) -> tuple[FlexibleBlock, date] | None:
        return None if o.flexible is None else (o.flexible, o.day)

    def limit(self, group: tuple[FlexibleBlock, date]) -> int | None:
        return 1

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        return Verdict(self.reason, f"{option.event.summary} is already placed that day")


@dataclass(frozen=True, slots=True)
class EveningsOut(Rule):
    """At most so many evenings out a week: a count of days, not of events."""

    evenings: int
    reason = Reason.EVENINGS

    @staticmethod
    def _out(o: Option) -> bool:
        return o.evening and o.counts_as_event

    def keeps(self, option: Option, chosen: Sequence[Option]) -> bool:
        if not self._out(option):
            return True
        out = [c for c in [*chosen, option] if self._out(c)]
        busy = {c.day for c in out if c.pinned}
        return len({c.day for c in out} - busy) <= max(0, self.evenings - len(busy))

    def add_to(self, model: Model, options: Sequence[Option]) -> None:
        busy = {o.day for o in options if o.pinned and self._out(o)}
        by_day: dict[date, list[Option]] = defaultdict(list)
        for o in options:
            if self._out(o) and not o.pinned and o.day not in busy:
                by_day[o.day].append(o)
        if not by_day:
            return
        nights = {}
        for day, items in by_day.items():
            nights[day] = model.model.new_bool_var(f"evening{day}")
            for o in items:
                model.model.add_implication(model.x[o.index], nights[day])
        model.model.add(sum(nights.values()) <= max(0, self.evenings - len(busy)))

    def explain(self, option: Option, chosen: Sequence[Option]) -> Verdict:
        nights = {c.day for c in chosen if self._out(c)}
        return Verdict(
            self.reason,
            f"the plan already takes {len(nights)} evenings out, your weekly maximum",
            "fits if you allowed one more evening out",
        )


def weekly_rules(limits: Limits) -> tuple[Rule, ...]:
    """Every weekly rule the limits set, in the order an explanation tries them."""
    rules: list[Rule] = []
    if limits.minutes is not None:
        rules.append(WeeklyMinutes(limits.minutes))
    if limits.events is not None:
        rules.append(EventsPerWeek(limits.events))
    if limits.per_day is not None:
        rules.append(EventsPerDay(limits.per_day))
    if limits.evenings is not None:
        rules.append(EveningsOut(limits.evenings))
    if limits.per_category:
        rules.append(CategoryPerWeek(limits.per_category))
    if limits.per_category_month:
        rules.append(CategoryPerMonth(limits))
    if limits.money is not None:
        rules.append(MoneyPerMonth(limits))
    rules += [FlexiblePerWeek(), FlexibleOncePerDay()]
    return tuple(rules)


# --- conflicts: the pairwise rule -----------------------------------------------------------


def overlap_cliques(options: Sequence[Option]) -> list[list[int]]:
    """Maximal cliques of the interval graph of the options' [start, end).

    Sweep the endpoints in time order; each time an end follows a start, the
    set of open intervals is a maximal clique.
    """
    points = []
    for o in options:
        points.append((o.event.start, 1, o.index))
        points.append((o.event.end, 0, o.index))  # ends sort before starts: touching is fine
    points.sort(key=lambda p: (p[0], p[1]))
    open_now: set[int] = set()
    cliques = []
    last_was_start = False
    for _, is_start, index in points:
        if is_start:
            open_now.add(index)
            last_was_start = True
        else:
            if last_was_start and len(open_now) > 1:
                cliques.append(sorted(open_now))
            open_now.discard(index)
            last_was_start = False
    return cliques


def travel_pairs(
    options: Sequence[Option],
    travel_between: TravelFn,
    horizon: timedelta = MAX_GAP_CHECK,
    *,
    exclusive_days: bool = False,
) -> list[tuple[int, int]]:
    """Pairs that do not overlap but leave too little time to get between venues.

    Only pairs less than ``horizon`` apart are asked about: no trip is longer.
    ``exclusive_days``: at most one event a day can be chosen, so two events of
    one day are never asked about (the per-day rule keeps them apart already).
    """
    ordered = sorted(options, key=lambda o: o.event.start)
    starts = [o.event.start for o in ordered]
    pairs = []
    for a in ordered:
        lo = bisect.bisect_left(starts, a.event.end)
        hi = bisect.bisect_left(starts, a.event.end + horizon)
        for b in ordered[lo:hi]:
            if exclusive_days and _same_day_events(a, b):
                continue
            gap = b.event.start - a.event.end
            if gap < timedelta(minutes=travel_between(a.event, b.event)):
                pairs.append((a.index, b.index))
    return pairs


def _same_day_events(a: Option, b: Option) -> bool:
    return a.counts_as_event and b.counts_as_event and a.day == b.day


def incompatible(
    a: Option, b: Option, travel_between: TravelFn, horizon: timedelta = MAX_GAP_CHECK
) -> bool:
    """Whether two options cannot both be attended (overlap or no time to travel)."""
    first, second = (a, b) if a.event.start <= b.event.start else (b, a)
    if first.event.end > second.event.start:
        return True
    gap = second.event.start - first.event.end
    if gap >= horizon:
        return False
    return gap < timedelta(minutes=travel_between(first.event, second.event))


@dataclass(frozen=True, slots=True)
class Conflicts:
    """Two options that overlap, or leave no time to travel between them: one at most.

    ``horizon`` bounds every trip between two venues, so pairs further apart
    are never asked about.
    """

    travel_between: TravelFn
    horizon: timedelta = MAX_GAP_CHECK
    exclusive_days: bool = False
    """At most one event a day can be chosen (the per-day rule): the model need
    not state clashes between two events of one day. Explanations still name them."""

    def clash(self, option: Option, chosen: Sequence[Option]) -> Option | None:
        """The best-valued chosen option that ``option`` cannot be attended with."""
        for c in sorted(chosen, key=lambda c: -c.value):
            if incompatible(option, c, self.travel_between, self.horizon):
                return c
        return None

    def groups(self, options: Sequence[Option]) -> tuple[list[Sequence[int]], set[int]]:
        """The free options' at-most-one groups (each overlap clique, each pair too
        close to travel between), and the free options that clash with a pinned one."""
        pinned = {o.index for o in options if o.pinned}
        by_index = {o.index: o for o in options}
        forced_out: set[int] = set()
        groups: list[Sequence[int]] = []

        def one_at_most(group: Sequence[int]) -> None:
            if any(i in pinned for i in group):
                forced_out.update(i for i in group if i not in pinned)
            elif len(group) > 1:
                groups.append(group)

        for clique in overlap_cliques(options):
            members = [by_index[i] for i in clique]
            if self.exclusive_days and all(_same_day_events(members[0], m) for m in members):
                continue  # one day's events: the per-day rule already allows one at most
            one_at_most(clique)
        for pair in travel_pairs(
            options, self.travel_between, self.horizon, exclusive_days=self.exclusive_days
        ):
            one_at_most(pair)
        return groups, forced_out

    def add_to(self, model: Model, options: Sequence[Option]) -> None:
        """One at-most-one per group of :meth:`groups`; whatever clashes with a
        pinned option is left out outright."""
        groups, forced_out = self.groups(options)
        for group in groups:
            model.model.add_at_most_one(model.x[i] for i in group)
        for i in forced_out:
            model.model.add(model.x[i] == 0)

    def explain(self, option: Option, other: Option) -> Verdict:
        """Why ``option`` is left out for ``other``, which it clashes with."""
        how = (
            "they overlap"
            if option.event.start < other.event.end and other.event.start < option.event.end
            else "there is no time to travel between them"
        )
        if other.pinned:
            return Verdict(
                Reason.CONFLICT,
                f"clashes with {other.event.summary} ({wording.span(other.event)}), "
                f"which you committed to: {how}",
                f"would fit if you dropped {other.event.summary}",
            )
        better = (
            "is worth more" if other.value > option.value else "is worth as much for less travel"
        )
        when = wording.day(other.event.start)
        return Verdict(
            Reason.LOWER_VALUE,
            f"fits, but {other.event.summary} ({when}) {better} and {how}",
            f"would be chosen if you rated it above {other.event.summary}",
        )


def explain_left_out(
    option: Option, chosen: Sequence[Option], conflicts: Conflicts, rules: Sequence[Rule]
) -> Verdict:
    """Why the optimiser left out an option that breaks no single-event rule: the
    better event it clashes with, else the first rule the chosen set leaves no room in."""
    other = conflicts.clash(option, chosen)
    if other is not None:
        return conflicts.explain(option, other)
    for rule in rules:
        if not rule.keeps(option, chosen):
            return rule.explain(option, chosen)
    if option.value <= 0:
        return Verdict(Reason.NO_VALUE, "you gave it no stars")
    return Verdict(Reason.LOWER_VALUE, "a combination of other events is worth more")
