"""Shrinking the choice before it is solved, without changing its optimum.

A free week can bring thousands of options to the solver, most of them on
the same few evenings. When the user allows at most one event a day (the
default), a day's events compete only with one another, and an option that
is no better than another of the same day on anything a rule or the
objective looks at can be dropped: whatever plan holds it is at least as good
with the other one instead. :func:`dominated` finds those options, and
:func:`same_day_exclusive` says when the solver may skip the travel and
overlap checks between two events of one day (the per-day limit already keeps
them apart).

Why the swap is sound (``tests/core/test_prune_properties.py`` checks it
against the unpruned optimum on random weeks). Let ``a`` dominate ``b``: both
free events (not flexible, not pinned) on the same day, ``a`` worth at least
as much, with no more charged minutes, travel or cost, an evening out only if
``b`` is one, and in the same category wherever categories matter (a weekly or
monthly cap or a target names it). Let a plan hold ``b``; put ``a`` in its
place:

* hours budget, money (same month: same day), events a week: no more used;
* events a day: the same day, the same count;
* evenings out: ``a`` is an evening only if ``b`` was, on the same day;
* category caps, monthly quotas and targets: the same category counts the same;
* flexible blocks: neither option is one;
* overlaps and trips: both are *day-local*, clashing with nothing but events of
  their own day, and with at most one event a day the plan holds no other
  event of that day (a pinned one there leaves room for none);
* objective: value no lower, tie-break (travel, then money) no higher, each compared
  as the integers the rules and the objective use.

So the pruned problem's optimum equals the unpruned one. Ties (two options
equal on all of it) keep the one listed first, so plans stay stable.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from planner.core.planning.options import Limits, Option


def same_day_exclusive(limits: Limits) -> bool:
    """Whether the rules let at most one event a day into a plan."""
    return limits.per_day is not None and limits.per_day <= 1


def _free_event(o: Option) -> bool:
    return o.counts_as_event and not o.pinned


def day_local(options: Sequence[Option], horizon: timedelta) -> set[int]:
    """Indexes of the free events that can clash with nothing but free events of their day.

    Two options can clash (overlap, or leave too little time to travel) only
    when they come within ``horizon`` of each other; an option is day-local
    when every other option that close is a free event of its own day.
    """
    by_day: dict[date, list[Option]] = defaultdict(list)
    for o in options:
        if _free_event(o):
            by_day[o.day].append(o)
    local: set[int] = set()
    for members in by_day.values():
        inside = {o.index for o in members}
        outsiders = sorted(
            (o for o in options if o.index not in inside), key=lambda o: o.event.start
        )
        starts = [o.event.start for o in outsiders]
        # latest_end[k]: the latest end among the first k outsiders (by start).
        latest_end: list[datetime | None] = [None]
        for o in outsiders:
            last = latest_end[-1]
            latest_end.append(o.event.end if last is None or o.event.end > last else last)
        for o in members:
            near = bisect.bisect_left(starts, o.event.end + horizon)
            last = latest_end[near]
            if last is None or last + horizon <= o.event.start:
                local.add(o.index)
    return local


def _category_key(o: Option, limits: Limits) -> str | None:
    """The category as far as the rules can tell categories apart."""
    named = (
        o.category in limits.per_category
        or o.category in limits.per_category_month
        or o.category in limits.minimums
    )
    return o.category if named else None


def _no_worse(a: Option, b: Option) -> bool:
    """``a`` is no worse than ``b`` on each number a rule or the objective reads, in the
    integers they read it as (money in cents for the budget, in dollars in the tie-break:
    $1.50 and $1.4999 are the same cents but not the same rounded dollars)."""
    return (
        a.score >= b.score
        and a.charged_minutes <= b.charged_minutes
        and a.travel_minutes <= b.travel_minutes
        and round(a.cost * 100) <= round(b.cost * 100)
        and a.tiebreak <= b.tiebreak
        and (b.evening or not a.evening)
    )


def dominated(options: Sequence[Option], limits: Limits, horizon: timedelta) -> set[int]:
    """Indexes of options that the optimum never needs (see the module's proof).

    Empty unless the rules allow at most one event a day.
    """
    if not same_day_exclusive(limits):
        return set()
    local = day_local(options, horizon)
    groups: dict[tuple[date, str | None], list[Option]] = defaultdict(list)
    for o in options:
        if o.index in local:
            groups[(o.day, _category_key(o, limits))].append(o)
    out: set[int] = set()
    for members in groups.values():
        # Best first, so a dominating option is always met before what it dominates;
        # the position in ``options`` breaks exact ties (stable plans).
        position = {o.index: n for n, o in enumerate(members)}
        ordered = sorted(
            members,
            key=lambda o: (
                -o.score,
                o.charged_minutes,
                o.travel_minutes,
                round(o.cost * 100),
                o.evening,
                position[o.index],
            ),
        )
        kept: list[Option] = []
        for o in ordered:
            # Against the first kept ones only: a day where nothing dominates anything
            # (value rising with length) must not cost a comparison of every pair. An
            # option is only ever dropped for one that is kept, so this stays sound.
            if any(_no_worse(k, o) for k in kept[:COMPARED]):
                out.add(o.index)
            else:
                kept.append(o)
    return out


COMPARED = 128
"""Kept options of a day an option is compared with (bounds the work at n x 128)."""
