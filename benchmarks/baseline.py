"""A greedy baseline to measure the exact plan against (``bench_plan.py``).

Best value per minute first, each option taken when it clashes with nothing
chosen and keeps every weekly rule. The rules are planner's own list
(:func:`planner.core.planning.rules.weekly_rules`), so the baseline obeys
exactly what the solver obeys and differs from it only in how it searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from planner.core.planning.options import Limits, Option, TravelFn
from planner.core.planning.rules import MAX_GAP_CHECK, Conflicts, weekly_rules


def greedy(
    options: Sequence[Option],
    limits: Limits,
    travel_between: TravelFn,
    horizon: timedelta = MAX_GAP_CHECK,
) -> frozenset[int]:
    """The indices greedy chooses: pinned options, then what fits, best value per minute."""
    conflicts = Conflicts(travel_between, horizon)
    rules = weekly_rules(limits)
    chosen = [o for o in options if o.pinned]
    rest = sorted(
        (o for o in options if not o.pinned),
        key=lambda o: -o.value / max(1, o.charged_minutes),
    )
    for o in rest:
        if conflicts.clash(o, chosen) is None and all(rule.keeps(o, chosen) for rule in rules):
            chosen.append(o)
    return frozenset(o.index for o in chosen)
